/* audit/audit.c: vigil_audit_image(), the front door of vigil/audit.h:
 * the options, the one pass with the scanners asked for, and the report
 * (sorted, the user's ignore rules and severity floor applied). The report
 * keeps the walk alive: every string of it lives in the walk's arena. */
#include "audit/walk_priv.h"

#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct vigil_audit_internal {
	audit_walk *walk;
	vigil_audit_finding *kept, *suppressed;
	vigil_severity floor; /* the options' min_severity */
};

static const struct {
	const char *name;
	unsigned bit;
} scanner_names[] = {
	{ "secret", VIGIL_AUDIT_SECRET },     { "secrets", VIGIL_AUDIT_SECRET },
	{ "integrity", VIGIL_AUDIT_INTEGRITY }, { "trojan", VIGIL_AUDIT_TROJAN },
	{ "backdoor", VIGIL_AUDIT_TROJAN },   { "policy", VIGIL_AUDIT_POLICY },
	{ "misconfig", VIGIL_AUDIT_POLICY },  { "config", VIGIL_AUDIT_POLICY },
};

const char *vigil_audit_category_name(vigil_audit_category c)
{
	switch (c) {
	case VIGIL_AUDIT_SECRET: return "secret";
	case VIGIL_AUDIT_INTEGRITY: return "integrity";
	case VIGIL_AUDIT_TROJAN: return "trojan";
	case VIGIL_AUDIT_POLICY: return "policy";
	}
	return NULL;
}

int vigil_audit_scanners_parse(const char *list, unsigned *bits, int *vuln)
{
	unsigned b = 0;
	const char *p = list ? list : "";
	if (vuln)
		*vuln = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool known = false;
		if (n == 4 && strncasecmp(p, "vuln", 4) == 0 && vuln) {
			*vuln = 1;
			known = true;
		}
		if (n == 3 && strncasecmp(p, "all", 3) == 0) {
			b |= VIGIL_AUDIT_ALL;
			if (vuln)
				*vuln = 1;
			known = true;
		}
		for (size_t i = 0; !known && i < sizeof(scanner_names) / sizeof(scanner_names[0]); i++)
			if (strlen(scanner_names[i].name) == n && strncasecmp(p, scanner_names[i].name, n) == 0) {
				b |= scanner_names[i].bit;
				known = true;
			}
		if (!known && n)
			return vigil_error_set(VIGIL_EINVAL,
					       "unknown scanner '%.*s' (known: %ssecret, integrity, trojan, policy, all)",
					       (int)(n > 64 ? 64 : n), p, vuln ? "vuln, " : "");
		p += n;
		if (*p == ',')
			p++;
	}
	if (!b && !(vuln && *vuln))
		return vigil_error_set(VIGIL_EINVAL, "no scanner named in '%s'", list ? list : "");
	*bits = b;
	return 0;
}

void vigil_audit_options_init(vigil_audit_options *o)
{
	memset(o, 0, sizeof(*o));
	o->scanners = VIGIL_AUDIT_ALL;
}

static int by_severity(const void *pa, const void *pb)
{
	const vigil_audit_finding *a = pa, *b = pb;
	int c;
	if (a->info != b->info)
		return a->info - b->info;
	if (a->severity != b->severity)
		return (int)b->severity - (int)a->severity;
	if (a->category != b->category)
		return (int)a->category - (int)b->category;
	if ((c = strcmp(a->path ? a->path : "", b->path ? b->path : "")))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	return strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "");
}

/* Splits the walk's findings into kept and suppressed, sorted. */
static int assemble(vigil_audit_report *r, audit_walk *w, const vigil_audit_options *o)
{
	size_t n;
	const vigil_audit_finding *all = audit_walk_findings(w, &n);
	struct vigil_audit_internal *in = r->internal;
	in->floor = o->min_severity;
	in->kept = calloc(n + 1, sizeof(*in->kept));
	in->suppressed = calloc(n + 1, sizeof(*in->suppressed));
	if (!in->kept || !in->suppressed)
		return vigil_error_oom();
	size_t k = 0, s = 0;
	for (size_t i = 0; i < n; i++) {
		const vigil_audit_finding *f = &all[i];
		if (o->min_severity != VIGIL_SEV_UNKNOWN && f->severity < o->min_severity)
			continue;
		if (o->ignore && vigil_ignore_list_match_rule(o->ignore, f->rule, f->path, o->now, NULL, NULL))
			in->suppressed[s++] = *f;
		else
			in->kept[k++] = *f;
	}
	qsort(in->kept, k, sizeof(*in->kept), by_severity);
	qsort(in->suppressed, s, sizeof(*in->suppressed), by_severity);
	r->findings = in->kept;
	r->finding_count = k;
	r->suppressed = in->suppressed;
	r->suppressed_count = s;
	r->policy = audit_walk_policy(w, &r->policy_count);
	r->warnings = audit_walk_warnings(w, &r->warning_count);
	r->files_scanned = w->files_scanned;
	r->bytes_scanned = w->bytes_scanned;
	r->binaries_skipped = w->binaries_skipped;
	return 0;
}

int vigil_audit_image(const char *ref, const vigil_audit_options *opt_in, vigil_audit_report **out)
{
	vigil_audit_options def, o;
	const vigil_audit_options *opt = &o;
	vigil_audit_report *r = NULL;
	audit_walk *w = NULL;
	int rc;
	static const struct {
		unsigned bit;
		const audit_checker *c;
	} order[] = {
		{ VIGIL_AUDIT_SECRET, &audit_secret_checker },
		{ VIGIL_AUDIT_INTEGRITY, &audit_integrity_checker },
		{ VIGIL_AUDIT_TROJAN, &audit_trojan_checker },
		{ VIGIL_AUDIT_POLICY, &audit_policy_checker },
	};
	*out = NULL;
	if (!opt_in) {
		vigil_audit_options_init(&def);
		opt_in = &def;
	}
	/* the checkers keep opt: the inputs callback fills its index and vulns */
	o = *opt_in;
	if (!ref)
		return vigil_error_set(VIGIL_EINVAL, "no image to audit");
	unsigned scanners = opt->scanners ? opt->scanners : VIGIL_AUDIT_ALL;
	audit_walk_options wo = { .platform = opt->platform, .registry = opt->registry,
				  .progress = opt->progress, .progress_ud = opt->progress_ud,
				  .warn = opt->warn, .warn_ud = opt->warn_ud, .now = opt->now,
				  .index_store = opt->store };
	if ((rc = audit_walk_open(ref, &wo, &w)) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((scanners & order[i].bit) && (rc = audit_walk_add(w, order[i].c, opt)) < 0)
			goto out;
	if ((rc = audit_walk_read(w)) < 0)
		goto out;
	if (o.inputs && (rc = o.inputs(o.inputs_ud, &o.index, &o.vulns)) < 0)
		goto out;
	if ((rc = audit_walk_finish(w)) < 0)
		goto out;
	if (!(r = calloc(1, sizeof(*r))) || !(r->internal = calloc(1, sizeof(*r->internal)))) {
		rc = vigil_error_oom();
		goto out;
	}
	r->internal->walk = w;
	r->image = audit_walk_ref(w);
	r->manifest_hash = audit_walk_manifest_digest(w);
	r->layers = w->layers;
	r->layer_count = w->nlayers;
	r->scanners = scanners;
	r->layers_indexed = (size_t)w->layers_indexed;
	w = NULL;
	if ((rc = assemble(r, r->internal->walk, opt)) < 0)
		goto out;
	*out = r;
	r = NULL;
out:
	vigil_audit_report_free(r);
	audit_walk_free(w);
	return rc;
}

void vigil_audit_report_free(vigil_audit_report *r)
{
	if (!r)
		return;
	if (r->internal) {
		audit_walk_free(r->internal->walk);
		free(r->internal->kept);
		free(r->internal->suppressed);
		free(r->internal);
	}
	free(r);
}

/* Whether the finding of a failed policy rule was dropped: suppressed by
 * an ignore rule, or below the report's severity floor. */
static bool policy_suppressed(const vigil_audit_report *r, const vigil_audit_policy_result *p)
{
	const char *rule = p->rule;
	if (r->internal && r->internal->floor != VIGIL_SEV_UNKNOWN && p->severity < r->internal->floor)
		return true;
	for (size_t i = 0; rule && i < r->suppressed_count; i++)
		if (r->suppressed[i].category == VIGIL_AUDIT_POLICY && r->suppressed[i].rule &&
		    !strcmp(r->suppressed[i].rule, rule))
			return true;
	return false;
}

int vigil_audit_report_failed(const vigil_audit_report *r, vigil_severity min)
{
	for (size_t i = 0; i < r->finding_count; i++)
		if (!r->findings[i].info && (min == VIGIL_SEV_UNKNOWN || r->findings[i].severity >= min))
			return 1;
	for (size_t i = 0; i < r->policy_count; i++)
		if (r->policy[i].passed == 0 && (min == VIGIL_SEV_UNKNOWN || r->policy[i].severity >= min) &&
		    !policy_suppressed(r, &r->policy[i]))
			return 1;
	return 0;
}
