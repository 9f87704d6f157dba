/* notifier/page.c: reading notification sets. Clair v4's page (Clair's
 * httptransport/notification_v1.go and notifier/postgres): entries in id
 * order after `next`, at most `size`; one more is read to know whether
 * another page follows, and only then page.next is set, to the last id
 * returned (Clair leaves it out at the end; its OpenAPI's "-1" is not
 * what Clair sends). Entry ids are UUIDs; Clair answers a next that is
 * not a UUID with 400, and so does vigil. Deleting a set is its
 * acknowledgement. The direct bodies (Clair's AMQP/STOMP direct mode) are
 * the same notifications, as JSON arrays of at most `rollup`. */
#include "notifier/notifier_priv.h"
#include "util/buf.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vigil_notify_id_ok(const char *id)
{
	if (!id || strlen(id) != 36)
		return 0;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? id[i] != '-' : !isxdigit((unsigned char)id[i]))
			return 0;
	}
	return 1;
}

/* The UUID in lower case (entries are stored so; Clair parses either). */
static void lower(const char *in, char out[VIGIL_NOTIFY_ID_MAX])
{
	size_t i = 0;
	for (; in[i] && i < VIGIL_NOTIFY_ID_MAX - 1; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

struct page {
	json_t *arr;
	size_t max;
	char last[VIGIL_NOTIFY_ID_MAX];
	bool more;
};

/* A notification object of entry e. */
static json_t *entry_json(const store_notify_entry *e)
{
	json_error_t je;
	json_t *v = json_loads(e->summary, 0, &je);
	if (!v)
		v = json_object(); /* cannot happen: vigil wrote it */
	return json_pack("{s:s, s:s, s:s, s:o}", "id", e->id, "manifest", e->manifest, "reason", e->reason,
			 "vulnerability", v);
}

static int on_entry(void *ud, const store_notify_entry *e)
{
	struct page *p = ud;
	if (json_array_size(p->arr) == p->max) {
		p->more = true;
		return 0;
	}
	json_t *o = entry_json(e);
	if (!o || json_array_append_new(p->arr, o) < 0)
		return vigil_error_oom();
	snprintf(p->last, sizeof(p->last), "%s", e->id);
	return 0;
}

static int check(const char *id, const char *next, size_t size)
{
	if (!vigil_notify_id_ok(id))
		return vigil_error_set(VIGIL_EINVAL, "notification id %.64s: not a UUID", id);
	if (next && *next && !vigil_notify_id_ok(next))
		return vigil_error_set(VIGIL_EINVAL, "next %.64s: not a notification id (a UUID)", next);
	if (size > VIGIL_NOTIFY_MAX_PAGE)
		return vigil_error_set(VIGIL_EINVAL, "page_size %zu: at most %d", size, VIGIL_NOTIFY_MAX_PAGE);
	return 0;
}

static int dump(json_t *root, char **json, size_t *len)
{
	*json = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	if (!*json)
		return vigil_error_oom();
	*len = strlen(*json);
	return 0;
}

int vigil_notify_page(vigil_store *s, const char *id, const char *next, size_t size, char **json, size_t *len)
{
	char lid[VIGIL_NOTIFY_ID_MAX], after[VIGIL_NOTIFY_ID_MAX] = "";
	struct page p = { 0 };
	int found = 0, rc;
	*json = NULL;
	*len = 0;
	if ((rc = check(id, next, size)) < 0)
		return rc;
	lower(id, lid);
	if (next && *next)
		lower(next, after);
	p.max = size ? size : VIGIL_NOTIFY_DEFAULT_PAGE;
	if (!(p.arr = json_array()))
		return vigil_error_oom();
	if ((rc = store_notify_page(s, lid, after, p.max + 1, &found, on_entry, &p)) < 0)
		goto fail;
	if (!found) {
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no notification %s", lid);
		goto fail;
	}
	json_t *pg = json_pack("{s:I}", "size", (json_int_t)p.max);
	if (pg && p.more)
		json_object_set_new(pg, "next", json_string(p.last));
	return dump(json_pack("{s:o*, s:o}", "page", pg, "notifications", p.arr), json, len);
fail:
	json_decref(p.arr);
	return rc;
}

int vigil_notify_delete(vigil_store *s, const char *id, int *deleted)
{
	char lid[VIGIL_NOTIFY_ID_MAX];
	*deleted = 0;
	if (!vigil_notify_id_ok(id))
		return vigil_error_set(VIGIL_EINVAL, "notification id %.64s: not a UUID", id);
	lower(id, lid);
	return store_notify_remove(s, lid, deleted);
}

struct direct {
	size_t rollup;
	json_t *arr;
	int (*fn)(void *ud, const char *body, size_t len);
	void *ud;
};

static int flush(struct direct *d)
{
	char *txt;
	size_t len;
	int rc;
	if (!json_array_size(d->arr))
		return 0;
	if ((rc = dump(json_incref(d->arr), &txt, &len)) < 0)
		return rc;
	rc = d->fn(d->ud, txt, len);
	free(txt);
	json_array_clear(d->arr);
	return rc;
}

static int on_direct(void *ud, const store_notify_entry *e)
{
	struct direct *d = ud;
	json_t *o = entry_json(e);
	if (!o || json_array_append_new(d->arr, o) < 0)
		return vigil_error_oom();
	return d->rollup && json_array_size(d->arr) >= d->rollup ? flush(d) : 0;
}

int vigil_notify_direct_bodies(vigil_store *s, const char *id, size_t rollup,
			       int (*fn)(void *ud, const char *body, size_t len), void *ud)
{
	struct direct d = { rollup, json_array(), fn, ud };
	int found = 0, rc;
	if (!d.arr)
		return vigil_error_oom();
	rc = store_notify_page(s, id, "", VIGIL_NOTIFY_MAX_ENTRIES, &found, on_direct, &d);
	if (rc == 0 && !found)
		rc = vigil_error_set(VIGIL_ENOTFOUND, "no notification %s", id);
	if (rc == 0)
		rc = flush(&d);
	json_decref(d.arr);
	return rc;
}
