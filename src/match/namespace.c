/* match/namespace.c: the namespace of an image's distribution, as the
 * feeds name theirs ("debian:12", "ubuntu:18.04", "alpine:3.11", "rhel:8").
 *
 * Debian: the major of VERSION_ID, else the codename through the release
 * table (a testing image has no VERSION_ID), "sid" -> "unstable". Ubuntu:
 * VERSION_ID as is. Alpine: major.minor of VERSION_ID ("3.18.4" -> "3.18");
 * a pre-release ("3.19_alpha...") is "edge". RHEL and CentOS are
 * "rhel:<major>": CentOS ships Red Hat's sources at the same versions,
 * which is what Clair does too (docs/matching.md).
 *
 * The families of issue 16, named as their vendors name releases:
 * Amazon Linux "amzn:2", "amzn:2023" (the AMI's "2018.03" is "amzn:1"),
 * Oracle "ol:<major>", SUSE "sles:15.5" and "opensuse-leap:15.5" (a bare
 * "15" stays "15"), Rocky "rocky:<major>", AlmaLinux "almalinux:<major>",
 * Photon "photon:5.0", Azure Linux "azurelinux:3.0", CBL-Mariner
 * "mariner:2.0", Fedora "fedora:<major>", and the rolling Wolfi and
 * Chainguard "wolfi:rolling", "chainguard:rolling" (their VERSION_ID is a
 * date, not a release). */
#include "feed/feed.h"
#include "util/error.h"
#include "vigil/match.h"

#include <stdio.h>
#include <string.h>

static int put(char *buf, size_t n, const char *did, const char *ver, size_t vlen)
{
	int w = snprintf(buf, n, "%s:%.*s", did, (int)vlen, ver);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "namespace %s:%.*s does not fit in %zu bytes", did,
				       (int)vlen, ver, n);
	return 0;
}

/* Length of the first `parts` dot-separated numeric parts of v, 0 when v
 * does not start with that many ("3.18.4", 2 -> 4; "10", 1 -> 2). */
static size_t numeric_prefix(const char *v, int parts)
{
	size_t i = 0;
	for (int p = 0; p < parts; p++) {
		if (p > 0 && v[i++] != '.')
			return 0;
		size_t digits = 0;
		while (v[i] >= '0' && v[i] <= '9')
			i++, digits++;
		if (!digits)
			return 0;
	}
	return i;
}

static int is(const char *a, const char *b) { return a && strcmp(a, b) == 0; }

int vigil_distribution_namespace(const vigil_distribution *d, char *buf, size_t n)
{
	const char *v = d ? d->version_id : NULL, *cn = d ? d->version_code_name : NULL;
	size_t len;

	if (!d || !d->did)
		return vigil_error_set(VIGIL_ENOTFOUND, "no distribution");
	if (is(d->did, "debian")) {
		if (v && (len = numeric_prefix(v, 1)) > 0)
			return put(buf, n, "debian", v, len);
		if (is(cn, "sid"))
			return put(buf, n, "debian", "unstable", 8);
		const char *rel = cn ? feed_debian_release_version(cn) : NULL;
		if (rel)
			return put(buf, n, "debian", rel, strlen(rel));
	} else if (is(d->did, "ubuntu")) {
		if (v && (len = numeric_prefix(v, 2)) > 0)
			return put(buf, n, "ubuntu", v, len);
		const char *rel = cn ? feed_ubuntu_release_version(cn) : NULL;
		if (rel)
			return put(buf, n, "ubuntu", rel, strlen(rel));
	} else if (is(d->did, "alpine")) {
		if (v && strstr(v, "_alpha"))
			return put(buf, n, "alpine", "edge", 4);
		if (v && (len = numeric_prefix(v, 2)) > 0)
			return put(buf, n, "alpine", v, len);
	} else if (is(d->did, "rhel") || is(d->did, "centos")) {
		if (v && (len = numeric_prefix(v, 1)) > 0)
			return put(buf, n, "rhel", v, len);
	} else if (is(d->did, "wolfi") || is(d->did, "chainguard")) {
		return put(buf, n, d->did, "rolling", 7);
	} else if (is(d->did, "amzn")) {
		/* 1 (2018.03, 2017.09: the Amazon Linux AMI), 2, 2022, 2023 */
		if (v && (len = numeric_prefix(v, 1)) == 4 && strncmp(v, "2022", 4) < 0)
			return put(buf, n, "amzn", "1", 1);
		if (v && (len = numeric_prefix(v, 1)) > 0)
			return put(buf, n, "amzn", v, len);
	} else if (is(d->did, "ol") || is(d->did, "rocky") || is(d->did, "almalinux") ||
		   is(d->did, "fedora")) {
		if (v && (len = numeric_prefix(v, 1)) > 0)
			return put(buf, n, d->did, v, len);
	} else if (is(d->did, "sles_sap") || is(d->did, "sled") || is(d->did, "sle_hpc")) {
		/* SLES for SAP, SLE Desktop, SLE HPC: products of the SLES release
		 * of that service pack, its feeds' "sles:" (docs/feeds-suse.md) */
		if (v && ((len = numeric_prefix(v, 2)) > 0 || (len = numeric_prefix(v, 1)) > 0))
			return put(buf, n, "sles", v, len);
	} else if (is(d->did, "sles") || is(d->did, "opensuse-leap") || is(d->did, "photon") ||
		   is(d->did, "azurelinux") || is(d->did, "mariner")) {
		if (v && ((len = numeric_prefix(v, 2)) > 0 || (len = numeric_prefix(v, 1)) > 0))
			return put(buf, n, d->did, v, len);
	}
	return vigil_error_set(VIGIL_ENOTFOUND, "no vulnerability namespace for distribution %s %s", d->did,
			       v ? v : (cn ? cn : "(no version)"));
}
