/* feed/alma.c: AlmaLinux errata JSON, AlmaLinux and Rocky OSV sniffing.
 * (placeholder: being written for issue 16) */
#include "feed/vendors.h"
#include "util/error.h"

int feed_alma_errata(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	(void)ctx, (void)data, (void)len;
	return vigil_error_set(VIGIL_EFORMAT, "feed_alma_errata: not written yet");
}

bool feed_alma_errata_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

bool feed_alma_osv_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

bool feed_rocky_osv_sniff(const char *base, const char *p, size_t n)
{
	(void)base, (void)p, (void)n;
	return false;
}

