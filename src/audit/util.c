/* audit/util.c: small helpers the audit scanners share: redacting a
 * secret for display, telling binary bytes from text. */
#include "audit/audit_priv.h"

#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/* Characters kept at each end of a redacted secret, and the most shown. */
#define REDACT_KEEP 4
#define REDACT_MIN 12
#define REDACT_SHOWN 32

char *audit_redact(vigil_arena *a, const char *p, size_t n)
{
	char out[REDACT_SHOWN + 1];
	size_t shown = n < REDACT_SHOWN ? n : REDACT_SHOWN;
	for (size_t i = 0; i < shown; i++)
		out[i] = '*';
	if (n >= REDACT_MIN) {
		memcpy(out, p, REDACT_KEEP);
		memcpy(out + shown - REDACT_KEEP, p + n - REDACT_KEEP, REDACT_KEEP);
	}
	for (size_t i = 0; i < shown; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			out[i] = '?';
	out[shown] = '\0';
	return vigil_arena_strndup(a, out, shown);
}

bool audit_is_binary(const uint8_t *p, size_t n)
{
	return memchr(p, 0, n < 8192 ? n : 8192) != NULL;
}

int audit_json_dump(json_t *j, const vigil_report_options *o, char **out, size_t *len)
{
	if (!j)
		return vigil_error_oom();
	char *s = json_dumps(j, (!o || o->pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!s)
		return vigil_error_oom();
	*out = s;
	*len = strlen(s);
	return 0;
}
