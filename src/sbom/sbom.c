/* sbom/sbom.c: the core of the SBOM reader (vigil/sbom.h): loading,
 * telling CycloneDX from SPDX, and turning one purl into the vigil_package
 * vigil's own scanners would have written for it.
 *
 * Design: the document is parsed whole by jansson (capped at
 * VIGIL_SBOM_MAX_FILE), the format readers walk it and call
 * sbom_add_purl() per component; every string lands in one arena owned
 * by the vigil_sbom, the packages in one array grown to at most
 * VIGIL_SBOM_MAX_COMPONENTS. Names follow vigil's scanners: Maven
 * "group:artifact", npm "@scope/name", Go and Composer "namespace/name";
 * OS versions "[epoch:]version" (the epoch qualifier put back in front,
 * as dpkg and vigil's rpm scanner write it); the source package from the
 * upstream qualifier ("name", "name@version", or an rpm's
 * "name-version-release.src.rpm") unless the tool's own properties say
 * it (hints). */
#include "sbom/sbom_priv.h"
#include "util/error.h"
#include "util/file.h"
#include "util/grow.h"
#include "util/json.h"
#include "vigil/digest.h"
#include "vigil/purl.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sbom_str(vigil_sbom *s, vigil_slice v)
{
	char *p = vigil_arena_strndup(s->internal->arena, v.ptr ? v.ptr : "", v.len);
	if (!p)
		vigil_error_or_oom();
	return p;
}

static const char *cstr(vigil_sbom *s, const char *v)
{
	return v ? sbom_str(s, vigil_slice_cstr(v)) : NULL;
}

/* a ":" b, a "/" b, ... in the arena */
static const char *join(vigil_sbom *s, const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *p = vigil_arena_alloc(s->internal->arena, la + ls + lb + 1);
	if (!p) {
		vigil_error_or_oom();
		return NULL;
	}
	memcpy(p, a, la);
	memcpy(p + la, sep, ls);
	memcpy(p + la + ls, b, lb + 1);
	return p;
}

int sbom_count(vigil_sbom *s, const char *field)
{
	if (++s->internal->seen > VIGIL_SBOM_MAX_COMPONENTS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d components", field, VIGIL_SBOM_MAX_COMPONENTS);
	return 0;
}

/* The distribution ID of an SBOM's OS name ("redhat" is rhel, as syft and
 * Trivy name it in purls), lower-cased. */
static const char *os_id(vigil_sbom *s, vigil_slice id)
{
	char buf[64];
	if (id.len == 0 || id.len >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < id.len; i++) {
		char c = id.ptr[i];
		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[id.len] = '\0';
	if (!strcmp(buf, "redhat") || !strcmp(buf, "red hat enterprise linux"))
		return "rhel";
	return sbom_str(s, vigil_slice_make(buf, id.len));
}

static int fill_dist(vigil_sbom *s, vigil_distribution *d, vigil_slice id, vigil_slice version, vigil_slice pretty)
{
	memset(d, 0, sizeof(*d));
	if (!(d->did = os_id(s, id)) && id.len)
		return vigil_error_or_oom();
	if (version.len && !(d->version_id = d->version = sbom_str(s, version)))
		return -1;
	if (pretty.len && !(d->pretty_name = sbom_str(s, pretty)))
		return -1;
	d->name = d->did;
	return 0;
}

int sbom_set_os(vigil_sbom *s, vigil_slice id, vigil_slice version, vigil_slice pretty)
{
	struct vigil_sbom_internal *in = s->internal;
	if (in->has_os || id.len == 0)
		return 0;
	in->has_os = 1;
	return fill_dist(s, &in->os, id, version, pretty);
}

int sbom_os_property(vigil_sbom *s, vigil_slice name, vigil_slice value)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
		{ "vigil:distro:name", offsetof(vigil_distribution, name) },
		{ "vigil:distro:version", offsetof(vigil_distribution, version) },
		{ "vigil:distro:version_code_name", offsetof(vigil_distribution, version_code_name) },
		{ "vigil:distro:id_like", offsetof(vigil_distribution, id_like) },
		{ "vigil:distro:cpe", offsetof(vigil_distribution, cpe) },
	};
	if (!s->internal->has_os || !value.len)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!vigil_slice_eq_cstr(name, map[i].name))
			continue;
		const char **slot = (const char **)((char *)&s->internal->os + map[i].off);
		return (*slot = sbom_str(s, value)) ? 0 : -1;
	}
	return 0;
}

/* distro= of an OS purl: "debian-12", "alpine-3.10.4", "rhel-8.6", or
 * Trivy's bare "3.10.4" (the purl's namespace is the ID then). */
static int purl_distro(vigil_sbom *s, const vigil_purl *u)
{
	struct vigil_sbom_internal *in = s->internal;
	const char *q = vigil_purl_qualifier(u, "distro");
	if (in->has_purl_os || !q || !*q)
		return 0;
	vigil_slice all = vigil_slice_cstr(q), id = vigil_slice_cstr(u->namespace ? u->namespace : ""), ver = all;
	if (!(q[0] >= '0' && q[0] <= '9')) {
		ptrdiff_t dash = -1;
		for (size_t i = 0; i + 1 < all.len; i++)
			if (all.ptr[i] == '-' && all.ptr[i + 1] >= '0' && all.ptr[i + 1] <= '9') {
				dash = (ptrdiff_t)i;
				break;
			}
		id = dash > 0 ? vigil_slice_sub(all, 0, (size_t)dash) : all;
		ver = dash > 0 ? vigil_slice_sub(all, (size_t)dash + 1, all.len - (size_t)dash - 1) : vigil_slice_cstr("");
	}
	in->has_purl_os = 1;
	return fill_dist(s, &in->from_purl, id, ver, vigil_slice_cstr(""));
}

/* "util-linux-2.32.1-42.el8_8.src.rpm" -> name, "V-R" (as scanner/rpm_header.c). */
static int rpm_source(vigil_sbom *s, const char *srpm, vigil_package *p)
{
	vigil_slice v = vigil_slice_cstr(srpm);
	if (vigil_slice_ends_with(v, ".src.rpm"))
		v.len -= strlen(".src.rpm");
	else if (vigil_slice_ends_with(v, ".nosrc.rpm"))
		v.len -= strlen(".nosrc.rpm");
	else
		return 0;
	ptrdiff_t rel = vigil_slice_rfind(v, '-');
	if (rel <= 0)
		return 0;
	ptrdiff_t ver = vigil_slice_rfind(vigil_slice_sub(v, 0, (size_t)rel), '-');
	if (ver <= 0 || ver + 1 == rel || (size_t)rel + 1 == v.len)
		return 0;
	if (!(p->source_rpm = cstr(s, srpm)) ||
	    !(p->source_name = sbom_str(s, vigil_slice_sub(v, 0, (size_t)ver))) ||
	    !(p->source_version = sbom_str(s, vigil_slice_sub(v, (size_t)ver + 1, v.len - (size_t)ver - 1))))
		return -1;
	return 0;
}

/* "[epoch:]version" when the epoch is a qualifier (rpm, Trivy's deb). */
static const char *with_epoch(vigil_sbom *s, const char *epoch, const char *v)
{
	if (!epoch || !*epoch || !strcmp(epoch, "0") || strchr(v, ':'))
		return cstr(s, v);
	return join(s, epoch, ":", v);
}

/* The source package: Trivy's/syft's properties, else the upstream
 * qualifier ("name" or "name@version"), else the binary itself (dpkg, apk). */
static int os_source(vigil_sbom *s, const vigil_purl *u, const sbom_hints *h, vigil_package *p)
{
	const char *up = vigil_purl_qualifier(u, "upstream");
	if (p->type == VIGIL_PKG_RPM) {
		if (up && rpm_source(s, up, p) < 0)
			return -1;
		if (!p->source_name && h->src_name && h->src_version) {
			const char *v = h->src_release ? join(s, h->src_version, "-", h->src_release) : h->src_version;
			if (!v || !(p->source_name = cstr(s, h->src_name)) || !(p->source_version = cstr(s, v)))
				return -1;
		}
		return 0;
	}
	if (h->src_name) {
		const char *v = h->src_version;
		if (v && h->src_release && !(v = join(s, v, "-", h->src_release)))
			return -1;
		if (v && !(v = with_epoch(s, h->src_epoch, v)))
			return -1;
		p->source_name = cstr(s, h->src_name);
		p->source_version = v ? v : p->version;
		return p->source_name ? 0 : -1;
	}
	if (up && *up) {
		const char *at = strchr(up, '@');
		vigil_slice name = at ? vigil_slice_make(up, (size_t)(at - up)) : vigil_slice_cstr(up);
		if (!(p->source_name = sbom_str(s, name)))
			return -1;
		p->source_version = at ? cstr(s, at + 1) : p->version;
		return p->source_version ? 0 : -1;
	}
	p->source_name = p->name;
	p->source_version = p->version;
	return 0;
}

static int os_package(vigil_sbom *s, const vigil_purl *u, const sbom_hints *h, vigil_package *p)
{
	const char *epoch = vigil_purl_qualifier(u, "epoch");
	if (!(p->name = cstr(s, u->name)) || !(p->version = with_epoch(s, epoch, u->version)))
		return -1;
	if (vigil_purl_qualifier(u, "arch") && !(p->arch = cstr(s, vigil_purl_qualifier(u, "arch"))))
		return -1;
	if (p->type == VIGIL_PKG_RPM) {
		const char *v = strchr(u->version, '-');
		if (epoch && strcmp(epoch, "0") && !(p->epoch = cstr(s, epoch)))
			return -1;
		if (v && (!(p->upstream_version = sbom_str(s, vigil_slice_make(u->version, (size_t)(v - u->version)))) ||
			  !(p->release = cstr(s, v + 1))))
			return -1;
	}
	if (os_source(s, u, h, p) < 0)
		return -1;
	return purl_distro(s, u);
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
		if (sa != sb || !*a || !*b)
			return sa == sb && !*a && !*b;
		char ca = (char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a), cb = (char)(*b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
		if (ca != cb)
			return 0;
		a++, b++;
	}
}

/* The name vigil's scanners give a language package of this purl (a
 * PyPI purl's name is normalised: the component's own spelling, when it
 * is the same name, is what vigil's scanner reports). */
static const char *lang_name(vigil_sbom *s, const vigil_purl *u, vigil_pkg_type t, const char *own)
{
	const char *ns = u->namespace;
	switch (t) {
	case VIGIL_PKG_PYPI:
		return cstr(s, own && pypi_eq(own, u->name) ? own : u->name);
	case VIGIL_PKG_MAVEN:
		return ns ? join(s, ns, ":", u->name) : cstr(s, u->name);
	case VIGIL_PKG_NPM:
		if (ns && ns[0] != '@') {
			const char *scope = join(s, "@", "", ns);
			return scope ? join(s, scope, "/", u->name) : NULL;
		}
		return ns ? join(s, ns, "/", u->name) : cstr(s, u->name);
	case VIGIL_PKG_GO:
	case VIGIL_PKG_COMPOSER:
		return ns ? join(s, ns, "/", u->name) : cstr(s, u->name);
	default:
		return cstr(s, u->name);
	}
}

int sbom_add_purl(vigil_sbom *s, vigil_slice text, const sbom_hints *h, const char *field)
{
	struct vigil_sbom_internal *in = s->internal;
	vigil_purl *u = NULL;
	vigil_package p;
	int rc;

	in->purls++;
	if ((rc = vigil_purl_parse(text.ptr, text.len, &u)) < 0) {
		vigil_error_prefix("%s: ", field);
		return rc;
	}
	memset(&p, 0, sizeof(p));
	p.type = vigil_purl_pkg_type(u->type);
	if (p.type == VIGIL_PKG_UNKNOWN || !u->version || !*u->version) {
		s->skipped++;
		rc = 0;
		goto out;
	}
	if (vigil_pkg_type_is_lang(p.type)) {
		if (!(p.name = lang_name(s, u, p.type, h->name)) || !(p.version = cstr(s, u->version)) ||
		    !(p.purl = sbom_str(s, text)))
			rc = -1;
	} else {
		rc = os_package(s, u, h, &p);
	}
	if (rc == 0 && h->layer && !(p.introduced_in = cstr(s, h->layer)))
		rc = -1;
	if (rc == 0 && h->path && !(p.package_db = cstr(s, h->path[0] == '/' ? h->path + 1 : h->path)))
		rc = -1;
	if (rc == 0 && h->module && !(p.module = cstr(s, h->module)))
		rc = -1;
	if (rc == 0 && h->owner && !(p.owner = cstr(s, h->owner)))
		rc = -1;
	p.flags = h->flags;
	if (rc < 0) {
		rc = vigil_error_or_oom();
		vigil_error_prefix("%s: ", field);
		goto out;
	}
	if ((rc = vigil_grow((void **)&in->pkgs, &in->alloc, in->npkgs, sizeof(p), 64, VIGIL_SBOM_MAX_COMPONENTS)) < 0) {
		vigil_error_prefix("%s: ", field);
		goto out;
	}
	in->pkgs[in->npkgs++] = p;
out:
	vigil_purl_free(u);
	return rc;
}

static const char *str_member(json_t *doc, const char *key)
{
	json_t *v = json_object_get(doc, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int vigil_sbom_parse(const char *text, size_t len, const char *name, vigil_sbom **out)
{
	vigil_sbom *s = calloc(1, sizeof(*s));
	struct vigil_sbom_internal *in = calloc(1, sizeof(*in));
	json_t *doc = NULL;
	json_error_t je;
	int rc;

	*out = NULL;
	name = name ? name : "sbom";
	if (!s || !in || !(in->arena = vigil_arena_new(0))) {
		free(s);
		free(in);
		return vigil_error_oom();
	}
	s->internal = in;
	if (len > VIGIL_SBOM_MAX_FILE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes (limit %zu)", name, len, VIGIL_SBOM_MAX_FILE);
		goto out;
	}
	if ((rc = vigil_digest_sha256(text ? text : "", len, in->digest)) < 0)
		goto out;
	s->digest = in->digest;
	if (!(doc = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &je))) {
		char msg[160];
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not JSON (line %d column %d: %s)", name, je.line, je.column,
				     vigil_json_error_text(&je, msg, sizeof(msg)));
		goto out;
	}
	if (!json_is_object(doc)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not an SBOM (not a JSON object)", name);
		goto out;
	}
	if (str_member(doc, "bomFormat"))
		rc = sbom_cdx_read(s, doc);
	else if (str_member(doc, "spdxVersion"))
		rc = sbom_spdx_read(s, doc);
	else
		rc = vigil_error_set(VIGIL_EFORMAT, "not an SBOM: neither CycloneDX (bomFormat) nor SPDX (spdxVersion)");
	if (rc == 0 && in->purls == 0)
		rc = vigil_error_set(VIGIL_EFORMAT, "names no package by purl");
	if (rc < 0) {
		vigil_error_prefix("%s: ", name);
		goto out;
	}
	s->distribution = in->has_os ? &in->os : in->has_purl_os ? &in->from_purl : NULL;
	s->packages = in->pkgs;
	s->package_count = in->npkgs;
out:
	json_decref(doc);
	if (rc < 0) {
		vigil_sbom_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int vigil_sbom_load(const char *path, vigil_sbom **out)
{
	char *buf = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if (!path || !*path)
		return vigil_error_set(VIGIL_EINVAL, "sbom: no file");
	if ((rc = vigil_file_read(path, VIGIL_SBOM_MAX_FILE, &buf, &len)) == 0)
		rc = vigil_sbom_parse(buf, len, path, out);
	free(buf);
	return rc;
}

void vigil_sbom_free(vigil_sbom *s)
{
	if (!s)
		return;
	if (s->internal) {
		free(s->internal->pkgs);
		vigil_arena_free(s->internal->arena);
		free(s->internal);
	}
	free(s);
}
