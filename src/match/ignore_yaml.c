/* match/ignore_yaml.c: the YAML ignore files of the tools vigil's users
 * come from, read into the rules of match/filter.c, so that a team keeps
 * its exceptions when it switches (docs/scan.md, Ignore files).
 *
 * Trivy's .trivyignore.yaml (trivy pkg/result/ignore.go, IgnoreConfig):
 *   vulnerabilities: [{id, paths: [glob], purls: [purl], statement, expired_at}]
 * id compares as in plain files (and with aliases); paths are globs on the
 * package's database path in the image ("usr/lib/python3/dist-packages/ *" without the space);
 * a purl matches a package of the same type, namespace and name, and of the
 * same version, subpath and qualifiers when the purl gives them; expired_at
 * (YYYY-MM-DD, a time after it is ignored) ends the rule at the start of
 * that day, as Trivy's ExpiredAt.Before(now). secrets: [{id, paths,
 * statement, expired_at}] the same way, id a secret rule's id and paths
 * globs on the file's path (vigil audit, docs/audit.md (Secrets)).
 * misconfigurations and licenses are not vigil's findings: a note each.
 *
 * Grype's .grype.yaml (grype/match/ignore.go, IgnoreRule): the "ignore:"
 * list of {vulnerability, reason, fix-state, namespace, match-type,
 * vex-status, vex-justification, include-aliases, package: {name, version,
 * type, language, location, upstream-name}}; every other key of the file is
 * Grype's own configuration and is not looked at. All the conditions a rule
 * gives must hold, a rule with none ignores nothing (as Grype). name and
 * upstream-name are regular expressions anchored at both ends (POSIX ERE
 * here, Go's RE2 there); location is a glob on "/" + the database path
 * ('*' crosses '/', so '**' works); fix-state: fixed (a fixed version is
 * known), not-fixed, wont-fix, unknown (affected, the vendor said nothing
 * of a fix). namespace, match-type and upstream-path name Grype's internals,
 * and vex-status rules are VEX statements for Grype's VEX processor: such a
 * rule ignores nothing, with a note (never more than the user asked).
 *
 * The YAML goes through feed/yaml_json.c (libyaml events into a jansson
 * tree, no aliases, limits FEED_YAML_*); lists of a rule are capped at
 * VIGIL_IGNORE_MAX_LIST. A rule is named "FILE: ignore[N]" in reports. */
#include "feed/yaml_json.h"
#include "match/filter_priv.h"
#include "util/error.h"
#include "util/grow.h"
#include "vigil/purl.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) ? json_string_value(v) : NULL;
}

static const char *dup(vigil_ignore_list *l, const char *s)
{
	return s ? vigil_arena_strdup(l->arena, s) : NULL;
}

static int strings(vigil_ignore_list *l, json_t *rule, const char *key, const char *where,
		   const char *const **out, size_t *n)
{
	json_t *a = json_object_get(rule, key), *v;
	size_t i;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s: a list expected", where, key);
	if (json_array_size(a) > VIGIL_IGNORE_MAX_LIST)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %s: more than %d items", where, key, VIGIL_IGNORE_MAX_LIST);
	const char **v_out = vigil_arena_calloc(l->arena, json_array_size(a) + 1, sizeof(char *));
	if (!v_out)
		return vigil_error_oom();
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return vigil_error_set(VIGIL_EFORMAT, "%s: %s[%zu]: a string expected", where, key, i);
		if (!(v_out[i] = dup(l, json_string_value(v))))
			return vigil_error_oom();
	}
	*out = v_out;
	*n = json_array_size(a);
	return 0;
}

static int regex(vigil_ignore_list *l, const char *pattern, const char *where, regex_t **out)
{
	size_t n = strlen(pattern);
	char *anchored = malloc(n + 3);
	regex_t *re = calloc(1, sizeof(*re));
	int rc = 0;
	if (!anchored || !re || vigil_grow((void **)&l->regexes, &l->regexes_alloc, l->nregexes,
					   sizeof(*l->regexes), 8, VIGIL_IGNORE_MAX_RULES) < 0) {
		rc = vigil_error_oom();
		goto out;
	}
	snprintf(anchored, n + 3, "^%s$", pattern);
	if (regcomp(re, anchored, REG_EXTENDED | REG_NOSUB) != 0) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: package name '%.64s' is not a regular expression", where, pattern);
		goto out;
	}
	l->regexes[l->nregexes++] = re;
	*out = re;
	re = NULL;
out:
	free(re);
	free(anchored);
	return rc;
}

/* Keys of a rule that vigil reads, and those it notes and cannot judge. */
static bool one_of(const char *k, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(k, names[i]))
			return true;
	return false;
}

static int trivy_rule(vigil_ignore_list *l, json_t *o, size_t i, const char *section)
{
	static const char *const keys[] = { "id", "paths", "purls", "statement", "expired_at", NULL };
	char where[512];
	const char *k;
	json_t *v;
	int rc;
	snprintf(where, sizeof(where), "%s: %s[%zu]", l->name, section, i);
	if (!json_is_object(o))
		return vigil_error_set(VIGIL_EFORMAT, "%s: a mapping expected", where);
	struct ignore_rule *r = match_ignore_add(l, i + 1);
	if (!r)
		return vigil_error_code();
	if (!(r->where = dup(l, where)))
		return vigil_error_oom();
	if (!str(o, "id"))
		return vigil_error_set(VIGIL_EFORMAT, "%s: no id", where);
	if (!(r->id = dup(l, str(o, "id"))) || (str(o, "statement") && !(r->reason = dup(l, str(o, "statement")))))
		return vigil_error_oom();
	if ((rc = strings(l, o, "paths", where, &r->paths, &r->npaths)) < 0 ||
	    (rc = strings(l, o, "purls", where, &r->purls, &r->npurls)) < 0)
		return rc;
	for (size_t p = 0; p < r->npurls; p++) {
		vigil_purl *u;
		if (vigil_purl_parse(r->purls[p], strlen(r->purls[p]), &u) < 0)
			return vigil_error_set(VIGIL_EFORMAT, "%s: purls[%zu]: %s", where, p, vigil_error_message());
		vigil_purl_free(u);
	}
	r->ext = r->npaths || r->npurls;
	const char *exp = str(o, "expired_at");
	if (exp) {
		int64_t days;
		size_t n = strlen(exp);
		if (n < 10 || (n > 10 && exp[10] != 'T' && exp[10] != ' ') ||
		    !match_ignore_date(vigil_slice_make(exp, 10), &days))
			return vigil_error_set(VIGIL_EFORMAT, "%s: expired_at '%.64s': want YYYY-MM-DD", where, exp);
		memcpy(r->exp, exp, 10);
		r->until = days * 86400; /* Trivy: expired once the day has begun */
	}
	json_object_foreach(o, k, v) {
		if (!one_of(k, keys) && (rc = match_ignore_note(l, "%s: '%s' is not a key of Trivy's ignore file: not read", where, k)) < 0)
			return rc;
	}
	return 0;
}

static int fix_state(const char *s)
{
	static const char *const names[] = { "fixed", "not-fixed", "wont-fix", "unknown" };
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i + 1;
	return -1;
}

static int grype_rule(vigil_ignore_list *l, json_t *o, size_t i)
{
	static const char *const keys[] = { "vulnerability", "reason", "fix-state", "package", "include-aliases", NULL };
	static const char *const pkg_keys[] = { "name", "version", "type", "language", "location", "upstream-name", NULL };
	char where[512];
	const char *k, *s;
	json_t *v, *pkg;
	int rc;
	snprintf(where, sizeof(where), "%s: ignore[%zu]", l->name, i);
	if (!json_is_object(o))
		return vigil_error_set(VIGIL_EFORMAT, "%s: a mapping expected", where);
	struct ignore_rule *r = match_ignore_add(l, i + 1);
	if (!r)
		return vigil_error_code();
	if (!(r->where = dup(l, where)))
		return vigil_error_oom();
	if ((s = str(o, "vulnerability")) && !(r->id = dup(l, s)))
		return vigil_error_oom();
	if ((s = str(o, "reason")) && !(r->reason = dup(l, s)))
		return vigil_error_oom();
	if ((s = str(o, "fix-state")) && (r->fix_state = fix_state(s)) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s: fix-state '%.64s' (want fixed, not-fixed, wont-fix or unknown)",
				       where, s);
	json_object_foreach(o, k, v) {
		if (one_of(k, keys) || json_is_null(v))
			continue;
		r->never = true;
		if ((rc = match_ignore_note(l, "%s: '%s' is not supported: the rule ignores nothing", where, k)) < 0)
			return rc;
	}
	pkg = json_object_get(o, "package");
	if (pkg && !json_is_null(pkg)) {
		if (!json_is_object(pkg))
			return vigil_error_set(VIGIL_EFORMAT, "%s: package: a mapping expected", where);
		if ((s = str(pkg, "name")) && (rc = regex(l, s, where, &r->name_re)) < 0)
			return rc;
		if ((s = str(pkg, "upstream-name")) && (rc = regex(l, s, where, &r->upstream_re)) < 0)
			return rc;
		if ((str(pkg, "version") && !(r->version = dup(l, str(pkg, "version")))) ||
		    (str(pkg, "type") && !(r->type = dup(l, str(pkg, "type")))) ||
		    (str(pkg, "language") && !(r->language = dup(l, str(pkg, "language")))) ||
		    (str(pkg, "location") && !(r->location = dup(l, str(pkg, "location")))))
			return vigil_error_oom();
		json_object_foreach(pkg, k, v) {
			if (one_of(k, pkg_keys) || json_is_null(v))
				continue;
			r->never = true;
			if ((rc = match_ignore_note(l, "%s: package '%s' is not supported: the rule ignores nothing", where, k)) < 0)
				return rc;
		}
	}
	r->ext = true;
	if (!r->id && !r->name_re && !r->upstream_re && !r->version && !r->type && !r->language && !r->location &&
	    !r->fix_state)
		r->never = true; /* no condition: applies to nothing, as Grype */
	return 0;
}

int match_ignore_yaml_parse(vigil_ignore_list *l, const char *text, size_t len)
{
	static const char *const trivy_other[] = { "misconfigurations", "licenses", NULL };
	static const char *const trivy_lists[] = { "vulnerabilities", "secrets", NULL };
	json_t *doc = NULL, *list, *v;
	char what[300];
	size_t i;
	int rc = 0;
	snprintf(what, sizeof(what), "%s", l->name);
	if ((rc = feed_yaml_to_json(what, text, len, &doc)) < 0)
		return rc;
	if (json_is_null(doc))
		goto out;
	if (!json_is_object(doc)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a YAML mapping (Trivy's vulnerabilities: or Grype's ignore:)",
				     l->name);
		goto out;
	}
	if ((list = json_object_get(doc, "ignore"))) {
		if (!json_is_array(list) && !json_is_null(list)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: ignore: a list expected", l->name);
			goto out;
		}
		json_array_foreach(list, i, v)
			if ((rc = grype_rule(l, v, i)) < 0)
				goto out;
	}
	for (size_t s = 0; trivy_lists[s]; s++) {
		if (!(list = json_object_get(doc, trivy_lists[s])))
			continue;
		if (!json_is_array(list) && !json_is_null(list)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: %s: a list expected", l->name, trivy_lists[s]);
			goto out;
		}
		json_array_foreach(list, i, v)
			if ((rc = trivy_rule(l, v, i, trivy_lists[s])) < 0)
				goto out;
	}
	for (i = 0; trivy_other[i]; i++) {
		if (json_array_size(json_object_get(doc, trivy_other[i])) &&
		    (rc = match_ignore_note(l, "%s: %s: not vigil's findings, not read", l->name, trivy_other[i])) < 0)
			goto out;
	}
out:
	json_decref(doc);
	return rc < 0 ? rc : 0;
}

/* ---- matching ---- */

static const char *grype_type(vigil_pkg_type t, const char **language)
{
	static const struct {
		vigil_pkg_type t;
		const char *type, *language;
	} map[] = {
		{ VIGIL_PKG_DPKG, "deb", "" },	{ VIGIL_PKG_APK, "apk", "" },
		{ VIGIL_PKG_RPM, "rpm", "" },	{ VIGIL_PKG_PYPI, "python", "python" },
		{ VIGIL_PKG_NPM, "npm", "javascript" }, { VIGIL_PKG_MAVEN, "java-archive", "java" },
		{ VIGIL_PKG_GO, "go-module", "go" }, { VIGIL_PKG_CARGO, "rust-crate", "rust" },
		{ VIGIL_PKG_GEM, "gem", "ruby" }, { VIGIL_PKG_COMPOSER, "php-composer", "php" },
		{ VIGIL_PKG_NUGET, "dotnet", "dotnet" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].t == t) {
			*language = map[i].language;
			return map[i].type;
		}
	*language = "";
	return "";
}

static bool fix_state_holds(int want, const vigil_finding *f)
{
	switch (want) {
	case IGN_FIX_FIXED: return f->fixed != NULL;
	case IGN_FIX_WONT_FIX: return !f->fixed && f->state == VIGIL_STATE_WILL_NOT_FIX;
	case IGN_FIX_NOT_FIXED: return !f->fixed && f->state == VIGIL_STATE_NOT_FIXED;
	case IGN_FIX_UNKNOWN: return !f->fixed && f->state == VIGIL_STATE_AFFECTED;
	default: return true;
	}
}

static bool same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* pattern (a purl of the rule) matches the package's purl, as Trivy's
 * purl.PackageURL.Match: same type, namespace and name; version, subpath
 * and each qualifier when the pattern gives them. */
static bool purl_matches(const char *pattern, const vigil_purl *pkg)
{
	vigil_purl *p = NULL;
	bool ok = false;
	if (vigil_purl_parse(pattern, strlen(pattern), &p) < 0)
		return false;
	ok = same(p->type, pkg->type) && same(p->name, pkg->name) &&
	     ((!p->namespace && !pkg->namespace) || same(p->namespace, pkg->namespace)) &&
	     (!p->version || same(p->version, pkg->version)) && (!p->subpath || same(p->subpath, pkg->subpath));
	for (size_t i = 0; ok && i < p->nqualifiers; i++)
		ok = same(p->qualifier_values[i], vigil_purl_qualifier(pkg, p->qualifier_keys[i]));
	vigil_purl_free(p);
	return ok;
}

static bool purls_hold(const struct ignore_rule *r, const vigil_package *pkg, const vigil_vuln_report *rep)
{
	char *s = NULL;
	vigil_purl *u = NULL;
	bool ok = false;
	const vigil_distribution *d = rep && rep->index ? rep->index->distribution : NULL;
	if (vigil_purl_of(pkg, d, &s) < 0 || vigil_purl_parse(s, strlen(s), &u) < 0)
		goto out;
	for (size_t i = 0; !ok && i < r->npurls; i++)
		ok = purl_matches(r->purls[i], u);
out:
	vigil_purl_free(u);
	free(s);
	return ok;
}

bool match_ignore_ext_applies(const struct ignore_rule *r, const vigil_finding *f, const vigil_vuln_report *rep)
{
	const vigil_package *pkg = f->package;
	const char *language, *type;
	char path[4096];
	if (!fix_state_holds(r->fix_state, f))
		return false;
	if (!pkg)
		return !(r->name_re || r->upstream_re || r->version || r->type || r->language || r->location ||
			 r->npaths || r->npurls);
	type = grype_type(pkg->type, &language);
	if ((r->name_re && (!pkg->name || regexec(r->name_re, pkg->name, 0, NULL, 0) != 0)) ||
	    (r->upstream_re && (!pkg->source_name || regexec(r->upstream_re, pkg->source_name, 0, NULL, 0) != 0)) ||
	    (r->version && !same(r->version, pkg->version)) || (r->type && strcmp(r->type, type)) ||
	    (r->language && strcmp(r->language, language)))
		return false;
	if (r->location) {
		snprintf(path, sizeof(path), "/%s", pkg->package_db ? pkg->package_db : "");
		if (fnmatch(r->location, path, 0) != 0)
			return false;
	}
	if (r->npaths) {
		bool any = false;
		for (size_t i = 0; !any && i < r->npaths; i++)
			any = pkg->package_db && fnmatch(r->paths[i], pkg->package_db, 0) == 0;
		if (!any)
			return false;
	}
	return !r->npurls || purls_hold(r, pkg, rep);
}
