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

/* ---- SUSE (suse-cvrf, suse-oval) ----
 * SUSE publishes every advisory as one CVRF file under
 * ftp.suse.com/pub/projects/security/cvrf/ and all of them in one archive
 * beside it (cvrf.tar.bz2, as vuln-list-update fetches it); the OVAL of each
 * product line is one file under .../oval/ (bzip2, as vunnel fetches the
 * SLES ones). SLES 15 is required; SLES 12 and the openSUSE Leap releases
 * are optional (a release SUSE stops publishing is skipped, not a failure).
 * docs/feeds-suse.md. */
#define SUSE_SECURITY "https://ftp.suse.com/pub/projects/security/"
static int add_suse(vigil_sources *s)
{
	static const struct {
		const char *file;
		bool optional;
	} oval[] = {
		{ "suse.linux.enterprise.server.15.xml.bz2", false },
		{ "suse.linux.enterprise.server.12.xml.bz2", true },
		{ "opensuse.leap.15.5.xml.bz2", true },
		{ "opensuse.leap.15.6.xml.bz2", true },
	};
	char url[VIGIL_SOURCES_MAX_URL];
	vigil_source *src;
	int rc = 0;
	if (!(src = db_source_add(s, "suse-cvrf", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	if ((rc = db_source_add_url(src, SUSE_SECURITY "cvrf.tar.bz2", "cvrf.tar.bz2", false)) < 0)
		return rc;
	if (!(src = db_source_add(s, "suse-oval", VIGIL_SOURCE_FILES)))
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(oval) / sizeof(oval[0]) && rc == 0; i++) {
		snprintf(url, sizeof(url), SUSE_SECURITY "oval/%s", oval[i].file);
		rc = db_source_add_url(src, url, oval[i].file, oval[i].optional);
	}
	return rc;
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
