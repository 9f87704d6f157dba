/* tests/db/test_fetch_repomd.c: the readers of the yum repository chain of
 * `vigil db update` (db/fetch_repomd.c) on the real repomd.xml files of the
 * shared data (Amazon's repomd_valid/_invalid, Rocky's happy,
 * no_updateinfo_field and repomd_invalid) and on hand-written bad ones
 * (DOCTYPE, an href leaving the repository, a sha1 or malformed checksum,
 * not <repomd>), and the mirror.list reader. The chain itself is tested
 * against lib/feedserver.py in tests/integration/test_distro_amazon_rocky.sh. */
#include "db/fetch.h"
#include "helpers.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char href[600], digest[160];

static int repomd_file(const char *rel)
{
	size_t n;
	char *data = th_read_file(th_data_path(rel), &n);
	assert_non_null(data);
	int rc = db_repomd_updateinfo(data, n, href, sizeof(href), digest, sizeof(digest));
	free(data);
	return rc;
}

static int repomd_text(const char *text)
{
	return db_repomd_updateinfo(text, strlen(text), href, sizeof(href), digest, sizeof(digest));
}

static void test_real(void **state)
{
	(void)state;
	assert_int_equal(repomd_file("feeds/amazon/updateinfo/repomd_valid.xml"), 0);
	assert_string_equal(href, "repodata/updateinfo.xml.gz");
	assert_string_equal(digest, "sha256:e6f569f8ed2246a6b06c0fef7cfd71560df02781327e31c38396ed358d591d48");
	assert_int_equal(repomd_file("feeds/rocky/updateinfo/happy/repomd.xml"), 0);
	assert_string_equal(href, "repodata/updateinfo.xml.gz");
	assert_string_equal(digest, "sha256:c14b2249cc128fa8c565d0b79986daffc4e1c0a430c84a3ebccc1a016d59bda1");
	assert_int_equal(repomd_file("feeds/amazon/updateinfo/repomd_invalid.xml"), VIGIL_ENOTFOUND);
	assert_non_null(strstr(vigil_error_message(), "no <data type=\"updateinfo\">"));
	assert_int_equal(repomd_file("feeds/rocky/updateinfo/repomd_invalid/repomd.xml"), VIGIL_ENOTFOUND);
	assert_int_equal(repomd_file("feeds/rocky/updateinfo/no_updateinfo_field/repomd.xml"), VIGIL_ENOTFOUND);
	assert_string_equal(href, "");
}

#define DATA(loc, sum)                                                                             \
	"<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"updateinfo\">" sum         \
	"<location href=\"" loc "\"/></data></repomd>"
#define SHA256 "<checksum type=\"sha256\">" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef</checksum>"

static void test_bad(void **state)
{
	(void)state;
	assert_int_equal(repomd_text(DATA("repodata/u.xml.gz", SHA256)), 0);
	assert_string_equal(href, "repodata/u.xml.gz");
	assert_int_equal(repomd_text(DATA("../../etc/passwd", SHA256)), VIGIL_EFORMAT);
	assert_int_equal(repomd_text(DATA("/abs/u.xml.gz", SHA256)), VIGIL_EFORMAT);
	assert_int_equal(repomd_text(DATA("https://elsewhere.invalid/u.xml.gz", SHA256)), VIGIL_EFORMAT);
	assert_int_equal(repomd_text(DATA("u?x=1", SHA256)), VIGIL_EFORMAT);
	assert_int_equal(repomd_text(DATA("u.xml.gz", "<checksum type=\"sha1\">0123456789abcdef0123456789abcdef01234567</checksum>")),
			 VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "no sha256 or sha512 <checksum>"));
	assert_int_equal(repomd_text(DATA("u.xml.gz", "<checksum type=\"sha256\">XYZ</checksum>")), VIGIL_EFORMAT);
	assert_int_equal(repomd_text(DATA("u.xml.gz", "")), VIGIL_EFORMAT);
	assert_int_equal(repomd_text("<!DOCTYPE repomd [<!ENTITY x \"y\">]>" DATA("u", SHA256)), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "DOCTYPE"));
	assert_int_equal(repomd_text("<updates/>"), VIGIL_EFORMAT);
	assert_int_equal(repomd_text("<repomd"), VIGIL_EFORMAT);
	assert_int_equal(repomd_text(""), VIGIL_EFORMAT);
}

static void test_mirror_list(void **state)
{
	(void)state;
	char base[VIGIL_SOURCES_MAX_URL];
	const char *ml = "# AL2 core\n\nhttps://cdn.amazonlinux.com/2/core/2.0/x86_64/6b0225ccc542f3834c95733dcf321ab9/\n"
			 "https://second.invalid/\n";
	assert_int_equal(db_repomd_base(ml, strlen(ml), base, sizeof(base)), 0);
	assert_string_equal(base, "https://cdn.amazonlinux.com/2/core/2.0/x86_64/6b0225ccc542f3834c95733dcf321ab9");
	assert_int_equal(db_repomd_base("<html/>\n", 8, base, sizeof(base)), VIGIL_EFORMAT);
	assert_int_equal(db_repomd_base("", 0, base, sizeof(base)), VIGIL_EFORMAT);
	assert_int_equal(db_repomd_base("http://a b/\n", 12, base, sizeof(base)), VIGIL_EFORMAT);
	assert_int_equal(db_repomd_base("http://a/?x\n", 12, base, sizeof(base)), VIGIL_EFORMAT);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_mirror_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
