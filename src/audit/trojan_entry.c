/* audit/trojan_entry.c: what the container starts with. The program of
 * the config's Entrypoint/Cmd (trojan_cfg.c lists where it may be) is
 * resolved in the merged view, symlinks followed (trojan_resolve.c), and
 * judged from what was read of it as it streamed by (trojan.c): a shell
 * script with a reverse-shell, download-and-run or LD_PRELOAD line, a
 * binary a later layer replaced by a shell script, an Entrypoint written as
 * a plain string (dockerscan), or a wrapper added above the base image. */
#include "audit/trojan_priv.h"

#include <stdio.h>
#include <string.h>

/* The version of path written by layer (as read when it streamed by), or NULL. */
static const trojan_epfile *script_version(const trojan_state *st, const char *path, int64_t layer)
{
	for (size_t j = st->nscripts; j-- > 0;)
		if (st->scripts[j].layer == layer && strcmp(st->scripts[j].path, path) == 0)
			return &st->scripts[j];
	return NULL;
}

/* The program the container really runs (the first candidate in PATH
 * order that exists, symlinks followed), as read when it streamed by. */
static const trojan_epfile *entry_file(const trojan_state *st, audit_walk *w, const audit_file **rec)
{
	char real[TROJAN_MAX_LIB_PATH];
	for (size_t i = 0; i < st->ncands; i++) {
		const audit_file *r = trojan_resolve(w, st->cands[i], real, sizeof(real));
		if (!r)
			continue;
		*rec = r;
		return script_version(st, r->path, r->layer);
	}
	return NULL;
}

/* What the entrypoint looks like: its severity (VIGIL_SEV_UNKNOWN: no
 * finding), evidence into ev, *info for a shape that is no alarm. */
static vigil_severity judge(const trojan_state *st, const audit_file *r, const trojan_epfile *ep,
			    const trojan_epfile *was, char *ev, size_t cap, int *info)
{
	bool upper = trojan_upper(st, r->layer) || r->prev_layer >= 0;
	const char *how = r->prev_layer >= 0 ? "changed" : "added";
	const trojan_script *s = &ep->s;
	bool script = ep->text && s->shell;
	*info = 0;
	if (script && s->bad) {
		snprintf(ev, cap, "the entrypoint script (%s by layer %u) does more than start the program: line %u, "
			 "%s: %.200s", how, r->layer, s->bad_line, s->bad, ep->bad_text ? ep->bad_text : "");
		return VIGIL_SEV_HIGH;
	}
	if (script && was && was->elf) {
		snprintf(ev, cap, "the program was a binary (layer %u); layer %u replaced it by a shell script that "
			 "runs %u command%s (%u in the background)%s", was->layer, r->layer, s->commands,
			 s->commands == 1 ? "" : "s", s->background, s->execs ? " before it hands over" : "");
		return VIGIL_SEV_HIGH;
	}
	if (st->entrypoint_string) {
		snprintf(ev, cap, "config.Entrypoint is a plain string, which no image builder writes (dockerscan's "
			 "'image modify entrypoint' does), and runs a %s %s by layer %u", ep->elf ? "program" : "file",
			 how, r->layer);
		return VIGIL_SEV_MEDIUM;
	}
	if (script && s->execs && s->commands && upper) {
		*info = 1;
		snprintf(ev, cap, "a shell wrapper %s by layer %u runs %u command%s (%u in the background) before it "
			 "hands over on line %u", how, r->layer, s->commands, s->commands == 1 ? "" : "s",
			 s->background, s->exec_line);
		return VIGIL_SEV_LOW;
	}
	return VIGIL_SEV_UNKNOWN;
}

/* The reverse shell of the entrypoint script's telltale line, if it is one. */
static int revshell_line(audit_walk *w, const audit_file *r, const trojan_epfile *ep)
{
	char ev[TROJAN_MAX_EVIDENCE];
	const char *rs = ep->bad_text ? trojan_revshell_match(vigil_slice_cstr(ep->bad_text)) : NULL;
	if (!rs)
		return 0;
	snprintf(ev, sizeof(ev), "%s in the entrypoint script: %.300s", rs, ep->bad_text);
	vigil_audit_finding f = trojan_finding("reverse-shell", "A startup file opens a shell to the network",
					       VIGIL_SEV_CRITICAL, r->path, r->layer);
	f.evidence = ev;
	f.match = rs;
	f.line = ep->s.bad_line;
	return trojan_add(w, &f);
}

int trojan_entry_finish(trojan_state *st, audit_walk *w)
{
	static const trojan_epfile unread = { .layer = UINT32_MAX };
	const audit_file *r = NULL;
	const trojan_epfile *ep = entry_file(st, w, &r);
	char ev[TROJAN_MAX_EVIDENCE];
	int info;
	if (!r || r->type != VIGIL_TAR_FILE)
		return 0;
	if (!ep)
		ep = &unread; /* not read (a large program reached through a symlink): the config's shape only */
	const trojan_epfile *was = r->prev_layer >= 0 ? script_version(st, r->path, r->prev_layer) : NULL;
	vigil_severity sev = judge(st, r, ep, was, ev, sizeof(ev), &info);
	if (sev == VIGIL_SEV_UNKNOWN)
		return 0;
	size_t o = strlen(ev);
	if (st->command && o + 1 < sizeof(ev))
		snprintf(ev + o, sizeof(ev) - o, " (the container runs: %.200s)", st->command);
	vigil_audit_finding f = trojan_finding("entrypoint-wrapper",
					       info ? "The entrypoint is a shell wrapper added above the base image"
						    : "The entrypoint was rewritten to a wrapper",
					       sev, r->path, r->layer);
	f.evidence = ev;
	f.info = info;
	bool telltale = ep->text && ep->s.shell && ep->s.bad;
	f.line = telltale ? ep->s.bad_line : 0;
	if (r->prev_layer >= 0)
		f.other_layer = (size_t)r->prev_layer;
	int rc = trojan_add(w, &f);
	return rc < 0 || !telltale ? rc : revshell_line(w, r, ep);
}
