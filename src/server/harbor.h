/* server/harbor.h: what the files of Harbor's pluggable scanner API v1.2
 * share (docs/harbor.md): harbor.c answers the three routes on the
 * harbor.listen address; harbor_jobs.c keeps the scans (an id each, a
 * bounded table, a pool of worker threads that pull, index and match);
 * harbor_report.c renders the reports (Harbor's vulnerability report,
 * SPDX 2.3 and CycloneDX 1.6 SBOMs), pure functions of a vigil report. */
#ifndef VIGIL_SERVER_HARBOR_H
#define VIGIL_SERVER_HARBOR_H

#include <stddef.h>
#include <stdint.h>

#include "server/server.h"
#include "vigil/index.h"
#include "vigil/match.h"

#define SRV_HARBOR_MAX_JOBS      1024  /* scans kept: waiting, running or done */
#define SRV_HARBOR_MAX_BYTES     ((size_t)256 << 20) /* rendered reports kept, in all */
#define SRV_HARBOR_KEEP_S        (24 * 3600) /* a finished scan is forgotten after this */
#define SRV_HARBOR_REFRESH_S     5     /* Refresh-After of a 302 (Harbor reads it as an int8) */
#define SRV_HARBOR_MAX_WORKERS   8     /* scans at once, at most */
#define SRV_HARBOR_MAX_URL       2048  /* registry.url */
#define SRV_HARBOR_MAX_AUTH      (32 * 1024 + 16) /* registry.authorization */
#define SRV_HARBOR_MAX_REPO      255   /* artifact.repository */
#define SRV_HARBOR_MAX_TAG       128   /* artifact.tag */
#define SRV_HARBOR_MAX_MIME      128   /* artifact.mime_type */

/* Media types of the API (the spec's and Harbor's src/pkg/scan/rest/v1). */
#define HARBOR_MT_OCI      "application/vnd.oci.image.manifest.v1+json"
#define HARBOR_MT_DOCKER   "application/vnd.docker.distribution.manifest.v2+json"
#define HARBOR_MT_VULN11   "application/vnd.security.vulnerability.report; version=1.1"
#define HARBOR_MT_VULN10   "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"
#define HARBOR_MT_SBOM     "application/vnd.security.sbom.report+json; version=1.0"
#define HARBOR_MT_SPDX     "application/spdx+json"
#define HARBOR_MT_CDX      "application/vnd.cyclonedx+json"
#define HARBOR_MT_META10   "application/vnd.scanner.adapter.metadata+json; version=1.0"
#define HARBOR_MT_META11   "application/vnd.scanner.adapter.metadata+json; version=1.1"
#define HARBOR_MT_SCANRESP "application/vnd.scanner.adapter.scan.response+json; version=1.0"
#define HARBOR_MT_ERROR    "application/vnd.scanner.adapter.error+json; version=1.0"

/* What a scan makes: a bit per report. */
enum { HARBOR_OUT_VULN = 1, HARBOR_OUT_SPDX = 2, HARBOR_OUT_CDX = 4 };

/* The artifact as Harbor named it (echoed in every report). */
typedef struct srv_harbor_artifact {
	char repository[SRV_HARBOR_MAX_REPO + 1];
	char digest[136];
	char tag[SRV_HARBOR_MAX_TAG + 1];
	char mime_type[SRV_HARBOR_MAX_MIME + 1];
} srv_harbor_artifact;

/* A checked scan request. */
typedef struct srv_harbor_scan {
	srv_harbor_artifact art;
	char host[256];          /* "registry:5000": registry.url's authority */
	int insecure;            /* registry.url is http:// */
	char *authorization;     /* registry.authorization (malloc'd) or NULL */
	unsigned outputs;        /* HARBOR_OUT_* */
} srv_harbor_scan;

/* ---- reports (harbor_report.c) ---- */
/* Harbor's scale: Unknown, Low, Medium, High, Critical (Negligible is Low). */
const char *srv_harbor_severity(vigil_severity s);
/* HarborVulnerabilityReport JSON of vr; now: unix time (generated_at). */
int srv_harbor_vuln_json(const vigil_vuln_report *vr, const srv_harbor_artifact *a, int64_t now, char **out,
			 size_t *len);
/* HarborSbomReport JSON of ir's packages; format: HARBOR_OUT_SPDX or _CDX. */
int srv_harbor_sbom_json(const vigil_index_report *ir, const srv_harbor_artifact *a, unsigned format, int64_t now,
			 char **out, size_t *len);
/* "2026-12-05T13:05:22Z" of a unix time. */
void srv_harbor_time(int64_t t, char out[32]);

/* ---- scans (harbor_jobs.c) ---- */
struct srv_harbor;
enum { HARBOR_JOB_WAITING, HARBOR_JOB_RUNNING, HARBOR_JOB_DONE, HARBOR_JOB_FAILED };

int srv_harbor_new(vigil_srv *s, int workers, struct srv_harbor **out);
/* Stops the workers: waits at most grace_s for the scans running; returns
 * how many still run (then h must not be freed: they use it). */
int srv_harbor_stop(struct srv_harbor *h, int grace_s);
void srv_harbor_free(struct srv_harbor *h); /* NULL is fine */
struct srv_harbor *srv_harbor_state(vigil_srv *s);
/* Queues sc (its authorization taken, even on failure); id: its id.
 * VIGIL_ELIMIT when the table is full of unfinished scans. */
int srv_harbor_submit(struct srv_harbor *h, srv_harbor_scan *sc, char id[40]);
/* The scan id's state (VIGIL_ENOTFOUND: unknown or forgotten), its
 * outputs, and when done the report asked for (a reference, NULL when the
 * scan did not make it) or when failed why (err). */
int srv_harbor_result(struct srv_harbor *h, const char *id, unsigned output, int *state, unsigned *outputs,
		      srv_blob **report, char *err, size_t errn);

/* ---- the API (harbor.c) ---- */
/* A ScanRequest body (JSON) checked into sc (zeroed by the caller; its
 * authorization malloc'd, the caller's to free even on failure): 0, or
 * the HTTP status (400, 422, 500) with why. */
int srv_harbor_parse_scan(const char *body, size_t len, srv_harbor_scan *sc, char *why, size_t n);
/* Answers a request of the harbor listener; early: 413 or 431 when the
 * engine refused the request already, else 0. */
void srv_harbor_dispatch(vigil_srv *s, const srv_request *rq, int early, srv_response *rs);

#endif
