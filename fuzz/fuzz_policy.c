/* fuzz/fuzz_policy.c: the audit policy reader (audit/policy_parse.c on
 * audit/policy_yaml.c) on arbitrary bytes: a YAML policy file parses or
 * fails with a message naming the file and line, and every rule it gives
 * has a known kind, a severity and lists of the sizes it says. The same
 * bytes go through the readers of the image's files the rules judge:
 * etc/login.defs, etc/passwd and etc/shadow (policy.c, policy_rules.c,
 * policy_accounts.c): every value found lies inside the input. */
#include "audit/policy_priv.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void files(const char *text, size_t size)
{
	static const char *const keys[] = { "PASS_MAX_DAYS", "PASS_MIN_DAYS", "PASS_MIN_LEN" };
	vigil_slice val;
	uint32_t line;
	uint64_t uid;
	for (int i = 0; i < 3; i++)
		if (policy_login_find(text, size, keys[i], &val, &line) &&
		    (val.ptr < text || val.ptr + val.len > text + size || line == 0))
			abort();
	if (policy_passwd_uid(text, size, VIGIL_SLICE_LIT("root"), &uid, &line) && line == 0)
		abort();
	policy_rule r = { .kind = POL_PASS_MAX_DAYS, .limit = 90 };
	audit_file f = { .layer = 0 };
	policy_verdict v = { .passed = 1, .layer = VIGIL_AUDIT_NO_LAYER };
	policy_judge_accounts(&r, text, size, &f, &v);
	if (strlen(v.evidence) >= sizeof(v.evidence))
		abort();
	r.kind = POL_PASS_MIN_DAYS;
	policy_judge_accounts(&r, text, size, &f, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	policy *p = NULL;
	files((const char *)data, size);
	if (policy_parse("fuzz.yaml", (const char *)data, size, &p) < 0) {
		if (strncmp(vigil_error_message(), "fuzz.yaml", 9) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < p->nrules; i++) {
		const policy_rule *r = &p->rules[i];
		if (!policy_kind_name(r->kind) || strcmp(policy_kind_name(r->kind), r->id) ||
		    r->severity > VIGIL_SEV_CRITICAL || r->limit < 0 || r->limit > POLICY_MAX_NUMBER)
			abort();
		for (size_t k = 0; k < r->names.n; k++)
			if (!r->names.v[k] || !r->names.v[k][0])
				abort();
		for (size_t k = 0; k < r->allow.n; k++)
			if (!r->allow.v[k])
				abort();
	}
	policy_free(p);
	return 0;
}
