/* tests/sbom/test_sbom.c: the SBOM reader (vigil/sbom.h) on Trivy's own
 * test SBOMs (tests/sbom/data/trivy, CycloneDX and SPDX) and on hand-made
 * documents in the shapes syft, Trivy and vigil write: packages from
 * purls (names as vigil's scanners give them, rpm/deb epochs, source
 * packages from upstream= and from the tools' properties, layers and
 * paths), the distribution (OS component, SPDX OS package, distro=), the
 * named limits, and errors naming the file and field. */
#include "helpers.h"
#include "util/error.h"
#include "vigil/sbom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vigil_sbom *parse_ok(const char *text)
{
	vigil_sbom *s = NULL;
	if (vigil_sbom_parse(text, strlen(text), "t.json", &s) < 0)
		fail_msg("parse failed: %s", vigil_error_message());
	return s;
}

static void expect_error(const char *text, int code, const char *msg)
{
	vigil_sbom *s = (vigil_sbom *)1;
	assert_int_equal(vigil_sbom_parse(text, strlen(text), "t.json", &s), code);
	assert_null(s);
	if (!strstr(vigil_error_message(), msg) || strncmp(vigil_error_message(), "t.json: ", 8))
		fail_msg("error '%s' lacks 't.json: ...%s'", vigil_error_message(), msg);
}

static const vigil_package *find(const vigil_sbom *s, const char *name)
{
	for (size_t i = 0; i < s->package_count; i++)
		if (!strcmp(s->packages[i].name, name))
			return &s->packages[i];
	fail_msg("no package %s", name);
	return NULL;
}

static const char *data(const char *name)
{
	static char path[512];
	const char *src = getenv("VIGIL_SOURCE_DIR");
	snprintf(path, sizeof(path), "%s/tests/sbom/data/trivy/%s", src ? src : "..", name);
	return path;
}

static void test_trivy_cyclonedx(void **state)
{
	(void)state;
	vigil_sbom *s = NULL;
	assert_int_equal(vigil_sbom_load(data("cyclonedx-bom.json"), &s), 0);
	assert_string_equal(s->format, "CycloneDX 1.7");
	assert_non_null(s->distribution);
	assert_string_equal(s->distribution->did, "alpine");
	assert_string_equal(s->distribution->version_id, "3.16.0");
	assert_int_equal(s->package_count, 7);
	const vigil_package *p = find(s, "musl");
	assert_int_equal(p->type, VIGIL_PKG_APK);
	assert_string_equal(p->version, "1.2.3-r0");
	assert_string_equal(p->source_name, "musl");
	assert_non_null(p->introduced_in);
	p = find(s, "@example/bootstrap");
	assert_int_equal(p->type, VIGIL_PKG_NPM);
	assert_string_equal(p->purl, "pkg:npm/@example/bootstrap@5.0.2");
	assert_int_equal(find(s, "com.example:example")->type, VIGIL_PKG_MAVEN);
	assert_int_equal(find(s, "github.com/package-url/packageurl-go")->type, VIGIL_PKG_GO);
	assert_string_equal(find(s, "pear/pear_exception")->version, "v1.0.0");
	assert_true(strncmp(s->digest, "sha256:", 7) == 0);
	vigil_sbom_free(s);

	/* the OS component without purl is the distribution, not a package */
	assert_int_equal(vigil_sbom_load(data("cyclonedx-third-party-bom.json"), &s), 0);
	assert_int_equal(s->package_count, 3);
	assert_string_equal(s->distribution->did, "alpine");
	assert_null(find(s, "musl")->introduced_in);
	vigil_sbom_free(s);

	/* Trivy reads these; vigil refuses them by name (docs/scan.md) */
	assert_int_equal(vigil_sbom_load(data("cyclonedx-os-only-bom.json"), &s), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "cyclonedx-os-only-bom.json: names no package by purl"));
	assert_int_equal(vigil_sbom_load(data("cyclonedx-invalid-purl.json"), &s), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "cyclonedx-invalid-purl.json: components[1].purl: 'invalid-purl-format'"));
}

static void test_trivy_spdx(void **state)
{
	(void)state;
	vigil_sbom *s = NULL;
	assert_int_equal(vigil_sbom_load(data("spdx-bom.json"), &s), 0);
	assert_string_equal(s->format, "SPDX-2.2");
	assert_string_equal(s->distribution->did, "alpine");
	assert_string_equal(s->distribution->version_id, "3.16.0");
	assert_int_equal(s->package_count, 6);
	const vigil_package *p = find(s, "musl");
	assert_string_equal(p->source_name, "musl");
	assert_string_equal(p->source_version, "1.2.3-r0");
	assert_non_null(p->introduced_in); /* the LayerDiffID annotation */
	assert_int_equal(find(s, "org.codehaus.mojo:child-project")->type, VIGIL_PKG_MAVEN);
	vigil_sbom_free(s);
	assert_int_equal(vigil_sbom_load(data("spdx-invalid-purl.json"), &s), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "packages[2].externalRefs[0].referenceLocator: 'pkg:invalid'"));
}

static void test_os_packages(void **state)
{
	(void)state;
	vigil_sbom *s = parse_ok(
		"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": ["
		" {\"type\": \"library\", \"name\": \"openssl-libs\", \"purl\": \"pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64"
		"&distro=rhel-8.6&epoch=1&upstream=openssl-1.1.1k-7.el8_6.src.rpm\","
		"  \"properties\": [{\"name\": \"syft:location:0:path\", \"value\": \"/var/lib/rpm/rpmdb.sqlite\"},"
		"   {\"name\": \"syft:location:0:layerID\", \"value\": \"sha256:ab\"}]},"
		" {\"type\": \"library\", \"name\": \"libgcc-s1\", \"purl\": \"pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12.15&epoch=1\","
		"  \"properties\": [{\"name\": \"aquasecurity:trivy:SrcName\", \"value\": \"gcc-12\"},"
		"   {\"name\": \"aquasecurity:trivy:SrcVersion\", \"value\": \"12.2.0\"}, {\"name\": \"aquasecurity:trivy:SrcRelease\", \"value\": \"14\"},"
		"   {\"name\": \"aquasecurity:trivy:SrcEpoch\", \"value\": \"1\"}, {\"name\": \"aquasecurity:trivy:LayerDiffID\", \"value\": \"sha256:cd\"}]},"
		" {\"type\": \"library\", \"name\": \"libssl3\", \"purl\": \"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl\"},"
		" {\"type\": \"library\", \"name\": \"libc6\", \"purl\": \"pkg:deb/debian/libc6@2.36-9?upstream=glibc%402.36-9%2Bdeb12u1\"},"
		" {\"type\": \"library\", \"name\": \"x\", \"purl\": \"pkg:generic/x@1\"}, {\"type\": \"library\", \"name\": \"y\"},"
		" {\"type\": \"library\", \"name\": \"z\", \"purl\": \"pkg:deb/debian/z\"}]}");
	/* no OS component: the first distro= says it ("redhat" is rhel) */
	assert_string_equal(s->distribution->did, "rhel");
	assert_string_equal(s->distribution->version_id, "8.6");
	assert_int_equal(s->package_count, 4);
	assert_int_equal(s->skipped, 3);
	const vigil_package *p = find(s, "openssl-libs");
	assert_string_equal(p->version, "1:1.1.1k-7.el8_6");
	assert_string_equal(p->epoch, "1");
	assert_string_equal(p->upstream_version, "1.1.1k");
	assert_string_equal(p->release, "7.el8_6");
	assert_string_equal(p->source_name, "openssl");
	assert_string_equal(p->source_version, "1.1.1k-7.el8_6");
	assert_string_equal(p->source_rpm, "openssl-1.1.1k-7.el8_6.src.rpm");
	assert_string_equal(p->package_db, "var/lib/rpm/rpmdb.sqlite");
	assert_string_equal(p->introduced_in, "sha256:ab");
	p = find(s, "libgcc-s1");
	assert_string_equal(p->version, "1:12.2.0-14");
	assert_string_equal(p->source_name, "gcc-12");
	assert_string_equal(p->source_version, "1:12.2.0-14");
	assert_string_equal(p->arch, "amd64");
	p = find(s, "libssl3");
	assert_string_equal(p->source_name, "openssl");
	assert_string_equal(p->source_version, "3.0.11-1~deb12u2");
	p = find(s, "libc6");
	assert_string_equal(p->source_name, "glibc");
	assert_string_equal(p->source_version, "2.36-9+deb12u1");
	vigil_sbom_free(s);

	/* the OS component wins over distro=; syft's properties over its name */
	s = parse_ok("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.4\", \"components\": ["
		     " {\"type\": \"library\", \"name\": \"musl\", \"purl\": \"pkg:apk/alpine/musl@1.1.22-r3?distro=3.10.4\"},"
		     " {\"type\": \"operating-system\", \"name\": \"Alpine Linux\", \"version\": \"v3.10\", \"properties\": ["
		     "  {\"name\": \"syft:distro:id\", \"value\": \"alpine\"}, {\"name\": \"syft:distro:versionID\", \"value\": \"3.10.4\"}]}]}");
	assert_string_equal(s->distribution->did, "alpine");
	assert_string_equal(s->distribution->version_id, "3.10.4");
	vigil_sbom_free(s);
	/* Trivy's bare distro= takes the purl's namespace */
	s = parse_ok("{\"spdxVersion\": \"SPDX-2.2\", \"packages\": [{\"name\": \"musl\", \"externalRefs\": [{\"referenceType\": \"purl\","
		     " \"referenceLocator\": \"pkg:apk/alpine/musl@1.1.22-r3?distro=3.10.4\"}]}]}");
	assert_string_equal(s->distribution->did, "alpine");
	assert_string_equal(s->distribution->version_id, "3.10.4");
	vigil_sbom_free(s);
}

static void test_lang_names(void **state)
{
	(void)state;
	vigil_sbom *s = parse_ok(
		"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"type\": \"application\", \"name\": \"app\","
		" \"components\": [{\"purl\": \"pkg:npm/%40babel/core@7.0.0\"}, {\"purl\": \"pkg:npm/types/node@20.1.0\"},"
		" {\"purl\": \"pkg:golang/golang.org/x/net@v0.17.0\"}, {\"purl\": \"pkg:pypi/Django@4.2\"},"
		" {\"purl\": \"pkg:cargo/serde@1.0.1\"}, {\"purl\": \"pkg:gem/rails@7.0.0\"}, {\"purl\": \"pkg:nuget/Newtonsoft.Json@13.0.1\"},"
		" {\"purl\": \"pkg:composer/symfony/http-kernel@5.4.0\"}, {\"purl\": \"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\"}]}]}");
	assert_int_equal(s->package_count, 9);
	assert_null(s->distribution);
	assert_int_equal(find(s, "@babel/core")->type, VIGIL_PKG_NPM);
	assert_int_equal(find(s, "@types/node")->type, VIGIL_PKG_NPM);
	assert_int_equal(find(s, "golang.org/x/net")->type, VIGIL_PKG_GO);
	assert_int_equal(find(s, "Django")->type, VIGIL_PKG_PYPI);
	assert_int_equal(find(s, "serde")->type, VIGIL_PKG_CARGO);
	assert_int_equal(find(s, "rails")->type, VIGIL_PKG_GEM);
	assert_int_equal(find(s, "Newtonsoft.Json")->type, VIGIL_PKG_NUGET);
	assert_int_equal(find(s, "symfony/http-kernel")->type, VIGIL_PKG_COMPOSER);
	assert_string_equal(find(s, "org.apache.logging.log4j:log4j-core")->version, "2.14.1");
	vigil_sbom_free(s);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"name\": \"a\","
		     " \"purl\": \"pkg:deb/debian/a@1\"}, {\"name\": \"b\", \"purl\": \"deb/b@1\"}]}",
		     VIGIL_EFORMAT, "components[1].purl: 'deb/b@1': purl: no 'pkg:' scheme");
	expect_error("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"name\": \"a\", \"purl\": 3}]}",
		     VIGIL_EFORMAT, "components[0].purl: not a string");
	expect_error("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{\"name\": \"a\"}]}", VIGIL_EFORMAT,
		     "names no package by purl");
	expect_error("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}", VIGIL_EUNSUPPORTED, "specVersion: \"2.0\"");
	expect_error("{\"bomFormat\": \"SWID\", \"specVersion\": \"1.6\"}", VIGIL_EFORMAT, "bomFormat: \"SWID\" is not CycloneDX");
	expect_error("{\"spdxVersion\": \"SPDX-2.1\"}", VIGIL_EUNSUPPORTED, "spdxVersion: \"SPDX-2.1\"");
	expect_error("{\"spdxVersion\": \"SPDX-2.3\", \"packages\": {}}", VIGIL_EFORMAT, "packages: not an array");
	expect_error("{\"name\": \"x\"}", VIGIL_EFORMAT, "not an SBOM");
	expect_error("[]", VIGIL_EFORMAT, "not an SBOM");
	expect_error("{\"bomFormat\": ", VIGIL_EFORMAT, "not JSON");
	expect_error("", VIGIL_EFORMAT, "not JSON");

	/* components nested past the limit */
	char deep[4096];
	size_t n = 0;
	n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"");
	for (int i = 0; i < VIGIL_SBOM_MAX_DEPTH + 2; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, ", \"components\": [{\"purl\": \"pkg:gem/a@1\"");
	for (int i = 0; i < VIGIL_SBOM_MAX_DEPTH + 2; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "}]");
	snprintf(deep + n, sizeof(deep) - n, "}");
	expect_error(deep, VIGIL_ELIMIT, "nested deeper than 16 levels");

	vigil_sbom *s = NULL;
	assert_int_equal(vigil_sbom_load("/nonexistent/x.json", &s), VIGIL_ENOTFOUND);
	assert_non_null(strstr(vigil_error_message(), "/nonexistent/x.json"));
	vigil_sbom_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trivy_cyclonedx), cmocka_unit_test(test_trivy_spdx), cmocka_unit_test(test_os_packages),
		cmocka_unit_test(test_lang_names),	cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
