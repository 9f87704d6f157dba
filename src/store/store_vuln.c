/* store/store_vuln.c: the wrappers of the vulnerability data
 * (store_vuln.h): the backend's ops, or VIGIL_EUNSUPPORTED when it keeps
 * none. A writer or reader exists only where the part does; its first
 * member is the store it was opened on, which gives its ops. */
#include "store/store_priv.h"

#define PART "vulnerability data"

/* The store a backend's writer or reader was opened on (its first member). */
static vigil_store *writer_store(const vigil_vuln_writer *w) { return *(vigil_store *const *)(const void *)w; }
static vigil_store *reader_store(const vigil_vuln_reader *r) { return *(vigil_store *const *)(const void *)r; }

/* ---- writing ---- */

int store_vuln_begin(vigil_store *s, const char *feed, vigil_vuln_writer **w)
{
	*w = NULL;
	return s->vuln ? s->vuln->vuln_begin(s, feed, w) : store_unsupported(s, PART);
}

int store_vuln_put(vigil_vuln_writer *w, const vigil_vuln *v, const char *hash, const char *record,
			 size_t len)
{
	return writer_store(w)->vuln->vuln_put(w, v, hash, record, len);
}

int store_vuln_commit(vigil_vuln_writer *w, const char *fingerprint, vigil_db_op *op)
{
	return writer_store(w)->vuln->vuln_commit(w, fingerprint, op);
}

void store_vuln_abort(vigil_vuln_writer *w)
{
	if (w)
		writer_store(w)->vuln->vuln_abort(w);
}

int store_feed_attempt(vigil_store *s, const char *feed, const char *error)
{
	return s->vuln ? s->vuln->feed_attempt(s, feed, error) : store_unsupported(s, PART);
}

int store_db_gc(vigil_store *s, int keep, int64_t *ops_removed, int64_t *vulns_removed)
{
	return s->vuln ? s->vuln->db_gc(s, keep, ops_removed, vulns_removed) : store_unsupported(s, PART);
}

/* ---- reading back ---- */

int store_feed_last_op(vigil_store *s, const char *feed, vigil_db_op *op)
{
	return s->vuln ? s->vuln->feed_last_op(s, feed, op) : store_unsupported(s, PART);
}

int store_db_status(vigil_store *s, vigil_db_feed_status **out, size_t *n)
{
	return s->vuln ? s->vuln->db_status(s, out, n) : store_unsupported(s, PART);
}

int store_db_ops(vigil_store *s, const char *feed, vigil_db_op **out, size_t *n)
{
	return s->vuln ? s->vuln->db_ops(s, feed, out, n) : store_unsupported(s, PART);
}

int store_db_diff(vigil_store *s, const char *ref_a, const char *ref_b, vigil_store_change_fn fn,
			void *ud)
{
	return s->vuln ? s->vuln->db_diff(s, ref_a, ref_b, fn, ud) : store_unsupported(s, PART);
}

int store_vuln_by_name(vigil_store *s, const char *name, const char *feed, vigil_store_named_fn fn,
			     void *ud)
{
	return s->vuln ? s->vuln->vuln_by_name(s, name, feed, fn, ud) : store_unsupported(s, PART);
}

int store_namespace_count(vigil_store *s, const char *namespace, int64_t *count)
{
	return s->vuln ? s->vuln->namespace_count(s, namespace, count) : store_unsupported(s, PART);
}

int store_namespace_feeds(vigil_store *s, const char *namespace, const char *today,
			  vigil_store_nsfeed_fn fn, void *ud)
{
	return s->vuln ? s->vuln->namespace_feeds(s, namespace, today, fn, ud) : store_unsupported(s, PART);
}

int store_op_records(vigil_store *s, const char *ref, vigil_store_record_fn fn, void *ud)
{
	return s->vuln ? s->vuln->op_records(s, ref, fn, ud) : store_unsupported(s, PART);
}

/* ---- the matcher's reader ---- */

int store_reader_open(vigil_store *s, vigil_vuln_reader **r)
{
	*r = NULL;
	return s->vuln ? s->vuln->reader_open(s, r) : store_unsupported(s, PART);
}

int store_reader_affected(vigil_vuln_reader *r, const char *namespace, const char *package,
				vigil_store_row_fn fn, void *ud)
{
	return reader_store(r)->vuln->reader_affected(r, namespace, package, fn, ud);
}

int store_reader_record(vigil_vuln_reader *r, int64_t vuln, vigil_store_record_fn fn, void *ud)
{
	return reader_store(r)->vuln->reader_record(r, vuln, fn, ud);
}

int store_reader_detail(vigil_vuln_reader *r, int64_t vuln, vigil_store_detail_fn fn, void *ud)
{
	return reader_store(r)->vuln->reader_detail(r, vuln, fn, ud);
}

int store_reader_named_detail(vigil_vuln_reader *r, const char *feed, const char *name,
				    vigil_store_detail_fn fn, void *ud)
{
	return reader_store(r)->vuln->reader_named_detail(r, feed, name, fn, ud);
}

void store_reader_close(vigil_vuln_reader *r)
{
	if (r)
		reader_store(r)->vuln->reader_close(r);
}
