/* registry/push.c: the push side of the OCI distribution API, for
 * artifacts vigil publishes (its vulnerability database, db/artifact.c):
 * a blob by one monolithic upload (POST /v2/REPO/blobs/uploads/, then PUT
 * LOCATION?digest=D with the whole body), skipped when HEAD says the
 * registry already has it, and a manifest by PUT /v2/REPO/manifests/REF.
 *
 * Authentication and retries are the client's (client.c): a client made
 * for pushing asks its token server for "repository:REPO:pull,push"
 * (reg_client_want_push); a 401 learns the challenge and takes a new
 * token, twice at most; a 429, 5xx or broken connection is tried again
 * with backoff, a file body rewound to where it started. Requests go
 * through registry/http.c's reg_send_once (net/send.c): the body streams
 * from its file, the answer's error codes are in the message. The upload
 * Location must stay on the registry's own origin (a relative path, or an
 * absolute URL of the same scheme and host): the Authorization header is
 * never sent elsewhere. URLs in messages are redacted (an upload URL
 * carries the registry's _state token). */
#include "net/net.h"
#include "registry/registry.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/redact.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A body smaller than this is sent within VIGIL_REG_TIMEOUT_S; a bigger
 * one only under the stall rule. */
#define PUSH_SMALL_BODY ((uint64_t)1024 * 1024)

/* One request with authentication and retries. */
static int send_auth(vigil_reg_client *c, const char *method, const char *url, const char *const *headers,
		     size_t nh, const net_body *body, vigil_reg_resp *resp)
{
	char shown[VIGIL_REDACT_MAX];
	char *authz = NULL;
	int rc, retries = 0, rounds = 0;
	bool retry;
	off_t start = body && body->file ? ftello(body->file) : 0;
	vigil_redact_url(url, shown, sizeof(shown));
	for (;;) {
		if (authz)
			memset(authz, 0, strlen(authz));
		free(authz);
		authz = NULL;
		if ((rc = reg_client_auth(c, &authz)) < 0)
			break;
		if (body && body->file && fseeko(body->file, start, SEEK_SET) < 0) {
			rc = vigil_error_set(VIGIL_EIO, "%s: cannot rewind the file to send", shown);
			break;
		}
		vigil_reg_req req;
		reg_client_req(c, url, &req);
		req.authorization = authz;
		req.headers = headers;
		req.nheaders = nh;
		req.timeout_s = body && body->len > PUSH_SMALL_BODY ? 0 : VIGIL_REG_TIMEOUT_S;
		rc = reg_send_once(&req, method, body, resp, &retry);
		if (rc >= 0 || (rc = reg_client_next_try(c, resp, authz, shown, rc, retry, &rounds, &retries)) != 1)
			break;
	}
	if (authz)
		memset(authz, 0, strlen(authz));
	free(authz);
	return rc;
}

int reg_blob_exists(vigil_reg_client *c, const char *digest, bool *exists)
{
	char url[VIGIL_REG_MAX_URL];
	vigil_reg_resp *resp = malloc(sizeof(*resp));
	int rc;
	*exists = false;
	if (!resp)
		return vigil_error_oom();
	if ((rc = reg_blob_url(c, digest, url, sizeof(url))) == 0)
		rc = send_auth(c, "HEAD", url, NULL, 0, NULL, resp);
	if (rc == 0)
		*exists = true;
	else if (rc == VIGIL_ENOTFOUND) {
		vigil_error_clear();
		rc = 0;
	}
	free(resp);
	return rc;
}

/* The URL to PUT the upload's bytes to: Location on the registry's own
 * origin, with "digest=D" added to its query. */
static int upload_url(vigil_reg_client *c, const char *loc, const char *digest, char *out, size_t n)
{
	const char *base = reg_client_base(c), *sep = strstr(base, "://");
	const char *path = sep ? strchr(sep + 3, '/') : NULL;
	size_t origin = path ? (size_t)(path - base) : strlen(base);
	char shown[VIGIL_REDACT_MAX], *esc = NULL;
	int w, rc = 0;
	if (!loc[0] || !strcmp(loc, "?"))
		return vigil_error_set(VIGIL_EFORMAT, "%s: the upload answer has %s Location", reg_client_name(c),
				       loc[0] ? "an over-long" : "no");
	bool relative = loc[0] == '/' && loc[1] != '/';
	if (!relative && (strncasecmp(loc, base, origin) != 0 || loc[origin] != '/'))
		return vigil_error_set(VIGIL_EIO, "%s: the registry sends the upload to another origin (%s): refused",
				       reg_client_name(c), vigil_redact_url(loc, shown, sizeof(shown)));
	if (!(esc = curl_easy_escape(NULL, digest, 0)))
		return vigil_error_oom();
	w = snprintf(out, n, "%.*s%s%s%s%s", relative ? (int)origin : 0, base, loc, strchr(loc, '?') ? "&" : "?",
		     "digest=", esc);
	if (w < 0 || (size_t)w >= n)
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: the upload URL is over %zu bytes", reg_client_name(c), n);
	curl_free(esc);
	return rc;
}

/* The registry's Docker-Content-Digest, when it says one, must be ours. */
static int same_digest(vigil_reg_client *c, const char *what, const char *want, const vigil_reg_resp *resp)
{
	if (resp->digest[0] && strcmp(resp->digest, want) != 0)
		return vigil_error_set(VIGIL_EDIGEST, "%s: the registry stored the %s as %.140s, vigil sent %s",
				       reg_client_name(c), what, resp->digest, want);
	return 0;
}

int reg_push_blob(vigil_reg_client *c, const char *digest, const net_body *body, bool *skipped)
{
	static const char *const octets[] = { "Content-Type: application/octet-stream" };
	char url[VIGIL_REG_MAX_URL];
	vigil_reg_resp *resp = malloc(sizeof(*resp));
	bool exists = false;
	off_t start = body->file ? ftello(body->file) : 0;
	int rc;
	*skipped = false;
	if (!resp)
		return vigil_error_oom();
	if ((rc = vigil_digest_check_slice(vigil_slice_cstr(digest), "blob digest")) < 0 ||
	    (rc = reg_blob_exists(c, digest, &exists)) < 0)
		goto out;
	if (exists) {
		*skipped = true;
		if (body->sent)
			body->sent(body->ud, (int64_t)body->len);
		goto out;
	}
	/* a PUT retried after a broken connection may find its upload gone
	 * (404 BLOB_UPLOAD_UNKNOWN): then once more from a new upload */
	for (int round = 0;; round++) {
		if ((rc = reg_blob_url(c, "uploads/", url, sizeof(url))) < 0 ||
		    (rc = send_auth(c, "POST", url, NULL, 0, NULL, resp)) < 0)
			goto out;
		if (resp->status != 202) {
			rc = vigil_error_set(VIGIL_EIO, "%s: starting an upload: HTTP %s (the registry should answer 202)",
					     reg_client_name(c), resp->reason);
			goto out;
		}
		char loc[VIGIL_REG_MAX_URL];
		snprintf(loc, sizeof(loc), "%s", resp->location);
		if ((rc = upload_url(c, loc, digest, url, sizeof(url))) < 0)
			goto out;
		if (body->file && fseeko(body->file, start, SEEK_SET) < 0) {
			rc = vigil_error_set(VIGIL_EIO, "%s: cannot rewind the file to send", reg_client_name(c));
			goto out;
		}
		rc = send_auth(c, "PUT", url, octets, 1, body, resp);
		if (rc != VIGIL_ENOTFOUND || round >= 1)
			break;
	}
	if (rc < 0)
		goto out;
	rc = same_digest(c, "blob", digest, resp);
out:
	if (rc < 0)
		vigil_error_prefix("pushing blob %s: ", digest);
	free(resp);
	return rc;
}

int reg_put_manifest(vigil_reg_client *c, const char *reference, const char *media_type, const char *data,
		     size_t len, char digest[VIGIL_REG_MAX_DIGEST + 1])
{
	char url[VIGIL_REG_MAX_URL], ctype[VIGIL_REG_MAX_MEDIA_TYPE + 16];
	const char *headers[1] = { ctype };
	net_body body = { .data = data, .len = len };
	vigil_reg_resp *resp = malloc(sizeof(*resp));
	int rc, w;
	if (!resp)
		return vigil_error_oom();
	vigil_digest_sha256(data, len, digest);
	snprintf(ctype, sizeof(ctype), "Content-Type: %.255s", media_type);
	w = snprintf(url, sizeof(url), "%s/manifests/%.*s", reg_client_base(c), VIGIL_REG_MAX_DIGEST, reference);
	if (w < 0 || (size_t)w >= sizeof(url))
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: manifest URL too long", reg_client_name(c));
	else if ((rc = send_auth(c, "PUT", url, headers, 1, &body, resp)) == 0)
		rc = same_digest(c, "manifest", digest, resp);
	if (rc < 0)
		vigil_error_prefix("pushing the manifest: ");
	free(resp);
	return rc;
}
