/* util/arena.h: a bump allocator with a size cap, one per scan or request.
 *
 * Everything a scan allocates (package strings, parsed records) comes from
 * its arena and is released at once by vigil_arena_free(). Allocation past
 * the cap fails with VIGIL_ELIMIT set, so a hostile input cannot make one
 * scan take all the memory of the machine. Not thread-safe: one arena per
 * thread of work. */
#ifndef VIGIL_UTIL_ARENA_H
#define VIGIL_UTIL_ARENA_H

#include <stddef.h>

#define VIGIL_ARENA_CHUNK (64 * 1024)
#define VIGIL_ARENA_DEFAULT_CAP ((size_t)512 * 1024 * 1024)

typedef struct vigil_arena vigil_arena;

/* cap: the most bytes it may hand out (0: VIGIL_ARENA_DEFAULT_CAP). NULL on OOM. */
vigil_arena *vigil_arena_new(size_t cap);
void vigil_arena_free(vigil_arena *a);
/* 16-byte aligned, uninitialised. NULL with the error set on failure. */
void *vigil_arena_alloc(vigil_arena *a, size_t n);
void *vigil_arena_calloc(vigil_arena *a, size_t count, size_t size);
/* A NUL-terminated copy of p[0..n). */
char *vigil_arena_strndup(vigil_arena *a, const char *p, size_t n);
char *vigil_arena_strdup(vigil_arena *a, const char *s);
/* Bytes handed out so far. */
size_t vigil_arena_used(const vigil_arena *a);

#endif
