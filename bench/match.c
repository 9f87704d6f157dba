/* bench/match.c: times vigil_match() the way `vigil scan` calls it, with
 * the database already open: an index report of N packages (names read
 * from a file, one "binary source version" per line) in a namespace,
 * matched R times; prints the median and the best time and the findings.
 *
 *   build/match_bench DB NAMESPACE PACKAGES_FILE [RUNS]
 *
 * bench/match.sh makes the database (every feed of ../shared/testdata)
 * and the package list. */
#define _POSIX_C_SOURCE 200809L
#include "vigil/vigil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s DB NAMESPACE PACKAGES_FILE [RUNS]\n", argv[0]);
		return 2;
	}
	int runs = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 20;
	if (runs < 1 || runs > 10000)
		runs = 20;
	FILE *f = fopen(argv[3], "r");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	vigil_package *p = calloc(100000, sizeof(*p));
	size_t n = 0;
	char line[1024];
	while (n < 100000 && fgets(line, sizeof(line), f)) {
		char *field[3], *q = line;
		int k = 0;
		while (k < 3) { /* three space-separated words */
			while (*q == ' ')
				q++;
			if (!*q || *q == '\n')
				break;
			field[k++] = q;
			while (*q && *q != ' ' && *q != '\n')
				q++;
			if (*q)
				*q++ = '\0';
		}
		if (k < 3)
			continue;
		char *bin = field[0], *src = field[1], *ver = field[2];
		p[n] = (vigil_package){ .type = !strncmp(argv[2], "alpine", 6) ? VIGIL_PKG_APK :
					       !strncmp(argv[2], "rhel", 4) ? VIGIL_PKG_RPM : VIGIL_PKG_DPKG,
					.name = strdup(bin), .source_name = strdup(src),
					.version = strdup(ver), .source_version = strdup(ver) };
		n++;
	}
	fclose(f);
	char did[64], ver[64];
	const char *colon = strchr(argv[2], ':');
	if (!colon)
		return 2;
	snprintf(did, sizeof(did), "%.*s", (int)(colon - argv[2]), argv[2]);
	snprintf(ver, sizeof(ver), "%s", colon + 1);
	vigil_distribution d = { .did = did, .version_id = ver };
	vigil_index_report ir = { .manifest_hash = "sha256:bench", .distribution = &d, .packages = p,
				  .package_count = n };
	vigil_store *s;
	if (vigil_store_open(argv[1], &s) < 0) {
		fprintf(stderr, "%s\n", vigil_error_message());
		return 1;
	}
	vigil_match_options o;
	vigil_match_options_init(&o);
	o.store = s;
	o.max_age = -1;
	o.no_enrich = getenv("VIGIL_BENCH_NO_ENRICH") != NULL;
	double *t = calloc((size_t)runs, sizeof(*t));
	size_t findings = 0;
	for (int i = 0; i < runs; i++) {
		vigil_vuln_report *r;
		double t0 = now_ms();
		if (vigil_match(&ir, &o, &r) < 0) {
			fprintf(stderr, "match: %s\n", vigil_error_message());
			return 1;
		}
		t[i] = now_ms() - t0;
		findings = r->finding_count;
		vigil_vuln_report_free(r);
	}
	qsort(t, (size_t)runs, sizeof(*t), dcmp);
	printf("match %zu packages in %s: median %.2f ms, best %.2f ms (%d runs), %zu findings\n", n,
	       argv[2], t[runs / 2], t[0], runs, findings);
	vigil_store_close(s);
	return 0;
}
