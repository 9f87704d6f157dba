/* report/ci_util.h: what the CI writers (sarif.c, junit.c, gitlab.c,
 * flat.c) share: the package of a finding, its title and first web link,
 * timestamps, a stable fingerprint, the image's repository as a URI path
 * (as Trivy names an image in SARIF), and jansson setters that remember a
 * failed allocation so a writer checks once, at the end.
 *
 * Nothing here allocates on its own account except into the caller's
 * vigil_buf; every function accepts NULL strings (a feed may leave any
 * field out). */
#ifndef VIGIL_REPORT_CI_UTIL_H
#define VIGIL_REPORT_CI_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "vigil/match.h"

/* The project's home for SARIF's informationUri and GitLab's analyzer url:
 * vigil has no public address yet (RFC 2606's reserved .invalid, as the
 * SPDX namespace does). */
#define REPORT_CI_HOME "https://vigil.invalid/"

#define REPORT_CI_LINK_MAX 128           /* an advisory page made from an id */
#define REPORT_CI_MAX_TEXT (1024 * 1024) /* bytes of one composed text (message, help) */

/* The package a finding is about: f->package, else the index report's
 * entry at f->package_index; NULL when neither is there. */
const vigil_package *report_ci_package(const vigil_vuln_report *r, const vigil_finding *f);

/* The short title: the summary, else the description's first line, else
 * "" (tmp holds a copy when one is cut). */
const char *report_ci_title(const vigil_finding *f, vigil_buf *tmp);

/* The first of f's links that is an absolute http(s) URL with no white
 * space or control character (fit for a schema's "uri"); NULL when none. */
const char *report_ci_web_link(const vigil_finding *f);
bool report_ci_is_web_url(const char *s);
/* report_ci_web_link(f), else the public page of its id when the id has
 * one (a CVE at NVD, a GHSA at GitHub's advisory database, written into
 * out), else NULL. */
const char *report_ci_link(const vigil_finding *f, char out[REPORT_CI_LINK_MAX]);

/* t (unix seconds) as "YYYY-MM-DDTHH:MM:SS", with a "Z" when zulu is set;
 * out holds 32 bytes. */
void report_ci_time(int64_t t, bool zulu, char out[32]);

/* The SHA-256 (64 lowercase hex and a NUL) of the n strings (NULL as "")
 * joined by NUL bytes: the same parts give the same value in every run. */
int report_ci_fingerprint(const char *const *parts, size_t n, char out[65]);

/* The image's repository as Trivy's SARIF writer names an image
 * (go-containerregistry's RepositoryStr): "alpine:3.10" -> "library/alpine",
 * "ghcr.io/org/app@sha256:..." -> "org/app"; for a local transport
 * (docker-archive:, oci:, oci-archive:, dir:, sbom:) or a bare path, the
 * file or folder's name ("a.tar": a temporary folder must not change the
 * URI, nor the fingerprints made from it). Percent-encoded where a URI needs it; never empty
 * ("image" when nothing is left). */
int report_ci_image_uri(const char *ref, vigil_buf *out);

/* Appends s percent-encoded as a URI path (RFC 3986 pchar and '/'). */
int report_ci_uri_path(vigil_buf *b, const char *s);

/* The purl of p (vigil_purl_of) into *out (malloc'd), or *out NULL when p
 * has none (no package, a language package without one); fails only when
 * out of memory. */
int report_ci_purl(const vigil_package *p, const vigil_distribution *d, char **out);

/* Sets o[key] = v (stolen). false, with *ok cleared, when v is NULL or the
 * set fails: the writer checks *ok once and reports out of memory. */
bool report_ci_set(json_t *o, const char *key, json_t *v, bool *ok);
/* Appends v (stolen) to a, the same way. */
bool report_ci_append(json_t *a, json_t *v, bool *ok);
/* A JSON string of s, or JSON null when s is NULL. */
json_t *report_ci_str_or_null(const char *s);
/* The array of the n strings of v (NULL entries left out). */
json_t *report_ci_str_array(const char *const *v, size_t n);

#endif
