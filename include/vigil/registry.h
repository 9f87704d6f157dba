/* vigil/registry.h: reading images straight from a registry (the OCI
 * distribution API): the options that say how to reach and authenticate to
 * it, and the Clair v4 Manifest of a registry image.
 *
 * References accepted wherever an image is named (vigil_index_image(), the
 * CLI): "REGISTRY/REPO:TAG", "REGISTRY/REPO@sha256:HEX", "REPO[:TAG]" (Docker
 * Hub: "debian" is docker.io/library/debian:latest), each optionally with a
 * "docker://" or "registry:" prefix. See docs/registry.md.
 *
 *   vigil_registry_options ro;
 *   vigil_registry_options_init(&ro);
 *   ro.insecure = 1;                        plain HTTP (a test registry)
 *   opts.registry = &ro;                    vigil_index_options
 */
#ifndef VIGIL_REGISTRY_H
#define VIGIL_REGISTRY_H

#include <stddef.h>

#include "vigil/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vigil_registry_options {
	const char *username;    /* with password: basic credentials for the image's registry
	                            (sent to it, or to its token server); NULL: from the config file */
	const char *password;
	const char *config_path; /* a Docker config.json with "auths"; NULL: $DOCKER_CONFIG/config.json,
	                            else ~/.docker/config.json (absent: anonymous); "": none */
	int insecure;            /* 1: plain HTTP instead of HTTPS (TLS is otherwise always verified) */
	const char *authorization; /* a ready Authorization value, sent verbatim to the registry (never
	                            to another host): "Bearer TOKEN" (a token already issued for the
	                            repository; a 401 is final) or "Basic BASE64" (also used, decoded,
	                            at the token server when the registry asks for a Bearer token), as
	                            Harbor hands its scanners; NULL: username/password or the config file */
	int fetch_policy;        /* 1: the registry (and its token server) only where the layer fetch
	                            policy allows (vigil/fetch.h: a server's indexer.fetch.deny/allow),
	                            for a registry a client named; 0: net's default (no link-local) */
} vigil_registry_options;

VIGIL_EXTERN(void) vigil_registry_options_init(vigil_registry_options *o);

/* The Clair v4 Manifest of a registry image, as `clairctl manifest` prints
 * it: {"hash": manifest digest, "layers": [{"hash", "uri" (the blob URL),
 * "headers": {"Authorization": ["Bearer ..."]}}]}. platform as
 * vigil_index_options.platform; opt may be NULL. *json is malloc'd. */
VIGIL_EXTERN(int) vigil_registry_manifest_json(const char *ref, const char *platform,
				 const vigil_registry_options *opt, int pretty, char **json,
				 size_t *len);

#ifdef __cplusplus
}
#endif
#endif
