/* tests/helpers.c: see helpers.h. */
#include "helpers.h"
#include "vigil/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *th_testdata(void)
{
	static char path[4096];
	const char *env = getenv("VIGIL_TESTDATA");
	struct stat st;
	if (!env || !*env)
		env = "../shared/testdata";
	snprintf(path, sizeof(path), "%s", env);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return path;
}

const char *th_testdata_or_skip(void)
{
	const char *p = th_testdata();
	if (!p) {
		printf("SKIP: shared test data not found (set VIGIL_TESTDATA or put it at ../shared/testdata)\n");
		exit(77);
	}
	return p;
}

const char *th_data_path(const char *rel)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s", th_testdata_or_skip(), rel);
	return path;
}

char *th_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) < 0) {
		fclose(f);
		return NULL;
	}
	long n = ftell(f);
	rewind(f);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = (size_t)n;
	}
	return buf;
}

int th_temp_store(const char *name, char dir[64], vigil_store **s)
{
	char path[128];
	snprintf(dir, 64, "/tmp/vigil-%.32s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/v.db", dir);
	return vigil_store_open(path, s) < 0 ? -1 : 0;
}

int th_temp_store_free(const char *dir, vigil_store *s)
{
	char cmd[128];
	vigil_store_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}
