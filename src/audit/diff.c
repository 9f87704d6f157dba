/* audit/diff.c: vigil_diff_images (vigil/diff.h). Each image is read once
 * for its files (audit_walk with SHA-256 and no checker: the merged view,
 * whiteouts applied, about 150 bytes a path) and its config; both views
 * are compared, then freed before the images are indexed (through the
 * layer cache) for their packages, and matched for their findings when
 * the store holds vulnerability data. */
#include "audit/diff_priv.h"

#include "util/error.h"
#include "util/grow.h"
#include "vigil/db_health.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the report ---- */

int diff_report_new(vigil_diff_report **out)
{
	vigil_diff_report *r = calloc(1, sizeof(*r));
	struct vigil_diff_internal *d = calloc(1, sizeof(*d));
	*out = NULL;
	if (!r || !d || !(d->arena = vigil_arena_new(DIFF_ARENA_CAP)) || !(d->strs = vigil_intern_new(d->arena))) {
		if (d)
			vigil_arena_free(d->arena);
		free(d);
		free(r);
		return vigil_error_oom();
	}
	r->internal = d;
	*out = r;
	return 0;
}

const char *diff_str(vigil_diff_report *r, const char *s)
{
	return s ? vigil_intern_cstr(r->internal->strs, s) : NULL;
}

void diff_warn(vigil_diff_report *r, const char *fmt, ...)
{
	struct vigil_diff_internal *d = r->internal;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* both images often say the same (stale data for their namespace): once */
	for (size_t i = 0; i < r->warning_count; i++)
		if (strcmp(d->warnings[i], msg) == 0)
			return;
	if (d->warn)
		d->warn(d->warn_ud, msg);
	if (r->warning_count >= DIFF_MAX_WARNINGS ||
	    vigil_grow((void **)&d->warnings, &d->capwarnings, r->warning_count, sizeof(*d->warnings), 16,
		       DIFF_MAX_WARNINGS) < 0)
		return;
	const char *c = diff_str(r, msg);
	if (c) {
		d->warnings[r->warning_count++] = c;
		r->warnings = d->warnings;
	}
}

void vigil_diff_report_free(vigil_diff_report *r)
{
	if (!r)
		return;
	struct vigil_diff_internal *d = r->internal;
	if (d) {
		free(d->files);
		free(d->pkgs);
		free(d->fixed);
		free(d->intro);
		free(d->cfg);
		free(d->warnings);
		vigil_intern_free(d->strs);
		vigil_arena_free(d->arena);
		free(d);
	}
	free(r);
}

void vigil_diff_options_init(vigil_diff_options *o)
{
	memset(o, 0, sizeof(*o));
}

const char *vigil_diff_change_name(vigil_diff_change c)
{
	static const char *const names[] = { "added", "removed", "changed", "upgraded", "downgraded" };
	return (unsigned)c < 5 ? names[c] : NULL;
}

int vigil_diff_report_differs(const vigil_diff_report *r)
{
	return r->files_added + r->files_removed + r->files_changed + r->package_count + r->fixed_count +
		       r->introduced_count + r->config_count >
	       0;
}

/* ---- the files ---- */

/* Names the image in the current error message (when it does not already). */
static int named(int rc, const char *ref)
{
	const char *m = vigil_error_message();
	if (rc < 0 && (!m || !strstr(m, ref)))
		vigil_error_prefix("%s: ", ref);
	return rc;
}

static int open_walk(const char *ref, const vigil_diff_options *o, int run, audit_walk **w)
{
	audit_walk_options wo = { .platform = o->platform, .registry = o->registry, .progress = o->progress,
				  .progress_ud = o->progress_ud, .warn = o->warn, .warn_ud = o->warn_ud,
				  .hashes = AUDIT_HASH_SHA256,
				  /* one pass: the layers the cache lacks are indexed as they are
				   * walked, so the packages' index below reads none again */
				  .index_store = run ? o->store : NULL };
	int rc = audit_walk_open(ref, &wo, w);
	if (rc == 0 && run)
		rc = audit_walk_run(*w);
	return named(rc, ref);
}

/* The sorted view of w with the digests of its layers. */
static int view_of(audit_walk *w, diff_view *v, vigil_diff_image *img)
{
	const audit_file **all;
	size_t n;
	int rc = audit_fs_sorted(w, &all, &n);
	if (rc < 0)
		return rc;
	v->files = all;
	v->n = n;
	v->nlayers = audit_walk_layer_count(w);
	const char **d = calloc(v->nlayers + 1, sizeof(*d));
	if (!d)
		return vigil_error_oom();
	for (size_t i = 0; i < v->nlayers; i++)
		d[i] = audit_walk_layer(w, i)->digest;
	v->layer_digests = d;
	img->files = 0;
	for (size_t i = 0; i < n; i++)
		img->files += !all[i]->deleted;
	return 0;
}

static void image_info(vigil_diff_report *r, vigil_diff_image *img, audit_walk *w)
{
	img->manifest_hash = diff_str(r, audit_walk_manifest_digest(w));
	img->layer_count = audit_walk_layer_count(w);
}

static int files_and_config(vigil_diff_report *r, const char *ra, const char *rb, const vigil_diff_options *o)
{
	audit_walk *wa = NULL, *wb = NULL;
	diff_view va = { 0 }, vb = { 0 };
	int rc;
	if ((rc = open_walk(ra, o, !o->no_files, &wa)) < 0 || (rc = open_walk(rb, o, !o->no_files, &wb)) < 0)
		goto out;
	image_info(r, &r->a, wa);
	image_info(r, &r->b, wb);
	if (!o->no_files) {
		if ((rc = view_of(wa, &va, &r->a)) < 0 || (rc = view_of(wb, &vb, &r->b)) < 0 ||
		    (rc = diff_files(r, &va, &vb)) < 0)
			goto out;
	}
	rc = diff_config(r, audit_walk_config(wa), audit_walk_config(wb));
out:
	free((void *)va.files);
	free((void *)va.layer_digests);
	free((void *)vb.files);
	free((void *)vb.layer_digests);
	audit_walk_free(wa);
	audit_walk_free(wb);
	return rc;
}

/* ---- packages and findings ---- */

static void index_warn(void *ud, const char *msg)
{
	diff_warn(ud, "%s", msg);
}

static int index_one(vigil_diff_report *r, const char *ref, const vigil_diff_options *o, vigil_index_report **ir,
		     vigil_diff_image *img)
{
	vigil_index_options io;
	vigil_index_options_init(&io);
	io.platform = o->platform;
	io.registry = o->registry;
	io.store = o->store;
	io.threads = o->threads;
	io.warn = index_warn;
	io.warn_ud = r;
	int rc = vigil_index_image(ref, &io, ir);
	if (rc < 0)
		return named(rc, ref);
	const vigil_distribution *d = (*ir)->distribution;
	char buf[256];
	if (d && d->pretty_name)
		img->distribution = diff_str(r, d->pretty_name);
	else if (d && d->did) {
		snprintf(buf, sizeof(buf), "%s %s", d->did, d->version_id ? d->version_id : "");
		img->distribution = diff_str(r, buf);
	}
	img->package_count = (*ir)->package_count;
	return 0;
}

static int findings(vigil_diff_report *r, const vigil_diff_options *o, const vigil_index_report *ia,
		    const vigil_index_report *ib)
{
	char why[512] = "no store";
	vigil_vuln_report *a = NULL, *b = NULL;
	vigil_match_options mo;
	int rc = 0, ready = o->store ? vigil_db_ready(o->store, why, sizeof(why)) : 0;
	if (ready < 0)
		return ready;
	if (ready == 0) {
		r->findings_why = diff_str(r, why);
		return 0;
	}
	vigil_match_options_init(&mo);
	mo.store = o->store;
	mo.warn = index_warn;
	mo.warn_ud = r;
	if ((rc = named(vigil_match(ia, &mo, &a), ia->image ? ia->image : "image A")) < 0 ||
	    (rc = named(vigil_match(ib, &mo, &b), ib->image ? ib->image : "image B")) < 0)
		goto out;
	r->findings_judged = 1;
	rc = diff_findings(r, a->findings, a->finding_count, b->findings, b->finding_count);
out:
	vigil_vuln_report_free(a);
	vigil_vuln_report_free(b);
	return rc;
}

int vigil_diff_images(const char *a, const char *b, const vigil_diff_options *opt, vigil_diff_report **out)
{
	vigil_diff_options o;
	vigil_index_report *ia = NULL, *ib = NULL;
	vigil_diff_report *r = NULL;
	int rc;
	*out = NULL;
	if (opt)
		o = *opt;
	else
		vigil_diff_options_init(&o);
	if (!a || !b)
		return vigil_error_set(VIGIL_EINVAL, "diff: two images are needed");
	if ((rc = diff_report_new(&r)) < 0)
		return rc;
	r->internal->warn = o.warn;
	r->internal->warn_ud = o.warn_ud;
	r->a.image = diff_str(r, a);
	r->b.image = diff_str(r, b);
	if ((rc = files_and_config(r, a, b, &o)) < 0 || (rc = index_one(r, a, &o, &ia, &r->a)) < 0 ||
	    (rc = index_one(r, b, &o, &ib, &r->b)) < 0 ||
	    (rc = diff_packages(r, ia->packages, ia->package_count, ib->packages, ib->package_count)) < 0 ||
	    (rc = findings(r, &o, ia, ib)) < 0)
		goto out;
	*out = r;
	r = NULL;
out:
	vigil_index_report_free(ia);
	vigil_index_report_free(ib);
	vigil_diff_report_free(r);
	return rc;
}
