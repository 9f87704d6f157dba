/* match/flavor.c: Oracle Linux package flavors. Oracle ships three builds
 * of some packages side by side: the normal one, a Ksplice userspace one
 * (".ksplice1." in the release: "2:1.1.1g-15.ksplice1.el8_3") and a FIPS
 * validated one (a release ending "_fips"). An ELSA lists the fixed
 * version of each flavor it covers, and the versions do not order across
 * flavors (the ksplice build of openssl carries epoch 2 where the normal
 * one has 1), so a fixed version only speaks for packages of its own
 * flavor: a ksplice entry never matches a normal package and a normal
 * entry never a ksplice one. This is trivy-db's PackageFlavor rule
 * (pkg/vulnsrc/oracle-oval, applied by Trivy's oracle detector); vunnel
 * drops ksplice entries instead. Only "ol:" namespaces are concerned
 * (docs/feeds-oracle.md). */
#include "match/match_priv.h"

#include <string.h>
#include <strings.h>

enum flavor { FLAVOR_NORMAL, FLAVOR_FIPS, FLAVOR_KSPLICE };

/* The flavor of an EVR, from its release (after the last '-'). */
static enum flavor flavor_of(const char *evr)
{
	const char *rel = strrchr(evr, '-');
	size_t n;
	rel = rel ? rel + 1 : evr;
	n = strlen(rel);
	if (n >= 5 && strcasecmp(rel + n - 5, "_fips") == 0)
		return FLAVOR_FIPS;
	for (const char *p = rel; p;) {
		if (strncasecmp(p, "ksplice", 7) == 0)
			return FLAVOR_KSPLICE;
		p = strchr(p, '.');
		p = p ? p + 1 : NULL;
	}
	return FLAVOR_NORMAL;
}

bool match_flavor_ok(const char *ns, const char *fixed, const char *version)
{
	if (!ns || strncmp(ns, "ol:", 3) != 0 || !fixed || !version)
		return true;
	return flavor_of(fixed) == flavor_of(version);
}
