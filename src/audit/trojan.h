/* audit/trojan.h: the text parsers and pattern matchers of the trojan
 * scanner (trojan_parse.c, trojan_match.c), kept apart from the checker
 * (trojan.c, trojan_fs.c) so unit tests and fuzz targets call them on
 * plain bytes. Every function takes a length-carrying slice, never reads
 * past it, and never fails on bad input: a line it cannot read is
 * "malformed" (-1) or simply not a match.
 *
 *   trojan_passwd p;
 *   if (trojan_passwd_line(line, &p) == 1 && p.uid == 0 && !slice_is(p.name, "root")) ...
 *   const char *why = trojan_revshell_match(line);   "bash /dev/tcp redirection"
 */
#ifndef VIGIL_AUDIT_TROJAN_H
#define VIGIL_AUDIT_TROJAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/slice.h"

/* Longest line the matchers look at (the rest of a longer line is not read). */
#define TROJAN_MAX_LINE 8192
/* Most lines read from one file (passwd, crontab, script, ld.so.preload). */
#define TROJAN_MAX_LINES 200000
/* Largest text file read (startup scripts, cron files, passwd, ld.so.preload). */
#define TROJAN_MAX_TEXT ((size_t)4 << 20)
/* Most libraries named by one ld.so.preload file or one LD_PRELOAD value. */
#define TROJAN_MAX_PRELOAD 32
/* Longest library path kept from ld.so.preload / LD_PRELOAD. */
#define TROJAN_MAX_LIB_PATH 1024
/* Largest shared library looked into for reverse-shell imports. */
#define TROJAN_MAX_ELF ((size_t)8 << 20)
/* Most words of one command line the matchers split. */
#define TROJAN_MAX_WORDS 256

/* One etc/passwd line: name:password:uid:gid:gecos:home:shell. */
typedef struct trojan_passwd {
	vigil_slice name, home, shell;
	uint64_t uid, gid;
} trojan_passwd;

/* 1: an account; 0: blank, comment or NIS line ("+", "-"); -1: malformed
 * (fewer than 7 fields, a uid or gid that is not a number). */
int trojan_passwd_line(vigil_slice line, trojan_passwd *out);

/* One crontab line. A system crontab (etc/crontab, etc/cron.d/...) has a
 * user field after the schedule; a user crontab (var/spool/cron/...) not. */
typedef struct trojan_cron {
	vigil_slice schedule; /* "*\/5 * * * *" or "@reboot" */
	vigil_slice user;     /* empty in a user crontab */
	vigil_slice command;
} trojan_cron;

/* 1: a job; 0: blank, comment or a variable assignment (SHELL=/bin/sh);
 * -1: malformed (too few fields). */
int trojan_cron_line(vigil_slice line, bool system_format, trojan_cron *out);

/* The libraries an ld.so.preload file (or an LD_PRELOAD value: sep_colon)
 * names: separated by white space (and ':' for LD_PRELOAD), '#' starts a
 * comment in the file. Fills at most max slices; returns how many there
 * are in all (so more than max says some were not kept). */
size_t trojan_preload_parse(vigil_slice text, bool sep_colon, vigil_slice *libs, size_t max);

/* Whether a library path is where libraries live: lib, lib64, lib32,
 * usr/lib*, usr/local/lib* (and below), with or without a leading '/'. */
bool trojan_lib_dir(vigil_slice path);

/* The name of the reverse-shell pattern a command line matches ("bash
 * /dev/tcp redirection", "nc -e", "socat exec", "mkfifo pipe to a shell",
 * "python socket + dup2/pty", ...), or NULL. Comment lines never match. */
const char *trojan_revshell_match(vigil_slice line);

/* The name of the download-and-run pattern a line matches ("curl | sh",
 * "wget then chmod +x"), or NULL. */
const char *trojan_fetch_exec_match(vigil_slice line);

/* What a startup script does, line by line (trojan_script_scan). */
typedef struct trojan_script {
	bool shell;             /* a #! of sh, bash, dash, ash, ksh, zsh, busybox, env sh..., or no #! at all and text */
	bool execs;             /* runs another program last: "exec X", "exec \"$@\"", or a last command "$@" */
	uint32_t exec_line;     /* the line of that exec (1-based) */
	uint32_t commands;      /* command lines before it (not comments, not blank, not the exec) */
	uint32_t background;    /* commands sent to the background with a trailing '&' */
	const char *bad;        /* the first reverse-shell, download-and-run or LD_PRELOAD pattern, NULL */
	uint32_t bad_line;
	vigil_slice bad_text;   /* that line (trimmed, at most TROJAN_MAX_LINE) */
} trojan_script;

/* Reads a script (at most TROJAN_MAX_LINES lines). */
void trojan_script_scan(vigil_slice text, trojan_script *out);

/* The files a package database lists, one call of fn per path (no
 * leading '/', at most TROJAN_MAX_LIB_PATH bytes; pkg: the package, as
 * given for a dpkg file list, from the P: line for apk). fn returns 0 to go
 * on, or a negative error that stops the walk and is returned.
 * trojan_dpkg_list: var/lib/dpkg/info/PKG.list (one path a line);
 * trojan_apk_installed: lib/apk/db/installed (P:name, F:folder, R:file). */
typedef int (*trojan_owned_fn)(void *ud, vigil_slice path, vigil_slice pkg);
int trojan_dpkg_list(vigil_slice text, vigil_slice pkg, trojan_owned_fn fn, void *ud);
int trojan_apk_installed(vigil_slice text, trojan_owned_fn fn, void *ud);

/* What a shared library's bytes hint at: bits of TROJAN_ELF_*. */
enum {
	TROJAN_ELF = 1,          /* starts with \x7fELF */
	TROJAN_ELF_SOCKET = 2,   /* names socket */
	TROJAN_ELF_CONNECT = 4,  /* names connect */
	TROJAN_ELF_DUP2 = 8,     /* names dup2 or dup3 */
	TROJAN_ELF_EXEC = 16,    /* names execve, execl, execlp, execv, execvp or system */
	TROJAN_ELF_BINSH = 32,   /* holds "/bin/sh" or "/bin/bash" */
	TROJAN_ELF_CTOR = 64,    /* has an .init_array or .ctors section name */
};
/* A reverse shell in one shared object: every one of these. */
#define TROJAN_ELF_REVSHELL (TROJAN_ELF | TROJAN_ELF_SOCKET | TROJAN_ELF_CONNECT | TROJAN_ELF_DUP2 | TROJAN_ELF_EXEC)

/* Looks for the names above as NUL-terminated strings (the dynamic string
 * table) in the first TROJAN_MAX_ELF bytes: no section parsing, so a
 * library that defines these (libc) also matches: use it on files named
 * by a preload, not on every library. */
unsigned trojan_elf_hints(const uint8_t *p, size_t n);
/* "imports socket, connect, dup2, execve and names /bin/sh" into buf. */
void trojan_elf_describe(unsigned hints, char *buf, size_t cap);

#endif
