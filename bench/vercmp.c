/* bench/vercmp.c: times vigil_dpkg_cmp() the way the matcher uses it: N
 * million comparisons of pairs drawn from a realistic mix of Debian and
 * Ubuntu versions (epochs, revisions, ~ pre-releases, +dfsg/+deb/ubuntu
 * suffixes, long security revisions), and prints comparisons per second.
 * A standalone tool, built against the library:
 *
 *   cc -O2 -std=c11 -Iinclude -Isrc bench/vercmp.c src/version/dpkg.c -o vercmp_bench
 *   (or link build/libvigil.a instead of dpkg.c)
 *   ./vercmp_bench [MILLIONS]        (default 50)
 *
 * Exit status 0; the checksum printed keeps the work from being optimized out. */
#define _POSIX_C_SOURCE 200809L
#include "vigil/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const VERSIONS[] = {
	"2.36-9+deb12u4", "2.36-9+deb12u7", "1:2.38.1-5+deb12u1", "1:2.38.1-5+deb12u2",
	"3.0.11-1~deb12u2", "3.0.13-1~deb12u1", "3.0.15-1~deb12u1", "1.2.13.dfsg-1",
	"1:1.2.13.dfsg-1", "7.88.1-10+deb12u5", "7.88.1-10+deb12u8", "252.22-1~deb12u1",
	"252.30-1~deb12u2", "2.9.14+dfsg-1.3~deb12u1", "1.1.35-1", "5.2.15-2+b2",
	"5.2.15-2+b7", "1:9.2p1-2+deb12u3", "2.74.6-2+deb12u3", "6.1.0-13", "6.1.0~rc1-1",
	"1.0~beta1+git20230101.abc1234-1", "1.0-1", "1.0", "0.9.9-3ubuntu0.22.04.2",
	"2.35-0ubuntu3.6", "2.35-0ubuntu3.8", "1:3.0.2-0ubuntu1.15", "1:3.0.2-0ubuntu1.18",
	"20230311ubuntu0.22.04.1", "8.5.0-2ubuntu10.4", "4.18+dfsg-1ubuntu0.22.04.1",
	"2:8.2.3995-1ubuntu2.16", "1.8.7-1ubuntu0.1", "12.2.0-14", "12.2.0-14+deb12u1",
	"3.40.1-2+deb12u1", "1.19.0-2", "2.2.40-1.1", "1:4.13+dfsg1-1+b1",
};
#define NV (sizeof(VERSIONS) / sizeof(VERSIONS[0]))

int main(int argc, char **argv)
{
	long millions = argc > 1 ? strtol(argv[1], NULL, 10) : 50;
	size_t lens[NV];
	struct timespec t0, t1;
	long long sum = 0;
	unsigned x = 12345;

	if (millions <= 0 || millions > 100000) {
		fprintf(stderr, "usage: vercmp_bench [MILLIONS (1..100000)]\n");
		return 2;
	}
	for (size_t i = 0; i < NV; i++)
		lens[i] = strlen(VERSIONS[i]);
	/* precomputed pair indices, so the timing is of the comparison */
	enum { NPAIRS = 4096 };
	static unsigned short pa[NPAIRS], pb[NPAIRS];
	for (size_t i = 0; i < NPAIRS; i++) {
		x = x * 1103515245u + 12345u;
		pa[i] = (unsigned short)((x >> 16) % NV);
		x = x * 1103515245u + 12345u;
		pb[i] = (unsigned short)((x >> 16) % NV);
	}
	long long n = millions * 1000000LL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long long i = 0; i < n; i++) {
		size_t k = (size_t)i & (NPAIRS - 1);
		sum += vigil_dpkg_cmp(VERSIONS[pa[k]], lens[pa[k]], VERSIONS[pb[k]], lens[pb[k]]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%lld dpkg comparisons in %.3f s: %.1f million/s (checksum %lld)\n", n, secs,
	       (double)n / secs / 1e6, sum);
	return 0;
}
