/* util/json_arena.h: jansson trees that are dropped at once.
 *
 * Decoding a large JSON document (a cached layer scan of 20,000 packages)
 * makes hundreds of thousands of small jansson allocations, and freeing the
 * tree node by node costs as much as parsing it (glibc's consolidation of
 * its fast bins). Between vigil_json_arena_begin() and _end() every jansson
 * allocation of the calling thread comes from one arena (util/arena.h) and
 * its frees do nothing; _end() releases it all. Other threads, and this
 * thread outside the scope, keep malloc/free.
 *
 * The rule that makes it safe: a json_t made inside the scope is used and
 * json_decref()ed inside it, and nothing made outside is freed inside
 * (copy what must outlive the scope out of the tree first). The allocator
 * functions are installed once, process-wide, on the first begin; they
 * call malloc and free whenever no scope is open.
 *
 *   if ((rc = vigil_json_arena_begin(0)) < 0) return rc;
 *   json_t *doc = json_loadb(...); ... json_decref(doc);
 *   vigil_json_arena_end();
 */
#ifndef VIGIL_UTIL_JSON_ARENA_H
#define VIGIL_UTIL_JSON_ARENA_H

#include <stddef.h>

/* Opens the scope with an arena of at most cap bytes (0: the arena's
 * default cap; past it jansson sees an allocation failure). VIGIL_EINVAL
 * when a scope is already open on this thread, VIGIL_ENOMEM. */
int vigil_json_arena_begin(size_t cap);
/* Closes the scope and frees everything jansson allocated in it. */
void vigil_json_arena_end(void);

#endif
