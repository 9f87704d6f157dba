/* feed/osv_vendor.c: the OSV ecosystems of the distribution families of
 * issue 16, as their OSV exports name them: "AlmaLinux:9" (AlmaLinux
 * osv-database), "Rocky Linux:8" (Rocky's OSV), "Wolfi" and "Chainguard"
 * (the CGA advisories). A release suffix ":9.2" keeps only its major, as
 * the namespaces do (almalinux:9, rocky:8); the rolling distributions have
 * the one namespace wolfi:rolling / chainguard:rolling. Scheme: rpm for the
 * rebuilds of RHEL, apk for Wolfi and Chainguard. Names: AlmaLinux lists
 * binary rpm names (libtiff-devel, kernel-modules); Rocky's Apollo exports
 * only the source rpms of an advisory ("Only process src packages": ruby
 * for ruby-libs, java-11-openjdk for java-11-openjdk-headless), so its
 * names are source names; Wolfi and Chainguard list origin packages, which
 * apk records as the origin of each subpackage. What else these exports
 * say (related CVEs, summary severity, module) is read by
 * feed/alma_osv.c. */
#include "feed/vendors.h"
#include "util/slice.h"

#include <stdio.h>
#include <string.h>

static bool major_of(vigil_slice rel, vigil_slice *major)
{
	size_t i = 0;
	while (i < rel.len && rel.ptr[i] >= '0' && rel.ptr[i] <= '9')
		i++;
	if (i == 0 || i > 4 || (i < rel.len && rel.ptr[i] != '.'))
		return false;
	*major = vigil_slice_sub(rel, 0, i);
	return true;
}

bool feed_osv_vendor_ecosystem(const char *ecosystem, char *ns, size_t nsn, const char **scheme,
			       int *is_source)
{
	static const struct {
		const char *eco, *ns, *scheme;
		int is_source;
		bool rolling;
	} fam[] = {
		{ "AlmaLinux", "almalinux", "rpm", 0, false },
		{ "Rocky Linux", "rocky", "rpm", 1, false },
		{ "Wolfi", "wolfi", "apk", 1, true },
		{ "Chainguard", "chainguard", "apk", 1, true },
	};
	vigil_slice s = vigil_slice_cstr(ecosystem), head, rest, major;
	bool has_rel = vigil_slice_split(s, ':', &head, &rest);
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]); i++) {
		if (!vigil_slice_eq_cstr(head, fam[i].eco))
			continue;
		if (fam[i].rolling)
			snprintf(ns, nsn, "%s:rolling", fam[i].ns);
		else if (has_rel && major_of(rest, &major))
			snprintf(ns, nsn, "%s:%.*s", fam[i].ns, (int)major.len, major.ptr);
		else
			return false;
		*scheme = fam[i].scheme;
		*is_source = fam[i].is_source;
		return true;
	}
	return false;
}
