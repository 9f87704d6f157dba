/* feed/nvd.c: one NVD CVE API 2.0 response page ({format: "NVD_CVE",
 * version: "2.0", vulnerabilities: [{cve: {...}}]}). NVD is the CVSS
 * source of the vulnerability database: one record per CVE with source
 * "nvd", the English description, published/lastModified, the reference
 * URLs, CVSS v3 from cvssMetricV31 (the Primary metric, NVD's own, first;
 * else the first Secondary one) else cvssMetricV30, CVSS v2 from
 * cvssMetricV2, and the severity of the v3 baseSeverity (else v2's). The
 * CPE configurations are not kept (vigil matches distribution and
 * ecosystem packages, not CPEs): records have no affected entries.
 * Rejected CVEs are skipped. docs/feeds-alpine-osv-nvd.md. */
#include "feed/cvss.h"
#include "feed/feed.h"
#include "util/error.h"
#include "util/json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* CVEs in one page (the API gives at most 2,000). */
#define VIGIL_NVD_MAX_CVES 100000
/* Metrics of one version, descriptions of one CVE. */
#define VIGIL_NVD_MAX_METRICS 100
#define VIGIL_NVD_MAX_DESCRIPTIONS 100

struct nvd {
	vigil_feed_ctx *ctx;
	size_t idx;            /* vulnerabilities[idx] */
	const char *id;        /* its cve.id once known */
};

static int fail(struct nvd *n, int code, const char *field, const char *problem)
{
	return vigil_error_set(code, "nvd: vulnerabilities[%zu]%s%.64s%s.%s: %s", n->idx, n->id ? " (" : "",
			       n->id ? n->id : "", n->id ? ")" : "", field, problem);
}

/* Puts "nvd: vulnerabilities[i] (id)." before the message util/json.c set. */
static int in_cve(struct nvd *n, int rc)
{
	vigil_error_prefix("nvd: vulnerabilities[%zu]%s%.64s%s.", n->idx, n->id ? " (" : "", n->id ? n->id : "",
			   n->id ? ")" : "");
	return rc;
}

/* An optional string member, copied (NULL when absent, null or ""). */
static int get_str(struct nvd *n, json_t *obj, const char *path, const char *key, const char **out)
{
	int rc = feed_json_str(n->ctx, obj, path, key, out);
	return rc < 0 ? in_cve(n, rc) : 0;
}

/* An optional array member of at most max items. */
static int get_arr(struct nvd *n, json_t *obj, const char *path, const char *key, size_t max, json_t **out)
{
	int rc = vigil_json_arr(obj, path, key, 0, max, out);
	return rc < 0 ? in_cve(n, rc) : 0;
}

/* The first English description. */
static int description(struct nvd *n, json_t *cve, const char **out)
{
	json_t *arr, *d;
	size_t i;
	int rc;
	*out = NULL;
	if ((rc = get_arr(n, cve, "", "descriptions", VIGIL_NVD_MAX_DESCRIPTIONS, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, d) {
		const char *lang;
		if (!json_is_object(d))
			return fail(n, VIGIL_EFORMAT, "descriptions", "an item is not an object");
		if ((rc = get_str(n, d, "descriptions[]", "lang", &lang)) < 0)
			return rc;
		if (lang && !strcmp(lang, "en"))
			return get_str(n, d, "descriptions[]", "value", out);
	}
	return 0;
}

/* Reference URLs, without repeats (NVD lists a URL once per source). */
static int references(struct nvd *n, json_t *cve, vigil_vuln *v)
{
	json_t *arr, *r;
	size_t i;
	int rc;
	if ((rc = get_arr(n, cve, "", "references", VIGIL_FEED_MAX_REFS, &arr)) < 0 || !arr)
		return rc;
	const char **links = vigil_arena_calloc(n->ctx->arena, json_array_size(arr) + 1, sizeof(*links));
	if (!links)
		return vigil_error_code();
	json_array_foreach(arr, i, r) {
		const char *url;
		size_t k = 0;
		if (!json_is_object(r))
			return fail(n, VIGIL_EFORMAT, "references", "an item is not an object");
		if ((rc = get_str(n, r, "references[]", "url", &url)) < 0)
			return rc;
		while (url && k < v->nlinks && strcmp(links[k], url) != 0)
			k++;
		if (url && k == v->nlinks)
			links[v->nlinks++] = url;
	}
	v->links = links;
	return 0;
}

struct metric {
	const char *vector, *word;
	double score;
};

/* The metric to use of one cvssMetricV* list: Primary first, else the first
 * Secondary one. *found = false when the list is absent or empty. The
 * score is NVD's baseScore (computed from the vector when missing). */
static int pick_metric(struct nvd *n, json_t *metrics, const char *key, struct metric *m, bool *found)
{
	json_t *arr, *best = NULL, *x;
	size_t i;
	int rc;
	char field[64];
	*found = false;
	snprintf(field, sizeof(field), "metrics.%s", key);
	if ((rc = get_arr(n, metrics, "metrics", key, VIGIL_NVD_MAX_METRICS, &arr)) < 0 || !arr)
		return rc;
	bool best_primary = false;
	json_array_foreach(arr, i, x) {
		json_t *type;
		if (!json_is_object(x))
			return fail(n, VIGIL_EFORMAT, field, "an item is not an object");
		type = json_object_get(x, "type");
		bool primary = json_is_string(type) && !strcmp(json_string_value(type), "Primary");
		if (!best || (primary && !best_primary)) {
			best = x;
			best_primary = primary;
		}
	}
	if (!best)
		return 0;
	json_t *data = json_object_get(best, "cvssData"), *score;
	if (!json_is_object(data))
		return fail(n, VIGIL_EFORMAT, field, "cvssData is missing or not an object");
	if ((rc = get_str(n, data, "cvssData", "vectorString", &m->vector)) < 0 ||
	    (rc = get_str(n, data, "cvssData", "baseSeverity", &m->word)) < 0)
		return rc;
	/* v2 keeps baseSeverity next to cvssData */
	if (!m->word && (rc = get_str(n, best, "", "baseSeverity", &m->word)) < 0)
		return rc;
	if (!m->vector)
		return fail(n, VIGIL_EFORMAT, field, "cvssData.vectorString is missing");
	score = json_object_get(data, "baseScore");
	if (json_is_number(score)) {
		m->score = json_number_value(score);
		if (!(m->score >= 0 && m->score <= 10))
			return fail(n, VIGIL_EFORMAT, field, "cvssData.baseScore is not within 0-10");
	} else if (score && !json_is_null(score)) {
		return fail(n, VIGIL_EFORMAT, field, "cvssData.baseScore is not a number");
	} else if (feed_cvss_base_score(m->vector, strlen(m->vector), &m->score, NULL) < 0) {
		feed_warn(n->ctx, "nvd: %s %s: %s; ignored", n->id, field, vigil_error_message());
		return 0;
	}
	*found = true;
	return 0;
}

static int cvss(struct nvd *n, json_t *cve, vigil_vuln *v)
{
	json_t *metrics = json_object_get(cve, "metrics");
	struct metric m3 = { 0 }, m2 = { 0 };
	bool f3 = false, f2 = false;
	int rc;
	if (!metrics || json_is_null(metrics))
		return 0;
	if (!json_is_object(metrics))
		return fail(n, VIGIL_EFORMAT, "metrics", "not an object");
	if ((rc = pick_metric(n, metrics, "cvssMetricV31", &m3, &f3)) < 0 ||
	    (!f3 && (rc = pick_metric(n, metrics, "cvssMetricV30", &m3, &f3)) < 0) ||
	    (rc = pick_metric(n, metrics, "cvssMetricV2", &m2, &f2)) < 0)
		return rc;
	if (f3) {
		v->cvss3_vector = m3.vector;
		v->cvss3_score = m3.score;
	}
	if (f2) {
		v->cvss2_vector = m2.vector;
		v->cvss2_score = m2.score;
	}
	v->vendor_severity = f3 && m3.word ? m3.word : f2 ? m2.word : NULL;
	v->severity = feed_severity_cvss_word(v->vendor_severity);
	if (v->severity == VIGIL_SEV_UNKNOWN && f3)
		v->severity = vigil_severity_from_cvss(m3.score);
	else if (v->severity == VIGIL_SEV_UNKNOWN && f2)
		v->severity = feed_cvss2_severity(m2.score);
	return 0;
}

static int parse_cve(struct nvd *n, json_t *item)
{
	vigil_vuln v = { .source = "nvd", .cvss3_score = -1, .cvss2_score = -1 };
	json_t *cve = json_is_object(item) ? json_object_get(item, "cve") : NULL;
	const char *status;
	int rc;
	n->id = NULL;
	if (!json_is_object(cve))
		return fail(n, VIGIL_EFORMAT, "cve", "missing or not an object");
	if ((rc = get_str(n, cve, "cve", "id", &v.id)) < 0)
		return rc;
	if (!v.id)
		return fail(n, VIGIL_EFORMAT, "cve.id", "missing");
	n->id = v.id;
	if ((rc = get_str(n, cve, "", "vulnStatus", &status)) < 0)
		return rc;
	if (status && !strcmp(status, "Rejected"))
		return 0;
	if ((rc = get_str(n, cve, "", "published", &v.published)) < 0 ||
	    (rc = get_str(n, cve, "", "lastModified", &v.modified)) < 0 ||
	    (rc = description(n, cve, &v.description)) < 0 || (rc = references(n, cve, &v)) < 0 ||
	    (rc = cvss(n, cve, &v)) < 0)
		return rc;
	rc = n->ctx->emit(n->ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

static int check_page(json_t *root, json_t **vulns)
{
	json_t *fmt = json_object_get(root, "format"), *ver = json_object_get(root, "version");
	if (json_object_get(root, "CVE_Items"))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "nvd: a JSON 1.1 data feed (CVE_Items); vigil reads CVE API 2.0 pages");
	if (fmt && (!json_is_string(fmt) || strcmp(json_string_value(fmt), "NVD_CVE") != 0))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "nvd: format is not \"NVD_CVE\"");
	if (ver && (!json_is_string(ver) || strncmp(json_string_value(ver), "2.", 2) != 0))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "nvd: version is not 2.x");
	*vulns = json_object_get(root, "vulnerabilities");
	if (!json_is_array(*vulns))
		return vigil_error_set(VIGIL_EFORMAT, "nvd: vulnerabilities is missing or not an array");
	if (json_array_size(*vulns) > VIGIL_NVD_MAX_CVES)
		return vigil_error_set(VIGIL_ELIMIT, "nvd: %zu vulnerabilities (limit %d)",
				       json_array_size(*vulns), VIGIL_NVD_MAX_CVES);
	return 0;
}

int feed_nvd(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct nvd n = { .ctx = ctx };
	json_error_t je;
	json_t *root, *vulns = NULL, *item;
	int rc;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "nvd: no data");
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "nvd: %zu bytes (limit %zu)", len, VIGIL_FEED_MAX_FILE);
	if (!(root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "nvd: bad JSON at line %d column %d: %s", je.line,
				       je.column, je.text);
	if (!json_is_object(root))
		rc = vigil_error_set(VIGIL_EFORMAT, "nvd: the page is not a JSON object");
	else
		rc = check_page(root, &vulns);
	for (size_t i = 0; rc == 0 && i < json_array_size(vulns); i++) {
		item = json_array_get(vulns, i);
		n.idx = i;
		rc = parse_cve(&n, item);
	}
	json_decref(root);
	return rc;
}
