/* fuzz/fuzz_sbom_out.c: the SBOM writers (report/cyclonedx.c, spdx.c) and
 * the SPDX license expression check (report/spdx_license.c) on any bytes.
 * The input is packages, one a line: TYPE-DIGIT NAME<TAB>VERSION<TAB>LICENSE
 * <TAB>SOURCE (any field may be missing or hold any bytes). Properties:
 * both documents render and parse as JSON, with one component per package
 * (and the OS) and unique bom-refs; a license taken as an expression is
 * taken again, unchanged, in the canonical form it was written in. */
#include "report/sbom_out.h"
#include "util/buf.h"
#include "vigil/report.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FZ_MAX_PKGS 64

static void check_license(const char *text)
{
	vigil_buf a, b;
	bool single, single2;
	vigil_buf_init(&a, 8192);
	vigil_buf_init(&b, 8192);
	if (sbom_license_spdx(text, &a, &single)) {
		if (!sbom_license_spdx(vigil_buf_cstr(&a), &b, &single2) || strcmp(vigil_buf_cstr(&a), vigil_buf_cstr(&b)) ||
		    single != single2)
			abort();
	}
	vigil_buf_free(&a);
	vigil_buf_free(&b);
}

static void check_doc(const char *s, size_t len, size_t want_components)
{
	json_error_t e;
	json_t *j = json_loadb(s, len, 0, &e), *c;
	size_t i, k;
	if (!j)
		abort();
	json_t *comps = json_object_get(j, "components");
	if (comps) {
		if (json_array_size(comps) != want_components)
			abort();
		json_array_foreach(comps, i, c)
			for (k = 0; k < i; k++)
				if (!strcmp(json_string_value(json_object_get(c, "bom-ref")),
					    json_string_value(json_object_get(json_array_get(comps, k), "bom-ref"))))
					abort();
	}
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const vigil_distribution dist = { .did = "debian", .version_id = "12" };
	vigil_package pkgs[FZ_MAX_PKGS];
	char *text = malloc(size + 1), *line, *next;
	size_t n = 0;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line && n < FZ_MAX_PKGS; line = next) {
		char *f[5] = { NULL };
		size_t nf = 0;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (char *p = line; p && nf < 5; nf++) {
			f[nf] = p;
			if ((p = strchr(p, '\t')))
				*p++ = '\0';
		}
		if (!f[0] || !*f[0])
			continue;
		memset(&pkgs[n], 0, sizeof(pkgs[n]));
		pkgs[n].type = (vigil_pkg_type)((unsigned char)f[0][0] % 12);
		pkgs[n].name = f[0] + 1;
		pkgs[n].version = f[1];
		pkgs[n].license = f[2];
		pkgs[n].source_name = f[3];
		pkgs[n].purl = f[4];
		if (f[2])
			check_license(f[2]);
		n++;
	}
	vigil_index_report ir = { .manifest_hash = "sha256:00", .distribution = &dist, .packages = pkgs,
				  .package_count = n };
	vigil_report_input in = { .index = &ir, .image = n ? pkgs[0].name : "x" };
	vigil_report_options o;
	vigil_report_options_init(&o);
	o.now = 1700000000;
	for (int f = VIGIL_FMT_CYCLONEDX; f <= VIGIL_FMT_SPDX; f++) {
		char *out = NULL;
		size_t len = 0;
		if (vigil_report_render(&in, (vigil_report_format)f, &o, &out, &len) == 0)
			check_doc(out, len, n + 1);
		free(out);
	}
	free(text);
	return 0;
}
