/* db/artifact.c: `vigil db push` and `vigil db pull`: the database as an
 * OCI artifact (layout in vigil/db_artifact.h), over the registry client
 * (registry/: its auth, retries and streamed blobs; push.c for uploads).
 *
 * Push: the store is exported to a bundle in the temp folder (or a bundle
 * file given is used as it is), hashed as a file, described by a config
 * (artifact_doc.c) and optionally signed (artifact_sign.c); then the
 * config blob, the bundle blob (streamed from its file; skipped when the
 * registry has it) and the manifest under the tag are pushed, in that
 * order, so the tag never names a manifest whose blobs are missing.
 *
 * Pull writes nothing before everything is verified: the manifest (the
 * artifactType and media types, parsed as hostile input), the config's
 * schema version, the signature when a key is given, and the bundle, which
 * streams into a temp file (mkstemp in the temp folder, never in memory:
 * memory stays flat) while it is hashed, within the size its descriptor
 * gives and the cap; a digest that does not match removes the file. Only
 * then vigil_db_import_bundle() runs, which verifies every member and
 * record before its first write. So any failure before the import, and
 * any damage the import finds, leaves the store exactly as it was. */
#include "db/artifact.h"
#include "net/net.h"
#include "registry/registry.h"
#include "util/digest.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


void vigil_db_artifact_options_init(vigil_db_artifact_options *o)
{
	memset(o, 0, sizeof(*o));
}

void db_art_say(const vigil_db_artifact_options *o, const char *phase, uint64_t done, uint64_t total)
{
	vigil_db_artifact_progress p = { phase, done, total };
	if (o->progress)
		o->progress(o->ud, &p);
}

int db_art_stage_file(const vigil_db_artifact_options *o, const char *what, char *out, size_t n)
{
	const char *dir = o->tmpdir ? o->tmpdir : getenv("TMPDIR");
	int fd;
	if (!dir || !*dir)
		dir = "/tmp";
	int w = snprintf(out, n, "%s/vigil-db-%s-XXXXXX", dir, what);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "%s: the temp folder's name is too long", dir);
	if ((fd = mkstemp(out)) < 0) {
		int rc = vigil_error_set(VIGIL_EIO, "%s: cannot make a temp file", dir);
		out[0] = '\0';
		return rc;
	}
	close(fd);
	return 0;
}

int db_art_client(const char *refstr, const vigil_db_artifact_options *o, vigil_reg_ref *ref,
		  vigil_reg_client **c, char *what, size_t n)
{
	int rc = reg_ref_parse(refstr, ref);
	snprintf(what, n, "%s", refstr);
	if (rc == 0) {
		reg_ref_format(ref, what, n);
		rc = reg_client_new(ref, o->registry, c);
	}
	return rc;
}

void db_art_name_error(const char *what)
{
	if (strncmp(vigil_error_message(), what, strlen(what)) != 0)
		vigil_error_prefix("%s: ", what);
}

/* ---- push ---- */

struct push_progress {
	const vigil_db_artifact_options *o;
	uint64_t done, total;
};

static void on_sent(void *ud, int64_t delta)
{
	struct push_progress *p = ud;
	p->done += (uint64_t)delta;
	db_art_say(p->o, "uploading", p->done, p->total);
}

/* The sha256 and size of a file. */
static int hash_file(const char *path, char digest[VIGIL_DIGEST_STR_MAX], uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	vigil_hash h = { 0 };
	char *buf = malloc(DB_ART_CHUNK);
	size_t n;
	int rc;
	*size = 0;
	if (!f || !buf) {
		rc = f ? vigil_error_oom() : vigil_error_set(VIGIL_EIO, "%s: cannot open", path);
		goto out;
	}
	if ((rc = vigil_hash_init(&h, "sha256")) < 0)
		goto out;
	while ((n = fread(buf, 1, DB_ART_CHUNK, f)) > 0) {
		vigil_hash_update(&h, buf, n);
		*size += n;
	}
	if (ferror(f))
		rc = vigil_error_set(VIGIL_EIO, "%s: cannot read", path);
	else
		rc = vigil_hash_final(&h, digest);
out:
	vigil_hash_free(&h);
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

/* The config and manifest of the bundle at path (signed when asked). */
static int describe(const char *path, const vigil_db_artifact_options *o, db_art_desc *cfg, char **config,
		    size_t *clen, db_art_desc *bundle, char **manifest, size_t *mlen, vigil_db_artifact_info *info)
{
	vigil_db_bundle_feed *feeds = NULL;
	size_t nf = 0;
	int64_t updated = 0, now = (int64_t)time(NULL);
	char text[512], sig[DB_ART_MAX_SIG_B64 + 1], kid[DB_ART_DIGEST_MAX];
	int rc;
	if ((rc = vigil_db_bundle_feeds(path, &feeds, &nf)) < 0 || (rc = hash_file(path, bundle->digest, &bundle->size)) < 0 ||
	    (rc = db_art_config_build(feeds, nf, now, config, clen, &updated)) < 0)
		goto out;
	snprintf(bundle->media_type, sizeof(bundle->media_type), "%s", VIGIL_DB_ARTIFACT_BUNDLE_TYPE);
	snprintf(cfg->media_type, sizeof(cfg->media_type), "%s", VIGIL_DB_ARTIFACT_CONFIG_TYPE);
	vigil_digest_sha256(*config, *clen, cfg->digest);
	cfg->size = *clen;
	if (o->sign_key && ((rc = db_art_sign_text(bundle->digest, cfg->digest, text, sizeof(text))) < 0 ||
			    (rc = db_art_sign(o->sign_key, text, sig, kid)) < 0))
		goto out;
	rc = db_art_manifest_build(cfg, bundle, now, updated, o->sign_key ? sig : NULL, kid, manifest, mlen);
	info->nfeeds = nf;
	info->updated = updated;
	info->signed_ = o->sign_key != NULL;
out:
	free(feeds);
	return rc;
}

static int upload(vigil_reg_client *c, const vigil_db_artifact_options *o, const db_art_desc *cfg,
		  const char *config, const char *path, const db_art_desc *bundle, bool *skipped)
{
	struct push_progress pp = { o, 0, bundle->size };
	net_body cb = { .data = config, .len = cfg->size };
	net_body bb = { .len = bundle->size, .sent = on_sent, .ud = &pp };
	bool cskip;
	int rc;
	if ((rc = reg_push_blob(c, cfg->digest, &cb, &cskip)) < 0)
		return rc;
	if (!(bb.file = fopen(path, "rb")))
		return vigil_error_set(VIGIL_EIO, "%s: cannot open", path);
	db_art_say(o, "uploading", 0, bundle->size);
	rc = reg_push_blob(c, bundle->digest, &bb, skipped);
	fclose(bb.file);
	return rc;
}

int vigil_db_push(vigil_store *s, const char *refstr, const vigil_db_artifact_options *opt,
		  vigil_db_artifact_info *info)
{
	vigil_db_artifact_options dflt;
	vigil_db_artifact_info tmpinfo;
	vigil_reg_ref ref;
	vigil_reg_client *c = NULL;
	db_art_desc cfg = { 0 }, bundle = { 0 };
	char staged[4096] = "", *config = NULL, *manifest = NULL, what[VIGIL_REG_MAX_REF + 8] = "";
	size_t clen = 0, mlen = 0, nf = 0;
	const char *path;
	bool skipped = false;
	int rc;
	if (!opt) {
		vigil_db_artifact_options_init(&dflt);
		opt = &dflt;
	}
	if (!info)
		info = &tmpinfo;
	memset(info, 0, sizeof(*info));
	if ((rc = db_art_client(refstr, opt, &ref, &c, what, sizeof(what))) < 0)
		goto out;
	if (ref.digest[0]) {
		rc = vigil_error_set(VIGIL_EINVAL, "push to a tag, not a digest (the digest is the registry's to say)");
		goto out;
	}
	reg_client_want_push(c);
	if (opt->bundle) {
		path = opt->bundle;
		if (!vigil_db_is_bundle(path)) {
			rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a vigil database bundle (see 'vigil db export')", path);
			goto out;
		}
	} else {
		db_art_say(opt, "exporting", 0, 0);
		if ((rc = db_art_stage_file(opt, "push", staged, sizeof(staged))) < 0 || (rc = vigil_db_export(s, staged, &nf)) < 0)
			goto out;
		path = staged;
	}
	if ((rc = describe(path, opt, &cfg, &config, &clen, &bundle, &manifest, &mlen, info)) < 0 ||
	    (rc = upload(c, opt, &cfg, config, path, &bundle, &skipped)) < 0 ||
	    (rc = reg_put_manifest(c, ref.tag, DB_ART_MANIFEST_TYPE, manifest, mlen, info->manifest_digest)) < 0)
		goto out;
	snprintf(info->bundle_digest, sizeof(info->bundle_digest), "%s", bundle.digest);
	info->bundle_size = bundle.size;
	info->schema_version = VIGIL_DB_ARTIFACT_SCHEMA;
	info->bundle_skipped = skipped;
out:
	if (rc < 0)
		db_art_name_error(what);
	if (staged[0])
		unlink(staged);
	free(config);
	free(manifest);
	reg_client_free(c);
	return rc;
}
