/* tests/helpers.h: what the unit tests share: finding the shared real test
 * data (../shared/testdata, or $VIGIL_TESTDATA), scratch stores on either
 * backend, and reading files. */
#ifndef VIGIL_TESTS_HELPERS_H
#define VIGIL_TESTS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The shared test data folder, or NULL when absent. */
const char *th_testdata(void);
/* Exits 77 (ctest: skipped) with a message when the shared data is absent. */
const char *th_testdata_or_skip(void);
/* Joins the test data folder and rel into a static buffer. */
const char *th_data_path(const char *rel);
typedef struct vigil_store vigil_store;
/* The store tests run on both backends: SQLite files, or with
 * VIGIL_TEST_PG set (the base DSN of a test server, scripts/pg-test.sh)
 * fresh PostgreSQL databases, one per store, dropped at the end. */
/* The base DSN when the tests run on PostgreSQL, else NULL. */
const char *th_pg(void);
/* Exits 77 (skipped) with why when the tests run on PostgreSQL: for what
 * only SQLite has (its files, WAL, paths). */
void th_skip_if_pg(const char *why);
/* A fresh scratch folder /tmp/vigil-<name>-XXXXXX in dir (64 bytes) holding
 * a new store in *s (SQLite: dir/v.db; PostgreSQL: a new database): 0, or -1. */
int th_temp_store(const char *name, char dir[64], vigil_store **s);
/* Where the store name of scratch folder dir is: SQLite dir/name.db; with
 * PostgreSQL the DSN of its database, made on first use (the same name
 * gives the same database): 0, or -1. */
int th_store_location(const char *dir, const char *name, char *out, size_t n);
/* vigil_store_open of th_store_location(dir, name): 0, or -1. */
int th_store_open(const char *dir, const char *name, vigil_store **s);
/* Runs SQL that returns no rows on s, either backend (SQLite's and
 * PostgreSQL's dialects differ: keep to what both read): 0, or -1. */
int th_store_exec(vigil_store *s, const char *sql);
/* Closes s (NULL is fine), drops the databases made for dir and removes
 * dir: 0, or -1. */
int th_temp_store_free(const char *dir, vigil_store *s);
/* Reads a whole file (malloc'd, NUL-terminated); NULL on failure. */
char *th_read_file(const char *path, size_t *len);
/* Writes one update operation of feed name holding the n records of v into
 * s (asserting each step, as the matcher's tests need a store of records). */
struct vigil_vuln;
void th_feed(vigil_store *s, const char *name, const struct vigil_vuln *v, size_t n);

#endif
