/* audit/verify_json.c: vigil_verify_result_json(): what vigil verify
 * --format json prints (vigil/verify.h says the fields). */
#include "audit/verify_priv.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *signature_json(const vigil_verify_signature *s)
{
	json_t *o = json_object();
	json_t *payload = NULL;
	if (!o)
		return NULL;
	if (s->payload)
		payload = json_loadb(s->payload, s->payload_len, JSON_REJECT_DUPLICATES, NULL);
	if (json_object_set_new(o, "layer", str_or_null(s->layer_digest)) < 0 ||
	    json_object_set_new(o, "verified", json_boolean(s->verified)) < 0 ||
	    json_object_set_new(o, "error", str_or_null(s->error)) < 0 ||
	    json_object_set_new(o, "docker_reference", str_or_null(s->docker_reference)) < 0 ||
	    json_object_set_new(o, "docker_manifest_digest", str_or_null(s->manifest_digest)) < 0 ||
	    json_object_set_new(o, "payload", payload ? payload : json_null()) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *result_json(const vigil_verify_result *r)
{
	json_t *o = json_object(), *key = json_object(), *sigs = json_array();
	int bad = !o || !key || !sigs;
	bad = bad || json_object_set_new(key, "path", str_or_null(r->key_path)) < 0 ||
	      json_object_set_new(key, "kind", json_string(r->key_kind)) < 0 ||
	      json_object_set_new(key, "id", json_string(r->key_id)) < 0;
	for (size_t i = 0; !bad && i < r->signature_count; i++)
		bad = json_array_append_new(sigs, signature_json(&r->signatures[i])) < 0;
	bad = bad || json_object_set_new(o, "image", str_or_null(r->repository)) < 0 ||
	      json_object_set_new(o, "digest", str_or_null(r->digest)) < 0 ||
	      json_object_set_new(o, "media_type", str_or_null(r->media_type)) < 0 ||
	      json_object_set_new(o, "pinned", str_or_null(r->pinned)) < 0 ||
	      json_object_set_new(o, "signature_ref", str_or_null(r->signature_ref)) < 0 ||
	      json_object_set_new(o, "signature_digest", str_or_null(r->signature_digest)) < 0 ||
	      json_object_set_new(o, "verified", json_boolean(r->verified_count > 0)) < 0 ||
	      json_object_set_new(o, "verified_count", json_integer((json_int_t)r->verified_count)) < 0 ||
	      json_object_set(o, "key", key) < 0 || json_object_set(o, "signatures", sigs) < 0;
	json_decref(key);
	json_decref(sigs);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int vigil_verify_result_json(const vigil_verify_result *r, int pretty, char **json, size_t *len)
{
	*json = NULL;
	if (len)
		*len = 0;
	if (!r)
		return vigil_error_set(VIGIL_EINVAL, "verify: no result");
	json_t *o = result_json(r);
	char *s = o ? json_dumps(o, JSON_SORT_KEYS | (pretty ? JSON_INDENT(2) : JSON_COMPACT)) : NULL;
	json_decref(o);
	if (!s)
		return vigil_error_oom();
	*json = s;
	if (len)
		*len = strlen(s);
	return 0;
}
