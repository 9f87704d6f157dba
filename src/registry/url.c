/* registry/url.c: a layer at any http or https URL as a pull stream, for
 * the Clair server's Manifests (each layer names its own URI and headers).
 * One transfer (registry/http.c) driven by the reads: the same redirect
 * rules (http/https only, https never down to http), stall limit and TLS
 * verification as registry blobs, and a size cap. The size is not known in
 * advance, so the stream ends where the body does; a non-2xx answer or a
 * broken connection is an error naming the URL. No retries: the server's
 * client sees the error and may ask again. The digest is the reader's to
 * check (the layer module hashes every byte). */
#include "registry/registry.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

struct url_stream {
	vigil_istream base;
	vigil_reg_xfer *x;
	bool over;
};

static ssize_t url_read(vigil_istream *s, void *buf, size_t n)
{
	struct url_stream *u = (struct url_stream *)s;
	bool retry;
	if (u->over)
		return 0;
	ssize_t r = vigil_reg_xfer_read(u->x, buf, n);
	if (r != 0)
		return r;
	u->over = true;
	int rc = vigil_reg_xfer_result(u->x, &retry);
	return rc < 0 ? rc : 0;
}

static void url_close(vigil_istream *s)
{
	struct url_stream *u = (struct url_stream *)s;
	vigil_reg_xfer_free(u->x);
	free(u);
}

static const struct vigil_istream_ops url_ops = { url_read, url_close };

int vigil_reg_open_url(const char *url, const char *const *headers, size_t nheaders, uint64_t max,
		       vigil_istream **out)
{
	vigil_reg_req req;
	struct url_stream *u;
	int rc;
	*out = NULL;
	if (nheaders > VIGIL_REG_MAX_URL_HEADERS)
		return vigil_error_set(VIGIL_ELIMIT, "%.300s: more than %d headers", url, VIGIL_REG_MAX_URL_HEADERS);
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.allow_http = true;
	req.max_body = max;
	req.timeout_s = 0; /* big layers take long: the stall limit only */
	req.headers = headers;
	req.nheaders = nheaders;
	if (!(u = calloc(1, sizeof(*u))))
		return vigil_error_oom();
	u->base.ops = &url_ops;
	if ((rc = vigil_reg_xfer_start(&req, &u->x)) < 0) {
		free(u);
		return rc;
	}
	*out = &u->base;
	return 0;
}
