/* util/error.h: setting the thread-local error. The setters are public
 * (vigil/common.h: the server, a client of the library, sets errors too);
 * this header adds the message size.
 *
 *   if (n > LIMIT)
 *       return vigil_error_set(VIGIL_ELIMIT, "%s: %zu entries (limit %d)", path, n, LIMIT);
 *
 * vigil_error_set() returns its code so that it can end a return statement.
 * vigil_error_prefix() puts context in front of the current message, for a
 * caller that knows the layer or file a callee did not:
 *   rc = parse(...); if (rc < 0) vigil_error_prefix("layer %s: ", digest); */
#ifndef VIGIL_UTIL_ERROR_H
#define VIGIL_UTIL_ERROR_H

#include "vigil/common.h"

#define VIGIL_ERROR_MAX 1024

/* The code already set (an allocator such as vigil_arena_alloc sets its own),
 * else vigil_error_oom(): for a NULL from a function that may or may not
 * have said why. */
int vigil_error_or_oom(void);

#endif
