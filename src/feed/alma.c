/* feed/alma.c: AlmaLinux errata JSON, and the sniffs of the AlmaLinux
 * errata and of the AlmaLinux and Rocky Linux OSV exports.
 *
 * Two schemas of one export (errata.almalinux.org/<major>/...):
 *   errata.full.json  {"schema_version", "data": [{id, type, severity,
 *                     title, description, issued_date (s), updated_date,
 *                     packages[] {name, epoch, version, release, arch,
 *                     module "n:s:v:c:a"}, modules[], references[]}]}
 *   errata.json       [{updateinfo_id, type, severity, title, ...,
 *                     issued_date {"$date": ms}, pkglist {packages[],
 *                     module {name, stream}}, references[]}] (MongoDB
 *                     export of the x86_64 repositories; what Trivy reads)
 * One record per security advisory (type "security", or an ALSA- id when
 * there is no type): id ALSA-YYYY:NNNN, the CVEs of references[type=cve]
 * as aliases, the other references as links, severity Critical /
 * Important / Moderate / Low (feed_rebuild_severity, vendor word kept).
 * Bug fix and enhancement advisories are not vulnerabilities: skipped.
 *
 * Each package gives a binary row in almalinux:<major>, state fixed at
 * [epoch:]version-release (epoch 0 left out), scheme rpm; the major comes
 * from the release's dist tag (".el8_4", ".module_el8.4.0+...", "+el9"),
 * the file itself names no release. Module: the package's own "module"
 * (full), else the pkglist's {name, stream} (old); "name:stream" only.
 * One advisory often lists a package several times: per architecture,
 * and per module build (ALSA-2020:0279 ships libiscsi built for 8.3 and
 * 8.4). Rows are sorted and for each (namespace, name, module, arch) the
 * LOWEST fixed build is kept (both contain the fix; as Trivy keeps); when
 * every architecture has the same fixed version, or the file is the old
 * x86_64-only schema, the row has no architecture, else one row per
 * architecture. Limits: VIGIL_ALMA_MAX_* below; a package or an advisory
 * the parser cannot use is skipped with a warning, a document that is not
 * one of these shapes fails (the importer refuses that file alone). */
#include "feed/alma.h"
#include "feed/vendors.h"
#include "util/error.h"
#include "util/json.h"
#include "util/slice.h"
#include "vigil/version.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Advisories of one file (errata.full.json of AlmaLinux 8: ~3,000). */
#define VIGIL_ALMA_MAX_ADVISORIES 200000
/* Packages of one advisory (a kernel advisory: ~500). */
#define VIGIL_ALMA_MAX_PACKAGES 20000
/* Bytes of one package field (name, epoch, version, release, arch, module). */
#define VIGIL_ALMA_MAX_FIELD 256
/* Bytes of a fixed version "epoch:version-release". */
#define VIGIL_ALMA_MAX_EVR (3 * VIGIL_ALMA_MAX_FIELD + 2)

struct row {
	const char *ns, *name, *module, *arch, *fixed;
};

struct adv {
	vigil_feed_ctx *ctx;
	bool full;             /* errata.full.json's schema */
	char at[96];           /* "data[3] ALSA-2019:3708": the message prefix */
};

vigil_severity feed_rebuild_severity(const char *w, size_t len)
{
	static const struct {
		const char *word;
		vigil_severity sev;
	} t[] = {
		{ "critical", VIGIL_SEV_CRITICAL }, { "important", VIGIL_SEV_HIGH },
		{ "moderate", VIGIL_SEV_MEDIUM },   { "low", VIGIL_SEV_LOW },
	};
	for (size_t i = 0; w && i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].word) == len && strncasecmp(t[i].word, w, len) == 0)
			return t[i].sev;
	return VIGIL_SEV_UNKNOWN;
}

bool feed_rebuild_module(const char *s, size_t len, char *out, size_t n)
{
	vigil_slice all = vigil_slice_make(s, len), name, rest, stream, tail;
	if (!vigil_slice_split(all, ':', &name, &rest))
		return false;
	vigil_slice_split(rest, ':', &stream, &tail);
	if (!name.len || !stream.len || name.len + stream.len + 2 > n)
		return false;
	for (size_t i = 0; i < name.len + 1 + stream.len; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '/')
			return false;
	snprintf(out, n, "%.*s:%.*s", (int)name.len, name.ptr, (int)stream.len, stream.ptr);
	return true;
}

/* The major release of a dist tag in an rpm release: ".el8_4", "_el8.4.0",
 * "+el9.4.0" -> "8" / "9"; false when there is none. */
static bool release_major(vigil_slice rel, char *out, size_t n)
{
	for (size_t i = 1; i + 2 < rel.len; i++) {
		char c = rel.ptr[i - 1];
		if ((c != '.' && c != '_' && c != '+') || rel.ptr[i] != 'e' || rel.ptr[i + 1] != 'l')
			continue;
		size_t d = i + 2, k = 0;
		while (d + k < rel.len && rel.ptr[d + k] >= '0' && rel.ptr[d + k] <= '9')
			k++;
		if (k == 0 || k > 3 || k + 1 > n)
			continue;
		snprintf(out, n, "%.*s", (int)k, rel.ptr + d);
		return true;
	}
	return false;
}

static void warn(struct adv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct adv *a, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	feed_warn(a->ctx, "alma errata %s: %s", a->at, msg);
}

static int in_adv(struct adv *a, int rc)
{
	vigil_error_prefix("alma errata %s: ", a->at);
	return rc;
}

/* "2021-08-24T07:29:56Z" from issued_date: {"$date": ms} (old) or seconds (full). */
static int get_date(struct adv *a, json_t *o, const char *key, const char **out)
{
	json_t *d = json_object_get(o, key);
	json_int_t secs;
	struct tm tm;
	char buf[32];
	*out = NULL;
	if (json_is_object(d))
		d = json_object_get(d, "$date");
	if (!json_is_integer(d))
		return 0; /* absent, or another export's shape: no date */
	secs = json_integer_value(d);
	if (json_is_object(json_object_get(o, key)))
		secs /= 1000;
	if (secs < 0 || secs > 253402300799LL)
		return 0;
	time_t t = (time_t)secs;
	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 0;
	if (!(*out = feed_cstr(a->ctx, buf)))
		return in_adv(a, vigil_error_or_oom());
	return 0;
}

/* references[]: CVE ids -> aliases, the other hrefs -> links. */
static int get_refs(struct adv *a, json_t *adv, const char *path, vigil_vuln *v)
{
	json_t *refs, *r;
	size_t i;
	int rc = vigil_json_arr(adv, path, "references", 0, VIGIL_FEED_MAX_REFS, &refs);
	if (rc < 0)
		return in_adv(a, rc);
	size_t n = json_array_size(refs);
	const char **al = n ? vigil_arena_calloc(a->ctx->arena, n, sizeof(*al)) : NULL;
	const char **ln = n ? vigil_arena_calloc(a->ctx->arena, n, sizeof(*ln)) : NULL;
	if (n && (!al || !ln))
		return vigil_error_or_oom();
	json_array_foreach(refs, i, r) {
		char p[96];
		vigil_slice type, id, href;
		snprintf(p, sizeof(p), "%s.references[%zu]", path, i);
		if ((rc = vigil_json_want(r, JSON_OBJECT, p)) < 0 ||
		    (rc = vigil_json_str(r, p, "type", VIGIL_JSON_TRIM, 64, &type)) < 0 ||
		    (rc = vigil_json_str(r, p, "id", VIGIL_JSON_TRIM, 256, &id)) < 0 ||
		    (rc = vigil_json_str(r, p, "href", VIGIL_JSON_TRIM, 4096, &href)) < 0)
			return in_adv(a, rc);
		if (vigil_slice_eq_cstr(type, "cve") && id.len) {
			if (!(al[v->naliases++] = feed_str(a->ctx, id.ptr, id.len)))
				return vigil_error_or_oom();
		} else if (href.len) {
			if (!(ln[v->nlinks++] = feed_str(a->ctx, href.ptr, href.len)))
				return vigil_error_or_oom();
		}
	}
	v->aliases = al;
	v->links = ln;
	return 0;
}

/* One package -> *out; false (warned) when it cannot be used. */
static int get_pkg(struct adv *a, json_t *p, const char *path, const char *adv_module, struct row *out,
		   bool *ok)
{
	vigil_slice name, epoch, ver, rel, arch, mod;
	char evr[VIGIL_ALMA_MAX_EVR + 1], ns[32], major[8], stream[VIGIL_ALMA_MAX_FIELD];
	int rc;
	*ok = false;
	if ((rc = vigil_json_want(p, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_str(p, path, "name", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &name)) < 0 ||
	    (rc = vigil_json_str(p, path, "epoch", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &epoch)) < 0 ||
	    (rc = vigil_json_str(p, path, "version", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &ver)) < 0 ||
	    (rc = vigil_json_str(p, path, "release", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &rel)) < 0 ||
	    (rc = vigil_json_str(p, path, "arch", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &arch)) < 0 ||
	    (rc = vigil_json_str(p, path, "module", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &mod)) < 0)
		return in_adv(a, rc);
	if (!name.len || !ver.len || !rel.len) {
		warn(a, "%s: name, version or release missing; package skipped", path);
		return 0;
	}
	if (!release_major(rel, major, sizeof(major))) {
		warn(a, "%s: release \"%.*s\" names no el<major>; package skipped", path, (int)rel.len, rel.ptr);
		return 0;
	}
	if (epoch.len && !vigil_slice_eq_cstr(epoch, "0"))
		snprintf(evr, sizeof(evr), "%.*s:%.*s-%.*s", (int)epoch.len, epoch.ptr, (int)ver.len, ver.ptr,
			 (int)rel.len, rel.ptr);
	else
		snprintf(evr, sizeof(evr), "%.*s-%.*s", (int)ver.len, ver.ptr, (int)rel.len, rel.ptr);
	if (!vigil_rpm_valid(evr, strlen(evr))) {
		warn(a, "%s: \"%s\" is not an rpm version; package skipped", path, evr);
		return 0;
	}
	snprintf(ns, sizeof(ns), "almalinux:%s", major);
	out->module = adv_module;
	if (mod.len && feed_rebuild_module(mod.ptr, mod.len, stream, sizeof(stream)) &&
	    !(out->module = feed_cstr(a->ctx, stream)))
		return vigil_error_or_oom();
	if (!(out->ns = feed_cstr(a->ctx, ns)) || !(out->name = feed_str(a->ctx, name.ptr, name.len)) ||
	    !(out->fixed = feed_cstr(a->ctx, evr)) ||
	    (arch.len && !(out->arch = feed_str(a->ctx, arch.ptr, arch.len))))
		return vigil_error_or_oom();
	*ok = true;
	return 0;
}

static int cmp_opt(const char *x, const char *y)
{
	if (!x || !y)
		return x ? 1 : (y ? -1 : 0);
	return strcmp(x, y);
}

/* (namespace, name, module) */
static int key_cmp(const struct row *x, const struct row *y)
{
	int c = strcmp(x->ns, y->ns);
	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : cmp_opt(x->module, y->module);
}

static int fixed_cmp(const char *x, const char *y)
{
	return vigil_rpm_evr_cmp(x, strlen(x), y, strlen(y));
}

/* key, arch, then the fixed version in rpm order (lowest first) */
static int row_cmp(const void *pa, const void *pb)
{
	const struct row *x = pa, *y = pb;
	int c = key_cmp(x, y);
	if (!c)
		c = cmp_opt(x->arch, y->arch);
	return c ? c : fixed_cmp(x->fixed, y->fixed);
}

/* Rows r[0..n) sorted -> affected entries (see the opening comment). */
static size_t to_affected(struct adv *a, struct row *r, size_t n, vigil_affected *af)
{
	size_t out = 0;
	for (size_t g = 0; g < n;) {
		size_t end = g + 1;
		while (end < n && key_cmp(&r[g], &r[end]) == 0)
			end++;
		/* the lowest fixed of each arch is the first row of its run */
		bool same = true;
		const char *low = r[g].fixed;
		for (size_t i = g + 1; i < end; i++) {
			if (cmp_opt(r[i].arch, r[i - 1].arch) == 0)
				continue;
			if (fixed_cmp(r[i].fixed, r[g].fixed) != 0)
				same = false;
			if (fixed_cmp(r[i].fixed, low) < 0)
				low = r[i].fixed;
		}
		for (size_t i = g; i < end; i++) {
			bool first_of_arch = i == g || cmp_opt(r[i].arch, r[i - 1].arch) != 0;
			if (!first_of_arch || ((same || !a->full) && i != g))
				continue;
			af[out++] = (vigil_affected){
				.namespace = r[i].ns, .package = r[i].name, .is_source = 0, .scheme = "rpm",
				.state = VIGIL_STATE_FIXED, .fixed = (same || !a->full) ? low : r[i].fixed,
				.module = r[i].module, .arch = (same || !a->full) ? NULL : r[i].arch,
			};
		}
		g = end;
	}
	return out;
}

static int get_packages(struct adv *a, json_t *adv, const char *path, vigil_vuln *v)
{
	json_t *list = adv, *pkgs, *modobj;
	char p[64], stream[VIGIL_ALMA_MAX_FIELD];
	const char *adv_module = NULL;
	int rc;
	snprintf(p, sizeof(p), "%s", path);
	if (!a->full) {
		snprintf(p, sizeof(p), "%s.pkglist", path);
		if ((rc = vigil_json_obj(adv, path, "pkglist", 0, &list)) < 0 ||
		    (rc = vigil_json_obj(list, p, "module", 0, &modobj)) < 0)
			return in_adv(a, rc);
		vigil_slice mn, ms;
		char full[2 * VIGIL_ALMA_MAX_FIELD + 2];
		if ((rc = vigil_json_str(modobj, p, "name", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &mn)) < 0 ||
		    (rc = vigil_json_str(modobj, p, "stream", VIGIL_JSON_TRIM, VIGIL_ALMA_MAX_FIELD, &ms)) < 0)
			return in_adv(a, rc);
		snprintf(full, sizeof(full), "%.*s:%.*s", (int)mn.len, mn.ptr, (int)ms.len, ms.ptr);
		if (mn.len && ms.len && feed_rebuild_module(full, strlen(full), stream, sizeof(stream)) &&
		    !(adv_module = feed_cstr(a->ctx, stream)))
			return vigil_error_or_oom();
	}
	if ((rc = vigil_json_arr(list, p, "packages", 0, VIGIL_ALMA_MAX_PACKAGES, &pkgs)) < 0)
		return in_adv(a, rc);
	size_t n = json_array_size(pkgs), k = 0;
	if (!n)
		return 0;
	struct row *rows = calloc(n, sizeof(*rows));
	vigil_affected *af = vigil_arena_calloc(a->ctx->arena, n, sizeof(*af));
	if (!rows || !af) {
		free(rows);
		return vigil_error_or_oom();
	}
	for (size_t i = 0; i < n; i++) {
		char pp[96];
		bool ok;
		snprintf(pp, sizeof(pp), "%s.packages[%zu]", p, i);
		if ((rc = get_pkg(a, json_array_get(pkgs, i), pp, adv_module, &rows[k], &ok)) < 0)
			goto out;
		k += ok;
	}
	qsort(rows, k, sizeof(*rows), row_cmp);
	v->naffected = to_affected(a, rows, k, af);
	v->affected = af;
out:
	free(rows);
	return rc;
}

static int parse_advisory(struct adv *a, json_t *adv, const char *path)
{
	vigil_vuln v = { .source = "almalinux", .cvss3_score = -1, .cvss2_score = -1 };
	vigil_slice id, type, sev;
	int rc;
	snprintf(a->at, sizeof(a->at), "%s", path);
	if ((rc = vigil_json_want(adv, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_str(adv, path, a->full ? "id" : "updateinfo_id", VIGIL_JSON_TRIM, 64, &id)) < 0 ||
	    (rc = vigil_json_str(adv, path, "type", VIGIL_JSON_TRIM, 64, &type)) < 0 ||
	    (rc = vigil_json_str(adv, path, "severity", VIGIL_JSON_TRIM, 64, &sev)) < 0)
		return in_adv(a, rc);
	if (!id.len) {
		warn(a, "no id; advisory skipped");
		return 0;
	}
	snprintf(a->at, sizeof(a->at), "%s %.*s", path, (int)id.len, id.ptr);
	if (type.len ? !vigil_slice_eq_cstr(type, "security") : !vigil_slice_starts_with(id, "ALSA-"))
		return 0; /* bug fix, enhancement: not a vulnerability */
	if (!(v.id = feed_str(a->ctx, id.ptr, id.len)) ||
	    (sev.len && !(v.vendor_severity = feed_str(a->ctx, sev.ptr, sev.len))))
		return vigil_error_or_oom();
	v.severity = feed_rebuild_severity(sev.ptr, sev.len);
	if ((rc = feed_json_str(a->ctx, adv, path, "title", &v.summary)) < 0 ||
	    (rc = feed_json_str(a->ctx, adv, path, "description", &v.description)) < 0)
		return in_adv(a, rc);
	if ((rc = get_date(a, adv, "issued_date", &v.published)) < 0 ||
	    (rc = get_date(a, adv, "updated_date", &v.modified)) < 0 ||
	    (rc = get_refs(a, adv, path, &v)) < 0 || (rc = get_packages(a, adv, path, &v)) < 0)
		return rc;
	if (!v.naffected) {
		warn(a, "no package this parser can use; advisory skipped");
		return 0;
	}
	rc = a->ctx->emit(a->ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

int feed_alma_errata(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct adv a = { .ctx = ctx };
	json_error_t je;
	json_t *root, *list, *adv;
	char msg[160], path[32];
	size_t i;
	int rc = 0;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "alma errata: no data");
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "alma errata: %zu bytes (limit %zu)", len, VIGIL_FEED_MAX_FILE);
	if (!(root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "alma errata: bad JSON at line %d column %d: %s", je.line,
				       je.column, vigil_json_error_text(&je, msg, sizeof(msg)));
	a.full = json_is_object(root);
	list = a.full ? json_object_get(root, "data") : root;
	if (!json_is_array(list)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "alma errata: neither an array of advisories (errata.json) "
				     "nor {\"data\": [...]} (errata.full.json)");
		goto out;
	}
	if (json_array_size(list) > VIGIL_ALMA_MAX_ADVISORIES) {
		rc = vigil_error_set(VIGIL_ELIMIT, "alma errata: %zu advisories (limit %d)", json_array_size(list),
				     VIGIL_ALMA_MAX_ADVISORIES);
		goto out;
	}
	json_array_foreach(list, i, adv) {
		snprintf(path, sizeof(path), "%s[%zu]", a.full ? "data" : "", i);
		if ((rc = parse_advisory(&a, adv, path)) < 0)
			break;
	}
out:
	json_decref(root);
	return rc;
}

/* ---- sniffs (db/detect.c asks them before the generic rules) ---- */

static bool has(const char *d, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (d[i] == needle[0] && memcmp(d + i, needle, k) == 0)
			return true;
	return false;
}

/* By name: errata.json, errata.full.json (upstream) and the mirror's
 * almalinux-<major>-errata.full.json, whatever they hold (a broken one is
 * then refused by the parser, not skipped as unknown). By content: the
 * array of MongoDB documents with updateinfo_id and pkglist, or
 * {"data": [...]} of ALSA/ALBA/ALEA advisories with issued_date. */
bool feed_alma_errata_sniff(const char *base, const char *p, size_t n)
{
	vigil_slice b = vigil_slice_cstr(base);
	if (!strcmp(base, "errata.json") || !strcmp(base, "errata.full.json") ||
	    (vigil_slice_starts_with(b, "almalinux") && has(base, b.len, "errata") &&
	     vigil_slice_ends_with(b, ".json")))
		return true;
	if (n && p[0] == '[')
		return has(p, n, "\"updateinfo_id\"") && has(p, n, "\"pkglist\"");
	if (n && p[0] == '{')
		return has(p, n, "\"data\"") && has(p, n, "\"issued_date\"") && has(p, n, "\"packages\"") &&
		       (has(p, n, "\"ALSA-") || has(p, n, "\"ALBA-") || has(p, n, "\"ALEA-"));
	return false;
}

/* OSV documents of the ecosystem "AlmaLinux:<release>" / "Rocky Linux:<release>". */
bool feed_alma_osv_sniff(const char *base, const char *p, size_t n)
{
	(void)base;
	return n && (p[0] == '{' || p[0] == '[') && has(p, n, "\"affected\"") && has(p, n, "\"AlmaLinux:");
}

bool feed_rocky_osv_sniff(const char *base, const char *p, size_t n)
{
	(void)base;
	return n && (p[0] == '{' || p[0] == '[') && has(p, n, "\"affected\"") && has(p, n, "\"Rocky Linux:");
}
