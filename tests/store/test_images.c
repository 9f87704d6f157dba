/* tests/store/test_images.c: the images vigil indexed (vigil/store.h
 * image records) on either backend: record and list, the repository and
 * tag of references, and what vigil inspect makes of the records: the
 * family tree (parents, self, children, siblings) and the tag history
 * (distinct digests by first seen, dates, findings of the newest scan). */
#include "helpers.h"
#include "audit/inspect_priv.h"
#include "store/store_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static vigil_store *st;

static int setup(void **state)
{
	(void)state;
	return th_temp_store("images", dir, &st);
}

static int teardown(void **state)
{
	(void)state;
	return th_temp_store_free(dir, st);
}

static void record(const char *ref, const char *manifest, const char *const *layers, size_t n, int64_t at,
		   int64_t findings)
{
	vigil_store_image rec = { .reference = ref, .manifest_digest = manifest, .layers = layers,
				  .layer_count = n, .indexed_at = at, .findings = findings };
	assert_int_equal(vigil_store_image_record(st, &rec), 0);
}

struct seen {
	size_t n;
	char refs[8][128];
	size_t layers[8];
	char tag[8][32];
};

static int collect(void *ud, const vigil_store_image *rec)
{
	struct seen *s = ud;
	if (s->n < 8) {
		snprintf(s->refs[s->n], sizeof(s->refs[0]), "%s", rec->reference);
		snprintf(s->tag[s->n], sizeof(s->tag[0]), "%s", rec->tag ? rec->tag : "(none)");
		s->layers[s->n] = rec->layer_count;
	}
	s->n++;
	return 0;
}

static void split(const char *ref, const char *repo, const char *tag)
{
	char r[512], t[128];
	assert_int_equal(vigil_image_ref_split(ref, r, sizeof(r), t, sizeof(t)), 0);
	assert_string_equal(r, repo);
	assert_string_equal(t, tag);
}

static void test_ref_split(void **state)
{
	(void)state;
	split("docker.io/library/alpine:3.19", "docker.io/library/alpine", "3.19");
	split("alpine", "alpine", "latest");
	split("localhost:5000/app", "localhost:5000/app", "latest");
	split("localhost:5000/app:v2", "localhost:5000/app", "v2");
	split("docker://quay.io/a/b@sha256:abcd", "quay.io/a/b", "");
	split("registry.example/a/b:1@sha256:abcd", "registry.example/a/b", "");
	split("oci:/nonexistent/layout:v2", "oci:/nonexistent/layout", "v2");
	split("oci:/nonexistent/layout@sha256:ab", "oci:/nonexistent/layout", "");
	split("oci:/nonexistent/layout", "oci:/nonexistent/layout", "");
	split("docker-archive:/x.tar:alpine:3.10", "alpine", "3.10");
	split("docker-archive:/nonexistent/x.tar", "docker-archive:/nonexistent/x.tar", "");
	split("oci:/tmp:v1", "oci:/tmp", "v1"); /* an existing folder: made absolute (it is) */
	char r[8], t[8];
	assert_int_equal(vigil_image_ref_split("", r, sizeof(r), t, sizeof(t)), VIGIL_EINVAL);
	assert_int_equal(vigil_image_ref_split("a-long-repository:tag", r, sizeof(r), t, sizeof(t)), VIGIL_ELIMIT);
}

static void test_record_list(void **state)
{
	const char *l2[] = { "sha256:a", "sha256:b" };
	struct seen s = { 0 };
	(void)state;
	record("reg.example/app:1", "sha256:m1", l2, 2, 1000, -1);
	record("reg.example/app:2", "sha256:m2", l2, 1, 2000, 3);
	assert_int_equal(vigil_store_images(st, NULL, NULL, collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.refs[0], "reg.example/app:1");
	assert_int_equal(s.layers[0], 2);
	assert_int_equal(s.layers[1], 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(vigil_store_images(st, "reg.example/app", "2", collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.tag[0], "2");
	/* refused: no digest, a layer that is not one word */
	vigil_store_image bad = { .reference = "x" };
	assert_int_equal(vigil_store_image_record(st, &bad), VIGIL_EINVAL);
	const char *sp[] = { "sha256:a b" };
	vigil_store_image bad2 = { .reference = "x", .manifest_digest = "sha256:m", .layers = sp, .layer_count = 1 };
	assert_int_equal(vigil_store_image_record(st, &bad2), VIGIL_EINVAL);
}

/* A report whose layers are the n digests given (what inspect has). */
static vigil_inspect_report *report_of(const char *const *layers, size_t n)
{
	vigil_inspect_report *r;
	assert_int_equal(inspect_report_new(&r), 0);
	vigil_audit_layer *v = vigil_arena_calloc(r->internal->arena, n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i].digest = layers[i];
	r->image = "test";
	r->layers = v;
	r->layer_count = n;
	return r;
}

static void test_family(void **state)
{
	const char *base[] = { "sha256:os" };
	const char *mid[] = { "sha256:os", "sha256:rt" };
	const char *app[] = { "sha256:os", "sha256:rt", "sha256:app" };
	const char *app2[] = { "sha256:os", "sha256:rt", "sha256:app2" };
	const char *other[] = { "sha256:os", "sha256:py" };
	const char *stranger[] = { "sha256:zz" };
	(void)state;
	record("r/base:1", "sha256:mbase", base, 1, 100, -1);
	record("r/mid:1", "sha256:mmid", mid, 2, 110, -1);
	record("r/app:1", "sha256:mapp", app, 3, 120, 7);
	record("r/app:1", "sha256:mapp", app, 3, 130, -1); /* indexed again: one member */
	record("r/app2:1", "sha256:mapp2", app2, 3, 140, 2);
	record("r/other:1", "sha256:mother", other, 2, 150, -1);
	record("r/stranger:1", "sha256:mz", stranger, 1, 160, -1);

	vigil_inspect_report *r = report_of(app, 3);
	assert_int_equal(vigil_inspect_family_load(r, st), 0);
	const vigil_inspect_family *f = r->family;
	assert_int_equal(f->base_layers, 2); /* the nearest parent, mid */
	assert_int_equal(f->member_count, 4);
	assert_int_equal(f->members[0].relation, VIGIL_FAMILY_PARENT);
	assert_string_equal(f->members[0].reference, "r/base:1");
	assert_int_equal(f->members[1].relation, VIGIL_FAMILY_PARENT);
	assert_string_equal(f->members[1].reference, "r/mid:1");
	assert_int_equal(f->members[2].relation, VIGIL_FAMILY_SELF);
	assert_int_equal(f->members[2].findings, 7); /* the newest scan's, not the later index */
	assert_int_equal(f->members[2].indexed_at, 130);
	assert_int_equal(f->members[3].relation, VIGIL_FAMILY_SIBLING);
	assert_string_equal(f->members[3].reference, "r/app2:1");
	assert_int_equal(f->members[3].shared, 2);
	vigil_inspect_report_free(r);

	/* from the base: everything that starts with its layer is a child */
	r = report_of(base, 1);
	assert_int_equal(vigil_inspect_family_load(r, st), 0);
	assert_int_equal(r->family->member_count, 5);
	assert_int_equal(r->family->members[0].relation, VIGIL_FAMILY_SELF);
	for (size_t i = 1; i < 5; i++)
		assert_int_equal(r->family->members[i].relation, VIGIL_FAMILY_CHILD);
	vigil_inspect_report_free(r);

	/* other: parent base, sibling mid (same base, neither), app/app2 are mid's children: siblings too */
	r = report_of(other, 2);
	assert_int_equal(vigil_inspect_family_load(r, st), 0);
	assert_int_equal(r->family->base_layers, 1);
	assert_int_equal(r->family->members[0].relation, VIGIL_FAMILY_PARENT);
	assert_int_equal(r->family->members[1].relation, VIGIL_FAMILY_SELF);
	assert_int_equal(r->family->member_count, 5);
	for (size_t i = 2; i < 5; i++)
		assert_int_equal(r->family->members[i].relation, VIGIL_FAMILY_SIBLING);
	vigil_inspect_report_free(r);
}

static void test_tag_history(void **state)
{
	const char *a[] = { "sha256:l1" };
	const char *b[] = { "sha256:l1", "sha256:l2" };
	vigil_tag_history *h;
	char *out;
	size_t len;
	(void)state;
	record("reg.example/web:prod", "sha256:ma", a, 1, 1000, -1);
	record("reg.example/web:prod", "sha256:ma", a, 1, 1100, 4);
	record("reg.example/web:prod", "sha256:mb", b, 2, 2000, 9);
	record("reg.example/web:dev", "sha256:mc", b, 2, 2100, 1);
	record("reg.example/web:prod", "sha256:mb", b, 2, 2200, -1);
	assert_int_equal(vigil_tag_history_load(st, "reg.example/web:prod", &h), 0);
	assert_string_equal(h->repository, "reg.example/web");
	assert_string_equal(h->tag, "prod");
	assert_int_equal(h->entry_count, 2);
	assert_string_equal(h->entries[0].manifest_digest, "sha256:ma");
	assert_int_equal(h->entries[0].first_seen, 1000);
	assert_int_equal(h->entries[0].last_seen, 1100);
	assert_int_equal(h->entries[0].times, 2);
	assert_int_equal(h->entries[0].findings, 4);
	assert_string_equal(h->entries[1].manifest_digest, "sha256:mb");
	assert_int_equal(h->entries[1].first_seen, 2000);
	assert_int_equal(h->entries[1].last_seen, 2200);
	assert_int_equal(h->entries[1].findings, 9);
	assert_int_equal(vigil_tag_history_render(h, VIGIL_FMT_CLAIR, &out, &len), 0);
	assert_non_null(strstr(out, "\"first_seen\": 2000"));
	free(out);
	assert_int_equal(vigil_tag_history_render(h, VIGIL_FMT_TABLE, &out, &len), 0);
	assert_non_null(strstr(out, "1970-01-01 00:16:40"));
	free(out);
	vigil_tag_history_free(h);
	/* never seen: empty, not an error; no tag: an error */
	assert_int_equal(vigil_tag_history_load(st, "reg.example/web:never", &h), 0);
	assert_int_equal(h->entry_count, 0);
	vigil_tag_history_free(h);
	assert_int_equal(vigil_tag_history_load(st, "reg.example/web@sha256:ab", &h), VIGIL_EINVAL);
	assert_null(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_split),
		cmocka_unit_test_setup_teardown(test_record_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_family, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tag_history, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
