/* bench/layer_walk.c: walks one layer file (gzip, zstd or plain tar)
 * through the layer module as the indexer does (decompress, hash, tar walk,
 * digest check) and prints what it saw and how fast. A standalone tool for
 * informal benchmarks against e.g. `igzip -dc layer.tar.gz > /dev/null`:
 *
 *   layer_walk [-b DIGEST] [-d DIGEST] [-r] [-n N] LAYER
 *     -b  blob digest to check ("sha256:<hex>") or compute ("sha256");
 *         default "sha256"; "-" for none
 *     -d  diff_id digest, the same way; default none
 *     -r  read the data of every regular file (default: skip all data)
 *     -n  repeat N times (best time is printed)
 *
 * Exit status 0 when the walk succeeded, 1 otherwise. */
#include "layer/layer.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct stats {
	int read_all;
	uint64_t entries, files, dirs, links, bytes_read;
	vigil_buf buf;
};

static int on_entry(void *ud, const vigil_tar_entry *e, vigil_tar_walk *w)
{
	struct stats *st = ud;
	st->entries++;
	if (e->type == VIGIL_TAR_DIR)
		st->dirs++;
	else if (e->type == VIGIL_TAR_SYMLINK || e->type == VIGIL_TAR_HARDLINK)
		st->links++;
	else if (e->type == VIGIL_TAR_FILE)
		st->files++;
	if (st->read_all && e->type == VIGIL_TAR_FILE) {
		int rc = layer_tar_read(w, &st->buf);
		if (rc < 0)
			return rc;
		st->bytes_read += st->buf.len;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *blob = "sha256", *diff = NULL, *path = NULL;
	int read_all = 0, repeat = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-b") == 0 && i + 1 < argc)
			blob = argv[++i];
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			diff = argv[++i];
		else if (strcmp(argv[i], "-r") == 0)
			read_all = 1;
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			repeat = (int)strtol(argv[++i], NULL, 10);
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: layer_walk [-b DIGEST] [-d DIGEST] [-r] [-n N] LAYER\n");
		return 2;
	}
	if (blob && strcmp(blob, "-") == 0)
		blob = NULL;
	if (diff && strcmp(diff, "-") == 0)
		diff = NULL;
	double best = 0;
	for (int k = 0; k < (repeat > 0 ? repeat : 1); k++) {
		struct stats st = { .read_all = read_all };
		vigil_buf_init(&st.buf, (size_t)1 << 30);
		vigil_istream *raw, *s = NULL;
		double t0 = now();
		int rc = vigil_istream_from_path(path, &raw);
		if (rc == 0)
			rc = layer_stream_open(raw, blob, diff, &s);
		if (rc == 0)
			rc = layer_tar_walk_stream(s, on_entry, &st);
		double t = now() - t0;
		if (rc < 0) {
			fprintf(stderr, "layer_walk: %s: %s\n", path, vigil_error_message());
			vigil_istream_close(s);
			vigil_buf_free(&st.buf);
			return 1;
		}
		if (k == 0 || t < best)
			best = t;
		if (k == 0) {
			char b[VIGIL_LAYER_DIGEST_MAX], d[VIGIL_LAYER_DIGEST_MAX];
			layer_stream_digests(s, b, d);
			printf("compression %s, %llu bytes stored, %llu bytes of tar\n",
			       layer_stream_compression(s),
			       (unsigned long long)layer_stream_raw_bytes(s),
			       (unsigned long long)s->nread);
			printf("%llu entries: %llu files, %llu dirs, %llu links; %llu bytes of data read\n",
			       (unsigned long long)st.entries, (unsigned long long)st.files,
			       (unsigned long long)st.dirs, (unsigned long long)st.links,
			       (unsigned long long)st.bytes_read);
			if (b[0])
				printf("blob %s\n", b);
			if (d[0])
				printf("diff %s\n", d);
		}
		if (k == repeat - 1 || repeat <= 1)
			printf("time %.3f s (best of %d), %.0f MB/s of tar\n", best, repeat > 0 ? repeat : 1,
			       (double)s->nread / best / 1e6);
		vigil_istream_close(s);
		vigil_buf_free(&st.buf);
	}
	return 0;
}
