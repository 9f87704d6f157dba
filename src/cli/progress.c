/* cli/progress.c: one status line on a terminal while layers are read
 * ("layers 1/3 read, 1 cached · reading sha256:ab12… 45.1/88.0 MB"). Quiet
 * when stderr is not a terminal, so pipes and CI logs stay clean. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cli_progress {
	bool on;
	bool drawn;
	size_t total, done, cached;
	unsigned long long bytes, size;
	char digest[20];
};

cli_progress *cli_progress_new(bool quiet)
{
	cli_progress *p = calloc(1, sizeof(*p));
	if (p)
		p->on = !quiet && isatty(2);
	return p;
}

static void draw(cli_progress *p)
{
	char a[32], b[32];
	fprintf(stderr, "\r\033[Klayers %zu/%zu read, %zu cached", p->done, p->total, p->cached);
	if (p->digest[0] && p->done + p->cached < p->total)
		fprintf(stderr, " · reading %s… %s/%s", p->digest, cli_size(p->bytes, a, sizeof(a)),
			cli_size(p->size, b, sizeof(b)));
	fflush(stderr);
	p->drawn = true;
}

void cli_progress_cb(void *ud, const vigil_index_progress *e)
{
	cli_progress *p = ud;
	if (!p || !p->on)
		return;
	switch (e->event) {
	case VIGIL_INDEX_IMAGE_OPENED:
		p->total = e->layer_count;
		break;
	case VIGIL_INDEX_LAYER_CACHED:
		p->cached++;
		break;
	case VIGIL_INDEX_LAYER_DONE:
		p->done++;
		break;
	case VIGIL_INDEX_LAYER_START:
	case VIGIL_INDEX_PROGRESS:
		snprintf(p->digest, sizeof(p->digest), "%s", e->digest ? e->digest : "");
		p->bytes = e->bytes;
		p->size = e->total;
		break;
	}
	draw(p);
}

void cli_progress_done(cli_progress *p)
{
	if (p && p->drawn)
		fprintf(stderr, "\r\033[K");
	free(p);
}

void cli_warn_cb(void *ud, const char *msg)
{
	(void)ud;
	fprintf(stderr, "vigil: warning: %s\n", msg);
}
