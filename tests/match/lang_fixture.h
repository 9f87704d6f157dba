/* tests/match/lang_fixture.h: what the language matching tests share: two
 * stores made once (every language feed of ../shared/testdata/feeds; the
 * Zeppelin GHSA slice alone), index reports built from package rows, and
 * findings written as the TSV lines of lang/expected/findings_*.tsv.
 * Skips (77) without the shared data. */
#ifndef VIGIL_TESTS_MATCH_LANG_FIXTURE_H
#define VIGIL_TESTS_MATCH_LANG_FIXTURE_H

#include "scanner/lang_fixture.h"
#include "util/error.h"
#include "vigil/vigil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lang_fx {
	char dir_all[64], dir_zep[64];
	vigil_store *all, *zeppelin;
};

static const char *const lang_fx_feeds[] = {
	"feeds/osv/go-vulndb", "feeds/osv/pypa-advisory-db", "feeds/osv/rustsec-osv",
	"feeds/osv/ghsa-maven-slice", "feeds/rubysec/ruby-advisory-db",
	"feeds/php/friendsofphp-advisories", "feeds/npm/nodejs-security-wg",
};

static int lang_fx_import(vigil_store *s, const char *const *rel, size_t n)
{
	const char *paths[16];
	vigil_db_import_result *res = NULL;
	size_t nres = 0;
	char *copies[16];
	int rc;
	for (size_t i = 0; i < n; i++)
		paths[i] = copies[i] = strdup(th_data_path(rel[i])); /* th_data_path reuses its buffer */
	rc = vigil_db_import(s, paths, n, NULL, &res, &nres);
	for (size_t i = 0; i < n; i++)
		free(copies[i]);
	free(res);
	if (rc < 0)
		fprintf(stderr, "import: %s\n", vigil_error_message());
	return rc;
}

static int lang_fx_setup(struct lang_fx *fx)
{
	static const char *const zep[] = { "feeds/osv/ghsa-maven-slice/zeppelin-server_vulnerabilities.json" };
	th_testdata_or_skip();
	if (th_temp_store("lang-all", fx->dir_all, &fx->all) < 0 ||
	    th_temp_store("lang-zep", fx->dir_zep, &fx->zeppelin) < 0)
		return -1;
	if (lang_fx_import(fx->all, lang_fx_feeds, sizeof(lang_fx_feeds) / sizeof(lang_fx_feeds[0])) < 0 ||
	    lang_fx_import(fx->zeppelin, zep, 1) < 0)
		return -1;
	return 0;
}

static int lang_fx_teardown(struct lang_fx *fx)
{
	int a = th_temp_store_free(fx->dir_all, fx->all), b = th_temp_store_free(fx->dir_zep, fx->zeppelin);
	return a < 0 ? a : b;
}

static void lang_fx_dump(const vigil_vuln_report *vr)
{
	if (!getenv("VIGIL_TEST_DUMP"))
		return;
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%zu aliases\t%zu symbols\n", f->package->name, f->package->version,
		       f->id, f->fixed ? f->fixed : "", vigil_severity_name(f->severity),
		       f->affected_range ? f->affected_range : "", f->naliases, f->nsymbols);
	}
}

/* Matches packages p[0..n) (no distribution) against s. */
static vigil_vuln_report *lang_fx_match(vigil_store *s, const vigil_package *p, size_t n, int os_owned)
{
	static vigil_index_report ir;
	vigil_match_options mo;
	vigil_vuln_report *vr = NULL;
	ir = (vigil_index_report){ .manifest_hash = "sha256:0", .image = "test", .packages = p, .package_count = n };
	vigil_match_options_init(&mo);
	mo.store = s;
	mo.max_age = -1;
	mo.lang_os_owned = os_owned;
	if (vigil_match(&ir, &mo, &vr) < 0)
		fail_msg("match: %s", vigil_error_message());
	lang_fx_dump(vr);
	return vr;
}

/* Packages of type t from a lang/expected list (strings point into *data). */
static size_t lang_fx_packages(const char *rel, vigil_pkg_type t, vigil_package *pk, size_t max, char **data)
{
	struct lang_row rows[64];
	size_t n = lang_rows(rel, rows, max < 64 ? max : 64, data);
	(void)lang_eq; /* the scanner tests' comparison: not needed here */
	for (size_t i = 0; i < n; i++) {
		((char *)rows[i].name.ptr)[rows[i].name.len] = '\0';
		((char *)rows[i].version.ptr)[rows[i].version.len] = '\0';
		((char *)rows[i].purl.ptr)[rows[i].purl.len] = '\0';
		pk[i] = (vigil_package){ .type = t, .name = rows[i].name.ptr, .version = rows[i].version.ptr,
					 .purl = rows[i].purl.ptr };
	}
	return n;
}

static int lang_fx_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the lines of buf in place (each ends with '\n'). */
static void lang_fx_sort_lines(char *buf, size_t cap)
{
	char *lines[512], *copy = strdup(buf);
	size_t n = 0, off = 0;
	assert_non_null(copy);
	for (char *p = copy, *e; *p && n < 512; p = e + 1) {
		if (!(e = strchr(p, '\n')))
			break;
		*e = '\0';
		lines[n++] = p;
	}
	qsort(lines, n, sizeof(*lines), lang_fx_strcmp);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s\n", lines[i]);
	free(copy);
}

/* Appends "fixture\tpackage\tversion\tid\taliases,sorted\n" per finding, sorted. */
static void lang_fx_lines(const vigil_vuln_report *vr, const char *fixture, char *buf, size_t cap)
{
	size_t off = strlen(buf);
	for (size_t i = 0; i < vr->finding_count; i++) {
		const vigil_finding *f = &vr->findings[i];
		const char *al[64];
		size_t na = f->naliases < 64 ? f->naliases : 64;
		memcpy(al, f->aliases, na * sizeof(*al));
		qsort(al, na, sizeof(*al), lang_fx_strcmp);
		off += (size_t)snprintf(buf + off, cap - off, "%s\t%s\t%s\t%s\t", fixture, f->package->name,
					f->package->version, f->id);
		for (size_t k = 0; k < na; k++)
			off += (size_t)snprintf(buf + off, cap - off, "%s%s", k ? "," : "", al[k]);
		off += (size_t)snprintf(buf + off, cap - off, "\n");
	}
	lang_fx_sort_lines(buf, cap);
}

/* The rows of an expected findings list, sorted, as lang_fx_lines writes them. */
static void lang_fx_expected(const char *rel, char *buf, size_t cap)
{
	size_t len, off = 0;
	char *data = th_read_file(th_data_path(rel), &len);
	vigil_slice in, line;
	assert_non_null(data);
	in = vigil_slice_make(data, len);
	buf[0] = '\0';
	while (vigil_slice_next_line(&in, &line))
		if (line.len && line.ptr[0] != '#' && !vigil_slice_starts_with(line, "fixture\t"))
			off += (size_t)snprintf(buf + off, cap - off, "%.*s\n", (int)line.len, line.ptr);
	free(data);
	lang_fx_sort_lines(buf, cap);
}

static const vigil_finding *lang_fx_find_at(const vigil_vuln_report *vr, const char *id, size_t pkg)
{
	for (size_t i = 0; i < vr->finding_count; i++)
		if (!strcmp(vr->findings[i].id, id) && vr->findings[i].package_index == pkg)
			return &vr->findings[i];
	return NULL;
}

static const vigil_finding *lang_fx_find(const vigil_vuln_report *vr, const char *id)
{
	return lang_fx_find_at(vr, id, 0);
}

static bool lang_fx_has_alias(const vigil_finding *f, const char *id)
{
	for (size_t i = 0; i < f->naliases; i++)
		if (!strcmp(f->aliases[i], id))
			return true;
	return false;
}

static bool lang_fx_has_symbol(const vigil_finding *f, const char *s)
{
	for (size_t i = 0; i < f->nsymbols; i++)
		if (!strcmp(f->symbols[i], s))
			return true;
	return false;
}

#endif
