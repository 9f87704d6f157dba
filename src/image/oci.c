/* image/oci.c: resolving an OCI image layout (a folder, or the one Docker
 * writes inside a docker-archive) to one image: reads oci-layout and
 * index.json, follows nested indexes (VIGIL_IMAGE_MAX_INDEX_DEPTH), picks a
 * manifest by tag (org.opencontainers.image.ref.name), by digest or by
 * platform, reads and verifies the manifest and config blobs, and fills the
 * image's layers (identity: the blob digest, verified over the bytes as
 * stored). Also the platform strings ("os/arch[/variant]") and how they
 * match. */
#include "image/image_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- platforms ---- */

static bool plat_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static const char *arch_alias(const char *arch)
{
	if (!arch)
		return "";
	if (!strcmp(arch, "x86_64") || !strcmp(arch, "x86-64"))
		return "amd64";
	if (!strcmp(arch, "aarch64"))
		return "arm64";
	if (!strcmp(arch, "i386") || !strcmp(arch, "i686"))
		return "386";
	return arch;
}

/* The variant with the default filled in (arm64: v8, arm: v7). */
static const char *variant_norm(const char *arch, const char *variant)
{
	if (variant && *variant)
		return variant;
	if (!strcmp(arch, "arm64"))
		return "v8";
	if (!strcmp(arch, "arm"))
		return "v7";
	return "";
}

int img_platform_parse(vigil_arena *a, const char *s, img_platform *out)
{
	vigil_slice in = vigil_slice_cstr(s), part[3];
	size_t n = 0;
	memset(out, 0, sizeof(*out));
	while (n < 3) {
		vigil_slice_split(in, '/', &part[n], &in);
		n++;
		if (!in.len)
			break;
	}
	if (in.len || n < 2)
		return vigil_error_set(VIGIL_EINVAL, "platform \"%.64s\": not os/arch[/variant]", s);
	for (size_t i = 0; i < n; i++) {
		if (part[i].len == 0 || part[i].len > 64)
			return vigil_error_set(VIGIL_EINVAL, "platform \"%.64s\": empty or too long part", s);
		for (size_t j = 0; j < part[i].len; j++)
			if (!plat_char_ok(part[i].ptr[j]))
				return vigil_error_set(VIGIL_EINVAL, "platform \"%.64s\": bad character", s);
	}
	char arch[65];
	memcpy(arch, part[1].ptr, part[1].len);
	arch[part[1].len] = '\0';
	out->os = vigil_arena_strndup(a, part[0].ptr, part[0].len);
	out->arch = vigil_arena_strdup(a, arch_alias(arch));
	out->variant = n == 3 ? vigil_arena_strndup(a, part[2].ptr, part[2].len) : NULL;
	if (!out->os || !out->arch || (n == 3 && !out->variant))
		return vigil_error_code();
	return 0;
}

void img_platform_format(const img_platform *p, char *out, size_t n)
{
	snprintf(out, n, "%s/%s%s%s", p->os ? p->os : "?", p->arch ? p->arch : "?",
		 p->variant && *p->variant ? "/" : "", p->variant ? p->variant : "");
}

/* 0: no match; 2: matches but for a variant not asked for; 3: matches. */
static int platform_score(const img_platform *want, const img_platform *have)
{
	if (!have->os || !have->arch || strcmp(want->os, have->os))
		return 0;
	const char *arch = arch_alias(have->arch);
	if (strcmp(arch_alias(want->arch), arch))
		return 0;
	const char *hv = variant_norm(arch, have->variant);
	if (want->variant)
		return strcmp(variant_norm(arch, want->variant), hv) ? 0 : 3;
	return strcmp(variant_norm(arch, NULL), hv) ? 2 : 3;
}

bool img_platform_match(const img_platform *want, const img_platform *have)
{
	return platform_score(want, have) > 0;
}

int img_platform_score(const img_platform *want, const img_platform *have)
{
	return platform_score(want, have);
}

/* ---- walking the indexes ---- */

struct leaf {
	img_desc desc;
	const img_desc *root; /* the descriptor of index.json it was reached from */
	int score;
};

struct walk {
	vigil_image *img;
	const img_select *sel;
	struct leaf *leaves;
	size_t n, cap;
	size_t reads;       /* blobs read, bounded by VIGIL_IMAGE_MAX_MANIFESTS */
	bool lenient;       /* docker-archive: blobs may be missing */
	img_desc by_digest; /* the root of oci:DIR@DIGEST */
};

static int add_leaf(struct walk *w, const img_desc *d, const img_desc *root)
{
	if (w->n >= VIGIL_IMAGE_MAX_MANIFESTS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d manifests", w->img->where,
				       VIGIL_IMAGE_MAX_MANIFESTS);
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 16;
		struct leaf *nl = realloc(w->leaves, nc * sizeof(*nl));
		if (!nl)
			return vigil_error_oom();
		w->leaves = nl;
		w->cap = nc;
	}
	w->leaves[w->n].desc = *d;
	w->leaves[w->n].root = root;
	w->leaves[w->n].score = 0;
	w->n++;
	return 0;
}

static int read_blob(struct walk *w, const img_desc *d, char **data, size_t *len)
{
	if (++w->reads > VIGIL_IMAGE_MAX_MANIFESTS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d index and manifest blobs to read",
				       w->img->where, VIGIL_IMAGE_MAX_MANIFESTS);
	return img_store_read_blob(w->img, d, data, len);
}

static int expand(struct walk *w, const img_desc *d, const img_desc *root, int depth)
{
	char *data = NULL;
	size_t len;
	img_index idx;
	img_doc_kind kind = img_media_doc_kind(d->media_type);
	int rc = 0;
	if (d->media_type && kind == IMG_DOC_UNKNOWN)
		return 0; /* artifacts, schema 1, attestations: not images */
	if (kind == IMG_DOC_MANIFEST)
		return add_leaf(w, d, root);
	/* an index, or a descriptor without a media type: read it */
	rc = read_blob(w, d, &data, &len);
	if (rc == VIGIL_ENOTFOUND && w->lenient)
		return 0;
	if (rc < 0)
		goto out;
	char what[VIGIL_DIGEST_MAX + 16];
	img_blob_path(d->digest, what, sizeof(what));
	if (kind == IMG_DOC_UNKNOWN) {
		if ((rc = img_sniff_doc(what, data, len, &kind)) < 0)
			goto out;
		if (kind == IMG_DOC_MANIFEST) {
			rc = add_leaf(w, d, root);
			goto out;
		}
	}
	if (depth >= VIGIL_IMAGE_MAX_INDEX_DEPTH) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: %s: indexes nested more than %d deep", w->img->where,
				     what, VIGIL_IMAGE_MAX_INDEX_DEPTH);
		goto out;
	}
	if ((rc = img_parse_index(w->img->arena, what, data, len, &idx)) < 0)
		goto out;
	for (size_t i = 0; i < idx.n && rc >= 0; i++)
		rc = expand(w, &idx.manifests[i], root, depth + 1);
out:
	free(data);
	return rc;
}

static const char *root_name(const img_desc *root)
{
	return root->ref_name ? root->ref_name : root->image_name ? root->image_name : root->digest;
}

static void list_platforms(const struct walk *w, vigil_buf *b)
{
	char p[3 * 66];
	for (size_t i = 0; i < w->n; i++) {
		const img_desc *d = &w->leaves[i].desc;
		if (!d->has_platform)
			continue;
		img_platform_format(&d->platform, p, sizeof(p));
		vigil_buf_printf(b, "%s%s", b->len ? ", " : "", p);
	}
}

/* The leaf chosen for the platform among those reached from root: the best
 * score; NULL when none matches. Two different best ones: ambiguous. */
static int pick_in_root(struct walk *w, const img_desc *root, const char *want,
			const struct leaf **out)
{
	const struct leaf *best = NULL;
	*out = NULL;
	for (size_t i = 0; i < w->n; i++) {
		const struct leaf *l = &w->leaves[i];
		if (l->root != root || l->score == 0)
			continue;
		if (!best || l->score > best->score)
			best = l;
		else if (l->score == best->score && strcmp(l->desc.digest, best->desc.digest))
			return vigil_error_set(VIGIL_EINVAL, "%s: %s has several manifests for %s (%s, %s): give one, oci:DIR@DIGEST",
					       w->img->where, root_name(root), want, best->desc.digest, l->desc.digest);
	}
	*out = best;
	return 0;
}

/* Picks the one manifest the selection means: within each root (a
 * descriptor of index.json) the one for the platform; across roots there
 * must be one image left (a tag tells them apart). */
static int pick(struct walk *w, const struct leaf **out)
{
	const img_select *sel = w->sel;
	char want[3 * 66];
	const struct leaf *first = NULL;
	bool several = false;
	int rc = 0;
	vigil_buf b;
	vigil_buf_init(&b, 1024);
	img_platform_format(&sel->platform, want, sizeof(want));
	for (size_t i = 0; i < w->n; i++) {
		struct leaf *l = &w->leaves[i];
		l->score = l->desc.has_platform ? platform_score(&sel->platform, &l->desc.platform) : 1;
	}
	for (size_t i = 0; i < w->n && rc >= 0; i++) {
		const struct leaf *c;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = w->leaves[j].root == w->leaves[i].root;
		if (seen || (rc = pick_in_root(w, w->leaves[i].root, want, &c)) < 0 || !c)
			continue;
		if (!first)
			first = c;
		else if (strcmp(first->desc.digest, c->desc.digest)) {
			if (!several)
				vigil_buf_printf(&b, "%s", root_name(first->root));
			vigil_buf_printf(&b, ", %s", root_name(c->root));
			several = true;
		}
	}
	if (rc < 0)
		goto out;
	if (w->n == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no image manifest%s%s", w->img->where,
				     sel->tag ? " tagged " : "", sel->tag ? sel->tag : "");
	} else if (!first) {
		list_platforms(w, &b);
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no image for platform %s (there are: %s)",
				     w->img->where, want, vigil_buf_cstr(&b));
	} else if (several) {
		rc = vigil_error_set(VIGIL_EINVAL, "%s: holds several images: give a tag, oci:DIR:TAG (%s)",
				     w->img->where, vigil_buf_cstr(&b));
	} else {
		*out = first;
	}
out:
	vigil_buf_free(&b);
	return rc;
}

/* ---- the chosen image ---- */

static int check_config_platform(vigil_image *img, const img_select *sel, const struct leaf *l,
				 const img_config *cfg)
{
	const img_platform *p = l->desc.has_platform ? &l->desc.platform : &cfg->platform;
	if (p->os && p->arch)
		img_platform_format(p, img->platform, sizeof(img->platform));
	if (l->desc.has_platform || !sel->platform_given || !cfg->platform.os || !cfg->platform.arch)
		return 0;
	if (platform_score(&sel->platform, &cfg->platform) > 0)
		return 0;
	char want[3 * 66];
	img_platform_format(&sel->platform, want, sizeof(want));
	return vigil_error_set(VIGIL_ENOTFOUND, "%s: the image is for %s, not %s", img->where,
			       img->platform, want);
}

static int fill_layer(vigil_image *img, size_t i, const img_desc *d, const char *diff_id)
{
	vigil_layer_desc *l = &img->layers[i];
	char path[VIGIL_DIGEST_MAX + 16];
	uint64_t size, off;
	bool foreign;
	img_blob_path(d->digest, path, sizeof(path));
	img_media_is_layer(d->media_type, &foreign);
	int rc = img_store_stat(img, path, &size, &off);
	if (rc == VIGIL_ENOTFOUND && foreign)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: layer %zu (%s) is non-distributable (%s) and its blob is not in the layout",
				       img->where, i, d->digest, d->media_type);
	if (rc < 0)
		return rc;
	if (size != d->size)
		return vigil_error_set(VIGIL_EDIGEST, "%s: %s: %llu bytes, its descriptor says %llu",
				       img->where, path, (unsigned long long)size, (unsigned long long)d->size);
	snprintf(l->digest, sizeof(l->digest), "%s", d->digest);
	snprintf(l->diff_id, sizeof(l->diff_id), "%s", diff_id);
	l->verify = VIGIL_VERIFY_BLOB;
	l->media_type = d->media_type;
	l->size = d->size;
	img->locs[i].offset = off;
	img->locs[i].blob = vigil_arena_strdup(img->arena, path);
	return img->locs[i].blob ? 0 : vigil_error_code();
}

/* Reads the manifest of leaf l; *match: its config is sel->config (or no
 * config is asked for). */
static int load_manifest(struct walk *w, const struct leaf *l, img_manifest *m, bool *match)
{
	char *data = NULL, what[VIGIL_DIGEST_MAX + 16];
	size_t len;
	img_blob_path(l->desc.digest, what, sizeof(what));
	int rc = read_blob(w, &l->desc, &data, &len);
	if (rc >= 0)
		rc = img_parse_manifest(w->img->arena, what, data, len, m);
	free(data);
	*match = rc >= 0 && (!w->sel->config || !strcmp(m->config.digest, w->sel->config));
	return rc;
}

static int build(struct walk *w, const struct leaf *l, const img_manifest *m)
{
	vigil_image *img = w->img;
	char *data = NULL;
	size_t len;
	img_config cfg;
	int rc;
	if ((rc = read_blob(w, &m->config, &data, &len)) < 0)
		goto out;
	char what[VIGIL_DIGEST_MAX + 16];
	img_blob_path(m->config.digest, what, sizeof(what));
	if ((rc = img_parse_config(img->arena, what, data, len, &cfg)) < 0 ||
	    (rc = check_config_platform(img, w->sel, l, &cfg)) < 0)
		goto out;
	img->config_json = cfg.raw;
	img->config_len = cfg.raw_len;
	if (cfg.n != m->nlayers) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: %s: %zu rootfs.diff_ids for %zu layers in manifest %s",
				     img->where, what, cfg.n, m->nlayers, l->desc.digest);
		goto out;
	}
	if ((rc = img_layers_alloc(img, m->nlayers)) < 0)
		goto out;
	for (size_t i = 0; i < m->nlayers; i++) {
		img->layers[i].created_by = cfg.created_by ? cfg.created_by[i] : NULL;
		if ((rc = fill_layer(img, i, &m->layers[i], cfg.diff_ids[i])) < 0)
			goto out;
	}
	img->kind = VIGIL_IMAGE_LAYERS;
	snprintf(img->manifest_digest, sizeof(img->manifest_digest), "%s", l->desc.digest);
	snprintf(img->config_digest, sizeof(img->config_digest), "%s", m->config.digest);
out:
	free(data);
	return rc;
}

/* Whether descriptor d carries the tag asked for: its ref.name, or (an
 * oci-archive) its containerd image name or a ref.name that is a whole
 * reference, compared after Docker's normalisation. */
static bool tag_matches(const img_select *sel, const img_desc *d)
{
	if (d->ref_name && !strcmp(d->ref_name, sel->tag))
		return true;
	if (!sel->ref_by_name)
		return false;
	char want[2 * VIGIL_IMAGE_MAX_STRING], have[2 * VIGIL_IMAGE_MAX_STRING];
	img_normalize_ref(sel->tag, want, sizeof(want));
	if (d->image_name) {
		img_normalize_ref(d->image_name, have, sizeof(have));
		if (!strcmp(want, have))
			return true;
	}
	if (d->ref_name && strchr(d->ref_name, '/')) {
		img_normalize_ref(d->ref_name, have, sizeof(have));
		return !strcmp(want, have);
	}
	return false;
}

/* The roots of the walk: the blob named by digest, the descriptors with the
 * tag, or all of index.json. */
static int walk_roots(struct walk *w, const img_index *top)
{
	const img_select *sel = w->sel;
	int rc = 0;
	if (sel->digest) {
		/* in index.json, or any blob of the layout (read to see what it is) */
		img_desc *d = &w->by_digest;
		uint64_t off;
		bool listed = false;
		char path[VIGIL_DIGEST_MAX + 16];
		snprintf(d->digest, sizeof(d->digest), "%s", sel->digest);
		img_blob_path(d->digest, path, sizeof(path));
		for (size_t i = 0; i < top->n && !listed; i++)
			if (!strcmp(top->manifests[i].digest, sel->digest)) {
				*d = top->manifests[i];
				listed = true;
			}
		if (!listed && (rc = img_store_stat(w->img, path, &d->size, &off)) < 0) {
			if (rc == VIGIL_ENOTFOUND)
				rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no manifest or index %s", w->img->where,
						     sel->digest);
			return rc;
		}
		return expand(w, d, d, 0);
	}
	size_t found = 0;
	for (size_t i = 0; i < top->n && rc >= 0; i++) {
		const img_desc *d = &top->manifests[i];
		if (sel->tag && !tag_matches(sel, d))
			continue;
		found++;
		rc = expand(w, d, d, 0);
	}
	if (rc >= 0 && sel->tag && !found) {
		vigil_buf b;
		vigil_buf_init(&b, 1024);
		for (size_t i = 0; i < top->n; i++) {
			const img_desc *d = &top->manifests[i];
			if (d->ref_name)
				vigil_buf_printf(&b, "%s%s", b.len ? ", " : "", d->ref_name);
			if (d->image_name && sel->ref_by_name)
				vigil_buf_printf(&b, "%s%s", b.len ? ", " : "", d->image_name);
		}
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: index.json has no tag %s (tags: %s)", w->img->where,
				     sel->tag, b.len ? vigil_buf_cstr(&b) : "none");
		vigil_buf_free(&b);
	}
	return rc;
}

static int resolve_config(struct walk *w)
{
	/* docker-archive: the manifest whose config manifest.json names */
	for (size_t i = 0; i < w->n; i++) {
		img_manifest m;
		bool match;
		int rc = load_manifest(w, &w->leaves[i], &m, &match);
		if (rc == VIGIL_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		if (match)
			return build(w, &w->leaves[i], &m);
	}
	return vigil_error_set(VIGIL_ENOTFOUND, "%s: index.json has no manifest for config %s",
			       w->img->where, w->sel->config);
}

int img_oci_resolve(vigil_image *img, const img_select *sel)
{
	struct walk w = { .img = img, .sel = sel, .lenient = img->dirfd < 0 };
	char *data = NULL;
	size_t len;
	img_index top;
	int rc;
	if ((rc = img_store_read(img, "oci-layout", 4096, &data, &len)) < 0)
		goto out;
	if ((rc = img_check_oci_layout("oci-layout", data, len)) < 0) {
		vigil_error_prefix("%s/", img->where);
		goto out;
	}
	free(data);
	if ((rc = img_store_read(img, "index.json", VIGIL_IMAGE_MAX_JSON_SIZE, &data, &len)) < 0)
		goto out;
	if ((rc = img_parse_index(img->arena, "index.json", data, len, &top)) < 0) {
		vigil_error_prefix("%s/", img->where);
		goto out;
	}
	if ((rc = walk_roots(&w, &top)) < 0)
		goto out;
	if (sel->config) {
		rc = resolve_config(&w);
		goto out;
	}
	const struct leaf *l = NULL;
	img_manifest m;
	bool match;
	if ((rc = pick(&w, &l)) < 0 || (rc = load_manifest(&w, l, &m, &match)) < 0)
		goto out;
	rc = build(&w, l, &m);
out:
	free(data);
	free(w.leaves);
	return rc;
}
