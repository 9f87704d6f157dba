/* feed/ubuntu_oval.h: private to feed/ubuntu_oval.c (criteria and
 * packages, the entry point) and feed/ubuntu_oval_meta.c (ids, namespaces,
 * metadata, and the DOM helpers both use): the parser's state and limits.
 * Decisions in docs/feeds-ubuntu-oval.md. */
#ifndef VIGIL_FEED_UBUNTU_OVAL_H
#define VIGIL_FEED_UBUNTU_OVAL_H

#include "feed/oval.h"

/* Nesting of <criteria> inside one definition. */
#define VIGIL_UOVAL_MAX_DEPTH 32
/* <criterion> elements in one definition. */
#define VIGIL_UOVAL_MAX_CRITERIA 50000
/* Aliases, and links, of one definition. */
#define VIGIL_UOVAL_MAX_REFS 4096
/* Length of an id, a package name, a version or a codename. */
#define VIGIL_UOVAL_MAX_NAME 256
/* Distinct unmapped releases counted one by one in a document. */
#define VIGIL_UOVAL_MAX_UNMAPPED 32

struct entry {
	vigil_slice pkg, fixed; /* in the index or the document */
	vigil_vuln_state state;
};

struct strlist {
	const char **v;
	size_t n, cap;
};

struct uoval {
	vigil_feed_ctx *ctx;
	vigil_oval_index *ix;
	/* the definition being read */
	const char *def_id, *id, *ns;
	bool usn;
	struct entry *ent;
	size_t nent, aent, ncriteria;
	struct strlist aliases, links;
	/* "ubuntu:<version>" of the last version seen */
	const char *ns_version, *ns_str;
	/* tallies of the document */
	uint64_t kernel, unknown_tests, pkg_defs, guessed;
	struct {
		char code[64];
		uint64_t n;
	} unmapped[VIGIL_UOVAL_MAX_UNMAPPED];
	size_t nunmapped;
	uint64_t unmapped_more;
};

/* ---- ubuntu_oval_meta.c ---- */

bool uoval_is_elem(const xmlNode *n, const char *name);
const xmlNode *uoval_child(const xmlNode *n, const char *name);
long uoval_line(const xmlNode *n);
/* An attribute's value as a slice ("" when absent or not one text). */
vigil_slice uoval_attr(const xmlNode *n, const char *name);
/* The same, NULL when absent or empty. */
const char *uoval_attr_cstr(const xmlNode *n, const char *name);
/* The current error code, else VIGIL_ENOMEM: for a copy that failed. */
int uoval_oom(void);
/* The trimmed text of an element (the document's own, or a copy in the ctx). */
int uoval_text(struct uoval *o, const xmlNode *n, vigil_slice *out);
/* A copy in the ctx; NULL for an empty s. */
const char *uoval_str(struct uoval *o, vigil_slice s);
/* Adds a copy of s (trimmed) unless empty or there; VIGIL_ELIMIT past VIGIL_UOVAL_MAX_REFS. */
int uoval_list_add(struct uoval *o, struct strlist *l, vigil_slice s, const char *what);

/* The definition's id ("CVE-2023-1234", "USN-6429-1"), NULL when none
 * (*package_oval: it is one of the package OVAL's). */
const char *uoval_definition_id(struct uoval *o, const xmlNode *md, bool *package_oval);
/* "ubuntu:<version>" of the definition; NULL with *rc 0 when its release is
 * not mapped (tallied), NULL with *rc < 0 on an error. */
const char *uoval_namespace(struct uoval *o, const xmlNode *def, const xmlNode *md, int *rc);
/* Everything of the record but its id and entries; the links start with
 * the ubuntu.com page of o->id. */
int uoval_read_metadata(struct uoval *o, const xmlNode *md, vigil_vuln *v);

#endif
