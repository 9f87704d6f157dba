/* registry/ref.c: registry references as Docker reads them
 * (distribution/reference): "[DOMAIN/]PATH[:TAG][@ALG:HEX]", with an
 * optional "docker://" or "registry:" prefix. The first component is a
 * domain when it has a '.' or ':', is "localhost", or has an upper-case
 * letter; otherwise the domain is docker.io, and a one-component path gets
 * "library/". index.docker.io means docker.io, which is reached at
 * registry-1.docker.io. Without tag and digest the tag is "latest". Every
 * part is checked against Docker's grammar and length caps. */
#include "registry/registry.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

#define DOCKER_DOMAIN "docker.io"
#define DOCKER_HOST   "registry-1.docker.io"

bool reg_ref_has_prefix(const char *s, const char **rest)
{
	static const char *const prefixes[] = { "docker://", "registry:" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(s, prefixes[i], n)) {
			*rest = s + n;
			return true;
		}
	}
	return false;
}

static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
static bool is_word(char c) { return is_alnum(c) || c == '_'; }

/* One path component: [a-z0-9]+ ((_|.|__|-+) [a-z0-9]+)* */
static bool path_component_ok(const char *p, size_t n)
{
	size_t i = 0;
	if (!n || !is_lower_alnum(p[0]) || !is_lower_alnum(p[n - 1]))
		return false;
	while (i < n) {
		if (is_lower_alnum(p[i])) {
			i++;
			continue;
		}
		/* a separator, followed by an alphanumeric (the last char is one) */
		if (p[i] == '.') {
			i++;
		} else if (p[i] == '_') {
			i += (i + 1 < n && p[i + 1] == '_') ? 2 : 1;
		} else if (p[i] == '-') {
			while (i < n && p[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i >= n || !is_lower_alnum(p[i]))
			return false;
	}
	return true;
}

/* host ("a.b-c.d", or "[v6]") with an optional ":port" */
static bool domain_ok(const char *p, size_t n)
{
	size_t i = 0;
	if (n && p[0] == '[') {
		while (i < n && p[i] != ']')
			i++;
		if (i >= n || i < 3)
			return false;
		for (size_t k = 1; k < i; k++)
			if (!is_hex(p[k]) && !(p[k] >= 'A' && p[k] <= 'F') && p[k] != ':')
				return false;
		i++;
	} else {
		size_t start = 0;
		for (;;) {
			/* one label: alnum, alnum-or-dash inside */
			start = i;
			while (i < n && (is_alnum(p[i]) || p[i] == '-'))
				i++;
			if (i == start || p[start] == '-' || p[i - 1] == '-')
				return false;
			if (i < n && p[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i == n)
		return true;
	if (p[i] != ':' || i + 1 == n || n - i - 1 > 5)
		return false;
	for (i++; i < n; i++)
		if (!(p[i] >= '0' && p[i] <= '9'))
			return false;
	return true;
}

/* [\w][\w.-]{0,127} */
static bool tag_ok(const char *p, size_t n)
{
	if (!n || n > VIGIL_REG_MAX_TAG || !is_word(p[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_word(p[i]) && p[i] != '.' && p[i] != '-')
			return false;
	return true;
}

static int bad(const char *s, const char *why)
{
	return vigil_error_set(VIGIL_EINVAL, "registry reference \"%.200s\": %s", s, why);
}

int reg_ref_parse(const char *s, vigil_reg_ref *out)
{
	const char *in = s, *rest;
	memset(out, 0, sizeof(*out));
	if (!s)
		return vigil_error_set(VIGIL_EINVAL, "no registry reference");
	size_t total = strlen(s);
	if (total > VIGIL_REG_MAX_REF)
		return vigil_error_set(VIGIL_ELIMIT, "registry reference is over %d bytes", VIGIL_REG_MAX_REF);
	if (reg_ref_has_prefix(s, &rest))
		in = rest;
	size_t len = strlen(in);
	if (!len)
		return bad(s, "empty");

	/* @digest */
	const char *at = memchr(in, '@', len);
	size_t name_len = at ? (size_t)(at - in) : len;
	if (at) {
		size_t dl = len - name_len - 1;
		if (!vigil_digest_ok(vigil_slice_make(at + 1, dl)))
			return bad(s, "the digest is not sha256:<64 hex> or sha512:<128 hex>");
		memcpy(out->digest, at + 1, dl);
		out->digest[dl] = '\0';
	}
	/* :tag, after the last '/' */
	const char *slash = NULL, *colon = NULL;
	for (size_t i = 0; i < name_len; i++) {
		if (in[i] == '/')
			slash = in + i;
		else if (in[i] == ':')
			colon = in + i;
	}
	if (colon && (!slash || colon > slash)) {
		size_t tl = name_len - (size_t)(colon - in) - 1;
		if (!tag_ok(colon + 1, tl))
			return bad(s, "the tag must be 1 to 128 of [A-Za-z0-9_.-], not starting with . or -");
		memcpy(out->tag, colon + 1, tl);
		out->tag[tl] = '\0';
		name_len = (size_t)(colon - in);
	}
	if (!name_len)
		return bad(s, "no repository name");
	if (name_len > VIGIL_REG_MAX_NAME)
		return bad(s, "the name is over 255 bytes");

	/* domain / path */
	const char *first_slash = memchr(in, '/', name_len);
	const char *path = in;
	size_t path_len = name_len;
	if (first_slash) {
		size_t dl = (size_t)(first_slash - in);
		bool domain = dl == 9 && !strncmp(in, "localhost", 9);
		for (size_t i = 0; i < dl && !domain; i++)
			domain = in[i] == '.' || in[i] == ':' || (in[i] >= 'A' && in[i] <= 'Z');
		if (domain) {
			if (!domain_ok(in, dl))
				return bad(s, "the registry is not host[:port]");
			memcpy(out->domain, in, dl);
			out->domain[dl] = '\0';
			path = first_slash + 1;
			path_len = name_len - dl - 1;
		}
	}
	if (!out->domain[0] || !strcmp(out->domain, "index.docker.io"))
		snprintf(out->domain, sizeof(out->domain), "%s", DOCKER_DOMAIN);
	if (!path_len)
		return bad(s, "no repository name");
	/* every path component */
	for (size_t i = 0, start = 0; i <= path_len; i++) {
		if (i < path_len && path[i] != '/')
			continue;
		if (!path_component_ok(path + start, i - start)) {
			for (size_t k = 0; k < path_len; k++)
				if (path[k] >= 'A' && path[k] <= 'Z')
					return bad(s, "repository names must be lower case");
			return bad(s, "the repository name is not components of [a-z0-9] joined by '/', with '.', '_', '__' or '-' inside");
		}
		start = i + 1;
	}
	bool library = !strcmp(out->domain, DOCKER_DOMAIN) && !memchr(path, '/', path_len);
	int w = snprintf(out->repo, sizeof(out->repo), "%s%.*s", library ? "library/" : "",
			 (int)path_len, path);
	if (w < 0 || (size_t)w >= sizeof(out->repo) || strlen(out->domain) + 1 + (size_t)w > VIGIL_REG_MAX_NAME)
		return bad(s, "the name is over 255 bytes");
	snprintf(out->host, sizeof(out->host), "%s",
		 !strcmp(out->domain, DOCKER_DOMAIN) ? DOCKER_HOST : out->domain);
	if (!out->tag[0] && !out->digest[0])
		snprintf(out->tag, sizeof(out->tag), "latest");
	return 0;
}

void reg_ref_format(const vigil_reg_ref *r, char *out, size_t n)
{
	snprintf(out, n, "%s/%s%s%s%s%s", r->domain, r->repo, r->tag[0] ? ":" : "", r->tag,
		 r->digest[0] ? "@" : "", r->digest);
}
