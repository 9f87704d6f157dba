/* image/docker_archive.c: resolving a docker-archive, the single tar file
 * of `docker save` or `skopeo copy ... docker-archive:`. Its members are
 * indexed once (tarindex.c); manifest.json ([{Config, RepoTags, Layers}])
 * says which images it holds, and one is chosen by NAME:TAG (RepoTags,
 * compared after Docker's normalisation: "debian:12" is
 * "docker.io/library/debian:12"), by position (@N) or because it is the
 * only one. The config is read and its sha256 checked against its name.
 * Then:
 * - when the archive also holds an OCI layout (Docker 25 and later), the
 *   manifest whose config is that one is found through index.json and the
 *   layers are its blobs (identity: blob digest, verified as stored);
 * - otherwise (legacy layout), the layers are the members manifest.json
 *   lists, each identified by its rootfs.diff_ids entry (verified after
 *   decompression), except a "blobs/<alg>/<hex>" member, identified by that
 *   digest. The image's "manifest digest" is then the config's digest (the
 *   image ID), as a legacy archive has no manifest.
 * An archive without manifest.json but with an OCI layout is read as an
 * OCI layout (NAME:TAG then selects the org.opencontainers.image.ref.name). */
#include "image/image_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Docker reference normalisation ---- */

/* "name[:tag]" -> "domain/path:tag" as Docker reads it. */
void img_normalize_ref(const char *in, char *out, size_t n)
{
	vigil_slice s = vigil_slice_cstr(in), name = s, tag = VIGIL_SLICE_LIT("latest");
	ptrdiff_t colon = vigil_slice_rfind(s, ':'), slash = vigil_slice_rfind(s, '/');
	if (colon > slash) {
		name = vigil_slice_sub(s, 0, (size_t)colon);
		tag = vigil_slice_sub(s, (size_t)colon + 1, s.len);
	}
	vigil_slice first, rest;
	bool has_domain = false;
	if (vigil_slice_split(name, '/', &first, &rest))
		has_domain = vigil_slice_find(first, '.') >= 0 || vigil_slice_find(first, ':') >= 0 ||
			     vigil_slice_eq_cstr(first, "localhost");
	vigil_slice domain = VIGIL_SLICE_LIT("docker.io"), path = name;
	if (has_domain) {
		domain = vigil_slice_eq_cstr(first, "index.docker.io") ? domain : first;
		path = rest;
	}
	bool library = vigil_slice_eq_cstr(domain, "docker.io") && vigil_slice_find(path, '/') < 0;
	snprintf(out, n, "%.*s/%s%.*s:%.*s", (int)domain.len, domain.ptr, library ? "library/" : "",
		 (int)path.len, path.ptr, (int)tag.len, tag.ptr);
}

static void list_tags(const img_archive_manifest *am, vigil_buf *b)
{
	for (size_t i = 0; i < am->n; i++) {
		if (am->entries[i].ntags == 0)
			vigil_buf_printf(b, "%s@%zu (untagged)", b->len ? ", " : "", i);
		for (size_t j = 0; j < am->entries[i].ntags; j++)
			vigil_buf_printf(b, "%s%s", b->len ? ", " : "", am->entries[i].repo_tags[j]);
	}
}

static int choose_entry(vigil_image *img, const img_archive_manifest *am, const char *name,
			const img_archive_entry **out)
{
	vigil_buf b;
	int rc = 0;
	vigil_buf_init(&b, 1024);
	*out = NULL;
	if (!name) {
		if (am->n == 1) {
			*out = &am->entries[0];
			goto out;
		}
		list_tags(am, &b);
		rc = vigil_error_set(VIGIL_EINVAL, "%s holds %zu images: give one, docker-archive:FILE:NAME:TAG or :@N (%s)",
				     img->where, am->n, vigil_buf_cstr(&b));
		goto out;
	}
	if (name[0] == '@') {
		uint64_t i;
		if (!vigil_slice_to_u64(vigil_slice_cstr(name + 1), VIGIL_IMAGE_MAX_ENTRIES, &i) || i >= am->n) {
			rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no image %s (it holds %zu, @0 to @%zu)",
					     img->where, name, am->n, am->n - 1);
			goto out;
		}
		*out = &am->entries[i];
		goto out;
	}
	char want[2 * VIGIL_IMAGE_MAX_STRING], have[2 * VIGIL_IMAGE_MAX_STRING];
	img_normalize_ref(name, want, sizeof(want));
	for (size_t i = 0; i < am->n && !*out; i++)
		for (size_t j = 0; j < am->entries[i].ntags && !*out; j++) {
			img_normalize_ref(am->entries[i].repo_tags[j], have, sizeof(have));
			if (!strcmp(want, have))
				*out = &am->entries[i];
		}
	if (!*out) {
		list_tags(am, &b);
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: no image tagged %s (it holds: %s)", img->where, name,
				     vigil_buf_cstr(&b));
	}
out:
	vigil_buf_free(&b);
	return rc;
}

/* The digest a member name says its content has: "blobs/<alg>/<hex>" or
 * "<64 hex>.json"; "" when it says none. */
static void digest_of_name(const char *name, char *out, size_t n)
{
	vigil_slice s = vigil_slice_cstr(name);
	out[0] = '\0';
	if (vigil_slice_starts_with(s, "blobs/")) {
		vigil_slice alg, hex;
		vigil_slice_split(vigil_slice_sub(s, 6, s.len), '/', &alg, &hex);
		snprintf(out, n, "%.*s:%.*s", (int)alg.len, alg.ptr, (int)hex.len, hex.ptr);
	} else if (vigil_slice_ends_with(s, ".json") && s.len == 64 + 5) {
		snprintf(out, n, "sha256:%.64s", name);
	}
	if (out[0] && vigil_digest_check_slice(vigil_slice_cstr(out), "member name") < 0)
		out[0] = '\0';
}

static int read_config(vigil_image *img, const img_archive_entry *e, img_config *cfg)
{
	char *data = NULL, named[VIGIL_DIGEST_MAX];
	size_t len;
	int rc = img_store_read(img, e->config, VIGIL_IMAGE_MAX_JSON_SIZE, &data, &len);
	if (rc < 0)
		goto out;
	digest_of_name(e->config, named, sizeof(named));
	char what[VIGIL_TAR_MAX_NAME + VIGIL_IMAGE_MAX_STRING + 2];
	snprintf(what, sizeof(what), "%s: %s", img->where, e->config);
	if (named[0] && (rc = vigil_digest_verify(named, data, len, what)) < 0)
		goto out;
	if (vigil_digest_is_sha256(vigil_slice_cstr(named)))
		snprintf(img->config_digest, sizeof(img->config_digest), "%s", named);
	else if ((rc = vigil_digest_sha256(data, len, img->config_digest)) < 0)
		goto out;
	if ((rc = img_parse_config(img->arena, what, data, len, cfg)) < 0)
		goto out;
	img->config_json = cfg->raw;
	img->config_len = cfg->raw_len;
out:
	free(data);
	return rc;
}

static int legacy_layers(vigil_image *img, const img_archive_entry *e, const img_config *cfg)
{
	int rc;
	if (cfg->n != e->nlayers)
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s has %zu rootfs.diff_ids for %zu Layers in manifest.json",
				       img->where, e->config, cfg->n, e->nlayers);
	if ((rc = img_layers_alloc(img, e->nlayers)) < 0)
		return rc;
	for (size_t i = 0; i < e->nlayers; i++) {
		vigil_layer_desc *l = &img->layers[i];
		const img_tar_member *m;
		char named[VIGIL_DIGEST_MAX];
		if ((rc = img_tar_lookup(&img->tar, img->where, e->layers[i], &m)) < 0)
			return rc;
		digest_of_name(e->layers[i], named, sizeof(named));
		bool blob = vigil_slice_starts_with(vigil_slice_cstr(e->layers[i]), "blobs/") && named[0];
		snprintf(l->digest, sizeof(l->digest), "%s", blob ? named : cfg->diff_ids[i]);
		snprintf(l->diff_id, sizeof(l->diff_id), "%s", cfg->diff_ids[i]);
		l->created_by = cfg->created_by ? cfg->created_by[i] : NULL;
		l->verify = blob ? VIGIL_VERIFY_BLOB : VIGIL_VERIFY_DIFF;
		l->media_type = NULL;
		l->size = m->size;
		img->locs[i].offset = m->offset;
	}
	snprintf(img->manifest_digest, sizeof(img->manifest_digest), "%s", img->config_digest);
	img->kind = VIGIL_IMAGE_LAYERS;
	return 0;
}

static bool has_oci_layout(vigil_image *img)
{
	uint64_t size, off;
	int a = img_store_stat(img, "oci-layout", &size, &off);
	int b = img_store_stat(img, "index.json", &size, &off);
	vigil_error_clear();
	return a == 0 && b == 0;
}

static int check_platform(vigil_image *img, const img_select *sel, const img_config *cfg)
{
	if (!cfg->platform.os || !cfg->platform.arch)
		return 0;
	img_platform_format(&cfg->platform, img->platform, sizeof(img->platform));
	if (!sel->platform_given || img_platform_match(&sel->platform, &cfg->platform))
		return 0;
	char want[3 * 66];
	img_platform_format(&sel->platform, want, sizeof(want));
	return vigil_error_set(VIGIL_ENOTFOUND, "%s: the image is for %s, not %s", img->where,
			       img->platform, want);
}

int img_docker_archive_resolve(vigil_image *img, const char *name, const img_select *sel)
{
	char *data = NULL;
	size_t len;
	img_archive_manifest am;
	const img_archive_entry *e;
	img_config cfg;
	int rc = img_tar_index_build(img->arena, img_fd_read_at, &img->fd, img->file_size, img->where,
				     &img->tar);
	if (rc < 0)
		goto out;
	rc = img_store_read(img, "manifest.json", VIGIL_IMAGE_MAX_JSON_SIZE, &data, &len);
	if (rc == VIGIL_ENOTFOUND && has_oci_layout(img)) {
		img_select oci = *sel;
		oci.tag = name;
		rc = img_oci_resolve(img, &oci);
		goto out;
	}
	if (rc == VIGIL_ENOTFOUND)
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: no manifest.json: not a docker-archive (or one older than Docker 1.10)",
				     img->where);
	if (rc < 0)
		goto out;
	char what[VIGIL_TAR_MAX_NAME + 16];
	snprintf(what, sizeof(what), "%s: manifest.json", img->where);
	if ((rc = img_parse_archive_manifest(img->arena, what, data, len, &am)) < 0 ||
	    (rc = choose_entry(img, &am, name, &e)) < 0 ||
	    (rc = read_config(img, e, &cfg)) < 0 ||
	    (rc = check_platform(img, sel, &cfg)) < 0)
		goto out;
	if (has_oci_layout(img)) {
		img_select oci = { .config = img->config_digest, .platform = sel->platform };
		char config_digest[VIGIL_DIGEST_MAX];
		snprintf(config_digest, sizeof(config_digest), "%s", img->config_digest);
		oci.config = config_digest;
		rc = img_oci_resolve(img, &oci);
		if (rc != VIGIL_ENOTFOUND)
			goto out;
		/* index.json does not know this image: read manifest.json's layers */
		vigil_error_clear();
	}
	rc = legacy_layers(img, e, &cfg);
out:
	free(data);
	return rc;
}

int img_oci_archive_resolve(vigil_image *img, const char *tag, const img_select *sel)
{
	int rc = img_tar_index_build(img->arena, img_fd_read_at, &img->fd, img->file_size, img->where,
				     &img->tar);
	if (rc < 0)
		return rc;
	if (!has_oci_layout(img))
		return vigil_error_set(VIGIL_EFORMAT, "%s: no oci-layout and index.json: not an oci-archive%s",
				       img->where,
				       img_store_stat(img, "manifest.json", &(uint64_t){ 0 }, &(uint64_t){ 0 }) == 0
					       ? " (it has manifest.json: a docker-archive)"
					       : "");
	img_select oci = *sel;
	oci.tag = tag;
	oci.ref_by_name = true;
	return img_oci_resolve(img, &oci);
}
