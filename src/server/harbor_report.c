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
 * The SBOM report (HarborSbomReport, SBOM.md of the spec): the image's
 * packages as SPDX 2.3 or CycloneDX 1.6 JSON, each package with its purl
 * (pkg:deb, pkg:apk, pkg:rpm with arch and distro), the distribution as
 * the operating system, the image as the document's subject. Ids are
 * positional and the document's namespace and serial number derive from
 * the digest and the time, so one input renders one output. */
#include "server/harbor.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/digest.h"

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

/* s percent-encoded for a purl (RFC 3986 unreserved kept). */
static void purl_put(vigil_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    strchr("-._~", ch))
			vigil_buf_putc(b, (char)ch);
		else {
			vigil_buf_putc(b, '%');
			vigil_buf_putc(b, hex[ch >> 4]);
			vigil_buf_putc(b, hex[ch & 15]);
		}
	}
}

/* "pkg:deb/debian/zlib1g@1%3A1.2.13?arch=amd64&distro=debian-12" (the
 * purl spec's deb, apk and rpm types); NULL for an unknown type. */
static json_t *purl_json(const vigil_package *p, const vigil_distribution *d)
{
	static const char *const type[] = { NULL, "deb", "apk", "rpm" };
	const char *ns = d && d->did && *d->did ? d->did : p->type == VIGIL_PKG_APK ? "alpine" : NULL;
	vigil_buf b;
	json_t *j = NULL;
	if (p->type <= VIGIL_PKG_UNKNOWN || p->type > VIGIL_PKG_RPM || !p->name)
		return NULL;
	vigil_buf_init(&b, SRV_HARBOR_MAX_PURL);
	vigil_buf_printf(&b, "pkg:%s/", type[p->type]);
	if (ns) {
		purl_put(&b, ns);
		vigil_buf_putc(&b, '/');
	}
	purl_put(&b, p->name);
	if (p->version && *p->version) {
		vigil_buf_putc(&b, '@');
		purl_put(&b, p->version);
	}
	char sep = '?';
	if (p->arch && *p->arch) {
		vigil_buf_puts(&b, "?arch=");
		purl_put(&b, p->arch);
		sep = '&';
	}
	if (ns && d && d->version_id && *d->version_id) {
		vigil_buf_putc(&b, sep);
		vigil_buf_puts(&b, "distro=");
		purl_put(&b, ns);
		vigil_buf_putc(&b, '-');
		purl_put(&b, d->version_id);
	}
	if (vigil_buf_cstr(&b))
		j = json_string(vigil_buf_cstr(&b));
	vigil_buf_free(&b);
	return j;
}

/* 32 hex digits derived from the artifact and the time, as a UUID. */
static void doc_uuid(const srv_harbor_artifact *a, const char *ts, unsigned format, char out[40])
{
	char seed[512], d[VIGIL_DIGEST_STR_MAX];
	int n = snprintf(seed, sizeof(seed), "%s|%s|%s|%u", a->repository, a->digest, ts, format);
	vigil_digest_sha256(seed, n > 0 ? (size_t)n : 0, d);
	const char *h = d + 7; /* after "sha256:" */
	snprintf(out, 40, "%.8s-%.4s-5%.3s-8%.3s-%.12s", h, h + 8, h + 13, h + 17, h + 20);
}

static json_t *spdx_pkg(const char *id, const char *name, const char *version, const char *purpose,
			json_t *purl)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "SPDXID", id, "name", name && *name ? name : "unknown",
			      "downloadLocation", "NOASSERTION", "filesAnalyzed", 0);
	set_str(o, "versionInfo", version);
	set_str(o, "primaryPackagePurpose", purpose);
	if (purl)
		json_object_set_new(o, "externalRefs",
				    json_pack("[{s:s, s:s, s:o}]", "referenceCategory", "PACKAGE-MANAGER",
					      "referenceType", "purl", "referenceLocator", purl));
	return o;
}

static json_t *relation(const char *from, const char *type, const char *to)
{
	return json_pack("{s:s, s:s, s:s}", "spdxElementId", from, "relationshipType", type, "relatedSpdxElement", to);
}

static json_t *spdx_json(const vigil_index_report *ir, const srv_harbor_artifact *a, const char *ts)
{
	const vigil_distribution *d = ir->distribution;
	json_t *pkgs = json_array(), *rels = json_array();
	char uuid[40], ns[1024], name[512], id[48];
	doc_uuid(a, ts, HARBOR_OUT_SPDX, uuid);
	snprintf(name, sizeof(name), "%s@%s", a->repository, a->digest);
	snprintf(ns, sizeof(ns), "https://vigil.invalid/spdx/%s-%s", a->repository, uuid);
	json_array_append_new(pkgs, spdx_pkg("SPDXRef-Image", a->repository, a->digest, "CONTAINER", NULL));
	json_array_append_new(rels, relation("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));
	if (d && d->did) {
		json_array_append_new(pkgs, spdx_pkg("SPDXRef-OperatingSystem", d->did, d->version_id,
						     "OPERATING_SYSTEM", NULL));
		json_array_append_new(rels, relation("SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem"));
	}
	for (size_t i = 0; i < ir->package_count; i++) {
		const vigil_package *p = &ir->packages[i];
		snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i + 1);
		json_array_append_new(pkgs, spdx_pkg(id, p->name, p->version, "LIBRARY", purl_json(p, d)));
		json_array_append_new(rels, relation("SPDXRef-Image", "CONTAINS", id));
	}
	json_t *creators = json_array();
	char tool[96];
	snprintf(tool, sizeof(tool), "Tool: vigil-%s", vigil_version());
	json_array_append_new(creators, json_string(tool));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:o}, s:[s], s:o, s:o}", "spdxVersion", "SPDX-2.3",
			 "dataLicense", "CC0-1.0", "SPDXID", "SPDXRef-DOCUMENT", "name", name, "documentNamespace", ns,
			 "creationInfo", "created", ts, "creators", creators, "documentDescribes", "SPDXRef-Image",
			 "packages", pkgs, "relationships", rels);
}

static json_t *cdx_json(const vigil_index_report *ir, const srv_harbor_artifact *a, const char *ts)
{
	const vigil_distribution *d = ir->distribution;
	json_t *comps = json_array(), *deps = json_array();
	char uuid[40], serial[64], ref[48];
	doc_uuid(a, ts, HARBOR_OUT_CDX, uuid);
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	if (d && d->did) {
		json_t *os = json_pack("{s:s, s:s, s:s}", "type", "operating-system", "bom-ref", "os", "name", d->did);
		set_str(os, "version", d->version_id);
		json_array_append_new(comps, os);
		json_array_append_new(deps, json_string("os"));
	}
	for (size_t i = 0; i < ir->package_count; i++) {
		const vigil_package *p = &ir->packages[i];
		json_t *c = json_pack("{s:s, s:s, s:s}", "type", "library", "bom-ref", "", "name",
				      p->name && *p->name ? p->name : "unknown");
		snprintf(ref, sizeof(ref), "pkg-%zu", i + 1);
		json_object_set_new(c, "bom-ref", json_string(ref));
		set_str(c, "version", p->version);
		json_t *purl = purl_json(p, d);
		if (purl)
			json_object_set_new(c, "purl", purl);
		json_array_append_new(comps, c);
		json_array_append_new(deps, json_string(ref));
	}
	json_t *image = json_pack("{s:s, s:s, s:s, s:s}", "type", "container", "bom-ref", "image", "name",
				  a->repository, "version", a->digest);
	return json_pack("{s:s, s:s, s:s, s:i, s:{s:s, s:{s:[{s:s, s:s, s:s}]}, s:o}, s:o, s:[{s:s, s:o}]}",
			 "bomFormat", "CycloneDX", "specVersion", "1.6", "serialNumber", serial, "version", 1,
			 "metadata", "timestamp", ts, "tools", "components", "type", "application", "name", "vigil",
			 "version", vigil_version(), "component", image, "components", comps, "dependencies", "ref",
			 "image", "dependsOn", deps);
}

int srv_harbor_sbom_json(const vigil_index_report *ir, const srv_harbor_artifact *a, unsigned format, int64_t now,
			 char **out, size_t *len)
{
	char ts[32];
	*out = NULL;
	srv_harbor_time(now, ts);
	json_t *sbom = format == HARBOR_OUT_CDX ? cdx_json(ir, a, ts) : spdx_json(ir, a, ts);
	if (!sbom)
		return vigil_error_oom();
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
