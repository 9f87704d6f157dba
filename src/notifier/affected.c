/* notifier/affected.c: Clair's internal affected_manifest query (POST
 * /indexer/api/v1/internal/affected_manifest, indexer AffectedManifests):
 * given vulnerabilities, which stored manifests do they affect? vigil
 * answers with its own matcher and the data in its store: a manifest is
 * affected by a vulnerability when matching it now (summary.c, the same
 * sets the notifier diffs) finds that vulnerability's name for that
 * package name (the package the record names, or, when the request names
 * none, any). A vulnerability the store's data does not hold affects
 * nothing: vigil does not evaluate a client's ranges against its
 * packages (Clair does, with the ecosystem of the record). */
#include "notifier/notifier_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTF_MAX_AFFECTED_VULNS 10000 /* vulnerabilities in one request */

struct aff {
	vigil_store *s;
	json_t *vulns;   /* the request's, by key */
	json_t *out;     /* manifest -> [keys] */
	size_t failed;
};

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

/* NULL when v's fields vigil reads have their types (name a non-empty
 * string; id a string; package an object whose name is a string), else
 * the field that has not. */
static const char *bad_field(json_t *v)
{
	json_t *id = json_object_get(v, "id"), *pkg = json_object_get(v, "package"), *pn;
	if (!json_is_string(json_object_get(v, "name")) || !*str(v, "name"))
		return "name";
	if (id && !json_is_null(id) && !json_is_string(id))
		return "id";
	if (pkg && !json_is_null(pkg) && !json_is_object(pkg))
		return "package";
	pn = json_object_get(pkg, "name");
	if (pn && !json_is_null(pn) && !json_is_string(pn))
		return "package.name";
	return NULL;
}

static int one_manifest(void *ud, const char *manifest)
{
	struct aff *a = ud;
	json_t *set = NULL, *hits = NULL, *v, *sv;
	const char *key, *vkey;
	int rc = ntf_manifest_set(a->s, manifest, &set);
	if (rc < 0) {
		a->failed++;
		return rc == VIGIL_ENOMEM ? rc : 0;
	}
	json_object_foreach(a->vulns, key, v) {
		const char *name = str(v, "name"), *pkg = str(json_object_get(v, "package"), "name");
		json_object_foreach(set, vkey, sv) {
			size_t nl = strlen(name);
			(void)sv;
			if (!nl || strncmp(vkey, name, nl) || vkey[nl] != '|')
				continue;
			if (*pkg && (strncmp(vkey + nl + 1, pkg, strlen(pkg)) || vkey[nl + 1 + strlen(pkg)] != '|'))
				continue;
			if (!hits && !(hits = json_array())) {
				json_decref(set);
				return vigil_error_oom();
			}
			json_array_append_new(hits, json_string(key));
			break;
		}
	}
	if (hits)
		json_object_set_new(a->out, manifest, hits);
	json_decref(set);
	return 0;
}

int vigil_notify_affected(vigil_store *s, const char *body, size_t len, char **json, size_t *outlen)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *arr, *v;
	struct aff a = { .s = s };
	size_t i;
	int rc;
	*json = NULL;
	*outlen = 0;
	if (!root)
		return vigil_error_set(VIGIL_EINVAL, "body: line %d: %s", je.line, je.text);
	arr = json_object_get(root, "vulnerabilities");
	if (!json_is_array(arr)) {
		json_decref(root);
		return vigil_error_set(VIGIL_EINVAL, "body: {\"vulnerabilities\": [...]} expected");
	}
	if (json_array_size(arr) > NTF_MAX_AFFECTED_VULNS) {
		json_decref(root);
		return vigil_error_set(VIGIL_EINVAL, "body: more than %d vulnerabilities", NTF_MAX_AFFECTED_VULNS);
	}
	a.vulns = json_object();
	a.out = json_object();
	if (!a.vulns || !a.out) {
		rc = vigil_error_oom();
		goto out;
	}
	json_array_foreach(arr, i, v) {
		char key[64];
		const char *bad;
		if (!json_is_object(v)) {
			rc = vigil_error_set(VIGIL_EINVAL, "body: vulnerabilities[%zu]: an object with a name expected", i);
			goto out;
		}
		if ((bad = bad_field(v))) {
			rc = vigil_error_set(VIGIL_EINVAL, "body: vulnerabilities[%zu].%s: %s expected", i, bad,
					     !strcmp(bad, "package") ? "an object" : !strcmp(bad, "name") ? "a non-empty string" : "a string");
			goto out;
		}
		/* keyed by the vulnerability's id, as Clair's answer is */
		if (*str(v, "id"))
			snprintf(key, sizeof(key), "%.63s", str(v, "id"));
		else
			snprintf(key, sizeof(key), "%zu", i);
		json_object_set(a.vulns, key, v);
	}
	if ((rc = store_notify_manifests(s, one_manifest, &a)) < 0)
		goto out;
	json_t *ans = json_pack("{s:O, s:O}", "vulnerable_manifests", a.out, "vulnerabilities", a.vulns);
	*json = ans ? json_dumps(ans, JSON_COMPACT) : NULL;
	json_decref(ans);
	rc = *json ? 0 : vigil_error_oom();
	if (*json)
		*outlen = strlen(*json);
out:
	json_decref(a.vulns);
	json_decref(a.out);
	json_decref(root);
	return rc;
}
