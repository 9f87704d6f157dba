/* fuzz/fuzz_template.c: report/tmpl.c on any template, rendered over a
 * small fixed data model (lists, objects, scalars). Properties: compiling
 * never crashes; what compiles renders (or hits the output cap) and the
 * output length is what was returned. */
#include "report/tmpl.h"
#include "util/error.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char data_json[] =
	"{\"image\":\"alpine:3.10\",\"summary\":{\"total\":2,\"critical\":1,\"low\":0},"
	"\"findings\":[{\"id\":\"CVE-1\",\"fixed\":\"1.2\",\"fixable\":true,\"links\":[\"a\",\"b\"]},"
	"{\"id\":\"CVE-2\",\"fixed\":null,\"fixable\":false,\"links\":[]}],\"empty\":\"\",\"html\":\"<&>\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *model;
	tmpl *t = NULL;
	if (!model && !(model = json_loads(data_json, 0, NULL)))
		abort();
	for (unsigned flags = 0; flags <= TMPL_HTML; flags++) {
		if (tmpl_compile((const char *)data, size, "fuzz", flags, &t) < 0)
			return 0;
		char *out = NULL;
		size_t len = 0;
		int rc = tmpl_render(t, model, &out, &len);
		if (rc == 0 && (!out || strlen(out) > len))
			abort();
		if (rc < 0 && rc != VIGIL_ELIMIT && rc != VIGIL_ENOMEM)
			abort();
		free(out);
		tmpl_free(t);
	}
	return 0;
}
