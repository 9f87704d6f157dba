/* feed/alma.h: what the AlmaLinux and Rocky Linux parsers share beyond
 * feed/vendors.h: the severity words of the two rebuilds of RHEL, and the
 * fix-up of their OSV exports that feed/osv.c calls for each document
 * (docs/feeds-alma-rocky-osv.md). */
#ifndef VIGIL_FEED_ALMA_H
#define VIGIL_FEED_ALMA_H

#include <stdbool.h>

#include <jansson.h>

#include "feed/feed.h"

/* AlmaLinux's and Rocky's advisory severity words (Red Hat's scale):
 * Critical, Important, Moderate, Low -> Critical, High, Medium, Low, any
 * case; "None" (given to bug fix and enhancement advisories) and anything
 * else -> Unknown. */
vigil_severity feed_rebuild_severity(const char *word, size_t len);

/* The "name:stream" of a modularity label or of an advisory summary's
 * "name:stream" word ("mariadb:10.3:8050020220427075058:c5368500:x86_64"
 * -> "mariadb:10.3"), into out[n]; false when s has no such pair. */
bool feed_rebuild_module(const char *s, size_t len, char *out, size_t n);

/* For an OSV document (doc, already read into *v and its entries af[0..n))
 * some of whose entries are in an AlmaLinux or Rocky namespace: the CVEs
 * of "related" become aliases, the summary's severity word ("Moderate:
 * ...") the vendor severity, the summary's module stream ("mariadb:10.3")
 * the module of the entries whose fixed build is a module build, and a
 * bug fix or enhancement advisory (ALBA-, ALEA-, RLBA-, RLEA-) is dropped
 * (*drop). Documents of other ecosystems are left alone. */
int feed_rebuild_osv(vigil_feed_ctx *ctx, json_t *doc, vigil_vuln *v, vigil_affected *af, size_t n,
		     bool *drop);

#endif
