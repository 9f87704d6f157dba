/* store/sqlite.c: the SQLite backend of the store: one file, WAL journal,
 * a busy timeout so that concurrent vigil processes share it, and numbered
 * schema migrations applied when it is opened; the layer cache, and the
 * ops table of each part of the store (store_priv.h), filled in at open. */
#include "store/sqlite_priv.h"
#include "store/store_images.h"
#include "util/error.h"

#include <errno.h>
#include <sys/statvfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Migration i brings the schema from version i to i + 1. Never edit one
 * that has shipped: add the next. */
static const char *const migrations[] = {
	"CREATE TABLE layer_scan ("
	"  digest TEXT NOT NULL,"
	"  scanners TEXT NOT NULL,"
	"  result BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now')),"
	"  PRIMARY KEY (digest, scanners)"
	");",
	/* 2: vulnerability data. A record (vuln) is content-addressed by the
	 * sha256 of its canonical JSON and shared by every operation that saw
	 * it (uo_vuln); affected holds its rows for lookups by package. */
	"CREATE TABLE update_operation ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  ref TEXT NOT NULL UNIQUE,"
	"  feed TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  vulns INTEGER NOT NULL DEFAULT 0,"
	"  affected INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX update_operation_feed ON update_operation (feed, id);"
	"CREATE TABLE vuln ("
	"  id INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  severity INTEGER NOT NULL,"
	"  record BLOB NOT NULL"
	");"
	"CREATE INDEX vuln_name ON vuln (name);"
	"CREATE TABLE uo_vuln ("
	"  op INTEGER NOT NULL REFERENCES update_operation (id) ON DELETE CASCADE,"
	"  vuln INTEGER NOT NULL REFERENCES vuln (id),"
	"  PRIMARY KEY (op, vuln)"
	") WITHOUT ROWID;"
	"CREATE INDEX uo_vuln_vuln ON uo_vuln (vuln);"
	"CREATE TABLE affected ("
	"  vuln INTEGER NOT NULL REFERENCES vuln (id) ON DELETE CASCADE,"
	"  namespace TEXT NOT NULL,"
	"  package TEXT NOT NULL,"
	"  is_source INTEGER NOT NULL,"
	"  scheme TEXT,"
	"  state INTEGER NOT NULL,"
	"  fixed TEXT,"
	"  module TEXT,"
	"  arch TEXT,"
	"  severity INTEGER NOT NULL"
	");"
	"CREATE INDEX affected_lookup ON affected (namespace, package);"
	"CREATE INDEX affected_vuln ON affected (vuln);"
	"CREATE TABLE feed_status ("
	"  feed TEXT PRIMARY KEY,"
	"  last_attempt INTEGER NOT NULL,"
	"  last_error TEXT"
	");",
	/* 3: what `vigil db update` last got for each URL, for conditional
	 * requests (If-None-Match / If-Modified-Since). */
	"CREATE TABLE fetch_state ("
	"  url TEXT PRIMARY KEY,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  fetched_at INTEGER NOT NULL"
	");",
	/* 4: what a finding shows of a record, in columns, so the matcher does
	 * not decode whole records (Ubuntu's list every release) per finding;
	 * and the per-package vendor severity (Ubuntu's priority per package).
	 * Records written before have no detail row: they are decoded. */
	"CREATE TABLE vuln_detail ("
	"  vuln INTEGER PRIMARY KEY REFERENCES vuln (id) ON DELETE CASCADE,"
	"  summary TEXT, description TEXT, links TEXT, aliases TEXT, published TEXT,"
	"  vendor_severity TEXT, cvss3_score REAL, cvss3_vector TEXT, cvss2_score REAL, cvss2_vector TEXT"
	");"
	"ALTER TABLE affected ADD COLUMN vendor_severity TEXT;"
	/* The matcher's table: the affected rows of the newest operation of
	 * each feed, with what a finding needs of their record, clustered by
	 * (namespace, package) so one lookup is one range of one b-tree.
	 * Rebuilt for a feed when its operation commits (sqlite_vuln.c). */
	"CREATE TABLE match_row ("
	"  namespace TEXT NOT NULL, package TEXT NOT NULL, aid INTEGER NOT NULL,"
	"  feed TEXT NOT NULL, vuln INTEGER NOT NULL, name TEXT NOT NULL, source TEXT NOT NULL,"
	"  is_source INTEGER NOT NULL, scheme TEXT, state INTEGER NOT NULL, fixed TEXT, module TEXT,"
	"  arch TEXT, severity INTEGER NOT NULL, vendor_severity TEXT,"
	"  PRIMARY KEY (namespace, package, aid)"
	") WITHOUT ROWID;"
	"CREATE INDEX match_row_feed ON match_row (feed);"
	"INSERT INTO match_row " MATCH_ROW_SELECT
	"  WHERE o.id IN (SELECT max(id) FROM update_operation GROUP BY feed);",
	/* 5: Clair v1 layers (the API of Clair 2): a client's layer name, the
	 * digest of the bytes fetched (its scan is in layer_scan) and the
	 * parent's name (store/sqlite_v1.c). */
	"CREATE TABLE v1_layer ("
	"  name TEXT PRIMARY KEY,"
	"  parent TEXT,"
	"  digest TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now'))"
	");"
	"CREATE INDEX v1_layer_parent ON v1_layer (parent);",
	/* 6: the server's v4 index reports (vigil serve): the IndexReport JSON
	 * of a manifest hash, the Manifest it was made from and the indexer
	 * state it was made under (store/sqlite_report.c). */
	"CREATE TABLE index_report ("
	"  manifest TEXT PRIMARY KEY,"
	"  state TEXT NOT NULL,"
	"  report BLOB NOT NULL,"
	"  request BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL DEFAULT (strftime('%s','now'))"
	");",
	/* 7: what a v1 layer was made from: the sha256 of the Path it was
	 * fetched from (store/sqlite_v1.c); NULL for rows of before. */
	"ALTER TABLE v1_layer ADD COLUMN source TEXT;",
	/* 8: notifications (store/sqlite_notify.c, store_notify.h): the
	 * baselines of watched manifests, the sets and their entries, their
	 * delivery state, and the feeds' state of the last generation. */
	"CREATE TABLE notify_known (manifest TEXT PRIMARY KEY);"
	"CREATE TABLE notify_base ("
	"  manifest TEXT NOT NULL, vkey TEXT NOT NULL, summary TEXT NOT NULL,"
	"  PRIMARY KEY (manifest, vkey)"
	");"
	"CREATE TABLE notify_set ("
	"  id TEXT PRIMARY KEY,"
	"  created_at INTEGER NOT NULL,"
	"  entries INTEGER NOT NULL,"
	"  delivered_at INTEGER NOT NULL DEFAULT 0,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL DEFAULT 0,"
	"  claimed_by TEXT,"
	"  claimed_until INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT"
	");"
	"CREATE INDEX notify_set_due ON notify_set (delivered_at, next_attempt);"
	"CREATE TABLE notify_entry ("
	"  set_id TEXT NOT NULL REFERENCES notify_set (id) ON DELETE CASCADE,"
	"  id TEXT NOT NULL, manifest TEXT NOT NULL, reason TEXT NOT NULL, summary TEXT NOT NULL,"
	"  PRIMARY KEY (set_id, id)"
	");"
	"CREATE TABLE notify_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
	/* 9: the images vigil indexed (store/sqlite_images.c, store_images.h):
	 * one row per `vigil index` / `vigil scan`, for vigil inspect's family
	 * tree and tag history. layers: the digests base first, joined by
	 * spaces; findings -1 when not known. */
	"CREATE TABLE image_record ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  reference TEXT NOT NULL, repository TEXT NOT NULL, tag TEXT,"
	"  manifest TEXT NOT NULL, config TEXT, layers TEXT NOT NULL,"
	"  indexed_at INTEGER NOT NULL, findings INTEGER NOT NULL DEFAULT -1"
	");"
	"CREATE INDEX image_record_tag ON image_record (repository, tag, id);"
	"CREATE INDEX image_record_manifest ON image_record (manifest);",
};

int sqlite_error(sqlite3 *db, const char *what)
{
	return vigil_error_set(VIGIL_ESTORE, "sqlite: %s: %s", what, sqlite3_errmsg(db));
}

/* The file system of path's folder, when it explains a failure: "" else. */
static const char *fs_state(const char *path)
{
	char dir[sizeof(((struct sqlite_store *)0)->path)];
	struct statvfs sv;
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
	if (statvfs(dir, &sv) < 0)
		return "";
	if (sv.f_flag & ST_RDONLY)
		return "read-only file system";
	if (sv.f_bavail == 0)
		return "the disk is full";
	return "";
}

/* Why a store could not be opened, in words, naming the path, with
 * SQLite's message and the system's: a full disk, a read-only file system,
 * an I/O error are not "not a vigil store". */
static int open_error(sqlite3 *db, const char *path, const char *during)
{
	int code = db ? sqlite3_extended_errcode(db) & 0xff : SQLITE_NOMEM;
	int sys = db ? sqlite3_system_errno(db) : 0;
	const char *what, *fs = "";
	if (code == SQLITE_NOMEM)
		return vigil_error_oom();
	if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_FULL ||
	    code == SQLITE_READONLY)
		fs = fs_state(path);
	else
		sys = 0; /* the system's error belongs to those only */
	switch (code) {
	case SQLITE_FULL: what = "the disk is full"; break;
	case SQLITE_READONLY: what = "cannot write (read-only file or file system)"; break;
	case SQLITE_IOERR: what = "I/O error"; break;
	case SQLITE_CANTOPEN: what = "cannot open or create the file"; break;
	case SQLITE_PERM: case SQLITE_AUTH: what = "permission denied"; break;
	case SQLITE_NOTADB: what = "not a vigil store (not an SQLite database)"; break;
	case SQLITE_CORRUPT: what = "the database is corrupt"; break;
	case SQLITE_BUSY: case SQLITE_LOCKED: what = "the database is locked"; break;
	default: what = "cannot open the store"; break;
	}
	if (*fs && code != SQLITE_FULL)
		what = fs;
	return vigil_error_set(VIGIL_ESTORE, "%s: %s (%s: sqlite: %s%s%s)", path, what, during,
			       db ? sqlite3_errmsg(db) : "cannot open", sys ? "; " : "",
			       sys ? strerror(sys) : "");
}

static int migrate(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	int version = 0, rc;
	const int latest = (int)(sizeof(migrations) / sizeof(migrations[0]));
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return open_error(db, path, "starting the schema migration");
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = open_error(db, path, "reading the schema version");
		goto out;
	}
	version = sqlite3_column_int(st, 0);
	if (version > latest) {
		rc = vigil_error_set(VIGIL_ESTORE, "%s: schema version %d is newer than this vigil (%d)",
				     path, version, latest);
		goto out;
	}
	for (int i = version; i < latest; i++) {
		if (sqlite3_exec(db, migrations[i], NULL, NULL, NULL) != SQLITE_OK) {
			rc = open_error(db, path, "migrating the schema");
			goto out;
		}
	}
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", latest);
	if (sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		rc = open_error(db, path, "setting the schema version");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int s_layer_get(vigil_store *s, const char *digest, const char *scanners, char **blob,
		       size_t *len)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT result FROM layer_scan WHERE digest = ?1 AND scanners = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, scanners, -1, SQLITE_STATIC);
	int step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "layer %s is not cached", digest);
	} else if (step != SQLITE_ROW) {
		rc = sqlite_error(db, "read cached layer");
	} else {
		int n = sqlite3_column_bytes(st, 0);
		const void *p = sqlite3_column_blob(st, 0);
		*blob = malloc((size_t)n + 1);
		if (!*blob) {
			rc = vigil_error_oom();
		} else {
			if (n)
				memcpy(*blob, p, (size_t)n);
			(*blob)[n] = '\0';
			*len = (size_t)n;
			rc = 0;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static int s_layer_put(vigil_store *s, const char *digest, const char *scanners, const char *blob,
		       size_t len)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO layer_scan (digest, scanners, result) VALUES (?1, ?2, ?3)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, scanners, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 3, blob, len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = sqlite_error(db, "store layer scan");
	sqlite3_finalize(st);
	return rc;
}

static int s_count(vigil_store *s, long long *count)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM layer_scan", -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	if (sqlite3_step(st) == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	else
		rc = sqlite_error(db, "count layer scans");
	sqlite3_finalize(st);
	return rc;
}

static int s_clear(vigil_store *s, long long *removed)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	if (sqlite3_exec(db, "DELETE FROM layer_scan", NULL, NULL, NULL) != SQLITE_OK)
		return sqlite_error(db, "clear cache");
	*removed = sqlite3_changes64(db);
	return 0;
}

static void s_close(vigil_store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	sqlite3_close_v2(ss->db);
	sqlite_lock_close(ss);
	free(ss);
}

static int s_schema_version(vigil_store *s, int *version)
{
	sqlite3 *db = ((struct sqlite_store *)s)->db;
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return sqlite_error(db, "prepare");
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	else
		rc = sqlite_error(db, "read schema version");
	sqlite3_finalize(st);
	return rc;
}

/* The parts of the store (store_priv.h), each implemented side by side
 * with the PostgreSQL backend's (store/pg.c). */
static const struct store_core_ops sqlite_core_ops = {
	.close = s_close,
	.schema_version = s_schema_version,
};

static const struct store_layer_ops sqlite_layer_ops = {
	.layer_get = s_layer_get,
	.layer_put = s_layer_put,
	.cache_clear = s_clear,
	.cache_count = s_count,
};

static const struct store_vuln_ops sqlite_vuln_ops = {
	.vuln_begin = sqlite_vuln_begin,
	.vuln_put = sqlite_vuln_put,
	.vuln_commit = sqlite_vuln_commit,
	.vuln_abort = sqlite_vuln_abort,
	.feed_attempt = sqlite_feed_attempt,
	.db_gc = sqlite_db_gc,
	.feed_last_op = sqlite_feed_last_op,
	.db_status = sqlite_db_status,
	.db_ops = sqlite_db_ops,
	.db_diff = sqlite_db_diff,
	.vuln_by_name = sqlite_vuln_by_name,
	.namespace_count = sqlite_namespace_count,
	.namespace_feeds = sqlite_namespace_feeds,
	.op_records = sqlite_op_records,
	.reader_open = sqlite_reader_open,
	.reader_affected = sqlite_reader_affected,
	.reader_record = sqlite_reader_record,
	.reader_detail = sqlite_reader_detail,
	.reader_named_detail = sqlite_reader_named_detail,
	.reader_close = sqlite_reader_close,
};

static const struct store_fetch_ops sqlite_fetch_ops = {
	.fetch_get = sqlite_fetch_get,
	.fetch_put = sqlite_fetch_put,
};

static const struct store_report_ops sqlite_report_ops = {
	.report_get = sqlite_report_get,
	.report_put = sqlite_report_put,
	.report_delete = sqlite_report_delete,
	.v1_layer_put = sqlite_v1_layer_put,
	.v1_layer_get = sqlite_v1_layer_get,
	.v1_layer_delete = sqlite_v1_layer_delete,
	.v1_namespaces = sqlite_v1_namespaces,
	.v1_ns_vulns = sqlite_v1_ns_vulns,
};

static const struct store_notify_ops sqlite_notify_ops = {
	.manifests = sqlite_notify_manifests,
	.base_get = sqlite_notify_base_get,
	.base_put = sqlite_notify_base_put,
	.commit = sqlite_notify_commit,
	.state_get = sqlite_notify_state_get,
	.page = sqlite_notify_page,
	.info = sqlite_notify_info,
	.remove = sqlite_notify_remove,
	.claim = sqlite_notify_claim,
	.release = sqlite_notify_release,
	.expire = sqlite_notify_expire,
};

static const struct store_image_ops sqlite_image_ops = {
	.put = sqlite_image_put,
	.each = sqlite_image_each,
};

static const struct store_lock_ops sqlite_lock_ops = {
	.xlock_try = sqlite_xlock_try,
	.xlock_release = sqlite_xlock_release,
};


int sqlite_store_open(const char *path, vigil_store **out)
{
	struct sqlite_store *s = calloc(1, sizeof(*s));
	int rc;
	if (!s)
		return vigil_error_oom();
	s->base.core = &sqlite_core_ops;
	s->base.layers = &sqlite_layer_ops;
	s->base.vuln = &sqlite_vuln_ops;
	s->base.fetch = &sqlite_fetch_ops;
	s->base.reports = &sqlite_report_ops;
	s->base.xlock = &sqlite_lock_ops;
	s->base.notify = &sqlite_notify_ops;
	s->base.images = &sqlite_image_ops;
	s->lockfd = -1;
	pthread_mutex_init(&s->lock_mu, NULL);
	snprintf(s->base.describe, sizeof(s->base.describe), "sqlite:%s", path);
	if (strlen(path) >= sizeof(s->path)) {
		rc = vigil_error_set(VIGIL_ELIMIT, "store path longer than %zu bytes", sizeof(s->path) - 1);
		goto fail;
	}
	memcpy(s->path, path, strlen(path) + 1);
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		rc = open_error(s->db, path, "opening");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, SQLITE_BUSY_MS);
	if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		rc = open_error(s->db, path, "setting the journal mode");
		goto fail;
	}
	if ((rc = migrate(s->db, path)) < 0)
		goto fail;
	*out = &s->base;
	return 0;
fail:
	sqlite3_close_v2(s->db);
	sqlite_lock_close(s);
	free(s);
	return rc;
}
