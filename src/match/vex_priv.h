/* match/vex_priv.h: what the VEX format readers (vex_openvex.c,
 * vex_cdx.c, vex_csaf.c) hand the set (vex.c): statements of one status
 * about vulnerabilities (an id and its aliases) and products (package
 * purls, or the whole image). */
#ifndef VIGIL_MATCH_VEX_PRIV_H
#define VIGIL_MATCH_VEX_PRIV_H

#include <jansson.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/slice.h"
#include "vigil/match.h"

#define VIGIL_VEX_MAX_FILE       (64 * 1024 * 1024) /* bytes of one VEX document */
#define VIGIL_VEX_MAX_STATEMENTS 200000            /* statements of a set, all documents */
#define VIGIL_VEX_MAX_PRODUCTS   100000            /* products of one statement / document tree */
#define VIGIL_VEX_MAX_IDS        1024              /* ids and aliases of one statement */
#define VIGIL_VEX_MAX_DEPTH      32                /* nesting of CSAF branches / CycloneDX components */
#define VIGIL_VEX_MAX_STRING     65536             /* bytes of one string read */

/* The statuses (literals: vigil_suppression.status points at them). */
#define VEX_NOT_AFFECTED "not_affected"
#define VEX_FIXED        "fixed"
#define VEX_AFFECTED     "affected"
#define VEX_UNDER_INVESTIGATION "under_investigation"

/* A product a statement covers: a package (purl parts) or, any = 1, every
 * package of the image (an image reference, pkg:oci, a CycloneDX
 * metadata.component). */
typedef struct vex_product {
	int any;
	const char *type, *namespace, *name, *version; /* version NULL: every version */
	const char *arch, *distro;                     /* qualifiers, NULL when absent */
} vex_product;

typedef struct vex_stmt {
	const char **ids; /* the vulnerability and its aliases */
	size_t nids;
	vex_product *products;
	size_t nproducts;
	const char *status; /* one of the literals above */
	const char *justification; /* NULL when none */
	const char *by;            /* "FILE: statements[3]" */
	int64_t ts;                /* unix time of the statement (0: none) */
	size_t seq;                /* order of reading */
} vex_stmt;

/* A statement being built by a reader; vex_stmt_add() copies nothing:
 * the strings must live in the set's arena (vex_str). */
typedef struct vex_doc {
	vigil_vex *set;
	const char *name; /* the document's path, for "by" and messages */
} vex_doc;

const char *vex_str(vex_doc *d, vigil_slice s);
const char *vex_cstr(vex_doc *d, const char *s);
/* A product of a purl, or "any" for an image-level one (pkg:oci or not a
 * purl): 0, or the purl's error. */
int vex_product_of(vex_doc *d, vigil_slice id, vex_product *out);
/* Adds a statement (its arrays malloc'd by the caller are copied to the
 * arena). VIGIL_EFORMAT "<where>: names no product" when nproducts is 0. */
int vex_stmt_add(vex_doc *d, const vex_stmt *st, const char *where);
/* RFC 3339 "2023-01-08T18:02:03.647787998-06:00" -> unix time; 0 when absent or not one. */
int64_t vex_time(vigil_slice s);

int vex_openvex_read(vex_doc *d, json_t *doc);
int vex_cdx_read(vex_doc *d, json_t *doc);
int vex_csaf_read(vex_doc *d, json_t *doc);

#endif
