/* fuzz/fuzz_secret_rules.c: reads arbitrary bytes as a secret rules file
 * (audit/secret_yaml.c, secret_rules.c, secret_compile.c) after the
 * built-in one, and, when the set compiles, builds the scanner (keyword
 * fallback: Hyperscan's compile time of a random regex is not what is
 * tested) and scans the input itself with every rule. */
#include "audit/secret_priv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int count(void *ud, const secret_match *m)
{
	(*(size_t *)ud) += m->send - m->sstart + m->line;
	return 0;
}

static void no_warn(void *ud, const char *msg)
{
	(void)ud;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	if (!once) {
		setenv("VIGIL_SECRET_ENGINE", "pcre2", 1);
		once = 1;
	}
	secret_ruleset *rs = secret_ruleset_new();
	secret_scanner *sc = NULL;
	size_t n = 0;
	if (rs && secret_ruleset_add_builtin(rs) == 0 &&
	    secret_ruleset_add(rs, "fuzz.yaml", (const char *)data, size) == 0 && secret_ruleset_compile(rs) == 0 &&
	    secret_scanner_new(rs, &sc) == 0) {
		secret_scan(sc, "app/fuzz.txt", data, size, count, &n, no_warn);
		secret_ruleset_path_allowed(rs, "usr/share/doc/x", NULL);
	}
	secret_scanner_free(sc);
	secret_ruleset_free(rs);
	return 0;
}
