/* vigil/common.h: the export macro, error codes, the thread-local error
 * message, version. Every public header includes it.
 *
 * Every function of the library that can fail returns an int: 0 on success
 * or one of the negative VIGIL_E* codes below, and sets a message for the
 * calling thread that vigil_error_message() returns until the next error. */
#ifndef VIGIL_COMMON_H
#define VIGIL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* VIGIL_EXTERN(type) declares a function of the public API (libgit2's
 * GIT_EXTERN). libvigil is compiled with -fvisibility=hidden: these are the
 * only symbols libvigil.so exports; everything else, the modules' internal
 * functions included, stays inside the library (docs/embedding.md). */
#if defined(__GNUC__) && __GNUC__ >= 4
#define VIGIL_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define VIGIL_EXTERN(type) extern type
#endif

enum vigil_error_code {
	VIGIL_OK = 0,
	VIGIL_ERROR = -1,     /* generic failure */
	VIGIL_ENOMEM = -2,    /* out of memory */
	VIGIL_EINVAL = -3,    /* bad argument from the caller */
	VIGIL_EIO = -4,       /* read or write failed */
	VIGIL_ENOTFOUND = -5, /* no such file, image, layer, record */
	VIGIL_ELIMIT = -6,    /* a named limit was hit (size, depth, count) */
	VIGIL_EFORMAT = -7,   /* input is malformed */
	VIGIL_EDIGEST = -8,   /* content does not match its digest */
	VIGIL_EUNSUPPORTED = -9, /* valid input vigil does not handle */
	VIGIL_ESTORE = -10,   /* the store (database) failed */
	VIGIL_ECANCELED = -11, /* stopped because other work failed first */
	VIGIL_EUNAVAILABLE = -12, /* the store is unreachable or busy now: try again (HTTP 503) */
};

/* The message of the last error on this thread ("" when none). */
VIGIL_EXTERN(const char *) vigil_error_message(void);
/* The code of the last error on this thread (VIGIL_OK when none). */
VIGIL_EXTERN(int) vigil_error_code(void);
VIGIL_EXTERN(void) vigil_error_clear(void);

/* Setting the error, for the library and its clients (a server built on
 * the library, a callback that fails): vigil_error_set() formats the
 * message, sets it and the code for the calling thread and returns code,
 * so that it can end a return statement; vigil_error_prefix() puts context
 * in front of the current message; vigil_error_oom() sets VIGIL_ENOMEM
 * with a fixed message (no allocation) and returns it. */
VIGIL_EXTERN(int) vigil_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
VIGIL_EXTERN(void) vigil_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
VIGIL_EXTERN(int) vigil_error_oom(void);

/* A short name for a code: "format", "digest", ... */
VIGIL_EXTERN(const char *) vigil_error_name(int code);

VIGIL_EXTERN(const char *) vigil_version(void);

#ifdef __cplusplus
}
#endif
#endif
