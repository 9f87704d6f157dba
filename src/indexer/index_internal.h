/* indexer/index_internal.h: what the pipeline (index.c) hands the report
 * builder (report.c), and what a report keeps alive. */
#ifndef VIGIL_INDEXER_INDEX_INTERNAL_H
#define VIGIL_INDEXER_INDEX_INTERNAL_H

#include "image/image.h"
#include "indexer/coalesce.h"
#include "vigil/index.h"

struct vigil_index_internal {
	vigil_layer_result **layers; /* they own the strings the report points at */
	size_t nlayers;
	vigil_coalesced co;
	vigil_package *pkgs;
	vigil_layer_info *infos;
	const char **warnings;
	char manifest_hash[VIGIL_DIGEST_MAX];
	char *image;
	char **names; /* copies of build_named's names (nlayers of them), or NULL */
	char **created_by; /* copies of the image's history lines (nlayers), or NULL */
	struct vigil_sbom *sbom; /* sbom:FILE (report_sbom.c): owns the packages' strings, or NULL */
};

/* The order of a report's packages (qsort): type, name, arch, version,
 * package database. */
int idx_package_cmp(const void *a, const void *b);

/* Coalesces the layer results into a report. Takes ownership of results
 * (an array of n, freed with the report, or here on failure). */
int idx_report_build(const char *ref, const vigil_image *img,
			     vigil_layer_result **results, size_t n, vigil_index_report **out);
/* The same for layers that are not an image's (Clair v1's chains): img
 * may be NULL; names[i] (NULL: the digests) is what a package of layer i
 * was introduced in; manifest_hash (NULL: the image's, else the first
 * layer's digest) names the report. The report keeps copies of names. */
int idx_report_build_named(const char *ref, const vigil_image *img, const char *const *names,
				   const char *manifest_hash, vigil_layer_result **results, size_t n,
				   vigil_index_report **out);

/* sbom:FILE (report_sbom.c): the report of the SBOM at the path after the
 * prefix; its packages come from the SBOM's purls, no layer is read. */
#define VIGIL_SBOM_REF_PREFIX "sbom:"
int idx_index_sbom(const char *ref, vigil_index_report **out);
/* The report of sbom (taken: freed with the report, or here on failure). */
struct vigil_sbom;
int idx_report_from_sbom(const char *ref, struct vigil_sbom *sbom, vigil_index_report **out);

#endif
