/* tests/feed/ubuntu_oval_fx.h: what the two Ubuntu OVAL test files share:
 * the feed fixture (feed_fixture.h), reading the hand-made samples of
 * tests/feed/data/ubuntu-oval/, and rendering a record's entries as one
 * string ("pkg:state[:fixed] ...") so that whole records are asserted. */
#ifndef VIGIL_TESTS_UBUNTU_OVAL_FX_H
#define VIGIL_TESTS_UBUNTU_OVAL_FX_H

#include "feed_fixture.h"

#include <string.h>

static inline int setup(void **state)
{
	return feed_fx_setup(state, "ubuntu-oval");
}

static inline char *read_sample(const char *name, size_t *len)
{
	char path[1024];
	const char *src = getenv("VIGIL_SOURCE_DIR");
	snprintf(path, sizeof(path), "%s/tests/feed/data/ubuntu-oval/%s", src ? src : ".", name);
	char *data = th_read_file(path, len);
	if (!data)
		fail_msg("cannot read %s", path);
	return data;
}

static inline int parse_sample(struct feed_fx *f, const char *name)
{
	size_t len;
	char *data = read_sample(name, &len);
	reset(f);
	int rc = feed_ubuntu_oval(&f->ctx, data, len);
	free(data);
	return rc;
}

static inline int parse_text(struct feed_fx *f, const char *text)
{
	reset(f);
	return feed_ubuntu_oval(&f->ctx, text, strlen(text));
}

static inline const vigil_vuln *rec(struct feed_fx *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->recs[i].id, id))
			return &f->recs[i];
	fail_msg("no record %s", id);
	return NULL;
}

/* "pkg:state[:fixed] ..." of every entry, checking what every entry shares. */
static inline const char *entries(const vigil_vuln *v, const char *ns)
{
	static char buf[8192];
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < v->naffected; i++) {
		const vigil_affected *a = &v->affected[i];
		assert_string_equal(a->namespace, ns);
		assert_int_equal(a->is_source, 0);
		assert_string_equal(a->scheme, "dpkg");
		assert_null(a->vendor_severity);
		assert_int_equal(a->severity, VIGIL_SEV_UNKNOWN);
		assert_true((a->state == VIGIL_STATE_FIXED) == (a->fixed != NULL));
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s:%s%s%s", i ? " " : "", a->package,
				      vigil_vuln_state_name(a->state), a->fixed ? ":" : "", a->fixed ? a->fixed : "");
		assert_true(k < sizeof(buf));
	}
	return buf;
}

static inline const char *joined(const char *const *v, size_t n)
{
	static char buf[4096];
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s", i ? " " : "", v[i]);
	return buf;
}

#endif
