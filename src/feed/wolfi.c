/* feed/wolfi.c: Wolfi and Chainguard secdb and advisories.
 * (placeholder: being written for issue 16) */
#include "feed/vendors.h"
#include "util/error.h"

int feed_wolfi_secdb(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return vigil_error_set(VIGIL_EFORMAT, "feed_wolfi_secdb: not written yet");
}

bool feed_wolfi_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

bool feed_chainguard_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

int feed_wolfi_advisory(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return vigil_error_set(VIGIL_EFORMAT, "feed_wolfi_advisory: not written yet");
}

bool feed_wolfi_osv_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

bool feed_chainguard_osv_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

