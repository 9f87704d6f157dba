/* sbom/sbom_priv.h: what the format readers (cyclonedx.c, spdx.c) hand the
 * core (sbom.c): one purl at a time with the hints its component carried,
 * and the operating system when the document names one. */
#ifndef VIGIL_SBOM_PRIV_H
#define VIGIL_SBOM_PRIV_H

#include <jansson.h>

#include "util/arena.h"
#include "util/slice.h"
#include "vigil/digest.h"
#include "vigil/sbom.h"

struct vigil_sbom_internal {
	vigil_arena *arena;      /* every string of the report */
	vigil_package *pkgs;
	size_t npkgs, alloc;
	vigil_distribution os;   /* from the document's OS component */
	vigil_distribution from_purl; /* from the first distro= qualifier */
	int has_os, has_purl_os;
	size_t seen;             /* components counted against VIGIL_SBOM_MAX_COMPONENTS */
	size_t purls;            /* components with a purl (matched or not) */
	char digest[VIGIL_DIGEST_STR_MAX];
};

/* What a component says besides its purl (NULL: not said). */
typedef struct sbom_hints {
	const char *name;        /* the component's own name (PyPI keeps its spelling: "Django") */
	const char *layer;       /* digest of the layer it came from */
	const char *path;        /* where it was found ("/var/lib/dpkg/status") */
	const char *src_name;    /* Trivy's SrcName, syft's originPackage/source */
	const char *src_version; /* Trivy's SrcVersion, syft's sourceVersion */
	const char *src_release; /* Trivy's SrcRelease */
	const char *src_epoch;   /* Trivy's SrcEpoch */
	const char *module;      /* vigil:module (an rpm's modularity stream) */
	const char *owner;       /* vigil:owner */
	unsigned flags;          /* vigil:dev, vigil:os_owned (VIGIL_PKG_F_*) */
} sbom_hints;

/* Counts one component against the limit ("<field>: ..." when over). */
int sbom_count(vigil_sbom *s, const char *field);
/* Adds the package of purl (field: "components[3].purl", for messages). A
 * purl of a type vigil does not match, or without version, is skipped. */
int sbom_add_purl(vigil_sbom *s, vigil_slice purl, const sbom_hints *h, const char *field);
/* The document's operating system: id ("debian", "redhat"), version ("12"). */
int sbom_set_os(vigil_sbom *s, vigil_slice id, vigil_slice version, vigil_slice pretty);
/* After sbom_set_os: vigil's distro properties (vigil:distro:name, ...) name and value. */
int sbom_os_property(vigil_sbom *s, vigil_slice name, vigil_slice value);
/* A NUL-terminated copy in the SBOM's arena; NULL with the error set. */
const char *sbom_str(vigil_sbom *s, vigil_slice v);

/* The format readers: doc is the parsed document; messages name the field. */
int sbom_cdx_read(vigil_sbom *s, json_t *doc);
int sbom_spdx_read(vigil_sbom *s, json_t *doc);

#endif
