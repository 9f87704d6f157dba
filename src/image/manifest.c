/* image/manifest.c: the JSON documents of an image, read with jansson: OCI
 * index and Docker manifest list, OCI and Docker schema2 manifest, image
 * config (rootfs.diff_ids, platform), docker-archive manifest.json and the
 * oci-layout file; plus digests (checked syntax, sha256/sha512 verification)
 * and media types. Every document is bounded (VIGIL_IMAGE_MAX_*), duplicate
 * keys are refused, and errors name the file and the field
 * ("index.json: manifests[2].digest: ..."). */
#include "image/image_priv.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* ---- media types ---- */

img_doc_kind img_media_doc_kind(const char *mt)
{
	if (!mt)
		return IMG_DOC_UNKNOWN;
	if (!strcmp(mt, VIGIL_MT_OCI_INDEX) || !strcmp(mt, VIGIL_MT_DOCKER_LIST))
		return IMG_DOC_INDEX;
	if (!strcmp(mt, VIGIL_MT_OCI_MANIFEST) || !strcmp(mt, VIGIL_MT_DOCKER_MANIFEST))
		return IMG_DOC_MANIFEST;
	return IMG_DOC_UNKNOWN;
}

bool img_media_is_layer(const char *mt, bool *foreign)
{
	static const char *const plain[] = {
		"application/vnd.oci.image.layer.v1.tar",
		"application/vnd.oci.image.layer.v1.tar+gzip",
		"application/vnd.oci.image.layer.v1.tar+zstd",
		"application/vnd.docker.image.rootfs.diff.tar",
		"application/vnd.docker.image.rootfs.diff.tar.gzip",
		"application/vnd.docker.image.rootfs.diff.tar.zstd",
	};
	static const char *const nondist[] = {
		"application/vnd.oci.image.layer.nondistributable.v1.tar",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
		"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
		"application/vnd.docker.image.rootfs.foreign.diff.tar",
		"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
	};
	*foreign = false;
	if (!mt)
		return false;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(mt, plain[i]))
			return true;
	for (size_t i = 0; i < sizeof(nondist) / sizeof(nondist[0]); i++)
		if (!strcmp(mt, nondist[i]))
			return *foreign = true;
	return false;
}

/* ---- digests (util/digest.c checks, hashes and compares) ---- */

void img_blob_path(const char *digest, char *out, size_t n)
{
	vigil_slice alg, hex;
	vigil_slice_split(vigil_slice_cstr(digest), ':', &alg, &hex);
	snprintf(out, n, "blobs/%.*s/%.*s", (int)alg.len, alg.ptr, (int)hex.len, hex.ptr);
}

/* ---- JSON helpers ---- */

static int load(const char *what, const char *data, size_t len, json_t **out)
{
	json_error_t je;
	*out = NULL;
	if (len > VIGIL_IMAGE_MAX_JSON_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes of JSON (limit %u)", what, len,
				       VIGIL_IMAGE_MAX_JSON_SIZE);
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return vigil_error_set(VIGIL_EFORMAT, "%s: bad JSON at line %d column %d: %s", what,
				       je.line, je.column, je.text);
	*out = j;
	return 0;
}

/* A string member copied into a (NULL when absent and optional); the
 * checks and messages are util/json.c's, what in front. */
static int get_str(vigil_arena *a, const char *what, const char *field, json_t *o,
		   const char *key, bool required, const char **out)
{
	vigil_slice v;
	json_t *present;
	int flags = required ? VIGIL_JSON_REQUIRED : 0, rc;
	*out = NULL;
	if ((rc = vigil_json_get(o, field, key, JSON_STRING, flags, &present)) < 0 ||
	    (rc = vigil_json_str(o, field, key, flags, VIGIL_IMAGE_MAX_STRING, &v)) < 0) {
		vigil_error_prefix("%s: ", what);
		return rc;
	}
	if (present && !(*out = vigil_arena_strndup(a, v.ptr, v.len)))
		return vigil_error_code();
	return 0;
}

/* An array member with at most max items (*n = 0 when absent and optional). */
static int get_array(const char *what, const char *field, json_t *o, const char *key,
		     bool required, size_t max, json_t **arr, size_t *n)
{
	int rc = vigil_json_arr(o, field, key, required ? VIGIL_JSON_REQUIRED : 0, max, arr);
	*n = rc == 0 && *arr ? json_array_size(*arr) : 0;
	if (rc < 0)
		vigil_error_prefix("%s: ", what);
	return rc;
}

static int check_schema(const char *what, json_t *root)
{
	json_t *v = json_object_get(root, "schemaVersion");
	if (!v)
		return vigil_error_set(VIGIL_EFORMAT, "%s: schemaVersion: missing", what);
	if (!json_is_integer(v))
		return vigil_error_set(VIGIL_EFORMAT, "%s: schemaVersion: not a number", what);
	if (json_integer_value(v) == 1)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: Docker schema 1 manifests are not supported", what);
	if (json_integer_value(v) != 2)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: schemaVersion %lld is not supported", what,
				       (long long)json_integer_value(v));
	return 0;
}

static int parse_platform(vigil_arena *a, const char *what, const char *field, json_t *o,
			  img_platform *p)
{
	int rc;
	if (!json_is_object(o))
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s: not an object", what, field);
	if ((rc = get_str(a, what, field, o, "os", true, &p->os)) < 0 ||
	    (rc = get_str(a, what, field, o, "architecture", true, &p->arch)) < 0 ||
	    (rc = get_str(a, what, field, o, "variant", false, &p->variant)) < 0)
		return rc;
	return 0;
}

static int parse_desc(vigil_arena *a, const char *what, const char *field, json_t *o,
		      img_desc *d)
{
	const char *digest;
	char sub[96];
	int rc;
	memset(d, 0, sizeof(*d));
	if (!json_is_object(o))
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s: not an object", what, field);
	if ((rc = get_str(a, what, field, o, "mediaType", false, &d->media_type)) < 0 ||
	    (rc = get_str(a, what, field, o, "digest", true, &digest)) < 0)
		return rc;
	snprintf(sub, sizeof(sub), "%s: %s.digest", what, field);
	if ((rc = vigil_digest_check_slice(vigil_slice_cstr(digest), sub)) < 0)
		return rc;
	snprintf(d->digest, sizeof(d->digest), "%s", digest);
	json_t *size = json_object_get(o, "size");
	if (!size)
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s.size: missing", what, field);
	if (!json_is_integer(size) || json_integer_value(size) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s.size: not a non-negative integer", what, field);
	d->size = (uint64_t)json_integer_value(size);
	json_t *plat = json_object_get(o, "platform");
	if (plat && !json_is_null(plat)) {
		snprintf(sub, sizeof(sub), "%s.platform", field);
		if ((rc = parse_platform(a, what, sub, plat, &d->platform)) < 0)
			return rc;
		d->has_platform = true;
	}
	json_t *ann = json_object_get(o, "annotations");
	if (ann && !json_is_null(ann)) {
		snprintf(sub, sizeof(sub), "%s.annotations", field);
		if (!json_is_object(ann))
			return vigil_error_set(VIGIL_EFORMAT, "%s: %s: not an object", what, sub);
		if ((rc = get_str(a, what, sub, ann, "org.opencontainers.image.ref.name", false, &d->ref_name)) < 0 ||
		    (rc = get_str(a, what, sub, ann, "io.containerd.image.name", false, &d->image_name)) < 0)
			return rc;
	}
	return 0;
}

/* ---- documents ---- */

int img_parse_index(vigil_arena *a, const char *what, const char *data, size_t len,
		    img_index *out)
{
	json_t *root = NULL, *arr;
	const char *mt;
	char field[48];
	size_t n;
	int rc = load(what, data, len, &root);
	memset(out, 0, sizeof(*out));
	if (rc < 0)
		goto out;
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a JSON object", what);
		goto out;
	}
	if ((rc = check_schema(what, root)) < 0 ||
	    (rc = get_str(a, what, "", root, "mediaType", false, &mt)) < 0)
		goto out;
	if (mt && img_media_doc_kind(mt) != IMG_DOC_INDEX) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: mediaType %s is not an index", what, mt);
		goto out;
	}
	if ((rc = get_array(what, "", root, "manifests", true, VIGIL_IMAGE_MAX_MANIFESTS, &arr, &n)) < 0)
		goto out;
	out->manifests = vigil_arena_calloc(a, n ? n : 1, sizeof(img_desc));
	if (!out->manifests) {
		rc = vigil_error_code();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(field, sizeof(field), "manifests[%zu]", i);
		if ((rc = parse_desc(a, what, field, json_array_get(arr, i), &out->manifests[i])) < 0)
			goto out;
	}
	out->n = n;
out:
	json_decref(root);
	return rc;
}

static int check_layer(const char *what, size_t i, const img_desc *d)
{
	bool foreign;
	if (!d->media_type)
		return vigil_error_set(VIGIL_EFORMAT, "%s: layers[%zu].mediaType: missing", what, i);
	if (!img_media_is_layer(d->media_type, &foreign))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: layers[%zu]: media type %s is not a layer vigil reads",
				       what, i, d->media_type);
	return 0;
}

int img_parse_manifest(vigil_arena *a, const char *what, const char *data, size_t len,
		       img_manifest *out)
{
	json_t *root = NULL, *arr;
	char field[48];
	size_t n;
	int rc = load(what, data, len, &root);
	memset(out, 0, sizeof(*out));
	if (rc < 0)
		goto out;
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a JSON object", what);
		goto out;
	}
	if ((rc = check_schema(what, root)) < 0 ||
	    (rc = get_str(a, what, "", root, "mediaType", false, &out->media_type)) < 0)
		goto out;
	if (out->media_type && img_media_doc_kind(out->media_type) != IMG_DOC_MANIFEST) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: mediaType %s is not an image manifest", what,
				     out->media_type);
		goto out;
	}
	if (!json_object_get(root, "config")) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: config: missing", what);
		goto out;
	}
	if ((rc = parse_desc(a, what, "config", json_object_get(root, "config"), &out->config)) < 0)
		goto out;
	const char *cmt = out->config.media_type;
	if (!cmt || (strcmp(cmt, VIGIL_MT_OCI_CONFIG) && strcmp(cmt, VIGIL_MT_DOCKER_CONFIG))) {
		rc = vigil_error_set(VIGIL_EUNSUPPORTED, "%s: not a container image (config media type %s)",
				     what, cmt ? cmt : "missing");
		goto out;
	}
	if ((rc = get_array(what, "", root, "layers", true, VIGIL_IMAGE_MAX_LAYERS, &arr, &n)) < 0)
		goto out;
	out->layers = vigil_arena_calloc(a, n ? n : 1, sizeof(img_desc));
	if (!out->layers) {
		rc = vigil_error_code();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(field, sizeof(field), "layers[%zu]", i);
		if ((rc = parse_desc(a, what, field, json_array_get(arr, i), &out->layers[i])) < 0 ||
		    (rc = check_layer(what, i, &out->layers[i])) < 0)
			goto out;
	}
	out->nlayers = n;
out:
	json_decref(root);
	return rc;
}

/* An array of strings into arena memory; check_digest: each must be one. */
static int get_str_array(vigil_arena *a, const char *what, const char *field, json_t *o,
			 const char *key, bool required, size_t max, bool check_digest,
			 const char ***out, size_t *count)
{
	json_t *arr;
	size_t n;
	char sub[96];
	int rc = get_array(what, field, o, key, required, max, &arr, &n);
	*out = NULL;
	*count = 0;
	if (rc < 0)
		return rc;
	const char **v = vigil_arena_calloc(a, n ? n : 1, sizeof(char *));
	if (!v)
		return vigil_error_code();
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(arr, i);
		snprintf(sub, sizeof(sub), "%s%s%s[%zu]", field, *field ? "." : "", key, i);
		if (!json_is_string(s))
			return vigil_error_set(VIGIL_EFORMAT, "%s: %s: not a string", what, sub);
		size_t len = json_string_length(s);
		if (len > VIGIL_IMAGE_MAX_STRING)
			return vigil_error_set(VIGIL_ELIMIT, "%s: %s: %zu bytes (limit %d)", what,
					       sub, len, VIGIL_IMAGE_MAX_STRING);
		if (!(v[i] = vigil_arena_strndup(a, json_string_value(s), len)))
			return vigil_error_code();
		if (check_digest) {
			char full[160];
			snprintf(full, sizeof(full), "%s: %s", what, sub);
			if ((rc = vigil_digest_check_slice(vigil_slice_make(v[i], len), full)) < 0)
				return rc;
		}
	}
	*out = v;
	*count = n;
	return 0;
}

/* history[]: the created_by of each entry that made a layer (empty_layer
 * not true), in order, onto the n layers. Informational, so lenient: a
 * history that is absent, malformed or does not count n layers leaves
 * every line NULL; a long line is cut. */
static int config_history(vigil_arena *a, json_t *root, img_config *out)
{
	json_t *h = json_object_get(root, "history"), *e;
	size_t i, k = 0;
	if (!out->n || !(out->created_by = vigil_arena_calloc(a, out->n, sizeof(*out->created_by))))
		return out->n ? vigil_error_code() : 0;
	if (!json_is_array(h))
		return 0;
	json_array_foreach(h, i, e) {
		if (!json_is_object(e) || json_is_true(json_object_get(e, "empty_layer")))
			continue;
		if (k == out->n)
			break;
		json_t *cb = json_object_get(e, "created_by");
		if (json_is_string(cb)) {
			size_t l = json_string_length(cb);
			if (l > VIGIL_IMAGE_MAX_CREATED_BY)
				l = VIGIL_IMAGE_MAX_CREATED_BY;
			if (!(out->created_by[k] = vigil_arena_strndup(a, json_string_value(cb), l)))
				return vigil_error_code();
		}
		k++;
	}
	if (k != out->n)
		memset(out->created_by, 0, out->n * sizeof(*out->created_by));
	return 0;
}

int img_parse_config(vigil_arena *a, const char *what, const char *data, size_t len,
		     img_config *out)
{
	json_t *root = NULL, *rootfs;
	const char *type;
	int rc = load(what, data, len, &root);
	memset(out, 0, sizeof(*out));
	if (rc < 0)
		goto out;
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a JSON object", what);
		goto out;
	}
	if ((rc = get_str(a, what, "", root, "os", false, &out->platform.os)) < 0 ||
	    (rc = get_str(a, what, "", root, "architecture", false, &out->platform.arch)) < 0 ||
	    (rc = get_str(a, what, "", root, "variant", false, &out->platform.variant)) < 0)
		goto out;
	rootfs = json_object_get(root, "rootfs");
	if (!rootfs || !json_is_object(rootfs)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: rootfs: %s", what, rootfs ? "not an object" : "missing");
		goto out;
	}
	if ((rc = get_str(a, what, "rootfs", rootfs, "type", true, &type)) < 0)
		goto out;
	if (strcmp(type, "layers")) {
		rc = vigil_error_set(VIGIL_EUNSUPPORTED, "%s: rootfs.type is \"%s\", not \"layers\"", what, type);
		goto out;
	}
	if ((rc = get_str_array(a, what, "rootfs", rootfs, "diff_ids", true, VIGIL_IMAGE_MAX_LAYERS, true,
				&out->diff_ids, &out->n)) < 0)
		goto out;
	if ((rc = config_history(a, root, out)) < 0)
		goto out;
	if (!(out->raw = vigil_arena_strndup(a, data, len)))
		rc = vigil_error_set(VIGIL_ENOMEM, "%s: out of memory", what);
	out->raw_len = len;
out:
	json_decref(root);
	return rc;
}

int img_parse_archive_manifest(vigil_arena *a, const char *what, const char *data, size_t len,
			       img_archive_manifest *out)
{
	json_t *root = NULL;
	char field[48];
	int rc = load(what, data, len, &root);
	memset(out, 0, sizeof(*out));
	if (rc < 0)
		goto out;
	if (!json_is_array(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a JSON array", what);
		goto out;
	}
	size_t n = json_array_size(root);
	if (n > VIGIL_IMAGE_MAX_ENTRIES) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: %zu images (limit %d)", what, n, VIGIL_IMAGE_MAX_ENTRIES);
		goto out;
	}
	if (n == 0) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: holds no image", what);
		goto out;
	}
	out->entries = vigil_arena_calloc(a, n, sizeof(img_archive_entry));
	if (!out->entries) {
		rc = vigil_error_code();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(root, i);
		img_archive_entry *e = &out->entries[i];
		snprintf(field, sizeof(field), "[%zu]", i);
		if (!json_is_object(o)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: %s: not an object", what, field);
			goto out;
		}
		if ((rc = get_str(a, what, field, o, "Config", true, &e->config)) < 0 ||
		    (rc = get_str_array(a, what, field, o, "RepoTags", false, VIGIL_IMAGE_MAX_TAGS, false,
					&e->repo_tags, &e->ntags)) < 0 ||
		    (rc = get_str_array(a, what, field, o, "Layers", true, VIGIL_IMAGE_MAX_LAYERS, false,
					&e->layers, &e->nlayers)) < 0)
			goto out;
	}
	out->n = n;
out:
	json_decref(root);
	return rc;
}

int img_sniff_doc(const char *what, const char *data, size_t len, img_doc_kind *out)
{
	json_t *root = NULL;
	int rc = load(what, data, len, &root);
	*out = IMG_DOC_UNKNOWN;
	if (rc < 0)
		return rc;
	json_t *mt = json_object_get(root, "mediaType");
	if (json_is_string(mt))
		*out = img_media_doc_kind(json_string_value(mt));
	else if (json_object_get(root, "manifests"))
		*out = IMG_DOC_INDEX;
	else if (json_object_get(root, "layers") || json_object_get(root, "config"))
		*out = IMG_DOC_MANIFEST;
	if (*out == IMG_DOC_UNKNOWN)
		rc = vigil_error_set(VIGIL_EUNSUPPORTED, "%s: neither an image index nor an image manifest", what);
	json_decref(root);
	return rc;
}

int img_check_oci_layout(const char *what, const char *data, size_t len)
{
	json_t *root = NULL;
	int rc = load(what, data, len, &root);
	if (rc < 0)
		return rc;
	json_t *v = json_object_get(root, "imageLayoutVersion");
	if (!json_is_string(v))
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: imageLayoutVersion is %s", what,
				     v ? "not a string" : "missing");
	else if (strncmp(json_string_value(v), "1.", 2))
		rc = vigil_error_set(VIGIL_EUNSUPPORTED, "%s: imageLayoutVersion \"%.32s\" is not supported (1.x)",
				     what, json_string_value(v));
	json_decref(root);
	return rc;
}
