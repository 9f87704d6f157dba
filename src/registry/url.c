/* registry/url.c: a layer at any http or https URL as a pull stream, for
 * the Clair server's Manifests and v1 layers (each layer names its own URI
 * and headers). One transfer (registry/http.c over net/) driven by the
 * reads: the same redirect rules (http/https only, https never down to
 * http), stall rule and TLS verification as registry blobs, a size cap,
 * and what only layer URIs get, since a client chooses them: a total
 * deadline (NET_LAYER_DEADLINE_S unless configured: a source trickling
 * just above the stall rule ends too) and the deployment's address policy
 * (net_addr_allowed on every address connected to, redirects included).
 * Both are process-wide, set once by the server from its config
 * (reg_url_configure) and copied under a lock by each open. The size
 * is not known in advance, so the stream ends where the body does; a
 * non-2xx answer or a broken connection is an error naming the URL
 * (redacted). No retries: the server's client sees the error and may ask
 * again. The digest is the reader's to check (the layer module hashes
 * every byte). */
#include "net/net.h"
#include "registry/registry.h"
#include "util/error.h"
#include "util/redact.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t policy_lock = PTHREAD_MUTEX_INITIALIZER;
static net_addr_policy policy_addr;        /* all zero: net/'s default */
static long policy_deadline_s = NET_LAYER_DEADLINE_S;

int reg_url_configure(const struct net_addr_policy *addr, long deadline_s)
{
	if (deadline_s < 0 || deadline_s > NET_LAYER_MAX_DEADLINE_S)
		return vigil_error_set(VIGIL_EINVAL, "a layer fetch deadline of %ld s: 1 to %ld s expected", deadline_s,
				       NET_LAYER_MAX_DEADLINE_S);
	pthread_mutex_lock(&policy_lock);
	if (addr)
		policy_addr = *addr;
	else
		memset(&policy_addr, 0, sizeof(policy_addr));
	policy_deadline_s = deadline_s ? deadline_s : NET_LAYER_DEADLINE_S;
	pthread_mutex_unlock(&policy_lock);
	return 0;
}

void reg_url_policy(struct net_addr_policy *out)
{
	pthread_mutex_lock(&policy_lock);
	*out = policy_addr;
	pthread_mutex_unlock(&policy_lock);
}

struct url_stream {
	vigil_istream base;
	vigil_reg_xfer *x;
	bool over;
	net_addr_policy addr;
};

static ssize_t url_read(vigil_istream *s, void *buf, size_t n)
{
	struct url_stream *u = (struct url_stream *)s;
	bool retry;
	if (u->over)
		return 0;
	ssize_t r = reg_xfer_read(u->x, buf, n);
	if (r != 0)
		return r;
	u->over = true;
	int rc = reg_xfer_result(u->x, &retry);
	return rc < 0 ? rc : 0;
}

static void url_close(vigil_istream *s)
{
	struct url_stream *u = (struct url_stream *)s;
	reg_xfer_free(u->x);
	free(u);
}

static const struct vigil_istream_ops url_ops = { url_read, url_close };

int reg_open_url(const char *url, const char *const *headers, size_t nheaders, uint64_t max,
		       vigil_istream **out)
{
	vigil_reg_req req;
	struct url_stream *u;
	int rc;
	*out = NULL;
	if (nheaders > VIGIL_REG_MAX_URL_HEADERS) {
		char red[VIGIL_REDACT_MAX];
		return vigil_error_set(VIGIL_ELIMIT, "%s: more than %d headers", vigil_redact_url(url, red, sizeof(red)),
				       VIGIL_REG_MAX_URL_HEADERS);
	}
	if (!(u = calloc(1, sizeof(*u))))
		return vigil_error_oom();
	u->base.ops = &url_ops;
	memset(&req, 0, sizeof(req));
	pthread_mutex_lock(&policy_lock);
	u->addr = policy_addr;
	req.timeout_s = policy_deadline_s;
	pthread_mutex_unlock(&policy_lock);
	req.url = url;
	req.allow_http = true;
	req.max_body = max;
	req.headers = headers;
	req.nheaders = nheaders;
	req.addr = &u->addr;
	if ((rc = reg_xfer_start(&req, &u->x)) < 0) {
		free(u);
		return rc;
	}
	*out = &u->base;
	return 0;
}
