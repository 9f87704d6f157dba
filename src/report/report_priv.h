/* report/report_priv.h: the builders the Clair JSON reports share. The
 * IndexReport (index_json.c) and the VulnerabilityReport (vuln_json.c) give
 * the same packages, distributions and environments under the same ids:
 * binary packages 1..N in report order, then one id per distinct source
 * (name, version) in order of first appearance. */
#ifndef VIGIL_REPORT_PRIV_H
#define VIGIL_REPORT_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "vigil/index.h"
#include "vigil/report.h"

/* Enrichment keys of the VulnerabilityReport (docs/scan.md). The first is
 * claircore's enricher/cvss Type as Quay and StackRox look it up. */
#define REPORT_ENRICH_CVSS \
	"message/vnd.clair.map.vulnerability; enricher=clair.cvss " \
	"schema=https://csrc.nist.gov/schema/nvd/feed/1.1/cvss-v3.x.json"
#define REPORT_ENRICH_FINDING "message/vnd.clair.map.vulnerability; enricher=vigil.finding"
#define REPORT_ENRICH_REPORT  "application/vnd.vigil.report+json; enricher=vigil.report"

/* The ids of one document. */
struct report_ids {
	const vigil_package **slot; /* package whose source the slot names */
	unsigned *id;
	size_t cap;
	unsigned next;              /* the next source id to hand out */
};

/* A JSON string; "" for NULL; invalid UTF-8 bytes become U+FFFD (jansson
 * refuses invalid UTF-8). NULL only when out of memory. */
json_t *report_jstr(const char *s);

int report_ids_init(struct report_ids *t, const vigil_index_report *r);
void report_ids_free(struct report_ids *t);
/* The id of p's source (name, version), a new one the first time. */
unsigned report_source_id(struct report_ids *t, const vigil_package *p);

/* An RFC 3339 time (as Go's time.Time and JSON Schema's date-time read
 * it) from the dates feeds write: "2021-08-24", "2021-08-24T15:15:00.000",
 * "2019-09-10 17:15:00 UTC", "2021-08-24T15:15Z"; false for anything else
 * (vuln_json.c). */
bool report_rfc3339(const char *s, char out[48]);

/* The distribution object (id "1"). */
json_t *report_distribution(const vigil_distribution *d);
/* Clair's repository object of a language package type (as the IndexReport
 * lists it); NULL for an OS type. */
json_t *report_lang_repository(vigil_pkg_type t);

/* Adds "packages", "distributions", "repository" and "environments" of r to
 * root, in that order (every source id is assigned after this). */
int report_add_index_parts(json_t *root, const vigil_index_report *r, struct report_ids *t);

/* Serialises root (compact or indented by two, keys in insertion order);
 * *json is malloc'd. extra_flags: more json_dumps flags. */
int report_dump(json_t *root, int pretty, size_t extra_flags, char **json, size_t *len);

/* ---- the writers of vigil_report_render (render.c dispatches) ----
 * Each renders in into *out (malloc'd, NUL-terminated, *len bytes) or
 * fails with nothing allocated. in->vulns is non-NULL unless the format is
 * an inventory one (cyclonedx, spdx). in->image is set (render.c fills it
 * from the index report). o->now is set (render.c reads the clock once). */
typedef int (*report_writer_fn)(const vigil_report_input *in, const vigil_report_options *o, char **out,
				size_t *len);
int report_write_table(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_clair(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_flat(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_sarif(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_cyclonedx(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_spdx(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_html(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_junit(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_gitlab(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);
int report_write_template(const vigil_report_input *in, const vigil_report_options *o, char **out, size_t *len);

#endif
