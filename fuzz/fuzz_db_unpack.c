/* fuzz/fuzz_db_unpack.c: unpacks arbitrary bytes as a feed archive
 * (db/unpack.c: zip, tar, compressed tar) into a scratch folder, with and
 * without a kept folder name, and checks that nothing was written outside
 * it and that a failure leaves no folder. */
#include "db/fetch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void cleanup(void) { db_remove_tree(root); }

static void scratch(void)
{
	if (root[0])
		return;
	snprintf(root, sizeof(root), "/tmp/vigil-fuzz-unpack-XXXXXX");
	if (!mkdtemp(root))
		abort();
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char arc[128], out[128], canary[128];
	struct stat st;
	int64_t files = 0;
	scratch();
	snprintf(arc, sizeof(arc), "%s/in.tar.gz", root);
	snprintf(out, sizeof(out), "%s/out", root);
	snprintf(canary, sizeof(canary), "%s/evil", root);
	FILE *f = fopen(arc, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	for (int pass = 0; pass < 2; pass++) {
		db_remove_tree(out);
		int rc = db_unpack(arc, out, pass ? "active" : NULL, &files);
		if (rc < 0 && stat(out, &st) == 0)
			abort(); /* a failure leaves no folder */
		if (stat(canary, &st) == 0 || stat("/tmp/evil", &st) == 0)
			abort(); /* something landed outside */
	}
	db_remove_tree(out);
	unlink(arc);
	return 0;
}
