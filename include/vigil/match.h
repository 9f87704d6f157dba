/* vigil/match.h: the matcher. An index report goes in, findings come out:
 * every installed package matched against the vulnerability records of the
 * image's namespace in the store (the newest operation of each feed).
 *
 *   vigil_vuln_report *vr;
 *   if (vigil_match(index_report, &opts, &vr) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message());
 *   vigil_vuln_report_filter(vr, &filter);      // --severity, --ignore-unfixed, ...
 *   vigil_vuln_report_json(vr, 1, &json, &len); // Clair v4 VulnerabilityReport
 *
 * Rules (docs/matching.md): a record matches a package of the same
 * namespace by its binary name, or, when the record names a source package,
 * by the package's source name and source version. "fixed" matches below the
 * fixed version; "not-fixed" and "will-not-fix" match every version;
 * "affected" matches inside its ranges (every version when it has none);
 * "not-affected" never matches. Red Hat modularity streams match only
 * packages of the same stream; architectures listed on a record must include
 * the package's. When several feeds speak of one vulnerability of one
 * package, the most authoritative feed of the namespace decides, and an
 * advisory (DSA, DLA, RHSA, USN) whose CVEs are all reported already is
 * folded into those findings.
 *
 * Language packages (PyPI, npm, Maven, Go, crates.io, RubyGems, Packagist,
 * NuGet) are matched against the records of their ecosystem's namespace
 * ("osv:PyPI"), by their name normalised as the ecosystem does, in its
 * version order; records that alias each other (GHSA, CVE, PYSEC, GO ids)
 * make one finding. */
#ifndef VIGIL_MATCH_H
#define VIGIL_MATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vigil/common.h"
#include "vigil/index.h"
#include "vigil/store.h"
#include "vigil/vuln.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The namespace vulnerability records use for a distribution: "debian:12",
 * "ubuntu:18.04", "alpine:3.11", "rhel:8" (also for CentOS, Rocky, Alma).
 * VIGIL_ENOTFOUND when vigil has no namespace for it. */
VIGIL_EXTERN(int) vigil_distribution_namespace(const vigil_distribution *d, char *buf, size_t n);

typedef struct vigil_finding {
	size_t package_index;        /* into the index report's packages */
	const vigil_package *package;
	const char *id;              /* "CVE-2021-3711", "DSA-5000-1", "GO-2022-0001" */
	const char *feed;            /* the feed whose record matched: "ubuntu", "debian-lists" */
	const char *source;          /* the vendor that said so: "ubuntu", "debian", "redhat" */
	const char *namespace;       /* "ubuntu:18.04" */
	const char *matched_name;    /* the package name the record used */
	int by_source;               /* 1: matched through the source package */
	vigil_vuln_state state;      /* fixed, not-fixed, will-not-fix, affected */
	const char *fixed;           /* fixed version, NULL when none */
	const char *affected_range;  /* human form of the range that matched (">= 1.0, < 1.2"), or NULL */
	const char *module;          /* the record's modularity stream, NULL when none */
	vigil_severity severity;     /* normalized: per-package, else the record's, else NVD's */
	const char *vendor_severity; /* the vendor's own word */
	double cvss_score;           /* v3 when known, else v2; < 0 when unknown */
	const char *cvss_vector;
	const char *cvss_source;     /* "nvd" when the score came from NVD, else the feed's source */
	const char *summary;
	const char *description;
	const char *published;
	const char *const *links;
	size_t nlinks;
	const char *const *aliases;  /* other ids of the same issue */
	size_t naliases;
	const char *const *advisories; /* advisories folded into this finding ("DSA-5000-1") */
	size_t nadvisories;
	const char *introduced_in;   /* layer digest that introduced the package */
	const char *const *symbols;  /* Go: the vulnerable symbols ("golang.org/x/net/html.Parse"), when known */
	size_t nsymbols;
} vigil_finding;

/* A finding the user's exceptions removed: an ignore-file rule or a VEX
 * statement. Kept (never silently dropped) so reports can show them. */
typedef struct vigil_suppression {
	vigil_finding finding;
	const char *status;          /* "ignored" (an ignore rule), or the VEX status: "not_affected", "fixed" */
	const char *justification;   /* the rule's reason or the VEX justification/impact; NULL when none */
	const char *by;              /* where it was said: "FILE:LINE" of a rule, the VEX document's path */
} vigil_suppression;

typedef struct vigil_vuln_report {
	const vigil_index_report *index; /* what was matched; not owned */
	const char *namespace;           /* the image's namespace, NULL when unknown */
	/* Sorted by package (report order), then severity (highest first), then id. */
	vigil_finding *findings;
	size_t finding_count;
	size_t filtered_out;             /* removed by vigil_vuln_report_filter */
	size_t ignored;                  /* of those, removed by the ignore list */
	size_t packages_matched;         /* packages looked up (gpg-pubkey and the like aside) */
	const char *const *warnings;     /* why the result may be incomplete (stale or missing data) */
	size_t warning_count;
	/* Findings removed by an ignore rule or a VEX statement (filter order). */
	vigil_suppression *suppressed;
	size_t suppressed_count;
	struct vigil_match_internal *internal;
} vigil_vuln_report;

typedef struct vigil_match_options {
	vigil_store *store;          /* where the records are (required) */
	int64_t max_age;             /* data older than this warns (0: VIGIL_DB_DEFAULT_MAX_AGE; < 0: never) */
	int no_enrich;               /* do not attach NVD's CVSS */
	void (*warn)(void *ud, const char *msg); /* warnings as they are found; also kept in the report */
	void *warn_ud;
	int lang_os_owned;           /* also match language packages whose files an OS package owns
					(VIGIL_PKG_F_OS_OWNED): the vendor backports fixes, so off by default */
} vigil_match_options;

VIGIL_EXTERN(void) vigil_match_options_init(vigil_match_options *opt);
/* Matches every package of ir; *out must be freed with vigil_vuln_report_free.
 * ir must outlive *out. */
VIGIL_EXTERN(int) vigil_match(const vigil_index_report *ir, const vigil_match_options *opt, vigil_vuln_report **out);
VIGIL_EXTERN(void) vigil_vuln_report_free(vigil_vuln_report *r);

/* ---- filters (match/filter.c) ---- */
typedef struct vigil_ignore_list vigil_ignore_list;

/* An ignore file: one rule per line, '#' starts a comment:
 *   ID [PACKAGE] [exp:YYYY-MM-DD] [# reason]
 * An expired rule no longer ignores anything (and is reported as such). */
VIGIL_EXTERN(int) vigil_ignore_list_load(const char *path, vigil_ignore_list **out);
VIGIL_EXTERN(int) vigil_ignore_list_parse(const char *text, size_t len, const char *name, vigil_ignore_list **out);
VIGIL_EXTERN(void) vigil_ignore_list_free(vigil_ignore_list *l);
/* Calls fn (when not NULL) with "FILE:LINE: ID expired on YYYY-MM-DD" for
 * each rule of l that has expired at now (0: the clock); returns how many
 * did. (The one added function: the filter cannot add to a report's
 * warnings, which the matcher owns.) */
VIGIL_EXTERN(size_t) vigil_ignore_list_expired(const vigil_ignore_list *l, int64_t now,
				 void (*fn)(void *ud, const char *msg), void *ud);

/* Calls fn (when not NULL) with each note about what the file holds but
 * vigil does not honour (a Grype match-type, Trivy's misconfigurations);
 * returns how many. A rule with a condition vigil cannot judge ignores
 * nothing. Files named *.yaml / *.yml are Trivy's .trivyignore.yaml or
 * Grype's .grype.yaml (docs/scan.md). */
VIGIL_EXTERN(size_t) vigil_ignore_list_notes(const vigil_ignore_list *l, void (*fn)(void *ud, const char *msg),
					     void *ud);

/* Whether a live rule of l names the audit rule id (vigil/audit.h: "aws-access-key-id",
 * "file-modified") for the file path (NULL: none): the rule's PACKAGE word, when
 * given, is the path; a YAML rule's paths are globs on it. 1 (with *where, *line of
 * the rule when not NULL) or 0. */
VIGIL_EXTERN(int) vigil_ignore_list_match_rule(const vigil_ignore_list *l, const char *id, const char *path,
					       int64_t now, const char **where, size_t *line);

/* "LOW,HIGH,critical" -> a mask of (1u << level). */
VIGIL_EXTERN(int) vigil_severity_mask_parse(const char *list, unsigned *mask);

/* VEX documents (match/vex*.c): OpenVEX, CycloneDX VEX, CSAF 2.0 VEX. A
 * set of documents; a "not_affected" or "fixed" statement about a
 * vulnerability (by id or alias) and a product or package (by purl) that
 * a finding is about suppresses it. */
typedef struct vigil_vex vigil_vex;
VIGIL_EXTERN(int) vigil_vex_new(vigil_vex **out);
/* Adds the document at path (format detected); VIGIL_EFORMAT naming the
 * file and field when it is not one, or names no product. */
VIGIL_EXTERN(int) vigil_vex_load(vigil_vex *v, const char *path);
VIGIL_EXTERN(int) vigil_vex_parse(vigil_vex *v, const char *text, size_t len, const char *name);
VIGIL_EXTERN(void) vigil_vex_free(vigil_vex *v);

typedef struct vigil_filter {
	unsigned severities;         /* 0: every level */
	int ignore_unfixed;          /* drop findings with no fixed version */
	const vigil_ignore_list *ignore;
	const vigil_vex *vex;        /* statements that suppress findings; NULL: none */
	int64_t now;                 /* unix time for expiry (0: the clock) */
} vigil_filter;

/* Removes the findings the filter drops (in place, order kept). Those an
 * ignore rule or a VEX statement removes go to r->suppressed, with why
 * (copied into the report: the list and the VEX may be freed; a status is
 * a literal). */
VIGIL_EXTERN(int) vigil_vuln_report_filter(vigil_vuln_report *r, const vigil_filter *f);

/* ---- output (report/vuln_json.c, report/vuln_table.c) ---- */
/* Clair v4's VulnerabilityReport JSON: manifest_hash, packages,
 * distributions, environments, vulnerabilities, package_vulnerabilities,
 * enrichments. Package ids are those of vigil_index_report_json. */
VIGIL_EXTERN(int) vigil_vuln_report_json(const vigil_vuln_report *r, int pretty, char **json, size_t *len);
/* A table grouped by package with a summary line by severity; colour
 * escapes when color is set. */
VIGIL_EXTERN(int) vigil_vuln_report_table(const vigil_vuln_report *r, FILE *f, int color);

#ifdef __cplusplus
}
#endif
#endif
