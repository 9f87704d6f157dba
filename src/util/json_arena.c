/* util/json_arena.c: a per-thread arena behind jansson's allocator (see
 * json_arena.h). */
#include "util/json_arena.h"
#include "util/arena.h"
#include "util/error.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>

static _Thread_local vigil_arena *scope;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void *ja_malloc(size_t n)
{
	return scope ? vigil_arena_alloc(scope, n ? n : 1) : malloc(n);
}

static void ja_free(void *p)
{
	if (!scope)
		free(p);
}

static void install(void)
{
	json_set_alloc_funcs(ja_malloc, ja_free);
}

int vigil_json_arena_begin(size_t cap)
{
	if (scope)
		return vigil_error_set(VIGIL_EINVAL, "a JSON arena scope is already open on this thread");
	pthread_once(&installed, install);
	if (!(scope = vigil_arena_new(cap)))
		return vigil_error_oom();
	return 0;
}

void vigil_json_arena_end(void)
{
	vigil_arena *a = scope;
	scope = NULL;
	vigil_arena_free(a);
}
