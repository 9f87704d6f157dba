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

/* ---- Fedora (fedora) ---- */
static int add_fedora(vigil_sources *s)
{
	(void)s;
	return 0;
}

/* ---- Wolfi and Chainguard (wolfi, chainguard, wolfi-osv, chainguard-osv) ----
 * The secdb of each (what vunnel and Trivy read) and their CGA advisories
 * as OSV from osv.dev's bucket (ecosystems "Wolfi" and "Chainguard"; the
 * same documents Chainguard serves under packages.cgr.dev/chainguard/osv).
 * The wolfi-dev/advisories YAML is not fetched: the repository was
 * archived and its licence changed (docs/feeds-wolfi-chainguard.md). */
#define WOLFI_OSV_BUCKET "https://osv-vulnerabilities.storage.googleapis.com/"

static int add_wolfi(vigil_sources *s)
{
	static const struct {
		const char *feed, *url, *file;
	} feeds[] = {
		{ "wolfi", "https://packages.wolfi.dev/os/security.json", "wolfi-security.json" },
		{ "chainguard", "https://packages.cgr.dev/chainguard/security.json", "chainguard-security.json" },
		{ "wolfi-osv", WOLFI_OSV_BUCKET "Wolfi/all.zip", "Wolfi-all.zip" },
		{ "chainguard-osv", WOLFI_OSV_BUCKET "Chainguard/all.zip", "Chainguard-all.zip" },
	};
	for (size_t i = 0; i < sizeof(feeds) / sizeof(feeds[0]); i++) {
		vigil_source *src = db_source_add(s, feeds[i].feed, VIGIL_SOURCE_FILES);
		int rc;
		if (!src)
			return vigil_error_code();
		if ((rc = db_source_add_url(src, feeds[i].url, feeds[i].file, false)) < 0)
			return rc;
	}
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
