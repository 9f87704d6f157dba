/* util/redact.h: secrets out of URLs before they reach a message, an HTTP
 * answer or a log line. A layer URI or feed URL may carry userinfo
 * ("http://alice:S3CRETPW@host/x") or a presigned query
 * ("?X-Amz-Signature=...&X-Amz-Credential=...", "?sig=...", "?token=..."):
 * vigil never repeats either. Every place that names a URL in an error
 * calls vigil_redact_url(); vigil_redact_text() is the last guard for text
 * that may hold URLs it did not write itself (a library's message).
 *
 * The rule: userinfo becomes "***@"; a query keeps its parameter names and
 * each value becomes "***" ("?X-Amz-Signature=***&X-Amz-Date=***"), so a
 * reader still sees which URL it was; a fragment is dropped. Text that is
 * not a URL (no "://": "http:/u:pw@h") is kept up to its first ':', '@'
 * or '?' and "***" stands for the rest. Output is
 * always NUL-terminated and truncated to n (never split inside "***"). */
#ifndef VIGIL_UTIL_REDACT_H
#define VIGIL_UTIL_REDACT_H

#include <stddef.h>

/* Enough for the URLs vigil names in messages (longer ones are cut). */
#define VIGIL_REDACT_MAX 2048

/* url redacted into out[n]; returns out. url NULL gives "". */
char *vigil_redact_url(const char *url, char *out, size_t n);
/* Every scheme://... token of text (up to white space, a quote, '<', '>'
 * or the end) redacted into out[n]; the rest copied as it is. */
char *vigil_redact_text(const char *text, char *out, size_t n);

#endif
