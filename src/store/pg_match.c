/* store/pg_match.c: SKELETON (the matcher reader); the pgvuln helper replaces it. */
#include "store/pg_priv.h"
#include "util/error.h"

int pg_reader_open(vigil_store *s, vigil_vuln_reader **r)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_reader_open is not written yet");
}

int pg_reader_affected(vigil_vuln_reader *r, const char *namespace, const char *package, int (*fn)(void *ud, const vigil_affected_row *row), void *ud)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_reader_affected is not written yet");
}

int pg_reader_record(vigil_vuln_reader *r, int64_t vuln, int (*fn)(void *ud, const char *record, size_t len), void *ud)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_reader_record is not written yet");
}

int pg_reader_detail(vigil_vuln_reader *r, int64_t vuln, int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_reader_detail is not written yet");
}

int pg_reader_named_detail(vigil_vuln_reader *r, const char *feed, const char *name, int (*fn)(void *ud, const vigil_vuln_detail *d), void *ud)
{
	return vigil_error_set(VIGIL_EUNSUPPORTED, "postgres: pg_reader_named_detail is not written yet");
}

void pg_reader_close(vigil_vuln_reader *r)
{
}

