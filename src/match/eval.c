/* match/eval.c: the small decisions of the matcher: which feed is the
 * authority of a namespace, which comparator a scheme uses, whether a
 * record's architecture and modularity stream allow a package, and whether
 * a version falls inside OSV ranges (the OSV schema's evaluation: events
 * sorted by version, introduced opens, fixed closes before, last_affected
 * closes after; limit events only bound git ranges and are not used). */
#include "feed/lang_eco.h"
#include "match/match_priv.h"
#include "vigil/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The authority of each feed, highest first. A vendor's own tracker is
 * the most precise (per release, per source package, backports known);
 * derived formats (OVAL, VEX, OSV exports of the same tracker) come next;
 * advisory lists and generic OSV last. Feeds of different vendors never
 * share a namespace, so one list orders them all. */
static const char *const feed_order[] = {
	"debian", "ubuntu", "alpine", "redhat-vex", "redhat-oval", "redhat-csaf", "redhat-cve",
	"ubuntu-oval", "ubuntu-vex", "ubuntu-osv", "debian-lists",
	/* the families of issue 16, each vendor's own first (docs/feeds-*.md) */
	"amazon",
	"oracle",
	"suse-oval", "suse-cvrf",
	"rocky", "rocky-osv",
	"alma", "alma-osv",
	"photon", "photon-oval",
	"mariner",
	"fedora",
	"wolfi", "wolfi-osv",
	"chainguard", "chainguard-osv",
	"osv",
};

int match_feed_rank(const char *feed)
{
	for (size_t i = 0; i < sizeof(feed_order) / sizeof(feed_order[0]); i++)
		if (strcmp(feed, feed_order[i]) == 0)
			return (int)i;
	return 100;
}

match_cmp_fn match_comparator(const char *scheme, vigil_pkg_type type)
{
	if (scheme) {
		if (!strcmp(scheme, "dpkg")) return vigil_dpkg_cmp;
		if (!strcmp(scheme, "rpm")) return vigil_rpm_evr_cmp;
		if (!strcmp(scheme, "apk")) return vigil_apk_cmp;
		/* the language schemes: "semver", "pep440", "maven", "npm", "go", ... */
		match_cmp_fn lang = feed_lang_cmp(scheme);
		if (lang)
			return lang;
	}
	switch (type) {
	case VIGIL_PKG_DPKG: return vigil_dpkg_cmp;
	case VIGIL_PKG_RPM: return vigil_rpm_evr_cmp;
	case VIGIL_PKG_APK: return vigil_apk_cmp;
	default: {
		const feed_lang_eco *e = feed_lang_by_type(type);
		return e ? feed_lang_cmp(e->scheme) : NULL;
	}
	}
}

bool match_arch_ok(const char *row_arch, const char *pkg_arch)
{
	if (!row_arch || !*row_arch || !pkg_arch || !*pkg_arch)
		return true;
	size_t n = strlen(pkg_arch);
	for (const char *p = row_arch; *p;) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, pkg_arch, n) == 0)
			return true;
		p += len + (e != NULL);
	}
	return false;
}

/* A record's stream "nodejs:18" matches a package labelled
 * "nodejs:18:8080020230613142549:63b34585"; a record without a stream
 * matches only packages outside every module. */
bool match_module_ok(const char *row_module, const char *pkg_module)
{
	if (!row_module || !*row_module)
		return !pkg_module || !*pkg_module;
	if (!pkg_module)
		return false;
	size_t n = strlen(row_module);
	return strncmp(pkg_module, row_module, n) == 0 && (pkg_module[n] == ':' || pkg_module[n] == 0);
}

static int ev_cmp(match_cmp_fn cmp, const vigil_range_event *a, const vigil_range_event *b)
{
	/* introduced "0" is below everything */
	int az = a->kind == VIGIL_EVENT_INTRODUCED && !strcmp(a->version, "0");
	int bz = b->kind == VIGIL_EVENT_INTRODUCED && !strcmp(b->version, "0");
	if (az || bz)
		return bz - az;
	return cmp(a->version, strlen(a->version), b->version, strlen(b->version));
}

/* *fixed gets the lowest fixed event above v when v is affected. */
static bool range_matches(const vigil_range *rg, match_cmp_fn cmp, const char *v, size_t vlen,
			  const char **fixed)
{
	size_t n = rg->nevents;
	const vigil_range_event **ev = NULL;
	bool affected = false;

	if (!strcmp(rg->type ? rg->type : "", "VERSIONS")) {
		for (size_t i = 0; i < n; i++)
			if (cmp(v, vlen, rg->events[i].version, strlen(rg->events[i].version)) == 0)
				return true;
		return false;
	}
	if (n == 0 || !(ev = malloc(n * sizeof(*ev))))
		return false;
	for (size_t i = 0; i < n; i++) { /* insertion sort: ranges have a handful of events */
		size_t j = i;
		while (j > 0 && ev_cmp(cmp, ev[j - 1], &rg->events[i]) > 0) {
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = &rg->events[i];
	}
	for (size_t i = 0; i < n; i++) {
		const char *ver = ev[i]->version;
		int c = cmp(v, vlen, ver, strlen(ver));
		switch (ev[i]->kind) {
		case VIGIL_EVENT_INTRODUCED:
			if (!strcmp(ver, "0") || c >= 0)
				affected = true;
			break;
		case VIGIL_EVENT_FIXED:
			if (c >= 0)
				affected = false;
			break;
		case VIGIL_EVENT_LAST_AFFECTED:
			if (c > 0)
				affected = false;
			break;
		case VIGIL_EVENT_LIMIT:
			break;
		}
	}
	for (size_t i = 0; affected && i < n; i++)
		if (ev[i]->kind == VIGIL_EVENT_FIXED &&
		    cmp(v, vlen, ev[i]->version, strlen(ev[i]->version)) < 0) {
			*fixed = ev[i]->version;
			break;
		}
	free(ev);
	return affected;
}

static const char *describe(vigil_arena *a, const vigil_range *rg)
{
	char buf[512];
	size_t off = 0;
	bool list = rg->type && !strcmp(rg->type, "VERSIONS");
	if (list)
		off = (size_t)snprintf(buf, sizeof(buf), "one of ");
	for (size_t i = 0; i < rg->nevents && off < sizeof(buf) - 1; i++) {
		const vigil_range_event *e = &rg->events[i];
		if (list) {
			int w = snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "", e->version);
			if (w < 0)
				break;
			off += (size_t)w;
			continue;
		}
		const char *op = e->kind == VIGIL_EVENT_INTRODUCED ? ">=" :
				 e->kind == VIGIL_EVENT_FIXED ? "<" :
				 e->kind == VIGIL_EVENT_LAST_AFFECTED ? "<=" : "limit";
		if (e->kind == VIGIL_EVENT_INTRODUCED && !strcmp(e->version, "0"))
			continue;
		int w = snprintf(buf + off, sizeof(buf) - off, "%s%s %s", off ? ", " : "", op, e->version);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (off >= sizeof(buf))
		off = sizeof(buf) - 1;
	return off ? vigil_arena_strndup(a, buf, off) : NULL;
}

bool match_ranges(vigil_arena *a, const vigil_affected *af, match_cmp_fn cmp, const char *v,
		  const char **desc, const char **fixed)
{
	size_t vlen = strlen(v), usable = 0;
	*desc = NULL;
	*fixed = NULL;
	for (size_t r = 0; r < af->nranges; r++) {
		const vigil_range *rg = &af->ranges[r];
		if (rg->type && !strcmp(rg->type, "GIT"))
			continue; /* commits, not versions */
		usable++;
		if (range_matches(rg, cmp, v, vlen, fixed)) {
			*desc = describe(a, rg);
			return true;
		}
	}
	/* No version range at all: the feed says every version is affected. */
	return usable == 0;
}

const char *match_cve_key(vigil_intern *strs, const char *id)
{
	const char *p = strncmp(id, "CVE-", 4) == 0 ? id : strstr(id, "-CVE-");
	if (!p)
		return NULL;
	if (p != id)
		p++;
	return vigil_intern_cstr(strs, p);
}
