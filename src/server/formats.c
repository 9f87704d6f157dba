/* server/formats.c: the VulnerabilityReport in the other formats vigil
 * writes (docs/server.md, "Report formats"): GET
 * /matcher/api/v1/vulnerability_report/{digest}?format=sarif, or an Accept
 * header naming a media type of one (application/sarif+json,
 * application/vnd.cyclonedx+json, application/spdx+json, text/html,
 * application/xml for JUnit, text/plain for the table). Without either, or
 * with application/json or a type vigil does not write, the answer is
 * Clair's JSON as before, so Clair clients see no change. */
#include "server/srv_priv.h"
#include "server/v4.h"
#include "util/error.h"
#include "util/slice.h"
#include "vigil/report.h"

#include <stdlib.h>
#include <string.h>

/* The format a client asked for: ?format=NAME wins, else the first media
 * type of Accept vigil writes, else Clair's JSON (what every Clair client
 * sends or leaves out). 400 for a bad ?format and for "template" (a
 * server reads no template from a client's path). */
static const struct {
	const char *media;
	vigil_report_format fmt;
} accept_map[] = {
	{ "application/sarif+json", VIGIL_FMT_SARIF }, { "application/vnd.cyclonedx+json", VIGIL_FMT_CYCLONEDX },
	{ "application/spdx+json", VIGIL_FMT_SPDX },   { "text/html", VIGIL_FMT_HTML },
	{ "application/xml", VIGIL_FMT_JUNIT },        { "text/xml", VIGIL_FMT_JUNIT },
	{ "text/plain", VIGIL_FMT_TABLE },
	{ "application/vnd.vigil.findings+json", VIGIL_FMT_FLAT },
	{ "application/vnd.gitlab.container-scanning+json", VIGIL_FMT_GITLAB },
};

static vigil_report_format from_accept(const char *accept)
{
	vigil_slice in = vigil_slice_cstr(accept ? accept : ""), item;
	while (in.len) {
		vigil_slice_split(in, ',', &item, &in);
		ptrdiff_t semi = vigil_slice_find(item, ';');
		vigil_slice media = vigil_slice_trim(semi >= 0 ? vigil_slice_sub(item, 0, (size_t)semi) : item);
		if (vigil_slice_eq_cstr(media, "application/json") || vigil_slice_eq_cstr(media, "*/*"))
			return VIGIL_FMT_CLAIR;
		for (size_t i = 0; i < sizeof(accept_map) / sizeof(accept_map[0]); i++)
			if (vigil_slice_eq_cstr(media, accept_map[i].media))
				return accept_map[i].fmt;
	}
	return VIGIL_FMT_CLAIR;
}

int srv_report_format(const srv_request *rq, srv_response *rs, vigil_report_format *f)
{
	const char *name = NULL;
	*f = VIGIL_FMT_CLAIR;
	if (srv_query_param(rq, "format", &name) == 1 && name) {
		if (vigil_report_format_parse(name, f) < 0)
			return srv_error_v4(rs, 400, "bad-request", "format: %s", vigil_error_message());
		if (*f == VIGIL_FMT_TEMPLATE)
			return srv_error_v4(rs, 400, "bad-request", "format: template is a command-line format "
				     "(vigil scan --format template)");
		return 0;
	}
	*f = from_accept(srv_request_header(rq, "Accept"));
	return 0;
}

/* The report in another format than Clair's (not cached: rendered anew). */
void srv_send_report(srv_response *rs, vigil_report_format f, const vigil_index_report *ir,
			const vigil_vuln_report *vr, const char *hash)
{
	vigil_report_input in = { .index = ir, .vulns = vr, .image = hash };
	vigil_report_options o;
	char *out = NULL;
	size_t len = 0;
	vigil_report_options_init(&o);
	o.pretty = 0;
	if (vigil_report_render(&in, f, &o, &out, &len) < 0) {
		srv_error_v4(rs, 500, "internal-error", "manifest %s: %s", hash, vigil_error_message());
		return;
	}
	rs->status = 200;
	rs->body = out;
	rs->len = len;
	rs->content_type = vigil_report_format_media_type(f);
}

