/* layer/tarwalk.c: the walk over a layer's tar entries (see layer.h).
 *
 * libarchive reads the tar (ustar, GNU, pax; no decompression filters: the
 * layer stream already decompressed it) through a callback that pulls
 * blocks from the vigil_istream, zero-copy when it is a layer stream. Each
 * entry is checked against the limits, its name normalized (escaping names
 * are refused, as Docker does) and handed to the caller's function; data
 * not read is skipped inside the blocks already there. After the last entry
 * the stream is read to its end so that a layer stream checks its digests.
 * A stream error seen by the callback wins over libarchive's own message. */
#include "layer/layer.h"
#include "util/error.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct vigil_tar_walk {
	struct archive *a;
	vigil_istream *in;
	int layer;            /* in is a layer stream: zero-copy blocks */
	char *buf;            /* read buffer otherwise */
	int in_err;           /* the stream's error, seen by the read callback */
	int in_fn;            /* inside the caller's function */
	int data_read;        /* layer_tar_read() was called for this entry */
	struct archive_entry *ae;
	const char *raw_name; /* the current entry's name as stored */
	uint64_t count;
	vigil_tar_entry e;
	char path[VIGIL_TAR_MAX_PATH + 1];
	char link[VIGIL_TAR_MAX_PATH + 1];
	char prev[VIGIL_TAR_MAX_PATH + 1]; /* the last entry handed out, for messages */
};

static la_ssize_t cb_read(struct archive *a, void *ud, const void **buf)
{
	vigil_tar_walk *w = ud;
	ssize_t r;
	if (w->layer) {
		r = layer_stream_next_block(w->in, buf);
	} else {
		r = vigil_istream_read(w->in, w->buf, VIGIL_TAR_READ_BUF);
		*buf = w->buf;
	}
	if (r < 0) {
		w->in_err = (int)r;
		archive_set_error(a, EIO, "input stream failed");
		return -1;
	}
	return r;
}

/* A failure reported by libarchive: the stream's own error if it failed. */
static int tar_error(vigil_tar_walk *w, const char *during)
{
	if (w->in_err)
		return w->in_err;
	const char *msg = archive_error_string(w->a);
	long long off = (long long)archive_filter_bytes(w->a, 0);
	if (!msg)
		msg = "unknown error";
	if (w->count == 0 && strstr(msg, "Unrecognized archive format"))
		return vigil_error_set(VIGIL_EFORMAT,
				       "layer is not a tar archive (nor gzip or zstd compressed)");
	if (w->in_fn)
		return vigil_error_set(VIGIL_EFORMAT, "tar: %s while %s of entry '%s' (uncompressed offset %lld)",
				       msg, during, w->e.path, off);
	if (w->prev[0])
		return vigil_error_set(VIGIL_EFORMAT, "tar: %s while %s after entry '%s' (uncompressed offset %lld)",
				       msg, during, w->prev, off);
	return vigil_error_set(VIGIL_EFORMAT, "tar: %s while %s (uncompressed offset %lld)", msg,
			       during, off);
}

int layer_tar_path_normalize(const char *raw, size_t len, char *out, size_t *out_len)
{
	size_t o = 0, i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && raw[j] != '/')
			j++;
		size_t n = j - i;
		const char *c = raw + i;
		i = j + 1;
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (o == 0) {
				*out_len = 0;
				out[0] = '\0';
				return vigil_error_set(VIGIL_EFORMAT, "path escapes the layer root");
			}
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the '/' before the dropped component */
			continue;
		}
		if (o)
			out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
	}
	out[o] = '\0';
	*out_len = o;
	return 0;
}

static const char *entry_name(struct archive_entry *ae)
{
	const char *s = archive_entry_pathname(ae);
	return s ? s : archive_entry_pathname_utf8(ae);
}

static const char *entry_hardlink(struct archive_entry *ae)
{
	const char *s = archive_entry_hardlink(ae);
	return s ? s : archive_entry_hardlink_utf8(ae);
}

static const char *entry_symlink(struct archive_entry *ae)
{
	const char *s = archive_entry_symlink(ae);
	return s ? s : archive_entry_symlink_utf8(ae);
}

static int check_len(const char *what, const char *name, size_t len)
{
	if (len <= VIGIL_TAR_MAX_PATH)
		return 0;
	return vigil_error_set(VIGIL_ELIMIT, "entry '%.200s...': %s of %zu bytes (limit %d)", name,
			       what, len, VIGIL_TAR_MAX_PATH);
}

/* What an OTHER entry is, for messages. */
static const char *special_name(unsigned type)
{
	switch (type) {
	case AE_IFIFO: return "fifo";
	case AE_IFCHR: return "character device";
	case AE_IFBLK: return "block device";
	case AE_IFSOCK: return "socket";
	default: return "special file";
	}
}

/* Fills w->e from the current header; 1 for the root entry (skipped). */
static int fill_entry(vigil_tar_walk *w, struct archive_entry *ae)
{
	vigil_tar_entry *e = &w->e;
	const char *name = entry_name(ae);
	int rc;

	if (!name)
		return vigil_error_set(VIGIL_EFORMAT, "tar: entry %llu has no readable name",
				       (unsigned long long)w->count);
	size_t nlen = strlen(name);
	if ((rc = check_len("name", name, nlen)) < 0)
		return rc;
	w->raw_name = name;
	if (layer_tar_path_normalize(name, nlen, w->path, &e->path_len) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "entry '%.400s': path escapes the layer root", name);
	if (e->path_len == 0)
		return 1;
	e->path = w->path;
	e->link = NULL;
	e->special = NULL;
	e->size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;
	if (e->size < 0 || e->size > VIGIL_TAR_MAX_ENTRY_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "entry '%s': size %lld is over the limit of %lld bytes",
				       e->path, (long long)e->size, (long long)VIGIL_TAR_MAX_ENTRY_SIZE);
	e->mode = (uint32_t)archive_entry_perm(ae) & 07777;
	e->uid = archive_entry_uid(ae);
	e->gid = archive_entry_gid(ae);
	e->mtime = archive_entry_mtime_is_set(ae) ? archive_entry_mtime(ae) : 0;

	const char *target = entry_hardlink(ae);
	if (target) {
		size_t tlen = strlen(target), olen;
		if ((rc = check_len("hard link target", target, tlen)) < 0)
			return rc;
		if (layer_tar_path_normalize(target, tlen, w->link, &olen) < 0)
			return vigil_error_set(VIGIL_EFORMAT,
					       "entry '%.300s': hard link target '%.300s' escapes the layer root",
					       name, target);
		if (olen == 0)
			return vigil_error_set(VIGIL_EFORMAT,
					       "entry '%.300s': hard link to the layer root", name);
		e->type = VIGIL_TAR_HARDLINK;
		e->link = w->link;
		return 0;
	}
	switch (archive_entry_filetype(ae)) {
	case AE_IFREG:
		e->type = VIGIL_TAR_FILE;
		break;
	case AE_IFDIR:
		e->type = VIGIL_TAR_DIR;
		break;
	case AE_IFLNK:
		e->type = VIGIL_TAR_SYMLINK;
		target = entry_symlink(ae);
		e->link = target ? target : "";
		if ((rc = check_len("symlink target", e->link, strlen(e->link))) < 0)
			return rc;
		break;
	default:
		e->type = VIGIL_TAR_OTHER;
		e->special = special_name(archive_entry_filetype(ae));
		break;
	}
	return 0;
}

static int append_zeros(vigil_buf *out, uint64_t n)
{
	static const char zeros[4096];
	while (n > 0) {
		size_t k = n > sizeof(zeros) ? sizeof(zeros) : (size_t)n;
		int rc = vigil_buf_append(out, zeros, k);
		if (rc < 0)
			return rc;
		n -= k;
	}
	return 0;
}

int layer_tar_read(vigil_tar_walk *w, vigil_buf *out)
{
	if (!w || !w->in_fn)
		return vigil_error_set(VIGIL_EINVAL, "layer_tar_read: called outside a tar walk callback");
	if (w->data_read)
		return vigil_error_set(VIGIL_EINVAL, "entry '%s': data already read", w->e.path);
	w->data_read = 1;
	vigil_buf_reset(out);
	if ((uint64_t)w->e.size > out->max)
		return vigil_error_set(VIGIL_ELIMIT, "entry '%s': %lld bytes, over the limit of %zu bytes",
				       w->e.path, (long long)w->e.size, out->max);
	for (;;) {
		const void *p;
		size_t n;
		la_int64_t off;
		int r = archive_read_data_block(w->a, &p, &n, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return tar_error(w, "reading the data");
		if (off < 0 || (uint64_t)off < out->len)
			return vigil_error_set(VIGIL_EFORMAT, "entry '%s': data blocks out of order (sparse map)",
					       w->e.path);
		if ((uint64_t)off > out->max || n > out->max - (size_t)off)
			return vigil_error_set(VIGIL_ELIMIT, "entry '%s': data past %zu bytes (the limit)",
					       w->e.path, out->max);
		int rc = append_zeros(out, (uint64_t)off - out->len);
		if (rc == 0 && n)
			rc = vigil_buf_append(out, p, n);
		if (rc < 0)
			return rc;
	}
	/* a sparse file may end with a hole */
	if (archive_entry_sparse_count(w->ae) > 0 && out->len < (uint64_t)w->e.size)
		return append_zeros(out, (uint64_t)w->e.size - out->len);
	return 0;
}

/* ---- the current entry's data as a stream (layer_tar_entry_stream) ---- */
struct entry_stream {
	vigil_istream base;
	vigil_tar_walk *w;
};

static ssize_t entry_read(vigil_istream *s, void *buf, size_t n)
{
	struct entry_stream *es = (struct entry_stream *)s;
	vigil_tar_walk *w = es->w;
	if (!w->in_fn)
		return vigil_error_set(VIGIL_EINVAL, "entry stream read outside its tar walk callback");
	la_ssize_t r = archive_read_data(w->a, buf, n); /* holes of a sparse file come as zeros */
	if (r < 0)
		return tar_error(w, "reading the data");
	return (ssize_t)r;
}

static void entry_close(vigil_istream *s)
{
	free(s);
}

static const struct vigil_istream_ops entry_ops = { entry_read, entry_close };

int layer_tar_entry_stream(vigil_tar_walk *w, vigil_istream **out)
{
	*out = NULL;
	if (!w || !w->in_fn)
		return vigil_error_set(VIGIL_EINVAL, "layer_tar_entry_stream: called outside a tar walk callback");
	if (w->data_read)
		return vigil_error_set(VIGIL_EINVAL, "entry '%s': data already read", w->e.path);
	w->data_read = 1;
	struct entry_stream *es = calloc(1, sizeof(*es));
	if (!es)
		return vigil_error_oom();
	es->base.ops = &entry_ops;
	es->w = w;
	*out = &es->base;
	return 0;
}

/* Reads what is left of the stream (end-of-archive padding, anything). */
static int drain(vigil_tar_walk *w)
{
	if (w->layer) {
		const void *p;
		ssize_t r;
		while ((r = layer_stream_next_block(w->in, &p)) > 0)
			;
		return (int)r;
	}
	int64_t r = vigil_istream_drain(w->in);
	return r < 0 ? (int)r : 0;
}

/* No bytes at all: an empty layer (Go's archive/tar reads it as no
 * entries), which libarchive would call an unrecognized format. */
static int empty_input(const vigil_tar_walk *w)
{
	return w->count == 0 && !w->in_err && w->in->nread == 0;
}

static int walk(vigil_tar_walk *w, vigil_tar_fn fn, void *ud)
{
	int rc;
	if (archive_read_support_format_tar(w->a) != ARCHIVE_OK)
		return vigil_error_set(VIGIL_ERROR, "libarchive: %s", archive_error_string(w->a));
	if (archive_read_open(w->a, w, NULL, cb_read, NULL) != ARCHIVE_OK)
		return empty_input(w) ? drain(w) : tar_error(w, "opening the archive");
	for (;;) {
		struct archive_entry *ae;
		int r = archive_read_next_header(w->a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN && empty_input(w))
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return tar_error(w, "reading a header");
		if (++w->count > VIGIL_TAR_MAX_ENTRIES)
			return vigil_error_set(VIGIL_ELIMIT, "tar: more than %d entries",
					       VIGIL_TAR_MAX_ENTRIES);
		rc = fill_entry(w, ae);
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue; /* the layer root */
		w->ae = ae;
		w->in_fn = 1;
		w->data_read = 0;
		rc = fn(ud, &w->e, w);
		w->in_fn = 0;
		if (rc < 0)
			return rc;
		memcpy(w->prev, w->path, w->e.path_len + 1);
	}
	return drain(w);
}

int layer_tar_walk_stream(vigil_istream *in, vigil_tar_fn fn, void *ud)
{
	int rc;
	vigil_tar_walk *w = calloc(1, sizeof(*w));
	if (!w)
		return vigil_error_oom();
	w->in = in;
	w->layer = layer_stream_compression(in) != NULL;
	if (!w->layer && !(w->buf = malloc(VIGIL_TAR_READ_BUF))) {
		rc = vigil_error_oom();
		goto out;
	}
	if (!(w->a = archive_read_new())) {
		rc = vigil_error_oom();
		goto out;
	}
	rc = walk(w, fn, ud);
out:
	if (w->a)
		archive_read_free(w->a);
	free(w->buf);
	free(w);
	return rc;
}
