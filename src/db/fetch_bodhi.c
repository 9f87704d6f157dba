/* db/fetch_bodhi.c: the Bodhi /updates/ API of Fedora, page by page
 * (VIGIL_SOURCE_BODHI_PAGES). Each URL of the feed is one query
 * (https://bodhi.fedoraproject.org/updates/?type=security&status=stable&releases=F42);
 * its pages are asked with "&page=N" (and "&rows_per_page=100", the API's
 * largest, when the URL does not say) from 1 until the "pages" the answers
 * give, and saved as <file>-NNNNN.json in the feed's download folder, each
 * through update_feed.c's one conditional GET. Every answer must say the
 * page asked for; pages left over from a longer run are removed. From a
 * mirror URL the same loop reads <mirror>/<feed>/<file>-NNNNN.json: the
 * saved pages carry their own "page" and "pages". The importer then reads
 * each page as a feed file (feed/fedora_bodhi.c). The loop is the NVD's
 * (update_feed.c) with the API's own paging keys. */
#include "db/fetch.h"
#include "util/error.h"
#include "util/file.h"
#include "util/redact.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The API's largest page, asked for when the URL does not say. */
#define BODHI_ROWS 100

int db_bodhi_page_info(const char *data, size_t len, int64_t *page, int64_t *pages)
{
	json_error_t err;
	json_t *root = json_loadb(data, len, 0, &err), *p, *ps;
	int rc = 0;
	if (!root)
		return vigil_error_set(VIGIL_EFORMAT, "Bodhi page: not JSON: line %d column %d", err.line, err.column);
	p = json_object_get(root, "page");
	ps = json_object_get(root, "pages");
	if (!json_is_integer(p) || !json_is_integer(ps) || !json_is_array(json_object_get(root, "updates")))
		rc = vigil_error_set(VIGIL_EFORMAT, "Bodhi page: want integers page and pages and an array updates");
	else if ((*page = json_integer_value(p)) < 1 || (*pages = json_integer_value(ps)) < 0 ||
		 *pages > VIGIL_BODHI_MAX_PAGES)
		rc = vigil_error_set(VIGIL_ELIMIT, "Bodhi page: page %lld of %lld (limit %d pages)",
				     (long long)json_integer_value(p), (long long)json_integer_value(ps),
				     VIGIL_BODHI_MAX_PAGES);
	json_decref(root);
	return rc;
}

/* The URL and file name of one page. */
static int page_url(const vigil_feed_job *j, const vigil_source_url *su, int page, char *url, size_t un,
		    char *file, size_t fn)
{
	const char *base = su->url;
	char sep = strchr(base, '?') ? '&' : '?';
	int w = snprintf(file, fn, "%s-%05d.json", su->file, page), u;
	if (j->mirror_url)
		u = snprintf(url, un, "%s/%s/%s", j->mirror_url, j->src->name, file);
	else if (strstr(base, "rows_per_page="))
		u = snprintf(url, un, "%s%cpage=%d", base, sep, page);
	else
		u = snprintf(url, un, "%s%crows_per_page=%d&page=%d", base, sep, BODHI_ROWS, page);
	if (w < 0 || (size_t)w >= fn || u < 0 || (size_t)u >= un)
		return vigil_error_set(VIGIL_ELIMIT, "%s: page %d: URL or file name too long", j->src->name, page);
	return 0;
}

/* One query's pages. */
static int one_query(vigil_feed_job *j, vigil_fetcher *f, const char *dl, const vigil_source_url *su)
{
	char url[VIGIL_SOURCES_MAX_URL + 512], file[VIGIL_SOURCES_MAX_FILE + 16], path[4096];
	char shown[VIGIL_SOURCES_MAX_URL + 512];
	int64_t pages = -1;
	int page = 1, rc;
	while (pages < 0 || page <= pages) {
		if (page > VIGIL_BODHI_MAX_PAGES)
			return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d pages",
					       vigil_redact_url(su->url, shown, sizeof(shown)), VIGIL_BODHI_MAX_PAGES);
		if ((rc = page_url(j, su, page, url, sizeof(url), file, sizeof(file))) < 0)
			return rc;
		vigil_feed_url *u = db_feed_job_url(j, url, file, false);
		if (!u)
			return vigil_error_code();
		if ((rc = db_feed_job_get(j, f, u, dl)) < 0)
			return rc;
		if (snprintf(path, sizeof(path), "%s/%s", dl, file) >= (int)sizeof(path))
			return vigil_error_set(VIGIL_ELIMIT, "%s/%s: path too long", dl, file);
		char *data = NULL;
		size_t len = 0;
		int64_t got = 0;
		if ((rc = vigil_file_read(path, (size_t)j->lim->max_bytes, &data, &len)) == 0)
			rc = db_bodhi_page_info(data, len, &got, &pages);
		free(data);
		if (rc == 0 && got != page)
			rc = vigil_error_set(VIGIL_EFORMAT, "the answer is page %lld, not %d", (long long)got, page);
		if (rc < 0) {
			/* a bad page is not kept: its validators would make the next run's answer a 304 */
			unlink(path);
			vigil_error_prefix("%s: ", vigil_redact_url(url, shown, sizeof(shown)));
			return rc;
		}
		page++;
	}
	for (int k = page; k <= VIGIL_BODHI_MAX_PAGES; k++) {
		snprintf(file, sizeof(file), "%s-%05d.json", su->file, k);
		if (snprintf(path, sizeof(path), "%s/%s", dl, file) >= (int)sizeof(path) || unlink(path) != 0)
			break;
		j->all_not_modified = false; /* fewer pages than before: changed */
	}
	return 0;
}

int db_bodhi_pages(vigil_feed_job *j, vigil_fetcher *f, const char *dl)
{
	int rc = 0;
	if (!j->src->nurls)
		return vigil_error_set(VIGIL_EINVAL, "%s: no URL", j->src->name);
	for (size_t i = 0; i < j->src->nurls && rc == 0; i++)
		rc = one_query(j, f, dl, &j->src->urls[i]);
	return rc;
}
