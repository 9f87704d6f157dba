/* match/match_priv.h: what the files of the matcher share: the rows read
 * from the store, the per-scan state, version evaluation (eval.c) and the
 * details attached to findings (enrich.c). */
#ifndef VIGIL_MATCH_PRIV_H
#define VIGIL_MATCH_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store_vuln.h"
#include "util/arena.h"
#include "util/intern.h"
#include "util/map.h"
#include "vigil/match.h"

/* Named limits of one match. */
#define MATCH_MAX_FINDINGS   1000000 /* findings of one image */
#define MATCH_MAX_ROWS       4000000 /* affected rows read for one image */
#define MATCH_MAX_WARNINGS   256     /* warnings kept in the report */
#define MATCH_ARENA_CAP      ((size_t)1024 * 1024 * 1024)

/* An affected row, copied out of the store (strings interned). */
struct mrow {
	const char *feed, *id, *source, *package, *scheme, *fixed, *module, *arch, *vendor_severity;
	int64_t vuln;
	int is_source, state, severity;
	int rank;              /* the feed's authority in its namespace: lower decides */
};

/* The rows of one package name in the image's namespace. */
struct name_rows {
	const char *name;      /* interned */
	struct mrow *rows;
	size_t n;
};


struct vigil_match_internal {
	vigil_arena *arena;
	vigil_intern *strs;
	vigil_store *store;
	vigil_vuln_reader *reader;
	const vigil_match_options *opt;
	const char *ns;
	vigil_map names;       /* package name -> struct name_rows */
	vigil_map records;     /* "r<rowid>" -> vigil_vuln (decoded) */
	vigil_map details;     /* "d<rowid>" -> vigil_vuln (the detail row's fields only) */
	vigil_map nvd;         /* CVE id -> vigil_vuln, or &no_record */
	size_t rows_read;
	size_t alloc_findings;
	const char **warnings;
	size_t alloc_warnings;
};

/* What one package's evaluation shares (match.c, lang.c). */
struct verdict {
	bool match;
	const struct mrow *r;  /* the row that decided */
	bool by_source;
	vigil_vuln_state state;
	const char *fixed, *range;
};

struct pkgctx {
	struct vigil_match_internal *m;
	vigil_vuln_report *rep;
	size_t index;
	const vigil_package *p;
	const char *src_version;      /* with the binary's epoch for rpm */
	const struct mrow ***frows;   /* the deciding row of each finding */
	size_t *alloc_frows;
};

/* ---- match.c ---- */
/* The rows of (ns, name), read once per scan. */
int match_rows_of(struct vigil_match_internal *m, const char *ns, const char *name, struct name_rows **out);
/* Appends the finding of verdict v for pc's package. */
int match_add_finding(struct pkgctx *pc, const struct verdict *v);
/* Matches every package of rep->index; (*frows)[i] is the row that decided
 * finding i (malloc'd array, *alloc_frows its capacity). */
int match_packages(struct vigil_match_internal *m, vigil_vuln_report *rep, const struct mrow ***frows,
		   size_t *alloc_frows);

/* ---- fallback.c ---- */
/* An almalinux:<major> or rocky:<major> image whose namespace has no data
 * but whose rhel:<major> has: m->ns and r->namespace become rhel:<major>,
 * with a warning. */
int match_rebuild_fallback(struct vigil_match_internal *m, vigil_vuln_report *r);

/* ---- lang.c ---- */
/* Matches one language package against the records of its ecosystem. */
int match_lang_package(struct pkgctx *pc);
/* Appends the namespaces of the image's language ecosystems ("osv:PyPI")
 * to ns[*n] (at most cap in all), for the data checks. */
int match_lang_namespaces(struct vigil_match_internal *m, const vigil_vuln_report *r, const char **ns,
			  size_t *n, size_t cap);

/* ---- eval.c ---- */
/* The feed's authority for a namespace (lower decides); docs/matching.md. */
int match_feed_rank(const char *feed);
/* The comparator of a scheme (NULL: the package type's). */
typedef int (*match_cmp_fn)(const char *a, size_t alen, const char *b, size_t blen);
match_cmp_fn match_comparator(const char *scheme, vigil_pkg_type type);
/* True when the row's architecture and module allow the package. */
bool match_arch_ok(const char *row_arch, const char *pkg_arch);
bool match_module_ok(const char *row_module, const char *pkg_module);
/* ---- flavor.c ---- */
/* False when an Oracle Linux ("ol:") entry's fixed version and the
 * package's version are of different flavors (ksplice, _fips, normal). */
bool match_flavor_ok(const char *ns, const char *fixed, const char *version);
/* The OSV ranges of an affected entry against version v; *desc gets a
 * human form of the range that matched (arena), *fixed the lowest fixed
 * event above v (NULL when none). No usable range: every version. */
bool match_ranges(vigil_arena *a, const vigil_affected *af, match_cmp_fn cmp, const char *v,
		  const char **desc, const char **fixed);
/* "CVE-2021-3711" for "CVE-2021-3711", "UBUNTU-CVE-2021-3711"; NULL otherwise. */
const char *match_cve_key(vigil_intern *strs, const char *id);

/* ---- enrich.c ---- */
/* The decoded record of rowid vuln (cached for the scan). */
int match_record(struct vigil_match_internal *m, int64_t vuln, const vigil_vuln **out);
/* The affected entry of v for (namespace, package, is_source), NULL when none. */
const vigil_affected *match_affected_entry(const vigil_vuln *v, const char *ns, const char *package,
					   int is_source);
/* Fills description, links, severity, CVSS (NVD's when the record has none). */
int match_enrich(struct vigil_match_internal *m, vigil_finding *f, const struct mrow *r);

/* Adds a warning to the report (and says it through opt->warn). */
int match_warn(struct vigil_match_internal *m, vigil_vuln_report *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
