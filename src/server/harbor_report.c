/* server/harbor_report.c: the reports of Harbor's scanner API, rendered
 * from vigil's own (pure functions: a report, the artifact and a time in,
 * JSON out).
 *
 * The vulnerability report (HarborVulnerabilityReport, served for both
 * "application/vnd.security.vulnerability.report; version=1.1" and
 * "...vuln.report.harbor+json; version=1.0", which share the schema): one
 * item per finding (package, vulnerability) with the installed version,
 * fix_version only when a fixed version is known (Harbor counts an item
 * "fixable" when it is not empty), the severity on Harbor's scale
 * (the scale Harbor's console shows: Negligible folds into Low, the
 * vendor's word kept in vendor_attributes), the description, the links,
 * the layer that brought the package, preferred_cvss and, as the Trivy
 * adapter writes it (Harbor's security hub reads it there),
 * vendor_attributes.CVSS.<source>.{V3Score,V3Vector} (or V2). The top
 * severity is the highest of the items, Unknown when there are none.
 *
 * The SBOM report (HarborSbomReport, SBOM.md of the spec): the SPDX 2.3
 * or CycloneDX 1.6 document `vigil sbom` writes (report/cyclonedx.c,
 * spdx.c), the image named by its repository with the artifact's digest
 * as its version; one input renders one output. */
#include "server/harbor.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/digest.h"
#include "vigil/report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SRV_HARBOR_MAX_PURL 2048 /* one package URL */

const char *srv_harbor_severity(vigil_severity s)
{
	switch (s) {
	case VIGIL_SEV_NEGLIGIBLE:
	case VIGIL_SEV_LOW:
		return "Low";
	case VIGIL_SEV_MEDIUM:
		return "Medium";
	case VIGIL_SEV_HIGH:
		return "High";
	case VIGIL_SEV_CRITICAL:
		return "Critical";
	default:
		return "Unknown";
	}
}

void srv_harbor_time(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* o[key] = s when s is a non-empty string. */
static void set_str(json_t *o, const char *key, const char *s)
{
	if (s && *s)
		json_object_set_new(o, key, json_string(s));
}

static json_t *artifact_json(const srv_harbor_artifact *a)
{
	json_t *o = json_object();
	set_str(o, "repository", a->repository);
	set_str(o, "digest", a->digest);
	set_str(o, "tag", a->tag);
	set_str(o, "mime_type", a->mime_type);
	return o;
}

static json_t *scanner_json(void)
{
	return json_pack("{s:s, s:s, s:s}", "name", "vigil", "vendor", "vigil", "version", vigil_version());
}

/* The JSON text of root (taken) into *out. */
static int finish(json_t *root, char **out, size_t *len)
{
	char *txt = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	if (!txt)
		return vigil_error_oom();
	*out = txt;
	*len = strlen(txt);
	return 0;
}

/* ---- the vulnerability report ---- */

/* preferred_cvss and vendor_attributes.CVSS of f (none when no score). */
static void cvss_json(json_t *item, const vigil_finding *f)
{
	if (f->cvss_score < 0)
		return;
	const char *vec = f->cvss_vector;
	bool v2 = vec && strncmp(vec, "CVSS:3", 6) && strncmp(vec, "CVSS:4", 6);
	bool v4 = vec && !strncmp(vec, "CVSS:4", 6);
	json_t *pref = json_object(), *src = json_object(), *cv = json_object();
	/* the score as the feed gave it: 9.8, not 9.8000000000000007 */
	double score = (double)(long)(f->cvss_score * 10 + 0.5) / 10;
	if (!v4) {
		json_object_set_new(pref, v2 ? "score_v2" : "score_v3", json_real(score));
		set_str(pref, v2 ? "vector_v2" : "vector_v3", vec);
		json_object_set_new(item, "preferred_cvss", pref);
	} else
		json_decref(pref);
	json_object_set_new(src, v2 ? "V2Score" : v4 ? "V40Score" : "V3Score", json_real(score));
	set_str(src, v2 ? "V2Vector" : v4 ? "V40Vector" : "V3Vector", vec);
	json_object_set_new(cv, f->cvss_source && *f->cvss_source ? f->cvss_source : "vigil", src);
	json_object_set_new(json_object_get(item, "vendor_attributes"), "CVSS", cv);
}

static json_t *item_json(const vigil_finding *f)
{
	json_t *it = json_object(), *links = json_array(), *va = json_object();
	set_str(it, "id", f->id);
	set_str(it, "package", f->package->name);
	set_str(it, "version", f->package->version);
	set_str(it, "fix_version", f->fixed);
	json_object_set_new(it, "severity", json_string(srv_harbor_severity(f->severity)));
	set_str(it, "description", f->description && *f->description ? f->description : f->summary);
	for (size_t i = 0; i < f->nlinks; i++)
		if (f->links[i] && (!strncmp(f->links[i], "https://", 8) || !strncmp(f->links[i], "http://", 7)))
			json_array_append_new(links, json_string(f->links[i]));
	json_object_set_new(it, "links", links);
	if (f->introduced_in && *f->introduced_in)
		json_object_set_new(it, "layer", json_pack("{s:s}", "digest", f->introduced_in));
	set_str(va, "vendor_severity", f->vendor_severity);
	set_str(va, "source", f->source);
	set_str(va, "namespace", f->namespace);
	json_object_set_new(it, "vendor_attributes", va);
	cvss_json(it, f);
	return it;
}

int srv_harbor_vuln_json(const vigil_vuln_report *vr, const srv_harbor_artifact *a, int64_t now, char **out,
			 size_t *len)
{
	json_t *root = json_object(), *vulns = json_array();
	vigil_severity top = VIGIL_SEV_UNKNOWN;
	char ts[32];
	*out = NULL;
	if (!root || !vulns) {
		json_decref(root);
		json_decref(vulns);
		return vigil_error_oom();
	}
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		if (f->severity > top)
			top = f->severity;
		json_array_append_new(vulns, item_json(f));
	}
	srv_harbor_time(now, ts);
	json_object_set_new(root, "generated_at", json_string(ts));
	json_object_set_new(root, "artifact", artifact_json(a));
	json_object_set_new(root, "scanner", scanner_json());
	json_object_set_new(root, "severity", json_string(srv_harbor_severity(top)));
	json_object_set_new(root, "vulnerabilities", vulns);
	return finish(root, out, len);
}

/* ---- SBOMs ---- */

/* The image's SBOM as report/ writes it for `vigil sbom` (one writer for
 * the CLI, the server's ?format= and Harbor), parsed back to be embedded:
 * the image named by its repository, its version the artifact's digest. */
static json_t *sbom_doc(const vigil_index_report *ir, const srv_harbor_artifact *a, unsigned format, int64_t now)
{
	vigil_index_report copy = *ir;
	vigil_report_input in = { .index = &copy, .image = a->repository };
	vigil_report_options o;
	char *txt = NULL;
	size_t len = 0;
	json_t *doc = NULL;
	if (!copy.manifest_hash || !*copy.manifest_hash)
		copy.manifest_hash = a->digest;
	vigil_report_options_init(&o);
	o.pretty = 0;
	o.now = now;
	if (vigil_report_render(&in, format == HARBOR_OUT_CDX ? VIGIL_FMT_CYCLONEDX : VIGIL_FMT_SPDX, &o, &txt, &len) == 0)
		doc = json_loadb(txt, len, 0, NULL);
	free(txt);
	return doc;
}

int srv_harbor_sbom_json(const vigil_index_report *ir, const srv_harbor_artifact *a, unsigned format, int64_t now,
			 char **out, size_t *len)
{
	char ts[32];
	*out = NULL;
	srv_harbor_time(now, ts);
	json_t *sbom = sbom_doc(ir, a, format, now);
	if (!sbom)
		return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
	json_t *root = json_object();
	json_object_set_new(root, "generated_at", json_string(ts));
	json_object_set_new(root, "artifact", artifact_json(a));
	json_object_set_new(root, "scanner", scanner_json());
	json_object_set_new(root, "vendor_attributes",
			    json_pack("{s:s, s:s}", "spec-version", format == HARBOR_OUT_CDX ? "1.6" : "2.3",
				      "created-by", "vigil"));
	json_object_set_new(root, "media_type", json_string(format == HARBOR_OUT_CDX ? HARBOR_MT_CDX : HARBOR_MT_SPDX));
	json_object_set_new(root, "sbom", sbom);
	return finish(root, out, len);
}
