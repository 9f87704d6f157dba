/* store/pg_vuln.c: SKELETON (update operations); the pgvuln helper replaces it. */
#include "store/pg_priv.h"
#include "util/error.h"

int pg_vuln_begin(vigil_store *s, const char *feed, vigil_vuln_writer **w)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_vuln_begin is not written yet");
}

int pg_vuln_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash, const char *record, size_t len)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_vuln_put is not written yet");
}

int pg_vuln_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_vuln_commit is not written yet");
}

void pg_vuln_abort(vigil_vuln_writer *w)
{
}

int pg_feed_last_op(vigil_store *s, const char *feed, vigil_db_op *op)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_feed_last_op is not written yet");
}

int pg_feed_attempt(vigil_store *s, const char *feed, const char *error)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_feed_attempt is not written yet");
}

int pg_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_db_status is not written yet");
}

int pg_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_db_ops is not written yet");
}

int pg_db_diff(vigil_store *s, const char *ref_a, const char *ref_b, int (*fn)(void *, vigil_db_change, const char *, const char *, const char *), void *ud)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_db_diff is not written yet");
}

int pg_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_db_gc is not written yet");
}

int pg_vuln_by_name(vigil_store *s, const char *name, const char *feed, int (*fn)(void *ud, const char *feed, const char *record, size_t len), void *ud)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_vuln_by_name is not written yet");
}

int pg_namespace_count(vigil_store *s, const char *namespace, int64_t *count)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_namespace_count is not written yet");
}

int pg_op_records(vigil_store *s, const char *ref, int (*fn)(void *ud, const char *record, size_t len), void *ud)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_op_records is not written yet");
}

