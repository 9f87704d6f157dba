/* image/clair_manifest.c: a Clair v4 Manifest as an image. The Manifest is
 * what a Clair client POSTs to /indexer/api/v1/index_report:
 *
 *   {"hash": "sha256:...", "layers": [{"hash": "sha256:...",
 *    "uri": "https://registry/v2/repo/blobs/sha256:...",
 *    "headers": {"Authorization": ["Bearer ..."]}}]}
 *
 * Each layer is streamed from its URI with its headers when the indexer
 * opens it (registry/url.c); its hash is checked by the layer module over
 * the bytes as fetched (VIGIL_VERIFY_BLOB), and its size is capped
 * (VIGIL_IMAGE_MAX_URL_LAYER) since a Manifest gives none. Only http and
 * https URIs are accepted (no file:, no other scheme), and header names and
 * values may not hold control characters (no header injection).
 *
 * The public face (vigil/manifest.h) is a vigil_manifest: the image made
 * by this one parse plus its layers id (the sha256 of the layer digests in
 * order), which the indexer takes whole (img_manifest_take_image), so a
 * server validates, hashes and indexes a body parsed once. Messages name a
 * URI only through vigil_redact_url (no userinfo, no signature). */
#include "image/image_priv.h"
#include "registry/registry.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"
#include "util/redact.h"
#include "vigil/manifest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct img_urls {
	const char **uri;       /* per layer */
	const char ***headers;  /* per layer: "Name: value" lines */
	size_t *nheaders;
};

static bool header_token_ok(const char *s, size_t n, bool name)
{
	if (name && !n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (name && (c == ':' || c == ' ')))
			return false;
	}
	return true;
}

/* A header name as messages show it: only a valid token is quoted (what
 * is not one may be a value misplaced by the client, a credential too). */
static const char *shown(const char *name)
{
	return header_token_ok(name, strlen(name), true) ? name : "(a name with bad characters)";
}

static int layer_headers(vigil_image *img, json_t *h, size_t i, const char *what)
{
	struct img_urls *u = img->urls;
	const char *name;
	json_t *vals;
	size_t n = 0;
	if (!h || json_is_null(h))
		return 0;
	if (!json_is_object(h))
		return vigil_error_set(VIGIL_EFORMAT, "%s: layers[%zu].headers: not an object", what, i);
	json_object_foreach(h, name, vals) {
		if (!json_is_array(vals))
			return vigil_error_set(VIGIL_EFORMAT, "%s: layers[%zu].headers.%.64s: not an array of strings",
					       what, i, shown(name));
		n += json_array_size(vals);
	}
	if (n > VIGIL_IMAGE_MAX_URL_HEADERS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: layers[%zu].headers: more than %d values", what, i,
				       VIGIL_IMAGE_MAX_URL_HEADERS);
	if (!(u->headers[i] = vigil_arena_calloc(img->arena, n ? n : 1, sizeof(char *))))
		return vigil_error_code();
	json_object_foreach(h, name, vals) {
		size_t k;
		json_t *v;
		json_array_foreach(vals, k, v) {
			const char *s = json_string_value(v);
			size_t nl = strlen(name), vl = s ? json_string_length(v) : 0;
			if (!s)
				return vigil_error_set(VIGIL_EFORMAT, "%s: layers[%zu].headers.%.64s[%zu]: not a string",
						       what, i, shown(name), k);
			if (!header_token_ok(name, nl, true) || !header_token_ok(s, vl, false) || strlen(s) != vl)
				return vigil_error_set(VIGIL_EFORMAT, "%s: layers[%zu].headers.%.64s: bad characters in a header",
						       what, i, shown(name));
			if (nl + vl + 3 > VIGIL_IMAGE_MAX_HEADER_LINE)
				return vigil_error_set(VIGIL_ELIMIT, "%s: layers[%zu].headers.%.64s: over %d bytes", what,
						       i, shown(name), VIGIL_IMAGE_MAX_HEADER_LINE);
			char *line = vigil_arena_alloc(img->arena, nl + vl + 3);
			if (!line)
				return vigil_error_code();
			snprintf(line, nl + vl + 3, "%s: %s", name, s);
			u->headers[i][u->nheaders[i]++] = line;
		}
	}
	return 0;
}

static int get_digest(json_t *o, const char *key, const char *what, const char *field, char *out)
{
	json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);
	char fw[96];
	int rc;
	snprintf(fw, sizeof(fw), "%s: %s", what, field);
	if (!s)
		return vigil_error_set(VIGIL_EFORMAT, "%s: missing or not a string", fw);
	if ((rc = vigil_digest_check_slice(vigil_slice_make(s, json_string_length(v)), fw)) < 0)
		return rc;
	snprintf(out, VIGIL_DIGEST_MAX, "%s", s);
	return 0;
}

static int parse(vigil_image *img, const char *what, const char *data, size_t len)
{
	json_error_t je;
	char why[JSON_ERROR_TEXT_LENGTH];
	json_t *root = NULL, *layers, *l;
	size_t i;
	int rc = 0;
	if (len > VIGIL_IMAGE_MAX_JSON_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: over %u bytes", what, VIGIL_IMAGE_MAX_JSON_SIZE);
	if (!(root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "%s: line %d: %s", what, je.line,
				       vigil_json_error_text(&je, why, sizeof(why)));
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a JSON object", what);
		goto out;
	}
	if ((rc = get_digest(root, "hash", what, "hash", img->manifest_digest)) < 0)
		goto out;
	layers = json_object_get(root, "layers");
	if (!json_is_array(layers)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: layers: missing or not an array", what);
		goto out;
	}
	if (json_array_size(layers) > VIGIL_IMAGE_MAX_LAYERS) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: more than %d layers", what, VIGIL_IMAGE_MAX_LAYERS);
		goto out;
	}
	size_t n = json_array_size(layers);
	struct img_urls *u = img->urls = vigil_arena_calloc(img->arena, 1, sizeof(*u));
	if (!u || (rc = img_layers_alloc(img, n)) < 0 ||
	    !(u->uri = vigil_arena_calloc(img->arena, n ? n : 1, sizeof(*u->uri))) ||
	    !(u->headers = vigil_arena_calloc(img->arena, n ? n : 1, sizeof(*u->headers))) ||
	    !(u->nheaders = vigil_arena_calloc(img->arena, n ? n : 1, sizeof(*u->nheaders)))) {
		rc = rc < 0 ? rc : vigil_error_code();
		goto out;
	}
	json_array_foreach(layers, i, l) {
		vigil_layer_desc *d = &img->layers[i];
		char field[48];
		snprintf(field, sizeof(field), "layers[%zu].hash", i);
		if (!json_is_object(l)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: layers[%zu]: not an object", what, i);
			goto out;
		}
		if ((rc = get_digest(l, "hash", what, field, d->digest)) < 0)
			goto out;
		json_t *uv = json_object_get(l, "uri");
		const char *uri = json_string_value(uv);
		if (!uri || !*uri) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: layers[%zu].uri: missing or not a string", what, i);
			goto out;
		}
		if (json_string_length(uv) > VIGIL_REG_MAX_URL || strlen(uri) != json_string_length(uv)) {
			rc = vigil_error_set(VIGIL_ELIMIT, "%s: layers[%zu].uri: over %d bytes", what, i,
					     VIGIL_REG_MAX_URL);
			goto out;
		}
		if (strncasecmp(uri, "http://", 7) && strncasecmp(uri, "https://", 8)) {
			/* named by its scheme only: what is not a URL cannot be
			 * redacted, and may hold a credential all the same */
			size_t k = 0;
			while (k < 16 && ((uri[k] >= 'a' && uri[k] <= 'z') || (uri[k] >= 'A' && uri[k] <= 'Z') ||
					  (k && ((uri[k] >= '0' && uri[k] <= '9') || strchr("+-.", uri[k])))))
				k++;
			rc = vigil_error_set(VIGIL_EINVAL,
					     "%s: layers[%zu].uri: only http:// and https:// URIs are fetched, not one starting \"%.*s%s\"",
					     what, i, (int)k, uri, uri[k] == ':' ? ":" : "");
			goto out;
		}
		if (!(u->uri[i] = vigil_arena_strdup(img->arena, uri))) {
			rc = vigil_error_code();
			goto out;
		}
		if ((rc = layer_headers(img, json_object_get(l, "headers"), i, what)) < 0)
			goto out;
		d->verify = VIGIL_VERIFY_BLOB;
		d->media_type = NULL; /* sniffed */
		d->size = 0;          /* unknown */
	}
	img->kind = VIGIL_IMAGE_LAYERS;
out:
	json_decref(root);
	return rc;
}

int img_open_clair_manifest(const char *json, size_t len, vigil_image **out)
{
	vigil_image *img;
	int rc;
	*out = NULL;
	if (!(img = img_new()))
		return vigil_error_code();
	img->where = "manifest";
	if ((rc = parse(img, "manifest", json, len)) < 0 ||
	    !(img->ref = vigil_arena_strdup(img->arena, img->manifest_digest))) {
		rc = rc < 0 ? rc : vigil_error_code();
		img_free(img);
		return rc;
	}
	img->where = img->ref;
	*out = img;
	return 0;
}

int img_urls_open_layer(vigil_image *img, size_t i, vigil_istream **raw)
{
	struct img_urls *u = img->urls;
	return reg_open_url(u->uri[i], u->headers[i], u->nheaders[i], VIGIL_IMAGE_MAX_URL_LAYER, raw);
}

/* ---- the public Manifest (vigil/manifest.h) ---- */

struct vigil_manifest {
	vigil_image *img;
	char layers_id[VIGIL_DIGEST_MAX];
};

int vigil_manifest_parse(const char *json, size_t len, vigil_manifest **out)
{
	vigil_manifest *m;
	vigil_buf ids;
	int rc;
	*out = NULL;
	if (!(m = calloc(1, sizeof(*m))))
		return vigil_error_oom();
	vigil_buf_init(&ids, (size_t)VIGIL_IMAGE_MAX_LAYERS * VIGIL_DIGEST_MAX);
	if ((rc = img_open_clair_manifest(json, len, &m->img)) < 0)
		goto out;
	for (size_t i = 0; i < m->img->nlayers; i++)
		if ((rc = vigil_buf_printf(&ids, "%s\n", m->img->layers[i].digest)) < 0)
			goto out;
	rc = vigil_digest_sha256(ids.data ? ids.data : "", ids.len, m->layers_id);
out:
	vigil_buf_free(&ids);
	if (rc < 0) {
		vigil_manifest_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

const char *vigil_manifest_hash(const vigil_manifest *m) { return m->img->manifest_digest; }
const char *vigil_manifest_layers_id(const vigil_manifest *m) { return m->layers_id; }
size_t vigil_manifest_layer_count(const vigil_manifest *m) { return m->img->nlayers; }

const char *vigil_manifest_layer_digest(const vigil_manifest *m, size_t i)
{
	return i < m->img->nlayers ? m->img->layers[i].digest : NULL;
}

void vigil_manifest_free(vigil_manifest *m)
{
	if (!m)
		return;
	img_free(m->img);
	free(m);
}

vigil_image *img_manifest_take_image(vigil_manifest *m)
{
	vigil_image *img = m ? m->img : NULL;
	free(m);
	return img;
}
