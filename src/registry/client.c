/* registry/client.c: the client of one repository: authentication
 * (anonymous, Basic, Bearer tokens), requests with retries, and manifests
 * and small blobs fetched whole and verified.
 *
 * Authentication is learned from the registry: requests go out anonymous
 * until a 401 names a scheme in WWW-Authenticate. Basic sends the
 * credentials (given, or from the Docker config file) with every later
 * request. Bearer fetches a token from the realm (GET
 * realm?service=...&scope=..., with the Basic credentials when there are
 * any), caches it per scope until its expires_in (60 s by default) is
 * nearly over, and sends it; a token refused later is dropped and fetched
 * again once. The state is locked, so layer streams on several threads
 * share one token (and fetch it once). Credentials go to the token realm
 * over https only (plain http with --insecure-registry).
 * A ready Authorization value given (Harbor's) goes verbatim to the
 * registry from the first request; a Bearer one is final on a 401, a Basic
 * one also reaches a token server decoded (creds.c checks it).
 *
 * Retries: 429, 5xx and broken or stalled connections are retried up to
 * VIGIL_REG_MAX_RETRIES times, waiting 250 ms, 500 ms, 1 s, 2 s (or the
 * Retry-After given), at most VIGIL_REG_RETRY_MAX_MS. */
#include "net/net.h"
#include "registry/registry.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/json.h"
#include "util/redact.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ACCEPT_MANIFESTS                                                                   \
	"application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, " \
	"application/vnd.docker.distribution.manifest.list.v2+json, "                           \
	"application/vnd.docker.distribution.manifest.v2+json"

struct token {
	char scope[VIGIL_REG_MAX_AUTH_VALUE + 1];
	char *value;      /* "Bearer ..." */
	time_t expires;   /* monotonic seconds */
};

struct vigil_reg_client {
	vigil_reg_ref ref;
	char name[VIGIL_REG_MAX_NAME + VIGIL_REG_MAX_TAG + VIGIL_REG_MAX_DIGEST + 8]; /* for messages */
	char base[VIGIL_REG_MAX_URL];   /* "https://host/v2/repo" */
	bool insecure;
	vigil_reg_creds creds;
	char *given;                    /* the Authorization value given, sent verbatim; or NULL */
	bool given_bearer;              /* it is "Bearer ...": the only credential */
	net_addr_policy *addr;          /* the fetch policy (options.fetch_policy), or NULL: net's default */
	char creds_from[300];           /* "--username", "/root/.docker/config.json" */
	pthread_mutex_t lock;
	/* learned from 401s; under lock */
	vigil_reg_scheme scheme;
	char realm[VIGIL_REG_MAX_AUTH_VALUE + 1];
	char service[VIGIL_REG_MAX_AUTH_VALUE + 1];
	char scope[VIGIL_REG_MAX_AUTH_VALUE + 1];
	struct token tokens[VIGIL_REG_MAX_TOKENS];
	size_t ntokens;
};

static int refused(vigil_reg_client *c, const char *url, const vigil_reg_resp *resp);

static time_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int reg_client_new(const vigil_reg_ref *ref, const vigil_registry_options *opt,
			 vigil_reg_client **out)
{
	vigil_reg_client *c;
	int rc;
	*out = NULL;
	if ((rc = reg_http_init()) < 0)
		return rc;
	if (!(c = calloc(1, sizeof(*c))))
		return vigil_error_oom();
	pthread_mutex_init(&c->lock, NULL);
	c->ref = *ref;
	c->insecure = opt && opt->insecure;
	reg_ref_format(ref, c->name, sizeof(c->name));
	snprintf(c->base, sizeof(c->base), "%s://%s/v2/%s", c->insecure ? "http" : "https", ref->host,
		 ref->repo);
	snprintf(c->scope, sizeof(c->scope), "repository:%s:pull", ref->repo);
	if (opt && opt->fetch_policy && !(c->addr = malloc(sizeof(*c->addr)))) {
		rc = vigil_error_oom();
		goto fail;
	}
	if (c->addr)
		reg_url_policy(c->addr);
	if ((rc = reg_creds_choose(c->name, ref->domain, opt, &c->creds, c->creds_from, sizeof(c->creds_from),
				   &c->given, &c->given_bearer)) < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	reg_client_free(c);
	return rc;
}

void reg_client_free(vigil_reg_client *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ntokens; i++) {
		if (c->tokens[i].value)
			memset(c->tokens[i].value, 0, strlen(c->tokens[i].value));
		free(c->tokens[i].value);
	}
	pthread_mutex_destroy(&c->lock);
	if (c->given)
		memset(c->given, 0, strlen(c->given));
	free(c->given);
	free(c->addr);
	memset(&c->creds, 0, sizeof(c->creds));
	free(c);
}

const vigil_reg_ref *reg_client_ref(const vigil_reg_client *c) { return &c->ref; }
const char *reg_client_base(const vigil_reg_client *c) { return c->base; }
const char *reg_client_name(const vigil_reg_client *c) { return c->name; }

void reg_client_want_push(vigil_reg_client *c)
{
	pthread_mutex_lock(&c->lock);
	snprintf(c->scope, sizeof(c->scope), "repository:%s:pull,push", c->ref.repo);
	pthread_mutex_unlock(&c->lock);
}


void reg_client_req(const vigil_reg_client *c, const char *url, vigil_reg_req *req)
{
	memset(req, 0, sizeof(*req));
	req->url = url;
	req->allow_http = c->insecure;
	req->addr = c->addr;
}

int reg_blob_url(const vigil_reg_client *c, const char *digest, char *out, size_t n)
{
	int w = snprintf(out, n, "%s/blobs/%s", c->base, digest);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "%s: blob URL too long", c->name);
	return 0;
}

/* ---- one request, whole ---- */

/* One GET into body (reset first); rc of the transfer, resp filled. */
static int get_once(const vigil_reg_req *req, vigil_buf *body, vigil_reg_resp *resp, bool *retry)
{
	vigil_reg_xfer *x = NULL;
	char tmp[16384];
	ssize_t r;
	int rc;
	*retry = false;
	vigil_buf_reset(body);
	if ((rc = reg_xfer_start(req, &x)) < 0)
		return rc;
	while ((r = reg_xfer_read(x, tmp, sizeof(tmp))) > 0)
		if ((rc = vigil_buf_append(body, tmp, (size_t)r)) < 0)
			break;
	if (rc >= 0 && r < 0)
		rc = (int)r;
	if (rc >= 0)
		rc = reg_xfer_result(x, retry);
	*resp = *reg_xfer_resp(x);
	reg_xfer_free(x);
	return rc;
}

static bool token_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       strchr("-._~+/=", ch) != NULL;
}

/* s percent-encoded (RFC 3986 unreserved kept) onto b, by libcurl. */
static int url_escape(vigil_buf *b, const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	if (!e)
		return vigil_error_oom();
	int rc = vigil_buf_puts(b, e);
	curl_free(e);
	return rc;
}

/* GET realm?service=&scope= (under lock); the token into the cache. */
static int fetch_token(vigil_reg_client *c, const char *scope, struct token **out)
{
	vigil_buf url, body;
	vigil_reg_resp *resp = malloc(sizeof(*resp));
	char *authz = NULL;
	json_t *root = NULL;
	int rc = 0, retries = 0;
	bool retry;
	vigil_buf_init(&url, VIGIL_REG_MAX_URL);
	vigil_buf_init(&body, VIGIL_REG_MAX_TOKEN_BODY);
	if (!resp) {
		rc = vigil_error_oom();
		goto out;
	}
	bool http = !strncasecmp(c->realm, "http://", 7);
	if (http && !c->insecure) {
		char red[VIGIL_REDACT_MAX];
		rc = vigil_error_set(VIGIL_EIO, "the token server %.300s is plain http: refused (--insecure-registry allows it)",
				     vigil_redact_url(c->realm, red, sizeof(red)));
		goto out;
	}
	vigil_buf_puts(&url, c->realm);
	vigil_buf_putc(&url, strchr(c->realm, '?') ? '&' : '?');
	if (c->service[0]) {
		vigil_buf_puts(&url, "service=");
		if ((rc = url_escape(&url, c->service)) < 0)
			goto out;
		vigil_buf_putc(&url, '&');
	}
	vigil_buf_puts(&url, "scope=");
	if ((rc = url_escape(&url, scope)) < 0)
		goto out;
	if (url.len >= VIGIL_REG_MAX_URL - 1) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: the token URL is over %d bytes", c->name, VIGIL_REG_MAX_URL);
		goto out;
	}
	if (c->creds.found && !(authz = reg_creds_basic_value(&c->creds))) {
		rc = vigil_error_oom();
		goto out;
	}
	vigil_reg_req req;
	reg_client_req(c, vigil_buf_cstr(&url), &req);
	req.authorization = authz;
	req.max_body = VIGIL_REG_MAX_TOKEN_BODY;
	req.timeout_s = VIGIL_REG_TIMEOUT_S;
	req.accept = "application/json";
	for (;;) {
		rc = get_once(&req, &body, resp, &retry);
		if (rc >= 0 || !retry || retries >= VIGIL_REG_MAX_RETRIES)
			break;
		reg_sleep_ms(reg_backoff_ms(retries++, resp->retry_after_s));
	}
	if (rc < 0) {
		if (resp->status == 401 || resp->status == 403)
			rc = vigil_error_set(VIGIL_EIO, "the token server %.300s refused %s%s%s%s (HTTP %s)",
					     c->realm,
					     c->creds.found ? "the credentials of " : "anonymous access",
					     c->creds.found ? c->creds.user : "", c->creds.found ? " from " : "",
					     c->creds.found ? c->creds_from : "", resp->reason);
		else
			vigil_error_prefix("token: ");
		goto out;
	}
	json_error_t jerr;
	char why[JSON_ERROR_TEXT_LENGTH];
	root = json_loadb(body.data ? body.data : "", body.len, 0, &jerr);
	json_t *tok = root ? json_object_get(root, "token") : NULL;
	if (!json_is_string(tok) || !json_string_length(tok))
		tok = root ? json_object_get(root, "access_token") : NULL;
	if (!json_is_string(tok) || !json_string_length(tok)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "the token server %.300s answered no token%s%s",
				     c->realm, root ? "" : ": ", root ? "" : vigil_json_error_text(&jerr, why, sizeof(why)));
		goto out;
	}
	const char *t = json_string_value(tok);
	size_t tl = json_string_length(tok);
	if (tl > VIGIL_REG_MAX_TOKEN) {
		rc = vigil_error_set(VIGIL_ELIMIT, "the token server %.300s: a token over %d bytes", c->realm,
				     VIGIL_REG_MAX_TOKEN);
		goto out;
	}
	for (size_t i = 0; i < tl; i++)
		if (!token_char_ok(t[i])) {
			rc = vigil_error_set(VIGIL_EFORMAT, "the token from %.300s has a character a header cannot carry",
					     c->realm);
			goto out;
		}
	json_int_t ttl = 60;
	json_t *exp = json_object_get(root, "expires_in");
	if (json_is_integer(exp) && json_integer_value(exp) > 0)
		ttl = json_integer_value(exp);
	if (ttl > 86400)
		ttl = 86400;
	/* the slot: the scope's, else a free one, else the one expiring first */
	struct token *slot = NULL;
	for (size_t i = 0; i < c->ntokens && !slot; i++)
		if (!strcmp(c->tokens[i].scope, scope))
			slot = &c->tokens[i];
	if (!slot && c->ntokens < VIGIL_REG_MAX_TOKENS)
		slot = &c->tokens[c->ntokens++];
	if (!slot) {
		slot = &c->tokens[0];
		for (size_t i = 1; i < c->ntokens; i++)
			if (c->tokens[i].expires < slot->expires)
				slot = &c->tokens[i];
	}
	char *v = malloc(tl + 8);
	if (!v) {
		rc = vigil_error_oom();
		goto out;
	}
	snprintf(v, tl + 8, "Bearer %s", t);
	free(slot->value);
	slot->value = v;
	snprintf(slot->scope, sizeof(slot->scope), "%s", scope);
	slot->expires = now_s() + (time_t)ttl;
	*out = slot;
out:
	json_decref(root);
	if (authz)
		memset(authz, 0, strlen(authz));
	free(authz);
	vigil_buf_free(&url);
	vigil_buf_free(&body);
	free(resp);
	return rc;
}

static struct token *cached_token(vigil_reg_client *c, const char *scope)
{
	for (size_t i = 0; i < c->ntokens; i++)
		if (c->tokens[i].value && !strcmp(c->tokens[i].scope, scope) &&
		    c->tokens[i].expires > now_s() + 10)
			return &c->tokens[i];
	return NULL;
}

int reg_client_auth(vigil_reg_client *c, char **out)
{
	int rc = 0;
	*out = NULL;
	pthread_mutex_lock(&c->lock);
	if (c->given && (c->given_bearer || c->scheme != VIGIL_REG_AUTH_BEARER)) {
		if (!(*out = strdup(c->given))) /* verbatim, from the first request on */
			rc = vigil_error_oom();
	} else if (c->scheme == VIGIL_REG_AUTH_BASIC && c->creds.found) {
		if (!(*out = reg_creds_basic_value(&c->creds)))
			rc = vigil_error_oom();
	} else if (c->scheme == VIGIL_REG_AUTH_BEARER) {
		struct token *t = cached_token(c, c->scope);
		if (!t)
			rc = fetch_token(c, c->scope, &t);
		if (rc >= 0 && !(*out = strdup(t->value)))
			rc = vigil_error_oom();
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

static int need_credentials(const vigil_reg_client *c, const char *url, const char *how)
{
	return vigil_error_set(VIGIL_EIO, "%s: HTTP 401 Unauthorized: %s needs credentials (%s): give --username and --password%s%s",
			       url, c->ref.domain, how,
			       c->creds.note[0] ? "; " : ", or log in with docker login",
			       c->creds.note[0] ? c->creds.note : "");
}

int reg_client_unauthorized(vigil_reg_client *c, const vigil_reg_resp *resp, const char *sent,
				  const char *url)
{
	vigil_reg_challenge ch;
	int rc;
	if (resp->www_auth_cut)
		return vigil_error_set(VIGIL_ELIMIT, "%s: HTTP 401 with WWW-Authenticate over %d bytes", url,
				       VIGIL_REG_MAX_AUTH_HEADER);
	if (!resp->www_auth[0])
		return vigil_error_set(VIGIL_EIO, "%s: HTTP 401 without WWW-Authenticate", url);
	if ((rc = reg_challenge_parse(resp->www_auth, strlen(resp->www_auth), &ch)) < 0) {
		vigil_error_prefix("%s: HTTP 401: ", url);
		return rc;
	}
	pthread_mutex_lock(&c->lock);
	if (c->given_bearer || ch.scheme == VIGIL_REG_AUTH_BASIC) {
		if (c->given_bearer) /* the only credential */
			rc = vigil_error_set(VIGIL_EIO, "%s: HTTP 401 Unauthorized: %s refused the bearer token given%s", url,
					     c->ref.domain, !strcmp(ch.error, "insufficient_scope") ? " (no pull access)" : "");
		else if (!c->creds.found)
			rc = need_credentials(c, url, "Basic");
		else if (sent && !strncmp(sent, "Basic ", 6))
			rc = vigil_error_set(VIGIL_EIO, "%s: HTTP 401 Unauthorized: %s refused the credentials of %s (from %s)",
					     url, c->ref.domain, c->creds.user, c->creds_from);
		else
			c->scheme = VIGIL_REG_AUTH_BASIC;
		goto out;
	}
	/* Bearer */
	snprintf(c->realm, sizeof(c->realm), "%s", ch.realm);
	snprintf(c->service, sizeof(c->service), "%s", ch.service);
	if (ch.scope[0])
		snprintf(c->scope, sizeof(c->scope), "%s", ch.scope);
	if (sent && !strncmp(sent, "Bearer ", 7)) {
		struct token *t = NULL;
		for (size_t i = 0; i < c->ntokens && !t; i++)
			if (c->tokens[i].value && !strcmp(c->tokens[i].value, sent))
				t = &c->tokens[i];
		if (!t && cached_token(c, c->scope))
			goto out; /* another thread got a newer one: use it */
		if (t) {
			free(t->value);
			t->value = NULL;
			t->expires = 0;
		}
	}
	c->scheme = VIGIL_REG_AUTH_BEARER;
	struct token *nt;
	if (!cached_token(c, c->scope))
		rc = fetch_token(c, c->scope, &nt);
out:
	pthread_mutex_unlock(&c->lock);
	return rc;
}

/* After the last allowed 401: why. */
static int refused(vigil_reg_client *c, const char *url, const vigil_reg_resp *resp)
{
	vigil_reg_challenge ch;
	bool scope = reg_challenge_parse(resp->www_auth, strlen(resp->www_auth), &ch) == 0 &&
		     !strcmp(ch.error, "insufficient_scope");
	bool push = strstr(c->scope, ",push") != NULL; /* reg_client_want_push */
	vigil_error_clear();
	if (!c->creds.found)
		return need_credentials(c, url, !scope ? "Bearer" : push ? "anonymous tokens have no push access"
									 : "anonymous tokens have no pull access");
	return vigil_error_set(VIGIL_EIO, "%s: HTTP 401 Unauthorized: %s refused the credentials of %s (from %s)%s",
			       url, c->ref.domain, c->creds.user, c->creds_from,
			       !scope ? "" : push ? ": no push access to this repository" : ": no pull access to this repository");
}

int reg_client_next_try(vigil_reg_client *c, const vigil_reg_resp *resp, const char *authz, const char *url,
			int rc, bool retry, int *rounds, int *retries)
{
	if (resp->status == 401) {
		if ((*rounds)++ >= 2)
			return refused(c, url, resp);
		rc = reg_client_unauthorized(c, resp, authz, url);
		return rc < 0 ? rc : 1;
	}
	if (!retry || *retries >= VIGIL_REG_MAX_RETRIES) {
		if (*retries)
			vigil_error_prefix("after %d retries: ", *retries);
		return rc;
	}
	reg_sleep_ms(reg_backoff_ms((*retries)++, resp->retry_after_s));
	return 1;
}

/* GET url whole (at most max bytes) with authentication and retries. */
static int get_whole(vigil_reg_client *c, const char *url, const char *accept, size_t max,
		     vigil_buf *body, vigil_reg_resp *resp)
{
	int rc, retries = 0, rounds = 0;
	char *authz = NULL;
	bool retry;
	for (;;) {
		free(authz);
		authz = NULL;
		if ((rc = reg_client_auth(c, &authz)) < 0)
			break;
		vigil_reg_req req;
		reg_client_req(c, url, &req);
		req.accept = accept;
		req.authorization = authz;
		req.max_body = max;
		req.timeout_s = VIGIL_REG_TIMEOUT_S;
		rc = get_once(&req, body, resp, &retry);
		if (rc >= 0 || (rc = reg_client_next_try(c, resp, authz, url, rc, retry, &rounds, &retries)) != 1)
			break;
	}
	free(authz);
	return rc;
}

/* ---- manifests and blobs ---- */

void reg_doc_free(vigil_reg_doc *d)
{
	if (d) {
		free(d->data);
		d->data = NULL;
	}
}

int reg_get_manifest(vigil_reg_client *c, const char *reference, const char *want_digest,
			   uint64_t want_size, vigil_reg_doc *out)
{
	char url[VIGIL_REG_MAX_URL], what[VIGIL_REG_MAX_URL + 32];
	vigil_buf body;
	vigil_reg_resp *resp = malloc(sizeof(*resp));
	int rc;
	memset(out, 0, sizeof(*out));
	vigil_buf_init(&body, VIGIL_REG_MAX_MANIFEST);
	if (!resp)
		return vigil_error_oom();
	int w = snprintf(url, sizeof(url), "%s/manifests/%.*s", c->base, VIGIL_REG_MAX_DIGEST, reference);
	if (w < 0 || (size_t)w >= sizeof(url)) {
		free(resp);
		return vigil_error_set(VIGIL_ELIMIT, "%s: manifest URL too long", c->name);
	}
	snprintf(what, sizeof(what), "%s/%s%s%s", c->ref.domain, c->ref.repo,
		 vigil_digest_ok(vigil_slice_cstr(reference)) ? "@" : ":", reference);
	if ((rc = get_whole(c, url, ACCEPT_MANIFESTS, VIGIL_REG_MAX_MANIFEST, &body, resp)) < 0) {
		if (rc == VIGIL_ELIMIT)
			rc = vigil_error_set(VIGIL_ELIMIT, "%s: the manifest is over %zu bytes", url,
					     VIGIL_REG_MAX_MANIFEST);
		goto out;
	}
	if (want_size && body.len != want_size) {
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: the manifest is %zu bytes, its descriptor says %llu", what,
				     body.len, (unsigned long long)want_size);
		goto out;
	}
	if (want_digest && (rc = vigil_digest_verify(want_digest, body.data ? body.data : "", body.len, what)) < 0)
		goto out;
	if (resp->digest[0]) {
		if (!vigil_digest_ok(vigil_slice_cstr(resp->digest))) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: Docker-Content-Digest \"%.140s\" is not a digest", url,
					     resp->digest);
			goto out;
		}
		if ((rc = vigil_digest_verify(resp->digest, body.data ? body.data : "", body.len, what)) < 0) {
			vigil_error_prefix("Docker-Content-Digest: ");
			goto out;
		}
	}
	if (want_digest)
		snprintf(out->digest, sizeof(out->digest), "%s", want_digest);
	else if (resp->digest[0])
		snprintf(out->digest, sizeof(out->digest), "%s", resp->digest);
	else
		vigil_digest_sha256(body.data ? body.data : "", body.len, out->digest);
	snprintf(out->media_type, sizeof(out->media_type), "%s", resp->content_type);
	if (!body.data && vigil_buf_append(&body, "", 0) < 0) {
		rc = vigil_error_oom();
		goto out;
	}
	out->len = body.len;
	out->data = vigil_buf_detach(&body, &out->len);
	if (!out->data)
		rc = vigil_error_oom();
out:
	vigil_buf_free(&body);
	free(resp);
	return rc;
}

int reg_get_blob(vigil_reg_client *c, const char *digest, uint64_t size, size_t max,
		       char **data, size_t *len)
{
	char url[VIGIL_REG_MAX_URL], what[VIGIL_REG_MAX_URL + 32];
	vigil_buf body;
	vigil_reg_resp *resp = malloc(sizeof(*resp));
	int rc;
	*data = NULL;
	*len = 0;
	if (!resp)
		return vigil_error_oom();
	vigil_buf_init(&body, max);
	snprintf(what, sizeof(what), "%s/%s@%s", c->ref.domain, c->ref.repo, digest);
	if (size > max) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: blob of %llu bytes, over the limit of %zu", what,
				     (unsigned long long)size, max);
		goto out;
	}
	if ((rc = reg_blob_url(c, digest, url, sizeof(url))) < 0 ||
	    (rc = get_whole(c, url, NULL, max, &body, resp)) < 0)
		goto out;
	if (body.len != size) {
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: %zu bytes, its descriptor says %llu", what, body.len,
				     (unsigned long long)size);
		goto out;
	}
	if ((rc = vigil_digest_verify(digest, body.data ? body.data : "", body.len, what)) < 0)
		goto out;
	if (!body.data && vigil_buf_append(&body, "", 0) < 0) {
		rc = vigil_error_oom();
		goto out;
	}
	*data = vigil_buf_detach(&body, len);
	if (!*data)
		rc = vigil_error_oom();
out:
	vigil_buf_free(&body);
	free(resp);
	return rc;
}
