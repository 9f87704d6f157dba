/* match/vex.c: VEX documents (OpenVEX, CycloneDX VEX, CSAF 2.0 VEX).
 * PLACEHOLDER of the plumbing commit: loading refuses every document until
 * the readers land (helper E's branch replaces this file). */
#include "match/filter_priv.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdlib.h>

struct vigil_vex {
	int unused;
};

int vigil_vex_new(vigil_vex **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : vigil_error_set(VIGIL_ENOMEM, "vex: out of memory");
}

int vigil_vex_load(vigil_vex *v, const char *path)
{
	(void)v;
	return vigil_error_set(VIGIL_EINVAL, "%s: VEX documents are not read yet", path);
}

int vigil_vex_parse(vigil_vex *v, const char *text, size_t len, const char *name)
{
	(void)v, (void)text, (void)len;
	return vigil_error_set(VIGIL_EINVAL, "%s: VEX documents are not read yet", name);
}

void vigil_vex_free(vigil_vex *v) { free(v); }

int match_vex_lookup(const struct vigil_vex *v, const struct vigil_finding *f, const char **status,
		     const char **justification, const char **by)
{
	(void)v, (void)f, (void)status, (void)justification, (void)by;
	return 0;
}
