/* vigil/fetch.h: the policy of the fetches vigil makes on a client's
 * behalf: the layer URIs of Clair v4 Manifests and the Paths of Clair v1
 * layers (see docs/net.md). Link-local and unspecified addresses are always
 * refused; a deployment adds a deny list and/or an allow list of CIDRs and
 * a total deadline per layer. The policy is checked on every socket vigil
 * opens, redirects included, so a refused address never gets a packet.
 *
 *   if (vigil_fetch_policy_set("10.0.0.0/8, 172.16.0.0/12", NULL, 600) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message());
 */
#ifndef VIGIL_FETCH_H
#define VIGIL_FETCH_H

#include <stddef.h>

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_FETCH_MAX_CIDRS      64                  /* CIDRs in one deny or allow list */
#define VIGIL_FETCH_MAX_LIST       ((size_t)16 * 1024) /* one list written out */
#define VIGIL_FETCH_DEADLINE_S     1800                /* one layer, whole, by default */
#define VIGIL_FETCH_MAX_DEADLINE_S (7L * 24 * 3600)

/* 0 when cidrs[0..len) is a list of CIDRs as the policy reads it ("10.0.0.0/8,
 * fd00::/8 192.0.2.1", separated by commas or white space); else
 * VIGIL_EFORMAT naming the bad entry (host bits set, not an address ...)
 * or VIGIL_ELIMIT past VIGIL_FETCH_MAX_CIDRS or VIGIL_FETCH_MAX_LIST. */
VIGIL_EXTERN(int) vigil_fetch_cidrs_check(const char *cidrs, size_t len);

/* Makes the policy of every layer fetch from now on (process-wide, safe
 * while fetches run: each takes a copy when it starts): deny and allow are
 * CIDR lists (NULL or "": none; an allow list, when given, is the only
 * ranges fetched from), deadline_s the most one layer may take (0: the
 * default). Nothing changes when a list does not parse. */
VIGIL_EXTERN(int) vigil_fetch_policy_set(const char *deny, const char *allow, long deadline_s);

#ifdef __cplusplus
}
#endif
#endif
