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

/* ---- Oracle Linux (oracle) ----
 * Oracle's ELSA OVAL per release (docs/feeds-oracle.md): one bzip2 file
 * each of OL 7, 8 and 9; OL 6 (extended support) and OL 10 are optional,
 * a 404 there is not a failure. com.oracle.elsa-all.xml.bz2 holds every
 * release in one file (what vunnel and vuln-list-update fetch): a sources
 * line "oracle .../com.oracle.elsa-all.xml.bz2" uses it instead. */
#define ORACLE_OVAL "https://linux.oracle.com/security/oval/"
static int add_oracle(vigil_sources *s)
{
	static const struct {
		int major;
		bool optional;
	} rel[] = { { 6, true }, { 7, false }, { 8, false }, { 9, false }, { 10, true } };
	vigil_source *src = db_source_add(s, "oracle", VIGIL_SOURCE_FILES);
	char url[128], file[64];
	int rc = 0;
	if (!src)
		return vigil_error_code();
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]) && rc == 0; i++) {
		snprintf(file, sizeof(file), "com.oracle.elsa-ol%d.xml.bz2", rel[i].major);
		snprintf(url, sizeof(url), ORACLE_OVAL "%s", file);
		rc = db_source_add_url(src, url, file, rel[i].optional);
	}
	return rc;
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
