/* server/modes.c: Clair's modes. A fleet runs indexer nodes (POST and GET
 * index reports), matcher nodes (vulnerability reports, update operations
 * and the periodic feed update) or combo nodes (everything) on one
 * database, and routes by path prefix. A registry's notifications
 * (/registry/events) are indexing work: indexer and combo nodes. The v1 API indexes and matches in
 * one call, so only combo nodes serve it. The notifier's routes are
 * served by combo and matcher nodes. The OpenAPI document is served
 * everywhere. */
#include "server/srv_priv.h"

#include <string.h>

int srv_mode_of(const char *name)
{
	if (!name || !*name || !strcmp(name, "combo"))
		return SRV_MODE_COMBO;
	if (!strcmp(name, "indexer"))
		return SRV_MODE_INDEXER;
	if (!strcmp(name, "matcher"))
		return SRV_MODE_MATCHER;
	return -1;
}

int srv_route_allowed(const vigil_srv *s, const struct srv_route *r)
{
	int mode = srv_mode_of(s->conf.mode);
	if (mode == SRV_MODE_COMBO || mode < 0)
		return 1;
	if (!strncmp(r->pattern, "/openapi/", 9))
		return 1;
	if (mode == SRV_MODE_INDEXER) /* push-triggered scanning indexes */
		return !strncmp(r->pattern, "/indexer/", 9) || !strncmp(r->pattern, "/registry/", 10);
	/* the notifier's sets are made on matcher nodes (after their updates) */
	return !strncmp(r->pattern, "/matcher/", 9) || !strncmp(r->pattern, "/notifier/", 10);
}
