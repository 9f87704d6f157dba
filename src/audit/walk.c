/* audit/walk.c: the one pass over an image's layers that every audit
 * scanner rides on (the interface and its memory are described in
 * audit_priv.h).
 *
 * Each layer is streamed base first through layer_tar_walk_stream(); a
 * root filesystem (dir:) is walked as one layer (fsroot.c). For each
 * entry the checkers say what they want; the data is read once, through
 * one stream, into a buffer when a checker wants the whole bytes and into
 * a 256 KiB scratch block otherwise, hashed on the way (only the hashes
 * asked for), and then applied to the merged view: a whiteout marks what
 * it deletes, an opaque marker what lower layers put below its folder, a
 * new version of a path keeps the layer and hash of the one it replaced. */
#include "audit/walk_priv.h"

#include "image/image.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"
#define CHUNK ((size_t)256 * 1024)

/* ---- hashing ---- */

static int hashes_begin(struct walk_hashes *h, unsigned want)
{
	memset(h, 0, sizeof(*h));
	h->want = want;
	if ((want & AUDIT_HASH_MD5) && !(h->md5 = EVP_MD_CTX_new()))
		return vigil_error_oom();
	if ((want & AUDIT_HASH_SHA1) && !(h->sha1 = EVP_MD_CTX_new()))
		return vigil_error_oom();
	if ((want & AUDIT_HASH_SHA256) && !(h->sha256 = EVP_MD_CTX_new()))
		return vigil_error_oom();
	if ((h->md5 && !EVP_DigestInit_ex(h->md5, EVP_md5(), NULL)) ||
	    (h->sha1 && !EVP_DigestInit_ex(h->sha1, EVP_sha1(), NULL)) ||
	    (h->sha256 && !EVP_DigestInit_ex(h->sha256, EVP_sha256(), NULL)))
		return vigil_error_set(VIGIL_ERROR, "cannot start a file digest");
	return 0;
}

static void hashes_update(struct walk_hashes *h, const void *p, size_t n)
{
	if (h->md5)
		EVP_DigestUpdate(h->md5, p, n);
	if (h->sha1)
		EVP_DigestUpdate(h->sha1, p, n);
	if (h->sha256)
		EVP_DigestUpdate(h->sha256, p, n);
}

static void hashes_end(struct walk_hashes *h, audit_file *f)
{
	if (h->md5)
		EVP_DigestFinal_ex(h->md5, f->md5, NULL);
	if (h->sha1)
		EVP_DigestFinal_ex(h->sha1, f->sha1, NULL);
	if (h->sha256)
		EVP_DigestFinal_ex(h->sha256, f->sha256, NULL);
	f->hashed = h->want != 0;
}

static void hashes_free(struct walk_hashes *h)
{
	EVP_MD_CTX_free(h->md5);
	EVP_MD_CTX_free(h->sha1);
	EVP_MD_CTX_free(h->sha256);
	memset(h, 0, sizeof(*h));
}

/* ---- the merged view ---- */

static audit_file *fs_record(audit_walk *w, const char *path, size_t len)
{
	audit_file *f = vigil_map_get(&w->fs, path, len);
	if (f)
		return f;
	if (vigil_map_count(&w->fs) >= AUDIT_MAX_FILES) {
		vigil_error_set(VIGIL_ELIMIT, "%s: more than %zu files", w->ref, AUDIT_MAX_FILES);
		return NULL;
	}
	const char *key = vigil_intern_str(w->strs, path, len);
	if (!key || !(f = vigil_arena_calloc(w->arena, 1, sizeof(*f)))) {
		vigil_error_oom();
		return NULL;
	}
	f->path = key;
	f->prev_layer = -1;
	f->deleted = 1; /* until set */
	if (vigil_map_set(&w->fs, key, len, f) < 0)
		return NULL;
	return f;
}

/* Marks as deleted what lower layers put under dir (and dir itself when self). */
static void fs_delete_below(audit_walk *w, const char *dir, size_t dlen, bool self)
{
	size_t it = 0, kl;
	const char *k;
	void *v;
	while (vigil_map_next(&w->fs, &it, &k, &kl, &v)) {
		audit_file *f = v;
		if (f->layer >= w->layer || f->deleted)
			continue;
		bool below = kl > dlen && memcmp(k, dir, dlen) == 0 && k[dlen] == '/';
		if (below || (self && kl == dlen && memcmp(k, dir, dlen) == 0))
			f->deleted = 1;
	}
}

static void fs_whiteout(audit_walk *w, const audit_entry *e, audit_file *old)
{
	size_t len = strlen(e->path);
	if (e->opaque) {
		fs_delete_below(w, e->path, len, false);
		return;
	}
	/* a folder may have no entry of its own (a tar may list only its
	 * files): a path never seen as a file is deleted with what is below */
	if (!old || !old->seen || old->type == VIGIL_TAR_DIR)
		fs_delete_below(w, e->path, len, false);
	if (old && old->seen)
		old->deleted = 1;
}

/* Applies a new version of a path; the hashes come from tmp (or, for a
 * hard link, from its target in the view). */
static void fs_apply(audit_walk *w, const vigil_tar_entry *t, audit_file *f, bool hashed,
		     const audit_file *tmp)
{
	if (f->seen) {
		f->prev_layer = (int32_t)f->layer;
		f->prev_hashed = f->hashed;
		memcpy(f->prev_sha256, f->sha256, sizeof(f->sha256));
	}
	f->seen = 1;
	f->type = t->type;
	f->mode = t->mode;
	f->uid = t->uid;
	f->gid = t->gid;
	f->size = t->size;
	f->mtime = t->mtime;
	f->layer = (uint32_t)w->layer;
	f->deleted = 0;
	f->hashed = 0;
	f->binary = tmp->binary;
	f->link = t->link ? vigil_intern_cstr(w->strs, t->link) : NULL;
	if (hashed) {
		memcpy(f->md5, tmp->md5, sizeof(f->md5));
		memcpy(f->sha1, tmp->sha1, sizeof(f->sha1));
		memcpy(f->sha256, tmp->sha256, sizeof(f->sha256));
		f->hashed = 1;
	}
	if (t->type == VIGIL_TAR_HARDLINK && t->link) {
		const audit_file *target = vigil_map_get(&w->fs, t->link, strlen(t->link));
		if (target && !target->deleted) {
			memcpy(f->md5, target->md5, sizeof(f->md5));
			memcpy(f->sha1, target->sha1, sizeof(f->sha1));
			memcpy(f->sha256, target->sha256, sizeof(f->sha256));
			f->hashed = target->hashed;
			f->size = target->size;
			f->binary = target->binary;
		}
	}
}

/* ---- one entry's data: the pipe every byte goes through once ---- */

/* Opens the raw entry stream on first use. */
static vigil_istream *pipe_raw(struct walk_pipe *p)
{
	if (!p->raw && !p->failed_open && !(p->raw = p->open(p->open_ud)))
		p->failed_open = true;
	return p->raw;
}

/* Every byte of the entry, once, in order: sniffed, hashed, kept for the
 * checkers that want the whole bytes, handed to those that want chunks. */
static int pipe_feed(struct walk_pipe *p, const uint8_t *b, size_t n)
{
	audit_walk *w = p->w;
	int rc = 0;
	if (p->head < 8192) {
		size_t look = n < 8192 - p->head ? n : 8192 - p->head;
		if (memchr(b, 0, look))
			p->tmp->binary = 1;
		p->head += look;
	}
	hashes_update(&p->h, b, n);
	if (p->keep && (rc = vigil_buf_append(&w->data, b, n)) < 0)
		return rc;
	for (size_t i = 0; i < w->nchk && rc == 0; i++)
		if ((w->chk[i].want & AUDIT_WANT_CHUNKS) && w->chk[i].ops->chunk)
			rc = w->chk[i].ops->chunk(w->chk[i].st, w, p->e, b, n);
	return rc;
}

/* Reads from the raw stream through the pipe. */
static ssize_t pipe_read_raw(struct walk_pipe *p, void *buf, size_t n)
{
	vigil_istream *raw = pipe_raw(p);
	if (!raw)
		return vigil_error_code() ? vigil_error_code() : VIGIL_EIO;
	ssize_t r = vigil_istream_read(raw, buf, n);
	if (r == 0)
		p->eof = true;
	if (r > 0) {
		int rc = pipe_feed(p, buf, (size_t)r);
		if (rc < 0)
			return rc;
	}
	return r;
}

/* The entry's data as the indexer streams it (a tee into the pipe). */
struct pipe_stream {
	vigil_istream base;
	struct walk_pipe *p;
};

static ssize_t tee_read(vigil_istream *s, void *buf, size_t n)
{
	return pipe_read_raw(((struct pipe_stream *)s)->p, buf, n);
}

static void tee_close(vigil_istream *s) { free(s); }

static const struct vigil_istream_ops tee_ops = { tee_read, tee_close };

static int src_stream(void *ud, vigil_istream **out)
{
	struct pipe_stream *t = calloc(1, sizeof(*t));
	*out = NULL;
	if (!t)
		return vigil_error_oom();
	t->base.ops = &tee_ops;
	t->p = ud;
	*out = &t->base;
	return 0;
}

/* The entry's whole data, as layer_tar_read() gives it to the indexer. */
static int src_read(void *ud, vigil_buf *out)
{
	struct walk_pipe *p = ud;
	vigil_buf_reset(out);
	if ((uint64_t)p->e->tar->size > out->max)
		return vigil_error_set(VIGIL_ELIMIT, "entry '%s': %lld bytes, over the limit of %zu bytes",
				       p->e->tar->path, (long long)p->e->tar->size, out->max);
	for (;;) {
		ssize_t r = pipe_read_raw(p, p->w->scratch, CHUNK);
		if (r < 0)
			return (int)r;
		if (r == 0)
			return 0;
		int rc = vigil_buf_append(out, p->w->scratch, (size_t)r);
		if (rc < 0)
			return rc;
	}
}

/* Reads what the indexer left of the entry (all of it when it took none). */
static int pipe_drain(struct walk_pipe *p)
{
	while (!p->eof) {
		ssize_t r = pipe_read_raw(p, p->w->scratch, CHUNK);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

/* ---- one entry ---- */

static int ask_checkers(audit_walk *w, const audit_entry *e, unsigned *any)
{
	*any = 0;
	for (size_t i = 0; i < w->nchk; i++) {
		int r = w->chk[i].ops->entry ? w->chk[i].ops->entry(w->chk[i].st, w, e) : AUDIT_SKIP;
		if (r < 0)
			return r;
		w->chk[i].want = e->tar->type == VIGIL_TAR_FILE ? (unsigned)r : 0;
		*any |= w->chk[i].want;
	}
	return 0;
}

static int whiteout_entry(audit_walk *w, const audit_entry *e, audit_file *f)
{
	int rc = 0;
	w->layers[w->layer].whiteouts++;
	for (size_t i = 0; i < w->nchk && rc == 0; i++)
		if (w->chk[i].ops->entry_end)
			rc = w->chk[i].ops->entry_end(w->chk[i].st, w, e, f->deleted ? NULL : f, NULL, 0);
	if (rc == 0)
		fs_whiteout(w, e, f);
	return rc;
}

/* The indexer riding on the pass (a layer not in the cache yet): it sees
 * the raw entry and takes its data, when it wants it, through the pipe. */
static int index_entry(audit_walk *w, const audit_entry *e, struct walk_pipe *p)
{
	if (!w->iscan)
		return 0;
	idx_entry_source src = { src_read, src_stream, p };
	return idx_layer_scan_entry(w->iscan, e->tar, &src);
}

int walk_entry(audit_walk *w, const audit_entry *e, vigil_istream *(*open)(void *ud), void *ud)
{
	unsigned any;
	int rc;
	audit_file tmp = { 0 };
	struct walk_pipe p = { .w = w, .e = e, .open = open, .open_ud = ud, .tmp = &tmp };

	if ((rc = ask_checkers(w, e, &any)) < 0)
		return rc;
	audit_file *f = fs_record(w, e->path, strlen(e->path));
	if (!f)
		return vigil_error_code() ? vigil_error_code() : VIGIL_ENOMEM;
	if (e->whiteout || e->opaque) {
		if ((rc = index_entry(w, e, &p)) < 0)
			return rc;
		return whiteout_entry(w, e, f);
	}
	if (e->tar->type != VIGIL_TAR_DIR)
		w->layers[w->layer].files++;
	bool file = e->tar->type == VIGIL_TAR_FILE;
	if ((rc = hashes_begin(&p.h, file ? w->hashes : 0)) < 0)
		goto out;
	p.keep = (any & AUDIT_WANT_BYTES) && e->tar->size <= (int64_t)AUDIT_MAX_BYTES;
	vigil_buf_reset(&w->data);
	if ((rc = index_entry(w, e, &p)) < 0)
		goto out;
	bool needed = file && (any || w->hashes);
	if (needed && (rc = pipe_drain(&p)) < 0)
		goto out;
	if (needed)
		hashes_end(&p.h, &tmp);
	fs_apply(w, e->tar, f, needed && w->hashes, &tmp);
	bool whole = needed && p.keep && p.eof;
	for (size_t i = 0; i < w->nchk && rc == 0; i++) {
		if (!w->chk[i].ops->entry_end)
			continue;
		bool give = whole && (w->chk[i].want & AUDIT_WANT_BYTES);
		rc = w->chk[i].ops->entry_end(w->chk[i].st, w, e, f, give ? (const uint8_t *)w->data.data : NULL,
					       give ? w->data.len : 0);
	}
out:
	hashes_free(&p.h);
	vigil_istream_close(p.raw);
	return rc;
}

/* ---- tar layers ---- */

struct tar_ud {
	audit_walk *w;
	vigil_tar_walk *tw;
};

static vigil_istream *open_tar_entry(void *ud)
{
	vigil_istream *s = NULL;
	if (layer_tar_entry_stream(((struct tar_ud *)ud)->tw, &s) < 0)
		return NULL;
	return s;
}

static int on_tar_entry(void *ud, const vigil_tar_entry *t, vigil_tar_walk *tw)
{
	audit_walk *w = ud;
	struct tar_ud tu = { w, tw };
	audit_entry e = { .tar = t, .layer = w->layer, .layer_digest = w->layers[w->layer].digest,
			  .path = t->path };
	char hidden[VIGIL_TAR_MAX_PATH + 1];
	const char *slash = strrchr(t->path, '/');
	const char *name = slash ? slash + 1 : t->path;
	size_t dlen = slash ? (size_t)(slash - t->path) : 0;

	if (strncmp(name, WH_PREFIX, strlen(WH_PREFIX)) == 0) {
		if (strcmp(name, WH_OPAQUE) == 0) {
			if (dlen == 0)
				return 0; /* the root made opaque: nothing of ours below "" */
			memcpy(hidden, t->path, dlen);
			hidden[dlen] = '\0';
			e.opaque = true;
		} else if (strncmp(name, ".wh..wh.", 8) == 0) {
			return 0; /* aufs bookkeeping */
		} else {
			size_t nlen = strlen(name) - strlen(WH_PREFIX);
			if (nlen == 0 || dlen + 1 + nlen > VIGIL_TAR_MAX_PATH)
				return 0;
			size_t o = 0;
			if (dlen) {
				memcpy(hidden, t->path, dlen);
				hidden[dlen] = '/';
				o = dlen + 1;
			}
			memcpy(hidden + o, name + strlen(WH_PREFIX), nlen);
			hidden[o + nlen] = '\0';
			e.whiteout = true;
		}
		e.path = hidden;
	}
	int rc = walk_entry(w, &e, open_tar_entry, &tu);
	if (rc < 0 && !strstr(vigil_error_message(), t->path))
		vigil_error_prefix("%s: ", t->path);
	return rc;
}

int walk_tar_layer(audit_walk *w, size_t i)
{
	const vigil_layer_desc *d = img_layer(w->img, i);
	vigil_istream *raw = NULL, *dec = NULL;
	int rc;
	if ((rc = img_open_layer(w->img, i, &raw)) < 0)
		goto out;
	rc = layer_stream_open(raw, d->verify == VIGIL_VERIFY_BLOB ? d->digest : NULL,
			       d->verify == VIGIL_VERIFY_DIFF ? d->digest : NULL, &dec);
	raw = NULL;
	if (rc < 0)
		goto out;
	if ((rc = walk_index_layer_begin(w, i)) < 0)
		goto out;
	rc = layer_tar_walk_stream(dec, on_tar_entry, w);
	if ((rc = walk_index_layer_end(w, i, dec, rc)) < 0)
		goto out;
	w->layers[i].uncompressed = layer_stream_out_bytes(dec);
	if (!w->layers[i].size)
		w->layers[i].size = layer_stream_raw_bytes(dec);
out:
	if (rc < 0)
		vigil_error_prefix("layer %s: ", d->digest);
	vigil_istream_close(dec);
	vigil_istream_close(raw);
	return rc;
}
