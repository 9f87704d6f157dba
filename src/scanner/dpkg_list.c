/* scanner/dpkg_list.c: reads one var/lib/dpkg/info/NAME[:ARCH].list, the
 * list of what the Debian package NAME installed: one absolute path per
 * line ("/." first, then every folder and file, as dpkg -L prints it).
 *
 * The file yields no package (var/lib/dpkg/status says what is installed):
 * each path goes to ctx->file, so that the indexer can tell which language
 * package files belong to an OS package (docs/lang.md, "Files owned by OS
 * packages"). The package name is the file's name without ".list" and
 * without the ":ARCH" that dpkg adds for Multi-Arch: same packages. Lines
 * that are not absolute paths ("/." aside: the root) are skipped; a NUL
 * byte or a line over the limit means the file is not a dpkg list. */
#include "scanner/scanner.h"
#include "util/error.h"

#include <string.h>

/* The longest line (a path: PATH_MAX). */
#define VIGIL_DPKG_LIST_MAX_LINE 4096
/* The most lines of one list (texlive-full-sized packages list ~100,000). */
#define VIGIL_DPKG_LIST_MAX_LINES 2000000
/* The longest package name, with ":ARCH" (Debian policy has no limit;
 * names in the archive are under 100 bytes). */
#define VIGIL_DPKG_LIST_MAX_NAME 256

/* NAME out of ".../NAME[:ARCH].list" into name (NUL-terminated). */
static int list_name(const char *path, char *name, size_t cap)
{
	const char *base = strrchr(path, '/');
	vigil_slice s = vigil_slice_cstr(base ? base + 1 : path);
	if (!vigil_slice_ends_with(s, ".list") || s.len == strlen(".list"))
		return vigil_error_set(VIGIL_EFORMAT, "not a NAME.list file name");
	s.len -= strlen(".list");
	ptrdiff_t colon = vigil_slice_find(s, ':');
	if (colon == 0)
		return vigil_error_set(VIGIL_EFORMAT, "no package name before ':'");
	if (colon > 0)
		s.len = (size_t)colon;
	if (s.len >= cap)
		return vigil_error_set(VIGIL_ELIMIT, "package name longer than %zu bytes", cap - 1);
	memcpy(name, s.ptr, s.len);
	name[s.len] = '\0';
	return 0;
}

int scan_dpkg_list_parse(vigil_scan_ctx *ctx, const char *data, size_t len)
{
	char name[VIGIL_DPKG_LIST_MAX_NAME];
	vigil_slice in, line;
	size_t lno = 0;
	int rc;

	if (!ctx || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "scan_dpkg_list_parse: bad argument");
	if ((rc = scan_text_check("dpkg file list", data, len, VIGIL_MAX_DPKG_LIST_FILE)) < 0)
		return rc;
	if ((rc = list_name(ctx->path ? ctx->path : "", name, sizeof(name))) < 0)
		return rc;
	if (!ctx->file)
		return 0;
	in = vigil_slice_make(data, len);
	while (vigil_slice_next_line(&in, &line)) {
		if (++lno > VIGIL_DPKG_LIST_MAX_LINES)
			return vigil_error_set(VIGIL_ELIMIT, "more than %d lines",
					       VIGIL_DPKG_LIST_MAX_LINES);
		if (line.len > VIGIL_DPKG_LIST_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "line %zu: longer than %d bytes", lno,
					       VIGIL_DPKG_LIST_MAX_LINE);
		if (line.len < 2 || line.ptr[0] != '/' || vigil_slice_eq_cstr(line, "/."))
			continue;
		if ((rc = ctx->file(ctx->file_ud, VIGIL_PKG_DPKG, name, line)) != 0)
			return rc;
	}
	return 0;
}
