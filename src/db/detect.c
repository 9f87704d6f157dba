/* db/detect.c: which feed format a file is, from its name and its first
 * bytes, so that `vigil db import` takes folders of mixed feeds as they come
 * from upstream or a mirror. Files of no known format are skipped. */
#include "db/db.h"
#include "feed/vendors.h"

#include <string.h>

#define SNIFF 65536

static const vigil_feed_format formats[] = {
	{ "debian", "Debian security tracker JSON", feed_debian_json, false },
	{ "debian-lists", "Debian tracker list (DSA/DLA/CVE)", feed_debian_list, false },
	{ "ubuntu", "Ubuntu CVE tracker", feed_ubuntu_uct, false },
	{ "ubuntu-osv", "Ubuntu OSV", feed_osv, false },
	{ "ubuntu-vex", "Ubuntu OpenVEX", feed_ubuntu_vex, false },
	{ "ubuntu-oval", "Ubuntu OVAL", feed_ubuntu_oval, false },
	{ "alpine", "Alpine secdb JSON", feed_alpine_json, false },
	{ "alpine", "Alpine secdb YAML", feed_alpine_yaml, false },
	{ "redhat-oval", "Red Hat OVAL v2", feed_redhat_oval, false },
	{ "redhat-csaf", "Red Hat CSAF advisory", feed_redhat_csaf, false },
	{ "redhat-vex", "Red Hat CSAF VEX", feed_redhat_csaf, false },
	{ "redhat-cve", "Red Hat Security Data CVE JSON", feed_redhat_cve_json, false },
	{ "osv", "OSV", feed_osv, true },
	{ "nvd", "NVD CVE API 2.0", feed_nvd, false },
	{ "osv", "OSV (YAML)", feed_osv_yaml, true },
	{ "rubysec", "RubySec advisory YAML", feed_rubysec, true },
	{ "friendsofphp", "FriendsOfPHP advisory YAML", feed_friendsofphp, true },
	{ "nodejs-wg", "Node.js security WG advisory JSON", feed_npm_wg, true },
};

/* The families of issue 16 (feed/vendors.h), asked first and in this
 * order: each sniff knows its vendor's marks (OVAL id prefix, advisory id
 * prefix, a URL prefix), so none is taken for Red Hat's OVAL or for
 * generic OSV. Every one is per file: a broken file is refused alone. */
static const struct vendor_format {
	vigil_feed_format f;
	feed_sniff_fn sniff;
} vendor_formats[] = {
	/* Amazon Linux, Rocky: updateinfo.xml */
	{ { "amazon", "Amazon Linux ALAS updateinfo", feed_updateinfo, true }, feed_amazon_sniff },
	{ { "rocky", "Rocky Linux updateinfo", feed_updateinfo, true }, feed_rocky_updateinfo_sniff },
	/* AlmaLinux errata, AlmaLinux and Rocky OSV */
	{ { "alma", "AlmaLinux errata JSON", feed_alma_errata, true }, feed_alma_errata_sniff },
	{ { "alma-osv", "AlmaLinux OSV", feed_osv, true }, feed_alma_osv_sniff },
	{ { "rocky-osv", "Rocky Linux OSV", feed_osv, true }, feed_rocky_osv_sniff },
	/* Oracle Linux */
	{ { "oracle", "Oracle Linux ELSA OVAL", feed_oracle_oval, true }, feed_oracle_sniff },
	/* SUSE */
	{ { "suse-cvrf", "SUSE CVRF", feed_suse_cvrf, true }, feed_suse_cvrf_sniff },
	{ { "suse-oval", "SUSE OVAL", feed_suse_oval, true }, feed_suse_oval_sniff },
	/* Photon OS */
	{ { "photon", "Photon cve_data JSON", feed_photon_cve, true }, feed_photon_sniff },
	{ { "photon-oval", "Photon PHSA OVAL", feed_photon_oval, true }, feed_photon_oval_sniff },
	/* Azure Linux, CBL-Mariner */
	{ { "mariner", "Azure Linux / CBL-Mariner OVAL", feed_mariner_oval, true }, feed_mariner_sniff },
	/* Fedora */
	{ { "fedora", "Fedora Bodhi updates", feed_fedora_bodhi, true }, feed_fedora_sniff },
	/* Wolfi, Chainguard */
	{ { "wolfi", "Wolfi secdb JSON", feed_wolfi_secdb, true }, feed_wolfi_sniff },
	{ { "chainguard", "Chainguard secdb JSON", feed_wolfi_secdb, true }, feed_chainguard_sniff },
	{ { "wolfi-osv", "Wolfi advisory", feed_wolfi_advisory, true }, feed_wolfi_osv_sniff },
	{ { "chainguard-osv", "Chainguard advisory", feed_wolfi_advisory, true }, feed_chainguard_osv_sniff },
};

enum { F_DEBIAN, F_DEBIAN_LISTS, F_UBUNTU, F_UBUNTU_OSV, F_UBUNTU_VEX, F_UBUNTU_OVAL, F_ALPINE_JSON,
       F_ALPINE_YAML, F_RH_OVAL, F_RH_CSAF, F_RH_VEX, F_RH_CVE, F_OSV, F_NVD, F_OSV_YAML, F_RUBYSEC,
       F_FRIENDSOFPHP, F_NPM_WG };

static bool has(const char *d, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	if (n < k)
		return false;
	for (size_t i = 0; i + k <= n; i++)
		if (d[i] == needle[0] && memcmp(d + i, needle, k) == 0)
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* {"pkg": {"CVE-...": ... : the tracker JSON's shape */
static bool debian_json_shape(const char *d, size_t n)
{
	const char *p = d, *end = d + n;
	p = skip_space(p, end);
	if (p == end || *p++ != '{')
		return false;
	p = skip_space(p, end);
	if (p == end || *p++ != '"')
		return false;
	while (p < end && *p != '"')
		p++;
	p = skip_space(p + 1, end);
	if (p >= end || *p++ != ':')
		return false;
	p = skip_space(p, end);
	if (p >= end || *p++ != '{')
		return false;
	p = skip_space(p, end);
	return end - p > 5 && (memcmp(p, "\"CVE-", 5) == 0 || memcmp(p, "\"TEMP-", 6) == 0 ||
			       memcmp(p, "\"DSA-", 5) == 0 || memcmp(p, "\"DLA-", 5) == 0);
}

/* key at the start of a line ("\ngem:" or the file's first line) */
static bool has_key(const char *d, size_t n, const char *key)
{
	size_t k = strlen(key);
	if (n >= k && memcmp(d, key, k) == 0)
		return true;
	for (size_t i = 0; i + k + 1 <= n; i++)
		if (d[i] == '\n' && memcmp(d + i + 1, key, k) == 0)
			return true;
	return false;
}

/* The YAML formats of language advisories. */
static const vigil_feed_format *lang_yaml(const char *p, size_t rest)
{
	if (has_key(p, rest, "reference:") && has(p, rest, "composer://") && has_key(p, rest, "branches:"))
		return &formats[F_FRIENDSOFPHP];
	if (has_key(p, rest, "gem:") || (has_key(p, rest, "engine:") && has_key(p, rest, "patched_versions:")))
		return &formats[F_RUBYSEC];
	if (has_key(p, rest, "id:") && (has_key(p, rest, "affected:") || has_key(p, rest, "modified:")))
		return &formats[F_OSV_YAML];
	return NULL;
}

/* "[24 Oct 2019] DSA-4550-1 file - security update" or "CVE-2020-1234 (...)" */
static bool debian_list_shape(const char *d, size_t n)
{
	if (n > 16 && d[0] == '[' && (has(d, n < 64 ? n : 64, "] DSA-") || has(d, n < 64 ? n : 64, "] DLA-") ||
				      has(d, n < 64 ? n : 64, "] DTSA-")))
		return true;
	return n > 14 && memcmp(d, "CVE-", 4) == 0 && has(d, n, "\n\t");
}

const vigil_feed_format *db_feed_detect(const char *name, const char *data, size_t len)
{
	size_t n = len < SNIFF ? len : SNIFF;
	const char *p = skip_space(data, data + n);
	size_t rest = (size_t)(data + n - p);
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;

	if (rest == 0)
		return NULL;
	/* another scanner's normalised result ({"identifier": ..., "item": ...},
	 * vunnel's snapshots), never a feed: a second opinion for tests only */
	if (*p == '{' && rest > 14 && !memcmp(skip_space(p + 1, p + rest), "\"identifier\"", 12) &&
	    has(p, rest, "\"item\""))
		return NULL;
	for (size_t i = 0; i < sizeof(vendor_formats) / sizeof(vendor_formats[0]); i++)
		if (vendor_formats[i].sniff(base, p, rest))
			return &vendor_formats[i].f;
	if (*p == '<') { /* OVAL ids: "oval:com.ubuntu.<codename>:...", "oval:com.redhat...." */
		if (!has(p, rest, "oval_definitions"))
			return NULL;
		if (has(p, rest, "oval:com.ubuntu.") || strncmp(base, "com.ubuntu.", 11) == 0)
			return &formats[F_UBUNTU_OVAL];
		return &formats[F_RH_OVAL];
	}
	if (debian_list_shape(p, rest)) /* before JSON: "[29 Mar 2023] DSA-..." */
		return &formats[F_DEBIAN_LISTS];
	if (*p == '{' || *p == '[') {
		if (has(p, rest, "openvex.dev/ns") && has(p, rest, "pkg:deb/ubuntu/"))
			return &formats[F_UBUNTU_VEX];
		if (has(p, rest, "\"csaf_version\""))
			return has(p, rest, "\"csaf_vex\"") ? &formats[F_RH_VEX] : &formats[F_RH_CSAF];
		if (has(p, rest, "\"NVD_CVE\""))
			return &formats[F_NVD];
		if (has(p, rest, "\"distroversion\""))
			return &formats[F_ALPINE_JSON];
		if (has(p, rest, "\"threat_severity\"") || has(p, rest, "\"package_state\"") ||
		    has(p, rest, "\"affected_release\""))
			return &formats[F_RH_CVE];
		if (debian_json_shape(p, rest))
			return &formats[F_DEBIAN];
		if (*p == '{' && rest > 5 && !memcmp(skip_space(p + 1, p + rest), "\"id\"", 4) &&
		    has(p, rest, "\"module_name\"") && has(p, rest, "\"vulnerable_versions\""))
			return &formats[F_NPM_WG];
		if (has(p, rest, "\"id\"") && (has(p, rest, "\"affected\"") || has(p, rest, "\"schema_version\"") ||
					      has(p, rest, "\"modified\"")))
			return (has(p, rest, "\"UBUNTU-CVE-") || has(p, rest, "\"USN-")) ? &formats[F_UBUNTU_OSV]
											 : &formats[F_OSV];
		return NULL;
	}
	if ((ends_with(base, ".yaml") || ends_with(base, ".yml")) && has(p, rest, "distroversion:"))
		return &formats[F_ALPINE_YAML];
	if (ends_with(base, ".yaml") || ends_with(base, ".yml"))
		return lang_yaml(data, n);
	if (strncmp(base, "CVE-", 4) == 0 && has(p, rest, "Candidate:"))
		return &formats[F_UBUNTU];
	return NULL;
}
