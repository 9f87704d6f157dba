/* vigil/audit.h: what a scan of package versions cannot see. One streaming
 * pass over every layer of an image (deleted files included) feeds four
 * scanners: secrets, integrity (installed files against the package
 * manager's own checksums), trojan and backdoor indicators, and a
 * configuration policy. Findings share the vulnerability report's severity
 * scale, ignore rules and output formats. docs/audit.md lists every check.
 *
 *   vigil_audit_options o;
 *   vigil_audit_options_init(&o);
 *   o.scanners = VIGIL_AUDIT_SECRET | VIGIL_AUDIT_TROJAN;
 *   vigil_audit_report *r;
 *   if (vigil_audit_image("oci:/tmp/img:v2", &o, &r) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message());
 *   char *out; size_t len;
 *   vigil_audit_render(r, VIGIL_FMT_SARIF, NULL, &out, &len);
 *   vigil_audit_report_free(r);
 */
#ifndef VIGIL_AUDIT_H
#define VIGIL_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/common.h"
#include "vigil/index.h"
#include "vigil/match.h"
#include "vigil/registry.h"
#include "vigil/report.h"
#include "vigil/vuln.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The scanners, as bits ("secret", "integrity", "trojan", "policy"). */
typedef enum vigil_audit_category {
	VIGIL_AUDIT_SECRET = 1,
	VIGIL_AUDIT_INTEGRITY = 2,
	VIGIL_AUDIT_TROJAN = 4,
	VIGIL_AUDIT_POLICY = 8,
} vigil_audit_category;
#define VIGIL_AUDIT_ALL 15u

/* "secret", "integrity", "trojan", "policy"; NULL for anything else. */
VIGIL_EXTERN(const char *) vigil_audit_category_name(vigil_audit_category c);
/* Parses "secret,integrity" (also "secrets", "misconfig" = policy) into bits; "vuln" is
 * accepted and sets *vuln (may be NULL: then refused). VIGIL_EINVAL naming the word. */
VIGIL_EXTERN(int) vigil_audit_scanners_parse(const char *list, unsigned *bits, int *vuln);

/* Where a finding's layer index says "none". */
#define VIGIL_AUDIT_NO_LAYER ((size_t)-1)

typedef struct vigil_audit_finding {
	vigil_audit_category category;
	const char *rule;         /* the rule's id: "aws-access-key-id", "file-modified",
	                             "ld-so-preload", "pass-max-days" (what ignore rules name) */
	const char *title;        /* one line for people */
	vigil_severity severity;
	const char *path;         /* the file in the image, no leading '/'; NULL: the config */
	size_t layer;             /* index of the layer it is in (base = 0), VIGIL_AUDIT_NO_LAYER */
	const char *layer_digest; /* NULL with VIGIL_AUDIT_NO_LAYER */
	size_t other_layer;       /* the layer of the version replaced (integrity), or where
	                             the file was first seen; VIGIL_AUDIT_NO_LAYER when none */
	const char *other_layer_digest;
	uint32_t line;            /* 1-based line in the file, 0 when none */
	const char *match;        /* what was found, redacted ("AKIA************MPLE"); NULL */
	const char *evidence;     /* what shows it: "md5 9f2c... (dpkg coreutils says 4e1b...)" */
	const char *package;      /* the package that owns the file (integrity), NULL */
	int deleted;              /* 1: a later layer deleted the file; its bytes are still in the image */
	int info;                 /* 1: information, not an alarm (a changed configuration file) */
} vigil_audit_finding;

/* One policy rule's verdict, passed or not (a failure is also a finding). */
typedef struct vigil_audit_policy_result {
	const char *rule;         /* "pass-max-days" */
	const char *title;
	int passed;               /* 1 pass, 0 fail, -1 not judged (no data: see evidence) */
	vigil_severity severity;
	const char *evidence;     /* "PASS_MAX_DAYS 99999 (etc/login.defs line 160), limit 90" */
} vigil_audit_policy_result;

/* Per layer, what the pass saw (vigil inspect shows it too). */
typedef struct vigil_audit_layer {
	const char *digest;
	const char *created_by;   /* the config history line, NULL when unknown */
	uint64_t size;            /* as stored (compressed) */
	uint64_t uncompressed;    /* bytes of the tar */
	uint64_t files;           /* entries that are not folders (whiteouts not counted) */
	uint64_t whiteouts;
} vigil_audit_layer;

typedef struct vigil_audit_report {
	const char *image;          /* the reference as given */
	const char *manifest_hash;  /* "sha256:..." (NULL for dir:) */
	const vigil_audit_layer *layers;
	size_t layer_count;
	unsigned scanners;          /* what ran */
	const vigil_audit_finding *findings; /* sorted: severity (worst first), category, path, line */
	size_t finding_count;
	const vigil_audit_finding *suppressed; /* removed by an ignore rule */
	size_t suppressed_count;
	const vigil_audit_policy_result *policy; /* in the policy file's order */
	size_t policy_count;
	const char *const *warnings; /* a checksum file that could not be read, a rule that failed ... */
	size_t warning_count;
	uint64_t files_scanned;     /* secret scanner: files read */
	uint64_t bytes_scanned;
	uint64_t binaries_skipped;
	size_t layers_indexed;      /* layers the pass also indexed into the cache (opt.store) */
	struct vigil_audit_internal *internal;
} vigil_audit_report;

/* Largest file the secret scanner reads (bigger ones are skipped, counted). */
#define VIGIL_AUDIT_MAX_SECRET_FILE ((uint64_t)16 << 20)

typedef struct vigil_audit_options {
	unsigned scanners;           /* VIGIL_AUDIT_* bits; 0: all */
	const char *platform;        /* as vigil_index_options */
	const struct vigil_registry_options *registry;
	vigil_progress_fn progress;  /* may be NULL */
	void *progress_ud;
	vigil_message_fn warn;       /* may be NULL (kept in the report too) */
	void *warn_ud;
	/* secrets */
	const char *const *secret_rules; /* extra rule files (docs/audit.md), added to the built-in ones */
	size_t secret_rule_count;
	int no_builtin_secret_rules; /* 1: only the files given */
	int secret_binaries;         /* 1: binary files are scanned too */
	uint64_t max_secret_file;    /* 0: VIGIL_AUDIT_MAX_SECRET_FILE */
	/* policy */
	const char *policy_path;     /* NULL: the default policy (docs/audit.md) */
	const vigil_index_report *index;  /* the image's inventory (deny list; base image); NULL:
	                                     rules needing it are not judged */
	const vigil_vuln_report *vulns;   /* its findings (age rule); NULL: not judged */
	/* the one pass */
	vigil_store *store;          /* the layer cache: each layer the pass reads that the cache
	                                lacks is indexed in the same pass and cached, so that
	                                vigil_index_image() after it reads no layer; NULL: not indexed */
	/* Called once, after the layers were read and before the scanners
	 * conclude: the caller indexes the image (from the cache) and matches
	 * it here, and sets *index and *vulns (its own; they must outlive the
	 * report) for the policy. A negative return fails the audit. */
	int (*inputs)(void *ud, const vigil_index_report **index, const vigil_vuln_report **vulns);
	void *inputs_ud;
	/* all */
	const vigil_ignore_list *ignore; /* rules naming a rule id (and paths) suppress findings */
	vigil_severity min_severity; /* findings below are dropped (VIGIL_SEV_UNKNOWN: none) */
	int64_t now;                 /* unix time; 0: the clock */
} vigil_audit_options;

VIGIL_EXTERN(void) vigil_audit_options_init(vigil_audit_options *o);

/* Reads every layer of ref once, runs the scanners asked for. A checksum
 * file, rules file or policy file that cannot be read or parsed fails with
 * VIGIL_EFORMAT naming it; a layer that cannot be read fails naming it. */
VIGIL_EXTERN(int) vigil_audit_image(const char *ref, const vigil_audit_options *opt,
				    vigil_audit_report **out);
VIGIL_EXTERN(void) vigil_audit_report_free(vigil_audit_report *r);

/* Renders the report: VIGIL_FMT_TABLE, VIGIL_FMT_CLAIR or VIGIL_FMT_FLAT (both:
 * vigil's audit JSON, docs/audit.md), VIGIL_FMT_SARIF, VIGIL_FMT_HTML;
 * VIGIL_EINVAL for the others. o may be NULL (defaults). */
VIGIL_EXTERN(int) vigil_audit_render(const vigil_audit_report *r, vigil_report_format f,
				     const vigil_report_options *o, char **out, size_t *len);

/* vigil scan --scanners vuln,...: the vulnerability report in (vigil/report.h)
 * and the audit report a in one document: the table of each; json/flat: the
 * vulnerability object with an "audit" member; SARIF: one run with both
 * rule sets; html: the vulnerability page. a NULL: vigil_report_render().
 * VIGIL_EINVAL for the formats with no place for audit findings. */
VIGIL_EXTERN(int) vigil_audit_render_scan(const vigil_audit_report *a, const vigil_report_input *in,
					  vigil_report_format f, const vigil_report_options *o, char **out,
					  size_t *len);

/* The exit status a CI gate wants: 1 when a finding (not info, not
 * suppressed) is at or above min (VIGIL_SEV_UNKNOWN: any), or a policy
 * rule failed whose finding was neither suppressed by an ignore rule nor
 * dropped below the options' min_severity (it still reads FAIL in the
 * report's policy list), else 0. */
VIGIL_EXTERN(int) vigil_audit_report_failed(const vigil_audit_report *r, vigil_severity min);

#ifdef __cplusplus
}
#endif
#endif
