/* db/sources_vendor.c: the upstream URLs of the distribution families of
 * issue 16, one function per family, each adding its feeds (the names of
 * db/detect.c's vendor table) to the catalog that `vigil db update`
 * fetches. Where each URL comes from, and what a mirror must hold, is in
 * that family's docs/feeds-<family>.md. */
#include "db/fetch.h"
#include "util/error.h"

#include <stdio.h>

/* ---- Amazon Linux (amazon) and Rocky Linux (rocky) updateinfo ----
 * Both are yum repositories (VIGIL_SOURCE_REPOMD, db/fetch_repomd.c):
 * Amazon's core repository of each release through the mirror.list its
 * dnf/yum configuration names (x86_64: the advisories hold for every
 * architecture), Rocky's BaseOS and AppStream of each release and
 * architecture through repodata/repomd.xml, the current majors from pub/
 * and the minor releases from vault/ (a minor's updateinfo holds the
 * advisories of that minor only, as vuln-list-update found). The extras of
 * Amazon Linux 2 (kernel-5.10 ...) are left out: their ids would share
 * amzn:2 with the core kernel's (docs/feeds-amazon-rocky.md). */
#define ROCKY_PUB "https://dl.rockylinux.org/pub/rocky/"
#define ROCKY_VAULT "https://dl.rockylinux.org/vault/rocky/"

static int add_rocky_repo(vigil_source *src, const char *base, const char *rel, bool optional)
{
	static const char *const repos[] = { "BaseOS", "AppStream" };
	static const char *const arches[] = { "x86_64", "aarch64" };
	char url[256], file[96];
	int rc = 0;
	for (size_t r = 0; r < 2 && rc == 0; r++)
		for (size_t a = 0; a < 2 && rc == 0; a++) {
			snprintf(url, sizeof(url), "%s%s/%s/%s/os/repodata/repomd.xml", base, rel, repos[r], arches[a]);
			snprintf(file, sizeof(file), "rocky-%s-%s-%s-updateinfo.xml.gz", rel, repos[r], arches[a]);
			rc = db_source_add_url(src, url, file, optional);
		}
	return rc;
}

static int add_updateinfo(vigil_sources *s)
{
	static const struct {
		const char *url, *file;
		bool optional;
	} amazon[] = {
		{ "https://repo.us-west-2.amazonaws.com/2018.03/updates/x86_64/mirror.list", "amzn1-updateinfo.xml.gz", false },
		{ "https://cdn.amazonlinux.com/2/core/latest/x86_64/mirror.list", "amzn2-core-updateinfo.xml.gz", false },
		{ "https://cdn.amazonlinux.com/al2022/core/mirrors/latest/x86_64/mirror.list", "al2022-core-updateinfo.xml.gz",
		  true },
		{ "https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list", "al2023-core-updateinfo.xml.gz",
		  false },
	};
	static const char *const rocky_vault[] = { "8.3", "8.4", "8.5", "8.6", "8.7", "8.8", "8.9",
						   "9.0", "9.1", "9.2", "9.3", "9.4", "9.5" };
	vigil_source *src = db_source_add(s, "amazon", VIGIL_SOURCE_REPOMD);
	int rc = src ? 0 : vigil_error_code();
	for (size_t i = 0; i < sizeof(amazon) / sizeof(amazon[0]) && rc == 0; i++)
		rc = db_source_add_url(src, amazon[i].url, amazon[i].file, amazon[i].optional);
	if (rc < 0 || !(src = db_source_add(s, "rocky", VIGIL_SOURCE_REPOMD)))
		return rc < 0 ? rc : vigil_error_code();
	if ((rc = add_rocky_repo(src, ROCKY_PUB, "8", false)) < 0 || (rc = add_rocky_repo(src, ROCKY_PUB, "9", false)) < 0 ||
	    (rc = add_rocky_repo(src, ROCKY_PUB, "10", true)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(rocky_vault) / sizeof(rocky_vault[0]) && rc == 0; i++)
		rc = add_rocky_repo(src, ROCKY_VAULT, rocky_vault[i], true);
	return rc;
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
