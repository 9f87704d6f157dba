/* vigil/vuln.h: the normalized vulnerability record every feed is turned
 * into, and the six severity levels.
 *
 * A vulnerability (one id from one source) lists the packages it affects.
 * Each affected entry is scoped by a namespace: a distribution release
 * ("debian:12", "ubuntu:18.04", "alpine:3.11", "rhel:8") or an ecosystem
 * ("osv:Go", "osv:PyPI"). Strings are owned by whoever handed the struct out
 * and are NULL when unknown. */
#ifndef VIGIL_VULN_H
#define VIGIL_VULN_H

#include <stddef.h>

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vigil_severity {
	VIGIL_SEV_UNKNOWN = 0,
	VIGIL_SEV_NEGLIGIBLE = 1,
	VIGIL_SEV_LOW = 2,
	VIGIL_SEV_MEDIUM = 3,
	VIGIL_SEV_HIGH = 4,
	VIGIL_SEV_CRITICAL = 5,
} vigil_severity;

/* "Unknown", "Negligible", "Low", "Medium", "High", "Critical". */
VIGIL_EXTERN(const char *) vigil_severity_name(vigil_severity s);
/* From a CVSS base score (0.0-10.0, as CVSS v3 rates it; < 0: Unknown). */
VIGIL_EXTERN(vigil_severity) vigil_severity_from_cvss(double score);

typedef enum vigil_vuln_state {
	VIGIL_STATE_AFFECTED = 0,   /* affected in the ranges given (or all versions when none) */
	VIGIL_STATE_FIXED = 1,      /* fixed in `fixed`: versions below it are affected */
	VIGIL_STATE_NOT_FIXED = 2,  /* affected, no fix yet (open, needed, needs-triage, deferred) */
	VIGIL_STATE_WILL_NOT_FIX = 3, /* affected, the vendor will not fix (ignored, no-dsa, wontfix) */
	VIGIL_STATE_NOT_AFFECTED = 4, /* the vendor says the package is not affected: never matches */
} vigil_vuln_state;

/* "affected", "fixed", "not-fixed", "will-not-fix", "not-affected". */
VIGIL_EXTERN(const char *) vigil_vuln_state_name(vigil_vuln_state s);

/* One event of an OSV range, kept exactly as the feed wrote it. */
typedef enum vigil_range_event_kind {
	VIGIL_EVENT_INTRODUCED = 0,
	VIGIL_EVENT_FIXED = 1,
	VIGIL_EVENT_LAST_AFFECTED = 2,
	VIGIL_EVENT_LIMIT = 3,
} vigil_range_event_kind;

typedef struct vigil_range_event {
	vigil_range_event_kind kind;
	const char *version;
} vigil_range_event;

typedef struct vigil_range {
	const char *type;            /* OSV: "SEMVER", "ECOSYSTEM", "GIT" */
	const vigil_range_event *events;
	size_t nevents;
} vigil_range;

typedef struct vigil_affected {
	const char *namespace;       /* "debian:12", "osv:Go" */
	const char *package;         /* package name as the feed gives it */
	int is_source;               /* 1: a source package (matches every binary built from it) */
	const char *scheme;          /* version scheme: "dpkg", "rpm", "apk", "semver", "pep440", "maven",
	                              * "npm", "go", "rubygems", "composer", "nuget", "ecosystem" */
	vigil_vuln_state state;
	const char *fixed;           /* fixed version, NULL when none */
	const vigil_range *ranges;   /* OSV ranges (events kept exactly); may be empty */
	size_t nranges;
	const char *module;          /* Red Hat modularity stream "name:stream", NULL when none */
	const char *arch;            /* only these architectures ("x86_64|aarch64"), NULL = all */
	const char *vendor_severity; /* a per-package severity overriding the vulnerability's (Ubuntu) */
	vigil_severity severity;     /* normalized per-package severity, UNKNOWN = the vulnerability's */
	const char *symbols;         /* Go: the vulnerable symbols, "path.Symbol" joined with '\n'; NULL when none */
} vigil_affected;

typedef struct vigil_vuln {
	const char *id;              /* "CVE-2020-1234", "DSA-4567-1", "GO-2022-0001", "RHSA-2023:1234" */
	const char *source;          /* which source said so: "debian", "ubuntu", "alpine", "redhat", "osv", "nvd" */
	const char *const *aliases;  /* other ids of the same issue (CVE ids of an advisory) */
	size_t naliases;
	const char *summary;
	const char *description;
	const char *const *links;
	size_t nlinks;
	const char *published;       /* RFC 3339 or as the feed wrote a date; NULL when unknown */
	const char *modified;
	const char *vendor_severity; /* the vendor's own word: "Important", "medium", "unimportant" */
	vigil_severity severity;     /* normalized (docs/severity.md) */
	const char *cvss3_vector;
	double cvss3_score;          /* < 0 when unknown */
	const char *cvss2_vector;
	double cvss2_score;          /* < 0 when unknown */
	const vigil_affected *affected;
	size_t naffected;
} vigil_vuln;

#ifdef __cplusplus
}
#endif
#endif
