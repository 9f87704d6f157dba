/* feed/feed.h: the parsers of vulnerability feeds, one per upstream format,
 * and what they share.
 *
 * A parser reads the bytes of one feed file (a whole JSON document, one
 * Ubuntu CVE tracker file, one OVAL stream...) and calls ctx->emit once per
 * vulnerability, with its affected packages attached. The records and their
 * strings live in ctx->arena, which the caller may reset between files (a
 * parser must not keep pointers across calls). A parser never fetches: the
 * fetch layer and the importer hand it bytes.
 *
 * Errors: a parser returns 0 or a negative VIGIL_E* code, with a message that
 * names the position (line, JSON path, XML element) and field; the caller
 * puts the URL or file in front. A record it cannot use but that does not
 * make the file bad (an unknown release, a malformed version in one entry)
 * is skipped with feed_warn(). Every parser has named limits
 * (VIGIL_FEED_MAX_*, or its own) and fails with VIGIL_ELIMIT past them.
 * An emit callback returning < 0 stops the parse with that code. */
#ifndef VIGIL_FEED_FEED_H
#define VIGIL_FEED_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/arena.h"
#include "util/intern.h"
#include "vigil/vuln.h"

/* Largest feed file accepted in memory (the Debian tracker JSON is ~70 MB). */
#define VIGIL_FEED_MAX_FILE ((size_t)1024 * 1024 * 1024)
/* Affected entries of one vulnerability. */
#define VIGIL_FEED_MAX_AFFECTED 100000
/* Aliases or links of one vulnerability. */
#define VIGIL_FEED_MAX_REFS 10000
/* Length of one string field (descriptions included). */
#define VIGIL_FEED_MAX_STRING ((size_t)1024 * 1024)

typedef struct vigil_feed_ctx vigil_feed_ctx;
typedef int (*vigil_feed_emit_fn)(void *ud, const vigil_vuln *v);

struct vigil_feed_ctx {
	vigil_arena *arena;     /* records and strings */
	vigil_intern *strings;  /* optional: NULL = copy strings into the arena */
	const char *file;       /* file name or URL, for messages */
	vigil_feed_emit_fn emit;
	void *emit_ud;
	void (*warn)(void *ud, const char *msg); /* may be NULL */
	void *warn_ud;
	uint64_t warnings;      /* count of warnings given */
};

void feed_warn(vigil_feed_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A copy of p[0..n) in the ctx (interned when ctx->strings is set). */
const char *feed_str(vigil_feed_ctx *ctx, const char *p, size_t n);
const char *feed_cstr(vigil_feed_ctx *ctx, const char *s);
/* An optional string member of o (util/json.h: path and key name it in a
 * message), copied into ctx; NULL when absent, null or "". At most
 * VIGIL_FEED_MAX_STRING bytes. */
int feed_json_str(vigil_feed_ctx *ctx, json_t *o, const char *path, const char *key, const char **out);

/* Severity words of each vendor -> the six levels (table and reasons in
 * docs/severity.md). Unknown words give VIGIL_SEV_UNKNOWN. */
vigil_severity feed_severity_debian(const char *urgency);   /* low, medium, high, unimportant, "not yet assigned", with or without "**" */
vigil_severity feed_severity_ubuntu(const char *priority);  /* negligible, low, medium, high, critical, untriaged */
vigil_severity feed_severity_redhat(const char *impact);    /* Low, Moderate, Important, Critical */
vigil_severity feed_severity_cvss_word(const char *word);   /* NONE, LOW, MEDIUM, HIGH, CRITICAL (NVD baseSeverity, OSV) */

/* Release codename -> version for Debian and Ubuntu ("bookworm" -> "12",
 * "bionic" -> "18.04"); NULL when unknown. */
const char *feed_debian_release_version(const char *codename);
const char *feed_ubuntu_release_version(const char *codename);

/* ---- the parsers (one file each in src/feed/) ---- */
/* Debian security tracker JSON (security-tracker.debian.org/tracker/data/json). */
int feed_debian_json(vigil_feed_ctx *ctx, const char *data, size_t len);
/* Debian tracker text lists: data/DSA/list, data/DLA/list (advisories -> CVEs
 * and fixed versions per release) and data/CVE/list. */
int feed_debian_list(vigil_feed_ctx *ctx, const char *data, size_t len);
/* One Ubuntu CVE tracker file (active/CVE-*). */
int feed_ubuntu_uct(vigil_feed_ctx *ctx, const char *data, size_t len);
/* One Ubuntu OpenVEX document (vex/cve/YYYY/CVE-*.json). */
int feed_ubuntu_vex(vigil_feed_ctx *ctx, const char *data, size_t len);
/* One Ubuntu OVAL document (com.ubuntu.<codename>.cve.oval.xml or
 * .usn.oval.xml, already decompressed). */
int feed_ubuntu_oval(vigil_feed_ctx *ctx, const char *data, size_t len);
/* Alpine secdb: JSON, or the YAML variant. */
int feed_alpine_json(vigil_feed_ctx *ctx, const char *data, size_t len);
int feed_alpine_yaml(vigil_feed_ctx *ctx, const char *data, size_t len);
/* One OSV document (any ecosystem: Go, PyPI, npm, Maven, crates.io, Debian,
 * Alpine, Ubuntu), or a JSON array of them. */
int feed_osv(vigil_feed_ctx *ctx, const char *data, size_t len);
/* The same documents written as YAML (pypa/advisory-database vulns/). */
int feed_osv_yaml(vigil_feed_ctx *ctx, const char *data, size_t len);
/* RubySec (rubysec/ruby-advisory-db gems/<gem>/<id>.yml): feed/rubysec.c. */
int feed_rubysec(vigil_feed_ctx *ctx, const char *data, size_t len);
/* FriendsOfPHP security-advisories (<vendor>/<name>/<id>.yaml): feed/friendsofphp.c. */
int feed_friendsofphp(vigil_feed_ctx *ctx, const char *data, size_t len);
/* Node.js security WG (vuln/npm/<n>.json): feed/npm_wg.c. */
int feed_npm_wg(vigil_feed_ctx *ctx, const char *data, size_t len);
/* An NVD CVE API 2.0 response page: CVSS for enrichment by CVE id. */
int feed_nvd(vigil_feed_ctx *ctx, const char *data, size_t len);
/* Red Hat: an OVAL v2 stream (XML, already decompressed), a CSAF 2.0
 * advisory or VEX document, a Security Data API CVE JSON. */
int feed_redhat_oval(vigil_feed_ctx *ctx, const char *data, size_t len);
int feed_redhat_csaf(vigil_feed_ctx *ctx, const char *data, size_t len);
int feed_redhat_cve_json(vigil_feed_ctx *ctx, const char *data, size_t len);

#endif
