/* store/store_v1list.c: the Clair v1 namespace listing with each record's
 * detail (include/vigil/store_v1.h), made of the vulnerability-data and
 * reports parts' wrappers: it works on any backend that has both. */
#include "store/store_reports.h"
#include "store/store_vuln.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* ---- a listing with each record's detail ---- */
struct vulns_ud {
	vigil_store *st;
	vigil_vuln_reader *rd;
	int (*fn)(void *ud, const vigil_v1_vuln *v);
	void *ud;
	vigil_v1_vuln *cur;
	int called, rc;
};

/* The detail's strings live during this callback only: the listing's
 * callback is called from here. */
static int on_detail(void *ud, const vigil_vuln_detail *d)
{
	struct vulns_ud *u = ud;
	vigil_v1_vuln *v = u->cur;
	char link[2048] = "";
	v->description = d->description && *d->description ? d->description : d->summary;
	if (d->links && *d->links) {
		const char *nl = strchr(d->links, '\n');
		snprintf(link, sizeof(link), "%.*s", (int)(nl ? (size_t)(nl - d->links) : strlen(d->links)), d->links);
		v->link = link;
	}
	v->cvss_score = d->cvss3_score >= 0 ? d->cvss3_score : d->cvss2_score;
	v->cvss_vector = d->cvss3_score >= 0 ? d->cvss3_vector : d->cvss2_vector;
	u->called = 1;
	u->rc = u->fn(u->ud, v);
	return 0;
}

static int on_ns_vuln(void *ud, const char *name, int64_t vuln, int severity)
{
	struct vulns_ud *u = ud;
	vigil_v1_vuln v = { .name = name, .severity = severity, .cvss_score = -1 };
	u->cur = &v;
	u->called = 0;
	u->rc = 0;
	if (u->rd)
		(void)store_reader_detail(u->rd, vuln, on_detail, u);
	vigil_error_clear(); /* a record without a detail row is listed without one */
	if (!u->called)
		u->rc = u->fn(u->ud, &v);
	return u->rc;
}

int vigil_store_v1_vulns(vigil_store *s, const char *ns, const char *after, size_t limit,
			 int (*fn)(void *ud, const vigil_v1_vuln *v), void *ud)
{
	struct vulns_ud u = { .st = s, .fn = fn, .ud = ud };
	if (store_reader_open(s, &u.rd) < 0) {
		u.rd = NULL; /* listed without details */
		vigil_error_clear();
	}
	int rc = vigil_store_v1_ns_vulns(s, ns, after, limit, on_ns_vuln, &u);
	store_reader_close(u.rd);
	return rc;
}

int vigil_store_v1_namespace_known(vigil_store *s, const char *ns, int *known)
{
	int64_t count = 0;
	int rc;
	*known = 0;
	if ((rc = store_namespace_count(s, ns, &count)) < 0)
		return rc;
	*known = count > 0;
	return 0;
}
