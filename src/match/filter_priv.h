/* match/filter_priv.h: the named limits of ignore files (match/filter.c),
 * for the tests and the fuzz target. */
#ifndef VIGIL_MATCH_FILTER_PRIV_H
#define VIGIL_MATCH_FILTER_PRIV_H

#define VIGIL_IGNORE_MAX_FILE  (4 * 1024 * 1024) /* bytes of one ignore file */
#define VIGIL_IGNORE_MAX_LINE  4096              /* bytes of one line */
#define VIGIL_IGNORE_MAX_RULES 65536             /* rules of one file */
#define VIGIL_IGNORE_MAX_TOKEN 64                /* bytes of a token quoted in an error */

/* The VEX statement that suppresses f (match/vex.c): 1 and *status,
 * *justification (NULL when none), *by (the document) set; 0 when none. */
struct vigil_vex;
struct vigil_finding;
int match_vex_lookup(const struct vigil_vex *v, const struct vigil_finding *f, const char **status,
		     const char **justification, const char **by);

#endif
