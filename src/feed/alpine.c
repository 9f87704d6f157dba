/* feed/alpine.c: the Alpine security database (secdb), one file per release
 * and repository, as JSON (secdb.alpinelinux.org) or as the YAML it was
 * first written in (alpine-secdb v3.x/main.yaml). Both are first read into
 * the same small tree (JSON with jansson, YAML with libyaml's event
 * parser: no aliases, bounded depth, node count and scalar size) and one
 * walker turns the tree into records, so both give identical records.
 * distroversion "v3.11" is the namespace alpine:3.11; every
 * packages[].pkg.name is an origin (source) package; each
 * pkg.secfixes[version] lists the ids fixed in that apk version (state
 * fixed), and the key "0" lists ids that never affected the release (state
 * not-affected). One record per (package, version, id). Entries are
 * cleaned into ids (docs/feeds-alpine-osv-nvd.md): "CVE-2019-5060
 * TALOS-2019-0844" is CVE-2019-5060 with the alias TALOS-2019-0844,
 * "CVE-2018-14468 (FrameRelay)" drops the note, "XSA-207" alone is the id. */
#include "feed/feed.h"
#include "util/error.h"
#include "util/slice.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* Nesting of the document (a secdb file is 6 deep). */
#define VIGIL_ALPINE_MAX_DEPTH 32
/* Nodes (scalars, sequences, mappings) of one document. */
#define VIGIL_ALPINE_MAX_NODES 4000000
/* Bytes of one scalar (a version, a package name, one entry). */
#define VIGIL_ALPINE_MAX_SCALAR 4096
/* Memory for the tree of one document. */
#define VIGIL_ALPINE_MAX_TREE ((size_t)256 * 1024 * 1024)
/* Ids in one secfixes entry, and the length of one id. */
#define VIGIL_ALPINE_MAX_IDS 16
#define VIGIL_ALPINE_MAX_ID 64

enum node_kind { N_NULL, N_SCALAR, N_SEQ, N_MAP };

struct node {
	enum node_kind kind;
	size_t line;            /* YAML: 1-based; JSON: 0 (unknown) */
	const char *s;          /* N_SCALAR */
	size_t len;
	struct node *first, *last, *next; /* N_SEQ items; N_MAP key, value, key, value... */
	size_t n;               /* children */
};

struct tree {
	vigil_arena *arena;
	const char *what;       /* "JSON" or "YAML" */
	size_t nodes;
	char path[256];         /* JSON: where from_json() is ("packages[3].pkg.name") */
};

static struct node *node_new(struct tree *t, enum node_kind kind, size_t line)
{
	if (++t->nodes > VIGIL_ALPINE_MAX_NODES) {
		vigil_error_set(VIGIL_ELIMIT, "alpine secdb %s: more than %d nodes", t->what,
				VIGIL_ALPINE_MAX_NODES);
		return NULL;
	}
	struct node *n = vigil_arena_calloc(t->arena, 1, sizeof(*n));
	if (n) {
		n->kind = kind;
		n->line = line;
	}
	return n;
}

static void node_add(struct node *parent, struct node *child)
{
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
	parent->n++;
}

static int scalar_set(struct tree *t, struct node *n, const char *s, size_t len)
{
	if (len > VIGIL_ALPINE_MAX_SCALAR && n->line)
		return vigil_error_set(VIGIL_ELIMIT, "alpine secdb %s line %zu: scalar of %zu bytes (limit %d)",
				       t->what, n->line, len, VIGIL_ALPINE_MAX_SCALAR);
	if (len > VIGIL_ALPINE_MAX_SCALAR)
		return vigil_error_set(VIGIL_ELIMIT, "alpine secdb %s: %s: scalar of %zu bytes (limit %d)",
				       t->what, *t->path ? t->path : "document", len, VIGIL_ALPINE_MAX_SCALAR);
	n->s = vigil_arena_strndup(t->arena, s, len);
	n->len = len;
	return n->s ? 0 : vigil_error_code();
}

/* ---- JSON -> tree ---- */

/* Appends "[i]" or ".key" to t->path; returns the length to restore. */
static size_t path_push(struct tree *t, const char *key, size_t idx)
{
	size_t len = strlen(t->path);
	if (key)
		snprintf(t->path + len, sizeof(t->path) - len, "%s%.64s", len ? "." : "", key);
	else
		snprintf(t->path + len, sizeof(t->path) - len, "[%zu]", idx);
	return len;
}

static int from_json(struct tree *t, json_t *j, int depth, struct node **out)
{
	struct node *n;
	size_t keep;
	int rc;
	if (depth > VIGIL_ALPINE_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "alpine secdb JSON: %s: nested deeper than %d", t->path,
				       VIGIL_ALPINE_MAX_DEPTH);
	switch (json_typeof(j)) {
	case JSON_STRING:
		if (!(n = node_new(t, N_SCALAR, 0)))
			return vigil_error_code();
		if ((rc = scalar_set(t, n, json_string_value(j), json_string_length(j))) < 0)
			return rc;
		break;
	case JSON_NULL:
		if (!(n = node_new(t, N_NULL, 0)))
			return vigil_error_code();
		break;
	case JSON_ARRAY: {
		size_t i;
		json_t *v;
		if (!(n = node_new(t, N_SEQ, 0)))
			return vigil_error_code();
		json_array_foreach(j, i, v) {
			struct node *c;
			keep = path_push(t, NULL, i);
			if ((rc = from_json(t, v, depth + 1, &c)) < 0)
				return rc;
			t->path[keep] = '\0';
			node_add(n, c);
		}
		break;
	}
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		if (!(n = node_new(t, N_MAP, 0)))
			return vigil_error_code();
		json_object_foreach(j, k, v) {
			struct node *kn = node_new(t, N_SCALAR, 0), *c;
			if (!kn)
				return vigil_error_code();
			if ((rc = scalar_set(t, kn, k, strlen(k))) < 0)
				return rc;
			node_add(n, kn);
			keep = path_push(t, k, 0);
			if ((rc = from_json(t, v, depth + 1, &c)) < 0)
				return rc;
			t->path[keep] = '\0';
			node_add(n, c);
		}
		break;
	}
	default: /* numbers and booleans: the secdb has none (every value is a string) */
		return vigil_error_set(VIGIL_EFORMAT, "alpine secdb JSON: %s: a number or boolean where a string was expected",
				       *t->path ? t->path : "document");
	}
	*out = n;
	return 0;
}

static int load_json(struct tree *t, const char *data, size_t len, struct node **root)
{
	json_error_t je;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return vigil_error_set(VIGIL_EFORMAT, "alpine secdb JSON: bad JSON at line %d column %d: %s",
				       je.line, je.column, je.text);
	int rc = from_json(t, j, 1, root);
	json_decref(j);
	return rc;
}

/* ---- YAML -> tree (libyaml events) ---- */

static bool yaml_is_null(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	/* YAML 1.1 nulls: "", "~", "null", "Null", "NULL" */
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

/* One event into the tree: stack[0..*depth) are the open collections. */
static int yaml_event(struct tree *t, const yaml_event_t *ev, struct node **stack, int *depth,
		      struct node **root, int *docs)
{
	size_t line = ev->start_mark.line + 1;
	struct node *n = NULL;
	int rc;
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			return vigil_error_set(VIGIL_EFORMAT, "alpine secdb YAML line %zu: a second document", line);
		return 0;
	case YAML_ALIAS_EVENT:
		return vigil_error_set(VIGIL_EUNSUPPORTED, "alpine secdb YAML line %zu: aliases are not supported", line);
	case YAML_SCALAR_EVENT:
		if (!(n = node_new(t, yaml_is_null(ev) ? N_NULL : N_SCALAR, line)))
			return vigil_error_code();
		if (n->kind == N_SCALAR &&
		    (rc = scalar_set(t, n, (const char *)ev->data.scalar.value, ev->data.scalar.length)) < 0)
			return rc;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (*depth >= VIGIL_ALPINE_MAX_DEPTH)
			return vigil_error_set(VIGIL_ELIMIT, "alpine secdb YAML line %zu: nested deeper than %d",
					       line, VIGIL_ALPINE_MAX_DEPTH);
		if (!(n = node_new(t, ev->type == YAML_MAPPING_START_EVENT ? N_MAP : N_SEQ, line)))
			return vigil_error_code();
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (*depth > 0)
			--*depth;
		return 0;
	default: /* stream start/end, document end */
		return 0;
	}
	if (*depth > 0) {
		struct node *parent = stack[*depth - 1];
		if (parent->kind == N_MAP && parent->n % 2 == 0 && n->kind != N_SCALAR)
			return vigil_error_set(VIGIL_EFORMAT, "alpine secdb YAML line %zu: a mapping key that is not a string",
					       line);
		node_add(parent, n);
	} else if (!*root) {
		*root = n;
	}
	if (n->kind == N_MAP || n->kind == N_SEQ)
		stack[(*depth)++] = n;
	return 0;
}

static int load_yaml(struct tree *t, const char *data, size_t len, struct node **root)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct node *stack[VIGIL_ALPINE_MAX_DEPTH];
	int depth = 0, docs = 0, rc = 0;
	if (!yaml_parser_initialize(&p))
		return vigil_error_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "alpine secdb YAML line %zu column %zu: %s",
					     p.problem_mark.line + 1, p.problem_mark.column + 1,
					     p.problem ? p.problem : "malformed");
			break;
		}
		int end = ev.type == YAML_STREAM_END_EVENT;
		rc = yaml_event(t, &ev, stack, &depth, root, &docs);
		yaml_event_delete(&ev);
		if (rc < 0 || end)
			break;
	}
	yaml_parser_delete(&p);
	return rc;
}

/* ---- ids of one secfixes entry ---- */

struct ids {
	char cve[VIGIL_ALPINE_MAX_IDS][VIGIL_ALPINE_MAX_ID];
	size_t ncve;
	vigil_slice other[VIGIL_ALPINE_MAX_IDS];
	size_t nother;
	bool dropped;           /* more than VIGIL_ALPINE_MAX_IDS */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* "CVE-2019-1234", "CVE_2019-1234", "CVE-2019-1234.patch", "CVE-2017-17434-1"
 * (the text after the number is dropped) -> "CVE-2019-1234". */
static bool clean_cve(vigil_slice tok, char out[VIGIL_ALPINE_MAX_ID])
{
	size_t i = 4, y, num;
	if (tok.len < 4 || strncasecmp(tok.ptr, "CVE", 3) != 0 || (tok.ptr[3] != '-' && tok.ptr[3] != '_'))
		return false;
	for (y = i; i < tok.len && is_digit(tok.ptr[i]); i++)
		;
	if (i - y != 4 || i >= tok.len || (tok.ptr[i] != '-' && tok.ptr[i] != '_'))
		return false;
	for (num = ++i; i < tok.len && is_digit(tok.ptr[i]); i++)
		;
	if (i - num < 4 || i - num > 12)
		return false;
	snprintf(out, VIGIL_ALPINE_MAX_ID, "CVE-%.4s-%.*s", tok.ptr + y, (int)(i - num), tok.ptr + num);
	return true;
}

/* XSA-182, TALOS-2019-0844, ZBX-11023, wnpa-sec-2017-18: letters first,
 * dash-separated alphanumeric parts, at least one dash and one digit. */
static bool is_other_id(vigil_slice tok)
{
	bool dash = false, digit = false;
	if (tok.len == 0 || tok.len >= VIGIL_ALPINE_MAX_ID || !is_alnum(tok.ptr[0]) || is_digit(tok.ptr[0]))
		return false;
	for (size_t i = 0; i < tok.len; i++) {
		char c = tok.ptr[i];
		if (c == '-') {
			if (i + 1 == tok.len || tok.ptr[i + 1] == '-')
				return false;
			dash = true;
		} else if (!is_alnum(c)) {
			return false;
		}
		digit |= is_digit(c);
	}
	return dash && digit;
}

static void ids_add_cve(struct ids *ids, const char *cve)
{
	for (size_t i = 0; i < ids->ncve; i++)
		if (strcmp(ids->cve[i], cve) == 0)
			return;
	if (ids->ncve == VIGIL_ALPINE_MAX_IDS) {
		ids->dropped = true;
		return;
	}
	memcpy(ids->cve[ids->ncve++], cve, VIGIL_ALPINE_MAX_ID);
}

static void entry_ids(vigil_slice entry, struct ids *ids)
{
	vigil_slice rest = vigil_slice_trim(entry), tok;
	char cve[VIGIL_ALPINE_MAX_ID], joined[VIGIL_ALPINE_MAX_ID];
	memset(ids, 0, sizeof(*ids));
	while (rest.len) {
		size_t n = 0;
		while (n < rest.len && rest.ptr[n] != ' ' && rest.ptr[n] != '\t')
			n++;
		tok = vigil_slice_make(rest.ptr, n);
		rest = vigil_slice_trim(vigil_slice_sub(rest, n, rest.len));
		if (tok.ptr[0] == '(')
			break; /* a note: "(AoE)", "(+ regression fix)" */
		while (tok.len && (tok.ptr[tok.len - 1] == ',' || tok.ptr[tok.len - 1] == ';'))
			tok.len--;
		if (tok.len == 3 && strncasecmp(tok.ptr, "CVE", 3) == 0 && rest.len && is_digit(rest.ptr[0])) {
			/* "CVE 2018-16859"; the joined text is only ever a CVE id */
			size_t m = 0;
			while (m < rest.len && rest.ptr[m] != ' ' && rest.ptr[m] != '\t')
				m++;
			snprintf(joined, sizeof(joined), "CVE-%.*s", (int)(m > 40 ? 40 : m), rest.ptr);
			rest = vigil_slice_trim(vigil_slice_sub(rest, m, rest.len));
			if (clean_cve(vigil_slice_cstr(joined), cve))
				ids_add_cve(ids, cve);
			continue;
		}
		if (clean_cve(tok, cve))
			ids_add_cve(ids, cve);
		else if (is_other_id(tok) && ids->nother < VIGIL_ALPINE_MAX_IDS)
			ids->other[ids->nother++] = tok;
		else if (is_other_id(tok))
			ids->dropped = true;
		/* anything else ("CVE-????-?????", "XPTI") is not an id */
	}
}

/* ---- the walker ---- */

struct alp {
	vigil_feed_ctx *ctx;
	const char *what;
	const char *ns;
};

static bool scalar_is(const struct node *n, const char *s)
{
	return n && n->kind == N_SCALAR && vigil_slice_eq_cstr(vigil_slice_make(n->s, n->len), s);
}

static const struct node *map_get(const struct node *map, const char *key)
{
	for (const struct node *k = map->first; k && k->next; k = k->next->next)
		if (scalar_is(k, key))
			return k->next;
	return NULL;
}

/* Null, or "" (PyYAML writes an empty YAML value as ""): an empty list. */
static bool is_empty(const struct node *n)
{
	return !n || n->kind == N_NULL || (n->kind == N_SCALAR && n->len == 0);
}

static int bad(struct alp *a, const struct node *n, const char *field, const char *problem)
{
	if (n && n->line)
		return vigil_error_set(VIGIL_EFORMAT, "alpine secdb %s line %zu: %s: %s", a->what, n->line,
				       field, problem);
	return vigil_error_set(VIGIL_EFORMAT, "alpine secdb %s: %s: %s", a->what, field, problem);
}

/* Printable ASCII without spaces (package names, apk versions). */
static bool is_token(const struct node *n)
{
	if (n->len == 0)
		return false;
	for (size_t i = 0; i < n->len; i++)
		if ((unsigned char)n->s[i] <= 0x20 || (unsigned char)n->s[i] >= 0x7F)
			return false;
	return true;
}

static int emit(struct alp *a, const char *id, const char *const *aliases, size_t naliases,
		const char *pkg, const char *fixed)
{
	vigil_feed_ctx *ctx = a->ctx;
	vigil_affected *af = vigil_arena_calloc(ctx->arena, 1, sizeof(*af));
	const char **al = naliases ? vigil_arena_calloc(ctx->arena, naliases, sizeof(*al)) : NULL;
	if (!af || (naliases && !al))
		return vigil_error_code();
	for (size_t i = 0; i < naliases; i++)
		al[i] = aliases[i];
	af->namespace = a->ns;
	af->package = pkg;
	af->is_source = 1;
	af->scheme = "apk";
	af->state = fixed ? VIGIL_STATE_FIXED : VIGIL_STATE_NOT_AFFECTED;
	af->fixed = fixed;
	vigil_vuln v = { .id = id, .source = "alpine", .aliases = al, .naliases = naliases,
			 .cvss3_score = -1, .cvss2_score = -1, .affected = af, .naffected = 1 };
	int rc = ctx->emit(ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

static int walk_entry(struct alp *a, const struct node *e, const char *pkg, const char *fixed,
		      const char *field)
{
	struct ids ids;
	const char *id[VIGIL_ALPINE_MAX_IDS], *other[VIGIL_ALPINE_MAX_IDS];
	size_t nid = 0, nother = 0;
	if (e->kind != N_SCALAR)
		return bad(a, e, field, "not a string");
	entry_ids(vigil_slice_make(e->s, e->len), &ids);
	if (ids.dropped)
		feed_warn(a->ctx, "%s: more than %d ids in \"%s\"; the rest are dropped", field,
				VIGIL_ALPINE_MAX_IDS, e->s);
	for (size_t i = 0; i < ids.ncve; i++)
		if (!(id[nid++] = feed_cstr(a->ctx, ids.cve[i])))
			return vigil_error_code();
	for (size_t i = 0; i < ids.nother; i++)
		if (!(other[nother++] = feed_str(a->ctx, ids.other[i].ptr, ids.other[i].len)))
			return vigil_error_code();
	if (nid == 0 && nother == 0) {
		feed_warn(a->ctx, "%s: no CVE or advisory id in \"%s\"; skipped", field, e->s);
		return 0;
	}
	if (nid == 0) /* "XSA-207": the advisory is the id */
		return emit(a, other[0], other + 1, nother - 1, pkg, fixed);
	for (size_t i = 0; i < nid; i++) {
		int rc = emit(a, id[i], other, nother, pkg, fixed);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int walk_pkg(struct alp *a, const struct node *item, size_t idx)
{
	char field[VIGIL_ALPINE_MAX_SCALAR + 128];
	const struct node *pkg = item->kind == N_MAP ? map_get(item, "pkg") : NULL, *name, *fixes;
	snprintf(field, sizeof(field), "packages[%zu].pkg", idx);
	if (!pkg || pkg->kind != N_MAP)
		return bad(a, item, field, "missing or not a mapping");
	name = map_get(pkg, "name");
	if (!name || name->kind != N_SCALAR)
		return bad(a, pkg, field, "name is missing or not a string");
	if (!is_token(name)) {
		feed_warn(a->ctx, "%s.name \"%s\" is not a package name; skipped", field, name->s);
		return 0;
	}
	const char *pname = feed_str(a->ctx, name->s, name->len);
	if (!pname)
		return vigil_error_code();
	fixes = map_get(pkg, "secfixes");
	if (is_empty(fixes))
		return 0;
	if (fixes->kind != N_MAP)
		return bad(a, fixes, field, "secfixes is not a mapping");
	for (const struct node *k = fixes->first; k && k->next; k = k->next->next) {
		const struct node *list = k->next;
		const char *fixed = NULL;
		if (k->kind != N_SCALAR)
			return bad(a, k, field, "a secfixes key is not a string");
		snprintf(field, sizeof(field), "packages[%zu].pkg(%s).secfixes[\"%s\"]", idx, pname, k->s);
		if (!is_token(k)) {
			feed_warn(a->ctx, "%s: not an apk version; skipped", field);
			continue;
		}
		if (!scalar_is(k, "0") && !(fixed = feed_str(a->ctx, k->s, k->len)))
			return vigil_error_code();
		if (is_empty(list))
			continue;
		if (list->kind != N_SEQ)
			return bad(a, list, field, "not a list");
		size_t i = 0;
		for (const struct node *e = list->first; e; e = e->next, i++) {
			char efield[sizeof(field) + 32];
			snprintf(efield, sizeof(efield), "%s[%zu]", field, i);
			int rc = walk_entry(a, e, pname, fixed, efield);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* "v3.11" (or "3.11", "v3.11.2") -> "alpine:3.11"; false otherwise ("edge"). */
static bool alpine_namespace(const struct node *dv, char *out, size_t n)
{
	vigil_slice s = vigil_slice_make(dv->s, dv->len), major, rest, minor, tail;
	uint64_t x, y;
	if (s.len && s.ptr[0] == 'v')
		s = vigil_slice_sub(s, 1, s.len);
	vigil_slice_split(s, '.', &major, &rest);
	vigil_slice_split(rest, '.', &minor, &tail);
	if (!vigil_slice_to_u64(major, 1000, &x) || !vigil_slice_to_u64(minor, 1000, &y))
		return false;
	snprintf(out, n, "alpine:%llu.%llu", (unsigned long long)x, (unsigned long long)y);
	return true;
}

static int walk(struct alp *a, const struct node *root)
{
	char ns[64];
	if (!root || root->kind != N_MAP)
		return bad(a, root, "document", "not a mapping");
	const struct node *dv = map_get(root, "distroversion"), *pkgs = map_get(root, "packages");
	if (!dv || dv->kind != N_SCALAR)
		return bad(a, root, "distroversion", "missing or not a string");
	if (!alpine_namespace(dv, ns, sizeof(ns))) {
		feed_warn(a->ctx, "distroversion \"%s\" is not a release vigil knows; file skipped", dv->s);
		return 0;
	}
	if (!(a->ns = feed_cstr(a->ctx, ns)))
		return vigil_error_code();
	if (is_empty(pkgs))
		return 0;
	if (pkgs->kind != N_SEQ)
		return bad(a, pkgs, "packages", "not a list");
	size_t i = 0;
	for (const struct node *p = pkgs->first; p; p = p->next, i++) {
		int rc = walk_pkg(a, p, i);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int parse(vigil_feed_ctx *ctx, const char *data, size_t len, bool yaml)
{
	struct tree t = { .what = yaml ? "YAML" : "JSON" };
	struct alp a = { .ctx = ctx, .what = t.what };
	struct node *root = NULL;
	int rc;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "alpine secdb: no data");
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "alpine secdb %s: %zu bytes (limit %zu)", t.what, len,
				       VIGIL_FEED_MAX_FILE);
	if (!(t.arena = vigil_arena_new(VIGIL_ALPINE_MAX_TREE)))
		return vigil_error_oom();
	rc = yaml ? load_yaml(&t, data ? data : "", len, &root) : load_json(&t, data ? data : "", len, &root);
	if (rc == 0 && yaml && !root)
		rc = vigil_error_set(VIGIL_EFORMAT, "alpine secdb YAML: empty document");
	if (rc == 0)
		rc = walk(&a, root);
	vigil_arena_free(t.arena);
	return rc;
}

int feed_alpine_json(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	return parse(ctx, data, len, false);
}

int feed_alpine_yaml(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	return parse(ctx, data, len, true);
}
