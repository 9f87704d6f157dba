/* match/report.c: vigil_match() and the vulnerability report's life: the
 * image's namespace, the checks that make an empty result trustworthy
 * (vigil_db_check: missing, failed or stale data, nothing for the
 * namespace, data whose own date is old; only the feeds covering the
 * image's namespaces speak), the matching itself (match.c), details
 * (enrich.c), and the order findings are given in. */
#include "match/match_priv.h"
#include "util/error.h"
#include "vigil/db.h"
#include "vigil/db_health.h"

#include <stdlib.h>
#include <string.h>

void vigil_match_options_init(vigil_match_options *opt)
{
	memset(opt, 0, sizeof(*opt));
}

struct warn_ctx {
	struct vigil_match_internal *m;
	vigil_vuln_report *r;
	int rc;
};

static void db_warning(void *ud, const char *msg)
{
	struct warn_ctx *w = ud;
	if (w->rc == 0)
		w->rc = match_warn(w->m, w->r, "%s", msg);
}

static int finding_cmp(const void *a, const void *b)
{
	const vigil_finding *x = a, *y = b;
	if (x->package_index != y->package_index)
		return x->package_index < y->package_index ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

int vigil_match(const vigil_index_report *ir, const vigil_match_options *opt, vigil_vuln_report **out)
{
	vigil_vuln_report *r = calloc(1, sizeof(*r));
	struct vigil_match_internal *m = calloc(1, sizeof(*m));
	const struct mrow **frows = NULL;
	size_t alloc_frows = 0;
	char ns[128];
	int rc = 0;

	*out = NULL;
	if (!r || !m) {
		free(r);
		free(m);
		return vigil_error_oom();
	}
	r->internal = m;
	r->index = ir;
	m->opt = opt;
	m->store = opt ? opt->store : NULL;
	if (!ir || !opt || !m->store) {
		rc = vigil_error_set(VIGIL_EINVAL, "vigil_match: an index report and a store are needed");
		goto out;
	}
	if (!(m->arena = vigil_arena_new(MATCH_ARENA_CAP)) || !(m->strs = vigil_intern_new(m->arena))) {
		rc = vigil_error_oom();
		goto out;
	}
	size_t os_pkgs = 0;
	for (size_t i = 0; i < ir->package_count; i++)
		os_pkgs += !vigil_pkg_type_is_lang(ir->packages[i].type);
	if (!ir->distribution) {
		if (os_pkgs &&
		    (rc = match_warn(m, r, "no distribution found in the image: its %zu OS packages cannot be "
				     "matched against a vendor's data", os_pkgs)) < 0)
			goto out;
	} else if (vigil_distribution_namespace(ir->distribution, ns, sizeof(ns)) < 0) {
		if ((rc = match_warn(m, r, "%s: its packages are not matched (no feed vigil reads covers it)",
				     vigil_error_message())) < 0)
			goto out;
	} else if (!(m->ns = r->namespace = vigil_intern_cstr(m->strs, ns))) {
		rc = vigil_error_code();
		goto out;
	}
	/* AlmaLinux, Rocky without their own data: Red Hat's (fallback.c) */
	if ((rc = match_rebuild_fallback(m, r)) < 0)
		goto out;
	/* the data checks, for the image's namespaces only (db/check.c) */
	struct warn_ctx w = { .m = m, .r = r };
	const char *nss[1 + VIGIL_PKG_NUGET + 1];
	size_t nns = 0;
	vigil_db_check_options co = { .max_age = opt->max_age < 0 ? INT64_MAX : opt->max_age,
				      .max_data_age = opt->max_age < 0 ? -1 : 0 };
	if (m->ns)
		nss[nns++] = m->ns;
	if ((rc = match_lang_namespaces(m, r, nss, &nns, sizeof(nss) / sizeof(nss[0]))) < 0)
		goto out;
	if ((rc = vigil_db_check_namespaces(m->store, nss, nns, &co, db_warning, &w)) < 0 || (rc = w.rc) < 0)
		goto out;
	rc = 0;
	if ((rc = store_reader_open(m->store, &m->reader)) < 0 ||
	    (rc = match_packages(m, r, &frows, &alloc_frows)) < 0)
		goto out;
	for (size_t i = 0; i < r->finding_count; i++)
		if ((rc = match_enrich(m, &r->findings[i], frows[i])) < 0)
			goto out;
	if (r->finding_count)
		qsort(r->findings, r->finding_count, sizeof(*r->findings), finding_cmp);
	*out = r;
	r = NULL;
out:
	free(frows);
	if (m->reader) {
		store_reader_close(m->reader);
		m->reader = NULL;
	}
	vigil_vuln_report_free(r);
	return rc;
}

void vigil_vuln_report_free(vigil_vuln_report *r)
{
	if (!r)
		return;
	struct vigil_match_internal *m = r->internal;
	if (m) {
		if (m->reader && m->store)
			store_reader_close(m->reader);
		vigil_map_free(&m->names);
		vigil_map_free(&m->records);
		vigil_map_free(&m->details);
		vigil_map_free(&m->nvd);
		free(m->warnings);
		vigil_intern_free(m->strs);
		vigil_arena_free(m->arena);
		free(m);
	}
	free(r->findings);
	free(r->suppressed);
	free(r);
}
