/* audit/integrity_state.h: the integrity checker's state, shared by
 * integrity.c (capturing the package records as the layers stream by) and
 * integrity_judge.c (comparing them with the merged view at finish()). */
#ifndef VIGIL_AUDIT_INTEGRITY_STATE_H
#define VIGIL_AUDIT_INTEGRITY_STATE_H

#include "audit/audit_priv.h"
#include "audit/integrity.h"
#include "util/buf.h"
#include "util/map.h"

/* The most package record files (md5sums, databases) one image may hold. */
#define INTEG_MAX_SOURCES 200000

enum integ_kind {
	IK_NONE = 0,
	IK_MD5SUMS,     /* var/lib/dpkg/info/NAME.md5sums, status.d/NAME.md5sums */
	IK_STATUS,      /* var/lib/dpkg/status (Conffiles:) */
	IK_DIVERSIONS,  /* var/lib/dpkg/diversions */
	IK_DPKGCFG,     /* etc/dpkg/dpkg.cfg, etc/dpkg/dpkg.cfg.d/NAME */
	IK_APK,         /* lib/apk/db/installed */
	IK_RPM_BDB,     /* .../rpm/Packages */
	IK_RPM_NDB,     /* .../rpm/Packages.db */
	IK_RPM_SQLITE,  /* .../rpm/rpmdb.sqlite */
};

/* One record file, as its last version was read. */
struct integ_src {
	const char *path;   /* interned */
	size_t layer;
	int kind;
	uint32_t gen;       /* bumped when a later version replaces it */
	char *err;          /* why it could not be read (malloc'd), NULL */
};

/* One file as a package database records it. */
struct integ_rec {
	const char *path;   /* interned, no leading '/' */
	const char *pkg;    /* interned */
	uint32_t src, gen;  /* its record file, as it was then */
	uint8_t algo, config;
	uint16_t mode;      /* 0: none recorded */
	uint8_t digest[32];
};

struct integ_div {
	const char *from, *to, *by; /* interned; from, to without leading '/' */
	uint32_t src, gen;
};

struct integ_filter {
	const char *glob;   /* interned, as written ("/usr/share/doc/..." as written) */
	bool include;
	uint32_t src, gen;
};

typedef struct integ_state {
	struct integ_src *srcs;
	size_t nsrc, capsrc;
	vigil_map src_by_path;          /* path -> index + 1 (as a pointer) */
	struct integ_rec *recs;
	size_t nrec, caprec;
	struct integ_div *divs;
	size_t ndiv, capdiv;
	struct integ_filter *filters;
	size_t nfilter, capfilter;
	vigil_map gone;                 /* whiteout / opaque path -> layer + 1 */
	vigil_buf data;                 /* the record file being read */
	int cur_kind;                   /* what entry() asked for (IK_NONE: nothing) */
	bool too_big;
	uint32_t cur_src, cur_gen;      /* the file being parsed */
	audit_walk *w;
	size_t checked, modified, missing;
} integ_state;

/* What the record file at path is (IK_NONE: none of ours). */
int integ_classify(const char *path);
/* finish(): every surviving record against the merged view (integrity_judge.c). */
int integ_judge(integ_state *s, audit_walk *w);

#endif
