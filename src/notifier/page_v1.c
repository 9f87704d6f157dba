/* notifier/page_v1.c: Clair 2's view of a notification set
 * (GET /v1/notifications/{name}, api/v1/models.go of Clair v2.1.8). A
 * Clair 2 notification is about ONE vulnerability: Old and New are that
 * vulnerability before and after, each with the layers it was introduced
 * by. A vigil set spans many vulnerabilities, so its Clair 2 view is paged
 * by vulnerability name: each page is one vulnerability of the set, New
 * holding the manifests it was added to, Old those it was removed from
 * (LayersIntroducingVulnerability: the manifest digests, as vigil watches
 * v4 manifests, not v1 layers; at most `limit` of each), NextPage the
 * token of the next vulnerability. Tokens are opaque to clients (Clair 2
 * encrypted them): base64url of the vulnerability name; one that does not
 * decode is 400 "invalid page format". Created and Notified are Unix
 * times as decimal strings, as Clair 2 wrote them. */
#include "notifier/notifier_priv.h"
#include "util/base64.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTF_V1_DEFAULT_LIMIT 100
#define NTF_V1_MAX_TOKEN     1024 /* a page token, encoded */

struct v1 {
	json_t *byname; /* name -> {"added": [entry summaries + manifests], "removed": [...]} */
};

static int on_entry(void *ud, const store_notify_entry *e)
{
	struct v1 *u = ud;
	json_error_t je;
	json_t *sum = json_loads(e->summary, 0, &je), *g;
	const char *name = sum ? json_string_value(json_object_get(sum, "name")) : NULL;
	if (!name) {
		json_decref(sum);
		return 0;
	}
	if (!(g = json_object_get(u->byname, name))) {
		g = json_pack("{s:[], s:[]}", "added", "removed");
		if (!g || json_object_set_new(u->byname, name, g) < 0) {
			json_decref(sum);
			return vigil_error_oom();
		}
	}
	json_t *item = json_pack("{s:s, s:o}", "manifest", e->manifest, "summary", sum);
	if (!item || json_array_append_new(json_object_get(g, e->reason), item) < 0)
		return vigil_error_oom();
	return 0;
}

static json_t *v1_vuln(json_t *sum)
{
	json_t *v = json_object(), *d = json_object_get(sum, "distribution");
	const char *links = json_string_value(json_object_get(sum, "links"));
	char ns[256] = "", link[2048] = "";
	if (!v)
		return NULL;
	json_object_set(v, "Name", json_object_get(sum, "name"));
	if (json_is_object(d)) {
		/* the namespace the matcher used, as Clair 2 named it ("alpine:3.10") */
		vigil_distribution dist = { .did = json_string_value(json_object_get(d, "did")),
					    .version_id = json_string_value(json_object_get(d, "version_id")),
					    .version_code_name = json_string_value(json_object_get(d, "version_code_name")),
					    .name = json_string_value(json_object_get(d, "name")),
					    .version = json_string_value(json_object_get(d, "version")) };
		if (dist.did && vigil_distribution_namespace(&dist, ns, sizeof(ns)) == 0)
			json_object_set_new(v, "NamespaceName", json_string(ns));
	}
	const char *desc = json_string_value(json_object_get(sum, "description"));
	if (desc && *desc)
		json_object_set_new(v, "Description", json_string(desc));
	if (links && *links) {
		snprintf(link, sizeof(link), "%.*s", (int)strcspn(links, " "), links);
		json_object_set_new(v, "Link", json_string(link));
	}
	json_object_set(v, "Severity", json_object_get(sum, "normalized_severity"));
	const char *fixed = json_string_value(json_object_get(sum, "fixed_in_version"));
	if (fixed && *fixed)
		json_object_set_new(v, "FixedBy", json_string(fixed));
	return v;
}

/* {Vulnerability, OrderedLayersIntroducingVulnerability, LayersIntroducingVulnerability} of items, or NULL. */
static json_t *with_layers(json_t *items, size_t limit)
{
	json_t *o, *layers, *ordered, *it;
	size_t i;
	if (!json_array_size(items))
		return NULL;
	o = json_pack("{s:o*}", "Vulnerability", v1_vuln(json_object_get(json_array_get(items, 0), "summary")));
	layers = json_array();
	ordered = json_array();
	json_array_foreach(items, i, it) {
		if (i >= limit)
			break;
		json_array_append(layers, json_object_get(it, "manifest"));
		json_array_append_new(ordered, json_pack("{s:I, s:O}", "Index", (json_int_t)i, "LayerName",
							 json_object_get(it, "manifest")));
	}
	json_object_set_new(o, "OrderedLayersIntroducingVulnerability", ordered);
	json_object_set_new(o, "LayersIntroducingVulnerability", layers);
	return o;
}

static int token_of(const char *name, char *out, size_t n)
{
	return vigil_base64_encode(name, strlen(name), VIGIL_BASE64_URL, out, n);
}

int vigil_notify_v1_page(vigil_store *s, const char *id, const char *page, size_t limit, char **json, size_t *len)
{
	struct v1 u = { NULL };
	char after[NTF_V1_MAX_TOKEN] = "", tok[NTF_V1_MAX_TOKEN * 2], cur[NTF_V1_MAX_TOKEN * 2] = "";
	const char *name, *pick = NULL, *next = NULL;
	store_notify_info info;
	json_t *g;
	size_t n = 0;
	int found = 0, rc;
	*json = NULL;
	*len = 0;
	if (!vigil_notify_id_ok(id))
		return vigil_error_set(VIGIL_EINVAL, "notification %.64s: not a notification name", id);
	if (page && *page) {
		if (strlen(page) >= NTF_V1_MAX_TOKEN ||
		    vigil_base64_decode(page, strlen(page), VIGIL_BASE64_URL | VIGIL_BASE64_NOPAD, after, sizeof(after) - 1,
					&n) < 0 || memchr(after, 0, n))
			return vigil_error_set(VIGIL_EINVAL, "invalid page format");
		after[n] = '\0';
		snprintf(cur, sizeof(cur), "%s", page);
	}
	if (!(u.byname = json_object()))
		return vigil_error_oom();
	if ((rc = store_notify_page(s, id, "", VIGIL_NOTIFY_MAX_ENTRIES, &found, on_entry, &u)) < 0)
		goto out;
	if (!found || (rc = store_notify_info_get(s, id, &info)) == VIGIL_ENOTFOUND) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "the resource cannot be found");
		goto out;
	}
	if (rc < 0)
		goto out;
	/* the first name after `after`, and whether another follows it */
	json_object_foreach(u.byname, name, g) {
		if (strcmp(name, after) <= 0)
			continue;
		if (!pick || strcmp(name, pick) < 0) {
			if (pick && (!next || strcmp(pick, next) < 0))
				next = pick;
			pick = name;
		} else if (!next || strcmp(name, next) < 0) {
			next = name;
		}
	}
	if (!limit)
		limit = NTF_V1_DEFAULT_LIMIT;
	json_t *nt = json_pack("{s:s, s:s, s:I}", "Name", id, "Created", "", "Limit", (json_int_t)limit);
	char t[24];
	snprintf(t, sizeof(t), "%lld", (long long)info.created);
	json_object_set_new(nt, "Created", json_string(t));
	if (info.delivered_at) {
		snprintf(t, sizeof(t), "%lld", (long long)info.delivered_at);
		json_object_set_new(nt, "Notified", json_string(t));
	}
	if (!cur[0] && pick && token_of("", cur, sizeof(cur)) < 0)
		cur[0] = '\0';
	if (cur[0])
		json_object_set_new(nt, "Page", json_string(cur));
	if (pick && next && token_of(pick, tok, sizeof(tok)) == 0)
		json_object_set_new(nt, "NextPage", json_string(tok));
	if (pick) {
		g = json_object_get(u.byname, pick);
		json_t *nw = with_layers(json_object_get(g, "added"), limit);
		json_t *old = with_layers(json_object_get(g, "removed"), limit);
		if (nw)
			json_object_set_new(nt, "New", nw);
		if (old)
			json_object_set_new(nt, "Old", old);
	}
	json_t *root = json_pack("{s:o}", "Notification", nt);
	*json = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	rc = *json ? 0 : vigil_error_oom();
	if (*json)
		*len = strlen(*json);
out:
	json_decref(u.byname);
	return rc;
}
