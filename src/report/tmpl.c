/* report/tmpl.c: the Mustache engine of report/tmpl.h.
 *
 * Compiling turns the text into a flat array of nodes; a section node
 * knows the index just past its closing tag, so rendering is a loop over
 * a range that recurses into sections. Tags that stand alone on their
 * line (sections, their ends, comments) take the line with them, as the
 * spec says, so a template can be laid out one tag per line. Names are
 * looked up through the stack of contexts, innermost first; a dotted name
 * resolves its first part so and the rest inside that value. */
#include "report/tmpl.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/slice.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED };

struct node {
	enum node_kind kind;
	vigil_slice s;   /* text, or the tag's name */
	size_t end;      /* sections: the index past the closing tag */
	const char *tag; /* sections: where their "{{" is, for errors */
};

struct tmpl {
	char *text;      /* a copy: the nodes point into it */
	struct node *nodes;
	size_t n, cap;
	unsigned flags;
};

struct parser {
	const char *name, *p, *end, *base;
	tmpl *t;
	size_t open[TMPL_MAX_DEPTH];
	size_t depth;
};

/* VIGIL_EFORMAT "NAME:LINE:COL: what 'detail'" for the position where. */
static int at(const struct parser *ps, const char *where, const char *what, vigil_slice detail)
{
	size_t line = 1, col = 1;
	for (const char *c = ps->base; c < where && c < ps->end; c++) {
		if (*c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (detail.len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s:%zu:%zu: %s", ps->name, line, col, what);
	return vigil_error_set(VIGIL_EFORMAT, "%s:%zu:%zu: %s '%.*s'", ps->name, line, col, what,
			       (int)(detail.len > 64 ? 64 : detail.len), detail.ptr);
}

static int add(struct parser *ps, enum node_kind k, vigil_slice s)
{
	if (ps->t->n == ps->t->cap) /* cannot happen: cap counts every "{{" */
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %zu parts", ps->name, ps->t->cap);
	ps->t->nodes[ps->t->n++] = (struct node){ .kind = k, .s = s };
	return 0;
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* For a tag from tag to tag_end: when it is alone on its line, *ls is the
 * start of that line and *le past its newline (or the end); else false. */
static bool standalone(const struct parser *ps, const char *text_start, const char *tag, const char *tag_end,
		       const char **ls, const char **le)
{
	const char *a = tag, *b = tag_end;
	while (a > text_start && blank(a[-1]))
		a--;
	if (a > ps->base && a[-1] != '\n')
		return false;
	while (b < ps->end && blank(*b))
		b++;
	if (b < ps->end && *b != '\n')
		return false;
	*ls = a;
	*le = b < ps->end ? b + 1 : b;
	return true;
}

static int open_section(struct parser *ps, enum node_kind k, vigil_slice name, const char *tag)
{
	if (ps->depth == TMPL_MAX_DEPTH)
		return at(ps, tag, "sections nested deeper than the limit at", name);
	ps->open[ps->depth++] = ps->t->n;
	int rc = add(ps, k, name);
	if (rc == 0)
		ps->t->nodes[ps->t->n - 1].tag = tag;
	return rc;
}

static int close_section(struct parser *ps, vigil_slice name, const char *tag)
{
	if (ps->depth == 0)
		return at(ps, tag, "no open section for the end tag", name);
	struct node *o = &ps->t->nodes[ps->open[ps->depth - 1]];
	if (!vigil_slice_eq(o->s, name))
		return at(ps, tag, "the end tag closes another section than the open one, which is", o->s);
	ps->depth--;
	o->end = ps->t->n;
	return 0;
}

/* One tag at ps->p (just past "{{"); text_start: where the text before it began. */
static int tag(struct parser *ps, const char *text_start, const char *open)
{
	bool triple = ps->p < ps->end && *ps->p == '{';
	const char *close = NULL, *c;
	for (c = ps->p + triple; c + 1 < ps->end; c++)
		if (c[0] == '}' && c[1] == '}') {
			close = c;
			break;
		}
	if (!close || (triple && (close + 2 >= ps->end || close[2] != '}')))
		return at(ps, open, "a tag is not closed", (vigil_slice){ 0 });
	vigil_slice in = vigil_slice_trim(vigil_slice_make(ps->p + triple, (size_t)(close - ps->p - triple)));
	const char *after = close + 2 + triple;
	char sigil = triple ? '&' : in.len ? in.ptr[0] : 0;
	if (!triple && strchr("#^/!&>=", sigil) && sigil)
		in = vigil_slice_trim(vigil_slice_sub(in, 1, in.len));
	if (sigil == '>' || sigil == '=')
		return at(ps, open, sigil == '>' ? "partials are not supported" : "delimiter changes are not supported",
			  (vigil_slice){ 0 });
	if (sigil != '!' && (in.len == 0 || in.len > TMPL_MAX_NAME))
		return at(ps, open, "a tag with an empty or too long name", (vigil_slice){ 0 });
	const char *ls = open, *le = after;
	bool alone = strchr("#^/!", sigil) && sigil && standalone(ps, text_start, open, after, &ls, &le);
	int rc = 0;
	if (ls > text_start)
		rc = add(ps, N_TEXT, vigil_slice_make(text_start, (size_t)(ls - text_start)));
	if (rc == 0) {
		switch (sigil) {
		case '#': rc = open_section(ps, N_SECTION, in, open); break;
		case '^': rc = open_section(ps, N_INVERTED, in, open); break;
		case '/': rc = close_section(ps, in, open); break;
		case '!': break;
		case '&': rc = add(ps, N_RAW, in); break;
		default: rc = add(ps, N_VAR, in); break;
		}
	}
	ps->p = alone ? le : after;
	return rc;
}

int tmpl_compile(const char *text, size_t len, const char *name, unsigned flags, tmpl **out)
{
	struct parser ps = { .name = name ? name : "template" };
	tmpl *t = calloc(1, sizeof(*t));
	int rc = 0;
	*out = NULL;
	if (!t)
		return vigil_error_oom();
	if (len > TMPL_MAX_SIZE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes, over the limit of %d", ps.name, len, TMPL_MAX_SIZE);
		goto out;
	}
	t->flags = flags;
	/* a tag or a text run per "{{", and text after the last */
	size_t tags = 0;
	for (size_t i = 0; i + 1 < len; i++)
		tags += text[i] == '{' && text[i + 1] == '{';
	if (tags > TMPL_MAX_TAGS) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: more than %d tags", ps.name, TMPL_MAX_TAGS);
		goto out;
	}
	t->cap = 2 * tags + 1;
	if (!(t->text = malloc(len + 1)) || !(t->nodes = calloc(t->cap, sizeof(*t->nodes)))) {
		rc = vigil_error_oom();
		goto out;
	}
	memcpy(t->text, text, len);
	t->text[len] = '\0';
	ps.t = t;
	ps.base = ps.p = t->text;
	ps.end = t->text + len;
	while (ps.p < ps.end && rc == 0) {
		const char *text_start = ps.p, *o = NULL;
		for (const char *c = ps.p; c + 1 < ps.end; c++)
			if (c[0] == '{' && c[1] == '{') {
				o = c;
				break;
			}
		if (!o) {
			rc = add(&ps, N_TEXT, vigil_slice_make(text_start, (size_t)(ps.end - text_start)));
			break;
		}
		ps.p = o + 2;
		rc = tag(&ps, text_start, o);
	}
	if (rc == 0 && ps.depth)
		rc = at(&ps, t->nodes[ps.open[ps.depth - 1]].tag, "a section is not closed:",
			t->nodes[ps.open[ps.depth - 1]].s);
out:
	if (rc < 0)
		tmpl_free(t);
	else
		*out = t;
	return rc;
}

void tmpl_free(tmpl *t)
{
	if (!t)
		return;
	free(t->text);
	free(t->nodes);
	free(t);
}

/* ---- rendering ---- */

struct render {
	const tmpl *t;
	json_t *stack[TMPL_MAX_DEPTH + 1];
	size_t depth;
	vigil_buf out;
};

static json_t *member(json_t *v, vigil_slice key)
{
	if (json_is_object(v))
		return json_object_getn(v, key.ptr, key.len);
	if (json_is_array(v)) { /* "findings.0.id" */
		size_t i = 0;
		if (key.len == 0 || key.len > 9)
			return NULL;
		for (size_t k = 0; k < key.len; k++) {
			if (key.ptr[k] < '0' || key.ptr[k] > '9')
				return NULL;
			i = i * 10 + (size_t)(key.ptr[k] - '0');
		}
		return json_array_get(v, i);
	}
	return NULL;
}

static json_t *lookup(const struct render *r, vigil_slice name)
{
	vigil_slice first, rest;
	json_t *v = NULL;
	if (name.len == 1 && name.ptr[0] == '.')
		return r->stack[r->depth - 1];
	bool dotted = vigil_slice_split(name, '.', &first, &rest);
	for (size_t i = r->depth; i > 0 && !v; i--)
		v = member(r->stack[i - 1], first);
	while (v && dotted) {
		dotted = vigil_slice_split(rest, '.', &first, &rest);
		v = member(v, first);
	}
	return v;
}

static bool truthy(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
	case JSON_FALSE: return false;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	default: return true;
	}
}

static int put_value(struct render *r, json_t *v, bool escape)
{
	char num[64];
	const char *s = num;
	size_t n;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING: s = json_string_value(v); n = json_string_length(v); break;
	case JSON_INTEGER: n = (size_t)snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v)); break;
	case JSON_REAL: n = (size_t)snprintf(num, sizeof(num), "%g", json_real_value(v)); break;
	case JSON_TRUE: s = "true"; n = 4; break;
	case JSON_FALSE: s = "false"; n = 5; break;
	default: return 0;
	}
	if (!escape)
		return vigil_buf_append(&r->out, s, n);
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" :
				s[i] == '"' ? "&quot;" : s[i] == '\'' ? "&#39;" : NULL;
		int rc = e ? vigil_buf_puts(&r->out, e) : vigil_buf_putc(&r->out, s[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int render_range(struct render *r, size_t from, size_t to);

static int render_in(struct render *r, json_t *ctx, size_t from, size_t to)
{
	if (r->depth == TMPL_MAX_DEPTH + 1)
		return vigil_error_set(VIGIL_ELIMIT, "template: contexts nested deeper than %d", TMPL_MAX_DEPTH);
	r->stack[r->depth++] = ctx;
	int rc = render_range(r, from, to);
	r->depth--;
	return rc;
}

static int section(struct render *r, const struct node *nd, size_t i)
{
	json_t *v = lookup(r, nd->s);
	if (nd->kind == N_INVERTED)
		return truthy(v) ? 0 : render_range(r, i + 1, nd->end);
	if (!truthy(v))
		return 0;
	if (!json_is_array(v))
		return render_in(r, v, i + 1, nd->end);
	for (size_t k = 0; k < json_array_size(v); k++) {
		int rc = render_in(r, json_array_get(v, k), i + 1, nd->end);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int render_range(struct render *r, size_t from, size_t to)
{
	int rc = 0;
	for (size_t i = from; i < to && rc == 0; i++) {
		const struct node *nd = &r->t->nodes[i];
		switch (nd->kind) {
		case N_TEXT: rc = vigil_buf_append(&r->out, nd->s.ptr, nd->s.len); break;
		case N_VAR: rc = put_value(r, lookup(r, nd->s), r->t->flags & TMPL_HTML); break;
		case N_RAW: rc = put_value(r, lookup(r, nd->s), false); break;
		case N_SECTION:
		case N_INVERTED:
			rc = section(r, nd, i);
			i = nd->end - 1;
			break;
		}
	}
	return rc;
}

int tmpl_render(const tmpl *t, json_t *data, char **out, size_t *len)
{
	struct render r = { .t = t };
	int rc;
	*out = NULL;
	*len = 0;
	vigil_buf_init(&r.out, TMPL_MAX_OUTPUT);
	r.stack[r.depth++] = data;
	rc = render_range(&r, 0, t->n);
	if (rc == VIGIL_ELIMIT && !strstr(vigil_error_message(), "nested"))
		rc = vigil_error_set(VIGIL_ELIMIT, "template: the output passes %zu bytes", TMPL_MAX_OUTPUT);
	if (rc == 0 && vigil_buf_putc(&r.out, '\0') == 0) {
		r.out.len--;
		*len = r.out.len;
		*out = vigil_buf_detach(&r.out, NULL);
		return 0;
	}
	vigil_buf_free(&r.out);
	return rc < 0 ? rc : vigil_error_oom();
}
