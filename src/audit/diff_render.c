/* audit/diff_render.c: a diff report as people and tools read it: the
 * terminal table (a summary line per section, then each section) and
 * the diff JSON (docs/audit.md (vigil diff) gives every member). */
#include "audit/diff_priv.h"

#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_MAX ((size_t)1 << 31)

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static const char *const what_names[] = { "type", "mode", "owner", "size", "content", "link" };
#define NWHAT (sizeof(what_names) / sizeof(what_names[0]))

static json_t *version_json(const vigil_diff_version *v)
{
	char mode[8];
	if (!v)
		return json_null();
	snprintf(mode, sizeof(mode), "%04o", (unsigned)v->mode & 07777);
	json_t *o = json_pack("{s:s,s:s,s:I,s:I,s:I}", "type", v->type, "mode", mode, "uid", (json_int_t)v->uid,
			      "gid", (json_int_t)v->gid, "size", (json_int_t)v->size);
	if (!o)
		return NULL;
	json_object_set_new(o, "sha256", str_or_null(v->sha256));
	json_object_set_new(o, "link", str_or_null(v->link));
	json_object_set_new(o, "layer", json_integer((json_int_t)v->layer));
	json_object_set_new(o, "layer_digest", str_or_null(v->layer_digest));
	return o;
}

static json_t *file_json(const vigil_diff_file *f)
{
	json_t *what = json_array();
	for (size_t k = 0; k < NWHAT; k++)
		if (f->what & (1u << k))
			json_array_append_new(what, json_string(what_names[k]));
	return json_pack("{s:s,s:s,s:o,s:o,s:o}", "path", f->path, "change", vigil_diff_change_name(f->change),
			 "what", what, "a", version_json(f->a), "b", version_json(f->b));
}

static json_t *pkg_json(const vigil_diff_package *p)
{
	return json_pack("{s:s,s:s?,s:s?,s:o,s:o,s:o,s:o,s:o}", "change", vigil_diff_change_name(p->change), "type",
			 p->type, "name", p->name, "arch", str_or_null(p->arch), "a", str_or_null(p->version_a), "b",
			 str_or_null(p->version_b), "source", str_or_null(p->source_name), "layer_b",
			 str_or_null(p->layer_b));
}

static json_t *findings_json(const vigil_diff_finding *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_pack("{s:s?,s:o,s:o,s:o,s:s,s:o}", "id", v[i].id, "package",
						   str_or_null(v[i].package), "version", str_or_null(v[i].version),
						   "fixed", str_or_null(v[i].fixed), "severity",
						   vigil_severity_name(v[i].severity), "title", str_or_null(v[i].title)));
	return a;
}

static json_t *image_json(const vigil_diff_image *i)
{
	return json_pack("{s:s?,s:o,s:I,s:o,s:I,s:I}", "image", i->image, "manifest_hash",
			 str_or_null(i->manifest_hash), "layers", (json_int_t)i->layer_count, "distribution",
			 str_or_null(i->distribution), "packages", (json_int_t)i->package_count, "files",
			 (json_int_t)i->files);
}

static json_t *summary_json(const vigil_diff_report *r)
{
	json_t *fd = r->findings_judged ? json_pack("{s:b,s:I,s:I}", "judged", 1, "fixed", (json_int_t)r->fixed_count,
						    "introduced", (json_int_t)r->introduced_count)
					: json_pack("{s:b,s:n,s:n}", "judged", 0, "fixed", "introduced");
	return json_pack("{s:b,s:{s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I,s:I},s:o,s:I}", "differs",
			 vigil_diff_report_differs(r), "files", "added", (json_int_t)r->files_added, "removed",
			 (json_int_t)r->files_removed, "changed", (json_int_t)r->files_changed, "packages", "added",
			 (json_int_t)r->pkgs_added, "removed", (json_int_t)r->pkgs_removed, "upgraded",
			 (json_int_t)r->pkgs_upgraded, "downgraded", (json_int_t)r->pkgs_downgraded, "changed",
			 (json_int_t)r->pkgs_changed, "findings", fd, "config", (json_int_t)r->config_count);
}

json_t *diff_report_json(const vigil_diff_report *r)
{
	json_t *o = json_object(), *files = json_array(), *pkgs = json_array(), *cfg = json_array(),
	       *warn = json_array();
	for (size_t i = 0; i < r->file_count; i++)
		json_array_append_new(files, file_json(&r->files[i]));
	for (size_t i = 0; i < r->package_count; i++)
		json_array_append_new(pkgs, pkg_json(&r->packages[i]));
	for (size_t i = 0; i < r->config_count; i++) {
		const vigil_diff_config *c = &r->config[i];
		json_array_append_new(cfg, json_pack("{s:s,s:o,s:o,s:o,s:b}", "field", c->field, "key",
						     str_or_null(c->key), "a", str_or_null(c->a), "b", str_or_null(c->b),
						     "masked", c->masked));
	}
	for (size_t i = 0; i < r->warning_count; i++)
		json_array_append_new(warn, json_string(r->warnings[i]));
	json_object_set_new(o, "a", image_json(&r->a));
	json_object_set_new(o, "b", image_json(&r->b));
	json_object_set_new(o, "summary", summary_json(r));
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "packages", pkgs);
	json_object_set_new(o, "findings", json_pack("{s:b,s:o,s:o,s:o}", "judged", r->findings_judged, "why",
						     str_or_null(r->findings_why), "fixed",
						     findings_json(r->fixed, r->fixed_count), "introduced",
						     findings_json(r->introduced, r->introduced_count)));
	json_object_set_new(o, "config", cfg);
	json_object_set_new(o, "warnings", warn);
	return o;
}

/* ---- table ---- */

static void what_text(unsigned what, char *buf, size_t n)
{
	size_t k, used = 0;
	buf[0] = 0;
	for (k = 0; k < NWHAT; k++)
		if (what & (1u << k))
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s", used ? "," : "",
						 what_names[k]);
}

static int version_text(vigil_buf *b, const vigil_diff_version *v)
{
	int rc = vigil_buf_printf(b, "%s %04o %lld:%lld %lld B", v->type, (unsigned)v->mode, (long long)v->uid,
				  (long long)v->gid, (long long)v->size);
	if (v->sha256)
		rc |= vigil_buf_printf(b, " sha256:%.12s", v->sha256);
	if (v->link)
		rc |= vigil_buf_printf(b, " -> %s", v->link);
	return rc | vigil_buf_printf(b, " (layer %zu)", v->layer);
}

static int table_files(const vigil_diff_report *r, vigil_buf *b)
{
	int rc = 0;
	if (r->file_count)
		rc |= vigil_buf_printf(b, "\nFILES\n%-8s %-20s %s\n", "CHANGE", "WHAT", "PATH");
	for (size_t i = 0; i < r->file_count && rc == 0; i++) {
		const vigil_diff_file *f = &r->files[i];
		char what[64];
		what_text(f->what, what, sizeof(what));
		rc |= vigil_buf_printf(b, "%-8s %-20s /%s\n", vigil_diff_change_name(f->change), what, f->path);
		if (f->a) {
			rc |= vigil_buf_printf(b, "%-29s A: ", "");
			rc |= version_text(b, f->a);
			rc |= vigil_buf_puts(b, "\n");
		}
		if (f->b) {
			rc |= vigil_buf_printf(b, "%-29s B: ", "");
			rc |= version_text(b, f->b);
			rc |= vigil_buf_puts(b, "\n");
		}
	}
	return rc;
}

static int table_packages(const vigil_diff_report *r, vigil_buf *b)
{
	int rc = 0;
	if (r->package_count)
		rc |= vigil_buf_printf(b, "\nPACKAGES\n%-10s %-6s %-32s %-24s %s\n", "CHANGE", "TYPE", "NAME", "A", "B");
	for (size_t i = 0; i < r->package_count && rc == 0; i++) {
		const vigil_diff_package *p = &r->packages[i];
		rc |= vigil_buf_printf(b, "%-10s %-6s %-32s %-24s %s\n", vigil_diff_change_name(p->change),
				       p->type ? p->type : "", p->name ? p->name : "", p->version_a ? p->version_a : "-",
				       p->version_b ? p->version_b : "-");
	}
	return rc;
}

static int table_findings(const vigil_diff_report *r, vigil_buf *b)
{
	int rc = 0;
	if (!r->findings_judged)
		return vigil_buf_printf(b, "\nFINDINGS: not judged: %s\n", r->findings_why ? r->findings_why : "no data");
	if (r->fixed_count + r->introduced_count)
		rc |= vigil_buf_printf(b, "\nFINDINGS\n%-11s %-10s %-20s %-24s %s\n", "CHANGE", "SEVERITY", "ID", "PACKAGE",
				       "VERSION");
	for (int side = 0; side < 2; side++) {
		const vigil_diff_finding *v = side ? r->introduced : r->fixed;
		size_t n = side ? r->introduced_count : r->fixed_count;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc |= vigil_buf_printf(b, "%-11s %-10s %-20s %-24s %s\n", side ? "introduced" : "fixed",
					       vigil_severity_name(v[i].severity), v[i].id ? v[i].id : "",
					       v[i].package ? v[i].package : "", v[i].version ? v[i].version : "");
	}
	return rc;
}

static int table_config(const vigil_diff_report *r, vigil_buf *b)
{
	int rc = 0;
	if (r->config_count)
		rc |= vigil_buf_puts(b, "\nCONFIG\n");
	for (size_t i = 0; i < r->config_count && rc == 0; i++) {
		const vigil_diff_config *c = &r->config[i];
		rc |= vigil_buf_printf(b, "%s%s%s\n  A: %s\n  B: %s\n", c->field, c->key ? " " : "", c->key ? c->key : "",
				       c->a ? c->a : "(none)", c->b ? c->b : "(none)");
	}
	return rc;
}

static int table(const vigil_diff_report *r, vigil_buf *b)
{
	int rc = 0;
	const vigil_diff_image *im[2] = { &r->a, &r->b };
	for (int k = 0; k < 2; k++)
		rc |= vigil_buf_printf(b, "%s: %s (%s, %zu layers, %llu paths, %zu packages)\n", k ? "B" : "A",
				       im[k]->image, im[k]->distribution ? im[k]->distribution : "no distribution",
				       im[k]->layer_count, (unsigned long long)im[k]->files, im[k]->package_count);
	rc |= vigil_buf_printf(b, "\nfiles: %zu added, %zu removed, %zu changed\n", r->files_added, r->files_removed,
			       r->files_changed);
	rc |= vigil_buf_printf(b, "packages: %zu added, %zu removed, %zu upgraded, %zu downgraded, %zu changed\n",
			       r->pkgs_added, r->pkgs_removed, r->pkgs_upgraded, r->pkgs_downgraded, r->pkgs_changed);
	if (r->findings_judged)
		rc |= vigil_buf_printf(b, "findings: %zu fixed, %zu introduced\n", r->fixed_count, r->introduced_count);
	else
		rc |= vigil_buf_puts(b, "findings: not judged (no vulnerability data)\n");
	rc |= vigil_buf_printf(b, "config: %zu field%s differ%s\n", r->config_count, r->config_count == 1 ? "" : "s",
			       r->config_count == 1 ? "s" : "");
	if (rc == 0)
		rc = table_files(r, b) | table_packages(r, b) | table_findings(r, b) | table_config(r, b);
	for (size_t i = 0; i < r->warning_count && rc == 0; i++)
		rc |= vigil_buf_printf(b, "%swarning: %s\n", i ? "" : "\n", r->warnings[i]);
	return rc < 0 ? VIGIL_ENOMEM : 0;
}

int vigil_diff_render(const vigil_diff_report *r, vigil_report_format f, const vigil_report_options *o,
		      char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	switch (f) {
	case VIGIL_FMT_CLAIR:
	case VIGIL_FMT_FLAT:
		return audit_json_dump(diff_report_json(r), o, out, len);
	case VIGIL_FMT_HTML:
		return diff_render_html(r, out, len);
	case VIGIL_FMT_TABLE: {
		vigil_buf b;
		vigil_buf_init(&b, RENDER_MAX);
		if (table(r, &b) < 0 || (!b.data && vigil_buf_puts(&b, "") < 0)) {
			vigil_buf_free(&b);
			return vigil_error_set(VIGIL_ENOMEM, "diff table: out of memory");
		}
		*out = vigil_buf_detach(&b, len);
		return 0;
	}
	default:
		return vigil_error_set(VIGIL_EINVAL, "a diff report has no %s format (table, json, html)",
				       vigil_report_format_name(f));
	}
}
