/* version/maven.c: Maven version ordering, as ComparableVersion of current
 * Maven (3.9/4): the version is lowercased and split at '.', '-' and
 * digit/letter transitions into a tree of numbers, qualifiers (alpha < beta
 * < milestone < rc = cr < snapshot < "" = ga = final = release < sp <
 * unknown, unknown ones by text), letter+number combinations ("rc1",
 * "x-1") and '-' sub-lists; trailing null items are normalized away.
 * Parsed into a fixed node pool on the stack: no allocation. Versions over
 * VIGIL_MAVEN_MAX_LEN bytes (Maven's own limit) or with a NUL are invalid
 * and sort after valid ones, by bytes. Non-ASCII digits are letters here. */
#include "vigil/version.h"
#include "version/internal.h"

#include <string.h>

#define VIGIL_MAVEN_MAX_LEN 256
#define MV_MAX_NODES (2 * VIGIL_MAVEN_MAX_LEN + 8)

enum { N_NUM, N_STR, N_COMB, N_LIST };

typedef struct mnode {
	int type;
	const char *s; /* N_NUM: digits without leading zeros; N_STR/N_COMB: qualifier */
	size_t n;
	const char *d; /* N_COMB: digit part */
	size_t dn;
	int first, next; /* N_LIST children; sibling link (-1: none) */
} mnode;

typedef struct mver {
	char buf[VIGIL_MAVEN_MAX_LEN];
	mnode node[MV_MAX_NODES];
	int nnodes;
	int lists[MV_MAX_NODES];
	int nlists;
} mver;

static const char *const QUALIFIERS[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };
#define RELEASE_RANK 5
#define UNKNOWN_RANK 7

static int rank(const char *s, size_t n)
{
	if ((n == 2 && !memcmp(s, "ga", 2)) || (n == 5 && !memcmp(s, "final", 5)) ||
	    (n == 7 && !memcmp(s, "release", 7)))
		return RELEASE_RANK;
	for (int i = 0; i < 7; i++)
		if (strlen(QUALIFIERS[i]) == n && (n == 0 || !memcmp(QUALIFIERS[i], s, n)))
			return i;
	return UNKNOWN_RANK;
}

static int qual_cmp(const mnode *a, const mnode *b)
{
	int ra = rank(a->s, a->n), rb = rank(b->s, b->n);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return ra == UNKNOWN_RANK ? vv_bytecmp(a->s, a->n, b->s, b->n) : 0;
}

static int qual_null(const mnode *a)
{
	int r = rank(a->s, a->n);
	return (r > RELEASE_RANK) - (r < RELEASE_RANK);
}

static int num_null(const char *d, size_t n)
{
	return n > 0; /* digits are stored without leading zeros */
}

static int add_node(mver *v, int list, mnode nd)
{
	if (v->nnodes >= MV_MAX_NODES)
		return -1;
	int id = v->nnodes++;
	nd.first = nd.next = -1;
	v->node[id] = nd;
	if (list >= 0) {
		int *p = &v->node[list].first;
		while (*p >= 0)
			p = &v->node[*p].next;
		*p = id;
	}
	return id;
}

static void set_string(mnode *nd, const char *s, size_t n, int followed_by_digit)
{
	if (followed_by_digit && n == 1) {
		if (s[0] == 'a')
			s = "alpha", n = 5;
		else if (s[0] == 'b')
			s = "beta", n = 4;
		else if (s[0] == 'm')
			s = "milestone", n = 9;
	}
	if (n == 2 && !memcmp(s, "cr", 2))
		s = "rc";
	nd->s = s, nd->n = n;
}

static void strip_zeros(const char **s, size_t *n)
{
	while (*n && **s == '0')
		(*s)++, (*n)--;
}

static int add_item(mver *v, int list, int comb, int digit, size_t st, size_t en)
{
	mnode nd = { 0 };
	const char *s = v->buf + st;
	size_t n = en - st;

	if (comb) {
		size_t k = 0;
		while (k < n && !vv_digit((unsigned char)s[k]))
			k++;
		size_t sn = k;
		while (sn && s[sn - 1] == '-')
			sn--;
		nd.type = N_COMB;
		set_string(&nd, s, sn, 1);
		nd.d = s + k, nd.dn = n - k;
		strip_zeros(&nd.d, &nd.dn);
	} else if (digit) {
		nd.type = N_NUM;
		nd.s = s, nd.n = n;
		strip_zeros(&nd.s, &nd.n);
	} else {
		nd.type = N_STR;
		set_string(&nd, s, n, 0);
	}
	return add_node(v, list, nd);
}

static int add_zero(mver *v, int list)
{
	mnode nd = { 0 };
	nd.type = N_NUM;
	nd.s = "", nd.n = 0;
	return add_node(v, list, nd);
}

static int push_list(mver *v, int *list)
{
	mnode nd = { 0 };
	nd.type = N_LIST;
	int id = add_node(v, *list, nd);
	if (id < 0)
		return -1;
	v->lists[v->nlists++] = id;
	*list = id;
	return 0;
}

static int is_null(const mver *v, int id)
{
	const mnode *nd = &v->node[id];
	switch (nd->type) {
	case N_NUM:
		return nd->n == 0;
	case N_STR:
		return nd->n == 0;
	case N_LIST:
		return nd->first < 0;
	default:
		return 0;
	}
}

static void normalize(mver *v, int list)
{
	int kids[MV_MAX_NODES], n = 0;

	for (int c = v->node[list].first; c >= 0; c = v->node[c].next)
		kids[n++] = c;
	for (int i = n - 1; i >= 0; i--) {
		if (!is_null(v, kids[i]))
			continue;
		int drop = 0;
		if (i == n - 1 || v->node[kids[i + 1]].type == N_STR) {
			drop = 1;
		} else if (v->node[kids[i + 1]].type == N_LIST) {
			int f = v->node[kids[i + 1]].first;
			if (f >= 0 && (v->node[f].type == N_COMB || v->node[f].type == N_STR))
				drop = 1;
		}
		if (drop) {
			memmove(kids + i, kids + i + 1, (size_t)(n - i - 1) * sizeof(int));
			n--;
		}
	}
	if (n == 1 && v->node[kids[0]].type == N_LIST) {
		int inner = kids[0];
		n = 0;
		for (int c = v->node[inner].first; c >= 0; c = v->node[c].next)
			kids[n++] = c;
	}
	v->node[list].first = n ? kids[0] : -1;
	for (int i = 0; i < n; i++)
		v->node[kids[i]].next = i + 1 < n ? kids[i + 1] : -1;
}

/* Lowercases ASCII and the Latin-1, Greek and Cyrillic capitals (same
 * UTF-8 length), as Java's toLowerCase for those letters. */
static void lowercase(char *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (char)vv_tolower(c);
		if (i + 1 < n) {
			unsigned char d = (unsigned char)s[i + 1];
			unsigned cp = ((c & 0x1fu) << 6) | (d & 0x3fu);
			unsigned lc = cp;
			if ((c & 0xe0) != 0xc0 || (d & 0xc0) != 0x80)
				continue;
			if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) || (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2) ||
			    (cp >= 0x410 && cp <= 0x42f))
				lc = cp + 0x20;
			else if (cp >= 0x400 && cp <= 0x40f)
				lc = cp + 0x50;
			else if (cp == 0x386)
				lc = 0x3ac;
			else if (cp >= 0x388 && cp <= 0x38a)
				lc = cp + 0x25;
			if (lc >= 0x800)
				continue;
			out[i] = (char)(0xc0 | (lc >> 6));
			out[i + 1] = (char)(0x80 | (lc & 0x3f));
			i++;
		}
	}
}

static int parse(const char *s, size_t n, mver *v)
{
	int list, digit = 0, comb = 0;
	size_t st = 0;

	if (n > VIGIL_MAVEN_MAX_LEN || (n && memchr(s, '\0', n)))
		return 0;
	lowercase(v->buf, s, n);
	v->nnodes = v->nlists = 0;
	list = add_node(v, -1, (mnode){ .type = N_LIST });
	v->lists[v->nlists++] = list;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v->buf[i];
		if (c == '.') {
			if ((i == st ? add_zero(v, list) : add_item(v, list, comb, digit, st, i)) < 0)
				return 0;
			comb = 0;
			st = i + 1;
		} else if (c == '-') {
			if (i == st) {
				if (add_zero(v, list) < 0)
					return 0;
			} else {
				if (!digit && i != n - 1 && vv_digit((unsigned char)v->buf[i + 1])) {
					comb = 1;
					continue;
				}
				if (add_item(v, list, comb, digit, st, i) < 0)
					return 0;
			}
			st = i + 1;
			if (v->node[list].first >= 0 && push_list(v, &list) < 0)
				return 0;
			comb = 0;
		} else if (vv_digit(c)) {
			if (!digit && i > st) {
				comb = 1;
				if (v->node[list].first >= 0 && push_list(v, &list) < 0)
					return 0;
			}
			digit = 1;
		} else {
			if (digit && i > st) {
				if (add_item(v, list, comb, 1, st, i) < 0)
					return 0;
				st = i;
				if (push_list(v, &list) < 0)
					return 0;
				comb = 0;
			}
			digit = 0;
		}
	}
	if (n > st) {
		if (!digit && v->node[list].first >= 0 && push_list(v, &list) < 0)
			return 0;
		if (add_item(v, list, comb, digit, st, n) < 0)
			return 0;
	}
	for (int i = v->nlists - 1; i >= 0; i--)
		normalize(v, v->lists[i]);
	return 1;
}

static int cmp_item(const mver *va, int a, const mver *vb, int b);

/* a compared with "nothing" (b == null in Java). */
static int cmp_null(const mver *v, int a)
{
	const mnode *x = &v->node[a];
	switch (x->type) {
	case N_NUM:
		return num_null(x->s, x->n);
	case N_STR:
		return qual_null(x);
	case N_COMB: {
		int r = qual_null(x);
		return r ? r : num_null(x->d, x->dn);
	}
	default:
		for (int c = x->first; c >= 0; c = v->node[c].next) {
			int r = cmp_null(v, c);
			if (r)
				return r;
		}
		return 0;
	}
}

static int cmp_list(const mver *va, int a, const mver *vb, int b)
{
	const mnode *y = &vb->node[b];
	int l = va->node[a].first;

	if (y->type == N_NUM)
		return -1;
	if (y->type != N_LIST) {
		int r = l < 0 ? -cmp_null(vb, b) : cmp_item(va, l, vb, b);
		for (l = l >= 0 ? va->node[l].next : -1; r == 0 && l >= 0; l = va->node[l].next)
			r = cmp_null(va, l);
		return r;
	}
	int r2 = y->first;
	while (l >= 0 || r2 >= 0) {
		int r = l < 0 ? -cmp_null(vb, r2) : r2 < 0 ? cmp_null(va, l) : cmp_item(va, l, vb, r2);
		if (r)
			return r;
		if (l >= 0)
			l = va->node[l].next;
		if (r2 >= 0)
			r2 = vb->node[r2].next;
	}
	return 0;
}

static int cmp_item(const mver *va, int a, const mver *vb, int b)
{
	const mnode *x = &va->node[a], *y = &vb->node[b];
	int r;

	switch (x->type) {
	case N_NUM:
		if (y->type == N_NUM)
			return vv_numcmp(x->s, x->n, y->s, y->n);
		return 1;
	case N_STR:
		switch (y->type) {
		case N_NUM:
			return -1;
		case N_STR:
			return qual_cmp(x, y);
		case N_COMB:
			r = qual_cmp(x, y);
			if (r == 0)
				return qual_null(x) == 0 ? -num_null(y->d, y->dn) : -1;
			return r;
		default:
			return -cmp_list(vb, b, va, a);
		}
	case N_COMB:
		switch (y->type) {
		case N_NUM:
			return -1;
		case N_STR:
			r = qual_cmp(x, y);
			if (r == 0)
				return qual_null(x) == 0 ? num_null(x->d, x->dn) : 1;
			return r;
		case N_COMB:
			r = qual_cmp(x, y);
			return r ? r : vv_numcmp(x->d, x->dn, y->d, y->dn);
		default:
			return -cmp_list(vb, b, va, a);
		}
	default:
		return cmp_list(va, a, vb, b);
	}
}

int vigil_maven_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	mver x, y;
	int va = parse(a, alen, &x), vb = parse(b, blen, &y);

	if (!va || !vb)
		return va != vb ? (va ? -1 : 1) : vv_bytecmp(a, alen, b, blen);
	return vv_sign(cmp_item(&x, 0, &y, 0));
}

int vigil_maven_valid(const char *v, size_t len)
{
	mver x;
	return parse(v, len, &x);
}
