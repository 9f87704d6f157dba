/* indexer/paths.c: the table of database and release file locations and the
 * classifier the layer scan asks for every tar entry (see paths.h). */
#include "indexer/paths.h"
#include "scanner/lang/lang.h"

#include <string.h>

const vigil_db_path idx_db_files[] = {
	{ "etc/os-release", VIGIL_DB_OS_RELEASE },
	{ "usr/lib/os-release", VIGIL_DB_OS_RELEASE },
	{ "etc/lsb-release", VIGIL_DB_LSB_RELEASE },
	{ "etc/alpine-release", VIGIL_DB_ALPINE_RELEASE },
	{ "etc/redhat-release", VIGIL_DB_REDHAT_RELEASE },
	{ "etc/system-release", VIGIL_DB_SYSTEM_RELEASE },
	{ "etc/SuSE-release", VIGIL_DB_SUSE_RELEASE },
	{ "etc/fedora-release", VIGIL_DB_SYSTEM_RELEASE }, /* redhat-release and system-release link to it */
	{ "etc/debian_version", VIGIL_DB_DEBIAN_VERSION },
	{ "var/lib/dpkg/status", VIGIL_DB_DPKG_STATUS },
	{ "lib/apk/db/installed", VIGIL_DB_APK },
	{ "usr/lib/apk/db/installed", VIGIL_DB_APK },
	/* rpm: newest format first; rpm's own dbpath first within a format */
	{ "usr/lib/sysimage/rpm/rpmdb.sqlite", VIGIL_DB_RPM_SQLITE },
	{ "var/lib/rpm/rpmdb.sqlite", VIGIL_DB_RPM_SQLITE },
	{ "usr/lib/sysimage/rpm/Packages.db", VIGIL_DB_RPM_NDB },
	{ "var/lib/rpm/Packages.db", VIGIL_DB_RPM_NDB },
	{ "usr/lib/sysimage/rpm/Packages", VIGIL_DB_RPM_BDB },
	{ "var/lib/rpm/Packages", VIGIL_DB_RPM_BDB },
	{ "usr/share/rpm/Packages", VIGIL_DB_RPM_BDB },
};
const size_t idx_db_file_count = sizeof(idx_db_files) / sizeof(idx_db_files[0]);

const vigil_db_path idx_db_dirs[] = {
	{ "var/lib/dpkg/status.d", VIGIL_DB_DPKG_STATUS_D },
	{ "var/lib/dpkg/info", VIGIL_DB_DPKG_LIST }, /* only NAME.list (dir_child_kept) */
};
const size_t idx_db_dir_count = sizeof(idx_db_dirs) / sizeof(idx_db_dirs[0]);

static const char *const kind_names[VIGIL_DB__COUNT] = {
	[VIGIL_DB_NONE] = "none",
	[VIGIL_DB_OS_RELEASE] = "os-release",
	[VIGIL_DB_LSB_RELEASE] = "lsb-release",
	[VIGIL_DB_DEBIAN_VERSION] = "debian_version",
	[VIGIL_DB_ALPINE_RELEASE] = "alpine-release",
	[VIGIL_DB_REDHAT_RELEASE] = "redhat-release",
	[VIGIL_DB_SYSTEM_RELEASE] = "system-release",
	[VIGIL_DB_SUSE_RELEASE] = "SuSE-release",
	[VIGIL_DB_DPKG_STATUS] = "dpkg-status",
	[VIGIL_DB_DPKG_STATUS_D] = "dpkg-status.d",
	[VIGIL_DB_APK] = "apk-installed",
	[VIGIL_DB_RPM_BDB] = "rpm-bdb",
	[VIGIL_DB_RPM_NDB] = "rpm-ndb",
	[VIGIL_DB_RPM_SQLITE] = "rpm-sqlite",
	[VIGIL_DB_DPKG_LIST] = "dpkg-list",
};

const char *idx_dbkind_name(vigil_dbkind k)
{
	const idx_lang_kind *lk = idx_lang_kind_get(k);
	if (lk)
		return lk->name;
	return (unsigned)k < VIGIL_DB_PYTHON && kind_names[k] ? kind_names[k] : "none";
}

vigil_dbkind idx_dbkind_from_name(const char *name)
{
	for (int k = 1; k < VIGIL_DB__COUNT; k++)
		if (strcmp(idx_dbkind_name((vigil_dbkind)k), name) == 0)
			return (vigil_dbkind)k;
	return VIGIL_DB_NONE;
}

bool idx_dbkind_is_release(vigil_dbkind k)
{
	return k >= VIGIL_DB_OS_RELEASE && k <= VIGIL_DB_SUSE_RELEASE;
}

bool idx_dbkind_is_lang(vigil_dbkind k)
{
	return k >= VIGIL_DB_PYTHON && k < VIGIL_DB__COUNT;
}

size_t idx_dbkind_max_size(vigil_dbkind k)
{
	switch (k) {
	case VIGIL_DB_DPKG_STATUS:
	case VIGIL_DB_DPKG_STATUS_D: return VIGIL_MAX_DPKG_FILE;
	case VIGIL_DB_APK: return VIGIL_MAX_APK_FILE;
	case VIGIL_DB_DPKG_LIST: return VIGIL_MAX_DPKG_LIST_FILE;
	case VIGIL_DB_RPM_BDB:
	case VIGIL_DB_RPM_NDB:
	case VIGIL_DB_RPM_SQLITE: return VIGIL_MAX_RPMDB_FILE;
	default: {
		const idx_lang_kind *lk = idx_lang_kind_get(k);
		return lk ? lk->max_size : VIGIL_MAX_RELEASE_FILE;
	}
	}
}

/* Folders where an executable without a "." in its name may be (a Go or
 * Rust program, read by VIGIL_DB_BINARY): any folder named so, or below
 * these roots. Not usr/share, etc, var: their many extensionless files
 * (copyright, zoneinfo, terminfo) are data. */
static bool exec_folder(vigil_slice dir)
{
	static const char *const roots[] = { "usr/lib", "usr/local", "lib", "opt", "app", "srv",
					     "home", "root" };
	static const char *const names[] = { "bin", "sbin", "libexec" };
	for (size_t i = 0; i + 8 <= dir.len; i++)
		if (memcmp(dir.ptr + i, "terminfo", 8) == 0)
			return false; /* lib/terminfo/x/xterm: thousands of them */
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		size_t n = strlen(roots[i]);
		if (dir.len >= n && memcmp(dir.ptr, roots[i], n) == 0 &&
		    (dir.len == n || dir.ptr[n] == '/' || (n == 3 && dir.len > 3 && dir.ptr[n] >= '0'
							      && dir.ptr[n] <= '9')))
			return true;
	}
	size_t b = dir.len;
	while (b > 0 && dir.ptr[b - 1] != '/')
		b--;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (dir.len - b == strlen(names[i]) && memcmp(dir.ptr + b, names[i], dir.len - b) == 0)
			return true;
	return false;
}

bool idx_owned_path_kept(vigil_slice p)
{
	size_t base;
	if (p.len && p.ptr[0] == '/')
		p = vigil_slice_sub(p, 1, p.len);
	base = p.len;
	while (base > 0 && p.ptr[base - 1] != '/')
		base--;
	if (base == p.len)
		return false;
	if (!memchr(p.ptr + base, '.', p.len - base) && base > 0 &&
	    exec_folder(vigil_slice_make(p.ptr, base - 1)))
		return true;
	for (size_t i = base; i + 3 <= p.len; i++)
		if (memcmp(p.ptr + i, ".so", 3) == 0 && (i + 3 == p.len || p.ptr[i + 3] == '.'))
			return true;
	return idx_lang_classify(p) != VIGIL_DB_NONE;
}

/* The files of a folder of idx_db_dirs that are read: status.d/NAME but
 * not NAME.md5sums (distroless), info/NAME.list only. */
static bool dir_child_kept(vigil_dbkind kind, const char *name, size_t n)
{
	if (kind == VIGIL_DB_DPKG_LIST)
		return n > 5 && memcmp(name + n - 5, ".list", 5) == 0;
	return !(n >= 8 && memcmp(name + n - 8, ".md5sums", 8) == 0);
}

/* True when a[0..alen) is a proper ancestor folder of the C string b. */
static bool is_ancestor(const char *a, size_t alen, const char *b)
{
	return strlen(b) > alen && memcmp(a, b, alen) == 0 && b[alen] == '/';
}

vigil_path_role idx_path_classify(const char *path, size_t len, vigil_dbkind *kind)
{
	*kind = VIGIL_DB_NONE;
	for (size_t i = 0; i < idx_db_file_count; i++) {
		const char *p = idx_db_files[i].path;
		if (strlen(p) == len && memcmp(p, path, len) == 0) {
			*kind = idx_db_files[i].kind;
			return VIGIL_PATH_DB;
		}
	}
	for (size_t i = 0; i < idx_db_dir_count; i++) {
		const char *d = idx_db_dirs[i].path;
		size_t dl = strlen(d);
		/* a direct child of the folder: status.d/NAME */
		if (len > dl + 1 && memcmp(path, d, dl) == 0 && path[dl] == '/' &&
		    !memchr(path + dl + 1, '/', len - dl - 1)) {
			if (!dir_child_kept(idx_db_dirs[i].kind, path + dl + 1, len - dl - 1))
				return VIGIL_PATH_IGNORED;
			*kind = idx_db_dirs[i].kind;
			return VIGIL_PATH_DB;
		}
		if ((len == dl && memcmp(path, d, dl) == 0) || is_ancestor(path, len, d))
			return VIGIL_PATH_ANCESTOR;
	}
	for (size_t i = 0; i < idx_db_file_count; i++)
		if (is_ancestor(path, len, idx_db_files[i].path))
			return VIGIL_PATH_ANCESTOR;
	/* language packages: by name, anywhere (their folders are not
	 * tracked as ancestors; a whiteout above them still hides them) */
	*kind = idx_lang_classify(vigil_slice_make(path, len));
	return *kind != VIGIL_DB_NONE ? VIGIL_PATH_DB : VIGIL_PATH_IGNORED;
}
