/* scanner/lang/pnpm.c: pnpm-lock.yaml, lockfileVersion 5.x, 6 and 9, read
 * as trivy's pnpm parser reads it (pkg/dependency/parser/nodejs/pnpm/).
 *
 * libyaml's event parser builds a small tree (scalars, mappings,
 * sequences) in a scratch arena freed at the end, with named limits:
 * VIGIL_PNPM_MAX_EVENTS events, VIGIL_PNPM_MAX_DEPTH nesting and
 * VIGIL_PNPM_MAX_ALIASES aliases (pnpm writes none: an alias is refused, so
 * an alias bomb never grows). Of several documents (pnpm 11 puts its "env
 * lockfile" first), the first whose importers carry no configDependencies
 * or packageManagerDependencies is read.
 *
 * Before 9: every key of "packages" ("/name/1.0.0" in 5.x, "/name@1.0.0"
 * in 6, after an optional registry host; "_peer" or "(peer)" suffixes cut)
 * or its "name"/"version" fields is a package; one marked "dev: true" is
 * not listed, as trivy does (so none is VIGIL_PKG_F_DEV). 9: every key of
 * "snapshots" ("name@1.0.0(peer@2)") is a package, its version from the
 * key or, when that is not SemVer (a tarball URL, file:), from the
 * "packages" entry of the same name@version (none: an empty version). A
 * package is for development (VIGIL_PKG_F_DEV) unless an importer lists it
 * in "dependencies" or a production package depends on it (through
 * "dependencies" and "optionalDependencies" of the snapshots).
 *
 * Not YAML, or a document that is not a mapping: VIGIL_EFORMAT; an
 * unknown lockfileVersion: no package and a warning. */
#include "scanner/lang/lang.h"
#include "scanner/lang/node_lock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The scratch arena's cap (the tree of the largest file fits). */
#define PN_TREE_MAX ((size_t)256 * 1024 * 1024)

enum { PN_SCALAR, PN_MAP, PN_SEQ };

typedef struct pn_node {
	int kind;
	vigil_slice s;        /* a scalar's text (NUL-terminated in the arena) */
	size_t n;             /* children (a mapping's keys and values alternate) */
	struct pn_node **kids;
} pn_node;

typedef struct pn_tree {
	vigil_arena *a;
	pn_node **stack; /* finished children waiting for their container */
	size_t top, cap;
	size_t base[VIGIL_PNPM_MAX_DEPTH + 1];
	int kind[VIGIL_PNPM_MAX_DEPTH + 1];
	int depth;
	size_t events, aliases;
} pn_tree;

bool scan_pnpm_lock_path(vigil_slice path)
{
	return scan_node_lock_path(path, "pnpm-lock.yaml");
}

/* ---- the tree ---- */

static int pn_push(pn_tree *t, pn_node *n)
{
	if (t->top == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		pn_node **s = realloc(t->stack, cap * sizeof(*s));
		if (!s)
			return vigil_error_oom();
		t->stack = s;
		t->cap = cap;
	}
	t->stack[t->top++] = n;
	return 0;
}

static int pn_open(pn_tree *t, int kind, size_t line)
{
	if (t->depth == VIGIL_PNPM_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: YAML nested more than %d deep", line,
				       VIGIL_PNPM_MAX_DEPTH);
	t->depth++;
	t->base[t->depth] = t->top;
	t->kind[t->depth] = kind;
	return 0;
}

static int pn_close(pn_tree *t)
{
	pn_node *n = vigil_arena_calloc(t->a, 1, sizeof(*n));
	size_t base = t->base[t->depth];
	if (!n)
		return vigil_error_code();
	n->kind = t->kind[t->depth];
	n->n = t->top - base;
	if (n->n > 0) {
		if (!(n->kids = vigil_arena_alloc(t->a, n->n * sizeof(*n->kids))))
			return vigil_error_code();
		memcpy(n->kids, t->stack + base, n->n * sizeof(*n->kids));
	}
	t->top = base;
	t->depth--;
	return pn_push(t, n);
}

static int pn_scalar(pn_tree *t, const yaml_event_t *ev)
{
	pn_node *n = vigil_arena_calloc(t->a, 1, sizeof(*n));
	const char *v = (const char *)ev->data.scalar.value;
	char *copy;
	if (!n || !(copy = vigil_arena_strndup(t->a, v ? v : "", v ? ev->data.scalar.length : 0)))
		return vigil_error_code();
	n->kind = PN_SCALAR;
	n->s = vigil_slice_make(copy, v ? ev->data.scalar.length : 0);
	return pn_push(t, n);
}

/* One event into the tree; *doc gets a document's root at its end. */
static int pn_event(pn_tree *t, const yaml_event_t *ev, pn_node **doc)
{
	size_t line = ev->start_mark.line + 1;
	if (++t->events > VIGIL_PNPM_MAX_EVENTS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %zu YAML events",
				       (size_t)VIGIL_PNPM_MAX_EVENTS);
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		if (++t->aliases > VIGIL_PNPM_MAX_ALIASES)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: YAML alias (at most %d)", line,
					       VIGIL_PNPM_MAX_ALIASES);
		return 0;
	case YAML_SCALAR_EVENT:
		return pn_scalar(t, ev);
	case YAML_SEQUENCE_START_EVENT:
		return pn_open(t, PN_SEQ, line);
	case YAML_MAPPING_START_EVENT:
		return pn_open(t, PN_MAP, line);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return pn_close(t);
	case YAML_DOCUMENT_END_EVENT:
		*doc = t->top > 0 ? t->stack[t->top - 1] : NULL;
		t->top = 0;
		return 0;
	default:
		return 0;
	}
}

static pn_node *pn_get(const pn_node *map, const char *key)
{
	if (!map || map->kind != PN_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->kind == PN_SCALAR && vigil_slice_eq_cstr(map->kids[i]->s, key))
			return map->kids[i + 1];
	return NULL;
}

static vigil_slice pn_str(const pn_node *map, const char *key)
{
	const pn_node *v = pn_get(map, key);
	return v && v->kind == PN_SCALAR ? v->s : vigil_slice_make("", 0);
}

/* pnpm 11's env lockfile: an importer with configDependencies or
 * packageManagerDependencies. */
static bool pn_is_env(const pn_node *root)
{
	const pn_node *imps = pn_get(root, "importers");
	for (size_t i = 1; imps && imps->kind == PN_MAP && i < imps->n; i += 2)
		if (pn_get(imps->kids[i], "configDependencies") ||
		    pn_get(imps->kids[i], "packageManagerDependencies"))
			return true;
	return false;
}

/* Reads the documents up to the first project one (*root; NULL: none). */
static int pn_load(pn_tree *t, const char *data, size_t len, pn_node **root)
{
	yaml_parser_t p;
	yaml_event_t ev;
	bool done = false;
	int rc = 0;
	*root = NULL;
	if (!yaml_parser_initialize(&p))
		return vigil_error_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	while (!done && rc == 0) {
		pn_node *doc = NULL;
		if (!yaml_parser_parse(&p, &ev)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "line %zu: %s", p.problem_mark.line + 1,
					     p.problem ? p.problem : "not YAML");
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = pn_event(t, &ev, &doc);
		yaml_event_delete(&ev);
		if (rc == 0 && doc) {
			if (doc->kind != PN_MAP && !(doc->kind == PN_SCALAR && doc->s.len == 0))
				rc = vigil_error_set(VIGIL_EFORMAT, "the document is not a YAML mapping");
			else if (doc->kind == PN_MAP && !pn_is_env(doc))
				*root = doc, done = true;
		}
	}
	yaml_parser_delete(&p);
	return rc;
}

/* ---- keys and versions ---- */

static bool pn_num(vigil_slice s, size_t *i, bool zero_ok)
{
	size_t st = *i;
	while (*i < s.len && s.ptr[*i] >= '0' && s.ptr[*i] <= '9')
		(*i)++;
	return *i > st && (zero_ok || s.ptr[st] != '0' || *i - st == 1);
}

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without a
 * leading zero when strict. */
static bool pn_idents(vigil_slice s, size_t *i, bool strict)
{
	do {
		size_t st = *i;
		bool digits = true;
		while (*i < s.len && ((s.ptr[*i] >= '0' && s.ptr[*i] <= '9') ||
				      (s.ptr[*i] >= 'a' && s.ptr[*i] <= 'z') ||
				      (s.ptr[*i] >= 'A' && s.ptr[*i] <= 'Z') || s.ptr[*i] == '-')) {
			digits = digits && s.ptr[*i] >= '0' && s.ptr[*i] <= '9';
			(*i)++;
		}
		if (*i == st || (strict && digits && s.ptr[st] == '0' && *i - st > 1))
			return false;
	} while (*i < s.len && s.ptr[*i] == '.' && ++(*i));
	return true;
}

/* SemVer 2.0.0 as semver.org's regular expression (go-version's). */
static bool pn_semver(vigil_slice v)
{
	size_t i = 0;
	if (!pn_num(v, &i, false) || i >= v.len || v.ptr[i++] != '.' || !pn_num(v, &i, false) ||
	    i >= v.len || v.ptr[i++] != '.' || !pn_num(v, &i, false))
		return false;
	if (i < v.len && v.ptr[i] == '-' && (++i, !pn_idents(v, &i, true)))
		return false;
	if (i < v.len && v.ptr[i] == '+' && (++i, !pn_idents(v, &i, false)))
		return false;
	return i == v.len;
}

/* Go's strings.Cut. */
static bool pn_cut(vigil_slice s, char sep, vigil_slice *before, vigil_slice *after)
{
	ptrdiff_t at = vigil_slice_find(s, sep);
	if (at < 0) {
		*before = s;
		*after = vigil_slice_make(s.ptr + s.len, 0);
		return false;
	}
	*before = vigil_slice_sub(s, 0, (size_t)at);
	*after = vigil_slice_sub(s, (size_t)at + 1, s.len);
	return true;
}

static vigil_slice pn_trim_peers(vigil_slice v, double ver)
{
	vigil_slice head, tail;
	pn_cut(v, ver < 6 ? '_' : '(', &head, &tail);
	return head;
}

/* parsePnpmKey: name (scope/name in buf) and version of a key. */
static void pn_key(vigil_slice key, double ver, vigil_buf *name, vigil_slice *version)
{
	vigil_slice d = key, scope = { "", 0 }, n, skip;
	if (ver < 9)
		pn_cut(key, '/', &skip, &d);
	if (d.len > 0 && d.ptr[0] == '@')
		pn_cut(d, '/', &scope, &d);
	pn_cut(d, ver < 6 ? '/' : '@', &n, version);
	*version = pn_trim_peers(*version, ver);
	vigil_buf_reset(name);
	if ((scope.len > 0 && (vigil_buf_append(name, scope.ptr, scope.len) != 0 ||
			       vigil_buf_putc(name, '/') != 0)) ||
	    vigil_buf_append(name, n.ptr, n.len) != 0)
		vigil_buf_reset(name); /* too long: no name, skipped with a warning */
}

/* parseVersion: a version trivy keeps (else empty). */
static vigil_slice pn_version(vigil_slice v, double ver)
{
	if ((ver < 9 && (vigil_slice_starts_with(v, "file:") || vigil_slice_starts_with(v, "http"))) ||
	    !pn_semver(v))
		return vigil_slice_make("", 0);
	return v;
}

static vigil_slice pn_buf(const vigil_buf *b)
{
	return vigil_slice_make(b->data ? b->data : "", b->len);
}

/* ---- before 9 ---- */

/* A YAML true (yaml.v3 decoding a bool). */
static bool pn_true(vigil_slice v)
{
	return vigil_slice_eq_cstr(v, "true") || vigil_slice_eq_cstr(v, "True") ||
	       vigil_slice_eq_cstr(v, "TRUE");
}

static int pn_parse_v5(scan_node_out *o, const pn_node *root, double ver)
{
	const pn_node *pkgs = pn_get(root, "packages");
	vigil_buf name;
	int rc = 0;
	vigil_buf_init(&name, 4 * VIGIL_LANG_MAX_NAME);
	for (size_t i = 0; pkgs && pkgs->kind == PN_MAP && i + 1 < pkgs->n && rc == 0; i += 2) {
		const pn_node *k = pkgs->kids[i], *info = pkgs->kids[i + 1];
		vigil_slice n = pn_str(info, "name"), v = pn_str(info, "version");
		if (k->kind != PN_SCALAR || pn_true(pn_str(info, "dev")))
			continue;
		if (n.len == 0) {
			pn_key(k->s, ver, &name, &v);
			n = pn_buf(&name);
			v = pn_version(v, ver);
		}
		rc = scan_node_add(o, n, v, false);
	}
	vigil_buf_free(&name);
	return rc;
}

/* ---- 9 ---- */

struct pn_snap {
	vigil_slice name, version;
	bool dev;
};

struct pn_v9 {
	pn_tree *t;
	const pn_node *snaps;
	struct pn_snap *s;
	vigil_map pkgs, prod, at; /* packages key -> node; "name@ver" of importers'
				   * dependencies; snapshot key -> index + 1 */
	vigil_buf id;
};

/* id = name@version in s->id. */
static vigil_slice pn_id(struct pn_v9 *s, vigil_slice name, vigil_slice version)
{
	vigil_buf_reset(&s->id);
	if (vigil_buf_append(&s->id, name.ptr, name.len) != 0 || vigil_buf_putc(&s->id, '@') != 0 ||
	    vigil_buf_append(&s->id, version.ptr, version.len) != 0)
		return vigil_slice_make("", 0);
	return pn_buf(&s->id);
}

/* The production direct dependencies of every importer. */
static int pn_v9_prod(struct pn_v9 *s, const pn_node *imps)
{
	int rc = 0;
	for (size_t i = 1; imps && imps->kind == PN_MAP && i < imps->n; i += 2) {
		const pn_node *deps = pn_get(imps->kids[i], "dependencies");
		for (size_t j = 0; deps && deps->kind == PN_MAP && j + 1 < deps->n; j += 2) {
			vigil_slice v = pn_trim_peers(pn_str(deps->kids[j + 1], "version"), 9);
			vigil_slice id = pn_id(s, deps->kids[j]->s, v);
			char *k = id.len ? vigil_arena_strndup(s->t->a, id.ptr, id.len) : NULL;
			if (!k)
				return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
			if ((rc = vigil_map_set(&s->prod, k, id.len, (void *)1)) != 0)
				return vigil_error_set(rc, "importers: too many dependencies");
		}
	}
	return 0;
}

/* Name, version and dev of each snapshot. */
static int pn_v9_snaps(struct pn_v9 *s)
{
	vigil_buf name;
	int rc = 0;
	vigil_buf_init(&name, 4 * VIGIL_LANG_MAX_NAME);
	for (size_t i = 0; i + 1 < s->snaps->n && rc == 0; i += 2) {
		const pn_node *k = s->snaps->kids[i], *pkg;
		struct pn_snap *sn = &s->s[i / 2];
		vigil_slice raw, id;
		char *n;
		if (k->kind != PN_SCALAR)
			continue;
		pn_key(k->s, 9, &name, &raw);
		if (!(n = vigil_arena_strndup(s->t->a, name.data ? name.data : "", name.len))) {
			rc = vigil_error_code();
			break;
		}
		sn->name = vigil_slice_make(n, name.len);
		sn->version = pn_version(raw, 9);
		id = pn_id(s, sn->name, raw);
		pkg = vigil_map_get(&s->pkgs, id.ptr, id.len);
		if (pn_str(pkg, "version").len > 0)
			sn->version = pn_str(pkg, "version");
		sn->dev = !vigil_map_get(&s->prod, id.ptr, id.len);
		if ((rc = vigil_map_set(&s->at, k->s.ptr, k->s.len, (void *)(uintptr_t)(i / 2 + 1))) != 0)
			rc = vigil_error_set(rc, "snapshots: too many");
	}
	vigil_buf_free(&name);
	return rc;
}

/* Pushes the dev snapshots snapshot i depends on (an installed package:
 * in "packages") onto stack, marked production. A name in both
 * "dependencies" and "optionalDependencies" counts with the former's
 * version (trivy's lo.Assign); names holds the former's names. */
static int pn_v9_deps(struct pn_v9 *s, size_t i, size_t *stack, size_t *top, vigil_map *names)
{
	static const char *const lists[] = { "dependencies", "optionalDependencies" };
	const pn_node *snap = s->snaps->kids[2 * i + 1];
	int rc;
	vigil_map_clear(names);
	for (int l = 0; l < 2; l++) {
		const pn_node *deps = pn_get(snap, lists[l]);
		for (size_t j = 0; deps && deps->kind == PN_MAP && j + 1 < deps->n; j += 2) {
			const pn_node *k = deps->kids[j], *v = deps->kids[j + 1];
			vigil_slice id;
			size_t at;
			if (k->kind != PN_SCALAR || v->kind != PN_SCALAR)
				continue;
			if (l == 1 && vigil_map_get(names, k->s.ptr, k->s.len))
				continue;
			if (l == 0 && (rc = vigil_map_set(names, k->s.ptr, k->s.len, (void *)1)) != 0)
				return vigil_error_set(rc, "snapshots: too many dependencies");
			vigil_slice dn = k->s, dv = v->s;
			id = pn_id(s, dn, pn_trim_peers(dv, 9));
			if (!vigil_map_get(&s->pkgs, id.ptr, id.len))
				continue;
			id = pn_id(s, dn, dv);
			at = (size_t)(uintptr_t)vigil_map_get(&s->at, id.ptr, id.len);
			if (at > 0 && s->s[at - 1].dev) {
				s->s[at - 1].dev = false;
				stack[(*top)++] = at - 1;
			}
		}
	}
	return 0;
}

static int pn_parse_v9(scan_node_out *o, pn_tree *t, const pn_node *root)
{
	const pn_node *pkgs = pn_get(root, "packages");
	struct pn_v9 s = { .t = t, .snaps = pn_get(root, "snapshots") };
	size_t n, *stack = NULL, top = 0;
	vigil_map names;
	int rc = 0;
	vigil_map_init(&names, VIGIL_MAX_PACKAGES_PER_DB);
	vigil_map_init(&s.pkgs, VIGIL_MAX_PACKAGES_PER_DB);
	vigil_map_init(&s.prod, VIGIL_MAX_PACKAGES_PER_DB);
	vigil_map_init(&s.at, VIGIL_MAX_PACKAGES_PER_DB);
	vigil_buf_init(&s.id, 8 * (VIGIL_LANG_MAX_NAME + VIGIL_LANG_MAX_VERSION));
	if (!s.snaps || s.snaps->kind != PN_MAP || s.snaps->n < 2)
		goto out;
	n = s.snaps->n / 2;
	for (size_t i = 0; pkgs && pkgs->kind == PN_MAP && i + 1 < pkgs->n && rc == 0; i += 2)
		if (pkgs->kids[i]->kind == PN_SCALAR &&
		    (rc = vigil_map_set(&s.pkgs, pkgs->kids[i]->s.ptr, pkgs->kids[i]->s.len,
					pkgs->kids[i + 1])) != 0)
			rc = vigil_error_set(rc, "packages: too many");
	if (rc != 0 || (rc = pn_v9_prod(&s, pn_get(root, "importers"))) != 0)
		goto out;
	s.s = vigil_arena_calloc(t->a, n, sizeof(*s.s));
	stack = malloc(n * sizeof(*stack));
	if (!s.s || !stack) {
		rc = s.s ? vigil_error_oom() : vigil_error_code();
		goto out;
	}
	if ((rc = pn_v9_snaps(&s)) != 0)
		goto out;
	/* production reaches down the dependencies (each snapshot once) */
	for (size_t i = 0; i < n; i++)
		if (!s.s[i].dev)
			stack[top++] = i;
	while (top > 0 && rc == 0)
		rc = pn_v9_deps(&s, stack[--top], stack, &top, &names);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (s.s[i].name.ptr)
			rc = scan_node_add(o, s.s[i].name, s.s[i].version, s.s[i].dev);
out:
	free(stack);
	vigil_map_free(&names);
	vigil_buf_free(&s.id);
	vigil_map_free(&s.pkgs);
	vigil_map_free(&s.prod);
	vigil_map_free(&s.at);
	return rc;
}

int scan_pnpm_lock_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	pn_tree t = { 0 };
	pn_node *root = NULL;
	scan_node_out o;
	vigil_slice vs;
	char *end = NULL;
	double ver;
	int rc;
	scan_node_out_init(&o, ctx, out);
	if (len > VIGIL_MAX_NODE_LOCK_FILE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "lock file of %zu bytes (limit %zu)", len,
				     VIGIL_MAX_NODE_LOCK_FILE);
		goto out;
	}
	if (!(t.a = vigil_arena_new(PN_TREE_MAX))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = pn_load(&t, data, len, &root)) != 0 || !root)
		goto out;
	vs = pn_str(root, "lockfileVersion");
	ver = vs.len > 0 ? strtod(vs.ptr, &end) : -1;
	if (vs.len == 0 || end != vs.ptr + vs.len || !(ver >= 0 && ver < 1000)) {
		scan_warn(ctx, "lockfileVersion \"%.*s\": not understood, nothing read",
			  scan_node_shown(vs), vs.ptr);
		goto out;
	}
	rc = ver >= 9 ? pn_parse_v9(&o, &t, root) : pn_parse_v5(&o, root, ver);
out:
	scan_node_out_done(&o, rc);
	free(t.stack);
	vigil_arena_free(t.a);
	return rc;
}
