/* report/index_json.c: an index report as Clair v4's IndexReport JSON, and
 * the builders the VulnerabilityReport shares (report_priv.h).
 *
 * Shape (Clair's httptransport/types/v1/index_report.schema.json):
 *   { "manifest_hash", "state": "IndexFinished", "success": true, "err": "",
 *     "packages": { "<id>": { id, name, version, kind: "binary", source: {
 *         id, name, version, kind: "source" }, normalized_version, arch, module } },
 *     "distributions": { "<id>": { id, did, name, version, version_code_name,
 *         version_id, arch, cpe, pretty_name } },
 *     "repository": {},
 *     "environments": { "<package id>": [ { package_db, introduced_in,
 *         distribution_id, repository_ids: [] } ] } }
 * Ids are decimal strings unique within the document: binary packages
 * 1..N in report order, then one id per distinct source (name, version).
 *
 * Every answer validates against both schemas the real clients hold
 * (docs/compat.md): the Clair document Quay bundles and Clair's own
 * types/v1 schemas. So no member is null (a package without a source has no
 * "source"; a source package has none either), a package has no "cpe" (""
 * is not a CPE name, and the member is optional), and a distribution's
 * "cpe", which Quay requires, is always a CPE name: os-release's CPE_NAME
 * when it is one (a short CPE 2.3 padded with "*"), else the CPE 2.3 of an
 * unknown operating system, "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*". */
#include "report/report_priv.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"
#include "util/map.h"
#include "util/utf8.h"
#include "vigil/index.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest string report_jstr repairs (longer invalid text becomes ""). */

json_t *report_jstr(const char *s)
{
	return vigil_json_string_lossy(s);
}

/* FNV-1a (util/map.h) of "a" 0xff "b" */
static uint64_t h2(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	return vigil_hash_more(vigil_hash_more(vigil_hash_more(VIGIL_HASH_INIT, a, strlen(a)), "\xff", 1), b,
			       strlen(b));
}

static bool same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

int report_ids_init(struct report_ids *t, const vigil_index_report *r)
{
	memset(t, 0, sizeof(*t));
	t->next = (unsigned)r->package_count + 1;
	t->cap = 16;
	while (t->cap < r->package_count * 2)
		t->cap *= 2;
	t->slot = calloc(t->cap, sizeof(*t->slot));
	t->id = calloc(t->cap, sizeof(*t->id));
	if (!t->slot || !t->id) {
		report_ids_free(t);
		return vigil_error_oom();
	}
	return 0;
}

void report_ids_free(struct report_ids *t)
{
	if (!t)
		return;
	free(t->slot);
	free(t->id);
	t->slot = NULL;
	t->id = NULL;
}

/* The table holds at most one slot per package (cap >= 2 * count), so the
 * probe always ends. */
unsigned report_source_id(struct report_ids *t, const vigil_package *p)
{
	size_t i = h2(p->source_name, p->source_version) & (t->cap - 1);
	while (t->slot[i]) {
		const vigil_package *q = t->slot[i];
		if (same(q->source_name, p->source_name) && same(q->source_version, p->source_version))
			return t->id[i];
		i = (i + 1) & (t->cap - 1);
	}
	t->slot[i] = p;
	t->id[i] = t->next++;
	return t->id[i];
}

/* The CPE 2.3 name of an operating system nothing more is known of. */
#define REPORT_CPE_ANY_OS "cpe:2.3:o:*:*:*:*:*:*:*:*:*:*"
/* Components of a CPE 2.3 formatted string after "cpe:2.3:". */
#define REPORT_CPE23_PARTS 11

static bool cpe_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

/* A CPE 2.2 URI as Clair's cpe.schema.json reads it. */
static bool cpe22_ok(const char *s)
{
	int fields = 0;
	if (strncmp(s, "cpe:/", 5) && strncmp(s, "cPE:/", 5) && strncmp(s, "cpE:/", 5) && strncmp(s, "cPe:/", 5))
		return false;
	s += 5;
	if (*s && strchr("AHOaho", *s))
		s++;
	for (; *s; s++) {
		if (*s == ':') {
			if (++fields > 6)
				return false;
		} else if (!fields || (!cpe_char(*s) && *s != '~' && *s != '%')) {
			return false;
		}
	}
	return true;
}

static size_t span_alpha(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	return i;
}

/* A language tag as the CPE 2.3 schema reads it: ll[l][-CC|-ddd]. */
static bool cpe23_lang_ok(const char *s, size_t n)
{
	size_t a = span_alpha(s, n), r;
	if (a < 2 || a > 3)
		return false;
	if (a == n)
		return true;
	s += a + 1;
	r = n - a - 1;
	if (s[-1] != '-')
		return false;
	return (r == 2 && span_alpha(s, 2) == 2) || (r == 3 && strspn(s, "0123456789") >= 3);
}

/* Component k of a CPE 2.3 formatted string (no escapes accepted). */
static bool cpe23_part_ok(const char *s, size_t n, size_t k)
{
	if (n == 1 && (*s == '*' || *s == '-'))
		return true;
	if (k == 0)
		return n == 1 && strchr("aho", *s);
	if (k == 6)
		return cpe23_lang_ok(s, n);
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!cpe_char(s[i]))
			return false;
	return true;
}

/* d's CPE name into out: d's own when it is one (a CPE 2.3 with fewer
 * components padded with "*"), else REPORT_CPE_ANY_OS. */
static void dist_cpe(const char *cpe, char *out, size_t n)
{
	size_t k = 0;
	const char *p;
	snprintf(out, n, "%s", REPORT_CPE_ANY_OS);
	if (!cpe || strlen(cpe) + 2 * REPORT_CPE23_PARTS >= n)
		return;
	if (cpe22_ok(cpe)) {
		snprintf(out, n, "%s", cpe);
		return;
	}
	if (strncmp(cpe, "cpe:2.3:", 8))
		return;
	for (p = cpe + 8; k < REPORT_CPE23_PARTS; k++) {
		const char *e = strchr(p, ':');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (!cpe23_part_ok(p, len, k))
			return;
		if (!e)
			break;
		p = e + 1;
	}
	if (k >= REPORT_CPE23_PARTS)
		return;
	snprintf(out, n, "%s", cpe);
	for (k++; k < REPORT_CPE23_PARTS; k++) {
		size_t l = strlen(out);
		snprintf(out + l, n - l, ":*");
	}
}

json_t *report_distribution(const vigil_distribution *d)
{
	char cpe[256];
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_string("1"));
	json_object_set_new(o, "did", report_jstr(d->did));
	json_object_set_new(o, "name", report_jstr(d->name));
	json_object_set_new(o, "version", report_jstr(d->version));
	json_object_set_new(o, "version_code_name", report_jstr(d->version_code_name));
	json_object_set_new(o, "version_id", report_jstr(d->version_id));
	json_object_set_new(o, "arch", json_string(""));
	dist_cpe(d->cpe, cpe, sizeof(cpe));
	json_object_set_new(o, "cpe", json_string(cpe));
	json_object_set_new(o, "pretty_name", report_jstr(d->pretty_name));
	return o;
}

/* The language repositories, named as claircore's indexers name them
 * (python, nodejs, java, gobin, ruby: their package Repository values, read
 * at quay/claircore 0f12d7b, 2026-08); cargo, composer and nuget, which
 * Clair has no indexer for, by the registry their OSV ecosystem names
 * (docs/compat.md). A repository's id is its index here + 1, and only
 * those some package uses are listed. */
static const struct {
	vigil_pkg_type type;
	const char *id, *name, *uri;
} lang_repos[] = {
	{ VIGIL_PKG_PYPI, "1", "pypi", "https://pypi.org/simple" },
	{ VIGIL_PKG_NPM, "2", "npm", "https://www.npmjs.com/" },
	{ VIGIL_PKG_MAVEN, "3", "maven", "https://repo1.maven.apache.org/maven2" },
	{ VIGIL_PKG_GO, "4", "go", "https://pkg.go.dev/" },
	{ VIGIL_PKG_CARGO, "5", "crates.io", "https://crates.io/" },
	{ VIGIL_PKG_GEM, "6", "rubygems", "https://rubygems.org/gems/" },
	{ VIGIL_PKG_COMPOSER, "7", "packagist", "https://packagist.org/" },
	{ VIGIL_PKG_NUGET, "8", "nuget", "https://www.nuget.org/" },
};

static const char *report_lang_repo_id(vigil_pkg_type t)
{
	for (size_t i = 0; i < sizeof(lang_repos) / sizeof(lang_repos[0]); i++)
		if (lang_repos[i].type == t)
			return lang_repos[i].id;
	return NULL;
}

json_t *report_lang_repository(vigil_pkg_type t)
{
	for (size_t i = 0; i < sizeof(lang_repos) / sizeof(lang_repos[0]); i++) {
		if (lang_repos[i].type != t)
			continue;
		json_t *o = json_object();
		if (!o)
			return NULL;
		json_object_set_new(o, "id", json_string(lang_repos[i].id));
		json_object_set_new(o, "name", json_string(lang_repos[i].name));
		json_object_set_new(o, "key", json_string(""));
		json_object_set_new(o, "uri", json_string(lang_repos[i].uri));
		/* no "cpe": "" is not a CPE name to Clair's schema, and it is optional */
		return o;
	}
	return NULL;
}

/* repository[id] for each language repository r's packages use. */
static int add_lang_repos(json_t *repo, const vigil_index_report *r)
{
	for (size_t i = 0; i < sizeof(lang_repos) / sizeof(lang_repos[0]); i++) {
		bool used = false;
		for (size_t j = 0; j < r->package_count && !used; j++)
			used = r->packages[j].type == lang_repos[i].type;
		if (!used)
			continue;
		json_t *o = report_lang_repository(lang_repos[i].type);
		if (!o || json_object_set_new(repo, lang_repos[i].id, o) < 0)
			return VIGIL_ENOMEM;
	}
	return 0;
}

/* packages[id] and environments[id] of package i. */
static int add_package(json_t *pkgs, json_t *envs, const vigil_index_report *r, size_t i,
		       struct report_ids *t)
{
	const vigil_package *p = &r->packages[i];
	char id[24], sid[24];
	snprintf(id, sizeof(id), "%zu", i + 1);
	json_t *o = json_object(), *src = json_object(), *env = json_object();
	json_t *envl = json_array(), *repos = json_array();
	if (!o || !src || !env || !envl || !repos) {
		json_decref(o); json_decref(src); json_decref(env); json_decref(envl); json_decref(repos);
		return VIGIL_ENOMEM;
	}
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "name", report_jstr(p->name));
	json_object_set_new(o, "version", report_jstr(p->version));
	json_object_set_new(o, "kind", json_string("binary"));
	if (p->source_name) {
		snprintf(sid, sizeof(sid), "%u", report_source_id(t, p));
		json_object_set_new(src, "id", json_string(sid));
		json_object_set_new(src, "name", report_jstr(p->source_name));
		json_object_set_new(src, "version", report_jstr(p->source_version));
		json_object_set_new(src, "kind", json_string("source"));
		json_object_set_new(o, "source", src);
	} else {
		json_decref(src);
	}
	json_object_set_new(o, "normalized_version", json_string(""));
	json_object_set_new(o, "arch", report_jstr(p->arch));
	json_object_set_new(o, "module", report_jstr(p->module));
	json_object_set_new(pkgs, id, o);
	json_object_set_new(env, "package_db", report_jstr(p->package_db));
	json_object_set_new(env, "introduced_in", report_jstr(p->introduced_in));
	/* a language package belongs to its ecosystem's repository, not to
	 * the distribution (Clair's language indexers do the same), also when
	 * an OS package owns its file: the document has no member for that
	 * (package and environment are closed objects in both schemas) */
	const char *repo_id = report_lang_repo_id(p->type);
	json_object_set_new(env, "distribution_id",
			    json_string(r->distribution && !repo_id ? "1" : ""));
	if (repo_id)
		json_array_append_new(repos, json_string(repo_id));
	json_object_set_new(env, "repository_ids", repos);
	json_array_append_new(envl, env);
	json_object_set_new(envs, id, envl);
	return 0;
}

int report_add_index_parts(json_t *root, const vigil_index_report *r, struct report_ids *t)
{
	json_t *pkgs = json_object(), *envs = json_object(), *dists = json_object();
	json_t *repo = json_object(), *d = NULL;
	int rc = VIGIL_ENOMEM;
	if (!pkgs || !envs || !dists || !repo)
		goto out;
	if (r->distribution) {
		if (!(d = report_distribution(r->distribution)))
			goto out;
		json_object_set_new(dists, "1", d);
	}
	for (size_t i = 0; i < r->package_count; i++)
		if (add_package(pkgs, envs, r, i, t) < 0)
			goto out;
	if (add_lang_repos(repo, r) < 0)
		goto out;
	json_object_set_new(root, "packages", pkgs);
	json_object_set_new(root, "distributions", dists);
	json_object_set_new(root, "repository", repo);
	json_object_set_new(root, "environments", envs);
	pkgs = envs = dists = repo = NULL;
	rc = 0;
out:
	json_decref(pkgs);
	json_decref(envs);
	json_decref(dists);
	json_decref(repo);
	return rc < 0 ? vigil_error_oom() : 0;
}

int report_dump(json_t *root, int pretty, size_t extra_flags, char **json, size_t *len)
{
	*json = json_dumps(root, JSON_PRESERVE_ORDER | extra_flags | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
	if (!*json)
		return vigil_error_oom();
	*len = strlen(*json);
	return 0;
}

int vigil_index_report_json(const vigil_index_report *r, int pretty, char **json, size_t *len)
{
	struct report_ids t;
	json_t *root = NULL;
	int rc;

	*json = NULL;
	if ((rc = report_ids_init(&t, r)) < 0)
		return rc;
	if (!(root = json_object())) {
		rc = vigil_error_oom();
		goto out;
	}
	json_object_set_new(root, "manifest_hash", report_jstr(r->manifest_hash));
	json_object_set_new(root, "state", json_string("IndexFinished"));
	if ((rc = report_add_index_parts(root, r, &t)) < 0)
		goto out;
	json_object_set_new(root, "success", json_true());
	json_object_set_new(root, "err", json_string(""));
	rc = report_dump(root, pretty, 0, json, len);
out:
	json_decref(root);
	report_ids_free(&t);
	return rc;
}
