/* db/update_feed.c: one feed's part of `vigil db update`, run on a thread
 * of its own: download each of its URLs into <cache>/<feed>/download/
 * (conditionally, with the validators the store kept; the NVD API page by
 * page), or take the files of a mirror folder, then unpack its archives
 * into <cache>/<feed>/unpacked/ and list the paths to import. Nothing here
 * writes to the store: the updater imports on its own thread. */
#include "db/fetch.h"
#include "store/store_fetch.h"
#include "util/dirlist.h"
#include "util/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PATH_CAP 4096
/* The NVD API's page size when the URL does not say (its maximum). */
#define NVD_PAGE_SIZE 2000

static void job_warn(vigil_feed_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void job_warn(vigil_feed_job *j, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (w < 0)
		return;
	size_t k = strlen(line);
	line[k++] = '\n';
	char *nw = realloc(j->warnings, j->warnings_len + k + 1);
	if (!nw)
		return;
	memcpy(nw + j->warnings_len, line, k);
	j->warnings_len += k;
	nw[j->warnings_len] = '\0';
	j->warnings = nw;
}

static int path_join(char *out, size_t n, const char *a, const char *b, const char *c)
{
	int w = c ? snprintf(out, n, "%s/%s/%s", a, b, c) : snprintf(out, n, "%s/%s", a, b);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "%s/%s: path too long", a, b);
	return 0;
}

static int add_path(vigil_feed_job *j, const char *p)
{
	if (j->npaths == j->cpaths) {
		size_t nc = j->cpaths ? j->cpaths * 2 : 16;
		char **np = realloc(j->paths, nc * sizeof(*np));
		if (!np)
			return vigil_error_oom();
		j->paths = np;
		j->cpaths = nc;
	}
	if (!(j->paths[j->npaths] = strdup(p)))
		return vigil_error_oom();
	j->npaths++;
	return 0;
}

static vigil_feed_url *add_url(vigil_feed_job *j, const char *url, const char *file, bool optional)
{
	if (j->nurls == j->curls) {
		size_t nc = j->curls ? j->curls * 2 : 16;
		vigil_feed_url *nu = realloc(j->urls, nc * sizeof(*nu));
		if (!nu) {
			vigil_error_oom();
			return NULL;
		}
		j->urls = nu;
		j->curls = nc;
	}
	vigil_feed_url *u = &j->urls[j->nurls];
	memset(u, 0, sizeof(*u));
	u->url = strdup(url);
	u->file = strdup(file);
	u->optional = optional;
	if (!u->url || !u->file) {
		free(u->url);
		free(u->file);
		vigil_error_oom();
		return NULL;
	}
	j->nurls++;
	return u;
}

/* One GET into download/<file>, conditional when the file is there and
 * the store has its validators. */
static int fetch_one(vigil_feed_job *j, vigil_fetcher *f, vigil_feed_url *u, const char *dl)
{
	char dest[PATH_CAP], etag[VIGIL_FETCH_MAX_VALIDATOR] = "", lm[VIGIL_FETCH_MAX_VALIDATOR] = "";
	char key[600];
	const char *headers[2] = { NULL, NULL };
	vigil_fetch_resp resp;
	int rc = path_join(dest, sizeof(dest), dl, u->file, NULL);
	if (rc < 0)
		return rc;
	u->had_file = access(dest, F_OK) == 0;
	if (u->had_file && store_fetch_get(j->store, u->url, etag, sizeof(etag), lm, sizeof(lm)) < 0)
		etag[0] = lm[0] = '\0';
	if (j->nvd_api_key && j->src->kind == VIGIL_SOURCE_NVD_PAGES && !j->mirror_url) {
		snprintf(key, sizeof(key), "apiKey: %.500s", j->nvd_api_key);
		headers[0] = key;
	}
	vigil_fetch_req req = { .url = u->url, .dest = dest, .etag = etag, .last_modified = lm,
				.headers = headers, .missing_ok = u->optional };
	j->requests++;
	if ((rc = db_fetch(f, &req, &resp)) < 0) {
		j->unreachable = resp.unreachable;
		return rc;
	}
	if (resp.missing) {
		u->missing = true;
		j->skipped++;
		if (u->had_file)
			unlink(dest);
		job_warn(j, "%s: %s: not found (404), skipped", j->src->name, u->url);
	} else if (resp.not_modified) {
		u->not_modified = true;
		j->not_modified++;
	} else {
		u->fetched = true;
		snprintf(u->etag, sizeof(u->etag), "%s", resp.etag);
		snprintf(u->last_modified, sizeof(u->last_modified), "%s", resp.last_modified);
	}
	return 0;
}

static int read_small(const char *path, int64_t cap, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rbe");
	struct stat st;
	*out = NULL;
	if (!fp)
		return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) != 0 || st.st_size > cap) {
		fclose(fp);
		return vigil_error_set(VIGIL_ELIMIT, "%s: larger than %lld bytes", path, (long long)cap);
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

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The NVD CVE API 2.0, page by page: startIndex moves by the number of
 * records each page holds until totalResults. From a mirror, the pages are
 * URL/nvd/page-NNNNN.json. Pages left over from a longer run are removed. */
static int nvd_pages(vigil_feed_job *j, vigil_fetcher *f, const char *dl)
{
	const char *base = j->src->urls[0].url;
	bool sized = strstr(base, "resultsPerPage=") != NULL;
	int64_t start = 0, total = -1;
	int page = 0, rc = 0;
	char url[VIGIL_SOURCES_MAX_URL + 128], file[32], path[PATH_CAP];
	while (total < 0 || start < total) {
		if (page >= VIGIL_NVD_MAX_PAGES)
			return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d pages", base, VIGIL_NVD_MAX_PAGES);
		if (j->mirror_url)
			snprintf(url, sizeof(url), "%s/%s/page-%05d.json", j->mirror_url, j->src->name, page);
		else if (sized)
			snprintf(url, sizeof(url), "%s%cstartIndex=%lld", base, strchr(base, '?') ? '&' : '?',
				 (long long)start);
		else
			snprintf(url, sizeof(url), "%s%cresultsPerPage=%d&startIndex=%lld", base,
				 strchr(base, '?') ? '&' : '?', NVD_PAGE_SIZE, (long long)start);
		snprintf(file, sizeof(file), "page-%05d.json", page);
		if (page > 0 && j->nvd_delay_ms > 0)
			pause_ms(j->nvd_delay_ms);
		vigil_feed_url *u = add_url(j, url, file, false);
		if (!u)
			return vigil_error_code();
		if ((rc = fetch_one(j, f, u, dl)) < 0 || (rc = path_join(path, sizeof(path), dl, file, NULL)) < 0)
			return rc;
		char *data = NULL;
		size_t len = 0;
		int64_t s0 = 0, tot = 0, count = 0;
		if ((rc = read_small(path, j->lim->max_bytes, &data, &len)) == 0)
			rc = db_nvd_page_info(data, len, &s0, &tot, &count);
		free(data);
		if (rc < 0) {
			vigil_error_prefix("%s: ", url);
			return rc;
		}
		if (s0 != start)
			return vigil_error_set(VIGIL_EFORMAT, "%s: the page starts at %lld, not %lld", url,
					       (long long)s0, (long long)start);
		if (count == 0 && start < tot)
			return vigil_error_set(VIGIL_EFORMAT, "%s: an empty page at %lld of %lld", url,
					       (long long)start, (long long)tot);
		total = tot;
		start += count;
		page++;
	}
	for (int k = page; k < VIGIL_NVD_MAX_PAGES; k++) {
		snprintf(file, sizeof(file), "page-%05d.json", k);
		if (path_join(path, sizeof(path), dl, file, NULL) < 0 || unlink(path) != 0)
			break;
		j->all_not_modified = false; /* fewer pages than before: changed */
	}
	return 0;
}

/* "<size> <mtime ns>" of a file: when it differs from the stamp of the
 * last unpack, the archive changed. */
static void stamp_of(const char *path, char *out, size_t n)
{
	struct stat st;
	if (stat(path, &st) != 0)
		snprintf(out, n, "none");
	else
		snprintf(out, n, "%lld %lld.%09ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec);
}

/* The folder an archive is unpacked into, unpacked again only when the
 * archive changed since. */
static int unpack_cached(vigil_feed_job *j, const char *archive, const char *name)
{
	char dir[PATH_CAP], d[PATH_CAP], tmp[PATH_CAP], stampf[PATH_CAP], want[96], have[96] = "";
	int rc;
	if ((rc = path_join(dir, sizeof(dir), j->cache_dir, j->src->name, "unpacked")) < 0 ||
	    (rc = db_mkdirs(dir)) < 0)
		return rc;
	if (snprintf(d, sizeof(d), "%s/%s.d", dir, name) >= (int)sizeof(d) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= (int)sizeof(tmp) ||
	    snprintf(stampf, sizeof(stampf), "%s/%s.stamp", dir, name) >= (int)sizeof(stampf))
		return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", dir);
	stamp_of(archive, want, sizeof(want));
	FILE *fp = fopen(stampf, "re");
	if (fp) {
		if (!fgets(have, sizeof(have), fp))
			have[0] = '\0';
		fclose(fp);
	}
	struct stat st;
	if (strcmp(have, want) == 0 && stat(d, &st) == 0 && S_ISDIR(st.st_mode))
		return add_path(j, d);
	int64_t files = 0;
	unlink(stampf);
	if ((rc = db_remove_tree(tmp)) < 0 || (rc = db_unpack(archive, tmp, j->src->keep_dir, &files)) < 0)
		return rc;
	if ((rc = db_remove_tree(d)) < 0)
		return rc;
	if (rename(tmp, d) != 0)
		return vigil_error_set(VIGIL_EIO, "cannot rename %s to %s: %s", tmp, d, strerror(errno));
	if ((fp = fopen(stampf, "we"))) {
		fputs(want, fp);
		fclose(fp);
	}
	return add_path(j, d);
}

static int from_network(vigil_feed_job *j)
{
	char dl[PATH_CAP], path[PATH_CAP];
	vigil_fetcher *f = NULL;
	int rc;
	if ((rc = path_join(dl, sizeof(dl), j->cache_dir, j->src->name, "download")) < 0 ||
	    (rc = db_mkdirs(dl)) < 0 || (rc = db_fetcher_new(j->lim, j->progress, j->ud, &f)) < 0)
		return rc;
	j->all_not_modified = true;
	if (j->src->kind == VIGIL_SOURCE_NVD_PAGES) {
		rc = j->src->nurls ? nvd_pages(j, f, dl)
				   : vigil_error_set(VIGIL_EINVAL, "%s: no URL", j->src->name);
	} else if (j->src->kind == VIGIL_SOURCE_BODHI_PAGES) {
		rc = db_bodhi_pages(j, f, dl);
	} else {
		for (size_t i = 0; i < j->src->nurls && rc == 0; i++) {
			const vigil_source_url *su = &j->src->urls[i];
			char murl[VIGIL_SOURCES_MAX_URL + 256];
			if (j->src->kind == VIGIL_SOURCE_REPOMD && !j->mirror_url) {
				rc = db_repomd_fetch(j, f, su, dl);
				continue;
			}
			if (j->mirror_url)
				snprintf(murl, sizeof(murl), "%s/%s/%s", j->mirror_url, j->src->name, su->file);
			vigil_feed_url *u = add_url(j, j->mirror_url ? murl : su->url, su->file, su->optional);
			rc = u ? fetch_one(j, f, u, dl) : vigil_error_code();
		}
	}
	db_fetcher_free(f);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < j->nurls && rc == 0; i++) {
		vigil_feed_url *u = &j->urls[i];
		if (!u->not_modified && !(u->missing && !u->had_file))
			j->all_not_modified = false;
		if (u->missing)
			continue;
		if ((rc = path_join(path, sizeof(path), dl, u->file, NULL)) < 0)
			break;
		rc = db_unpack_is_archive(u->file) ? unpack_cached(j, path, u->file) : add_path(j, path);
	}
	if (rc == 0 && j->npaths == 0)
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: none of its %zu URLs had a file", j->src->name, j->nurls);
	return rc;
}

/* A mirror folder: DIR/<feed>/ as it is, its archives unpacked. */
static int from_folder(vigil_feed_job *j)
{
	char dir[PATH_CAP], path[PATH_CAP];
	int rc = path_join(dir, sizeof(dir), j->mirror_dir, j->src->name, NULL);
	if (rc < 0)
		return rc;
	DIR *d = opendir(dir);
	if (!d)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO,
				       "%s: the mirror has no folder for feed %s (%s)", dir, j->src->name, strerror(errno));
	vigil_dirlist l;
	rc = vigil_dirlist_read(d, dir, VIGIL_SOURCES_MAX_URLS * 64, &l);
	closedir(d);
	if (rc < 0)
		return rc;
	if (l.n == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "%s: empty mirror folder for feed %s", dir, j->src->name);
		goto out;
	}
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		struct stat st;
		if ((rc = path_join(path, sizeof(path), dir, l.names[i], NULL)) < 0)
			break;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && db_unpack_is_archive(l.names[i]))
			rc = unpack_cached(j, path, l.names[i]);
		else
			rc = add_path(j, path);
	}
out:
	vigil_dirlist_free(&l);
	return rc;
}

void db_feed_job_run(vigil_feed_job *j)
{
	int rc = j->mirror_dir ? from_folder(j) : from_network(j);
	if (rc < 0) {
		j->rc = rc;
		snprintf(j->error, sizeof(j->error), "%s", vigil_error_message());
		j->all_not_modified = false;
	}
}

vigil_feed_url *db_feed_job_url(vigil_feed_job *j, const char *url, const char *file, bool optional)
{
	return add_url(j, url, file, optional);
}

int db_feed_job_get(vigil_feed_job *j, vigil_fetcher *f, vigil_feed_url *u, const char *dl)
{
	return fetch_one(j, f, u, dl);
}

void db_feed_job_free(vigil_feed_job *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->nurls; i++) {
		free(j->urls[i].url);
		free(j->urls[i].file);
	}
	free(j->urls);
	for (size_t i = 0; i < j->npaths; i++)
		free(j->paths[i]);
	free(j->paths);
	free(j->warnings);
	memset(j, 0, sizeof(*j));
}
