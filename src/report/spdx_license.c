/* report/spdx_license.c: is a package's license text a valid SPDX license
 * expression (SPDX 2.3 annex D)? Only then does an SBOM carry it as one
 * (SPDX licenseDeclared, CycloneDX license.id or expression); anything
 * else stays NOASSERTION in SPDX and a free-text license name in
 * CycloneDX, since a wrong expression is worse than none.
 *
 * Grammar (the annex's, without LicenseRef-/DocumentRef-, which need
 * definitions in the document):
 *   or   := and ("OR" and)*
 *   and  := with ("AND" with)*
 *   with := "(" or ")" | ID ["+"] ["WITH" EXCEPTION]
 * Ids match case-insensitively (the annex says so) and are written in
 * SPDX's case; operators must be upper case. The ids are a list of the
 * common ones (a test holds each to the SPDX license list as CycloneDX's
 * spdx.schema.json has it); an id missing here only costs a NOASSERTION. */
#include "report/sbom_out.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static const char *const ids[] = {
	"0BSD", "AFL-2.1", "AFL-3.0", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "AML", "Apache-1.1",
	"Apache-2.0", "APSL-2.0", "Artistic-1.0", "Artistic-1.0-Perl", "Artistic-2.0", "Beerware", "blessing",
	"BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent", "BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-4-Clause",
	"BSD-4-Clause-UC", "BSD-Source-Code", "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0",
	"CC-BY-SA-4.0", "CC-PDDC", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "curl", "EPL-1.0", "EPL-2.0", "EUPL-1.2", "FTL",
	"GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later", "GPL-1.0", "GPL-1.0+",
	"GPL-1.0-only", "GPL-1.0-or-later", "GPL-2.0", "GPL-2.0+", "GPL-2.0-only", "GPL-2.0-or-later",
	"GPL-2.0-with-classpath-exception", "GPL-3.0", "GPL-3.0+", "GPL-3.0-only", "GPL-3.0-or-later", "HPND", "ICU",
	"IJG", "Info-ZIP", "ISC", "LGPL-2.0", "LGPL-2.0+", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1",
	"LGPL-2.1+", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0+", "LGPL-3.0-only",
	"LGPL-3.0-or-later", "Libpng", "libtiff", "MirOS", "MIT", "MIT-0", "MIT-CMU", "MIT-Modern-Variant", "MPL-1.1",
	"MPL-2.0", "MPL-2.0-no-copyleft-exception", "NCSA", "NTP", "OFL-1.1", "OLDAP-2.8", "OpenSSL",
	"OpenSSL-standalone", "PHP-3.0", "PHP-3.01", "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "Sleepycat",
	"Spencer-94", "TCL", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11",
	"Zlib", "zlib-acknowledgement", "ZPL-2.1",
};

static const char *const exceptions[] = {
	"Autoconf-exception-2.0", "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0",
	"Font-exception-2.0", "GCC-exception-2.0", "GCC-exception-3.1", "Libtool-exception", "Linux-syscall-note",
	"LLVM-exception", "Qt-LGPL-exception-1.1", "u-boot-exception-2.0", "WxWindows-exception-3.1",
};

const char *const *sbom_license_ids(size_t *n)
{
	*n = sizeof(ids) / sizeof(ids[0]);
	return ids;
}

const char *const *sbom_license_exceptions(size_t *n)
{
	*n = sizeof(exceptions) / sizeof(exceptions[0]);
	return exceptions;
}

struct lx {
	const char *tok[SBOM_LICENSE_MAX_TOKENS];
	size_t len[SBOM_LICENSE_MAX_TOKENS];
	size_t n, at;
	vigil_buf *out;
	size_t ids;
	bool ok;
};

/* The spelling in table t of the len bytes at s, or NULL. */
static const char *known(const char *const *t, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i]) == len && strncasecmp(t[i], s, len) == 0)
			return t[i];
	return NULL;
}

static bool is(const struct lx *x, const char *word)
{
	return x->at < x->n && x->len[x->at] == strlen(word) && !memcmp(x->tok[x->at], word, x->len[x->at]);
}

static void emit(struct lx *x, const char *s)
{
	if (vigil_buf_puts(x->out, s) < 0)
		x->ok = false;
}

static void parse_or(struct lx *x);

static void parse_with(struct lx *x)
{
	const char *id;
	size_t len;
	if (!x->ok || x->at >= x->n) {
		x->ok = false;
		return;
	}
	if (is(x, "(")) {
		x->at++;
		emit(x, "(");
		parse_or(x);
		if (!is(x, ")")) {
			x->ok = false;
			return;
		}
		x->at++;
		emit(x, ")");
		x->ids += 2; /* a parenthesised expression is never a single id */
		return;
	}
	len = x->len[x->at];
	id = known(ids, sizeof(ids) / sizeof(ids[0]), x->tok[x->at], len);
	if (!id && len > 1 && x->tok[x->at][len - 1] == '+' &&
	    (id = known(ids, sizeof(ids) / sizeof(ids[0]), x->tok[x->at], len - 1))) {
		emit(x, id);
		emit(x, "+");
		x->ids++; /* "ID+" is no license id of the list */
	} else if (id) {
		emit(x, id);
	} else {
		x->ok = false;
		return;
	}
	x->ids++;
	x->at++;
	if (is(x, "WITH")) {
		x->at++;
		const char *e = x->at < x->n ? known(exceptions, sizeof(exceptions) / sizeof(exceptions[0]),
						     x->tok[x->at], x->len[x->at]) : NULL;
		if (!e) {
			x->ok = false;
			return;
		}
		emit(x, " WITH ");
		emit(x, e);
		x->ids++;
		x->at++;
	}
}

static void parse_and(struct lx *x)
{
	parse_with(x);
	while (x->ok && is(x, "AND")) {
		x->at++;
		emit(x, " AND ");
		parse_with(x);
	}
}

static void parse_or(struct lx *x)
{
	parse_and(x);
	while (x->ok && is(x, "OR")) {
		x->at++;
		emit(x, " OR ");
		parse_and(x);
	}
}

/* Splits s at blanks and around parentheses; false past the limits. */
static bool tokenize(struct lx *x, const char *s)
{
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
			continue;
		}
		if (x->n == SBOM_LICENSE_MAX_TOKENS)
			return false;
		x->tok[x->n] = s;
		if (*s == '(' || *s == ')')
			s++;
		else
			while (*s && !strchr(" \t\n\r()", *s))
				s++;
		x->len[x->n] = (size_t)(s - x->tok[x->n]);
		x->n++;
	}
	return x->n > 0;
}

bool sbom_license_spdx(const char *text, vigil_buf *out, bool *single)
{
	struct lx x = { .out = out, .ok = true };
	size_t start = out->len;
	*single = false;
	if (!text || strlen(text) > SBOM_LICENSE_MAX_LEN || !tokenize(&x, text))
		return false;
	parse_or(&x);
	if (!x.ok || x.at != x.n) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return false;
	}
	*single = x.ids == 1;
	return true;
}
