/* scanner/osrelease.c: reads which distribution an image is from. The main
 * source is os-release(5) (etc/os-release, usr/lib/os-release): lines of
 * KEY=value with shell-style quoting, read here exactly as the man page
 * specifies (double quotes with \$ \" \\ \` escapes, single quotes, bare
 * words, comments, blank lines; no expansion, no concatenation). Older
 * images only have a fallback: etc/lsb-release (same syntax, DISTRIB_*
 * keys), etc/debian_version ("12.5", "bookworm/sid"), etc/alpine-release
 * ("3.18.4") or etc/redhat-release and etc/system-release ("CentOS Linux
 * release 7.9.2009 (Core)"). Every value is interned in ctx->strings; an
 * empty value is stored as NULL. See docs/packages.md. */
#include "scanner/scanner.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/slice.h"

#include <stdio.h>
#include <string.h>

/* The largest release file read (real ones are well under 2 KiB). */
#define VIGIL_RELEASE_MAX_SIZE (64 * 1024)
/* The most lines in one release file. */
#define VIGIL_RELEASE_MAX_LINES 1024
/* The longest KEY of an assignment. */
#define VIGIL_RELEASE_MAX_KEY 128
/* The longest value (after unquoting) of an assignment or one-line file. */
#define VIGIL_RELEASE_MAX_VALUE 2048

typedef int (*assign_fn)(void *ud, vigil_slice key, vigil_slice value, size_t line);

/* ---- text checks shared by every kind ---- */

static size_t line_of(const char *p, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += p[i] == '\n';
	return line;
}


/* Size, NUL bytes, UTF-8 and line count of a whole release file. */
static int check_text(const char *data, size_t len)
{
	if (len > VIGIL_RELEASE_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "release file of %zu bytes (limit %d)", len,
				       VIGIL_RELEASE_MAX_SIZE);
	const char *nul = len ? memchr(data, '\0', len) : NULL;
	if (nul)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: NUL byte",
				       line_of(data, (size_t)(nul - data)));
	size_t ok = vigil_utf8_prefix(data, len);
	if (ok < len)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: invalid UTF-8", line_of(data, ok));
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += data[i] == '\n';
	if (len && data[len - 1] != '\n')
		lines++;
	if (lines > VIGIL_RELEASE_MAX_LINES)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d lines", VIGIL_RELEASE_MAX_LINES);
	return 0;
}

/* ---- shell-style assignments (os-release, lsb-release) ---- */

struct sh {
	const char *p;
	size_t len, pos, line;
	vigil_slice key;
	char buf[VIGIL_RELEASE_MAX_VALUE];
	size_t n;
};

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
static bool is_key_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static bool is_key_char(char c) { return is_key_start(c) || (c >= '0' && c <= '9'); }

static int sh_error(struct sh *s, int code, size_t line, const char *what)
{
	return vigil_error_set(code, "line %zu: %.*s: %s", line, (int)s->key.len, s->key.ptr, what);
}

static int sh_put(struct sh *s, char c)
{
	if (s->n >= VIGIL_RELEASE_MAX_VALUE)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: %.*s: value longer than %d bytes",
				       s->line, (int)s->key.len, s->key.ptr, VIGIL_RELEASE_MAX_VALUE);
	s->buf[s->n++] = c;
	return 0;
}

/* "...": backslash escapes $ " \ ` and joins lines; other backslashes stay. */
static int sh_double(struct sh *s)
{
	size_t start = s->line;
	int rc;
	s->pos++;
	while (s->pos < s->len) {
		char c = s->p[s->pos++];
		if (c == '"')
			return 0;
		if (c == '\\' && s->pos < s->len) {
			char e = s->p[s->pos];
			if (e == '\n') {
				s->pos++;
				s->line++;
				continue;
			}
			if (e == '$' || e == '"' || e == '\\' || e == '`') {
				s->pos++;
				c = e;
			}
		} else if (c == '\n') {
			s->line++;
		}
		if ((rc = sh_put(s, c)) < 0)
			return rc;
	}
	return sh_error(s, VIGIL_EFORMAT, start, "unterminated double quote");
}

/* '...': everything is literal up to the next single quote. */
static int sh_single(struct sh *s)
{
	size_t start = s->line;
	int rc;
	s->pos++;
	while (s->pos < s->len) {
		char c = s->p[s->pos++];
		if (c == '\'')
			return 0;
		if (c == '\n')
			s->line++;
		if ((rc = sh_put(s, c)) < 0)
			return rc;
	}
	return sh_error(s, VIGIL_EFORMAT, start, "unterminated single quote");
}

/* A bare word: ends at a blank or newline; a backslash escapes any byte. */
static int sh_bare(struct sh *s)
{
	int rc;
	while (s->pos < s->len) {
		char c = s->p[s->pos];
		if (is_blank(c) || c == '\n')
			return 0;
		s->pos++;
		switch (c) {
		case '\\':
			if (s->pos >= s->len)
				return sh_error(s, VIGIL_EFORMAT, s->line, "backslash at the end of the file");
			c = s->p[s->pos++];
			if (c == '\n') {
				s->line++;
				continue;
			}
			break;
		case '"':
		case '\'':
			return sh_error(s, VIGIL_EFORMAT, s->line,
					"quote inside an unquoted value (concatenation is not supported)");
		case ';': case '&': case '|': case '<': case '>': case '(': case ')':
			return sh_error(s, VIGIL_EFORMAT, s->line,
					"unquoted shell special character (the value must be quoted)");
		default:
			break;
		}
		if ((rc = sh_put(s, c)) < 0)
			return rc;
	}
	return 0;
}

/* After a value: blanks, then an optional "# comment", then the line end. */
static int sh_end(struct sh *s)
{
	size_t start = s->pos;
	while (s->pos < s->len && is_blank(s->p[s->pos]))
		s->pos++;
	if (s->pos < s->len && s->p[s->pos] == '#' && s->pos > start)
		while (s->pos < s->len && s->p[s->pos] != '\n')
			s->pos++;
	if (s->pos >= s->len)
		return 0;
	if (s->p[s->pos] == '\n') {
		s->pos++;
		s->line++;
		return 0;
	}
	return sh_error(s, VIGIL_EFORMAT, s->line,
			"text after the value (a second word or a concatenation)");
}

static int sh_assignment(struct sh *s, assign_fn fn, void *ud)
{
	size_t line = s->line, k0 = s->pos;
	int rc;
	while (s->pos < s->len && is_key_char(s->p[s->pos]))
		s->pos++;
	s->key = vigil_slice_make(s->p + k0, s->pos - k0);
	if (s->key.len > VIGIL_RELEASE_MAX_KEY)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: key longer than %d bytes", line,
				       VIGIL_RELEASE_MAX_KEY);
	if (s->pos >= s->len || s->p[s->pos] != '=')
		return sh_error(s, VIGIL_EFORMAT, line, "not a KEY=value assignment (no '=' after the key)");
	s->pos++;
	s->n = 0;
	if (s->pos < s->len && s->p[s->pos] == '"')
		rc = sh_double(s);
	else if (s->pos < s->len && s->p[s->pos] == '\'')
		rc = sh_single(s);
	else
		rc = sh_bare(s);
	if (rc < 0 || (rc = sh_end(s)) < 0)
		return rc;
	return fn(ud, s->key, vigil_slice_make(s->buf, s->n), line);
}

/* Runs fn on every assignment of a shell-style file, in file order. */
static int sh_parse(const char *data, size_t len, assign_fn fn, void *ud)
{
	struct sh s = { .p = data, .len = len, .pos = 0, .line = 1 };
	int rc = check_text(data, len);
	if (rc < 0)
		return rc;
	while (s.pos < len) {
		char c = data[s.pos];
		if (is_blank(c)) {
			s.pos++;
		} else if (c == '\n') {
			s.pos++;
			s.line++;
		} else if (c == '#') {
			while (s.pos < len && data[s.pos] != '\n')
				s.pos++;
		} else if (!is_key_start(c)) {
			return vigil_error_set(VIGIL_EFORMAT,
					       "line %zu: not a KEY=value assignment (a key is [A-Za-z_][A-Za-z0-9_]*)",
					       s.line);
		} else if ((rc = sh_assignment(&s, fn, ud)) < 0) {
			return rc;
		}
	}
	return 0;
}

/* ---- mapping into vigil_distribution ---- */

struct rel {
	vigil_scan_ctx *ctx;
	vigil_distribution d;
	const char *ubuntu_codename;
};

/* Interns v into *out; an empty value is NULL. */
static int put_str(vigil_scan_ctx *ctx, vigil_slice v, const char **out)
{
	if (v.len == 0) {
		*out = NULL;
		return 0;
	}
	*out = scan_str(ctx, v.ptr, v.len);
	if (!*out)
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	return 0;
}

static int put_lower(vigil_scan_ctx *ctx, vigil_slice v, const char **out)
{
	char low[VIGIL_RELEASE_MAX_VALUE];
	if (v.len > sizeof(low))
		v.len = sizeof(low);
	for (size_t i = 0; i < v.len; i++) {
		char c = v.ptr[i];
		low[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	return put_str(ctx, vigil_slice_make(low, v.len), out);
}

static const char **os_release_field(struct rel *r, vigil_slice key)
{
	vigil_distribution *d = &r->d;
	if (vigil_slice_eq_cstr(key, "ID")) return &d->did;
	if (vigil_slice_eq_cstr(key, "NAME")) return &d->name;
	if (vigil_slice_eq_cstr(key, "VERSION")) return &d->version;
	if (vigil_slice_eq_cstr(key, "VERSION_ID")) return &d->version_id;
	if (vigil_slice_eq_cstr(key, "VERSION_CODENAME")) return &d->version_code_name;
	if (vigil_slice_eq_cstr(key, "UBUNTU_CODENAME")) return &r->ubuntu_codename;
	if (vigil_slice_eq_cstr(key, "ID_LIKE")) return &d->id_like;
	if (vigil_slice_eq_cstr(key, "PRETTY_NAME")) return &d->pretty_name;
	if (vigil_slice_eq_cstr(key, "CPE_NAME")) return &d->cpe;
	return NULL;
}

static int on_os_release(void *ud, vigil_slice key, vigil_slice value, size_t line)
{
	struct rel *r = ud;
	const char **field = os_release_field(r, key);
	return field ? put_str(r->ctx, value, field) : 0;
}

static int on_lsb(void *ud, vigil_slice key, vigil_slice value, size_t line)
{
	struct rel *r = ud;
	vigil_distribution *d = &r->d;
	int rc;
	if (vigil_slice_eq_cstr(key, "DISTRIB_ID")) {
		if ((rc = put_lower(r->ctx, value, &d->did)) < 0)
			return rc;
		return put_str(r->ctx, value, &d->name);
	}
	if (vigil_slice_eq_cstr(key, "DISTRIB_RELEASE"))
		return put_str(r->ctx, value, &d->version_id);
	if (vigil_slice_eq_cstr(key, "DISTRIB_CODENAME"))
		return put_str(r->ctx, value, &d->version_code_name);
	if (vigil_slice_eq_cstr(key, "DISTRIB_DESCRIPTION"))
		return put_str(r->ctx, value, &d->pretty_name);
	return 0;
}

/* ---- one-line files (debian_version, alpine-release, redhat-release) ---- */

/* The only line of text of a file (surrounding blank lines are fine). */
static int one_line(const char *data, size_t len, vigil_slice *out)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	size_t n = 0;
	bool have = false;
	int rc = check_text(data, len);
	if (rc < 0)
		return rc;
	while (vigil_slice_next_line(&in, &line)) {
		n++;
		line = vigil_slice_trim(line);
		if (line.len == 0)
			continue;
		if (have)
			return vigil_error_set(VIGIL_EFORMAT, "line %zu: a second line of text", n);
		if (line.len > VIGIL_RELEASE_MAX_VALUE)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: longer than %d bytes", n,
					       VIGIL_RELEASE_MAX_VALUE);
		*out = line;
		have = true;
	}
	if (!have)
		return vigil_error_set(VIGIL_EFORMAT, "line 1: empty file");
	return 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True when every byte of v is alphanumeric or in extra. */
static bool only(vigil_slice v, const char *extra)
{
	for (size_t i = 0; i < v.len; i++)
		if (!is_alnum(v.ptr[i]) && (v.ptr[i] == '\0' || !strchr(extra, v.ptr[i])))
			return false;
	return true;
}

/* Debian releases: 4 and later number point releases X.Y under release X;
 * before that X.Y was itself the release. */
static const struct {
	const char *id, *codename;
} debian_releases[] = {
	{ "1.1", "buzz" },   { "1.2", "rex" },     { "1.3", "bo" },        { "2.0", "hamm" },
	{ "2.1", "slink" },  { "2.2", "potato" },  { "3.0", "woody" },     { "3.1", "sarge" },
	{ "4", "etch" },     { "5", "lenny" },     { "6", "squeeze" },     { "7", "wheezy" },
	{ "8", "jessie" },   { "9", "stretch" },   { "10", "buster" },     { "11", "bullseye" },
	{ "12", "bookworm" }, { "13", "trixie" },  { "14", "forky" },      { "15", "duke" },
};

static int parse_debian_version(struct rel *r, const char *data, size_t len)
{
	vigil_slice v, id;
	int rc = one_line(data, len, &v);
	if (rc < 0)
		return rc;
	if (!only(v, ".+~_/-"))
		return vigil_error_set(VIGIL_EFORMAT, "line 1: '%.*s' is not a Debian version or codename",
				       (int)v.len, v.ptr);
	if ((rc = put_str(r->ctx, VIGIL_SLICE_LIT("debian"), &r->d.did)) < 0 ||
	    (rc = put_str(r->ctx, v, &r->d.version)) < 0)
		return rc;
	if (!is_digit(v.ptr[0])) {
		/* "bookworm/sid": testing or unstable; the codename is a guess. */
		vigil_slice name, rest;
		vigil_slice_split(v, '/', &name, &rest);
		for (size_t i = 0; i < name.len; i++)
			if (name.ptr[i] < 'a' || name.ptr[i] > 'z')
				return 0;
		return put_str(r->ctx, name, &r->d.version_code_name);
	}
	size_t i = 0;
	while (i < v.len && is_digit(v.ptr[i]))
		i++;
	if (i > 4)
		return vigil_error_set(VIGIL_EFORMAT, "line 1: '%.*s': major version too large",
				       (int)v.len, v.ptr);
	id = vigil_slice_sub(v, 0, i);
	if ((i == 1 && v.ptr[0] < '4') && i + 1 < v.len && v.ptr[i] == '.' && is_digit(v.ptr[i + 1])) {
		size_t j = i + 1;
		while (j < v.len && is_digit(v.ptr[j]))
			j++;
		id = vigil_slice_sub(v, 0, j);
	}
	if ((rc = put_str(r->ctx, id, &r->d.version_id)) < 0)
		return rc;
	for (size_t k = 0; k < sizeof(debian_releases) / sizeof(debian_releases[0]); k++)
		if (vigil_slice_eq_cstr(id, debian_releases[k].id))
			return put_str(r->ctx, vigil_slice_cstr(debian_releases[k].codename),
				       &r->d.version_code_name);
	return 0;
}

static int parse_alpine_release(struct rel *r, const char *data, size_t len)
{
	vigil_slice v;
	int rc = one_line(data, len, &v);
	if (rc < 0)
		return rc;
	if (!is_digit(v.ptr[0]) || !only(v, "._-+~"))
		return vigil_error_set(VIGIL_EFORMAT, "line 1: '%.*s' is not an Alpine version",
				       (int)v.len, v.ptr);
	if ((rc = put_str(r->ctx, VIGIL_SLICE_LIT("alpine"), &r->d.did)) < 0)
		return rc;
	return put_str(r->ctx, v, &r->d.version_id);
}

/* "<name> release <version> [(<codename>)]": name prefix -> ID as in os-release. */
static const struct {
	const char *prefix, *id;
	bool major_only; /* os-release VERSION_ID is only the major version */
} redhat_names[] = {
	{ "Red Hat Enterprise Linux", "rhel", false },
	{ "CentOS", "centos", true },
	{ "Amazon Linux", "amzn", false },
	{ "Fedora", "fedora", false },
	{ "Rocky Linux", "rocky", false },
	{ "AlmaLinux", "almalinux", false },
	{ "Oracle Linux", "ol", false },
	{ "Scientific Linux", "scientific", false },
	{ "CloudLinux", "cloudlinux", false },
	{ "EuroLinux", "eurolinux", false },
	{ "openEuler", "openEuler", false },
};

static int parse_redhat_release(struct rel *r, const char *data, size_t len)
{
	static const char sep[] = " release ";
	vigil_slice v, name, rest, ver, tail;
	size_t at = 0, n = sizeof(sep) - 1;
	int rc = one_line(data, len, &v);
	if (rc < 0)
		return rc;
	while (at + n <= v.len && memcmp(v.ptr + at, sep, n) != 0)
		at++;
	if (at + n > v.len)
		return vigil_error_set(VIGIL_EFORMAT, "line 1: no '<name> release <version>' in '%.*s'",
				       (int)(v.len > 200 ? 200 : v.len), v.ptr);
	name = vigil_slice_trim(vigil_slice_sub(v, 0, at));
	rest = vigil_slice_trim(vigil_slice_sub(v, at + n, v.len));
	vigil_slice_split(rest, ' ', &ver, &tail);
	if (!name.len || !ver.len || !is_digit(ver.ptr[0]) || !only(ver, "._-+~"))
		return vigil_error_set(VIGIL_EFORMAT, "line 1: no '<name> release <version>' in '%.*s'",
				       (int)(v.len > 200 ? 200 : v.len), v.ptr);
	if ((rc = put_str(r->ctx, name, &r->d.name)) < 0 ||
	    (rc = put_str(r->ctx, rest, &r->d.version)) < 0 ||
	    (rc = put_str(r->ctx, v, &r->d.pretty_name)) < 0)
		return rc;
	for (size_t k = 0; k < sizeof(redhat_names) / sizeof(redhat_names[0]); k++) {
		if (!vigil_slice_starts_with(name, redhat_names[k].prefix))
			continue;
		if (redhat_names[k].major_only) {
			ptrdiff_t dot = vigil_slice_find(ver, '.');
			if (dot > 0)
				ver.len = (size_t)dot;
		}
		if ((rc = put_str(r->ctx, vigil_slice_cstr(redhat_names[k].id), &r->d.did)) < 0)
			return rc;
		break;
	}
	return put_str(r->ctx, ver, &r->d.version_id);
}

static bool all_digits(vigil_slice v)
{
	for (size_t i = 0; i < v.len; i++)
		if (!is_digit(v.ptr[i]))
			return false;
	return v.len > 0 && v.len <= 4;
}

/* etc/SuSE-release (SLES 11 and older, openSUSE up to 42.3; deprecated since):
 *   SUSE Linux Enterprise Server 11 (x86_64)
 *   VERSION = 11
 *   PATCHLEVEL = 4
 * -> ID "sles" (sled, opensuse-leap for openSUSE 42, opensuse before),
 * VERSION_ID "11.4" (as os-release writes SP4), PRETTY_NAME the first line. */
static int parse_suse_release(struct rel *r, const char *data, size_t len)
{
	static const struct {
		const char *prefix, *id;
	} names[] = {
		{ "SUSE Linux Enterprise Server", "sles" },
		{ "SUSE Linux Enterprise Desktop", "sled" },
		{ "openSUSE", "opensuse" },
	};
	vigil_slice in = vigil_slice_make(data, len), line, first = { 0 }, ver = { 0 }, patch = { 0 };
	size_t n = 0;
	int rc = check_text(data, len);
	if (rc < 0)
		return rc;
	while (vigil_slice_next_line(&in, &line)) {
		vigil_slice k, v;
		line = vigil_slice_trim(line);
		if (++n == 1) {
			first = line;
			continue;
		}
		if (!line.len || line.ptr[0] == '#' || !vigil_slice_split(line, '=', &k, &v))
			continue;
		k = vigil_slice_trim(k), v = vigil_slice_trim(v);
		if (vigil_slice_eq_cstr(k, "VERSION"))
			ver = v;
		else if (vigil_slice_eq_cstr(k, "PATCHLEVEL"))
			patch = v;
	}
	if (!first.len || !ver.len || !is_digit(ver.ptr[0]) || !only(ver, ".") ||
	    (patch.len && !all_digits(patch)))
		return vigil_error_set(VIGIL_EFORMAT, "no '<name>' line and 'VERSION = <n>' in SuSE-release");
	ptrdiff_t paren = vigil_slice_find(first, '(');
	vigil_slice name = vigil_slice_trim(paren > 0 ? vigil_slice_sub(first, 0, (size_t)paren) : first);
	if ((rc = put_str(r->ctx, name, &r->d.name)) < 0 || (rc = put_str(r->ctx, first, &r->d.pretty_name)) < 0 ||
	    (rc = put_str(r->ctx, ver, &r->d.version)) < 0)
		return rc;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (!vigil_slice_starts_with(name, names[k].prefix))
			continue;
		const char *id = names[k].id;
		if (!strcmp(id, "opensuse") && ver.len >= 2 && memcmp(ver.ptr, "42", 2) == 0)
			id = "opensuse-leap";
		if ((rc = put_str(r->ctx, vigil_slice_cstr(id), &r->d.did)) < 0)
			return rc;
		break;
	}
	if (patch.len && !vigil_slice_eq_cstr(patch, "0") && vigil_slice_find(ver, '.') < 0) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%.*s.%.*s", (int)(ver.len < 16 ? ver.len : 16), ver.ptr,
			 (int)(patch.len < 16 ? patch.len : 16), patch.ptr);
		return put_str(r->ctx, vigil_slice_cstr(buf), &r->d.version_id);
	}
	return put_str(r->ctx, ver, &r->d.version_id);
}

int scan_release_parse(vigil_scan_ctx *ctx, vigil_release_kind kind, const char *data,
			size_t len, vigil_distribution *out)
{
	struct rel r;
	int rc;
	if (!ctx || !out || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "scan_release_parse: bad argument");
	memset(&r, 0, sizeof(r));
	memset(out, 0, sizeof(*out));
	r.ctx = ctx;
	switch (kind) {
	case VIGIL_RELEASE_OS_RELEASE:
		rc = sh_parse(data, len, on_os_release, &r);
		if (rc == 0 && !r.d.version_code_name)
			r.d.version_code_name = r.ubuntu_codename;
		break;
	case VIGIL_RELEASE_LSB:
		rc = sh_parse(data, len, on_lsb, &r);
		break;
	case VIGIL_RELEASE_DEBIAN_VERSION:
		rc = parse_debian_version(&r, data, len);
		break;
	case VIGIL_RELEASE_ALPINE:
		rc = parse_alpine_release(&r, data, len);
		break;
	case VIGIL_RELEASE_REDHAT:
	case VIGIL_RELEASE_SYSTEM:
		rc = parse_redhat_release(&r, data, len);
		break;
	case VIGIL_RELEASE_SUSE:
		rc = parse_suse_release(&r, data, len);
		break;
	default:
		return vigil_error_set(VIGIL_EINVAL, "unknown release file kind %d", (int)kind);
	}
	if (rc < 0)
		return rc;
	if (ctx->path && (rc = put_str(ctx, vigil_slice_cstr(ctx->path), &r.d.source_file)) < 0)
		return rc;
	*out = r.d;
	return 0;
}
