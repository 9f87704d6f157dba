/* report/index_json.c: an index report as Clair v4's IndexReport JSON.
 *
 * Shape (Clair's httptransport/types/v1/index_report.schema.json):
 *   { "manifest_hash", "state": "IndexFinished", "success": true, "err": "",
 *     "packages": { "<id>": { id, name, version, kind: "binary", source: {
 *         id, name, version, kind: "source" }, normalized_version, arch, module, cpe } },
 *     "distributions": { "<id>": { id, did, name, version, version_code_name,
 *         version_id, arch, cpe, pretty_name } },
 *     "repository": {},
 *     "environments": { "<package id>": [ { package_db, introduced_in,
 *         distribution_id, repository_ids: [] } ] } }
 * Ids are decimal strings unique within the document: binary packages
 * 1..N in report order, then one id per distinct source (name, version). */
#include "util/error.h"
#include "vigil/index.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *jstr(const char *s) { return json_string(s ? s : ""); }

struct src_ids {
	const vigil_package **slot; /* package whose source the slot names */
	unsigned *id;
	size_t cap;
};

static uint64_t h2(const char *a, const char *b)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = a ? a : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *s = b ? b : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* The id of p's source package, a new one (*next) the first time. */
static unsigned source_id(struct src_ids *t, const vigil_package *p, unsigned *next)
{
	size_t i = h2(p->source_name, p->source_version) & (t->cap - 1);
	while (t->slot[i]) {
		const vigil_package *q = t->slot[i];
		if (same(q->source_name, p->source_name) && same(q->source_version, p->source_version))
			return t->id[i];
		i = (i + 1) & (t->cap - 1);
	}
	t->slot[i] = p;
	t->id[i] = (*next)++;
	return t->id[i];
}

static json_t *distribution(const vigil_distribution *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string("1"));
	json_object_set_new(o, "did", jstr(d->did));
	json_object_set_new(o, "name", jstr(d->name));
	json_object_set_new(o, "version", jstr(d->version));
	json_object_set_new(o, "version_code_name", jstr(d->version_code_name));
	json_object_set_new(o, "version_id", jstr(d->version_id));
	json_object_set_new(o, "arch", json_string(""));
	json_object_set_new(o, "cpe", jstr(d->cpe));
	json_object_set_new(o, "pretty_name", jstr(d->pretty_name));
	return o;
}

int vigil_index_report_json(const vigil_index_report *r, int pretty, char **json, size_t *len)
{
	struct src_ids t = { 0 };
	json_t *root = json_object(), *pkgs = json_object(), *envs = json_object();
	json_t *dists = json_object();
	unsigned next = (unsigned)r->package_count + 1;
	int rc = VIGIL_ENOMEM;

	*json = NULL;
	t.cap = 16;
	while (t.cap < r->package_count * 2)
		t.cap *= 2;
	t.slot = calloc(t.cap, sizeof(*t.slot));
	t.id = calloc(t.cap, sizeof(*t.id));
	if (!root || !pkgs || !envs || !dists || !t.slot || !t.id)
		goto out;
	json_object_set_new(root, "manifest_hash", jstr(r->manifest_hash));
	json_object_set_new(root, "state", json_string("IndexFinished"));
	if (r->distribution)
		json_object_set_new(dists, "1", distribution(r->distribution));
	for (size_t i = 0; i < r->package_count; i++) {
		const vigil_package *p = &r->packages[i];
		char id[24], sid[24];
		snprintf(id, sizeof(id), "%zu", i + 1);
		json_t *o = json_object(), *src = json_object(), *env = json_object();
		json_t *envl = json_array(), *repos = json_array();
		if (!o || !src || !env || !envl || !repos) {
			json_decref(o); json_decref(src); json_decref(env); json_decref(envl); json_decref(repos);
			goto out;
		}
		json_object_set_new(o, "id", json_string(id));
		json_object_set_new(o, "name", jstr(p->name));
		json_object_set_new(o, "version", jstr(p->version));
		json_object_set_new(o, "kind", json_string("binary"));
		if (p->source_name) {
			snprintf(sid, sizeof(sid), "%u", source_id(&t, p, &next));
			json_object_set_new(src, "id", json_string(sid));
			json_object_set_new(src, "name", jstr(p->source_name));
			json_object_set_new(src, "version", jstr(p->source_version));
			json_object_set_new(src, "kind", json_string("source"));
			json_object_set_new(src, "source", json_null());
			json_object_set_new(o, "source", src);
		} else {
			json_decref(src);
			json_object_set_new(o, "source", json_null());
		}
		json_object_set_new(o, "normalized_version", json_string(""));
		json_object_set_new(o, "arch", jstr(p->arch));
		json_object_set_new(o, "module", jstr(p->module));
		json_object_set_new(o, "cpe", json_string(""));
		json_object_set_new(pkgs, id, o);
		json_object_set_new(env, "package_db", jstr(p->package_db));
		json_object_set_new(env, "introduced_in", jstr(p->introduced_in));
		json_object_set_new(env, "distribution_id", json_string(r->distribution ? "1" : ""));
		json_object_set_new(env, "repository_ids", repos);
		json_array_append_new(envl, env);
		json_object_set_new(envs, id, envl);
	}
	json_object_set_new(root, "packages", pkgs);
	json_object_set_new(root, "distributions", dists);
	json_object_set_new(root, "repository", json_object());
	json_object_set_new(root, "environments", envs);
	json_object_set_new(root, "success", json_true());
	json_object_set_new(root, "err", json_string(""));
	pkgs = envs = dists = NULL;
	*json = json_dumps(root, JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
	if (*json) {
		*len = strlen(*json);
		rc = 0;
	}
out:
	json_decref(pkgs);
	json_decref(envs);
	json_decref(dists);
	json_decref(root);
	free(t.slot);
	free(t.id);
	return rc < 0 ? vigil_error_oom() : 0;
}
