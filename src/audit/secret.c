/* audit/secret.c: the secret scanner on the audit walk. Every regular file
 * of every layer up to the size limit (deleted ones too: their bytes are
 * still in the image) that no allow-path names is read whole; binary files
 * (a NUL in the first 8 KiB) are skipped and counted unless asked for. The
 * matches of the rules (secret_rules.c, secret_engine.c) become findings at
 * finish(), when the walk knows whether a later layer deleted or replaced
 * the file. A line carrying "vigil:ignore" (or "vigil:ignore:RULE",
 * Trivy's "trivy:ignore:RULE", gitleaks' "gitleaks:allow") drops the
 * matches on it. The secret itself is never kept: only its redaction. */
#define _GNU_SOURCE /* memmem, memrchr */
#include "audit/audit_priv.h"
#include "audit/secret_priv.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pending {
	vigil_audit_finding f;
	size_t gone_in;          /* the layer that deleted it, VIGIL_AUDIT_NO_LAYER */
};

struct secret_state {
	secret_ruleset *rs;
	secret_scanner *sc;
	audit_walk *w;
	int binaries;
	uint64_t max;
	const audit_entry *e;    /* the entry being scanned */
	const uint8_t *bytes;    /* its content, n bytes */
	size_t n;
	struct pending *p;
	size_t np, capp;
};

static void state_free(void *ud)
{
	struct secret_state *s = ud;
	if (!s)
		return;
	secret_scanner_free(s->sc);
	secret_ruleset_free(s->rs);
	free(s->p);
	free(s);
}

static int init(audit_walk *w, const vigil_audit_options *opt, void **out)
{
	struct secret_state *s = calloc(1, sizeof(*s));
	int rc = 0;
	if (!s || !(s->rs = secret_ruleset_new())) {
		rc = vigil_error_oom();
		goto out;
	}
	s->w = w;
	s->binaries = opt->secret_binaries;
	s->max = opt->max_secret_file ? opt->max_secret_file : VIGIL_AUDIT_MAX_SECRET_FILE;
	if (s->max > AUDIT_MAX_BYTES)
		s->max = AUDIT_MAX_BYTES;
	/* the built-in allow-paths stay with no_builtin_secret_rules: only the rules go */
	if ((rc = secret_ruleset_add_builtin(s->rs)) < 0)
		goto out;
	for (size_t i = 0; opt->no_builtin_secret_rules && i < s->rs->n; i++)
		s->rs->rules[i].disabled = true;
	for (size_t i = 0; i < opt->secret_rule_count; i++)
		if ((rc = secret_ruleset_load(s->rs, opt->secret_rules[i])) < 0)
			goto out;
	size_t live = 0;
	for (size_t i = 0; i < s->rs->n; i++)
		live += !s->rs->rules[i].disabled;
	if (!live) {
		rc = vigil_error_set(VIGIL_EINVAL, "no secret rules: the built-in ones are off (--no-builtin-rules) "
				     "and the rules files given add none");
		goto out;
	}
	if ((rc = secret_ruleset_compile(s->rs)) < 0 || (rc = secret_scanner_new(s->rs, &s->sc)) < 0)
		goto out;
	*out = s;
	s = NULL;
out:
	state_free(s);
	return rc;
}

static int entry(void *ud, audit_walk *w, const audit_entry *e)
{
	struct secret_state *s = ud;
	if (e->whiteout || e->opaque || e->tar->type != VIGIL_TAR_FILE || e->tar->size <= 0 ||
	    (uint64_t)e->tar->size > s->max)
		return AUDIT_SKIP;
	if (secret_ruleset_path_allowed(s->rs, e->path, NULL))
		return AUDIT_SKIP;
	return AUDIT_WANT_BYTES;
}

static void warn_cb(void *ud, const char *msg)
{
	audit_warn(((struct secret_state *)ud)->w, "%s", msg);
}

/* Whether the line of the match carries an inline ignore marker for its rule. */
static bool marked(const uint8_t *p, size_t n, const secret_match *m)
{
	static const char *const any[] = { "vigil:ignore", "gitleaks:allow", NULL };
	static const char *const named[] = { "vigil:ignore:", "trivy:ignore:", NULL };
	const uint8_t *ls = m->sstart ? memrchr(p, '\n', m->sstart) : NULL;
	size_t lo = ls ? (size_t)(ls - p) + 1 : 0;
	const uint8_t *le = memchr(p + m->send, '\n', n - m->send);
	size_t hi = le ? (size_t)(le - p) : n, idl = strlen(m->rule->id);
	for (size_t i = 0; named[i]; i++) {
		size_t kl = strlen(named[i]);
		const uint8_t *at = memmem(p + lo, hi - lo, named[i], kl);
		if (at && (size_t)(p + hi - at) >= kl + idl && memcmp(at + kl, m->rule->id, idl) == 0)
			return true;
	}
	for (size_t i = 0; any[i]; i++) {
		size_t kl = strlen(any[i]);
		const uint8_t *at = memmem(p + lo, hi - lo, any[i], kl);
		if (at && (at + kl == p + hi || at[kl] != ':'))
			return true;
	}
	return false;
}

static int on_match(void *ud, const secret_match *m)
{
	struct secret_state *s = ud;
	if (marked(s->bytes, s->n, m))
		return 0;
	if (s->np >= AUDIT_MAX_FINDINGS)
		return 0;
	if (vigil_grow((void **)&s->p, &s->capp, s->np, sizeof(*s->p), 16, AUDIT_MAX_FINDINGS) < 0)
		return vigil_error_oom();
	const char *path = audit_walk_str(s->w, s->e->path, strlen(s->e->path));
	const char *match = audit_redact(audit_walk_arena(s->w), (const char *)s->bytes + m->sstart, m->send - m->sstart);
	if (!path || !match)
		return vigil_error_oom();
	s->p[s->np++] = (struct pending){
		.f = { .category = VIGIL_AUDIT_SECRET, .rule = m->rule->id, .title = m->rule->title,
		       .severity = m->rule->severity, .path = path, .layer = s->e->layer,
		       .other_layer = VIGIL_AUDIT_NO_LAYER, .line = m->line, .match = match },
		.gone_in = VIGIL_AUDIT_NO_LAYER,
	};
	return 0;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* A whiteout or opaque marker: the pending findings it deletes. */
static void deleted_by(struct secret_state *s, const audit_entry *e, const audit_file *f)
{
	for (size_t i = 0; i < s->np; i++) {
		struct pending *p = &s->p[i];
		if (p->f.layer >= e->layer || p->gone_in != VIGIL_AUDIT_NO_LAYER)
			continue;
		bool hit = e->opaque ? under(p->f.path, e->path)
				     : !strcmp(p->f.path, e->path) || (f && f->type == VIGIL_TAR_DIR && under(p->f.path, e->path));
		if (hit)
			p->gone_in = e->layer;
	}
}

static int entry_end(void *ud, audit_walk *w, const audit_entry *e, const audit_file *f, const uint8_t *bytes,
		     size_t n)
{
	struct secret_state *s = ud;
	if (e->whiteout || e->opaque) {
		deleted_by(s, e, f);
		return 0;
	}
	if (!bytes)
		return 0;
	if (!s->binaries && audit_is_binary(bytes, n)) {
		audit_count_scanned(w, 0, 0, 1);
		return 0;
	}
	audit_count_scanned(w, 1, n, 0);
	s->e = e;
	s->bytes = bytes;
	s->n = n;
	int rc = secret_scan(s->sc, e->path, bytes, n, on_match, s, warn_cb);
	if (rc < 0)
		vigil_error_prefix("secret scan of %s: ", e->path);
	return rc;
}

static int finish(void *ud, audit_walk *w)
{
	struct secret_state *s = ud;
	char ev[160];
	for (size_t i = 0; i < s->np; i++) {
		vigil_audit_finding *f = &s->p[i].f;
		const audit_file *now = audit_fs_get(w, f->path);
		size_t later = s->p[i].gone_in;
		bool replaced = now && !now->deleted && now->layer > f->layer;
		if (later == VIGIL_AUDIT_NO_LAYER && replaced)
			later = now->layer;
		f->deleted = later != VIGIL_AUDIT_NO_LAYER || !now || now->deleted;
		f->other_layer = later;
		if (f->deleted) {
			snprintf(ev, sizeof(ev), "%s by layer %zu: the secret is still in layer %zu",
				 replaced && s->p[i].gone_in == VIGIL_AUDIT_NO_LAYER ? "replaced" : "deleted",
				 later == VIGIL_AUDIT_NO_LAYER ? f->layer : later, f->layer);
			f->evidence = ev;
		}
		int rc = audit_add_finding(w, f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const audit_checker audit_secret_checker = {
	.name = "secret",
	.init = init,
	.entry = entry,
	.entry_end = entry_end,
	.finish = finish,
	.free = state_free,
};
