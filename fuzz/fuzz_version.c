/* fuzz/fuzz_version.c: the version comparators on arbitrary bytes. The
 * first byte picks the scheme, the rest is split at the first NUL into A
 * and B. Every comparison must return -1, 0 or 1, be antisymmetric
 * (cmp(A,B) == -cmp(B,A)), reflexive (cmp(A,A) == 0), and agree with
 * vigil_version_compare() whenever that accepts both versions. */
#include "vigil/version.h"

#include <stdint.h>
#include <string.h>

typedef int (*cmp_fn)(const char *, size_t, const char *, size_t);

static const struct {
	const char *scheme; /* NULL: no generic equivalent */
	cmp_fn fn;
} SCHEMES[] = {
	{ "dpkg", vigil_dpkg_cmp },     { "rpm", vigil_rpm_evr_cmp },
	{ NULL, vigil_rpmvercmp },      { "apk", vigil_apk_cmp },
	{ "semver", vigil_semver_cmp }, { "semver-loose", vigil_semver_loose_cmp },
	{ "pep440", vigil_pep440_cmp }, { "maven", vigil_maven_cmp },
};

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
	}
	return 0;
}
