/* fuzz/fuzz_policy.c: the audit policy reader (audit/policy_parse.c on
 * audit/policy_yaml.c) on arbitrary bytes: a YAML policy file parses or
 * fails with a message naming the file and line, and every rule it gives
 * has a known kind, a severity and lists of the sizes it says. */
#include "audit/policy_priv.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	policy *p = NULL;
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
