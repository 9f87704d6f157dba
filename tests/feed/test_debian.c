/* tests/feed/test_debian.c: the Debian security tracker parsers on the
 * shared data: feed_debian_json() on the vunnel excerpt of the tracker
 * JSON, feed_debian_list() on the real DSA and DLA lists (5,406 and
 * 3,534 advisories up to 2023-03), the tracker-format CVE/DSA/DLA lists and
 * the vunnel DSA excerpt. Counts (vulnerabilities, affected entries per
 * state, aliases, warnings) were worked out independently with a Python
 * reading of the files (numbers in the comments), and records are checked
 * field by field. Synthetic inputs cover the no-dsa/ignored/postponed and
 * <tag> mapping, escapes, unknown releases, and bad input: wrong JSON
 * types, truncations at many offsets, garbage, NUL, invalid UTF-8, nesting
 * and size limits, and a failing emit callback. */
#include "helpers.h"
#include "feed/feed.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEPT 64

struct fx {
	vigil_arena *arena;
	vigil_intern *strings;
	vigil_feed_ctx ctx;
	vigil_vuln kept[MAX_KEPT];
	size_t nvulns, naffected, naliases, nempty, per_state[5];
	int warnings;
	char last_warning[1024];
	int emit_rc;
};

static void on_warn(void *ud, const char *msg)
{
	struct fx *f = ud;
	f->warnings++;
	snprintf(f->last_warning, sizeof(f->last_warning), "%s", msg);
}

static int on_emit(void *ud, const vigil_vuln *v)
{
	struct fx *f = ud;
	if (f->nvulns < MAX_KEPT)
		f->kept[f->nvulns] = *v; /* arrays and strings live in the arena */
	f->nvulns++;
	f->naffected += v->naffected;
	f->naliases += v->naliases;
	f->nempty += v->naffected == 0;
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		assert_true(strncmp(a->namespace, "debian:", 7) == 0);
		assert_int_equal(a->is_source, 1);
		assert_string_equal(a->scheme, "dpkg");
		assert_true(a->state == VIGIL_STATE_FIXED ? a->fixed != NULL : a->fixed == NULL);
		f->per_state[a->state]++;
	}
	assert_string_equal(v->source, "debian");
	assert_true(v->nlinks >= 1);
	assert_true(strncmp(v->links[0], "https://security-tracker.debian.org/tracker/", 44) == 0);
	return f->emit_rc;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->arena = vigil_arena_new(0);
	f->strings = vigil_intern_new(f->arena);
	f->ctx = (vigil_feed_ctx){ .arena = f->arena, .strings = f->strings, .file = "test",
				   .emit = on_emit, .emit_ud = f, .warn = on_warn, .warn_ud = f };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	vigil_intern_free(f->strings);
	vigil_arena_free(f->arena);
	free(f);
	return 0;
}

static void reset(struct fx *f)
{
	f->nvulns = f->naffected = f->naliases = f->nempty = 0;
	memset(f->per_state, 0, sizeof(f->per_state));
	f->warnings = 0;
	f->last_warning[0] = '\0';
}

typedef int (*parser_fn)(vigil_feed_ctx *, const char *, size_t);

static int parse_text(struct fx *f, parser_fn fn, const char *text)
{
	reset(f);
	return fn(&f->ctx, text, strlen(text));
}

static void parse_file(struct fx *f, parser_fn fn, const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	if (!data)
		fail_msg("cannot read %s", rel);
	reset(f);
	if (fn(&f->ctx, data, n) != 0)
		fail_msg("%s: %s", rel, vigil_error_message());
	free(data);
}

static const vigil_vuln *vuln(struct fx *f, const char *id, size_t nth)
{
	for (size_t i = 0; i < f->nvulns && i < MAX_KEPT; i++)
		if (strcmp(f->kept[i].id, id) == 0 && nth-- == 0)
			return &f->kept[i];
	fail_msg("no %s", id);
	return NULL;
}

static const vigil_affected *aff(const vigil_vuln *v, const char *ns, const char *pkg,
				 vigil_vuln_state state, const char *fixed)
{
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		if (strcmp(a->namespace, ns) != 0 || strcmp(a->package, pkg) != 0)
			continue;
		if (a->state != state)
			fail_msg("%s %s %s: %s, expected %s", v->id, ns, pkg, vigil_vuln_state_name(a->state),
				 vigil_vuln_state_name(state));
		if (fixed)
			assert_string_equal(a->fixed, fixed);
		else
			assert_null(a->fixed);
		return a;
	}
	fail_msg("%s: no %s %s", v->id, ns, pkg);
	return NULL;
}

/* ---- JSON ---- */

/* Python: 6 (package, CVE) pairs with releases (chromium-browser's
 * CVE-2022-0358 has "releases": []), 25 releases: fixed 19, not-affected
 * 4 (fixed_version "0"), will-not-fix 2 (open, urgency end-of-life). */
static void test_json_fixture(void **state)
{
	struct fx *f = *state;
	parse_file(f, feed_debian_json, "feeds/debian/vunnel-fixture/debian.json");
	assert_int_equal(f->nvulns, 6);
	assert_int_equal(f->naffected, 25);
	assert_int_equal(f->per_state[VIGIL_STATE_FIXED], 19);
	assert_int_equal(f->per_state[VIGIL_STATE_NOT_AFFECTED], 4);
	assert_int_equal(f->per_state[VIGIL_STATE_WILL_NOT_FIX], 2);
	assert_int_equal(f->warnings, 0);

	const vigil_vuln *v = &f->kept[0];
	assert_string_equal(v->id, "CVE-2008-7220");
	assert_true(strncmp(v->description, "Unspecified vulnerability in Prototype JavaScript framework", 59) == 0);
	assert_string_equal(v->vendor_severity, "high**");
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	assert_int_equal(v->nlinks, 2);
	assert_string_equal(v->links[0], "https://security-tracker.debian.org/tracker/CVE-2008-7220");
	assert_string_equal(v->links[1], "https://bugs.debian.org/555217");
	assert_null(v->published);
	assert_true(v->cvss3_score < 0);
	assert_int_equal(v->naffected, 4);
	const vigil_affected *a = aff(v, "debian:9", "prototypejs", VIGIL_STATE_FIXED, "1.6.0.2-1");
	assert_string_equal(a->vendor_severity, "high**");
	assert_int_equal(a->severity, VIGIL_SEV_HIGH);
	aff(v, "debian:unstable", "prototypejs", VIGIL_STATE_FIXED, "1.6.0.2-1");

	v = vuln(f, "CVE-2007-2383", 0);
	assert_int_equal(v->severity, VIGIL_SEV_NEGLIGIBLE);
	a = aff(v, "debian:10", "prototypejs", VIGIL_STATE_NOT_AFFECTED, NULL);
	assert_string_equal(a->vendor_severity, "unimportant");

	v = vuln(f, "CVE-2005-3111", 0);
	assert_int_equal(v->nlinks, 1); /* no debianbug */
	aff(v, "debian:8", "backupninja", VIGIL_STATE_FIXED, "0.8-2");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);

	v = vuln(f, "CVE-2022-0456", 0);
	assert_null(v->description);
	assert_string_equal(v->vendor_severity, "not yet assigned");
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	aff(v, "debian:12", "chromium", VIGIL_STATE_FIXED, "98.0.4758.80-1");
	aff(v, "debian:11", "chromium", VIGIL_STATE_FIXED, "98.0.4758.80-1~deb11u1");
	a = aff(v, "debian:10", "chromium", VIGIL_STATE_WILL_NOT_FIX, NULL);
	assert_string_equal(a->vendor_severity, "end-of-life");
	assert_int_equal(a->severity, VIGIL_SEV_UNKNOWN);
	aff(v, "debian:9", "chromium", VIGIL_STATE_WILL_NOT_FIX, NULL);

	v = vuln(f, "CVE-2025-53603", 0);
	aff(v, "debian:13", "sope", VIGIL_STATE_FIXED, "5.12.1-2");
	aff(v, "debian:12", "sope", VIGIL_STATE_FIXED, "5.8.0-1+deb12u1");
	assert_string_equal(v->links[1], "https://bugs.debian.org/1108798");
}

static void test_json_states(void **state)
{
	struct fx *f = *state;
	int rc = parse_text(f, feed_debian_json,
			    " {\"pkg\\u002da\": {\"CVE-2099-1\": {\"description\": \"d\\u00e9j\\u00e0\", \"releases\": {"
			    "\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"\"},"
			    "\"bullseye\": {\"status\": \"open\", \"nodsa\": \"Minor issue\", \"nodsa_reason\": \"postponed\"},"
			    "\"buster\": {\"status\": \"open\", \"nodsa\": \"x\", \"nodsa_reason\": \"ignored\"},"
			    "\"trixie\": {\"status\": \"undetermined\", \"urgency\": null},"
			    "\"sid\": {\"status\": \"open\", \"urgency\": \"medium**\"},"
			    "\"experimental\": {\"status\": \"open\"}, \"woody\": {\"status\": \"open\"},"
			    "\"woody2\": {\"status\": \"open\"}, \"experimental \": {\"status\": \"open\"},"
			    "\"stretch\": {\"status\": \"resolved\"}, \"jessie\": {\"status\": \"weird\"}}},"
			    "\"CVE-2099-2\": {\"releases\": {}}},"
			    "\"empty\": {}, \"other\": {\"CVE-2099-1\": {\"releases\": {\"sid\": {\"status\": \"resolved\", \"fixed_version\": \"1:2-3\"}}}}}\n");
	assert_int_equal(rc, 0);
	assert_int_equal(f->nvulns, 2);
	const vigil_vuln *v = &f->kept[0];
	assert_string_equal(v->id, "CVE-2099-1");
	assert_string_equal(v->description, "d\xc3\xa9j\xc3\xa0");
	assert_int_equal(v->naffected, 5);
	aff(v, "debian:12", "pkg-a", VIGIL_STATE_WILL_NOT_FIX, NULL); /* <no-dsa> */
	aff(v, "debian:11", "pkg-a", VIGIL_STATE_NOT_FIXED, NULL);    /* <postponed> */
	aff(v, "debian:10", "pkg-a", VIGIL_STATE_WILL_NOT_FIX, NULL); /* <ignored> */
	aff(v, "debian:13", "pkg-a", VIGIL_STATE_NOT_FIXED, NULL);    /* undetermined */
	const vigil_affected *a = aff(v, "debian:unstable", "pkg-a", VIGIL_STATE_NOT_FIXED, NULL);
	assert_int_equal(a->severity, VIGIL_SEV_MEDIUM);
	assert_string_equal(v->vendor_severity, "medium**");
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);
	/* stretch without fixed_version, jessie's status, then one per unknown release */
	assert_int_equal(f->warnings, 2 + 4);
	aff(&f->kept[1], "debian:unstable", "other", VIGIL_STATE_FIXED, "1:2-3");
	assert_int_equal(parse_text(f, feed_debian_json, "{}"), 0);
	assert_int_equal(f->nvulns, 0);
}

static void expect_json_error(struct fx *f, const char *text, int code, const char *words)
{
	int rc = parse_text(f, feed_debian_json, text);
	if (rc != code)
		fail_msg("%s: %d (%s), expected %d", text, rc, vigil_error_message(), code);
	if (words && !strstr(vigil_error_message(), words))
		fail_msg("%s: message '%s' lacks '%s'", text, vigil_error_message(), words);
}

static void test_json_bad(void **state)
{
	struct fx *f = *state;
	expect_json_error(f, "", VIGIL_EFORMAT, "not a JSON object");
	expect_json_error(f, "[]", VIGIL_EFORMAT, "not a JSON object");
	expect_json_error(f, "{", VIGIL_EFORMAT, "package name expected");
	expect_json_error(f, "{\"a\"", VIGIL_EFORMAT, "':' expected");
	expect_json_error(f, "{\"a\": ", VIGIL_EFORMAT, "value expected");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {}}", VIGIL_EFORMAT, "',' or '}'");
	expect_json_error(f, "{\"a\": {\"b\": \"unterminated", VIGIL_EFORMAT, "unterminated string");
	expect_json_error(f, "{\"a\": {\"b\": [", VIGIL_EFORMAT, "truncated");
	expect_json_error(f, "{\"a\": 5}", VIGIL_EFORMAT, "package a");
	expect_json_error(f, "{\"a\": [1]}", VIGIL_EFORMAT, "not an object");
	expect_json_error(f, "{\"a\": {\"CVE-1\": 5}}", VIGIL_EFORMAT, "a/CVE-1: not an object");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {\"description\": 5}}}", VIGIL_EFORMAT, "description");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {\"releases\": 7}}}", VIGIL_EFORMAT, "releases");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {\"releases\": [1]}}}", VIGIL_EFORMAT, "releases");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {\"releases\": {\"sid\": 3}}}}", VIGIL_EFORMAT, "a/CVE-1/sid");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {\"releases\": {\"sid\": {\"status\": 5}}}}}", VIGIL_EFORMAT,
			  "sid.status: not a string");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {\"releases\": {\"sid\": {\"status\": \"open\", \"urgency\": []}}}}}",
			  VIGIL_EFORMAT, "urgency");
	expect_json_error(f, "{\"a\": {}} x", VIGIL_EFORMAT, "data after the document");
	expect_json_error(f, "{\"a\": {}, }", VIGIL_EFORMAT, "package name expected");
	expect_json_error(f, "{\"\": {}}", VIGIL_EFORMAT, "bad package name");
	expect_json_error(f, "{\"a\\u0000b\": {}}", VIGIL_EFORMAT, "bad package name");
	expect_json_error(f, "{\"a\": {\"CVE-1\": {\"x\": tru}}}", VIGIL_EFORMAT, "line 1");
	expect_json_error(f, "{\"a\": {\"CVE-1\": \"\xff\xfe\"}}", VIGIL_EFORMAT, "package a");
	expect_json_error(f, "{\n\"a\": {\n\"CVE-1\": {\n}\n]\n}", VIGIL_EFORMAT, "line 5");

	char *deep = malloc(4096), *p = deep;
	p += snprintf(p, 64, "{\"a\": ");
	for (int i = 0; i < 200; i++)
		*p++ = '[';
	*p = '\0';
	expect_json_error(f, deep, VIGIL_ELIMIT, "nesting");
	free(deep);

	char *longkey = malloc(1024);
	memset(longkey, 'k', 1023);
	longkey[0] = '{';
	longkey[1] = '"';
	memcpy(longkey + 1000, "\": {}}", 7);
	expect_json_error(f, longkey, VIGIL_EFORMAT, "too long");
	free(longkey);

	/* every truncation of the fixture fails cleanly (or, cut at the very
	 * end of the document, parses) */
	size_t n;
	char *data = th_read_file(th_data_path("feeds/debian/vunnel-fixture/debian.json"), &n);
	assert_non_null(data);
	for (size_t cut = 0; cut < n; cut += 3) {
		reset(f);
		int rc = feed_debian_json(&f->ctx, data, cut);
		assert_true(rc == VIGIL_EFORMAT || (rc == 0 && cut + 2 >= n));
	}
	/* the emit callback's error stops the parse at the first vulnerability */
	f->emit_rc = VIGIL_ECANCELED;
	reset(f);
	assert_int_equal(feed_debian_json(&f->ctx, data, n), VIGIL_ECANCELED);
	assert_int_equal(f->nvulns, 1);
	f->emit_rc = 0;
	free(data);
}

/* ---- lists ---- */

/* Python over DSA-list: 5406 advisories (2099 of them with no affected
 * entry of a known release), 4158 affected entries (fixed 4154,
 * will-not-fix 4: <end-of-life>), 18128 aliases; releases woody (852
 * lines), sarge (712), etch (678), lenny (588) unmapped: 4 warnings. */
static void test_dsa_list(void **state)
{
	struct fx *f = *state;
	parse_file(f, feed_debian_list, "feeds/debian/tracker-lists/DSA-list");
	assert_int_equal(f->nvulns, 5406);
	assert_int_equal(f->nempty, 2099);
	assert_int_equal(f->naffected, 4158);
	assert_int_equal(f->per_state[VIGIL_STATE_FIXED], 4154);
	assert_int_equal(f->per_state[VIGIL_STATE_WILL_NOT_FIX], 4);
	assert_int_equal(f->naliases, 18128);
	assert_int_equal(f->warnings, 4);

	const vigil_vuln *v = &f->kept[0]; /* the newest comes first */
	assert_string_equal(v->id, "DSA-5380-1");
	assert_string_equal(v->published, "2023-03-29");
	assert_string_equal(v->summary, "xorg-server - security update");
	assert_int_equal(v->naliases, 1);
	assert_string_equal(v->aliases[0], "CVE-2023-1393");
	assert_int_equal(v->naffected, 1);
	aff(v, "debian:11", "xorg-server", VIGIL_STATE_FIXED, "2:1.20.11-1+deb11u6");
	assert_string_equal(v->links[0], "https://security-tracker.debian.org/tracker/DSA-5380-1");
	v = vuln(f, "DSA-5372-1", 0); /* rails, 10 CVEs */
	assert_int_equal(v->naliases, 10);
	assert_string_equal(v->aliases[9], "CVE-2023-22796");
	aff(v, "debian:11", "rails", VIGIL_STATE_FIXED, "2:6.0.3.7+dfsg-2+deb11u1");
	assert_null(v->vendor_severity);
	assert_int_equal(v->severity, VIGIL_SEV_UNKNOWN);
	v = vuln(f, "DSA-5356-2", 0); /* a regression update lists no CVE */
	assert_int_equal(v->naliases, 0);
	aff(v, "debian:11", "sox", VIGIL_STATE_FIXED, "14.4.2+git20190427-2+deb11u2");
}

/* Python over DLA-list: 3534 advisories (4 without entries), 3535 affected
 * entries (fixed 3534, will-not-fix 1), 11002 aliases, no warning. */
static void test_dla_list(void **state)
{
	struct fx *f = *state;
	parse_file(f, feed_debian_list, "feeds/debian/tracker-lists/DLA-list");
	assert_int_equal(f->nvulns, 3534);
	assert_int_equal(f->nempty, 4);
	assert_int_equal(f->naffected, 3535);
	assert_int_equal(f->per_state[VIGIL_STATE_FIXED], 3534);
	assert_int_equal(f->per_state[VIGIL_STATE_WILL_NOT_FIX], 1);
	assert_int_equal(f->naliases, 11002);
	assert_int_equal(f->warnings, 0);
	const vigil_vuln *v = &f->kept[0];
	assert_string_equal(v->id, "DLA-3380-1");
	assert_string_equal(v->published, "2023-04-01");
	assert_int_equal(v->naliases, 11);
	assert_string_equal(v->aliases[0], "CVE-2020-12362");
	aff(v, "debian:10", "firmware-nonfree", VIGIL_STATE_FIXED, "20190114+really20220913-0+deb10u1");
}

static void test_source_format_lists(void **state)
{
	struct fx *f = *state;
	/* CVE/list: two CVE-2023-XXXX placeholders (warned), a TODO and a
	 * NOT-FOR-US entry without packages, ant and putty */
	parse_file(f, feed_debian_list, "feeds/debian/tracker-source-format/data/CVE/list");
	assert_int_equal(f->nvulns, 2);
	assert_int_equal(f->warnings, 2);
	const vigil_vuln *v = vuln(f, "CVE-2021-36373", 0);
	assert_true(strncmp(v->description, "When reading a specially crafted TAR archive", 44) == 0);
	assert_int_equal(v->naliases, 0);
	assert_null(v->published);
	const vigil_affected *a = aff(v, "debian:unstable", "ant", VIGIL_STATE_NOT_FIXED, NULL);
	assert_string_equal(a->vendor_severity, "unimportant");
	assert_int_equal(a->severity, VIGIL_SEV_NEGLIGIBLE);
	v = vuln(f, "CVE-2021-36367", 0);
	assert_string_equal(v->description,
			    "PuTTY through 0.75 proceeds with establishing an SSH session even if i ...");
	assert_int_equal(v->naffected, 3);
	a = aff(v, "debian:unstable", "putty", VIGIL_STATE_FIXED, "0.75-3");
	assert_string_equal(a->vendor_severity, "low");
	a = aff(v, "debian:11", "putty", VIGIL_STATE_WILL_NOT_FIX, NULL); /* <no-dsa> (Minor issue) */
	assert_null(a->vendor_severity);
	aff(v, "debian:10", "putty", VIGIL_STATE_WILL_NOT_FIX, NULL);
	assert_int_equal(v->severity, VIGIL_SEV_LOW);

	/* DLA/list: one good entry, then "[19 Jul 2021] MALFORMED HEADER" */
	parse_file(f, feed_debian_list, "feeds/debian/tracker-source-format/data/DLA/list");
	assert_int_equal(f->nvulns, 1);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "line 4"));
	v = vuln(f, "DLA-2711-1", 0);
	assert_int_equal(v->naliases, 4);
	aff(v, "debian:9", "thunderbird", VIGIL_STATE_FIXED, "1:78.12.0-1~deb9u1");

	parse_file(f, feed_debian_list, "feeds/debian/tracker-source-format/data/DSA/list");
	assert_int_equal(f->nvulns, 1);
	v = vuln(f, "DSA-4480-1", 0);
	assert_string_equal(v->published, "2019-07-11");
	aff(v, "debian:9", "redis", VIGIL_STATE_FIXED, "3:3.2.6-3+deb9u3");
	aff(v, "debian:10", "redis", VIGIL_STATE_FIXED, "5:5.0.3-4+deb10u1");

	/* vunnel's DSA excerpt: 10 advisories, woody (5 lines) unmapped */
	parse_file(f, feed_debian_list, "feeds/debian/vunnel-fixture/DSA");
	assert_int_equal(f->nvulns, 10);
	assert_int_equal(f->naffected, 4);
	assert_int_equal(f->nempty, 7);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "'woody'"));
	v = vuln(f, "DSA-141", 0);
	assert_string_equal(v->published, "2002-08-01");
	assert_string_equal(v->aliases[0], "CVE-2002-1425");
	assert_int_equal(v->naffected, 0);
	v = vuln(f, "DSA-2808-2", 0);
	aff(v, "debian:6", "openjpeg", VIGIL_STATE_FIXED, "1.3+dfsg-4+squeeze3");
	aff(v, "debian:7", "openjpeg", VIGIL_STATE_FIXED, "1.3+dfsg-4.8");
	v = vuln(f, "DSA-5970-1", 0);
	aff(v, "debian:12", "sope", VIGIL_STATE_FIXED, "5.8.0-1+deb12u1");
}

static void test_list_synthetic(void **state)
{
	struct fx *f = *state;
	int rc = parse_text(f, feed_debian_list,
			    "[02 Jan 2024] DLA-9-1 foo - security update\r\n"
			    "\t{CVE-2024-1 CVE-2024-2}\r\n"
			    "\t[bookworm] - foo 1.0-1+deb12u1 (bug #1; high)\r\n"
			    "\t[bullseye] - foo <not-affected> (Vulnerable code not present)\r\n"
			    "\tNOTE: a note\r\n"
			    "CVE-2024-0001 (A description ...)\n"
			    "\t{DSA-9-1}\n"
			    "\t- foo 1.0-2 (medium; bug #2)\n"
			    "\t[bookworm] - foo <postponed> (Minor issue)\n"
			    "\t[bullseye] - foo <ignored> (Minor issue)\n"
			    "\t[buster] - foo <end-of-life> (EOL)\n"
			    "\t[stretch] - foo <unfixed> (low)\n"
			    "\t[jessie] - foo <undetermined>\n"
			    "\t[trixie] - foo <removed>\n"
			    "\t[forky] - foo <itp> (bug #3)\n"
			    "\t[wheezy] - foo <frobbed>\n"
			    "\t[squeeze] - foo <broken\n"
			    "\t[sid] - foo\n"
			    "\t[potato] - foo 1.0\n"
			    "\t- \n"
			    "CVE-2024-0002\n\tREJECTED\n\t- foo 1.0\n"
			    "CVE-2024-0003\n\tNOT-FOR-US: Something else\n"
			    "CVE-2024-0004\n\tRESERVED\n"
			    "[32 Foo 2024] DSA-10-1 bar\n\t[bookworm] - bar 2.0\n"
			    "cve-bad header\n\t- ignored 1.0\n");
	assert_int_equal(rc, 0);
	assert_int_equal(f->nvulns, 3);
	const vigil_vuln *v = &f->kept[0];
	assert_string_equal(v->id, "DLA-9-1");
	assert_string_equal(v->published, "2024-01-02");
	assert_int_equal(v->naliases, 2);
	assert_int_equal(v->severity, VIGIL_SEV_HIGH);
	const vigil_affected *a = aff(v, "debian:12", "foo", VIGIL_STATE_FIXED, "1.0-1+deb12u1");
	assert_string_equal(a->vendor_severity, "high");
	aff(v, "debian:11", "foo", VIGIL_STATE_NOT_AFFECTED, NULL);

	v = &f->kept[1];
	assert_string_equal(v->id, "CVE-2024-0001");
	assert_string_equal(v->description, "A description ...");
	assert_int_equal(v->naliases, 0);
	assert_int_equal(v->naffected, 7);
	aff(v, "debian:unstable", "foo", VIGIL_STATE_FIXED, "1.0-2");
	aff(v, "debian:12", "foo", VIGIL_STATE_NOT_FIXED, NULL);
	aff(v, "debian:11", "foo", VIGIL_STATE_WILL_NOT_FIX, NULL);
	aff(v, "debian:10", "foo", VIGIL_STATE_WILL_NOT_FIX, NULL);
	a = aff(v, "debian:9", "foo", VIGIL_STATE_NOT_FIXED, NULL);
	assert_string_equal(a->vendor_severity, "low");
	aff(v, "debian:8", "foo", VIGIL_STATE_NOT_FIXED, NULL);
	aff(v, "debian:13", "foo", VIGIL_STATE_NOT_FIXED, NULL);
	assert_int_equal(v->severity, VIGIL_SEV_MEDIUM);

	v = &f->kept[2];
	assert_string_equal(v->id, "DSA-10-1");
	assert_null(v->published);
	assert_string_equal(v->summary, "bar");
	/* <frobbed>, '<' without '>', [sid] without version, "- " without
	 * package, the bad date, the bad header, then potato unmapped */
	assert_int_equal(f->warnings, 7);
	assert_non_null(strstr(f->last_warning, "'potato'"));

	assert_int_equal(parse_text(f, feed_debian_list, ""), 0);
	assert_int_equal(f->nvulns, 0);
	assert_int_equal(parse_text(f, feed_debian_list, "\t- orphan 1.0\n\n"), 0);
	assert_int_equal(f->nvulns, 0);
}

static void test_list_bad(void **state)
{
	struct fx *f = *state;
	assert_int_equal(feed_debian_list(&f->ctx, "CVE-2024-1\n\0", 12), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 2: NUL"));
	assert_int_equal(parse_text(f, feed_debian_list, "CVE-2024-1\n\t- a 1\n\t- b \xc0\xaf\n"),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "line 3: invalid UTF-8"));

	size_t cap = 1024 * 1024, len;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len = (size_t)snprintf(buf, cap, "[01 Jan 2024] DSA-1-1 x\n");
	for (int i = 0; i <= VIGIL_FEED_MAX_REFS; i++)
		len += (size_t)snprintf(buf + len, cap - len, "\t{CVE-2024-%d}\n", i);
	assert_int_equal(feed_debian_list(&f->ctx, buf, len), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "aliases"));
	memset(buf, 'x', cap);
	assert_int_equal(feed_debian_list(&f->ctx, buf, cap), VIGIL_ELIMIT);
	assert_non_null(strstr(vigil_error_message(), "line 1"));
	free(buf);

	/* truncations of the real DSA list, and garbage, parse or fail cleanly */
	size_t n;
	char *data = th_read_file(th_data_path("feeds/debian/tracker-lists/DSA-list"), &n);
	assert_non_null(data);
	for (size_t cut = 1; cut < 4000; cut += 13) {
		reset(f);
		assert_int_equal(feed_debian_list(&f->ctx, data, cut), 0);
	}
	static const char alphabet[] = "[]{}<>-();# \t\n\nCVE-2024-1 DSA-1-1 abc";
	for (size_t i = 0; i < 4000; i++)
		data[i] = alphabet[(i * 7919 + i / 7) % (sizeof(alphabet) - 1)];
	reset(f);
	assert_int_equal(feed_debian_list(&f->ctx, data, 4000), 0);
	f->emit_rc = VIGIL_ECANCELED;
	reset(f);
	assert_int_equal(feed_debian_list(&f->ctx, data, n), VIGIL_ECANCELED);
	assert_int_equal(f->nvulns, 1);
	f->emit_rc = 0;
	free(data);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_fixture, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_states, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dsa_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dla_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_format_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_synthetic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_bad, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
