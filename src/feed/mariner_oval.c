/* feed/mariner_oval.c: Azure Linux and CBL-Mariner OVAL.
 * (placeholder: being written for issue 16) */
#include "feed/vendors.h"
#include "util/error.h"

int feed_mariner_oval(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return vigil_error_set(VIGIL_EFORMAT, "feed_mariner_oval: not written yet");
}

bool feed_mariner_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

