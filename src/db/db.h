/* db/db.h: the insides of the vulnerability database module: canonical
 * records, feed detection and the importer (the public API is vigil/db.h). */
#ifndef VIGIL_DB_DB_H
#define VIGIL_DB_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "feed/feed.h"
#include "vigil/db.h"

/* Largest file the importer reads (after decompression). */
#define VIGIL_DB_MAX_FILE ((size_t)1024 * 1024 * 1024)
/* Files one import may walk. */
#define VIGIL_DB_MAX_FILES 1000000
/* Folder depth the walk goes to. */
#define VIGIL_DB_MAX_DEPTH 32

typedef int (*vigil_feed_parser)(vigil_feed_ctx *ctx, const char *data, size_t len);

typedef struct vigil_feed_format {
	const char *feed;      /* the update operation's feed name: "debian", "redhat-oval" */
	const char *format;    /* for messages: "Debian tracker JSON" */
	vigil_feed_parser parse;
	bool per_file;         /* one advisory per file: a file that fails is a warning naming it, the rest is kept */
} vigil_feed_format;

/* The format of a file from its name and first bytes (data is the whole file,
 * decompressed); NULL when vigil does not know it. */
const vigil_feed_format *db_feed_detect(const char *name, const char *data, size_t len);

/* The canonical JSON of a record (sorted keys, compact) and its sha256
 * ("sha256:<hex>" in hash, 72 bytes). *json is malloc'd. */
int db_vuln_canonical(const vigil_vuln *v, char **json, size_t *len, char hash[72]);

/* Decodes a canonical record into v, its strings in a. */
int db_vuln_decode(const char *json, size_t len, vigil_arena *a, vigil_vuln *v);

#endif
