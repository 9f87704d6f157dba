/* version/pep440.c: Python package versions (PEP 440, as pypa/packaging):
 * [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], case-insensitive, with
 * the alternative spellings PEP 440 normalizes (alpha, beta, c, pre,
 * preview, rev, r, "-N" post releases, optional separators and numbers,
 * surrounding whitespace). Compared by packaging's key: epoch, release
 * (trailing zeros ignored), pre (a dev-only release sorts before every
 * pre-release), post, dev, local (numeric segments above strings).
 * Invalid versions sort after valid ones, by bytes. */
#include "vigil/version.h"
#include "version/internal.h"

#include <string.h>

typedef struct slice_ {
	const char *p;
	size_t n;
} sl;

typedef struct pv {
	sl epoch, release, pre_n, post_n, dev_n, local;
	int pre; /* -1 none, 0 a, 1 b, 2 rc */
	int has_post, has_dev, has_local;
} pv;

typedef struct cur {
	const char *s;
	size_t i, n;
} cur;

/* Matches the lowercase word w at the cursor, case-insensitively. */
static int word(cur *c, const char *w)
{
	size_t k = strlen(w);
	if (c->n - c->i < k)
		return 0;
	for (size_t j = 0; j < k; j++)
		if (vv_tolower((unsigned char)c->s[c->i + j]) != (unsigned char)w[j])
			return 0;
	c->i += k;
	return 1;
}

static int sep(cur *c)
{
	if (c->i < c->n && (c->s[c->i] == '-' || c->s[c->i] == '_' || c->s[c->i] == '.')) {
		c->i++;
		return 1;
	}
	return 0;
}

static sl digits(cur *c)
{
	size_t st = c->i;
	while (c->i < c->n && vv_digit((unsigned char)c->s[c->i]))
		c->i++;
	return (sl){ c->s + st, c->i - st };
}

/* Optional separator and number after a pre/post/dev label. */
static sl label_number(cur *c)
{
	size_t save = c->i;
	int had_sep = sep(c);
	sl d = digits(c);
	if (!d.n && had_sep)
		c->i = save;
	return d;
}

/* Bytes of a Unicode whitespace character (Python's str.strip) at s, or 0. */
static size_t space_len(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r') || (s[0] >= 0x1c && s[0] <= 0x1f)))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n >= 3 && s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3;
	if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	return 0;
}

static void strip(const char **s, size_t *n)
{
	size_t k;
	while (*n && (k = space_len((const unsigned char *)*s, *n)) != 0)
		*s += k, *n -= k;
	for (;;) {
		size_t found = 0;
		for (k = 1; k <= 3 && k <= *n; k++)
			if (space_len((const unsigned char *)*s + *n - k, k) == k) {
				found = k;
				break;
			}
		if (!found)
			break;
		*n -= found;
	}
}

static int parse(const char *s, size_t n, pv *o)
{
	cur c;
	size_t save;

	memset(o, 0, sizeof(*o));
	o->pre = -1;
	strip(&s, &n);
	c = (cur){ s, 0, n };
	if (c.i < n && (s[0] == 'v' || s[0] == 'V'))
		c.i++;
	save = c.i;
	o->epoch = digits(&c);
	if (o->epoch.n && c.i < n && s[c.i] == '!') {
		c.i++;
	} else {
		c.i = save;
		o->epoch = (sl){ s, 0 };
	}
	size_t rs = c.i;
	if (!digits(&c).n)
		return 0;
	while (c.i + 1 < n && s[c.i] == '.' && vv_digit((unsigned char)s[c.i + 1])) {
		c.i++;
		digits(&c);
	}
	o->release = (sl){ s + rs, c.i - rs };

	save = c.i;
	sep(&c);
	if (word(&c, "alpha") || word(&c, "a"))
		o->pre = 0;
	else if (word(&c, "beta") || word(&c, "b"))
		o->pre = 1;
	else if (word(&c, "preview") || word(&c, "pre") || word(&c, "c") || word(&c, "rc"))
		o->pre = 2;
	if (o->pre >= 0)
		o->pre_n = label_number(&c);
	else
		c.i = save;

	save = c.i;
	if (c.i + 1 < n && s[c.i] == '-' && vv_digit((unsigned char)s[c.i + 1])) {
		c.i++;
		o->post_n = digits(&c);
		o->has_post = 1;
	} else {
		sep(&c);
		if (word(&c, "post") || word(&c, "rev") || word(&c, "r")) {
			o->has_post = 1;
			o->post_n = label_number(&c);
		} else {
			c.i = save;
		}
	}

	save = c.i;
	sep(&c);
	if (word(&c, "dev")) {
		o->has_dev = 1;
		o->dev_n = label_number(&c);
	} else {
		c.i = save;
	}

	if (c.i < n && s[c.i] == '+') {
		size_t ls = ++c.i;
		for (;;) {
			size_t st = c.i;
			while (c.i < n && vv_alnum((unsigned char)s[c.i]))
				c.i++;
			if (c.i == st)
				return 0;
			if (c.i < n && (s[c.i] == '-' || s[c.i] == '_' || s[c.i] == '.'))
				c.i++;
			else
				break;
		}
		o->local = (sl){ s + ls, c.i - ls };
		o->has_local = 1;
	}
	return c.i == n;
}

/* Next dot-separated number of a release, "0" when exhausted. */
static sl next_part(sl *r)
{
	if (!r->n)
		return (sl){ "0", 1 };
	size_t k = 0;
	while (k < r->n && r->p[k] != '.')
		k++;
	sl part = { r->p, k };
	r->p += k < r->n ? k + 1 : k;
	r->n -= k < r->n ? k + 1 : k;
	return part;
}

static int release_cmp(sl a, sl b)
{
	while (a.n || b.n) {
		sl x = next_part(&a), y = next_part(&b);
		int r = vv_numcmp(x.p, x.n, y.p, y.n);
		if (r)
			return r;
	}
	return 0;
}

static int is_local_sep(char ch)
{
	return ch == '-' || ch == '_' || ch == '.';
}

static int local_cmp(sl a, sl b)
{
	size_t i = 0, j = 0;
	for (;;) {
		if (i >= a.n || j >= b.n)
			return (i < a.n) - (j < b.n);
		size_t is = i, js = j;
		while (i < a.n && !is_local_sep(a.p[i]))
			i++;
		while (j < b.n && !is_local_sep(b.p[j]))
			j++;
		size_t an = i - is, bn = j - js;
		int ad = 1, bd = 1, r = 0;
		for (size_t k = 0; k < an; k++)
			ad &= vv_digit((unsigned char)a.p[is + k]);
		for (size_t k = 0; k < bn; k++)
			bd &= vv_digit((unsigned char)b.p[js + k]);
		if (ad && bd) {
			r = vv_numcmp(a.p + is, an, b.p + js, bn);
		} else if (ad != bd) {
			r = ad ? 1 : -1;
		} else {
			for (size_t k = 0; k < an && k < bn && !r; k++) {
				unsigned char x = vv_tolower((unsigned char)a.p[is + k]);
				unsigned char y = vv_tolower((unsigned char)b.p[js + k]);
				r = (x > y) - (x < y);
			}
			if (!r)
				r = (an > bn) - (an < bn);
		}
		if (r)
			return r;
		i++, j++;
	}
}

/* Rank of the pre-release part: 0 dev-only, 1 pre-release, 2 none. */
static int pre_rank(const pv *v)
{
	if (v->pre < 0 && !v->has_post && v->has_dev)
		return 0;
	return v->pre >= 0 ? 1 : 2;
}

static int key_cmp(const pv *x, const pv *y)
{
	int r;
	if ((r = vv_numcmp(x->epoch.p, x->epoch.n, y->epoch.p, y->epoch.n)) != 0)
		return r;
	if ((r = release_cmp(x->release, y->release)) != 0)
		return r;
	int xr = pre_rank(x), yr = pre_rank(y);
	if (xr != yr)
		return xr < yr ? -1 : 1;
	if (xr == 1) {
		if (x->pre != y->pre)
			return x->pre < y->pre ? -1 : 1;
		if ((r = vv_numcmp(x->pre_n.p, x->pre_n.n, y->pre_n.p, y->pre_n.n)) != 0)
			return r;
	}
	if (x->has_post != y->has_post)
		return x->has_post ? 1 : -1;
	if ((r = vv_numcmp(x->post_n.p, x->post_n.n, y->post_n.p, y->post_n.n)) != 0)
		return r;
	if (x->has_dev != y->has_dev)
		return x->has_dev ? -1 : 1;
	if ((r = vv_numcmp(x->dev_n.p, x->dev_n.n, y->dev_n.p, y->dev_n.n)) != 0)
		return r;
	if (x->has_local != y->has_local)
		return x->has_local ? 1 : -1;
	return local_cmp(x->local, y->local);
}

int vigil_pep440_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	pv x, y;
	int va = parse(a, alen, &x), vb = parse(b, blen, &y);

	if (!va || !vb)
		return va != vb ? (va ? -1 : 1) : vv_bytecmp(a, alen, b, blen);
	return key_cmp(&x, &y);
}

int vigil_pep440_valid(const char *v, size_t len)
{
	pv x;
	return parse(v, len, &x);
}
