/* audit/secret_compile.c: the rules' regular expressions compiled with
 * PCRE2 (JIT-compiled where the platform has it; interpreted otherwise),
 * the secret group resolved, and the allow-paths. A regex PCRE2 refuses
 * fails naming the file, the line of its rule and the offset. */
#include "audit/secret_priv.h"

#include "util/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int compile_one(const char *file, size_t line, const char *what, const char *src, pcre2_code **out)
{
	int err = 0;
	PCRE2_SIZE off = 0;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: %s: bad regex at offset %zu: %s", file, line, what,
				       (size_t)off, (const char *)msg);
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* interpreted when JIT is not there */
	*out = re;
	return 0;
}

static int compile_list(const secret_rule *r, const char *what, char **src, size_t n, pcre2_code ***out)
{
	char label[SECRET_MAX_STR + 32];
	if (!n)
		return 0;
	if (!(*out = calloc(n, sizeof(**out))))
		return vigil_error_oom();
	snprintf(label, sizeof(label), "rule %s: %s", r->id, what);
	for (size_t i = 0; i < n; i++) {
		int rc = compile_one(r->file, r->line, label, src[i], &(*out)[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The capture group holding the secret: secret-group (a name or a
 * number), else a group named "secret", else the whole match. */
static int resolve_group(secret_rule *r)
{
	uint32_t count = 0;
	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &count);
	if (!r->group) {
		int n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "secret");
		r->group_no = n > 0 ? (uint32_t)n : 0;
		return 0;
	}
	bool digits = r->group[0] != '\0';
	uint64_t v = 0;
	for (const char *p = r->group; *p && digits; p++) {
		digits = isdigit((unsigned char)*p) && v < 100000;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (digits && v <= count) {
		r->group_no = (uint32_t)v;
		return 0;
	}
	int n = digits ? -1 : pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)r->group);
	if (n <= 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: rule %s: secret-group '%s' is not a group of its regex "
				       "(it has %u)", r->file, r->line, r->id, r->group, (unsigned)count);
	r->group_no = (uint32_t)n;
	return 0;
}

int secret_ruleset_compile(secret_ruleset *rs)
{
	int rc = 0;
	for (size_t i = 0; i < rs->n && rc == 0; i++) {
		secret_rule *r = &rs->rules[i];
		if (r->disabled || r->re)
			continue;
		if ((rc = compile_one(r->file, r->regex_line ? r->regex_line : r->line, r->id, r->regex, &r->re)) < 0 || (rc = resolve_group(r)) < 0 ||
		    (rc = compile_list(r, "paths", r->paths, r->npaths, &r->paths_re)) < 0 ||
		    (rc = compile_list(r, "allow", r->allow, r->nallow, &r->allow_re)) < 0)
			break;
		rc = compile_list(r, "allow-paths", r->allow_paths, r->nallow_paths, &r->allow_paths_re);
	}
	for (size_t i = 0; i < rs->nallow && rc == 0; i++) {
		secret_allow_path *a = &rs->allow[i];
		if (!a->disabled && a->path && !a->re)
			rc = compile_one(a->file, a->line, a->id, a->path, &a->re);
		if (rc == 0 && !a->disabled && a->regex && !a->regex_re)
			rc = compile_one(a->file, a->line, a->id, a->regex, &a->regex_re);
	}
	return rc;
}

/* Whether re finds a match in s (n bytes). */
bool secret_re_hit(pcre2_code *re, const char *s, size_t n)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md)
		return false;
	int r = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return r >= 0;
}

bool secret_ruleset_path_allowed(const secret_ruleset *rs, const char *path, const char **id)
{
	for (size_t i = 0; i < rs->nallow; i++) {
		const secret_allow_path *a = &rs->allow[i];
		if (!a->disabled && a->re && secret_re_hit(a->re, path, strlen(path))) {
			if (id)
				*id = a->id;
			return true;
		}
	}
	return false;
}
