/* match/fallback.c: the namespace an image is matched in when its own has
 * no data: AlmaLinux and Rocky Linux rebuild Red Hat's sources at the same
 * versions, so an almalinux:<major> or rocky:<major> image is matched
 * against rhel:<major> when the store holds nothing for its own namespace
 * but holds Red Hat's data for that major (what vigil did for every
 * rebuild before issue 16, and what Clair does), with a warning saying so:
 * a user who imported only Red Hat's feeds does not silently lose the
 * findings. As soon as one feed has rows in the rebuild's own namespace,
 * that data alone is used (the vendor's own advisories know its builds,
 * modules and dates; docs/matching.md). */
#include "match/match_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *prefix, *name;
} rebuilds[] = {
	{ "almalinux:", "AlmaLinux" },
	{ "rocky:", "Rocky Linux" },
};

/* 1 when the store has rows in ns, 0 when not (or it keeps no vulnerability
 * data), else the error. */
static int has_rows(vigil_store *s, const char *ns)
{
	int64_t count = 0;
	int rc = store_namespace_count(s, ns, &count);
	if (rc == VIGIL_EUNSUPPORTED) {
		vigil_error_clear();
		return 0;
	}
	return rc < 0 ? rc : count > 0;
}

int match_rebuild_fallback(struct vigil_match_internal *m, vigil_vuln_report *r)
{
	char rhel[64];
	size_t i = 0, plen = 0;
	int rc;
	if (!m->ns)
		return 0;
	while (i < sizeof(rebuilds) / sizeof(rebuilds[0]) &&
	       strncmp(m->ns, rebuilds[i].prefix, plen = strlen(rebuilds[i].prefix)) != 0)
		i++;
	if (i == sizeof(rebuilds) / sizeof(rebuilds[0]))
		return 0;
	if ((rc = has_rows(m->store, m->ns)) != 0)
		return rc < 0 ? rc : 0;
	snprintf(rhel, sizeof(rhel), "rhel:%s", m->ns + plen);
	if ((rc = has_rows(m->store, rhel)) <= 0)
		return rc;
	const char *own = m->ns;
	if (!(m->ns = r->namespace = vigil_intern_cstr(m->strs, rhel)))
		return vigil_error_code();
	return match_warn(m, r,
			  "no vulnerability data for %s in the store: matched against %s instead (%s rebuilds "
			  "Red Hat's sources at the same versions); import %s's own feed for its advisories",
			  own, rhel, rebuilds[i].name, rebuilds[i].name);
}
