/* feed/wolfi.c: the security data of Wolfi (packages.wolfi.dev) and
 * Chainguard (packages.cgr.dev): the secdb JSON, the route of the
 * advisories (OSV JSON here, the YAML in feed/wolfi_adv.c), and the sniff
 * functions db/detect.c asks. Format and decisions: docs/feeds-wolfi-chainguard.md.
 *
 * secdb: the Alpine secdb shape without distroversion,
 *   {apkurl, archs, reponame, urlprefix, packages: [{pkg: {name, secfixes}}]}.
 * Which distribution it is comes from the document itself: the host of
 * urlprefix (or of a literal apkurl) under wolfi.dev is Wolfi, under
 * cgr.dev Chainguard; without one, reponame "os" is Wolfi and "chainguard"
 * Chainguard; anything else is refused (a secdb with distroversion is
 * Alpine's, never read here). One namespace each: wolfi:rolling,
 * chainguard:rolling. pkg.name is the origin package (apk's o:), so rows
 * are is_source=1, scheme apk. secfixes[version] lists the ids fixed in
 * that apk version (state fixed); the key "0" lists ids that never
 * affected the package (not-affected). An entry is split on blanks (as
 * vunnel does); each token that is an id is one record, a "(note)" ends
 * the entry, other tokens are warned about. One record per (package,
 * version, id); the importer merges a feed's records by id. A version
 * that is not an apk version is skipped with a warning; a wrong shape
 * (packages not a list, pkg not an object) fails the file.
 *
 * Advisories (feed_wolfi_advisory): JSON is Chainguard's / Wolfi's OSV
 * (CGA-xxxx-xxxx-xxxx, schema 1.7, "upstream" ids, ecosystems "Chainguard"
 * and "Wolfi"), read by feed/osv.c behind a shim that names the source
 * ("chainguard" or "wolfi" instead of "osv") and turns an entry "fixed in
 * 0" (introduced 0, fixed 0: an empty range) into not-affected; their
 * index all.json ([{id, modified}]) holds no vulnerability and gives no
 * record. Anything else is the wolfi-dev/advisories YAML.
 *
 * Limits: VIGIL_WOLFI_MAX_* below, FEED_WOLFI_MAX_ID/NAME, the file cap. */
#include "feed/vendors.h"
#include "feed/wolfi_priv.h"
#include "util/error.h"
#include "util/json.h"
#include "util/redact.h"
#include "util/slice.h"
#include "vigil/version.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Packages of one secdb (Wolfi lists ~4,000). */
#define VIGIL_WOLFI_MAX_PACKAGES 1000000
/* Fixed versions of one package, ids of one version, tokens of one entry. */
#define VIGIL_WOLFI_MAX_VERSIONS 100000
#define VIGIL_WOLFI_MAX_IDS 100000
#define VIGIL_WOLFI_MAX_TOKENS 64
/* Length of urlprefix, reponame, apkurl; of one secfixes entry. */
#define VIGIL_WOLFI_MAX_URL 2048
#define VIGIL_WOLFI_MAX_ENTRY 4096

/* ---- shared ---- */

bool feed_wolfi_token(const char *s, size_t n, size_t max)
{
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7F)
			return false;
	return true;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool feed_wolfi_id(const char *s, size_t n)
{
	bool dash = false;
	if (n < 3 || n > FEED_WOLFI_MAX_ID || !is_alpha(s[0]) || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-')
			dash = true;
		else if (!is_alpha(c) && !is_digit(c) && c != '_' && c != '.')
			return false;
	}
	return dash;
}

enum flavour { FL_NONE, FL_WOLFI, FL_CHAINGUARD };

/* The host of url ("https://packages.cgr.dev/x" -> "packages.cgr.dev"). */
static vigil_slice url_host(vigil_slice url)
{
	for (size_t i = 0; i + 3 <= url.len; i++) {
		if (memcmp(url.ptr + i, "://", 3) != 0)
			continue;
		vigil_slice rest = vigil_slice_sub(url, i + 3, url.len), host = rest;
		for (size_t k = 0; k < rest.len; k++)
			if (rest.ptr[k] == '/' || rest.ptr[k] == ':' || rest.ptr[k] == '?' || rest.ptr[k] == '#') {
				host.len = k;
				break;
			}
		ptrdiff_t at = vigil_slice_rfind(host, '@');
		return at >= 0 ? vigil_slice_sub(host, (size_t)at + 1, host.len) : host;
	}
	return vigil_slice_make("", 0);
}

/* host is domain or a name under it. */
static bool host_under(vigil_slice host, const char *domain)
{
	size_t d = strlen(domain);
	if (vigil_slice_eq_cstr(host, domain))
		return true;
	return host.len > d + 1 && host.ptr[host.len - d - 1] == '.' && vigil_slice_ends_with(host, domain);
}

static enum flavour flavour_of(vigil_slice urlprefix, vigil_slice apkurl, vigil_slice reponame)
{
	vigil_slice hosts[2] = { url_host(urlprefix), url_host(apkurl) };
	for (int i = 0; i < 2; i++) {
		if (host_under(hosts[i], "cgr.dev"))
			return FL_CHAINGUARD;
		if (host_under(hosts[i], "wolfi.dev"))
			return FL_WOLFI;
	}
	if (urlprefix.len == 0 && vigil_slice_eq_cstr(reponame, "chainguard"))
		return FL_CHAINGUARD;
	if (urlprefix.len == 0 && vigil_slice_eq_cstr(reponame, "os"))
		return FL_WOLFI;
	return FL_NONE;
}

/* ---- sniffs (the first 64 KiB, leading blanks skipped) ---- */

static bool has(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i + k <= n; i++)
		if (p[i] == needle[0] && memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

/* The string value of the first "key": "..." in p[0..n) (no escapes). */
static vigil_slice sniff_member(const char *p, size_t n, const char *key)
{
	char quoted[32];
	size_t k = (size_t)snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	for (size_t i = 0; i + k <= n; i++) {
		if (memcmp(p + i, quoted, k) != 0)
			continue;
		size_t j = i + k;
		while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
			j++;
		if (j >= n || p[j++] != ':')
			continue;
		while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n'))
			j++;
		if (j >= n || p[j++] != '"')
			continue;
		size_t start = j;
		while (j < n && p[j] != '"' && p[j] != '\\')
			j++;
		return vigil_slice_make(p + start, j - start);
	}
	return vigil_slice_make("", 0);
}

static enum flavour sniff_secdb(const char *p, size_t n)
{
	if (n == 0 || *p != '{' || !has(p, n, "\"packages\"") || has(p, n, "\"distroversion\""))
		return FL_NONE;
	return flavour_of(sniff_member(p, n, "urlprefix"), sniff_member(p, n, "apkurl"),
			  sniff_member(p, n, "reponame"));
}

bool feed_wolfi_sniff(const char *base, const char *p, size_t n)
{
	(void)base;
	return sniff_secdb(p, n) == FL_WOLFI;
}

bool feed_chainguard_sniff(const char *base, const char *p, size_t n)
{
	(void)base;
	return sniff_secdb(p, n) == FL_CHAINGUARD;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A CGA OSV document (or a list of them). */
static bool cga_json(const char *p, size_t n)
{
	return n && (*p == '{' || *p == '[') && has(p, n, "\"id\"") && has(p, n, "\"CGA-");
}

/* all.json: [{"id": "CGA-...", "modified": ...}], no vulnerability in it. */
static bool cga_index(const char *p, size_t n)
{
	return n && *p == '[' && cga_json(p, n) && has(p, n, "\"modified\"") && !has(p, n, "\"affected\"");
}

bool feed_wolfi_osv_sniff(const char *base, const char *p, size_t n)
{
	/* wolfi-dev/advisories: <origin>.advisories.yaml */
	if (ends_with(base, ".advisories.yaml") && has(p, n, "advisories:"))
		return true;
	return cga_json(p, n) && !cga_index(p, n) && has(p, n, "\"Wolfi\"") && !has(p, n, "\"Chainguard\"");
}

bool feed_chainguard_osv_sniff(const char *base, const char *p, size_t n)
{
	(void)base;
	return cga_index(p, n) || (cga_json(p, n) && has(p, n, "\"Chainguard\""));
}

/* ---- secdb ---- */

struct secdb {
	vigil_feed_ctx *ctx;
	const char *ns, *source;
	char at[96];            /* "packages[3].pkg(busybox).secfixes[\"1.35.0-r3\"]" prefix */
};

static int secdb_emit(struct secdb *s, const char *id, const char *pkg, const char *fixed)
{
	vigil_feed_ctx *ctx = s->ctx;
	vigil_affected *af = vigil_arena_calloc(ctx->arena, 1, sizeof(*af));
	if (!af)
		return vigil_error_code();
	af->namespace = s->ns;
	af->package = pkg;
	af->is_source = 1;
	af->scheme = "apk";
	af->state = fixed ? VIGIL_STATE_FIXED : VIGIL_STATE_NOT_AFFECTED;
	af->fixed = fixed;
	vigil_vuln v = { .id = id, .source = s->source, .cvss3_score = -1, .cvss2_score = -1,
			 .affected = af, .naffected = 1 };
	int rc = ctx->emit(ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

/* One secfixes entry: "CVE-2022-1234", "CVE-2022-1 CVE-2022-2", "GHSA-... (note)". */
static int secdb_entry(struct secdb *s, json_t *e, const char *field, const char *pkg, const char *fixed)
{
	if (!json_is_string(e))
		return vigil_error_set(VIGIL_EFORMAT, "%s: not a string", field);
	vigil_slice rest = vigil_slice_trim(vigil_slice_make(json_string_value(e), json_string_length(e)));
	size_t ids = 0, tokens = 0;
	if (rest.len > VIGIL_WOLFI_MAX_ENTRY)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes (limit %d)", field, rest.len,
				       VIGIL_WOLFI_MAX_ENTRY);
	while (rest.len && tokens++ < VIGIL_WOLFI_MAX_TOKENS) {
		size_t n = 0;
		while (n < rest.len && rest.ptr[n] != ' ' && rest.ptr[n] != '\t' && rest.ptr[n] != '\n')
			n++;
		vigil_slice tok = vigil_slice_make(rest.ptr, n);
		rest = vigil_slice_trim(vigil_slice_sub(rest, n, rest.len));
		if (tok.ptr[0] == '(')
			break; /* a note */
		while (tok.len && (tok.ptr[tok.len - 1] == ',' || tok.ptr[tok.len - 1] == ';'))
			tok.len--;
		if (!feed_wolfi_id(tok.ptr, tok.len)) {
			feed_warn(s->ctx, "%s secdb: %s: \"%.*s\" is not an id; skipped", s->source, field,
				  (int)(tok.len > 64 ? 64 : tok.len), tok.ptr);
			continue;
		}
		const char *id = feed_str(s->ctx, tok.ptr, tok.len);
		int rc = id ? secdb_emit(s, id, pkg, fixed) : vigil_error_code();
		if (rc < 0)
			return rc;
		ids++;
	}
	if (ids == 0)
		feed_warn(s->ctx, "%s secdb: %s: no id in \"%.64s\"", s->source, field, json_string_value(e));
	return 0;
}

static int secdb_pkg(struct secdb *s, json_t *item, size_t idx)
{
	char path[64], field[FEED_WOLFI_MAX_NAME + 256];
	json_t *pkg, *fixes, *list;
	vigil_slice name;
	const char *ver;
	int rc;
	snprintf(path, sizeof(path), "packages[%zu]", idx);
	if ((rc = vigil_json_want(item, JSON_OBJECT, path)) < 0 ||
	    (rc = vigil_json_obj(item, path, "pkg", VIGIL_JSON_REQUIRED, &pkg)) < 0)
		return rc;
	snprintf(path, sizeof(path), "packages[%zu].pkg", idx);
	if ((rc = vigil_json_str(pkg, path, "name", VIGIL_JSON_REQUIRED, FEED_WOLFI_MAX_NAME, &name)) < 0 ||
	    (rc = vigil_json_obj(pkg, path, "secfixes", 0, &fixes)) < 0)
		return rc;
	if (!feed_wolfi_token(name.ptr, name.len, FEED_WOLFI_MAX_NAME)) {
		feed_warn(s->ctx, "%s secdb: %s.name \"%.*s\" is not a package name; skipped", s->source, path,
			  (int)(name.len > 64 ? 64 : name.len), name.ptr);
		return 0;
	}
	const char *pname = feed_str(s->ctx, name.ptr, name.len);
	if (!pname)
		return vigil_error_code();
	if (fixes && json_object_size(fixes) > VIGIL_WOLFI_MAX_VERSIONS)
		return vigil_error_set(VIGIL_ELIMIT, "%s.secfixes: %zu versions (limit %d)", path,
				       json_object_size(fixes), VIGIL_WOLFI_MAX_VERSIONS);
	json_object_foreach(fixes, ver, list) {
		const char *fixed = NULL;
		size_t vlen = strlen(ver), i;
		json_t *e;
		snprintf(field, sizeof(field), "%s(%s).secfixes[\"%.64s\"]", path, pname, ver);
		if (strcmp(ver, "0") != 0 && (!feed_wolfi_token(ver, vlen, FEED_WOLFI_MAX_NAME) || !vigil_apk_valid(ver, vlen))) {
			feed_warn(s->ctx, "%s secdb: %s: not an apk version; skipped", s->source, field);
			continue;
		}
		if (strcmp(ver, "0") != 0 && !(fixed = feed_str(s->ctx, ver, vlen)))
			return vigil_error_code();
		if (json_is_null(list))
			continue;
		if (!json_is_array(list))
			return vigil_error_set(VIGIL_EFORMAT, "%s: not a list", field);
		if (json_array_size(list) > VIGIL_WOLFI_MAX_IDS)
			return vigil_error_set(VIGIL_ELIMIT, "%s: %zu entries (limit %d)", field,
					       json_array_size(list), VIGIL_WOLFI_MAX_IDS);
		json_array_foreach(list, i, e) {
			char efield[sizeof(field) + 32];
			snprintf(efield, sizeof(efield), "%s[%zu]", field, i);
			if ((rc = secdb_entry(s, e, efield, pname, fixed)) < 0)
				return rc;
		}
	}
	return 0;
}

static int secdb_walk(struct secdb *s, json_t *root)
{
	vigil_slice urlprefix, apkurl, reponame;
	json_t *pkgs, *item;
	size_t i;
	int rc;
	if ((rc = vigil_json_want(root, JSON_OBJECT, "document")) < 0)
		return rc;
	if (json_object_get(root, "distroversion"))
		return vigil_error_set(VIGIL_EFORMAT, "an Alpine secdb (it has distroversion), not Wolfi's or Chainguard's");
	if ((rc = vigil_json_str(root, "", "urlprefix", VIGIL_JSON_TRIM, VIGIL_WOLFI_MAX_URL, &urlprefix)) < 0 ||
	    (rc = vigil_json_str(root, "", "apkurl", VIGIL_JSON_TRIM, VIGIL_WOLFI_MAX_URL, &apkurl)) < 0 ||
	    (rc = vigil_json_str(root, "", "reponame", VIGIL_JSON_TRIM, 64, &reponame)) < 0 ||
	    (rc = vigil_json_arr(root, "", "packages", 0, VIGIL_WOLFI_MAX_PACKAGES, &pkgs)) < 0)
		return rc;
	switch (flavour_of(urlprefix, apkurl, reponame)) {
	case FL_WOLFI:
		s->ns = FEED_WOLFI_NS, s->source = "wolfi";
		break;
	case FL_CHAINGUARD:
		s->ns = FEED_CHAINGUARD_NS, s->source = "chainguard";
		break;
	default: {
		char url[VIGIL_REDACT_MAX], raw[VIGIL_WOLFI_MAX_URL + 1];
		snprintf(raw, sizeof(raw), "%.*s", (int)urlprefix.len, urlprefix.ptr);
		return vigil_error_set(VIGIL_EFORMAT,
				       "urlprefix \"%s\", reponame \"%.*s\": neither Wolfi's (wolfi.dev, \"os\") nor Chainguard's (cgr.dev, \"chainguard\")",
				       vigil_redact_url(raw, url, sizeof(url)), (int)reponame.len, reponame.ptr);
	}
	}
	json_array_foreach(pkgs, i, item) {
		if ((rc = secdb_pkg(s, item, i)) < 0)
			return rc;
	}
	return 0;
}

int feed_wolfi_secdb(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct secdb s = { .ctx = ctx, .source = "wolfi" };
	json_error_t je;
	char text[256];
	json_t *root;
	int rc;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "wolfi secdb: no data");
	if (len > VIGIL_FEED_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "wolfi secdb: %zu bytes (limit %zu)", len, VIGIL_FEED_MAX_FILE);
	if (!(root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "wolfi secdb: bad JSON at line %d column %d: %s", je.line,
				       je.column, vigil_json_error_text(&je, text, sizeof(text)));
	if ((rc = secdb_walk(&s, root)) < 0)
		vigil_error_prefix("%s secdb: ", s.source);
	json_decref(root);
	return rc;
}

/* ---- advisories ---- */

struct osv_shim {
	vigil_feed_ctx *ctx;
	vigil_feed_emit_fn emit;
	void *ud;
};

/* A CGA record from feed/osv.c: source "chainguard" when it speaks of a
 * Chainguard package, else "wolfi"; "fixed in 0" is not-affected. */
static int shim_emit(void *ud, const vigil_vuln *in)
{
	struct osv_shim *sh = ud;
	vigil_vuln v = *in;
	vigil_affected *af = NULL;
	v.source = "wolfi";
	if (in->naffected && !(af = vigil_arena_calloc(sh->ctx->arena, in->naffected, sizeof(*af))))
		return vigil_error_code();
	for (size_t i = 0; i < in->naffected; i++) {
		af[i] = in->affected[i];
		if (af[i].namespace && !strcmp(af[i].namespace, FEED_CHAINGUARD_NS))
			v.source = "chainguard";
		if (af[i].state == VIGIL_STATE_FIXED && af[i].fixed && !strcmp(af[i].fixed, "0")) {
			af[i].state = VIGIL_STATE_NOT_AFFECTED;
			af[i].fixed = NULL;
		}
	}
	v.affected = af;
	return sh->emit(sh->ud, &v);
}

/* all.json: a list of {id, modified} and nothing else. */
static bool is_index(const char *data, size_t len)
{
	json_t *root = json_loadb(data, len, 0, NULL), *e;
	bool index = json_is_array(root);
	size_t i;
	json_array_foreach(root, i, e) {
		if (!json_is_object(e) || !json_is_string(json_object_get(e, "id")) || json_object_get(e, "affected") ||
		    json_object_get(e, "schema_version"))
			index = false;
	}
	json_decref(root);
	return index;
}

int feed_wolfi_advisory(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	size_t i = 0;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "wolfi advisory: no data");
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i < len && (data[i] == '{' || data[i] == '[')) {
		if (len > VIGIL_FEED_MAX_FILE)
			return vigil_error_set(VIGIL_ELIMIT, "osv: %zu bytes (limit %zu)", len, VIGIL_FEED_MAX_FILE);
		if (data[i] == '[' && is_index(data, len))
			return 0;
		struct osv_shim sh = { .ctx = ctx, .emit = ctx->emit, .ud = ctx->emit_ud };
		vigil_feed_ctx c = *ctx;
		c.emit = shim_emit;
		c.emit_ud = &sh;
		int rc = feed_osv(&c, data, len);
		ctx->warnings = c.warnings;
		return rc;
	}
	return feed_wolfi_adv_yaml(ctx, data, len);
}
