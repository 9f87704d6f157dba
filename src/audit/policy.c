/* audit/policy.c: the policy scanner (placeholder: the checker does nothing yet;
 * see docs/audit.md). */
#include "audit/audit_priv.h"

const audit_checker audit_policy_checker = {
	.name = "policy",
};
