/* audit/inspect_store.c: what the store's image records (vigil/store.h,
 * one per `vigil index` / `vigil scan`) say about an image: its family
 * tree (the indexed images that share its base layers) and the tag
 * history of a repository tag. Records are folded by manifest digest: a
 * manifest indexed ten times is one member (its newest name and date, the
 * findings of its newest scan). */
#include "audit/inspect_priv.h"

#include "util/error.h"
#include "util/grow.h"
#include "util/map.h"

#include <stdlib.h>
#include <string.h>

/* One manifest of the records. */
struct agg {
	const char *reference, *repository, *tag, *manifest, *config;
	const char **layers;
	size_t layer_count, times;
	int64_t first_seen, last_seen, findings;
};

struct fold {
	vigil_arena *arena;
	vigil_map by_manifest; /* manifest -> index + 1 */
	struct agg *v;
	size_t n, cap;
};

static const char *dup(vigil_arena *a, const char *s)
{
	return s ? vigil_arena_strdup(a, s) : NULL;
}

static int set_names(struct fold *f, struct agg *g, const vigil_store_image *rec)
{
	g->reference = dup(f->arena, rec->reference);
	g->repository = dup(f->arena, rec->repository);
	g->tag = dup(f->arena, rec->tag);
	if (rec->config_digest)
		g->config = dup(f->arena, rec->config_digest);
	return g->reference && g->repository ? 0 : vigil_error_oom();
}

static int fold_new(struct fold *f, const vigil_store_image *rec)
{
	if (vigil_grow((void **)&f->v, &f->cap, f->n, sizeof(*f->v), 64, VIGIL_STORE_MAX_IMAGE_ROWS) < 0)
		return vigil_error_code();
	struct agg *g = &f->v[f->n];
	memset(g, 0, sizeof(*g));
	g->manifest = dup(f->arena, rec->manifest_digest);
	g->layers = vigil_arena_calloc(f->arena, rec->layer_count + 1, sizeof(*g->layers));
	if (!g->manifest || !g->layers)
		return vigil_error_oom();
	for (size_t i = 0; i < rec->layer_count; i++)
		if (!(g->layers[i] = dup(f->arena, rec->layers[i])))
			return vigil_error_oom();
	g->layer_count = rec->layer_count;
	g->first_seen = rec->indexed_at;
	g->findings = -1;
	int rc = vigil_map_set(&f->by_manifest, g->manifest, strlen(g->manifest), (void *)(uintptr_t)(f->n + 1));
	if (rc < 0)
		return rc;
	f->n++;
	return 0;
}

static int fold_one(void *ud, const vigil_store_image *rec)
{
	struct fold *f = ud;
	uintptr_t at = (uintptr_t)vigil_map_get(&f->by_manifest, rec->manifest_digest, strlen(rec->manifest_digest));
	int rc;
	if (!at) {
		if ((rc = fold_new(f, rec)) < 0)
			return rc;
		at = f->n;
	}
	struct agg *g = &f->v[at - 1];
	if (g->times == 0 || rec->indexed_at >= g->last_seen) {
		if ((g->times == 0 || !g->tag || rec->tag) && (rc = set_names(f, g, rec)) < 0)
			return rc;
		g->last_seen = rec->indexed_at;
		if (rec->findings >= 0)
			g->findings = rec->findings;
	}
	if (rec->indexed_at < g->first_seen)
		g->first_seen = rec->indexed_at;
	g->times++;
	return 0;
}

static int fold_load(struct fold *f, vigil_store *store, const char *repo, const char *tag)
{
	memset(f, 0, sizeof(*f));
	vigil_map_init(&f->by_manifest, VIGIL_STORE_MAX_IMAGE_ROWS);
	if (!(f->arena = vigil_arena_new(INSPECT_ARENA_CAP)))
		return vigil_error_oom();
	return vigil_store_images(store, repo, tag, fold_one, f);
}

static void fold_free(struct fold *f)
{
	vigil_map_free(&f->by_manifest);
	vigil_arena_free(f->arena);
	free(f->v);
}

/* ---- the family tree ---- */

/* Layers a and the image's share from the base. */
static size_t shared(const struct agg *g, const vigil_inspect_report *r)
{
	size_t i = 0;
	while (i < g->layer_count && i < r->layer_count && !strcmp(g->layers[i], r->layers[i].digest))
		i++;
	return i;
}

static int rank(vigil_family_relation rel)
{
	static const int order[] = { [VIGIL_FAMILY_PARENT] = 0, [VIGIL_FAMILY_SELF] = 1, [VIGIL_FAMILY_CHILD] = 2,
				     [VIGIL_FAMILY_SIBLING] = 3 };
	return order[rel];
}

static int by_relation(const void *pa, const void *pb)
{
	const vigil_family_member *a = pa, *b = pb;
	if (rank(a->relation) != rank(b->relation))
		return rank(a->relation) - rank(b->relation);
	if (a->relation == VIGIL_FAMILY_SIBLING && a->shared != b->shared)
		return a->shared > b->shared ? -1 : 1;
	if (a->layer_count != b->layer_count)
		return a->layer_count < b->layer_count ? -1 : 1;
	return strcmp(a->reference, b->reference);
}

static int relation_of(const struct agg *g, const vigil_inspect_report *r, size_t base, vigil_family_relation *rel)
{
	size_t s = shared(g, r), n = r->layer_count;
	if (s == n && g->layer_count == n)
		*rel = VIGIL_FAMILY_SELF;
	else if (s == g->layer_count && g->layer_count < n)
		*rel = VIGIL_FAMILY_PARENT;
	else if (s == n)
		*rel = VIGIL_FAMILY_CHILD;
	else if (base > 0 && s >= base)
		*rel = VIGIL_FAMILY_SIBLING;
	else
		return 0;
	return 1;
}

int vigil_inspect_family_load(vigil_inspect_report *r, vigil_store *store)
{
	struct fold f;
	vigil_family_relation rel;
	size_t base = 0, k = 0;
	int rc;
	if (!r->layer_count || (r->layer_count == 1 && !strcmp(r->layers[0].digest, "rootfs")))
		return vigil_error_set(VIGIL_EINVAL, "%s: no layers: a root filesystem has no family tree", r->image);
	if ((rc = fold_load(&f, store, NULL, NULL)) < 0)
		goto out;
	for (size_t i = 0; i < f.n; i++) /* the nearest indexed parent's layers */
		if (relation_of(&f.v[i], r, 0, &rel) && rel == VIGIL_FAMILY_PARENT && f.v[i].layer_count > base)
			base = f.v[i].layer_count;
	if (!base)
		base = r->layer_count - 1;
	vigil_inspect_family *fam = vigil_arena_calloc(r->internal->arena, 1, sizeof(*fam));
	vigil_family_member *m = vigil_arena_calloc(r->internal->arena, f.n + 1, sizeof(*m));
	if (!fam || !m) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < f.n; i++) {
		const struct agg *g = &f.v[i];
		if (!relation_of(g, r, base, &rel))
			continue;
		vigil_arena *a = r->internal->arena;
		m[k] = (vigil_family_member){ .relation = rel, .reference = dup(a, g->reference),
					      .repository = dup(a, g->repository), .tag = dup(a, g->tag),
					      .manifest_digest = dup(a, g->manifest), .layer_count = g->layer_count,
					      .shared = shared(g, r), .indexed_at = g->last_seen, .findings = g->findings };
		if (!m[k].reference || !m[k].manifest_digest) {
			rc = vigil_error_oom();
			goto out;
		}
		k++;
	}
	qsort(m, k, sizeof(*m), by_relation);
	fam->base_layers = base;
	fam->members = m;
	fam->member_count = k;
	r->family = fam;
out:
	fold_free(&f);
	return rc;
}

/* ---- the tag history ---- */

int vigil_tag_history_load(vigil_store *store, const char *repo_tag, vigil_tag_history **out)
{
	char repo[4200], tag[1100];
	struct fold f;
	vigil_inspect_report *holder = NULL; /* its arena and internal hold the strings */
	vigil_tag_history *h = NULL;
	int rc;
	*out = NULL;
	if ((rc = vigil_image_ref_split(repo_tag, repo, sizeof(repo), tag, sizeof(tag))) < 0)
		return rc;
	if (!*tag)
		return vigil_error_set(VIGIL_EINVAL, "%s: names no tag (give REPOSITORY:TAG)", repo_tag);
	if ((rc = fold_load(&f, store, repo, tag)) < 0 || (rc = inspect_report_new(&holder)) < 0)
		goto out;
	vigil_arena *a = holder->internal->arena;
	vigil_tag_entry *e = vigil_arena_calloc(a, f.n + 1, sizeof(*e));
	if (!(h = calloc(1, sizeof(*h))) || !e || !(h->repository = dup(a, repo)) || !(h->tag = dup(a, tag))) {
		rc = vigil_error_oom();
		goto out;
	}
	for (size_t i = 0; i < f.n; i++) {
		const struct agg *g = &f.v[i];
		e[i] = (vigil_tag_entry){ .manifest_digest = dup(a, g->manifest), .config_digest = dup(a, g->config),
					  .reference = dup(a, g->reference), .first_seen = g->first_seen,
					  .last_seen = g->last_seen, .times = g->times, .findings = g->findings,
					  .layer_count = g->layer_count };
		if (!e[i].manifest_digest || !e[i].reference) {
			rc = vigil_error_oom();
			goto out;
		}
	}
	h->entries = e;
	h->entry_count = f.n;
	h->internal = holder->internal;
	holder->internal = NULL;
	*out = h;
	h = NULL;
out:
	fold_free(&f);
	vigil_inspect_report_free(holder);
	free(h);
	return rc;
}

void vigil_tag_history_free(vigil_tag_history *h)
{
	if (!h)
		return;
	if (h->internal)
		vigil_arena_free(h->internal->arena);
	free(h->internal);
	free(h);
}
