/* feed/common.c: what every feed parser shares: warnings, strings, the
 * vendor severity tables (reasons in docs/severity.md) and release
 * codenames. */
#include "feed/feed.h"
#include "util/error.h"
#include "util/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void feed_warn(vigil_feed_ctx *ctx, const char *fmt, ...)
{
	char msg[VIGIL_ERROR_MAX], full[VIGIL_ERROR_MAX + 512];
	va_list ap;
	ctx->warnings++;
	if (!ctx->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s%s%.*s", ctx->file ? ctx->file : "", ctx->file ? ": " : "",
		 (int)sizeof(msg), msg);
	ctx->warn(ctx->warn_ud, full);
}

const char *feed_str(vigil_feed_ctx *ctx, const char *p, size_t n)
{
	if (ctx->strings)
		return vigil_intern_str(ctx->strings, p, n);
	return vigil_arena_strndup(ctx->arena, p, n);
}

const char *feed_cstr(vigil_feed_ctx *ctx, const char *s)
{
	return s ? feed_str(ctx, s, strlen(s)) : NULL;
}

int feed_json_str(vigil_feed_ctx *ctx, json_t *o, const char *path, const char *key, const char **out)
{
	vigil_slice s;
	int rc = vigil_json_str(o, path, key, 0, VIGIL_FEED_MAX_STRING, &s);
	*out = NULL;
	if (rc < 0 || !s.len)
		return rc;
	*out = feed_str(ctx, s.ptr, s.len);
	return *out ? 0 : vigil_error_or_oom();
}

const char *vigil_severity_name(vigil_severity s)
{
	static const char *const names[] = { "Unknown", "Negligible", "Low", "Medium", "High", "Critical" };
	return (unsigned)s <= VIGIL_SEV_CRITICAL ? names[s] : "Unknown";
}

vigil_severity vigil_severity_from_cvss(double score)
{
	if (score < 0 || score > 10)
		return VIGIL_SEV_UNKNOWN;
	if (score == 0)
		return VIGIL_SEV_NEGLIGIBLE;
	if (score < 4.0)
		return VIGIL_SEV_LOW;
	if (score < 7.0)
		return VIGIL_SEV_MEDIUM;
	if (score < 9.0)
		return VIGIL_SEV_HIGH;
	return VIGIL_SEV_CRITICAL;
}

const char *vigil_vuln_state_name(vigil_vuln_state s)
{
	static const char *const names[] = { "affected", "fixed", "not-fixed", "will-not-fix", "not-affected" };
	return (unsigned)s <= VIGIL_STATE_NOT_AFFECTED ? names[s] : "affected";
}

struct word {
	const char *word;
	vigil_severity sev;
};

static vigil_severity lookup(const struct word *t, size_t n, const char *w, size_t wlen)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].word) == wlen && strncasecmp(t[i].word, w, wlen) == 0)
			return t[i].sev;
	return VIGIL_SEV_UNKNOWN;
}

#define LOOKUP(t, w, n) lookup(t, sizeof(t) / sizeof(t[0]), w, n)

vigil_severity feed_severity_debian(const char *u)
{
	static const struct word t[] = {
		{ "unimportant", VIGIL_SEV_NEGLIGIBLE }, { "low", VIGIL_SEV_LOW },
		{ "medium", VIGIL_SEV_MEDIUM }, { "high", VIGIL_SEV_HIGH },
		{ "not yet assigned", VIGIL_SEV_UNKNOWN }, { "end-of-life", VIGIL_SEV_UNKNOWN },
	};
	if (!u)
		return VIGIL_SEV_UNKNOWN;
	size_t n = strlen(u);
	while (n && (u[n - 1] == '*' || u[n - 1] == ' '))
		n--; /* "medium**": the urgency came from NVD; same level */
	return LOOKUP(t, u, n);
}

vigil_severity feed_severity_ubuntu(const char *p)
{
	static const struct word t[] = {
		{ "negligible", VIGIL_SEV_NEGLIGIBLE }, { "low", VIGIL_SEV_LOW },
		{ "medium", VIGIL_SEV_MEDIUM }, { "high", VIGIL_SEV_HIGH },
		{ "critical", VIGIL_SEV_CRITICAL }, { "untriaged", VIGIL_SEV_UNKNOWN },
	};
	return p ? LOOKUP(t, p, strlen(p)) : VIGIL_SEV_UNKNOWN;
}

vigil_severity feed_severity_redhat(const char *i)
{
	static const struct word t[] = {
		{ "low", VIGIL_SEV_LOW }, { "moderate", VIGIL_SEV_MEDIUM },
		{ "important", VIGIL_SEV_HIGH }, { "critical", VIGIL_SEV_CRITICAL },
		{ "none", VIGIL_SEV_NEGLIGIBLE },
	};
	return i ? LOOKUP(t, i, strlen(i)) : VIGIL_SEV_UNKNOWN;
}

vigil_severity feed_severity_cvss_word(const char *w)
{
	static const struct word t[] = {
		{ "none", VIGIL_SEV_NEGLIGIBLE }, { "low", VIGIL_SEV_LOW },
		{ "medium", VIGIL_SEV_MEDIUM }, { "moderate", VIGIL_SEV_MEDIUM },
		{ "high", VIGIL_SEV_HIGH }, { "critical", VIGIL_SEV_CRITICAL },
	};
	return w ? LOOKUP(t, w, strlen(w)) : VIGIL_SEV_UNKNOWN;
}

struct release {
	const char *codename, *version;
};

static const char *release_lookup(const struct release *t, size_t n, const char *codename)
{
	if (!codename)
		return NULL;
	size_t len = strcspn(codename, "/"); /* "trusty/esm" is trusty */
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].codename) == len && strncmp(t[i].codename, codename, len) == 0)
			return t[i].version;
	return NULL;
}

const char *feed_debian_release_version(const char *codename)
{
	static const struct release t[] = {
		{ "squeeze", "6" }, { "wheezy", "7" }, { "jessie", "8" }, { "stretch", "9" },
		{ "buster", "10" }, { "bullseye", "11" }, { "bookworm", "12" }, { "trixie", "13" },
		{ "forky", "14" }, { "duke", "15" }, { "sid", "unstable" },
	};
	return release_lookup(t, sizeof(t) / sizeof(t[0]), codename);
}

const char *feed_ubuntu_release_version(const char *codename)
{
	static const struct release t[] = {
		{ "precise", "12.04" }, { "trusty", "14.04" }, { "xenial", "16.04" },
		{ "bionic", "18.04" }, { "cosmic", "18.10" }, { "disco", "19.04" }, { "eoan", "19.10" },
		{ "focal", "20.04" }, { "groovy", "20.10" }, { "hirsute", "21.04" },
		{ "impish", "21.10" }, { "jammy", "22.04" }, { "kinetic", "22.10" },
		{ "lunar", "23.04" }, { "mantic", "23.10" }, { "noble", "24.04" },
		{ "oracular", "24.10" }, { "plucky", "25.04" }, { "questing", "25.10" },
	};
	return release_lookup(t, sizeof(t) / sizeof(t[0]), codename);
}
