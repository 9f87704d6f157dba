/* registry/creds.c: registry credentials from a Docker config.json, the
 * file `docker login` writes (podman's auth.json has the same form):
 * {"auths": {"HOST": {"auth": "base64(user:password)"}}}, some tools
 * writing "username" and "password" instead. Keys are matched by
 * host[:port] once a scheme and a path are stripped
 * ("https://index.docker.io/v1/" is Docker Hub's). The credential helper
 * the file names for the host ("credHelpers", else "credsStore", as Docker
 * chooses) is recorded for creds_load.c to run (cred_helper.c); identity
 * tokens are not used: when one is all there is for the host, the note
 * says so, for the error a 401 gives. The file is at most
 * VIGIL_REG_MAX_CONFIG_FILE bytes.
 *
 * Also a ready Authorization value (vigil_registry_options.authorization,
 * what Harbor hands its scanners), which the client sends verbatim to the
 * registry: "Bearer ..." is a token already issued for the repository (the
 * only credential: a 401 is final); "Basic ..." is also decoded into the
 * credentials, so a registry that answers with a Bearer challenge gets them
 * at its token server, as --username would. The value is checked (a
 * scheme, a space, visible ASCII, at most VIGIL_REG_MAX_GIVEN_AUTH bytes)
 * and never appears in a message. reg_creds_choose picks a client's
 * credentials from its options: that value, else --username, else the
 * config file. */
#include "registry/registry.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/json.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "https://host:port/v1/" -> "host:port"; lower-cased. */
static void key_host(const char *key, char *out, size_t n)
{
	const char *p = strstr(key, "://");
	p = p ? p + 3 : key;
	size_t k = strcspn(p, "/");
	if (k >= n)
		k = n - 1;
	for (size_t i = 0; i < k; i++)
		out[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] - 'A' + 'a') : p[i];
	out[k] = '\0';
}

static bool host_matches(const char *key, const char *domain)
{
	char h[VIGIL_REG_MAX_DOMAIN + 1];
	key_host(key, h, sizeof(h));
	if (!strcasecmp(h, domain))
		return true;
	if (!strcmp(domain, "docker.io"))
		return !strcmp(h, "index.docker.io") || !strcmp(h, "registry-1.docker.io") ||
		       !strcmp(h, "registry.hub.docker.com");
	return false;
}

/* Basic credentials as an Authorization value (malloc'd). */
char *reg_creds_basic_value(const vigil_reg_creds *cr)
{
	size_t ul = strlen(cr->user), pl = strlen(cr->pass), n = ul + 1 + pl;
	char *plain = malloc(n + 1), *out = malloc(4 * ((n + 2) / 3) + 8);
	if (!plain || !out)
		goto fail;
	snprintf(plain, n + 1, "%s:%s", cr->user, cr->pass);
	memcpy(out, "Basic ", 6);
	if (vigil_base64_encode(plain, n, 0, out + 6, VIGIL_BASE64_ENCODED_LEN(n) + 2) < 0)
		goto fail;
	memset(plain, 0, n);
	free(plain);
	return out;
fail:
	if (plain)
		memset(plain, 0, n);
	free(plain);
	free(out);
	return NULL;
}

/* A ready Authorization value (what Harbor hands its scanners): a scheme,
 * a space, visible ASCII, at most VIGIL_REG_MAX_GIVEN_AUTH bytes; Basic
 * is decoded into creds, Bearer sets *bearer. Never quoted in a message. */
int reg_creds_from_authorization(const char *name, const char *v, vigil_reg_creds *creds, bool *bearer)
{
	size_t n = strlen(v), sl = strcspn(v, " ");
	*bearer = false;
	if (n > VIGIL_REG_MAX_GIVEN_AUTH)
		return vigil_error_set(VIGIL_ELIMIT, "%s: the Authorization value given is over %d bytes", name,
				       VIGIL_REG_MAX_GIVEN_AUTH);
	for (size_t i = 0; i < n; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			return vigil_error_set(VIGIL_EINVAL, "%s: the Authorization value given has a character a header cannot carry",
					       name);
	if (!sl || sl + 1 >= n)
		return vigil_error_set(VIGIL_EINVAL, "%s: the Authorization value given is not \"SCHEME CREDENTIALS\"", name);
	if (sl == 5 && !strncasecmp(v, "Basic", 5)) {
		char what[VIGIL_REG_MAX_NAME + 64];
		snprintf(what, sizeof(what), "%.*s: the Basic Authorization given", VIGIL_REG_MAX_NAME, name);
		return reg_creds_from_basic(what, v + 6, n - 6, creds);
	}
	if (sl == 6 && !strncasecmp(v, "Bearer", 6)) {
		*bearer = true;
		return 0;
	}
	return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: the Authorization value given is neither Basic nor Bearer", name);
}

/* "base64(user:password)" (padded or not) into out. */
int reg_creds_from_basic(const char *what, const char *b64, size_t len, vigil_reg_creds *out)
{
	char dec[VIGIL_REG_MAX_USER + VIGIL_REG_MAX_PASSWORD + 2];
	size_t dlen;
	int rc = 0;
	if (vigil_base64_decode(b64, len, VIGIL_BASE64_NOPAD, dec, sizeof(dec) - 1, &dlen) < 0)
		return vigil_error_set(VIGIL_EFORMAT, "%s is not base64 of user:password (or too long)", what);
	dec[dlen] = '\0';
	char *colon = memchr(dec, ':', dlen);
	if (!colon || colon == dec || strlen(dec) != dlen) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s does not decode to user:password", what);
		goto out;
	}
	size_t ul = (size_t)(colon - dec), pl = dlen - ul - 1;
	if (ul > VIGIL_REG_MAX_USER || pl > VIGIL_REG_MAX_PASSWORD) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: user or password too long", what);
		goto out;
	}
	memcpy(out->user, dec, ul);
	out->user[ul] = '\0';
	memcpy(out->pass, colon + 1, pl);
	out->pass[pl] = '\0';
	out->found = true;
out:
	memset(dec, 0, sizeof(dec));
	return rc;
}

static int take(const char *what, const char *key, json_t *e, vigil_reg_creds *out)
{
	json_t *auth = json_object_get(e, "auth"), *u = json_object_get(e, "username"),
	       *p = json_object_get(e, "password");
	if (json_is_string(auth) && json_string_length(auth) > 0) {
		char name[160];
		snprintf(name, sizeof(name), "%s: auths[\"%.100s\"].auth", what, key);
		return reg_creds_from_basic(name, json_string_value(auth), json_string_length(auth), out);
	}
	if (json_is_string(u) && json_is_string(p) && json_string_length(u) > 0) {
		if (json_string_length(u) > VIGIL_REG_MAX_USER || json_string_length(p) > VIGIL_REG_MAX_PASSWORD ||
		    strlen(json_string_value(u)) != json_string_length(u) ||
		    strlen(json_string_value(p)) != json_string_length(p))
			return vigil_error_set(VIGIL_ELIMIT, "%s: auths[\"%.100s\"]: bad or too long user or password",
					       what, key);
		snprintf(out->user, sizeof(out->user), "%s", json_string_value(u));
		snprintf(out->pass, sizeof(out->pass), "%s", json_string_value(p));
		out->found = true;
		return 0;
	}
	if (json_object_get(e, "identitytoken"))
		snprintf(out->note, sizeof(out->note), "%s has only an identity token for %s (not supported)",
			 what, key);
	return 0;
}

/* A helper's NAME (of docker-credential-NAME): [A-Za-z0-9._-], so only
 * a PATH lookup of that one name can follow. */
static int helper_name(const char *what, const char *key, json_t *v, vigil_reg_creds *out)
{
	const char *s = json_string_value(v);
	size_t n = json_is_string(v) ? json_string_length(v) : 0;
	bool ok = n > 0 && n <= VIGIL_REG_MAX_HELPER_NAME && strlen(s) == n && s[0] != '.';
	for (size_t i = 0; ok && i < n; i++)
		ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		     s[i] == '.' || s[i] == '_' || s[i] == '-';
	if (!ok)
		return vigil_error_set(VIGIL_EFORMAT, "%s: %.100s: not a credential helper name ([A-Za-z0-9._-], at most %d bytes)",
				       what, key, VIGIL_REG_MAX_HELPER_NAME);
	snprintf(out->helper, sizeof(out->helper), "%s", s);
	return 0;
}

int reg_creds_parse(const char *what, const char *data, size_t len, const char *domain,
			  vigil_reg_creds *out)
{
	json_error_t jerr;
	char why[JSON_ERROR_TEXT_LENGTH];
	json_t *root = NULL, *auths;
	const char *key;
	json_t *e;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (len > VIGIL_REG_MAX_CONFIG_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: over %zu bytes", what, VIGIL_REG_MAX_CONFIG_FILE);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return vigil_error_set(VIGIL_EFORMAT, "%s: line %d: %s", what, jerr.line,
				       vigil_json_error_text(&jerr, why, sizeof(why)));
	if (!json_is_object(root)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a JSON object", what);
		goto out;
	}
	auths = json_object_get(root, "auths");
	if (auths && !json_is_object(auths)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: auths is not an object", what);
		goto out;
	}
	/* the exact key first, then any key for the same host */
	for (int pass = 0; pass < 2 && auths && !out->found; pass++) {
		json_object_foreach(auths, key, e) {
			if (pass == 0 ? strcmp(key, domain) != 0 : !host_matches(key, domain))
				continue;
			if (!json_is_object(e)) {
				rc = vigil_error_set(VIGIL_EFORMAT, "%s: auths[\"%.100s\"] is not an object", what, key);
				goto out;
			}
			if ((rc = take(what, key, e, out)) < 0)
				goto out;
			if (out->found)
				break;
		}
	}
	/* Docker's order: credHelpers for the host, else credsStore */
	json_t *helpers = json_object_get(root, "credHelpers"), *store = json_object_get(root, "credsStore");
	if (helpers && !json_is_object(helpers)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: credHelpers is not an object", what);
		goto out;
	}
	json_object_foreach(helpers, key, e)
		if (!out->helper[0] && host_matches(key, domain) && (rc = helper_name(what, key, e, out)) < 0)
			goto out;
	if (!out->helper[0] && store && !(json_is_string(store) && !json_string_length(store)) &&
	    (rc = helper_name(what, "credsStore", store, out)) < 0)
		goto out;
out:
	json_decref(root);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

int reg_creds_choose(const char *name, const char *domain, const vigil_registry_options *opt, vigil_reg_creds *creds,
		     char *from, size_t fromn, char **given, bool *bearer)
{
	int rc;
	*given = NULL;
	*bearer = false;
	if (opt && opt->authorization && *opt->authorization) {
		if ((rc = reg_creds_from_authorization(name, opt->authorization, creds, bearer)) < 0)
			return rc;
		snprintf(from, fromn, "the Authorization given");
		if (!(*given = strdup(opt->authorization)))
			return vigil_error_oom();
		return 0;
	}
	if (opt && opt->username && *opt->username) {
		if (strlen(opt->username) > VIGIL_REG_MAX_USER || !opt->password ||
		    strlen(opt->password) > VIGIL_REG_MAX_PASSWORD)
			return vigil_error_set(VIGIL_EINVAL, "%s: a user name needs a password (each at most %d and %d bytes)",
					       name, VIGIL_REG_MAX_USER, VIGIL_REG_MAX_PASSWORD);
		snprintf(creds->user, sizeof(creds->user), "%s", opt->username);
		snprintf(creds->pass, sizeof(creds->pass), "%s", opt->password);
		creds->found = true;
		snprintf(from, fromn, "the command line");
		return 0;
	}
	if ((rc = reg_creds_load(opt ? opt->config_path : NULL, domain, creds)) < 0)
		return rc;
	snprintf(from, fromn, "%s", creds->source[0] ? creds->source
				     : opt && opt->config_path ? opt->config_path : "the Docker config file");
	return 0;
}
