/* feed/updateinfo.c: Amazon ALAS and Rocky updateinfo.xml.
 * (placeholder: being written for issue 16) */
#include "feed/vendors.h"
#include "util/error.h"

int feed_updateinfo(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return vigil_error_set(VIGIL_EFORMAT, "feed_updateinfo: not written yet");
}

bool feed_amazon_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

bool feed_rocky_updateinfo_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

