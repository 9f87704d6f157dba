/* net/send.c: a request that sends rather than fetches (PUT, POST, PATCH,
 * HEAD): the registry's blob uploads and manifest pushes. The same
 * transfer engine, policy and failure wording as a GET (net.c); the body
 * comes from memory or from a file read from its current position in
 * NET_SEND_CHUNK pieces by libcurl's read callback, so a big upload costs
 * no memory; the answer's body is dropped (the first NET_MAX_ERROR_BODY
 * bytes of a non-2xx one are kept for the message, as for a GET). No
 * "Expect: 100-continue": an upload is sent whole, and a caller that may
 * be refused (401) asks with a small request first. */
#include "net/net_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sending {
	const net_body *b;
	uint64_t off;
	bool file_failed;
};

static int discard(void *ud, const char *p, size_t n)
{
	(void)ud;
	(void)p;
	(void)n;
	return 0;
}

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
	struct sending *s = ud;
	const net_body *b = s->b;
	uint64_t left = b->len - s->off;
	size_t want = size * n < left ? size * n : (size_t)left;
	size_t got;
	if (!want)
		return 0;
	if (b->data) {
		memcpy(buf, b->data + s->off, want);
		got = want;
	} else {
		got = fread(buf, 1, want, b->file);
		if (got == 0) {
			s->file_failed = true;
			return CURL_READFUNC_ABORT;
		}
	}
	s->off += got;
	if (b->sent)
		b->sent(b->ud, (int64_t)got);
	return got;
}

int net_send(net_xfer *x, const net_policy *p, const net_req *rq, const char *method, const net_body *body,
	     net_outcome *o)
{
	static const char *const no_expect = "Expect:";
	struct sending s = { .b = body };
	net_req r = *rq;
	const char **lines = NULL;
	int rc;
	if (body && body->file && body->data)
		return vigil_error_set(VIGIL_EINVAL, "net: a body from memory or from a file, not both");
	if (!(lines = calloc(rq->nheaders + 1, sizeof(*lines))))
		return vigil_error_oom();
	for (size_t i = 0; i < rq->nheaders; i++)
		lines[i] = rq->headers[i];
	lines[rq->nheaders] = no_expect;
	r.headers = lines;
	r.nheaders = rq->nheaders + 1;
	rc = net_xfer_begin(x, p, &r, discard, NULL);
	free(lines);
	if (rc < 0)
		return rc;
	/* set before the first perform: nothing has been sent yet */
	if (!strcmp(method, "HEAD")) {
		curl_easy_setopt(x->easy, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(x->easy, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(x->easy, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(x->easy, CURLOPT_READDATA, &s);
		curl_easy_setopt(x->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t)(body ? body->len : 0));
		if (strcmp(method, "PUT") != 0)
			curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, method);
	}
	static const net_body none = { 0 };
	if (!body)
		s.b = &none;
	if ((rc = net_xfer_run(x)) < 0)
		return rc;
	if (s.file_failed) {
		net_outcome tmp;
		net_xfer_finish(x, o ? o : &tmp);
		return vigil_error_set(VIGIL_EIO, "%s: the file to send ended early or could not be read", x->red);
	}
	return net_xfer_finish(x, o);
}
