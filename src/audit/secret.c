/* audit/secret.c: the secret scanner (placeholder: the checker does nothing yet;
 * see docs/audit.md). */
#include "audit/audit_priv.h"

const audit_checker audit_secret_checker = {
	.name = "secret",
};
