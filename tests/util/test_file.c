/* tests/util/test_file.c: vigil_file_read: a file at and past its limit,
 * an empty one, a missing one, a folder, and a pipe past the limit. */
#include "helpers.h"
#include "util/error.h"
#include "util/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_read(void **state)
{
	(void)state;
	char dir[] = "/tmp/vigil-test-file.XXXXXX", path[128];
	char *buf;
	size_t len;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a", dir);
	write_file(path, "hello");
	assert_int_equal(vigil_file_read(path, 5, &buf, &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "hello");
	free(buf);
	assert_int_equal(vigil_file_read(path, 4, &buf, &len), VIGIL_ELIMIT);
	assert_null(buf);
	assert_non_null(strstr(vigil_error_message(), "5 bytes (limit 4)"));
	write_file(path, "");
	assert_int_equal(vigil_file_read(path, 4, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
	unlink(path);
	assert_int_equal(vigil_file_read(path, 4, &buf, &len), VIGIL_ENOTFOUND);
	assert_non_null(strstr(vigil_error_message(), path));
	assert_true(vigil_file_read(dir, 4, &buf, &len) < 0);
	assert_null(buf);
	rmdir(dir);
}

static void test_pipe(void **state)
{
	(void)state;
	int fds[2];
	char path[64], *buf;
	size_t len;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789", 10), 10);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	assert_int_equal(vigil_file_read(path, 4, &buf, &len), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "more than 4 bytes"));
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_read), cmocka_unit_test(test_pipe) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
