/* server/events_conf.c: the registry_events: section of the server's
 * YAML (vigil's key; Clair has no push-triggered scanning):
 *
 *   registry_events:
 *     token_env: VIGIL_EVENTS_TOKEN      # or token_file, token: the endpoint's Bearer token
 *     workers: 2                          # indexing threads
 *     queue: 1024                         # events waiting, at most
 *     platform: linux/amd64               # the image of an index to index
 *     registries:
 *       - host: registry.example.com:5000 # as request.host / target.url name it
 *         username: vigil                 # with password_env, password_file or password
 *         password_env: REGISTRY_PASSWORD
 *         docker_config: /etc/vigil/docker-config.json   # or a Docker config.json
 *         insecure: true                  # plain HTTP: loopback hosts only
 *
 * Secrets are read here, once, from the environment or a file (at most
 * SRV_EV_MAX_SECRET bytes, trailing white space dropped), so a missing
 * variable or unreadable file stops the server at start rather than
 * failing every pull later. A registry is identified by its host alone;
 * the same host twice is an error. */
#include "server/config_priv.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A secret: literal, from the environment variable named, or from the
 * file named, into out. */
static int get_secret(struct cfg *g, const char *path, const yaml_node_t *v, const char *how, char *out)
{
	char name[SRV_EV_MAX_PATH] = "";
	int rc;
	if (!strcmp(how, "literal"))
		return cfg_get_str(g, v, path, out, SRV_EV_MAX_SECRET);
	if ((rc = cfg_get_str(g, v, path, name, sizeof(name))) < 0 || !name[0])
		return rc;
	if (!strcmp(how, "env")) {
		const char *e = getenv(name);
		if (!e || !*e)
			return cfg_bad(g, v, path, "the environment variable is not set");
		if (strlen(e) >= SRV_EV_MAX_SECRET)
			return cfg_bad(g, v, path, "the environment variable is too long");
		memcpy(out, e, strlen(e) + 1);
		return 0;
	}
	/* a regular file only: a FIFO or device would block or never end */
	int fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f = NULL;
	char why[320];
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "rb"))) {
		snprintf(why, sizeof(why), "%.200s: %s", name, fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return cfg_bad(g, v, path, why);
	}
	size_t n = fread(out, 1, SRV_EV_MAX_SECRET, f);
	bool bad = ferror(f) || n == SRV_EV_MAX_SECRET || memchr(out, 0, n);
	fclose(f);
	if (bad) {
		out[0] = '\0';
		return cfg_bad(g, v, path, "cannot read it, or over 1023 bytes, or binary");
	}
	while (n && strchr(" \t\r\n", out[n - 1]))
		n--;
	out[n] = '\0';
	if (!n)
		return cfg_bad(g, v, path, "the file is empty");
	return 0;
}

/* The secret keys: NAME, NAME_env, NAME_file. 1 when leaf is one. */
static int secret_key(struct cfg *g, const char *path, const char *leaf, const char *name,
		      const yaml_node_t *v, char *out, int *rc)
{
	size_t n = strlen(name);
	if (strncmp(leaf, name, n))
		return 0;
	const char *how = !leaf[n] ? "literal" : !strcmp(leaf + n, "_env") ? "env" : !strcmp(leaf + n, "_file") ? "file" : NULL;
	if (!how)
		return 0;
	*rc = get_secret(g, path, v, how, out);
	return 1;
}

static bool is_loopback(const char *host)
{
	size_t n = strcspn(host, ":");
	if (host[0] == '[')
		return !strncmp(host, "[::1]", 5);
	return (n == 9 && !strncmp(host, "localhost", 9)) || !strncmp(host, "127.", 4);
}

static int get_platform(struct cfg *g, const char *path, const yaml_node_t *v, char *out)
{
	int rc = cfg_get_str(g, v, path, out, SRV_EV_MAX_PLATFORM);
	if (rc < 0 || !out[0])
		return rc;
	size_t slashes = 0;
	for (const char *p = out; *p; p++) {
		if (*p == '/')
			slashes++;
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			slashes = 9;
	}
	if (slashes < 1 || slashes > 2 || out[0] == '/' || out[strlen(out) - 1] == '/' || strstr(out, "//"))
		return cfg_bad(g, v, path, "not a platform (os/arch[/variant], \"linux/amd64\")");
	return 0;
}

/* One key of the registry being read (the last of the list). */
static int registry_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	srv_ev_registry *r = &g->c->events.reg[g->c->events.nreg - 1];
	const char *leaf = strrchr(path, '.') + 1;
	int rc = 0;
	(void)depth;
	if (!strcmp(leaf, "host")) {
		if ((rc = cfg_get_str(g, v, path, r->host, sizeof(r->host))) < 0)
			return rc;
		for (char *p = r->host; *p; p++) {
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(".-:[]", *p)))
				return cfg_bad(g, v, path, "not a host[:port] (no scheme, no path)");
		}
		return 0;
	}
	if (!strcmp(leaf, "insecure"))
		return cfg_get_bool(g, v, path, &r->insecure);
	if (!strcmp(leaf, "username"))
		return cfg_get_str(g, v, path, r->username, sizeof(r->username));
	if (!strcmp(leaf, "docker_config"))
		return cfg_get_str(g, v, path, r->docker_config, sizeof(r->docker_config));
	if (!strcmp(leaf, "platform"))
		return get_platform(g, path, v, r->platform);
	if (secret_key(g, path, leaf, "password", v, r->password, &rc))
		return rc;
	cfg_unknown(g, path, v);
	return 0;
}

static int read_registries(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	srv_events_config *e = &g->c->events;
	if (cfg_is_null(v))
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return cfg_bad(g, v, path, "not a list of registries");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *m = cfg_node(g, *it);
		int rc;
		if (!m)
			return cfg_bad(g, v, path, "too many nodes");
		if (e->nreg >= SRV_EV_MAX_REGISTRIES)
			return cfg_bad(g, m, path, "more than 16 registries");
		srv_ev_registry *r = &e->reg[e->nreg++];
		memset(r, 0, sizeof(*r));
		if ((rc = cfg_walk_map(g, m, path, registry_key, depth)) < 0)
			return rc;
		if (!r->host[0])
			return cfg_bad(g, m, path, "a registry without host");
		if (r->insecure && !is_loopback(r->host))
			return cfg_bad(g, m, path, "insecure (plain HTTP) is allowed for a loopback host only");
		if (!r->username[0] != !r->password[0])
			return cfg_bad(g, m, path, "username and password go together");
		for (size_t k = 0; k + 1 < e->nreg; k++)
			if (!strcmp(e->reg[k].host, r->host))
				return cfg_bad(g, m, path, "the same host twice");
	}
	return 0;
}

int cfg_events_key(struct cfg *g, const char *path, const yaml_node_t *v, int depth)
{
	srv_events_config *e = &g->c->events;
	const char *leaf = path + strlen("registry_events.");
	int rc = 0;
	if (!strcmp(leaf, "registries"))
		return read_registries(g, path, v, depth);
	if (!strcmp(leaf, "workers"))
		return cfg_get_small(g, v, path, 1, SRV_EV_MAX_WORKERS, &e->workers);
	if (!strcmp(leaf, "queue"))
		return cfg_get_small(g, v, path, 1, SRV_EV_MAX_QUEUE, &e->queue);
	if (!strcmp(leaf, "platform"))
		return get_platform(g, path, v, e->platform);
	if (secret_key(g, path, leaf, "token", v, e->token, &rc))
		return rc;
	cfg_unknown(g, path, v);
	return 0;
}
