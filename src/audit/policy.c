/* audit/policy.c: the policy scanner of vigil audit (docs/audit.md (Policy)).
 *
 * init() reads the policy (the --policy file or the built-in one: errors
 * name the file, line and rule). During the pass it keeps the bytes of the
 * last version of etc/login.defs, etc/passwd and etc/shadow (the only
 * files it reads); finish() judges every rule in the policy's order against the merged
 * view, the image config, the inventory and the findings: one result per
 * rule (pass, fail, not judged with the reason) and, for a failure, one
 * finding of category policy (rule id, file, line, layer) so that ignore
 * rules, --exit-code and SARIF treat it as every other finding.
 *
 * The login.defs rules read it as shadow's getdef does: "NAME VALUE" lines,
 * '#' comments, the last line of a name wins, a quoted value is unquoted;
 * a name not set takes shadow's default (PASS_MAX_DAYS -1 = never expires,
 * PASS_MIN_DAYS 0, PASS_MIN_LEN 5), which fails the default limits. The
 * accounts of etc/shadow are judged as well (policy_accounts.c). */
#include "audit/policy_priv.h"

#include "util/error.h"
#include "util/slice.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIN_DEFS "etc/login.defs"
#define PASSWD "etc/passwd"
#define SHADOW "etc/shadow"

struct captured {
	const char *path;
	char *data;
	size_t len;
	size_t layer;
	bool have;     /* the last version's bytes are here */
	bool too_big;
};

struct pstate {
	policy *p;
	/* the options as vigil_audit_image keeps them: their index and vulns
	 * are filled by the inputs callback after the layers, so they are read
	 * at finish(), not copied at init */
	const vigil_audit_options *opt;
	struct captured defs, passwd, shadow;
};

void policy_say(policy_verdict *v, const char *fmt, ...)
{
	size_t o = strlen(v->evidence);
	va_list ap;
	if (o >= sizeof(v->evidence) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(v->evidence + o, sizeof(v->evidence) - o, fmt, ap);
	va_end(ap);
}

/* ---- the pass ---- */

static int init(audit_walk *w, const vigil_audit_options *opt, void **st)
{
	(void)w;
	struct pstate *s = calloc(1, sizeof(*s));
	if (!s)
		return vigil_error_oom();
	*st = s;
	s->defs.path = LOGIN_DEFS;
	s->passwd.path = PASSWD;
	s->shadow.path = SHADOW;
	s->opt = opt;
	int rc = policy_load(opt ? opt->policy_path : NULL, &s->p);
	if (rc < 0) { /* the walk frees only the checkers it added */
		free(s);
		*st = NULL;
	}
	return rc;
}

static struct captured *wanted(struct pstate *s, const char *path)
{
	if (!strcmp(path, LOGIN_DEFS))
		return &s->defs;
	if (!strcmp(path, PASSWD))
		return &s->passwd;
	if (!strcmp(path, SHADOW))
		return &s->shadow;
	return NULL;
}

static int entry(void *st, audit_walk *w, const audit_entry *e)
{
	(void)w;
	if (e->whiteout || e->opaque || !wanted(st, e->path))
		return AUDIT_SKIP;
	return e->tar->size <= (int64_t)POLICY_MAX_FILE ? AUDIT_WANT_BYTES : AUDIT_SKIP;
}

static int entry_end(void *st, audit_walk *w, const audit_entry *e, const audit_file *f, const uint8_t *bytes,
		     size_t n)
{
	(void)w;
	(void)f;
	struct captured *c;
	if (e->whiteout || e->opaque || !(c = wanted(st, e->path)))
		return 0;
	free(c->data);
	c->data = NULL;
	c->have = false;
	c->too_big = e->tar->type == VIGIL_TAR_FILE && e->tar->size > (int64_t)POLICY_MAX_FILE;
	c->layer = e->layer;
	if (!bytes)
		return 0;
	if (!(c->data = malloc(n + 1)))
		return vigil_error_oom();
	memcpy(c->data, bytes, n);
	c->data[n] = '\0';
	c->len = n;
	c->have = true;
	return 0;
}

/* ---- etc/login.defs ---- */

static const char *login_key(policy_kind k)
{
	return k == POL_PASS_MAX_DAYS ? "PASS_MAX_DAYS" : k == POL_PASS_MIN_DAYS ? "PASS_MIN_DAYS" : "PASS_MIN_LEN";
}

bool policy_login_find(const char *text, size_t len, const char *key, vigil_slice *val, uint32_t *line)
{
	vigil_slice in = vigil_slice_make(text, len), l;
	uint32_t no = 0;
	bool found = false;
	while (vigil_slice_next_line(&in, &l)) {
		no++;
		vigil_slice t = vigil_slice_trim(l), name, rest;
		if (!t.len || t.ptr[0] == '#')
			continue;
		size_t i = 0;
		while (i < t.len && t.ptr[i] != ' ' && t.ptr[i] != '\t')
			i++;
		name = vigil_slice_sub(t, 0, i);
		rest = vigil_slice_trim(vigil_slice_sub(t, i, t.len - i));
		if (!vigil_slice_eq_cstr(name, key))
			continue;
		if (rest.len >= 2 && rest.ptr[0] == '"' && rest.ptr[rest.len - 1] == '"')
			rest = vigil_slice_sub(rest, 1, rest.len - 2);
		*val = rest;
		*line = no;
		found = true;
	}
	return found;
}

static bool login_number(vigil_slice s, int64_t *out)
{
	uint64_t x;
	bool neg = s.len && s.ptr[0] == '-';
	if (!vigil_slice_to_u64(vigil_slice_sub(s, neg, s.len), (uint64_t)1 << 40, &x))
		return false;
	*out = neg ? -(int64_t)x : (int64_t)x;
	return true;
}

static void judge_login_value(const policy_rule *r, int64_t x, policy_verdict *v)
{
	if (r->kind == POL_PASS_MAX_DAYS) {
		v->passed = x >= 0 && x <= r->limit;
		policy_say(v, "%s, limit %lld", x < 0 ? " (passwords never expire)" : "", (long long)r->limit);
	} else {
		v->passed = x >= r->limit;
		policy_say(v, ", limit %lld", (long long)r->limit);
	}
}

static void judge_login(const policy_rule *r, struct pstate *s, audit_walk *w, policy_verdict *v)
{
	const audit_file *f = audit_fs_get(w, LOGIN_DEFS);
	const char *key = login_key(r->kind);
	static const long long shadow_default[] = { [POL_PASS_MAX_DAYS] = -1, [POL_PASS_MIN_DAYS] = 0,
						    [POL_PASS_MIN_LEN] = 5 };
	vigil_slice val;
	int64_t x;
	if (!f || f->deleted) {
		v->passed = r->if_missing == POL_MISSING_FAIL ? 0 : r->if_missing == POL_MISSING_PASS ? 1 : -1;
		policy_say(v, "no /etc/login.defs in the image (no shadow password tools)");
		return;
	}
	v->path = LOGIN_DEFS;
	v->layer = f->layer;
	if (f->type == VIGIL_TAR_SYMLINK || f->type == VIGIL_TAR_HARDLINK || !s->defs.have) {
		v->passed = -1;
		if (s->defs.too_big)
			policy_say(v, "etc/login.defs is larger than %zu bytes: not read", POLICY_MAX_FILE);
		else if (f->type == VIGIL_TAR_SYMLINK || f->type == VIGIL_TAR_HARDLINK)
			policy_say(v, "etc/login.defs is a link (to %s): not followed", f->link ? f->link : "?");
		else
			policy_say(v, "etc/login.defs is not a regular file");
		return;
	}
	if (!policy_login_find(s->defs.data, s->defs.len, key, &val, &v->line)) {
		policy_say(v, "%s not set in etc/login.defs (shadow's default %lld)", key, shadow_default[r->kind]);
		judge_login_value(r, shadow_default[r->kind], v);
		return;
	}
	if (!login_number(val, &x)) {
		v->passed = 0;
		policy_say(v, "%s '%.*s' is not a number (etc/login.defs:%u): shadow ignores it, limit %lld", key,
			   (int)(val.len > 64 ? 64 : val.len), val.ptr, (unsigned)v->line, (long long)r->limit);
		return;
	}
	policy_say(v, "%s %lld (etc/login.defs:%u)", key, (long long)x, (unsigned)v->line);
	judge_login_value(r, x, v);
}

/* ---- every rule ---- */

/* The rule as a requirement (its result) or, failed, as the problem (its finding). */
static void title(const policy_rule *r, bool failed, char *t, size_t n)
{
	long long l = (long long)r->limit;
	const char *sev = vigil_severity_name(r->min_severity);
	switch (r->kind) {
	case POL_PASS_MAX_DAYS:
		snprintf(t, n, failed ? "Passwords do not expire within %lld days (PASS_MAX_DAYS)"
				      : "Passwords expire within %lld days (PASS_MAX_DAYS)", l);
		break;
	case POL_PASS_MIN_DAYS:
		snprintf(t, n, failed ? "Passwords can be changed again in less than %lld day%s (PASS_MIN_DAYS)"
				      : "Passwords are kept at least %lld day%s (PASS_MIN_DAYS)", l, l == 1 ? "" : "s");
		break;
	case POL_PASS_MIN_LEN:
		snprintf(t, n, failed ? "Passwords may be shorter than %lld characters (PASS_MIN_LEN)"
				      : "Passwords have at least %lld characters (PASS_MIN_LEN)", l);
		break;
	case POL_NO_SSH_SERVER: snprintf(t, n, failed ? "An SSH server is in the image" : "No SSH server in the image"); break;
	case POL_NOT_ROOT:
		snprintf(t, n, failed ? "The container runs as root" : "The container does not run as root");
		break;
	case POL_NO_SECRETS_IN_ENV:
		snprintf(t, n, failed ? "Secrets in the image's environment (config Env)"
				      : "No secrets in the image's environment (config Env)");
		break;
	case POL_DENY_PACKAGES:
		snprintf(t, n, failed ? "A package of the deny list is installed" : "No package of the deny list");
		break;
	case POL_BASE_IMAGE_AGE:
		snprintf(t, n, failed ? "The base image is older than %lld days" : "The base image is at most %lld days old", l);
		break;
	case POL_FINDING_AGE:
		snprintf(t, n, failed ? "%s or worse vulnerabilities published more than %lld days ago are present"
				      : "No %s or worse vulnerability published more than %lld days ago", sev, l);
		break;
	default: snprintf(t, n, "%s", r->id); break;
	}
}

static void judge(const policy_rule *r, struct pstate *s, audit_walk *w, policy_verdict *v)
{
	switch (r->kind) {
	case POL_PASS_MAX_DAYS:
	case POL_PASS_MIN_DAYS:
	case POL_PASS_MIN_LEN: {
		const audit_file *sh = audit_fs_get(w, SHADOW);
		judge_login(r, s, w, v);
		if (s->shadow.have && sh && !sh->deleted && sh->type == VIGIL_TAR_FILE)
			policy_judge_accounts(r, s->shadow.data, s->shadow.len, sh, v);
		break;
	}
	case POL_NO_SSH_SERVER: policy_judge_ssh(r, w, s->opt ? s->opt->index : NULL, v); break;
	case POL_NOT_ROOT: {
		const audit_file *pw = audit_fs_get(w, PASSWD);
		bool have = s->passwd.have && pw && !pw->deleted && pw->type == VIGIL_TAR_FILE;
		policy_judge_not_root(r, w, have ? s->passwd.data : NULL, s->passwd.len, v);
		break;
	}
	case POL_NO_SECRETS_IN_ENV: policy_judge_env(r, w, v); break;
	case POL_DENY_PACKAGES: policy_judge_deny(r, w, s->opt ? s->opt->index : NULL, v); break;
	case POL_BASE_IMAGE_AGE: policy_judge_base_age(r, w, v); break;
	case POL_FINDING_AGE: policy_judge_finding_age(r, w, s->opt ? s->opt->vulns : NULL, v); break;
	default: v->passed = -1; break;
	}
}

static int finish(void *st, audit_walk *w)
{
	struct pstate *s = st;
	for (size_t i = 0; i < s->p->nrules; i++) {
		const policy_rule *r = &s->p->rules[i];
		policy_verdict v = { .passed = -1, .layer = VIGIL_AUDIT_NO_LAYER };
		char t[256], ft[256];
		int rc;
		judge(r, s, w, &v);
		title(r, false, t, sizeof(t));
		title(r, true, ft, sizeof(ft));
		vigil_audit_policy_result res = { .rule = r->id, .title = t, .passed = v.passed, .severity = r->severity,
						  .evidence = v.evidence };
		if ((rc = audit_add_policy(w, &res)) < 0)
			return rc;
		if (v.passed != 0)
			continue;
		vigil_audit_finding f = { .category = VIGIL_AUDIT_POLICY, .rule = r->id, .title = ft,
					  .severity = r->severity, .path = v.path, .layer = v.layer,
					  .layer_digest = v.layer_digest, .other_layer = VIGIL_AUDIT_NO_LAYER,
					  .line = v.line, .evidence = v.evidence, .package = v.package };
		if ((rc = audit_add_finding(w, &f)) < 0)
			return rc;
	}
	return 0;
}

static void pfree(void *st)
{
	struct pstate *s = st;
	if (!s)
		return;
	policy_free(s->p);
	free(s->defs.data);
	free(s->passwd.data);
	free(s->shadow.data);
	free(s);
}

const audit_checker audit_policy_checker = {
	.name = "policy",
	.init = init,
	.entry = entry,
	.entry_end = entry_end,
	.finish = finish,
	.free = pfree,
};
