/* tests/purl/test_purl.c: purls of OS packages as syft writes them (deb,
 * rpm with epoch and source rpm, apk), language purls passed through, and
 * the parser: the spec's examples, decoding, sorted qualifiers, errors. */
#include "helpers.h"
#include "util/error.h"
#include "vigil/purl.h"

#include <stdlib.h>
#include <string.h>

static void purl_is(const vigil_package *p, const vigil_distribution *d, const char *want)
{
	char *s = NULL;
	assert_int_equal(vigil_purl_of(p, d, &s), 0);
	assert_string_equal(s, want);
	free(s);
}

static void test_os(void **state)
{
	(void)state;
	vigil_distribution deb = { .did = "debian", .version_id = "12" };
	vigil_package libssl = { .type = VIGIL_PKG_DPKG, .name = "libssl3", .version = "3.0.11-1~deb12u2",
				 .arch = "amd64", .source_name = "openssl", .source_version = "3.0.11-1~deb12u2" };
	purl_is(&libssl, &deb, "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl");
	vigil_package zlib = { .type = VIGIL_PKG_DPKG, .name = "zlib1g", .version = "1:1.2.13.dfsg-1",
			       .arch = "amd64", .source_name = "zlib", .source_version = "1:1.2.13.dfsg-1" };
	purl_is(&zlib, &deb, "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib");
	vigil_distribution rhel = { .did = "rhel", .version_id = "8.6" };
	vigil_package ssl = { .type = VIGIL_PKG_RPM, .name = "openssl-libs", .version = "1:1.1.1k-7.el8_6",
			      .arch = "x86_64", .epoch = "1", .source_rpm = "openssl-1.1.1k-7.el8_6.src.rpm" };
	purl_is(&ssl, &rhel, "pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&distro=rhel-8.6&epoch=1"
			     "&upstream=openssl-1.1.1k-7.el8_6.src.rpm");
	vigil_distribution alp = { .did = "alpine", .version_id = "3.10.4" };
	vigil_package musl = { .type = VIGIL_PKG_APK, .name = "musl", .version = "1.1.22-r3", .arch = "x86_64",
			       .source_name = "musl", .source_version = "1.1.22-r3" };
	purl_is(&musl, &alp, "pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.4");
	vigil_package req = { .type = VIGIL_PKG_PYPI, .name = "requests", .version = "2.28.1",
			      .purl = "pkg:pypi/requests@2.28.1" };
	purl_is(&req, &deb, "pkg:pypi/requests@2.28.1");
	assert_int_equal(vigil_purl_pkg_type("deb"), VIGIL_PKG_DPKG);
	assert_int_equal(vigil_purl_pkg_type("golang"), VIGIL_PKG_GO);
	assert_int_equal(vigil_purl_pkg_type("github"), VIGIL_PKG_UNKNOWN);
}

static void test_parse(void **state)
{
	(void)state;
	vigil_purl *p;
	const char *s = "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?distro=debian-12&arch=amd64&upstream=zlib";
	assert_int_equal(vigil_purl_parse(s, strlen(s), &p), 0);
	assert_string_equal(p->type, "deb");
	assert_string_equal(p->namespace, "debian");
	assert_string_equal(p->name, "zlib1g");
	assert_string_equal(p->version, "1:1.2.13.dfsg-1");
	assert_int_equal(p->nqualifiers, 3);
	assert_string_equal(p->qualifier_keys[0], "arch");
	assert_string_equal(p->qualifier_keys[1], "distro");
	assert_string_equal(vigil_purl_qualifier(p, "distro"), "debian-12");
	assert_null(vigil_purl_qualifier(p, "epoch"));
	vigil_purl_free(p);
	/* the spec's examples */
	s = "pkg:npm/%40angular/animation@12.3.1";
	assert_int_equal(vigil_purl_parse(s, strlen(s), &p), 0);
	assert_string_equal(p->namespace, "@angular");
	assert_string_equal(p->name, "animation");
	vigil_purl_free(p);
	s = "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources";
	assert_int_equal(vigil_purl_parse(s, strlen(s), &p), 0);
	assert_string_equal(p->namespace, "org.apache.xmlgraphics");
	assert_string_equal(vigil_purl_qualifier(p, "packaging"), "sources");
	vigil_purl_free(p);
	s = "pkg:golang/google.golang.org/genproto#googleapis/api/annotations";
	assert_int_equal(vigil_purl_parse(s, strlen(s), &p), 0);
	assert_string_equal(p->namespace, "google.golang.org");
	assert_string_equal(p->name, "genproto");
	assert_null(p->version);
	assert_string_equal(p->subpath, "googleapis/api/annotations");
	vigil_purl_free(p);
	s = "PKG:PyPI/Django@1.11.1";
	assert_int_equal(vigil_purl_parse(s, strlen(s), &p), 0);
	assert_string_equal(p->type, "pypi");
	assert_null(p->namespace);
	assert_string_equal(p->name, "Django");
	vigil_purl_free(p);
}

static void test_errors(void **state)
{
	(void)state;
	static const char *const bad[] = { "", "deb/debian/x", "pkg:", "pkg:deb", "pkg:deb/", "pkg:npm/x%zz@1",
					   "pkg:npm/x%00@1", "pkg:npm/x@1?novalue" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vigil_purl *p = (vigil_purl *)1;
		assert_int_equal(vigil_purl_parse(bad[i], strlen(bad[i]), &p), VIGIL_EFORMAT);
		assert_null(p);
		assert_non_null(strstr(vigil_error_message(), "purl"));
	}
	char big[VIGIL_PURL_MAX_LEN + 16];
	memset(big, 'a', sizeof(big));
	memcpy(big, "pkg:npm/", 8);
	vigil_purl *p;
	assert_int_equal(vigil_purl_parse(big, sizeof(big), &p), VIGIL_ELIMIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_os),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
