/* fuzz/fuzz_registry_ref.c: registry references (registry/ref.c) on
 * hostile bytes: whatever parses must format back to a reference that
 * parses to the same parts. */
#include "registry/registry.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	vigil_reg_ref r, again;
	const char *rest;
	reg_ref_has_prefix(s, &rest);
	if (reg_ref_parse(s, &r) == 0) {
		char out[VIGIL_REG_MAX_NAME + VIGIL_REG_MAX_TAG + VIGIL_REG_MAX_DIGEST + 8];
		reg_ref_format(&r, out, sizeof(out));
		if (reg_ref_parse(out, &again) != 0 || strcmp(r.domain, again.domain) ||
		    strcmp(r.repo, again.repo) || strcmp(r.tag, again.tag) || strcmp(r.digest, again.digest) ||
		    strcmp(r.host, again.host))
			abort();
	}
	vigil_digest_ok(vigil_slice_make(s, size));
	free(s);
	vigil_error_clear();
	return 0;
}
