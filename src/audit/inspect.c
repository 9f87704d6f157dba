/* audit/inspect.c: vigil inspect's front door (vigil/inspect.h): the
 * audit pass with no checker reads every layer once (the walk counts each
 * layer's uncompressed bytes, files and whiteouts), then the config is read
 * into the report (inspect_config.c). The walk is freed before returning:
 * the report keeps copies, not the merged view. */
#include "audit/inspect_priv.h"
#include "audit/audit_priv.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vigil_inspect_options_init(vigil_inspect_options *o)
{
	memset(o, 0, sizeof(*o));
}

int inspect_report_new(vigil_inspect_report **out)
{
	vigil_inspect_report *r = calloc(1, sizeof(*r));
	*out = NULL;
	if (!r || !(r->internal = calloc(1, sizeof(*r->internal))) ||
	    !(r->internal->arena = vigil_arena_new(INSPECT_ARENA_CAP))) {
		vigil_inspect_report_free(r);
		return vigil_error_oom();
	}
	*out = r;
	return 0;
}

void inspect_warn(vigil_inspect_report *r, const char *fmt, ...)
{
	struct vigil_inspect_internal *in = r->internal;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (in->warn)
		in->warn(in->warn_ud, msg);
	if (in->nwarnings >= INSPECT_MAX_WARNINGS)
		return;
	const char **v = vigil_arena_alloc(in->arena, (in->nwarnings + 1) * sizeof(*v));
	const char *c = vigil_arena_strdup(in->arena, msg);
	if (!v || !c)
		return;
	if (in->nwarnings)
		memcpy(v, in->warnings, in->nwarnings * sizeof(*v));
	v[in->nwarnings++] = c;
	in->warnings = v;
	r->warnings = v;
	r->warning_count = in->nwarnings;
}

static const char *copy(vigil_inspect_report *r, const char *s)
{
	return s ? vigil_arena_strdup(r->internal->arena, s) : NULL;
}

/* The walk's layers (and their totals) into r. */
static int copy_layers(vigil_inspect_report *r, const audit_walk *w)
{
	size_t n = audit_walk_layer_count(w);
	vigil_audit_layer *v = vigil_arena_calloc(r->internal->arena, n + 1, sizeof(*v));
	if (!v)
		return vigil_error_oom();
	for (size_t i = 0; i < n; i++) {
		const vigil_audit_layer *l = audit_walk_layer(w, i);
		v[i] = *l;
		v[i].digest = copy(r, l->digest);
		v[i].created_by = copy(r, l->created_by);
		if (!v[i].digest || (l->created_by && !v[i].created_by))
			return vigil_error_oom();
		r->total_size += l->size;
		r->total_uncompressed += l->uncompressed;
		r->total_files += l->files;
	}
	r->layers = v;
	r->layer_count = n;
	return 0;
}

int vigil_inspect_image(const char *ref, const vigil_inspect_options *o, vigil_inspect_report **out)
{
	vigil_inspect_options def;
	vigil_inspect_report *r = NULL;
	audit_walk *w = NULL;
	int rc;
	*out = NULL;
	if (!o) {
		vigil_inspect_options_init(&def);
		o = &def;
	}
	if ((rc = inspect_report_new(&r)) < 0)
		return rc;
	r->internal->warn = o->warn;
	r->internal->warn_ud = o->warn_ud;
	audit_walk_options wo = { .platform = o->platform, .registry = o->registry, .progress = o->progress,
				  .progress_ud = o->progress_ud, .warn = o->warn, .warn_ud = o->warn_ud };
	if ((rc = audit_walk_open(ref, &wo, &w)) < 0 || (!o->no_layers && (rc = audit_walk_run(w)) < 0))
		goto out;
	r->image = copy(r, ref);
	r->manifest_digest = copy(r, audit_walk_manifest_digest(w));
	r->config_digest = copy(r, audit_walk_config_digest(w));
	if (!r->image) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = copy_layers(r, w)) < 0)
		goto out;
	if ((rc = inspect_config_parse(r, audit_walk_config(w))) < 0) {
		vigil_error_prefix("%s: ", ref);
		goto out;
	}
	*out = r;
	r = NULL;
out:
	audit_walk_free(w);
	vigil_inspect_report_free(r);
	return rc;
}

void vigil_inspect_report_free(vigil_inspect_report *r)
{
	if (!r)
		return;
	if (r->internal)
		vigil_arena_free(r->internal->arena);
	free(r->internal);
	free(r);
}
