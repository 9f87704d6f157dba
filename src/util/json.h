/* util/json.h: the one set of typed getters over jansson documents, with
 * the field path in every message.
 *
 * A member is read from an object by key; path names the object within
 * the document ("" at the root, "vulnerabilities[3].cve") and the message
 * names path.key. Absent and JSON null are the same: *out is NULL (or an
 * empty slice) and 0 comes back, unless VIGIL_JSON_REQUIRED, then
 * VIGIL_EFORMAT "<path>.<key>: missing". A member of another type is
 * VIGIL_EFORMAT "<path>.<key>: not a string"; a string or an array over
 * its cap is VIGIL_ELIMIT "<path>.<key>: N bytes (limit M)" / "<path>.<key>:
 * N items (limit M)". A caller adds the document's name in front with
 * vigil_error_prefix() (util/error.h). o that is not an object reads as
 * an object without members. Nothing is copied: slices point into the
 * document.
 *
 *   vigil_slice id; json_t *refs;
 *   if ((rc = vigil_json_str(v, "vulnerabilities[0]", "id", VIGIL_JSON_REQUIRED, 256, &id)) < 0 ||
 *       (rc = vigil_json_arr(v, "vulnerabilities[0]", "references", 0, 1000, &refs)) < 0)
 *           return rc;
 */
#ifndef VIGIL_UTIL_JSON_H
#define VIGIL_UTIL_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "util/slice.h"

#define VIGIL_JSON_REQUIRED 1 /* absent or null is an error */
#define VIGIL_JSON_TRIM 2     /* strings: spaces, tabs, CR, LF dropped at both ends */

/* "an object", "an array", "a string", "an integer", "a number", "a boolean", "null". */
const char *vigil_json_type_name(json_type t);

/* Checks that v (the value at path) is of type t; JSON_REAL accepts an
 * integer too, JSON_TRUE either boolean. NULL v passes (absent). 0 or
 * VIGIL_EFORMAT "<path>: not a string". */
int vigil_json_want(json_t *v, json_type t, const char *path);

/* Member key of o, of type t (see vigil_json_want), into *out. */
int vigil_json_get(json_t *o, const char *path, const char *key, json_type t, int flags, json_t **out);
/* A string member of at most max bytes (after VIGIL_JSON_TRIM); absent:
 * an empty slice whose ptr is "" (never NULL: slices go on to memcmp and
 * memcpy). A caller that must tell absent from "" asks vigil_json_get(). */
int vigil_json_str(json_t *o, const char *path, const char *key, int flags, size_t max, vigil_slice *out);
/* An array member of at most max items; absent: NULL. */
int vigil_json_arr(json_t *o, const char *path, const char *key, int flags, size_t max, json_t **out);
/* An object member; absent: NULL. */
int vigil_json_obj(json_t *o, const char *path, const char *key, int flags, json_t **out);
/* A number member (integer or real) into *out, untouched when absent:
 * 1 present, 0 absent, or the error. */
int vigil_json_num(json_t *o, const char *path, const char *key, int flags, double *out);

/* jansson's message of a failed parse without the input it quotes ("...
 * near '<token>'"): a body that does not parse may hold a credential (a
 * Manifest's Authorization header, a token server's answer, a Docker
 * config's auths), and the message goes to clients and logs. Into out[n];
 * returns out. Line and column stay the caller's to print. */
const char *vigil_json_error_text(const json_error_t *je, char *out, size_t n);

/* Most bytes a string repaired by vigil_json_string_lossy() may have. */
#define VIGIL_JSON_MAX_REPAIR ((size_t)16 << 20)
/* A JSON string of s ("" for NULL); invalid UTF-8 (a file name, a
 * config value) has each bad byte made U+FFFD rather than the string
 * dropped. NULL only when out of memory. */
json_t *vigil_json_string_lossy(const char *s);

#endif
