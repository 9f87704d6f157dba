/* image/registry.c: registry images ("REGISTRY/REPO:TAG",
 * "...@sha256:HEX", "docker://...", "registry:..."): the manifest is
 * fetched with the registry client (registry/), an index is resolved to
 * the manifest of the platform asked for (nested indexes followed up to
 * VIGIL_REG_MAX_NESTED, the same scoring as OCI layouts: oci.c), and the
 * manifest and config are parsed by manifest.c. Every document is checked
 * against its digest and size; layers are streamed from the registry when
 * the indexer opens them, their digest checked by the layer module as the
 * bytes go by (VIGIL_VERIFY_BLOB). */
#include "image/image_priv.h"
#include "registry/registry.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct img_registry {
	vigil_reg_client *client;
};

struct cand {
	img_desc d;
	int score;
};

struct resolve {
	vigil_image *img;
	vigil_reg_client *c;
	const img_select *sel;
	struct cand *cands;
	size_t n, cap;
	size_t fetches;
};

void img_registry_free(struct img_registry *r)
{
	if (!r)
		return;
	reg_client_free(r->client);
	free(r);
}

/* Fetches a manifest or index (by the reference's tag or digest when d is
 * NULL) and tells which it is. */
static int fetch_doc(struct resolve *rs, const char *reference, const img_desc *d, vigil_reg_doc *doc,
		     img_doc_kind *kind, char *what, size_t whatn)
{
	const char *want = d ? d->digest : vigil_digest_ok(vigil_slice_cstr(reference)) ? reference : NULL;
	const vigil_reg_ref *ref = reg_client_ref(rs->c);
	int rc;
	if (++rs->fetches > VIGIL_REG_MAX_NESTED + 2)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d indexes and manifests to fetch",
				       rs->img->where, VIGIL_REG_MAX_NESTED + 2);
	if ((rc = reg_get_manifest(rs->c, d ? d->digest : reference, want, d ? d->size : 0, doc)) < 0)
		return rc;
	snprintf(what, whatn, "%s/%s@%s", ref->domain, ref->repo, doc->digest);
	*kind = img_media_doc_kind(doc->media_type[0] ? doc->media_type : NULL);
	if (*kind == IMG_DOC_UNKNOWN && (rc = img_sniff_doc(what, doc->data, doc->len, kind)) < 0)
		return rc;
	if (*kind == IMG_DOC_UNKNOWN)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: neither an image manifest nor an index (Content-Type %s)",
				       what, doc->media_type[0] ? doc->media_type : "none");
	return 0;
}

static int add_cand(struct resolve *rs, const img_desc *d)
{
	if (rs->n >= VIGIL_IMAGE_MAX_MANIFESTS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d manifests", rs->img->where,
				       VIGIL_IMAGE_MAX_MANIFESTS);
	if (rs->n == rs->cap) {
		size_t nc = rs->cap ? rs->cap * 2 : 16;
		struct cand *nv = realloc(rs->cands, nc * sizeof(*nv));
		if (!nv)
			return vigil_error_oom();
		rs->cands = nv;
		rs->cap = nc;
	}
	rs->cands[rs->n].d = *d;
	rs->cands[rs->n].score = d->has_platform ? img_platform_score(&rs->sel->platform, &d->platform) : 1;
	rs->n++;
	return 0;
}

/* The manifests an index leads to (nested indexes followed). */
static int collect(struct resolve *rs, const vigil_reg_doc *doc, const char *what, int depth)
{
	img_index idx;
	int rc = img_parse_index(rs->img->arena, what, doc->data, doc->len, &idx);
	for (size_t i = 0; i < idx.n && rc >= 0; i++) {
		const img_desc *d = &idx.manifests[i];
		img_doc_kind k = img_media_doc_kind(d->media_type);
		if (d->media_type && k == IMG_DOC_UNKNOWN)
			continue; /* artifacts, attestations, schema 1 */
		if (k != IMG_DOC_INDEX) {
			rc = add_cand(rs, d);
			continue;
		}
		if (depth >= VIGIL_REG_MAX_NESTED)
			return vigil_error_set(VIGIL_ELIMIT, "%s: indexes nested more than %d deep", what,
					       VIGIL_REG_MAX_NESTED);
		vigil_reg_doc sub;
		char subwhat[VIGIL_REG_MAX_URL];
		img_doc_kind kind;
		rc = fetch_doc(rs, NULL, d, &sub, &kind, subwhat, sizeof(subwhat));
		if (rc >= 0 && kind == IMG_DOC_INDEX)
			rc = collect(rs, &sub, subwhat, depth + 1);
		else if (rc >= 0)
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: its media type says index, it is a manifest", subwhat);
		reg_doc_free(&sub);
	}
	return rc;
}

/* The candidate for the platform: the best score, one digest. */
static int pick(struct resolve *rs, const struct cand **out)
{
	const struct cand *best = NULL;
	char want[3 * 66], p[3 * 66];
	vigil_buf b;
	int rc = 0;
	*out = NULL;
	img_platform_format(&rs->sel->platform, want, sizeof(want));
	for (size_t i = 0; i < rs->n; i++) {
		const struct cand *c = &rs->cands[i];
		if (!c->score)
			continue;
		if (!best || c->score > best->score)
			best = c;
		else if (c->score == best->score && strcmp(c->d.digest, best->d.digest))
			return vigil_error_set(VIGIL_EINVAL, "%s: several manifests for %s (%s, %s): name one, REPO@DIGEST",
					       rs->img->where, want, best->d.digest, c->d.digest);
	}
	if (best) {
		*out = best;
		return 0;
	}
	vigil_buf_init(&b, 2048);
	for (size_t i = 0; i < rs->n; i++)
		if (rs->cands[i].d.has_platform) {
			img_platform_format(&rs->cands[i].d.platform, p, sizeof(p));
			vigil_buf_printf(&b, "%s%s", b.len ? ", " : "", p);
		}
	rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no image for platform %s (there are: %s)", rs->img->where,
			     want, b.len ? vigil_buf_cstr(&b) : "none");
	vigil_buf_free(&b);
	return rc;
}

/* Config, platform and layers of the chosen manifest. */
static int build(struct resolve *rs, const img_manifest *m, const img_desc *from, const char *mdigest)
{
	vigil_image *img = rs->img;
	const vigil_reg_ref *ref = reg_client_ref(rs->c);
	char *data = NULL, what[VIGIL_REG_MAX_URL];
	size_t len;
	img_config cfg;
	int rc;
	snprintf(what, sizeof(what), "%s/%s@%s (config)", ref->domain, ref->repo, m->config.digest);
	if ((rc = reg_get_blob(rs->c, m->config.digest, m->config.size, VIGIL_IMAGE_MAX_JSON_SIZE,
				     &data, &len)) < 0 ||
	    (rc = img_parse_config(img->arena, what, data, len, &cfg)) < 0)
		goto out;
	img->config_json = cfg.raw;
	img->config_len = cfg.raw_len;
	const img_platform *p = from && from->has_platform ? &from->platform : &cfg.platform;
	if (p->os && p->arch)
		img_platform_format(p, img->platform, sizeof(img->platform));
	if (!(from && from->has_platform) && rs->sel->platform_given && cfg.platform.os && cfg.platform.arch &&
	    img_platform_score(&rs->sel->platform, &cfg.platform) == 0) {
		char want[3 * 66];
		img_platform_format(&rs->sel->platform, want, sizeof(want));
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: the image is for %s, not %s", img->where,
				     img->platform, want);
		goto out;
	}
	if (cfg.n != m->nlayers) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: %zu rootfs.diff_ids for %zu layers in manifest %s", what,
				     cfg.n, m->nlayers, mdigest);
		goto out;
	}
	if ((rc = img_layers_alloc(img, m->nlayers)) < 0)
		goto out;
	for (size_t i = 0; i < m->nlayers; i++) {
		const img_desc *d = &m->layers[i];
		vigil_layer_desc *l = &img->layers[i];
		if (d->size > VIGIL_REG_MAX_BLOB) {
			rc = vigil_error_set(VIGIL_ELIMIT, "%s: layer %zu (%s) is %llu bytes, over the limit of %llu",
					     img->where, i, d->digest, (unsigned long long)d->size,
					     (unsigned long long)VIGIL_REG_MAX_BLOB);
			goto out;
		}
		snprintf(l->digest, sizeof(l->digest), "%s", d->digest);
		snprintf(l->diff_id, sizeof(l->diff_id), "%s", cfg.diff_ids[i]);
		l->created_by = cfg.created_by ? cfg.created_by[i] : NULL;
		l->verify = VIGIL_VERIFY_BLOB;
		l->media_type = d->media_type;
		l->size = d->size;
	}
	img->kind = VIGIL_IMAGE_LAYERS;
	snprintf(img->manifest_digest, sizeof(img->manifest_digest), "%s", mdigest);
	snprintf(img->config_digest, sizeof(img->config_digest), "%s", m->config.digest);
out:
	free(data);
	return rc;
}

static int resolve(struct resolve *rs)
{
	const vigil_reg_ref *ref = reg_client_ref(rs->c);
	vigil_reg_doc doc = { 0 };
	char what[VIGIL_REG_MAX_URL];
	img_doc_kind kind;
	img_manifest m;
	const struct cand *chosen = NULL;
	int rc = fetch_doc(rs, ref->digest[0] ? ref->digest : ref->tag, NULL, &doc, &kind, what, sizeof(what));
	if (rc < 0)
		goto out;
	if (ref->digest[0] && strcmp(doc.digest, ref->digest)) {
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: got manifest %s", rs->img->where, doc.digest);
		goto out;
	}
	if (kind == IMG_DOC_INDEX) {
		if ((rc = collect(rs, &doc, what, 0)) < 0 || (rc = pick(rs, &chosen)) < 0)
			goto out;
		reg_doc_free(&doc);
		if ((rc = fetch_doc(rs, NULL, &chosen->d, &doc, &kind, what, sizeof(what))) < 0)
			goto out;
		if (kind != IMG_DOC_MANIFEST) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: listed as a manifest, it is an index", what);
			goto out;
		}
	}
	if ((rc = img_parse_manifest(rs->img->arena, what, doc.data, doc.len, &m)) < 0)
		goto out;
	rc = build(rs, &m, chosen ? &chosen->d : NULL, doc.digest);
out:
	reg_doc_free(&doc);
	return rc;
}

int img_registry_open(vigil_image *img, const char *refstr, const img_select *sel,
		      const struct vigil_registry_options *opt)
{
	vigil_reg_ref ref;
	const char *rest;
	char name[VIGIL_REG_MAX_NAME + VIGIL_REG_MAX_TAG + VIGIL_REG_MAX_DIGEST + 8];
	struct resolve rs = { .img = img, .sel = sel };
	int rc = reg_ref_parse(refstr, &ref);
	if (rc < 0) {
		if (!reg_ref_has_prefix(refstr, &rest))
			return vigil_error_set(VIGIL_EINVAL,
					       "%.200s: not a file or folder, nor a registry reference (use REGISTRY/REPO:TAG, "
					       "oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG] or dir:PATH)", refstr);
		return rc;
	}
	reg_ref_format(&ref, name, sizeof(name));
	if (!(img->where = vigil_arena_strdup(img->arena, name)))
		return vigil_error_code();
	if (!(img->registry = calloc(1, sizeof(*img->registry))))
		return vigil_error_oom();
	if ((rc = reg_client_new(&ref, opt, &img->registry->client)) < 0)
		return rc;
	rs.c = img->registry->client;
	rc = resolve(&rs);
	free(rs.cands);
	/* a bare name read as Docker Hub's may be a mistyped path */
	size_t dl = strlen(ref.domain);
	if (rc < 0 && !reg_ref_has_prefix(refstr, &rest) &&
	    !(!strncmp(refstr, ref.domain, dl) && refstr[dl] == '/'))
		vigil_error_prefix("not a file or folder, so read as the registry image %s: ", name);
	return rc;
}

int img_registry_open_layer(vigil_image *img, size_t i, vigil_istream **raw)
{
	const vigil_layer_desc *l = &img->layers[i];
	return reg_open_blob(img->registry->client, l->digest, l->size, raw);
}

vigil_reg_client *img_registry_client(const vigil_image *img)
{
	return img->registry ? img->registry->client : NULL;
}
