/* feed/redhat_oval.h: private to feed/redhat_oval.c and
 * feed/redhat_oval_read.c. The OVAL v2 stream is read twice with libxml2's
 * xmlTextReader: the first pass checks the whole document (well-formed, no
 * DOCTYPE, root <oval_definitions> with a <definitions>) and keeps a compact
 * index of the <tests>, <objects> and <states> the definitions refer to (they
 * come after <definitions> in the file); the second pass hands each
 * <definition> to the caller as a small DOM subtree, freed once the caller
 * returns. Nothing else of the document is held in memory. */
#ifndef VIGIL_FEED_REDHAT_OVAL_H
#define VIGIL_FEED_REDHAT_OVAL_H

#include <libxml/tree.h>
#include <limits.h>

#include "feed/redhat.h"
#include "util/arena.h"

/* The largest stream parsed (libxml2 takes an int size). */
#define VIGIL_RHOVAL_MAX_SIZE (VIGIL_FEED_MAX_FILE < (size_t)INT_MAX ? VIGIL_FEED_MAX_FILE : (size_t)INT_MAX)
/* Definitions in one stream (RHEL 8 has about 20,000). */
#define VIGIL_RHOVAL_MAX_DEFINITIONS 500000

/* A text that was too long (> VIGIL_FEED_MAX_STRING): reported on use. */
struct vigil_rhoval_toolong {
	long line;        /* 0 = none */
	const char *elem; /* its element's name */
};

/* One child of a state: what read_rpmtest() looks at. */
enum vigil_rhoval_field_kind { VIGIL_RHOVAL_SIGNATURE, VIGIL_RHOVAL_EVR_LESS, VIGIL_RHOVAL_ARCH, VIGIL_RHOVAL_OTHER };

struct vigil_rhoval_field {
	enum vigil_rhoval_field_kind kind;
	vigil_slice value; /* trimmed; in the index pool */
};

struct vigil_rhoval_state {
	struct vigil_rhoval_field *f;
	size_t n;
	struct vigil_rhoval_toolong err; /* after the n fields */
};

struct vigil_rhoval_test {
	bool rpminfo;                 /* <rpminfo_test> */
	const char *check_existence;  /* NULL when absent */
	const char *object_ref;       /* of the first <object>, NULL when none */
	const char **state_refs;      /* of the <state> children */
	size_t nstates;
};

struct vigil_rhoval_object {
	vigil_slice name; /* <name>, trimmed; "" when none */
	struct vigil_rhoval_toolong err;
};

typedef struct vigil_rhoval_index {
	vigil_arena *pool; /* ids, structs and texts below */
	vigil_rh_map tests, objects, states;
} vigil_rhoval_index;

/* First pass: checks the document and fills ix (VIGIL_EFORMAT, VIGIL_ELIMIT). */
int vigil_rhoval_index_read(vigil_rhoval_index *ix, const char *data, size_t len);
void vigil_rhoval_index_free(vigil_rhoval_index *ix);

/* Second pass: fn on each <definition> of the first <definitions>, in order;
 * a return < 0 stops the pass with that code. */
typedef int (*vigil_rhoval_def_fn)(void *ud, const xmlNode *def);
int vigil_rhoval_each_definition(const char *data, size_t len, vigil_rhoval_def_fn fn, void *ud);

#endif
