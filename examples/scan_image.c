/* examples/scan_image.c: a program embedding libvigil through its public
 * API only (<vigil/vigil.h>), built against the installed library with
 * pkg-config (examples/Makefile, docs/embedding.md).
 *
 *   scan_image [--db STORE] [--match] IMAGE
 *
 * Opens the store (the layer cache and the vulnerability data; default
 * $VIGIL_DB or ~/.cache/vigil/vigil.db), indexes IMAGE (any reference
 * `vigil index` takes: dir:PATH, oci:DIR[:TAG], docker-archive:PATH, a
 * registry image), prints its distribution and package count, and with
 * --match the findings per severity from the data in the store.
 *
 * Each library call that fails returns a negative VIGIL_E* code and leaves
 * its message in vigil_error_message(); every object is freed in reverse
 * order at `out:` and every *_free accepts NULL. Exit status: 0 done, 1 an
 * error, 2 bad usage. */
#include <vigil/vigil.h>

#include <stdio.h>
#include <string.h>

static void print_warning(void *ud, const char *msg)
{
	(void)ud;
	fprintf(stderr, "scan_image: warning: %s\n", msg);
}

static int usage(void)
{
	fprintf(stderr, "usage: scan_image [--db STORE] [--match] IMAGE\n(libvigil %s)\n",
		vigil_version());
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "scan_image: %s: %s (%s)\n", what, vigil_error_message(),
		vigil_error_name(vigil_error_code()));
	return 1;
}

static void print_index(const vigil_index_report *ir)
{
	const vigil_distribution *d = ir->distribution;
	size_t per_type[4] = { 0 };

	printf("image: %s\n", ir->image);
	printf("manifest: %s\n", ir->manifest_hash);
	if (d)
		printf("distribution: %s (%s %s)\n", d->pretty_name ? d->pretty_name : "?",
		       d->did ? d->did : "?", d->version_id ? d->version_id : "?");
	else
		printf("distribution: none found\n");
	for (size_t i = 0; i < ir->package_count; i++)
		if ((unsigned)ir->packages[i].type < 4)
			per_type[ir->packages[i].type]++;
	printf("packages: %zu", ir->package_count);
	for (int t = VIGIL_PKG_DPKG; t <= VIGIL_PKG_RPM; t++)
		if (per_type[t])
			printf(" (%s %zu)", vigil_pkg_type_name((vigil_pkg_type)t), per_type[t]);
	printf("\nlayers: %zu (%zu from the cache)\n", ir->layer_count, ir->layers_cached);
}

static void print_findings(const vigil_vuln_report *vr)
{
	size_t per_sev[VIGIL_SEV_CRITICAL + 1] = { 0 };

	for (size_t i = 0; i < vr->finding_count; i++)
		if ((unsigned)vr->findings[i].severity <= VIGIL_SEV_CRITICAL)
			per_sev[vr->findings[i].severity]++;
	printf("namespace: %s\n", vr->namespace ? vr->namespace : "none");
	printf("findings: %zu", vr->finding_count);
	for (int s = VIGIL_SEV_CRITICAL; s >= VIGIL_SEV_UNKNOWN; s--)
		if (per_sev[s])
			printf(" (%s %zu)", vigil_severity_name((vigil_severity)s), per_sev[s]);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *db = NULL, *image = NULL;
	int match = 0, rc = 1;
	vigil_store *store = NULL;
	vigil_index_report *ir = NULL;
	vigil_vuln_report *vr = NULL;
	vigil_index_options iopt;
	vigil_match_options mopt;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strcmp(argv[i], "--match"))
			match = 1;
		else if (argv[i][0] == '-' || image)
			return usage();
		else
			image = argv[i];
	}
	if (!image)
		return usage();

	if (vigil_store_open(db, &store) < 0) {
		rc = fail("cannot open the store");
		goto out;
	}
	vigil_index_options_init(&iopt);
	iopt.store = store;
	iopt.warn = print_warning;
	if (vigil_index_image(image, &iopt, &ir) < 0) {
		rc = fail(image);
		goto out;
	}
	print_index(ir);

	if (match) {
		vigil_match_options_init(&mopt);
		mopt.store = store;
		mopt.warn = print_warning;
		if (vigil_match(ir, &mopt, &vr) < 0) {
			rc = fail("matching");
			goto out;
		}
		print_findings(vr);
	}
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	vigil_vuln_report_free(vr);
	vigil_index_report_free(ir);
	vigil_store_close(store);
	return rc;
}
