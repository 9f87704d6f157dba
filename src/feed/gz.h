/* feed/gz.h: gzip decompression of a whole feed file in memory (yum
 * repositories ship updateinfo.xml.gz), with a cap on the output so a
 * small hostile file cannot expand without bound. */
#ifndef VIGIL_FEED_GZ_H
#define VIGIL_FEED_GZ_H

#include <stdbool.h>
#include <stddef.h>

/* Whether data starts with the gzip magic (1f 8b). */
bool feed_is_gzip(const char *data, size_t len);

/* Decompresses data[0..len) (one gzip member, or several back to back)
 * into a malloc'd, NUL-terminated *out of *outlen bytes (the caller frees
 * it). More than max output bytes is VIGIL_ELIMIT; garbage or a truncated
 * stream is VIGIL_EFORMAT with the input offset. */
int feed_gunzip(const char *data, size_t len, size_t max, char **out, size_t *outlen);

#endif
