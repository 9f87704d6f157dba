/* indexer/report.c: turning coalesced layer results into the public index
 * report: packages sorted, each with the layer that introduced it; layer
 * facts; warnings. */
#include "indexer/index_internal.h"
#include "util/error.h"
#include "vigil/sbom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

int idx_package_cmp(const void *x, const void *y)
{
	const vigil_package *a = x, *b = y;
	int c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = cmp_str(a->name, b->name)) != 0)
		return c;
	if ((c = cmp_str(a->arch, b->arch)) != 0)
		return c;
	if ((c = cmp_str(a->version, b->version)) != 0)
		return c;
	return cmp_str(a->package_db, b->package_db);
}

void vigil_index_report_free(vigil_index_report *r)
{
	if (!r)
		return;
	struct vigil_index_internal *in = r->internal;
	if (in) {
		for (size_t i = 0; i < in->nlayers; i++)
			idx_layer_result_free(in->layers[i]);
		free(in->layers);
		idx_coalesced_free(&in->co);
		free(in->pkgs);
		free(in->infos);
		free(in->warnings);
		free(in->image);
		for (size_t i = 0; in->names && i < in->nlayers; i++)
			free(in->names[i]);
		free(in->names);
		for (size_t i = 0; in->created_by && i < in->nlayers; i++)
			free(in->created_by[i]);
		free(in->created_by);
		vigil_sbom_free(in->sbom);
		free(in);
	}
	free(r);
}

int idx_report_build(const char *ref, const vigil_image *img,
			     vigil_layer_result **results, size_t n, vigil_index_report **out)
{
	return idx_report_build_named(ref, img, NULL, NULL, results, n, out);
}

/* Copies layer i's history line into the report (the image is freed first). */
static int keep_created_by(struct vigil_index_internal *in, size_t n, size_t i, const char *line)
{
	if (!in->created_by && !(in->created_by = calloc(n, sizeof(*in->created_by))))
		return vigil_error_oom();
	if (!(in->created_by[i] = strdup(line)))
		return vigil_error_oom();
	return 0;
}

int idx_report_build_named(const char *ref, const vigil_image *img, const char *const *names,
				   const char *manifest_hash, vigil_layer_result **results, size_t n,
				   vigil_index_report **out)
{
	vigil_index_report *r = calloc(1, sizeof(*r));
	struct vigil_index_internal *in = calloc(1, sizeof(*in));
	int rc;

	*out = NULL;
	if (!r || !in) {
		free(r);
		free(in);
		for (size_t i = 0; i < n; i++)
			idx_layer_result_free(results[i]);
		free(results);
		return vigil_error_oom();
	}
	r->internal = in;
	in->layers = results;
	in->nlayers = n;
	if ((rc = idx_coalesce(results, n, &in->co)) < 0)
		goto fail;
	in->image = strdup(ref);
	in->pkgs = calloc(in->co.npkgs ? in->co.npkgs : 1, sizeof(*in->pkgs));
	in->infos = calloc(n ? n : 1, sizeof(*in->infos));
	in->warnings = calloc(in->co.nwarn ? in->co.nwarn : 1, sizeof(*in->warnings));
	if (!in->image || !in->pkgs || !in->infos || !in->warnings) {
		rc = vigil_error_oom();
		goto fail;
	}
	if (names) {
		if (!(in->names = calloc(n ? n : 1, sizeof(*in->names)))) {
			rc = vigil_error_oom();
			goto fail;
		}
		for (size_t i = 0; i < n; i++)
			if (!(in->names[i] = strdup(names[i] ? names[i] : ""))) {
				rc = vigil_error_oom();
				goto fail;
			}
	}
	for (size_t i = 0; i < n; i++) {
		vigil_layer_info *li = &in->infos[i];
		li->digest = results[i]->digest;
		li->cached = results[i]->compression == NULL;
		li->compression = results[i]->compression;
		li->size = results[i]->bytes;
		if (img && img_get_kind(img) == VIGIL_IMAGE_LAYERS && i < img_layer_count(img)) {
			const vigil_layer_desc *d = img_layer(img, i);
			li->size = d->size;
			if (d->created_by && (rc = keep_created_by(in, n, i, d->created_by)) < 0)
				goto fail;
			li->created_by = in->created_by ? in->created_by[i] : NULL;
		}
		r->layers_cached += (size_t)li->cached;
	}
	for (size_t i = 0; i < in->co.npkgs; i++) {
		const vigil_coalesced_pkg *cp = &in->co.pkgs[i];
		in->pkgs[i] = *cp->pkg;
		in->pkgs[i].package_db = cp->package_db;
		in->pkgs[i].flags |= cp->flags;
		if (cp->owner)
			in->pkgs[i].owner = cp->owner;
		in->pkgs[i].introduced_in = in->names ? in->names[cp->layer] : results[cp->layer]->digest;
		in->infos[cp->layer].packages++;
	}
	qsort(in->pkgs, in->co.npkgs, sizeof(*in->pkgs), idx_package_cmp);
	for (size_t i = 0; i < in->co.nwarn; i++)
		in->warnings[i] = in->co.warnings[i];

	const char *mh = manifest_hash ? manifest_hash : img ? img_manifest_digest(img) : NULL;
	snprintf(in->manifest_hash, sizeof(in->manifest_hash), "%s",
		 mh ? mh : (n ? results[0]->digest : ""));
	r->manifest_hash = in->manifest_hash;
	r->image = in->image;
	r->distribution = in->co.dist;
	r->packages = in->pkgs;
	r->package_count = in->co.npkgs;
	r->layers = in->infos;
	r->layer_count = n;
	r->warnings = in->warnings;
	r->warning_count = in->co.nwarn;
	*out = r;
	return 0;
fail:
	vigil_index_report_free(r);
	return rc;
}
