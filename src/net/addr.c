/* net/addr.c: the address policy of net/ (see net.h): CIDR parsing and
 * the check of one socket address. Pure functions, no allocation, no
 * libcurl: net.c calls net_addr_allowed() from libcurl's open-socket
 * callback with the address about to be connected to, so that every
 * connection (the first, each redirect's, each address a name resolves
 * to) meets it, and a refused address never sees a packet.
 *
 * Everything is compared over 16 bytes: an IPv4 address a.b.c.d is
 * ::ffff:a.b.c.d (its IPv4-mapped form), so 169.254.169.254 and
 * ::ffff:169.254.169.254 are the same address to every rule, and an IPv4
 * CIDR a.b.c.d/n is ::ffff:a.b.c.d/(96+n). Text is parsed with
 * inet_pton() (no locale, no host names: a CIDR is never resolved).
 *
 * Built-in refusals: 0.0.0.0/8 and :: (unspecified: "this host", which
 * Linux connects to as loopback), 169.254.0.0/16 and fe80::/10
 * (link-local: cloud metadata services live there). Loopback and private
 * ranges are allowed by default: registries and Quay live there; a
 * deployment refuses them with its deny list. */
#include "net/net.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static const net_cidr builtin_unspec4 = { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0 }, 104, true };
static const net_cidr builtin_unspec6 = { { 0 }, 128, false };
static const net_cidr builtin_ll4 = { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 0, 0 }, 112, true };
static const net_cidr builtin_ll6 = { { 0xfe, 0x80 }, 10, false };

static bool in_cidr(const uint8_t a[16], const net_cidr *c)
{
	unsigned full = c->prefix / 8, rest = c->prefix % 8;
	if (memcmp(a, c->addr, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (c->addr[full] & mask);
}

/* c lies wholly inside r */
static bool cidr_within(const net_cidr *c, const net_cidr *r)
{
	return c->prefix >= r->prefix && in_cidr(c->addr, r);
}

static bool sockaddr_bytes(const struct sockaddr *sa, socklen_t salen, uint8_t out[16])
{
	if (sa && sa->sa_family == AF_INET && salen >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &in->sin_addr, 4);
		return true;
	}
	if (sa && sa->sa_family == AF_INET6 && salen >= (socklen_t)sizeof(struct sockaddr_in6)) {
		memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return true;
	}
	return false;
}

static bool is_mapped(const uint8_t a[16])
{
	static const uint8_t pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return memcmp(a, pre, 12) == 0;
}

static void bytes_format(const uint8_t a[16], char *out, size_t n)
{
	char t[INET6_ADDRSTRLEN];
	if (is_mapped(a))
		inet_ntop(AF_INET, a + 12, t, sizeof(t));
	else
		inet_ntop(AF_INET6, a, t, sizeof(t));
	snprintf(out, n, "%s", t);
}

void net_addr_format(const struct sockaddr *sa, socklen_t salen, char *out, size_t n)
{
	uint8_t a[16];
	if (!sockaddr_bytes(sa, salen, a)) {
		snprintf(out, n, "(not an IP address)");
		return;
	}
	bytes_format(a, out, n);
}

void net_cidr_format(const net_cidr *c, char *out, size_t n)
{
	char t[INET6_ADDRSTRLEN];
	if (c->v4 && is_mapped(c->addr) && c->prefix >= 96) {
		inet_ntop(AF_INET, c->addr + 12, t, sizeof(t));
		snprintf(out, n, "%s/%u", t, (unsigned)(c->prefix - 96));
	} else {
		inet_ntop(AF_INET6, c->addr, t, sizeof(t));
		snprintf(out, n, "%s/%u", t, (unsigned)c->prefix);
	}
}

static int bad_cidr(const char *s, size_t len, const char *why)
{
	return vigil_error_set(VIGIL_EFORMAT, "CIDR \"%.*s\": %s", (int)(len > 64 ? 64 : len), s, why);
}

int net_cidr_parse(const char *s, size_t len, net_cidr *out)
{
	char text[NET_MAX_CIDR_TEXT];
	memset(out, 0, sizeof(*out));
	if (!len)
		return bad_cidr(s, len, "empty");
	if (len >= sizeof(text))
		return bad_cidr(s, len, "longer than 63 bytes");
	memcpy(text, s, len);
	text[len] = '\0';
	if (strlen(text) != len)
		return bad_cidr(s, len, "contains a NUL byte");
	char *slash = strchr(text, '/');
	long prefix = -1;
	if (slash) {
		*slash = '\0';
		const char *p = slash + 1;
		if (!*p || strlen(p) > 3)
			return bad_cidr(s, len, "the prefix length is not a number of 0 to 128");
		prefix = 0;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return bad_cidr(s, len, "the prefix length is not a number of 0 to 128");
			prefix = prefix * 10 + (*p - '0');
		}
		if (slash[1] == '0' && slash[2])
			return bad_cidr(s, len, "the prefix length has a leading zero");
	}
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, text, &a4) == 1) {
		if (prefix > 32)
			return bad_cidr(s, len, "an IPv4 prefix length is at most 32");
		out->addr[10] = out->addr[11] = 0xff;
		memcpy(out->addr + 12, &a4, 4);
		out->prefix = (uint8_t)(96 + (prefix < 0 ? 32 : prefix));
		out->v4 = true;
	} else if (inet_pton(AF_INET6, text, &a6) == 1) {
		if (prefix > 128)
			return bad_cidr(s, len, "an IPv6 prefix length is at most 128");
		memcpy(out->addr, &a6, 16);
		out->prefix = (uint8_t)(prefix < 0 ? 128 : prefix);
	} else {
		return bad_cidr(s, len, "not an IPv4 or IPv6 address (no host names)");
	}
	/* host bits below the prefix: a typo, refused rather than guessed at */
	for (unsigned bit = out->prefix; bit < 128; bit++)
		if (out->addr[bit / 8] & (0x80 >> (bit % 8)))
			return bad_cidr(s, len, "host bits are set below the prefix length");
	return 0;
}

static bool is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int net_cidr_list_parse(const char *s, size_t len, net_cidr *v, size_t max, size_t *n)
{
	int rc;
	if (len > NET_MAX_CIDR_LIST)
		return vigil_error_set(VIGIL_ELIMIT, "a CIDR list longer than %zu bytes", NET_MAX_CIDR_LIST);
	size_t i = 0;
	while (i < len) {
		while (i < len && is_sep(s[i]))
			i++;
		size_t j = i;
		while (j < len && !is_sep(s[j]))
			j++;
		if (j == i)
			break;
		if (*n >= max)
			return vigil_error_set(VIGIL_ELIMIT, "more than %zu CIDRs in a list", max);
		if ((rc = net_cidr_parse(s + i, j - i, &v[*n])) < 0)
			return rc;
		(*n)++;
		i = j;
	}
	return 0;
}

static const net_cidr *find(const net_cidr *v, size_t n, const uint8_t a[16])
{
	for (size_t i = 0; i < n; i++)
		if (in_cidr(a, &v[i]))
			return &v[i];
	return NULL;
}

/* An allow CIDR inside link-local space that holds a: the deliberate exception. */
static bool link_local_allowed(const net_addr_policy *p, const uint8_t a[16], const net_cidr *ll)
{
	for (size_t i = 0; p && i < p->nallow; i++)
		if (cidr_within(&p->allow[i], ll) && in_cidr(a, &p->allow[i]))
			return true;
	return false;
}

static bool refuse(char *why, size_t whyn, const uint8_t a[16], const char *what, const net_cidr *c)
{
	char at[INET6_ADDRSTRLEN], ct[NET_MAX_CIDR_TEXT];
	if (!why || !whyn)
		return false;
	bytes_format(a, at, sizeof(at));
	if (c) {
		net_cidr_format(c, ct, sizeof(ct));
		snprintf(why, whyn, "%s %s %s", at, what, ct);
	} else {
		snprintf(why, whyn, "%s %s", at, what);
	}
	return false;
}

bool net_addr_allowed(const net_addr_policy *p, const struct sockaddr *sa, socklen_t salen, char *why,
		      size_t whyn)
{
	uint8_t a[16];
	const net_cidr *c;
	if (why && whyn)
		why[0] = '\0';
	if (!sockaddr_bytes(sa, salen, a)) {
		if (why && whyn)
			snprintf(why, whyn, "not an IPv4 or IPv6 address");
		return false;
	}
	if (in_cidr(a, &builtin_unspec4) || in_cidr(a, &builtin_unspec6))
		return refuse(why, whyn, a, "is an unspecified address (\"this host\")", NULL);
	if (in_cidr(a, &builtin_ll4) && !link_local_allowed(p, a, &builtin_ll4))
		return refuse(why, whyn, a, "is link-local (cloud metadata lives there)", NULL);
	if (in_cidr(a, &builtin_ll6) && !link_local_allowed(p, a, &builtin_ll6))
		return refuse(why, whyn, a, "is link-local", NULL);
	if (p && (c = find(p->deny, p->ndeny, a)))
		return refuse(why, whyn, a, "is in the denied range", c);
	if (p && p->nallow && !find(p->allow, p->nallow, a))
		return refuse(why, whyn, a, "is in no allowed range", NULL);
	return true;
}
