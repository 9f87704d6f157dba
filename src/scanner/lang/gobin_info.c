/* scanner/lang/gobin_info.c: the module-info text of Go build info
 * (runtime/debug.ParseBuildInfo's format) into packages, as trivy's
 * pkg/dependency/parser/golang/binary/parse.go reports them:
 *  - "stdlib" v<Go version> ("go1.22.1 X:loopvar" -> v1.22.1);
 *  - each "dep" line, or the module of the "=>" line after it (its
 *    replacement); "(devel)" versions become empty;
 *  - the "mod" line (the main module): its version, or when that is
 *    "(devel)" (or a v0.0.0 pseudo-version), the version trivy takes from
 *    "build -ldflags=... -X <pkg>.version=<semver>" (see go_ldflags_version),
 *    or none. "path" without "mod" (GOPATH or single-file builds) gives no
 *    main module.
 * Lines are tab-separated: "path P", "mod P V [SUM]", "dep P V [SUM]",
 * "=> P V SUM", "build K=V" (K and V Go-quoted when they need it). */
#include "scanner/lang/gorust.h"
#include "scanner/lang/lang.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define GO_MAX_XFLAGS 64  /* -X settings looked at in -ldflags */
#define GO_MAX_WORDS 512  /* words of -ldflags */
#define GO_PURL_MAX (4 * (VIGIL_LANG_MAX_NAME + VIGIL_LANG_MAX_VERSION) + 64)

static const char go_info_start[16] = "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6";

static int go_purl_put(vigil_buf *b, vigil_slice s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (size_t i = 0; i < s.len && rc == 0; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_' || c == '~' || (keep_slash && c == '/')) {
			rc = vigil_buf_putc(b, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			rc = vigil_buf_append(b, esc, sizeof(esc));
		}
	}
	return rc;
}

int scan_lang_go_push(vigil_scan_ctx *ctx, vigil_slice name, vigil_slice version,
		      uint32_t flags, vigil_pkg_list *out)
{
	vigil_buf b;
	vigil_package *p;
	int rc;
	if (!scan_lang_token_ok(name, VIGIL_LANG_MAX_NAME) ||
	    (version.len && !scan_lang_token_ok(version, VIGIL_LANG_MAX_VERSION))) {
		scan_warn(ctx, "Go module %.*s: unusable name or version: skipped",
			  (int)(name.len > 80 ? 80 : name.len), name.ptr);
		return 0;
	}
	vigil_buf_init(&b, GO_PURL_MAX);
	rc = vigil_buf_puts(&b, "pkg:golang/");
	if (rc == 0)
		rc = go_purl_put(&b, name, true);
	if (rc == 0 && version.len) {
		rc = vigil_buf_putc(&b, '@');
		if (rc == 0)
			rc = go_purl_put(&b, version, false);
	}
	if (rc != 0) {
		rc = vigil_error_set(rc, "purl of %.*s: too long", (int)name.len, name.ptr);
		goto out;
	}
	if ((rc = scan_pkg_list_push(out, &p)) != 0)
		goto out;
	p->type = VIGIL_PKG_GO;
	p->flags = flags;
	p->name = scan_str(ctx, name.ptr, name.len);
	p->version = scan_str(ctx, version.ptr ? version.ptr : "", version.len);
	p->purl = scan_str(ctx, b.data, b.len);
	p->package_db = ctx->path ? scan_str(ctx, ctx->path, strlen(ctx->path)) : NULL;
	if (!p->name || !p->version || !p->purl || (ctx->path && !p->package_db)) {
		out->len--;
		rc = vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	}
out:
	vigil_buf_free(&b);
	return rc;
}

struct go_mod {
	vigil_slice path, version;
	bool set;
};

/* "P\tV[\tSUM]" (2 or 3 fields, as Go's readModuleLine). */
static bool go_mod_line(vigil_slice s, struct go_mod *m)
{
	vigil_slice f[4];
	size_t n = 0;
	vigil_slice rest = s;
	while (n < 4) {
		bool more = vigil_slice_split(rest, '\t', &f[n], &rest);
		n++;
		if (!more)
			break;
	}
	if (n != 2 && n != 3)
		return false;
	m->path = f[0];
	m->version = vigil_slice_eq_cstr(f[1], "(devel)") ? vigil_slice_make("", 0) : f[1];
	m->set = true;
	return true;
}

/* Go's semver.IsValid: vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]. */
static bool go_num(vigil_slice s, size_t *at)
{
	size_t b = *at;
	while (*at < s.len && s.ptr[*at] >= '0' && s.ptr[*at] <= '9')
		(*at)++;
	return *at > b && !(s.ptr[b] == '0' && *at - b > 1);
}

static bool go_idents(vigil_slice s, size_t *at, bool numcheck)
{
	for (;;) {
		size_t b = *at;
		bool digits = true;
		while (*at < s.len && ((s.ptr[*at] >= '0' && s.ptr[*at] <= '9') ||
				       (s.ptr[*at] >= 'a' && s.ptr[*at] <= 'z') ||
				       (s.ptr[*at] >= 'A' && s.ptr[*at] <= 'Z') || s.ptr[*at] == '-')) {
			digits = digits && s.ptr[*at] >= '0' && s.ptr[*at] <= '9';
			(*at)++;
		}
		if (*at == b || (numcheck && digits && s.ptr[b] == '0' && *at - b > 1))
			return false;
		if (*at < s.len && s.ptr[*at] == '.') {
			(*at)++;
			continue;
		}
		return true;
	}
}

static bool go_semver_ok(vigil_slice v)
{
	size_t at = 1;
	if (v.len < 2 || v.ptr[0] != 'v' || !go_num(v, &at))
		return false;
	if (at == v.len)
		return true;
	if (v.ptr[at++] != '.' || !go_num(v, &at))
		return false;
	if (at == v.len)
		return true;
	if (v.ptr[at++] != '.' || !go_num(v, &at))
		return false;
	if (at < v.len && v.ptr[at] == '-' && (++at, !go_idents(v, &at, true)))
		return false;
	if (at < v.len && v.ptr[at] == '+' && (++at, !go_idents(v, &at, false)))
		return false;
	return at == v.len;
}

static bool go_semver_either(vigil_slice v)
{
	char tmp[VIGIL_LANG_MAX_VERSION + 2];
	if (go_semver_ok(v))
		return true;
	if (v.len > VIGIL_LANG_MAX_VERSION)
		return false;
	tmp[0] = 'v';
	memcpy(tmp + 1, v.ptr, v.len);
	return go_semver_ok(vigil_slice_make(tmp, v.len + 1));
}

/* Splits -ldflags as shellwords does (quotes and backslashes) into words
 * written into buf; returns the count. */
static size_t go_shellwords(vigil_slice s, char *buf, vigil_slice *w, size_t max)
{
	size_t n = 0, o = 0, i = 0;
	while (i < s.len && n < max) {
		while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t' || s.ptr[i] == '\n'))
			i++;
		if (i == s.len)
			break;
		size_t start = o;
		char q = 0;
		for (; i < s.len; i++) {
			char c = s.ptr[i];
			if (!q && (c == ' ' || c == '\t' || c == '\n'))
				break;
			if (c == '\\' && q != '\'' && i + 1 < s.len) {
				buf[o++] = s.ptr[++i];
			} else if ((c == '"' || c == '\'') && (!q || q == c)) {
				q = q ? 0 : c;
			} else {
				buf[o++] = c;
			}
		}
		w[n++] = vigil_slice_make(buf + start, o - start);
	}
	return n;
}

static vigil_slice go_lower_prefix(vigil_slice key, char *tmp, size_t size)
{
	ptrdiff_t slash = vigil_slice_rfind(key, '/');
	vigil_slice s = slash > 0 ? vigil_slice_sub(key, (size_t)slash + 1, key.len) : key, head, tail;
	vigil_slice_split(s, '.', &head, &tail);
	size_t n = head.len < size ? head.len : size;
	for (size_t i = 0; i < n; i++)
		tmp[i] = (char)((head.ptr[i] >= 'A' && head.ptr[i] <= 'Z') ? head.ptr[i] + 32
									 : head.ptr[i]);
	return vigil_slice_make(tmp, n);
}

static bool go_is_version_key(vigil_slice k)
{
	static const char *sfx[] = { ".version", ".ver" };
	for (size_t j = 0; j < 2; j++) {
		size_t n = strlen(sfx[j]);
		if (k.len >= n && strncasecmp(k.ptr + k.len - n, sfx[j], n) == 0)
			return true;
	}
	return false;
}

struct go_xflags {
	vigil_slice keys[GO_MAX_XFLAGS], vals[GO_MAX_XFLAGS];
	size_t n;
};

/* Adds "k=v[,k2=v2]" (pflag's StringToString; a later key wins). */
static void go_xflag_add(struct go_xflags *x, vigil_slice v)
{
	vigil_slice item, rest = v, k, val;
	while (rest.len) {
		vigil_slice_split(rest, ',', &item, &rest);
		if (!vigil_slice_split(item, '=', &k, &val))
			return;
		while (k.len && k.ptr[0] == '\'')
			k = vigil_slice_sub(k, 1, k.len);
		while (val.len && val.ptr[val.len - 1] == '\'')
			val.len--;
		size_t j = 0;
		while (j < x->n && !vigil_slice_eq(x->keys[j], k))
			j++;
		if (j == GO_MAX_XFLAGS)
			return;
		x->keys[j] = k;
		x->vals[j] = val;
		x->n += j == x->n;
	}
}

/* The -X settings of -ldflags words, as pflag reads them with unknown
 * flags allowed (an unknown flag takes the next word unless it is a flag). */
static void go_xflags(vigil_slice *w, size_t nw, struct go_xflags *x)
{
	for (size_t i = 0; i < nw; i++) {
		if (vigil_slice_eq_cstr(w[i], "-X") && i + 1 < nw)
			go_xflag_add(x, w[++i]);
		else if (vigil_slice_starts_with(w[i], "-X="))
			go_xflag_add(x, vigil_slice_sub(w[i], 3, w[i].len));
		else if (vigil_slice_starts_with(w[i], "-X") && w[i].len > 2)
			go_xflag_add(x, vigil_slice_sub(w[i], 2, w[i].len));
		else if (w[i].len > 1 && w[i].ptr[0] == '-' && vigil_slice_find(w[i], '=') < 0 &&
			 !vigil_slice_eq_cstr(w[i], "-h") && i + 1 < nw && w[i + 1].len &&
			 w[i + 1].ptr[0] != '-')
			i++;
	}
}

/* 0: <main>/cmd/..., 1: a main/common/version/cmd package, 2: others. */
static int go_xflag_category(vigil_slice main_path, vigil_slice key)
{
	char tmp[16];
	vigil_slice pfx = go_lower_prefix(key, tmp, sizeof(tmp));
	if (key.len > main_path.len + 5 && memcmp(key.ptr, main_path.ptr, main_path.len) == 0 &&
	    memcmp(key.ptr + main_path.len, "/cmd/", 5) == 0)
		return 0;
	if (vigil_slice_eq_cstr(pfx, "main") || vigil_slice_eq_cstr(pfx, "common") ||
	    vigil_slice_eq_cstr(pfx, "version") || vigil_slice_eq_cstr(pfx, "cmd"))
		return 1;
	return 2;
}

/* trivy's ParseLDFlags: the -X settings whose key ends in .version/.ver
 * and whose value is semver; by category the first non-empty one, if it
 * holds exactly one (else none). buf: scratch for the words. */
static vigil_slice go_ldflags_version(vigil_slice main_path, vigil_slice flags, char *buf)
{
	vigil_slice w[GO_MAX_WORDS], found[3] = { { 0 } };
	struct go_xflags x = { .n = 0 };
	size_t count[3] = { 0 };
	go_xflags(w, go_shellwords(flags, buf, w, GO_MAX_WORDS), &x);
	for (size_t j = 0; j < x.n; j++) {
		if (!go_is_version_key(x.keys[j]) || !go_semver_either(x.vals[j]))
			continue;
		int cat = go_xflag_category(main_path, x.keys[j]);
		found[cat] = x.vals[j];
		count[cat]++;
	}
	for (int c = 0; c < 3; c++)
		if (count[c])
			return count[c] == 1 ? found[c] : vigil_slice_make("", 0);
	return vigil_slice_make("", 0);
}

/* A "build" value: Go-quoted ("...") when it holds spaces or quotes;
 * unquoted into buf (\" \\ \t \n kept simple). */
static vigil_slice go_unquote(vigil_slice v, char *buf)
{
	size_t o = 0;
	if (v.len < 2 || v.ptr[0] != '"' || v.ptr[v.len - 1] != '"')
		return v;
	for (size_t i = 1; i + 1 < v.len; i++) {
		char c = v.ptr[i];
		if (c == '\\' && i + 2 < v.len) {
			c = v.ptr[++i];
			c = c == 't' ? '\t' : c == 'n' ? '\n' : c;
		}
		buf[o++] = c;
	}
	return vigil_slice_make(buf, o);
}

/* What the lines say besides the deps (pushed as they are read). */
struct go_info {
	struct go_mod main, last_dep;
	vigil_slice ldflags;
	size_t lineno;
};

static int go_flush_dep(vigil_scan_ctx *ctx, struct go_info *gi, vigil_pkg_list *out)
{
	int rc = 0;
	if (gi->last_dep.set && gi->last_dep.path.len)
		rc = scan_lang_go_push(ctx, gi->last_dep.path, gi->last_dep.version, 0, out);
	gi->last_dep = (struct go_mod){ 0 };
	return rc;
}

/* One line; a dep is pushed when the next line shows it has no "=>". */
static int go_info_line(vigil_scan_ctx *ctx, struct go_info *gi, vigil_slice line,
			vigil_pkg_list *out)
{
	struct go_mod m = { 0 };
	int rc;
	if (vigil_slice_starts_with(line, "mod\t")) {
		if (!go_mod_line(vigil_slice_sub(line, 4, line.len), &gi->main))
			return 1;
		return go_flush_dep(ctx, gi, out);
	}
	if (vigil_slice_starts_with(line, "dep\t")) {
		if (!go_mod_line(vigil_slice_sub(line, 4, line.len), &m))
			return 1;
		if ((rc = go_flush_dep(ctx, gi, out)) < 0)
			return rc;
		gi->last_dep = m;
		return 0;
	}
	if (vigil_slice_starts_with(line, "=>\t")) {
		if (!go_mod_line(vigil_slice_sub(line, 3, line.len), &m) ||
		    (!gi->last_dep.set && !gi->main.set))
			return 1;
		/* trivy reports the main module as built, not its replacement */
		if (gi->last_dep.set)
			gi->last_dep.path = m.path, gi->last_dep.version = m.version;
		return 0;
	}
	if (vigil_slice_starts_with(line, "build\t-ldflags="))
		gi->ldflags = vigil_slice_sub(line, 15, line.len);
	return 0;
}

/* "stdlib" v<version>: "go1.22.1 X:loopvar" -> "v1.22.1". */
static int go_push_stdlib(vigil_scan_ctx *ctx, vigil_slice gv, vigil_pkg_list *out)
{
	char vbuf[VIGIL_GOBIN_MAX_VERSION + 2];
	vigil_slice rest;
	if (vigil_slice_starts_with(gv, "go"))
		gv = vigil_slice_sub(gv, 2, gv.len);
	vigil_slice_split(gv, ' ', &gv, &rest);
	vbuf[0] = 'v';
	memcpy(vbuf + 1, gv.ptr, gv.len);
	return scan_lang_go_push(ctx, vigil_slice_cstr("stdlib"), vigil_slice_make(vbuf, gv.len + 1),
				 0, out);
}

/* The main module: its version, or trivy's -ldflags fallback. */
static int go_push_main(vigil_scan_ctx *ctx, const struct go_info *gi, vigil_pkg_list *out)
{
	vigil_slice v = gi->main.version, ldv = { 0 }, flags = gi->ldflags;
	char *scratch = NULL;
	int rc;
	if (flags.len) {
		if (!(scratch = malloc(2 * flags.len + 2)))
			return vigil_error_oom();
		flags = go_unquote(flags, scratch + flags.len + 1);
		ldv = go_ldflags_version(gi->main.path, flags, scratch);
	}
	if (v.len == 0 || (vigil_slice_starts_with(v, "v0.0.0") && ldv.len))
		v = ldv;
	rc = scan_lang_go_push(ctx, gi->main.path, v, 0, out);
	free(scratch);
	return rc;
}

int scan_lang_gobin_modinfo(vigil_scan_ctx *ctx, vigil_slice goversion, vigil_slice modinfo,
			    vigil_pkg_list *out)
{
	struct go_info gi = { .lineno = 0 };
	vigil_slice mod = modinfo, line;
	int rc = 0;
	if (goversion.len == 0 || goversion.len > VIGIL_GOBIN_MAX_VERSION)
		return vigil_error_set(VIGIL_EFORMAT, "Go build info: no Go version");
	if (mod.len >= 16 && memcmp(mod.ptr, go_info_start, 16) == 0) {
		if (mod.len < 33 || mod.ptr[mod.len - 17] != '\n')
			return vigil_error_set(VIGIL_EFORMAT, "Go build info: bad module info framing");
		mod = vigil_slice_sub(mod, 16, mod.len - 32);
	}
	while (vigil_slice_next_line(&mod, &line)) {
		gi.lineno++;
		if ((rc = go_info_line(ctx, &gi, line, out)) < 0)
			return rc;
		if (rc > 0)
			return vigil_error_set(VIGIL_EFORMAT,
					       "Go build info: module info line %zu: malformed",
					       gi.lineno);
	}
	if ((rc = go_flush_dep(ctx, &gi, out)) < 0 || (rc = go_push_stdlib(ctx, goversion, out)) < 0)
		return rc;
	if (gi.main.set && gi.main.path.len)
		rc = go_push_main(ctx, &gi, out);
	return rc;
}
