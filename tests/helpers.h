/* tests/helpers.h: what the unit tests share: finding the shared real test
 * data (../shared/testdata, or $VIGIL_TESTDATA) and reading files. */
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
/* A fresh scratch folder /tmp/vigil-<name>-XXXXXX in dir (64 bytes) holding
 * a new store dir/v.db in *s: 0, or -1. */
int th_temp_store(const char *name, char dir[64], vigil_store **s);
/* Closes s and removes dir: 0, or -1. */
int th_temp_store_free(const char *dir, vigil_store *s);
/* Reads a whole file (malloc'd, NUL-terminated); NULL on failure. */
char *th_read_file(const char *path, size_t *len);

#endif
