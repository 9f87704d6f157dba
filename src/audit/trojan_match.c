/* audit/trojan_match.c: the command-line patterns of the trojan scanner
 * (trojan.h): reverse shells, download-and-run, and what a startup script
 * does before it hands over to the real program. A line is split into
 * words at white space and shell punctuation; a command is recognised by
 * its base name (/usr/bin/nc is nc). */
#define _GNU_SOURCE /* memmem */
#include "audit/trojan.h"

#include <string.h>
#include <strings.h>

typedef struct words {
	vigil_slice w[TROJAN_MAX_WORDS];
	size_t n;
} words;

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == ';' || c == '&' || c == '(' || c == ')' || c == '<' || c == '>' ||
	       c == '`' || c == '\'' || c == '"' || c == '{' || c == '}' || c == '$' || c == '\\';
}

/* Splits line into words; a '|' (not "||") is a word of its own, and a
 * run of ';' and '&' (not the '&' of a redirection ">&", "&>") is the
 * word ";": where one command ends. */
static void split_words(vigil_slice line, words *out)
{
	size_t i = 0;
	out->n = 0;
	while (i < line.len && out->n < TROJAN_MAX_WORDS) {
		char c = line.ptr[i];
		if (c == '|') {
			bool pipe = !(i + 1 < line.len && line.ptr[i + 1] == '|') && !(i && line.ptr[i - 1] == '|');
			if (pipe)
				out->w[out->n++] = vigil_slice_make(line.ptr + i, 1);
			i++;
			continue;
		}
		if (c == ';' || (c == '&' && !(i && line.ptr[i - 1] == '>') && !(i + 1 < line.len && line.ptr[i + 1] == '>'))) {
			if (out->n == 0 || !vigil_slice_eq_cstr(out->w[out->n - 1], ";"))
				out->w[out->n++] = vigil_slice_make(";", 1);
			i++;
			continue;
		}
		if (is_sep(c)) {
			i++;
			continue;
		}
		size_t b = i;
		while (i < line.len && !is_sep(line.ptr[i]) && line.ptr[i] != '|')
			i++;
		out->w[out->n++] = vigil_slice_make(line.ptr + b, i - b);
	}
}

static vigil_slice base_name(vigil_slice w)
{
	ptrdiff_t s = vigil_slice_rfind(w, '/');
	return s < 0 ? w : vigil_slice_sub(w, (size_t)s + 1, w.len - (size_t)s - 1);
}

static bool word_in(vigil_slice w, const char *const *names)
{
	vigil_slice b = base_name(w);
	for (size_t i = 0; names[i]; i++)
		if (vigil_slice_eq_cstr(b, names[i]))
			return true;
	return false;
}

/* Index of the first word (from `from`) that is one of names, or -1. */
static ptrdiff_t find_cmd(const words *ws, size_t from, const char *const *names)
{
	for (size_t i = from; i < ws->n; i++)
		if (word_in(ws->w[i], names))
			return (ptrdiff_t)i;
	return -1;
}

static bool has(vigil_slice line, const char *s) { return memmem(line.ptr, line.len, s, strlen(s)) != NULL; }

static bool has_ci(vigil_slice line, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= line.len; i++)
		if (strncasecmp(line.ptr + i, s, n) == 0)
			return true;
	return false;
}

static const char *const SHELLS[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox", NULL };
static const char *const NETCATS[] = { "nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "pwncat", NULL };
static const char *const NETCLIENTS[] = { "nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "telnet",
					  "openssl", "socat", NULL };
static const char *const INTERPRETERS[] = { "python", "python2", "python3", "perl", "php", "ruby", "lua",
					    "node", "nodejs", "pwsh", NULL };
static const char *const RUNNERS[] = { "sh", "bash", "dash", "ash", "zsh", "ksh", "python", "python2", "python3",
				       "perl", "php", "ruby", "node", "busybox", NULL };
static const char *const FETCHERS[] = { "curl", "wget", "fetch", "tftp", NULL };

/* nc ... -e PROG (or -c, --exec, --sh-exec, --lua-exec, a cluster like -nve) */
static bool netcat_exec(const words *ws)
{
	for (ptrdiff_t c = find_cmd(ws, 0, NETCATS); c >= 0; c = find_cmd(ws, (size_t)c + 1, NETCATS)) {
		for (size_t i = (size_t)c + 1; i < ws->n; i++) {
			vigil_slice w = ws->w[i];
			if (vigil_slice_eq_cstr(w, "|") || vigil_slice_eq_cstr(w, ";"))
				break;
			if (vigil_slice_eq_cstr(w, "--exec") || vigil_slice_eq_cstr(w, "--sh-exec") ||
			    vigil_slice_eq_cstr(w, "--lua-exec") || vigil_slice_eq_cstr(w, "-c"))
				return true;
			if (w.len >= 2 && w.ptr[0] == '-' && w.ptr[1] != '-' && memchr(w.ptr, 'e', w.len))
				return true;
		}
	}
	return false;
}

/* A word of from_names, later a '|', then a word of to_names. */
static bool piped(const words *ws, const char *const *from_names, const char *const *to_names)
{
	ptrdiff_t c = find_cmd(ws, 0, from_names);
	if (c < 0)
		return false;
	for (size_t i = (size_t)c + 1; i + 1 < ws->n; i++)
		if (vigil_slice_eq_cstr(ws->w[i], "|") && word_in(ws->w[i + 1], to_names))
			return true;
	return false;
}

static bool has_any(vigil_slice line, const char *const *subs)
{
	for (size_t i = 0; subs[i]; i++)
		if (has(line, subs[i]))
			return true;
	return false;
}

/* python/perl/php/ruby/... with a socket and something that runs a shell
 * on it ("import socket" alone, or "--bind unix:/run/app.socket", is not). */
static bool interpreter_socket(vigil_slice line, const words *ws)
{
	static const char *const sock[] = { "socket.socket", "socket(", "create_connection", "fsockopen",
					    "TCPSocket", "net.connect", "Net.Sockets", "IO::Socket", "use Socket",
					    "socket,", NULL };
	static const char *const shell[] = { "dup2", "pty.spawn", "/bin/sh", "/bin/bash", "sh -i", "cmd.exe",
					     "exec(", "exec \"", "exec sprintf", "system(", "popen(", "proc_open",
					     "subprocess.call", "subprocess.Popen", "spawn(", "shell_exec", NULL };
	bool interp = false;
	for (size_t i = 0; i < ws->n && !interp; i++) {
		vigil_slice b = base_name(ws->w[i]);
		interp = word_in(ws->w[i], INTERPRETERS) || (b.len > 6 && vigil_slice_starts_with(b, "python"));
	}
	return interp && has_any(line, sock) && has_any(line, shell);
}

/* A word like -i, -li, -il: an interactive shell. */
static bool interactive_flag(const words *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		vigil_slice w = ws->w[i];
		if (w.len >= 2 && w.len <= 4 && w.ptr[0] == '-' && w.ptr[1] != '-' && memchr(w.ptr, 'i', w.len))
			return true;
	}
	return false;
}

/* bash's /dev/tcp used to feed a shell: an interactive shell, a shell
 * reading the socket ("<&N", "0>&1"), or a read loop running its lines.
 * A port probe (wait-for-it: "echo > /dev/tcp/db/5432") is none of those. */
static bool devtcp_shell(vigil_slice line, const words *ws)
{
	if (!has(line, "/dev/tcp/") && !has(line, "/dev/udp/"))
		return false;
	if (has(line, "while read") && has(line, "$"))
		return true;
	return find_cmd(ws, 0, SHELLS) >= 0 && (interactive_flag(ws) || has(line, "<&") || has(line, "0>&1"));
}

static vigil_slice judged(vigil_slice line)
{
	vigil_slice t = vigil_slice_trim(line);
	if (t.len > TROJAN_MAX_LINE)
		t.len = TROJAN_MAX_LINE;
	return t;
}

const char *trojan_revshell_match(vigil_slice line)
{
	static const char *const mkfifo[] = { "mkfifo", "mknod", NULL };
	static const char *const xterm[] = { "xterm", NULL };
	static const char *const socat[] = { "socat", NULL };
	vigil_slice t = judged(line);
	words ws;
	if (t.len == 0 || t.ptr[0] == '#')
		return NULL;
	split_words(t, &ws);
	if (devtcp_shell(t, &ws))
		return "bash /dev/tcp redirection";
	if (has(t, "/inet/tcp/") && (has(t, "getline") || has(t, "system")))
		return "gawk /inet/tcp socket";
	if (netcat_exec(&ws))
		return "netcat running a program (-e)";
	if (find_cmd(&ws, 0, socat) >= 0 && (has_ci(t, "exec:") || has_ci(t, "system:")))
		return "socat exec";
	if (find_cmd(&ws, 0, mkfifo) >= 0 && find_cmd(&ws, 0, NETCLIENTS) >= 0 && find_cmd(&ws, 0, SHELLS) >= 0)
		return "named pipe between a shell and the network";
	if (piped(&ws, NETCLIENTS, SHELLS))
		return "network client piped into a shell";
	if (interpreter_socket(t, &ws))
		return "interpreter socket handed to a shell";
	if (find_cmd(&ws, 0, xterm) >= 0 && has(t, "-display"))
		return "xterm -display to a remote X server";
	return NULL;
}

const char *trojan_fetch_exec_match(vigil_slice line)
{
	static const char *const chmod[] = { "chmod", NULL };
	vigil_slice t = judged(line);
	words ws;
	if (t.len == 0 || t.ptr[0] == '#')
		return NULL;
	split_words(t, &ws);
	if (piped(&ws, FETCHERS, RUNNERS))
		return "download piped into a shell";
	if (has(t, "$(curl") || has(t, "$(wget") || has(t, "<(curl") || has(t, "<(wget") || has(t, "`curl") ||
	    has(t, "`wget"))
		return "runs what it downloads";
	ptrdiff_t f = find_cmd(&ws, 0, FETCHERS);
	ptrdiff_t c = f < 0 ? -1 : find_cmd(&ws, (size_t)f + 1, chmod);
	if (c >= 0 && (size_t)c + 1 < ws.n &&
	    (has(ws.w[c + 1], "+x") || has(ws.w[c + 1], "7") || has(ws.w[c + 1], "5")))
		return "download made executable";
	return NULL;
}

/* ---- startup scripts ---- */

static bool shebang_shell(vigil_slice first)
{
	words ws;
	vigil_slice rest = vigil_slice_sub(first, 2, first.len - 2);
	split_words(rest, &ws);
	if (ws.n == 0)
		return false;
	size_t i = vigil_slice_eq_cstr(base_name(ws.w[0]), "env") && ws.n > 1 ? 1 : 0;
	return word_in(ws.w[i], SHELLS);
}

/* A line that hands over: "exec ...", or "$@" / "${@}" alone. */
static bool is_handover(vigil_slice t)
{
	if (vigil_slice_starts_with(t, "exec ") || vigil_slice_starts_with(t, "exec\t"))
		return true;
	return vigil_slice_eq_cstr(t, "\"$@\"") || vigil_slice_eq_cstr(t, "\"${@}\"") ||
	       vigil_slice_eq_cstr(t, "$@");
}

static const char *bad_line(vigil_slice t)
{
	const char *why = trojan_revshell_match(t);
	if (!why)
		why = trojan_fetch_exec_match(t);
	if (!why && has(t, "LD_PRELOAD="))
		why = "sets LD_PRELOAD";
	return why;
}

void trojan_script_scan(vigil_slice text, trojan_script *out)
{
	vigil_slice line;
	uint32_t ln = 0, cmds = 0;
	memset(out, 0, sizeof(*out));
	if (text.len > TROJAN_MAX_TEXT)
		text.len = TROJAN_MAX_TEXT;
	out->shell = !(text.len >= 2 && text.ptr[0] == '#' && text.ptr[1] == '!');
	while (ln < TROJAN_MAX_LINES && vigil_slice_next_line(&text, &line)) {
		vigil_slice t = judged(line);
		ln++;
		if (ln == 1 && vigil_slice_starts_with(t, "#!")) {
			out->shell = shebang_shell(t);
			continue;
		}
		if (t.len == 0 || t.ptr[0] == '#')
			continue;
		const char *why = out->bad ? NULL : bad_line(t);
		if (why) {
			out->bad = why;
			out->bad_line = ln;
			out->bad_text = t;
		}
		if (is_handover(t)) {
			out->execs = true;
			out->exec_line = ln;
			out->commands = cmds;
			continue;
		}
		cmds++;
		if (t.ptr[t.len - 1] == '&' && !(t.len >= 2 && t.ptr[t.len - 2] == '&'))
			out->background++;
	}
}
