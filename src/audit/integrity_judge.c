/* audit/integrity_judge.c: the integrity checker's finish(): every file
 * record of the record files that survive in the merged view is compared
 * with the file the view holds at that path (docs/audit.md (Integrity)).
 *
 * - Records of dpkg whose path another package diverted (var/lib/dpkg/
 *   diversions) are checked at the diversion's target.
 * - Parent folders that are symlinks in the view are followed (usrmerge:
 *   md5sums list bin/ls, the file is usr/bin/ls).
 * - Several records of one path (rpm multilib, a file that moved between
 *   dpkg packages): the file is fine when it matches any of them.
 * - A file dpkg's path-exclude options kept out (slim images drop
 *   usr/share/doc) is not missing.
 *
 * Findings: file-modified (High for a system binary or shared library,
 * Medium for other code and settings, Low for data under usr/share and
 * var), config-modified (information), file-missing (Low; information for
 * a configuration file). layer: the layer of the changed version (or of
 * the whiteout); other_layer: the version it replaced, else the layer of
 * the package record. */
#include "audit/integrity_state.h"
#include "util/digest.h"
#include "util/error.h"

#include <fnmatch.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most symlinks followed resolving one path. */
#define INTEG_MAX_HOPS 32
/* A package with at least this many files, none of them there: one
 * package-files-missing finding instead of one per file. */
#define INTEG_WHOLE_PACKAGE 5

struct item {
	const char *path;            /* where it is checked (after a diversion) */
	const struct integ_rec *r;
};

struct judge {
	integ_state *s;
	audit_walk *w;
	bool *live;                  /* per record file: its version survives */
	vigil_map divs;              /* from -> struct integ_div * */
	const struct integ_filter **filters;
	size_t nfilters;
	vigil_map pkgs;              /* package name -> index + 1 in counts */
	struct pkg_count *counts;
	size_t npkg;
};

static const char *manager(int kind)
{
	switch (kind) {
	case IK_APK: return "apk";
	case IK_RPM_BDB:
	case IK_RPM_NDB:
	case IK_RPM_SQLITE: return "rpm";
	default: return "dpkg";
	}
}

static bool is_dpkg(int kind) { return kind == IK_MD5SUMS || kind == IK_STATUS; }

static bool rec_live(const struct judge *j, uint32_t src, uint32_t gen)
{
	return j->live[src] && j->s->srcs[src].gen == gen;
}

/* ---- paths ---- */

/* Appends component c to out (length *n), resolving "." and "..". */
static bool push_part(char *out, size_t *n, vigil_slice c)
{
	if (c.len == 0 || vigil_slice_eq_cstr(c, "."))
		return true;
	if (vigil_slice_eq_cstr(c, "..")) {
		while (*n && out[*n - 1] != '/')
			(*n)--;
		if (*n)
			(*n)--;
		return true;
	}
	if (*n + 1 + c.len >= INTEG_MAX_PATH)
		return false;
	if (*n)
		out[(*n)++] = '/';
	memcpy(out + *n, c.ptr, c.len);
	*n += c.len;
	out[*n] = '\0';
	return true;
}

/* Normalizes s into out (no leading '/', no "." or ".." parts). */
static bool normalize(const char *s, size_t len, char *out)
{
	vigil_slice in = vigil_slice_make(s, len), c, rest;
	size_t n = 0;
	out[0] = '\0';
	while (in.len) {
		if (!vigil_slice_split(in, '/', &c, &rest)) {
			c = in;
			rest = vigil_slice_make(in.ptr + in.len, 0);
		}
		if (!push_part(out, &n, c))
			return false;
		in = rest;
	}
	out[n] = '\0';
	return true;
}

/* The record of path in the view, following symlinked parent folders;
 * *real is the path it was found at. NULL when nothing is there. */
static const audit_file *lookup(audit_walk *w, const char *path, char *real)
{
	char cur[INTEG_MAX_PATH], tmp[2 * INTEG_MAX_PATH + 2];
	const audit_file *f = audit_fs_get(w, path);
	snprintf(real, INTEG_MAX_PATH, "%s", path);
	if (f && !f->deleted)
		return f;
	if (!normalize(path, strlen(path), cur))
		return f;
	for (int hop = 0; hop < INTEG_MAX_HOPS; hop++) {
		bool moved = false;
		for (char *sl = strchr(cur, '/'); sl && !moved; sl = moved ? NULL : strchr(sl + 1, '/')) {
			*sl = '\0';
			const audit_file *d = audit_fs_get(w, cur);
			if (d && !d->deleted && d->type == VIGIL_TAR_SYMLINK && d->link) {
				const char *base = strrchr(cur, '/');
				int n = d->link[0] == '/'
						? snprintf(tmp, sizeof(tmp), "%s/%s", d->link, sl + 1)
						: snprintf(tmp, sizeof(tmp), "%.*s/%s/%s",
							   base ? (int)(base - cur) : 0, cur, d->link, sl + 1);
				if (n < 0 || (size_t)n >= sizeof(tmp) || !normalize(tmp, (size_t)n, cur))
					return f;
				moved = true;
			} else {
				*sl = '/';
			}
		}
		if (!moved)
			break;
	}
	const audit_file *g = audit_fs_get(w, cur);
	if (!g)
		return f;
	snprintf(real, INTEG_MAX_PATH, "%s", cur);
	return g;
}

/* Whether dpkg's path-exclude options (the last matching filter wins) kept path out. */
static bool excluded(const struct judge *j, const char *path)
{
	char abs[INTEG_MAX_PATH + 2];
	bool out = false;
	snprintf(abs, sizeof(abs), "/%s", path);
	for (size_t i = 0; i < j->nfilters; i++)
		if (fnmatch(j->filters[i]->glob, abs, 0) == 0)
			out = !j->filters[i]->include;
	return out;
}

/* The layer of the whiteout (or opaque folder) that deleted path. */
static size_t deleting_layer(const struct judge *j, const char *path, size_t after)
{
	size_t best = VIGIL_AUDIT_NO_LAYER, n = strlen(path);
	while (n) {
		uintptr_t l = (uintptr_t)vigil_map_get(&j->s->gone, path, n);
		if (l && l - 1 >= after && (best == VIGIL_AUDIT_NO_LAYER || l - 1 > best))
			best = l - 1;
		while (n && path[n - 1] != '/')
			n--;
		if (n)
			n--;
	}
	return best;
}

/* ---- comparing ---- */

static const uint8_t *view_digest(const audit_file *f, int algo, uint8_t *buf)
{
	if (f->type == VIGIL_TAR_SYMLINK && f->link) {
		const EVP_MD *md = algo == INTEG_MD5 ? EVP_md5() : algo == INTEG_SHA1 ? EVP_sha1() : EVP_sha256();
		return EVP_Digest(f->link, strlen(f->link), buf, NULL, md, NULL) ? buf : NULL;
	}
	if ((f->type != VIGIL_TAR_FILE && f->type != VIGIL_TAR_HARDLINK) || !f->hashed)
		return NULL;
	return algo == INTEG_MD5 ? f->md5 : algo == INTEG_SHA1 ? f->sha1 : f->sha256;
}

static bool has_prefix(const char *p, const char *const *dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(p, dirs[i], strlen(dirs[i])))
			return true;
	return false;
}

static vigil_severity modified_severity(const char *path, const audit_file *f)
{
	static const char *const bins[] = { "bin/", "sbin/", "usr/bin/", "usr/sbin/", "usr/libexec/" };
	static const char *const libs[] = { "lib/", "lib32/", "lib64/", "libx32/", "usr/lib/",
					    "usr/lib32/", "usr/lib64/", "usr/libx32/" };
	static const char *const data[] = { "usr/share/", "var/" };
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (has_prefix(path, bins, 5))
		return VIGIL_SEV_HIGH;
	if (has_prefix(path, libs, 8))
		return (f->mode & 0111) || strstr(base, ".so") ? VIGIL_SEV_HIGH : VIGIL_SEV_MEDIUM;
	return has_prefix(path, data, 2) ? VIGIL_SEV_LOW : VIGIL_SEV_MEDIUM;
}

static const char *type_name(const audit_file *f)
{
	switch (f->type) {
	case VIGIL_TAR_DIR: return "a folder";
	case VIGIL_TAR_SYMLINK: return "a symlink";
	case VIGIL_TAR_OTHER: return "a device, fifo or socket";
	default: return "a file";
	}
}

static int report_modified(struct judge *j, const struct item *it, const audit_file *f,
			   const char *real)
{
	const struct integ_rec *r = it->r;
	const struct integ_src *src = &j->s->srcs[r->src];
	char want[65], got[65] = "", ev[INTEG_MAX_PATH + 512], title[INTEG_MAX_NAME + 128];
	uint8_t buf[32];
	const uint8_t *d = view_digest(f, r->algo, buf);
	size_t dl = integ_digest_len(r->algo);
	vigil_hex_encode(r->digest, dl, want);
	if (d)
		vigil_hex_encode(d, dl, got);
	if (f->type == VIGIL_TAR_SYMLINK)
		snprintf(ev, sizeof(ev), "a symlink to %s (%s %s says %s %s)", f->link, manager(src->kind),
			 r->pkg, integ_algo_name(r->algo), want);
	else if (d)
		snprintf(ev, sizeof(ev), "%s %s (%s %s says %s)", integ_algo_name(r->algo), got,
			 manager(src->kind), r->pkg, want);
	else
		snprintf(ev, sizeof(ev), "%s now (%s %s says a file with %s %s)", type_name(f),
			 manager(src->kind), r->pkg, integ_algo_name(r->algo), want);
	size_t o = strlen(ev);
	if (f->prev_layer >= 0)
		snprintf(ev + o, sizeof(ev) - o, "; layer %u replaced layer %d's version", f->layer,
			 (int)f->prev_layer);
	else
		snprintf(ev + o, sizeof(ev) - o, "; put there by layer %u, the package record is in layer %zu",
			 f->layer, src->layer);
	vigil_severity sev = r->config ? VIGIL_SEV_LOW : modified_severity(real, f);
	snprintf(title, sizeof(title), "%s of package %s differs from the package's record",
		 r->config ? "Configuration file" : sev == VIGIL_SEV_HIGH ? "System binary or library"
									  : "File", r->pkg);
	vigil_audit_finding fd = {
		.category = VIGIL_AUDIT_INTEGRITY, .rule = r->config ? "config-modified" : "file-modified",
		.title = title, .severity = sev, .path = real, .layer = f->layer,
		.other_layer = f->prev_layer >= 0 ? (size_t)f->prev_layer : src->layer,
		.evidence = ev, .package = r->pkg, .info = r->config,
	};
	j->s->modified++;
	return audit_add_finding(j->w, &fd);
}

static int report_missing(struct judge *j, const struct item *it, const audit_file *f)
{
	const struct integ_rec *r = it->r;
	const struct integ_src *src = &j->s->srcs[r->src];
	char ev[INTEG_MAX_PATH + 256], title[INTEG_MAX_NAME + 128];
	size_t layer = src->layer, other = VIGIL_AUDIT_NO_LAYER;
	if (f && f->deleted) {
		size_t del = deleting_layer(j, it->path, f->layer);
		other = f->layer;
		layer = del != VIGIL_AUDIT_NO_LAYER ? del : f->layer;
		snprintf(ev, sizeof(ev), "deleted in layer %zu, put there by layer %u (%s %s lists it)",
			 layer, f->layer, manager(src->kind), r->pkg);
	} else {
		snprintf(ev, sizeof(ev), "absent (%s %s lists it, in layer %zu)", manager(src->kind), r->pkg,
			 src->layer);
	}
	snprintf(title, sizeof(title), "%s of package %s is missing",
		 r->config ? "Configuration file" : "File", r->pkg);
	vigil_audit_finding fd = {
		.category = VIGIL_AUDIT_INTEGRITY, .rule = "file-missing", .title = title,
		.severity = r->config ? VIGIL_SEV_NEGLIGIBLE : VIGIL_SEV_LOW, .path = it->path,
		.layer = layer, .other_layer = other, .evidence = ev, .package = r->pkg,
		.deleted = f && f->deleted, .info = r->config,
	};
	j->s->missing++;
	return audit_add_finding(j->w, &fd);
}

enum { J_OK, J_MISSING, J_MODIFIED, J_EXCLUDED };

/* What the view holds for one path and every record of it (items[0..n)):
 * J_OK (it matches one, or cannot be compared), J_MISSING, J_MODIFIED,
 * J_EXCLUDED (absent, and dpkg's path-exclude kept it out). */
static int classify(struct judge *j, const struct item *items, size_t n, const audit_file **out,
		    char *real, size_t *match)
{
	const audit_file *f = lookup(j->w, items[0].path, real);
	*out = f;
	*match = n;
	if (!f || f->deleted) {
		for (size_t i = 0; i < n; i++)
			if (is_dpkg(j->s->srcs[items[i].r->src].kind) && excluded(j, items[0].path))
				return J_EXCLUDED;
		return J_MISSING;
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t buf[32];
		const uint8_t *d = view_digest(f, items[i].r->algo, buf);
		if (d && !memcmp(d, items[i].r->digest, integ_digest_len(items[i].r->algo))) {
			*match = i;
			return J_OK;
		}
	}
	if (f->type == VIGIL_TAR_DIR)
		return J_OK; /* a folder where a package had a file: left to the other checks */
	if ((f->type == VIGIL_TAR_FILE || f->type == VIGIL_TAR_HARDLINK) && !f->hashed)
		return J_OK; /* a hard link whose target the view does not hold: nothing to compare */
	return J_MODIFIED;
}

/* The content matches: a setuid, setgid or world-writable bit the package
 * did not set (rpm and apk record modes; dpkg does not) is a finding. */
static int check_mode(struct judge *j, const struct item *it, const audit_file *f, const char *real)
{
	const struct integ_rec *r = it->r;
	uint32_t added = f->mode & ~(uint32_t)r->mode & (04000 | 02000 | 0002);
	char ev[INTEG_MAX_NAME + 160], title[INTEG_MAX_NAME + 128];
	if (!r->mode || f->type != VIGIL_TAR_FILE || !added)
		return 0;
	snprintf(ev, sizeof(ev), "mode %04o (%s %s says %04o): %s%s%sadded; layer %u", f->mode & 07777,
		 manager(j->s->srcs[r->src].kind), r->pkg, r->mode, added & 04000 ? "setuid " : "",
		 added & 02000 ? "setgid " : "", added & 0002 ? "world-writable " : "", f->layer);
	snprintf(title, sizeof(title), "File of package %s got %s permissions the package did not give",
		 r->pkg, added & 06000 ? "setuid/setgid" : "world-writable");
	vigil_audit_finding fd = {
		.category = VIGIL_AUDIT_INTEGRITY, .rule = "mode-changed", .title = title,
		.severity = added & 06000 ? VIGIL_SEV_HIGH : VIGIL_SEV_MEDIUM, .path = real,
		.layer = f->layer,
		.other_layer = f->prev_layer >= 0 ? (size_t)f->prev_layer : j->s->srcs[r->src].layer,
		.evidence = ev, .package = r->pkg,
	};
	return audit_add_finding(j->w, &fd);
}

/* Per package: files there and missing (pass 1), whether its missing files
 * were reported as one (pass 2). */
struct pkg_count {
	size_t present, missing;
	const struct item *first;
	bool whole;
};

static struct pkg_count *pkg_of(struct judge *j, const struct integ_rec *r)
{
	uintptr_t k = (uintptr_t)vigil_map_get_cstr(&j->pkgs, r->pkg);
	if (!k) {
		k = ++j->npkg;
		if (vigil_map_set_cstr(&j->pkgs, r->pkg, (void *)k) < 0)
			return NULL;
	}
	return &j->counts[k - 1];
}

/* Every file of a package missing (a database whose files were never
 * there, a package deleted by hand): one finding, not one per file. */
static int report_package(struct judge *j, const struct pkg_count *c)
{
	const struct integ_rec *r = c->first->r;
	const struct integ_src *src = &j->s->srcs[r->src];
	char ev[INTEG_MAX_PATH + 256], title[INTEG_MAX_NAME + 128];
	snprintf(ev, sizeof(ev), "all %zu files %s %s lists are missing (the first: %s)", c->missing,
		 manager(src->kind), r->pkg, c->first->path);
	snprintf(title, sizeof(title), "Every file of package %s is missing", r->pkg);
	vigil_audit_finding fd = {
		.category = VIGIL_AUDIT_INTEGRITY, .rule = "package-files-missing", .title = title,
		.severity = VIGIL_SEV_LOW, .path = src->path, .layer = src->layer,
		.other_layer = VIGIL_AUDIT_NO_LAYER, .evidence = ev, .package = r->pkg,
	};
	j->s->missing += c->missing;
	return audit_add_finding(j->w, &fd);
}

/* Pass 2 for one path: its finding, unless its package's are reported as one. */
static int judge_path(struct judge *j, const struct item *items, size_t n)
{
	char real[INTEG_MAX_PATH];
	const audit_file *f;
	size_t match;
	int verdict = classify(j, items, n, &f, real, &match);
	struct pkg_count *c = pkg_of(j, items[0].r);
	j->s->checked++;
	if (!c)
		return vigil_error_oom();
	if (verdict == J_MODIFIED)
		return report_modified(j, &items[0], f, real);
	if (verdict == J_OK && match < n)
		return check_mode(j, &items[match], f, real);
	if (verdict != J_MISSING)
		return 0;
	if (c->present == 0 && c->missing >= INTEG_WHOLE_PACKAGE) {
		if (c->whole)
			return 0;
		c->whole = true;
		return report_package(j, c);
	}
	return report_missing(j, &items[0], f);
}

/* Pass 1 for one path: counts for its (first) package. */
static int count_path(struct judge *j, const struct item *items, size_t n)
{
	char real[INTEG_MAX_PATH];
	const audit_file *f;
	size_t match;
	int verdict = classify(j, items, n, &f, real, &match);
	struct pkg_count *c = pkg_of(j, items[0].r);
	if (!c)
		return vigil_error_oom();
	if (verdict == J_OK || verdict == J_MODIFIED)
		c->present++;
	else if (verdict == J_MISSING && !items[0].r->config && !c->missing++)
		c->first = &items[0]; /* missing configuration files count neither way */
	return 0;
}

static int by_path(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return (int)y->r->config - (int)x->r->config; /* a configuration record first */
}

/* dpkg reads dpkg.cfg.d/ in name order, then dpkg.cfg. */
static int filter_order(const void *a, const void *b)
{
	const struct integ_filter *x = *(const struct integ_filter *const *)a;
	const struct integ_filter *y = *(const struct integ_filter *const *)b;
	if (x->src == y->src)
		return x < y ? -1 : x > y;
	return x->src < y->src ? -1 : 1;
}

static int setup(struct judge *j)
{
	integ_state *s = j->s;
	if (!(j->live = calloc(s->nsrc + 1, sizeof(*j->live))) ||
	    !(j->filters = calloc(s->nfilter + 1, sizeof(*j->filters))))
		return vigil_error_oom();
	for (size_t i = 0; i < s->nsrc; i++) {
		const audit_file *f = audit_fs_get(j->w, s->srcs[i].path);
		j->live[i] = f && !f->deleted && f->type == VIGIL_TAR_FILE && f->layer == s->srcs[i].layer;
	}
	vigil_map_init(&j->divs, INTEG_MAX_DIVERSIONS);
	for (size_t i = 0; i < s->ndiv; i++)
		if (rec_live(j, s->divs[i].src, s->divs[i].gen) &&
		    vigil_map_set_cstr(&j->divs, s->divs[i].from, &s->divs[i]) < 0)
			return vigil_error_oom();
	for (size_t i = 0; i < s->nfilter; i++)
		if (rec_live(j, s->filters[i].src, s->filters[i].gen))
			j->filters[j->nfilters++] = &s->filters[i];
	qsort(j->filters, j->nfilters, sizeof(*j->filters), filter_order);
	return 0;
}

int integ_judge(integ_state *s, audit_walk *w)
{
	struct judge j = { .s = s, .w = w };
	struct item *items = NULL;
	size_t n = 0;
	int rc = setup(&j);
	if (rc < 0 || !(items = malloc((s->nrec + 1) * sizeof(*items)))) {
		rc = rc < 0 ? rc : vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < s->nrec; i++) {
		const struct integ_rec *r = &s->recs[i];
		if (!rec_live(&j, r->src, r->gen))
			continue;
		const struct integ_div *d = is_dpkg(s->srcs[r->src].kind)
						    ? vigil_map_get_cstr(&j.divs, r->path) : NULL;
		items[n].path = d && strcmp(d->by, r->pkg) ? d->to : r->path;
		items[n++].r = r;
	}
	qsort(items, n, sizeof(*items), by_path);
	if (!(j.counts = calloc(n + 1, sizeof(*j.counts)))) {
		rc = vigil_error_oom();
		goto out;
	}
	vigil_map_init(&j.pkgs, INTEG_MAX_RECORDS);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0, k; i < n && rc == 0; i = k) {
			for (k = i + 1; k < n && !strcmp(items[k].path, items[i].path); k++)
				;
			rc = pass ? judge_path(&j, items + i, k - i) : count_path(&j, items + i, k - i);
		}
out:
	free(items);
	free(j.counts);
	vigil_map_free(&j.pkgs);
	free(j.live);
	free(j.filters);
	vigil_map_free(&j.divs);
	return rc;
}
