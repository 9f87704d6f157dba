/* indexer/layer_result.c: building a layer result, and parsing one database
 * or release file into it (the dispatch from a path's kind to its parser). */
#include "indexer/layer_result.h"
#include "scanner/lang/lang.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int idx_layer_result_new(const char *digest, vigil_layer_result **out)
{
	vigil_layer_result *r = calloc(1, sizeof(*r));
	if (!r)
		return vigil_error_oom();
	snprintf(r->digest, sizeof(r->digest), "%s", digest ? digest : "");
	r->arena = vigil_arena_new(0);
	r->strings = r->arena ? vigil_intern_new(r->arena) : NULL;
	if (!r->strings) {
		idx_layer_result_free(r);
		return vigil_error_oom();
	}
	*out = r;
	return 0;
}

void idx_layer_result_free(vigil_layer_result *r)
{
	if (!r)
		return;
	free(r->arts);
	free(r->warnings);
	vigil_intern_free(r->strings);
	vigil_arena_free(r->arena);
	free(r);
}

int idx_layer_result_add(vigil_layer_result *r, vigil_artifact **out)
{
	if (r->nart >= VIGIL_MAX_ARTIFACTS)
		return vigil_error_set(VIGIL_ELIMIT, "%s%s%smore than %d database entries",
				       r->digest[0] ? "layer " : "", r->digest, r->digest[0] ? ": " : "",
				       VIGIL_MAX_ARTIFACTS);
	if (r->nart == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		vigil_artifact *n = realloc(r->arts, ncap * sizeof(*n));
		if (!n)
			return vigil_error_oom();
		r->arts = n;
		r->cap = ncap;
	}
	*out = &r->arts[r->nart++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

int idx_layer_result_add_entry(vigil_layer_result *r, const char *path, size_t len,
				 vigil_art_kind kind, const char *target)
{
	vigil_artifact *a;
	const char *p = vigil_intern_str(r->strings, path, len);
	const char *t = target ? vigil_intern_cstr(r->strings, target) : NULL;
	if (!p || (target && !t))
		return vigil_error_oom();
	int rc = idx_layer_result_add(r, &a);
	if (rc < 0)
		return rc;
	a->path = p;
	a->kind = kind;
	a->target = t;
	return 0;
}

int idx_layer_result_warn(vigil_layer_result *r, const char *msg)
{
	if (r->nwarn >= VIGIL_MAX_LAYER_WARNINGS)
		return 0; /* enough said */
	if (r->nwarn == r->wcap) {
		size_t ncap = r->wcap ? r->wcap * 2 : 8;
		const char **n = realloc(r->warnings, ncap * sizeof(*n));
		if (!n)
			return vigil_error_oom();
		r->warnings = n;
		r->wcap = ncap;
	}
	const char *copy = vigil_arena_strdup(r->arena, msg);
	if (!copy)
		return vigil_error_oom();
	r->warnings[r->nwarn++] = copy;
	return 0;
}

static void warn_cb(void *ud, const char *msg)
{
	idx_layer_result_warn(ud, msg);
}

static vigil_release_kind release_kind(vigil_dbkind k)
{
	switch (k) {
	case VIGIL_DB_LSB_RELEASE: return VIGIL_RELEASE_LSB;
	case VIGIL_DB_DEBIAN_VERSION: return VIGIL_RELEASE_DEBIAN_VERSION;
	case VIGIL_DB_ALPINE_RELEASE: return VIGIL_RELEASE_ALPINE;
	case VIGIL_DB_REDHAT_RELEASE: return VIGIL_RELEASE_REDHAT;
	case VIGIL_DB_SYSTEM_RELEASE: return VIGIL_RELEASE_SYSTEM;
	case VIGIL_DB_SUSE_RELEASE: return VIGIL_RELEASE_SUSE;
	default: return VIGIL_RELEASE_OS_RELEASE;
	}
}

/* The files an OS database lists, as its parser hands them over (only
 * those idx_owned_path_kept() keeps; owner strings interned once per
 * package). */
struct owned_acc {
	vigil_layer_result *r;
	vigil_owned_file *v;
	size_t n, cap;
	const char *owner;   /* the last owner interned, "dpkg:NAME" */
	bool full;           /* VIGIL_MAX_OWNED_FILES reached */
};

static const char *owned_type(vigil_pkg_type t)
{
	return t == VIGIL_PKG_DPKG ? "dpkg" : t == VIGIL_PKG_APK ? "apk" : "rpm";
}

static int on_owned_file(void *ud, vigil_pkg_type type, const char *pkg, vigil_slice path)
{
	struct owned_acc *acc = ud;
	char own[300];
	if (!idx_owned_path_kept(path) || acc->full)
		return 0;
	if (path.len && path.ptr[0] == '/')
		path = vigil_slice_sub(path, 1, path.len);
	if (acc->n >= VIGIL_MAX_OWNED_FILES) {
		acc->full = true;
		return idx_layer_result_warn(acc->r, "an OS package database lists more than 1000000 "
					     "files that may be language package files: the rest are not "
					     "told apart from the image's own");
	}
	int n = snprintf(own, sizeof(own), "%s:%s", owned_type(type), pkg);
	if (n < 0 || (size_t)n >= sizeof(own))
		return 0; /* a name this long is no package anyone installs */
	if (!acc->owner || strcmp(acc->owner, own) != 0)
		if (!(acc->owner = vigil_intern_str(acc->r->strings, own, (size_t)n)))
			return vigil_error_oom();
	if (acc->n == acc->cap) {
		size_t ncap = acc->cap ? acc->cap * 2 : 64;
		vigil_owned_file *v = realloc(acc->v, ncap * sizeof(*v));
		if (!v)
			return vigil_error_oom();
		acc->v = v;
		acc->cap = ncap;
	}
	vigil_owned_file *f = &acc->v[acc->n];
	if (!(f->path = vigil_intern_str(acc->r->strings, path.ptr, path.len)))
		return vigil_error_oom();
	f->owner = acc->owner;
	acc->n++;
	return 0;
}

/* Moves the owned files into the arena, onto artifact a. */
static int owned_attach(vigil_layer_result *r, vigil_artifact *a, struct owned_acc *acc)
{
	if (!acc->n)
		return 0;
	a->owned = vigil_arena_alloc(r->arena, acc->n * sizeof(*a->owned));
	if (!a->owned)
		return vigil_error_oom();
	memcpy(a->owned, acc->v, acc->n * sizeof(*a->owned));
	a->nowned = acc->n;
	return 0;
}

/* A language parser's outcome: a bad package file is told (a warning
 * naming the layer and file), the rest of the layer still read; only
 * running out of memory fails the layer. */
static int lang_outcome(vigil_scan_ctx *ctx, int rc)
{
	if (rc < 0 && rc != VIGIL_ENOMEM) {
		scan_warn(ctx, "%s: not read", vigil_error_message());
		return 0;
	}
	return rc;
}

/* Appends the FILE artifact of a parsed file with copies of its packages. */
static int add_artifact(vigil_layer_result *r, const char *ipath, vigil_dbkind kind,
			vigil_distribution *dist, const vigil_pkg_list *list, struct owned_acc *acc)
{
	vigil_artifact *a;
	int rc = idx_layer_result_add(r, &a);
	if (rc < 0)
		return rc;
	if (acc && (rc = owned_attach(r, a, acc)) < 0)
		return rc;
	a->path = ipath;
	a->kind = VIGIL_ART_FILE;
	a->db = kind;
	a->dist = dist;
	if (list->len) {
		a->pkgs = vigil_arena_alloc(r->arena, list->len * sizeof(*a->pkgs));
		if (!a->pkgs)
			return vigil_error_oom();
		memcpy(a->pkgs, list->items, list->len * sizeof(*a->pkgs));
		a->npkgs = list->len;
	}
	return 0;
}

int idx_layer_result_add_file(vigil_layer_result *r, const char *path, vigil_dbkind kind,
				const char *data, size_t len)
{
	vigil_pkg_list list = { 0 };
	vigil_distribution *dist = NULL;
	struct owned_acc acc = { .r = r };
	int rc;
	const char *ipath = vigil_intern_cstr(r->strings, path);
	if (!ipath)
		return vigil_error_oom();
	vigil_scan_ctx ctx = {
		.arena = r->arena, .strings = r->strings, .layer = r->digest[0] ? r->digest : NULL,
		.path = ipath, .warn = warn_cb, .warn_ud = r, .file = on_owned_file, .file_ud = &acc,
	};

	switch (kind) {
	case VIGIL_DB_DPKG_STATUS:
	case VIGIL_DB_DPKG_STATUS_D:
		rc = scan_dpkg_parse(&ctx, data, len, kind == VIGIL_DB_DPKG_STATUS_D, &list);
		break;
	case VIGIL_DB_APK:
		rc = scan_apk_parse(&ctx, data, len, &list);
		break;
	case VIGIL_DB_DPKG_LIST:
		/* a bad list is told; the packages are still the status file's */
		rc = lang_outcome(&ctx, scan_dpkg_list_parse(&ctx, data, len));
		break;
	case VIGIL_DB_RPM_BDB:
		rc = scan_rpmdb_parse(&ctx, VIGIL_RPMDB_BDB, (const uint8_t *)data, len, &list);
		break;
	case VIGIL_DB_RPM_NDB:
		rc = scan_rpmdb_parse(&ctx, VIGIL_RPMDB_NDB, (const uint8_t *)data, len, &list);
		break;
	case VIGIL_DB_RPM_SQLITE:
		rc = scan_rpmdb_parse(&ctx, VIGIL_RPMDB_SQLITE, (const uint8_t *)data, len, &list);
		break;
	default:
		if (idx_dbkind_is_lang(kind)) {
			const idx_lang_kind *lk = idx_lang_kind_get(kind);
			rc = lk && lk->parse ? lk->parse(&ctx, data, len, &list) : 0;
			rc = lang_outcome(&ctx, rc);
			break;
		}
		dist = vigil_arena_calloc(r->arena, 1, sizeof(*dist));
		if (!dist) {
			rc = vigil_error_oom();
			break;
		}
		rc = scan_release_parse(&ctx, release_kind(kind), data, len, dist);
		if (rc == 0 && !dist->source_file)
			dist->source_file = ipath;
		break;
	}
	if (rc < 0) {
		if (r->digest[0])
			vigil_error_prefix("layer %s: %s: ", r->digest, path);
		else
			vigil_error_prefix("%s: ", path);
		goto out;
	}
	rc = add_artifact(r, ipath, kind, dist, &list, &acc);
out:
	free(acc.v);
	scan_pkg_list_free(&list);
	return rc;
}

int idx_layer_result_add_stream(vigil_layer_result *r, const char *path, vigil_dbkind kind,
				  vigil_istream *in, uint64_t size)
{
	vigil_pkg_list list = { 0 };
	int rc;
	const idx_lang_kind *lk = idx_lang_kind_get(kind);
	const char *ipath = vigil_intern_cstr(r->strings, path);
	if (!ipath)
		return vigil_error_oom();
	vigil_scan_ctx ctx = {
		.arena = r->arena, .strings = r->strings, .layer = r->digest[0] ? r->digest : NULL,
		.path = ipath, .warn = warn_cb, .warn_ud = r,
	};
	rc = lk && lk->parse_stream ? lk->parse_stream(&ctx, in, size, &list) : 0;
	/* the stream's own failure (the layer's bytes) fails the layer */
	if (rc < 0 && in->err)
		rc = in->err;
	else
		rc = lang_outcome(&ctx, rc);
	if (rc < 0) {
		if (r->digest[0])
			vigil_error_prefix("layer %s: %s: ", r->digest, path);
		else
			vigil_error_prefix("%s: ", path);
		goto out;
	}
	rc = add_artifact(r, ipath, kind, NULL, &list, NULL);
out:
	scan_pkg_list_free(&list);
	return rc;
}
