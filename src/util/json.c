/* util/json.c: typed jansson getters with field paths (see json.h). */
#include "util/json.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/error.h"

/* "path.key", "key" at the root, "path" without a key: for messages. */
#define P_FMT "%s%s%s"
#define P_ARGS(path, key) (path), ((key) && *(path) ? "." : ""), ((key) ? (key) : "")

const char *vigil_json_type_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a JSON value";
}

static bool type_ok(json_t *v, json_type t)
{
	if (json_typeof(v) == t)
		return true;
	if (t == JSON_REAL)
		return json_is_integer(v);
	if (t == JSON_TRUE || t == JSON_FALSE)
		return json_is_boolean(v);
	return false;
}

static int want_at(json_t *v, json_type t, const char *path, const char *key)
{
	if (!v || type_ok(v, t))
		return 0;
	return vigil_error_set(VIGIL_EFORMAT, P_FMT ": not %s", P_ARGS(path ? path : "", key),
			       vigil_json_type_name(t));
}

int vigil_json_want(json_t *v, json_type t, const char *path)
{
	return want_at(v, t, path, NULL);
}

int vigil_json_get(json_t *o, const char *path, const char *key, json_type t, int flags, json_t **out)
{
	if (!path)
		path = "";
	*out = json_is_object(o) ? json_object_get(o, key) : NULL;
	if (*out && json_is_null(*out))
		*out = NULL;
	if (!*out && (flags & VIGIL_JSON_REQUIRED))
		return vigil_error_set(VIGIL_EFORMAT, P_FMT ": missing", P_ARGS(path, key));
	return want_at(*out, t, path, key);
}

int vigil_json_str(json_t *o, const char *path, const char *key, int flags, size_t max, vigil_slice *out)
{
	json_t *v;
	int rc = vigil_json_get(o, path, key, JSON_STRING, flags, &v);
	*out = vigil_slice_make("", 0);
	if (rc < 0 || !v)
		return rc;
	*out = vigil_slice_make(json_string_value(v), json_string_length(v));
	if (flags & VIGIL_JSON_TRIM)
		*out = vigil_slice_trim(*out);
	if (out->len > max) {
		size_t n = out->len;
		*out = vigil_slice_make("", 0);
		return vigil_error_set(VIGIL_ELIMIT, P_FMT ": %zu bytes (limit %zu)",
				       P_ARGS(path ? path : "", key), n, max);
	}
	return 0;
}

int vigil_json_arr(json_t *o, const char *path, const char *key, int flags, size_t max, json_t **out)
{
	int rc = vigil_json_get(o, path, key, JSON_ARRAY, flags, out);
	if (rc == 0 && *out && json_array_size(*out) > max) {
		size_t n = json_array_size(*out);
		*out = NULL;
		return vigil_error_set(VIGIL_ELIMIT, P_FMT ": %zu items (limit %zu)",
				       P_ARGS(path ? path : "", key), n, max);
	}
	return rc;
}

int vigil_json_obj(json_t *o, const char *path, const char *key, int flags, json_t **out)
{
	return vigil_json_get(o, path, key, JSON_OBJECT, flags, out);
}

int vigil_json_num(json_t *o, const char *path, const char *key, int flags, double *out)
{
	json_t *v;
	int rc = vigil_json_get(o, path, key, JSON_REAL, flags, &v);
	if (rc < 0 || !v)
		return rc;
	*out = json_number_value(v);
	return 1;
}

const char *vigil_json_error_text(const json_error_t *je, char *out, size_t n)
{
	const char *t = je ? je->text : "";
	const char *near = strstr(t, " near ");
	size_t len = near ? (size_t)(near - t) : strlen(t);
	snprintf(out, n, "%.*s", (int)len, t);
	return out;
}

json_t *vigil_json_string_lossy(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (j)
		return j;
	vigil_buf b;
	size_t n = strlen(s), i = 0;
	vigil_buf_init(&b, VIGIL_JSON_MAX_REPAIR);
	while (i < n) {
		size_t ok = vigil_utf8_prefix(s + i, n - i);
		if (vigil_buf_append(&b, s + i, ok) < 0)
			break;
		i += ok;
		if (i < n) {
			if (vigil_buf_puts(&b, "\xEF\xBF\xBD") < 0)
				break;
			i++;
		}
	}
	j = json_string(i >= n ? vigil_buf_cstr(&b) : "");
	vigil_buf_free(&b);
	return j;
}
