/* audit/trojan_priv.h: the trojan scanner's state, shared by its files:
 * trojan.c (the checker's callbacks: which files it reads, what it keeps
 * of them), trojan_cfg.c (the image config: the base image's layers,
 * Env, Entrypoint and Cmd), trojan_fs.c (the merged view at the end:
 * ld.so.preload, setuid files, world-writable folders, and the findings
 * kept while the layers streamed). docs/audit.md (Trojan and backdoor indicators) lists the rules.
 *
 * A finding about a file version is kept "pending" until finish(): only
 * then is it known whether a later layer replaced or deleted that
 * version (the finding then says deleted: its bytes are still in the
 * image, but a container does not see them). */
#ifndef VIGIL_AUDIT_TROJAN_PRIV_H
#define VIGIL_AUDIT_TROJAN_PRIV_H

#include "audit/audit_priv.h"
#include "audit/trojan.h"
#include "util/map.h"

/* Paths the entrypoint may run (the name tried in each PATH folder). */
#define TROJAN_MAX_CANDIDATES 24
/* Largest executable read in case it is a shell script the entrypoint
 * reaches through a symlink. */
#define TROJAN_MAX_SCRIPT ((size_t)256 << 10)
/* Most symlinks followed to resolve one path (the kernel's limit is 40). */
#define TROJAN_MAX_HOPS 40
/* Most findings, libraries, setuid files and preload versions kept while
 * the layers stream (more are dropped with a warning). */
#define TROJAN_MAX_PENDING ((size_t)20000)
/* Most package-owned paths remembered (trojan_pkg.c). */
#define TROJAN_MAX_OWNED ((size_t)2000000)
/* Longest evidence string. */
#define TROJAN_MAX_EVIDENCE 1024

/* What a path is to the scanner (trojan_classify). */
typedef enum trojan_kind {
	TK_NONE = 0,
	TK_PRELOAD,     /* etc/ld.so.preload */
	TK_PASSWD,      /* etc/passwd */
	TK_CRON_SYS,    /* etc/crontab, etc/cron.d/x: schedule, user, command */
	TK_CRON_USER,   /* var/spool/cron/crontabs/x, var/spool/cron/x: schedule, command */
	TK_CRON_SCRIPT, /* etc/cron.{hourly,daily,weekly,monthly}/x: a script */
	TK_AUTHKEYS,    /* .../.ssh/authorized_keys, authorized_keys2 */
	TK_STARTUP,     /* profile files, rc.local, init.d, systemd units, shell rc files */
} trojan_kind;

typedef struct trojan_pending {
	vigil_audit_finding f;
	bool keep_dead; /* still reported (deleted) when a later layer removed this version */
	bool pkg_soft;  /* information when a package owns the file (cron-entry Medium, setuid-new) */
} trojan_pending;

/* The package databases that say who installed a file. */
typedef enum trojan_pkgdb {
	TP_NONE = 0,
	TP_DPKG_LIST, /* var/lib/dpkg/info/PKG.list */
	TP_APK,       /* lib/apk/db/installed */
} trojan_pkgdb;

/* A shared object looked into (named by LD_PRELOAD, or a .so outside the
 * library folders). */
typedef struct trojan_lib {
	const char *path;
	uint32_t layer;
	unsigned hints; /* TROJAN_ELF_* */
} trojan_lib;

/* One version of etc/ld.so.preload. */
typedef struct trojan_preload {
	uint32_t layer;
	const char *libs[TROJAN_MAX_PRELOAD];
	size_t n, total;
} trojan_preload;

/* A program read as it streamed by: an entrypoint candidate, or an
 * executable shell script (the entrypoint may reach it through a symlink). */
typedef struct trojan_epfile {
	const char *path;
	uint32_t layer;
	bool text, elf;
	trojan_script s;
	const char *bad_text; /* s.bad_text copied */
} trojan_epfile;

typedef struct trojan_state {
	audit_walk *w;
	size_t base_top;           /* layers 0..base_top are the base image */
	const char *base_why;      /* how base_top was decided */
	/* from the config */
	const char *program;       /* what the container runs first (Entrypoint[0] or Cmd[0]) */
	const char *command;       /* Entrypoint + Cmd joined, for evidence */
	bool entrypoint_string;    /* config.Entrypoint is a JSON string, not an array */
	const char *cands[TROJAN_MAX_CANDIDATES];
	size_t ncands;
	const char *env_preload[TROJAN_MAX_PRELOAD]; /* LD_PRELOAD / LD_AUDIT libraries */
	size_t nenv_preload;
	/* kept while streaming */
	trojan_pending *pending;
	size_t npending, cappending;
	trojan_epfile *scripts;      /* append only: the last version of a path is the last one */
	size_t nscripts, capscripts;
	trojan_lib *libs;
	size_t nlibs, caplibs;
	vigil_map owned;             /* path (no leading '/') -> the package that installed it */
	trojan_preload *preloads;
	size_t npreloads, cappreloads;
	bool warned_full;
} trojan_state;

/* trojan.c */
trojan_kind trojan_classify(const char *path);
/* Keeps a finding until finish() (strings copied into the walk). */
int trojan_pend(trojan_state *st, const vigil_audit_finding *f, bool keep_dead);
/* The same, for a finding that is information when a package owns the file. */
int trojan_pend_soft(trojan_state *st, const vigil_audit_finding *f);
/* Adds the standard fields of a trojan finding. */
vigil_audit_finding trojan_finding(const char *rule, const char *title, vigil_severity sev, const char *path,
				   size_t layer);
/* Adds a finding now, deleted set from the merged view. */
int trojan_add(audit_walk *w, vigil_audit_finding *f);
/* Whether layer i is above the base image. */
bool trojan_upper(const trojan_state *st, size_t layer);

/* trojan_text.c: a text file of kind k, version in layer e->layer. */
int trojan_text_file(trojan_state *st, trojan_kind k, const audit_entry *e, const audit_file *f,
		     vigil_slice text);

/* trojan_cfg.c */
int trojan_cfg_init(trojan_state *st, audit_walk *w);
/* Whether path is one of the entrypoint's candidates. */
bool trojan_cfg_candidate(const trojan_state *st, const char *path);

/* trojan_resolve.c: path (no leading '/') with every symlink of the merged
 * view followed, as the kernel would (the last component too), into out;
 * the record it ends at (NULL when absent, deleted, or a loop). */
const audit_file *trojan_resolve(audit_walk *w, const char *path, char *out, size_t cap);
int trojan_cfg_finish(trojan_state *st, audit_walk *w);

/* trojan_pkg.c */
trojan_pkgdb trojan_pkg_kind(const char *path);
int trojan_pkg_file(trojan_state *st, trojan_pkgdb k, const char *path, vigil_slice text);
/* The package that installed path, or NULL. */
const char *trojan_pkg_owner(const trojan_state *st, const char *path);

/* trojan_entry.c: the entrypoint-wrapper finding (and its reverse shell). */
int trojan_entry_finish(trojan_state *st, audit_walk *w);

/* trojan_fs.c */
int trojan_setuid_entry(trojan_state *st, audit_walk *w, const audit_entry *e);
int trojan_fs_finish(trojan_state *st, audit_walk *w);
const trojan_lib *trojan_lib_find(const trojan_state *st, const char *path);
/* How a preloaded library looks (the worst of a list decides). */
enum {
	TROJAN_LIB_KNOWN = 0, /* an allocator or wrapper containers preload on purpose, in a library folder */
	TROJAN_LIB_ODD = 1,   /* another library in a library folder */
	TROJAN_LIB_BAD = 2,   /* outside the library folders, missing, or naming what a reverse shell calls */
};
/* "/usr/lib/x.so (layer 2, an ELF file naming socket, ...)" for one
 * library into buf, its layer (or VIGIL_AUDIT_NO_LAYER); its TROJAN_LIB_*. */
int trojan_describe_lib(const trojan_state *st, audit_walk *w, vigil_slice lib, char *buf, size_t cap,
			size_t *layer);
/* Critical (bad), High (odd), Low with *info set (known). */
vigil_severity trojan_preload_severity(int grade, int *info);

#endif
