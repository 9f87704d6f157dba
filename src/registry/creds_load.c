/* registry/creds_load.c: which credential file is read for a registry,
 * and asking the credential helper it names (cred_helper.c).
 *
 * A file given (vigil_registry_options.config_path, --registry-config) is
 * the only one read. Otherwise these, in order, the first that has
 * anything for the host (an "auths" entry or a helper) wins:
 *   1. $REGISTRY_AUTH_FILE                      (podman, skopeo, buildah)
 *   2. $DOCKER_CONFIG/config.json               (Docker)
 *   3. $XDG_RUNTIME_DIR/containers/auth.json    (podman login's default)
 *   4. ~/.config/containers/auth.json
 *   5. ~/.docker/config.json                    (when $DOCKER_CONFIG is unset)
 * so what the environment names comes before the default files; an absent
 * file is skipped, a broken one is an error naming it. Within a file,
 * Docker's rule: the helper (credHelpers for the host, else credsStore)
 * wins over "auths"; when the helper has no credentials for the host, the
 * "auths" entry is used if there is one. Flags (--username, an
 * Authorization given) come before all of this (creds.c,
 * reg_creds_choose). Secrets are wiped from the buffers they pass through
 * and never appear in a message. */
#include "registry/registry.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_file(const char *path, bool must, char **data, size_t *n)
{
	*data = NULL;
	*n = 0;
	FILE *f = fopen(path, "rbe");
	if (!f) {
		if (errno == ENOENT && !must)
			return 0;
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s: %s", path,
				       strerror(errno));
	}
	char *buf = malloc(VIGIL_REG_MAX_CONFIG_FILE + 1);
	int rc = 0;
	if (!buf) {
		fclose(f);
		return vigil_error_oom();
	}
	size_t got = fread(buf, 1, VIGIL_REG_MAX_CONFIG_FILE + 1, f);
	if (ferror(f))
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
	else if (got > VIGIL_REG_MAX_CONFIG_FILE)
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: over %zu bytes", path, VIGIL_REG_MAX_CONFIG_FILE);
	fclose(f);
	if (rc < 0) {
		memset(buf, 0, got < VIGIL_REG_MAX_CONFIG_FILE ? got : VIGIL_REG_MAX_CONFIG_FILE);
		free(buf);
		return rc;
	}
	*data = buf;
	*n = got;
	return 0;
}

/* One file: its "auths" entry, then its helper over it. *any: the file
 * has something for the host. */
static int load_one(const char *path, bool must, const char *domain, vigil_reg_creds *out, bool *any)
{
	char *data;
	size_t n;
	int rc = read_file(path, must, &data, &n);
	*any = false;
	if (rc < 0 || !data)
		return rc;
	rc = reg_creds_parse(path, data, n, domain, out);
	memset(data, 0, n);
	free(data);
	if (rc < 0)
		return rc;
	*any = out->found || out->helper[0] || out->note[0];
	if (out->found)
		snprintf(out->source, sizeof(out->source), "%.300s", path);
	if (!out->helper[0])
		return 0;
	vigil_reg_creds h;
	memset(&h, 0, sizeof(h));
	if ((rc = reg_creds_helper_get(out->helper, domain, &h)) < 0) {
		vigil_error_prefix("%s: ", path);
		goto out;
	}
	if (h.found) {
		memcpy(out->user, h.user, sizeof(out->user));
		memcpy(out->pass, h.pass, sizeof(out->pass));
		out->found = true;
		snprintf(out->source, sizeof(out->source), "docker-credential-%s (named by %.200s)", out->helper,
			 path);
	} else if (h.note[0] && !out->found) {
		snprintf(out->note, sizeof(out->note), "%s", h.note);
	}
out:
	memset(&h, 0, sizeof(h));
	return rc;
}

/* The files to look at, in order (see the opening comment). */
static size_t candidates(char paths[VIGIL_REG_MAX_AUTH_FILES][4096])
{
	const char *raf = getenv("REGISTRY_AUTH_FILE"), *dc = getenv("DOCKER_CONFIG"),
		   *xdg = getenv("XDG_RUNTIME_DIR"), *home = getenv("HOME");
	size_t n = 0;
	if (raf && *raf)
		snprintf(paths[n++], 4096, "%s", raf);
	if (dc && *dc)
		snprintf(paths[n++], 4096, "%s/config.json", dc);
	if (xdg && *xdg)
		snprintf(paths[n++], 4096, "%s/containers/auth.json", xdg);
	if (home && *home) {
		snprintf(paths[n++], 4096, "%s/.config/containers/auth.json", home);
		if (!(dc && *dc))
			snprintf(paths[n++], 4096, "%s/.docker/config.json", home);
	}
	return n;
}

int reg_creds_load(const char *path, const char *domain, vigil_reg_creds *out)
{
	char paths[VIGIL_REG_MAX_AUTH_FILES][4096];
	bool any = false;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (path && !*path)
		return 0;
	if (path) {
		rc = load_one(path, true, domain, out, &any);
	} else {
		size_t n = candidates(paths);
		for (size_t i = 0; i < n && !any && rc >= 0; i++)
			rc = load_one(paths[i], false, domain, out, &any);
	}
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
