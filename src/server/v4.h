/* server/v4.h: what the files of the Clair v4 API share (v4.c: the route
 * table and the small handlers; v4_index.c: indexing and matching). */
#ifndef VIGIL_SERVER_V4_H
#define VIGIL_SERVER_V4_H

#include "server/server.h"
#include "vigil/manifest.h"

#define SRV_MAX_BULK_DELETE 1000 /* digests in one bulk DELETE */

int srv_v4_index_post(vigil_srv *s, const srv_request *rq, srv_response *rs);
/* The work of a POST index_report on a parsed Manifest m (taken), whose
 * JSON body is stored with the report: one indexing per (hash, layers id)
 * at a time, the stored report when it answers (v4_index.c). rs gets the
 * answer (201 and the IndexReport, or the error); *fresh is set when this
 * call made the report now rather than finding it stored or waiting for
 * another request's. if_none_match (NULL: none) naming the current index
 * state answers 412 without indexing.  */
int srv_v4_index_manifest(vigil_srv *s, vigil_manifest *m, const char *body, size_t body_len,
			  const char *if_none_match, srv_response *rs,
			  bool *fresh);
int srv_v4_vuln_report(vigil_srv *s, const srv_request *rq, srv_response *rs);

/* ---- formats.c ---- */
#include "vigil/report.h"
/* The format rq asks for (?format=, else Accept; VIGIL_FMT_CLAIR by
 * default). Non-zero, with a 400 in rs, for a bad ?format. */
int srv_report_format(const srv_request *rq, srv_response *rs, vigil_report_format *f);
/* Answers 200 with the report rendered as f (500 in rs on failure). */
void srv_send_report(srv_response *rs, vigil_report_format f, const vigil_index_report *ir,
		     const vigil_vuln_report *vr, const char *image);
/* Forgets the cached VulnerabilityReport of a manifest. */
void srv_v4_cache_drop(vigil_srv *s, const char *hash);
/* The indexer state (hex of the sha256 of VIGIL_SCANNERS_VERSION). */
const char *srv_v4_index_state(vigil_srv *s);

#endif
