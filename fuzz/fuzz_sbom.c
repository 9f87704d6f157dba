/* fuzz/fuzz_sbom.c: sbom/ (CycloneDX and SPDX JSON) on any bytes.
 * Properties: a read SBOM has at least one purl's worth of input, every
 * package has a type vigil matches, a name and a version, and a language
 * package keeps its purl. */
#include "vigil/sbom.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_sbom *s = NULL;
	if (vigil_sbom_parse((const char *)data, size, "fuzz.json", &s) < 0)
		return 0;
	if (!s->digest || !s->format)
		abort();
	for (size_t i = 0; i < s->package_count; i++) {
		const vigil_package *p = &s->packages[i];
		if (p->type == VIGIL_PKG_UNKNOWN || !p->name || !p->version || !*p->version)
			abort();
		if (vigil_pkg_type_is_lang(p->type) && !p->purl)
			abort();
	}
	vigil_sbom_free(s);
	return 0;
}
