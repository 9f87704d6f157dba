/* db/fetch.h: the insides of `vigil db update` (vigil/db_update.h): the
 * catalog of feed sources (sources.c), one HTTP(S) transfer with libcurl
 * (fetch.c), archive unpacking (unpack.c), and what the updater
 * (update.c) shares with them. */
#ifndef VIGIL_DB_FETCH_H
#define VIGIL_DB_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigil/db_update.h"

/* ---- the catalog (sources.c) ---- */
#define VIGIL_SOURCES_MAX_FEEDS 64          /* feeds in one catalog */
#define VIGIL_SOURCES_MAX_URLS 512          /* URLs of one feed */
#define VIGIL_SOURCES_MAX_URL 2048          /* length of one URL */
#define VIGIL_SOURCES_MAX_FILE 128          /* length of a file name in a feed's folder */
#define VIGIL_SOURCES_MAX_CONFIG ((size_t)1024 * 1024) /* a sources file */
#define VIGIL_SOURCES_MAX_LINE 4096         /* one line of it */

typedef enum vigil_source_kind {
	VIGIL_SOURCE_FILES = 1,     /* each URL is one file */
	VIGIL_SOURCE_NVD_PAGES = 2, /* one URL, the NVD CVE API 2.0, fetched page by page */
	VIGIL_SOURCE_REPOMD = 3,    /* yum repositories: mirror.list -> repomd.xml -> updateinfo (fetch_repomd.c) */
	VIGIL_SOURCE_BODHI_PAGES = 4, /* each URL a Bodhi /updates/ query, fetched page by page (fetch_bodhi.c) */
} vigil_source_kind;

typedef struct vigil_source_url {
	char *url;
	char *file;     /* its name in the feed's folder and on a mirror */
	bool optional;  /* a 404 is skipped with a warning (a release not published, or gone) */
} vigil_source_url;

typedef struct vigil_source {
	char name[32];              /* the feed: folder name, --source NAME */
	vigil_source_kind kind;
	const char *keep_dir;       /* archives: keep only members under a folder of this name */
	vigil_source_url *urls;
	size_t nurls, cap;
	bool overridden;            /* the config or an override replaced the built-in URLs */
} vigil_source;

typedef struct vigil_sources {
	vigil_source *v;
	size_t n;
} vigil_sources;

/* The built-in catalog. */
int db_sources_default(vigil_sources *out);
/* Applies a sources file: "NAME URL [FILE] [optional]" lines, '#' comments.
 * The first line for a NAME replaces its URLs; a new NAME adds a feed.
 * origin names the file in messages. */
int db_sources_parse_config(vigil_sources *s, const char *text, size_t len, const char *origin);
/* Applies one "NAME=URL" override (same rules). Call
 * db_sources_new_layer() before a set of them, so that the first for a
 * NAME replaces what the built-in catalog or a sources file said. */
void db_sources_new_layer(vigil_sources *s);
int db_sources_override(vigil_sources *s, const char *name_eq_url);
vigil_source *db_sources_find(vigil_sources *s, const char *name);
/* For the catalog's own files (sources.c, sources_vendor.c): a new feed
 * (NULL with the error set past VIGIL_SOURCES_MAX_FEEDS), and a URL of it
 * (file NULL: named from the URL; optional: a 404 is not a failure). */
vigil_source *db_source_add(vigil_sources *s, const char *name, vigil_source_kind kind);
int db_source_add_url(vigil_source *src, const char *url, const char *file, bool optional);
/* The upstream feeds of the families of issue 16 (sources_vendor.c). */
int db_sources_add_vendors(vigil_sources *s);
void db_sources_free(vigil_sources *s);
/* True when name can be a feed name: [a-z0-9-], 1 to 31 bytes. */
bool db_source_name_ok(const char *name, size_t len);
/* True when name can be a file name in a feed's folder. */
bool db_source_file_ok(const char *name, size_t len);

/* ---- NVD pages (sources.c) ---- */
#define VIGIL_NVD_MAX_PAGES 5000
#define VIGIL_NVD_MAX_TOTAL 10000000
/* startIndex, totalResults and the number of vulnerabilities of one NVD
 * CVE API 2.0 response page. */
int db_nvd_page_info(const char *data, size_t len, int64_t *start, int64_t *total, int64_t *count);

/* ---- one transfer (fetch.c) ---- */
#define VIGIL_FETCH_MAX_VALIDATOR 512   /* an ETag or Last-Modified longer than this is not kept */

typedef struct vigil_fetch_limits {
	long connect_timeout_s, timeout_s, stall_time_s, stall_bytes, max_redirects;
	int64_t max_bytes;
} vigil_fetch_limits;

typedef struct vigil_fetch_req {
	const char *url;
	const char *dest;            /* written to a temp file beside it, renamed on success */
	const char *etag;            /* validators to send (NULL or "": none) */
	const char *last_modified;
	const char *const *headers;  /* more request headers, NULL-terminated (may be NULL) */
	bool missing_ok;             /* a 404 is not an error (resp->missing) */
} vigil_fetch_req;

typedef struct vigil_fetch_resp {
	long status;                 /* the last HTTP status (0: none) */
	bool not_modified;           /* 304: dest was left as it was */
	bool missing;                /* 404 with missing_ok */
	bool unreachable;            /* the host could not be resolved or connected to */
	int64_t bytes;               /* body bytes written */
	char etag[VIGIL_FETCH_MAX_VALIDATOR];
	char last_modified[VIGIL_FETCH_MAX_VALIDATOR];
} vigil_fetch_resp;

typedef struct vigil_fetcher vigil_fetcher;
/* progress gets the body bytes received since its last call. */
int db_fetcher_new(const vigil_fetch_limits *lim, void (*progress)(void *ud, int64_t delta),
		      void *ud, vigil_fetcher **out);
void db_fetcher_free(vigil_fetcher *f);
/* One GET. 0 with resp filled (200: dest replaced; 304; 404 when
 * missing_ok), else VIGIL_EIO (or VIGIL_ELIMIT for the size cap) with a
 * message naming the URL and what happened; dest is then untouched. */
int db_fetch(vigil_fetcher *f, const vigil_fetch_req *req, vigil_fetch_resp *resp);
/* curl_global_init, once per process (thread-safe). */
int db_fetch_global_init(void);

/* ---- archives (unpack.c) ---- */
#define VIGIL_UNPACK_MAX_ENTRIES 2000000
#define VIGIL_UNPACK_MAX_ENTRY ((int64_t)1024 * 1024 * 1024)
#define VIGIL_UNPACK_MAX_TOTAL ((int64_t)32 * 1024 * 1024 * 1024)
#define VIGIL_UNPACK_MAX_PATH 1024
#define VIGIL_UNPACK_MAX_DEPTH 32

/* .zip, .tar, .tar.gz/.tgz, .tar.zst, .tar.xz, .tar.bz2 */
bool db_unpack_is_archive(const char *name);
/* Extracts the regular files and folders of archive into dest (which must
 * not exist; it is created). Members whose path is absolute or has a ".."
 * fail the whole archive; links and devices are skipped. keep_dir (may be
 * NULL) keeps only members under a folder of that name. *files gets the
 * number of files written. On failure dest is removed. */
int db_unpack(const char *archive, const char *dest, const char *keep_dir, int64_t *files);
/* rm -rf path (no error when it does not exist). */
int db_remove_tree(const char *path);
/* mkdir -p path (mode 0700 for what it creates). */
int db_mkdirs(const char *path);

/* ---- one feed's download (update_feed.c), run on its own thread ---- */
typedef struct vigil_feed_url {
	char *url, *file;            /* owned */
	bool optional;
	bool had_file;               /* the file was in the feed's folder before */
	bool fetched;                /* 200: a new file */
	bool not_modified;           /* 304 */
	bool missing;                /* 404 of an optional URL: skipped */
	char etag[VIGIL_FETCH_MAX_VALIDATOR];
	char last_modified[VIGIL_FETCH_MAX_VALIDATOR];
} vigil_feed_url;

typedef struct vigil_feed_job {
	/* set by the caller */
	vigil_store *store;           /* for the validators (fetch_get) */
	const vigil_source *src;
	const char *cache_dir;        /* the feed's folder is <cache_dir>/<name> */
	const char *mirror_dir;       /* or NULL */
	const char *mirror_url;       /* or NULL */
	const vigil_fetch_limits *lim;
	long nvd_delay_ms;
	const char *nvd_api_key;      /* or NULL */
	void (*progress)(void *ud, int64_t delta); /* bytes received (any thread) */
	void *ud;
	/* the outcome */
	int rc;                       /* 0, or the failure's code */
	char error[1024];
	bool unreachable;
	bool all_not_modified;        /* every URL answered 304: nothing new */
	vigil_feed_url *urls;
	size_t nurls, curls;
	char **paths;                 /* what to import */
	size_t npaths, cpaths;
	int64_t requests, not_modified, skipped;
	char *warnings;               /* lines, or NULL */
	size_t warnings_len;
} vigil_feed_job;


/* ---- Bodhi pages (fetch_bodhi.c) ---- */
#define VIGIL_BODHI_MAX_PAGES 10000
/* page and pages of one Bodhi /updates/ answer. */
int db_bodhi_page_info(const char *data, size_t len, int64_t *page, int64_t *pages);
/* Every URL of the job's feed, page by page, into dl/<file>-NNNNN.json. */
int db_bodhi_pages(vigil_feed_job *j, vigil_fetcher *f, const char *dl);

/* Downloads (or takes from the mirror folder) the feed's files, unpacks its
 * archives and fills paths; the outcome is in job (rc, error). */
void db_feed_job_run(vigil_feed_job *job);
void db_feed_job_free(vigil_feed_job *job);
/* For the source kinds in files of their own: a URL of the job (its
 * outcome recorded as every URL's) and one conditional GET of it into
 * dl/<file> (update_feed.c). */
vigil_feed_url *db_feed_job_url(vigil_feed_job *j, const char *url, const char *file, bool optional);
int db_feed_job_get(vigil_feed_job *j, vigil_fetcher *f, vigil_feed_url *u, const char *dl);

/* ---- yum repositories: VIGIL_SOURCE_REPOMD (fetch_repomd.c) ---- */
#define VIGIL_REPOMD_MAX (4 * 1024 * 1024) /* a repomd.xml (Rocky's are ~5 KB) */
/* One URL of the feed: mirror.list or .../repodata/repomd.xml -> the
 * updateinfo it names, checksum checked, into dl/<su->file>; any other URL
 * is one plain file. */
int db_repomd_fetch(vigil_feed_job *j, vigil_fetcher *f, const vigil_source_url *su, const char *dl);
/* The updateinfo of a repomd.xml: its <location href> and "sha256:<hex>"
 * (or sha512); VIGIL_ENOTFOUND when it names none, VIGIL_EFORMAT. */
int db_repomd_updateinfo(const char *data, size_t len, char *href, size_t hn, char *digest, size_t dn);
/* The first http(s) line of a mirror.list, trailing '/' removed. */
int db_repomd_base(const char *data, size_t len, char *base, size_t n);

#endif
