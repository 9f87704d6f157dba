/* audit/integrity.c: the integrity scanner (docs/audit.md (Integrity)).
 * Every file an OS package installed is compared with the package
 * manager's own record of it: dpkg's info/NAME.md5sums and the status
 * file's Conffiles:, apk's Z: checksums, rpm's FILEDIGESTS.
 *
 * As the layers stream by, the record files (integ_classify) are read
 * whole (as chunks: an rpmdb.sqlite can pass the walk's 16 MiB) and their
 * records kept, tagged with the file's version: a later version of a
 * record file replaces the records of the earlier one, and at finish()
 * only record files still in the merged view (not deleted, their last
 * version) count. A record file that cannot be read is an error naming
 * layer and file, raised at finish() when that version survives. Whiteouts
 * are noted (path -> layer) so that a deleted package file can name the
 * layer that deleted it. The comparison is integrity_judge.c. */
#include "audit/integrity_state.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool under(const char *path, const char *dir, const char **rest)
{
	size_t n = strlen(dir);
	if (strncmp(path, dir, n) != 0 || !path[n] || strchr(path + n, '/'))
		return false;
	*rest = path + n;
	return true;
}

int integ_classify(const char *p)
{
	static const char *const rpmdirs[] = { "var/lib/rpm/", "usr/lib/sysimage/rpm/",
					       "usr/share/rpm/" };
	const char *rest;
	if (under(p, "var/lib/dpkg/info/", &rest) || under(p, "var/lib/dpkg/status.d/", &rest)) {
		size_t n = strlen(rest);
		return n > 8 && strcmp(rest + n - 8, ".md5sums") == 0 ? IK_MD5SUMS : IK_NONE;
	}
	if (!strcmp(p, "var/lib/dpkg/status"))
		return IK_STATUS;
	if (!strcmp(p, "var/lib/dpkg/diversions"))
		return IK_DIVERSIONS;
	if (!strcmp(p, "etc/dpkg/dpkg.cfg") || under(p, "etc/dpkg/dpkg.cfg.d/", &rest))
		return IK_DPKGCFG;
	if (!strcmp(p, "lib/apk/db/installed"))
		return IK_APK;
	for (size_t i = 0; i < sizeof(rpmdirs) / sizeof(rpmdirs[0]); i++) {
		if (!under(p, rpmdirs[i], &rest))
			continue;
		if (!strcmp(rest, "Packages"))
			return IK_RPM_BDB;
		if (!strcmp(rest, "Packages.db"))
			return IK_RPM_NDB;
		if (!strcmp(rest, "rpmdb.sqlite"))
			return IK_RPM_SQLITE;
	}
	return IK_NONE;
}

static int add_rec(void *ud, const integ_item *it)
{
	integ_state *s = ud;
	vigil_slice p = it->path;
	while (p.len && (p.ptr[0] == '/' || (p.len > 1 && p.ptr[0] == '.' && p.ptr[1] == '/')))
		p = vigil_slice_sub(p, p.ptr[0] == '/' ? 1 : 2, p.len);
	if (!p.len || !integ_digest_len(it->algo))
		return 0;
	if (s->nrec >= INTEG_MAX_RECORDS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %zu package file records",
				       INTEG_MAX_RECORDS);
	if (vigil_grow((void **)&s->recs, &s->caprec, s->nrec, sizeof(*s->recs), 1024,
		       INTEG_MAX_RECORDS) < 0)
		return vigil_error_oom();
	struct integ_rec *r = &s->recs[s->nrec];
	r->path = audit_walk_str(s->w, p.ptr, p.len);
	r->pkg = audit_walk_str(s->w, it->pkg.ptr, it->pkg.len);
	if (!r->path || !r->pkg)
		return vigil_error_or_oom();
	r->src = s->cur_src;
	r->gen = s->cur_gen;
	r->algo = (uint8_t)it->algo;
	r->config = it->config;
	r->mode = it->mode;
	memcpy(r->digest, it->digest, sizeof(r->digest));
	s->nrec++;
	return 0;
}

static const char *strip_slash(vigil_slice *v)
{
	while (v->len && v->ptr[0] == '/')
		*v = vigil_slice_sub(*v, 1, v->len);
	return v->ptr;
}

static int add_div(void *ud, vigil_slice from, vigil_slice to, vigil_slice by)
{
	integ_state *s = ud;
	if (vigil_grow((void **)&s->divs, &s->capdiv, s->ndiv, sizeof(*s->divs), 16,
		       INTEG_MAX_DIVERSIONS) < 0)
		return vigil_error_oom();
	struct integ_div *d = &s->divs[s->ndiv];
	strip_slash(&from);
	strip_slash(&to);
	d->from = audit_walk_str(s->w, from.ptr, from.len);
	d->to = audit_walk_str(s->w, to.ptr, to.len);
	d->by = audit_walk_str(s->w, by.ptr, by.len);
	if (!d->from || !d->to || !d->by)
		return vigil_error_or_oom();
	d->src = s->cur_src;
	d->gen = s->cur_gen;
	s->ndiv++;
	return 0;
}

static int add_filter(void *ud, bool include, vigil_slice glob)
{
	integ_state *s = ud;
	if (vigil_grow((void **)&s->filters, &s->capfilter, s->nfilter, sizeof(*s->filters), 16,
		       INTEG_MAX_FILTERS) < 0)
		return vigil_error_oom();
	struct integ_filter *f = &s->filters[s->nfilter];
	if (!(f->glob = audit_walk_str(s->w, glob.ptr, glob.len)))
		return vigil_error_or_oom();
	f->include = include;
	f->src = s->cur_src;
	f->gen = s->cur_gen;
	s->nfilter++;
	return 0;
}

/* NAME of ".../NAME[:ARCH].md5sums". */
static vigil_slice md5sums_pkg(const char *path)
{
	const char *base = strrchr(path, '/');
	vigil_slice n = vigil_slice_cstr(base ? base + 1 : path);
	n.len -= strlen(".md5sums");
	ptrdiff_t colon = vigil_slice_find(n, ':');
	if (colon > 0)
		n.len = (size_t)colon;
	return n;
}

static int parse_src(integ_state *s, int kind, const char *path, const uint8_t *p, size_t n,
		     audit_walk *w)
{
	const char *t = (const char *)p;
	size_t unsupported = 0;
	int rc = 0;
	if (n == 0)
		return 0; /* an empty file records nothing (a package without files, a fresh database) */
	switch (kind) {
	case IK_MD5SUMS: return integ_dpkg_md5sums_parse(md5sums_pkg(path), t, n, add_rec, s);
	case IK_STATUS: return integ_dpkg_status_parse(t, n, add_rec, s);
	case IK_DIVERSIONS: return integ_dpkg_diversions_parse(t, n, add_div, s);
	case IK_DPKGCFG: return integ_dpkg_cfg_parse(t, n, add_filter, s);
	case IK_APK: return integ_apk_parse(t, n, add_rec, s);
	case IK_RPM_BDB: rc = integ_rpmdb_parse(VIGIL_RPMDB_BDB, p, n, add_rec, s, &unsupported); break;
	case IK_RPM_NDB: rc = integ_rpmdb_parse(VIGIL_RPMDB_NDB, p, n, add_rec, s, &unsupported); break;
	case IK_RPM_SQLITE:
		rc = integ_rpmdb_parse(VIGIL_RPMDB_SQLITE, p, n, add_rec, s, &unsupported);
		break;
	default: return 0;
	}
	if (rc == 0 && unsupported)
		audit_warn(w, "integrity: %s: %zu file digests of an algorithm other than md5, sha1 "
			   "or sha256 not checked", path, unsupported);
	return rc;
}

/* The source record of path, new or replaced (its old records dropped). */
static int src_begin(integ_state *s, const audit_entry *e, int kind)
{
	size_t len = strlen(e->path);
	uintptr_t idx = (uintptr_t)vigil_map_get(&s->src_by_path, e->path, len);
	if (!idx) {
		if (vigil_grow((void **)&s->srcs, &s->capsrc, s->nsrc, sizeof(*s->srcs), 64,
			       INTEG_MAX_SOURCES) < 0)
			return vigil_error_set(VIGIL_ELIMIT, "more than %d package record files",
					       INTEG_MAX_SOURCES);
		struct integ_src *n = &s->srcs[s->nsrc];
		memset(n, 0, sizeof(*n));
		if (!(n->path = audit_walk_str(s->w, e->path, len)))
			return vigil_error_or_oom();
		idx = ++s->nsrc;
		if (vigil_map_set(&s->src_by_path, n->path, len, (void *)idx) < 0)
			return vigil_error_oom();
	}
	struct integ_src *src = &s->srcs[idx - 1];
	src->gen++;
	src->layer = e->layer;
	src->kind = kind;
	free(src->err);
	src->err = NULL;
	s->cur_src = (uint32_t)(idx - 1);
	s->cur_gen = src->gen;
	return 0;
}

/* Keeps the reason a record file could not be read, naming layer and file. */
static int src_failed(integ_state *s, const audit_entry *e)
{
	struct integ_src *src = &s->srcs[s->cur_src];
	char msg[1536];
	snprintf(msg, sizeof(msg), "integrity: layer %zu (%s): %s: %s", e->layer,
		 e->layer_digest ? e->layer_digest : "?", e->path, vigil_error_message());
	src->gen++; /* what was read of it does not count */
	free(src->err);
	if (!(src->err = strdup(msg)))
		return vigil_error_oom();
	return 0;
}

static int integ_init(audit_walk *w, const vigil_audit_options *opt, void **st)
{
	(void)opt;
	integ_state *s = calloc(1, sizeof(*s));
	if (!s)
		return vigil_error_oom();
	s->w = w;
	vigil_map_init(&s->src_by_path, INTEG_MAX_SOURCES);
	vigil_map_init(&s->gone, AUDIT_MAX_FILES);
	vigil_buf_init(&s->data, INTEG_MAX_DB);
	*st = s;
	return 0;
}

static int integ_entry(void *st, audit_walk *w, const audit_entry *e)
{
	integ_state *s = st;
	(void)w;
	s->cur_kind = IK_NONE;
	if (e->whiteout || e->opaque) {
		uintptr_t layer = e->layer + 1;
		const char *key = audit_walk_str(w, e->path, strlen(e->path));
		if (!key)
			return vigil_error_or_oom();
		int rc = vigil_map_set(&s->gone, key, strlen(key), (void *)layer);
		return rc < 0 ? rc : AUDIT_SKIP;
	}
	if (e->tar->type != VIGIL_TAR_FILE || !(s->cur_kind = integ_classify(e->path)))
		return AUDIT_SKIP;
	vigil_buf_reset(&s->data);
	s->too_big = false;
	return AUDIT_WANT_CHUNKS;
}

static int integ_chunk(void *st, audit_walk *w, const audit_entry *e, const uint8_t *p, size_t n)
{
	integ_state *s = st;
	(void)w;
	(void)e;
	if (!s->cur_kind || s->too_big)
		return 0;
	if (vigil_buf_append(&s->data, p, n) < 0)
		s->too_big = true; /* over INTEG_MAX_DB: an error at entry_end() */
	return 0;
}

static int integ_entry_end(void *st, audit_walk *w, const audit_entry *e, const audit_file *f,
			   const uint8_t *bytes, size_t n)
{
	integ_state *s = st;
	int kind = s->cur_kind, rc;
	(void)f;
	(void)bytes;
	(void)n;
	s->cur_kind = IK_NONE;
	if (!kind)
		return 0;
	if ((rc = src_begin(s, e, kind)) < 0)
		return rc;
	if (s->too_big)
		rc = vigil_error_set(VIGIL_ELIMIT, "larger than %zu bytes", INTEG_MAX_DB);
	else
		rc = parse_src(s, kind, e->path, (const uint8_t *)s->data.data, s->data.len, w);
	if (s->data.len > AUDIT_MAX_BYTES) { /* a big rpm database: its memory back now */
		vigil_buf_free(&s->data);
		vigil_buf_init(&s->data, INTEG_MAX_DB);
	}
	if (rc < 0 && rc != VIGIL_ENOMEM)
		return src_failed(s, e);
	return rc;
}

static int integ_finish(void *st, audit_walk *w)
{
	integ_state *s = st;
	for (size_t i = 0; i < s->nsrc; i++) {
		const struct integ_src *src = &s->srcs[i];
		const audit_file *f = audit_fs_get(w, src->path);
		if (src->err && f && !f->deleted && f->layer == src->layer)
			return vigil_error_set(VIGIL_EFORMAT, "%s", src->err);
	}
	return integ_judge(s, w);
}

static void integ_free(void *st)
{
	integ_state *s = st;
	if (!s)
		return;
	for (size_t i = 0; i < s->nsrc; i++)
		free(s->srcs[i].err);
	free(s->srcs);
	free(s->recs);
	free(s->divs);
	free(s->filters);
	vigil_map_free(&s->src_by_path);
	vigil_map_free(&s->gone);
	vigil_buf_free(&s->data);
	free(s);
}

const audit_checker audit_integrity_checker = {
	.name = "integrity",
	.hashes = AUDIT_HASH_MD5 | AUDIT_HASH_SHA1 | AUDIT_HASH_SHA256,
	.init = integ_init,
	.entry = integ_entry,
	.chunk = integ_chunk,
	.entry_end = integ_entry_end,
	.finish = integ_finish,
	.free = integ_free,
};
