/* vigil/sbom.h: reading an SBOM (CycloneDX 1.2-1.7 JSON, SPDX 2.2/2.3
 * JSON) into the packages and the distribution vigil matches, so that
 * `vigil scan sbom:FILE` needs no image.
 *
 *   vigil_sbom *s;
 *   if (vigil_sbom_load("syft.cdx.json", &s) < 0)
 *       fprintf(stderr, "%s\n", vigil_error_message());
 *       // "syft.cdx.json: components[3].purl: purl 'x': no 'pkg:' scheme"
 *   for (size_t i = 0; i < s->package_count; i++)
 *       printf("%s %s\n", s->packages[i].name, s->packages[i].version);
 *   vigil_sbom_free(s);
 *
 * Packages come from the purls (docs/scan.md "SBOMs in"): deb, rpm and apk
 * with their arch, epoch and upstream (source) qualifiers, and the language
 * types vigil matches (pypi, npm, maven, golang, cargo, gem, composer,
 * nuget), named as vigil's scanners name them ("group:artifact",
 * "@scope/name", the Go module path). The tools' own properties fill what
 * a purl does not say: the source package (Trivy's SrcName/SrcVersion,
 * syft's originPackage), the layer (syft's "syft:location:0:layerID",
 * Trivy's "aquasecurity:trivy:LayerDiffID", vigil's "vigil:layer") and the
 * package database path. The distribution is the CycloneDX
 * operating-system component, the SPDX package whose purpose is
 * OPERATING-SYSTEM, else the purls' distro= qualifier ("debian-12",
 * "alpine-3.10.4", Trivy's bare "3.10.4" with the purl's namespace).
 *
 * Components without a purl, or whose purl type vigil does not match, are
 * counted in skipped; an SBOM that names no package by purl at all is
 * VIGIL_EFORMAT ("names no package by purl"). Everything the struct points
 * at is owned by it. */
#ifndef VIGIL_SBOM_H
#define VIGIL_SBOM_H

#include <stddef.h>

#include "vigil/common.h"
#include "vigil/package.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_SBOM_MAX_FILE       ((size_t)256 * 1024 * 1024) /* bytes of one SBOM file */
#define VIGIL_SBOM_MAX_COMPONENTS 500000  /* CycloneDX components / SPDX packages, all levels */
#define VIGIL_SBOM_MAX_DEPTH      16      /* CycloneDX components nested in components */
#define VIGIL_SBOM_MAX_RELATIONS  5000000 /* SPDX relationships / CycloneDX dependencies */
#define VIGIL_SBOM_MAX_PROPERTIES 4096    /* properties (or annotations) of one component */
#define VIGIL_SBOM_MAX_STRING     65536   /* bytes of one string read */

typedef struct vigil_sbom {
	const char *format;                     /* "CycloneDX 1.6", "SPDX-2.3" */
	const char *digest;                     /* "sha256:<hex>" of the document */
	const char *name;                       /* what was scanned: metadata.component.name / SPDX name, or NULL */
	const vigil_distribution *distribution; /* NULL when the SBOM names none */
	const vigil_package *packages;          /* in document order */
	size_t package_count;
	size_t skipped;                         /* components with no purl, or a purl vigil does not match */
	struct vigil_sbom_internal *internal;
} vigil_sbom;

/* Reads the SBOM at path (at most VIGIL_SBOM_MAX_FILE bytes); messages
 * start with path. */
VIGIL_EXTERN(int) vigil_sbom_load(const char *path, vigil_sbom **out);
/* The same for text of len bytes; name starts the messages. */
VIGIL_EXTERN(int) vigil_sbom_parse(const char *text, size_t len, const char *name, vigil_sbom **out);
VIGIL_EXTERN(void) vigil_sbom_free(vigil_sbom *s);

#ifdef __cplusplus
}
#endif
#endif
