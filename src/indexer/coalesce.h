/* indexer/coalesce.h: stacking the layer results of an image.
 *
 * The view of the image at layer j is the union of layers 0..j where a
 * higher layer wins: its files replace, its whiteouts (.wh.NAME) delete,
 * its opaque folders hide everything below, and its symlinks redirect.
 * Links are resolved inside the image (an absolute target starts at the
 * image root, ".." stops at it), never on the host. The packages of the top
 * view are the image's; a package's introduced_in is the lowest layer from
 * which it is present in every view up to the top. Language packages
 * (python, npm: one file each, anywhere) are every such file of the view,
 * and their identity includes that file (docs/lang.md); one that an OS
 * package of the top view lists (dpkg info/NAME.list, apk, rpm) is marked
 * as that package's (flags, owner). */
#ifndef VIGIL_INDEXER_COALESCE_H
#define VIGIL_INDEXER_COALESCE_H

#include "indexer/layer_result.h"

/* Symlink hops followed for one path before it counts as a loop. */
#define VIGIL_MAX_LINK_HOPS 40

typedef struct vigil_coalesced_pkg {
	const vigil_package *pkg;
	const char *package_db; /* where the database really is */
	size_t layer;           /* introduced in */
	uint32_t flags;         /* VIGIL_PKG_F_OS_OWNED when owner is set */
	const char *owner;      /* "dpkg:NAME": the OS package that lists package_db */
} vigil_coalesced_pkg;

typedef struct vigil_coalesced {
	const vigil_distribution *dist; /* NULL when none; else &merged */
	vigil_distribution merged;      /* the first release file that names a
	                                   distribution, its missing fields filled
	                                   from the others of the same distribution
	                                   (distroless: os-release without VERSION_ID
	                                   + etc/debian_version) */
	vigil_coalesced_pkg *pkgs;      /* malloc'd */
	size_t npkgs;
	char **warnings;                /* malloc'd strings */
	size_t nwarn;
} vigil_coalesced;

int idx_coalesce(vigil_layer_result *const *layers, size_t n, vigil_coalesced *out);
void idx_coalesced_free(vigil_coalesced *c);

#endif
