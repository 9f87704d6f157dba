/* audit/trojan_parse.c: the file formats the trojan scanner reads
 * (trojan.h): etc/passwd lines, crontab lines, ld.so.preload and
 * LD_PRELOAD lists, and the hints a shared library's bytes give. */
#define _GNU_SOURCE /* memmem */
#include "audit/trojan.h"

#include <stdio.h>
#include <string.h>

/* Fields of a passwd line, and of a system crontab's schedule. */
#define PASSWD_FIELDS 7
#define CRON_SCHEDULE_FIELDS 5
/* Largest uid or gid taken (Linux: 32 bits). */
#define TROJAN_MAX_ID 0xffffffffULL

static vigil_slice cap_line(vigil_slice s)
{
	if (s.len > TROJAN_MAX_LINE)
		s.len = TROJAN_MAX_LINE;
	return s;
}

int trojan_passwd_line(vigil_slice line, trojan_passwd *out)
{
	vigil_slice f[PASSWD_FIELDS], rest = cap_line(line);
	memset(out, 0, sizeof(*out));
	vigil_slice t = vigil_slice_trim(rest);
	if (t.len == 0 || t.ptr[0] == '#' || t.ptr[0] == '+' || t.ptr[0] == '-')
		return 0;
	for (int i = 0; i < PASSWD_FIELDS; i++) {
		bool more = vigil_slice_split(rest, ':', &f[i], &rest);
		if (!more && i < PASSWD_FIELDS - 1)
			return -1;
	}
	if (f[0].len == 0 || !vigil_slice_to_u64(f[2], TROJAN_MAX_ID, &out->uid) ||
	    !vigil_slice_to_u64(f[3], TROJAN_MAX_ID, &out->gid))
		return -1;
	out->name = f[0];
	out->home = f[5];
	out->shell = f[6];
	return 1;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* The next white-space separated word of *s. */
static bool next_word(vigil_slice *s, vigil_slice *w)
{
	size_t i = 0;
	while (i < s->len && is_space(s->ptr[i]))
		i++;
	size_t b = i;
	while (i < s->len && !is_space(s->ptr[i]))
		i++;
	*w = vigil_slice_make(s->ptr + b, i - b);
	s->ptr += i;
	s->len -= i;
	return w->len > 0;
}

/* A variable assignment line: NAME=value (NAME of letters, digits, '_'). */
static bool is_assignment(vigil_slice t)
{
	size_t i = 0;
	while (i < t.len && (t.ptr[i] == '_' || (t.ptr[i] >= 'A' && t.ptr[i] <= 'Z') ||
			     (t.ptr[i] >= 'a' && t.ptr[i] <= 'z') || (i && t.ptr[i] >= '0' && t.ptr[i] <= '9')))
		i++;
	while (i < t.len && is_space(t.ptr[i]))
		i++;
	return i > 0 && i < t.len && t.ptr[i] == '=';
}

int trojan_cron_line(vigil_slice line, bool system_format, trojan_cron *out)
{
	memset(out, 0, sizeof(*out));
	vigil_slice t = vigil_slice_trim(cap_line(line)), w, rest;
	if (t.len == 0 || t.ptr[0] == '#' || is_assignment(t))
		return 0;
	rest = t;
	const char *sched = t.ptr;
	if (t.ptr[0] == '@') {
		next_word(&rest, &w);
	} else {
		for (int i = 0; i < CRON_SCHEDULE_FIELDS; i++)
			if (!next_word(&rest, &w))
				return -1;
	}
	out->schedule = vigil_slice_make(sched, (size_t)(rest.ptr - sched));
	if (system_format && !next_word(&rest, &out->user))
		return -1;
	out->command = vigil_slice_trim(rest);
	return out->command.len ? 1 : -1;
}

size_t trojan_preload_parse(vigil_slice text, bool sep_colon, vigil_slice *libs, size_t max)
{
	size_t n = 0, lines = 0;
	vigil_slice line;
	if (text.len > TROJAN_MAX_TEXT)
		text.len = TROJAN_MAX_TEXT;
	while (vigil_slice_next_line(&text, &line) && lines++ < TROJAN_MAX_LINES) {
		ptrdiff_t hash = sep_colon ? -1 : vigil_slice_find(line, '#');
		if (hash >= 0)
			line.len = (size_t)hash;
		size_t i = 0;
		while (i < line.len) {
			while (i < line.len && (is_space(line.ptr[i]) || (sep_colon && line.ptr[i] == ':')))
				i++;
			size_t b = i;
			while (i < line.len && !is_space(line.ptr[i]) && !(sep_colon && line.ptr[i] == ':'))
				i++;
			if (i == b)
				continue;
			if (n < max)
				libs[n] = vigil_slice_make(line.ptr + b, i - b > TROJAN_MAX_LIB_PATH ? TROJAN_MAX_LIB_PATH : i - b);
			n++;
		}
	}
	return n;
}

bool trojan_lib_dir(vigil_slice p)
{
	static const char *const dirs[] = { "lib/", "lib64/", "lib32/", "libx32/", "usr/lib/", "usr/lib64/",
					    "usr/lib32/", "usr/libx32/", "usr/local/lib/", "usr/local/lib64/" };
	while (p.len && p.ptr[0] == '/')
		p = vigil_slice_sub(p, 1, p.len - 1);
	if (vigil_slice_find(p, '/') < 0 && p.len)
		return true; /* a bare name: the loader looks in its own folders */
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (vigil_slice_starts_with(p, dirs[i]))
			return !memmem(p.ptr, p.len, "/../", 4);
	return false;
}

/* ---- package file lists ---- */

int trojan_dpkg_list(vigil_slice text, vigil_slice pkg, trojan_owned_fn fn, void *ud)
{
	vigil_slice line;
	size_t lines = 0;
	int rc = 0;
	while (rc == 0 && lines++ < TROJAN_MAX_LINES && vigil_slice_next_line(&text, &line)) {
		while (line.len && line.ptr[0] == '/')
			line = vigil_slice_sub(line, 1, line.len - 1);
		if (line.len && line.len <= TROJAN_MAX_LIB_PATH && !vigil_slice_eq_cstr(line, "."))
			rc = fn(ud, line, pkg);
	}
	return rc;
}

int trojan_apk_installed(vigil_slice text, trojan_owned_fn fn, void *ud)
{
	char p[2 * TROJAN_MAX_LIB_PATH + 2];
	vigil_slice line, dir = { 0 }, pkg = { 0 };
	size_t lines = 0;
	int rc = 0;
	while (rc == 0 && lines++ < TROJAN_MAX_LINES && vigil_slice_next_line(&text, &line)) {
		if (line.len < 2 || line.ptr[1] != ':') {
			if (line.len == 0) /* the blank line between two packages */
				pkg = dir = vigil_slice_make(NULL, 0);
			continue;
		}
		vigil_slice v = vigil_slice_sub(line, 2, line.len - 2);
		if (line.ptr[0] == 'P')
			pkg = v;
		else if (line.ptr[0] == 'F')
			dir = v.len <= TROJAN_MAX_LIB_PATH ? v : vigil_slice_make(NULL, 0);
		if (line.ptr[0] != 'R' || !pkg.len || v.len == 0 || v.len > TROJAN_MAX_LIB_PATH)
			continue;
		size_t o = 0;
		if (dir.len) {
			memcpy(p, dir.ptr, dir.len);
			p[dir.len] = '/';
			o = dir.len + 1;
		}
		memcpy(p + o, v.ptr, v.len);
		rc = fn(ud, vigil_slice_make(p, o + v.len), pkg);
	}
	return rc;
}

/* ---- shared library hints ---- */

static bool has_name(const uint8_t *p, size_t n, const char *name)
{
	char pat[32];
	size_t l = strlen(name);
	if (l + 2 > sizeof(pat))
		return false;
	pat[0] = '\0';
	memcpy(pat + 1, name, l);
	pat[l + 1] = '\0';
	return memmem(p, n, pat, l + 2) != NULL;
}

unsigned trojan_elf_hints(const uint8_t *p, size_t n)
{
	static const char *const execs[] = { "execve", "execl", "execlp", "execle", "execv", "execvp", "system" };
	unsigned h = 0;
	if (n > TROJAN_MAX_ELF)
		n = TROJAN_MAX_ELF;
	if (n < 4 || memcmp(p, "\x7f" "ELF", 4) != 0)
		return 0;
	h |= TROJAN_ELF;
	if (has_name(p, n, "socket"))
		h |= TROJAN_ELF_SOCKET;
	if (has_name(p, n, "connect"))
		h |= TROJAN_ELF_CONNECT;
	if (has_name(p, n, "dup2") || has_name(p, n, "dup3"))
		h |= TROJAN_ELF_DUP2;
	for (size_t i = 0; i < sizeof(execs) / sizeof(execs[0]); i++)
		if (has_name(p, n, execs[i]))
			h |= TROJAN_ELF_EXEC;
	if (memmem(p, n, "/bin/sh", 7) || memmem(p, n, "/bin/bash", 9))
		h |= TROJAN_ELF_BINSH;
	if (has_name(p, n, ".init_array") || has_name(p, n, ".ctors"))
		h |= TROJAN_ELF_CTOR;
	return h;
}

void trojan_elf_describe(unsigned h, char *buf, size_t cap)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { TROJAN_ELF_SOCKET, "socket" }, { TROJAN_ELF_CONNECT, "connect" },
		      { TROJAN_ELF_DUP2, "dup2" },     { TROJAN_ELF_EXEC, "exec" } };
	size_t o = 0;
	if (!cap)
		return;
	buf[0] = '\0';
	if (!(h & TROJAN_ELF)) {
		snprintf(buf, cap, "not an ELF file");
		return;
	}
	o += (size_t)snprintf(buf, cap, "an ELF file");
	const char *sep = " naming ";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && o < cap; i++)
		if (h & names[i].bit) {
			o += (size_t)snprintf(buf + o, cap - o, "%s%s", sep, names[i].name);
			sep = ", ";
		}
	if ((h & TROJAN_ELF_BINSH) && o < cap)
		o += (size_t)snprintf(buf + o, cap - o, "%s/bin/sh", sep);
	if ((h & TROJAN_ELF_REVSHELL) == TROJAN_ELF_REVSHELL && o < cap)
		snprintf(buf + o, cap - o, " (what a reverse shell calls)");
}
