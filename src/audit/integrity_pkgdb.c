/* audit/integrity_pkgdb.c: the file checksums of apk (lib/apk/db/installed:
 * R: files with their Z: checksums) and of rpm (FILEDIGESTS of every header,
 * through scanner/rpm_header.c's file_detail hook); audit/integrity.h. */
#include "audit/integrity.h"
#include "util/base64.h"
#include "util/digest.h"
#include "util/error.h"

#include <string.h>

/* ---- apk ---- */

struct apk_state {
	integ_item cur;        /* the pending R: file (cur.path.len 0: none) */
	vigil_slice pkg, dir;
	integ_emit emit;
	void *ud;
};

/* "Q1<base64 sha1>", "Q2<base64 sha256>", or 32 hex digits (md5 of old apk). */
static int apk_checksum(vigil_slice v, integ_item *it, size_t lno)
{
	size_t n = 0;
	if (v.len == 32 && vigil_hex_decode(v, it->digest, 16)) {
		it->algo = INTEG_MD5;
		return 0;
	}
	if (v.len > 2 && v.ptr[0] == 'Q' && (v.ptr[1] == '1' || v.ptr[1] == '2')) {
		size_t want = v.ptr[1] == '1' ? 20 : 32;
		if (vigil_base64_decode(v.ptr + 2, v.len - 2, 0, it->digest, sizeof(it->digest), &n) == 0 &&
		    n == want) {
			it->algo = want == 20 ? INTEG_SHA1 : INTEG_SHA256;
			return 0;
		}
	}
	return vigil_error_set(VIGIL_EFORMAT, "line %zu: Z: \"%.*s\" is not a Q1/Q2 checksum", lno,
			       (int)(v.len > 64 ? 64 : v.len), v.ptr);
}

/* "a:UID:GID:MODE" (MODE in octal) of the pending file. */
static int apk_acl(vigil_slice v, integ_item *it, size_t lno)
{
	ptrdiff_t c = vigil_slice_rfind(v, ':');
	uint32_t mode = 0;
	vigil_slice m = c >= 0 ? vigil_slice_sub(v, (size_t)c + 1, v.len) : vigil_slice_make("", 0);
	for (size_t i = 0; i < m.len && mode <= 07777; i++)
		mode = m.ptr[i] >= '0' && m.ptr[i] <= '7' ? mode * 8 + (uint32_t)(m.ptr[i] - '0') : 010000;
	if (m.len == 0 || mode > 07777)
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: a: \"%.*s\" is not UID:GID:MODE", lno,
				       (int)(v.len > 64 ? 64 : v.len), v.ptr);
	it->mode = (uint16_t)mode;
	return 0;
}

/* The pending file goes out (when it has a checksum). */
static int apk_flush(struct apk_state *a)
{
	int rc = 0;
	if (a->cur.path.len && a->cur.algo != INTEG_NONE)
		rc = a->emit(a->ud, &a->cur);
	memset(&a->cur, 0, sizeof(a->cur));
	return rc;
}

static int apk_line(struct apk_state *a, vigil_slice line, size_t lno, char *path)
{
	int rc;
	if (line.len == 0) {
		rc = apk_flush(a);
		a->pkg = a->dir = vigil_slice_make("", 0);
		return rc;
	}
	if (line.len < 2 || line.ptr[1] != ':')
		return vigil_error_set(VIGIL_EFORMAT, "line %zu: not \"X:value\"", lno);
	vigil_slice v = vigil_slice_sub(line, 2, line.len);
	switch (line.ptr[0]) {
	case 'P':
		if (v.len > INTEG_MAX_NAME)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: package name longer than %d bytes",
					       lno, INTEG_MAX_NAME);
		a->pkg = v;
		return 0;
	case 'F':
		if ((rc = apk_flush(a)) != 0)
			return rc;
		a->dir = v;
		return 0;
	case 'R':
		if ((rc = apk_flush(a)) != 0)
			return rc;
		if (!a->pkg.len)
			return vigil_error_set(VIGIL_EFORMAT, "line %zu: R: before the entry's P:", lno);
		if (v.len == 0 || a->dir.len + 1 + v.len > INTEG_MAX_PATH)
			return vigil_error_set(VIGIL_EFORMAT, "line %zu: R: empty or longer than %d bytes",
					       lno, INTEG_MAX_PATH);
		size_t n = 0;
		if (a->dir.len) {
			memcpy(path, a->dir.ptr, a->dir.len);
			path[a->dir.len] = '/';
			n = a->dir.len + 1;
		}
		memcpy(path + n, v.ptr, v.len);
		a->cur.pkg = a->pkg;
		a->cur.path = vigil_slice_make(path, n + v.len);
		a->cur.line = (uint32_t)lno;
		/* apk protects etc/ (its default protected_paths): configuration */
		a->cur.config = vigil_slice_starts_with(a->cur.path, "etc/");
		a->cur.mode = 0644; /* apk writes a: only for other than root:root 0644 */
		return 0;
	case 'a':
		return a->cur.path.len ? apk_acl(v, &a->cur, lno) : 0;
	case 'Z':
		if (!a->cur.path.len)
			return 0; /* a folder's or the package's checksum */
		return apk_checksum(v, &a->cur, lno);
	default:
		return 0;
	}
}

int integ_apk_parse(const char *data, size_t len, integ_emit emit, void *ud)
{
	char path[INTEG_MAX_PATH + 2];
	struct apk_state a = { .emit = emit, .ud = ud };
	vigil_slice in, line;
	size_t lno = 0;
	int rc;
	if (!data && len)
		return vigil_error_set(VIGIL_EINVAL, "apk database: no data");
	if ((rc = scan_text_check("apk database", data, len, INTEG_MAX_TEXT)) < 0)
		return rc;
	in = vigil_slice_make(data, len);
	while (vigil_slice_next_line(&in, &line)) {
		if (line.len > INTEG_MAX_LINE * 32)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: longer than %d bytes", lno + 1,
					       INTEG_MAX_LINE * 32);
		if ((rc = apk_line(&a, line, ++lno, path)) != 0)
			return rc;
	}
	return apk_flush(&a);
}

/* ---- rpm ---- */

#define RPMFILE_CONFIG 1
#define RPMFILE_GHOST 64
#define RPMVERIFY_FILEDIGEST 1
#define RPM_ALGO_MD5 1
#define RPM_ALGO_SHA1 2
#define RPM_ALGO_SHA256 8

struct rpm_state {
	integ_emit emit;
	void *ud;
	size_t unsupported;
};

static int rpm_file(void *ud, const char *pkg, const vigil_file_detail *d)
{
	struct rpm_state *r = ud;
	integ_item it = { .pkg = vigil_slice_cstr(pkg), .path = d->path };
	size_t dl = strlen(d->digest);
	if (dl == 0 || (d->flags & RPMFILE_GHOST) || d->state != 0 || !(d->verify & RPMVERIFY_FILEDIGEST))
		return 0; /* no digest, not installed, or %verify(not md5): rpm -V does not check it */
	switch (d->algo) {
	case RPM_ALGO_MD5: it.algo = INTEG_MD5; break;
	case RPM_ALGO_SHA1: it.algo = INTEG_SHA1; break;
	case RPM_ALGO_SHA256: it.algo = INTEG_SHA256; break;
	default: r->unsupported++; return 0;
	}
	if (dl != 2 * integ_digest_len(it.algo) ||
	    !vigil_hex_decode(vigil_slice_make(d->digest, dl), it.digest, dl / 2))
		return vigil_error_set(VIGIL_EFORMAT, "package %s: file %.*s: digest \"%.80s\" is not %s",
				       pkg, (int)d->path.len, d->path.ptr, d->digest,
				       integ_algo_name(it.algo));
	it.config = (d->flags & RPMFILE_CONFIG) != 0;
	it.mode = d->mode & 07777;
	return r->emit(r->ud, &it);
}

int integ_rpmdb_parse(vigil_rpmdb_kind kind, const uint8_t *data, size_t len, integ_emit emit,
		      void *ud, size_t *unsupported)
{
	struct rpm_state r = { .emit = emit, .ud = ud };
	vigil_pkg_list pkgs = { 0 };
	vigil_arena *arena = vigil_arena_new(0);
	vigil_intern *strs = arena ? vigil_intern_new(arena) : NULL;
	int rc;
	if (!strs) {
		rc = vigil_error_oom();
		goto out;
	}
	vigil_scan_ctx ctx = { .arena = arena, .strings = strs, .file_detail = rpm_file,
			       .file_detail_ud = &r };
	rc = scan_rpmdb_parse(&ctx, kind, data, len, &pkgs);
	if (unsupported)
		*unsupported = r.unsupported;
out:
	scan_pkg_list_free(&pkgs);
	vigil_intern_free(strs);
	vigil_arena_free(arena);
	return rc;
}
