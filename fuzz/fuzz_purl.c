/* fuzz/fuzz_purl.c: purl/purl_parse.c on any bytes. Properties: a parsed
 * purl has a type and a name, its qualifier keys are sorted, and a purl
 * vigil writes for a package named by the parsed parts parses again. */
#include "util/error.h"
#include "vigil/purl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vigil_purl *p = NULL;
	if (vigil_purl_parse((const char *)data, size, &p) < 0)
		return 0;
	if (!p->type || !p->name || !*p->name)
		abort();
	for (size_t i = 1; i < p->nqualifiers; i++)
		if (strcmp(p->qualifier_keys[i - 1], p->qualifier_keys[i]) > 0)
			abort();
	vigil_package pkg = { .type = VIGIL_PKG_DPKG, .name = p->name, .version = p->version,
			      .arch = vigil_purl_qualifier(p, "arch") };
	vigil_distribution d = { .did = p->namespace, .version_id = p->version };
	char *s = NULL;
	if (vigil_purl_of(&pkg, &d, &s) == 0) {
		vigil_purl *q = NULL;
		if (vigil_purl_parse(s, strlen(s), &q) < 0 || strcmp(q->name, p->name))
			abort();
		vigil_purl_free(q);
	}
	free(s);
	vigil_purl_free(p);
	return 0;
}
