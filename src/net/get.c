/* net/get.c: the all-or-nothing mode of net/: a whole body or nothing,
 * either into a file or into a capped buffer. The transfer is net.c's,
 * with a sink in place of the staging buffer.
 *
 * Into a file: the body goes to a hidden temp file beside the destination
 * ("dir/.name.part": importers skip dot files) that replaces it only when
 * the transfer is complete: status 200, libcurl content, and as many bytes
 * as a Content-Length said (unless the body was content-encoded, when the
 * length is the encoded one's), then fsync and rename. A body cut short,
 * an HTTP error, a timeout leave the old file as it was and no temp file.
 * A conditional request (ETag / Last-Modified validators given) answered
 * 304 leaves it too, with o->not_modified. */
#include "net/net_priv.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int to_file(void *ud, const char *p, size_t n)
{
	return fwrite(p, 1, n, (FILE *)ud) == n ? 0 : -1;
}

static int to_buf(void *ud, const char *p, size_t n)
{
	if (vigil_buf_append(ud, p, n) < 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* The end of a sink transfer: 0 (200 whole, or 304 when conditional), else the error. */
static int whole(net_xfer *x, const net_req *rq, net_outcome *o)
{
	bool conditional = (rq->etag && *rq->etag) || (rq->last_modified && *rq->last_modified);
	curl_off_t clen = -1;
	memset(o, 0, sizeof(*o));
	o->bytes = x->body;
	if (x->result != CURLE_OK)
		return net_xfer_fail(x, o);
	if (x->resp.status == 304 && conditional) {
		o->not_modified = true;
		return 0;
	}
	if (x->resp.status != 200) {
		int rc = net_xfer_fail(x, o);
		if (x->resp.status >= 200 && x->resp.status < 300)
			rc = vigil_error_set(VIGIL_EIO, "%s, not 200", vigil_error_message());
		return rc;
	}
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
	if (!x->resp.encoded && clen >= 0 && (uint64_t)clen != x->body) {
		o->fail = NET_FAIL_BROKEN;
		o->retryable = true;
		return vigil_error_set(VIGIL_EIO, "%s: body cut short: %llu of %lld bytes (Content-Length)", x->red,
				       (unsigned long long)x->body, (long long)clen);
	}
	return 0;
}

/* dest's hidden temp name: "dir/.name.part" */
static int temp_name(const char *dest, char *out, size_t n)
{
	const char *slash = strrchr(dest, '/');
	int w = slash ? snprintf(out, n, "%.*s/.%s.part", (int)(slash - dest), dest, slash + 1)
		      : snprintf(out, n, ".%s.part", dest);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "%s: path too long", dest);
	return 0;
}

int net_get_file(net_xfer *x, const net_policy *p, const net_req *rq, const char *dest, net_outcome *o)
{
	char tmp[4200];
	FILE *f = NULL;
	net_outcome t;
	int rc;
	if (!o)
		o = &t;
	memset(o, 0, sizeof(*o));
	if ((rc = temp_name(dest, tmp, sizeof(tmp))) < 0)
		return rc;
	if (!(f = fopen(tmp, "wbe")))
		return vigil_error_set(VIGIL_EIO, "%s: %s", tmp, strerror(errno));
	if ((rc = net_xfer_begin(x, p, rq, to_file, f)) < 0 || (rc = net_xfer_run(x)) < 0 ||
	    (rc = whole(x, rq, o)) < 0 || o->not_modified)
		goto out;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	int c = fclose(f);
	f = NULL;
	if (c != 0) {
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, dest) != 0)
		rc = vigil_error_set(VIGIL_EIO, "cannot rename %s to %s: %s", tmp, dest, strerror(errno));
out:
	if (f)
		fclose(f);
	unlink(tmp); /* gone already when renamed */
	return rc;
}

int net_get_buffer(net_xfer *x, const net_policy *p, const net_req *rq, vigil_buf *out, net_outcome *o)
{
	net_policy q = *p;
	net_outcome t;
	int rc;
	if (!o)
		o = &t;
	memset(o, 0, sizeof(*o));
	vigil_buf_reset(out);
	/* the buffer's cap is a body cap: worded as one */
	if (!q.max_body || q.max_body > out->max)
		q.max_body = out->max;
	if ((rc = net_xfer_begin(x, &q, rq, to_buf, out)) < 0 || (rc = net_xfer_run(x)) < 0 ||
	    (rc = whole(x, rq, o)) < 0)
		vigil_buf_reset(out);
	return rc;
}
