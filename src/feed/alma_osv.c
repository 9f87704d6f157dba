/* feed/alma_osv.c: what the OSV exports of the two rebuilds of RHEL say
 * outside the OSV fields vigil reads generically (feed/osv.c calls
 * feed_rebuild_osv() for every document; the ecosystems themselves are
 * mapped in feed/osv_vendor.c).
 *
 * AlmaLinux (github.com/AlmaLinux/osv-database, what osv.dev imports) and
 * Rocky Linux (apollo.build.resf.org/api/v3/osv) write an advisory per
 * document: id ALSA-/RLSA-, the CVEs it fixes in "related" (not
 * "aliases"), no severity field but the Red Hat impact word at the head of
 * the summary ("Moderate: mariadb:10.3 security ... update"), and no
 * modularity field: the module stream is the summary's second word when it
 * is "name:stream" (vunnel reads it the same way). So, for a document with
 * an entry in an almalinux: or rocky: namespace:
 *   - related ids become aliases (the matcher groups advisories by CVE);
 *   - the summary's word becomes the vendor severity (feed_rebuild_severity),
 *     over a CVSS-derived level (Rocky adds the highest CVSS_V3 vector);
 *   - the summary's stream becomes the module of each such entry whose
 *     fixed build is a module build (".module_el8", ".module+el9"): a
 *     package built outside the module never carries its label;
 *   - bug fix and enhancement advisories (ALBA-, ALEA-, RLBA-, RLEA-) are
 *     dropped: they fix no vulnerability (vunnel keeps ALBA- as records). */
#include "feed/alma.h"
#include "util/error.h"
#include "util/slice.h"

#include <string.h>

/* Bytes of a module stream "name:stream" taken from a summary. */
#define VIGIL_REBUILD_MAX_MODULE 256

static bool rebuild_ns(const char *ns)
{
	return ns && (!strncmp(ns, "almalinux:", 10) || !strncmp(ns, "rocky:", 6));
}

static bool is_module_build(const char *fixed)
{
	return fixed && (strstr(fixed, ".module_el") || strstr(fixed, ".module+el"));
}

/* related[] strings appended to the aliases, without duplicates. */
static int add_related(vigil_feed_ctx *ctx, json_t *doc, vigil_vuln *v)
{
	json_t *rel = json_object_get(doc, "related"), *e;
	size_t i, n = json_array_size(rel);
	if (!n)
		return 0;
	if (n > VIGIL_FEED_MAX_REFS || v->naliases > VIGIL_FEED_MAX_REFS)
		return vigil_error_set(VIGIL_ELIMIT, "related: more than %d ids", VIGIL_FEED_MAX_REFS);
	const char **al = vigil_arena_calloc(ctx->arena, v->naliases + n, sizeof(*al));
	if (!al)
		return vigil_error_or_oom();
	size_t k = v->naliases;
	if (k)
		memcpy(al, v->aliases, k * sizeof(*al));
	json_array_foreach(rel, i, e) {
		const char *s = json_string_value(e);
		size_t len = json_string_length(e), j = 0;
		if (!s || !len || len > 256 || (v->id && !strcmp(s, v->id)))
			continue;
		while (j < k && strcmp(al[j], s) != 0)
			j++;
		if (j < k)
			continue;
		if (!(al[k++] = feed_str(ctx, s, len)))
			return vigil_error_or_oom();
	}
	v->aliases = al;
	v->naliases = k;
	return 0;
}

/* "Moderate: mariadb:10.3 security update": the word before ':' and the
 * module stream of the next word, when there are. */
static int read_summary(vigil_feed_ctx *ctx, vigil_vuln *v, char *module, size_t mn)
{
	*module = '\0';
	if (!v->summary)
		return 0;
	vigil_slice s = vigil_slice_cstr(v->summary), word, rest, next;
	if (!vigil_slice_split(s, ':', &word, &rest))
		return 0;
	vigil_severity sev = feed_rebuild_severity(word.ptr, word.len);
	if (sev != VIGIL_SEV_UNKNOWN) {
		if (!(v->vendor_severity = feed_str(ctx, word.ptr, word.len)))
			return vigil_error_or_oom();
		v->severity = sev;
	}
	while (rest.len && rest.ptr[0] == ' ')
		rest = vigil_slice_sub(rest, 1, rest.len - 1);
	ptrdiff_t sp = vigil_slice_find(rest, ' ');
	next = sp < 0 ? rest : vigil_slice_sub(rest, 0, (size_t)sp);
	if (sev != VIGIL_SEV_UNKNOWN && next.len && vigil_slice_find(next, ':') > 0 &&
	    next.ptr[next.len - 1] != ':')
		feed_rebuild_module(next.ptr, next.len, module, mn);
	return 0;
}

int feed_rebuild_osv(vigil_feed_ctx *ctx, json_t *doc, vigil_vuln *v, vigil_affected *af, size_t n,
		     bool *drop)
{
	char module[VIGIL_REBUILD_MAX_MODULE];
	const char *mod = NULL;
	size_t i = 0;
	int rc;
	*drop = false;
	while (i < n && !rebuild_ns(af[i].namespace))
		i++;
	if (i == n)
		return 0;
	if (v->id && (!strncmp(v->id, "ALBA-", 5) || !strncmp(v->id, "ALEA-", 5) ||
		      !strncmp(v->id, "RLBA-", 5) || !strncmp(v->id, "RLEA-", 5))) {
		*drop = true;
		return 0;
	}
	v->source = strncmp(af[i].namespace, "rocky:", 6) ? "almalinux" : "rocky";
	if ((rc = add_related(ctx, doc, v)) < 0 || (rc = read_summary(ctx, v, module, sizeof(module))) < 0)
		return rc;
	if (*module && !(mod = feed_cstr(ctx, module)))
		return vigil_error_or_oom();
	for (; mod && i < n; i++)
		if (rebuild_ns(af[i].namespace) && is_module_build(af[i].fixed) && !af[i].module)
			af[i].module = mod;
	return 0;
}
