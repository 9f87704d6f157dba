/* feed/wolfi_priv.h: what the Wolfi and Chainguard parsers share
 * (feed/wolfi.c: secdb, sniffs, the OSV route; feed/wolfi_adv.c: the
 * wolfi-dev/advisories YAML). Included by nobody else. */
#ifndef VIGIL_FEED_WOLFI_PRIV_H
#define VIGIL_FEED_WOLFI_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "feed/feed.h"

/* The one namespace of each rolling distribution (match/namespace.c). */
#define FEED_WOLFI_NS "wolfi:rolling"
#define FEED_CHAINGUARD_NS "chainguard:rolling"
/* Length of an id (CVE-..., GHSA-..., CGA-xxxx-xxxx-xxxx) and of a package name. */
#define FEED_WOLFI_MAX_ID 128
#define FEED_WOLFI_MAX_NAME 256

/* Printable ASCII without blanks, 1 to max bytes: a package name or an apk version. */
bool feed_wolfi_token(const char *s, size_t n, size_t max);
/* A vulnerability id: a letter first, then letters, digits, '-', '_' or
 * '.', with at least one '-' and not ending in one ("CVE-2024-1234",
 * "GHSA-jq35-85cj-fj4p", "CGA-2h26-rh8h-r2vp", "CGA-rrjc-vjqv-cppv": CGA
 * and GHSA ids may have no digit). */
bool feed_wolfi_id(const char *s, size_t n);

/* One wolfi-dev/advisories file (<origin>.advisories.yaml, schema 2):
 * feed/wolfi_adv.c. */
int feed_wolfi_adv_yaml(vigil_feed_ctx *ctx, const char *data, size_t len);

#endif
