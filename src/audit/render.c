/* audit/render.c: an audit report as people and tools read it: the
 * terminal table, vigil's audit JSON (docs/audit.md gives its members),
 * and SARIF 2.1.0 (one rule per audit rule, one result per finding, the
 * file and line as the location, the layer in properties), in the same
 * shapes as the vulnerability report's formats. */
#include "audit/audit_priv.h"

#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RENDER_MAX ((size_t)1 << 30)
#define AUDIT_HOME "https://github.com/vigil-scanner/vigil"

/* A path as a URI reference: what RFC 3986 does not allow in a path,
 * percent-encoded (a space, '%', '#', '?', bytes past ASCII). */
static void uri_encode(const char *p, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; *p && o + 4 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~!$&'()*+,;=:@/", c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* The SARIF URI of a finding of the image itself (its config): as the
 * vulnerability SARIF names an image, a repository ("library/alpine") or,
 * for an image read from a file or folder, its base name; no tag. */
static void image_uri(const char *ref, char *out, size_t n)
{
	static const char *const schemes[] = { "docker-archive:", "oci-archive:", "oci:", "dir:", "docker://",
					       "registry:", "docker:", "podman:" };
	const char *p = ref ? ref : "image";
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(p, schemes[i], strlen(schemes[i]))) {
			p += strlen(schemes[i]);
			break;
		}
	if (*p == '/' || *p == '.') {
		const char *slash = strrchr(p, '/');
		p = slash && slash[1] ? slash + 1 : p;
	}
	size_t len = strcspn(p, "@");
	const char *colon = memchr(p, ':', len);
	if (colon && !memchr(colon, '/', len - (size_t)(colon - p)))
		len = (size_t)(colon - p);
	snprintf(out, n, "%.*s", (int)len, p);
	for (char *c = out; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      strchr("-._~/", *c)))
			*c = '_';
	if (!*out)
		snprintf(out, n, "image");
}

static json_t *str_or_null(const char *s) { return s ? vigil_json_string_lossy(s) : json_null(); }

static json_t *layer_json(size_t i, const char *digest)
{
	if (i == VIGIL_AUDIT_NO_LAYER)
		return json_null();
	return json_pack("{s:I,s:s?}", "index", (json_int_t)i, "digest", digest);
}

static json_t *finding_json(const vigil_audit_finding *f)
{
	json_t *o = json_pack("{s:s,s:s?,s:o,s:s}", "category", vigil_audit_category_name(f->category), "rule",
			      f->rule, "title", vigil_json_string_lossy(f->title), "severity",
			      vigil_severity_name(f->severity));
	if (!o)
		return NULL;
	json_object_set_new(o, "path", str_or_null(f->path));
	json_object_set_new(o, "layer", layer_json(f->layer, f->layer_digest));
	if (f->other_layer != VIGIL_AUDIT_NO_LAYER)
		json_object_set_new(o, "other_layer", layer_json(f->other_layer, f->other_layer_digest));
	if (f->line)
		json_object_set_new(o, "line", json_integer(f->line));
	if (f->match)
		json_object_set_new(o, "match", vigil_json_string_lossy(f->match));
	if (f->evidence)
		json_object_set_new(o, "evidence", vigil_json_string_lossy(f->evidence));
	if (f->package)
		json_object_set_new(o, "package", vigil_json_string_lossy(f->package));
	json_object_set_new(o, "deleted", json_boolean(f->deleted));
	json_object_set_new(o, "info", json_boolean(f->info));
	return o;
}

static json_t *findings_json(const vigil_audit_finding *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, finding_json(&v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

json_t *audit_render_json(const vigil_audit_report *r)
{
	json_t *o = json_object(), *sc = json_array(), *layers = json_array(), *pol = json_array(),
	       *warn = json_array();
	for (unsigned b = 1; b <= 8; b <<= 1)
		if (r->scanners & b)
			json_array_append_new(sc, json_string(vigil_audit_category_name((vigil_audit_category)b)));
	for (size_t i = 0; i < r->layer_count; i++) {
		const vigil_audit_layer *l = &r->layers[i];
		json_array_append_new(layers, json_pack("{s:s?,s:o,s:I,s:I,s:I,s:I}", "digest", l->digest,
							"created_by", str_or_null(l->created_by), "size", (json_int_t)l->size,
							"uncompressed", (json_int_t)l->uncompressed, "files",
							(json_int_t)l->files, "whiteouts", (json_int_t)l->whiteouts));
	}
	for (size_t i = 0; i < r->policy_count; i++) {
		const vigil_audit_policy_result *p = &r->policy[i];
		json_array_append_new(pol, json_pack("{s:s?,s:o,s:s,s:s,s:o}", "rule", p->rule, "title", str_or_null(p->title),
						     "result", p->passed == 1 ? "pass" : p->passed == 0 ? "fail" : "not judged",
						     "severity", vigil_severity_name(p->severity), "evidence", str_or_null(p->evidence)));
	}
	for (size_t i = 0; i < r->warning_count; i++)
		json_array_append_new(warn, vigil_json_string_lossy(r->warnings[i]));
	json_object_set_new(o, "image", str_or_null(r->image));
	json_object_set_new(o, "manifest_hash", str_or_null(r->manifest_hash));
	json_object_set_new(o, "scanners", sc);
	json_object_set_new(o, "layers", layers);
	json_object_set_new(o, "findings", findings_json(r->findings, r->finding_count));
	json_object_set_new(o, "suppressed", findings_json(r->suppressed, r->suppressed_count));
	json_object_set_new(o, "policy", pol);
	json_object_set_new(o, "warnings", warn);
	json_object_set_new(o, "layers_indexed", json_integer((json_int_t)r->layers_indexed));
	json_object_set_new(o, "secret_scan", json_pack("{s:I,s:I,s:I}", "files", (json_int_t)r->files_scanned,
							 "bytes", (json_int_t)r->bytes_scanned, "binaries_skipped",
							 (json_int_t)r->binaries_skipped));
	return o;
}

/* ---- SARIF ---- */

static const char *sarif_level(const vigil_audit_finding *f)
{
	if (f->info)
		return "note";
	switch (f->severity) {
	case VIGIL_SEV_CRITICAL:
	case VIGIL_SEV_HIGH: return "error";
	case VIGIL_SEV_MEDIUM: return "warning";
	default: return "note";
	}
}

static const char *security_severity(vigil_severity s)
{
	switch (s) {
	case VIGIL_SEV_CRITICAL: return "9.5";
	case VIGIL_SEV_HIGH: return "8.0";
	case VIGIL_SEV_MEDIUM: return "5.5";
	case VIGIL_SEV_LOW: return "2.0";
	default: return "0.0";
	}
}

/* Appends a rule per audit rule id to rules (ids already there are
 * reused: index maps id -> position in rules). */
static void sarif_rules(const vigil_audit_finding *v, size_t n, json_t *rules, json_t *index)
{
	for (size_t i = 0; i < n; i++) {
		const vigil_audit_finding *f = &v[i];
		const char *id = f->rule ? f->rule : "audit";
		if (json_object_get(index, id))
			continue;
		char help[1024], md[1200];
		const char *cat = vigil_audit_category_name(f->category);
		snprintf(help, sizeof(help), "%s. vigil audit's %s scanner, rule %s (severity %s): see docs/audit.md.",
			 f->title ? f->title : id, cat, id, vigil_severity_name(f->severity));
		snprintf(md, sizeof(md), "**%s**\n\nvigil audit's %s scanner, rule `%s` (severity %s): see "
			 "[docs/audit.md](%s/blob/main/docs/audit.md).", f->title ? f->title : id, cat, id,
			 vigil_severity_name(f->severity), AUDIT_HOME);
		json_object_set_new(index, id, json_integer((json_int_t)json_array_size(rules)));
		json_array_append_new(
			rules, json_pack("{s:s,s:s,s:{s:s},s:{s:s},s:{s:s,s:s},s:{s:s},s:{s:[s,s,s],s:s}}", "id", id,
					 "name", id, "shortDescription", "text", f->title ? f->title : id,
					 "fullDescription", "text", f->title ? f->title : id, "help", "text", help,
					 "markdown", md, "defaultConfiguration", "level", sarif_level(f), "properties",
					 "tags", "security", cat, vigil_severity_name(f->severity), "security-severity",
					 security_severity(f->severity)));
	}
}

/* A stable fingerprint: the rule, the file and what was found (not the
 * line or layer, so an alert survives a rebuild that moves it). */
static void fingerprint(const vigil_audit_finding *f, char out[65])
{
	uint8_t md[32];
	unsigned len = 0;
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s\n%s\n%s\n%s", f->rule ? f->rule : "", f->path ? f->path : "",
		 f->match ? f->match : "", f->package ? f->package : "");
	EVP_Digest(buf, strlen(buf), md, &len, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static json_t *sarif_result(const vigil_audit_finding *f, json_t *index, const char *image, bool suppressed)
{
	char msg[2048], fp[65], uri[3 * 4096 + 1];
	const char *id = f->rule ? f->rule : "audit";
	if (f->path)
		uri_encode(f->path, uri, sizeof(uri));
	else
		image_uri(image, uri, sizeof(uri));
	snprintf(msg, sizeof(msg), "%s%s%s%s%s%s", f->title ? f->title : id, f->match ? ": " : "",
		 f->match ? f->match : "", f->evidence ? " (" : "", f->evidence ? f->evidence : "",
		 f->evidence ? ")" : "");
	/* GitHub needs a URI and a start line: the image for a finding of its config */
	json_t *loc = json_pack("{s:{s:{s:s},s:{s:i}}}", "physicalLocation", "artifactLocation", "uri",
				uri, "region", "startLine",
				f->line ? (int)f->line : 1);
	json_t *props = json_pack("{s:s,s:s,s:b}", "category", vigil_audit_category_name(f->category), "severity",
				  vigil_severity_name(f->severity), "deleted", f->deleted);
	if (f->layer_digest)
		json_object_set_new(props, "layer", json_string(f->layer_digest));
	if (f->other_layer_digest)
		json_object_set_new(props, "other_layer", json_string(f->other_layer_digest));
	if (f->package)
		json_object_set_new(props, "package", vigil_json_string_lossy(f->package));
	fingerprint(f, fp);
	json_t *res = json_pack("{s:s,s:I,s:s,s:{s:o},s:[o],s:{s:s},s:o}", "ruleId", id, "ruleIndex",
				json_integer_value(json_object_get(index, id)), "level", sarif_level(f), "message",
				"text", vigil_json_string_lossy(msg), "locations", loc, "partialFingerprints",
				"vigil-audit/v1", fp,
				"properties", props);
	if (res && suppressed)
		json_object_set_new(res, "suppressions",
				    json_pack("[{s:s,s:s,s:s}]", "kind", "external", "status", "accepted",
					      "justification", "an ignore rule names it"));
	return res;
}

void audit_render_sarif_into(const vigil_audit_report *r, json_t *rules, json_t *results)
{
	json_t *index = json_object();
	/* the rules already in the array keep their places */
	for (size_t i = 0; i < json_array_size(rules); i++) {
		const char *id = json_string_value(json_object_get(json_array_get(rules, i), "id"));
		if (id)
			json_object_set_new(index, id, json_integer((json_int_t)i));
	}
	sarif_rules(r->findings, r->finding_count, rules, index);
	sarif_rules(r->suppressed, r->suppressed_count, rules, index);
	for (size_t i = 0; i < r->finding_count; i++)
		json_array_append_new(results, sarif_result(&r->findings[i], index, r->image, false));
	for (size_t i = 0; i < r->suppressed_count; i++)
		json_array_append_new(results, sarif_result(&r->suppressed[i], index, r->image, true));
	json_decref(index);
}

static json_t *sarif_json(const vigil_audit_report *r, const vigil_report_options *o)
{
	json_t *rules = json_array(), *results = json_array();
	audit_render_sarif_into(r, rules, results);
	const char *tool = o && o->tool_name ? o->tool_name : "vigil";
	return json_pack("{s:s,s:s,s:[{s:{s:{s:s,s:s,s:s,s:o}},s:o}]}", "$schema",
			 "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool", "driver",
			 "name", tool, "informationUri", "https://github.com/vigil-scanner/vigil", "version",
			 vigil_version(), "rules", rules, "results", results);
}

/* ---- table ---- */

static int table(const vigil_audit_report *r, vigil_buf *b)
{
	int rc = 0;
	rc |= vigil_buf_printf(b, "%s: %zu audit finding%s", r->image ? r->image : "image", r->finding_count,
			       r->finding_count == 1 ? "" : "s");
	if (r->suppressed_count)
		rc |= vigil_buf_printf(b, " (%zu suppressed)", r->suppressed_count);
	rc |= vigil_buf_puts(b, "\n");
	if (r->finding_count)
		rc |= vigil_buf_printf(b, "\n%-10s %-9s %-24s %-5s %s\n", "SEVERITY", "SCANNER", "RULE", "LAYER",
				       "WHERE / WHAT");
	for (size_t i = 0; i < r->finding_count && rc == 0; i++) {
		const vigil_audit_finding *f = &r->findings[i];
		char layer[24] = "-", line[24] = "";
		if (f->layer != VIGIL_AUDIT_NO_LAYER)
			snprintf(layer, sizeof(layer), "%zu", f->layer);
		if (f->line)
			snprintf(line, sizeof(line), ":%u", (unsigned)f->line);
		rc |= vigil_buf_printf(b, "%-10s %-9s %-24s %-5s %s%s%s%s\n", f->info ? "Info" : vigil_severity_name(f->severity),
				       vigil_audit_category_name(f->category), f->rule ? f->rule : "", layer,
				       f->path ? "/" : "", f->path ? f->path : "(image config)", line,
				       f->deleted ? " (deleted later)" : "");
		rc |= vigil_buf_printf(b, "%-51s %s%s%s\n", "", f->title ? f->title : "", f->match ? ": " : "",
				       f->match ? f->match : "");
		if (f->evidence)
			rc |= vigil_buf_printf(b, "%-51s %s\n", "", f->evidence);
	}
	if (r->policy_count) {
		rc |= vigil_buf_puts(b, "\npolicy:\n");
		for (size_t i = 0; i < r->policy_count; i++) {
			const vigil_audit_policy_result *p = &r->policy[i];
			rc |= vigil_buf_printf(b, "  %-10s %-24s %s\n",
					       p->passed == 1 ? "PASS" : p->passed == 0 ? "FAIL" : "NOT JUDGED",
					       p->rule ? p->rule : "", p->evidence ? p->evidence : "");
		}
	}
	if (r->scanners & VIGIL_AUDIT_SECRET)
		rc |= vigil_buf_printf(b, "\nsecrets: %llu files (%llu bytes) read, %llu binaries skipped\n",
				       (unsigned long long)r->files_scanned, (unsigned long long)r->bytes_scanned,
				       (unsigned long long)r->binaries_skipped);
	return rc < 0 ? VIGIL_ENOMEM : 0;
}

int vigil_audit_render(const vigil_audit_report *r, vigil_report_format f, const vigil_report_options *o,
		       char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	switch (f) {
	case VIGIL_FMT_CLAIR:
	case VIGIL_FMT_FLAT:
		return audit_json_dump(audit_render_json(r), o, out, len);
	case VIGIL_FMT_SARIF:
		return audit_json_dump(sarif_json(r, o), o, out, len);
	case VIGIL_FMT_TABLE: {
		vigil_buf b;
		vigil_buf_init(&b, RENDER_MAX);
		if (table(r, &b) < 0) {
			vigil_buf_free(&b);
			return vigil_error_set(VIGIL_ENOMEM, "audit table: out of memory");
		}
		if (!b.data && vigil_buf_puts(&b, "") < 0)
			return vigil_error_oom();
		*out = vigil_buf_detach(&b, len);
		return 0;
	}
	default:
		return vigil_error_set(VIGIL_EINVAL, "an audit report has no %s format (table, json, sarif)",
				       vigil_report_format_name(f));
	}
}
