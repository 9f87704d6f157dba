/* feed/redhat.h: what the three Red Hat parsers (OVAL v2, CSAF/VEX,
 * Security Data API CVE JSON) share: mapping a Red Hat CPE to a vigil
 * namespace, splitting "name-[epoch:]version-release", module streams,
 * scores, and small containers (a string map, a deduplicating set of
 * affected entries, a deduplicating string list, a tally of skipped
 * products). Private to src/feed/redhat_*.c; decisions in
 * docs/feeds-redhat.md. */
#ifndef VIGIL_FEED_REDHAT_H
#define VIGIL_FEED_REDHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed/feed.h"
#include "util/map.h"
#include "util/slice.h"

/* The longest namespace made ("rhel:" and at most 3 digits). */
#define VIGIL_RH_NS_MAX 16
/* The longest CPE looked at. */
#define VIGIL_RH_MAX_CPE 512
/* Entries of one string map (OVAL tests/objects/states, CSAF products). */
#define VIGIL_RH_MAP_MAX ((size_t)8 * 1024 * 1024)
/* Distinct skipped products remembered for the summary warnings. */
#define VIGIL_RH_MAX_SKIPPED 256

/* "rhel:<major>" in out for a Red Hat CPE vigil maps, false otherwise:
 *   cpe:/o:redhat:enterprise_linux:8, cpe:/a:redhat:enterprise_linux:8::appstream,
 *   cpe:/o:redhat:rhel_els:6, cpe:/a:redhat:rhel_extras_other:6 -> the version's major;
 *   cpe:/a:redhat:ansible_engine:2.9::el8 (any product built for elN) -> N.
 * The extended-support streams (rhel_eus, rhel_aus, rhel_e4s, rhel_tus) and
 * products without an elN are not mapped (docs/feeds-redhat.md). */
bool rh_cpe_namespace(vigil_slice cpe, char out[VIGIL_RH_NS_MAX]);

/* "openssl-1:1.1.1k-7.el8_6" -> name "openssl", evr "1:1.1.1k-7.el8_6" (the
 * epoch kept as written, none added). False when it does not have that form. */
bool rh_split_nevr(vigil_slice s, vigil_slice *name, vigil_slice *evr);
/* A package name: printable ASCII, no space, ':' or '/'. */
bool rh_valid_name(vigil_slice s);
/* An EVR: printable ASCII without spaces; an epoch, when given, is digits. */
bool rh_valid_evr(vigil_slice s);
/* "nodejs:12" out of "nodejs:12" or "nodejs:12:8030020201124152102:229f0a1c";
 * false when there is no "name:stream" (e.g. "rhel10"). */
bool rh_module_stream(vigil_slice s, vigil_slice *out);
/* "7.5" -> 7.5 (0.0 - 10.0, digits and at most one point); false otherwise. */
bool rh_parse_score(vigil_slice s, double *out);

/* Red Hat's fix states (CVE JSON package_state.fix_state, OVAL
 * resolution/@state): Affected, Fix deferred, Under investigation, New ->
 * NOT_FIXED; Will not fix, Out of support scope -> WILL_NOT_FIX; Not
 * affected -> NOT_AFFECTED. False for any other word. */
bool rh_fix_state(vigil_slice word, vigil_vuln_state *st);


/* The affected entries of one vulnerability, deduplicated on (namespace,
 * package, is_source, state, fixed, module); the architectures of merged
 * entries are joined ("x86_64|aarch64"; NULL = all wins). */
typedef struct vigil_rh_affset {
	vigil_feed_ctx *ctx;
	vigil_affected *v;
	size_t n, cap;
	uint32_t *slot; /* index + 1, 0 = empty; nslot is a power of two */
	size_t nslot;
} vigil_rh_affset;

void rh_affset_init(vigil_rh_affset *s, vigil_feed_ctx *ctx);
/* VIGIL_ELIMIT past VIGIL_FEED_MAX_AFFECTED. */
int rh_affset_add(vigil_rh_affset *s, const vigil_affected *a);
/* Copies the entries into the ctx arena and empties the set. */
int rh_affset_take(vigil_rh_affset *s, const vigil_affected **out, size_t *n);
void rh_affset_free(vigil_rh_affset *s);

/* Aliases or links: deduplicated, VIGIL_ELIMIT past VIGIL_FEED_MAX_REFS. */
typedef struct vigil_rh_strlist {
	const char **v;
	size_t n, cap;
} vigil_rh_strlist;

/* Adds a copy (feed_str) of s unless empty or already there. */
int rh_strlist_add(vigil_feed_ctx *ctx, vigil_rh_strlist *l, vigil_slice s, const char *what);
int rh_strlist_take(vigil_feed_ctx *ctx, vigil_rh_strlist *l, const char *const **out, size_t *n);
void rh_strlist_free(vigil_rh_strlist *l);

/* Affected entries skipped because their product is not mapped, counted
 * by product (CPE); rh_skipped_warn gives one warning per product. */
typedef struct vigil_rh_skipped {
	struct {
		char what[128];
		const char *why; /* a static string */
		uint64_t count;
	} e[VIGIL_RH_MAX_SKIPPED];
	size_t n;
} vigil_rh_skipped;

void rh_skipped_add(vigil_feed_ctx *ctx, vigil_rh_skipped *s, vigil_slice what, const char *why);
void rh_skipped_warn(vigil_feed_ctx *ctx, vigil_rh_skipped *s);

#endif
