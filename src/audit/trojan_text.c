/* audit/trojan_text.c: the text files the trojan scanner reads as the
 * layers stream: etc/ld.so.preload (kept per version, judged at the end
 * with the libraries it names), etc/passwd (a uid 0 account besides
 * root), cron files (a job added by an upper layer; a job that opens a
 * shell to the network or runs a download), authorized_keys (a key baked
 * into the image) and startup scripts (reverse-shell and download-and-run
 * lines). Findings are pending until finish() (trojan_priv.h). */
#include "audit/trojan_priv.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <string.h>

/* A line shown in evidence is cut to this many bytes. */
#define TEXT_SHOWN 200

static void show(char *buf, size_t cap, vigil_slice s)
{
	size_t n = s.len < TEXT_SHOWN ? s.len : TEXT_SHOWN, o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++)
		buf[o++] = (unsigned char)s.ptr[i] < 0x20 || (unsigned char)s.ptr[i] == 0x7f ? '?' : s.ptr[i];
	if (n < s.len && o + 4 < cap) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o < cap ? o : cap - 1] = '\0';
}

static int preload_version(trojan_state *st, const audit_entry *e, vigil_slice text)
{
	vigil_slice libs[TROJAN_MAX_PRELOAD];
	if (vigil_grow((void **)&st->preloads, &st->cappreloads, st->npreloads, sizeof(*st->preloads), 4,
		       TROJAN_MAX_PENDING) < 0)
		return vigil_error_oom();
	trojan_preload *p = &st->preloads[st->npreloads];
	memset(p, 0, sizeof(*p));
	p->layer = (uint32_t)e->layer;
	p->total = trojan_preload_parse(text, false, libs, TROJAN_MAX_PRELOAD);
	p->n = p->total < TROJAN_MAX_PRELOAD ? p->total : TROJAN_MAX_PRELOAD;
	for (size_t i = 0; i < p->n; i++)
		if (!(p->libs[i] = audit_walk_str(st->w, libs[i].ptr, libs[i].len)))
			return vigil_error_oom();
	st->npreloads++;
	return 0;
}

static int passwd_file(trojan_state *st, const audit_entry *e, vigil_slice text)
{
	vigil_slice line;
	uint32_t ln = 0;
	char ev[TROJAN_MAX_EVIDENCE], name[TEXT_SHOWN + 4];
	while (ln < TROJAN_MAX_LINES && vigil_slice_next_line(&text, &line)) {
		trojan_passwd p;
		ln++;
		if (trojan_passwd_line(line, &p) != 1 || p.uid != 0 || vigil_slice_eq_cstr(p.name, "root"))
			continue;
		show(name, sizeof(name), p.name);
		snprintf(ev, sizeof(ev), "account '%s' has uid 0 (root's powers): %.*s", name,
			 (int)(line.len < TEXT_SHOWN ? line.len : TEXT_SHOWN), line.ptr);
		vigil_audit_finding f = trojan_finding("uid0-user", "A second account with uid 0", VIGIL_SEV_HIGH,
						       e->path, e->layer);
		f.line = ln;
		f.evidence = ev;
		f.match = name;
		int rc = trojan_pend(st, &f, false);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One line of a startup file or cron file with a reverse shell or a download run. */
static int bad_line(trojan_state *st, const audit_entry *e, trojan_kind k, vigil_slice t, uint32_t ln,
		    const char *why, bool revshell)
{
	char ev[TROJAN_MAX_EVIDENCE], txt[TEXT_SHOWN + 4];
	show(txt, sizeof(txt), t);
	bool cron = k == TK_CRON_SYS || k == TK_CRON_USER || k == TK_CRON_SCRIPT;
	snprintf(ev, sizeof(ev), "%s in a %s: %s", why, cron ? "cron job" : "startup file", txt);
	vigil_audit_finding f;
	if (cron)
		f = trojan_finding("cron-entry", revshell ? "A cron job opens a shell to the network"
							   : "A cron job runs what it downloads",
				   VIGIL_SEV_CRITICAL, e->path, e->layer);
	else if (revshell)
		f = trojan_finding("reverse-shell", "A startup file opens a shell to the network", VIGIL_SEV_CRITICAL,
				   e->path, e->layer);
	else
		f = trojan_finding("download-exec", "A startup file runs what it downloads", VIGIL_SEV_HIGH, e->path,
				   e->layer);
	f.line = ln;
	f.evidence = ev;
	f.match = why;
	return trojan_pend(st, &f, true);
}

/* Every line: reverse shells and downloads run; for a crontab, its jobs. */
static int lines_file(trojan_state *st, trojan_kind k, const audit_entry *e, const audit_file *fl,
		      vigil_slice text)
{
	vigil_slice line, first = { 0 };
	uint32_t ln = 0, jobs = 0, bad = 0;
	int rc = 0;
	while (rc == 0 && ln < TROJAN_MAX_LINES && vigil_slice_next_line(&text, &line)) {
		trojan_cron c;
		vigil_slice cmd = line;
		ln++;
		if (k == TK_CRON_SYS || k == TK_CRON_USER) {
			if (trojan_cron_line(line, k == TK_CRON_SYS, &c) != 1)
				continue;
			if (!jobs++)
				first = vigil_slice_trim(line);
			cmd = c.command;
		}
		const char *why = trojan_revshell_match(cmd);
		bool rs = why != NULL;
		if (!why)
			why = trojan_fetch_exec_match(cmd);
		if (why) {
			bad++;
			rc = bad_line(st, e, k, vigil_slice_trim(line), ln, why, rs);
		}
	}
	if (rc < 0 || bad || !trojan_upper(st, e->layer))
		return rc;
	bool crontab = k == TK_CRON_SYS || k == TK_CRON_USER;
	const char *base = strrchr(e->path, '/');
	if ((k != TK_CRON_SCRIPT && !(crontab && jobs)) || (base && base[1] == '.'))
		return 0; /* no job, or a .placeholder */
	char ev[TROJAN_MAX_EVIDENCE], txt[TEXT_SHOWN + 4];
	show(txt, sizeof(txt), first);
	if (crontab)
		snprintf(ev, sizeof(ev), "%u job%s %s by layer %zu, first: %s", jobs, jobs == 1 ? "" : "s",
			 fl && fl->prev_layer >= 0 ? "changed" : "added", e->layer, txt);
	else
		snprintf(ev, sizeof(ev), "a periodic cron script %s by layer %zu",
			 fl && fl->prev_layer >= 0 ? "changed" : "added", e->layer);
	vigil_audit_finding f = trojan_finding("cron-entry", "A cron job added above the base image",
					       VIGIL_SEV_MEDIUM, e->path, e->layer);
	f.evidence = ev;
	if (fl && fl->prev_layer >= 0)
		f.other_layer = (size_t)fl->prev_layer;
	return trojan_pend_soft(st, &f);
}

static int authkeys_file(trojan_state *st, const audit_entry *e, vigil_slice text)
{
	vigil_slice line, last = { 0 };
	uint32_t ln = 0, keys = 0;
	char ev[TROJAN_MAX_EVIDENCE], txt[TEXT_SHOWN + 4];
	while (ln < TROJAN_MAX_LINES && vigil_slice_next_line(&text, &line)) {
		vigil_slice t = vigil_slice_trim(line);
		ln++;
		if (t.len == 0 || t.ptr[0] == '#')
			continue;
		keys++;
		last = t;
	}
	if (!keys)
		return 0;
	/* the comment (last word) of the last key names who holds it */
	ptrdiff_t sp = vigil_slice_rfind(last, ' ');
	show(txt, sizeof(txt), sp < 0 ? last : vigil_slice_sub(last, (size_t)sp + 1, last.len - (size_t)sp - 1));
	bool root = strncmp(e->path, "root/", 5) == 0;
	snprintf(ev, sizeof(ev), "%u key%s let%s whoever holds %s log in as %s; last key's comment: %s", keys,
		 keys == 1 ? "" : "s", keys == 1 ? "s" : "", keys == 1 ? "it" : "them", root ? "root" : "this user",
		 txt);
	vigil_audit_finding f = trojan_finding("authorized-keys", "An SSH key is baked into the image",
					       root ? VIGIL_SEV_HIGH : VIGIL_SEV_MEDIUM, e->path, e->layer);
	f.evidence = ev;
	return trojan_pend(st, &f, false);
}

int trojan_text_file(trojan_state *st, trojan_kind k, const audit_entry *e, const audit_file *f,
		     vigil_slice text)
{
	switch (k) {
	case TK_PRELOAD: return preload_version(st, e, text);
	case TK_PASSWD: return passwd_file(st, e, text);
	case TK_AUTHKEYS: return authkeys_file(st, e, text);
	case TK_CRON_SYS:
	case TK_CRON_USER:
	case TK_CRON_SCRIPT:
	case TK_STARTUP: return lines_file(st, k, e, f, text);
	case TK_NONE: break;
	}
	return 0;
}
