/* audit/inspect_docker.c: the Dockerfile of an image, reconstructed from
 * its history's created_by lines as docker history, dive and Anchore do,
 * and the test of whether an environment variable looks secret.
 *
 * created_by forms (docs/audit.md (vigil inspect) has real examples):
 *   classic builder   "/bin/sh -c #(nop)  CMD [\"sh\"]"      -> CMD ["sh"]
 *                     "/bin/sh -c #(nop) ADD file:ab12 in / " -> ADD file:ab12 in /
 *                     "/bin/sh -c apt-get update"            -> RUN apt-get update
 *                     "|2 A=1 B=2 /bin/sh -c make"           -> RUN make
 *   BuildKit          "RUN /bin/sh -c make # buildkit"       -> RUN make
 *                     "RUN |1 V=2 /bin/sh -c make # buildkit"-> RUN make
 *                     "COPY app /app # buildkit"             -> COPY app /app
 *                     "EXPOSE map[80/tcp:{}]"                -> EXPOSE 80/tcp
 *   other shells      "/bin/bash -o pipefail -c make"        -> RUN make
 *                     "cmd /S /C dir"                        -> RUN dir
 *   kaniko, buildah   "RUN make", "ENV A=b"                  -> as is
 *   anything else     "apko", "crane append"                 -> # apko */
#include "audit/inspect_priv.h"

#include "util/error.h"
#include "util/slice.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const instructions[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
	"MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
};

static vigil_slice trim(vigil_slice s)
{
	while (s.len && isspace((unsigned char)s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && isspace((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	return s;
}

static vigil_slice skip(vigil_slice s, size_t n)
{
	return vigil_slice_make(s.ptr + n, s.len - n);
}

/* The instruction keyword s starts with (followed by a space or the end), or NULL. */
static const char *keyword(vigil_slice s)
{
	for (size_t i = 0; i < sizeof(instructions) / sizeof(instructions[0]); i++) {
		size_t n = strlen(instructions[i]);
		if (s.len >= n && memcmp(s.ptr, instructions[i], n) == 0 &&
		    (s.len == n || isspace((unsigned char)s.ptr[n])))
			return instructions[i];
	}
	return NULL;
}

/* "|N A=1 B=2 rest": the build arguments before a RUN's command. */
static vigil_slice skip_build_args(vigil_slice s)
{
	size_t i = 1, n = 0;
	if (!s.len || s.ptr[0] != '|')
		return s;
	while (i < s.len && isdigit((unsigned char)s.ptr[i]) && n <= INSPECT_MAX_BUILD_ARGS)
		n = n * 10 + (size_t)(s.ptr[i++] - '0');
	if (i == 1 || n > INSPECT_MAX_BUILD_ARGS)
		return s;
	s = trim(skip(s, i));
	for (size_t k = 0; k < n && s.len; k++) {
		size_t j = 0;
		while (j < s.len && !isspace((unsigned char)s.ptr[j]))
			j++;
		s = trim(skip(s, j));
	}
	return s;
}

/* A shell invocation ("/bin/sh -c ", "/bin/bash -o pipefail -c ", "cmd /S /C "):
 * the command after it, or s.len == 0 in *cmd when s is not one. */
static int shell_command(vigil_slice s, vigil_slice *cmd)
{
	static const char *const shells[] = { "/bin/sh", "/bin/bash", "/bin/ash", "/bin/dash", "/bin/zsh",
					      "/usr/bin/env bash", "/usr/bin/bash", "/usr/bin/sh", "sh", "bash" };
	if (vigil_slice_starts_with(s, "cmd /S /C ") || vigil_slice_starts_with(s, "cmd /s /c ")) {
		*cmd = trim(skip(s, 10));
		return 1;
	}
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++) {
		size_t n = strlen(shells[i]);
		if (!vigil_slice_starts_with(s, shells[i]) || s.len <= n || s.ptr[n] != ' ')
			continue;
		/* options up to "-c" (bash -o pipefail -c, sh -eux -c) */
		vigil_slice rest = trim(skip(s, n));
		for (int k = 0; k < 8 && rest.len && rest.ptr[0] == '-'; k++) {
			size_t j = 0;
			while (j < rest.len && !isspace((unsigned char)rest.ptr[j]))
				j++;
			int is_c = j >= 2 && rest.ptr[1] != '-' && rest.ptr[j - 1] == 'c';
			int takes_arg = j == 2 && rest.ptr[1] == 'o'; /* -o pipefail */
			rest = trim(skip(rest, j));
			if (is_c) {
				*cmd = rest;
				return 1;
			}
			if (takes_arg) {
				for (j = 0; j < rest.len && !isspace((unsigned char)rest.ptr[j]);)
					j++;
				rest = trim(skip(rest, j));
			}
		}
		return 0;
	}
	return 0;
}

/* Writes s, a multi-line command continued with " \" as a Dockerfile would. */
static int put_lines(vigil_buf *b, vigil_slice s)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < s.len; i++)
		rc = s.ptr[i] == '\n' ? vigil_buf_puts(b, " \\\n    ") : vigil_buf_putc(b, s.ptr[i]);
	return rc;
}

/* "EXPOSE map[80/tcp:{} 443/tcp:{}]" (BuildKit) -> "EXPOSE 80/tcp 443/tcp". */
static int put_expose(vigil_buf *b, vigil_slice s)
{
	vigil_slice arg = trim(skip(s, 6));
	if (!vigil_slice_starts_with(arg, "map[") || arg.ptr[arg.len - 1] != ']')
		return put_lines(b, s);
	int rc = vigil_buf_puts(b, "EXPOSE");
	arg = skip(arg, 4);
	arg.len--;
	while (rc == 0 && arg.len) {
		size_t j = 0;
		while (j < arg.len && arg.ptr[j] != ' ')
			j++;
		vigil_slice port = vigil_slice_make(arg.ptr, j);
		if (port.len > 3 && memcmp(port.ptr + port.len - 3, ":{}", 3) == 0)
			port.len -= 3;
		rc = vigil_buf_putc(b, ' ');
		if (rc == 0)
			rc = vigil_buf_append(b, port.ptr, port.len);
		arg = trim(skip(arg, j));
	}
	return rc;
}

static int put_instruction(vigil_buf *b, vigil_slice s)
{
	const char *kw = keyword(s);
	vigil_slice cmd;
	if (kw && !strcmp(kw, "EXPOSE"))
		return put_expose(b, s);
	if (kw && !strcmp(kw, "RUN")) {
		/* BuildKit's RUN [|N ARGS] /bin/sh -c CMD */
		vigil_slice rest = skip_build_args(trim(skip(s, 3)));
		if (shell_command(rest, &cmd))
			rest = cmd;
		int rc = vigil_buf_puts(b, "RUN ");
		return rc < 0 ? rc : put_lines(b, rest);
	}
	return put_lines(b, s);
}

int inspect_instruction_buf(vigil_buf *b, const char *created_by, size_t len)
{
	vigil_slice s = trim(vigil_slice_make(created_by, len)), cmd;
	int rc;
	if (!s.len)
		return 0;
	if (vigil_slice_ends_with(s, "# buildkit"))
		s = trim(vigil_slice_make(s.ptr, s.len - 10));
	vigil_slice args = skip_build_args(s);
	if (shell_command(args, &cmd)) {
		if (vigil_slice_starts_with(cmd, "#(nop)"))
			return put_instruction(b, trim(skip(cmd, 6)));
		if ((rc = vigil_buf_puts(b, "RUN ")) < 0)
			return rc;
		return put_lines(b, cmd);
	}
	if (vigil_slice_starts_with(s, "#(nop)"))
		return put_instruction(b, trim(skip(s, 6)));
	if (keyword(s))
		return put_instruction(b, s);
	if ((rc = vigil_buf_puts(b, "# ")) < 0)
		return rc;
	return put_lines(b, s);
}

char *vigil_inspect_instruction(const char *created_by, size_t len)
{
	vigil_buf b;
	vigil_buf_init(&b, VIGIL_INSPECT_MAX_STRING * 2);
	if (!created_by || inspect_instruction_buf(&b, created_by, len) < 0 || !b.len) {
		vigil_buf_free(&b);
		return NULL;
	}
	return vigil_buf_detach(&b, NULL);
}

int inspect_dockerfile_build(vigil_inspect_report *r)
{
	vigil_buf b;
	int rc = 0;
	const char *first = NULL;
	vigil_buf_init(&b, INSPECT_RENDER_MAX);
	for (size_t i = 0; i < r->history_count && !first; i++)
		first = r->history[i].instruction;
	if (!first)
		rc = vigil_buf_puts(&b, "# the image config has no build history\n");
	else if (!strncmp(first, "ADD ", 4) || !strncmp(first, "COPY ", 5) || !strncmp(first, "FROM ", 5))
		rc = strncmp(first, "FROM ", 5) ? vigil_buf_puts(&b, "FROM scratch\n") : 0;
	else
		rc = vigil_buf_puts(&b, "# the base image is not recorded in the history (FROM unknown)\n");
	for (size_t i = 0; rc == 0 && i < r->history_count; i++)
		if (r->history[i].instruction)
			rc = vigil_buf_printf(&b, "%s\n", r->history[i].instruction);
	if (rc == 0 && !(r->dockerfile = vigil_arena_strndup(r->internal->arena, vigil_buf_cstr(&b), b.len)))
		rc = vigil_error_oom();
	vigil_buf_free(&b);
	return rc;
}

/* ---- secret-looking environment variables ---- */

/* Words of a name (split at '_', '-', '.') that mark a secret. */
static const char *name_secret(const char *name)
{
	static const char *const words[] = { "PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN",
					     "CREDENTIAL", "CREDENTIALS", "CREDS", "APIKEY", "PRIVATE", "AUTH" };
	char up[256];
	size_t n = strlen(name);
	if (n >= sizeof(up))
		n = sizeof(up) - 1;
	for (size_t i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)name[i]);
	up[n] = '\0';
	if (!strncmp(up, "AWS_", 4) && !strstr(up, "REGION") && !strstr(up, "PROFILE") && !strstr(up, "ENDPOINT"))
		return "an AWS_ variable";
	if (strstr(up, "PASSWORD") || strstr(up, "SECRET") || strstr(up, "TOKEN") || strstr(up, "CREDENTIAL"))
		return "its name says it is a secret";
	for (char *p = up, *e; *p; p = e + (*e ? 1 : 0)) {
		e = p + strcspn(p, "_-.");
		size_t wl = (size_t)(e - p);
		if (wl >= 3 && !memcmp(e - 3, "KEY", 3))
			return "its name ends a word in KEY";
		if (!strcmp(up, "PWD"))
			break; /* the shell's working folder */
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (wl == strlen(words[i]) && !memcmp(p, words[i], wl))
				return "its name says it is a secret";
		if (!*e)
			break;
	}
	return NULL;
}

static int is_upper_alnum(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isupper((unsigned char)p[i]) && !isdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

/* Shannon entropy of a token-like value (bits per character), 0 when it
 * has characters a token has not. */
static double entropy(const char *v, size_t n)
{
	unsigned cnt[256] = { 0 };
	int digit = 0, alpha = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!isalnum(c) && !strchr("+/=_-.", c))
			return 0;
		digit |= isdigit(c) != 0;
		alpha |= isalpha(c) != 0;
		cnt[c]++;
	}
	if (!digit || !alpha)
		return 0;
	double h = 0;
	for (int c = 0; c < 256; c++)
		if (cnt[c]) {
			double p = (double)cnt[c] / (double)n;
			h -= p * log2(p);
		}
	return h;
}

static const char *value_secret(const char *v)
{
	static const char *const prefixes[] = { "ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "xoxb-", "xoxp-",
						"sk_live_", "rk_live_", "sk-", "AIza", "npm_" };
	size_t n = strlen(v);
	if (strstr(v, "-----BEGIN") && strstr(v, "PRIVATE KEY"))
		return "a private key";
	for (size_t i = 0; i + 20 <= n; i++)
		if ((!memcmp(v + i, "AKIA", 4) || !memcmp(v + i, "ASIA", 4)) && is_upper_alnum(v + i + 4, 16))
			return "an AWS access key id";
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(v, prefixes[i], strlen(prefixes[i])) && n >= strlen(prefixes[i]) + 16)
			return "a known token format";
	const char *scheme = strstr(v, "://");
	if (scheme) {
		const char *at = strchr(scheme + 3, '@'), *colon = strchr(scheme + 3, ':');
		const char *slash = strchr(scheme + 3, '/');
		if (at && colon && colon < at && (!slash || at < slash))
			return "a URL with a password";
	}
	if (!strncmp(v, "eyJ", 3) && strchr(v, '.') && strchr(strchr(v, '.') + 1, '.'))
		return "a JSON web token";
	if (n >= 20 && n <= 4096) {
		double limit = 0.85 * log2((double)n);
		if (entropy(v, n) >= (limit < 4.2 ? limit : 4.2))
			return "a high-entropy value";
	}
	return NULL;
}

int vigil_inspect_env_secret(const char *name, const char *value, const char **why)
{
	const char *w = value && *value ? value_secret(value) : NULL;
	int kind = w ? 1 : 0;
	if (!w && value && *value && (w = name_secret(name ? name : "")))
		kind = 2; /* a password says nothing of its form: show none of it */
	if (kind == 1 && !strcmp(w, "a high-entropy value"))
		kind = 2;
	if (why)
		*why = w;
	return kind;
}
