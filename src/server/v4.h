/* server/v4.h: what the files of the Clair v4 API share (v4.c: the route
 * table and the small handlers; v4_index.c: indexing and matching). */
#ifndef VIGIL_SERVER_V4_H
#define VIGIL_SERVER_V4_H

#include "server/server.h"

#define SRV_MAX_BULK_DELETE 1000 /* digests in one bulk DELETE */

int srv_v4_index_post(vigil_srv *s, const srv_request *rq, srv_response *rs);
int srv_v4_vuln_report(vigil_srv *s, const srv_request *rq, srv_response *rs);
/* Forgets the cached VulnerabilityReport of a manifest. */
void srv_v4_cache_drop(vigil_srv *s, const char *hash);
/* The indexer state (hex of the sha256 of VIGIL_SCANNERS_VERSION). */
const char *srv_v4_index_state(vigil_srv *s);

#endif
