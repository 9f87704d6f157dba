/* store/store_images.h: the images vigil indexed (vigil/store.h's
 * vigil_store_image): one row per `vigil index` / `vigil scan`, table
 * image_record (SQLite migration 9, PostgreSQL 4). The layers are kept as
 * one text column, the digests base first joined by single spaces, so a
 * row is one read; the family tree compares the lists in C
 * (audit/inspect_store.c).
 *
 * A backend implements struct store_image_ops (store/sqlite_images.c,
 * store/pg_images.c); callers go through the public wrappers
 * (store/store_images.c). */
#ifndef VIGIL_STORE_STORE_IMAGES_H
#define VIGIL_STORE_STORE_IMAGES_H

#include "vigil/store.h"

/* Bytes of the joined layer list of one row (1024 digests of 71 bytes + spaces). */
#define STORE_IMAGE_MAX_LAYERS_TEXT ((size_t)VIGIL_STORE_MAX_IMAGE_LAYERS * 136)

/* One row as a backend reads it; layers joined by spaces. */
typedef struct store_image_row {
	const char *reference, *repository, *tag, *manifest, *config, *layers;
	int64_t indexed_at, findings;
} store_image_row;

typedef int (*store_image_fn)(void *ud, const vigil_store_image *rec);

struct store_image_ops {
	/* Inserts row (indexed_at set, tag NULL or a string, layers joined). */
	int (*put)(vigil_store *s, const store_image_row *row);
	/* Rows oldest first (by insertion), of repository/tag when not NULL;
	 * each through store_image_emit(). */
	int (*each)(vigil_store *s, const char *repository, const char *tag, store_image_fn fn, void *ud);
};

/* Splits row->layers and calls fn (backends call it for each row). */
int store_image_emit(const store_image_row *row, store_image_fn fn, void *ud);

int sqlite_image_put(vigil_store *s, const store_image_row *row);
int sqlite_image_each(vigil_store *s, const char *repository, const char *tag, store_image_fn fn, void *ud);
int pg_image_put(vigil_store *s, const store_image_row *row);
int pg_image_each(vigil_store *s, const char *repository, const char *tag, store_image_fn fn, void *ud);

#endif
