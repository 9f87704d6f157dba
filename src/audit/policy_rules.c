/* audit/policy_rules.c: the policy rules that look at the image config
 * (not-root, no-secrets-in-env, base-image-age), the inventory
 * (deny-packages, no-ssh-server with the merged view) and the findings
 * (finding-age). Each fills a verdict: passed 1/0/-1 and the evidence,
 * with the file and layer that decided when there is one. Secrets are
 * never repeated: a value is shown redacted (audit_redact). */
#include "audit/policy_priv.h"

#include "util/slice.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Variables named in the evidence of no-secrets-in-env. */
#define POLICY_MAX_ENV_SHOWN 10

static bool glob_any(const policy_list *l, const char *s)
{
	for (size_t i = 0; s && i < l->n; i++)
		if (fnmatch(l->v[i], s, 0) == 0)
			return true;
	return false;
}

static const json_t *config_of(audit_walk *w)
{
	const json_t *cfg = audit_walk_config(w);
	return cfg ? json_object_get(cfg, "config") : NULL;
}

/* The layer of the walk whose digest is d (the package's introduced_in). */
static void set_layer(audit_walk *w, const char *d, policy_verdict *v)
{
	v->layer = VIGIL_AUDIT_NO_LAYER;
	v->layer_digest = d;
	for (size_t i = 0; d && i < audit_walk_layer_count(w); i++)
		if (!strcmp(audit_walk_layer(w, i)->digest, d))
			v->layer = i;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "YYYY-MM-DD" (a real day from 1970) into days since 1970. */
static bool ymd(vigil_slice s, int64_t *days)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	uint64_t y, m, d;
	if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-' ||
	    !vigil_slice_to_u64(vigil_slice_sub(s, 0, 4), 9999, &y) ||
	    !vigil_slice_to_u64(vigil_slice_sub(s, 5, 2), 12, &m) || !vigil_slice_to_u64(vigil_slice_sub(s, 8, 2), 31, &d))
		return false;
	if (y < 1970 || m < 1 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return false;
	*days = days_from_civil((int64_t)y, (unsigned)m, (unsigned)d);
	return true;
}

bool policy_date(const char *s, int64_t *t)
{
	int64_t days;
	uint64_t h = 0, m = 0, sec = 0;
	size_t n = s ? strlen(s) : 0;
	if (n < 10 || !ymd(vigil_slice_make(s, 10), &days))
		return false;
	if (n >= 19 && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && s[13] == ':' && s[16] == ':') {
		vigil_slice x = vigil_slice_make(s, n);
		if (!vigil_slice_to_u64(vigil_slice_sub(x, 11, 2), 23, &h) ||
		    !vigil_slice_to_u64(vigil_slice_sub(x, 14, 2), 59, &m) ||
		    !vigil_slice_to_u64(vigil_slice_sub(x, 17, 2), 60, &sec))
			h = m = sec = 0;
	}
	*t = days * 86400 + (int64_t)(h * 3600 + m * 60 + sec);
	return true;
}

/* ---- not-root ---- */

bool policy_passwd_uid(const char *passwd, size_t plen, vigil_slice name, uint64_t *uid, uint32_t *line)
{
	vigil_slice in = vigil_slice_make(passwd, plen), l, field, rest;
	uint32_t no = 0;
	while (vigil_slice_next_line(&in, &l)) {
		no++;
		if (!vigil_slice_split(l, ':', &field, &rest) || !vigil_slice_eq(field, name))
			continue;
		vigil_slice pw, uidf, tail;
		if (!vigil_slice_split(rest, ':', &pw, &tail) || !vigil_slice_split(tail, ':', &uidf, &rest) ||
		    !vigil_slice_to_u64(uidf, UINT32_MAX, uid))
			continue;
		*line = no;
		return true;
	}
	return false;
}

void policy_judge_not_root(const policy_rule *r, audit_walk *w, const char *passwd, size_t plen,
			   policy_verdict *v)
{
	(void)r;
	const json_t *c = config_of(w);
	const char *u = c ? json_string_value(json_object_get(c, "User")) : NULL;
	vigil_slice user, group;
	uint64_t uid;
	uint32_t line;
	if (!audit_walk_config(w)) {
		policy_say(v, "no image config (a root filesystem): the user is not known");
		return;
	}
	if (!u || !*u) {
		v->passed = 0;
		policy_say(v, "no User in the image config: the container runs as root (uid 0)");
		return;
	}
	vigil_slice_split(vigil_slice_cstr(u), ':', &user, &group);
	v->passed = 1;
	if (vigil_slice_to_u64(user, UINT32_MAX, &uid)) {
		v->passed = uid != 0;
		policy_say(v, "User '%.64s' (uid %llu)", u, (unsigned long long)uid);
	} else if (vigil_slice_eq_cstr(user, "root") || !user.len) {
		v->passed = 0;
		policy_say(v, "User '%.64s' (uid 0)", u);
	} else if (!passwd) {
		policy_say(v, "User '%.64s' (no etc/passwd to look up its uid)", u);
	} else if (!policy_passwd_uid(passwd, plen, user, &uid, &line)) {
		policy_say(v, "User '%.64s' (not in etc/passwd: a runtime refuses to start it)", u);
	} else {
		v->passed = uid != 0;
		policy_say(v, "User '%.64s' is uid %llu (etc/passwd:%u)", u, (unsigned long long)uid, (unsigned)line);
		if (!v->passed) {
			v->path = "etc/passwd";
			v->line = line;
		}
	}
}

/* ---- no-secrets-in-env ---- */

static bool upper_has(const char *name, size_t n, const char *word)
{
	size_t wl = strlen(word);
	for (size_t i = 0; i + wl <= n; i++) {
		size_t k = 0;
		while (k < wl && toupper((unsigned char)name[i + k]) == word[k])
			k++;
		if (k == wl)
			return true;
	}
	return false;
}

static bool secret_name(const char *name, size_t n)
{
	static const char *const words[] = { "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "API_KEY",
					     "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "AUTH_KEY", "CREDENTIAL", NULL };
	static const char *const benign[] = { "_FILE", "_PATH", "_DIR", "_URL", "_URI", "_ENDPOINT", "_HOST", "_PORT",
					      "_ID", "_NAME", "_USER", "_USERNAME", "_LENGTH", "_TTL", "_TIMEOUT",
					      "_EXPIRY", "_TYPE", "_HEADER", "_ENABLED", "_MODE", NULL };
	for (size_t i = 0; benign[i]; i++) {
		size_t bl = strlen(benign[i]);
		if (n > bl && upper_has(name + n - bl, bl, benign[i]))
			return false;
	}
	for (size_t i = 0; words[i]; i++)
		if (upper_has(name, n, words[i]))
			return true;
	return false;
}

static size_t run_of(const char *p, const char *extra)
{
	size_t n = 0;
	while (p[n] && (isalnum((unsigned char)p[n]) || (extra && strchr(extra, p[n]))))
		n++;
	return n;
}

/* What kind of key value holds, or NULL. */
static const char *secret_value(const char *val)
{
	static const struct {
		const char *prefix, *extra, *what;
		size_t min;
	} pats[] = {
		{ "AKIA", NULL, "an AWS access key id", 16 },  { "ASIA", NULL, "an AWS access key id", 16 },
		{ "ghp_", NULL, "a GitHub token", 30 },        { "gho_", NULL, "a GitHub token", 30 },
		{ "ghs_", NULL, "a GitHub token", 30 },        { "ghu_", NULL, "a GitHub token", 30 },
		{ "github_pat_", "_", "a GitHub token", 22 },  { "glpat-", "-_", "a GitLab token", 20 },
		{ "xoxb-", "-", "a Slack token", 10 },         { "xoxp-", "-", "a Slack token", 10 },
		{ "sk_live_", NULL, "a Stripe key", 16 },      { "AIza", "-_", "a Google API key", 35 },
	};
	for (const char *p = val; *p; p++)
		for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
			size_t pl = strlen(pats[i].prefix);
			if (!strncmp(p, pats[i].prefix, pl) && run_of(p + pl, pats[i].extra) >= pats[i].min)
				return pats[i].what;
		}
	if (strstr(val, "-----BEGIN") && strstr(val, "PRIVATE KEY"))
		return "a private key";
	const char *at, *colon, *scheme = strstr(val, "://");
	if (scheme && (at = strchr(scheme + 3, '@')) && (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3))) &&
	    colon + 1 < at && !memchr(scheme + 3, '/', (size_t)(at - scheme - 3)))
		return "a password in a URL";
	return NULL;
}

/* A value that holds no secret whatever its name: a boolean or switch
 * word, a short number, an unexpanded reference ("${NPM_TOKEN}"). */
static bool harmless_value(const char *val)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "none", "null", NULL };
	size_t n = strlen(val), digits = 0;
	for (size_t i = 0; words[i]; i++)
		if (!strcasecmp(val, words[i]))
			return true;
	while (digits < n && isdigit((unsigned char)val[digits]))
		digits++;
	if (digits == n && n < 6)
		return true;
	if (val[0] == '$') {
		size_t k = val[1] == '{' ? 2 : 1;
		while (val[k] && (isalnum((unsigned char)val[k]) || val[k] == '_'))
			k++;
		return val[k] == '\0' ? val[1] != '{' : (val[1] == '{' && val[k] == '}' && !val[k + 1]);
	}
	return false;
}

void policy_judge_env(const policy_rule *r, audit_walk *w, policy_verdict *v)
{
	const json_t *env = json_object_get(config_of(w), "Env");
	size_t i, hits = 0, total = json_array_size(env);
	const json_t *e;
	if (!audit_walk_config(w)) {
		policy_say(v, "no image config (a root filesystem): no environment to look at");
		return;
	}
	v->passed = 1;
	json_array_foreach(env, i, e) {
		const char *s = json_string_value(e), *eq = s ? strchr(s, '=') : NULL;
		if (!eq || !eq[1])
			continue;
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)((size_t)(eq - s) < 127 ? (size_t)(eq - s) : 127), s);
		const char *why = secret_value(eq + 1);
		if (!why && secret_name(s, (size_t)(eq - s)) && !harmless_value(eq + 1))
			why = "its name";
		if (!why || glob_any(&r->allow, name))
			continue;
		if (hits++ == 0)
			policy_say(v, "Env ");
		if (hits <= POLICY_MAX_ENV_SHOWN) {
			char *red = audit_redact(audit_walk_arena(w), eq + 1, strlen(eq + 1));
			policy_say(v, "%s%s=%s (%s)", hits > 1 ? ", " : "", name, red ? red : "***", why);
		}
	}
	if (hits > POLICY_MAX_ENV_SHOWN)
		policy_say(v, " and %zu more", hits - POLICY_MAX_ENV_SHOWN);
	if (hits) {
		v->passed = 0;
		policy_say(v, " in the image config");
	} else {
		policy_say(v, "%zu variable%s in the image config, none looks secret", total, total == 1 ? "" : "s");
	}
}

/* ---- deny-packages, no-ssh-server ---- */

static void say_package(policy_verdict *v, const vigil_package *p)
{
	policy_say(v, "%s %s (%s)", p->name, p->version ? p->version : "?", p->package_db ? p->package_db : "?");
}

void policy_judge_deny(const policy_rule *r, audit_walk *w, const vigil_index_report *ir, policy_verdict *v)
{
	size_t hits = 0;
	if (!ir) {
		policy_say(v, "no inventory of the image (vigil index failed: see the warnings)");
		return;
	}
	for (size_t i = 0; i < ir->package_count; i++) {
		const vigil_package *p = &ir->packages[i];
		if (!glob_any(&r->names, p->name) && !glob_any(&r->names, p->source_name))
			continue;
		if (hits++ == 0) {
			v->path = p->package_db;
			v->package = p->name;
			set_layer(w, p->introduced_in, v);
		}
		if (hits <= (size_t)r->show)
			policy_say(v, "%s", hits > 1 ? ", " : "");
		if (hits <= (size_t)r->show)
			say_package(v, p);
	}
	if (hits > (size_t)r->show)
		policy_say(v, r->show ? " and %zu more" : "%zu packages of the deny list", hits - (size_t)r->show);
	v->passed = hits == 0;
	if (!hits)
		policy_say(v, "none of %zu names among %zu packages", r->names.n, ir->package_count);
}

void policy_judge_ssh(const policy_rule *r, audit_walk *w, const vigil_index_report *ir, policy_verdict *v)
{
	size_t hits = 0;
	for (size_t i = 0; i < r->paths.n; i++) {
		const audit_file *f = audit_fs_get(w, r->paths.v[i]);
		if (!f || f->deleted || f->type == VIGIL_TAR_DIR)
			continue;
		if (hits++ == 0) {
			v->path = f->path;
			v->layer = f->layer;
		}
		policy_say(v, "%s/%s (layer %u)", hits > 1 ? ", " : "", f->path, (unsigned)f->layer);
	}
	for (size_t i = 0; ir && i < ir->package_count; i++) {
		const vigil_package *p = &ir->packages[i];
		if (!glob_any(&r->packages, p->name))
			continue;
		if (hits++ == 0) {
			v->path = p->package_db;
			set_layer(w, p->introduced_in, v);
		}
		v->package = p->name;
		policy_say(v, "%spackage ", hits > 1 ? ", " : "");
		say_package(v, p);
	}
	const json_t *ports = json_object_get(config_of(w), "ExposedPorts");
	const char *port;
	const json_t *val;
	json_object_foreach((json_t *)ports, port, val) {
		(void)val;
		if (!glob_any(&r->ports, port))
			continue;
		hits++;
		policy_say(v, "%sExposedPorts %s (image config)", hits > 1 ? ", " : "", port);
	}
	v->passed = hits == 0;
	if (hits)
		return;
	policy_say(v, "no SSH server (looked for %zu path%s", r->paths.n, r->paths.n == 1 ? "" : "s");
	if (ir)
		policy_say(v, ", %zu package name%s", r->packages.n, r->packages.n == 1 ? "" : "s");
	if (audit_walk_config(w))
		policy_say(v, ", %zu exposed port%s", r->ports.n, r->ports.n == 1 ? "" : "s");
	policy_say(v, "%s)", ir ? "" : "; packages not checked: no inventory");
}

/* ---- base-image-age ---- */

void policy_judge_base_age(const policy_rule *r, audit_walk *w, policy_verdict *v)
{
	const json_t *cfg = audit_walk_config(w), *h = json_object_get(cfg, "history"), *e;
	const char *when = NULL, *by = NULL, *from = "history[0]";
	int64_t t = 0;
	size_t i;
	if (!cfg) {
		policy_say(v, "no image config (a root filesystem): no build date");
		return;
	}
	json_array_foreach(h, i, e) {
		when = json_string_value(json_object_get(e, "created"));
		by = json_string_value(json_object_get(e, "created_by"));
		break;
	}
	if (!when) {
		when = json_string_value(json_object_get(cfg, "created"));
		from = "the config's created";
		by = NULL;
	}
	if (!when || !policy_date(when, &t) || t < 86400) {
		policy_say(v, "no build date in the image config (no history, or 1970-01-01: a reproducible build)");
		return;
	}
	int64_t days = (audit_walk_now(w) - t) / 86400;
	v->passed = days <= r->limit;
	policy_say(v, "base built %.10s (%s%s%.60s%s), %lld days ago, limit %lld", when, from, by ? ": " : "",
		   by ? by : "", by && strlen(by) > 60 ? "..." : "", (long long)days, (long long)r->limit);
}

/* ---- finding-age ---- */

static int by_id(const void *a, const void *b)
{
	return strcmp((*(const vigil_finding *const *)a)->id, (*(const vigil_finding *const *)b)->id);
}

void policy_judge_finding_age(const policy_rule *r, audit_walk *w, const vigil_vuln_report *vr,
			      policy_verdict *v)
{
	size_t n = 0, undated = 0, ids = 0;
	int64_t now = audit_walk_now(w), t;
	if (!vr) {
		policy_say(v, "no vulnerability data: run vigil db update (or give --db)");
		return;
	}
	const vigil_finding **old = calloc(vr->finding_count + 1, sizeof(*old));
	if (!old) {
		policy_say(v, "out of memory");
		return;
	}
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		if (!f->id || f->severity < r->min_severity || (r->fixed_only && !f->fixed))
			continue;
		if (!policy_date(f->published, &t)) {
			undated++;
			continue;
		}
		if ((now - t) / 86400 > r->limit)
			old[n++] = f;
	}
	qsort(old, n, sizeof(*old), by_id);
	for (size_t i = 0; i < n; i++)
		ids += !i || strcmp(old[i]->id, old[i - 1]->id) != 0;
	v->passed = ids == 0;
	if (ids)
		policy_say(v, "%zu vulnerabilit%s of severity %s or worse%s published more than %lld days ago%s", ids,
			   ids == 1 ? "y" : "ies", vigil_severity_name(r->min_severity), r->fixed_only ? " with a fix" : "",
			   (long long)r->limit, r->show ? ": " : "");
	else
		policy_say(v, "none of %zu findings is %s or worse%s and published more than %lld days ago",
			   vr->finding_count, vigil_severity_name(r->min_severity), r->fixed_only ? " with a fix" : "",
			   (long long)r->limit);
	for (size_t i = 0, k = 0; i < n; i++) {
		if (i && !strcmp(old[i]->id, old[i - 1]->id))
			continue;
		if (k++ < (size_t)r->show)
			policy_say(v, "%s%s (%s, %.10s, %s)", k > 1 ? ", " : "", old[i]->id,
				   old[i]->package ? old[i]->package->name : "?", old[i]->published,
				   vigil_severity_name(old[i]->severity));
	}
	if (ids > (size_t)r->show && r->show)
		policy_say(v, " and %zu more", ids - (size_t)r->show);
	if (ids && old[0]->package)
		v->path = old[0]->package->package_db;
	if (undated)
		policy_say(v, " (%zu without a publication date not judged)", undated);
	free(old);
}
