/* feed/redhat_common.c: the helpers the Red Hat parsers share (see
 * feed/redhat.h): CPE -> "rhel:<major>", NEVR and module-stream splitting,
 * CVSS score text, a string map, a deduplicating set of affected entries,
 * a deduplicating string list and the tally of skipped products. */
#include "feed/redhat.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CPE ---- */

static bool all_digits(vigil_slice s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return true;
}

/* The leading digits of "8", "8.6", "6.13" (1-3 digits, then end or '.'). */
static bool version_major(vigil_slice v, vigil_slice *major)
{
	size_t i = 0;
	while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9')
		i++;
	if (i == 0 || i > 3 || (i < v.len && v.ptr[i] != '.'))
		return false;
	*major = vigil_slice_sub(v, 0, i);
	return true;
}

/* The products whose CPE version is the RHEL version they ship in. */
static bool main_stream_product(vigil_slice p)
{
	return vigil_slice_eq_cstr(p, "enterprise_linux") || vigil_slice_eq_cstr(p, "rhel_els") ||
	       vigil_slice_eq_cstr(p, "rhel_extras") || vigil_slice_starts_with(p, "rhel_extras_");
}

/* Extended-support branches of a minor release: not the main stream. */
static bool extended_stream_product(vigil_slice p)
{
	return vigil_slice_starts_with(p, "rhel_eus") || vigil_slice_starts_with(p, "rhel_aus") ||
	       vigil_slice_starts_with(p, "rhel_e4s") || vigil_slice_starts_with(p, "rhel_tus");
}

bool rh_cpe_namespace(vigil_slice cpe, char out[VIGIL_RH_NS_MAX])
{
	vigil_slice f[6] = { { 0 } }, rest, major = { 0 };
	size_t nf = 0;
	if (cpe.len > VIGIL_RH_MAX_CPE || !vigil_slice_starts_with(cpe, "cpe:/"))
		return false;
	rest = vigil_slice_sub(cpe, 5, cpe.len);
	/* part : vendor : product : version : update : edition; Red Hat writes
	 * the channel or the elN build target in the edition ("8::appstream",
	 * "2.9::el8") */
	while (nf < 6) {
		bool more = vigil_slice_split(rest, ':', &f[nf], &rest);
		nf++;
		if (!more)
			break;
	}
	if (nf < 3 || !vigil_slice_eq_cstr(f[1], "redhat") || extended_stream_product(f[2]))
		return false;
	for (size_t i = 4; i < nf && i < 6; i++)
		if (vigil_slice_starts_with(f[i], "el") && f[i].len <= 5 &&
		    all_digits(vigil_slice_sub(f[i], 2, f[i].len)))
			major = vigil_slice_sub(f[i], 2, f[i].len);
	if (major.len)
		;
	else if (nf >= 4 && main_stream_product(f[2]) && !version_major(f[3], &major))
		return false;
	if (major.len == 0 || major.ptr[0] == '0')
		return false;
	snprintf(out, VIGIL_RH_NS_MAX, "rhel:%.*s", (int)major.len, major.ptr);
	return true;
}

/* ---- names and versions ---- */

static bool printable_token(vigil_slice s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (c <= 0x20 || c >= 0x7F)
			return false;
	}
	return true;
}

bool rh_valid_name(vigil_slice s)
{
	return printable_token(s) && vigil_slice_find(s, ':') < 0 && vigil_slice_find(s, '/') < 0;
}

bool rh_valid_evr(vigil_slice s)
{
	vigil_slice epoch, vr;
	if (!printable_token(s))
		return false;
	if (vigil_slice_split(s, ':', &epoch, &vr))
		return all_digits(epoch) && vr.len > 0 && vigil_slice_find(vr, ':') < 0;
	return true;
}

bool rh_split_nevr(vigil_slice s, vigil_slice *name, vigil_slice *evr)
{
	ptrdiff_t r = vigil_slice_rfind(s, '-'), v;
	if (r <= 0)
		return false;
	v = vigil_slice_rfind(vigil_slice_sub(s, 0, (size_t)r), '-');
	if (v <= 0 || (size_t)r + 1 >= s.len || v + 1 >= r)
		return false;
	*name = vigil_slice_sub(s, 0, (size_t)v);
	*evr = vigil_slice_sub(s, (size_t)v + 1, s.len);
	return rh_valid_name(*name) && rh_valid_evr(*evr);
}

bool rh_module_stream(vigil_slice s, vigil_slice *out)
{
	vigil_slice name, rest, stream, tail;
	if (!vigil_slice_split(s, ':', &name, &rest))
		return false;
	vigil_slice_split(rest, ':', &stream, &tail);
	if (!rh_valid_name(name) || !rh_valid_name(stream))
		return false;
	*out = vigil_slice_sub(s, 0, name.len + 1 + stream.len);
	return true;
}

bool rh_parse_score(vigil_slice s, double *out)
{
	double v = 0, scale = 0.1;
	size_t i = 0, digits = 0;
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++, digits++)
		v = v * 10 + (s.ptr[i] - '0');
	if (digits == 0 || digits > 2)
		return false;
	if (i < s.len && s.ptr[i] == '.') {
		size_t frac = 0;
		for (i++; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++, frac++, scale /= 10)
			v += (s.ptr[i] - '0') * scale;
		if (frac == 0 || frac > 3)
			return false;
	}
	if (i != s.len || v > 10.0)
		return false;
	*out = v;
	return true;
}

bool rh_fix_state(vigil_slice w, vigil_vuln_state *st)
{
	static const struct {
		const char *word;
		vigil_vuln_state st;
	} t[] = {
		{ "Affected", VIGIL_STATE_NOT_FIXED },
		{ "Fix deferred", VIGIL_STATE_NOT_FIXED },
		{ "Under investigation", VIGIL_STATE_NOT_FIXED },
		{ "New", VIGIL_STATE_NOT_FIXED },
		{ "Will not fix", VIGIL_STATE_WILL_NOT_FIX },
		{ "Out of support scope", VIGIL_STATE_WILL_NOT_FIX },
		{ "Not affected", VIGIL_STATE_NOT_AFFECTED },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (vigil_slice_eq_cstr(w, t[i].word)) {
			*st = t[i].st;
			return true;
		}
	return false;
}

/* ---- affected set ---- */

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	return s ? vigil_hash_more(h, s, strlen(s) + 1) : h * 31;
}

static uint64_t aff_hash(const vigil_affected *a)
{
	uint64_t h = VIGIL_HASH_INIT;
	h = hash_str(h, a->namespace);
	h = hash_str(h, a->package);
	h = hash_str(h, a->fixed);
	h = hash_str(h, a->module);
	return h ^ ((uint64_t)a->state << 8) ^ (uint64_t)(a->is_source != 0);
}

static bool aff_same(const vigil_affected *a, const vigil_affected *b)
{
	return a->state == b->state && (a->is_source != 0) == (b->is_source != 0) &&
	       str_eq(a->namespace, b->namespace) && str_eq(a->package, b->package) &&
	       str_eq(a->fixed, b->fixed) && str_eq(a->module, b->module);
}

void rh_affset_init(vigil_rh_affset *s, vigil_feed_ctx *ctx)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
}

static int affset_reindex(vigil_rh_affset *s, size_t nslot)
{
	uint32_t *ns = calloc(nslot, sizeof(*ns));
	if (!ns)
		return vigil_error_oom();
	for (size_t i = 0; i < s->n; i++) {
		size_t j = aff_hash(&s->v[i]) & (nslot - 1);
		while (ns[j])
			j = (j + 1) & (nslot - 1);
		ns[j] = (uint32_t)(i + 1);
	}
	free(s->slot);
	s->slot = ns;
	s->nslot = nslot;
	return 0;
}

/* "x86_64" + "aarch64" -> "x86_64|aarch64"; NULL (all) absorbs the rest. */
static int merge_arch(vigil_rh_affset *s, vigil_affected *old, const char *arch)
{
	if (!old->arch || !arch)
		return (old->arch = NULL), 0;
	size_t alen = strlen(arch), olen = strlen(old->arch);
	for (const char *p = old->arch; p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == alen && memcmp(p, arch, n) == 0)
			return 0;
		p = bar ? bar + 1 : NULL;
	}
	if (olen + alen + 1 > 1024)
		return vigil_error_set(VIGIL_ELIMIT, "package %s: architecture list longer than 1024",
				       old->package ? old->package : "?");
	char buf[1100];
	memcpy(buf, old->arch, olen);
	buf[olen] = '|';
	memcpy(buf + olen + 1, arch, alen);
	old->arch = feed_str(s->ctx, buf, olen + 1 + alen);
	return old->arch ? 0 : vigil_error_oom();
}

int rh_affset_add(vigil_rh_affset *s, const vigil_affected *a)
{
	int rc;
	if (s->nslot && s->n) {
		for (size_t j = aff_hash(a) & (s->nslot - 1); s->slot[j]; j = (j + 1) & (s->nslot - 1))
			if (aff_same(&s->v[s->slot[j] - 1], a))
				return merge_arch(s, &s->v[s->slot[j] - 1], a->arch);
	}
	if (s->n >= VIGIL_FEED_MAX_AFFECTED)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d affected packages (limit VIGIL_FEED_MAX_AFFECTED)",
				       VIGIL_FEED_MAX_AFFECTED);
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 16;
		vigil_affected *nv = realloc(s->v, ncap * sizeof(*nv));
		if (!nv)
			return vigil_error_oom();
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = *a;
	if (s->n * 2 > s->nslot) {
		if ((rc = affset_reindex(s, s->nslot ? s->nslot * 2 : 32)) < 0)
			return rc;
	} else {
		size_t j = aff_hash(a) & (s->nslot - 1);
		while (s->slot[j])
			j = (j + 1) & (s->nslot - 1);
		s->slot[j] = (uint32_t)s->n;
	}
	return 0;
}

int rh_affset_take(vigil_rh_affset *s, const vigil_affected **out, size_t *n)
{
	vigil_affected *copy = NULL;
	if (s->n) {
		copy = vigil_arena_alloc(s->ctx->arena, s->n * sizeof(*copy));
		if (!copy)
			return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
		memcpy(copy, s->v, s->n * sizeof(*copy));
	}
	*out = copy;
	*n = s->n;
	s->n = 0;
	if (s->slot)
		memset(s->slot, 0, s->nslot * sizeof(*s->slot));
	return 0;
}

void rh_affset_free(vigil_rh_affset *s)
{
	if (!s)
		return;
	free(s->v);
	free(s->slot);
	s->v = NULL;
	s->slot = NULL;
	s->n = s->cap = s->nslot = 0;
}

/* ---- string list ---- */

int rh_strlist_add(vigil_feed_ctx *ctx, vigil_rh_strlist *l, vigil_slice s, const char *what)
{
	s = vigil_slice_trim(s);
	if (s.len == 0)
		return 0;
	if (s.len > VIGIL_FEED_MAX_STRING)
		return vigil_error_set(VIGIL_ELIMIT, "%s: longer than VIGIL_FEED_MAX_STRING", what);
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == s.len && memcmp(l->v[i], s.ptr, s.len) == 0)
			return 0;
	if (l->n >= VIGIL_FEED_MAX_REFS)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d %s (limit VIGIL_FEED_MAX_REFS)",
				       VIGIL_FEED_MAX_REFS, what);
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		const char **nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv)
			return vigil_error_oom();
		l->v = nv;
		l->cap = ncap;
	}
	const char *c = feed_str(ctx, s.ptr, s.len);
	if (!c)
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	l->v[l->n++] = c;
	return 0;
}

int rh_strlist_take(vigil_feed_ctx *ctx, vigil_rh_strlist *l, const char *const **out, size_t *n)
{
	const char **copy = NULL;
	if (l->n) {
		copy = vigil_arena_alloc(ctx->arena, l->n * sizeof(*copy));
		if (!copy)
			return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
		memcpy(copy, l->v, l->n * sizeof(*copy));
	}
	*out = copy;
	*n = l->n;
	l->n = 0;
	return 0;
}

void rh_strlist_free(vigil_rh_strlist *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* ---- skipped products ---- */

void rh_skipped_add(vigil_feed_ctx *ctx, vigil_rh_skipped *s, vigil_slice what, const char *why)
{
	size_t n = what.len < sizeof(s->e[0].what) ? what.len : sizeof(s->e[0].what) - 1;
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].why == why && strlen(s->e[i].what) == n && memcmp(s->e[i].what, what.ptr, n) == 0) {
			s->e[i].count++;
			return;
		}
	if (s->n == VIGIL_RH_MAX_SKIPPED) {
		feed_warn(ctx, "%.*s: %s: skipped", (int)n, what.ptr, why);
		return;
	}
	memcpy(s->e[s->n].what, what.ptr, n);
	s->e[s->n].what[n] = '\0';
	s->e[s->n].why = why;
	s->e[s->n].count = 1;
	s->n++;
}

void rh_skipped_warn(vigil_feed_ctx *ctx, vigil_rh_skipped *s)
{
	for (size_t i = 0; i < s->n; i++)
		feed_warn(ctx, "%s: %s: skipped %llu time%s", s->e[i].what, s->e[i].why,
				(unsigned long long)s->e[i].count, s->e[i].count == 1 ? "" : "s");
	s->n = 0;
}
