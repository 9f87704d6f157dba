/* db/fetch_repomd.c: the yum repository chain of `vigil db update` for the
 * feeds of kind VIGIL_SOURCE_REPOMD (Amazon Linux, Rocky Linux; see
 * docs/feeds-amazon-rocky.md). Each URL of such a feed is one of:
 *   .../mirror.list           its first http(s) line is the repository's
 *                             base URL (Amazon's CDN answers one);
 *   .../repodata/repomd.xml   the base is the URL less "/repodata/repomd.xml";
 *   anything else             one plain file, as VIGIL_SOURCE_FILES (a
 *                             mirror or a sources file naming the
 *                             updateinfo.xml.gz itself).
 * From the base, repodata/repomd.xml is read: its <data type="updateinfo">
 * names the file (<location href>, relative to the base) and its
 * <checksum type="sha256|sha512"> the digest of the bytes served. The
 * updateinfo is fetched into the feed's folder under the URL's file name
 * and checked against that digest (a mismatch removes it and fails the
 * feed, naming the URL). The mirror list and repomd.xml are kept beside it
 * as <file>.mirror.list and <file>.repomd.xml (the importer skips them:
 * they are no feed). Every GET is conditional (update_feed.c); from a
 * mirror (--mirror URL|DIR) the updateinfo file is taken as it is. */
#include "db/fetch.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/slice.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_CAP 4096
#define REPOMD_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS)

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool is_elem(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/* A location href vigil follows: relative, no "..", no query, safe bytes. */
static bool href_ok(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 512 || h[0] == '/' || strstr(h, "..") || strstr(h, "//"))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.' || c == '+' || c == '/'))
			return false;
	}
	return true;
}

int db_repomd_updateinfo(const char *data, size_t len, char *href, size_t hn, char *digest, size_t dn)
{
	xmlDoc *doc = NULL;
	const xmlNode *root, *found = NULL;
	int rc = 0;
	href[0] = digest[0] = '\0';
	if (len == 0 || len > VIGIL_REPOMD_MAX)
		return vigil_error_set(len ? VIGIL_ELIMIT : VIGIL_EFORMAT, "repomd.xml: %zu bytes (1 to %d)", len,
				       VIGIL_REPOMD_MAX);
	xmlInitParser();
	if (!(doc = xmlReadMemory(data, (int)len, "repomd.xml", NULL, REPOMD_XML_OPTIONS)))
		return vigil_error_set(VIGIL_EFORMAT, "repomd.xml: not well-formed XML");
	root = xmlDocGetRootElement(doc);
	if (doc->intSubset) {
		rc = vigil_error_set(VIGIL_EFORMAT, "repomd.xml: a DOCTYPE is not accepted");
		goto out;
	}
	if (!is_elem(root, "repomd")) {
		rc = vigil_error_set(VIGIL_EFORMAT, "repomd.xml: root element is not <repomd>");
		goto out;
	}
	for (const xmlNode *d = root->children; d && !found; d = d->next) {
		xmlChar *type = is_elem(d, "data") ? xmlGetProp(d, (const xmlChar *)"type") : NULL;
		if (type && strcmp((const char *)type, "updateinfo") == 0)
			found = d;
		xmlFree(type);
	}
	if (!found) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "repomd.xml: no <data type=\"updateinfo\"> (the repository "
						      "publishes no updateinfo)");
		goto out;
	}
	xmlChar *h = xmlGetProp(child(found, "location"), (const xmlChar *)"href");
	xmlChar *ct = xmlGetProp(child(found, "checksum"), (const xmlChar *)"type");
	xmlChar *cv = child(found, "checksum") ? xmlNodeGetContent(child(found, "checksum")) : NULL;
	vigil_slice alg = vigil_slice_cstr(ct ? (const char *)ct : "");
	vigil_slice hex = vigil_slice_trim(vigil_slice_cstr(cv ? (const char *)cv : ""));
	size_t hexlen = 0;
	if (!h || !href_ok((const char *)h) || strlen((const char *)h) >= hn)
		rc = vigil_error_set(VIGIL_EFORMAT, "repomd.xml: <data type=\"updateinfo\">: no usable <location href> "
						    "(relative, [A-Za-z0-9._+/-], at most 512 bytes)");
	else if (!vigil_digest_md(alg, &hexlen) || hex.len != hexlen || !vigil_hex_is_lower(hex) ||
		 alg.len + 1 + hex.len >= dn)
		rc = vigil_error_set(VIGIL_EFORMAT, "repomd.xml: <data type=\"updateinfo\">: no sha256 or sha512 "
						    "<checksum> (type '%.16s')",
				     (const char *)(ct ? ct : (xmlChar *)""));
	else {
		snprintf(href, hn, "%s", (const char *)h);
		snprintf(digest, dn, "%.*s:%.*s", (int)alg.len, alg.ptr, (int)hex.len, hex.ptr);
	}
	xmlFree(h);
	xmlFree(ct);
	xmlFree(cv);
out:
	xmlFreeDoc(doc);
	return rc;
}

int db_repomd_base(const char *data, size_t len, char *base, size_t n)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		line = vigil_slice_trim(line);
		if (!vigil_slice_starts_with(line, "http://") && !vigil_slice_starts_with(line, "https://"))
			continue;
		while (line.len && line.ptr[line.len - 1] == '/')
			line.len--;
		for (size_t i = 0; i < line.len; i++)
			if ((unsigned char)line.ptr[i] <= ' ' || line.ptr[i] == 0x7f || line.ptr[i] == '?' ||
			    line.ptr[i] == '#')
				return vigil_error_set(VIGIL_EFORMAT, "mirror.list: a URL with a space, query or fragment");
		if (line.len + 32 >= n || line.len + 32 >= VIGIL_SOURCES_MAX_URL)
			return vigil_error_set(VIGIL_ELIMIT, "mirror.list: a URL longer than %d bytes",
					       VIGIL_SOURCES_MAX_URL - 32);
		snprintf(base, n, "%.*s", (int)line.len, line.ptr);
		return 0;
	}
	return vigil_error_set(VIGIL_EFORMAT, "mirror.list: no http:// or https:// line");
}

static int read_file(const char *path, size_t cap, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rbe");
	struct stat st;
	*out = NULL;
	if (!fp)
		return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) != 0 || (size_t)st.st_size > cap) {
		fclose(fp);
		return vigil_error_set(VIGIL_ELIMIT, "%s: larger than %zu bytes", path, cap);
	}
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		fclose(fp);
		return vigil_error_oom();
	}
	*len = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	buf[*len] = '\0';
	*out = buf;
	return 0;
}

/* GET url into dl/file; *missing when an optional URL answered 404. */
static int get(vigil_feed_job *j, vigil_fetcher *f, const char *url, const char *file, bool optional,
	       const char *dl, char *path, bool *missing)
{
	vigil_feed_url *u = db_feed_job_url(j, url, file, optional);
	int rc = u ? db_feed_job_get(j, f, u, dl) : vigil_error_code();
	*missing = u && u->missing;
	if (rc == 0 && snprintf(path, PATH_CAP, "%s/%s", dl, file) >= PATH_CAP)
		rc = vigil_error_set(VIGIL_ELIMIT, "%s/%s: path too long", dl, file);
	return rc;
}

static int fail_url(int rc, const char *url)
{
	char red[VIGIL_SOURCES_MAX_URL + 64];
	vigil_error_prefix("%s: ", vigil_redact_url(url, red, sizeof(red)));
	return rc;
}

/* The repository's base URL, from the mirror list or the repomd.xml URL. */
static int repo_base(vigil_feed_job *j, vigil_fetcher *f, const vigil_source_url *su, const char *dl, char *base,
		     size_t n, bool *missing)
{
	char file[VIGIL_SOURCES_MAX_FILE + 32], path[PATH_CAP], *data = NULL;
	size_t len = 0;
	int rc;
	*missing = false;
	if (ends_with(su->url, "/repodata/repomd.xml")) {
		snprintf(base, n, "%.*s", (int)(strlen(su->url) - strlen("/repodata/repomd.xml")), su->url);
		return 0;
	}
	snprintf(file, sizeof(file), "%s.mirror.list", su->file);
	if ((rc = get(j, f, su->url, file, su->optional, dl, path, missing)) < 0 || *missing)
		return rc;
	if ((rc = read_file(path, 65536, &data, &len)) == 0)
		rc = db_repomd_base(data, len, base, n);
	free(data);
	return rc < 0 ? fail_url(rc, su->url) : 0;
}

int db_repomd_fetch(vigil_feed_job *j, vigil_fetcher *f, const vigil_source_url *su, const char *dl)
{
	char base[VIGIL_SOURCES_MAX_URL], url[VIGIL_SOURCES_MAX_URL + 600], file[VIGIL_SOURCES_MAX_FILE + 32];
	char path[PATH_CAP], href[600], digest[160], *data = NULL;
	size_t len = 0;
	bool missing = false;
	int rc;

	if (!ends_with(su->url, "/mirror.list") && !ends_with(su->url, "/repodata/repomd.xml")) {
		vigil_feed_url *u = db_feed_job_url(j, su->url, su->file, su->optional);
		return u ? db_feed_job_get(j, f, u, dl) : vigil_error_code();
	}
	if ((rc = repo_base(j, f, su, dl, base, sizeof(base), &missing)) < 0 || missing)
		return rc;
	snprintf(url, sizeof(url), "%s/repodata/repomd.xml", base);
	snprintf(file, sizeof(file), "%s.repomd.xml", su->file);
	if ((rc = get(j, f, url, file, su->optional, dl, path, &missing)) < 0 || missing)
		return rc;
	if ((rc = read_file(path, VIGIL_REPOMD_MAX, &data, &len)) == 0)
		rc = db_repomd_updateinfo(data, len, href, sizeof(href), digest, sizeof(digest));
	free(data);
	data = NULL;
	if (rc < 0)
		return fail_url(rc, url);
	snprintf(url, sizeof(url), "%s/%s", base, href);
	if ((rc = get(j, f, url, su->file, false, dl, path, &missing)) < 0)
		return rc;
	if ((rc = read_file(path, (size_t)j->lim->max_bytes, &data, &len)) == 0 &&
	    (rc = vigil_digest_verify(digest, data, len, "updateinfo")) < 0)
		unlink(path); /* never imported, never answered 304 next time */
	free(data);
	return rc < 0 ? fail_url(rc, url) : 0;
}
