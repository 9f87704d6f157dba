/* util/file.c: vigil_file_read (util/file.h). */
#include "util/file.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int vigil_file_read(const char *path, size_t max, char **out, size_t *len)
{
	struct stat st;
	size_t cap = max, n;
	char *buf = NULL;
	int rc = 0;
	FILE *f;

	*out = NULL;
	*len = 0;
	if (!(f = fopen(path, "rb")))
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > max) {
			rc = vigil_error_set(VIGIL_ELIMIT, "%s: %llu bytes (limit %zu)", path,
					     (unsigned long long)st.st_size, max);
			goto out;
		}
		cap = (size_t)st.st_size;
	}
	/* one byte past cap tells a file that grew, or a pipe past the limit */
	if (!(buf = malloc(cap + 2))) {
		rc = vigil_error_oom();
		goto out;
	}
	n = fread(buf, 1, cap + 1, f);
	if (ferror(f)) {
		rc = vigil_error_set(VIGIL_EIO, "%s: read failed", path);
	} else if (n > max) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: more than %zu bytes (limit)", path, max);
	} else if (n > cap) {
		rc = vigil_error_set(VIGIL_EIO, "%s: the file grew while it was read", path);
	} else {
		buf[n] = '\0';
		*out = buf;
		*len = n;
		buf = NULL;
	}
out:
	free(buf);
	fclose(f);
	return rc;
}
