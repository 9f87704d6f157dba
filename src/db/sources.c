/* db/sources.c: the catalog of vulnerability feeds that `vigil db update`
 * fetches: for each feed its upstream URLs and the file name each gets in
 * the feed's folder (and on a mirror), the sources file and NAME=URL
 * overrides that replace them, and the reading of an NVD API page's
 * paging fields. Every upstream URL is public and needs no account; see
 * docs/db-update.md for where each comes from. */
#include "db/fetch.h"
#include "util/error.h"
#include "util/slice.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEBIAN_LISTS "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/"
#define OSV_BUCKET "https://osv-vulnerabilities.storage.googleapis.com/"
#define RH_OVAL "https://security.access.redhat.com/data/oval/v2/"
#define UBUNTU_OVAL "https://security-metadata.canonical.com/oval/"
#define ALPINE_SECDB "https://secdb.alpinelinux.org/"
#define GITHUB "https://github.com/"
/* Alpine releases asked for: secdb keeps old ones listed; a release that is
 * not (yet) there answers 404 and is skipped. */
#define ALPINE_FIRST_MINOR 2
#define ALPINE_LAST_MINOR 24

bool db_source_name_ok(const char *name, size_t len)
{
	if (len == 0 || len > 31)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

bool db_source_file_ok(const char *name, size_t len)
{
	if (len == 0 || len > VIGIL_SOURCES_MAX_FILE || name[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == '+'))
			return false;
	}
	return true;
}

static bool url_ok(const char *u, size_t len)
{
	if (len > VIGIL_SOURCES_MAX_URL)
		return false;
	size_t scheme;
	if (len > 8 && strncasecmp(u, "https://", 8) == 0)
		scheme = 8;
	else if (len > 7 && strncasecmp(u, "http://", 7) == 0)
		scheme = 7;
	else
		return false;
	if (u[scheme] == '/' || u[scheme] == '?' || u[scheme] == '#')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == 0x7f)
			return false;
	return true;
}

/* The file name for url: its last path segment, made safe; "index" when
 * there is none. */
static void file_from_url(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	const char *end = host + strcspn(host, "?#");
	const char *path = memchr(host, '/', (size_t)(end - host));
	size_t k = 0;
	if (path) {
		while (end > path && end[-1] == '/')
			end--;
		const char *p = end;
		while (p > path && p[-1] != '/')
			p--;
		for (; p < end && k + 1 < n && k < VIGIL_SOURCES_MAX_FILE; p++) {
			char c = *p;
			bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				  c == '-' || c == '_' || c == '.' || c == '+';
			out[k++] = ok ? c : '_';
		}
	}
	out[k] = '\0';
	if (k == 0 || out[0] == '.') {
		char tmp[VIGIL_SOURCES_MAX_FILE + 8];
		snprintf(tmp, sizeof(tmp), "index%.*s", VIGIL_SOURCES_MAX_FILE - 6, out);
		snprintf(out, n, "%s", tmp);
	}
}

vigil_source *db_source_add(vigil_sources *s, const char *name, vigil_source_kind kind)
{
	if (s->n >= VIGIL_SOURCES_MAX_FEEDS) {
		vigil_error_set(VIGIL_ELIMIT, "more than %d feeds", VIGIL_SOURCES_MAX_FEEDS);
		return NULL;
	}
	vigil_source *nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	if (!nv) {
		vigil_error_oom();
		return NULL;
	}
	s->v = nv;
	vigil_source *src = &s->v[s->n++];
	memset(src, 0, sizeof(*src));
	snprintf(src->name, sizeof(src->name), "%s", name);
	src->kind = kind;
	if (!strcmp(name, "ubuntu"))
		src->keep_dir = "active"; /* the tracker's open CVEs; not retired/, scripts/ */
	return src;
}

/* Adds url to src; file NULL: derived from the URL. Two URLs of a feed
 * never share a file name. */
int db_source_add_url(vigil_source *src, const char *url, const char *file, bool optional)
{
	char name[VIGIL_SOURCES_MAX_FILE + 16];
	if (src->nurls >= VIGIL_SOURCES_MAX_URLS)
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d URLs", src->name, VIGIL_SOURCES_MAX_URLS);
	if (src->kind == VIGIL_SOURCE_NVD_PAGES && src->nurls > 0)
		return vigil_error_set(VIGIL_EINVAL, "%s: the NVD API is one URL, fetched page by page", src->name);
	if (file)
		snprintf(name, sizeof(name), "%s", file);
	else
		file_from_url(url, name, sizeof(name));
	for (size_t i = 0; i < src->nurls; i++) {
		if (strcmp(src->urls[i].file, name) != 0)
			continue;
		if (file)
			return vigil_error_set(VIGIL_EINVAL, "%s: two URLs are named %s", src->name, name);
		char tmp[sizeof(name)];
		snprintf(tmp, sizeof(tmp), "%zu-%.*s", src->nurls + 1, VIGIL_SOURCES_MAX_FILE - 8, name);
		memcpy(name, tmp, sizeof(name));
		i = (size_t)-1; /* check the new name again */
	}
	if (src->nurls == src->cap) {
		size_t nc = src->cap ? src->cap * 2 : 8;
		vigil_source_url *nu = realloc(src->urls, nc * sizeof(*nu));
		if (!nu)
			return vigil_error_oom();
		src->urls = nu;
		src->cap = nc;
	}
	vigil_source_url *u = &src->urls[src->nurls];
	u->url = strdup(url);
	u->file = strdup(name);
	u->optional = optional;
	if (!u->url || !u->file) {
		free(u->url);
		free(u->file);
		return vigil_error_oom();
	}
	src->nurls++;
	return 0;
}

static void clear_urls(vigil_source *src)
{
	for (size_t i = 0; i < src->nurls; i++) {
		free(src->urls[i].url);
		free(src->urls[i].file);
	}
	src->nurls = 0;
}

void db_sources_free(vigil_sources *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		clear_urls(&s->v[i]);
		free(s->v[i].urls);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

vigil_source *db_sources_find(vigil_sources *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

/* The language advisory databases that are not OSV: each a snapshot of
 * its repository (docs/feeds-lang.md). */
static int add_lang_repos(vigil_sources *s)
{
	static const struct {
		const char *feed, *url, *file, *keep;
	} repos[] = {
		{ "rubysec", GITHUB "rubysec/ruby-advisory-db/archive/refs/heads/master.tar.gz",
		  "ruby-advisory-db.tar.gz", "gems" },
		{ "friendsofphp", GITHUB "FriendsOfPHP/security-advisories/archive/refs/heads/master.tar.gz",
		  "security-advisories.tar.gz", NULL },
		{ "nodejs-wg", GITHUB "nodejs/security-wg/archive/refs/heads/main.tar.gz", "security-wg.tar.gz",
		  "npm" },
	};
	for (size_t i = 0; i < sizeof(repos) / sizeof(repos[0]); i++) {
		vigil_source *src = db_source_add(s, repos[i].feed, VIGIL_SOURCE_FILES);
		int rc;
		if (!src)
			return vigil_error_code();
		src->keep_dir = repos[i].keep;
		if ((rc = db_source_add_url(src, repos[i].url, repos[i].file, false)) < 0)
			return rc;
	}
	return 0;
}

static int add_defaults(vigil_sources *s)
{
	static const char *const osv_ecosystems[] = { "Go", "PyPI", "npm", "Maven", "crates.io",
						      "RubyGems", "Packagist", "NuGet" };
	static const char *const rhel[] = { "7", "8", "9" };
	static const char *const ubuntu_lts[] = { "bionic", "focal", "jammy", "noble" };
	vigil_source *src;
	char url[256], file[64];
	int rc = 0;

	if (!(src = db_source_add(s, "debian", VIGIL_SOURCE_FILES)) ||
	    (rc = db_source_add_url(src, "https://security-tracker.debian.org/tracker/data/json", "tracker.json", false)) < 0)
		return src ? rc : vigil_error_code();
	if (!(src = db_source_add(s, "debian-lists", VIGIL_SOURCE_FILES)) ||
	    (rc = db_source_add_url(src, DEBIAN_LISTS "DSA/list", "DSA-list", false)) < 0 ||
	    (rc = db_source_add_url(src, DEBIAN_LISTS "DLA/list", "DLA-list", false)) < 0)
		return src ? rc : vigil_error_code();
	if (!(src = db_source_add(s, "ubuntu", VIGIL_SOURCE_FILES)) ||
	    (rc = db_source_add_url(src, "https://git.launchpad.net/ubuntu-cve-tracker/snapshot/ubuntu-cve-tracker-master.tar.gz",
			  "ubuntu-cve-tracker.tar.gz", false)) < 0)
		return src ? rc : vigil_error_code();
	if (!(src = db_source_add(s, "ubuntu-oval", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(ubuntu_lts) / sizeof(ubuntu_lts[0]) && rc == 0; i++) {
		snprintf(url, sizeof(url), UBUNTU_OVAL "com.ubuntu.%s.cve.oval.xml.bz2", ubuntu_lts[i]);
		rc = db_source_add_url(src, url, NULL, false);
	}
	if (rc < 0)
		return rc;
	if (!(src = db_source_add(s, "alpine", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	for (int m = ALPINE_FIRST_MINOR; m <= ALPINE_LAST_MINOR && rc == 0; m++) {
		for (int r = 0; r < 2 && rc == 0; r++) {
			const char *repo = r ? "community" : "main";
			snprintf(url, sizeof(url), ALPINE_SECDB "v3.%d/%s.json", m, repo);
			snprintf(file, sizeof(file), "v3.%d-%s.json", m, repo);
			rc = db_source_add_url(src, url, file, true);
		}
	}
	if (rc < 0)
		return rc;
	if (!(src = db_source_add(s, "redhat-oval", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(rhel) / sizeof(rhel[0]) && rc == 0; i++) {
		snprintf(url, sizeof(url), RH_OVAL "RHEL%s/rhel-%s.oval.xml.bz2", rhel[i], rhel[i]);
		snprintf(file, sizeof(file), "rhel-%s.oval.xml.bz2", rhel[i]);
		rc = db_source_add_url(src, url, file, false);
	}
	if (rc == 0)
		rc = db_source_add_url(src, RH_OVAL "RHEL10/rhel-10.oval.xml.bz2", "rhel-10.oval.xml.bz2", true);
	if (rc < 0)
		return rc;
	if (!(src = db_source_add(s, "osv", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(osv_ecosystems) / sizeof(osv_ecosystems[0]) && rc == 0; i++) {
		snprintf(url, sizeof(url), OSV_BUCKET "%s/all.zip", osv_ecosystems[i]);
		snprintf(file, sizeof(file), "%s-all.zip", osv_ecosystems[i]);
		rc = db_source_add_url(src, url, file, false);
	}
	if (rc < 0)
		return rc;
	if ((rc = add_lang_repos(s)) < 0)
		return rc;
	if ((rc = db_sources_add_vendors(s)) < 0) /* the families of issue 16: sources_vendor.c */
		return rc;
	if (!(src = db_source_add(s, "nvd", VIGIL_SOURCE_NVD_PAGES)))
		return vigil_error_code();
	return db_source_add_url(src, "https://services.nvd.nist.gov/rest/json/cves/2.0", "page", false);
}

int db_sources_default(vigil_sources *out)
{
	memset(out, 0, sizeof(*out));
	int rc = add_defaults(out);
	if (rc < 0)
		db_sources_free(out);
	return rc;
}

/* One entry of a sources file or an override. */
static int apply(vigil_sources *s, vigil_slice name, vigil_slice url, vigil_slice file, bool optional,
		 const char *where)
{
	char nm[32], u[VIGIL_SOURCES_MAX_URL + 1], f[VIGIL_SOURCES_MAX_FILE + 1];
	if (!db_source_name_ok(name.ptr, name.len))
		return vigil_error_set(VIGIL_EFORMAT, "%s: '%.*s' is not a feed name (a-z, 0-9, '-', at most 31)",
				       where, (int)(name.len > 64 ? 64 : name.len), name.ptr);
	if (!url_ok(url.ptr, url.len))
		return vigil_error_set(VIGIL_EFORMAT, "%s: '%.*s' is not an http:// or https:// URL (at most %d bytes)",
				       where, (int)(url.len > 200 ? 200 : url.len), url.ptr, VIGIL_SOURCES_MAX_URL);
	if (file.len && !db_source_file_ok(file.ptr, file.len))
		return vigil_error_set(VIGIL_EFORMAT, "%s: '%.*s' is not a file name ([A-Za-z0-9._+-], at most %d)",
				       where, (int)(file.len > 200 ? 200 : file.len), file.ptr, VIGIL_SOURCES_MAX_FILE);
	memcpy(nm, name.ptr, name.len);
	nm[name.len] = '\0';
	memcpy(u, url.ptr, url.len);
	u[url.len] = '\0';
	if (file.len)
		memcpy(f, file.ptr, file.len);
	f[file.len] = '\0';
	vigil_source *src = db_sources_find(s, nm);
	if (!src && !(src = db_source_add(s, nm, !strcmp(nm, "nvd") ? VIGIL_SOURCE_NVD_PAGES : VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	if (!src->overridden) {
		clear_urls(src);
		src->overridden = true;
	}
	int rc = db_source_add_url(src, u, file.len ? f : NULL, optional);
	if (rc < 0)
		vigil_error_prefix("%s: ", where);
	return rc;
}

static vigil_slice next_word(vigil_slice *line)
{
	size_t i = 0;
	while (i < line->len && (line->ptr[i] == ' ' || line->ptr[i] == '\t'))
		i++;
	size_t start = i;
	while (i < line->len && line->ptr[i] != ' ' && line->ptr[i] != '\t')
		i++;
	vigil_slice w = vigil_slice_make(line->ptr + start, i - start);
	*line = vigil_slice_sub(*line, i, line->len);
	return w;
}

int db_sources_parse_config(vigil_sources *s, const char *text, size_t len, const char *origin)
{
	vigil_slice in = vigil_slice_make(text, len), line;
	size_t lineno = 0;
	char where[600];
	if (len > VIGIL_SOURCES_MAX_CONFIG)
		return vigil_error_set(VIGIL_ELIMIT, "%s: larger than %zu bytes", origin, VIGIL_SOURCES_MAX_CONFIG);
	db_sources_new_layer(s);
	while (vigil_slice_next_line(&in, &line)) {
		lineno++;
		snprintf(where, sizeof(where), "%.500s:%zu", origin, lineno);
		if (line.len > VIGIL_SOURCES_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "%s: line longer than %d bytes", where, VIGIL_SOURCES_MAX_LINE);
		if (memchr(line.ptr, '\0', line.len))
			return vigil_error_set(VIGIL_EFORMAT, "%s: NUL byte", where);
		line = vigil_slice_trim(line);
		if (line.len == 0 || line.ptr[0] == '#')
			continue;
		vigil_slice name = next_word(&line), url = next_word(&line), w3 = next_word(&line),
			    w4 = next_word(&line), file = { 0 };
		bool optional = false;
		if (url.len == 0)
			return vigil_error_set(VIGIL_EFORMAT, "%s: want 'NAME URL [FILE] [optional]'", where);
		if (vigil_slice_eq_cstr(w3, "optional") && w4.len == 0) {
			optional = true;
		} else {
			file = w3;
			if (w4.len && !vigil_slice_eq_cstr(w4, "optional"))
				return vigil_error_set(VIGIL_EFORMAT, "%s: '%.*s': want 'optional' or nothing after the file name",
						       where, (int)(w4.len > 64 ? 64 : w4.len), w4.ptr);
			optional = w4.len > 0;
		}
		if (next_word(&line).len)
			return vigil_error_set(VIGIL_EFORMAT, "%s: too many words (want 'NAME URL [FILE] [optional]')", where);
		int rc = apply(s, name, url, file, optional, where);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void db_sources_new_layer(vigil_sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->v[i].overridden = false;
}

int db_sources_override(vigil_sources *s, const char *name_eq_url)
{
	vigil_slice all = vigil_slice_cstr(name_eq_url), name, url;
	if (!vigil_slice_split(all, '=', &name, &url) || url.len == 0)
		return vigil_error_set(VIGIL_EINVAL, "--source-url '%.200s': want NAME=URL", name_eq_url);
	return apply(s, name, url, vigil_slice_make(NULL, 0), false, "--source-url");
}

int db_nvd_page_info(const char *data, size_t len, int64_t *start, int64_t *total, int64_t *count)
{
	json_error_t err;
	json_t *root = json_loadb(data, len, 0, &err);
	int rc = 0;
	if (!root)
		return vigil_error_set(VIGIL_EFORMAT, "NVD page: not JSON: line %d: %s", err.line, err.text);
	json_t *si = json_object_get(root, "startIndex"), *tr = json_object_get(root, "totalResults"),
	       *vs = json_object_get(root, "vulnerabilities");
	if (!json_is_integer(si) || !json_is_integer(tr) || !json_is_array(vs)) {
		rc = vigil_error_set(VIGIL_EFORMAT,
				     "NVD page: want integers startIndex and totalResults and an array vulnerabilities");
		goto out;
	}
	*start = json_integer_value(si);
	*total = json_integer_value(tr);
	*count = (int64_t)json_array_size(vs);
	if (*start < 0 || *total < 0 || *total > VIGIL_NVD_MAX_TOTAL)
		rc = vigil_error_set(VIGIL_ELIMIT, "NVD page: startIndex %lld, totalResults %lld (limit %d)",
				     (long long)*start, (long long)*total, VIGIL_NVD_MAX_TOTAL);
out:
	json_decref(root);
	return rc;
}
