/* registry/cred_helper.c: asking a Docker credential helper, as Docker
 * does: `docker-credential-NAME get` with the server address on stdin
 * ("https://index.docker.io/v1/" for Docker Hub, else host[:port]), and
 * {"ServerURL", "Username", "Secret"} on stdout. A Username of "<token>"
 * means the Secret is an identity token (not used by vigil: a note says
 * so). Exit status non-zero with "credentials not found" in the output is
 * no credentials, as docker-credential-helpers' client reads it.
 *
 * The process: posix_spawnp (no shell; NAME is [A-Za-z0-9._-], checked by
 * creds.c, so only PATH's docker-credential-NAME can run), stdin a pipe
 * already holding the address and closed (the helper cannot block us, nor
 * we it), stdout a pipe read under poll() up to VIGIL_REG_MAX_HELPER_OUTPUT
 * bytes, stderr /dev/null. A helper still running after
 * VIGIL_REG_HELPER_TIMEOUT_S is killed by its pid and reaped. The output
 * buffer is wiped; messages quote a failing helper's output only through
 * vigil_redact_text and never the secret of a successful one. */
#define _GNU_SOURCE
#include "registry/registry.h"
#include "util/error.h"
#include "util/redact.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int take_str(const char *what, json_t *root, const char *key, size_t max, char *out, size_t n)
{
	json_t *v = json_object_get(root, key);
	if (!json_is_string(v))
		return vigil_error_set(VIGIL_EFORMAT, "%s: %s: missing or not a string", what, key);
	size_t len = json_string_length(v);
	if (len > max || len >= n || strlen(json_string_value(v)) != len)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %s: over %zu bytes or holds a NUL", what, key, max);
	memcpy(out, json_string_value(v), len + 1);
	return 0;
}

int reg_creds_helper_parse(const char *what, const char *data, size_t len, vigil_reg_creds *out)
{
	json_error_t jerr;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (len > VIGIL_REG_MAX_HELPER_OUTPUT)
		return vigil_error_set(VIGIL_ELIMIT, "%s: over %zu bytes", what, VIGIL_REG_MAX_HELPER_OUTPUT);
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root || !json_is_object(root)) {
		/* not quoted: the text may hold a secret */
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: not a JSON object with Username and Secret", what);
		goto out;
	}
	if ((rc = take_str(what, root, "Username", VIGIL_REG_MAX_USER, out->user, sizeof(out->user))) < 0 ||
	    (rc = take_str(what, root, "Secret", VIGIL_REG_MAX_PASSWORD, out->pass, sizeof(out->pass))) < 0)
		goto out;
	if (!strcmp(out->user, "<token>")) {
		memset(out, 0, sizeof(*out));
		snprintf(out->note, sizeof(out->note), "%.200s has only an identity token (not supported)", what);
		goto out;
	}
	if (!out->user[0] || !out->pass[0]) {
		rc = vigil_error_set(VIGIL_EFORMAT, "%s: an empty Username or Secret", what);
		goto out;
	}
	out->found = true;
out:
	json_decref(root);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Reads the child's stdout until EOF, the cap or the deadline. */
static int read_output(int fd, char *buf, size_t max, size_t *len, bool *timed_out)
{
	long deadline = now_ms() + VIGIL_REG_HELPER_TIMEOUT_S * 1000L;
	*len = 0;
	*timed_out = false;
	for (;;) {
		long left = deadline - now_ms();
		if (left <= 0) {
			*timed_out = true;
			return 0;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return vigil_error_set(VIGIL_EIO, "poll: %s", strerror(errno));
		if (r == 0)
			continue;
		if (*len == max)
			return vigil_error_set(VIGIL_ELIMIT, "printed over %zu bytes", max);
		ssize_t got = read(fd, buf + *len, max - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return vigil_error_set(VIGIL_EIO, "read: %s", strerror(errno));
		if (got == 0)
			return 0;
		*len += (size_t)got;
	}
}

/* Starts prog with stdin holding input, stdout a pipe (*out_fd). */
static int spawn(const char *prog, const char *input, pid_t *pid, int *out_fd)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, rc = 0;
	posix_spawn_file_actions_t fa;
	char *const argv[] = { (char *)prog, (char *)"get", NULL };
	bool fa_init = false;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		rc = vigil_error_set(VIGIL_EIO, "pipe: %s", strerror(errno));
		goto out;
	}
	size_t n = strlen(input); /* a host name: far below a pipe's buffer */
	if (write(in[1], input, n) != (ssize_t)n) {
		rc = vigil_error_set(VIGIL_EIO, "write to %s: %s", prog, strerror(errno));
		goto out;
	}
	close(in[1]);
	in[1] = -1;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		rc = vigil_error_oom();
		goto out;
	}
	fa_init = true;
	int e = posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	if (!e)
		e = posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	if (!e)
		e = posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (!e)
		e = posix_spawnp(pid, prog, &fa, NULL, argv, environ);
	if (e) {
		rc = vigil_error_set(e == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s: %s%s", prog, strerror(e),
				     e == ENOENT ? " (not on PATH)" : "");
		goto out;
	}
	*out_fd = out[0];
	out[0] = -1;
out:
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	return rc;
}

/* The helper's failure, its first line quoted (redacted, cut). */
static int helper_failed(const char *prog, int status, const char *buf, size_t len)
{
	char line[201], red[512];
	size_t k = strcspn(buf, "\r\n");
	snprintf(line, sizeof(line), "%.*s", (int)(k < len ? k : len), buf);
	if (WIFSIGNALED(status))
		return vigil_error_set(VIGIL_EIO, "%s get: killed by signal %d", prog, WTERMSIG(status));
	return vigil_error_set(VIGIL_EIO, "%s get failed (exit %d)%s%s", prog, WEXITSTATUS(status),
			       line[0] ? ": " : "", line[0] ? vigil_redact_text(line, red, sizeof(red)) : "");
}

int reg_creds_helper_get(const char *helper, const char *domain, vigil_reg_creds *out)
{
	char prog[VIGIL_REG_MAX_HELPER_NAME + 32], addr[VIGIL_REG_MAX_DOMAIN + 32];
	char *buf = NULL;
	size_t len = 0;
	bool timed_out = false;
	pid_t pid = -1;
	int fd = -1, status = 0, rc;
	memset(out, 0, sizeof(*out));
	snprintf(prog, sizeof(prog), "docker-credential-%s", helper);
	snprintf(addr, sizeof(addr), "%s", !strcmp(domain, "docker.io") ? "https://index.docker.io/v1/" : domain);
	if (!(buf = malloc(VIGIL_REG_MAX_HELPER_OUTPUT + 1)))
		return vigil_error_oom();
	if ((rc = spawn(prog, addr, &pid, &fd)) < 0)
		goto out;
	rc = read_output(fd, buf, VIGIL_REG_MAX_HELPER_OUTPUT, &len, &timed_out);
	close(fd);
	if (timed_out || rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (timed_out) {
		rc = vigil_error_set(VIGIL_EIO, "%s get: no answer in %d s (killed)", prog, VIGIL_REG_HELPER_TIMEOUT_S);
		goto out;
	}
	if (rc < 0) {
		vigil_error_prefix("%s get: ", prog);
		goto out;
	}
	buf[len] = '\0';
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc = strstr(buf, "credentials not found") ? 0 : helper_failed(prog, status, buf, len);
		goto out;
	}
	char what[sizeof(prog) + 16];
	snprintf(what, sizeof(what), "%s get", prog);
	rc = reg_creds_helper_parse(what, buf, len, out);
out:
	if (buf) {
		memset(buf, 0, len);
		free(buf);
	}
	return rc;
}
