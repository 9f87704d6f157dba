/* store/store_images.c: the public face of the images vigil indexed
 * (vigil/store.h, store_images.h): recording one indexing (the reference
 * split into repository and tag, the layers joined), listing the records
 * (the joined layers split again), and the repository/tag of a reference. */
#include "store/store_priv.h"
#include "store/store_images.h"

#include "util/buf.h"
#include "util/error.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PART "image records"

static int put_str(char *out, size_t n, const char *p, size_t len)
{
	if (len >= n)
		return vigil_error_set(VIGIL_ELIMIT, "image reference part longer than %zu bytes", n - 1);
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

/* A local path made absolute when it exists, as given otherwise. */
static int local_path(const char *prefix, const char *p, size_t len, char *out, size_t n)
{
	char path[PATH_MAX], abs[PATH_MAX];
	if (len >= sizeof(path))
		return vigil_error_set(VIGIL_ELIMIT, "image path longer than %zu bytes", sizeof(path) - 1);
	memcpy(path, p, len);
	path[len] = '\0';
	const char *use = realpath(path, abs) ? abs : path;
	size_t pl = strlen(prefix), ul = strlen(use);
	if (pl + ul >= n)
		return vigil_error_set(VIGIL_ELIMIT, "image repository longer than %zu bytes", n - 1);
	memcpy(out, prefix, pl);
	memcpy(out + pl, use, ul + 1);
	return 0;
}

static const char *after(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* "oci:DIR[:TAG|@DIGEST]" and "oci-archive:FILE[:TAG]". */
static int split_oci(const char *prefix, const char *rest, char *repo, size_t rn, char *tag, size_t tn)
{
	const char *at = strrchr(rest, '@'), *colon = strchr(rest, ':');
	if (at && strchr(at, ':'))
		return local_path(prefix, rest, (size_t)(at - rest), repo, rn) < 0 ? vigil_error_code()
										: put_str(tag, tn, "", 0);
	size_t dl = colon ? (size_t)(colon - rest) : strlen(rest);
	if (local_path(prefix, rest, dl, repo, rn) < 0)
		return vigil_error_code();
	return colon ? put_str(tag, tn, colon + 1, strlen(colon + 1)) : put_str(tag, tn, "", 0);
}

/* "docker-archive:FILE[:NAME:TAG|:@N]": NAME and TAG when given. */
static int split_archive(const char *rest, char *repo, size_t rn, char *tag, size_t tn)
{
	const char *colon = strchr(rest, ':');
	const char *last = colon ? strrchr(colon + 1, ':') : NULL;
	if (colon && last && colon[1] != '@')
		return put_str(repo, rn, colon + 1, (size_t)(last - colon - 1)) < 0
			       ? vigil_error_code()
			       : put_str(tag, tn, last + 1, strlen(last + 1));
	if (local_path("docker-archive:", rest, colon ? (size_t)(colon - rest) : strlen(rest), repo, rn) < 0)
		return vigil_error_code();
	return put_str(tag, tn, "", 0);
}

/* A registry reference: the last ':' after the last '/' starts the tag;
 * "@" a digest; neither: "latest". */
static int split_registry(const char *r, char *repo, size_t rn, char *tag, size_t tn)
{
	const char *at = strchr(r, '@');
	size_t end = at ? (size_t)(at - r) : strlen(r);
	size_t from = 0;
	for (size_t i = 0; i < end; i++) /* the tag's ':' is after the last '/' (not a port's) */
		if (r[i] == '/')
			from = i + 1;
	const char *colon = NULL;
	for (size_t i = from; i < end; i++)
		if (r[i] == ':')
			colon = r + i;
	if (colon && !at)
		return put_str(repo, rn, r, (size_t)(colon - r)) < 0 ? vigil_error_code()
									: put_str(tag, tn, colon + 1, strlen(colon + 1));
	if (colon)
		end = (size_t)(colon - r);
	if (put_str(repo, rn, r, end) < 0)
		return vigil_error_code();
	return at ? put_str(tag, tn, "", 0) : put_str(tag, tn, "latest", 6);
}

int vigil_image_ref_split(const char *ref, char *repo, size_t repo_n, char *tag, size_t tag_n)
{
	const char *rest;
	if (!ref || !*ref)
		return vigil_error_set(VIGIL_EINVAL, "empty image reference");
	if ((rest = after(ref, "oci:")))
		return split_oci("oci:", rest, repo, repo_n, tag, tag_n);
	if ((rest = after(ref, "oci-archive:")))
		return split_oci("oci-archive:", rest, repo, repo_n, tag, tag_n);
	if ((rest = after(ref, "docker-archive:")))
		return split_archive(rest, repo, repo_n, tag, tag_n);
	if ((rest = after(ref, "dir:")))
		return local_path("dir:", rest, strlen(rest), repo, repo_n) < 0 ? vigil_error_code()
										 : put_str(tag, tag_n, "", 0);
	if (ref[0] == '/' || ref[0] == '.')
		return local_path("", ref, strlen(ref), repo, repo_n) < 0 ? vigil_error_code()
									   : put_str(tag, tag_n, "", 0);
	if ((rest = after(ref, "docker://")) || (rest = after(ref, "registry:")) || (rest = after(ref, "docker:")) ||
	    (rest = after(ref, "podman:")))
		return split_registry(rest, repo, repo_n, tag, tag_n);
	return split_registry(ref, repo, repo_n, tag, tag_n);
}

int vigil_store_image_record(vigil_store *s, const vigil_store_image *rec)
{
	char repo[4200], tag[1100];
	vigil_buf layers;
	int rc;
	if (!s->images)
		return store_unsupported(s, PART);
	if (!rec->reference || !rec->manifest_digest)
		return vigil_error_set(VIGIL_EINVAL, "an image record needs its reference and manifest digest");
	if (rec->layer_count > VIGIL_STORE_MAX_IMAGE_LAYERS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d layers", rec->reference,
				       VIGIL_STORE_MAX_IMAGE_LAYERS);
	vigil_buf_init(&layers, STORE_IMAGE_MAX_LAYERS_TEXT);
	store_image_row row = { .reference = rec->reference, .repository = rec->repository, .tag = rec->tag,
				.manifest = rec->manifest_digest, .config = rec->config_digest,
				.indexed_at = rec->indexed_at ? rec->indexed_at : (int64_t)time(NULL),
				.findings = rec->findings };
	if (!row.repository) {
		if ((rc = vigil_image_ref_split(rec->reference, repo, sizeof(repo), tag, sizeof(tag))) < 0)
			goto out;
		row.repository = repo;
		row.tag = *tag ? tag : NULL;
	}
	for (size_t i = 0; i < rec->layer_count; i++) {
		if (!rec->layers[i] || strchr(rec->layers[i], ' ')) {
			rc = vigil_error_set(VIGIL_EINVAL, "%s: layer %zu: not a digest", rec->reference, i);
			goto out;
		}
		if ((i && (rc = vigil_buf_putc(&layers, ' ')) < 0) || (rc = vigil_buf_puts(&layers, rec->layers[i])) < 0)
			goto out;
	}
	row.layers = vigil_buf_cstr(&layers);
	rc = s->images->put(s, &row);
out:
	vigil_buf_free(&layers);
	return rc;
}

int vigil_store_images(vigil_store *s, const char *repository, const char *tag,
		       int (*fn)(void *ud, const vigil_store_image *rec), void *ud)
{
	return s->images ? s->images->each(s, repository, tag, fn, ud) : store_unsupported(s, PART);
}

int store_image_emit(const store_image_row *row, store_image_fn fn, void *ud)
{
	const char *v[VIGIL_STORE_MAX_IMAGE_LAYERS];
	size_t n = 0, len = row->layers ? strlen(row->layers) : 0;
	char *copy = malloc(len + 1);
	int rc;
	if (!copy)
		return vigil_error_oom();
	if (len)
		memcpy(copy, row->layers, len);
	copy[len] = '\0';
	for (char *p = copy; *p && n < VIGIL_STORE_MAX_IMAGE_LAYERS;) {
		char *sp = strchr(p, ' ');
		v[n++] = p;
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	vigil_store_image rec = { .reference = row->reference, .repository = row->repository,
				  .tag = row->tag && *row->tag ? row->tag : NULL, .manifest_digest = row->manifest,
				  .config_digest = row->config && *row->config ? row->config : NULL, .layers = v,
				  .layer_count = n, .indexed_at = row->indexed_at, .findings = row->findings };
	rc = fn(ud, &rec);
	free(copy);
	return rc;
}
