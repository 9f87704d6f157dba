/* scanner/lang/java_zip.c: zip archives read as streams with libarchive
 * (archive_read_support_format_zip_streamable), for the Java archive and
 * Python egg scanners.
 *
 * A reader pulls its bytes through a read callback, either from the
 * vigil_istream of a tar entry (the outermost archive) or from
 * archive_read_data() of the reader one level up (an archive inside an
 * archive). Each reader owns one JZ_BUF buffer and libarchive's state; no
 * entry is ever written anywhere. Entries that are not read are skipped by
 * archive_read_next_header() (without inflating when the local header
 * gives the compressed size).
 *
 * An archive in memory (jz_open_mem) is opened with both of libarchive's
 * zip readers: the seekable one reads the central directory and goes to
 * each entry's local header, so entries not read are never inflated; where
 * there is no central directory (a cut archive) the streaming one reads
 * what it can.
 *
 * The streaming reader follows the local headers only. What it cannot do:
 * an entry whose sizes come after its data (general purpose bit 3) and
 * that is stored rather than deflated is found by looking for the data
 * descriptor's signature (libarchive's heuristic; a stored entry that
 * holds that signature itself fails); an encrypted entry or an unknown
 * compression method fails (ARCHIVE_FAILED: that entry only); a damaged
 * local header or deflate stream ends the archive (ARCHIVE_FATAL). The
 * caller warns, naming the archive and the entry, and keeps what it read.
 *
 * Limits (jz_budget): every byte read out of a nested entry or a member is
 * counted against the outermost archive's budget (a multiple of its size,
 * with a floor and a ceiling), and against max_nested for one nested
 * archive; entries are counted across every level. A limit reached stops
 * the reading with VIGIL_ELIMIT. */
#include "scanner/lang/java_zip.h"
#include "util/error.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* The read size of each reader (one buffer per open level). */
#define JZ_BUF ((size_t)32 * 1024)

struct jz_reader {
	struct archive *a;
	vigil_istream *in;     /* the outermost reader's source */
	jz_reader *parent;     /* or the reader one level up (or neither: memory) */
	struct archive_entry *cur;
	jz_budget *b;
	uint64_t pulled;       /* bytes read from the parent's entry */
	bool dead;
	char why[160];         /* the limit that stopped it, if any */
	char buf[JZ_BUF];
};

void jz_budget_init(jz_budget *b, const scan_java_limits *lim, uint64_t size)
{
	uint64_t cap = lim->ratio_floor;
	*b = (jz_budget){ .lim = lim };
	if (lim->ratio && size <= UINT64_MAX / lim->ratio && size * lim->ratio > cap)
		cap = size * lim->ratio;
	b->max_inflated = cap < lim->max_inflated ? cap : lim->max_inflated;
}

/* Counts n bytes read out of a parent entry; false (r->why set) past a limit. */
static bool jz_charge(jz_reader *r, uint64_t n, bool nested)
{
	jz_budget *b = r->b;
	b->inflated += n;
	if (b->inflated > b->max_inflated) {
		b->exhausted = true;
		snprintf(r->why, sizeof(r->why),
			 "more than %llu bytes inflated in this archive (limit: %llu times its size, at least %llu, at most %llu)",
			 (unsigned long long)b->max_inflated, (unsigned long long)b->lim->ratio,
			 (unsigned long long)b->lim->ratio_floor,
			 (unsigned long long)b->lim->max_inflated);
		return false;
	}
	if (nested && r->pulled > b->lim->max_nested) {
		snprintf(r->why, sizeof(r->why), "nested archive larger than %llu bytes (the limit)",
			 (unsigned long long)b->lim->max_nested);
		return false;
	}
	return true;
}

static la_ssize_t jz_cb_read(struct archive *a, void *ud, const void **buf)
{
	jz_reader *r = ud;
	ssize_t n;
	*buf = r->buf;
	if (r->in) {
		n = vigil_istream_read(r->in, r->buf, JZ_BUF);
		if (n < 0) {
			archive_set_error(a, EIO, "%s", vigil_error_message());
			return -1;
		}
		return n;
	}
	n = archive_read_data(r->parent->a, r->buf, JZ_BUF);
	if (n < 0) {
		archive_set_error(a, EIO, "%s",
				  archive_error_string(r->parent->a) ? archive_error_string(r->parent->a)
								     : "read error in the enclosing archive");
		return -1;
	}
	r->pulled += (uint64_t)n;
	if (!jz_charge(r, (uint64_t)n, true)) {
		archive_set_error(a, EIO, "%s", r->why);
		return -1;
	}
	return n;
}

static int jz_open(jz_reader **out, vigil_istream *in, jz_reader *parent, const void *mem,
		   size_t len, jz_budget *b)
{
	jz_reader *r = calloc(1, sizeof(*r));
	*out = NULL;
	if (!r)
		return vigil_error_oom();
	r->in = in;
	r->parent = parent;
	r->b = b;
	r->a = archive_read_new();
	if (!r->a) {
		free(r);
		return vigil_error_oom();
	}
	/* in memory: both zip readers, the seekable one wins where there is a
	 * central directory to read */
	int ar = mem ? archive_read_support_format_zip(r->a)
		     : archive_read_support_format_zip_streamable(r->a);
	if (ar == ARCHIVE_OK)
		ar = mem ? archive_read_open_memory(r->a, mem, len)
			 : archive_read_open(r->a, r, NULL, jz_cb_read, NULL);
	if (ar != ARCHIVE_OK) {
		int rc = vigil_error_set(VIGIL_EFORMAT, "not a zip archive: %s",
					 archive_error_string(r->a) ? archive_error_string(r->a) : "no data");
		jz_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int jz_open_stream(jz_reader **out, vigil_istream *in, jz_budget *b)
{
	return jz_open(out, in, NULL, NULL, 0, b);
}

int jz_open_mem(jz_reader **out, const void *p, size_t n, jz_budget *b)
{
	return jz_open(out, NULL, NULL, p ? p : "", n, b);
}

int jz_open_nested(jz_reader **out, jz_reader *parent, jz_budget *b)
{
	return jz_open(out, NULL, parent, NULL, 0, b);
}

void jz_close(jz_reader *r)
{
	if (!r)
		return;
	archive_read_free(r->a);
	free(r);
}

int64_t jz_entry_size(const jz_reader *r)
{
	return r->cur && archive_entry_size_is_set(r->cur) ? (int64_t)archive_entry_size(r->cur) : -1;
}

bool jz_dead(const jz_reader *r)
{
	return r->dead;
}

static int jz_fail(jz_reader *r, int ar, const char *what)
{
	const char *msg = archive_error_string(r->a);
	if (ar == ARCHIVE_FATAL)
		r->dead = true;
	if (r->why[0]) /* a limit, whatever libarchive made of the failed read */
		return vigil_error_set(VIGIL_ELIMIT, "%s", r->why);
	return vigil_error_set(VIGIL_EFORMAT, "%s: %s", what, msg ? msg : "unreadable");
}

int jz_next(jz_reader *r, const char **name)
{
	struct archive_entry *e;
	if (r->dead)
		return 0;
	for (;;) {
		int ar = archive_read_next_header(r->a, &e);
		if (ar == ARCHIVE_EOF)
			return 0;
		if (ar != ARCHIVE_OK && ar != ARCHIVE_WARN) {
			r->dead = true; /* the stream cannot be followed past a bad header */
			return jz_fail(r, ARCHIVE_FATAL, "zip");
		}
		if (++r->b->entries > r->b->lim->max_entries) {
			r->dead = true;
			r->b->exhausted = true;
			return vigil_error_set(VIGIL_ELIMIT, "more than %zu entries (the limit)",
					       r->b->lim->max_entries);
		}
		if (archive_entry_filetype(e) != AE_IFREG || !archive_entry_pathname(e))
			continue;
		*name = archive_entry_pathname(e);
		r->cur = e;
		return 1;
	}
}

int jz_read_member(jz_reader *r, char *buf, size_t max, size_t *len, bool *truncated)
{
	char extra;
	*len = 0;
	*truncated = false;
	for (;;) {
		la_ssize_t n = *len < max ? archive_read_data(r->a, buf + *len, max - *len)
					  : archive_read_data(r->a, &extra, 1);
		if (n < 0)
			return jz_fail(r, (int)n, "zip entry data");
		if (n == 0)
			return 0;
		if (*len == max) {
			*truncated = true;
			return 0;
		}
		if (!jz_charge(r, (uint64_t)n, false)) {
			r->dead = true;
			return vigil_error_set(VIGIL_ELIMIT, "%s", r->why);
		}
		*len += (size_t)n;
	}
}
