/* bench/secret_scan.c: the secret scanner's engine alone (audit/secret*.c:
 * the built-in rules, the prefilter, PCRE2 over the windows) over files
 * read into memory first, so that the figure is the scanner's and not the
 * disk's or the layer's. bench/secrets.sh runs it beside the whole
 * `vigil audit` and a grep baseline.
 *
 *   secret_scan_bench [-n N] [-q] FILE...     (or - : one path a line on stdin)
 *
 * Prints the engine, the bytes, the matches per rule (-q: not), and the
 * best of N runs as MB/s of CPU time (one thread: MB/s per core). Binary
 * files are skipped as the audit does. Exit 1 on an error. */
#include "audit/audit_priv.h"
#include "audit/secret_priv.h"
#include "util/error.h"
#include "util/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_MAX_FILES 2000000

struct file {
	char *path;
	uint8_t *p;
	size_t n;
};

static size_t counts[SECRET_MAX_RULES];
static const secret_ruleset *rules;

static int on_match(void *ud, const secret_match *m)
{
	(void)ud;
	counts[m->rule - rules->rules]++;
	return 0;
}

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add(struct file **v, size_t *n, size_t *cap, const char *path, uint64_t *bytes)
{
	char *text;
	size_t len;
	if (vigil_file_read(path, AUDIT_MAX_BYTES, &text, &len) < 0 || audit_is_binary((uint8_t *)text, len)) {
		if (vigil_error_code())
			vigil_error_clear();
		return 0;
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		struct file *g = realloc(*v, *cap * sizeof(**v));
		if (!g || *cap > BENCH_MAX_FILES)
			return -1;
		*v = g;
	}
	(*v)[(*n)++] = (struct file){ strdup(path), (uint8_t *)text, len };
	*bytes += len;
	return 0;
}

int main(int argc, char **argv)
{
	int reps = 3, quiet = 0, a = 1;
	struct file *files = NULL;
	size_t nf = 0, cap = 0;
	uint64_t bytes = 0;
	char line[4096];
	for (; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
		if (!strcmp(argv[a], "-n") && a + 1 < argc)
			reps = (int)strtol(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "-q"))
			quiet = 1;
	}
	for (; a < argc; a++) {
		if (strcmp(argv[a], "-")) {
			if (add(&files, &nf, &cap, argv[a], &bytes) < 0)
				return 1;
			continue;
		}
		while (fgets(line, sizeof(line), stdin)) {
			line[strcspn(line, "\n")] = '\0';
			if (*line && add(&files, &nf, &cap, line, &bytes) < 0)
				return 1;
		}
	}
	secret_ruleset *rs = secret_ruleset_new();
	secret_scanner *sc = NULL;
	if (!rs || secret_ruleset_add_builtin(rs) < 0 || secret_ruleset_compile(rs) < 0 ||
	    secret_scanner_new(rs, &sc) < 0) {
		fprintf(stderr, "secret_scan_bench: %s\n", vigil_error_message());
		return 1;
	}
	rules = rs;
	double best = 1e30;
	for (int r = 0; r < (reps > 0 ? reps : 1); r++) {
		memset(counts, 0, sizeof(counts));
		double t0 = cpu();
		for (size_t i = 0; i < nf; i++)
			if (secret_scan(sc, files[i].path, files[i].p, files[i].n, on_match, NULL, NULL) < 0) {
				fprintf(stderr, "secret_scan_bench: %s: %s\n", files[i].path, vigil_error_message());
				return 1;
			}
		double t = cpu() - t0;
		best = t < best ? t : best;
	}
	printf("engine: %s\n", secret_scanner_engine(sc));
	printf("files: %zu, bytes: %llu\n", nf, (unsigned long long)bytes);
	for (size_t i = 0; !quiet && i < rs->n; i++)
		if (counts[i])
			printf("  %-28s %zu\n", rs->rules[i].id, counts[i]);
	printf("cpu: %.3f s, %.0f MB/s per core\n", best, (double)bytes / 1e6 / (best > 0 ? best : 1e-9));
	for (size_t i = 0; i < nf; i++) {
		free(files[i].path);
		free(files[i].p);
	}
	free(files);
	secret_scanner_free(sc);
	secret_ruleset_free(rs);
	return 0;
}
