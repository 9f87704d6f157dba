/* report/sbom_out.h: what the two SBOM writers (cyclonedx.c, spdx.c)
 * share, inside the report module. An inventory is the index report's
 * packages, each with its purl (vigil/purl.h), a reference unique within
 * the document (the purl; a duplicate purl gets a package-id qualifier,
 * as syft does), and its license as a valid SPDX expression when it is
 * one (spdx_license.c), plus the document's time and the image's own purl.
 *
 * Serial numbers and namespaces are not random: the UUID is a SHA-256 of
 * the rendered document (with the UUID left empty), so the same input at
 * the same o->now gives the same bytes, and anything that differs (one
 * package, one finding, one second) gives another UUID. The bits follow
 * RFC 9562's version 8 (a name-based UUID of a hash that is not SHA-1). */
#ifndef VIGIL_REPORT_SBOM_OUT_H
#define VIGIL_REPORT_SBOM_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "vigil/report.h"

/* Longest license text looked at as an SPDX expression, and its tokens. */
#define SBOM_LICENSE_MAX_LEN 1024
#define SBOM_LICENSE_MAX_TOKENS 64
/* Bytes of a name kept in an SPDX id ("SPDXRef-Package-deb-NAME-HASH"). */
#define SBOM_SPDXID_NAME_MAX 128

struct sbom_pkg {
	const vigil_package *p;
	char *purl;     /* NULL when the package has none (an unknown type) */
	char *ref;      /* unique in the document: the purl, or with package-id=..., or "package-N" */
	char *license;  /* a valid SPDX expression (ids in their canonical case), NULL otherwise */
	bool license_single; /* license is one license id (CycloneDX: license.id, not expression) */
};

struct sbom_inv {
	struct sbom_pkg *pkgs;      /* in report order */
	size_t n;
	char *image_purl;           /* pkg:oci/... for a registry reference, else NULL */
	char *image_ref;            /* the image's bom-ref */
	char *os_ref;               /* the operating system's bom-ref, NULL without a distribution */
	char created[32];           /* o->now as RFC 3339 UTC: "2026-12-05T19:30:00Z" */
};

int sbom_inv_init(struct sbom_inv *v, const vigil_report_input *in, const vigil_report_options *o);
void sbom_inv_free(struct sbom_inv *v);

/* The package's layer: the index of its introduced_in among the index
 * report's layers (from 0), or -1. */
long sbom_layer_index(const vigil_index_report *r, const vigil_package *p);

/* Renders root (which holds key, a placeholder string member, where the
 * UUID goes: value prefix + uuid + suffix) twice: once compact with the
 * placeholder to hash, then for real. *out as report_dump gives it. */
int sbom_dump_with_uuid(json_t *root, const char *key, const char *prefix, const char *suffix, int pretty,
			char **out, size_t *len);

/* License text -> a valid SPDX license expression in canonical case
 * (appended to out), true when it is one: known license ids (a trailing
 * '+' allowed), WITH a known exception, AND, OR, parentheses. Unknown ids,
 * LicenseRef-, lower-case operators and free text give false. *single is
 * set when the expression is one id. */
bool sbom_license_spdx(const char *text, vigil_buf *out, bool *single);
/* The known ids and exceptions (for the test that holds them to SPDX's list). */
const char *const *sbom_license_ids(size_t *n);
const char *const *sbom_license_exceptions(size_t *n);

/* The "vulnerabilities" array of a CycloneDX BOM (cyclonedx_vulns.c):
 * the findings, then the suppressed ones with their analysis. NULL with
 * the error set. */
json_t *cdx_vulnerabilities(const vigil_vuln_report *vr, const struct sbom_inv *v);

/* A JSON {"name": name, "value": value} appended to arr; nothing when value is NULL. */
void sbom_prop(json_t *arr, const char *name, const char *value);

#endif
