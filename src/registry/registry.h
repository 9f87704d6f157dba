/* registry/registry.h: the registry client of the OCI distribution API,
 * private to libvigil (the image module reads registry images through it):
 * references with Docker's normalisation (ref.c), WWW-Authenticate
 * challenges (challenge.c), credentials from a Docker config.json
 * (creds.c), one HTTP transfer driven from the reading side (http.c, over
 * net/, vigil's one HTTP client), layers at any URL (url.c), the client
 * with its authentication state, retries and verified manifests and blobs
 * (client.c), and blob streams (blob.c). See docs/registry.md. */
#ifndef VIGIL_REGISTRY_PRIV_H
#define VIGIL_REGISTRY_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/stream.h"
#include "vigil/common.h"
#include "vigil/registry.h"

/* ---- named limits ---- */
#define VIGIL_REG_MAX_REF        4096   /* a reference string */
#define VIGIL_REG_MAX_NAME       255    /* domain + "/" + repository (Docker's own cap) */
#define VIGIL_REG_MAX_DOMAIN     255    /* "host[:port]" */
#define VIGIL_REG_MAX_TAG        128    /* a tag */
#define VIGIL_REG_MAX_DIGEST     135    /* "sha512:" + 128 hex */
#define VIGIL_REG_MAX_URL        4096   /* any URL built or received (realm, Location) */
#define VIGIL_REG_MAX_MANIFEST   ((size_t)4 * 1024 * 1024)  /* a manifest or index body (the spec's 4 MiB) */
#define VIGIL_REG_MAX_CONFIG     ((size_t)8 * 1024 * 1024)  /* a config blob read whole */
#define VIGIL_REG_MAX_BLOB       ((uint64_t)64 << 30)       /* one layer blob: 64 GiB */
#define VIGIL_REG_MAX_TOKEN_BODY ((size_t)256 * 1024)       /* a token server's answer */
#define VIGIL_REG_MAX_TOKEN      (32 * 1024)                /* one bearer token */
#define VIGIL_REG_MAX_GIVEN_AUTH (VIGIL_REG_MAX_TOKEN + 16)   /* a ready Authorization value given */
#define VIGIL_REG_MAX_TOKENS     8      /* cached tokens (scopes) per client */
#define VIGIL_REG_MAX_AUTH_HEADER 8192  /* WWW-Authenticate values of one response, joined */
#define VIGIL_REG_MAX_CHALLENGES 16     /* challenges in them */
#define VIGIL_REG_MAX_AUTH_PARAMS 32    /* auth-params in them, all challenges together */
#define VIGIL_REG_MAX_AUTH_VALUE 2048   /* one realm, service or scope */
#define VIGIL_REG_MAX_USER       1024   /* a user name */
#define VIGIL_REG_MAX_PASSWORD   8192   /* a password or registry token (ECR's are ~2 KiB) */
#define VIGIL_REG_MAX_CONFIG_FILE ((size_t)1024 * 1024)     /* a Docker config.json */
#define VIGIL_REG_MAX_HELPER_NAME 64    /* NAME of docker-credential-NAME ([A-Za-z0-9._-]) */
#define VIGIL_REG_MAX_HELPER_OUTPUT ((size_t)64 * 1024)   /* what a credential helper prints */
#define VIGIL_REG_HELPER_TIMEOUT_S 10   /* a credential helper that has not answered: killed */
#define VIGIL_REG_MAX_AUTH_FILES  5     /* credential files looked at (see creds_load.c) */
#define VIGIL_REG_MAX_ERROR_BODY 4096   /* the part of an error answer kept for the message */
#define VIGIL_REG_MAX_MEDIA_TYPE 255    /* a Content-Type kept */
#define VIGIL_REG_MAX_REDIRECTS  5      /* redirects followed by one request (http/https only) */
#define VIGIL_REG_MAX_RETRIES    4      /* retries of one request after 429, 5xx or a broken connection */
#define VIGIL_REG_RETRY_BASE_MS  250    /* backoff: 250 ms, 500 ms, 1 s, 2 s ... */
#define VIGIL_REG_RETRY_MAX_MS   10000  /* cap of one wait (Retry-After included) */
#define VIGIL_REG_CONNECT_TIMEOUT_S 30  /* connecting to a registry */
#define VIGIL_REG_TIMEOUT_S      300    /* a whole small request (manifest, config, token) */
#define VIGIL_REG_STALL_TIME_S   60     /* less than STALL_BYTES/s for this long: stalled */
#define VIGIL_REG_STALL_BYTES    1
#define VIGIL_REG_MAX_NESTED     4      /* indexes nested below the first one */

/* ---- references (ref.c) ---- */
typedef struct vigil_reg_ref {
	char domain[VIGIL_REG_MAX_DOMAIN + 1]; /* "docker.io", "127.0.0.1:5000", "[::1]:5000" */
	char host[VIGIL_REG_MAX_DOMAIN + 1];   /* where to connect: "registry-1.docker.io" for docker.io */
	char repo[VIGIL_REG_MAX_NAME + 1];     /* "library/debian" */
	char tag[VIGIL_REG_MAX_TAG + 1];       /* "" when none was given with a digest */
	char digest[VIGIL_REG_MAX_DIGEST + 1]; /* "" when none */
} vigil_reg_ref;

/* True when s starts with "docker://" or "registry:"; *rest is what follows. */
bool reg_ref_has_prefix(const char *s, const char **rest);
/* Parses "[docker://|registry:][DOMAIN/]REPO[:TAG][@ALG:HEX]" with Docker's
 * normalisation (docker.io and "library/" for one-component names, tag
 * "latest" when neither tag nor digest). VIGIL_EINVAL with the reason. */
int reg_ref_parse(const char *s, vigil_reg_ref *out);
/* "domain/repo[:tag][@digest]" */
void reg_ref_format(const vigil_reg_ref *r, char *out, size_t n);

/* ---- WWW-Authenticate (challenge.c) ---- */
typedef enum vigil_reg_scheme {
	VIGIL_REG_AUTH_NONE = 0,
	VIGIL_REG_AUTH_BASIC,
	VIGIL_REG_AUTH_BEARER,
} vigil_reg_scheme;

typedef struct vigil_reg_challenge {
	vigil_reg_scheme scheme;
	char realm[VIGIL_REG_MAX_AUTH_VALUE + 1];
	char service[VIGIL_REG_MAX_AUTH_VALUE + 1];
	char scope[VIGIL_REG_MAX_AUTH_VALUE + 1];
	char error[64]; /* Bearer error="insufficient_scope", "invalid_token" */
} vigil_reg_challenge;

/* Parses WWW-Authenticate (one value or several joined by ", "), keeps the
 * first Bearer challenge, else the first Basic one. A Bearer realm must be
 * an http(s) URL. VIGIL_EFORMAT on junk, VIGIL_ELIMIT past a limit,
 * VIGIL_EUNSUPPORTED when there is neither scheme. */
int reg_challenge_parse(const char *value, size_t len, vigil_reg_challenge *out);

/* ---- credentials (creds.c) ---- */
typedef struct vigil_reg_creds {
	bool found;
	char user[VIGIL_REG_MAX_USER + 1];
	char pass[VIGIL_REG_MAX_PASSWORD + 1];
	char note[256]; /* why none were usable (an identity token), or "" */
	char helper[VIGIL_REG_MAX_HELPER_NAME + 1]; /* docker-credential-NAME the file names for
	                                               the host (credHelpers, else credsStore), or "" */
	char source[320]; /* where they came from (a file, a helper), for messages */
} vigil_reg_creds;

/* Finds the credentials of domain in the "auths" of a config.json's text
 * (what names it in messages). Keys are matched by host[:port], any scheme
 * or path stripped; docker.io also matches index.docker.io. */
int reg_creds_parse(const char *what, const char *data, size_t len, const char *domain,
			  vigil_reg_creds *out);
/* Reads path (NULL: the files of creds_load.c in their order, an absent
 * file being no credentials; "": none) and looks domain up, asking the
 * credential helper the file names for it. */
int reg_creds_load(const char *path, const char *domain, vigil_reg_creds *out);
/* The output of `docker-credential-NAME get` ({"ServerURL", "Username",
 * "Secret"}) into out (what names it in messages). A Username of
 * "<token>" (an identity token) leaves out->found false with a note. */
int reg_creds_helper_parse(const char *what, const char *data, size_t len, vigil_reg_creds *out);
/* Runs `docker-credential-NAME get` (no shell: PATH lookup of that name),
 * the server address on its stdin, at most VIGIL_REG_HELPER_TIMEOUT_S
 * seconds (then killed by its pid), and parses what it prints. "credentials
 * not found" is no credentials (0, out->found false); any other failure is
 * an error naming the helper, never the secret. */
int reg_creds_helper_get(const char *helper, const char *domain, vigil_reg_creds *out);
/* "base64(user:password)" (an Authorization: Basic value after the
 * scheme) into out; what names it in messages. */
int reg_creds_from_basic(const char *what, const char *b64, size_t len, vigil_reg_creds *out);
/* A ready Authorization value given (vigil_registry_options.authorization)
 * checked: "Basic ..." decoded into creds, "Bearer ..." sets *bearer;
 * name (the image) names it in messages, the value never. */
int reg_creds_from_authorization(const char *name, const char *v, vigil_reg_creds *creds, bool *bearer);
/* A client's credentials from its options: the Authorization given
 * (*given: a copy to send verbatim, *bearer when it is a Bearer token),
 * else --username/--password, else the Docker config file; from names
 * where they came from, for messages. */
int reg_creds_choose(const char *name, const char *domain, const vigil_registry_options *opt, vigil_reg_creds *creds,
		     char *from, size_t fromn, char **given, bool *bearer);
/* "Basic base64(user:password)" of creds (malloc'd), or NULL. */
char *reg_creds_basic_value(const vigil_reg_creds *cr);

/* ---- one transfer (http.c, over net/) ---- */
struct net_addr_policy;
typedef struct vigil_reg_req {
	const char *url;
	const char *accept;        /* Accept value, or NULL */
	const char *authorization; /* Authorization value, or NULL (never sent past a redirect
	                              to another host) */
	uint64_t range_from;       /* > 0: "Range: bytes=N-" */
	uint64_t max_body;         /* a bigger 2xx body fails with VIGIL_ELIMIT */
	long timeout_s;            /* whole transfer; 0: none (blobs: the stall limit only) */
	bool allow_http;           /* plain http (insecure registries, their redirects) */
	const char *const *headers; /* more "Name: value" lines, or NULL (libcurl sends an
	                              Authorization or Cookie line to the first host only,
	                              others to every host a redirect goes to) */
	size_t nheaders;
	const struct net_addr_policy *addr; /* NULL: net/'s default (link-local and
	                              unspecified addresses refused); see net/net.h */
} vigil_reg_req;

typedef struct vigil_reg_resp {
	long status;              /* of the last response (after redirects); 0: none */
	char reason[96];          /* "404 Not Found" */
	char www_auth[VIGIL_REG_MAX_AUTH_HEADER + 1];
	bool www_auth_cut;        /* the values were longer than the limit */
	char content_type[VIGIL_REG_MAX_MEDIA_TYPE + 1]; /* without parameters */
	char digest[VIGIL_REG_MAX_DIGEST + 1];           /* Docker-Content-Digest, "" when none */
	long retry_after_s;       /* Retry-After in seconds, -1 when none */
	int64_t range_start;      /* of a 206's Content-Range, -1 when none */
	char location[VIGIL_REG_MAX_URL]; /* Location (an upload's), "" when none, "?" when too long */
} vigil_reg_resp;

typedef struct vigil_reg_xfer vigil_reg_xfer;

/* curl_global_init, once per process. */
int reg_http_init(void);
/* Starts a GET (nothing is sent before the first read). */
int reg_xfer_start(const vigil_reg_req *req, vigil_reg_xfer **out);
/* Up to n bytes of a 2xx answer's body; 0 once the transfer is over
 * (reg_xfer_result tells how); negative only when libcurl itself fails. */
ssize_t reg_xfer_read(vigil_reg_xfer *x, void *buf, size_t n);
/* After the transfer: 0 when it completed with a 2xx status, else an error
 * (VIGIL_EIO, VIGIL_ENOTFOUND for 404, VIGIL_ELIMIT for the size cap) with
 * a message naming the URL, the status and the registry's error codes.
 * *retryable: 429, 5xx, a broken or stalled connection. */
int reg_xfer_result(vigil_reg_xfer *x, bool *retryable);
const vigil_reg_resp *reg_xfer_resp(const vigil_reg_xfer *x);
/* Bytes of the 2xx body received so far. */
uint64_t reg_xfer_body_bytes(const vigil_reg_xfer *x);
void reg_xfer_free(vigil_reg_xfer *x);
/* One request that sends (PUT, POST, HEAD; body as net_send's, NULL:
 * none) run to its end, no redirect followed: 0 for a 2xx answer, else
 * the error as reg_xfer_result words it; resp gets the answer's headers
 * (Location, Docker-Content-Digest, WWW-Authenticate). */
struct net_body;
int reg_send_once(const vigil_reg_req *req, const char *method, const struct net_body *body,
		  vigil_reg_resp *resp, bool *retryable);
/* The wait before retry number attempt (0, 1, ...): backoff, or
 * Retry-After when given, both capped. */
long reg_backoff_ms(int attempt, long retry_after_s);
void reg_sleep_ms(long ms);

/* ---- a layer at any URL (url.c) ---- */
#define VIGIL_REG_MAX_URL_HEADERS 64    /* headers given for one URL */
/* A stream of the 2xx body of GET url (http or https; redirects only to
 * http or https, https never down to http) with the given "Name: value"
 * headers, at most max bytes (more is VIGIL_ELIMIT), within the layer-URI
 * deadline and address policy (reg_url_configure). The size is not
 * known in advance: the stream ends where the body does. Its digest is the
 * reader's to check. No retries (the caller answers the client). */
int reg_open_url(const char *url, const char *const *headers, size_t nheaders, uint64_t max,
		       vigil_istream **out);
/* The policy of every later reg_open_url() of the process (the
 * server's indexer.fetch keys, see docs/net.md): addr (copied; NULL: net/'s
 * default) and the deadline of one whole layer in seconds (0:
 * NET_LAYER_DEADLINE_S). Thread-safe; set it before serving. */
int reg_url_configure(const struct net_addr_policy *addr, long deadline_s);
/* The address policy set by reg_url_configure, copied into out: also the
 * registries' of vigil_registry_options.fetch_policy (Harbor's scans). */
void reg_url_policy(struct net_addr_policy *out);

/* ---- the client (client.c) ---- */
typedef struct vigil_reg_client vigil_reg_client;

/* A fetched manifest or index, verified. */
typedef struct vigil_reg_doc {
	char *data;               /* malloc'd, NUL-terminated */
	size_t len;
	char media_type[VIGIL_REG_MAX_MEDIA_TYPE + 1]; /* Content-Type, "" when none */
	char digest[VIGIL_REG_MAX_DIGEST + 1];         /* its digest */
} vigil_reg_doc;

/* A client for ref's repository; opt may be NULL. The client is
 * thread-safe (its authentication state is locked). */
int reg_client_new(const vigil_reg_ref *ref, const vigil_registry_options *opt,
			 vigil_reg_client **out);
void reg_client_free(vigil_reg_client *c);
const vigil_reg_ref *reg_client_ref(const vigil_reg_client *c);
/* GET /v2/REPO/manifests/REFERENCE (a tag or a digest) with Accept for OCI
 * and Docker schema2 manifests and indexes. want_digest (or NULL) and
 * want_size (0: unknown) are checked, as is Docker-Content-Digest. The
 * digest is want_digest, else the header's, else the sha256 of the body. */
int reg_get_manifest(vigil_reg_client *c, const char *reference, const char *want_digest,
			   uint64_t want_size, vigil_reg_doc *out);
void reg_doc_free(vigil_reg_doc *d);
/* GET a small blob whole (at most max bytes), size and digest checked. */
int reg_get_blob(vigil_reg_client *c, const char *digest, uint64_t size, size_t max,
		       char **data, size_t *len);
/* A stream of a blob's bytes, exactly size bytes (more or fewer is an
 * error). Its digest is NOT checked here: the reader hashes what it reads
 * (the layer module does, VIGIL_VERIFY_BLOB). Retries resume with Range.
 * Thread-safe; the client must outlive the stream. */
int reg_open_blob(vigil_reg_client *c, const char *digest, uint64_t size, vigil_istream **out);
/* "https://HOST/v2/REPO/blobs/DIGEST" */
int reg_blob_url(const vigil_reg_client *c, const char *digest, char *out, size_t n);

/* ---- what client.c and blob.c share ---- */
/* The request template of the client for url (allow_http, timeouts). */
void reg_client_req(const vigil_reg_client *c, const char *url, vigil_reg_req *req);
/* The Authorization value a request to the repository needs now ("Bearer
 * ...", "Basic ..."; a cached token, or a new one when it is near its
 * expiry), malloc'd; *out NULL while anonymous access works. */
int reg_client_auth(vigil_reg_client *c, char **out);
/* After a 401: learns the challenge and gets a new token (sent is the value
 * that was refused, or NULL). 0: try again; an error: give up (message set). */
int reg_client_unauthorized(vigil_reg_client *c, const vigil_reg_resp *resp,
				  const char *sent, const char *url);


/* ---- pushing (push.c; client.c for the first three) ---- */
struct net_body;
/* "https://HOST/v2/REPO" and "domain/repo:tag" (for messages). */
const char *reg_client_base(const vigil_reg_client *c);
const char *reg_client_name(const vigil_reg_client *c);
/* Tokens for this client ask for "repository:REPO:pull,push". */
void reg_client_want_push(vigil_reg_client *c);
/* After attempt rc (< 0) of a request to url failed with resp: 1 to try
 * again (a 401 answered with fresh credentials, at most twice; a
 * retryable failure after its backoff, at most VIGIL_REG_MAX_RETRIES
 * times), else the error to return. rounds and retries count across the
 * attempts of one request (start both at 0). */
int reg_client_next_try(vigil_reg_client *c, const vigil_reg_resp *resp, const char *authz, const char *url,
			int rc, bool retry, int *rounds, int *retries);
/* HEAD /v2/REPO/blobs/DIGEST: *exists for a 2xx, not for a 404. */
int reg_blob_exists(vigil_reg_client *c, const char *digest, bool *exists);
/* Uploads body (body->len bytes, from memory or its file's current
 * position) as the blob digest in one monolithic upload; *skipped when the
 * registry had it already. The registry's digest, when it says one, is
 * checked. */
int reg_push_blob(vigil_reg_client *c, const char *digest, const struct net_body *body, bool *skipped);
/* PUT /v2/REPO/manifests/REFERENCE (a tag) with Content-Type media_type;
 * digest gets the sha256 of data (the registry's must match). */
int reg_put_manifest(vigil_reg_client *c, const char *reference, const char *media_type, const char *data,
		     size_t len, char digest[VIGIL_REG_MAX_DIGEST + 1]);

#endif
