/* audit/inspect_render.c: an inspect report and a tag history as people
 * read them (sections of a table) and as scripts do (JSON: the members of
 * docs/audit.md (vigil inspect)). Sizes are bytes in JSON, human in the table. */
#include "audit/inspect_priv.h"

#include "util/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Characters of created_by shown in a table row. */
#define TABLE_CREATED_BY 96

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *strv(const char *const *v, size_t n)
{
	if (!v)
		return json_null();
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *layer_json(const vigil_audit_layer *l, size_t i)
{
	return json_pack("{s:I,s:s?,s:I,s:I,s:I,s:I}", "index", (json_int_t)i, "digest", l->digest, "size",
			 (json_int_t)l->size, "uncompressed", (json_int_t)l->uncompressed, "files",
			 (json_int_t)l->files, "whiteouts", (json_int_t)l->whiteouts);
}

static json_t *config_json(const vigil_inspect_report *r)
{
	json_t *c = json_object(), *env = json_array(), *labels = json_object();
	for (size_t i = 0; i < r->env_count; i++) {
		const vigil_inspect_env *e = &r->env[i];
		json_t *o = json_pack("{s:s,s:s,s:b}", "name", e->name, "value", e->value, "masked", e->masked);
		if (o && e->why)
			json_object_set_new(o, "why", json_string(e->why));
		json_array_append_new(env, o);
	}
	for (size_t i = 0; i < r->label_count; i++)
		json_object_set_new(labels, r->labels[i].key, json_string(r->labels[i].value));
	json_object_set_new(c, "entrypoint", strv(r->entrypoint, r->entrypoint_count));
	json_object_set_new(c, "cmd", strv(r->cmd, r->cmd_count));
	json_object_set_new(c, "shell", strv(r->shell, r->shell_count));
	json_object_set_new(c, "user", str_or_null(r->user));
	json_object_set_new(c, "working_dir", str_or_null(r->working_dir));
	json_object_set_new(c, "env", env);
	json_object_set_new(c, "exposed_ports", strv(r->exposed_ports ? r->exposed_ports : (const char *const[]){ NULL },
						     r->exposed_port_count));
	json_object_set_new(c, "volumes", strv(r->volumes ? r->volumes : (const char *const[]){ NULL }, r->volume_count));
	json_object_set_new(c, "labels", labels);
	json_object_set_new(c, "stop_signal", str_or_null(r->stop_signal));
	json_object_set_new(c, "healthcheck", r->healthcheck ? json_pack("{s:s,s:s?}", "test", r->healthcheck, "options",
									 r->healthcheck_options)
							     : json_null());
	json_object_set_new(c, "onbuild", strv(r->onbuild ? r->onbuild : (const char *const[]){ NULL }, r->onbuild_count));
	return c;
}

static json_t *history_json(const vigil_inspect_report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < r->history_count; i++) {
		const vigil_inspect_history *h = &r->history[i];
		json_t *o = json_pack("{s:I,s:s?,s:s?,s:s?,s:s?,s:b,s:s?}", "index", (json_int_t)i, "created", h->created,
				      "created_by", h->created_by, "comment", h->comment, "author", h->author,
				      "empty_layer", h->empty_layer, "instruction", h->instruction);
		if (o)
			json_object_set_new(o, "layer", h->layer < r->layer_count ? layer_json(&r->layers[h->layer], h->layer)
										   : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static const char *relation_name(vigil_family_relation rel)
{
	static const char *const names[] = { "self", "parent", "child", "sibling" };
	return names[rel];
}

static json_t *family_json(const vigil_inspect_family *f)
{
	json_t *m = json_array();
	for (size_t i = 0; m && i < f->member_count; i++) {
		const vigil_family_member *x = &f->members[i];
		json_array_append_new(m, json_pack("{s:s,s:s,s:s?,s:s?,s:s,s:I,s:I,s:I,s:I}", "relation",
						   relation_name(x->relation), "reference", x->reference, "repository",
						   x->repository, "tag", x->tag, "manifest_digest", x->manifest_digest,
						   "layers", (json_int_t)x->layer_count, "shared_layers", (json_int_t)x->shared,
						   "indexed_at", (json_int_t)x->indexed_at, "findings", (json_int_t)x->findings));
	}
	return json_pack("{s:I,s:o}", "base_layers", (json_int_t)f->base_layers, "members", m);
}

static json_t *report_json(const vigil_inspect_report *r)
{
	json_t *o = json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "image", r->image, "manifest_digest",
			      r->manifest_digest, "config_digest", r->config_digest, "architecture", r->architecture,
			      "os", r->os, "variant", r->variant, "created", r->created, "author", r->author,
			      "docker_version", r->docker_version);
	json_t *layers = json_array(), *warn = json_array();
	if (!o)
		return NULL;
	for (size_t i = 0; i < r->layer_count; i++)
		json_array_append_new(layers, layer_json(&r->layers[i], i));
	for (size_t i = 0; i < r->warning_count; i++)
		json_array_append_new(warn, json_string(r->warnings[i]));
	json_object_set_new(o, "config", config_json(r));
	json_object_set_new(o, "history", history_json(r));
	json_object_set_new(o, "layers", layers);
	json_object_set_new(o, "totals", json_pack("{s:I,s:I,s:I,s:I}", "layers", (json_int_t)r->layer_count, "size",
						   (json_int_t)r->total_size, "uncompressed",
						   (json_int_t)r->total_uncompressed, "files", (json_int_t)r->total_files));
	json_object_set_new(o, "dockerfile", str_or_null(r->dockerfile));
	if (r->family)
		json_object_set_new(o, "family", family_json(r->family));
	json_object_set_new(o, "warnings", warn);
	return o;
}

static int dump(json_t *o, char **out, size_t *len)
{
	if (!o)
		return vigil_error_oom();
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return vigil_error_oom();
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		return vigil_error_oom();
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	*out = t;
	*len = n + 1;
	return 0;
}

/* ---- the table ---- */

static const char *human(char *b, size_t n, uint64_t v)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;
	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	snprintf(b, n, u ? "%.1f %s" : "%.0f %s", d, units[u]);
	return b;
}

static int put_strv(vigil_buf *b, const char *label, const char *const *v, size_t n)
{
	int rc;
	if (!v)
		return 0;
	if ((rc = vigil_buf_printf(b, "  %-12s [", label)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = vigil_buf_printf(b, "%s\"%s\"", i ? ", " : "", v[i]);
	return rc < 0 ? rc : vigil_buf_puts(b, "]\n");
}

static int put_list(vigil_buf *b, const char *label, const char *const *v, size_t n)
{
	int rc = 0;
	if (!n)
		return 0;
	rc = vigil_buf_printf(b, "  %-12s", label);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = vigil_buf_printf(b, " %s", v[i]);
	return rc < 0 ? rc : vigil_buf_putc(b, '\n');
}

static int table_head(vigil_buf *b, const vigil_inspect_report *r)
{
	int rc = vigil_buf_printf(b, "Image         %s\n", r->image);
	if (rc == 0 && r->manifest_digest)
		rc = vigil_buf_printf(b, "Manifest      %s\n", r->manifest_digest);
	if (rc == 0 && r->config_digest)
		rc = vigil_buf_printf(b, "Config        %s\n", r->config_digest);
	if (rc == 0 && r->os)
		rc = vigil_buf_printf(b, "Platform      %s/%s%s%s\n", r->os, r->architecture ? r->architecture : "?",
				      r->variant ? "/" : "", r->variant ? r->variant : "");
	if (rc == 0 && r->created)
		rc = vigil_buf_printf(b, "Created       %s\n", r->created);
	if (rc == 0 && r->author)
		rc = vigil_buf_printf(b, "Author        %s\n", r->author);
	if (rc == 0 && r->docker_version)
		rc = vigil_buf_printf(b, "Docker        %s\n", r->docker_version);
	return rc;
}

static int table_config(vigil_buf *b, const vigil_inspect_report *r)
{
	int rc = vigil_buf_puts(b, "\nCONFIG\n");
	if (rc == 0 && (rc = put_strv(b, "Entrypoint", r->entrypoint, r->entrypoint_count)) == 0 &&
	    (rc = put_strv(b, "Cmd", r->cmd, r->cmd_count)) == 0 && (rc = put_strv(b, "Shell", r->shell, r->shell_count)) == 0)
		rc = vigil_buf_printf(b, "  %-12s %s\n", "User", r->user && *r->user ? r->user : "(root: not set)");
	if (rc == 0 && r->working_dir && *r->working_dir)
		rc = vigil_buf_printf(b, "  %-12s %s\n", "WorkingDir", r->working_dir);
	if (rc == 0 && (rc = put_list(b, "Exposed", r->exposed_ports, r->exposed_port_count)) == 0)
		rc = put_list(b, "Volumes", r->volumes, r->volume_count);
	if (rc == 0 && r->stop_signal)
		rc = vigil_buf_printf(b, "  %-12s %s\n", "StopSignal", r->stop_signal);
	if (rc == 0 && r->healthcheck)
		rc = vigil_buf_printf(b, "  %-12s %s%s%s%s\n", "Healthcheck", r->healthcheck, r->healthcheck_options ? " (" : "",
				      r->healthcheck_options ? r->healthcheck_options : "", r->healthcheck_options ? ")" : "");
	for (size_t i = 0; rc == 0 && i < r->onbuild_count; i++)
		rc = vigil_buf_printf(b, "  %-12s %s\n", i ? "" : "OnBuild", r->onbuild[i]);
	if (rc == 0 && r->env_count)
		rc = vigil_buf_puts(b, "  Env\n");
	for (size_t i = 0; rc == 0 && i < r->env_count; i++)
		rc = vigil_buf_printf(b, "    %s=%s%s%s%s\n", r->env[i].name, r->env[i].value, r->env[i].masked ? "   (masked: " : "",
				      r->env[i].masked ? r->env[i].why : "", r->env[i].masked ? ")" : "");
	if (rc == 0 && r->label_count)
		rc = vigil_buf_puts(b, "  Labels\n");
	for (size_t i = 0; rc == 0 && i < r->label_count; i++)
		rc = vigil_buf_printf(b, "    %s=%s\n", r->labels[i].key, r->labels[i].value);
	return rc;
}

/* The created_by of a row: its instruction, on one line, cut. */
static void one_line(char *out, size_t n, const char *s)
{
	size_t k = 0;
	for (; s && *s && k + 4 < n; s++)
		out[k++] = *s == '\n' || *s == '\t' ? ' ' : *s;
	if (s && *s && n > 4) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

static int table_history(vigil_buf *b, const vigil_inspect_report *r)
{
	char s1[32], s2[32], cb[TABLE_CREATED_BY + 4], dg[20], when[20];
	int rc = vigil_buf_printf(b, "\nHISTORY (%zu entr%s, %zu layer%s)\n  %-3s %-20s %-19s %9s %9s %7s  %s\n",
				  r->history_count, r->history_count == 1 ? "y" : "ies", r->layer_count,
				  r->layer_count == 1 ? "" : "s", "#", "CREATED", "LAYER", "SIZE", "UNPACKED", "FILES",
				  "CREATED BY");
	for (size_t i = 0; rc == 0 && i < r->history_count; i++) {
		const vigil_inspect_history *h = &r->history[i];
		const vigil_audit_layer *l = h->layer < r->layer_count ? &r->layers[h->layer] : NULL;
		one_line(cb, sizeof(cb), h->instruction ? h->instruction : h->created_by);
		snprintf(when, sizeof(when), "%s", h->created ? h->created : "");
		if (when[0] && strlen(when) > 10 && when[10] == 'T')
			when[10] = ' ';
		snprintf(dg, sizeof(dg), "%.19s", l ? (strchr(l->digest, ':') ? strchr(l->digest, ':') + 1 : l->digest) : "-");
		char fc[24] = "";
		if (l)
			snprintf(fc, sizeof(fc), "%" PRIu64, l->files);
		rc = vigil_buf_printf(b, "  %-3zu %-20.20s %-19s %9s %9s %7s  %s\n", i, when, dg,
				      l ? human(s1, sizeof(s1), l->size) : "", l ? human(s2, sizeof(s2), l->uncompressed) : "",
				      fc, cb);
	}
	if (rc == 0)
		rc = vigil_buf_printf(b, "  %-3s %-20s %-19s %9s %9s %7" PRIu64 "\n", "", "total", "",
				      human(s1, sizeof(s1), r->total_size), human(s2, sizeof(s2), r->total_uncompressed),
				      r->total_files);
	return rc;
}

static const char *date(char *b, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(b, n, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(b, n, "%" PRId64, t);
	return b;
}

static const char *count(char *b, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%" PRId64, v);
	return b;
}

static int table_family(vigil_buf *b, const vigil_inspect_family *f)
{
	char d[32], c[24];
	int rc = vigil_buf_printf(b, "\nFAMILY TREE (%zu indexed image%s; siblings share the first %zu layer%s)\n",
				  f->member_count, f->member_count == 1 ? "" : "s", f->base_layers,
				  f->base_layers == 1 ? "" : "s");
	if (rc == 0 && !f->member_count)
		return vigil_buf_puts(b, "  no indexed image shares its layers (index some with vigil index --db)\n");
	if (rc == 0)
		rc = vigil_buf_printf(b, "  %-8s %-6s %-6s %-19s %-8s %-19s %s\n", "RELATION", "LAYERS", "SHARED", "INDEXED",
				      "FINDINGS", "MANIFEST", "IMAGE");
	for (size_t i = 0; rc == 0 && i < f->member_count; i++) {
		const vigil_family_member *m = &f->members[i];
		const char *md = strchr(m->manifest_digest, ':');
		rc = vigil_buf_printf(b, "  %-8s %-6zu %-6zu %-19s %-8s %-19.19s %s\n", relation_name(m->relation),
				      m->layer_count, m->shared, date(d, sizeof(d), m->indexed_at),
				      count(c, sizeof(c), m->findings), md ? md + 1 : m->manifest_digest, m->reference);
	}
	return rc;
}

static int table(const vigil_inspect_report *r, vigil_buf *b)
{
	int rc;
	if ((rc = table_head(b, r)) < 0 || (rc = table_config(b, r)) < 0 || (rc = table_history(b, r)) < 0)
		return rc;
	if ((rc = vigil_buf_printf(b, "\nDOCKERFILE (reconstructed from the history)\n%s", r->dockerfile ? r->dockerfile : "")) < 0)
		return rc;
	if (r->family && (rc = table_family(b, r->family)) < 0)
		return rc;
	if (r->warning_count && (rc = vigil_buf_puts(b, "\nWARNINGS\n")) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < r->warning_count; i++)
		rc = vigil_buf_printf(b, "  %s\n", r->warnings[i]);
	return rc;
}

static int finish(vigil_buf *b, int rc, char **out, size_t *len)
{
	if (rc < 0) {
		vigil_buf_free(b);
		return rc;
	}
	if (!(*out = vigil_buf_detach(b, len)))
		return vigil_error_oom();
	return 0;
}

int vigil_inspect_render(const vigil_inspect_report *r, vigil_report_format f, char **out, size_t *len)
{
	vigil_buf b;
	*out = NULL;
	*len = 0;
	if (f == VIGIL_FMT_CLAIR || f == VIGIL_FMT_FLAT)
		return dump(report_json(r), out, len);
	if (f != VIGIL_FMT_TABLE)
		return vigil_error_set(VIGIL_EINVAL, "vigil inspect writes table or json, not %s", vigil_report_format_name(f));
	vigil_buf_init(&b, INSPECT_RENDER_MAX);
	return finish(&b, table(r, &b), out, len);
}

/* ---- the tag history ---- */

static json_t *tags_json(const vigil_tag_history *h)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < h->entry_count; i++) {
		const vigil_tag_entry *e = &h->entries[i];
		json_array_append_new(a, json_pack("{s:s,s:s?,s:s,s:I,s:I,s:I,s:I,s:I}", "manifest_digest",
						   e->manifest_digest, "config_digest", e->config_digest, "reference",
						   e->reference, "first_seen", (json_int_t)e->first_seen, "last_seen",
						   (json_int_t)e->last_seen, "times", (json_int_t)e->times, "findings",
						   (json_int_t)e->findings, "layers", (json_int_t)e->layer_count));
	}
	return json_pack("{s:s,s:s,s:o}", "repository", h->repository, "tag", h->tag, "history", a);
}

int vigil_tag_history_render(const vigil_tag_history *h, vigil_report_format f, char **out, size_t *len)
{
	char d1[32], d2[32], c[24];
	vigil_buf b;
	int rc;
	*out = NULL;
	*len = 0;
	if (f == VIGIL_FMT_CLAIR || f == VIGIL_FMT_FLAT)
		return dump(tags_json(h), out, len);
	if (f != VIGIL_FMT_TABLE)
		return vigil_error_set(VIGIL_EINVAL, "vigil inspect writes table or json, not %s", vigil_report_format_name(f));
	vigil_buf_init(&b, INSPECT_RENDER_MAX);
	rc = vigil_buf_printf(&b, "TAG HISTORY of %s:%s (%zu digest%s)\n", h->repository, h->tag, h->entry_count,
			      h->entry_count == 1 ? "" : "s");
	if (rc == 0 && !h->entry_count)
		rc = vigil_buf_puts(&b, "  never indexed under this tag (vigil index/scan record it)\n");
	else if (rc == 0)
		rc = vigil_buf_printf(&b, "  %-19s %-19s %-5s %-8s %-6s %s\n", "FIRST SEEN", "LAST SEEN", "TIMES", "FINDINGS",
				      "LAYERS", "MANIFEST");
	for (size_t i = 0; rc == 0 && i < h->entry_count; i++) {
		const vigil_tag_entry *e = &h->entries[i];
		rc = vigil_buf_printf(&b, "  %-19s %-19s %-5zu %-8s %-6zu %s\n", date(d1, sizeof(d1), e->first_seen),
				      date(d2, sizeof(d2), e->last_seen), e->times, count(c, sizeof(c), e->findings),
				      e->layer_count, e->manifest_digest);
	}
	return finish(&b, rc, out, len);
}
