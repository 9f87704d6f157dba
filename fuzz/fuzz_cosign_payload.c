/* fuzz/fuzz_cosign_payload.c: cosign's signature documents (vigil verify)
 * on arbitrary bytes. The first byte picks the parser (even: the simple
 * signing payload, verify_payload_parse(), then the annotations check;
 * odd: the .sig manifest, verify_sig_manifest_parse()), the rest is the
 * document. */
#include "audit/verify_priv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *doc = (const char *)data + 1;
	size_t len = size - 1;
	if (data[0] & 1) {
		verify_layer *l = NULL;
		size_t n = 0;
		if (verify_sig_manifest_parse("fuzz.sig", doc, len, &l, &n) == 0) {
			volatile size_t sum = 0;
			for (size_t i = 0; i < n; i++)
				sum += strlen(l[i].digest) + strlen(l[i].media_type) + l[i].siglen + strlen(l[i].err);
			(void)sum;
		}
		free(l);
		return 0;
	}
	verify_payload p;
	if (verify_payload_parse("layer fuzz", doc, len, &p) == 0) {
		static const char *const ann[] = { "env=prod", "a=" };
		(void)verify_payload_annotations("layer fuzz", &p, ann, 2);
		volatile size_t sum = strlen(p.docker_reference) + strlen(p.manifest_digest);
		(void)sum;
	}
	verify_payload_free(&p);
	return 0;
}
