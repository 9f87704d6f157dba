/* indexer/report_sbom.c: the index report of an SBOM (`sbom:FILE`): its
 * packages come from no layer vigil read, so no layer result, no
 * coalescing and no cache; the report owns the vigil_sbom whose strings it
 * points at. Layers are the distinct layer digests the SBOM's packages
 * name (syft's and Trivy's layer properties), in order of first mention;
 * the manifest hash is the SBOM document's own sha256. */
#include "indexer/index_internal.h"
#include "util/error.h"
#include "vigil/sbom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The distinct introduced_in digests of in->pkgs into in->infos. */
static size_t sbom_layers(struct vigil_index_internal *in, size_t n)
{
	size_t nl = 0;
	for (size_t i = 0; i < n; i++) {
		const char *d = in->pkgs[i].introduced_in;
		size_t j = 0;
		if (!d)
			continue;
		while (j < nl && strcmp(in->infos[j].digest, d))
			j++;
		if (j == nl)
			in->infos[nl++] = (vigil_layer_info){ .digest = d, .cached = 0 };
		in->infos[j].packages++;
	}
	return nl;
}

int idx_report_from_sbom(const char *ref, struct vigil_sbom *sbom, vigil_index_report **out)
{
	vigil_index_report *r = calloc(1, sizeof(*r));
	struct vigil_index_internal *in = calloc(1, sizeof(*in));
	size_t n = sbom->package_count;

	*out = NULL;
	if (!r || !in) {
		free(r);
		free(in);
		vigil_sbom_free(sbom);
		return vigil_error_oom();
	}
	r->internal = in;
	in->sbom = sbom;
	in->image = strdup(ref);
	in->pkgs = calloc(n ? n : 1, sizeof(*in->pkgs));
	in->infos = calloc(n ? n : 1, sizeof(*in->infos));
	if (!in->image || !in->pkgs || !in->infos) {
		vigil_index_report_free(r);
		return vigil_error_oom();
	}
	if (n)
		memcpy(in->pkgs, sbom->packages, n * sizeof(*in->pkgs));
	r->layer_count = sbom_layers(in, n);
	qsort(in->pkgs, n, sizeof(*in->pkgs), idx_package_cmp);
	snprintf(in->manifest_hash, sizeof(in->manifest_hash), "%s", sbom->digest);
	r->manifest_hash = in->manifest_hash;
	r->image = in->image;
	r->distribution = sbom->distribution;
	r->packages = in->pkgs;
	r->package_count = n;
	r->layers = in->infos;
	*out = r;
	return 0;
}

int idx_index_sbom(const char *ref, vigil_index_report **out)
{
	vigil_sbom *sbom = NULL;
	int rc;

	*out = NULL;
	if ((rc = vigil_sbom_load(ref + strlen(VIGIL_SBOM_REF_PREFIX), &sbom)) < 0) {
		vigil_error_prefix("%s", VIGIL_SBOM_REF_PREFIX);
		return rc;
	}
	return idx_report_from_sbom(ref, sbom, out);
}
