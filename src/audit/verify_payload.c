/* audit/verify_payload.c: cosign's signature manifest and its simple
 * signing payloads (sigstore/sigstore pkg/signature/payload):
 *
 *   {"critical": {"identity": {"docker-reference": "REGISTRY/REPO"},
 *                 "image": {"docker-manifest-digest": "sha256:..."},
 *                 "type": "cosign container image signature"},
 *    "optional": {"KEY": "VALUE", ...} or null}
 *
 * Both are untrusted until the signature verifies: every field is read
 * with a cap (verify_priv.h) and named in the message. */
#include "audit/verify_priv.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_slice(char *dst, size_t n, vigil_slice s)
{
	size_t l = s.len < n - 1 ? s.len : n - 1;
	memcpy(dst, s.ptr, l);
	dst[l] = '\0';
}

static json_t *load(const char *what, const char *kind, const char *data, size_t len, int *rc)
{
	json_error_t je;
	char msg[160];
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		*rc = vigil_error_set(VIGIL_EFORMAT, "%s: the %s is not JSON (line %d column %d: %s)", what, kind,
				      je.line, je.column, vigil_json_error_text(&je, msg, sizeof(msg)));
	else if (!json_is_object(root)) {
		*rc = vigil_error_set(VIGIL_EFORMAT, "%s: the %s is %s, not an object", what, kind,
				      vigil_json_type_name(json_typeof(root)));
		json_decref(root);
		root = NULL;
	}
	return root;
}

/* The signature annotation of layer l (path names it) into l->sig; a
 * problem is l's own error (the other layers may still verify). */
static void layer_signature(json_t *o, const char *path, verify_layer *l)
{
	json_t *ann;
	vigil_slice sig;
	int rc;
	if (strcmp(l->media_type, VERIFY_MEDIA_SIMPLESIGNING) != 0) {
		l->err_code = VIGIL_EUNSUPPORTED;
		snprintf(l->err, sizeof(l->err), "%s: mediaType %s is not a cosign signature (%s)", path,
			 l->media_type[0] ? l->media_type : "(none)", VERIFY_MEDIA_SIMPLESIGNING);
		return;
	}
	if ((rc = vigil_json_obj(o, path, "annotations", 0, &ann)) < 0 ||
	    (rc = vigil_json_str(ann, "annotations", VERIFY_ANN_SIGNATURE, 0, VERIFY_MAX_SIG_B64, &sig)) < 0 ||
	    (!sig.len && (rc = vigil_error_set(VIGIL_EFORMAT, "%s: no annotation %s", path, VERIFY_ANN_SIGNATURE)) < 0) ||
	    (rc = vigil_base64_decode(sig.ptr, sig.len, 0, l->sig, sizeof(l->sig), &l->siglen)) < 0) {
		if (rc != VIGIL_EFORMAT || sig.len)
			vigil_error_prefix("%s: ", path);
		l->err_code = rc;
		snprintf(l->err, sizeof(l->err), "%s", vigil_error_message());
	}
}

static int parse_layer(json_t *o, const char *path, verify_layer *l)
{
	vigil_slice dg, mt;
	double size = -1;
	int rc;
	memset(l, 0, sizeof(*l));
	if ((rc = vigil_json_want(o, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_str(o, path, "digest", VIGIL_JSON_REQUIRED, VERIFY_MAX_DIGEST, &dg)) < 0 ||
	    (rc = vigil_json_str(o, path, "mediaType", 0, VERIFY_MAX_MEDIA_TYPE, &mt)) < 0 ||
	    (rc = vigil_json_num(o, path, "size", VIGIL_JSON_REQUIRED, &size)) < 0)
		return rc;
	if (!vigil_digest_ok(dg))
		return vigil_error_set(VIGIL_EFORMAT, "%s.digest: \"%.*s\" is not a digest", path, (int)dg.len, dg.ptr);
	if (!json_is_integer(json_object_get(o, "size")) || size < 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s.size: not a byte count", path);
	copy_slice(l->digest, sizeof(l->digest), dg);
	copy_slice(l->media_type, sizeof(l->media_type), mt);
	l->size = (uint64_t)json_integer_value(json_object_get(o, "size"));
	layer_signature(o, path, l);
	return 0;
}

int verify_sig_manifest_parse(const char *what, const char *data, size_t len, verify_layer **layers, size_t *n)
{
	json_t *arr = NULL;
	verify_layer *v = NULL;
	char path[32];
	int rc = 0;
	*layers = NULL;
	*n = 0;
	json_t *root = load(what, "signature manifest", data, len, &rc);
	if (!root)
		return rc;
	if ((rc = vigil_json_arr(root, "", "layers", VIGIL_JSON_REQUIRED, VERIFY_MAX_SIGNATURES, &arr)) < 0) {
		vigil_error_prefix("%s: ", what);
		goto out;
	}
	if (!json_array_size(arr)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: no layers (no signature in it)", what);
		goto out;
	}
	if (!(v = calloc(json_array_size(arr), sizeof(*v)))) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		snprintf(path, sizeof(path), "layers[%zu]", i);
		if ((rc = parse_layer(json_array_get(arr, i), path, &v[i])) < 0) {
			vigil_error_prefix("%s: ", what);
			goto out;
		}
	}
	*layers = v;
	*n = json_array_size(arr);
	v = NULL;
out:
	free(v);
	json_decref(root);
	return rc;
}

static int payload_fields(json_t *root, verify_payload *out)
{
	json_t *crit, *image, *ident;
	vigil_slice type, dg, ref;
	int rc;
	if ((rc = vigil_json_obj(root, "", "critical", VIGIL_JSON_REQUIRED, &crit)) < 0 ||
	    (rc = vigil_json_str(crit, "critical", "type", VIGIL_JSON_REQUIRED, VERIFY_MAX_TYPE, &type)) < 0 ||
	    (rc = vigil_json_obj(crit, "critical", "image", VIGIL_JSON_REQUIRED, &image)) < 0 ||
	    (rc = vigil_json_str(image, "critical.image", "docker-manifest-digest", VIGIL_JSON_REQUIRED,
				 VERIFY_MAX_DIGEST, &dg)) < 0 ||
	    (rc = vigil_json_obj(crit, "critical", "identity", 0, &ident)) < 0 ||
	    (rc = vigil_json_str(ident, "critical.identity", "docker-reference", 0, VERIFY_MAX_REFERENCE, &ref)) < 0 ||
	    (rc = vigil_json_obj(root, "", "optional", 0, &out->optional)) < 0)
		return rc;
	if (!vigil_slice_eq_cstr(type, VERIFY_PAYLOAD_TYPE))
		return vigil_error_set(VIGIL_EFORMAT, "critical.type: \"%.*s\", not \"%s\"", (int)type.len, type.ptr,
				       VERIFY_PAYLOAD_TYPE);
	if (!vigil_digest_ok(dg))
		return vigil_error_set(VIGIL_EFORMAT, "critical.image.docker-manifest-digest: \"%.*s\" is not a digest",
				       (int)dg.len, dg.ptr);
	copy_slice(out->manifest_digest, sizeof(out->manifest_digest), dg);
	copy_slice(out->docker_reference, sizeof(out->docker_reference), ref);
	return 0;
}

int verify_payload_parse(const char *what, const char *data, size_t len, verify_payload *out)
{
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (len > VERIFY_MAX_PAYLOAD)
		return vigil_error_set(VIGIL_ELIMIT, "%s: a payload of %zu bytes (limit %zu)", what, len,
				       VERIFY_MAX_PAYLOAD);
	if (!(out->root = load(what, "payload", data, len, &rc)))
		return rc;
	if ((rc = payload_fields(out->root, out)) < 0) {
		vigil_error_prefix("%s: the payload is not a cosign simple signing payload: ", what);
		verify_payload_free(out);
	}
	return rc;
}

void verify_payload_free(verify_payload *p)
{
	if (!p)
		return;
	json_decref(p->root);
	memset(p, 0, sizeof(*p));
}

int verify_payload_annotations(const char *what, const verify_payload *p, const char *const *ann, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vigil_slice kv = vigil_slice_cstr(ann[i]), k, v;
		char key[VERIFY_MAX_ANNOTATION + 1];
		if (kv.len > VERIFY_MAX_ANNOTATION || !vigil_slice_split(kv, '=', &k, &v) || !k.len)
			return vigil_error_set(VIGIL_EINVAL, "annotation \"%.200s\": KEY=VALUE expected", ann[i]);
		copy_slice(key, sizeof(key), k);
		json_t *got = p->optional ? json_object_get(p->optional, key) : NULL;
		if (json_is_string(got) && json_string_length(got) == v.len &&
		    memcmp(json_string_value(got), v.ptr, v.len) == 0)
			continue;
		if (!json_is_string(got))
			return vigil_error_set(VIGIL_EDIGEST, "%s: annotation %s is %s, not \"%.*s\"", what, key,
					       got ? "not a string" : "absent", (int)v.len, v.ptr);
		return vigil_error_set(VIGIL_EDIGEST, "%s: annotation %s is \"%.200s\", not \"%.*s\"", what, key,
				       json_string_value(got), (int)v.len, v.ptr);
	}
	return 0;
}
