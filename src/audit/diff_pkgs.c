/* audit/diff_pkgs.c: packages and findings of two images compared.
 *
 * Packages are grouped by (type, name, arch). In a group, the versions
 * both images have cancel out; when one version is left on each side it
 * is an upgrade or a downgrade in the version order of the package's
 * ecosystem (dpkg, rpm, apk, PEP 440, npm ...), or "changed" when the two
 * strings differ but compare equal; anything else left is added or
 * removed. Findings are keyed by (vulnerability id, package name): fixed
 * are those of A that B has not, introduced those of B that A has not. */
#include "audit/diff_priv.h"

#include "util/error.h"
#include "util/grow.h"
#include "vigil/version.h"

#include <stdlib.h>
#include <string.h>

const char *diff_scheme(vigil_pkg_type t)
{
	switch (t) {
	case VIGIL_PKG_DPKG: return "dpkg";
	case VIGIL_PKG_APK: return "apk";
	case VIGIL_PKG_RPM: return "rpm";
	case VIGIL_PKG_PYPI: return "pep440";
	case VIGIL_PKG_NPM: return "npm";
	case VIGIL_PKG_MAVEN: return "maven";
	case VIGIL_PKG_GO: return "go";
	case VIGIL_PKG_CARGO: return "semver-loose";
	case VIGIL_PKG_GEM: return "rubygems";
	case VIGIL_PKG_COMPOSER: return "composer";
	case VIGIL_PKG_NUGET: return "nuget";
	default: return NULL;
	}
}

static int nstrcmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int pkg_key_cmp(const vigil_package *a, const vigil_package *b)
{
	int c = (int)a->type - (int)b->type;
	if (c == 0)
		c = nstrcmp(a->name, b->name);
	if (c == 0)
		c = nstrcmp(a->arch, b->arch);
	return c;
}

static int by_pkg(const void *x, const void *y)
{
	const vigil_package *a = *(const vigil_package *const *)x, *b = *(const vigil_package *const *)y;
	int c = pkg_key_cmp(a, b);
	return c ? c : nstrcmp(a->version, b->version);
}

static const vigil_package **sorted_pkgs(const vigil_package *v, size_t n)
{
	const vigil_package **p = malloc((n + 1) * sizeof(*p));
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof(*p), by_pkg);
	return p;
}

static int add_pkg(vigil_diff_report *r, vigil_diff_change ch, const vigil_package *a, const vigil_package *b)
{
	struct vigil_diff_internal *d = r->internal;
	const vigil_package *p = b ? b : a;
	if (vigil_grow((void **)&d->pkgs, &d->cappkgs, r->package_count, sizeof(*d->pkgs), 64, DIFF_MAX_PACKAGES) < 0)
		return vigil_error_set(VIGIL_ELIMIT, "diff: more than %zu package changes", DIFF_MAX_PACKAGES);
	vigil_diff_package *x = &d->pkgs[r->package_count];
	memset(x, 0, sizeof(*x));
	x->change = ch;
	x->type = vigil_pkg_type_name(p->type);
	x->name = diff_str(r, p->name);
	x->arch = diff_str(r, p->arch);
	x->version_a = a ? diff_str(r, a->version) : NULL;
	x->version_b = b ? diff_str(r, b->version) : NULL;
	x->source_name = diff_str(r, p->source_name);
	x->layer_b = b ? diff_str(r, b->introduced_in) : NULL;
	if ((p->name && !x->name) || (a && a->version && !x->version_a) || (b && b->version && !x->version_b))
		return vigil_error_oom();
	r->package_count++;
	r->packages = d->pkgs;
	size_t *count[] = { &r->pkgs_added, &r->pkgs_removed, &r->pkgs_changed, &r->pkgs_upgraded,
			    &r->pkgs_downgraded };
	(*count[ch])++;
	return 0;
}

/* One group: a[0..na) and b[0..nb), each sorted by version. */
static int diff_group(vigil_diff_report *r, const vigil_package **a, size_t na, const vigil_package **b, size_t nb)
{
	const vigil_package *la[2] = { 0 }, *lb[2] = { 0 };
	size_t i = 0, j = 0, ka = 0, kb = 0;
	int rc = 0;
	/* the versions both have cancel out; what is left is listed */
	while ((i < na || j < nb) && rc == 0) {
		int c = i == na ? 1 : j == nb ? -1 : nstrcmp(a[i]->version, b[j]->version);
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			if (ka < 2)
				la[ka] = a[i];
			ka++;
			i++;
		} else {
			if (kb < 2)
				lb[kb] = b[j];
			kb++;
			j++;
		}
	}
	if (ka == 1 && kb == 1) {
		vigil_version_cmp_fn cmp = vigil_version_comparator(diff_scheme(la[0]->type));
		const char *va = la[0]->version ? la[0]->version : "", *vb = lb[0]->version ? lb[0]->version : "";
		int c = cmp ? cmp(va, strlen(va), vb, strlen(vb)) : strcmp(va, vb);
		return add_pkg(r, c < 0 ? VIGIL_DIFF_UPGRADED : c > 0 ? VIGIL_DIFF_DOWNGRADED : VIGIL_DIFF_CHANGED,
			       la[0], lb[0]);
	}
	/* several versions on a side: each left over is removed or added */
	for (i = 0, j = 0; (i < na || j < nb) && rc == 0;) {
		int c = i == na ? 1 : j == nb ? -1 : nstrcmp(a[i]->version, b[j]->version);
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			rc = add_pkg(r, VIGIL_DIFF_REMOVED, a[i++], NULL);
		} else {
			rc = add_pkg(r, VIGIL_DIFF_ADDED, NULL, b[j++]);
		}
	}
	return rc;
}

int diff_packages(vigil_diff_report *r, const vigil_package *va, size_t na, const vigil_package *vb, size_t nb)
{
	const vigil_package **a = sorted_pkgs(va, na), **b = sorted_pkgs(vb, nb);
	size_t i = 0, j = 0;
	int rc = 0;
	if (!a || !b) {
		rc = vigil_error_oom();
		goto out;
	}
	while ((i < na || j < nb) && rc == 0) {
		const vigil_package *key = i == na ? b[j] : j == nb ? a[i] : pkg_key_cmp(a[i], b[j]) <= 0 ? a[i] : b[j];
		size_t ei = i, ej = j;
		while (ei < na && pkg_key_cmp(a[ei], key) == 0)
			ei++;
		while (ej < nb && pkg_key_cmp(b[ej], key) == 0)
			ej++;
		rc = diff_group(r, a + i, ei - i, b + j, ej - j);
		i = ei;
		j = ej;
	}
out:
	free(a);
	free(b);
	return rc;
}

/* ---- findings ---- */

static int finding_key_cmp(const vigil_finding *a, const vigil_finding *b)
{
	int c = nstrcmp(a->id, b->id);
	return c ? c : nstrcmp(a->package ? a->package->name : NULL, b->package ? b->package->name : NULL);
}

static int by_finding(const void *x, const void *y)
{
	return finding_key_cmp(*(const vigil_finding *const *)x, *(const vigil_finding *const *)y);
}

static const vigil_finding **sorted_findings(const vigil_finding *v, size_t n)
{
	const vigil_finding **p = malloc((n + 1) * sizeof(*p));
	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof(*p), by_finding);
	return p;
}

static int add_finding(vigil_diff_report *r, int introduced, const vigil_finding *f)
{
	struct vigil_diff_internal *d = r->internal;
	vigil_diff_finding **v = introduced ? &d->intro : &d->fixed;
	size_t *cap = introduced ? &d->capintro : &d->capfixed;
	size_t *n = introduced ? &r->introduced_count : &r->fixed_count;
	if (vigil_grow((void **)v, cap, *n, sizeof(**v), 64, DIFF_MAX_FINDINGS) < 0)
		return vigil_error_set(VIGIL_ELIMIT, "diff: more than %zu finding changes", DIFF_MAX_FINDINGS);
	vigil_diff_finding *x = &(*v)[*n];
	memset(x, 0, sizeof(*x));
	x->id = diff_str(r, f->id);
	x->package = f->package ? diff_str(r, f->package->name) : NULL;
	x->version = f->package ? diff_str(r, f->package->version) : NULL;
	x->fixed = diff_str(r, f->fixed);
	x->severity = f->severity;
	x->title = diff_str(r, f->summary);
	if (f->id && !x->id)
		return vigil_error_oom();
	(*n)++;
	r->fixed = d->fixed;
	r->introduced = d->intro;
	return 0;
}

int diff_findings(vigil_diff_report *r, const vigil_finding *va, size_t na, const vigil_finding *vb, size_t nb)
{
	const vigil_finding **a = sorted_findings(va, na), **b = sorted_findings(vb, nb);
	size_t i = 0, j = 0;
	int rc = 0;
	if (!a || !b) {
		rc = vigil_error_oom();
		goto out;
	}
	while ((i < na || j < nb) && rc == 0) {
		int c = i == na ? 1 : j == nb ? -1 : finding_key_cmp(a[i], b[j]);
		const vigil_finding *k = c <= 0 ? a[i] : b[j];
		if (c < 0)
			rc = add_finding(r, 0, a[i]);
		else if (c > 0)
			rc = add_finding(r, 1, b[j]);
		/* skip the rest of the key on both sides (one finding per key) */
		while (i < na && finding_key_cmp(a[i], k) == 0)
			i++;
		while (j < nb && finding_key_cmp(b[j], k) == 0)
			j++;
	}
out:
	free(a);
	free(b);
	return rc;
}
