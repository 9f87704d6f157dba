/* util/error.c: the thread-local last error of the library. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char err_msg[VIGIL_ERROR_MAX];
static _Thread_local int err_code;

const char *vigil_error_message(void) { return err_msg; }
int vigil_error_code(void) { return err_code; }

void vigil_error_clear(void)
{
	err_msg[0] = '\0';
	err_code = VIGIL_OK;
}

int vigil_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err_msg, sizeof(err_msg), fmt, ap);
	va_end(ap);
	err_code = code;
	return code;
}

void vigil_error_prefix(const char *fmt, ...)
{
	char head[VIGIL_ERROR_MAX];
	char old[VIGIL_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	size_t hn = strlen(head);
	memcpy(old, err_msg, sizeof(old));
	if (hn >= sizeof(err_msg))
		hn = sizeof(err_msg) - 1;
	memcpy(err_msg, head, hn);
	size_t on = strnlen(old, sizeof(old) - 1);
	if (on > sizeof(err_msg) - 1 - hn)
		on = sizeof(err_msg) - 1 - hn;
	memcpy(err_msg + hn, old, on);
	err_msg[hn + on] = '\0';
}

int vigil_error_oom(void)
{
	return vigil_error_set(VIGIL_ENOMEM, "out of memory");
}

const char *vigil_error_name(int code)
{
	switch (code) {
	case VIGIL_OK: return "ok";
	case VIGIL_ENOMEM: return "out of memory";
	case VIGIL_EINVAL: return "invalid argument";
	case VIGIL_EIO: return "i/o";
	case VIGIL_ENOTFOUND: return "not found";
	case VIGIL_ELIMIT: return "limit";
	case VIGIL_EFORMAT: return "format";
	case VIGIL_EDIGEST: return "digest";
	case VIGIL_EUNSUPPORTED: return "unsupported";
	case VIGIL_ESTORE: return "store";
	case VIGIL_ECANCELED: return "canceled";
	case VIGIL_EUNAVAILABLE: return "unavailable";
	default: return "error";
	}
}

int vigil_error_or_oom(void)
{
	return err_code < 0 ? err_code : vigil_error_oom();
}
