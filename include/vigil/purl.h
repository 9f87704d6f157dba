/* vigil/purl.h: package URLs (github.com/package-url/purl-spec), the one
 * name of a package that SBOMs, VEX documents and vulnerability reports
 * share.
 *
 *   char *s;
 *   vigil_purl_of(pkg, report->distribution, &s);
 *   // "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"
 *   vigil_purl *u;
 *   if (vigil_purl_parse(s, strlen(s), &u) == 0)
 *       printf("%s %s %s\n", u->type, u->name, vigil_purl_qualifier(u, "distro"));
 *
 * OS packages are written as syft and Trivy write them: type deb, rpm or
 * apk; the namespace is the distribution's ID ("debian", "ubuntu",
 * "alpine", "redhat" for rhel); qualifiers arch, epoch (rpm), upstream
 * (the source package when it differs) and distro ("debian-12"). A
 * language package keeps the purl its scanner built. */
#ifndef VIGIL_PURL_H
#define VIGIL_PURL_H

#include <stddef.h>

#include "vigil/common.h"
#include "vigil/package.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_PURL_MAX_LEN        8192 /* bytes of one purl */
#define VIGIL_PURL_MAX_QUALIFIERS 32   /* key=value pairs of one purl */

typedef struct vigil_purl {
	const char *type;       /* lower-cased: "deb", "npm", "maven" */
	const char *namespace;  /* decoded segments joined by '/', NULL when none */
	const char *name;       /* decoded */
	const char *version;    /* decoded, NULL when none */
	const char *subpath;    /* decoded, NULL when none */
	const char *const *qualifier_keys;   /* lower-cased, sorted */
	const char *const *qualifier_values; /* decoded */
	size_t nqualifiers;
	struct vigil_purl_internal *internal;
} vigil_purl;

/* Parses s (len bytes; need not be NUL-terminated). VIGIL_EFORMAT naming
 * what is wrong ("purl 'x': no 'pkg:' scheme"), VIGIL_ELIMIT past the
 * limits above. */
VIGIL_EXTERN(int) vigil_purl_parse(const char *s, size_t len, vigil_purl **out);
VIGIL_EXTERN(void) vigil_purl_free(vigil_purl *p);
/* The value of qualifier key, NULL when absent. */
VIGIL_EXTERN(const char *) vigil_purl_qualifier(const vigil_purl *p, const char *key);

/* The purl of p (d: the image's distribution, may be NULL), malloc'd. */
VIGIL_EXTERN(int) vigil_purl_of(const vigil_package *p, const vigil_distribution *d, char **out);
/* The package type of a purl type ("deb" -> DPKG, "pypi" -> PYPI, "golang"
 * -> GO, ...), VIGIL_PKG_UNKNOWN when vigil has none. */
VIGIL_EXTERN(vigil_pkg_type) vigil_purl_pkg_type(const char *purl_type);

#ifdef __cplusplus
}
#endif
#endif
