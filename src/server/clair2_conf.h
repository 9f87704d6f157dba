/* server/clair2_conf.h: the values of Clair 2's config (the clair: layout
 * read by config.c) that need translating: Go durations and the database
 * source, whose keyword DSN carried server settings (Clair 2's example:
 * "host=localhost ... statement_timeout=60000") that Go's lib/pq sends as
 * run-time parameters and libpq refuses as unknown keywords. Pure
 * functions over strings (clair2_conf.c). */
#ifndef VIGIL_SERVER_CLAIR2_CONF_H
#define VIGIL_SERVER_CLAIR2_CONF_H

#include <stddef.h>

#define SRV_CLAIR2_MAX_DSN_PAIRS 64 /* keyword=value pairs of a source */

/* A database source as libpq reads it: a URL as it is; a keyword DSN with
 * libpq's keywords kept and the others moved into options as "-c k=v".
 * 0, or -1 with why (a static string) when it cannot be translated. */
int srv_clair2_dsn(const char *in, char *out, size_t n, const char **why);

#endif
