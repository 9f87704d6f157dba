/* match/vex.c: a set of VEX documents (vigil/match.h: vigil_vex_*) and
 * the lookup the filter asks (match_vex_lookup, filter_priv.h).
 *
 * Design: each document is parsed whole by jansson (capped at
 * VIGIL_VEX_MAX_FILE) and its format told by its shape (OpenVEX's
 * "@context", CycloneDX's "bomFormat", CSAF's "document"); the reader
 * (vex_openvex.c, vex_cdx.c, vex_csaf.c) adds flat statements: ids (the
 * vulnerability and its aliases), products (purl parts, or the whole
 * image), one status. Every string lives in the set's arena.
 *
 * Lookup (docs/scan.md "VEX"): a statement is about a finding when one of
 * its ids equals (case-insensitively) the finding's id, an alias or a
 * folded advisory, and one of its products is the finding's package: same
 * purl type and name (the language types as vigil names packages: Maven
 * "group:artifact", npm "@scope/name", Go and Composer "namespace/name";
 * PyPI names as PEP 503 normalises them), the same version when the
 * statement gives one (an epoch qualifier joins the version as "E:V"; an
 * rpm statement without epoch ignores the package's), and arch/distro
 * only when both sides say them. An OS purl's namespace is not compared
 * (an image has one distribution). Of the statements about one finding,
 * the newest (timestamp, then reading order: later documents win) decides;
 * only "not_affected" and "fixed" suppress. Linear in the statements:
 * VEX documents are small next to the findings they filter. */
#include "match/filter_priv.h"
#include "match/vex_priv.h"
#include "util/error.h"
#include "util/file.h"
#include "util/grow.h"
#include "util/json.h"
#include "vigil/purl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct vigil_vex {
	vigil_arena *arena;
	vex_stmt *stmts;
	size_t n, alloc;
};

int vigil_vex_new(vigil_vex **out)
{
	vigil_vex *v = calloc(1, sizeof(*v));
	*out = NULL;
	if (!v || !(v->arena = vigil_arena_new(0))) {
		free(v);
		return vigil_error_oom();
	}
	*out = v;
	return 0;
}

void vigil_vex_free(vigil_vex *v)
{
	if (!v)
		return;
	free(v->stmts);
	vigil_arena_free(v->arena);
	free(v);
}

const char *vex_str(vex_doc *d, vigil_slice s)
{
	char *p = vigil_arena_strndup(d->set->arena, s.ptr ? s.ptr : "", s.len);
	if (!p)
		vigil_error_or_oom();
	return p;
}

const char *vex_cstr(vex_doc *d, const char *s)
{
	return s ? vex_str(d, vigil_slice_cstr(s)) : NULL;
}

static const char *join3(vex_doc *d, const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *p = vigil_arena_alloc(d->set->arena, la + ls + lb + 1);
	if (!p)
		return NULL;
	memcpy(p, a, la);
	memcpy(p + la, sep, ls);
	memcpy(p + la + ls, b, lb + 1);
	return p;
}

/* The package name vigil gives a purl of this type (see sbom/sbom.c). */
static const char *full_name(vex_doc *d, const vigil_purl *u)
{
	const char *ns = u->namespace;
	if (!ns)
		return vex_cstr(d, u->name);
	if (!strcmp(u->type, "maven"))
		return join3(d, ns, ":", u->name);
	if (!strcmp(u->type, "npm") && ns[0] != '@') {
		const char *scope = join3(d, "@", "", ns);
		return scope ? join3(d, scope, "/", u->name) : NULL;
	}
	if (!strcmp(u->type, "npm") || !strcmp(u->type, "golang") || !strcmp(u->type, "composer"))
		return join3(d, ns, "/", u->name);
	return vex_cstr(d, u->name);
}

int vex_product_of(vex_doc *d, vigil_slice id, vex_product *out)
{
	vigil_purl *u = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!vigil_slice_starts_with(id, "pkg:")) {
		out->any = 1; /* an image reference: the image being scanned */
		return 0;
	}
	if ((rc = vigil_purl_parse(id.ptr, id.len, &u)) < 0)
		return rc;
	if (!strcmp(u->type, "oci") || !strcmp(u->type, "docker")) {
		out->any = 1;
		goto out;
	}
	const char *epoch = vigil_purl_qualifier(u, "epoch");
	out->type = vex_cstr(d, u->type);
	out->name = full_name(d, u);
	out->namespace = vex_cstr(d, u->namespace);
	if (u->version)
		out->version = epoch && strcmp(epoch, "0") && !strchr(u->version, ':') ? join3(d, epoch, ":", u->version)
										: vex_cstr(d, u->version);
	out->arch = vex_cstr(d, vigil_purl_qualifier(u, "arch"));
	out->distro = vex_cstr(d, vigil_purl_qualifier(u, "distro"));
	if (!out->type || !out->name || (u->version && !out->version) ||
	    (vigil_purl_qualifier(u, "arch") && !out->arch) || (vigil_purl_qualifier(u, "distro") && !out->distro))
		rc = vigil_error_or_oom();
out:
	vigil_purl_free(u);
	return rc;
}

int vex_stmt_add(vex_doc *d, const vex_stmt *st, const char *where)
{
	vigil_vex *v = d->set;
	int rc;

	if (st->nproducts == 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s: names no product", where);
	if (st->nids == 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s: names no vulnerability", where);
	if ((rc = vigil_grow((void **)&v->stmts, &v->alloc, v->n, sizeof(*v->stmts), 64, VIGIL_VEX_MAX_STATEMENTS)) < 0) {
		vigil_error_prefix("%s: ", where);
		return rc;
	}
	vex_stmt s = *st;
	s.ids = vigil_arena_alloc(v->arena, st->nids * sizeof(*s.ids));
	s.products = vigil_arena_alloc(v->arena, st->nproducts * sizeof(*s.products));
	s.by = join3(d, d->name, ": ", where);
	if (!s.ids || !s.products || !s.by)
		return vigil_error_or_oom();
	memcpy(s.ids, st->ids, st->nids * sizeof(*s.ids));
	memcpy(s.products, st->products, st->nproducts * sizeof(*s.products));
	s.seq = v->n;
	v->stmts[v->n++] = s;
	return 0;
}

static int digits(const char *p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

int64_t vex_time(vigil_slice s)
{
	char b[64];
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	size_t i = 19;
	if (s.len < 19 || s.len >= sizeof(b))
		return 0;
	memcpy(b, s.ptr, s.len);
	b[s.len] = '\0';
	if (digits(b, 4, &y) || b[4] != '-' || digits(b + 5, 2, &mo) || b[7] != '-' || digits(b + 8, 2, &d) ||
	    (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || digits(b + 11, 2, &h) || b[13] != ':' ||
	    digits(b + 14, 2, &mi) || b[16] != ':' || digits(b + 17, 2, &sec))
		return 0;
	if (b[i] == '.')
		for (i++; b[i] >= '0' && b[i] <= '9'; i++)
			;
	int sign = b[i] == '-' ? -1 : 1;
	if ((b[i] == '+' || b[i] == '-') && i + 6 == s.len && !digits(b + i + 1, 2, &oh) && b[i + 3] == ':' &&
	    !digits(b + i + 4, 2, &om))
		;
	else if (!((b[i] == 'Z' || b[i] == 'z') && i + 1 == s.len) && i != s.len)
		return 0;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec };
	return (int64_t)timegm(&tm) - sign * (int64_t)(oh * 3600 + om * 60);
}

/* ---- lookup ---- */

static const char *purl_type_of(vigil_pkg_type t)
{
	switch (t) {
	case VIGIL_PKG_DPKG:
		return "deb";
	case VIGIL_PKG_APK:
		return "apk";
	case VIGIL_PKG_RPM:
		return "rpm";
	default:
		return vigil_pkg_type_name(t);
	}
}

/* PEP 503: case-insensitive, runs of "-", "_", "." are one. */
static int pypi_eq(const char *a, const char *b)
{
	for (;;) {
		int sa = 0, sb = 0;
		while (*a == '-' || *a == '_' || *a == '.')
			a++, sa = 1;
		while (*b == '-' || *b == '_' || *b == '.')
			b++, sb = 1;
		if (sa != sb)
			return 0;
		if (!*a || !*b)
			return !*a && !*b;
		char ca = (char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a), cb = (char)(*b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
		if (ca != cb)
			return 0;
		a++, b++;
	}
}

/* distro "alpine-3.4.6" (or Trivy's "3.4.6") against the finding's namespace "alpine:3.4". */
static int distro_ok(const char *distro, const char *ns)
{
	if (!distro || !ns || !strchr(ns, ':'))
		return 1;
	const char *colon = strchr(ns, ':'), *ver = distro;
	size_t idlen = (size_t)(colon - ns);
	if (!(distro[0] >= '0' && distro[0] <= '9')) {
		const char *dash = strrchr(distro, '-');
		if (!dash)
			return 1;
		int rhel = idlen == 4 && !strncmp(ns, "rhel", 4) && !strncmp(distro, "redhat-", 7);
		if (!rhel && ((size_t)(dash - distro) != idlen || strncmp(distro, ns, idlen)))
			return 0;
		ver = dash + 1;
	}
	size_t vl = strlen(colon + 1);
	return !strncmp(ver, colon + 1, vl) && (ver[vl] == '\0' || ver[vl] == '.');
}

static int version_ok(const vex_product *pr, const vigil_package *p)
{
	if (!pr->version)
		return 1;
	if (!p->version)
		return 0;
	if (!strcmp(pr->version, p->version))
		return 1;
	const char *colon = strchr(p->version, ':');
	return p->type == VIGIL_PKG_RPM && colon && !strchr(pr->version, ':') && !strcmp(pr->version, colon + 1);
}

static int product_ok(const vex_product *pr, const vigil_finding *f)
{
	const vigil_package *p = f->package;
	if (pr->any)
		return 1;
	if (!p || !p->name || strcmp(pr->type, purl_type_of(p->type)))
		return 0;
	int name = p->type == VIGIL_PKG_PYPI ? pypi_eq(pr->name, p->name)
		   : p->type == VIGIL_PKG_NUGET ? !strcasecmp(pr->name, p->name)
						  : !strcmp(pr->name, p->name);
	if (!name || !version_ok(pr, p))
		return 0;
	if (pr->arch && p->arch && strcmp(pr->arch, p->arch))
		return 0;
	return vigil_pkg_type_is_lang(p->type) || distro_ok(pr->distro, f->namespace);
}

static int id_ok(const vex_stmt *s, const vigil_finding *f)
{
	for (size_t i = 0; i < s->nids; i++) {
		if (f->id && !strcasecmp(s->ids[i], f->id))
			return 1;
		for (size_t j = 0; j < f->naliases; j++)
			if (!strcasecmp(s->ids[i], f->aliases[j]))
				return 1;
		for (size_t j = 0; j < f->nadvisories; j++)
			if (!strcasecmp(s->ids[i], f->advisories[j]))
				return 1;
	}
	return 0;
}

int match_vex_lookup(const struct vigil_vex *v, const struct vigil_finding *f, const char **status,
		     const char **justification, const char **by)
{
	const vex_stmt *best = NULL;
	for (size_t i = 0; v && i < v->n; i++) {
		const vex_stmt *s = &v->stmts[i];
		if (!id_ok(s, f))
			continue;
		size_t k = 0;
		while (k < s->nproducts && !product_ok(&s->products[k], f))
			k++;
		if (k == s->nproducts)
			continue;
		if (!best || s->ts > best->ts || (s->ts == best->ts && s->seq > best->seq))
			best = s;
	}
	if (!best || (strcmp(best->status, VEX_NOT_AFFECTED) && strcmp(best->status, VEX_FIXED)))
		return 0;
	*status = best->status;
	*justification = best->justification;
	*by = best->by;
	return 1;
}

/* ---- documents ---- */

int vigil_vex_parse(vigil_vex *v, const char *text, size_t len, const char *name)
{
	vex_doc d = { .set = v, .name = name ? name : "vex" };
	size_t before = v ? v->n : 0;
	json_error_t je;
	json_t *doc = NULL;
	int rc;

	if (!v)
		return vigil_error_set(VIGIL_EINVAL, "vex: no set");
	if (!(d.name = vex_cstr(&d, d.name)))
		return vigil_error_or_oom();
	if (len > VIGIL_VEX_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes (limit %d)", name, len, VIGIL_VEX_MAX_FILE);
	if (!(doc = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &je))) {
		char msg[160];
		return vigil_error_set(VIGIL_EFORMAT, "%s: not JSON (line %d column %d: %s)", d.name, je.line, je.column,
				       vigil_json_error_text(&je, msg, sizeof(msg)));
	}
	if (!json_is_object(doc))
		rc = vigil_error_set(VIGIL_EFORMAT, "not a VEX document (not a JSON object)");
	else if (json_object_get(doc, "@context") && json_object_get(doc, "statements"))
		rc = vex_openvex_read(&d, doc);
	else if (json_object_get(doc, "bomFormat"))
		rc = vex_cdx_read(&d, doc);
	else if (json_is_object(json_object_get(doc, "document")))
		rc = vex_csaf_read(&d, doc);
	else
		rc = vigil_error_set(VIGIL_EFORMAT, "not a VEX document: neither OpenVEX (@context, statements), "
						    "CycloneDX (bomFormat) nor CSAF (document)");
	if (rc == 0 && v->n == before)
		rc = vigil_error_set(VIGIL_EFORMAT, "no statement");
	if (rc < 0) {
		v->n = before; /* the set stays as it was */
		vigil_error_prefix("%s: ", d.name);
	}
	json_decref(doc);
	return rc;
}

int vigil_vex_load(vigil_vex *v, const char *path)
{
	char *buf = NULL;
	size_t len;
	int rc;

	if (!path || !*path)
		return vigil_error_set(VIGIL_EINVAL, "vex: no file");
	if ((rc = vigil_file_read(path, VIGIL_VEX_MAX_FILE, &buf, &len)) == 0)
		rc = vigil_vex_parse(v, buf, len, path);
	free(buf);
	return rc;
}
