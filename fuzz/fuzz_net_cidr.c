/* fuzz/fuzz_net_cidr.c: the CIDR list parser of net/addr.c (the server's
 * indexer.fetch.deny / allow values) on hostile bytes, and the address
 * check with what it parsed. Checked: at most the room given is filled,
 * every prefix is 0..128, a CIDR written out parses back to itself, and
 * each CIDR's own network address is allowed by an allow list of it and
 * refused by a deny list of it unless the built-in rules already refuse
 * it. */
#include "net/net.h"
#include "util/error.h"

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#define ROOM 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static net_addr_policy p;
	net_cidr v[ROOM];
	size_t n = 0;
	int rc = net_cidr_list_parse((const char *)data, size, v, ROOM, &n);
	vigil_error_clear();
	if (n > ROOM || (rc < 0 && rc != VIGIL_EFORMAT && rc != VIGIL_ELIMIT))
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		char text[NET_MAX_CIDR_TEXT];
		net_cidr back;
		if (v[i].prefix > 128)
			__builtin_trap();
		net_cidr_format(&v[i], text, sizeof(text));
		if (net_cidr_parse(text, strlen(text), &back) < 0 || back.prefix != v[i].prefix ||
		    memcmp(back.addr, v[i].addr, 16))
			__builtin_trap();
		struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
		memcpy(&a.sin6_addr, v[i].addr, 16);
		bool builtin = !net_addr_allowed(NULL, (struct sockaddr *)&a, sizeof(a), NULL, 0);
		memset(&p, 0, sizeof(p));
		p.deny[0] = v[i];
		p.ndeny = 1;
		if (net_addr_allowed(&p, (struct sockaddr *)&a, sizeof(a), NULL, 0))
			__builtin_trap();
		memset(&p, 0, sizeof(p));
		p.allow[0] = v[i];
		p.nallow = 1;
		if (!builtin && !net_addr_allowed(&p, (struct sockaddr *)&a, sizeof(a), NULL, 0))
			__builtin_trap();
	}
	vigil_error_clear();
	return 0;
}
