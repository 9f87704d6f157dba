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

/* ---- Photon OS (photon, photon-oval) ----
 * The hosts Trivy's vuln-list-update and Anchore's vunnel fetch today
 * (packages.vmware.com, the older name, redirects there): the CVE metadata
 * per release (photon_versions.json lists the branches) and the PHSA OVAL
 * per major. 1.0 and 2.0 are end of life and their files have come and gone
 * (vmware/photon#1578): optional, a 404 is a warning. */
#define PHOTON_BASE "https://packages.broadcom.com/photon/"

static int add_photon(vigil_sources *s)
{
	static const char *const rel[] = { "1.0", "2.0", "3.0", "4.0", "5.0" };
	const size_t nrel = sizeof(rel) / sizeof(rel[0]);
	char url[160], file[64];
	vigil_source *src;
	int rc = 0;
	/* one feed at a time: db_source_add() moves the ones before it */
	if (!(src = db_source_add(s, "photon", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	for (size_t i = 0; i < nrel && rc == 0; i++) {
		snprintf(url, sizeof(url), PHOTON_BASE "photon_cve_metadata/cve_data_photon%s.json", rel[i]);
		snprintf(file, sizeof(file), "cve_data_photon%s.json", rel[i]);
		rc = db_source_add_url(src, url, file, i < 2);
	}
	if (rc < 0)
		return rc;
	if (!(src = db_source_add(s, "photon-oval", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	for (size_t i = 0; i < nrel && rc == 0; i++) {
		snprintf(file, sizeof(file), "com.vmware.phsa-photon%.1s.xml.gz", rel[i]);
		snprintf(url, sizeof(url), PHOTON_BASE "photon_oval_definitions/%s", file);
		rc = db_source_add_url(src, url, file, i < 2);
	}
	return rc;
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
