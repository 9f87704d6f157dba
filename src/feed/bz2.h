/* feed/bz2.h: bzip2 decompression of a whole feed file in memory (the Red
 * Hat OVAL v2 streams ship as .oval.xml.bz2), with a cap on the output so a
 * small hostile file cannot expand without bound. */
#ifndef VIGIL_FEED_BZ2_H
#define VIGIL_FEED_BZ2_H

#include <stddef.h>

/* Decompresses data[0..len) (one bzip2 stream, or several back to back as
 * pbzip2 writes them) into a malloc'd, NUL-terminated *out of *outlen bytes
 * (the caller frees it). More than max output bytes is VIGIL_ELIMIT;
 * garbage or a truncated stream is VIGIL_EFORMAT with the input offset. */
int feed_bunzip2(const char *data, size_t len, size_t max, char **out, size_t *outlen);

#endif
