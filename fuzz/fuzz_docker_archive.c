/* fuzz/fuzz_docker_archive.c: a docker-archive of hostile bytes through the
 * whole of img_open() (tar member index, manifest.json, config, an
 * OCI layout inside, link resolution), then every layer streamed; then the
 * same bytes as an oci-archive selected by a containerd image name
 * (oci-archive:FILE:demo:v2, the io.containerd.image.name match). The bytes
 * are written to one temporary file per process. */
#include "image/image.h"
#include "util/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char path[64];

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		snprintf(path, sizeof(path), "/tmp/vigil-fuzz-archive-%ld.tar", (long)getpid());
		atexit(cleanup);
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	size_t w = fwrite(data, 1, size, f);
	fclose(f);
	if (w != size)
		return 0;
	for (size_t k = 0; k < 2; k++) {
		char ref[96];
		snprintf(ref, sizeof(ref), "%s:%s%s", k ? "oci-archive" : "docker-archive", path, k ? ":demo:v2" : "");
		vigil_image *img = NULL;
		if (img_open(ref, NULL, &img) == 0) {
			for (size_t i = 0; i < img_layer_count(img); i++) {
				vigil_istream *s;
				if (img_open_layer(img, i, &s) == 0) {
					vigil_istream_drain(s);
					vigil_istream_close(s);
				}
			}
			img_free(img);
		}
		vigil_error_clear();
	}
	return 0;
}
