/* fuzz/fuzz_manifest.c: the JSON parsers of the image module on hostile
 * bytes. The first byte picks the document (OCI index, manifest, config,
 * docker-archive manifest.json, a blob of unknown kind, oci-layout, a
 * platform string or a digest); the rest is the document. */
#include "image/image_priv.h"
#include "util/arena.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *doc = (const char *)data + 1;
	size_t len = size - 1;
	vigil_arena *a = vigil_arena_new(64 * 1024 * 1024);
	if (!a)
		return 0;
	switch (data[0] % 8) {
	case 0: {
		img_index out;
		if (img_parse_index(a, "index.json", doc, len, &out) == 0)
			for (size_t i = 0; i < out.n; i++)
				img_media_doc_kind(out.manifests[i].media_type);
		break;
	}
	case 1: {
		img_manifest out;
		img_parse_manifest(a, "manifest", doc, len, &out);
		break;
	}
	case 2: {
		img_config out;
		img_parse_config(a, "config", doc, len, &out);
		break;
	}
	case 3: {
		img_archive_manifest out;
		img_parse_archive_manifest(a, "manifest.json", doc, len, &out);
		break;
	}
	case 4: {
		img_doc_kind kind;
		img_sniff_doc("blob", doc, len, &kind);
		break;
	}
	case 5:
		img_check_oci_layout("oci-layout", doc, len);
		break;
	case 6:
	case 7: {
		char *s = malloc(len + 1);
		if (!s)
			break;
		memcpy(s, doc, len);
		s[len] = '\0';
		img_platform p, have = { "linux", "arm64", NULL };
		if (img_platform_parse(a, s, &p) == 0) {
			char out[256];
			img_platform_format(&p, out, sizeof(out));
			img_platform_match(&p, &have);
		}
		if (vigil_digest_check_slice(vigil_slice_make(doc, len), "digest") == 0) {
			char path[VIGIL_DIGEST_MAX + 16];
			img_blob_path(s, path, sizeof(path));
			vigil_digest_verify(s, doc, len, "digest");
		}
		free(s);
		break;
	}
	}
	vigil_arena_free(a);
	vigil_error_clear();
	return 0;
}
