/* tests/scanner/test_rpm_built.c: the rpm header decoder and the database
 * readers against headers and databases built here byte by byte to reach
 * every check (bad sizes, offsets, regions, loops, checksums, garbage), and
 * real databases shaken (every truncation, many flipped bytes). With
 * VIGIL_RPM_CORPUS_DIR set, the built inputs are also written there as seeds
 * for the fuzz targets (fuzz/corpus/fuzz_rpm_{header,bdb,ndb}). */
#include "rpm_fx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { T_INT32 = 4, T_INT64 = 5, T_STRING = 6, T_BIN = 7 };


static void put32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[be ? i : 3 - i] = (uint8_t)(v >> (24 - 8 * i));
}

static void put16(uint8_t *p, uint32_t v, bool be)
{
	p[be ? 0 : 1] = (uint8_t)(v >> 8);
	p[be ? 1 : 0] = (uint8_t)v;
}

/* Writes a built input to $VIGIL_RPM_CORPUS_DIR/<target>/<name> when set. */
static void seed(const char *target, const char *name, const uint8_t *p, size_t n)
{
	const char *dir = getenv("VIGIL_RPM_CORPUS_DIR");
	char path[4096];
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(p, 1, n, f);
		fclose(f);
	}
}

struct hb {
	uint8_t idx[32 * 16];
	uint8_t data[4096];
	uint32_t il, dl;
	bool region;
};

static void hb_init(struct hb *h, bool region)
{
	memset(h, 0, sizeof(*h));
	h->region = region;
	h->il = region; /* entry 0 is the region tag */
}

static void hb_add(struct hb *h, uint32_t tag, uint32_t type, uint32_t count, const void *val,
		   size_t len)
{
	uint32_t align = type == T_INT32 ? 4 : type == T_INT64 ? 8 : 1;
	while (h->dl % align)
		h->data[h->dl++] = 0;
	uint8_t *e = h->idx + 16 * h->il++;
	put32(e, tag, true);
	put32(e + 4, type, true);
	put32(e + 8, h->dl, true);
	put32(e + 12, count, true);
	memcpy(h->data + h->dl, val, len);
	h->dl += (uint32_t)len;
}

static void hb_str(struct hb *h, uint32_t tag, const char *s)
{
	hb_add(h, tag, T_STRING, 1, s, strlen(s) + 1);
}

static void hb_i32(struct hb *h, uint32_t tag, uint32_t v)
{
	uint8_t b[4];
	put32(b, v, true);
	hb_add(h, tag, T_INT32, 1, b, 4);
}

/* Closes the region (entry 0 is HEADERIMMUTABLE, its trailer follows the
 * data) when there is one and writes the blob; returns its length. */
static size_t hb_finish(struct hb *h, uint8_t *out)
{
	if (h->region) {
		uint8_t *e = h->idx, *t = h->data + h->dl;
		put32(e, 63, true);
		put32(e + 4, T_BIN, true);
		put32(e + 8, h->dl, true);
		put32(e + 12, 16, true);
		put32(t, 63, true);
		put32(t + 4, T_BIN, true);
		put32(t + 8, (uint32_t)0 - h->il * 16, true);
		put32(t + 12, 16, true);
		h->dl += 16;
	}
	put32(out, h->il, true);
	put32(out + 4, h->dl, true);
	memcpy(out + 8, h->idx, 16 * (size_t)h->il);
	memcpy(out + 8 + 16 * (size_t)h->il, h->data, h->dl);
	return 8 + 16 * (size_t)h->il + h->dl;
}

static const uint8_t test_md5[16] = { 0xc1, 0xe5, 0x61, 0xf1, 0x3d, 0x39, 0xae, 0xe4,
				      0x43, 0xa1, 0xf0, 0x02, 0x58, 0xfb, 0xa0, 0x00 };

/* A header as rpm writes one (region, then the tags a scanner reads), its
 * LICENSE padded with pad bytes; epoch < 0: no EPOCH tag. */
static size_t make_header(uint8_t *out, const char *name, long epoch, size_t pad)
{
	struct hb h;
	char lic[2048] = "BSD";
	hb_init(&h, true);
	hb_add(&h, 261, T_BIN, 16, test_md5, 16);
	hb_str(&h, 1000, name);
	hb_str(&h, 1001, "2.32.1");
	hb_str(&h, 1002, "42.el8_8");
	if (epoch >= 0)
		hb_i32(&h, 1003, (uint32_t)epoch);
	hb_i32(&h, 1009, 35104);
	hb_str(&h, 1011, "Vigil Test");
	memset(lic + 3, 'L', pad);
	lic[3 + pad] = '\0';
	hb_str(&h, 1014, lic);
	hb_str(&h, 1015, "Packager <p@example.org>");
	hb_str(&h, 1022, "x86_64");
	hb_str(&h, 1044, "util-linux-2.32.1-42.el8_8.src.rpm");
	hb_str(&h, 5096, "nodejs:18:8080020230511213720:9edba152");
	return hb_finish(&h, out);
}

#define BDB_PS 512

/* A one-bucket hash database in either byte order: rpm's record 0, then
 * blob as header 1, on a chain of overflow pages or on the hash page itself
 * (inline). Returns its size. */
static size_t make_bdb(uint8_t *out, size_t cap, const uint8_t *blob, size_t blen, bool be,
		       bool inline_value)
{
	static const uint8_t k0[5] = { 1, 0, 0, 0, 0 }, v0[5] = { 1, 2, 0, 0, 0 },
			     k1[5] = { 1, 1, 0, 0, 0 };
	size_t per = BDB_PS - 26, novf = inline_value ? 0 : (blen + per - 1) / per;
	uint32_t last = 1 + (uint32_t)novf, off = BDB_PS;
	size_t size = (size_t)(last + 1) * BDB_PS;
	assert_true(size <= cap);
	memset(out, 0, size);
	put32(out + 12, 0x061561, be);
	put32(out + 16, 9, be);
	put32(out + 20, BDB_PS, be);
	out[25] = 8;
	put32(out + 32, last, be);
	put32(out + 96, 1, be); /* spares[0]: bucket 0 is page 1 */
	uint8_t *pg = out + BDB_PS;
	put32(pg + 8, 1, be);
	put16(pg + 20, 4, be);
	pg[25] = 13;
	off -= 5, memcpy(pg + off, k0, 5), put16(pg + 26, off, be);
	off -= 5, memcpy(pg + off, v0, 5), put16(pg + 28, off, be);
	off -= 5, memcpy(pg + off, k1, 5), put16(pg + 30, off, be);
	if (inline_value) {
		off -= (uint32_t)blen + 1;
		pg[off] = 1;
		memcpy(pg + off + 1, blob, blen);
	} else {
		off -= 12;
		pg[off] = 3;
		put32(pg + off + 4, 2, be);
		put32(pg + off + 8, (uint32_t)blen, be);
	}
	put16(pg + 32, off, be);
	put16(pg + 22, off, be);
	for (size_t i = 0; i < novf; i++) {
		uint8_t *o = out + (2 + i) * BDB_PS;
		size_t n = blen - i * per < per ? blen - i * per : per;
		put32(o + 8, (uint32_t)(2 + i), be);
		put32(o + 12, i ? (uint32_t)(1 + i) : 0, be);
		put32(o + 16, i + 1 < novf ? (uint32_t)(3 + i) : 0, be);
		put16(o + 20, 1, be);
		put16(o + 22, (uint32_t)n, be);
		o[25] = 7;
		memcpy(o + 26, blob + i * per, n);
	}
	return size;
}

/* An ndb Packages.db with one slot page and blob as package 1 in slot 2. */
static size_t make_ndb(uint8_t *out, size_t cap, const uint8_t *blob, size_t blen)
{
	uint32_t blocks = (uint32_t)((16 + blen + 12 + 15) / 16);
	size_t size = 4096 + (size_t)blocks * 16;
	assert_true(size <= cap);
	memset(out, 0, size);
	memcpy(out, "RpmP", 4);
	put32(out + 8, 1, false);
	put32(out + 12, 1, false);
	put32(out + 16, 2, false);
	for (int i = 2; i < 256; i++)
		memcpy(out + 16 * i, "Slot", 4);
	put32(out + 36, 1, false);
	put32(out + 40, 4096 / 16, false);
	put32(out + 44, blocks, false);
	uint8_t *b = out + 4096, *t = b + (size_t)blocks * 16 - 12;
	memcpy(b, "BlbS", 4);
	put32(b + 4, 1, false);
	put32(b + 8, 1, false);
	put32(b + 12, (uint32_t)blen, false);
	memcpy(b + 16, blob, blen);
	put32(t, (uint32_t)adler32(adler32(0, NULL, 0), b, (uInt)(t - b)), false);
	put32(t + 4, (uint32_t)blen, false);
	memcpy(t + 8, "BlbE", 4);
	return size;
}

/* An SQLite file (serialized; sqlite3_free it) made by schema, with blobs
 * put in through insert (one ? parameter). */
static unsigned char *make_sqlite(const char *schema, const char *insert, const uint8_t *b1,
				  size_t n1, const uint8_t *b2, size_t n2, size_t *len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3_int64 size = 0;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, insert, -1, &st, NULL), SQLITE_OK);
	const uint8_t *blobs[2] = { b1, b2 };
	size_t lens[2] = { n1, n2 };
	for (int i = 0; i < 2 && blobs[i]; i++) {
		sqlite3_bind_blob(st, 1, blobs[i], (int)lens[i], SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	unsigned char *out = sqlite3_serialize(db, "main", &size, 0);
	sqlite3_close(db);
	assert_non_null(out);
	*len = (size_t)size;
	return out;
}

/* ---- headers built here ---- */

static int parse_header(struct scan_fx *f, const uint8_t *b, size_t n, vigil_package *p)
{
	memset(p, 0, sizeof(*p));
	return scan_rpm_header_parse(&f->ctx, b, n, p);
}

static void test_header_fields(void **state)
{
	struct scan_fx *f = *state;
	uint8_t b[4096];
	vigil_package p;
	size_t n = make_header(b, "libuuid", -1, 0);
	seed("fuzz_rpm_header", "plain", b, n);
	assert_int_equal(parse_header(f, b, n, &p), 0);
	assert_string_equal(p.name, "libuuid");
	assert_string_equal(p.version, "2.32.1-42.el8_8");
	assert_null(p.epoch);
	assert_string_equal(p.sigmd5, "c1e561f13d39aee443a1f00258fba000");
	assert_string_equal(p.source_name, "util-linux");
	assert_string_equal(p.source_version, "2.32.1-42.el8_8");
	assert_string_equal(p.module, "nodejs:18:8080020230511213720:9edba152");
	assert_string_equal(p.vendor, "Vigil Test");
	assert_string_equal(p.license, "BSD");
	assert_string_equal(p.maintainer, "Packager <p@example.org>");
	assert_int_equal(p.installed_size, 35104);
	/* an epoch tag of 0 stays in epoch but not in version; others show */
	n = make_header(b, "libuuid", 0, 0);
	seed("fuzz_rpm_header", "epoch0", b, n);
	assert_int_equal(parse_header(f, b, n, &p), 0);
	assert_string_equal(p.epoch, "0");
	assert_string_equal(p.version, "2.32.1-42.el8_8");
	n = make_header(b, "libuuid", 4294967295L, 0);
	assert_int_equal(parse_header(f, b, n, &p), 0);
	assert_string_equal(p.version, "4294967295:2.32.1-42.el8_8");

	/* LONGSIZE wins over SIZE; "(none)" SOURCERPM is no source; a
	 * malformed one is kept, with a warning, but gives no source name */
	struct hb h;
	uint8_t big[8] = { 0, 0, 0, 1, 0x2a, 0x05, 0xf2, 0 }; /* 5000000000 */
	hb_init(&h, false);
	hb_str(&h, 1000, "big");
	hb_str(&h, 1001, "1");
	hb_str(&h, 1002, "1");
	hb_i32(&h, 1009, 7);
	hb_add(&h, 5009, T_INT64, 1, big, 8);
	hb_str(&h, 1044, "(none)");
	n = hb_finish(&h, b);
	seed("fuzz_rpm_header", "noregion", b, n);
	assert_int_equal(parse_header(f, b, n, &p), 0);
	assert_int_equal(p.installed_size, 5000000000ULL);
	assert_null(p.source_rpm);
	assert_null(p.arch);
	assert_int_equal(f->warnings, 0);
	hb_init(&h, false);
	hb_str(&h, 1000, "odd");
	hb_str(&h, 1001, "1");
	hb_str(&h, 1002, "1");
	hb_str(&h, 1044, "nodashes.src.rpm");
	n = hb_finish(&h, b);
	assert_int_equal(parse_header(f, b, n, &p), 0);
	assert_string_equal(p.source_rpm, "nodashes.src.rpm");
	assert_null(p.source_name);
	assert_int_equal(f->warnings, 1);
}

/* Sets the big-endian word at byte off of a copy of base and expects code. */
static void expect_patched(struct scan_fx *f, const uint8_t *base, size_t n, size_t off,
			   uint32_t v, int code, const char *what)
{
	uint8_t b[4096];
	vigil_package p;
	memcpy(b, base, n);
	put32(b + off, v, true);
	int rc = parse_header(f, b, n, &p);
	if (rc != code)
		printf("patch at %zu (%s): rc %d: %s\n", off, what, rc, vigil_error_message());
	assert_int_equal(rc, code);
	assert_non_null(strstr(vigil_error_message(), what));
}

static void test_header_bad(void **state)
{
	struct scan_fx *f = *state;
	uint8_t base[4096], b[4096];
	vigil_package p;
	size_t n = make_header(base, "libuuid", 1, 0);
	size_t e1 = 8 + 16, e2 = 8 + 32; /* entries 1 (SIGMD5) and 2 (NAME) */
	uint32_t il = 13, dl = (uint32_t)(n - 8 - 16 * il);

	assert_int_equal(parse_header(f, base, 7, &p), VIGIL_EFORMAT);
	for (size_t len = 0; len < n; len++) /* every truncation fails */
		assert_int_not_equal(parse_header(f, base, len, &p), 0);
	memcpy(b, base, n);
	seed("fuzz_rpm_header", "truncated", b, n / 2);
	expect_patched(f, base, n, 0, 0, VIGIL_EFORMAT, "no index entries");
	expect_patched(f, base, n, 0, 0x10000, VIGIL_ELIMIT, "index entries");
	expect_patched(f, base, n, 4, 64u * 1024 * 1024 + 1, VIGIL_ELIMIT, "bytes of data");
	expect_patched(f, base, n, 4, dl + 1, VIGIL_EFORMAT, "make");
	expect_patched(f, base, n, e2 + 8, dl + 100, VIGIL_EFORMAT, "past data end");
	expect_patched(f, base, n, e2 + 4, 0, VIGIL_EFORMAT, "bad type");
	expect_patched(f, base, n, e2 + 4, 10, VIGIL_EFORMAT, "bad type");
	expect_patched(f, base, n, e2 + 12, 0, VIGIL_EFORMAT, "count 0");
	expect_patched(f, base, n, e2 + 12, 2, VIGIL_EFORMAT, "string with count 2");
	expect_patched(f, base, n, e1 + 12, 0x40000000, VIGIL_EFORMAT, "run past data end");
	expect_patched(f, base, n, e2 + 8, 0, VIGIL_EFORMAT, "overlaps");
	expect_patched(f, base, n, e2, 1001, VIGIL_EFORMAT, "no NAME");
	expect_patched(f, base, n, e2 + 4, T_BIN, VIGIL_EFORMAT, "has type 7");
	expect_patched(f, base, n, e1 + 12, 8, VIGIL_EFORMAT, "SIGMD5 is 8 bytes");
	expect_patched(f, base, n, 8 + 4, T_STRING, VIGIL_EFORMAT, "region tag 63");
	expect_patched(f, base, n, 8 + 8, dl - 8, VIGIL_EFORMAT, "region tag 63");
	expect_patched(f, base, n, n - 16, 62, VIGIL_EFORMAT, "bad trailer");
	expect_patched(f, base, n, n - 8, (uint32_t)-((il + 1) * 16), VIGIL_EFORMAT, "trailer gives");
	expect_patched(f, base, n, n - 8, (uint32_t)-20, VIGIL_EFORMAT, "trailer gives");
	/* an INT32 at an odd offset; a string that runs off the end */
	struct hb h;
	hb_init(&h, false);
	hb_str(&h, 1000, "ab");
	hb_add(&h, 1003, T_INT32, 1, "\0\0\0\1", 4);
	size_t m = hb_finish(&h, b);
	put32(b + 8 + 16 + 8, 3, true);
	assert_int_equal(parse_header(f, b, m, &p), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "not aligned"));
	hb_init(&h, false);
	hb_add(&h, 1000, T_STRING, 1, "abc", 3);
	m = hb_finish(&h, b);
	assert_int_equal(parse_header(f, b, m, &p), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "not terminated"));
	/* any byte of the index set to anything: an error or a package, never a crash */
	for (size_t i = 0; i < 8 + 16 * il; i++) {
		for (int v = 0; v < 256; v += 51) {
			memcpy(b, base, n);
			b[i] = (uint8_t)v;
			(void)parse_header(f, b, n, &p);
		}
	}
}

/* ---- Berkeley DB ---- */

static int parse_mem(struct scan_fx *f, vigil_rpmdb_kind kind, const uint8_t *b, size_t n)
{
	f->list.len = 0;
	return scan_rpmdb_parse(&f->ctx, kind, b, n, &f->list);
}

static void expect_db(struct scan_fx *f, vigil_rpmdb_kind kind, const uint8_t *b, size_t n,
		      int code, const char *what)
{
	int rc = parse_mem(f, kind, b, n);
	if (rc != code || !strstr(vigil_error_message(), what))
		printf("want %d (%s), got %d: %s\n", code, what, rc, vigil_error_message());
	assert_int_equal(rc, code);
	assert_non_null(strstr(vigil_error_message(), what));
}

static void test_bdb_built(void **state)
{
	struct scan_fx *f = *state;
	static uint8_t db[64 * BDB_PS], db2[64 * BDB_PS];
	uint8_t h[4096];
	size_t hn = make_header(h, "libuuid", 2, 1500), n;
	const char *names[] = { "le", "be" };
	for (int be = 0; be < 2; be++) {
		n = make_bdb(db, sizeof(db), h, hn, be, false);
		seed("fuzz_rpm_bdb", names[be], db, n);
		assert_int_equal(parse_mem(f, VIGIL_RPMDB_BDB, db, n), 0);
		assert_int_equal(f->list.len, 1);
		assert_string_equal(f->list.items[0].version, "2:2.32.1-42.el8_8");
		assert_int_equal(strlen(f->list.items[0].license), 1503);
	}
	size_t sn = make_header(h, "small", -1, 0);
	n = make_bdb(db, sizeof(db), h, sn, false, true);
	seed("fuzz_rpm_bdb", "inline", db, n);
	assert_int_equal(parse_mem(f, VIGIL_RPMDB_BDB, db, n), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "small");
	n = make_bdb(db, sizeof(db), h, make_header(h, "gpg-pubkey", -1, 0), false, false);
	assert_int_equal(parse_mem(f, VIGIL_RPMDB_BDB, db, n), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "gpg-pubkey");

	/* bad metadata */
	hn = make_header(h, "libuuid", 2, 1500);
	n = make_bdb(db, sizeof(db), h, hn, false, false); /* pages 2..5 overflow */
	memset(db2, 0x5a, sizeof(db2));
	expect_db(f, VIGIL_RPMDB_BDB, db2, sizeof(db2), VIGIL_EFORMAT, "not a Berkeley DB");
	expect_db(f, VIGIL_RPMDB_BDB, db, 100, VIGIL_EFORMAT, "shorter");
	struct { size_t off; uint32_t v; int code; const char *what; } meta[] = {
		{ 12, 0x053162, VIGIL_EUNSUPPORTED, "btree" },
		{ 16, 7, VIGIL_EUNSUPPORTED, "hash version 7" },
		{ 20, 1000, VIGIL_EFORMAT, "page size 1000" },
		{ 32, 6, VIGIL_EFORMAT, "truncated" },
		{ 32, 0x7fffffff, VIGIL_ELIMIT, "last page" },
		{ 72, 9, VIGIL_EFORMAT, "buckets" },
		{ 96, 40, VIGIL_EFORMAT, "maps to page" },
		/* page 1, the hash page */
		{ BDB_PS + 8, 7, VIGIL_EFORMAT, "says it is page 7" },
		{ BDB_PS + 16, 1, VIGIL_EFORMAT, "reached twice" },
		{ BDB_PS + 16, 99, VIGIL_EFORMAT, "out of range" },
		/* page 2, the first overflow page */
		{ 2 * BDB_PS + 16, 2, VIGIL_EFORMAT, "reached twice" },
		{ 2 * BDB_PS + 16, 0, VIGIL_EFORMAT, "chain ends" },
	};
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
		memcpy(db2, db, n);
		put32(db2 + meta[i].off, meta[i].v, false);
		if (i == 10)
			seed("fuzz_rpm_bdb", "loop", db2, n);
		expect_db(f, VIGIL_RPMDB_BDB, db2, n, meta[i].code, meta[i].what);
	}
	struct { size_t off; uint32_t v; const char *what; } pg[] = {
		{ BDB_PS + 20, 3, "not key/value pairs" },
		{ BDB_PS + 20, 300, "overflow the page" },
		{ BDB_PS + 32, 600, "out of place" },
		{ BDB_PS + 32, 10, "out of place" },
		{ 2 * BDB_PS + 22, 0, "holds 0 bytes" },
		{ 2 * BDB_PS + 22, 500, "holds 500 bytes" },
	};
	for (size_t i = 0; i < sizeof(pg) / sizeof(pg[0]); i++) {
		memcpy(db2, db, n);
		put16(db2 + pg[i].off, pg[i].v, false);
		expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EFORMAT, pg[i].what);
	}
	memcpy(db2, db, n);
	db2[BDB_PS + 25] = 5;
	expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EFORMAT, "not a hash page");
	memcpy(db2, db, n);
	db2[3 * BDB_PS + 25] = 5;
	expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EFORMAT, "page 3 has type 5, not an overflow");
	memcpy(db2, db, n);
	db2[24] = 1;
	expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EUNSUPPORTED, "encrypted");
	/* the off-page item's length: more than the chain, more than the file */
	size_t item = BDB_PS + (size_t)(BDB_PS - 15 - 12);
	memcpy(db2, db, n);
	put32(db2 + item + 8, (uint32_t)hn + 200, false);
	expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EFORMAT, "chain ends");
	put32(db2 + item + 8, 0x7fffffff, false);
	expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EFORMAT, "off-page item");
	db2[item] = 5;
	expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EFORMAT, "unsupported item type 5");
	/* a header that is wrong inside a sound database names where it is */
	memcpy(db2, db, n);
	put32(db2 + 2 * BDB_PS + 26, 0, true);
	expect_db(f, VIGIL_RPMDB_BDB, db2, n, VIGIL_EFORMAT, "bdb: page 1 item 3: header: no index");
}

/* Every truncation and many byte changes of a real file: no crash. */
static void shake(struct scan_fx *f, vigil_rpmdb_kind kind, const char *rel, size_t step,
		  size_t span)
{
	size_t len;
	uint8_t *data = (uint8_t *)th_read_file(th_data_path(rel), &len);
	assert_non_null(data);
	for (size_t n = 0; n < len; n += step)
		assert_int_not_equal(parse_mem(f, kind, data, n), 0);
	for (size_t i = 0; i < span && i < len; i += 3) {
		uint8_t old = data[i];
		data[i] ^= 0xa5;
		(void)parse_mem(f, kind, data, len);
		data[i] = old;
	}
	free(data);
}

static void test_bdb_real_damaged(void **state)
{
	shake(*state, VIGIL_RPMDB_BDB, "pkgdb/rpm/go-rpmdb_libuuid_bdb/Packages", 509, 3 * 4096);
	shake(*state, VIGIL_RPMDB_BDB, "pkgdb/rpm/syft_image-pkg-coverage_bdb/Packages", 97, 16384);
}

/* ---- ndb ---- */

static void test_ndb_built(void **state)
{
	struct scan_fx *f = *state;
	static uint8_t db[16384], db2[16384];
	uint8_t h[4096];
	size_t hn = make_header(h, "libuuid", -1, 100);
	size_t n = make_ndb(db, sizeof(db), h, hn);
	seed("fuzz_rpm_ndb", "one", db, n);
	assert_int_equal(parse_mem(f, VIGIL_RPMDB_NDB, db, n), 0);
	assert_int_equal(f->list.len, 1);
	assert_string_equal(f->list.items[0].name, "libuuid");
	size_t gn = make_ndb(db2, sizeof(db2), h, make_header(h, "gpg-pubkey", -1, 0));
	assert_int_equal(parse_mem(f, VIGIL_RPMDB_NDB, db2, gn), 0);
	assert_int_equal(f->list.len, 1);

	expect_db(f, VIGIL_RPMDB_NDB, db, 20, VIGIL_EFORMAT, "shorter");
	struct { size_t off; uint32_t v; int code; const char *what; } bad[] = {
		{ 0, 0x12345678, VIGIL_EFORMAT, "no RpmP magic" },
		{ 4, 1, VIGIL_EUNSUPPORTED, "version 1" },
		{ 12, 0, VIGIL_EFORMAT, "no slot pages" },
		{ 12, 5000, VIGIL_ELIMIT, "slot pages" },
		{ 12, 9, VIGIL_EFORMAT, "truncated" },
		{ 48, 0, VIGIL_EFORMAT, "no Slot magic" },
		{ 40, 1, VIGIL_EFORMAT, "inside the slot pages" },
		{ 40, 0x10000000, VIGIL_EFORMAT, "blob of" },
		{ 44, 1, VIGIL_EFORMAT, "blob of" },
		{ 44, 0xfffffff, VIGIL_EFORMAT, "overlapping" },
		{ 36, 3, VIGIL_EFORMAT, "not 3" },
		{ 4096, 0, VIGIL_EFORMAT, "no BlbS magic" },
		{ 4096 + 12, (uint32_t)hn + 16, VIGIL_EFORMAT, "blocks" },
		{ 4096 + 16 + 100, 0, VIGIL_EFORMAT, "checksum" },
		{ n - 4, 0, VIGIL_EFORMAT, "bad blob tail" },
		{ n - 8, (uint32_t)hn - 1, VIGIL_EFORMAT, "bad blob tail" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(db2, db, n);
		put32(db2 + bad[i].off, bad[i].v, false);
		if (i == 13)
			seed("fuzz_rpm_ndb", "badsum", db2, n);
		expect_db(f, VIGIL_RPMDB_NDB, db2, n, bad[i].code, bad[i].what);
	}
	/* two slots on one blob */
	memcpy(db2, db, n);
	memcpy(db2 + 48, db2 + 32, 16);
	seed("fuzz_rpm_ndb", "twoslots", db2, n);
	expect_db(f, VIGIL_RPMDB_NDB, db2, n, VIGIL_EFORMAT, "overlapping");
	/* a bad header inside a sound blob (the checksum redone) */
	memcpy(db2, db, n);
	put32(db2 + 4096 + 16, 0, true);
	put32(db2 + n - 12, (uint32_t)adler32(adler32(0, NULL, 0), db2 + 4096, (uInt)(n - 12 - 4096)), false);
	expect_db(f, VIGIL_RPMDB_NDB, db2, n, VIGIL_EFORMAT, "ndb: slot 2 (package 1): header: no index");
	shake(f, VIGIL_RPMDB_NDB, "pkgdb/rpm/go-rpmdb_sle15-bci_ndb/Packages.db", 4093, 8192);
}

/* ---- SQLite ---- */

#define RPM_SCHEMA "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);"
#define RPM_INSERT "INSERT INTO Packages (blob) VALUES (?)"

static void test_sqlite_built(void **state)
{
	struct scan_fx *f = *state;
	uint8_t h1[4096], h2[4096];
	size_t n1 = make_header(h1, "libuuid", 1, 0), n2 = make_header(h2, "gpg-pubkey", -1, 0), n;
	unsigned char *db = make_sqlite(RPM_SCHEMA, RPM_INSERT, h1, n1, h2, n2, &n);
	assert_int_equal(parse_mem(f, VIGIL_RPMDB_SQLITE, db, n), 0);
	assert_int_equal(f->list.len, 2);
	assert_string_equal(f->list.items[0].version, "1:2.32.1-42.el8_8");
	db[18] = db[19] = 2; /* WAL mode */
	assert_int_equal(parse_mem(f, VIGIL_RPMDB_SQLITE, db, n), 0);
	assert_int_equal(f->list.len, 2);
	expect_db(f, VIGIL_RPMDB_SQLITE, db, 99, VIGIL_EFORMAT, "not a SQLite database");
	assert_int_not_equal(parse_mem(f, VIGIL_RPMDB_SQLITE, db, n / 2), 0);
	memset(db + 100, 0xff, n - 100);
	assert_int_not_equal(parse_mem(f, VIGIL_RPMDB_SQLITE, db, n), 0);
	sqlite3_free(db);

	h1[3] = 0; /* no index entries */
	db = make_sqlite(RPM_SCHEMA, RPM_INSERT, h1, n1, NULL, 0, &n);
	expect_db(f, VIGIL_RPMDB_SQLITE, db, n, VIGIL_EFORMAT, "sqlite: row 1: header: no index");
	sqlite3_free(db);
	db = make_sqlite("CREATE TABLE t (blob BLOB); CREATE VIEW Packages AS SELECT blob FROM t;",
			 "INSERT INTO t VALUES (?)", h1, n1, NULL, 0, &n);
	expect_db(f, VIGIL_RPMDB_SQLITE, db, n, VIGIL_EFORMAT, "Packages is a view");
	sqlite3_free(db);
	db = make_sqlite("CREATE TABLE Packages (hnum INTEGER, other BLOB);",
			 "INSERT INTO Packages VALUES (1, ?)", h1, n1, NULL, 0, &n);
	expect_db(f, VIGIL_RPMDB_SQLITE, db, n, VIGIL_EFORMAT, "no such column");
	sqlite3_free(db);
	db = make_sqlite("CREATE TABLE Packages (blob);", "INSERT INTO Packages VALUES (?)", NULL, 0,
			 NULL, 0, &n);
	assert_int_equal(parse_mem(f, VIGIL_RPMDB_SQLITE, db, n), 0);
	assert_int_equal(f->list.len, 0);
	sqlite3_free(db);
	db = make_sqlite("CREATE TABLE Packages (blob); INSERT INTO Packages VALUES ('text');",
			 "SELECT ?", NULL, 0, NULL, 0, &n);
	expect_db(f, VIGIL_RPMDB_SQLITE, db, n, VIGIL_EFORMAT, "not a BLOB");
	sqlite3_free(db);

	uint8_t junk[8192];
	memset(junk, 0, sizeof(junk));
	memcpy(junk, "SQLite format 3", 16);
	assert_int_not_equal(parse_mem(f, VIGIL_RPMDB_SQLITE, junk, sizeof(junk)), 0);
	memset(junk, 'x', sizeof(junk));
	expect_db(f, VIGIL_RPMDB_SQLITE, junk, sizeof(junk), VIGIL_EFORMAT, "not a SQLite");
	expect_db(f, VIGIL_RPMDB_SQLITE, NULL, 0, VIGIL_EFORMAT, "not a SQLite");
	expect_db(f, (vigil_rpmdb_kind)0, junk, 10, VIGIL_EINVAL, "unknown kind");
	shake(f, VIGIL_RPMDB_SQLITE, "pkgdb/rpm/go-rpmdb_cbl-mariner-2.0_sqlite/rpmdb.sqlite",
	      262147, 4096);
}
int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bdb_built, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bdb_real_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ndb_built, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_built, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
