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

/* ---- one entry ---- */

/* Reads the entry's data once: into w->data when a checker wants the
 * bytes (and it fits), else through the scratch block. */
static int read_data(audit_walk *w, const audit_entry *e, vigil_istream *in, unsigned any,
		     unsigned hashes, audit_file *tmp, bool *whole)
{
	struct walk_hashes h;
	int rc = hashes_begin(&h, hashes);
	bool keep = (any & AUDIT_WANT_BYTES) && e->tar->size <= (int64_t)AUDIT_MAX_BYTES;
	size_t head = 0;
	vigil_buf_reset(&w->data);
	*whole = false;
	while (rc == 0) {
		uint8_t *p = w->scratch;
		ssize_t r = vigil_istream_read(in, p, CHUNK);
		if (r < 0) {
			rc = (int)r;
			break;
		}
		if (r == 0)
			break;
		if (head < 8192) {
			size_t look = (size_t)r < 8192 - head ? (size_t)r : 8192 - head;
			if (memchr(p, 0, look))
				tmp->binary = 1;
			head += look;
		}
		hashes_update(&h, p, (size_t)r);
		if (keep && (rc = vigil_buf_append(&w->data, p, (size_t)r)) < 0)
			break;
		for (size_t i = 0; i < w->nchk && rc == 0; i++)
			if ((w->chk[i].want & AUDIT_WANT_CHUNKS) && w->chk[i].ops->chunk)
				rc = w->chk[i].ops->chunk(w->chk[i].st, w, e, p, (size_t)r);
	}
	if (rc == 0) {
		hashes_end(&h, tmp);
		*whole = keep;
	}
	hashes_free(&h);
	return rc;
}

int walk_entry(audit_walk *w, const audit_entry *e, vigil_istream *(*open)(void *ud), void *ud)
{
	unsigned any = 0;
	int rc = 0;
	vigil_istream *in = NULL;
	audit_file tmp = { 0 };
	bool whole = false, hashed = false;

	for (size_t i = 0; i < w->nchk; i++) {
		int r = w->chk[i].ops->entry ? w->chk[i].ops->entry(w->chk[i].st, w, e) : AUDIT_SKIP;
		if (r < 0)
			return r;
		w->chk[i].want = e->tar->type == VIGIL_TAR_FILE ? (unsigned)r : 0;
		any |= w->chk[i].want;
	}
	const char *path = e->path;
	audit_file *f = fs_record(w, path, strlen(path));
	if (!f)
		return vigil_error_code() ? vigil_error_code() : VIGIL_ENOMEM;
	if (e->whiteout || e->opaque) {
		w->layers[w->layer].whiteouts++;
		for (size_t i = 0; i < w->nchk && rc == 0; i++)
			if (w->chk[i].ops->entry_end)
				rc = w->chk[i].ops->entry_end(w->chk[i].st, w, e, f->deleted ? NULL : f, NULL, 0);
		if (rc == 0)
			fs_whiteout(w, e, f);
		return rc;
	}
	if (e->tar->type != VIGIL_TAR_DIR)
		w->layers[w->layer].files++;
	unsigned hashes = w->hashes;
	if (e->tar->type == VIGIL_TAR_FILE && (any || hashes)) {
		if (!(in = open(ud)))
			return vigil_error_code() ? vigil_error_code() : VIGIL_EIO;
		if ((rc = read_data(w, e, in, any, hashes, &tmp, &whole)) < 0)
			goto out;
		hashed = hashes != 0;
	}
	fs_apply(w, e->tar, f, hashed, &tmp);
	for (size_t i = 0; i < w->nchk && rc == 0; i++) {
		if (!w->chk[i].ops->entry_end)
			continue;
		bool give = whole && (w->chk[i].want & AUDIT_WANT_BYTES);
		rc = w->chk[i].ops->entry_end(w->chk[i].st, w, e, f, give ? (const uint8_t *)w->data.data : NULL,
					       give ? w->data.len : 0);
	}
out:
	vigil_istream_close(in);
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
	if ((rc = layer_tar_walk_stream(dec, on_tar_entry, w)) < 0)
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
