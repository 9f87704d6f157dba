/* audit/diff_files.c: two merged views, sorted by path, walked side by
 * side: a path only in A is removed, only in B added, in both with a
 * different type, mode, owner, size, content hash or link target
 * changed. A record a whiteout deleted is absent. Modification times are
 * not compared (a rebuild touches them all). */
#include "audit/diff_priv.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <string.h>

static const char *type_name(vigil_tar_type t)
{
	switch (t) {
	case VIGIL_TAR_FILE: return "file";
	case VIGIL_TAR_DIR: return "dir";
	case VIGIL_TAR_SYMLINK: return "symlink";
	case VIGIL_TAR_HARDLINK: return "hardlink";
	default: return "other";
	}
}

static const vigil_diff_version *version_of(vigil_diff_report *r, const audit_file *f, const diff_view *v)
{
	vigil_diff_version *x = vigil_arena_calloc(r->internal->arena, 1, sizeof(*x));
	if (!x)
		return NULL;
	x->type = type_name(f->type);
	x->mode = f->mode;
	x->uid = f->uid;
	x->gid = f->gid;
	x->size = f->size;
	x->link = f->link ? diff_str(r, f->link) : NULL;
	x->layer = f->layer;
	x->layer_digest = f->layer < v->nlayers ? diff_str(r, v->layer_digests[f->layer]) : NULL;
	if (f->type == VIGIL_TAR_FILE && f->hashed) {
		char hex[65];
		for (size_t i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", f->sha256[i]);
		x->sha256 = diff_str(r, hex);
		if (!x->sha256)
			return NULL;
	}
	return x;
}

static unsigned what_differs(const audit_file *a, const audit_file *b)
{
	unsigned w = 0;
	if (a->type != b->type)
		w |= VIGIL_DIFF_TYPE;
	if (a->mode != b->mode)
		w |= VIGIL_DIFF_MODE;
	if (a->uid != b->uid || a->gid != b->gid)
		w |= VIGIL_DIFF_OWNER;
	if (a->size != b->size)
		w |= VIGIL_DIFF_SIZE;
	if (a->type == VIGIL_TAR_FILE && b->type == VIGIL_TAR_FILE && a->hashed && b->hashed &&
	    memcmp(a->sha256, b->sha256, 32) != 0)
		w |= VIGIL_DIFF_CONTENT;
	if ((a->link || b->link) && (!a->link || !b->link || strcmp(a->link, b->link) != 0))
		w |= VIGIL_DIFF_LINK;
	return w;
}

static int add(vigil_diff_report *r, const audit_file *fa, const diff_view *va, const audit_file *fb,
	       const diff_view *vb, unsigned what)
{
	struct vigil_diff_internal *d = r->internal;
	if (r->file_count >= VIGIL_DIFF_MAX_FILES) {
		if (d->files_dropped++ == 0)
			diff_warn(r, "more than %zu paths differ: the rest are counted, not listed", VIGIL_DIFF_MAX_FILES);
		goto count;
	}
	if (vigil_grow((void **)&d->files, &d->capfiles, r->file_count, sizeof(*d->files), 256,
		       VIGIL_DIFF_MAX_FILES) < 0)
		return vigil_error_oom();
	vigil_diff_file *x = &d->files[r->file_count];
	memset(x, 0, sizeof(*x));
	x->path = diff_str(r, (fa ? fa : fb)->path);
	x->change = !fa ? VIGIL_DIFF_ADDED : !fb ? VIGIL_DIFF_REMOVED : VIGIL_DIFF_CHANGED;
	x->what = what;
	if (!x->path || (fa && !(x->a = version_of(r, fa, va))) || (fb && !(x->b = version_of(r, fb, vb))))
		return vigil_error_oom();
	r->file_count++;
	r->files = d->files;
count:
	if (!fa)
		r->files_added++;
	else if (!fb)
		r->files_removed++;
	else
		r->files_changed++;
	return 0;
}

/* The next live record at or after *i, NULL at the end. */
static const audit_file *next_live(const diff_view *v, size_t *i)
{
	while (*i < v->n && v->files[*i]->deleted)
		(*i)++;
	return *i < v->n ? v->files[*i] : NULL;
}

int diff_files(vigil_diff_report *r, const diff_view *a, const diff_view *b)
{
	size_t i = 0, j = 0;
	int rc = 0;
	for (;;) {
		const audit_file *fa = next_live(a, &i), *fb = next_live(b, &j);
		if (!fa && !fb)
			break;
		int c = !fa ? 1 : !fb ? -1 : strcmp(fa->path, fb->path);
		if (c < 0) {
			rc = add(r, fa, a, NULL, b, 0);
			i++;
		} else if (c > 0) {
			rc = add(r, NULL, a, fb, b, 0);
			j++;
		} else {
			unsigned w = what_differs(fa, fb);
			if (w)
				rc = add(r, fa, a, fb, b, w);
			i++;
			j++;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}
