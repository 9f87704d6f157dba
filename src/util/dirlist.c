/* util/dirlist.c: see dirlist.h. */
#include "util/dirlist.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vigil_dirlist_read(DIR *d, const char *what, size_t max, vigil_dirlist *l)
{
	size_t cap = 0;
	struct dirent *e;
	int rc = 0;
	l->names = NULL;
	l->n = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		rc = vigil_grow((void **)&l->names, &cap, l->n, sizeof(*l->names), 64, max);
		if (rc == VIGIL_ELIMIT)
			rc = vigil_error_set(VIGIL_ELIMIT, "%s: more than %zu entries", what, max);
		if (rc == 0 && !(l->names[l->n] = strdup(e->d_name)))
			rc = vigil_error_oom();
		if (rc < 0) {
			vigil_dirlist_free(l);
			return rc;
		}
		l->n++;
	}
	if (l->n)
		qsort(l->names, l->n, sizeof(*l->names), cmp_names);
	return 0;
}

void vigil_dirlist_free(vigil_dirlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	l->names = NULL;
	l->n = 0;
}
