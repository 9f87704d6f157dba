/* registry/blob.c: a layer blob as a pull stream (vigil_istream), read
 * once from the registry and never written anywhere. The transfer is
 * driven by the reads (registry/http.c): no thread, one staging buffer.
 *
 * The stream hands out exactly the descriptor's size: a byte more is an
 * error at once, a byte fewer at the end is a broken transfer. A 401 takes
 * a new token (tokens expire during long reads) and a 429, 5xx or broken
 * connection is retried (VIGIL_REG_MAX_RETRIES per stream, with backoff),
 * both resuming where the stream is: "Range: bytes=N-", checked against
 * the 206's Content-Range; a server that ignores Range (200) has its first
 * N bytes dropped. The digest is the reader's to check (the layer module
 * hashes every byte it reads), so a blob is hashed once. */
#include "registry/registry.h"
#include "util/error.h"
#include "util/redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct blob_stream {
	vigil_istream base;
	vigil_reg_client *c;
	char url[VIGIL_REG_MAX_URL];
	uint64_t size;
	uint64_t got;        /* bytes handed out */
	uint64_t skip;       /* bytes of the current answer to drop (it ignored Range) */
	bool checked;        /* the current answer's status was looked at */
	vigil_reg_xfer *x;
	char *authz;
	int retries, rounds;
	vigil_reg_resp *resp; /* a copy of the last answer's headers */
	char shown[VIGIL_REDACT_MAX]; /* url as messages show it (redacted) */
};

/* The blob's URL for a message: never with credentials or a signature. */
static const char *blob_url(struct blob_stream *b)
{
	return vigil_redact_url(b->url, b->shown, sizeof(b->shown));
}

static int start(struct blob_stream *b)
{
	vigil_reg_req req;
	int rc;
	free(b->authz);
	b->authz = NULL;
	if ((rc = reg_client_auth(b->c, &b->authz)) < 0)
		return rc;
	reg_client_req(b->c, b->url, &req);
	req.authorization = b->authz;
	req.range_from = b->got;
	req.max_body = b->size; /* a 200 to a Range request sends it all */
	req.timeout_s = 0;      /* big blobs take long: the stall limit only */
	b->skip = 0;
	b->checked = false;
	return reg_xfer_start(&req, &b->x);
}

/* The answer to a resumed request: from where it says. */
static int check_answer(struct blob_stream *b)
{
	const vigil_reg_resp *r = reg_xfer_resp(b->x);
	b->checked = true;
	if (!b->got)
		return 0;
	if (r->status == 200) {
		b->skip = b->got;
		return 0;
	}
	if (r->status == 206 && r->range_start != (int64_t)b->got)
		return vigil_error_set(VIGIL_EIO, "%s: asked for bytes from %llu, the answer starts at %lld",
				       blob_url(b), (unsigned long long)b->got, (long long)r->range_start);
	return 0;
}

/* The transfer is over: EOF, try again (1), or an error. */
static int finished(struct blob_stream *b)
{
	bool retry;
	int rc = reg_xfer_result(b->x, &retry);
	*b->resp = *reg_xfer_resp(b->x);
	reg_xfer_free(b->x);
	b->x = NULL;
	if (rc >= 0) {
		if (b->got == b->size)
			return 0;
		rc = vigil_error_set(VIGIL_EIO, "%s: the body ended after %llu of %llu bytes", blob_url(b),
				     (unsigned long long)b->got, (unsigned long long)b->size);
		retry = true;
	}
	if (b->resp->status == 401) {
		if (b->rounds++ >= 2)
			return vigil_error_set(VIGIL_EIO, "%s: HTTP 401 Unauthorized again with a new token", blob_url(b));
		if ((rc = reg_client_unauthorized(b->c, b->resp, b->authz, b->url)) < 0)
			return rc;
		return 1;
	}
	if (!retry || b->retries >= VIGIL_REG_MAX_RETRIES) {
		if (b->retries)
			vigil_error_prefix("after %d retries: ", b->retries);
		return rc;
	}
	reg_sleep_ms(reg_backoff_ms(b->retries++, b->resp->retry_after_s));
	return 1;
}

static ssize_t blob_read(vigil_istream *s, void *buf, size_t n)
{
	struct blob_stream *b = (struct blob_stream *)s;
	for (;;) {
		int rc;
		if (!b->x && (rc = start(b)) < 0)
			return rc;
		ssize_t r = reg_xfer_read(b->x, buf, n);
		if (r < 0)
			return r;
		if (r == 0) {
			if ((rc = finished(b)) <= 0)
				return rc;
			continue;
		}
		if (!b->checked && (rc = check_answer(b)) < 0)
			return rc;
		size_t k = (size_t)r;
		if (b->skip) {
			size_t drop = b->skip < k ? (size_t)b->skip : k;
			memmove(buf, (char *)buf + drop, k - drop);
			k -= drop;
			b->skip -= drop;
			if (!k)
				continue;
		}
		if (b->got + k > b->size)
			return vigil_error_set(VIGIL_EDIGEST, "%s: more than the %llu bytes its descriptor says",
					       blob_url(b), (unsigned long long)b->size);
		b->got += k;
		return (ssize_t)k;
	}
}

static void blob_close(vigil_istream *s)
{
	struct blob_stream *b = (struct blob_stream *)s;
	reg_xfer_free(b->x);
	free(b->authz);
	free(b->resp);
	free(b);
}

static const struct vigil_istream_ops blob_ops = { blob_read, blob_close };

int reg_open_blob(vigil_reg_client *c, const char *digest, uint64_t size, vigil_istream **out)
{
	struct blob_stream *b;
	int rc;
	*out = NULL;
	if (size > VIGIL_REG_MAX_BLOB)
		return vigil_error_set(VIGIL_ELIMIT, "%s: blob of %llu bytes, over the limit of %llu", digest,
				       (unsigned long long)size, (unsigned long long)VIGIL_REG_MAX_BLOB);
	if (!(b = calloc(1, sizeof(*b))) || !(b->resp = malloc(sizeof(*b->resp)))) {
		free(b);
		return vigil_error_oom();
	}
	b->base.ops = &blob_ops;
	b->c = c;
	b->size = size;
	if ((rc = reg_blob_url(c, digest, b->url, sizeof(b->url))) < 0) {
		blob_close(&b->base);
		return rc;
	}
	*out = &b->base;
	return 0;
}
