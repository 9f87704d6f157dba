/* fuzz/fuzz_version.c: the version comparators on arbitrary bytes. The
 * first byte picks the scheme, the rest is split at the first NUL into A
 * and B. Every comparison must return -1, 0 or 1, be antisymmetric
 * (cmp(A,B) == -cmp(B,A)), reflexive (cmp(A,A) == 0), and agree with
 * vigil_version_compare() whenever that accepts both versions. The Go
 * pseudo-version helpers and Composer's normalize and Comparator::compare
 * run on the same bytes (no crash, NUL-terminated results). */
#include "vigil/version.h"

#include <stdint.h>
#include <string.h>

typedef int (*cmp_fn)(const char *, size_t, const char *, size_t);

static const struct {
	const char *scheme; /* NULL: no generic equivalent */
	cmp_fn fn;
} SCHEMES[] = {
	{ "dpkg", vigil_dpkg_cmp },         { "rpm", vigil_rpm_evr_cmp },
	{ NULL, vigil_rpmvercmp },          { "apk", vigil_apk_cmp },
	{ "semver", vigil_semver_cmp },     { "semver-loose", vigil_semver_loose_cmp },
	{ "pep440", vigil_pep440_cmp },     { "maven", vigil_maven_cmp },
	{ "npm", vigil_npm_cmp },           { "go", vigil_go_cmp },
	{ "rubygems", vigil_rubygems_cmp }, { "composer", vigil_composer_cmp },
	{ "nuget", vigil_nuget_cmp },
};

static void extras(const char *scheme, const char *a, size_t alen, const char *b, size_t blen)
{
	if (!scheme)
		return;
	if (!strcmp(scheme, "go") && vigil_go_is_pseudo(a, alen)) {
		char base[64], t[21];
		const char *rev;
		size_t rl;
		if (vigil_go_pseudo_base(a, alen, base, sizeof(base)) == 0 && strlen(base) >= sizeof(base))
			__builtin_trap();
		if (vigil_go_pseudo_rev(a, alen, &rev, &rl) != 0 || rev < a || rev + rl > a + alen)
			__builtin_trap();
		if (vigil_go_pseudo_time(a, alen, t) == 0 && strlen(t) != 20)
			__builtin_trap();
	} else if (!strcmp(scheme, "composer")) {
		char out[400];
		static const char *const ops[] = { "<", "<=", ">", ">=", "==", "!=", "<>", "=" };
		int r = -1;
		if (vigil_composer_normalize(a, alen, out, sizeof(out)) == 0 && strlen(out) >= sizeof(out))
			__builtin_trap();
		if (vigil_composer_compare_op(a, alen, ops[alen % 8], b, blen, &r) == 0 && r != 0 && r != 1)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t k = data[0] % (sizeof(SCHEMES) / sizeof(SCHEMES[0]));
	const char *a = (const char *)data + 1;
	size_t n = size - 1;
	const char *nul = n ? memchr(a, '\0', n) : NULL;
	size_t alen = nul ? (size_t)(nul - a) : n;
	const char *b = nul ? nul + 1 : a + n;
	size_t blen = nul ? n - alen - 1 : 0;
	cmp_fn fn = SCHEMES[k].fn;

	int x = fn(a, alen, b, blen), y = fn(b, blen, a, alen);
	if (x < -1 || x > 1 || x != -y)
		__builtin_trap();
	if (fn(a, alen, a, alen) != 0 || fn(b, blen, b, blen) != 0)
		__builtin_trap();
	if (k == 3)
		(void)vigil_apk_fuzzy_match(a, alen, b, blen);
	if (SCHEMES[k].scheme) {
		int res = 2;
		if (vigil_version_compare(SCHEMES[k].scheme, a, alen, b, blen, &res) == 0 && res != x)
			__builtin_trap();
		if (vigil_version_comparator(SCHEMES[k].scheme) != fn)
			__builtin_trap();
	}
	extras(SCHEMES[k].scheme, a, alen, b, blen);
	return 0;
}
