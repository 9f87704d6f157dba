/* registry/fetch_policy.c: vigil/fetch.h, the public face of the layer
 * fetch policy: CIDR lists read by net/ (net_cidr_list_parse) and handed
 * to the layer-URI reader (reg_url_configure), so a client of the
 * public API (the server) sets it without seeing net/'s types. */
#include "net/net.h"
#include "registry/registry.h"
#include "util/error.h"
#include "vigil/fetch.h"

#include <stdlib.h>
#include <string.h>

_Static_assert(VIGIL_FETCH_MAX_CIDRS == NET_MAX_CIDRS, "one CIDR count limit");
_Static_assert(VIGIL_FETCH_MAX_LIST == NET_MAX_CIDR_LIST, "one CIDR list limit");
_Static_assert(VIGIL_FETCH_DEADLINE_S == NET_LAYER_DEADLINE_S, "one default deadline");
_Static_assert(VIGIL_FETCH_MAX_DEADLINE_S == NET_LAYER_MAX_DEADLINE_S, "one deadline limit");

int vigil_fetch_cidrs_check(const char *cidrs, size_t len)
{
	net_cidr *v = calloc(NET_MAX_CIDRS, sizeof(*v));
	size_t n = 0;
	if (!v)
		return vigil_error_oom();
	int rc = net_cidr_list_parse(cidrs ? cidrs : "", cidrs ? len : 0, v, NET_MAX_CIDRS, &n);
	free(v);
	return rc;
}

int vigil_fetch_policy_set(const char *deny, const char *allow, long deadline_s)
{
	net_addr_policy *p = calloc(1, sizeof(*p));
	int rc;
	if (!p)
		return vigil_error_oom();
	if (deny && (rc = net_cidr_list_parse(deny, strlen(deny), p->deny, NET_MAX_CIDRS, &p->ndeny)) < 0) {
		vigil_error_prefix("the fetch deny list: ");
		goto out;
	}
	if (allow && (rc = net_cidr_list_parse(allow, strlen(allow), p->allow, NET_MAX_CIDRS, &p->nallow)) < 0) {
		vigil_error_prefix("the fetch allow list: ");
		goto out;
	}
	rc = reg_url_configure(p, deadline_s);
out:
	free(p);
	return rc;
}
