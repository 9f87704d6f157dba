/* db/artifact_doc.c: the two documents of the database artifact: the OCI
 * image manifest (v1.1 style: artifactType, a config of vigil's own media
 * type, one layer, the bundle) and the config blob (schema version, each
 * feed's time, records and fingerprint), written for a push and read for a
 * pull. Reading treats the registry's bytes as hostile: sizes and counts
 * are capped (DB_ART_MAX_*), every field is typed (util/json.h getters,
 * whose messages name the field), digests are checked for their form
 * (util/digest.h), and the document's name leads every message. The layout
 * is in vigil/db_artifact.h and docs/db-update.md. */
#define _GNU_SOURCE /* strptime, timegm */
#include "db/artifact.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void db_art_time(int64_t t, char *out, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, n, "1970-01-01T00:00:00Z");
}

/* "YYYY-MM-DDTHH:MM:SSZ" (as db_art_time writes it) into *t. */
static bool parse_time(vigil_slice s, int64_t *t)
{
	char buf[32];
	struct tm tm = { 0 };
	if (s.len != 20)
		return false;
	memcpy(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	const char *end = strptime(buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	*t = (int64_t)timegm(&tm);
	return true;
}

/* ---- reading ---- */

static int read_desc(json_t *o, const char *path, db_art_desc *d)
{
	vigil_slice mt, dg;
	json_t *size;
	int rc;
	if ((rc = vigil_json_str(o, path, "mediaType", VIGIL_JSON_REQUIRED, DB_ART_MAX_MEDIA_TYPE, &mt)) < 0 ||
	    (rc = vigil_json_str(o, path, "digest", VIGIL_JSON_REQUIRED, DB_ART_DIGEST_MAX - 1, &dg)) < 0 ||
	    (rc = vigil_json_get(o, path, "size", JSON_INTEGER, VIGIL_JSON_REQUIRED, &size)) < 0)
		return rc;
	if (!vigil_digest_ok(dg))
		return vigil_error_set(VIGIL_EFORMAT, "%s.digest: \"%.*s\" is not a digest", path, (int)(dg.len > 80 ? 80 : dg.len),
				       dg.ptr);
	if (json_integer_value(size) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s.size: negative", path);
	snprintf(d->media_type, sizeof(d->media_type), "%.*s", (int)mt.len, mt.ptr);
	snprintf(d->digest, sizeof(d->digest), "%.*s", (int)dg.len, dg.ptr);
	d->size = (uint64_t)json_integer_value(size);
	return 0;
}

static int read_annotations(json_t *root, db_art_manifest *out)
{
	json_t *ann;
	vigil_slice sig, key;
	int rc;
	if ((rc = vigil_json_obj(root, "", "annotations", 0, &ann)) < 0 || !ann)
		return rc;
	if ((rc = vigil_json_str(ann, "annotations", DB_ART_ANN_SIGNATURE, 0, DB_ART_MAX_SIG_B64, &sig)) < 0 ||
	    (rc = vigil_json_str(ann, "annotations", DB_ART_ANN_KEY, 0, DB_ART_DIGEST_MAX - 1, &key)) < 0)
		return rc;
	snprintf(out->signature, sizeof(out->signature), "%.*s", (int)sig.len, sig.ptr);
	snprintf(out->key_id, sizeof(out->key_id), "%.*s", (int)key.len, key.ptr);
	return 0;
}

static int read_layers(json_t *root, db_art_manifest *out)
{
	json_t *layers, *l;
	size_t i, found = 0;
	char path[32];
	int rc;
	if ((rc = vigil_json_arr(root, "", "layers", VIGIL_JSON_REQUIRED, DB_ART_MAX_LAYERS, &layers)) < 0)
		return rc;
	json_array_foreach(layers, i, l) {
		db_art_desc d;
		snprintf(path, sizeof(path), "layers[%zu]", i);
		if ((rc = vigil_json_want(l, JSON_OBJECT, path)) < 0 || (rc = read_desc(l, path, &d)) < 0)
			return rc;
		if (strcmp(d.media_type, VIGIL_DB_ARTIFACT_BUNDLE_TYPE) != 0)
			continue;
		if (found++)
			return vigil_error_set(VIGIL_EFORMAT, "layers: more than one %s", VIGIL_DB_ARTIFACT_BUNDLE_TYPE);
		out->bundle = d;
	}
	if (!found)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "layers: no %s layer", VIGIL_DB_ARTIFACT_BUNDLE_TYPE);
	return 0;
}

static int manifest_fields(json_t *root, db_art_manifest *out)
{
	json_t *sv, *config;
	vigil_slice mt, at;
	int rc;
	if ((rc = vigil_json_want(root, JSON_OBJECT, "the manifest")) < 0 ||
	    (rc = vigil_json_get(root, "", "schemaVersion", JSON_INTEGER, VIGIL_JSON_REQUIRED, &sv)) < 0 ||
	    (rc = vigil_json_str(root, "", "mediaType", 0, DB_ART_MAX_MEDIA_TYPE, &mt)) < 0 ||
	    (rc = vigil_json_str(root, "", "artifactType", 0, DB_ART_MAX_MEDIA_TYPE, &at)) < 0)
		return rc;
	if (json_integer_value(sv) != 2)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "schemaVersion %lld (2 expected)",
				       (long long)json_integer_value(sv));
	if (mt.len && !vigil_slice_eq_cstr(mt, DB_ART_MANIFEST_TYPE))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "a %.*s, not an OCI image manifest", (int)mt.len, mt.ptr);
	snprintf(out->artifact_type, sizeof(out->artifact_type), "%.*s", (int)at.len, at.ptr);
	if ((rc = vigil_json_obj(root, "", "config", VIGIL_JSON_REQUIRED, &config)) < 0 ||
	    (rc = read_desc(config, "config", &out->config)) < 0)
		return rc;
	/* artifactType says what it is; without one (an image-spec 1.0 writer),
	 * the config's media type does */
	if (at.len && strcmp(out->artifact_type, VIGIL_DB_ARTIFACT_TYPE) != 0)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "artifactType %s, not a vigil database (%s)",
				       out->artifact_type, VIGIL_DB_ARTIFACT_TYPE);
	if (strcmp(out->config.media_type, VIGIL_DB_ARTIFACT_CONFIG_TYPE) != 0)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "config media type %s, not a vigil database's (%s)",
				       out->config.media_type, VIGIL_DB_ARTIFACT_CONFIG_TYPE);
	if (out->config.size > DB_ART_MAX_CONFIG)
		return vigil_error_set(VIGIL_ELIMIT, "config: %llu bytes (limit %zu)",
				       (unsigned long long)out->config.size, DB_ART_MAX_CONFIG);
	if ((rc = read_layers(root, out)) < 0)
		return rc;
	return read_annotations(root, out);
}

int db_art_manifest_parse(const char *what, const char *data, size_t len, db_art_manifest *out)
{
	json_error_t je;
	char why[JSON_ERROR_TEXT_LENGTH];
	json_t *root;
	int rc;
	memset(out, 0, sizeof(*out));
	if (len > DB_ART_MAX_MANIFEST)
		return vigil_error_set(VIGIL_ELIMIT, "%s: the manifest is %zu bytes (limit %zu)", what, len,
				       DB_ART_MAX_MANIFEST);
	if (!(root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "%s: the manifest is not JSON: %s", what,
				       vigil_json_error_text(&je, why, sizeof(why)));
	if ((rc = manifest_fields(root, out)) < 0)
		vigil_error_prefix("%s: ", what);
	json_decref(root);
	return rc;
}

static int config_fields(json_t *root, db_art_config *out)
{
	vigil_slice fmt, t;
	json_t *ver, *feeds;
	int rc;
	if ((rc = vigil_json_want(root, JSON_OBJECT, "the config")) < 0 ||
	    (rc = vigil_json_str(root, "", "format", VIGIL_JSON_REQUIRED, 64, &fmt)) < 0 ||
	    (rc = vigil_json_get(root, "", "schemaVersion", JSON_INTEGER, VIGIL_JSON_REQUIRED, &ver)) < 0 ||
	    (rc = vigil_json_arr(root, "", "feeds", 0, DB_ART_MAX_FEEDS, &feeds)) < 0)
		return rc;
	if (!vigil_slice_eq_cstr(fmt, DB_ART_FORMAT))
		return vigil_error_set(VIGIL_EUNSUPPORTED, "format \"%.*s\", not %s", (int)fmt.len, fmt.ptr, DB_ART_FORMAT);
	json_int_t v = json_integer_value(ver);
	if (v < 1 || v > VIGIL_DB_ARTIFACT_SCHEMA)
		return vigil_error_set(VIGIL_EUNSUPPORTED, "schemaVersion %lld (this vigil reads 1 to %d)", (long long)v,
				       VIGIL_DB_ARTIFACT_SCHEMA);
	out->schema = (int)v;
	out->nfeeds = json_array_size(feeds);
	if ((rc = vigil_json_str(root, "", "created", 0, 32, &t)) < 0)
		return rc;
	if (t.len && !parse_time(t, &out->created))
		return vigil_error_set(VIGIL_EFORMAT, "created: not a time (YYYY-MM-DDTHH:MM:SSZ)");
	if ((rc = vigil_json_str(root, "", "updated", 0, 32, &t)) < 0)
		return rc;
	if (t.len && !parse_time(t, &out->updated))
		return vigil_error_set(VIGIL_EFORMAT, "updated: not a time (YYYY-MM-DDTHH:MM:SSZ)");
	return 0;
}

int db_art_config_parse(const char *what, const char *data, size_t len, db_art_config *out)
{
	json_error_t je;
	char why[JSON_ERROR_TEXT_LENGTH];
	json_t *root;
	int rc;
	memset(out, 0, sizeof(*out));
	if (len > DB_ART_MAX_CONFIG)
		return vigil_error_set(VIGIL_ELIMIT, "%s: the config is %zu bytes (limit %zu)", what, len, DB_ART_MAX_CONFIG);
	if (!(root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je)))
		return vigil_error_set(VIGIL_EFORMAT, "%s: the config is not JSON: %s", what,
				       vigil_json_error_text(&je, why, sizeof(why)));
	if ((rc = config_fields(root, out)) < 0)
		vigil_error_prefix("%s: config: ", what);
	json_decref(root);
	return rc;
}

/* ---- writing ---- */

static json_t *desc_json(const db_art_desc *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "mediaType", json_string(d->media_type));
	json_object_set_new(o, "digest", json_string(d->digest));
	json_object_set_new(o, "size", json_integer((json_int_t)d->size));
	return o;
}

/* The JSON of o (decref'd) into *json; VIGIL_ENOMEM when any step failed. */
static int dump(json_t *o, char **json, size_t *len)
{
	*json = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!*json)
		return vigil_error_oom();
	*len = strlen(*json);
	return 0;
}

int db_art_config_build(const vigil_db_bundle_feed *f, size_t n, int64_t now, char **json, size_t *len,
			int64_t *updated)
{
	json_t *o = json_object(), *feeds = json_array();
	char t[32];
	*updated = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_object();
		db_art_time(f[i].created, t, sizeof(t));
		json_object_set_new(e, "feed", json_string(f[i].feed));
		json_object_set_new(e, "updated", json_string(t));
		json_object_set_new(e, "records", json_integer(f[i].records));
		json_object_set_new(e, "fingerprint", json_string(f[i].fingerprint));
		json_array_append_new(feeds, e);
		if (f[i].created > *updated)
			*updated = f[i].created;
	}
	json_object_set_new(o, "format", json_string(DB_ART_FORMAT));
	json_object_set_new(o, "schemaVersion", json_integer(VIGIL_DB_ARTIFACT_SCHEMA));
	json_object_set_new(o, "bundleVersion", json_integer(VIGIL_DB_BUNDLE_VERSION));
	json_object_set_new(o, "vigil", json_string(vigil_version()));
	db_art_time(now, t, sizeof(t));
	json_object_set_new(o, "created", json_string(t));
	db_art_time(*updated, t, sizeof(t));
	json_object_set_new(o, "updated", json_string(t));
	json_object_set_new(o, "feeds", feeds);
	return dump(o, json, len);
}

int db_art_manifest_build(const db_art_desc *config, const db_art_desc *bundle, int64_t now, int64_t updated,
			  const char *sig_b64, const char *key_id, char **json, size_t *len)
{
	json_t *o = json_object(), *layers = json_array(), *ann = json_object(), *l = desc_json(bundle),
	       *lann = json_object();
	char t[32], v[16];
	json_object_set_new(o, "schemaVersion", json_integer(2));
	json_object_set_new(o, "mediaType", json_string(DB_ART_MANIFEST_TYPE));
	json_object_set_new(o, "artifactType", json_string(VIGIL_DB_ARTIFACT_TYPE));
	json_object_set_new(o, "config", desc_json(config));
	json_object_set_new(lann, "org.opencontainers.image.title", json_string("vigil-db.tar.zst"));
	json_object_set_new(l, "annotations", lann);
	json_array_append_new(layers, l);
	json_object_set_new(o, "layers", layers);
	db_art_time(now, t, sizeof(t));
	json_object_set_new(ann, "org.opencontainers.image.created", json_string(t));
	json_object_set_new(ann, "org.opencontainers.image.title", json_string("vigil vulnerability database"));
	snprintf(v, sizeof(v), "%d", VIGIL_DB_ARTIFACT_SCHEMA);
	json_object_set_new(ann, "dev.vigil.db.schema-version", json_string(v));
	db_art_time(updated, t, sizeof(t));
	json_object_set_new(ann, "dev.vigil.db.updated", json_string(t));
	if (sig_b64) {
		json_object_set_new(ann, DB_ART_ANN_SIGNATURE, json_string(sig_b64));
		json_object_set_new(ann, DB_ART_ANN_KEY, json_string(key_id));
	}
	json_object_set_new(o, "annotations", ann);
	return dump(o, json, len);
}
