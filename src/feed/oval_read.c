/* feed/oval_read.c: the two streaming passes over an OVAL document
 * (feed/oval.h) with libxml2's xmlTextReader: no network, no DTD loading, no
 * entity substitution, a DOCTYPE refused. The first pass checks the whole
 * document before anything is emitted and keeps a compact index of tests,
 * objects, states and constant variables (only what the definitions need);
 * the second expands one <definition> at a time. Memory stays near the index
 * size instead of the ~6x-the-XML of a DOM (figures in docs/feeds-redhat.md). */
#include "feed/oval.h"
#include "feed/redhat.h"
#include "feed/xml_dom.h"
#include "util/error.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* no NOENT (entities stay references), no DTDLOAD, no network */
#define OVAL_XML_OPTIONS                                                                                      \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS | \
	 XML_PARSE_BIG_LINES)

enum section { SEC_NONE, SEC_DEFINITIONS, SEC_TESTS, SEC_OBJECTS, SEC_STATES, SEC_VARIABLES, SEC_COUNT };
static const char *const section_names[SEC_COUNT] = { "", "definitions", "tests", "objects", "states",
						      "variables" };

struct vigil_oval_index {
	vigil_arena *pool; /* ids, structs and texts below */
	vigil_map tests, objects, states, variables; /* id -> indexed node, first wins */
};

/* The error libxml2 reports last. */
struct xml_err {
	int line;
	char msg[256];
	bool set, fatal;
};

static void on_xml_error(void *ud, xmlErrorPtr e)
{
	struct xml_err *x = ud;
	if (!e || e->level < XML_ERR_ERROR || (x->fatal && e->level != XML_ERR_FATAL))
		return; /* the last fatal error (as a DOM parse reports), else the last error */
	x->set = true;
	x->fatal = e->level == XML_ERR_FATAL;
	x->line = e->line;
	snprintf(x->msg, sizeof(x->msg), "%s", e->message ? e->message : "not well-formed");
}

static int xml_error(xmlTextReader *r, const struct xml_err *x)
{
	vigil_slice msg = vigil_slice_trim(vigil_slice_cstr(x->set ? x->msg : "not well-formed"));
	return vigil_error_set(VIGIL_EFORMAT, "XML: line %d: %.*s",
			       x->set ? x->line : xmlTextReaderGetParserLineNumber(r),
			       (int)(msg.len < 200 ? msg.len : 200), msg.ptr);
}

static int open_reader(const char *data, size_t len, struct xml_err *x, xmlTextReader **out)
{
	*out = NULL;
	if (len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "XML: an empty document");
	if (len > VIGIL_OVAL_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "OVAL document of %zu bytes (limit VIGIL_OVAL_MAX_SIZE, %zu)",
				       len, (size_t)VIGIL_OVAL_MAX_SIZE);
	xmlInitParser();
	if (!(*out = xmlReaderForMemory(data, (int)len, NULL, NULL, OVAL_XML_OPTIONS)))
		return vigil_error_oom();
	xmlTextReaderSetStructuredErrorHandler(*out, on_xml_error, x);
	return 0;
}

const char *oval_attr(const xmlNode *n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (!a->children)
			return "";
		if (a->children->type == XML_TEXT_NODE && !a->children->next && a->children->content)
			return (const char *)a->children->content;
		return NULL;
	}
	return NULL;
}

static const char *pool_str(vigil_oval_index *ix, const char *s)
{
	return s ? vigil_arena_strdup(ix->pool, s) : NULL;
}

/* The trimmed text of an element into the pool; a text longer than
 * VIGIL_FEED_MAX_STRING is remembered in *err instead. */
static int pool_text(vigil_oval_index *ix, const xmlNode *n, vigil_slice *out, struct vigil_oval_toolong *err)
{
	xmlChar *c = n && n->children ? xmlNodeGetContent(n) : NULL;
	vigil_slice s = vigil_slice_cstr(c ? (const char *)c : "");
	int rc = 0;
	*out = vigil_slice_make("", 0);
	if (s.len > VIGIL_FEED_MAX_STRING) {
		err->line = xmlGetLineNo(n);
		if (!(err->elem = pool_str(ix, (const char *)n->name)))
			rc = vigil_error_oom();
	} else if ((s = vigil_slice_trim(s)).len) {
		const char *p = vigil_arena_strndup(ix->pool, s.ptr, s.len);
		if (!p)
			rc = vigil_error_oom();
		else
			*out = vigil_slice_make(p, s.len);
	}
	xmlFree(c);
	return rc;
}

static enum vigil_oval_test_kind test_kind(const char *name)
{
	static const struct {
		const char *name;
		enum vigil_oval_test_kind kind;
	} t[] = {
		{ "rpminfo_test", VIGIL_OVAL_TEST_RPMINFO }, { "dpkginfo_test", VIGIL_OVAL_TEST_DPKGINFO },
		{ "uname_test", VIGIL_OVAL_TEST_UNAME },     { "variable_test", VIGIL_OVAL_TEST_VARIABLE },
		{ "unknown_test", VIGIL_OVAL_TEST_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(name, t[i].name) == 0)
			return t[i].kind;
	return VIGIL_OVAL_TEST_OTHER;
}

static int index_test(vigil_oval_index *ix, const xmlNode *n, void **out)
{
	struct vigil_oval_test *t = vigil_arena_calloc(ix->pool, 1, sizeof(*t));
	size_t k = 0;
	if (!t)
		return vigil_error_oom();
	t->kind = test_kind((const char *)n->name);
	t->check_existence = pool_str(ix, oval_attr(n, "check_existence"));
	t->object_ref = pool_str(ix, oval_attr(feed_xml_child(n, "object"), "object_ref"));
	for (const xmlNode *c = n->children; c; c = c->next)
		t->nstates += feed_xml_is(c, "state") && oval_attr(c, "state_ref");
	if ((oval_attr(n, "check_existence") && !t->check_existence) ||
	    (oval_attr(feed_xml_child(n, "object"), "object_ref") && !t->object_ref) ||
	    (t->nstates && !(t->state_refs = vigil_arena_calloc(ix->pool, t->nstates, sizeof(char *)))))
		return vigil_error_oom();
	for (const xmlNode *c = n->children; c; c = c->next)
		if (feed_xml_is(c, "state") && oval_attr(c, "state_ref") &&
		    !(t->state_refs[k++] = pool_str(ix, oval_attr(c, "state_ref"))))
			return vigil_error_oom();
	*out = t;
	return 0;
}

static int index_object(vigil_oval_index *ix, const xmlNode *n, void **out)
{
	struct vigil_oval_object *o = vigil_arena_calloc(ix->pool, 1, sizeof(*o));
	const xmlNode *name = feed_xml_child(n, "name");
	int rc;
	if (!o)
		return vigil_error_oom();
	if (oval_attr(name, "var_ref")) {
		if (!(o->var_ref = pool_str(ix, oval_attr(name, "var_ref"))))
			return vigil_error_oom();
		o->name = vigil_slice_make("", 0);
	} else if ((rc = pool_text(ix, name, &o->name, &o->err)) < 0) {
		return rc;
	}
	*out = o;
	return 0;
}

static enum vigil_oval_field_kind field_kind(const xmlNode *f)
{
	const char *op = oval_attr(f, "operation");
	if (feed_xml_is(f, "signature_keyid"))
		return VIGIL_OVAL_SIGNATURE;
	if (feed_xml_is(f, "evr") && op && strcmp(op, "less than") == 0)
		return VIGIL_OVAL_EVR_LESS;
	if (feed_xml_is(f, "evr") && op && strcmp(op, "less than or equal") == 0)
		return VIGIL_OVAL_EVR_LESS_EQ;
	if (feed_xml_is(f, "evr") && op && strcmp(op, "greater than") == 0)
		return VIGIL_OVAL_EVR_GREATER;
	if (feed_xml_is(f, "evr") && op && strcmp(op, "greater than or equal") == 0)
		return VIGIL_OVAL_EVR_GREATER_EQ;
	if (feed_xml_is(f, "arch"))
		return VIGIL_OVAL_ARCH;
	return VIGIL_OVAL_OTHER;
}

/* The element children up to the first text too long (kept as err). */
static int index_state(vigil_oval_index *ix, const xmlNode *n, void **out)
{
	struct vigil_oval_state *s = vigil_arena_calloc(ix->pool, 1, sizeof(*s));
	size_t count = 0;
	if (!s)
		return vigil_error_oom();
	for (const xmlNode *f = n->children; f; f = f->next)
		count += f->type == XML_ELEMENT_NODE;
	if (count && !(s->f = vigil_arena_calloc(ix->pool, count, sizeof(*s->f))))
		return vigil_error_oom();
	for (const xmlNode *f = n->children; f && !s->err.line; f = f->next) {
		struct vigil_oval_field *fl;
		int rc;
		if (f->type != XML_ELEMENT_NODE)
			continue; /* text or comments only: no array (count 0) */
		fl = &s->f[s->n];
		if ((rc = pool_text(ix, f, &fl->value, &s->err)) < 0)
			return rc;
		if (s->err.line)
			break;
		fl->kind = field_kind(f);
		s->n++;
	}
	*out = s;
	return 0;
}

/* A <constant_variable>'s <value>s up to the first text too long. */
static int index_variable(vigil_oval_index *ix, const xmlNode *n, void **out)
{
	struct vigil_oval_variable *v = vigil_arena_calloc(ix->pool, 1, sizeof(*v));
	size_t count = 0;
	if (!v)
		return vigil_error_oom();
	for (const xmlNode *c = n->children; c; c = c->next)
		count += feed_xml_is(c, "value");
	if (count > VIGIL_OVAL_MAX_VALUES)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: <%s>: more than %d values (VIGIL_OVAL_MAX_VALUES)",
				       xmlGetLineNo(n), (const char *)n->name, VIGIL_OVAL_MAX_VALUES);
	if (count && !(v->values = vigil_arena_calloc(ix->pool, count, sizeof(*v->values))))
		return vigil_error_oom();
	for (const xmlNode *c = n->children; c && !v->err.line; c = c->next) {
		int rc;
		if (!feed_xml_is(c, "value"))
			continue;
		if ((rc = pool_text(ix, c, &v->values[v->n], &v->err)) < 0)
			return rc;
		if (!v->err.line)
			v->n++;
	}
	*out = v;
	return 0;
}

static vigil_map *section_map(vigil_oval_index *ix, enum section sec)
{
	switch (sec) {
	case SEC_TESTS:
		return &ix->tests;
	case SEC_OBJECTS:
		return &ix->objects;
	case SEC_STATES:
		return &ix->states;
	default:
		return &ix->variables;
	}
}

static int index_item(vigil_oval_index *ix, enum section sec, const xmlNode *n)
{
	const char *id = oval_attr(n, "id");
	vigil_map *m = section_map(ix, sec);
	void *val = NULL;
	int rc;
	if (!n || n->type != XML_ELEMENT_NODE || !id || vigil_map_get_cstr(m, id))
		return 0; /* the first of an id wins */
	if (sec == SEC_VARIABLES && !feed_xml_is(n, "constant_variable"))
		return 0; /* local_variable (the running kernel), external_variable */
	if (!(id = pool_str(ix, id)))
		return vigil_error_oom();
	switch (sec) {
	case SEC_TESTS:
		rc = index_test(ix, n, &val);
		break;
	case SEC_OBJECTS:
		rc = index_object(ix, n, &val);
		break;
	case SEC_STATES:
		rc = index_state(ix, n, &val);
		break;
	default:
		rc = index_variable(ix, n, &val);
		break;
	}
	if (rc >= 0 && val && (rc = vigil_map_add(m, id, strlen(id), val)) > 0)
		rc = 0;
	if (rc < 0)
		vigil_error_prefix("<%s>: ", section_names[sec]);
	return rc;
}

/* Which first-seen section a child of the root opens (SEC_NONE for others).
 * "state" is taken for "states": vunnel's SUSE OVAL fixture (a hand-cut
 * excerpt of suse.linux.enterprise.server.15.xml) names it so, and vunnel
 * reads it (docs/feeds-suse.md). */
static enum section open_section(const char *name, bool seen[SEC_COUNT])
{
	if (strcmp(name, "state") == 0)
		name = "states";
	for (int s = SEC_DEFINITIONS; s < SEC_COUNT; s++)
		if (strcmp(name, section_names[s]) == 0) {
			if (seen[s])
				return SEC_NONE;
			seen[s] = true;
			return (enum section)s;
		}
	return SEC_NONE;
}

int oval_index_read(vigil_oval_index **out, const char *data, size_t len)
{
	struct xml_err x = { 0 };
	xmlTextReader *r = NULL;
	vigil_oval_index *ix;
	bool seen[SEC_COUNT] = { false }, have_root = false, root_ok = false;
	char root[128] = "(none)";
	long root_line = 0;
	enum section sec = SEC_NONE;
	int ret, rc;

	*out = NULL;
	if (!(ix = calloc(1, sizeof(*ix))) || !(ix->pool = vigil_arena_new(0))) {
		free(ix);
		return vigil_error_oom();
	}
	vigil_map_init(&ix->tests, VIGIL_RH_MAP_MAX);
	vigil_map_init(&ix->objects, VIGIL_RH_MAP_MAX);
	vigil_map_init(&ix->states, VIGIL_RH_MAP_MAX);
	vigil_map_init(&ix->variables, VIGIL_RH_MAP_MAX);
	if ((rc = open_reader(data, len, &x, &r)) < 0)
		goto out;
	ret = xmlTextReaderRead(r);
	while (ret == 1) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			rc = vigil_error_set(VIGIL_EFORMAT, "XML: a DOCTYPE is not accepted in an OVAL document");
			goto out;
		}
		if (type == XML_READER_TYPE_ELEMENT && name && depth == 0 && !have_root) {
			have_root = true;
			root_ok = strcmp(name, "oval_definitions") == 0;
			root_line = xmlGetLineNo(xmlTextReaderCurrentNode(r));
			snprintf(root, sizeof(root), "%s", name);
		} else if (type == XML_READER_TYPE_ELEMENT && name && depth == 1 && root_ok) {
			sec = open_section(name, seen);
		} else if (type == XML_READER_TYPE_ELEMENT && depth == 2 && root_ok && sec > SEC_DEFINITIONS) {
			const xmlNode *n = xmlTextReaderExpand(r);
			if (!n) {
				ret = -1; /* an XML error */
				break;
			}
			if ((rc = index_item(ix, sec, n)) < 0)
				goto out;
			ret = xmlTextReaderNext(r);
			continue;
		}
		ret = xmlTextReaderRead(r);
	}
	if (ret != 0) {
		rc = xml_error(r, &x);
		goto out;
	}
	if (!root_ok)
		rc = vigil_error_set(VIGIL_EFORMAT, "XML: root element is <%s>, not <oval_definitions>", root);
	else if (!seen[SEC_DEFINITIONS])
		rc = vigil_error_set(VIGIL_EFORMAT, "line %ld: <oval_definitions> has no <definitions>", root_line);
out:
	xmlFreeTextReader(r);
	if (rc < 0)
		oval_index_free(ix);
	else
		*out = ix;
	return rc;
}

void oval_index_free(vigil_oval_index *ix)
{
	if (!ix)
		return;
	vigil_map_free(&ix->tests);
	vigil_map_free(&ix->objects);
	vigil_map_free(&ix->states);
	vigil_map_free(&ix->variables);
	vigil_arena_free(ix->pool);
	free(ix);
}

const struct vigil_oval_test *oval_test_get(const vigil_oval_index *ix, const char *id)
{
	return ix && id ? vigil_map_get_cstr(&ix->tests, id) : NULL;
}

const struct vigil_oval_object *oval_object_get(const vigil_oval_index *ix, const char *id)
{
	return ix && id ? vigil_map_get_cstr(&ix->objects, id) : NULL;
}

const struct vigil_oval_state *oval_state_get(const vigil_oval_index *ix, const char *id)
{
	return ix && id ? vigil_map_get_cstr(&ix->states, id) : NULL;
}

const struct vigil_oval_variable *oval_variable_get(const vigil_oval_index *ix, const char *id)
{
	return ix && id ? vigil_map_get_cstr(&ix->variables, id) : NULL;
}

int oval_too_long(const struct vigil_oval_toolong *e)
{
	return vigil_error_set(VIGIL_ELIMIT, "line %ld: <%s>: longer than VIGIL_FEED_MAX_STRING", e->line,
			       e->elem ? e->elem : "?");
}

int oval_each_definition(const char *data, size_t len, vigil_oval_def_fn fn, void *ud)
{
	struct xml_err x = { 0 };
	xmlTextReader *r = NULL;
	bool seen[SEC_COUNT] = { false };
	enum section sec = SEC_NONE;
	size_t ndefs = 0;
	int ret, rc;

	if ((rc = open_reader(data, len, &x, &r)) < 0)
		goto out;
	ret = xmlTextReaderRead(r);
	while (ret == 1) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_ELEMENT && name && depth == 1) {
			if (seen[SEC_DEFINITIONS])
				break; /* past the first <definitions> */
			sec = open_section(name, seen);
		} else if (type == XML_READER_TYPE_ELEMENT && name && depth == 2 && sec == SEC_DEFINITIONS &&
			   strcmp(name, "definition") == 0) {
			const xmlNode *d = xmlTextReaderExpand(r);
			if (!d) {
				ret = -1;
				break;
			}
			if (++ndefs > VIGIL_OVAL_MAX_DEFINITIONS) {
				rc = vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d definitions", xmlGetLineNo(d),
						     VIGIL_OVAL_MAX_DEFINITIONS);
				goto out;
			}
			if ((rc = fn(ud, d)) < 0)
				goto out;
			ret = xmlTextReaderNext(r);
			continue;
		}
		ret = xmlTextReaderRead(r);
	}
	if (ret < 0)
		rc = xml_error(r, &x); /* the first pass read it whole: not expected */
out:
	xmlFreeTextReader(r);
	return rc;
}

int oval_text(vigil_feed_ctx *ctx, const xmlNode *n, vigil_slice *out)
{
	*out = vigil_slice_make("", 0);
	if (!n || !n->children)
		return 0;
	if (n->children->type == XML_TEXT_NODE && !n->children->next) {
		*out = vigil_slice_cstr((const char *)n->children->content);
	} else {
		xmlChar *c = xmlNodeGetContent(n);
		const char *s = c ? feed_cstr(ctx, (const char *)c) : "";
		xmlFree(c);
		if (!s)
			return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
		*out = vigil_slice_cstr(s);
	}
	if (out->len > VIGIL_FEED_MAX_STRING)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: <%s>: longer than VIGIL_FEED_MAX_STRING",
				       (long)xmlGetLineNo(n), (const char *)n->name);
	return 0;
}
