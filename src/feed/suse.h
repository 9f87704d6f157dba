/* feed/suse.h: what the SUSE CVRF and OVAL parsers (feed/suse_cvrf.c,
 * feed/suse_oval.c) share: SUSE product names to vigil namespaces and
 * SUSE's severity words. Private to src/feed/suse_*.c; the tables are in
 * docs/feeds-suse.md. */
#ifndef VIGIL_FEED_SUSE_H
#define VIGIL_FEED_SUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "feed/feed.h"
#include "util/slice.h"

/* The longest namespace made ("opensuse-leap:" and a release). */
#define VIGIL_SUSE_NS_MAX 32
/* The longest product name looked at. */
#define VIGIL_SUSE_MAX_PRODUCT 256

/* A SUSE product name to a namespace, as Trivy maps CVRF platforms:
 *   "SUSE Linux Enterprise Server 15 SP1", "... Module for Basesystem 15 SP1",
 *   "... Server 15 SP1-LTSS", "... Desktop 12 SP4"  -> "sles:15.1", "sles:12.4";
 *   "SUSE Linux Enterprise Server 15"                -> "sles:15";
 *   "openSUSE Leap 15.5"                             -> "opensuse-leap:15.5".
 * False (not mapped) for SUSE Manager, SUSE Linux Enterprise Storage and
 * Micro, openSUSE Tumbleweed, Leap Micro, the old "openSUSE 13.2" and any
 * other product. */
bool feed_suse_product_namespace(vigil_slice product, char out[VIGIL_SUSE_NS_MAX]);

/* SUSE's rating words (CVRF Threat, OVAL advisory/severity), any case:
 * low, moderate (and medium), important (and high), critical, none. */
vigil_severity feed_suse_severity(const char *word);

#endif
