/* store/store.c: the backend-independent part of the store: choosing the
 * backend and the default location, closing, the schema version and what
 * the backends' writers share. The wrappers of each part are in the
 * part's own file (store_layers.c, store_vuln.c, store_fetch.c,
 * store_reports.c, store_lock.c). */
#include "store/store_priv.h"
#include "util/error.h"

#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			int e = errno;
			*p = '/';
			return vigil_error_set(VIGIL_EIO, "cannot create %s: %s", path, strerror(e));
		}
		*p = '/';
	}
	return 0;
}

int vigil_store_default_path(char *buf, size_t n)
{
	const char *env = getenv("VIGIL_DB");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int w;
	if (env && *env)
		w = snprintf(buf, n, "%s", env);
	else if (xdg && *xdg == '/')
		w = snprintf(buf, n, "%s/vigil/vigil.db", xdg);
	else if (home && *home)
		w = snprintf(buf, n, "%s/.cache/vigil/vigil.db", home);
	else
		return vigil_error_set(VIGIL_EINVAL, "no cache folder: set HOME, XDG_CACHE_HOME or VIGIL_DB");
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "store path is too long");
	return store_is_pg(buf) ? 0 : mkdirs(buf); /* VIGIL_DB may be a PostgreSQL DSN */
}

int store_is_pg(const char *location)
{
	return location && (strncmp(location, "postgres://", 11) == 0 ||
			    strncmp(location, "postgresql://", 13) == 0 || strstr(location, "host=") ||
			    strstr(location, "dbname="));
}

/* SQLite opens "" as a temporary database, gone at close: whatever was
 * written to it would be lost without a word. */
static int check_path(const char *location, int from_env)
{
	if (*location && strcmp(location, "sqlite:") != 0)
		return 0;
	return vigil_error_set(VIGIL_EINVAL, "%sempty store path%s%s%s: give a file path or a "
			       "PostgreSQL connection string", from_env ? "$VIGIL_DB: " : "",
			       *location ? " ('" : "", location, *location ? "')" : "");
}

int vigil_store_open(const char *location, vigil_store **out)
{
	char path[4096];
	int rc, from_env = !location;
	*out = NULL;
	if (!location) {
		if ((rc = vigil_store_default_path(path, sizeof(path))) < 0)
			return rc;
		location = path;
	}
	if (store_is_pg(location))
		rc = pg_store_open(location, out);
	else if ((rc = check_path(location, from_env)) == 0)
		rc = sqlite_store_open(strncmp(location, "sqlite:", 7) == 0 ? location + 7 : location, out);
	if (rc < 0)
		return rc;
	if (!((*out)->locks = store_locks_new())) {
		vigil_store_close(*out);
		*out = NULL;
		return vigil_error_oom();
	}
	return 0;
}

void vigil_store_close(vigil_store *s)
{
	if (!s)
		return;
	struct store_locks *l = s->locks;
	s->core->close(s);
	store_locks_free(l);
}

int store_unsupported(const vigil_store *s, const char *part)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: no %s in this store", s->describe, part);
}

int vigil_store_schema_version(vigil_store *s, int *version)
{
	if (!s->core->schema_version)
		return store_unsupported(s, "schema version");
	return s->core->schema_version(s, version);
}

const char *vigil_store_describe(const vigil_store *s) { return s->describe; }

int store_new_ref(char out[40])
{
	unsigned char r[16];
	if (RAND_bytes(r, sizeof(r)) != 1)
		return vigil_error_set(VIGIL_ERROR, "no random bytes for an operation ref");
	r[6] = (r[6] & 0x0f) | 0x40; /* a version 4 UUID */
	r[8] = (r[8] & 0x3f) | 0x80;
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
		 r[14], r[15]);
	return 0;
}

void store_op_set(vigil_db_op *op, const char *ref, const char *feed, const char *fingerprint,
		  int64_t vulns, int64_t affected)
{
	memset(op, 0, sizeof(*op));
	snprintf(op->ref, sizeof(op->ref), "%s", ref);
	snprintf(op->feed, sizeof(op->feed), "%s", feed);
	snprintf(op->fingerprint, sizeof(op->fingerprint), "%s", fingerprint);
	op->created = (int64_t)time(NULL);
	op->vulns = vulns;
	op->affected = affected;
}
