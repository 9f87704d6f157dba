/* feed/ubuntu_vex.c: Ubuntu's OpenVEX documents (one per CVE, as Canonical
 * publishes them in ubuntu-security-notices/vex/cve/YYYY/CVE-*.json).
 *
 * Each statement gives a status for a list of products named by purl:
 *   pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.24?arch=source&distro=jammy
 * Only the source purls (arch=source) are read: a record per source package
 * and release, matching every binary built from it, as the other Ubuntu
 * feeds do. status fixed -> FIXED in the purl's version; affected and
 * under_investigation -> NOT_FIXED; not_affected -> NOT_AFFECTED. ESM
 * releases ("esm-infra/xenial", "esm-apps/jammy", "esm-infra-legacy/trusty")
 * map to the release's namespace, but a statement for the plain release
 * wins: a container image is built from the plain archive, not from ESM. */
#include "feed/feed.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VEX_MAX_STATEMENTS 100000
#define VEX_MAX_PRODUCTS 100000
#define VEX_MAX_PURL 4096

struct entry {
	vigil_affected a;
	int esm;
};

/* Percent-decodes src[0..n) into out (at least n + 1 bytes). */
static void pct_decode(const char *src, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned hi, lo;
		if (src[i] == '%' && i + 2 < n) {
			char h = src[i + 1], l = src[i + 2];
			hi = (unsigned)(h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 99);
			lo = (unsigned)(l >= '0' && l <= '9' ? l - '0' : l >= 'a' && l <= 'f' ? l - 'a' + 10 : l >= 'A' && l <= 'F' ? l - 'A' + 10 : 99);
			if (hi < 16 && lo < 16) {
				out[o++] = (char)(hi * 16 + lo);
				i += 2;
				continue;
			}
		}
		out[o++] = src[i];
	}
	out[o] = '\0';
}

/* The value of qualifier key in the purl's query ("" when absent). */
static void qualifier(const char *q, const char *key, char *out, size_t outn)
{
	size_t kl = strlen(key);
	out[0] = '\0';
	for (const char *p = q; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t vl = len - kl - 1;
			if (vl >= outn)
				vl = outn - 1;
			pct_decode(p + kl + 1, vl, out);
			return;
		}
		p = amp ? amp + 1 : NULL;
	}
}

/* Splits a source purl; false when it is not pkg:deb/ubuntu/NAME@VERSION?...arch=source. */
static bool parse_purl(const char *purl, char *name, char *version, char *distro)
{
	static const char prefix[] = "pkg:deb/ubuntu/";
	char arch[64];
	size_t n = strlen(purl);
	if (n > VEX_MAX_PURL || strncmp(purl, prefix, sizeof(prefix) - 1) != 0)
		return false;
	const char *p = purl + sizeof(prefix) - 1, *at = strchr(p, '@'), *q = strchr(p, '?');
	if (!at || !q || at > q || at == p || q == at + 1)
		return false;
	qualifier(q + 1, "arch", arch, sizeof(arch));
	if (strcmp(arch, "source") != 0)
		return false;
	pct_decode(p, (size_t)(at - p), name);
	pct_decode(at + 1, (size_t)(q - at - 1), version);
	qualifier(q + 1, "distro", distro, 256);
	return distro[0] != '\0';
}

static vigil_vuln_state state_of(const char *status, bool *known)
{
	*known = true;
	if (!strcmp(status, "fixed"))
		return VIGIL_STATE_FIXED;
	if (!strcmp(status, "not_affected"))
		return VIGIL_STATE_NOT_AFFECTED;
	if (!strcmp(status, "affected") || !strcmp(status, "under_investigation"))
		return VIGIL_STATE_NOT_FIXED;
	*known = false;
	return VIGIL_STATE_AFFECTED;
}

static int add_entry(vigil_feed_ctx *ctx, struct entry **es, size_t *n, size_t *cap, const char *purl,
		     vigil_vuln_state st)
{
	char name[VEX_MAX_PURL + 1], version[VEX_MAX_PURL + 1], distro[256];
	if (!parse_purl(purl, name, version, distro))
		return 0; /* a binary purl, or not Ubuntu's */
	const char *slash = strrchr(distro, '/');
	const char *codename = slash ? slash + 1 : distro;
	const char *ver = feed_ubuntu_release_version(codename);
	if (!ver) {
		feed_warn(ctx, "release %s of %s: not a release vigil maps to a namespace: skipped", distro, name);
		return 0;
	}
	char ns[64];
	snprintf(ns, sizeof(ns), "ubuntu:%s", ver);
	int esm = strncmp(distro, "esm", 3) == 0;
	for (size_t i = 0; i < *n; i++) {
		struct entry *e = &(*es)[i];
		if (strcmp(e->a.namespace, ns) != 0 || strcmp(e->a.package, name) != 0)
			continue;
		if (e->esm && !esm) { /* the plain release wins over ESM */
			e->esm = 0;
			e->a.state = st;
			e->a.fixed = st == VIGIL_STATE_FIXED ? feed_cstr(ctx, version) : NULL;
		}
		return 0;
	}
	if (*n >= VIGIL_FEED_MAX_AFFECTED)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d affected packages", VIGIL_FEED_MAX_AFFECTED);
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct entry *ne = realloc(*es, nc * sizeof(*ne));
		if (!ne)
			return vigil_error_oom();
		*es = ne;
		*cap = nc;
	}
	struct entry *e = &(*es)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->esm = esm;
	e->a.namespace = feed_cstr(ctx, ns);
	e->a.package = feed_cstr(ctx, name);
	e->a.is_source = 1;
	e->a.scheme = "dpkg";
	e->a.state = st;
	e->a.fixed = st == VIGIL_STATE_FIXED ? feed_cstr(ctx, version) : NULL;
	if (!e->a.namespace || !e->a.package)
		return vigil_error_oom();
	return 0;
}

int feed_ubuntu_vex(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *doc = NULL;
	struct entry *es = NULL;
	size_t n = 0, cap = 0;
	const char *id = NULL;
	int rc = 0;

	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "OpenVEX document of %zu bytes (limit %zu)", len, VIGIL_FEED_MAX_FILE);
	doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return vigil_error_set(VIGIL_EFORMAT, "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
	json_t *stmts = json_object_get(doc, "statements");
	if (!json_is_object(doc) || !json_is_array(stmts)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "not an OpenVEX document (no statements array)");
		goto out;
	}
	if (json_array_size(stmts) > VEX_MAX_STATEMENTS) {
		rc = vigil_error_set(VIGIL_ELIMIT, "more than %d statements", VEX_MAX_STATEMENTS);
		goto out;
	}
	vigil_vuln v = { .source = "ubuntu", .cvss3_score = -1, .cvss2_score = -1 };
	const char *links[64];
	size_t nlinks = 0;
	for (size_t i = 0; i < json_array_size(stmts); i++) {
		json_t *st = json_array_get(stmts, i), *vul = json_object_get(st, "vulnerability");
		json_t *prods = json_object_get(st, "products");
		const char *status = json_string_value(json_object_get(st, "status"));
		const char *name = json_string_value(json_object_get(vul, "name"));
		bool known;
		if (!json_is_object(st) || !name || !status || !json_is_array(prods)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "statements[%zu]: no vulnerability name, status or products", i);
			goto out;
		}
		if (id && strcmp(id, name) != 0) {
			rc = vigil_error_set(VIGIL_EFORMAT, "statements[%zu]: %s in a document about %s", i, name, id);
			goto out;
		}
		if (!id) {
			id = name;
			v.id = feed_cstr(ctx, name);
			v.description = feed_cstr(ctx, json_string_value(json_object_get(vul, "description")));
			v.modified = feed_cstr(ctx, json_string_value(json_object_get(doc, "timestamp")));
			json_t *al = json_object_get(vul, "aliases");
			for (size_t k = 0; k < json_array_size(al) && nlinks < 64; k++) {
				const char *u = json_string_value(json_array_get(al, k));
				if (u && strncmp(u, "http", 4) == 0)
					links[nlinks++] = feed_cstr(ctx, u);
			}
		}
		vigil_vuln_state state = state_of(status, &known);
		if (!known) {
			feed_warn(ctx, "statements[%zu]: unknown status %s: skipped", i, status);
			continue;
		}
		if (json_array_size(prods) > VEX_MAX_PRODUCTS) {
			rc = vigil_error_set(VIGIL_ELIMIT, "statements[%zu]: more than %d products", i, VEX_MAX_PRODUCTS);
			goto out;
		}
		for (size_t k = 0; k < json_array_size(prods); k++) {
			const char *purl = json_string_value(json_object_get(json_array_get(prods, k), "@id"));
			if (!purl) {
				rc = vigil_error_set(VIGIL_EFORMAT, "statements[%zu].products[%zu]: no @id", i, k);
				goto out;
			}
			if ((rc = add_entry(ctx, &es, &n, &cap, purl, state)) < 0)
				goto out;
		}
	}
	if (!v.id)
		goto out; /* no statements: nothing to say */
	vigil_affected *aff = vigil_arena_calloc(ctx->arena, n ? n : 1, sizeof(*aff));
	const char **lk = vigil_arena_calloc(ctx->arena, nlinks ? nlinks : 1, sizeof(*lk));
	if (!aff || !lk) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		aff[i] = es[i].a;
	memcpy(lk, links, nlinks * sizeof(*lk));
	v.affected = aff;
	v.naffected = n;
	v.links = lk;
	v.nlinks = nlinks;
	rc = ctx->emit(ctx->emit_ud, &v);
out:
	free(es);
	json_decref(doc);
	return rc;
}
