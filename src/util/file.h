/* util/file.h: a whole file into memory, never more than the caller's
 * named limit (SBOMs, VEX documents, templates). */
#ifndef VIGIL_UTIL_FILE_H
#define VIGIL_UTIL_FILE_H

#include <stddef.h>

/* Reads path into *out (malloc'd, NUL-terminated, *len bytes). Errors name
 * the path: VIGIL_ENOTFOUND or VIGIL_EIO when it cannot be opened or read,
 * VIGIL_ELIMIT when it holds more than max bytes (a regular file is judged
 * by its size first; a pipe by reading one byte past max). */
int vigil_file_read(const char *path, size_t max, char **out, size_t *len);

#endif
