/* scanner/lang/npm_lock.c: npm's package-lock.json and npm-shrinkwrap.json
 * (the same format), read with jansson as trivy's npm parser reads them;
 * and what the three Node.js lock parsers share (scan_node_*).
 *
 * lockfileVersion 1 (npm 5/6): the nested "dependencies" tree, name = the
 * key, "dev": true = a development dependency; followed at most
 * VIGIL_NPM_LOCK_MAX_DEPTH levels deep. Any other version (2 and 3, npm 7+;
 * 2 also carries the v1 tree, which is not read): the flat "packages" map
 * keyed by install path. "" is the root project and a path outside
 * node_modules a workspace folder: neither is a package. An entry with
 * "link": true points at a folder ("resolved"); as trivy does, every entry
 * under that folder moves to the link's path (functions/func1 ->
 * node_modules/function1, with its nested node_modules), so a workspace
 * package is listed under its link name, with the version its folder gives
 * (none: an empty version). A link with no "resolved" is dropped with a
 * warning, a link whose folder is not in the file is not a package. The
 * name is the entry's "name" or the path after its last "node_modules/".
 * "devOptional" is not "dev": npm sets it on a package needed by the
 * development tree AND optionally by the production one.
 *
 * A file that is not a JSON object, or whose lockfileVersion, packages or
 * dependencies has the wrong type, is VIGIL_EFORMAT naming the field; one
 * entry of the wrong shape is skipped with a warning. */
#include "scanner/lang/node_lock.h"
#include "scanner/lang/lang.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include <jansson.h>
#include <string.h>

/* ---- shared ---- */

bool scan_node_path_has_dir(vigil_slice path, const char *dir)
{
	vigil_slice rest = path, comp;
	while (rest.len > 0) {
		bool more = vigil_slice_split(rest, '/', &comp, &rest);
		if (more && vigil_slice_eq_cstr(comp, dir))
			return true;
	}
	return false;
}

bool scan_node_lock_path(vigil_slice path, const char *base)
{
	size_t n = strlen(base);
	if (path.len < n || memcmp(path.ptr + path.len - n, base, n) != 0 ||
	    (path.len > n && path.ptr[path.len - n - 1] != '/'))
		return false;
	return !scan_node_path_has_dir(path, "node_modules");
}

int scan_node_shown(vigil_slice s)
{
	size_t n = 0;
	while (n < s.len && n < 80 && (unsigned char)s.ptr[n] > 0x20 && (unsigned char)s.ptr[n] < 0x7F)
		n++;
	return (int)n;
}

void scan_node_out_init(scan_node_out *o, vigil_scan_ctx *ctx, vigil_pkg_list *out)
{
	o->ctx = ctx;
	o->out = out;
	o->first = out->len;
	vigil_map_init(&o->seen, VIGIL_MAX_PACKAGES_PER_DB);
}

void scan_node_out_done(scan_node_out *o, int rc)
{
	if (rc != 0)
		o->out->len = o->first;
	vigil_map_free(&o->seen);
}

/* The key of name@version: the two interned pointers (equal strings, equal
 * pointers), as bytes of a key that lives in the arena. */
static const char *node_key(vigil_scan_ctx *ctx, const char *name, const char *version)
{
	char *k = vigil_arena_alloc(ctx->arena, 2 * sizeof(char *));
	if (k) {
		memcpy(k, &name, sizeof(name));
		memcpy(k + sizeof(name), &version, sizeof(version));
	}
	return k;
}

int scan_node_add(scan_node_out *o, vigil_slice name, vigil_slice version, bool dev)
{
	vigil_scan_ctx *ctx = o->ctx;
	const char *n, *v, *key;
	vigil_package *p;
	size_t at;
	int rc;
	ptrdiff_t slash = vigil_slice_find(name, '/');
	if (!scan_lang_token_ok(name, VIGIL_LANG_MAX_NAME) ||
	    (name.ptr[0] == '@' && (slash < 2 || (size_t)slash + 1 == name.len))) {
		scan_warn(ctx, "package name \"%.*s...\": not usable, skipped", scan_node_shown(name),
			  name.ptr);
		return 0;
	}
	if (version.len > 0 && !scan_lang_token_ok(version, VIGIL_LANG_MAX_VERSION)) {
		scan_warn(ctx, "%.*s: version not usable, skipped", (int)name.len, name.ptr);
		return 0;
	}
	if (!(n = scan_str(ctx, name.ptr, name.len)) || !(v = scan_str(ctx, version.ptr, version.len)))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	char probe[2 * sizeof(char *)];
	memcpy(probe, &n, sizeof(n));
	memcpy(probe + sizeof(n), &v, sizeof(v));
	at = (size_t)(uintptr_t)vigil_map_get(&o->seen, probe, sizeof(probe));
	if (at > 0) {
		p = &o->out->items[at - 1];
		if (!dev)
			p->flags &= ~VIGIL_PKG_F_DEV;
		return 0;
	}
	if (!(key = node_key(ctx, n, v)))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	if ((rc = scan_pkg_list_push(o->out, &p)) != 0)
		return rc;
	p->type = VIGIL_PKG_NPM;
	p->name = n;
	p->version = v;
	p->flags = dev ? VIGIL_PKG_F_DEV : 0;
	p->package_db = ctx->path ? scan_str(ctx, ctx->path, strlen(ctx->path)) : NULL;
	p->purl = scan_lang_purl(ctx, "npm", name, version);
	if (!p->purl || (ctx->path && !p->package_db)) {
		o->out->len--;
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	}
	if ((rc = vigil_map_set(&o->seen, key, 2 * sizeof(char *),
				(void *)(uintptr_t)o->out->len)) != 0) {
		o->out->len--;
		return vigil_error_set(rc, "more than %d packages", VIGIL_MAX_PACKAGES_PER_DB);
	}
	return 0;
}

/* ---- package-lock.json ---- */

bool scan_npm_lock_path(vigil_slice path)
{
	return scan_node_lock_path(path, "package-lock.json") ||
	       scan_node_lock_path(path, "npm-shrinkwrap.json");
}

static vigil_slice npm_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return vigil_slice_make("", 0);
	return vigil_slice_make(json_string_value(v), json_string_length(v));
}

/* Adds the package of entry obj (at where, for messages): a "version" or
 * "name" that is not a string skips it with a warning. */
static int npm_add(scan_node_out *o, const char *where, json_t *obj, vigil_slice name)
{
	json_t *v = json_object_get(obj, "version"), *n = json_object_get(obj, "name");
	if ((v && !json_is_string(v)) || (n && !json_is_string(n))) {
		scan_warn(o->ctx, "%.*s: \"%s\" is not a string, skipped",
			  scan_node_shown(vigil_slice_cstr(where)), where,
			  v && !json_is_string(v) ? "version" : "name");
		return 0;
	}
	return scan_node_add(o, name, npm_str(obj, "version"),
			     json_is_true(json_object_get(obj, "dev")));
}

/* lockfileVersion 1: the "dependencies" tree. */
static int npm_v1(scan_node_out *o, json_t *deps, int depth)
{
	const char *name;
	json_t *dep;
	int rc;
	if (depth > VIGIL_NPM_LOCK_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "dependencies nested more than %d deep",
				       VIGIL_NPM_LOCK_MAX_DEPTH);
	json_object_foreach(deps, name, dep) {
		json_t *sub;
		if (!json_is_object(dep)) {
			scan_warn(o->ctx, "dependencies.%.*s: not an object, skipped",
				  scan_node_shown(vigil_slice_cstr(name)), name);
			continue;
		}
		if ((rc = npm_add(o, name, dep, vigil_slice_cstr(name))) != 0)
			return rc;
		sub = json_object_get(dep, "dependencies");
		if (json_is_object(sub) && (rc = npm_v1(o, sub, depth + 1)) != 0)
			return rc;
	}
	return 0;
}

/* One entry of "packages" as it stands after the links are resolved. */
struct npm_ent {
	const char *path; /* NUL-terminated (jansson's key, or in tmp) */
	json_t *obj;
	bool live;
};

struct npm_link {
	const char *path;     /* the link's own path: node_modules/function1 */
	vigil_slice resolved; /* its folder: functions/func1 */
};

struct npm_v2 {
	scan_node_out *o;
	vigil_arena *tmp;
	struct npm_ent *ents;
	size_t n;
	struct npm_link *links;
	size_t nlinks;
	vigil_map at; /* path -> index + 1 */
};

static bool npm_is_link(json_t *obj)
{
	return json_is_true(json_object_get(obj, "link"));
}

/* path with every "from" replaced by "to" (Go's strings.ReplaceAll), in tmp. */
static const char *npm_replace(struct npm_v2 *s, const char *path, vigil_slice from,
			       const char *to)
{
	vigil_buf b;
	const char *out = NULL;
	size_t plen = strlen(path), i = 0;
	int rc = 0;
	vigil_buf_init(&b, 4 * plen + 4096);
	while (i < plen && rc == 0) {
		if (from.len > 0 && plen - i >= from.len && memcmp(path + i, from.ptr, from.len) == 0) {
			rc = vigil_buf_append(&b, to, strlen(to));
			i += from.len;
		} else {
			rc = vigil_buf_putc(&b, path[i++]);
		}
	}
	if (rc == 0)
		out = vigil_arena_strndup(s->tmp, b.data ? b.data : "", b.len);
	else
		vigil_error_set(rc, "packages.%.*s: path too long", scan_node_shown(vigil_slice_cstr(path)),
				path);
	vigil_buf_free(&b);
	return out;
}

/* Puts an entry at path, replacing a live one there (a moved workspace
 * package over its link). */
static int npm_put(struct npm_v2 *s, const char *path, json_t *obj)
{
	size_t at = (size_t)(uintptr_t)vigil_map_get(&s->at, path, strlen(path));
	if (at > 0)
		s->ents[at - 1].live = false;
	s->ents[s->n] = (struct npm_ent){ path, obj, true };
	s->n++;
	return vigil_map_set(&s->at, path, strlen(path), (void *)(uintptr_t)s->n);
}

/* The links with a folder, in file order (at most VIGIL_NPM_LOCK_MAX_LINKS). */
static int npm_links(struct npm_v2 *s, json_t *pkgs)
{
	const char *path;
	json_t *obj;
	json_object_foreach(pkgs, path, obj) {
		vigil_slice r = npm_str(obj, "resolved");
		if (!json_is_object(obj) || !npm_is_link(obj) || r.len == 0 ||
		    memchr(r.ptr, 0, r.len))
			continue;
		if (s->nlinks == VIGIL_NPM_LOCK_MAX_LINKS)
			return vigil_error_set(VIGIL_ELIMIT, "more than %d links in packages",
					       VIGIL_NPM_LOCK_MAX_LINKS);
		s->links[s->nlinks++] = (struct npm_link){ path, r };
	}
	return 0;
}

/* Gathers the entries, links resolved as trivy's resolveLinks does: an
 * entry under a link's folder moves to the link's path (the first link
 * that matches, in file order). */
static int npm_resolve(struct npm_v2 *s, json_t *pkgs)
{
	const char *path;
	json_t *obj;
	int rc;
	s->ents = vigil_arena_calloc(s->tmp, json_object_size(pkgs) + 1, sizeof(*s->ents));
	s->links = vigil_arena_calloc(s->tmp, VIGIL_NPM_LOCK_MAX_LINKS, sizeof(*s->links));
	if (!s->ents || !s->links)
		return vigil_error_code();
	if ((rc = npm_links(s, pkgs)) != 0)
		return rc;
	/* entries not under a link's folder, then the moved ones over them */
	for (int pass = 0; pass < 2; pass++) {
		json_object_foreach(pkgs, path, obj) {
			const char *moved = NULL;
			if (!json_is_object(obj)) {
				if (pass == 0)
					scan_warn(s->o->ctx, "packages.%.*s: not an object, skipped",
						  scan_node_shown(vigil_slice_cstr(path)), path);
				continue;
			}
			if (npm_is_link(obj) && npm_str(obj, "resolved").len == 0) {
				if (pass == 0)
					scan_warn(s->o->ctx, "packages.%.*s: link without \"resolved\", skipped",
						  scan_node_shown(vigil_slice_cstr(path)), path);
				continue;
			}
			for (size_t l = 0; l < s->nlinks && !moved; l++) {
				if (strncmp(path, s->links[l].resolved.ptr, s->links[l].resolved.len) != 0)
					continue;
				if (!(moved = npm_replace(s, path, s->links[l].resolved, s->links[l].path)))
					return vigil_error_code();
			}
			if ((pass == 0) == (moved == NULL) &&
			    (rc = npm_put(s, moved ? moved : path, obj)) != 0)
				return rc;
		}
	}
	return 0;
}

/* The name of the package installed at path: after its last "node_modules"
 * and the slash (empty when nothing follows). */
static vigil_slice npm_name_from_path(const char *path)
{
	static const char nm[] = "node_modules";
	const char *last = NULL;
	for (const char *p = strstr(path, nm); p; p = strstr(p + 1, nm))
		last = p;
	if (!last || strlen(last) <= sizeof(nm))
		return vigil_slice_make("", 0);
	return vigil_slice_cstr(last + sizeof(nm));
}

static int npm_v2(scan_node_out *o, json_t *pkgs)
{
	struct npm_v2 s = { .o = o };
	int rc;
	vigil_map_init(&s.at, VIGIL_MAX_PACKAGES_PER_DB);
	if (!(s.tmp = vigil_arena_new(VIGIL_MAX_NODE_LOCK_FILE))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = npm_resolve(&s, pkgs)) != 0)
		goto out;
	for (size_t i = 0; i < s.n && rc == 0; i++) {
		struct npm_ent *e = &s.ents[i];
		vigil_slice name;
		if (!e->live || strncmp(e->path, "node_modules", 12) != 0 || npm_is_link(e->obj))
			continue;
		name = npm_str(e->obj, "name");
		if (name.len == 0)
			name = npm_name_from_path(e->path);
		rc = npm_add(o, e->path, e->obj, name);
	}
out:
	vigil_map_free(&s.at);
	vigil_arena_free(s.tmp);
	return rc;
}

int scan_npm_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	json_error_t jerr;
	json_t *root = NULL, *ver, *tree;
	scan_node_out o;
	int rc = 0;
	scan_node_out_init(&o, ctx, out);
	if (len > VIGIL_MAX_NODE_LOCK_FILE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "lock file of %zu bytes (limit %zu)", len,
				     VIGIL_MAX_NODE_LOCK_FILE);
		goto out;
	}
	root = json_loadb(data, len, 0, &jerr);
	if (!root || !json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "line %d: %s", root ? 1 : jerr.line,
				     root ? "not a JSON object" : jerr.text);
		goto out;
	}
	ver = json_object_get(root, "lockfileVersion");
	if (ver && !json_is_integer(ver)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "lockfileVersion: not a number");
		goto out;
	}
	tree = json_object_get(root, json_integer_value(ver) == 1 ? "dependencies" : "packages");
	if (tree && !json_is_object(tree) && !json_is_null(tree)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not an object",
				     json_integer_value(ver) == 1 ? "dependencies" : "packages");
		goto out;
	}
	if (!json_is_object(tree))
		goto out;
	rc = json_integer_value(ver) == 1 ? npm_v1(&o, tree, 1) : npm_v2(&o, tree);
out:
	scan_node_out_done(&o, rc);
	json_decref(root);
	return rc;
}
