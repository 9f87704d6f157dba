/* feed/photon.c: Photon OS CVE metadata, the JSON VMware publishes per
 * release at packages.vmware.com/photon/photon_cve_metadata/
 * (cve_data_photon<release>.json): an array of rows {cve_id, pkg,
 * cve_score, aff_ver, res_ver, status?}, one per (CVE, package). The
 * release, hence the namespace "photon:<release>", comes from the file
 * name; a row may carry its own "os_version" instead (the per-CVE files
 * of aquasecurity/vuln-list, photon/<release>/<pkg>/<id>.json, which are
 * one such row as an object), so a vuln-list mirror imports the same.
 * photon_versions.json ({"branches": [...]}) is checked and emits nothing.
 *
 * One record per row (db/merge.c folds the rows of one id together):
 *   res_ver an rpm version-release           -> fixed in it
 *   status "Not Affected"                    -> not affected (whatever res_ver says)
 *   no res_ver ("NA", ""), aff_ver "NA"/""   -> not affected (Photon's "not applicable")
 *   no res_ver, aff_ver names versions       -> not fixed (vulnerable, no update yet)
 *   no res_ver, status "Fixed"               -> skipped with a warning (a fix without a version)
 * pkg is Photon's spec (source rpm) name for almost every row, but some rows
 * name a subpackage (curl-libs, krb5-devel): each row gives a binary entry
 * and a source entry of that name, so an installed rpm matches it by its
 * own name or by its SOURCERPM's (docs/feeds-photon.md). cve_score is a CVSS
 * v3 base score: cvss3_score, and the level by the CVSS table.
 *
 * Refused files, as aquasecurity/vuln-list-update refuses them: JSON that
 * does not parse, a row whose id is not of the PREFIX-YEAR-NUMBER form
 * ("CVE-2019-3828-0001"). Skipped rows (a warning each), as upstream skips
 * them: an empty cve_id, "UNK-"/"Re" rows without any version, an empty
 * pkg. Decisions in docs/feeds-photon.md. */
#include "feed/redhat.h"
#include "feed/vendors.h"
#include "util/error.h"
#include "util/json.h"
#include "util/slice.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Rows of one file (Photon 4.0's has about 100,000). */
#define VIGIL_PHOTON_MAX_ROWS 4000000
/* Bytes of an id, a package name, a version, an aff_ver or status text. */
#define VIGIL_PHOTON_MAX_ID 64
#define VIGIL_PHOTON_MAX_NAME 256
#define VIGIL_PHOTON_MAX_VERSION 256
#define VIGIL_PHOTON_MAX_TEXT 4096
/* A release ("5.0") and the branches of photon_versions.json. */
#define VIGIL_PHOTON_MAX_RELEASE 16
#define VIGIL_PHOTON_MAX_BRANCHES 256

#define PHOTON_NS_MAX (sizeof("photon:") + VIGIL_PHOTON_MAX_RELEASE)

struct row {
	vigil_slice id, pkg, aff, res, status, osver;
	double score;
	bool has_score;
};

/* "1.0", "5.0" or "5" (as "5.0"): digits, at most one dot and digits. */
static bool photon_release(vigil_slice s, char ns[PHOTON_NS_MAX])
{
	size_t i = 0, dots = 0;
	if (s.len == 0 || s.len > VIGIL_PHOTON_MAX_RELEASE - 3)
		return false;
	for (i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == '.' && i > 0 && i + 1 < s.len && dots++ == 0)
			continue;
		if (c < '0' || c > '9')
			return false;
	}
	snprintf(ns, PHOTON_NS_MAX, "photon:%.*s%s", (int)s.len, s.ptr, dots ? "" : ".0");
	return true;
}

static const char *base_name(const char *file)
{
	const char *b = file ? strrchr(file, '/') : NULL;
	return b ? b + 1 : (file ? file : "");
}

/* cve_data_photon3.0.json, cve_data_photon3.0_anything.json -> "photon:3.0". */
static bool release_from_name(const char *file, char ns[PHOTON_NS_MAX])
{
	static const char pre[] = "cve_data_photon";
	vigil_slice b = vigil_slice_cstr(base_name(file));
	size_t i = sizeof(pre) - 1;
	if (!vigil_slice_starts_with(b, pre))
		return false;
	while (i < b.len && ((b.ptr[i] >= '0' && b.ptr[i] <= '9') || b.ptr[i] == '.'))
		i++;
	vigil_slice rel = vigil_slice_sub(b, sizeof(pre) - 1, i - (sizeof(pre) - 1));
	if (rel.len && rel.ptr[rel.len - 1] == '.') /* "cve_data_photon5.json" */
		rel.len--;
	return photon_release(rel, ns);
}

static bool is_na(vigil_slice s)
{
	return s.len == 0 || (s.len == 2 && strncasecmp(s.ptr, "NA", 2) == 0);
}

static bool eq_nocase(vigil_slice s, const char *w)
{
	return s.len == strlen(w) && strncasecmp(s.ptr, w, s.len) == 0;
}

/* vuln-list-update's rule: three '-'-separated parts ("CVE-2019-3828",
 * "BDSA-2025-0719"); vigil adds: printable, no blank, no empty part. */
static bool valid_id(vigil_slice id)
{
	size_t dashes = 0;
	for (size_t i = 0; i < id.len; i++) {
		unsigned char c = (unsigned char)id.ptr[i];
		if (c <= ' ' || c >= 0x7f)
			return false;
		if (c == '-' && (i == 0 || i + 1 == id.len || id.ptr[i - 1] == '-' || ++dashes > 2))
			return false;
	}
	return dashes == 2;
}

static int read_row(json_t *o, const char *path, struct row *r)
{
	int rc, got;
	memset(r, 0, sizeof(*r));
	if (!json_is_object(o))
		return vigil_error_set(VIGIL_EFORMAT, "%s: not an object", path);
	if ((rc = vigil_json_str(o, path, "cve_id", VIGIL_JSON_TRIM, VIGIL_PHOTON_MAX_ID, &r->id)) < 0 ||
	    (rc = vigil_json_str(o, path, "pkg", VIGIL_JSON_TRIM, VIGIL_PHOTON_MAX_NAME, &r->pkg)) < 0 ||
	    (rc = vigil_json_str(o, path, "aff_ver", VIGIL_JSON_TRIM, VIGIL_PHOTON_MAX_TEXT, &r->aff)) < 0 ||
	    (rc = vigil_json_str(o, path, "res_ver", VIGIL_JSON_TRIM, VIGIL_PHOTON_MAX_VERSION, &r->res)) < 0 ||
	    (rc = vigil_json_str(o, path, "status", VIGIL_JSON_TRIM, VIGIL_PHOTON_MAX_TEXT, &r->status)) < 0 ||
	    (rc = vigil_json_str(o, path, "os_version", VIGIL_JSON_TRIM, VIGIL_PHOTON_MAX_RELEASE, &r->osver)) < 0)
		return rc;
	if ((got = vigil_json_num(o, path, "cve_score", 0, &r->score)) < 0)
		return got;
	r->has_score = got == 1 && r->score >= 0 && r->score <= 10;
	return 0;
}

/* The state of a row (see the opening comment); false: skip it (warned). */
static bool row_state(vigil_feed_ctx *ctx, const char *path, const struct row *r, vigil_vuln_state *st)
{
	if (eq_nocase(r->status, "Not Affected")) {
		*st = VIGIL_STATE_NOT_AFFECTED;
		return true;
	}
	if (!is_na(r->res)) {
		if (!rh_valid_evr(r->res)) {
			feed_warn(ctx, "%s: %.*s %.*s: res_ver \"%.*s\" is not an rpm version: skipped", path,
				  (int)r->id.len, r->id.ptr, (int)r->pkg.len, r->pkg.ptr, (int)r->res.len, r->res.ptr);
			return false;
		}
		*st = VIGIL_STATE_FIXED;
		return true;
	}
	if (eq_nocase(r->status, "Fixed")) {
		feed_warn(ctx, "%s: %.*s %.*s: status Fixed without a res_ver: skipped", path, (int)r->id.len,
			  r->id.ptr, (int)r->pkg.len, r->pkg.ptr);
		return false;
	}
	*st = r->status.len == 0 && is_na(r->aff) ? VIGIL_STATE_NOT_AFFECTED : VIGIL_STATE_NOT_FIXED;
	return true;
}

static int emit_row(vigil_feed_ctx *ctx, const char *path, const struct row *r, const char *file_ns)
{
	char ns[PHOTON_NS_MAX], link[128];
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1 };
	vigil_affected *a;
	vigil_vuln_state st;
	const char *nsp = file_ns, *lk;

	if (r->id.len == 0 || r->pkg.len == 0) {
		feed_warn(ctx, "%s: empty %s: skipped", path, r->id.len ? "pkg" : "cve_id");
		return 0;
	}
	if ((vigil_slice_starts_with(r->id, "UNK-") || vigil_slice_eq_cstr(r->id, "Re")) && is_na(r->res) &&
	    is_na(r->aff)) {
		feed_warn(ctx, "%s: %.*s: an unknown id without versions: skipped", path, (int)r->id.len, r->id.ptr);
		return 0;
	}
	if (!valid_id(r->id))
		return vigil_error_set(VIGIL_EFORMAT, "%s.cve_id: \"%.*s\" is not an id of the form PREFIX-YEAR-NUMBER",
				       path, (int)r->id.len, r->id.ptr);
	if (!rh_valid_name(r->pkg)) {
		feed_warn(ctx, "%s: %.*s: pkg \"%.*s\" is not a package name: skipped", path, (int)r->id.len,
			  r->id.ptr, (int)r->pkg.len, r->pkg.ptr);
		return 0;
	}
	if (r->osver.len) {
		if (!photon_release(r->osver, ns))
			return vigil_error_set(VIGIL_EFORMAT, "%s.os_version: \"%.*s\" is not a Photon release", path,
					       (int)r->osver.len, r->osver.ptr);
		nsp = ns;
	}
	if (!nsp)
		return vigil_error_set(VIGIL_EFORMAT,
				       "%s: no Photon release: the file is not named cve_data_photon<release>.json "
				       "and the row has no os_version", path);
	if (!row_state(ctx, path, r, &st))
		return 0;
	if (!(a = vigil_arena_calloc(ctx->arena, 2, sizeof(*a))))
		return vigil_error_oom();
	v.id = feed_str(ctx, r->id.ptr, r->id.len);
	v.source = feed_cstr(ctx, "photon");
	a[0].namespace = feed_cstr(ctx, nsp);
	a[0].package = feed_str(ctx, r->pkg.ptr, r->pkg.len);
	a[0].fixed = st == VIGIL_STATE_FIXED ? feed_str(ctx, r->res.ptr, r->res.len) : NULL;
	if (!v.id || !v.source || !a[0].namespace || !a[0].package || (st == VIGIL_STATE_FIXED && !a[0].fixed))
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	a[0].scheme = "rpm";
	a[0].state = st;
	if (r->has_score) {
		v.cvss3_score = r->score;
		v.severity = a[0].severity = vigil_severity_from_cvss(r->score);
	}
	a[1] = a[0];
	a[1].is_source = 1;
	v.affected = a;
	v.naffected = 2;
	if (vigil_slice_starts_with(r->id, "CVE-")) {
		snprintf(link, sizeof(link), "https://www.cve.org/CVERecord?id=%.*s", (int)r->id.len, r->id.ptr);
		if (!(lk = feed_cstr(ctx, link)) || !(v.links = vigil_arena_calloc(ctx->arena, 1, sizeof(*v.links))))
			return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
		((const char **)v.links)[0] = lk;
		v.nlinks = 1;
	}
	return ctx->emit(ctx->emit_ud, &v);
}

/* photon_versions.json: {"branches": ["1.0", ..., "dev"]}: checked only. */
static int versions_file(json_t *root)
{
	json_t *br = NULL, *b;
	size_t i;
	int rc;
	if (!json_is_object(root))
		return vigil_error_set(VIGIL_EFORMAT, "photon_versions: not an object");
	if ((rc = vigil_json_arr(root, "", "branches", VIGIL_JSON_REQUIRED, VIGIL_PHOTON_MAX_BRANCHES, &br)) < 0)
		return rc;
	json_array_foreach(br, i, b)
		if (!json_is_string(b) || json_string_length(b) > VIGIL_PHOTON_MAX_RELEASE)
			return vigil_error_set(VIGIL_EFORMAT, "branches[%zu]: not a release", i);
	return 0;
}

static int rows(vigil_feed_ctx *ctx, json_t *root)
{
	char ns[PHOTON_NS_MAX], path[48];
	const char *file_ns = release_from_name(ctx->file, ns) ? ns : NULL;
	struct row r;
	json_t *o;
	size_t i;
	int rc;

	if (json_is_object(root)) { /* one vuln-list row */
		if ((rc = read_row(root, "row", &r)) < 0)
			return rc;
		return emit_row(ctx, "row", &r, file_ns);
	}
	if (!json_is_array(root))
		return vigil_error_set(VIGIL_EFORMAT, "not an array of rows");
	if (json_array_size(root) > VIGIL_PHOTON_MAX_ROWS)
		return vigil_error_set(VIGIL_ELIMIT, "photon cve_data: %zu rows (limit VIGIL_PHOTON_MAX_ROWS, %d)",
				       json_array_size(root), VIGIL_PHOTON_MAX_ROWS);
	json_array_foreach(root, i, o) {
		snprintf(path, sizeof(path), "[%zu]", i);
		if ((rc = read_row(o, path, &r)) < 0 || (rc = emit_row(ctx, path, &r, file_ns)) < 0)
			return rc;
	}
	return 0;
}

int feed_photon_cve(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	json_error_t je;
	json_t *root;
	char msg[160];
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_photon_cve: bad arguments");
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "photon cve_data: %zu bytes (limit VIGIL_FEED_MAX_FILE)", len);
	if (!(root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "bad JSON at line %d column %d: %s", je.line,
				       je.column, vigil_json_error_text(&je, msg, sizeof(msg)));
	vigil_slice base = vigil_slice_cstr(base_name(ctx->file));
	rc = vigil_slice_ends_with(base, "photon_versions.json") ? versions_file(root) : rows(ctx, root);
	json_decref(root);
	return rc;
}

static bool has(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (p[i] == needle[0] && memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

bool feed_photon_sniff(const char *base, const char *p, size_t n)
{
	vigil_slice b = vigil_slice_cstr(base ? base : "");
	if (vigil_slice_ends_with(b, ".json") &&
	    (vigil_slice_starts_with(b, "cve_data_photon") || vigil_slice_ends_with(b, "photon_versions.json")))
		return true;
	/* a row of Photon's: the three keys only it has */
	return n > 0 && (*p == '[' || *p == '{') && has(p, n, "\"cve_id\"") && has(p, n, "\"aff_ver\"") &&
	       has(p, n, "\"res_ver\"");
}
