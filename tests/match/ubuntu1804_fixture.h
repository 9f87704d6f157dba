/* tests/match/ubuntu1804_fixture.h: the real-data case the matcher and
 * report tests share: a root filesystem made at test time of the Ubuntu
 * 18.04 package database of ../shared/testdata/pkgdb and the Ubuntu 18.04
 * os-release, a fresh store (either backend: th_temp_store) holding the Ubuntu CVE tracker snapshot
 * (feeds/ubuntu/uct), the image indexed and matched. Skips (77) without
 * the shared data. */
#ifndef VIGIL_TESTS_UBUNTU1804_FIXTURE_H
#define VIGIL_TESTS_UBUNTU1804_FIXTURE_H

#include "helpers.h"
#include "util/error.h"
#include "vigil/vigil.h"

#include <stdio.h>
#include <stdlib.h>

struct u1804 {
	char dir[64];
	vigil_store *store;
	vigil_index_report *ir;
	vigil_vuln_report *vr;
};

static int u1804_fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, vigil_error_message());
	return -1;
}

static int u1804_setup(struct u1804 *u)
{
	char cmd[1024], path[256];
	const char *td = th_testdata_or_skip();
	vigil_index_options io;
	vigil_match_options mo;
	vigil_db_import_result *res = NULL;
	size_t nres = 0;

	if (th_temp_store("u1804", u->dir, &u->store) < 0)
		return u1804_fail("store");
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/root/etc %s/root/var/lib/dpkg && "
		 "cp %s/pkgdb/os-release/claircore_ubuntu18.04.os-release %s/root/etc/os-release && "
		 "cp %s/pkgdb/dpkg/trivy_ubuntu1804/var/lib/dpkg/status %s/root/var/lib/dpkg/status",
		 u->dir, u->dir, td, u->dir, td, u->dir);
	if (system(cmd) != 0)
		return -1;
	const char *uct = th_data_path("feeds/ubuntu/uct");
	if (vigil_db_import(u->store, &uct, 1, NULL, &res, &nres) < 0)
		return u1804_fail("import");
	free(res);
	snprintf(path, sizeof(path), "dir:%s/root", u->dir);
	vigil_index_options_init(&io);
	if (vigil_index_image(path, &io, &u->ir) < 0)
		return u1804_fail("index");
	vigil_match_options_init(&mo);
	mo.store = u->store;
	if (vigil_match(u->ir, &mo, &u->vr) < 0)
		return u1804_fail("match");
	return u->vr->finding_count > 0 ? 0 : -1;
}

static int u1804_teardown(struct u1804 *u)
{
	vigil_vuln_report_free(u->vr);
	vigil_index_report_free(u->ir);
	return th_temp_store_free(u->dir, u->store);
}

#endif
