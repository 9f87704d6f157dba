/* feed/osv_go.h: Go vulndb's vulnerable symbols of an OSV affected entry
 * (feed/osv_go.c), for feed/osv.c. */
#ifndef VIGIL_FEED_OSV_GO_H
#define VIGIL_FEED_OSV_GO_H

#include <stdbool.h>

#include "feed/feed.h"

/* Symbols kept for one affected entry (more are dropped, *dropped set). */
#define FEED_OSV_MAX_SYMBOLS 1000

/* ecosystem_specific.imports[] {path, symbols[]} of the affected item a as
 * "path.Symbol" joined with '\n' in ctx; *out NULL when it names none. */
int feed_osv_go_symbols(vigil_feed_ctx *ctx, json_t *a, const char **out, bool *dropped);

#endif
