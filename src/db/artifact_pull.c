/* db/artifact_pull.c: `vigil db pull REF` (and `vigil db update --from
 * REF`): fetch, verify, then import; see db/artifact.c's opening comment
 * for the order of checks and why a failure leaves the store as it was. */
#include "db/artifact.h"
#include "registry/registry.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The bundle blob into the file at path, hashed as it goes; its digest
 * and size must be the descriptor's. */
static int fetch_bundle(vigil_reg_client *c, const vigil_db_artifact_options *o, const char *what,
			const db_art_desc *d, const char *path)
{
	vigil_istream *in = NULL;
	vigil_hash h = { 0 };
	char got[VIGIL_DIGEST_STR_MAX];
	char *buf = malloc(DB_ART_CHUNK);
	FILE *f = fopen(path, "wb");
	uint64_t done = 0;
	ssize_t n;
	int rc;
	if (!buf || !f) {
		rc = buf ? vigil_error_set(VIGIL_EIO, "%s: cannot write", path) : vigil_error_oom();
		goto out;
	}
	if ((rc = vigil_hash_init(&h, "sha256")) < 0 || (rc = reg_open_blob(c, d->digest, d->size, &in)) < 0)
		goto out;
	db_art_say(o, "downloading", 0, d->size);
	while ((n = vigil_istream_read(in, buf, DB_ART_CHUNK)) > 0) {
		vigil_hash_update(&h, buf, (size_t)n);
		if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
			rc = vigil_error_set(VIGIL_EIO, "%s: cannot write (disk full?)", path);
			goto out;
		}
		done += (uint64_t)n;
		db_art_say(o, "downloading", done, d->size);
	}
	if (n < 0) {
		rc = (int)n;
		goto out;
	}
	if (fflush(f) != 0 || ferror(f)) {
		rc = vigil_error_set(VIGIL_EIO, "%s: cannot write (disk full?)", path);
		goto out;
	}
	if ((rc = vigil_hash_final(&h, got)) < 0)
		goto out;
	if (strcmp(got, d->digest) != 0)
		rc = vigil_error_set(VIGIL_EDIGEST, "%s: the bundle blob does not match its digest %s (it hashes to %s)",
				     what, d->digest, got);
out:
	vigil_istream_close(in);
	vigil_hash_free(&h);
	if (f)
		fclose(f);
	free(buf);
	return rc;
}

/* The manifest and config fetched and checked, the signature too when a
 * key is given. */
static int check_artifact(vigil_reg_client *c, const vigil_reg_ref *ref, const vigil_db_artifact_options *o,
			  const char *what, db_art_manifest *m, db_art_config *cfg, vigil_db_artifact_info *info)
{
	vigil_reg_doc doc = { 0 };
	char *config = NULL, text[512];
	size_t clen = 0;
	uint64_t max = o->max_bundle ? o->max_bundle : VIGIL_DB_ARTIFACT_MAX_BUNDLE;
	int rc;
	if ((rc = reg_get_manifest(c, ref->digest[0] ? ref->digest : ref->tag, ref->digest[0] ? ref->digest : NULL, 0,
				   &doc)) < 0 ||
	    (rc = db_art_manifest_parse(what, doc.data, doc.len, m)) < 0)
		goto out;
	snprintf(info->manifest_digest, sizeof(info->manifest_digest), "%s", doc.digest);
	if (m->bundle.size > max) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: the bundle is %llu bytes (limit %llu)", what,
				     (unsigned long long)m->bundle.size, (unsigned long long)max);
		goto out;
	}
	if ((rc = reg_get_blob(c, m->config.digest, m->config.size, DB_ART_MAX_CONFIG, &config, &clen)) < 0 ||
	    (rc = db_art_config_parse(what, config, clen, cfg)) < 0)
		goto out;
	if (o->verify_key) {
		db_art_say(o, "verifying", 0, 0);
		if ((rc = db_art_sign_text(m->bundle.digest, m->config.digest, text, sizeof(text))) < 0 ||
		    (rc = db_art_verify(o->verify_key, what, text, m->signature)) < 0)
			goto out;
		info->signed_ = 1;
	}
out:
	reg_doc_free(&doc);
	free(config);
	return rc;
}

int vigil_db_pull(vigil_store *s, const char *refstr, const vigil_db_artifact_options *opt,
		  vigil_db_artifact_info *info, vigil_db_import_result **results, size_t *nresults)
{
	vigil_db_artifact_options dflt;
	vigil_db_artifact_info tmpinfo;
	vigil_reg_ref ref;
	vigil_reg_client *c = NULL;
	db_art_manifest m;
	db_art_config cfg;
	char staged[4096] = "", what[VIGIL_REG_MAX_REF + 8] = "";
	int rc;
	*results = NULL;
	*nresults = 0;
	if (!opt) {
		vigil_db_artifact_options_init(&dflt);
		opt = &dflt;
	}
	if (!info)
		info = &tmpinfo;
	memset(info, 0, sizeof(*info));
	if ((rc = db_art_client(refstr, opt, &ref, &c, what, sizeof(what))) < 0)
		goto out;
	if ((rc = check_artifact(c, &ref, opt, what, &m, &cfg, info)) < 0 ||
	    (rc = db_art_stage_file(opt, "pull", staged, sizeof(staged))) < 0 ||
	    (rc = fetch_bundle(c, opt, what, &m.bundle, staged)) < 0)
		goto out;
	db_art_say(opt, "importing", m.bundle.size, m.bundle.size);
	rc = vigil_db_import_bundle(s, staged, opt->import, results, nresults);
	snprintf(info->bundle_digest, sizeof(info->bundle_digest), "%s", m.bundle.digest);
	info->bundle_size = m.bundle.size;
	info->schema_version = cfg.schema;
	info->nfeeds = cfg.nfeeds;
	info->updated = cfg.updated;
out:
	if (rc < 0)
		db_art_name_error(what);
	if (staged[0])
		unlink(staged);
	reg_client_free(c);
	return rc;
}
