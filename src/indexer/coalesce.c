/* indexer/coalesce.c: see coalesce.h.
 *
 * Lookups go through one index per layer, built once: a hash map of path
 * -> the layer's last artifact at that path, and one of the paths where the
 * layer has a non-folder artifact (a whiteout, an opaque folder, a file or
 * a link where a folder was), which hides everything below it. A path is
 * then decided in O(layers x depth) map lookups, not by a scan of every
 * artifact (20,000 package.json files in one layer made the scans
 * quadratic). The files of the status.d-like folders are listed per layer
 * once too. Package presence per view uses a hash set of (type, name,
 * version, arch).
 *
 * OS-owned language files: in the top view, every file the visible OS
 * databases list (dpkg info/NAME.list, apk F:/R:, rpm BASENAMES; only the
 * kept ones, paths.h idx_owned_path_kept) is resolved like any path; the
 * language package file it lands on gets its owner ("dpkg:NAME"), the first
 * database in idx_db_files order winning. */
#include "indexer/coalesce.h"
#include "util/error.h"
#include "util/map.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_CAP 4097

/* One layer, indexed (see the top). */
struct layer_idx {
	vigil_map exact; /* path -> the layer's last artifact there */
	vigil_map block; /* path -> a non-folder artifact there */
	size_t *dirkids; /* indexes of artifacts directly in an idx_db_dirs folder */
	size_t ndirkids;
};

struct ctx {
	vigil_layer_result *const *layers;
	size_t n;
	vigil_coalesced *out;
	int warn_links; /* only the top view warns */
	struct layer_idx *idx;
};

static int add_warning(vigil_coalesced *c, const char *msg)
{
	for (size_t i = 0; i < c->nwarn; i++)
		if (strcmp(c->warnings[i], msg) == 0)
			return 0;
	char **n = realloc(c->warnings, (c->nwarn + 1) * sizeof(*n));
	if (!n)
		return vigil_error_oom();
	c->warnings = n;
	if (!(n[c->nwarn] = strdup(msg)))
		return vigil_error_oom();
	c->nwarn++;
	return 0;
}

/* True when a is a proper ancestor folder of p ("" is the root's). */
static bool ancestor_of(const char *a, const char *p)
{
	size_t n = strlen(a);
	if (n == 0)
		return p[0] != '\0';
	return strncmp(a, p, n) == 0 && p[n] == '/';
}

/* The idx_db_dirs folder p is directly in, or -1. */
static int db_dir_of(const char *p)
{
	for (size_t d = 0; d < idx_db_dir_count; d++) {
		const char *dir = idx_db_dirs[d].path;
		if (ancestor_of(dir, p) && !strchr(p + strlen(dir) + 1, '/'))
			return (int)d;
	}
	return -1;
}

static int index_layer(const vigil_layer_result *l, struct layer_idx *x)
{
	size_t cap = 0;
	int rc;
	vigil_map_init(&x->exact, VIGIL_MAX_ARTIFACTS);
	vigil_map_init(&x->block, VIGIL_MAX_ARTIFACTS);
	for (size_t i = 0; i < l->nart; i++) {
		const vigil_artifact *a = &l->arts[i];
		size_t len = strlen(a->path);
		if ((rc = vigil_map_set(&x->exact, a->path, len, (void *)a)) < 0)
			return rc;
		if (a->kind != VIGIL_ART_DIR && (rc = vigil_map_set(&x->block, a->path, len, (void *)a)) < 0)
			return rc;
		if (db_dir_of(a->path) < 0)
			continue;
		if (x->ndirkids == cap) {
			cap = cap ? cap * 2 : 64;
			size_t *k = realloc(x->dirkids, cap * sizeof(*k));
			if (!k)
				return vigil_error_oom();
			x->dirkids = k;
		}
		x->dirkids[x->ndirkids++] = i;
	}
	return 0;
}

static void index_free(struct layer_idx *idx, size_t n)
{
	for (size_t k = 0; idx && k < n; k++) {
		vigil_map_free(&idx[k].exact);
		vigil_map_free(&idx[k].block);
		free(idx[k].dirkids);
	}
	free(idx);
}

/* Whether layer x has a non-folder artifact at a proper ancestor of path. */
static bool hidden_in(const struct layer_idx *x, const char *path, size_t len)
{
	if (vigil_map_count(&x->block) == 0 || len == 0)
		return false;
	if (vigil_map_get(&x->block, "", 0))
		return true;
	for (size_t i = 1; i < len; i++)
		if (path[i] == '/' && vigil_map_get(&x->block, path, i))
			return true;
	return false;
}

/* The artifact that decides path in the view of layers 0..top, or NULL
 * when nothing is there (never was, or deleted). */
static const vigil_artifact *lookup(const struct ctx *c, size_t top, const char *path)
{
	size_t len = strlen(path);
	for (size_t k = top + 1; k > 0; k--) {
		const struct layer_idx *x = &c->idx[k - 1];
		const vigil_artifact *exact = vigil_map_get(&x->exact, path, len);
		if (exact)
			return exact->kind == VIGIL_ART_WHITEOUT ? NULL : exact;
		if (hidden_in(x, path, len))
			return NULL; /* deleted, opaque, or not a folder any more */
	}
	return NULL;
}

/* Joins a link's folder and target into out, resolving "." and ".."
 * lexically and never above the root. */
static int join_link(const char *dir, const char *target, char *out)
{
	char tmp[PATH_CAP * 2];
	size_t o = 0;
	int n = target[0] == '/' ? snprintf(tmp, sizeof(tmp), "%s", target)
				 : snprintf(tmp, sizeof(tmp), "%s/%s", dir, target);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	const char *p = tmp;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t len = (size_t)(e - p);
		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o + len + 2 > PATH_CAP)
				return -1;
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p = e;
	}
	out[o] = '\0';
	return 0;
}

static void dirname_of(const char *path, char *out)
{
	const char *s = strrchr(path, '/');
	size_t n = s ? (size_t)(s - path) : 0;
	memcpy(out, path, n);
	out[n] = '\0';
}

static int link_warning(const struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int link_warning(const struct ctx *c, const char *fmt, ...)
{
	char msg[2 * PATH_CAP + 128];
	va_list ap;
	if (!c->warn_links)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return add_warning(c->out, msg);
}

/* Resolves path in view top, following symlinks in the image. *found gets
 * the FILE artifact with a database, or NULL. */
static int resolve(const struct ctx *c, size_t top, const char *path, const vigil_artifact **found)
{
	char cur[PATH_CAP], next[PATH_CAP], dir[PATH_CAP];
	*found = NULL;
	if (strlen(path) >= PATH_CAP)
		return 0;
	memcpy(cur, path, strlen(path) + 1);
	for (int hops = 0; hops <= VIGIL_MAX_LINK_HOPS; hops++) {
		bool moved = false;
		for (char *s = strchr(cur, '/'); s && !moved; s = strchr(s + 1, '/')) {
			*s = '\0';
			const vigil_artifact *a = lookup(c, top, cur);
			if (a && (a->kind == VIGIL_ART_FILE || a->kind == VIGIL_ART_HARDLINK))
				return 0; /* a file where a folder should be */
			if (a && a->kind == VIGIL_ART_SYMLINK) {
				dirname_of(cur, dir);
				char rest[PATH_CAP], joined[PATH_CAP];
				snprintf(rest, sizeof(rest), "%s", s + 1);
				if (join_link(dir, a->target, joined) < 0 ||
				    snprintf(next, sizeof(next), "%s%s%s", joined, joined[0] ? "/" : "", rest) >= PATH_CAP)
					return link_warning(c, "%s: link target %s is too long", path, a->target);
				memcpy(cur, next, strlen(next) + 1);
				moved = true;
				break;
			}
			*s = '/';
		}
		if (moved)
			continue;
		const vigil_artifact *a = lookup(c, top, cur);
		if (!a) {
			vigil_dbkind k;
			/* a watched path that is absent is simply absent */
			if (!strcmp(cur, path) || idx_path_classify(cur, strlen(cur), &k) != VIGIL_PATH_IGNORED)
				return 0;
			return link_warning(c, "%s resolves to %s, which vigil does not read", path, cur);
		}
		switch (a->kind) {
		case VIGIL_ART_FILE:
			if (a->db != VIGIL_DB_NONE)
				*found = a;
			return 0;
		case VIGIL_ART_HARDLINK:
			return link_warning(c, "%s is a hard link to %s, which vigil did not read", path, a->target);
		case VIGIL_ART_SYMLINK:
			dirname_of(cur, dir);
			if (join_link(dir, a->target, next) < 0)
				return link_warning(c, "%s: link target %s is too long", path, a->target);
			memcpy(cur, next, strlen(next) + 1);
			continue;
		default:
			return 0; /* a folder */
		}
	}
	return link_warning(c, "%s: too many levels of symbolic links (last: %s)", path, cur);
}

/* The database artifacts of view top, deduplicated (malloc'd: language
 * packages are one file each, thousands in a Node image). */
struct dbset {
	const vigil_artifact **a;
	size_t n, cap;
};

static int dbset_push(struct dbset *s, const vigil_artifact *a)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		const vigil_artifact **na = realloc(s->a, ncap * sizeof(*na));
		if (!na)
			return vigil_error_oom();
		s->a = na;
		s->cap = ncap;
	}
	s->a[s->n++] = a;
	return 0;
}

static int dbset_add(struct dbset *s, const vigil_artifact *a)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->a[i] == a)
			return 0;
	return dbset_push(s, a);
}

/* Every language package file of view top: each artifact of layers 0..top
 * that the view still resolves to itself (a later copy, a deleted folder or
 * a folder turned into a link make it resolve elsewhere or nowhere; the
 * later copy is listed on its own), so no two are the same. */
static int view_lang(const struct ctx *c, size_t top, struct dbset *s)
{
	const vigil_artifact *a;
	int rc;
	for (size_t k = 0; k <= top; k++) {
		const vigil_layer_result *l = c->layers[k];
		for (size_t i = 0; i < l->nart; i++) {
			const vigil_artifact *own = &l->arts[i];
			if (own->kind != VIGIL_ART_FILE || !idx_dbkind_is_lang(own->db))
				continue;
			if ((rc = resolve(c, top, own->path, &a)) < 0)
				return rc;
			if (a == own && (rc = dbset_push(s, a)) < 0)
				return rc;
		}
	}
	return 0;
}

static bool is_rpm(vigil_dbkind k)
{
	return k == VIGIL_DB_RPM_BDB || k == VIGIL_DB_RPM_NDB || k == VIGIL_DB_RPM_SQLITE;
}

#define FILL(field) if (!d->field && o->field) d->field = o->field
/* Fills what d lacks from o, when both describe the same distribution. */
static void merge_release(vigil_distribution *d, const vigil_distribution *o)
{
	if (o->did && strcmp(o->did, d->did) != 0)
		return;
	FILL(name);
	FILL(version);
	FILL(version_id);
	FILL(version_code_name);
	FILL(id_like);
	FILL(pretty_name);
	FILL(cpe);
}
#undef FILL

/* The database files of view top (and, when dist is given, its distribution). */
static int view_dbs(const struct ctx *c, size_t top, struct dbset *s, vigil_distribution *dist)
{
	const vigil_artifact *a;
	bool have_apk = false, have_rpm = false;
	int rc;
	s->n = 0;
	if (dist)
		memset(dist, 0, sizeof(*dist));
	for (size_t i = 0; i < idx_db_file_count; i++) {
		const vigil_db_path *f = &idx_db_files[i];
		bool release = idx_dbkind_is_release(f->kind);
		if (release && (!dist || (dist->did && dist->version_id && dist->version_code_name)))
			continue;
		if ((f->kind == VIGIL_DB_APK && have_apk) || (is_rpm(f->kind) && have_rpm))
			continue;
		if ((rc = resolve(c, top, f->path, &a)) < 0)
			return rc;
		if (!a)
			continue;
		if (release) {
			if (!a->dist)
				continue;
			if (!dist->did && a->dist->did)
				*dist = *a->dist;
			else if (dist->did)
				merge_release(dist, a->dist);
			continue;
		}
		have_apk |= a->db == VIGIL_DB_APK;
		have_rpm |= is_rpm(a->db);
		if ((rc = dbset_add(s, a)) < 0)
			return rc;
	}
	/* every file of the status.d folders that any layer up to top has */
	for (size_t k = 0; k <= top; k++) {
		const struct layer_idx *x = &c->idx[k];
		for (size_t i = 0; i < x->ndirkids; i++) {
			const char *p = c->layers[k]->arts[x->dirkids[i]].path;
			int d = db_dir_of(p);
			if ((rc = resolve(c, top, p, &a)) < 0)
				return rc;
			if (a && a->db == idx_db_dirs[d].kind && (rc = dbset_add(s, a)) < 0)
				return rc;
		}
	}
	return view_lang(c, top, s);
}

/* ---- a set of package identities ---- */
struct pkgset {
	const vigil_package **slot;
	size_t cap;
};

/* FNV-1a (util/map.h) of s and a 0xff separator */
static uint64_t hstr(uint64_t h, const char *s)
{
	if (s)
		h = vigil_hash_more(h, s, strlen(s));
	return vigil_hash_more(h, "\xff", 1);
}

/* A language package is also its file: two copies of ms 2.0.0 in two
 * node_modules are two packages. */
/* The file a package is reported from: the database's path, or the
 * package's own package_db when it names an archive inside that file
 * ("<path>!/WEB-INF/lib/x.jar": scanner/lang/java.h). */
static const char *inner_db(const vigil_package *p, const char *path)
{
	size_t n = strlen(path);
	if (p->package_db && strncmp(p->package_db, path, n) == 0 &&
	    strncmp(p->package_db + n, "!/", 2) == 0)
		return p->package_db;
	return path;
}

static bool pkg_is_lang(const vigil_package *p)
{
	return vigil_pkg_type_is_lang(p->type);
}

static uint64_t pkg_hash(const vigil_package *p)
{
	uint64_t h = VIGIL_HASH_INIT ^ (uint64_t)p->type;
	h = hstr(hstr(hstr(h, p->name), p->version), p->arch);
	return pkg_is_lang(p) ? hstr(h, p->package_db) : h;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool pkg_same(const vigil_package *a, const vigil_package *b)
{
	return a->type == b->type && str_eq(a->name, b->name) && str_eq(a->version, b->version) &&
	       str_eq(a->arch, b->arch) && (!pkg_is_lang(a) || str_eq(a->package_db, b->package_db));
}

static int pkgset_fill(struct pkgset *s, const struct dbset *dbs)
{
	size_t total = 0;
	for (size_t i = 0; i < dbs->n; i++)
		total += dbs->a[i]->npkgs;
	size_t cap = 16;
	while (cap < total * 2)
		cap *= 2;
	if (cap > s->cap) {
		free(s->slot);
		s->slot = calloc(cap, sizeof(*s->slot));
		if (!s->slot)
			return vigil_error_oom();
		s->cap = cap;
	} else {
		memset(s->slot, 0, s->cap * sizeof(*s->slot));
	}
	for (size_t i = 0; i < dbs->n; i++)
		for (size_t j = 0; j < dbs->a[i]->npkgs; j++) {
			const vigil_package *p = &dbs->a[i]->pkgs[j];
			size_t h = pkg_hash(p) & (s->cap - 1);
			while (s->slot[h] && !pkg_same(s->slot[h], p))
				h = (h + 1) & (s->cap - 1);
			s->slot[h] = p;
		}
	return 0;
}

static bool pkgset_has(const struct pkgset *s, const vigil_package *p)
{
	size_t h = pkg_hash(p) & (s->cap - 1);
	while (s->slot[h]) {
		if (pkg_same(s->slot[h], p))
			return true;
		h = (h + 1) & (s->cap - 1);
	}
	return false;
}

/* owners: the path of each language package file of the top view that an
 * OS database of the view lists -> its owner ("dpkg:NAME"). */
static int find_owners(struct ctx *c, const struct dbset *top, vigil_map *owners)
{
	const vigil_artifact *a;
	int rc, warn = c->warn_links;
	c->warn_links = 0; /* a listed file that is absent or unread is no news */
	for (size_t i = 0; i < top->n; i++) {
		const vigil_artifact *db = top->a[i];
		if (idx_dbkind_is_lang(db->db))
			break; /* the language files come last */
		for (size_t j = 0; j < db->nowned; j++) {
			if ((rc = resolve(c, c->n - 1, db->owned[j].path, &a)) < 0)
				goto out;
			if (!a || !idx_dbkind_is_lang(a->db))
				continue;
			rc = vigil_map_add(owners, a->path, strlen(a->path), (void *)db->owned[j].owner);
			if (rc < 0)
				goto out;
		}
	}
	rc = 0;
out:
	c->warn_links = warn;
	return rc;
}

int idx_coalesce(vigil_layer_result *const *layers, size_t n, vigil_coalesced *out)
{
	struct ctx c = { layers, n, out, 1, NULL };
	struct dbset top_dbs = { 0 }, dbs = { 0 };
	struct pkgset set = { 0 };
	vigil_map owners = { 0 };
	bool *settled = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return 0;
	if (!(c.idx = calloc(n, sizeof(*c.idx))))
		return vigil_error_oom();
	for (size_t k = 0; k < n; k++)
		if ((rc = index_layer(layers[k], &c.idx[k])) < 0)
			goto out;
	for (size_t k = 0; k < n; k++)
		for (size_t w = 0; w < layers[k]->nwarn; w++)
			if ((rc = add_warning(out, layers[k]->warnings[w])) < 0)
				goto out;
	if ((rc = view_dbs(&c, n - 1, &top_dbs, &out->merged)) < 0)
		goto out;
	out->dist = out->merged.did ? &out->merged : NULL;
	if ((rc = find_owners(&c, &top_dbs, &owners)) < 0)
		goto out;
	c.warn_links = 0;
	size_t total = 0;
	for (size_t i = 0; i < top_dbs.n; i++)
		total += top_dbs.a[i]->npkgs;
	out->pkgs = calloc(total ? total : 1, sizeof(*out->pkgs));
	settled = calloc(total ? total : 1, sizeof(*settled));
	if (!out->pkgs || !settled) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < top_dbs.n; i++)
		for (size_t j = 0; j < top_dbs.a[i]->npkgs; j++) {
			vigil_coalesced_pkg *cp = &out->pkgs[out->npkgs++];
			cp->pkg = &top_dbs.a[i]->pkgs[j];
			cp->package_db = inner_db(cp->pkg, top_dbs.a[i]->path);
			cp->layer = n - 1;
			if (idx_dbkind_is_lang(top_dbs.a[i]->db) &&
			    (cp->owner = vigil_map_get(&owners, cp->package_db, strlen(cp->package_db))))
				cp->flags = VIGIL_PKG_F_OS_OWNED;
		}
	/* walk down while each package stays present */
	size_t open = out->npkgs;
	for (size_t j = n - 1; j > 0 && open > 0; j--) {
		size_t view = j - 1;
		if (layers[j]->nart > 0 || j == n - 1) {
			if ((rc = view_dbs(&c, view, &dbs, NULL)) < 0 || (rc = pkgset_fill(&set, &dbs)) < 0)
				goto out;
		}
		for (size_t i = 0; i < out->npkgs; i++) {
			if (settled[i])
				continue;
			if (pkgset_has(&set, out->pkgs[i].pkg)) {
				out->pkgs[i].layer = view;
			} else {
				settled[i] = true;
				open--;
			}
		}
	}
out:
	index_free(c.idx, n);
	vigil_map_free(&owners);
	free(set.slot);
	free(settled);
	free(top_dbs.a);
	free(dbs.a);
	return rc;
}

void idx_coalesced_free(vigil_coalesced *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nwarn; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c->pkgs);
	memset(c, 0, sizeof(*c));
}
