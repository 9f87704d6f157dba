/* tests/scanner/test_rpm.c: the three rpm database readers (Berkeley DB
 * hash, ndb, SQLite) against the real databases in shared/testdata/pkgdb/rpm
 * and the expected lists beside them. The built inputs that reach every
 * check are in test_rpm_built.c. */
#include "rpm_fx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>


/* ---- expected lists (name version release epoch arch sourcerpm size sigmd5) ---- */

#define NCOLS 8

static void assert_opt_str(const char *got, const char *want)
{
	if (!*want)
		assert_null(got);
	else
		assert_string_equal(got ? got : "(null)", want);
}

static void check_row(const vigil_package *p, char **col)
{
	char buf[64];
	assert_int_equal(p->type, VIGIL_PKG_RPM);
	assert_string_equal(p->name, col[0]);
	assert_string_equal(p->upstream_version, col[1]);
	assert_string_equal(p->release, col[2]);
	assert_opt_str(p->epoch, col[3]);
	assert_opt_str(p->arch, col[4]);
	assert_opt_str(p->source_rpm, col[5]);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)p->installed_size);
	assert_string_equal(buf, col[6]);
	assert_opt_str(p->sigmd5, col[7]);
	if (*col[3] && strcmp(col[3], "0") != 0)
		snprintf(buf, sizeof(buf), "%s:%s-%s", col[3], col[1], col[2]);
	else
		snprintf(buf, sizeof(buf), "%s-%s", col[1], col[2]);
	assert_string_equal(p->version, buf);
	assert_string_equal(p->package_db, "var/lib/rpm/Packages");
}

/* Calls fn for every data row of an expected list; returns the row count. */
static size_t each_row(const char *rel, void (*fn)(void *, size_t, char **), void *ud)
{
	char *text = th_read_file(th_data_path(rel), NULL);
	size_t rows = 0;
	assert_non_null(text);
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#' || strncmp(line, "name\t", 5) == 0 || !line[0])
			continue;
		char *col[NCOLS] = { 0 };
		int n = 0;
		for (char *c = line; n < NCOLS; n++) {
			col[n] = c;
			c = strchr(c, '\t');
			if (!c)
				break;
			*c++ = '\0';
		}
		assert_int_equal(n, NCOLS - 1);
		fn(ud, rows++, col);
	}
	free(text);
	return rows;
}

static void row_in_order(void *ud, size_t i, char **col)
{
	struct scan_fx *f = ud;
	assert_true(i < f->list.len);
	check_row(&f->list.items[i], col);
}

static void row_anywhere(void *ud, size_t i, char **col)
{
	const vigil_package *p = find(ud, col[0]);
	assert_non_null(p);
	check_row(p, col);
}

/* ---- the real databases ---- */

static void test_sle15_ndb(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_file(f, VIGIL_RPMDB_NDB, "pkgdb/rpm/go-rpmdb_sle15-bci_ndb/Packages.db"), 0);
	assert_int_equal(f->list.len, 35);
	size_t rows = each_row("pkgdb/expected/rpm_go-rpmdb_sle15-bci_ndb.tsv", row_in_order, f);
	assert_int_equal(rows, f->list.len);
	const vigil_package *p = find(f, "libgcc_s1");
	assert_string_equal(p->source_name, "gcc11");
	assert_string_equal(p->source_version, "11.2.1+git610-1.3.9");
	assert_int_equal(f->warnings, 0);
}

static void test_libuuid_bdb(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_file(f, VIGIL_RPMDB_BDB, "pkgdb/rpm/go-rpmdb_libuuid_bdb/Packages"), 0);
	assert_int_equal(f->list.len, 1);
	assert_int_equal(each_row("pkgdb/expected/rpm_go-rpmdb_libuuid_bdb.tsv", row_anywhere, f), 1);
	const vigil_package *p = find(f, "libuuid");
	assert_string_equal(p->vendor, "Red Hat, Inc.");
	assert_string_equal(p->source_name, "util-linux");
	assert_string_equal(p->source_version, "2.32.1-42.el8_8");
	assert_string_equal(p->license, "BSD");
	assert_string_equal(p->maintainer, "Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>");
	assert_null(p->module);
}

static void test_syft_bdb(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_file(f, VIGIL_RPMDB_BDB, "pkgdb/rpm/syft_image-pkg-coverage_bdb/Packages"), 0);
	assert_int_equal(f->list.len, 1);
	/* the expected list gives "dive 0.9.2-1"; the other columns are what
	 * rpm -qa --dbpath reads from the same file */
	char *col[NCOLS] = { "dive", "0.9.2", "1", "", "x86_64", "dive-0.9.2-1.src.rpm", "12406784", "" };
	check_row(find(f, "dive"), col);
	assert_string_equal(find(f, "dive")->version, "0.9.2-1");
	assert_string_equal(find(f, "dive")->license, "MIT");
	assert_string_equal(find(f, "dive")->maintainer, "Alex Goodman");
}

static int sqlite_count(const char *rel)
{
	size_t len;
	char *data = th_read_file(th_data_path(rel), &len);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int n = -1;
	assert_non_null(data);
	data[18] = data[19] = 1; /* WAL files open from memory as rollback ones */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_deserialize(db, "main", (unsigned char *)data, (sqlite3_int64)len,
					     (sqlite3_int64)len, SQLITE_DESERIALIZE_READONLY),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM Packages", -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(data);
	return n;
}

static void test_cbl_mariner_sqlite(void **state)
{
	struct scan_fx *f = *state;
	const char *rel = "pkgdb/rpm/go-rpmdb_cbl-mariner-2.0_sqlite/rpmdb.sqlite";
	assert_int_equal(parse_file(f, VIGIL_RPMDB_SQLITE, rel), 0);
	/* 129 rows, none of them gpg-pubkey (rpm -qa agrees) */
	assert_int_equal(sqlite_count(rel), 129);
	assert_int_equal(f->list.len, 129);
	assert_null(find(f, "gpg-pubkey"));
	each_row("pkgdb/expected/rpm_go-rpmdb_cbl-mariner-2.0_sqlite.tsv", row_anywhere, f);
	assert_string_equal(find(f, "curl")->source_name, "curl");
	assert_string_equal(find(f, "ca-certificates-base")->version, "1:2.0.0-1.cm2");
}

static void test_amazonlinux2023_sqlite(void **state)
{
	struct scan_fx *f = *state;
	const char *rel = "pkgdb/rpm/go-rpmdb_amazonlinux2023_sqlite/rpmdb.sqlite";
	assert_int_equal(parse_file(f, VIGIL_RPMDB_SQLITE, rel), 0);
	/* 103 rows: 102 packages and one gpg-pubkey, kept as rpm -qa lists it */
	assert_int_equal(sqlite_count(rel), 103);
	assert_int_equal(f->list.len, 103);
	assert_non_null(find(f, "gpg-pubkey"));
	assert_null(find(f, "gpg-pubkey")->arch);
	assert_null(find(f, "gpg-pubkey")->source_rpm);
	size_t with_epoch = 0;
	for (size_t i = 0; i < f->list.len; i++)
		with_epoch += f->list.items[i].epoch != NULL;
	assert_int_equal(with_epoch, 3);
	char *ssl[NCOLS] = { "openssl-libs", "3.0.8", "1.amzn2023.0.4", "1", "x86_64",
			     "openssl-3.0.8-1.amzn2023.0.4.src.rpm", "6806522",
			     "7f183461d18796c26b4646b1a90f269d" };
	check_row(find(f, "openssl-libs"), ssl);
	assert_string_equal(find(f, "openssl-libs")->version, "1:3.0.8-1.amzn2023.0.4");
	assert_string_equal(find(f, "gmp")->version, "1:6.2.1-2.amzn2023.0.2");
	assert_string_equal(find(f, "gdbm-libs")->epoch, "1");
	const vigil_package *p = &f->list.items[0];
	assert_string_equal(p->name, "crypto-policies");
	assert_string_equal(p->source_name, "crypto-policies");
	assert_string_equal(p->source_version, "20220428-1.gitdfb10ea.amzn2023.0.2");
	assert_int_equal(f->warnings, 0);
}

static void test_no_packages_sqlite(void **state)
{
	struct scan_fx *f = *state;
	assert_int_equal(parse_file(f, VIGIL_RPMDB_SQLITE, "pkgdb/rpm/claircore_no_packages_sqlite/no_packages.sqlite"), 0);
	assert_int_equal(f->list.len, 0);
	assert_int_equal(f->warnings, 1);
	assert_non_null(strstr(f->last_warning, "no Packages table"));
}

/* ---- building inputs byte by byte ---- */

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sle15_ndb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_libuuid_bdb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syft_bdb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cbl_mariner_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amazonlinux2023_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_packages_sqlite, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
