/* db/import.c: `vigil db import`: files and folders of feeds into the store.
 *
 *   walk (sorted, bounded) -> detect each file's format -> group by feed
 *   -> per feed: fingerprint (sha256 of names and bytes); unchanged -> done
 *   -> parse every file, merge records (merge.c) -> one transaction
 *
 * A feed whose file fails to parse writes nothing and keeps its previous
 * data; its failure is noted for `vigil db status` and the other feeds go
 * on. */
#include "db/merge.h"
#include "feed/bz2.h"
#include "feed/gz.h"
#include "store/store_vuln.h"
#include "util/digest.h"
#include "util/dirlist.h"
#include "util/error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct file {
	char *path;
	const vigil_feed_format *fmt;
};

struct walk {
	struct file *files;
	size_t n, cap;
	int64_t skipped;
	const vigil_db_import_options *opt;
};

static int read_whole(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	*out = NULL;
	if (fd < 0)
		return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > VIGIL_DB_MAX_FILE) {
		close(fd);
		return vigil_error_set(VIGIL_ELIMIT, "%s: larger than %zu bytes", path, VIGIL_DB_MAX_FILE);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return vigil_error_oom();
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			close(fd);
			return vigil_error_set(VIGIL_EIO, "%s: %s", path, r < 0 ? strerror(errno) : "file shrank");
		}
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

static bool is_bz2(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcmp(path + n - 4, ".bz2") == 0;
}

/* The bytes to parse: the file, or its bzip2 or gzip content (updateinfo.xml.gz). */
static int load(const char *path, char **out, size_t *len)
{
	int rc = read_whole(path, out, len);
	bool gz = rc == 0 && feed_is_gzip(*out, *len);
	if (rc < 0 || (!is_bz2(path) && !gz))
		return rc;
	char *plain = NULL;
	size_t plen = 0;
	rc = gz ? feed_gunzip(*out, *len, VIGIL_DB_MAX_FILE, &plain, &plen)
		: feed_bunzip2(*out, *len, VIGIL_DB_MAX_FILE, &plain, &plen);
	free(*out);
	*out = NULL;
	if (rc < 0) {
		vigil_error_prefix("%s: ", path);
		return rc;
	}
	*out = plain;
	*len = plen;
	return 0;
}

/* depth > 0: found in a folder, where a file that cannot be decompressed
 * is refused alone (its feed is unknown); named by the user, it fails. */
static int add_file(struct walk *w, const char *path, int depth)
{
	char *data = NULL;
	size_t len = 0;
	int rc = load(path, &data, &len);
	if (rc == VIGIL_EFORMAT && depth > 0 && w->opt && w->opt->refused) {
		w->opt->refused(w->opt->ud, vigil_error_message());
		vigil_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	const vigil_feed_format *f = db_feed_detect(path, data, len);
	free(data);
	if (!f) {
		w->skipped++;
		return 0;
	}
	if (w->n >= VIGIL_DB_MAX_FILES)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d feed files", VIGIL_DB_MAX_FILES);
	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 256;
		struct file *nf = realloc(w->files, nc * sizeof(*nf));
		if (!nf)
			return vigil_error_oom();
		w->files = nf;
		w->cap = nc;
	}
	w->files[w->n].path = strdup(path);
	if (!w->files[w->n].path)
		return vigil_error_oom();
	w->files[w->n++].fmt = f;
	return 0;
}

static int walk(struct walk *w, const char *path, int depth)
{
	struct stat st;
	if (depth > VIGIL_DB_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "%s: folders nested deeper than %d", path, VIGIL_DB_MAX_DEPTH);
	if (stat(path, &st) < 0)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s: %s", path, strerror(errno));
	if (S_ISREG(st.st_mode))
		return add_file(w, path, depth);
	if (!S_ISDIR(st.st_mode))
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
	vigil_dirlist l;
	int rc = vigil_dirlist_read(d, path, VIGIL_DB_MAX_FILES, &l);
	closedir(d); /* before going down: the depth costs no descriptors */
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		char sub[4096];
		if (snprintf(sub, sizeof(sub), "%s/%s", path, l.names[i]) >= (int)sizeof(sub))
			rc = vigil_error_set(VIGIL_ELIMIT, "%s/%s: path too long", path, l.names[i]);
		else
			rc = walk(w, sub, depth + 1);
	}
	vigil_dirlist_free(&l);
	return rc;
}

struct feed_run {
	const vigil_db_import_options *opt;
	vigil_db_import_result *res;
	vigil_merger m;
	vigil_merger *into; /* where records go: m, or a per-file file's own until it parsed whole */
};

static void relay_warning(void *ud, const char *msg)
{
	struct feed_run *fr = ud;
	fr->res->warnings++;
	if (fr->opt && fr->opt->warn)
		fr->opt->warn(fr->opt->ud, msg);
}

static int on_record(void *ud, const vigil_vuln *v)
{
	return db_merger_add(((struct feed_run *)ud)->into, v);
}

static int fingerprint(struct file *files, size_t n, const char *feed, char out[72])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	int rc = 0;
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return vigil_error_set(VIGIL_ERROR, "sha256 unavailable");
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (strcmp(files[i].fmt->feed, feed) != 0)
			continue;
		char *data = NULL;
		size_t len = 0;
		const char *base = strrchr(files[i].path, '/');
		base = base ? base + 1 : files[i].path;
		if ((rc = read_whole(files[i].path, &data, &len)) == 0) {
			EVP_DigestUpdate(md, base, strlen(base) + 1);
			EVP_DigestUpdate(md, data, len);
		}
		free(data);
	}
	if (rc == 0 && EVP_DigestFinal_ex(md, d, &dlen) == 1) {
		vigil_digest_format("sha256", d, dlen, out);
	}
	EVP_MD_CTX_free(md);
	return rc;
}

static int parse_file(struct feed_run *fr, const struct file *f)
{
	char *data = NULL;
	size_t len = 0;
	int rc = load(f->path, &data, &len);
	if (rc < 0)
		return rc;
	vigil_feed_ctx ctx = {
		.arena = vigil_arena_new(0), .file = f->path, .emit = on_record, .emit_ud = fr,
		.warn = relay_warning, .warn_ud = fr,
	};
	if (!ctx.arena) {
		free(data);
		return vigil_error_oom();
	}
	/* a per-file file's records are kept apart until it parsed whole: a
	 * file refused half way contributes nothing */
	vigil_merger fm;
	bool own = f->fmt->per_file;
	if (own && (rc = db_merger_init(&fm)) < 0) {
		vigil_arena_free(ctx.arena);
		free(data);
		return rc;
	}
	fr->into = own ? &fm : &fr->m;
	rc = f->fmt->parse(&ctx, data, len);
	fr->into = &fr->m;
	for (size_t i = 0; own && rc == 0 && i < fm.n; i++) {
		vigil_vuln v;
		db_merged_view(&fm.recs[i], &v);
		rc = db_merger_add(&fr->m, &v);
	}
	if (own)
		db_merger_free(&fm);
	if (rc < 0 && strncmp(vigil_error_message(), f->path, strlen(f->path)) != 0)
		vigil_error_prefix("%s: %s: ", f->path, f->fmt->format);
	if (rc < 0 && rc != VIGIL_ENOMEM && f->fmt->per_file) {
		/* one file is refused, not the feed: the rest of it is imported */
		char msg[VIGIL_ERROR_MAX + 32];
		fr->res->refused++;
		if (fr->opt && fr->opt->refused) {
			snprintf(msg, sizeof(msg), "%s", vigil_error_message());
			fr->opt->refused(fr->opt->ud, msg);
		} else {
			snprintf(msg, sizeof(msg), "%s (file skipped)", vigil_error_message());
			relay_warning(fr, msg);
		}
		vigil_error_clear();
		rc = 0;
	}
	vigil_arena_free(ctx.arena);
	free(data);
	return rc;
}

static int write_feed(vigil_store *s, struct feed_run *fr, const char *fp)
{
	vigil_vuln_writer *w = NULL;
	int rc = store_vuln_begin(s, fr->res->feed, &w);
	for (size_t i = 0; rc == 0 && i < fr->m.n; i++) {
		vigil_vuln v;
		char *json = NULL, hash[72];
		size_t len = 0;
		db_merged_view(&fr->m.recs[i], &v);
		if ((rc = db_vuln_canonical(&v, &json, &len, hash)) == 0)
			rc = store_vuln_put(w, &v, hash, json, len);
		free(json);
	}
	if (rc < 0) {
		store_vuln_abort(w);
		return rc;
	}
	return store_vuln_commit(w, fp, &fr->res->op);
}

static int import_feed(vigil_store *s, struct walk *wk, const vigil_db_import_options *opt,
		       vigil_db_import_result *res)
{
	struct feed_run fr = { .opt = opt, .res = res };
	fr.into = &fr.m;
	vigil_db_op last;
	char fp[72] = "";
	int rc;
	for (size_t i = 0; i < wk->n; i++)
		res->files += strcmp(wk->files[i].fmt->feed, res->feed) == 0;
	if ((rc = fingerprint(wk->files, wk->n, res->feed, fp)) < 0)
		return rc;
	if (!(opt && opt->force) && store_feed_last_op(s, res->feed, &last) == 0 &&
	    strcmp(last.fingerprint, fp) == 0) {
		res->unchanged = 1;
		res->op = last;
		return store_feed_attempt(s, res->feed, NULL);
	}
	if ((rc = db_merger_init(&fr.m)) < 0)
		return rc;
	for (size_t i = 0; i < wk->n && rc == 0; i++)
		if (strcmp(wk->files[i].fmt->feed, res->feed) == 0)
			rc = parse_file(&fr, &wk->files[i]);
	if (rc == 0)
		rc = write_feed(s, &fr, fp);
	db_merger_free(&fr.m);
	return rc;
}

int vigil_db_import(vigil_store *s, const char *const *paths, size_t npaths,
		    const vigil_db_import_options *opt, vigil_db_import_result **results,
		    size_t *nresults)
{
	struct walk wk = { .opt = opt };
	vigil_db_import_result *res = NULL;
	size_t nres = 0;
	int rc = 0, first_err = 0;
	char first_msg[VIGIL_ERROR_MAX] = "";

	*results = NULL;
	*nresults = 0;
	for (size_t i = 0; i < npaths && rc == 0; i++)
		rc = walk(&wk, paths[i], 0);
	if (rc < 0)
		goto out;
	if (wk.n == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no feed file of a known format in %s%s",
				     npaths ? paths[0] : "(nothing)", npaths > 1 ? " and the rest" : "");
		goto out;
	}
	res = calloc(wk.n, sizeof(*res));
	if (!res) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < wk.n; i++) {
		bool seen = false;
		for (size_t k = 0; k < nres && !seen; k++)
			seen = strcmp(res[k].feed, wk.files[i].fmt->feed) == 0;
		if (!seen)
			snprintf(res[nres++].feed, sizeof(res[0].feed), "%s", wk.files[i].fmt->feed);
	}
	for (size_t k = 0; k < nres; k++) {
		if (opt && opt->progress) {
			char msg[128];
			snprintf(msg, sizeof(msg), "%s: reading", res[k].feed);
			opt->progress(opt->ud, msg);
		}
		int frc = import_feed(s, &wk, opt, &res[k]);
		if (frc < 0) {
			res[k].failed = 1;
			snprintf(res[k].error, sizeof(res[k].error), "%s", vigil_error_message());
			store_feed_attempt(s, res[k].feed, res[k].error);
			if (!first_err) {
				first_err = frc;
				snprintf(first_msg, sizeof(first_msg), "%s", res[k].error);
			}
		}
	}
	/* keep the retention count: the database does not grow without bound */
	int64_t ops_gone, vulns_gone;
	for (size_t k = 0; k < nres; k++)
		if (!res[k].failed && !res[k].unchanged) {
			if (vigil_db_gc(s, 0, &ops_gone, &vulns_gone) < 0 && !first_err) {
				first_err = vigil_error_code();
				snprintf(first_msg, sizeof(first_msg), "%s", vigil_error_message());
			}
			break;
		}
	*results = res;
	*nresults = nres;
	res = NULL;
	if (first_err)
		rc = vigil_error_set(first_err, "%s", first_msg);
out:
	for (size_t i = 0; i < wk.n; i++)
		free(wk.files[i].path);
	free(wk.files);
	free(res);
	return rc;
}

int vigil_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n)
{
	return store_db_status(s, out, n);
}

int vigil_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n)
{
	return store_db_ops(s, feed, out, n);
}

int vigil_db_diff(vigil_store *s, const char *ref_a, const char *ref_b,
		  int (*fn)(void *ud, vigil_db_change c, const char *source, const char *id,
			    const char *hash),
		  void *ud)
{
	return store_db_diff(s, ref_a, ref_b, fn, ud);
}

int vigil_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed)
{
	return store_db_gc(s, keep > 0 ? keep : VIGIL_DB_DEFAULT_RETENTION, ops_removed, vulns_removed);
}
