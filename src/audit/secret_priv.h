/* audit/secret_priv.h: the secret scanner's rules (secret_rules.c, read
 * from YAML by secret_yaml.c), its engine (secret_engine.c: a prefilter,
 * Hyperscan where built, keywords otherwise, then PCRE2 JIT to confirm and
 * extract) and the checker riding on the audit walk (secret.c). The rules
 * file format is in docs/audit.md (Secrets); the built-in rules in
 * src/audit/secret_rules.yaml.
 *
 *   secret_ruleset *rs = secret_ruleset_new();
 *   secret_ruleset_add(rs, "builtin", text, len);   every file, in order
 *   secret_ruleset_compile(rs);
 *   secret_scanner *sc; secret_scanner_new(rs, &sc);
 *   secret_scan(sc, path, bytes, n, on_match, ud);
 */
#ifndef VIGIL_AUDIT_SECRET_PRIV_H
#define VIGIL_AUDIT_SECRET_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "vigil/report.h"

/* Limits of a rules file. */
#define SECRET_RULES_MAX_BYTES ((size_t)1 << 20)  /* one file */
#define SECRET_MAX_RULES 1024                     /* rules (and allow paths) of all files */
#define SECRET_MAX_LIST 64                        /* keywords, allow, paths of one rule */
#define SECRET_MAX_REGEX 4096                     /* bytes of one regular expression */
#define SECRET_MAX_STR 256                        /* id, title, keyword, group name */
#define SECRET_YAML_MAX_NODES 100000
#define SECRET_YAML_MAX_DEPTH 16
/* Bytes around a keyword hit the regex looks at (single-line rules: the
 * hit's line, cut to this much either side); multi-line rules look this
 * far past a hit. */
#define SECRET_LINE_WINDOW ((size_t)4096)
#define SECRET_MULTILINE_SPAN ((size_t)65536)
/* Most matches one file reports (the rest are counted, with a warning). */
#define SECRET_MAX_FILE_MATCHES 1000
/* PCRE2's backtracking budget for one match attempt (a user's regex that
 * exceeds it skips that window, with a warning). */
#define SECRET_MATCH_LIMIT 1000000u

typedef struct secret_rule {
	char *id, *title;
	vigil_severity severity;
	char *regex;                   /* as written */
	char **keywords;               /* lowercased */
	size_t nkeywords;
	char *group;                   /* secret-group: a name or a number; NULL: "secret" or the whole match */
	double entropy;                /* bits per character the secret must reach; 0: none */
	bool multiline, generic, disabled;
	char **paths, **allow, **allow_paths; /* regexes as written */
	size_t npaths, nallow, nallow_paths;
	const char *file;              /* where it was defined */
	size_t line, regex_line;        /* of the rule, of its regex */
	/* compiled (secret_ruleset_compile) */
	pcre2_code *re;
	pcre2_code **paths_re, **allow_re, **allow_paths_re;
	uint32_t group_no;             /* 0: the whole match */
} secret_rule;

/* A global allow rule: files whose path matches path are not read; a
 * secret (of any rule) that matches regex is not reported. */
typedef struct secret_allow_path {
	char *id, *path, *regex, *description;
	bool disabled;
	const char *file;
	size_t line;
	pcre2_code *re, *regex_re;
} secret_allow_path;

typedef struct secret_ruleset {
	secret_rule *rules;
	size_t n, cap;
	secret_allow_path *allow;
	size_t nallow, capallow;
	char **files;                  /* names of the files read (rule->file points here) */
	size_t nfiles, capfiles;
} secret_ruleset;

secret_ruleset *secret_ruleset_new(void);
void secret_ruleset_free(secret_ruleset *rs);
/* Reads one rules file (text, len) named name; a rule with an id already
 * there replaces it (disabled: true silences it). VIGIL_EFORMAT "name:LINE: ..." */
int secret_ruleset_add(secret_ruleset *rs, const char *name, const char *text, size_t len);
/* Reads a file from disk (at most SECRET_RULES_MAX_BYTES). */
int secret_ruleset_load(secret_ruleset *rs, const char *path);
/* The built-in rules (src/audit/secret_rules.yaml, embedded). */
int secret_ruleset_add_builtin(secret_ruleset *rs);
/* Compiles every live rule's regexes (PCRE2); a bad one fails naming its file and line. */
int secret_ruleset_compile(secret_ruleset *rs);
/* Whether a path (no leading '/') is in an allow-path; *id its id. */
bool secret_ruleset_path_allowed(const secret_ruleset *rs, const char *path, const char **id);
/* Whether re finds a match in s (n bytes). */
bool secret_re_hit(pcre2_code *re, const char *s, size_t n);

/* ---- the YAML reader (secret_yaml.c): a small tree with line numbers ---- */
typedef enum { SY_SCALAR, SY_SEQ, SY_MAP } secret_yaml_kind;
typedef struct secret_yaml {
	secret_yaml_kind kind;
	size_t line;                   /* 1-based */
	char *str;                     /* SY_SCALAR */
	size_t len;
	struct secret_yaml **kids;     /* SY_MAP: key, value, key, value ... */
	size_t nkids, cap;
} secret_yaml;
/* Parses one document; NULL *out for an empty one. Errors: "name:LINE: ...". */
int secret_yaml_parse(const char *name, const char *text, size_t len, secret_yaml **out);
void secret_yaml_free(secret_yaml *y);

/* ---- the engine (secret_engine.c) ---- */
typedef struct secret_scanner secret_scanner;

typedef struct secret_match {
	const secret_rule *rule;
	size_t start, end;             /* the whole match, offsets in the buffer */
	size_t sstart, send;           /* the secret */
	uint32_t line;                 /* 1-based line of the secret's start */
} secret_match;

/* Builds the prefilter for rs (which must outlive it). */
int secret_scanner_new(const secret_ruleset *rs, secret_scanner **out);
void secret_scanner_free(secret_scanner *sc);
/* "hyperscan 5.4.0 + pcre2 10.42 (jit)" */
const char *secret_scanner_engine(const secret_scanner *sc);
/* Scans one file's bytes; calls fn for each match, in order. path (no
 * leading '/') selects the rules whose paths apply. Warnings (a match
 * limit hit) go to warn. */
typedef int (*secret_match_fn)(void *ud, const secret_match *m);
int secret_scan(secret_scanner *sc, const char *path, const uint8_t *p, size_t n, secret_match_fn fn, void *ud,
		void (*warn)(void *ud, const char *msg));
/* Shannon entropy in bits per byte. */
double secret_entropy(const uint8_t *p, size_t n);

#endif
