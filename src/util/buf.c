/* util/buf.c: capped growable buffer (see buf.h). */
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vigil_buf_init(vigil_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->max = max;
}

void vigil_buf_free(vigil_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

void vigil_buf_reset(vigil_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int grow(vigil_buf *b, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return vigil_error_set(VIGIL_ELIMIT, "buffer limit of %zu bytes reached", b->max);
	size_t need = b->len + n + 1;
	if (need <= b->alloc)
		return 0;
	size_t a = b->alloc ? b->alloc : 256;
	while (a < need)
		a = a > ((size_t)-1) / 2 ? need : a * 2;
	if (a > b->max + 1)
		a = b->max + 1;
	char *d = realloc(b->data, a);
	if (!d)
		return vigil_error_oom();
	b->data = d;
	b->alloc = a;
	return 0;
}

int vigil_buf_append(vigil_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);
	if (rc < 0)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int vigil_buf_puts(vigil_buf *b, const char *s) { return vigil_buf_append(b, s, strlen(s)); }
int vigil_buf_putc(vigil_buf *b, char c) { return vigil_buf_append(b, &c, 1); }

int vigil_buf_vprintf(vigil_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return vigil_error_set(VIGIL_EINVAL, "bad format string");
	int rc = grow(b, (size_t)n);
	if (rc < 0)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int vigil_buf_printf(vigil_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vigil_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *vigil_buf_detach(vigil_buf *b, size_t *len)
{
	char *d = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	return d;
}

const char *vigil_buf_cstr(const vigil_buf *b) { return b->data ? b->data : ""; }
