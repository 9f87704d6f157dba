/* feed/vendors.h: the parsers of the distribution families beyond Debian,
 * Ubuntu, Alpine and Red Hat (issue 16): Amazon Linux, Oracle Linux, SUSE,
 * Rocky, AlmaLinux, Photon, Azure Linux / CBL-Mariner, Fedora, Wolfi and
 * Chainguard. Each family has its own file(s) in src/feed/ and a
 * docs/feeds-<family>.md; the contract is feed.h's.
 *
 * A sniff function says from a file's base name and its first bytes
 * (p[0..n), leading blanks skipped, at most 64 KiB) whether the file is
 * that family's format; db/detect.c asks them in order before the
 * generic rules, so a vendor's OVAL is not taken for Red Hat's and a
 * vendor's OSV not for generic OSV. */
#ifndef VIGIL_FEED_VENDORS_H
#define VIGIL_FEED_VENDORS_H

#include <stdbool.h>
#include <stddef.h>

#include "feed/feed.h"

typedef bool (*feed_sniff_fn)(const char *base, const char *p, size_t n);

/* ---- Amazon Linux ALAS and Rocky Linux: yum updateinfo.xml (feed/updateinfo.c) ---- */
int feed_updateinfo(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_amazon_sniff(const char *base, const char *p, size_t n);
bool feed_rocky_updateinfo_sniff(const char *base, const char *p, size_t n);

/* ---- AlmaLinux errata JSON; AlmaLinux and Rocky OSV (feed/alma.c) ---- */
int feed_alma_errata(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_alma_errata_sniff(const char *base, const char *p, size_t n);
bool feed_alma_osv_sniff(const char *base, const char *p, size_t n);
bool feed_rocky_osv_sniff(const char *base, const char *p, size_t n);

/* ---- Oracle Linux ELSA OVAL (feed/oracle_oval.c) ---- */
int feed_oracle_oval(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_oracle_sniff(const char *base, const char *p, size_t n);

/* ---- SUSE: CVRF advisories and OVAL (feed/suse_cvrf.c, feed/suse_oval.c) ---- */
int feed_suse_cvrf(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_suse_cvrf_sniff(const char *base, const char *p, size_t n);
int feed_suse_oval(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_suse_oval_sniff(const char *base, const char *p, size_t n);

/* ---- Photon OS: cve_data JSON and PHSA OVAL (feed/photon.c, feed/photon_oval.c) ---- */
int feed_photon_cve(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_photon_sniff(const char *base, const char *p, size_t n);
int feed_photon_oval(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_photon_oval_sniff(const char *base, const char *p, size_t n);

/* ---- Azure Linux and CBL-Mariner OVAL (feed/mariner_oval.c) ---- */
int feed_mariner_oval(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_mariner_sniff(const char *base, const char *p, size_t n);

/* ---- Fedora: Bodhi updates (feed/fedora_bodhi.c) ---- */
int feed_fedora_bodhi(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_fedora_sniff(const char *base, const char *p, size_t n);

/* ---- Wolfi and Chainguard: secdb JSON and advisory OSV/YAML (feed/wolfi.c) ---- */
int feed_wolfi_secdb(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_wolfi_sniff(const char *base, const char *p, size_t n);
bool feed_chainguard_sniff(const char *base, const char *p, size_t n);
int feed_wolfi_advisory(vigil_feed_ctx *ctx, const char *data, size_t len);
bool feed_wolfi_osv_sniff(const char *base, const char *p, size_t n);
bool feed_chainguard_osv_sniff(const char *base, const char *p, size_t n);

/* ---- OSV ecosystems of these families (feed/osv_vendor.c) ----
 * "AlmaLinux:9", "Rocky Linux:8", "Wolfi", "Chainguard" -> the namespace
 * (ns, nsn bytes), version scheme and whether names are source packages;
 * false when the ecosystem is none of them. */
bool feed_osv_vendor_ecosystem(const char *ecosystem, char *ns, size_t nsn, const char **scheme,
			       int *is_source);

#endif
