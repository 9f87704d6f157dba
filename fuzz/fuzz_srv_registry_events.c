/* fuzz/fuzz_srv_registry_events.c: the envelope parser of POST
 * /registry/events (server/events_parse.c) on hostile bytes. It must
 * answer 0 or 400/413/500 with a terminated message; on 0, every event is
 * classified, and an event to index (a manifest or index push) carries a
 * valid digest, a repository of distribution's grammar, a host made of
 * host characters, and a tag that is valid or empty. The seeds are real
 * bodies Debian's docker-registry 2.8.2 posted (blob and manifest pushes,
 * an OCI index push, a pull, a mount, manifest and tag deletes). */
#include "server/events.h"
#include "vigil/common.h"
#include "vigil/digest.h"

#include <stdint.h>
#include <string.h>

static void host_ok(const char *h)
{
	for (; *h; h++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789.-:[]", *h))
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	srv_event_batch b;
	char msg[512];
	int st = srv_events_parse((const char *)data, size, &b, msg, sizeof(msg));
	if (strnlen(msg, sizeof(msg)) == sizeof(msg))
		__builtin_trap();
	if (st != 0 && st != 400 && st != 413 && st != 500)
		__builtin_trap();
	if (st != 0 && b.n)
		__builtin_trap();
	for (size_t i = 0; i < b.n; i++) {
		const srv_event *e = &b.ev[i];
		if (strnlen(e->why, sizeof(e->why)) == sizeof(e->why))
			__builtin_trap();
		if (e->kind != SRV_EV_MANIFEST && e->kind != SRV_EV_INDEX)
			continue;
		if (vigil_digest_check(e->digest, "digest") < 0 || !srv_events_repo_ok(e->repo, strlen(e->repo)) ||
		    (!e->host[0] && !e->url_host[0]) || (e->tag[0] && strlen(e->tag) > SRV_EV_MAX_TAG))
			__builtin_trap();
		host_ok(e->host);
		host_ok(e->url_host);
	}
	srv_events_batch_free(&b);
	vigil_error_clear();
	return 0;
}
