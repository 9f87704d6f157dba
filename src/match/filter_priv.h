/* match/filter_priv.h: the named limits of ignore files (match/filter.c),
 * for the tests and the fuzz target; the rules and the list that
 * match/filter.c (plain files) and match/ignore_yaml.c (Trivy's
 * .trivyignore.yaml, Grype's .grype.yaml) both fill. */
#ifndef VIGIL_MATCH_FILTER_PRIV_H
#define VIGIL_MATCH_FILTER_PRIV_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/map.h"
#include "util/slice.h"
#include "vigil/match.h"

#define VIGIL_IGNORE_MAX_FILE  (4 * 1024 * 1024) /* bytes of one ignore file */
#define VIGIL_IGNORE_MAX_LINE  4096              /* bytes of one line */
#define VIGIL_IGNORE_MAX_RULES 65536             /* rules of one file */
#define VIGIL_IGNORE_MAX_TOKEN 64                /* bytes of a token quoted in an error */

#define VIGIL_IGNORE_MAX_LIST   1024         /* items of one list of a YAML rule (paths, purls) */

/* A rule's fix-state condition (Grype's fix-state). */
enum { IGN_FIX_ANY = 0, IGN_FIX_FIXED, IGN_FIX_NOT_FIXED, IGN_FIX_WONT_FIX, IGN_FIX_UNKNOWN };

struct ignore_rule {
	const char *id;        /* NULL: any id (a Grype rule may name none) */
	const char *package;   /* NULL: every package */
	const char *reason;    /* NULL when none */
	char exp[11];          /* "YYYY-MM-DD", "" when the rule does not expire */
	int64_t until;         /* unix time from which the rule is expired; 0: never */
	size_t line;
	size_t next;           /* next rule of the same (folded) id, + 1; 0: none */
	const char *where;     /* "FILE: ignore[2]" for a YAML rule; NULL: FILE:LINE */
	/* conditions of the YAML formats (ignore_yaml.c); unset: NULL, 0 */
	bool ext;              /* any of these is set */
	bool never;            /* a condition vigil cannot judge: the rule ignores nothing */
	const char *version;   /* exactly the package's version */
	const char *type;      /* Grype's package type ("deb", "python", "java-archive") */
	const char *language;  /* Grype's language ("python", "java"; "" for OS packages) */
	const char *location;  /* a glob on "/" + the package's database path */
	regex_t *name_re;      /* Grype's package name (a regular expression) */
	regex_t *upstream_re;  /* Grype's upstream-name: the source package */
	const char *const *paths; /* Trivy's paths: globs on the package's database path */
	size_t npaths;
	const char *const *purls; /* Trivy's purls */
	size_t npurls;
	int fix_state;         /* IGN_FIX_* */
};

struct vigil_ignore_list {
	vigil_arena *arena;
	const char *name;
	struct ignore_rule *rules;
	size_t n, alloc;
	vigil_map index;       /* folded id -> its first rule (util/map.h) */
	size_t wild;           /* first rule without id, + 1; 0: none */
	bool trivy;            /* a .trivyignore: words after the id are a comment */
	const char **notes;    /* what was read but not honoured (vigil_ignore_list_notes) */
	size_t nnotes, notes_alloc;
	regex_t **regexes;     /* to regfree */
	size_t nregexes, regexes_alloc;
};

/* filter.c, for ignore_yaml.c */
struct ignore_rule *match_ignore_add(vigil_ignore_list *l, size_t line);
bool match_ignore_date(vigil_slice s, int64_t *days);
int match_ignore_note(vigil_ignore_list *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ignore_yaml.c: the rules of a YAML ignore file (Trivy's or Grype's, told
 * by the name and the keys) added to l. */
int match_ignore_yaml_parse(vigil_ignore_list *l, const char *text, size_t len);
/* ignore_yaml.c: whether the YAML conditions of r hold for f (r->ext set). */
struct vigil_vuln_report;
bool match_ignore_ext_applies(const struct ignore_rule *r, const struct vigil_finding *f,
			      const struct vigil_vuln_report *rep);

/* The VEX statement that suppresses f (match/vex.c): 1 and *status,
 * *justification (NULL when none), *by (the document) set; 0 when none. */
struct vigil_vex;
int match_vex_lookup(const struct vigil_vex *v, const struct vigil_finding *f, const char **status,
		     const char **justification, const char **by);

#endif
