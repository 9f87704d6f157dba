/* audit/walk_priv.h: the walk's own state, shared by its three files:
 * walk.c (entries, tar layers), walk_api.c (open, run, what checkers
 * call), fsroot.c (a root filesystem walked as one layer). Nothing else
 * includes it: checkers see audit_priv.h only. */
#ifndef VIGIL_AUDIT_WALK_PRIV_H
#define VIGIL_AUDIT_WALK_PRIV_H

#include "audit/audit_priv.h"
#include "util/buf.h"
#include "indexer/layer_result.h"
#include "util/map.h"
#include "vigil/store.h"

#include <openssl/evp.h>

/* At most this many checkers ride on one walk. */
#define WALK_MAX_CHECKERS 8

struct walk_hashes {
	unsigned want;
	EVP_MD_CTX *md5, *sha1, *sha256;
};

/* One entry's data on its way (walk.c): read once from the raw entry
 * stream, by the indexer's reads or the walk's own. */
struct walk_pipe {
	audit_walk *w;
	const audit_entry *e;
	vigil_istream *(*open)(void *ud);
	void *open_ud;
	vigil_istream *raw;
	bool failed_open, eof, keep;
	struct walk_hashes h;
	size_t head;
	audit_file *tmp;
};

struct walk_checker {
	const audit_checker *ops;
	void *st;
	unsigned want; /* what entry() asked for the current entry */
};

struct audit_walk {
	char *ref;
	struct vigil_image *img;
	json_t *config;
	vigil_arena *arena;
	vigil_intern *strs;
	audit_walk_options opt;
	unsigned hashes;               /* union of opt.hashes and the checkers' */
	struct walk_checker chk[WALK_MAX_CHECKERS];
	size_t nchk;
	vigil_audit_layer *layers;
	size_t nlayers;
	size_t layer;                  /* the layer being read */
	vigil_map fs;                  /* path -> audit_file * */
	vigil_buf data;                /* the current entry's bytes (AUDIT_WANT_BYTES) */
	uint8_t *scratch;              /* one read block */
	vigil_audit_finding *findings;
	size_t nfindings, capfindings, dropped;
	vigil_audit_policy_result *policy;
	size_t npolicy, cappolicy;
	const char **warnings;
	size_t nwarnings, capwarnings;
	uint64_t files_scanned, bytes_scanned, binaries_skipped;
	int ran;
	/* the indexer riding on the pass (walk_index.c) */
	vigil_store *index_store;      /* the layer cache; NULL: no indexing */
	struct idx_layer_scan *iscan;  /* the current layer's scan, NULL when cached */
	struct vigil_layer_result *iresult;
	uint64_t layers_indexed;       /* layers read and cached by this pass */
};

/* One entry: asks the checkers, reads the data through open(ud) when
 * wanted (called at most once), applies it to the view. */
int walk_entry(audit_walk *w, const audit_entry *e, vigil_istream *(*open)(void *ud), void *ud);
/* Streams tar layer i of the image. */
int walk_tar_layer(audit_walk *w, size_t i);
/* walk_index.c: the indexer on layer i of the pass (a layer the cache
 * lacks), and its end: the result cached; returns rc or the scan's error. */
int walk_index_layer_begin(audit_walk *w, size_t i);
int walk_index_layer_end(audit_walk *w, size_t i, vigil_istream *dec, int rc);
/* Walks the root filesystem folder root as layer 0. */
int walk_rootfs(audit_walk *w, const char *root);

#endif
