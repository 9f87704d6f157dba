/* fuzz/fuzz_net_headers.c: the response header lines of net/parse.c on
 * hostile bytes, the way libcurl hands them over: the input is split at
 * '\n' (each line keeps it) and every line goes through net_resp_line(),
 * net_status_line() and net_header_split(). Checked: a status is 100..999,
 * every kept string is NUL-terminated and printable ASCII within its room,
 * a split name and value lie inside the line, the header byte count adds
 * up. */
#include "net/net.h"

#include <stdint.h>
#include <string.h>

static void printable(const char *s, size_t room)
{
	size_t n = strnlen(s, room);
	if (n == room)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	net_resp r;
	size_t since_status = 0;
	net_resp_reset(&r);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		long st = 0;
		char reason[NET_MAX_REASON];
		const char *name, *value;
		size_t nlen, vlen;
		if (net_status_line(p, n, &st, reason, sizeof(reason))) {
			if (st < 100 || st > 999)
				__builtin_trap();
			printable(reason, sizeof(reason));
		}
		if (net_header_split(p, n, &name, &nlen, &value, &vlen) &&
		    (!nlen || name != p || value < p + nlen || value + vlen > p + n))
			__builtin_trap();
		if (net_resp_line(&r, p, n))
			since_status = n;
		else
			since_status += n;
		if (r.header_bytes != since_status)
			__builtin_trap();
		printable(r.reason, sizeof(r.reason));
		printable(r.content_type, sizeof(r.content_type));
		printable(r.etag, sizeof(r.etag));
		printable(r.last_modified, sizeof(r.last_modified));
		if (r.status && (r.status < 100 || r.status > 999))
			__builtin_trap();
		if (r.retry_after_s < -1 || r.range_start < -1)
			__builtin_trap();
		p += n;
	}
	return 0;
}
