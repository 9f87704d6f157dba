/* indexer/layer_scan.c: one pass over a layer's tar, keeping what matters.
 *
 * For every entry the path classifier (paths.c) says whether it is a
 * database or release file (read and parsed now, as the tar walks by), a
 * folder above one (kept as DIR, SYMLINK or FILE so that stacking can tell
 * a replaced or redirected folder), or nothing to vigil (skipped without a
 * copy). Whiteouts are kept when they hide such a path.
 *
 * Warnings, kept in the result (and so in the cache and every report of an
 * image with the layer): a fifo, device or socket where a database or
 * release file is (it hides one below and gives nothing), and a layer of
 * no bytes at all, which is not a tar archive but is read as an empty
 * layer, as Docker and containerd read it (docs/layers.md). */
#include "indexer/layer_result.h"
#include "layer/layer.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

struct idx_layer_scan {
	vigil_layer_result *r;
	const volatile int *cancel;
	vigil_buf data;
	vigil_map files;   /* path -> index + 1 of the layer's last FILE artifact there */
	size_t indexed;    /* artifacts [0, indexed) are in files */
};
#define scan_state idx_layer_scan

/* A whiteout entry dir/.wh.NAME or dir/.wh..wh..opq. */
/* "layer DIGEST: " before a message, as three %s arguments; nothing while
 * the digest is not known yet (a v1 layer is read before its digest is
 * known: its caller names it) */
#define LAYER_TAG(r) ((r)->digest[0] ? "layer " : ""), (r)->digest, ((r)->digest[0] ? ": " : "")

/* Whether a deleted or opaque folder may hold language package files,
 * which live anywhere: any folder outside the system trees that hold none
 * (so a deleted site-packages, node_modules or /app hides what was in it). */
static bool lang_may_hide(const char *path, size_t len)
{
	static const char *const none[] = { "etc", "var/cache", "var/log", "proc", "sys",
					    "dev", "tmp", "run", "boot" };
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		size_t n = strlen(none[i]);
		if (len >= n && memcmp(path, none[i], n) == 0 && (len == n || path[n] == '/'))
			return false;
	}
	return true;
}

static int on_whiteout(vigil_layer_result *r, const char *path, size_t len, size_t base)
{
	char hidden[VIGIL_TAR_MAX_PATH + 1];
	vigil_dbkind kind;
	const char *name = path + base;
	size_t nlen = len - base;
	size_t dlen = base ? base - 1 : 0; /* the folder, without its '/' */

	if (nlen == strlen(WH_OPAQUE) && memcmp(name, WH_OPAQUE, nlen) == 0) {
		if (dlen == 0 || idx_path_classify(path, dlen, &kind) != VIGIL_PATH_IGNORED ||
		    lang_may_hide(path, dlen))
			return idx_layer_result_add_entry(r, path, dlen, VIGIL_ART_OPAQUE, NULL);
		return 0;
	}
	if (nlen > 8 && memcmp(name, ".wh..wh.", 8) == 0)
		return 0; /* aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs) */
	/* dir/.wh.NAME hides dir/NAME */
	size_t hlen = dlen + (dlen ? 1 : 0) + nlen - strlen(WH_PREFIX);
	if (hlen == 0 || hlen > VIGIL_TAR_MAX_PATH)
		return 0;
	if (dlen) {
		memcpy(hidden, path, dlen);
		hidden[dlen] = '/';
	}
	memcpy(hidden + dlen + (dlen ? 1 : 0), name + strlen(WH_PREFIX), nlen - strlen(WH_PREFIX));
	hidden[hlen] = '\0';
	if (idx_path_classify(hidden, hlen, &kind) == VIGIL_PATH_IGNORED &&
	    !lang_may_hide(hidden, hlen))
		return 0;
	return idx_layer_result_add_entry(r, hidden, hlen, VIGIL_ART_WHITEOUT, NULL);
}

/* The last FILE artifact of the layer at path (a hard link's target), or
 * NULL. Artifacts are indexed as they come, so a layer of many hard links
 * (a pnpm store) costs one lookup each, not a scan. */
static int find_file(struct scan_state *st, const char *path, const vigil_artifact **out)
{
	vigil_layer_result *r = st->r;
	*out = NULL;
	for (; st->indexed < r->nart; st->indexed++) {
		const vigil_artifact *a = &r->arts[st->indexed];
		if (a->kind != VIGIL_ART_FILE)
			continue;
		int rc = vigil_map_set(&st->files, a->path, strlen(a->path),
				       (void *)(uintptr_t)(st->indexed + 1));
		if (rc < 0)
			return rc;
	}
	uintptr_t i = (uintptr_t)vigil_map_get(&st->files, path, strlen(path));
	if (i)
		*out = &r->arts[i - 1];
	return 0;
}

static int special_warning(vigil_layer_result *r, const vigil_tar_entry *e)
{
	char msg[VIGIL_TAR_MAX_PATH + 256];
	snprintf(msg, sizeof(msg), "%s%s%s%s is a %s, not a regular file: not read", LAYER_TAG(r), e->path,
		 e->special ? e->special : "special file");
	return idx_layer_result_warn(r, msg);
}

/* After a walk: a layer that held no bytes at all is not a tar archive. */
static int empty_warning(vigil_istream *tar, vigil_layer_result *r)
{
	char msg[256];
	if (!layer_stream_compression(tar) || tar->nread > 0)
		return 0;
	if (layer_stream_raw_bytes(tar) == 0)
		snprintf(msg, sizeof(msg), "%s%s%sthe blob is empty (0 bytes), not a tar archive: "
			 "read as an empty layer", LAYER_TAG(r));
	else
		snprintf(msg, sizeof(msg), "%s%s%sdecompresses to nothing (0 bytes), not a tar "
			 "archive: read as an empty layer", LAYER_TAG(r));
	return idx_layer_result_warn(r, msg);
}

/* A language package file over its limit: told, and kept without packages
 * (it still hides the same path below). */
static int lang_too_large(vigil_layer_result *r, const char *path, int64_t size, vigil_dbkind kind)
{
	char msg[VIGIL_TAR_MAX_PATH + 256];
	int rc;
	snprintf(msg, sizeof(msg), "%s%s%s%s: %lld bytes (limit %zu): not read", LAYER_TAG(r), path,
		 (long long)size, idx_dbkind_max_size(kind));
	if ((rc = idx_layer_result_warn(r, msg)) < 0)
		return rc;
	return idx_layer_result_add_entry(r, path, strlen(path), VIGIL_ART_FILE, NULL);
}

int idx_layer_scan_entry(idx_layer_scan *st, const vigil_tar_entry *e, const idx_entry_source *src)
{
	vigil_layer_result *r = st->r;
	vigil_dbkind kind;
	int rc;

	if (st->cancel && *st->cancel)
		return vigil_error_set(VIGIL_ECANCELED, "canceled");
	size_t base = 0;
	for (size_t i = e->path_len; i > 0; i--)
		if (e->path[i - 1] == '/') {
			base = i;
			break;
		}
	if (e->path_len - base >= 4 && memcmp(e->path + base, WH_PREFIX, 4) == 0)
		return on_whiteout(r, e->path, e->path_len, base);

	vigil_path_role role = idx_path_classify(e->path, e->path_len, &kind);
	if (role == VIGIL_PATH_IGNORED && e->type == VIGIL_TAR_FILE &&
	    idx_lang_is_executable(vigil_slice_make(e->path, e->path_len), e->mode, e->size)) {
		role = VIGIL_PATH_DB;
		kind = VIGIL_DB_BINARY;
	}
	if (role == VIGIL_PATH_IGNORED)
		return 0;
	switch (e->type) {
	case VIGIL_TAR_SYMLINK:
		return idx_layer_result_add_entry(r, e->path, e->path_len, VIGIL_ART_SYMLINK, e->link);
	case VIGIL_TAR_DIR:
		return role == VIGIL_PATH_ANCESTOR ? idx_layer_result_add_entry(r, e->path, e->path_len, VIGIL_ART_DIR, NULL) : 0;
	case VIGIL_TAR_HARDLINK: {
		if (role != VIGIL_PATH_DB)
			return 0;
		const vigil_artifact *t;
		if ((rc = find_file(st, e->link, &t)) < 0)
			return rc;
		if (!t)
			return idx_layer_result_add_entry(r, e->path, e->path_len, VIGIL_ART_HARDLINK, e->link);
		vigil_artifact copy = *t, *a;
		copy.path = vigil_intern_str(r->strings, e->path, e->path_len);
		if (!copy.path)
			return vigil_error_oom();
		if ((rc = idx_layer_result_add(r, &a)) < 0)
			return rc;
		*a = copy;
		return 0;
	}
	case VIGIL_TAR_FILE:
		break;
	default:
		/* a device or fifo where a database or folder was: it hides it */
		if (role == VIGIL_PATH_DB && (rc = special_warning(r, e)) < 0)
			return rc;
		return idx_layer_result_add_entry(r, e->path, e->path_len, VIGIL_ART_FILE, NULL);
	}
	if (role == VIGIL_PATH_ANCESTOR)
		return idx_layer_result_add_entry(r, e->path, e->path_len, VIGIL_ART_FILE, NULL);

	char path[VIGIL_TAR_MAX_PATH + 1];
	memcpy(path, e->path, e->path_len);
	path[e->path_len] = '\0';
	if (idx_dbkind_is_lang(kind) && (uint64_t)e->size > idx_dbkind_max_size(kind))
		return lang_too_large(r, path, e->size, kind);
	const idx_lang_kind *lk = idx_lang_kind_get(kind);
	if (lk && lk->parse_stream) {
		vigil_istream *in;
		if ((rc = src->stream(src->ud, &in)) < 0)
			return rc;
		rc = idx_layer_result_add_stream(r, path, kind, in, (uint64_t)e->size);
		vigil_istream_close(in);
		return rc;
	}
	vigil_buf_reset(&st->data);
	st->data.max = idx_dbkind_max_size(kind);
	rc = src->read(src->ud, &st->data);
	if (rc < 0) {
		vigil_error_prefix("%s%s%s", LAYER_TAG(r));
		return rc;
	}
	rc = idx_layer_result_add_file(r, path, kind, st->data.data ? st->data.data : "",
					 st->data.len);
	if (st->data.alloc > 4 * 1024 * 1024)
		vigil_buf_free(&st->data); /* keep the scan's memory flat */
	return rc;
}

static int tar_read(void *ud, vigil_buf *out) { return layer_tar_read(ud, out); }
static int tar_stream(void *ud, vigil_istream **out) { return layer_tar_entry_stream(ud, out); }

static int on_entry(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w)
{
	idx_entry_source src = { tar_read, tar_stream, w };
	return idx_layer_scan_entry(ud, e, &src);
}

int idx_layer_scan_begin(vigil_layer_result *r, const volatile int *cancel, idx_layer_scan **out)
{
	idx_layer_scan *st = calloc(1, sizeof(*st));
	*out = NULL;
	if (!st)
		return vigil_error_oom();
	st->r = r;
	st->cancel = cancel;
	vigil_buf_init(&st->data, VIGIL_MAX_RELEASE_FILE);
	*out = st;
	return 0;
}

int idx_layer_scan_end(idx_layer_scan *st, vigil_istream *tar, int rc)
{
	if (!st)
		return rc;
	vigil_layer_result *r = st->r;
	if (rc == 0 && tar)
		rc = empty_warning(tar, r);
	if (rc < 0 && r->digest[0] && strncmp(vigil_error_message(), "layer ", 6) != 0)
		vigil_error_prefix("layer %s: ", r->digest);
	vigil_buf_free(&st->data);
	vigil_map_free(&st->files);
	free(st);
	return rc;
}

int idx_layer_scan_tar(vigil_istream *tar, vigil_layer_result *r, const volatile int *cancel)
{
	idx_layer_scan *st;
	int rc = idx_layer_scan_begin(r, cancel, &st);
	if (rc < 0)
		return rc;
	rc = layer_tar_walk_stream(tar, on_entry, st);
	return idx_layer_scan_end(st, tar, rc);
}
