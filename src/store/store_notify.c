/* store/store_notify.c: the wrappers of the notifications part
 * (store_notify.h): the backend's ops, or VIGIL_EUNSUPPORTED when it
 * keeps none. */
#include "store/store_notify.h"
#include "store/store_priv.h"

#define PART "notifications"
#define CALL(op, ...) (s->notify ? s->notify->op(s, __VA_ARGS__) : store_unsupported(s, PART))

int store_notify_manifests(vigil_store *s, int (*fn)(void *ud, const char *manifest), void *ud)
{
	return CALL(manifests, fn, ud);
}

int store_notify_base_get(vigil_store *s, const char *manifest, int *known,
			  int (*fn)(void *ud, const char *vkey, const char *summary), void *ud)
{
	*known = 0;
	return CALL(base_get, manifest, known, fn, ud);
}

int store_notify_base_put(vigil_store *s, const store_notify_base *b, int only_new)
{
	return CALL(base_put, b, only_new);
}

int store_notify_commit_set(vigil_store *s, const store_notify_commit *c)
{
	return CALL(commit, c);
}

int store_notify_state_get(vigil_store *s, const char *key, char *out, size_t n)
{
	if (n)
		out[0] = '\0';
	return CALL(state_get, key, out, n);
}

int store_notify_page(vigil_store *s, const char *id, const char *after, size_t limit, int *found,
		      int (*fn)(void *ud, const store_notify_entry *e), void *ud)
{
	*found = 0;
	return CALL(page, id, after ? after : "", limit, found, fn, ud);
}

int store_notify_info_get(vigil_store *s, const char *id, store_notify_info *out)
{
	return CALL(info, id, out);
}

int store_notify_remove(vigil_store *s, const char *id, int *deleted)
{
	*deleted = 0;
	return CALL(remove, id, deleted);
}

int store_notify_claim(vigil_store *s, const char *node, int64_t now, int64_t lease_s,
		       char id[STORE_NOTIFY_ID_MAX], int *got)
{
	*got = 0;
	id[0] = '\0';
	return CALL(claim, node, now, lease_s, id, got);
}

int store_notify_release(vigil_store *s, const char *id, const char *node, int ok, int64_t now,
			 int64_t next_attempt, const char *error)
{
	return CALL(release, id, node, ok, now, next_attempt, error ? error : "");
}

int store_notify_expire(vigil_store *s, int64_t before, int64_t *removed)
{
	*removed = 0;
	return CALL(expire, before, removed);
}
