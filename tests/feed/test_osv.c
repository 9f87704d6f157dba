/* tests/feed/test_osv.c: feed_osv() on the real OSV files of the
 * shared test data: all 4,291 Go vulndb documents (totals of records,
 * affected entries, ranges, events, aliases, links and states, the
 * "stdlib" and "toolchain" modules, the withdrawn ones skipped) and the 9
 * Ubuntu OSV files (UBUNTU-CVE-*, USN-*: namespaces of Ubuntu:X:LTS and
 * Ubuntu:Pro:X:LTS, versions[] lists, Ubuntu priorities and CVSS vectors),
 * with several records checked field by field and every range event in
 * order; a JSON array of documents; the ecosystem mapping (Debian, Alpine,
 * PyPI, Maven, npm...); GHSA severity words; and bad input.
 *
 * Expected totals: python3 over the raw files, with the rules of
 * docs/feeds-alpine-osv-nvd.md (state from the count of fixed events of
 * the non-GIT ranges; a versions[] list is one more range):
 * go-vulndb: 4291 documents, 17 withdrawn, 4274 records, 6106 affected,
 * 6106 ranges, 12869 events, 7928 aliases, 15694 links; states 3043 fixed
 * (exactly one fixed event), 832 affected (several), 2231 not fixed (only
 * introduced); 168 stdlib and 32 toolchain entries. */
#include "helpers.h"
#include "feed_fixture.h"
#include "feed/feed.h"
#include "util/error.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	return feed_fx_setup(state, "osv");
}

static void parse_file(struct feed_fx *f, const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	int rc = feed_osv(&f->ctx, data, n);
	free(data);
	if (rc < 0)
		fail_msg("%s: %s", rel, vigil_error_message());
}

static int parse_text(struct feed_fx *f, const char *text)
{
	reset(f);
	return feed_osv(&f->ctx, text, strlen(text));
}

static const vigil_vuln *find(struct feed_fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->recs[i].id, id))
			return &f->recs[i];
	fail_msg("no record %s", id);
	return NULL;
}

/* Checks the events of a range against "introduced=0 fixed=1.6.0 ...". */
static void check_events(const vigil_range *r, const char *type, const char *want)
{
	static const char *const kinds[] = { "introduced", "fixed", "last_affected", "limit" };
	char got[2048] = "";
	size_t len = 0;
	assert_string_equal(r->type, type);
	for (size_t i = 0; i < r->nevents; i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s=%s", i ? " " : "",
					kinds[r->events[i].kind], r->events[i].version);
	assert_string_equal(got, want);
}

static void check_affected(const vigil_affected *a, const char *ns, const char *pkg, int is_source,
			   const char *scheme, vigil_vuln_state state, const char *fixed, size_t nranges)
{
	assert_string_equal(a->namespace, ns);
	assert_string_equal(a->package, pkg);
	assert_int_equal(a->is_source, is_source);
	assert_string_equal(a->scheme, scheme);
	assert_int_equal(a->state, state);
	if (fixed)
		assert_string_equal(a->fixed, fixed);
	else
		assert_null(a->fixed);
	assert_int_equal(a->nranges, nranges);
}

static void test_go_vulndb(void **state)
{
	struct feed_fx *f = *state;
	const char *dir = th_data_path("feeds/osv/go-vulndb/osv");
	size_t files = 0, affected = 0, ranges = 0, events = 0, aliases = 0, links = 0, stdlib = 0,
	       toolchain = 0, st[5] = { 0 };
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	reset(f);
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".json"))
			continue;
		char rel[512];
		snprintf(rel, sizeof(rel), "feeds/osv/go-vulndb/osv/%s", e->d_name);
		parse_file(f, rel);
		files++;
	}
	closedir(d);
	assert_int_equal(files, 4291);
	assert_int_equal(f->n, 4274); /* 17 withdrawn */
	assert_int_equal(f->warnings, 0);
	for (size_t i = 0; i < f->n; i++) {
		const vigil_vuln *v = &f->recs[i];
		assert_string_equal(v->source, "osv");
		assert_true(v->cvss3_score < 0 && v->cvss2_score < 0);
		assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
		aliases += v->naliases;
		links += v->nlinks;
		for (size_t k = 0; k < v->naffected; k++) {
			const vigil_affected *a = &v->affected[k];
			assert_string_equal(a->namespace, "osv:Go");
			assert_string_equal(a->scheme, "go");
			assert_int_equal(a->is_source, 0);
			st[a->state]++;
			ranges += a->nranges;
			for (size_t r = 0; r < a->nranges; r++) {
				assert_string_equal(a->ranges[r].type, "SEMVER");
				events += a->ranges[r].nevents;
			}
			stdlib += !strcmp(a->package, "stdlib");
			toolchain += !strcmp(a->package, "toolchain");
		}
		affected += v->naffected;
	}
	assert_int_equal(affected, 6106);
	assert_int_equal(ranges, 6106);
	assert_int_equal(events, 12869);
	assert_int_equal(aliases, 7928);
	assert_int_equal(links, 15694);
	assert_int_equal(st[VIGIL_STATE_FIXED], 3043);
	assert_int_equal(st[VIGIL_STATE_AFFECTED], 832);
	assert_int_equal(st[VIGIL_STATE_NOT_FIXED], 2231);
	assert_int_equal(stdlib, 168);
	assert_int_equal(toolchain, 32);

	const vigil_vuln *v = find(f, "GO-2020-0001");
	assert_int_equal(v->naliases, 2);
	assert_string_equal(v->aliases[0], "CVE-2020-36567");
	assert_string_equal(v->aliases[1], "GHSA-6vm3-jj99-7229");
	assert_string_equal(v->summary, "Arbitrary log line injection in github.com/gin-gonic/gin");
	assert_non_null(strstr(v->description, "The default Formatter for the Logger middleware"));
	assert_string_equal(v->published, "2021-04-14T20:04:52Z");
	assert_string_equal(v->modified, "0001-01-01T00:00:00Z");
	assert_int_equal(v->nlinks, 2);
	assert_string_equal(v->links[0], "https://github.com/gin-gonic/gin/pull/2237");
	assert_int_equal(v->naffected, 1);
	check_affected(&v->affected[0], "osv:Go", "github.com/gin-gonic/gin", 0, "go", VIGIL_STATE_FIXED, "1.6.0", 1);
	check_events(&v->affected[0].ranges[0], "SEMVER", "introduced=0 fixed=1.6.0");

	v = find(f, "GO-2025-3373"); /* stdlib, three branches */
	assert_string_equal(v->aliases[0], "CVE-2024-45341");
	assert_int_equal(v->naffected, 1);
	check_affected(&v->affected[0], "osv:Go", "stdlib", 0, "go", VIGIL_STATE_AFFECTED, NULL, 1);
	check_events(&v->affected[0].ranges[0], "SEMVER",
		     "introduced=0 fixed=1.22.11 introduced=1.23.0-0 fixed=1.23.5 introduced=1.24.0-0 fixed=1.24.0-rc.2");
	v = find(f, "GO-2021-0068"); /* toolchain */
	check_affected(&v->affected[0], "osv:Go", "toolchain", 0, "go", VIGIL_STATE_AFFECTED, NULL, 1);
	check_events(&v->affected[0].ranges[0], "SEMVER",
		     "introduced=0 fixed=1.14.14 introduced=1.15.0-0 fixed=1.15.7");
	v = find(f, "GO-2023-2385"); /* three modules without a fix, one fixed */
	assert_int_equal(v->naffected, 4);
	check_affected(&v->affected[0], "osv:Go", "github.com/pubnub/go", 0, "go", VIGIL_STATE_NOT_FIXED, NULL, 1);
	check_events(&v->affected[0].ranges[0], "SEMVER", "introduced=0");
	check_affected(&v->affected[2], "osv:Go", "github.com/pubnub/go/v6", 0, "go", VIGIL_STATE_NOT_FIXED, NULL, 1);
	check_affected(&v->affected[3], "osv:Go", "github.com/pubnub/go/v7", 0, "go", VIGIL_STATE_FIXED, "7.2.0", 1);
	for (size_t i = 0; i < f->n; i++) /* withdrawn */
		assert_string_not_equal(f->recs[i].id, "GO-2022-0617");
}

static const char *const ubuntu_files[] = {
	"main/usn/USN-5614-1.json",
	"main/cve/2020/UBUNTU-CVE-2020-36325.json",
	"main/cve/2026/UBUNTU-CVE-2026-1403.json",
	"main/cve/2013/UBUNTU-CVE-2013-2208.json",
	"main/cve/2016/UBUNTU-CVE-2016-20013.json",
	"main/cve/2021/UBUNTU-CVE-2021-3782.json",
	"osv-esm-cases/cve/2014/UBUNTU-CVE-2014-2901.json",
	"osv-esm-cases/cve/2014/UBUNTU-CVE-2014-9913.json",
	"osv-esm-cases/cve/2022/UBUNTU-CVE-2022-24823.json",
};

static void test_ubuntu(void **state)
{
	struct feed_fx *f = *state;
	size_t affected = 0, ranges = 0, events = 0;
	reset(f);
	for (size_t i = 0; i < sizeof(ubuntu_files) / sizeof(ubuntu_files[0]); i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "feeds/ubuntu/osv/%s", ubuntu_files[i]);
		parse_file(f, rel);
	}
	assert_int_equal(f->n, 6); /* 3 withdrawn */
	assert_int_equal(f->warnings, 0);
	for (size_t i = 0; i < f->n; i++) {
		assert_string_equal(f->recs[i].source, "ubuntu");
		assert_int_equal(f->recs[i].naliases, 1);
		affected += f->recs[i].naffected;
		for (size_t k = 0; k < f->recs[i].naffected; k++) {
			const vigil_affected *a = &f->recs[i].affected[k];
			assert_int_equal(a->is_source, 1);
			assert_string_equal(a->scheme, "dpkg");
			assert_int_equal(strncmp(a->namespace, "ubuntu:", 7), 0);
			ranges += a->nranges;
			for (size_t r = 0; r < a->nranges; r++)
				events += a->ranges[r].nevents;
		}
	}
	assert_int_equal(affected, 30 + 4 + 1 + 3 + 2 + 8);
	assert_int_equal(ranges, 60 + 8 + 2 + 6 + 4 + 16);
	assert_int_equal(events, 276 + 23 + 4 + 16 + 14 + 47);

	const vigil_vuln *v = find(f, "UBUNTU-CVE-2021-3782");
	assert_string_equal(v->aliases[0], "CVE-2021-3782"); /* from "upstream" */
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H");
	assert_int_equal((int)(v->cvss3_score * 10 + 0.5), 66);
	assert_null(v->cvss2_vector);
	assert_string_equal(v->vendor_severity, "medium");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->published, "2022-08-30T20:51:00Z");
	assert_null(v->summary);
	assert_int_equal(v->naffected, 4);
	check_affected(&v->affected[0], "ubuntu:16.04", "wayland", 1, "dpkg", VIGIL_STATE_FIXED,
		       "1.12.0-1~ubuntu16.04.3+esm1", 2); /* Ubuntu:Pro:16.04:LTS */
	check_events(&v->affected[0].ranges[0], "ECOSYSTEM", "introduced=0 fixed=1.12.0-1~ubuntu16.04.3+esm1");
	check_events(&v->affected[0].ranges[1], "VERSIONS",
		     "introduced=1.8.1-1 introduced=1.9.0-1 introduced=1.12.0-1~ubuntu16.04.1 "
		     "introduced=1.12.0-1~ubuntu16.04.2 introduced=1.12.0-1~ubuntu16.04.3");
	check_affected(&v->affected[1], "ubuntu:18.04", "wayland", 1, "dpkg", VIGIL_STATE_FIXED,
		       "1.16.0-1ubuntu1.1~18.04.4", 2);
	check_affected(&v->affected[3], "ubuntu:22.04", "wayland", 1, "dpkg", VIGIL_STATE_FIXED,
		       "1.20.0-1ubuntu0.1", 2);

	v = find(f, "UBUNTU-CVE-2016-20013"); /* Ubuntu's word over the CVSS score */
	assert_int_equal((int)(v->cvss3_score * 10 + 0.5), 75);
	assert_string_equal(v->vendor_severity, "negligible");
	assert_int_equal(v->severity, VIGIL_SEV_NEGLIGIBLE);
	assert_int_equal(v->naffected, 30);
	check_affected(&v->affected[0], "ubuntu:14.04", "eglibc", 1, "dpkg", VIGIL_STATE_NOT_FIXED, NULL, 2);
	check_events(&v->affected[0].ranges[0], "ECOSYSTEM", "introduced=0");

	v = find(f, "UBUNTU-CVE-2014-9913"); /* a CVSS:3.0 vector */
	assert_string_equal(v->cvss3_vector, "CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L");
	assert_int_equal((int)(v->cvss3_score * 10 + 0.5), 40);
	assert_int_equal(v->severity, VIGIL_SEV_NEGLIGIBLE);

	v = find(f, "UBUNTU-CVE-2022-24823");
	assert_int_equal(v->naffected, 8);
	assert_int_equal(v->severity, VIGIL_SEV_LOW);
	check_affected(&v->affected[1], "ubuntu:16.04", "netty", 1, "dpkg", VIGIL_STATE_FIXED,
		       "1:4.0.34-1ubuntu0.1~esm2", 2); /* the epoch is kept */
	check_affected(&v->affected[6], "ubuntu:25.10", "netty", 1, "dpkg", VIGIL_STATE_NOT_FIXED, NULL, 2);
	check_affected(&v->affected[7], "ubuntu:26.04", "netty", 1, "dpkg", VIGIL_STATE_NOT_FIXED, NULL, 2);

	v = find(f, "USN-5614-1");
	assert_string_equal(v->aliases[0], "UBUNTU-CVE-2021-3782");
	assert_non_null(v->summary);
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	assert_null(v->cvss3_vector);
	check_affected(&v->affected[0], "ubuntu:18.04", "wayland", 1, "dpkg", VIGIL_STATE_FIXED,
		       "1.16.0-1ubuntu1.1~18.04.4", 2);
}

static void test_array(void **state)
{
	struct feed_fx *f = *state;
	size_t a, b;
	char *x = th_read_file(th_data_path("feeds/osv/go-vulndb/osv/GO-2020-0001.json"), &a);
	char *y = th_read_file(th_data_path("feeds/ubuntu/osv/main/cve/2021/UBUNTU-CVE-2021-3782.json"), &b);
	assert_true(x && y);
	char *arr = malloc(a + b + 8);
	snprintf(arr, a + b + 8, "[%s,%s]", x, y);
	assert_int_equal(parse_text(f, arr), 0);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->recs[0].id, "GO-2020-0001");
	assert_string_equal(f->recs[0].source, "osv");
	assert_string_equal(f->recs[1].id, "UBUNTU-CVE-2021-3782");
	assert_string_equal(f->recs[1].source, "ubuntu");
	snprintf(arr, a + b + 8, "[%s,%s,7]", x, y);
	assert_int_equal(parse_text(f, arr), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "osv [2]: not a JSON object"));
	assert_int_equal(parse_text(f, "[]"), 0);
	assert_int_equal(f->n, 0);
	free(arr);
	free(x);
	free(y);
}

#define DOC(aff) "{\"id\": \"X-1\", \"affected\": [" aff "]}"
#define PKG(eco, name) "{\"package\": {\"ecosystem\": \"" eco "\", \"name\": \"" name "\"}"

static void test_ecosystems(void **state)
{
	struct feed_fx *f = *state;
	static const struct {
		const char *eco, *ns, *scheme;
		int is_source;
	} map[] = {
		{ "Debian:12", "debian:12", "dpkg", 1 }, { "Debian:bookworm", "debian:12", "dpkg", 1 },
		{ "Alpine:v3.18", "alpine:3.18", "apk", 1 }, { "Ubuntu:22.04:LTS", "ubuntu:22.04", "dpkg", 1 },
		{ "Ubuntu:Pro:18.04:LTS", "ubuntu:18.04", "dpkg", 1 }, { "Ubuntu:25.10", "ubuntu:25.10", "dpkg", 1 },
		{ "Go", "osv:Go", "go", 0 }, { "npm", "osv:npm", "npm", 0 },
		{ "crates.io", "osv:crates.io", "semver", 0 }, { "PyPI", "osv:PyPI", "pep440", 0 },
		{ "Maven", "osv:Maven", "maven", 0 }, { "RubyGems", "osv:RubyGems", "rubygems", 0 },
		{ "Packagist", "osv:Packagist", "composer", 0 }, { "NuGet", "osv:NuGet", "nuget", 0 },
		{ "Rocky Linux:8", "rocky:8", "rpm", 1 }, { "AlmaLinux:9", "almalinux:9", "rpm", 0 },
		{ "Wolfi", "wolfi:rolling", "apk", 1 }, { "Chainguard", "chainguard:rolling", "apk", 1 },
	};
	char doc[512];
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		snprintf(doc, sizeof(doc), DOC("{\"package\": {\"ecosystem\": \"%s\", \"name\": \"p\"}, "
					       "\"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"2\"}]}]}"),
			 map[i].eco);
		assert_int_equal(parse_text(f, doc), 0);
		assert_int_equal(f->n, 1);
		assert_int_equal(f->recs[0].naffected, 1);
		check_affected(&f->recs[0].affected[0], map[i].ns, "p", map[i].is_source, map[i].scheme,
			       VIGIL_STATE_FIXED, "2", 1);
	}
	/* releases vigil does not map: skipped with a warning each */
	assert_int_equal(parse_text(f, DOC(PKG("Ubuntu:Pro:FIPS:22.04:LTS", "a") "}, " PKG("Debian", "b") "}, "
					   PKG("Alpine:edge", "c") "}, " PKG("Debian:sarge", "d") "}, "
					   PKG("Go", "e") "}, {\"ranges\": []}")), 0);
	assert_int_equal(f->warnings, 5);
	assert_int_equal(f->recs[0].naffected, 1);
	assert_string_equal(f->recs[0].affected[0].package, "e");
	assert_int_equal(f->recs[0].affected[0].state, VIGIL_STATE_AFFECTED); /* no range: every version */
}

static void test_states_and_severity(void **state)
{
	struct feed_fx *f = *state;
	/* GHSA: a CVSS v3 vector, a v2 vector and the database_specific word */
	assert_int_equal(parse_text(f, "{\"id\": \"GHSA-aaaa-bbbb-cccc\", \"aliases\": [\"CVE-2021-1\", \"CVE-2021-1\", \"GHSA-aaaa-bbbb-cccc\"],"
				    " \"severity\": [{\"type\": \"CVSS_V4\", \"score\": \"CVSS:4.0/AV:N\"},"
				    " {\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"},"
				    " {\"type\": \"CVSS_V2\", \"score\": \"AV:N/AC:L/Au:N/C:P/I:P/A:P\"}],"
				    " \"database_specific\": {\"severity\": \"MODERATE\"},"
				    " \"affected\": [" PKG("PyPI", "django") ", \"ranges\": ["
				    "{\"type\": \"GIT\", \"repo\": \"r\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"abc\"}]},"
				    "{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"3.0\"}, {\"fixed\": \"3.2.1\"}]}],"
				    " \"versions\": [\"3.0\", \"3.1\"], \"ecosystem_specific\": {\"severity\": \"HIGH\"}},"
				    PKG("PyPI", "old") ", \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"1\"}, {\"last_affected\": \"1.9\"}]}]},"
				    PKG("PyPI", "list") ", \"versions\": [\"0.1\"]},"
				    PKG("PyPI", "lim") ", \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"1\"}, {\"limit\": \"2\"}]}]}]}"), 0);
	assert_int_equal(f->warnings, 0);
	const vigil_vuln *v = &f->recs[0];
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->cvss3_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_int_equal((int)(v->cvss3_score * 10 + 0.5), 98);
	assert_string_equal(v->cvss2_vector, "AV:N/AC:L/Au:N/C:P/I:P/A:P");
	assert_int_equal((int)(v->cvss2_score * 10 + 0.5), 75);
	assert_string_equal(v->vendor_severity, "MODERATE");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	assert_int_equal(v->naffected, 4);
	check_affected(&v->affected[0], "osv:PyPI", "django", 0, "pep440", VIGIL_STATE_FIXED, "3.2.1", 3);
	check_events(&v->affected[0].ranges[0], "GIT", "introduced=0 fixed=abc");
	check_events(&v->affected[0].ranges[2], "VERSIONS", "introduced=3.0 introduced=3.1");
	assert_string_equal(v->affected[0].vendor_severity, "HIGH");
	assert_int_equal(v->affected[0].severity, VIGIL_SEV_HIGH);
	check_affected(&v->affected[1], "osv:PyPI", "old", 0, "pep440", VIGIL_STATE_AFFECTED, NULL, 1);
	check_events(&v->affected[1].ranges[0], "ECOSYSTEM", "introduced=1 last_affected=1.9");
	assert_int_equal(v->affected[1].severity, VIGIL_SEV_UNKNOWN);
	check_affected(&v->affected[2], "osv:PyPI", "list", 0, "pep440", VIGIL_STATE_AFFECTED, NULL, 1);
	check_affected(&v->affected[3], "osv:PyPI", "lim", 0, "pep440", VIGIL_STATE_AFFECTED, NULL, 1);
	/* only a CVSS v2 vector: its own scale */
	assert_int_equal(parse_text(f, "{\"id\": \"A\", \"severity\": [{\"type\": \"CVSS_V2\", \"score\": \"AV:N/AC:L/Au:N/C:C/I:C/A:C\"}]}"), 0);
	assert_int_equal(f->recs[0].severity, VIGIL_SEV_HIGH);
	/* a bad vector is a warning, not an error */
	assert_int_equal(parse_text(f, "{\"id\": \"A\", \"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"CVSS:3.1/AV:N\"}]}"), 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "severity[0]"));
	assert_null(f->recs[0].cvss3_vector);
	assert_true(f->recs[0].cvss3_score < 0);
	/* an event vigil does not know: the entry is skipped, events are never dropped one by one */
	assert_int_equal(parse_text(f, DOC(PKG("Go", "m") ", \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"0\"}, {\"removed\": \"1\"}]}]}")), 0);
	assert_int_equal(f->warnings, 1);
	assert_int_equal(f->recs[0].naffected, 0);
	assert_int_equal(parse_text(f, DOC(PKG("Go", "m") ", \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"introduced\": \"0\", \"fixed\": \"1\"}]}]}")), 0);
	assert_int_equal(f->warnings, 1);
}

static void expect_error(struct feed_fx *f, const char *text, int code, const char *needle)
{
	int rc = parse_text(f, text);
	if (rc != code || !strstr(vigil_error_message(), needle))
		fail_msg("%s: rc %d (expected %d), message \"%s\" (expected \"%s\")", text, rc, code,
			 vigil_error_message(), needle);
}

static void test_bad_input(void **state)
{
	struct feed_fx *f = *state;
	size_t n;
	char *doc = th_read_file(th_data_path("feeds/ubuntu/osv/main/cve/2021/UBUNTU-CVE-2021-3782.json"), &n);
	assert_non_null(doc);
	for (size_t cut = 0; cut < n - 2; cut += 7) /* truncated */
		assert_int_equal(feed_osv(&f->ctx, doc, cut), VIGIL_EFORMAT);
	free(doc);
	expect_error(f, "", VIGIL_EFORMAT, "bad JSON");
	expect_error(f, "\xff\xfe garbage", VIGIL_EFORMAT, "bad JSON");
	expect_error(f, "\"a string\"", VIGIL_EFORMAT, "bad JSON");
	expect_error(f, "[\"a string\"]", VIGIL_EFORMAT, "osv [0]: not a JSON object");
	expect_error(f, "{\"summary\": \"no id\"}", VIGIL_EFORMAT, "id: missing");
	expect_error(f, "{\"id\": 7}", VIGIL_EFORMAT, "id: not a string");
	expect_error(f, "{\"id\": \"A\", \"aliases\": \"CVE-1\"}", VIGIL_EFORMAT, "osv A: aliases: not an array");
	expect_error(f, "{\"id\": \"A\", \"aliases\": [1]}", VIGIL_EFORMAT, "aliases[0]: not a string");
	expect_error(f, "{\"id\": \"A\", \"references\": [{\"url\": 1}]}", VIGIL_EFORMAT, "references[0].url");
	expect_error(f, "{\"id\": \"A\", \"affected\": {}}", VIGIL_EFORMAT, "affected: not an array");
	expect_error(f, DOC("3"), VIGIL_EFORMAT, "affected[0]: not an object");
	expect_error(f, DOC(PKG("Go", "m") ", \"ranges\": [{\"events\": []}]}"), VIGIL_EFORMAT,
		     "affected[0].ranges[0].type: missing");
	expect_error(f, DOC(PKG("Go", "m") ", \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{\"fixed\": 1}]}]}"),
		     VIGIL_EFORMAT, "affected[0].ranges[0].events[0].fixed: not a version string");
	expect_error(f, DOC(PKG("Go", "m") ", \"ranges\": [{\"type\": \"SEMVER\", \"events\": [{}]}]}"),
		     VIGIL_EFORMAT, "events[0]: empty");
	expect_error(f, DOC(PKG("Go", "m") ", \"versions\": [\"1\", null]}"), VIGIL_EFORMAT, "versions[1]");
	expect_error(f, DOC("{\"package\": \"Go\"}"), VIGIL_EFORMAT, "package: not an object");
	expect_error(f, "{\"id\": \"A\", \"severity\": [\"x\"]}", VIGIL_EFORMAT, "severity[0]: not an object");
	expect_error(f, "{\"id\": \"A\", \"id\": \"B\"}", VIGIL_EFORMAT, "duplicate");
	/* the ranges limit */
	size_t cap = 64 + 40 * 1002;
	char *big = malloc(cap);
	size_t len = (size_t)snprintf(big, cap, "{\"id\": \"A\", \"affected\": [" PKG("Go", "m") ", \"ranges\": [");
	for (int i = 0; i <= 1000; i++)
		len += (size_t)snprintf(big + len, cap - len, "%s{\"type\": \"SEMVER\"}", i ? "," : "");
	snprintf(big + len, cap - len, "]}]}");
	expect_error(f, big, VIGIL_ELIMIT, "ranges: 1001 items (limit 1000)");
	free(big);
	/* without a package: skipped with a warning */
	assert_int_equal(parse_text(f, DOC("{\"ranges\": [{\"type\": \"GIT\", \"events\": []}]}")), 0);
	assert_int_equal(f->warnings, 1);
	assert_int_equal(f->recs[0].naffected, 0);
}

static int stop_emit(void *ud, const vigil_vuln *v)
{
	(void)ud;
	(void)v;
	return vigil_error_set(VIGIL_ECANCELED, "stop");
}

static void test_emit_stops(void **state)
{
	struct feed_fx *f = *state;
	f->ctx.emit = stop_emit;
	assert_int_equal(parse_text(f, "[{\"id\": \"A\"}, {\"id\": \"B\"}]"), VIGIL_ECANCELED);
	f->ctx.emit = feed_fx_emit;
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_go_vulndb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ubuntu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_array, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecosystems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_states_and_severity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emit_stops, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
