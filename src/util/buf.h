/* util/buf.h: a growable byte buffer with a hard size cap (after curl's
 * dynbuf). Appending past the cap fails with VIGIL_ELIMIT and leaves the
 * buffer as it was. The contents are always NUL-terminated. */
#ifndef VIGIL_UTIL_BUF_H
#define VIGIL_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct vigil_buf {
	char *data;   /* NULL until the first append */
	size_t len;
	size_t alloc;
	size_t max;   /* the cap: len never exceeds it */
} vigil_buf;

void vigil_buf_init(vigil_buf *b, size_t max);
void vigil_buf_free(vigil_buf *b);
void vigil_buf_reset(vigil_buf *b); /* len = 0, keeps the memory */
int vigil_buf_append(vigil_buf *b, const void *p, size_t n);
int vigil_buf_puts(vigil_buf *b, const char *s);
int vigil_buf_putc(vigil_buf *b, char c);
int vigil_buf_printf(vigil_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vigil_buf_vprintf(vigil_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the memory to the caller (free() it); the buffer is empty after. */
char *vigil_buf_detach(vigil_buf *b, size_t *len);
/* The contents as a C string, "" when empty. */
const char *vigil_buf_cstr(const vigil_buf *b);

#endif
