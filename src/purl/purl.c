/* purl/purl.c: the package URL of an installed package (vigil/purl.h), as
 * syft and Trivy write them, so an SBOM or a VEX statement from either
 * names vigil's packages the same way.
 *
 *   deb  pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl
 *   rpm  pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&distro=rhel-8&epoch=1&upstream=...src.rpm
 *   apk  pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64&distro=alpine-3.10.4
 *
 * Every byte outside [A-Za-z0-9.-_~] is %XX, as in scanner/lang/purl.c;
 * qualifiers come sorted by key, as the spec's canonical form wants. */
#include "util/buf.h"
#include "util/error.h"
#include "vigil/purl.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-' || c == '_' || c == '~';
}

/* Appends s percent-encoded; < 0 once the buffer refused a byte. */
static int put_enc(vigil_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (; *s && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;
		if (unreserved(c)) {
			rc = vigil_buf_putc(b, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			rc = vigil_buf_append(b, esc, sizeof(esc));
		}
	}
	return rc;
}

/* The purl namespace of a distribution ID (syft's: rhel is "redhat"). */
static const char *os_namespace(const vigil_distribution *d, vigil_pkg_type t)
{
	if (d && d->did && *d->did)
		return strcmp(d->did, "rhel") ? d->did : "redhat";
	return t == VIGIL_PKG_DPKG ? "debian" : t == VIGIL_PKG_APK ? "alpine" : "redhat";
}

static int put_qualifier(vigil_buf *b, bool *first, const char *key, const char *value)
{
	if (!value || !*value)
		return 0;
	int rc = vigil_buf_putc(b, *first ? '?' : '&');
	*first = false;
	if (rc == 0 && (rc = vigil_buf_puts(b, key)) == 0 && (rc = vigil_buf_putc(b, '=')) == 0)
		rc = put_enc(b, value);
	return rc;
}

/* rpm versions are "[E:]V-R": the purl's version is V-R, the epoch a qualifier. */
static const char *rpm_version(const char *v)
{
	const char *colon = strchr(v, ':');
	return colon ? colon + 1 : v;
}

static int put_os(vigil_buf *b, const vigil_package *p, const vigil_distribution *d)
{
	static const char *const types[] = { [VIGIL_PKG_DPKG] = "deb", [VIGIL_PKG_APK] = "apk",
					     [VIGIL_PKG_RPM] = "rpm" };
	bool first = true, rpm = p->type == VIGIL_PKG_RPM;
	char distro[256] = "", upstream[512] = "";
	int rc = 0;

	rc |= vigil_buf_puts(b, "pkg:");
	rc |= vigil_buf_puts(b, types[p->type]);
	rc |= vigil_buf_putc(b, '/');
	rc |= put_enc(b, os_namespace(d, p->type));
	rc |= vigil_buf_putc(b, '/');
	rc |= put_enc(b, p->name);
	if (p->version && *p->version) {
		rc |= vigil_buf_putc(b, '@');
		rc |= put_enc(b, rpm ? rpm_version(p->version) : p->version);
	}
	if (d && d->did && d->version_id)
		snprintf(distro, sizeof(distro), "%s-%s", d->did, d->version_id);
	if (rpm && p->source_rpm) {
		snprintf(upstream, sizeof(upstream), "%s", p->source_rpm);
	} else if (p->source_name && *p->source_name) {
		bool other_ver = p->source_version && p->version && strcmp(p->source_version, p->version);
		if (strcmp(p->source_name, p->name) || other_ver)
			snprintf(upstream, sizeof(upstream), "%s%s%s", p->source_name, other_ver ? "@" : "",
				 other_ver ? p->source_version : "");
	}
	rc |= put_qualifier(b, &first, "arch", p->arch);
	rc |= put_qualifier(b, &first, "distro", distro);
	if (rpm)
		rc |= put_qualifier(b, &first, "epoch", p->epoch);
	rc |= put_qualifier(b, &first, "upstream", upstream);
	return rc ? -1 : 0;
}

int vigil_purl_of(const vigil_package *p, const vigil_distribution *d, char **out)
{
	vigil_buf b;
	*out = NULL;
	if (!p || !p->name)
		return vigil_error_set(VIGIL_EINVAL, "purl: no package");
	if (vigil_pkg_type_is_lang(p->type)) {
		if (!p->purl)
			return vigil_error_set(VIGIL_EINVAL, "purl: the %s package %s has none", vigil_pkg_type_name(p->type),
					       p->name);
		if (!(*out = strdup(p->purl)))
			return vigil_error_oom();
		return 0;
	}
	if (p->type != VIGIL_PKG_DPKG && p->type != VIGIL_PKG_APK && p->type != VIGIL_PKG_RPM)
		return vigil_error_set(VIGIL_EINVAL, "purl: package %s has no known type", p->name);
	vigil_buf_init(&b, VIGIL_PURL_MAX_LEN);
	if (put_os(&b, p, d) < 0) {
		vigil_buf_free(&b);
		return vigil_error_set(VIGIL_ELIMIT, "purl: the purl of %s is longer than %d bytes", p->name,
				       VIGIL_PURL_MAX_LEN);
	}
	*out = vigil_buf_detach(&b, NULL);
	return *out ? 0 : vigil_error_oom();
}

vigil_pkg_type vigil_purl_pkg_type(const char *t)
{
	static const struct {
		const char *name;
		vigil_pkg_type type;
	} map[] = {
		{ "deb", VIGIL_PKG_DPKG },     { "apk", VIGIL_PKG_APK },     { "rpm", VIGIL_PKG_RPM },
		{ "pypi", VIGIL_PKG_PYPI },    { "npm", VIGIL_PKG_NPM },     { "maven", VIGIL_PKG_MAVEN },
		{ "golang", VIGIL_PKG_GO },    { "cargo", VIGIL_PKG_CARGO }, { "gem", VIGIL_PKG_GEM },
		{ "composer", VIGIL_PKG_COMPOSER }, { "nuget", VIGIL_PKG_NUGET },
	};
	for (size_t i = 0; t && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(t, map[i].name))
			return map[i].type;
	return VIGIL_PKG_UNKNOWN;
}
