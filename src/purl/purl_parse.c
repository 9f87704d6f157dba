/* purl/purl_parse.c: reading a package URL (vigil/purl.h), the way the
 * purl spec's parsing rules read it, right to left:
 *
 *   pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS#SUBPATH
 *
 * '#' splits off the subpath, '?' the qualifiers, the scheme must be
 * "pkg:" (any case, slashes after it ignored), the type is lower-cased,
 * the last '@' splits off the version, the last '/' the name; every part
 * is percent-decoded. Qualifier keys are lower-cased and sorted; an empty
 * value drops its key. One arena holds every string of the result. */
#include "util/arena.h"
#include "util/error.h"
#include "util/slice.h"
#include "vigil/purl.h"

#include <stdlib.h>
#include <string.h>

struct vigil_purl_internal {
	vigil_arena *arena;
};

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decodes s into the arena (lower-cased when lower); NULL with the
 * error set on a bad escape, a NUL byte, or out of memory. */
static const char *decode(vigil_arena *a, vigil_slice s, int lower, const char *what)
{
	char *out = vigil_arena_alloc(a, s.len + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < s.len; i++) {
		int c = (unsigned char)s.ptr[i];
		if (c == '%') {
			int hi = i + 1 < s.len ? hexval((unsigned char)s.ptr[i + 1]) : -1;
			int lo = i + 2 < s.len ? hexval((unsigned char)s.ptr[i + 2]) : -1;
			if (hi < 0 || lo < 0 || hi + lo == 0) {
				vigil_error_set(VIGIL_EFORMAT, "purl: %s: a bad %%-escape", what);
				return NULL;
			}
			c = hi * 16 + lo;
			i += 2;
		}
		out[n++] = (char)(lower && c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
	return out;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int parse_qualifiers(vigil_purl *p, vigil_arena *a, vigil_slice q)
{
	const char **keys = vigil_arena_calloc(a, VIGIL_PURL_MAX_QUALIFIERS * 2, sizeof(*keys));
	vigil_slice item;
	size_t n = 0;
	if (!keys)
		return vigil_error_code();
	while (q.len) {
		vigil_slice_split(q, '&', &item, &q);
		ptrdiff_t eq = vigil_slice_find(item, '=');
		if (item.len == 0)
			continue;
		if (eq <= 0)
			return vigil_error_set(VIGIL_EFORMAT, "purl: qualifier '%.*s' has no key=value", (int)(item.len > 64 ? 64 : item.len), item.ptr);
		if (n == VIGIL_PURL_MAX_QUALIFIERS)
			return vigil_error_set(VIGIL_ELIMIT, "purl: more than %d qualifiers", VIGIL_PURL_MAX_QUALIFIERS);
		vigil_slice v = vigil_slice_sub(item, (size_t)eq + 1, item.len);
		if (v.len == 0)
			continue;
		/* key and value side by side, so one sort keeps them together */
		if (!(keys[2 * n] = decode(a, vigil_slice_sub(item, 0, (size_t)eq), 1, "qualifier key")) ||
		    !(keys[2 * n + 1] = decode(a, v, 0, "qualifier value")))
			return vigil_error_code();
		n++;
	}
	qsort(keys, n, 2 * sizeof(*keys), cmp_keys);
	const char **k = vigil_arena_calloc(a, n + 1, sizeof(*k)), **v = vigil_arena_calloc(a, n + 1, sizeof(*v));
	if (!k || !v)
		return vigil_error_code();
	for (size_t i = 0; i < n; i++) {
		k[i] = keys[2 * i];
		v[i] = keys[2 * i + 1];
	}
	p->qualifier_keys = k;
	p->qualifier_values = v;
	p->nqualifiers = n;
	return 0;
}

/* The part of s after the last sep (moved out of *s), or an empty slice. */
static int cut_right(vigil_slice *s, char sep, vigil_slice *part)
{
	for (size_t i = s->len; i > 0; i--)
		if (s->ptr[i - 1] == sep) {
			*part = vigil_slice_sub(*s, i, s->len);
			*s = vigil_slice_sub(*s, 0, i - 1);
			return 1;
		}
	*part = vigil_slice_make(s->ptr + s->len, 0);
	return 0;
}

static int parse_into(vigil_purl *p, vigil_arena *a, vigil_slice s)
{
	vigil_slice part, type;
	int rc;
	if (cut_right(&s, '#', &part) && part.len && !(p->subpath = decode(a, part, 0, "subpath")))
		return vigil_error_code();
	/* '?' is the first one: a version may not hold one unescaped */
	ptrdiff_t q = vigil_slice_find(s, '?');
	if (q >= 0) {
		if ((rc = parse_qualifiers(p, a, vigil_slice_sub(s, (size_t)q + 1, s.len))) < 0)
			return rc;
		s = vigil_slice_sub(s, 0, (size_t)q);
	}
	if (s.len < 4 || strncasecmp(s.ptr, "pkg:", 4))
		return vigil_error_set(VIGIL_EFORMAT, "purl: no 'pkg:' scheme");
	s = vigil_slice_sub(s, 4, s.len);
	while (s.len && s.ptr[0] == '/')
		s = vigil_slice_sub(s, 1, s.len);
	while (s.len && s.ptr[s.len - 1] == '/')
		s.len--;
	ptrdiff_t slash = vigil_slice_find(s, '/');
	if (slash <= 0)
		return vigil_error_set(VIGIL_EFORMAT, "purl: no type/name");
	type = vigil_slice_sub(s, 0, (size_t)slash);
	s = vigil_slice_sub(s, (size_t)slash + 1, s.len);
	if (!(p->type = decode(a, type, 1, "type")))
		return vigil_error_code();
	if (cut_right(&s, '@', &part) && !(p->version = decode(a, part, 0, "version")))
		return vigil_error_code();
	if (p->version && !*p->version)
		p->version = NULL;
	cut_right(&s, '/', &part);
	if (part.len == 0 && s.len && vigil_slice_find(s, '/') < 0) { /* no namespace: s is the name */
		part = s;
		s.len = 0;
	}
	if (part.len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "purl: no name");
	if (!(p->name = decode(a, part, 0, "name")))
		return vigil_error_code();
	if (s.len && !(p->namespace = decode(a, s, 0, "namespace")))
		return vigil_error_code();
	return 0;
}

int vigil_purl_parse(const char *s, size_t len, vigil_purl **out)
{
	vigil_purl *p = calloc(1, sizeof(*p));
	struct vigil_purl_internal *in = calloc(1, sizeof(*in));
	int rc;
	*out = NULL;
	if (!p || !in) {
		free(p);
		free(in);
		return vigil_error_oom();
	}
	p->internal = in;
	if (len > VIGIL_PURL_MAX_LEN) {
		rc = vigil_error_set(VIGIL_ELIMIT, "purl: %zu bytes, over the limit of %d", len, VIGIL_PURL_MAX_LEN);
		goto out;
	}
	if (!(in->arena = vigil_arena_new(4 * len + 1024))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = parse_into(p, in->arena, vigil_slice_make(s, len))) < 0)
		vigil_error_prefix("'%.*s': ", (int)(len > 200 ? 200 : len), s);
out:
	if (rc < 0)
		vigil_purl_free(p);
	else
		*out = p;
	return rc;
}

void vigil_purl_free(vigil_purl *p)
{
	if (!p)
		return;
	if (p->internal)
		vigil_arena_free(p->internal->arena);
	free(p->internal);
	free(p);
}

const char *vigil_purl_qualifier(const vigil_purl *p, const char *key)
{
	for (size_t i = 0; p && i < p->nqualifiers; i++)
		if (!strcmp(p->qualifier_keys[i], key))
			return p->qualifier_values[i];
	return NULL;
}
