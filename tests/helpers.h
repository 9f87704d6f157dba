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
/* Reads a whole file (malloc'd, NUL-terminated); NULL on failure. */
char *th_read_file(const char *path, size_t *len);

#endif
