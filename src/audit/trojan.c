/* audit/trojan.c: the trojan scanner (placeholder: the checker does nothing yet;
 * see docs/audit.md). */
#include "audit/audit_priv.h"

const audit_checker audit_trojan_checker = {
	.name = "trojan",
};
