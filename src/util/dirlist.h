/* util/dirlist.h: the names in a folder, sorted (so that walks, digests
 * and fingerprints do not depend on the filesystem's order), dot files left
 * out, at most a named number of them. */
#ifndef VIGIL_UTIL_DIRLIST_H
#define VIGIL_UTIL_DIRLIST_H

#include <dirent.h>
#include <stddef.h>

typedef struct vigil_dirlist {
	char **names;
	size_t n;
} vigil_dirlist;

/* Reads every entry of d (not closed here) into l. More than max entries is
 * VIGIL_ELIMIT naming what. */
int vigil_dirlist_read(DIR *d, const char *what, size_t max, vigil_dirlist *l);
void vigil_dirlist_free(vigil_dirlist *l);

#endif
