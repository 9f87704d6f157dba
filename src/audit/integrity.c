/* audit/integrity.c: the integrity scanner (placeholder: the checker does nothing yet;
 * see docs/audit.md). */
#include "audit/audit_priv.h"

const audit_checker audit_integrity_checker = {
	.name = "integrity",
};
