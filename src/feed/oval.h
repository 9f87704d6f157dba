/* feed/oval.h: the streaming OVAL reader the OVAL parsers share (Red Hat
 * OVAL v2 in feed/redhat_oval.c, Ubuntu's CVE and USN OVAL in
 * feed/ubuntu_oval.c). A document is read twice with libxml2's
 * xmlTextReader: the first pass checks the whole document (well-formed, no
 * DOCTYPE, root <oval_definitions> with a <definitions>) and keeps a compact
 * index of the <tests>, <objects>, <states> and constant <variables> the
 * definitions refer to (they come after <definitions> in the file); the
 * second pass hands each <definition> to the caller as a small DOM subtree,
 * freed once the caller returns. Nothing else of the document is held in
 * memory. Elements are told by their local name, whatever their prefix
 * (red-def:, linux-def:, linux:, ind-def:, ind:). Private to src/feed/. */
#ifndef VIGIL_FEED_OVAL_H
#define VIGIL_FEED_OVAL_H

#include <libxml/tree.h>
#include <limits.h>
#include <stdbool.h>

#include "feed/feed.h"
#include "util/slice.h"

/* The largest document parsed (libxml2 takes an int size). */
#define VIGIL_OVAL_MAX_SIZE (VIGIL_FEED_MAX_FILE < (size_t)INT_MAX ? VIGIL_FEED_MAX_FILE : (size_t)INT_MAX)
/* Definitions in one document (RHEL 8 has about 20,000, Ubuntu jammy's CVE
 * OVAL about 40,000). */
#define VIGIL_OVAL_MAX_DEFINITIONS 500000
/* <value>s of one <constant_variable> (the binaries of one source package:
 * a few hundred at most upstream). */
#define VIGIL_OVAL_MAX_VALUES 65536

/* A text that was too long (> VIGIL_FEED_MAX_STRING): reported on use. */
struct vigil_oval_toolong {
	long line;        /* 0 = none */
	const char *elem; /* its element's name */
};

/* One child of a state. */
enum vigil_oval_field_kind {
	VIGIL_OVAL_SIGNATURE, /* <signature_keyid> */
	VIGIL_OVAL_EVR_LESS,  /* <evr operation="less than"> */
	VIGIL_OVAL_ARCH,      /* <arch> */
	VIGIL_OVAL_OTHER,
	/* the other <evr> operations (Azure Linux / CBL-Mariner OVAL); a parser
	 * that does not read them takes them as VIGIL_OVAL_OTHER */
	VIGIL_OVAL_EVR_LESS_EQ,    /* <evr operation="less than or equal"> */
	VIGIL_OVAL_EVR_GREATER,    /* <evr operation="greater than"> */
	VIGIL_OVAL_EVR_GREATER_EQ, /* <evr operation="greater than or equal"> */
};

struct vigil_oval_field {
	enum vigil_oval_field_kind kind;
	vigil_slice value; /* trimmed; in the index */
};

struct vigil_oval_state {
	struct vigil_oval_field *f;
	size_t n;
	struct vigil_oval_toolong err; /* after the n fields */
};

/* The kinds of test the parsers tell apart (by the element's local name). */
enum vigil_oval_test_kind {
	VIGIL_OVAL_TEST_OTHER,    /* rpmverifyfile_test, family_test, textfilecontent54_test ... */
	VIGIL_OVAL_TEST_RPMINFO,  /* rpminfo_test */
	VIGIL_OVAL_TEST_DPKGINFO, /* dpkginfo_test */
	VIGIL_OVAL_TEST_UNAME,    /* uname_test (Ubuntu: the running kernel) */
	VIGIL_OVAL_TEST_VARIABLE, /* variable_test (Ubuntu: the kernel's version) */
	VIGIL_OVAL_TEST_UNKNOWN,  /* unknown_test (always "unknown") */
};

struct vigil_oval_test {
	enum vigil_oval_test_kind kind;
	const char *check_existence; /* NULL when absent */
	const char *object_ref;      /* of the first <object>, NULL when none */
	const char **state_refs;     /* of the <state> children */
	size_t nstates;
};

struct vigil_oval_object {
	vigil_slice name;    /* <name>, trimmed; "" when none or when it is a var_ref */
	const char *var_ref; /* <name var_ref="...">, NULL when none */
	struct vigil_oval_toolong err;
};

/* A <constant_variable> (other variables are not indexed). */
struct vigil_oval_variable {
	vigil_slice *values; /* trimmed <value> texts */
	size_t n;
	struct vigil_oval_toolong err; /* after the n values */
};

typedef struct vigil_oval_index vigil_oval_index;

/* First pass: checks the document and indexes it (VIGIL_EFORMAT,
 * VIGIL_ELIMIT, VIGIL_ENOMEM); *out is freed with oval_index_free. */
int oval_index_read(vigil_oval_index **out, const char *data, size_t len);
void oval_index_free(vigil_oval_index *ix);

/* By id; NULL when the document has none of that id (the first of an id wins). */
const struct vigil_oval_test *oval_test_get(const vigil_oval_index *ix, const char *id);
const struct vigil_oval_object *oval_object_get(const vigil_oval_index *ix, const char *id);
const struct vigil_oval_state *oval_state_get(const vigil_oval_index *ix, const char *id);
const struct vigil_oval_variable *oval_variable_get(const vigil_oval_index *ix, const char *id);

/* Second pass: fn on each <definition> of the first <definitions>, in order;
 * a return < 0 stops the pass with that code. */
typedef int (*vigil_oval_def_fn)(void *ud, const xmlNode *def);
int oval_each_definition(const char *data, size_t len, vigil_oval_def_fn fn, void *ud);

/* "line 12: <name>: longer than VIGIL_FEED_MAX_STRING" as VIGIL_ELIMIT. */
int oval_too_long(const struct vigil_oval_toolong *e);

/* An attribute's value in the document ("" when empty), NULL when absent
 * or not one text node. */
const char *oval_attr(const xmlNode *n, const char *name);
/* The text of an element: the document's own when it is one text node,
 * else a copy in ctx; VIGIL_ELIMIT past VIGIL_FEED_MAX_STRING. */
int oval_text(vigil_feed_ctx *ctx, const xmlNode *n, vigil_slice *out);

#endif
