/* db/bundle.c: the whole vulnerability database as one verified file, for
 * air-gapped sites and for shipping a database built elsewhere (see
 * vigil/db.h for the layout). Export streams each feed's records to a temp
 * file while hashing them, then writes the manifest and the members with
 * libarchive. Import reads the bundle twice: once to verify everything
 * (digests, sizes, counts, and every record decoded as the write will
 * decode it), once to write, so a damaged bundle writes nothing: not even
 * the feeds before the damaged one. vigil_db_bundle_feeds() reads the
 * manifest alone (what `vigil db push` says about a bundle). */
#include "db/db.h"
#include "store/store_vuln.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/error.h"

#include <archive.h>
#include <archive_entry.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUNDLE_FORMAT "vigil-db-bundle"
#define BUNDLE_VERSION 1
#define BUNDLE_MAX_MANIFEST (16 * 1024 * 1024)
#define BUNDLE_MAX_FEEDS 256
#define BUNDLE_CHUNK 65536

struct member {
	char feed[32], ref[40], fingerprint[72], sha256[72], name[96];
	int64_t records, affected, bytes, created;
	FILE *tmp;
};

static void hex(const unsigned char *d, unsigned n, char out[72])
{
	vigil_digest_format("sha256", d, n, out);
}

/* ---- export ---- */
struct dump {
	FILE *f;
	EVP_MD_CTX *md;
	int64_t n, bytes;
};

static int dump_record(void *ud, const char *rec, size_t len)
{
	struct dump *d = ud;
	if (fwrite(rec, 1, len, d->f) != len || fputc('\n', d->f) == EOF)
		return vigil_error_set(VIGIL_EIO, "cannot write a temporary file");
	EVP_DigestUpdate(d->md, rec, len);
	EVP_DigestUpdate(d->md, "\n", 1);
	d->n++;
	d->bytes += (int64_t)len + 1;
	return 0;
}

static int write_member(struct archive *a, const char *name, const void *data, size_t len, FILE *from)
{
	struct archive_entry *e = archive_entry_new();
	int rc = 0;
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, time(NULL), 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		rc = vigil_error_set(VIGIL_EIO, "bundle: %s", archive_error_string(a));
	if (rc == 0 && data && archive_write_data(a, data, len) != (la_ssize_t)len)
		rc = vigil_error_set(VIGIL_EIO, "bundle: %s", archive_error_string(a));
	if (rc == 0 && from) {
		char buf[BUNDLE_CHUNK];
		size_t n;
		rewind(from);
		while (rc == 0 && (n = fread(buf, 1, sizeof(buf), from)) > 0)
			if (archive_write_data(a, buf, n) != (la_ssize_t)n)
				rc = vigil_error_set(VIGIL_EIO, "bundle: %s", archive_error_string(a));
	}
	archive_entry_free(e);
	return rc;
}

static json_t *manifest_json(const struct member *m, size_t n)
{
	json_t *o = json_object(), *feeds = json_array();
	json_object_set_new(o, "format", json_string(BUNDLE_FORMAT));
	json_object_set_new(o, "version", json_integer(BUNDLE_VERSION));
	json_object_set_new(o, "vigil", json_string(vigil_version()));
	json_object_set_new(o, "created", json_integer((json_int_t)time(NULL)));
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_object();
		json_object_set_new(f, "feed", json_string(m[i].feed));
		json_object_set_new(f, "operation", json_string(m[i].ref));
		json_object_set_new(f, "fingerprint", json_string(m[i].fingerprint));
		json_object_set_new(f, "operation_created", json_integer(m[i].created));
		json_object_set_new(f, "records", json_integer(m[i].records));
		json_object_set_new(f, "affected", json_integer(m[i].affected));
		json_object_set_new(f, "file", json_string(m[i].name));
		json_object_set_new(f, "bytes", json_integer(m[i].bytes));
		json_object_set_new(f, "sha256", json_string(m[i].sha256));
		json_array_append_new(feeds, f);
	}
	json_object_set_new(o, "feeds", feeds);
	return o;
}

int vigil_db_export(vigil_store *s, const char *path, size_t *nfeeds)
{
	vigil_db_feed_status *fs = NULL;
	struct member *m = NULL;
	struct archive *a = NULL;
	size_t n = 0, nm = 0;
	char tmp[4200];
	char *manifest = NULL;
	int rc;

	*nfeeds = 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if ((rc = vigil_db_status(s, &fs, &n)) < 0)
		return rc;
	m = calloc(n ? n : 1, sizeof(*m));
	if (!m) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!fs[i].has_data)
			continue;
		struct member *mb = &m[nm++];
		struct dump d = { .md = EVP_MD_CTX_new() };
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		snprintf(mb->feed, sizeof(mb->feed), "%s", fs[i].feed);
		snprintf(mb->ref, sizeof(mb->ref), "%s", fs[i].last.ref);
		snprintf(mb->fingerprint, sizeof(mb->fingerprint), "%s", fs[i].last.fingerprint);
		snprintf(mb->name, sizeof(mb->name), "records/%s.jsonl", fs[i].feed);
		mb->affected = fs[i].last.affected;
		mb->created = fs[i].last.created;
		mb->tmp = d.f = tmpfile();
		if (!d.f || !d.md || EVP_DigestInit_ex(d.md, EVP_sha256(), NULL) != 1) {
			EVP_MD_CTX_free(d.md);
			rc = vigil_error_set(VIGIL_EIO, "cannot make a temporary file");
			goto out;
		}
		rc = store_op_records(s, mb->ref, dump_record, &d);
		EVP_DigestFinal_ex(d.md, md, &mdlen);
		EVP_MD_CTX_free(d.md);
		if (rc < 0)
			goto out;
		hex(md, mdlen, mb->sha256);
		mb->records = d.n;
		mb->bytes = d.bytes;
	}
	if (nm == 0) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "the database holds no vulnerability data to export");
		goto out;
	}
	json_t *mj = manifest_json(m, nm);
	manifest = json_dumps(mj, JSON_INDENT(2));
	json_decref(mj);
	a = archive_write_new();
	if (!manifest || !a || archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_open_filename(a, tmp) != ARCHIVE_OK) {
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", tmp, a ? archive_error_string(a) : "out of memory");
		goto out;
	}
	if ((rc = write_member(a, "manifest.json", manifest, strlen(manifest), NULL)) < 0)
		goto out;
	for (size_t i = 0; i < nm; i++)
		if ((rc = write_member(a, m[i].name, NULL, (size_t)m[i].bytes, m[i].tmp)) < 0)
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", tmp, archive_error_string(a));
		goto out;
	}
	if (rename(tmp, path) < 0) {
		rc = vigil_error_set(VIGIL_EIO, "cannot move the bundle to %s", path);
		goto out;
	}
	*nfeeds = nm;
out:
	if (a)
		archive_write_free(a);
	if (rc < 0)
		unlink(tmp);
	for (size_t i = 0; m && i < nm; i++)
		if (m[i].tmp)
			fclose(m[i].tmp);
	free(m);
	free(fs);
	free(manifest);
	return rc;
}

/* ---- import ---- */
static struct archive *open_bundle(const char *path)
{
	struct archive *a = archive_read_new();
	if (!a)
		return NULL;
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, BUNDLE_CHUNK) != ARCHIVE_OK) {
		vigil_error_set(VIGIL_EIO, "%s: %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static int read_manifest(struct archive *a, const char *path, struct member **out, size_t *n)
{
	struct archive_entry *e;
	vigil_buf b;
	json_error_t jerr;
	json_t *o = NULL;
	int rc = 0;
	*out = NULL;
	*n = 0;
	vigil_buf_init(&b, BUNDLE_MAX_MANIFEST);
	if (archive_read_next_header(a, &e) != ARCHIVE_OK || strcmp(archive_entry_pathname(e), "manifest.json") != 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s: not a vigil bundle (no manifest.json first)", path);
	char chunk[BUNDLE_CHUNK];
	la_ssize_t r;
	while ((r = archive_read_data(a, chunk, sizeof(chunk))) > 0)
		if ((rc = vigil_buf_append(&b, chunk, (size_t)r)) < 0)
			goto out;
	if (r < 0) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: %s", path, archive_error_string(a));
		goto out;
	}
	o = json_loadb(vigil_buf_cstr(&b), b.len, 0, &jerr);
	json_t *feeds = json_object_get(o, "feeds");
	if (!o || !json_is_string(json_object_get(o, "format")) ||
	    strcmp(json_string_value(json_object_get(o, "format")), BUNDLE_FORMAT) != 0 || !json_is_array(feeds)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: manifest.json is not a vigil bundle manifest%s%s", path,
				     o ? "" : ": ", o ? "" : jerr.text);
		goto out;
	}
	if (json_integer_value(json_object_get(o, "version")) != BUNDLE_VERSION) {
		rc = vigil_error_set(VIGIL_EUNSUPPORTED, "%s: bundle version %lld (this vigil reads %d)", path,
				     (long long)json_integer_value(json_object_get(o, "version")), BUNDLE_VERSION);
		goto out;
	}
	size_t nf = json_array_size(feeds);
	if (nf == 0 || nf > BUNDLE_MAX_FEEDS) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: %zu feeds in the manifest (1 to %d)", path, nf, BUNDLE_MAX_FEEDS);
		goto out;
	}
	*out = calloc(nf, sizeof(**out));
	if (!*out) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < nf; i++) {
		json_t *f = json_array_get(feeds, i);
		struct member *m = &(*out)[i];
		const char *feed = json_string_value(json_object_get(f, "feed"));
		const char *file = json_string_value(json_object_get(f, "file"));
		const char *sha = json_string_value(json_object_get(f, "sha256"));
		const char *fp = json_string_value(json_object_get(f, "fingerprint"));
		if (!feed || !file || !sha || !fp || strlen(feed) >= sizeof(m->feed) ||
		    strlen(file) >= sizeof(m->name) || strlen(sha) >= sizeof(m->sha256) ||
		    strlen(fp) >= sizeof(m->fingerprint)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: manifest feed %zu is incomplete", path, i);
			goto out;
		}
		snprintf(m->feed, sizeof(m->feed), "%s", feed);
		snprintf(m->name, sizeof(m->name), "%s", file);
		snprintf(m->sha256, sizeof(m->sha256), "%s", sha);
		snprintf(m->fingerprint, sizeof(m->fingerprint), "%s", fp);
		m->records = json_integer_value(json_object_get(f, "records"));
		m->bytes = json_integer_value(json_object_get(f, "bytes"));
		m->created = json_integer_value(json_object_get(f, "operation_created"));
	}
	*n = nf;
out:
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	json_decref(o);
	vigil_buf_free(&b);
	return rc;
}

static struct member *find_member(struct member *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return &m[i];
	return NULL;
}

/* Reads a member's lines; calls fn (when not NULL) for each record. Checks
 * size, line count and sha256 against the manifest. */
static int read_member(struct archive *a, const char *path, struct member *m,
		       int (*fn)(void *ud, const char *rec, size_t len), void *ud)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char chunk[BUNDLE_CHUNK], got[72];
	vigil_buf line;
	int64_t bytes = 0, records = 0;
	la_ssize_t r;
	int rc = 0;
	vigil_buf_init(&line, VIGIL_DB_BUNDLE_MAX_RECORD);
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return vigil_error_set(VIGIL_ERROR, "sha256 unavailable");
	}
	while (rc == 0 && (r = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		EVP_DigestUpdate(md, chunk, (size_t)r);
		bytes += r;
		for (la_ssize_t i = 0; rc == 0 && i < r;) {
			const char *nl = memchr(chunk + i, '\n', (size_t)(r - i));
			size_t take = nl ? (size_t)(nl - (chunk + i)) : (size_t)(r - i);
			if ((rc = vigil_buf_append(&line, chunk + i, take)) < 0) {
				vigil_error_prefix("%s: %s: record %lld: ", path, m->name, (long long)records + 1);
				break;
			}
			i += (la_ssize_t)take;
			if (nl) {
				i++;
				records++;
				if (fn && (rc = fn(ud, vigil_buf_cstr(&line), line.len)) < 0)
					vigil_error_prefix("%s: %s: record %lld: ", path, m->name, (long long)records);
				vigil_buf_reset(&line);
			}
		}
	}
	if (rc == 0 && r < 0)
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: %s: %s", path, m->name, archive_error_string(a));
	EVP_DigestFinal_ex(md, d, &dlen);
	EVP_MD_CTX_free(md);
	vigil_buf_free(&line);
	if (rc < 0)
		return rc;
	hex(d, dlen, got);
	if (strcmp(got, m->sha256) != 0 || bytes != m->bytes || records != m->records || line.len)
		return vigil_error_set(VIGIL_EDIGEST,
				       "%s: %s does not match the manifest (sha256 %s, %lld bytes, %lld records; manifest: %s, %lld bytes, %lld records)",
				       path, m->name, got, (long long)bytes, (long long)records, m->sha256,
				       (long long)m->bytes, (long long)m->records);
	return 0;
}

int vigil_db_is_bundle(const char *path)
{
	struct archive *a = open_bundle(path);
	struct archive_entry *e;
	int yes = 0;
	if (!a) {
		vigil_error_clear();
		return 0;
	}
	if (archive_read_next_header(a, &e) == ARCHIVE_OK && archive_filter_code(a, 0) == ARCHIVE_FILTER_ZSTD)
		yes = strcmp(archive_entry_pathname(e), "manifest.json") == 0;
	archive_read_free(a);
	return yes;
}

struct writing {
	vigil_store *s;
	vigil_vuln_writer *w;
};

/* Pass 1: a record must decode as pass 2 will decode it (making its
 * canonical form then fails only for want of memory). */
static int check_record(void *ud, const char *rec, size_t len)
{
	vigil_vuln v;
	vigil_arena *arena = vigil_arena_new(0);
	(void)ud;
	if (!arena)
		return vigil_error_oom();
	int rc = db_vuln_decode(rec, len, arena, &v);
	vigil_arena_free(arena);
	return rc;
}

static int put_record(void *ud, const char *rec, size_t len)
{
	struct writing *wr = ud;
	vigil_vuln v;
	char *canon = NULL, hash[72];
	size_t clen;
	vigil_arena *arena = vigil_arena_new(0); /* one record at a time: memory stays flat */
	if (!arena)
		return vigil_error_oom();
	int rc = db_vuln_decode(rec, len, arena, &v);
	if (rc == 0)
		rc = db_vuln_canonical(&v, &canon, &clen, hash);
	if (rc == 0)
		rc = store_vuln_put(wr->w, &v, hash, canon, clen);
	free(canon);
	vigil_arena_free(arena);
	return rc;
}

int vigil_db_import_bundle(vigil_store *s, const char *path, const vigil_db_import_options *opt,
			   vigil_db_import_result **results, size_t *nresults)
{
	struct member *m = NULL;
	vigil_db_import_result *res = NULL;
	struct archive *a = NULL;
	struct archive_entry *e;
	size_t n = 0;
	int rc;

	*results = NULL;
	*nresults = 0;
	/* pass 1: verify everything */
	if (!(a = open_bundle(path)))
		return vigil_error_code() ? vigil_error_code() : vigil_error_oom();
	if ((rc = read_manifest(a, path, &m, &n)) < 0)
		goto out;
	size_t seen = 0;
	while (rc == 0 && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		struct member *mb = find_member(m, n, archive_entry_pathname(e));
		if (!mb) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: %s is not in the manifest", path, archive_entry_pathname(e));
			break;
		}
		rc = read_member(a, path, mb, check_record, NULL);
		seen++;
	}
	if (rc == 0 && seen != n)
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: %zu members in the manifest, %zu in the bundle", path, n, seen);
	archive_read_free(a);
	a = NULL;
	if (rc < 0)
		goto out;
	/* pass 2: write each feed */
	res = calloc(n, sizeof(*res));
	if (!res || !(a = open_bundle(path))) {
		rc = res ? vigil_error_code() : vigil_error_oom();
		goto out;
	}
	archive_read_next_header(a, &e); /* the manifest */
	for (size_t i = 0; i < n && archive_read_next_header(a, &e) == ARCHIVE_OK; i++) {
		struct member *mb = find_member(m, n, archive_entry_pathname(e));
		vigil_db_import_result *r = &res[*nresults];
		vigil_db_op last;
		snprintf(r->feed, sizeof(r->feed), "%s", mb->feed);
		r->files = 1;
		(*nresults)++;
		if (!(opt && opt->force) && store_feed_last_op(s, mb->feed, &last) == 0 &&
		    strcmp(last.fingerprint, mb->fingerprint) == 0) {
			r->unchanged = 1;
			r->op = last;
			continue;
		}
		struct writing wr = { .s = s };
		int frc = store_vuln_begin(s, mb->feed, &wr.w);
		if (frc == 0)
			frc = read_member(a, path, mb, put_record, &wr);
		if (frc == 0) {
			frc = store_vuln_commit(wr.w, mb->fingerprint, &r->op);
		} else if (wr.w) {
			store_vuln_abort(wr.w);
		}
		if (frc < 0) {
			r->failed = 1;
			snprintf(r->error, sizeof(r->error), "%s", vigil_error_message());
			store_feed_attempt(s, mb->feed, r->error);
			if (rc == 0)
				rc = frc;
		}
	}
	*results = res;
	res = NULL;
	int64_t ops_gone, vulns_gone;
	if (rc == 0 && (rc = vigil_db_gc(s, 0, &ops_gone, &vulns_gone)) < 0)
		goto out;
out:
	if (a)
		archive_read_free(a);
	free(m);
	free(res);
	return rc;
}

int vigil_db_bundle_feeds(const char *path, vigil_db_bundle_feed **out, size_t *n)
{
	struct archive *a = open_bundle(path);
	struct member *m = NULL;
	size_t nm = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!a)
		return vigil_error_code() ? vigil_error_code() : vigil_error_oom();
	if ((rc = read_manifest(a, path, &m, &nm)) < 0)
		goto out;
	if (!(*out = calloc(nm, sizeof(**out)))) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < nm; i++) {
		vigil_db_bundle_feed *f = &(*out)[i];
		snprintf(f->feed, sizeof(f->feed), "%s", m[i].feed);
		snprintf(f->fingerprint, sizeof(f->fingerprint), "%s", m[i].fingerprint);
		f->created = m[i].created;
		f->records = m[i].records;
	}
	*n = nm;
out:
	archive_read_free(a);
	free(m);
	return rc;
}
