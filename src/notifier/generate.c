/* notifier/generate.c: making notification sets.
 *
 * The data's state is the newest update operation of every feed. When it
 * differs from the one recorded at the last generation (notify_state
 * "feeds"), every stored manifest is matched again (summary.c) and its
 * current set compared with its baseline: what is new is "added", what
 * is gone "removed". All the entries go into ONE set, committed with the
 * new baselines and the new state in one transaction: a crash before the
 * commit leaves the old baselines and state, so the next run makes the
 * same set again; nothing is half-made or lost. A manifest with no
 * baseline (indexed before the notifier was on) gets one and no entries;
 * the server records one at indexing (vigil_notify_baseline), so a
 * manifest indexed between two updates is compared with the data it was
 * indexed under. A manifest that cannot be matched (a layer gone from the
 * cache and from its URI) keeps its baseline and is tried again next time.
 * One node generates at a time (the store lock "notify:generate"); the
 * others skip: it is the same database. */
#include "notifier/notifier_priv.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/db.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int ntf_uuid(char out[VIGIL_NOTIFY_ID_MAX])
{
	unsigned char r[16];
	if (RAND_bytes(r, sizeof(r)) != 1)
		return vigil_error_set(VIGIL_ERROR, "no random bytes for a notification id");
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, VIGIL_NOTIFY_ID_MAX,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4],
		 r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
	return 0;
}

int ntf_feeds_state(vigil_store *s, char *out, size_t n)
{
	vigil_db_feed_status *st = NULL;
	size_t k = 0;
	vigil_buf b;
	int rc = vigil_db_status(s, &st, &k);
	if (rc < 0)
		return rc;
	vigil_buf_init(&b, NTF_MAX_FP);
	for (size_t i = 0; i < k && rc == 0; i++)
		if (st[i].has_data)
			rc = vigil_buf_printf(&b, "%s=%s;", st[i].feed, st[i].last.ref);
	free(st);
	if (rc == 0)
		snprintf(out, n, "%s", b.data ? b.data : "");
	vigil_buf_free(&b);
	return rc < 0 ? vigil_error_set(VIGIL_ELIMIT, "the data's state is over %d bytes", NTF_MAX_FP) : 0;
}

/* ---- a baseline as the store takes it ---- */

struct flat {
	const char **keys, **sums;
	size_t n;
};

static int flatten(json_t *set, struct flat *f)
{
	const char *k;
	json_t *v;
	size_t n = json_object_size(set), i = 0;
	f->n = 0;
	f->keys = calloc(n + 1, sizeof(*f->keys));
	f->sums = calloc(n + 1, sizeof(*f->sums));
	if (!f->keys || !f->sums)
		return vigil_error_oom();
	json_object_foreach(set, k, v) {
		f->keys[i] = k;
		f->sums[i++] = json_string_value(v);
	}
	f->n = i;
	return 0;
}

static void flat_free(struct flat *f)
{
	free(f->keys);
	free(f->sums);
}

int vigil_notify_baseline(vigil_store *s, const char *hash, const vigil_index_report *ir)
{
	json_t *set = NULL;
	struct flat f = { 0 };
	int rc;
	if ((rc = ntf_current_set(s, ir, &set)) < 0 || (rc = flatten(set, &f)) < 0)
		goto out;
	store_notify_base b = { hash, f.n, f.keys, f.sums };
	rc = store_notify_base_put(s, &b, 1);
out:
	flat_free(&f);
	json_decref(set);
	return rc;
}

/* ---- one generation ---- */

struct gen {
	vigil_store *s;
	json_t *entries;  /* [{manifest, reason, vkey, summary}] */
	json_t *bases;    /* manifest -> set, the baselines to write */
	json_t *old;      /* the baseline being read */
	size_t manifests, failed;
	void (*warn)(void *ud, const char *msg);
	void *ud;
};

static int on_base(void *ud, const char *vkey, const char *summary)
{
	struct gen *g = ud;
	return json_object_set_new(g->old, vkey, json_string(summary)) < 0 ? vigil_error_oom() : 0;
}

static int add_entry(struct gen *g, const char *manifest, const char *reason, const char *summary)
{
	if (json_array_size(g->entries) >= VIGIL_NOTIFY_MAX_ENTRIES)
		return vigil_error_set(VIGIL_ELIMIT, "more than %d notification entries in one set",
				       VIGIL_NOTIFY_MAX_ENTRIES);
	json_t *e = json_pack("{s:s, s:s, s:s}", "manifest", manifest, "reason", reason, "summary", summary);
	return !e || json_array_append_new(g->entries, e) < 0 ? vigil_error_oom() : 0;
}

static int diff_one(void *ud, const char *manifest)
{
	struct gen *g = ud;
	json_t *cur = NULL, *v;
	const char *k;
	int known = 0, rc = ntf_manifest_set(g->s, manifest, &cur);
	char msg[1400];
	g->manifests++;
	if (rc < 0) {
		g->failed++;
		if (g->warn) {
			snprintf(msg, sizeof(msg), "manifest %s: cannot match it again (its baseline is kept): %s", manifest,
				 vigil_error_message());
			g->warn(g->ud, msg);
		}
		return rc == VIGIL_ENOMEM ? rc : 0;
	}
	json_object_clear(g->old);
	if ((rc = store_notify_base_get(g->s, manifest, &known, on_base, g)) < 0)
		goto out;
	bool changed = !known;
	if (known) {
		json_object_foreach(cur, k, v) if (!json_object_get(g->old, k)) {
			changed = true;
			if ((rc = add_entry(g, manifest, "added", json_string_value(v))) < 0)
				goto out;
		}
		json_object_foreach(g->old, k, v) if (!json_object_get(cur, k)) {
			changed = true;
			if ((rc = add_entry(g, manifest, "removed", json_string_value(v))) < 0)
				goto out;
		}
	}
	if (changed && json_object_set(g->bases, manifest, cur) < 0)
		rc = vigil_error_oom();
out:
	json_decref(cur);
	return rc;
}

/* Commits what g collected, with state fp; out->id set when a set was made. */
static int commit(struct gen *g, const char *fp, vigil_notify_generation *out)
{
	size_t ne = json_array_size(g->entries), nb = json_object_size(g->bases), i = 0;
	store_notify_entry *es = calloc(ne + 1, sizeof(*es));
	store_notify_base *bs = calloc(nb + 1, sizeof(*bs));
	struct flat *fl = calloc(nb + 1, sizeof(*fl));
	char (*ids)[VIGIL_NOTIFY_ID_MAX] = calloc(ne + 1, sizeof(*ids));
	const char *k;
	json_t *v;
	int rc = 0;
	if (!es || !bs || !fl || !ids) {
		rc = vigil_error_oom();
		goto out;
	}
	if (ne && (rc = ntf_uuid(out->id)) < 0)
		goto out;
	json_array_foreach(g->entries, i, v) {
		if ((rc = ntf_uuid(ids[i])) < 0)
			goto out;
		es[i] = (store_notify_entry){ ids[i], json_string_value(json_object_get(v, "manifest")),
					      json_string_value(json_object_get(v, "reason")),
					      json_string_value(json_object_get(v, "summary")) };
	}
	i = 0;
	json_object_foreach(g->bases, k, v) {
		if ((rc = flatten(v, &fl[i])) < 0)
			goto out;
		bs[i] = (store_notify_base){ k, fl[i].n, fl[i].keys, fl[i].sums };
		i++;
	}
	store_notify_commit c = { .id = out->id, .created = (int64_t)time(NULL), .entries = es, .nentries = ne,
				  .bases = bs, .nbases = nb, .state_key = NTF_STATE_FEEDS, .state_value = fp };
	if ((rc = store_notify_commit_set(g->s, &c)) == 0)
		out->entries = ne;
out:
	if (rc < 0)
		out->id[0] = '\0';
	for (size_t j = 0; fl && j < nb; j++)
		flat_free(&fl[j]);
	free(fl);
	free(bs);
	free(es);
	free(ids);
	return rc;
}

int vigil_notify_generate(vigil_store *s, int force, void (*warn)(void *ud, const char *msg), void *ud,
			  vigil_notify_generation *out)
{
	vigil_store_lock *lk = NULL;
	char *fp = NULL, *prev = NULL;
	struct gen g = { .s = s, .warn = warn, .ud = ud };
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = vigil_store_lock_try(s, NTF_LOCK, &lk)) <= 0)
		return rc; /* 0: another node generates */
	if (!(fp = malloc(NTF_MAX_FP)) || !(prev = malloc(NTF_MAX_FP))) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = ntf_feeds_state(s, fp, NTF_MAX_FP)) < 0 ||
	    (rc = store_notify_state_get(s, NTF_STATE_FEEDS, prev, NTF_MAX_FP)) < 0)
		goto out;
	if (!force && !strcmp(fp, prev))
		goto out;
	out->ran = 1;
	g.entries = json_array();
	g.bases = json_object();
	g.old = json_object();
	if (!g.entries || !g.bases || !g.old) {
		rc = vigil_error_oom();
		goto out;
	}
	if ((rc = store_notify_manifests(s, diff_one, &g)) < 0)
		goto out;
	out->manifests = g.manifests;
	out->failed = g.failed;
	rc = commit(&g, fp, out);
out:
	json_decref(g.entries);
	json_decref(g.bases);
	json_decref(g.old);
	free(fp);
	free(prev);
	vigil_store_lock_release(lk);
	return rc;
}
