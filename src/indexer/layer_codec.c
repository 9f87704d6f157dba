/* indexer/layer_codec.c: the cache encoding of a layer result: compact JSON
 * (jansson), versioned by VIGIL_SCANNERS_VERSION in the store's key. A
 * cached blob is trusted no more than any input: decoding checks types and
 * limits, and a bad blob is an error (the caller then reads the layer). */
#include "indexer/layer_result.h"
#include "util/error.h"
#include "util/json_arena.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define CODEC_MAX_BLOB ((size_t)512 * 1024 * 1024)
/* The decoded tree of a blob of n bytes: jansson's nodes take several
 * times the text (measured: about 6x for package lists); a tree past this
 * fails as out of memory, and the layer is read again. */
#define CODEC_TREE_CAP(n) ((size_t)64 * 1024 * 1024 + (n) * 16)

static const char *const art_kinds[] = { "file", "dir", "symlink", "hardlink", "whiteout", "opaque" };

struct field {
	const char *key;
	size_t off;
};

#define PF(k, m) { k, offsetof(vigil_package, m) }
static const struct field pkg_fields[] = {
	PF("n", name), PF("v", version), PF("a", arch), PF("sn", source_name),
	PF("sv", source_version), PF("ma", multi_arch), PF("st", status), PF("e", epoch),
	PF("uv", upstream_version), PF("r", release), PF("srpm", source_rpm), PF("mod", module),
	PF("ven", vendor), PF("md5", sigmd5), PF("c", commit), PF("lic", license),
	PF("mnt", maintainer), PF("db", package_db), PF("purl", purl),
	PF("own", owner),
};
#define DF(k, m) { k, offsetof(vigil_distribution, m) }
static const struct field dist_fields[] = {
	DF("id", did), DF("name", name), DF("version", version), DF("version_id", version_id),
	DF("codename", version_code_name), DF("id_like", id_like), DF("pretty", pretty_name),
	DF("cpe", cpe), DF("file", source_file),
};

static int set_fields(json_t *o, const void *obj, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = *(const char *const *)((const char *)obj + f[i].off);
		if (s && json_object_set_new(o, f[i].key, json_string(s)) < 0)
			return vigil_error_oom();
	}
	return 0;
}

/* "own": [[owner, path, path...], ...]: the owned files grouped by owner
 * (they come grouped: one package after another). */
static int encode_owned(json_t *o, const vigil_artifact *a)
{
	json_t *own = json_array(), *g = NULL;
	if (!own || json_object_set_new(o, "own", own) < 0)
		return VIGIL_ENOMEM;
	for (size_t i = 0; i < a->nowned; i++) {
		if (!g || a->owned[i].owner != a->owned[i - 1].owner) {
			if (!(g = json_array()) || json_array_append_new(own, g) < 0 ||
			    json_array_append_new(g, json_string(a->owned[i].owner)) < 0)
				return VIGIL_ENOMEM;
		}
		if (json_array_append_new(g, json_string(a->owned[i].path)) < 0)
			return VIGIL_ENOMEM;
	}
	return 0;
}

static int decode_owned(vigil_layer_result *r, vigil_artifact *a, json_t *own)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < json_array_size(own); i++) {
		json_t *g = json_array_get(own, i);
		if (!json_is_array(g) || json_array_size(g) < 1)
			return vigil_error_set(VIGIL_EFORMAT, "owned files: not [owner, path...]");
		n += json_array_size(g) - 1;
	}
	if (n > VIGIL_MAX_OWNED_FILES)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d owned files", VIGIL_MAX_OWNED_FILES);
	if (n == 0)
		return 0;
	vigil_owned_file *v = vigil_arena_calloc(r->arena, n, sizeof(*v));
	if (!v)
		return vigil_error_oom();
	for (size_t i = 0; i < json_array_size(own); i++) {
		json_t *g = json_array_get(own, i);
		for (size_t j = 0; j < json_array_size(g); j++)
			if (!json_is_string(json_array_get(g, j)))
				return vigil_error_set(VIGIL_EFORMAT, "owned files: not a string");
		const char *owner = vigil_intern_cstr(r->strings, json_string_value(json_array_get(g, 0)));
		if (!owner)
			return vigil_error_oom();
		for (size_t j = 1; j < json_array_size(g); j++, k++) {
			v[k].owner = owner;
			if (!(v[k].path = vigil_intern_cstr(r->strings, json_string_value(json_array_get(g, j)))))
				return vigil_error_oom();
		}
	}
	a->owned = v;
	a->nowned = n;
	return 0;
}

int idx_layer_result_encode(const vigil_layer_result *r, char **out, size_t *len)
{
	int rc = VIGIL_ENOMEM;
	json_t *root = json_object(), *arts = json_array(), *warns = json_array();
	if (!root || !arts || !warns)
		goto out;
	for (size_t i = 0; i < r->nart; i++) {
		const vigil_artifact *a = &r->arts[i];
		json_t *o = json_object();
		if (!o || json_array_append_new(arts, o) < 0)
			goto out;
		json_object_set_new(o, "p", json_string(a->path));
		json_object_set_new(o, "k", json_string(art_kinds[a->kind]));
		if (a->target)
			json_object_set_new(o, "t", json_string(a->target));
		if (a->db)
			json_object_set_new(o, "db", json_string(idx_dbkind_name(a->db)));
		if (a->dist) {
			json_t *d = json_object();
			if (!d || json_object_set_new(o, "dist", d) < 0 ||
			    set_fields(d, a->dist, dist_fields, sizeof(dist_fields) / sizeof(dist_fields[0])) < 0)
				goto out;
		}
		if (a->nowned && encode_owned(o, a) < 0)
			goto out;
		if (a->kind == VIGIL_ART_FILE && a->db && !idx_dbkind_is_release(a->db)) {
			json_t *pk = json_array();
			if (!pk || json_object_set_new(o, "pkgs", pk) < 0)
				goto out;
			for (size_t j = 0; j < a->npkgs; j++) {
				const vigil_package *p = &a->pkgs[j];
				json_t *po = json_object();
				if (!po || json_array_append_new(pk, po) < 0 ||
				    set_fields(po, p, pkg_fields, sizeof(pkg_fields) / sizeof(pkg_fields[0])) < 0)
					goto out;
				json_object_set_new(po, "t", json_integer(p->type));
				if (p->installed_size)
					json_object_set_new(po, "sz", json_integer((json_int_t)p->installed_size));
				if (p->flags)
					json_object_set_new(po, "f", json_integer((json_int_t)p->flags));
			}
		}
	}
	for (size_t i = 0; i < r->nwarn; i++)
		json_array_append_new(warns, json_string(r->warnings[i]));
	json_object_set_new(root, "arts", arts);
	json_object_set_new(root, "warnings", warns);
	arts = warns = NULL;
	*out = json_dumps(root, JSON_COMPACT);
	if (!*out)
		goto out;
	*len = strlen(*out);
	rc = 0;
out:
	json_decref(arts);
	json_decref(warns);
	json_decref(root);
	return rc < 0 ? vigil_error_oom() : 0;
}

static int get_fields(vigil_layer_result *r, json_t *o, void *obj, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(o, f[i].key);
		if (!v)
			continue;
		if (!json_is_string(v))
			return vigil_error_set(VIGIL_EFORMAT, "field %s is not a string", f[i].key);
		const char *s = vigil_intern_str(r->strings, json_string_value(v), json_string_length(v));
		if (!s)
			return vigil_error_oom();
		*(const char **)((char *)obj + f[i].off) = s;
	}
	return 0;
}

static int decode_art(vigil_layer_result *r, json_t *o)
{
	vigil_artifact *a;
	json_t *p = json_object_get(o, "p"), *k = json_object_get(o, "k"), *t = json_object_get(o, "t");
	json_t *db = json_object_get(o, "db"), *dist = json_object_get(o, "dist");
	json_t *pkgs = json_object_get(o, "pkgs"), *own = json_object_get(o, "own");
	int rc, kind = -1;
	if (!json_is_string(p) || !json_is_string(k))
		return vigil_error_set(VIGIL_EFORMAT, "artifact without path or kind");
	for (size_t i = 0; i < sizeof(art_kinds) / sizeof(art_kinds[0]); i++)
		if (strcmp(json_string_value(k), art_kinds[i]) == 0)
			kind = (int)i;
	if (kind < 0)
		return vigil_error_set(VIGIL_EFORMAT, "unknown artifact kind");
	if ((rc = idx_layer_result_add(r, &a)) < 0)
		return rc;
	a->kind = (vigil_art_kind)kind;
	a->path = vigil_intern_cstr(r->strings, json_string_value(p));
	a->target = json_is_string(t) ? vigil_intern_cstr(r->strings, json_string_value(t)) : NULL;
	a->db = json_is_string(db) ? idx_dbkind_from_name(json_string_value(db)) : VIGIL_DB_NONE;
	if (!a->path)
		return vigil_error_oom();
	if (json_is_array(own) && (rc = decode_owned(r, a, own)) < 0)
		return rc;
	if (json_is_object(dist)) {
		vigil_distribution *d = vigil_arena_calloc(r->arena, 1, sizeof(*d));
		if (!d)
			return vigil_error_oom();
		if ((rc = get_fields(r, dist, d, dist_fields, sizeof(dist_fields) / sizeof(dist_fields[0]))) < 0)
			return rc;
		a->dist = d;
	}
	if (json_is_array(pkgs) && json_array_size(pkgs) > 0) {
		size_t n = json_array_size(pkgs);
		if (n > VIGIL_MAX_PACKAGES_PER_DB)
			return vigil_error_set(VIGIL_ELIMIT, "too many packages");
		vigil_package *pk = vigil_arena_calloc(r->arena, n, sizeof(*pk));
		if (!pk)
			return vigil_error_oom();
		for (size_t i = 0; i < n; i++) {
			json_t *po = json_array_get(pkgs, i);
			if (!json_is_object(po))
				return vigil_error_set(VIGIL_EFORMAT, "package is not an object");
			if ((rc = get_fields(r, po, &pk[i], pkg_fields, sizeof(pkg_fields) / sizeof(pkg_fields[0]))) < 0)
				return rc;
			pk[i].type = (vigil_pkg_type)json_integer_value(json_object_get(po, "t"));
			pk[i].installed_size = (uint64_t)json_integer_value(json_object_get(po, "sz"));
			pk[i].flags = (uint32_t)json_integer_value(json_object_get(po, "f"));
			if (pk[i].type < VIGIL_PKG_UNKNOWN || pk[i].type > VIGIL_PKG_NUGET)
				return vigil_error_set(VIGIL_EFORMAT, "package of unknown type %d", (int)pk[i].type);
			if (!pk[i].name || !pk[i].version)
				return vigil_error_set(VIGIL_EFORMAT, "package without name or version");
		}
		/* the artifact pointer may have moved if add() grew the array: reload */
		a = &r->arts[r->nart - 1];
		a->pkgs = pk;
		a->npkgs = n;
	}
	return 0;
}

int idx_layer_result_decode(const char *digest, const char *data, size_t len,
			      vigil_layer_result **out)
{
	vigil_layer_result *r = NULL;
	json_error_t jerr;
	json_t *root = NULL;
	int rc;
	*out = NULL;
	if (len > CODEC_MAX_BLOB)
		return vigil_error_set(VIGIL_ELIMIT, "cached scan of %s is too large", digest);
	/* the tree lives only in this function: one arena, dropped at once
	 * (every string kept is copied into r's own arena by decode_art) */
	if ((rc = vigil_json_arena_begin(CODEC_TREE_CAP(len))) < 0)
		return rc;
	root = json_loadb(data, len, 0, &jerr);
	if (!root || !json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "cached scan of %s: %s", digest,
				     root ? "not an object" : jerr.text);
		goto out;
	}
	if ((rc = idx_layer_result_new(digest, &r)) < 0)
		goto out;
	json_t *arts = json_object_get(root, "arts"), *warns = json_object_get(root, "warnings");
	if (!json_is_array(arts)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "cached scan of %s: no artifacts", digest);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(arts); i++)
		if ((rc = decode_art(r, json_array_get(arts, i))) < 0) {
			vigil_error_prefix("cached scan of %s: ", digest);
			goto out;
		}
	for (size_t i = 0; i < json_array_size(warns); i++) {
		json_t *w = json_array_get(warns, i);
		if (json_is_string(w) && (rc = idx_layer_result_warn(r, json_string_value(w))) < 0)
			goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	json_decref(root); /* frees nothing: the arena goes whole */
	vigil_json_arena_end();
	idx_layer_result_free(r);
	return rc;
}
