/* feed/cvss.h: CVSS base scores computed from vector strings, for feeds
 * that give only a vector (OSV "severity": [{"type": "CVSS_V3", "score":
 * "CVSS:3.1/AV:N/..."}]). Implements the base equations of the FIRST.org
 * specifications: CVSS v3.1 (with its Roundup), v3.0 (Roundup as the v3.0
 * reference calculator: ceil to one decimal) and v2.0. Temporal and
 * environmental metrics are checked for syntax and otherwise ignored: the
 * result is always the base score. */
#ifndef VIGIL_FEED_CVSS_H
#define VIGIL_FEED_CVSS_H

#include <stddef.h>

#include "vigil/vuln.h"

/* Longest vector string accepted (a full v3.1 vector with every temporal
 * and environmental metric is about 150 characters). */
#define VIGIL_CVSS_MAX_VECTOR 256

typedef enum vigil_cvss_version {
	VIGIL_CVSS_V2 = 20,
	VIGIL_CVSS_V30 = 30,
	VIGIL_CVSS_V31 = 31,
} vigil_cvss_version;

/* "CVSS:3.0/..." or "CVSS:3.1/...": the base score (0.0-10.0, one decimal)
 * in *score and 30 or 31 in *version (may be NULL). The eight base metrics
 * must each be given exactly once (any order); an unknown metric, a bad
 * value or a repeated metric is VIGIL_EFORMAT naming it and its offset. */
int feed_cvss3_base_score(const char *vec, size_t len, double *score, int *version);

/* "AV:N/AC:L/Au:N/C:P/I:P/A:P" (optionally inside parentheses, as some
 * feeds write it): the v2.0 base score. */
int feed_cvss2_base_score(const char *vec, size_t len, double *score);

/* Either version, told by the "CVSS:3." prefix; *version gets 20, 30 or 31. */
int feed_cvss_base_score(const char *vec, size_t len, double *score, int *version);

/* The CVSS v2 qualitative rating (NVD): Low < 4.0 <= Medium < 7.0 <= High.
 * v2 has no Critical; 0.0 is Negligible as with v3; < 0 is Unknown. */
vigil_severity feed_cvss2_severity(double score);

#endif
