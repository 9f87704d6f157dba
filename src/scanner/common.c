/* scanner/common.c: what every parser shares (warnings, strings, lists). */
#include "scanner/scanner.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *vigil_pkg_type_name(vigil_pkg_type t)
{
	switch (t) {
	case VIGIL_PKG_DPKG: return "dpkg";
	case VIGIL_PKG_APK: return "apk";
	case VIGIL_PKG_RPM: return "rpm";
	case VIGIL_PKG_PYPI: return "pypi";
	case VIGIL_PKG_NPM: return "npm";
	case VIGIL_PKG_MAVEN: return "maven";
	case VIGIL_PKG_GO: return "golang";
	case VIGIL_PKG_CARGO: return "cargo";
	case VIGIL_PKG_GEM: return "gem";
	case VIGIL_PKG_COMPOSER: return "composer";
	case VIGIL_PKG_NUGET: return "nuget";
	default: return "unknown";
	}
}

int vigil_pkg_type_is_lang(vigil_pkg_type t)
{
	return t >= VIGIL_PKG_PYPI && t <= VIGIL_PKG_NUGET;
}

void scan_warn(vigil_scan_ctx *ctx, const char *fmt, ...)
{
	char msg[VIGIL_ERROR_MAX], full[VIGIL_ERROR_MAX + 512];
	va_list ap;
	if (!ctx->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "%s%s%s%s%s", ctx->layer ? "layer " : "",
		 ctx->layer ? ctx->layer : "", ctx->layer ? ": " : "",
		 ctx->path ? ctx->path : "", ctx->path ? ": " : "");
	size_t n = strlen(full);
	snprintf(full + n, sizeof(full) - n, "%s", msg);
	ctx->warn(ctx->warn_ud, full);
}

const char *scan_str(vigil_scan_ctx *ctx, const char *p, size_t n)
{
	return vigil_intern_str(ctx->strings, p, n);
}

int scan_pkg_list_push(vigil_pkg_list *l, vigil_package **out)
{
	if (l->len >= VIGIL_MAX_PACKAGES_PER_DB)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d packages in one database",
				       VIGIL_MAX_PACKAGES_PER_DB);
	if (l->len == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		vigil_package *n = realloc(l->items, ncap * sizeof(*n));
		if (!n)
			return vigil_error_oom();
		l->items = n;
		l->cap = ncap;
	}
	*out = &l->items[l->len++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

void scan_pkg_list_free(vigil_pkg_list *l)
{
	if (!l)
		return;
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

int scan_text_check(const char *what, const char *data, size_t len, size_t max)
{
	if (len > max)
		return vigil_error_set(VIGIL_ELIMIT, "%s of %zu bytes (limit %zu)", what, len, max);
	const char *nul = len ? memchr(data, '\0', len) : NULL;
	if (nul) {
		size_t at = (size_t)(nul - data), line = 1;
		for (size_t i = 0; i < at; i++)
			line += data[i] == '\n';
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: NUL byte", line);
	}
	return 0;
}
