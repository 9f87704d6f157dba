/* audit/walk_api.c: opening an image for the audit pass, running the
 * checkers over it, and what checkers call to look at the merged view and
 * to report (audit_priv.h). Finding strings are copied into the walk's
 * arena, so a checker may pass stack buffers. */
#include "audit/walk_priv.h"

#include "image/image.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int audit_walk_open(const char *ref, const audit_walk_options *opt, audit_walk **out)
{
	audit_walk *w = calloc(1, sizeof(*w));
	const char *cj;
	size_t cl;
	int rc = 0;
	*out = NULL;
	if (!w)
		return vigil_error_oom();
	if (opt)
		w->opt = *opt;
	vigil_map_init(&w->fs, AUDIT_MAX_FILES + 1);
	vigil_buf_init(&w->data, AUDIT_MAX_BYTES);
	w->hashes = w->opt.hashes;
	w->index_store = w->opt.index_store;
	if (!(w->ref = strdup(ref)) || !(w->arena = vigil_arena_new(AUDIT_ARENA_CAP)) ||
	    !(w->strs = vigil_intern_new(w->arena)) || !(w->scratch = malloc(256 * 1024))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = img_open_opts(ref, w->opt.platform, w->opt.registry, &w->img)) < 0)
		goto out;
	if (img_config_json(w->img, &cj, &cl) == 0) {
		json_error_t je;
		if (!(w->config = json_loadb(cj, cl, 0, &je))) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: image config: %s", ref, je.text);
			goto out;
		}
	}
	w->nlayers = img_get_kind(w->img) == VIGIL_IMAGE_ROOTFS ? 1 : img_layer_count(w->img);
	if (!(w->layers = vigil_arena_calloc(w->arena, w->nlayers ? w->nlayers : 1, sizeof(*w->layers)))) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < w->nlayers; i++) {
		const vigil_layer_desc *d = img_layer(w->img, i);
		if (!d) {
			w->layers[i].digest = "rootfs";
			continue;
		}
		w->layers[i].digest = vigil_intern_cstr(w->strs, d->digest);
		w->layers[i].created_by = d->created_by ? vigil_intern_cstr(w->strs, d->created_by) : NULL;
		w->layers[i].size = d->size;
	}
	*out = w;
	w = NULL;
out:
	audit_walk_free(w);
	return rc;
}

int audit_walk_add(audit_walk *w, const audit_checker *c, const vigil_audit_options *opt)
{
	if (w->nchk >= WALK_MAX_CHECKERS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d audit checkers", WALK_MAX_CHECKERS);
	struct walk_checker *k = &w->chk[w->nchk];
	k->ops = c;
	k->st = NULL;
	if (c->init) {
		int rc = c->init(w, opt, &k->st);
		if (rc < 0)
			return rc;
	}
	w->hashes |= c->hashes;
	w->nchk++;
	return 0;
}

static void progress(audit_walk *w, vigil_index_event ev, size_t i)
{
	if (!w->opt.progress)
		return;
	vigil_index_progress p = { .event = ev, .layer = i, .layer_count = w->nlayers,
				   .digest = i < w->nlayers ? w->layers[i].digest : NULL,
				   .total = i < w->nlayers ? w->layers[i].size : 0 };
	w->opt.progress(w->opt.progress_ud, &p);
}

static int each_checker(audit_walk *w, int which, size_t layer)
{
	int rc = 0;
	for (size_t i = 0; i < w->nchk && rc == 0; i++) {
		const audit_checker *c = w->chk[i].ops;
		if (which == 0 && c->layer_begin)
			rc = c->layer_begin(w->chk[i].st, w, layer);
		else if (which == 1 && c->layer_end)
			rc = c->layer_end(w->chk[i].st, w, layer);
		else if (which == 2 && c->finish)
			rc = c->finish(w->chk[i].st, w);
	}
	return rc;
}

int audit_walk_read(audit_walk *w)
{
	int rc = 0;
	if (w->ran)
		return vigil_error_set(VIGIL_EINVAL, "the audit pass already ran");
	w->ran = 1;
	progress(w, VIGIL_INDEX_IMAGE_OPENED, 0);
	for (size_t i = 0; i < w->nlayers; i++) {
		w->layer = i;
		progress(w, VIGIL_INDEX_LAYER_START, i);
		if ((rc = each_checker(w, 0, i)) < 0)
			return rc;
		if (img_get_kind(w->img) == VIGIL_IMAGE_ROOTFS)
			rc = walk_rootfs(w, img_rootfs(w->img));
		else
			rc = walk_tar_layer(w, i);
		if (rc < 0 || (rc = each_checker(w, 1, i)) < 0)
			return rc;
		progress(w, VIGIL_INDEX_LAYER_DONE, i);
	}
	return 0;
}

int audit_walk_finish(audit_walk *w)
{
	if (w->ran != 1)
		return vigil_error_set(VIGIL_EINVAL, "the audit pass %s", w->ran ? "already ended" : "did not run");
	w->ran = 2;
	return each_checker(w, 2, 0);
}

int audit_walk_run(audit_walk *w)
{
	int rc = audit_walk_read(w);
	return rc < 0 ? rc : audit_walk_finish(w);
}

void audit_walk_free(audit_walk *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nchk; i++)
		if (w->chk[i].ops->free)
			w->chk[i].ops->free(w->chk[i].st);
	img_free(w->img);
	json_decref(w->config);
	vigil_map_free(&w->fs);
	vigil_buf_free(&w->data);
	free(w->scratch);
	free(w->findings);
	free(w->policy);
	free(w->warnings);
	vigil_intern_free(w->strs);
	vigil_arena_free(w->arena);
	free(w->ref);
	free(w);
}

/* ---- what the walk knows ---- */

const char *audit_walk_ref(const audit_walk *w) { return w->ref; }
const char *audit_walk_manifest_digest(const audit_walk *w) { return img_manifest_digest(w->img); }
const char *audit_walk_config_digest(const audit_walk *w) { return img_config_digest(w->img); }
const json_t *audit_walk_config(const audit_walk *w) { return w->config; }
size_t audit_walk_layer_count(const audit_walk *w) { return w->nlayers; }
vigil_arena *audit_walk_arena(audit_walk *w) { return w->arena; }

const vigil_audit_layer *audit_walk_layer(const audit_walk *w, size_t i)
{
	return i < w->nlayers ? &w->layers[i] : NULL;
}

const char *audit_walk_str(audit_walk *w, const char *s, size_t n)
{
	return s ? vigil_intern_str(w->strs, s, n) : NULL;
}

int64_t audit_walk_now(const audit_walk *w)
{
	return w->opt.now ? w->opt.now : (int64_t)time(NULL);
}

const audit_file *audit_fs_get(const audit_walk *w, const char *path)
{
	while (path && *path == '/')
		path++;
	const audit_file *f = path ? vigil_map_get(&w->fs, path, strlen(path)) : NULL;
	return f && f->seen ? f : NULL;
}

static int by_path(const void *a, const void *b)
{
	return strcmp((*(const audit_file *const *)a)->path, (*(const audit_file *const *)b)->path);
}

int audit_fs_sorted(const audit_walk *w, const audit_file ***files, size_t *n)
{
	size_t it = 0, kl, k = 0;
	const char *key;
	void *v;
	const audit_file **all = malloc((vigil_map_count(&w->fs) + 1) * sizeof(*all));
	if (!all)
		return vigil_error_oom();
	while (vigil_map_next(&w->fs, &it, &key, &kl, &v))
		if (((const audit_file *)v)->seen)
			all[k++] = v;
	qsort(all, k, sizeof(*all), by_path);
	*files = all;
	*n = k;
	return 0;
}

/* ---- reporting ---- */

static const char *dup(audit_walk *w, const char *s)
{
	return s ? vigil_intern_cstr(w->strs, s) : NULL;
}

int audit_add_finding(audit_walk *w, const vigil_audit_finding *f)
{
	if (w->nfindings >= AUDIT_MAX_FINDINGS) {
		if (w->dropped++ == 0)
			audit_warn(w, "more than %zu audit findings: the rest are not kept", AUDIT_MAX_FINDINGS);
		return 0;
	}
	if (vigil_grow((void **)&w->findings, &w->capfindings, w->nfindings, sizeof(*f), 64, AUDIT_MAX_FINDINGS) < 0)
		return vigil_error_oom();
	vigil_audit_finding *c = &w->findings[w->nfindings];
	*c = *f;
	c->rule = dup(w, f->rule);
	c->title = dup(w, f->title);
	c->path = dup(w, f->path);
	c->layer_digest = f->layer < w->nlayers ? w->layers[f->layer].digest : dup(w, f->layer_digest);
	c->other_layer_digest = f->other_layer < w->nlayers ? w->layers[f->other_layer].digest
							    : dup(w, f->other_layer_digest);
	c->match = dup(w, f->match);
	c->evidence = dup(w, f->evidence);
	c->package = dup(w, f->package);
	if ((f->rule && !c->rule) || (f->title && !c->title) || (f->path && !c->path) ||
	    (f->evidence && !c->evidence) || (f->match && !c->match))
		return vigil_error_oom();
	w->nfindings++;
	return 0;
}

int audit_add_policy(audit_walk *w, const vigil_audit_policy_result *p)
{
	if (vigil_grow((void **)&w->policy, &w->cappolicy, w->npolicy, sizeof(*p), 16, 4096) < 0)
		return vigil_error_oom();
	vigil_audit_policy_result *c = &w->policy[w->npolicy];
	*c = *p;
	c->rule = dup(w, p->rule);
	c->title = dup(w, p->title);
	c->evidence = dup(w, p->evidence);
	w->npolicy++;
	return 0;
}

void audit_warn(audit_walk *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->opt.warn)
		w->opt.warn(w->opt.warn_ud, msg);
	if (w->nwarnings >= 10000 ||
	    vigil_grow((void **)&w->warnings, &w->capwarnings, w->nwarnings, sizeof(*w->warnings), 16, 10000) < 0)
		return;
	const char *c = dup(w, msg);
	if (c)
		w->warnings[w->nwarnings++] = c;
}

void audit_count_scanned(audit_walk *w, uint64_t files, uint64_t bytes, uint64_t binaries_skipped)
{
	w->files_scanned += files;
	w->bytes_scanned += bytes;
	w->binaries_skipped += binaries_skipped;
}

const vigil_audit_finding *audit_walk_findings(const audit_walk *w, size_t *n)
{
	*n = w->nfindings;
	return w->findings;
}

const vigil_audit_policy_result *audit_walk_policy(const audit_walk *w, size_t *n)
{
	*n = w->npolicy;
	return w->policy;
}

const char *const *audit_walk_warnings(const audit_walk *w, size_t *n)
{
	*n = w->nwarnings;
	return w->warnings;
}
