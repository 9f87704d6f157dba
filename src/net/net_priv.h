/* net/net_priv.h: what net.c (the transfer engine) and get.c (the
 * all-or-nothing mode) share: the transfer's state and the body sink. */
#ifndef VIGIL_NET_PRIV_H
#define VIGIL_NET_PRIV_H

#include "net/net.h"
#include "util/redact.h"

#include <curl/curl.h>

/* The body of a 2xx answer, handed to the all-or-nothing mode's sink
 * instead of the staging buffer: 0, or -1 with errno (write failed). */
typedef int (*net_sink_fn)(void *ud, const char *p, size_t n);

struct net_xfer {
	CURL *easy;
	CURLM *multi;
	bool added;                   /* easy is in multi */
	net_policy pol;
	net_addr_policy addr;         /* a copy: the open-socket callback reads it */
	char *url;
	char red[VIGIL_REDACT_MAX];   /* the URL redacted, for messages */
	struct curl_slist *headers;
	void (*on_header)(void *ud, const net_resp *r, const char *name, size_t nlen, const char *value,
			  size_t vlen);
	void (*progress)(void *ud, int64_t delta);
	void *ud;
	char errbuf[CURL_ERROR_SIZE];
	net_resp resp;
	uint64_t body;
	bool over_cap, over_header, err_full, paused, done;
	CURLcode result;
	unsigned refused;             /* addresses the policy refused */
	char refused_why[192];
	/* streaming */
	char *stage;
	size_t stage_len, stage_off;
	/* all-or-nothing */
	net_sink_fn sink;
	void *sink_ud;
	bool sink_failed;
	int sink_errno;
	vigil_buf errbody;
};

/* Starts a transfer whose 2xx body goes to sink (NULL: the staging buffer). */
int net_xfer_begin(net_xfer *x, const net_policy *p, const net_req *rq, net_sink_fn sink, void *sink_ud);
/* Runs a sink transfer to its end (the result in x->result). */
int net_xfer_run(net_xfer *x);
/* The message and outcome of a transfer that ended without the answer
 * wanted (x->result, the status); also for a complete non-2xx answer. */
int net_xfer_fail(net_xfer *x, net_outcome *o);

#endif
