/* store/store_fetch.c: the wrappers of the fetch validators
 * (store_fetch.h): the backend's ops, or VIGIL_EUNSUPPORTED when it keeps
 * none. */
#include "store/store_priv.h"

#define PART "fetch validators"

int store_fetch_get(vigil_store *s, const char *url, char *etag, size_t etag_n,
			  char *last_modified, size_t lm_n)
{
	if (!s->fetch)
		return store_unsupported(s, PART);
	return s->fetch->fetch_get(s, url, etag, etag_n, last_modified, lm_n);
}

int store_fetch_put(vigil_store *s, const char *url, const char *etag, const char *last_modified)
{
	return s->fetch ? s->fetch->fetch_put(s, url, etag, last_modified) : store_unsupported(s, PART);
}
