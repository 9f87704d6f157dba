/* scanner/lang/purl.c: package URLs (github.com/package-url/purl-spec) for
 * language packages, and the token check the language parsers share.
 *
 * Only what vigil's ecosystems need: type "pypi" or "npm", an optional
 * namespace (the npm scope, "@babel" -> "%40babel"), a name and a version;
 * no qualifiers or subpath. Every byte outside the unreserved set
 * [A-Za-z0-9.-_~] is written as %XX (upper-case hex), so "1.0+local"
 * becomes "1.0%2Blocal" as the reference implementations write it. */
#include "scanner/lang/lang.h"
#include "util/buf.h"
#include "util/error.h"

/* The longest purl built (name, version and escapes, with room). */
#define VIGIL_LANG_PURL_MAX (4 * (VIGIL_LANG_MAX_NAME + VIGIL_LANG_MAX_VERSION) + 64)

bool scan_lang_token_ok(vigil_slice v, size_t max)
{
	if (v.len == 0 || v.len > max)
		return false;
	for (size_t i = 0; i < v.len; i++)
		if ((unsigned char)v.ptr[i] <= 0x20 || (unsigned char)v.ptr[i] >= 0x7F)
			return false;
	return true;
}

static bool purl_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_' || c == '~';
}

static int purl_put(vigil_buf *b, vigil_slice s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (size_t i = 0; i < s.len && rc == 0; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (purl_unreserved(c)) {
			rc = vigil_buf_putc(b, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			rc = vigil_buf_append(b, esc, sizeof(esc));
		}
	}
	return rc;
}

const char *scan_lang_purl(vigil_scan_ctx *ctx, const char *type, vigil_slice name,
			   vigil_slice version)
{
	vigil_buf b;
	vigil_slice ns = { name.ptr, 0 }, base = name;
	const char *out = NULL;
	int rc;
	/* "@scope/name": the scope is the namespace. */
	if (name.len > 0 && name.ptr[0] == '@' && vigil_slice_find(name, '/') > 0) {
		ptrdiff_t slash = vigil_slice_find(name, '/');
		ns = vigil_slice_sub(name, 0, (size_t)slash);
		base = vigil_slice_sub(name, (size_t)slash + 1, name.len);
	}
	vigil_buf_init(&b, VIGIL_LANG_PURL_MAX);
	rc = vigil_buf_printf(&b, "pkg:%s/", type);
	if (rc == 0 && ns.len > 0) {
		rc = purl_put(&b, ns);
		if (rc == 0)
			rc = vigil_buf_putc(&b, '/');
	}
	if (rc == 0)
		rc = purl_put(&b, base);
	if (rc == 0 && version.len > 0) {
		rc = vigil_buf_putc(&b, '@');
		if (rc == 0)
			rc = purl_put(&b, version);
	}
	if (rc != 0) {
		vigil_error_set(rc, "purl of %.*s: too long", (int)name.len, name.ptr);
		goto out;
	}
	out = scan_str(ctx, b.data, b.len);
out:
	vigil_buf_free(&b);
	return out;
}
