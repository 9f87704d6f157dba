/* db/fetch.c: one HTTP(S) GET of a feed file the way `vigil db update`
 * needs it, over net/ (vigil's one HTTP client, see docs/net.md): its
 * all-or-nothing mode into the destination file (a hidden temp file
 * renamed into place only when the body is whole), conditional on the
 * validators the caller kept (If-None-Match / If-Modified-Since), with the
 * updater's limits (vigil_fetch_limits: connect timeout, total timeout,
 * stall rule, size cap, redirects), compressed transfer, and net/'s
 * default address policy. What is the updater's own is here: a 404 of an
 * optional URL is not an error (resp->missing), and "unreachable" (the
 * host could not be resolved or connected to) is told apart so that an
 * offline update can say so. A fetcher keeps one net_xfer so that the URLs
 * of a feed reuse their connection; one fetcher per thread. */
#include "db/fetch.h"
#include "net/net.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vigil_fetcher {
	net_xfer *x;
	vigil_fetch_limits lim;
	void (*progress)(void *ud, int64_t delta);
	void *ud;
};

int db_fetch_global_init(void)
{
	return net_global_init();
}

int db_fetcher_new(const vigil_fetch_limits *lim, void (*progress)(void *ud, int64_t delta),
		      void *ud, vigil_fetcher **out)
{
	vigil_fetcher *f;
	int rc;
	*out = NULL;
	if (!(f = calloc(1, sizeof(*f))))
		return vigil_error_oom();
	if ((rc = net_xfer_new(&f->x)) < 0) {
		free(f);
		return rc;
	}
	f->lim = *lim;
	f->progress = progress;
	f->ud = ud;
	*out = f;
	return 0;
}

void db_fetcher_free(vigil_fetcher *f)
{
	if (!f)
		return;
	net_xfer_free(f->x);
	free(f);
}

int db_fetch(vigil_fetcher *f, const vigil_fetch_req *req, vigil_fetch_resp *resp)
{
	const vigil_fetch_limits *l = &f->lim;
	net_outcome o;
	size_t nheaders = 0;
	memset(resp, 0, sizeof(*resp));
	while (req->headers && req->headers[nheaders])
		nheaders++;
	net_policy p = {
		.connect_timeout_s = l->connect_timeout_s,
		.stall_bytes = l->stall_bytes,
		.stall_time_s = l->stall_time_s,
		.deadline_s = l->timeout_s,
		.max_body = l->max_bytes > 0 ? (uint64_t)l->max_bytes : 0,
		.max_redirects = l->max_redirects,
		.allow_http = true,
		.compressed = true,
		.user_agent = "vigil/" VIGIL_VERSION " (vulnerability feed update)",
	};
	net_req rq = { .url = req->url, .headers = req->headers, .nheaders = nheaders, .etag = req->etag,
		       .last_modified = req->last_modified, .progress = f->progress, .ud = f->ud };
	int rc = net_get_file(f->x, &p, &rq, req->dest, &o);
	const net_resp *r = net_xfer_resp(f->x);
	resp->status = r->status;
	resp->bytes = (int64_t)o.bytes;
	resp->unreachable = o.unreachable;
	if (rc < 0) {
		if (o.fail == NET_FAIL_HTTP && r->status == 404 && req->missing_ok) {
			vigil_error_clear();
			resp->missing = true;
			resp->unreachable = false;
			return 0;
		}
		return rc;
	}
	resp->not_modified = o.not_modified;
	if (!o.not_modified) {
		snprintf(resp->etag, sizeof(resp->etag), "%s", r->etag);
		snprintf(resp->last_modified, sizeof(resp->last_modified), "%s", r->last_modified);
	}
	return 0;
}
