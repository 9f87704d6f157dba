/* net/post.c: a POST with a small body whose answer is only judged by its
 * status (the notifier's webhook): the same transfer engine, policy and
 * failure wording as a GET; the answer's body is read and dropped (capped
 * by the policy's max_body), so a chatty receiver costs no memory. */
#include "net/net_priv.h"
#include "util/error.h"

static int discard(void *ud, const char *p, size_t n)
{
	(void)ud;
	(void)p;
	(void)n;
	return 0;
}

int net_post(net_xfer *x, const net_policy *p, const net_req *rq, const char *body, size_t len, net_outcome *o)
{
	int rc;
	if ((rc = net_xfer_begin(x, p, rq, discard, NULL)) < 0)
		return rc;
	/* set before the first perform: nothing has been sent yet */
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(x->easy, CURLOPT_COPYPOSTFIELDS, body);
	if ((rc = net_xfer_run(x)) < 0)
		return rc;
	return net_xfer_finish(x, o);
}
