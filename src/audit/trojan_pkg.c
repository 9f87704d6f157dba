/* audit/trojan_pkg.c: which files a package installed, so that a cron file
 * or setuid program an upper layer brought with `apt-get install` / `apk
 * add` is information, not an alarm. Read as the layers stream: dpkg's
 * var/lib/dpkg/info/PKG.list (one path a line) and apk's
 * lib/apk/db/installed (P:name, F:folder, R:file), parsed by
 * trojan_parse.c. Every version seen counts (a package removed later still owned its files when they came). */
#include "audit/trojan_priv.h"

#include "util/error.h"

#include <string.h>

#define DPKG_INFO "var/lib/dpkg/info/"

trojan_pkgdb trojan_pkg_kind(const char *path)
{
	size_t n = strlen(path), d = strlen(DPKG_INFO);
	if (n > d + 5 && strncmp(path, DPKG_INFO, d) == 0 && !strchr(path + d, '/') &&
	    strcmp(path + n - 5, ".list") == 0)
		return TP_DPKG_LIST;
	if (strcmp(path, "lib/apk/db/installed") == 0)
		return TP_APK;
	return TP_NONE;
}

static int own(void *ud, vigil_slice path, vigil_slice pkg)
{
	trojan_state *st = ud;
	if (vigil_map_count(&st->owned) >= TROJAN_MAX_OWNED)
		return 0;
	const char *k = audit_walk_str(st->w, path.ptr, path.len);
	const char *v = audit_walk_str(st->w, pkg.ptr, pkg.len);
	if (!k || !v)
		return vigil_error_oom();
	int rc = vigil_map_set(&st->owned, k, path.len, (void *)v);
	return rc == VIGIL_ELIMIT ? 0 : rc;
}

int trojan_pkg_file(trojan_state *st, trojan_pkgdb k, const char *path, vigil_slice text)
{
	if (k == TP_APK)
		return trojan_apk_installed(text, own, st);
	if (k != TP_DPKG_LIST)
		return 0;
	const char *base = path + strlen(DPKG_INFO);
	vigil_slice pkg = vigil_slice_make(base, strlen(base) - 5); /* PKG.list, PKG:ARCH.list */
	ptrdiff_t colon = vigil_slice_find(pkg, ':');
	if (colon > 0)
		pkg.len = (size_t)colon;
	return trojan_dpkg_list(text, pkg, own, st);
}

const char *trojan_pkg_owner(const trojan_state *st, const char *path)
{
	return path ? vigil_map_get(&st->owned, path, strlen(path)) : NULL;
}
