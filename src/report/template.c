/* report/template.c: the template writer. PLACEHOLDER of the plumbing commit: the
 * writer lands on its own branch, which replaces this file. */
#include "report/report_priv.h"
#include "util/error.h"

int report_write_template(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len)
{
	(void)in, (void)o;
	*out = NULL;
	*len = 0;
	return vigil_error_set(VIGIL_EUNSUPPORTED, "the template format is not written yet");
}
