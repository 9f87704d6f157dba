/* indexer/lang_kinds.c: the table of language package kinds (paths.h):
 * for each, how the layer scan recognises its files and which parser of
 * scanner/lang/ reads them. One line per kind; a kind whose parser is not
 * in the table is not looked for. The order is the order of the path
 * tests (the first predicate that says yes wins).
 *
 * Executables (VIGIL_DB_BINARY) are chosen by mode instead of name: any
 * regular file with an execute bit, or named like a shared library, of at
 * least an ELF header's size; the parser looks at the magic itself and
 * returns nothing for what is not a Go or Rust binary. */
#include "indexer/paths.h"
#include "scanner/lang/gorust.h"
#include "scanner/lang/java.h"
#include "scanner/lang/lang.h"
#include "scanner/lang/node_lock.h"
#include "scanner/lang/rpn.h"

#include <string.h>

static const idx_lang_kind kinds[] = {
	{ VIGIL_DB_PYTHON, "python-metadata", scan_lang_python_path, VIGIL_MAX_PYTHON_FILE,
	  scan_lang_python_parse, NULL },
	{ VIGIL_DB_NPM, "npm-package-json", scan_lang_npm_path, VIGIL_MAX_NPM_FILE,
	  scan_lang_npm_parse, NULL },
	{ VIGIL_DB_JAVA_ARCHIVE, "java-archive", scan_lang_java_path, VIGIL_MAX_JAVA_FILE,
	  NULL, scan_lang_java_parse_stream },
	{ VIGIL_DB_PYTHON_EGG, "python-egg", scan_lang_egg_path, VIGIL_MAX_JAVA_FILE,
	  NULL, scan_lang_egg_parse_stream },
	{ VIGIL_DB_NPM_LOCK, "npm-lock", scan_npm_lock_path, VIGIL_MAX_NODE_LOCK_FILE,
	  scan_npm_lock_parse, NULL },
	{ VIGIL_DB_YARN_LOCK, "yarn-lock", scan_yarn_lock_path, VIGIL_MAX_NODE_LOCK_FILE,
	  scan_yarn_lock_parse, NULL },
	{ VIGIL_DB_PNPM_LOCK, "pnpm-lock", scan_pnpm_lock_path, VIGIL_MAX_NODE_LOCK_FILE,
	  scan_pnpm_lock_parse, NULL },
	{ VIGIL_DB_GEMSPEC, "gemspec", scan_lang_gemspec_path, VIGIL_LANG_GEMSPEC_MAX_SIZE,
	  scan_lang_gemspec_parse, NULL },
	{ VIGIL_DB_GEMFILE_LOCK, "gemfile-lock", scan_lang_gemfile_lock_path,
	  VIGIL_LANG_GEMFILE_LOCK_MAX_SIZE, scan_lang_gemfile_lock_parse, NULL },
	{ VIGIL_DB_COMPOSER_INSTALLED, "composer-installed", scan_lang_composer_installed_path,
	  VIGIL_LANG_COMPOSER_MAX_SIZE, scan_lang_composer_installed_parse, NULL },
	{ VIGIL_DB_COMPOSER_LOCK, "composer-lock", scan_lang_composer_lock_path,
	  VIGIL_LANG_COMPOSER_MAX_SIZE, scan_lang_composer_lock_parse, NULL },
	{ VIGIL_DB_DOTNET_DEPS, "dotnet-deps", scan_lang_dotnet_deps_path,
	  VIGIL_LANG_DOTNET_DEPS_MAX_SIZE, scan_lang_dotnet_deps_parse, NULL },
	{ VIGIL_DB_NUGET_LOCK, "nuget-lock", scan_lang_nuget_lock_path,
	  VIGIL_LANG_NUGET_LOCK_MAX_SIZE, scan_lang_nuget_lock_parse, NULL },
	{ VIGIL_DB_DOTNET_ASSEMBLY, "dotnet-assembly", scan_lang_pe_path, VIGIL_LANG_PE_MAX_SIZE,
	  NULL, scan_lang_pe_parse_stream },
	{ VIGIL_DB_BINARY, "executable", NULL, VIGIL_MAX_EXE_FILE, NULL, scan_lang_exe_parse },
	{ VIGIL_DB_GO_MOD, "go-mod", scan_lang_gomod_path, VIGIL_MAX_GO_MOD_FILE,
	  scan_lang_gomod_parse, NULL },
	{ VIGIL_DB_CARGO_LOCK, "cargo-lock", scan_lang_cargo_lock_path, VIGIL_MAX_CARGO_LOCK_FILE,
	  scan_lang_cargo_lock_parse, NULL },
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const idx_lang_kind *idx_lang_kind_get(vigil_dbkind k)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i].kind == k)
			return &kinds[i];
	return NULL;
}

vigil_dbkind idx_lang_classify(vigil_slice path)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (kinds[i].path && kinds[i].path(path))
			return kinds[i].kind;
	return VIGIL_DB_NONE;
}

/* The smallest executable looked at: an ELF64 header and one program header. */
#define EXEC_MIN_SIZE 120

/* "libx.so" or "libx.so.1.2" in the last component. */
static bool is_shared_lib(vigil_slice p)
{
	size_t base = p.len;
	while (base > 0 && p.ptr[base - 1] != '/')
		base--;
	for (size_t i = base; i + 3 <= p.len; i++)
		if (memcmp(p.ptr + i, ".so", 3) == 0 && (i + 3 == p.len || p.ptr[i + 3] == '.'))
			return true;
	return false;
}

bool idx_lang_is_executable(vigil_slice path, uint32_t mode, int64_t size)
{
	if (size < EXEC_MIN_SIZE || !idx_lang_kind_get(VIGIL_DB_BINARY))
		return false;
	return (mode & 0111) != 0 || is_shared_lib(path);
}
