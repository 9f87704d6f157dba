/* audit/policy_priv.h: the configuration policy of vigil audit
 * (docs/audit.md (Policy)): the policy file (policy_parse.c, on the YAML
 * reader of policy_yaml.c), and the rules judged over the image
 * (policy.c: the checker and the login.defs rules; policy_rules.c: the
 * rules of the config, the inventory and the findings).
 *
 *   policy *p;
 *   if (policy_parse("policy.yaml", text, len, &p) < 0)   // VIGIL_EFORMAT "policy.yaml:4: ..."
 *       ...
 *   for (size_t i = 0; i < p->nrules; i++) ... p->rules[i].kind
 *   policy_free(p);
 */
#ifndef VIGIL_AUDIT_POLICY_PRIV_H
#define VIGIL_AUDIT_POLICY_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit_priv.h"
#include "util/arena.h"
#include "util/slice.h"
#include "vigil/audit.h"

/* Largest policy file, rules in one file, items of one list parameter. */
#define POLICY_MAX_BYTES ((size_t)1 << 20)
#define POLICY_MAX_RULES 256
#define POLICY_MAX_LIST 1024
/* YAML nesting, nodes of one file, bytes of one scalar. */
#define POLICY_MAX_DEPTH 16
#define POLICY_MAX_NODES 100000
#define POLICY_MAX_SCALAR 4096
/* Largest number a parameter takes (days, lengths, counts). */
#define POLICY_MAX_NUMBER 1000000
/* Largest etc/login.defs and etc/passwd read (bigger: not judged). */
#define POLICY_MAX_FILE ((size_t)1 << 20)
/* Memory of one parsed policy. */
#define POLICY_ARENA_CAP ((size_t)64 << 20)
/* Evidence text of one rule. */
#define POLICY_MAX_EVIDENCE 2048

/* ---- the YAML tree (policy_yaml.c): scalars as written, with lines ---- */
typedef enum { PY_SCALAR, PY_MAP, PY_SEQ } py_type;

typedef struct py_node {
	py_type type;
	uint32_t line;          /* 1-based */
	const char *str;        /* scalar: NUL-terminated (arena) */
	size_t len;
	bool plain;             /* a plain scalar (null, true, numbers are plain) */
	struct py_node *first;  /* map: key, value, key, value ...; seq: items */
	struct py_node *last;
	struct py_node *next;
	size_t n;               /* children (a map counts keys and values) */
} py_node;

/* One YAML document into a tree in a; root NULL for an empty file. Errors
 * (VIGIL_EFORMAT, VIGIL_ELIMIT, VIGIL_EUNSUPPORTED for aliases) read
 * "NAME:LINE: ...". */
int policy_yaml_load(vigil_arena *a, const char *name, const char *data, size_t len, py_node **root);
/* A plain null scalar ("", "~", "null"). */
bool py_is_null(const py_node *n);

/* ---- the policy ---- */
typedef enum policy_kind {
	POL_PASS_MAX_DAYS,
	POL_PASS_MIN_DAYS,
	POL_PASS_MIN_LEN,
	POL_NO_SSH_SERVER,
	POL_NOT_ROOT,
	POL_NO_SECRETS_IN_ENV,
	POL_DENY_PACKAGES,
	POL_BASE_IMAGE_AGE,
	POL_FINDING_AGE,
	POL_KIND_COUNT
} policy_kind;

/* What a login.defs rule says when the image has no etc/login.defs. */
typedef enum { POL_MISSING_NOT_JUDGED, POL_MISSING_FAIL, POL_MISSING_PASS } policy_missing;

typedef struct policy_list {
	const char **v;
	size_t n;
} policy_list;

typedef struct policy_rule {
	policy_kind kind;
	const char *id;          /* "pass-max-days" */
	uint32_t line;           /* where the policy file names it (0: built in) */
	vigil_severity severity;
	int64_t limit;           /* max, min, max-days */
	policy_missing if_missing;
	vigil_severity min_severity; /* finding-age: the findings it looks at */
	bool fixed_only;         /* finding-age: only findings with a fixed version */
	int64_t show;            /* finding-age, deny-packages: items named in the evidence */
	policy_list names;       /* deny-packages: globs */
	policy_list paths;       /* no-ssh-server */
	policy_list packages;    /* no-ssh-server */
	policy_list ports;       /* no-ssh-server: ExposedPorts of the config (globs) */
	policy_list allow;       /* no-secrets-in-env: variable names (globs) never reported */
} policy_rule;

typedef struct policy {
	const char *name;        /* the file as named in messages ("(built-in policy)") */
	policy_rule *rules;      /* in the file's order */
	size_t nrules;
	vigil_arena *arena;
	struct policy *base;     /* extends: builtin: the built-in policy (its lists) */
} policy;

/* The policy in text (name names it in messages). */
int policy_parse(const char *name, const char *text, size_t len, policy **out);
/* The file at path, or the built-in default policy when path is NULL. */
int policy_load(const char *path, policy **out);
void policy_free(policy *p);
/* The rule's name ("pass-max-days"). */
const char *policy_kind_name(policy_kind k);
/* The built-in policy's text (src/audit/policy_default.yaml). */
const char *policy_default_text(size_t *len);

/* ---- judging (policy.c, policy_rules.c) ---- */
/* A rule's verdict, as the checker reports it (result and, on a failure,
 * a finding). */
typedef struct policy_verdict {
	int passed;              /* 1, 0, -1 not judged */
	char evidence[POLICY_MAX_EVIDENCE];
	const char *path;        /* the file that decided (finding), NULL: the config */
	size_t layer;            /* its layer, VIGIL_AUDIT_NO_LAYER */
	const char *layer_digest;
	uint32_t line;
	const char *package;
} policy_verdict;

/* The rules that look at the config, the inventory and the findings. */
void policy_judge_not_root(const policy_rule *r, audit_walk *w, const char *passwd, size_t plen,
			   policy_verdict *v);
void policy_judge_env(const policy_rule *r, audit_walk *w, policy_verdict *v);
void policy_judge_deny(const policy_rule *r, audit_walk *w, const vigil_index_report *ir,
		       policy_verdict *v);
void policy_judge_ssh(const policy_rule *r, audit_walk *w, const vigil_index_report *ir,
		      policy_verdict *v);
void policy_judge_base_age(const policy_rule *r, audit_walk *w, policy_verdict *v);
void policy_judge_finding_age(const policy_rule *r, audit_walk *w, const vigil_vuln_report *vr,
			      policy_verdict *v);
/* pass-max-days, pass-min-days: the accounts of etc/shadow (text, f its
 * record) with a usable password and their own aging out of the limit
 * fail the rule too (policy_accounts.c). */
void policy_judge_accounts(const policy_rule *r, const char *shadow, size_t len, const audit_file *f,
			   policy_verdict *v);
/* The file readers (fuzzed by fuzz/fuzz_policy.c): the last "NAME VALUE"
 * line of login.defs text for key (value unquoted, 1-based line), the uid
 * of a user name in passwd text and its line. False when absent. */
bool policy_login_find(const char *text, size_t len, const char *key, vigil_slice *val, uint32_t *line);
bool policy_passwd_uid(const char *passwd, size_t plen, vigil_slice name, uint64_t *uid, uint32_t *line);
/* Appends to v->evidence (cut at its size). */
void policy_say(policy_verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Days since 1970 of an RFC 3339 date or date-time ("2023-06-12T00:00:00Z"
 * or "2023-06-12"): seconds in *t. False when it is not one. */
bool policy_date(const char *s, int64_t *t);

#endif
