/* scanner/lang/java_zip.h: zip archives read as streams with libarchive,
 * for lang/java.c and lang/egg.c only (see java_zip.c). */
#ifndef VIGIL_SCANNER_LANG_JAVA_ZIP_H
#define VIGIL_SCANNER_LANG_JAVA_ZIP_H

#include "scanner/lang/java.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct archive;

/* What one outermost archive may cost, shared by every reader opened in it. */
typedef struct jz_budget {
	const scan_java_limits *lim;
	uint64_t inflated;     /* bytes read out of nested entries and members */
	uint64_t max_inflated; /* from the limits and the outermost size */
	size_t entries;
	size_t buffered;       /* bytes of archives held in memory now */
	bool exhausted;        /* a budget limit stopped the reading */
} jz_budget;

typedef struct jz_reader jz_reader;

void jz_budget_init(jz_budget *b, const scan_java_limits *lim, uint64_t size);
/* A reader over a stream (the outermost archive; in is not owned). */
int jz_open_stream(jz_reader **out, vigil_istream *in, jz_budget *b);
/* A reader over an archive in memory (not copied): through its central
 * directory when it has one, else streamed. */
int jz_open_mem(jz_reader **out, const void *p, size_t n, jz_budget *b);
/* A reader over the current entry of parent (an archive inside it). */
int jz_open_nested(jz_reader **out, jz_reader *parent, jz_budget *b);
void jz_close(jz_reader *r); /* NULL is fine */

/* The next regular file: 1 with *name set (valid until the next call),
 * 0 at the end, a negative VIGIL_E* when the archive cannot be read on
 * (message set: libarchive's words or the limit). */
int jz_next(jz_reader *r, const char **name);
/* Reads the current entry into buf (at most max bytes; *truncated when
 * there was more). A negative VIGIL_E* with the message set on failure. */
int jz_read_member(jz_reader *r, char *buf, size_t max, size_t *len, bool *truncated);
/* The current entry's size as its header gives it, or -1. */
int64_t jz_entry_size(const jz_reader *r);
/* Whether the failure seen last leaves the archive unreadable (no next). */
bool jz_dead(const jz_reader *r);

#endif
