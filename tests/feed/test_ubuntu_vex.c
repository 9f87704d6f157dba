/* tests/feed/test_ubuntu_vex.c: Ubuntu OpenVEX documents from
 * ../shared/testdata/feeds/ubuntu/vex. Expected figures were worked out with
 * python3 over the raw JSON (source purls only, one entry per release and
 * package, the plain release winning over ESM): CVE-2016-20013 gives 34
 * entries (33 affected, 1 not affected), CVE-2023-38545 gives 6 (2 fixed,
 * 1 affected, 3 not affected). */
#include "feed/feed.h"
#include "helpers.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

struct got {
	vigil_vuln v;
	vigil_affected aff[64];
	int records;
};

static int on_emit(void *ud, const vigil_vuln *v)
{
	struct got *g = ud;
	g->records++;
	g->v = *v;
	memcpy(g->aff, v->affected, (v->naffected < 64 ? v->naffected : 64) * sizeof(*g->aff));
	return 0;
}

static int run(const char *rel_or_text, bool is_text, struct got *g, vigil_arena *a)
{
	size_t len;
	char *data = is_text ? strdup(rel_or_text) : th_read_file(th_data_path(rel_or_text), &len);
	if (is_text)
		len = strlen(data);
	assert_non_null(data);
	vigil_feed_ctx ctx = { .arena = a, .file = "test", .emit = on_emit, .emit_ud = g };
	memset(g, 0, sizeof(*g));
	int rc = feed_ubuntu_vex(&ctx, data, len);
	free(data);
	return rc;
}

static const vigil_affected *find(const struct got *g, const char *ns, const char *pkg)
{
	for (size_t i = 0; i < g->v.naffected; i++)
		if (!strcmp(g->aff[i].namespace, ns) && !strcmp(g->aff[i].package, pkg))
			return &g->aff[i];
	return NULL;
}

static void test_curl(void **state)
{
	vigil_arena *a = vigil_arena_new(0);
	struct got g;
	assert_int_equal(run("feeds/ubuntu/vex/cve/2023/CVE-2023-38545.json", false, &g, a), 0);
	assert_int_equal(g.records, 1);
	assert_string_equal(g.v.id, "CVE-2023-38545");
	assert_string_equal(g.v.source, "ubuntu");
	assert_int_equal(g.v.naffected, 6);
	const vigil_affected *j = find(&g, "ubuntu:22.04", "curl");
	assert_non_null(j);
	assert_int_equal(j->state, VIGIL_STATE_FIXED);
	assert_string_equal(j->fixed, "7.81.0-1ubuntu1.24");
	assert_true(j->is_source);
	assert_string_equal(j->scheme, "dpkg");
	assert_string_equal(find(&g, "ubuntu:24.04", "curl")->fixed, "8.5.0-2ubuntu10.9");
	/* xenial: the plain release says affected, ESM not affected: plain wins */
	assert_int_equal(find(&g, "ubuntu:16.04", "curl")->state, VIGIL_STATE_NOT_FIXED);
	assert_null(find(&g, "ubuntu:16.04", "curl")->fixed);
	/* bionic only has an ESM statement */
	assert_int_equal(find(&g, "ubuntu:18.04", "curl")->state, VIGIL_STATE_NOT_AFFECTED);
	assert_non_null(strstr(g.v.description, "SOCKS5"));
	assert_true(g.v.nlinks > 0);
	vigil_arena_free(a);
}

static void test_openssh(void **state)
{
	vigil_arena *a = vigil_arena_new(0);
	struct got g;
	assert_int_equal(run("feeds/ubuntu/vex/cve/2016/CVE-2016-20013.json", false, &g, a), 0);
	assert_int_equal(g.v.naffected, 34);
	int affected = 0, not_affected = 0;
	for (size_t i = 0; i < g.v.naffected; i++) {
		affected += g.aff[i].state == VIGIL_STATE_NOT_FIXED;
		not_affected += g.aff[i].state == VIGIL_STATE_NOT_AFFECTED;
	}
	assert_int_equal(affected, 33);
	assert_int_equal(not_affected, 1);
	vigil_arena_free(a);
}

static void test_bad_input(void **state)
{
	vigil_arena *a = vigil_arena_new(0);
	struct got g;
	assert_int_equal(run("{", true, &g, a), VIGIL_EFORMAT);
	assert_int_equal(run("{\"statements\": 3}", true, &g, a), VIGIL_EFORMAT);
	assert_int_equal(run("{\"statements\": [{\"status\": \"fixed\"}]}", true, &g, a), VIGIL_EFORMAT);
	assert_non_null(strstr(vigil_error_message(), "statements[0]"));
	assert_int_equal(run("{\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", "
			     "\"products\": [{\"@id\": 5}]}]}", true, &g, a), VIGIL_EFORMAT);
	/* two CVEs in one document */
	assert_int_equal(run("{\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": []},"
			     "{\"vulnerability\": {\"name\": \"CVE-2\"}, \"status\": \"fixed\", \"products\": []}]}", true, &g, a),
			 VIGIL_EFORMAT);
	/* binary purls, other distributions and unknown releases are not entries */
	assert_int_equal(run("{\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"status\": \"fixed\", \"products\": ["
			     "{\"@id\": \"pkg:deb/ubuntu/a@1?arch=amd64&distro=jammy\"},"
			     "{\"@id\": \"pkg:deb/debian/a@1?arch=source&distro=bookworm\"},"
			     "{\"@id\": \"pkg:deb/ubuntu/a@1?arch=source&distro=warty\"},"
			     "{\"@id\": \"pkg:deb/ubuntu/lib%2Bx@1%3A2.0?arch=source&distro=jammy\"}]}]}", true, &g, a), 0);
	assert_int_equal(g.v.naffected, 1);
	assert_string_equal(g.aff[0].package, "lib+x");
	assert_string_equal(g.aff[0].fixed, "1:2.0");
	vigil_arena_free(a);
}

int main(void)
{
	th_testdata_or_skip();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curl),
		cmocka_unit_test(test_openssh),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
