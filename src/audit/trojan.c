/* audit/trojan.c: the trojan and backdoor scanner (docs/audit.md (Trojan and backdoor indicators)):
 * the checker's callbacks. While the layers stream it reads only the
 * files that can hold an indicator (trojan_classify: ld.so.preload,
 * passwd, cron files, authorized_keys, startup scripts; the program the
 * entrypoint runs; shared objects outside the library folders or named by
 * LD_PRELOAD), notes setuid files as they appear, and keeps what it found
 * until finish(), which judges the config and the merged view
 * (trojan_cfg.c, trojan_fs.c). */
#include "audit/trojan_priv.h"

#include "util/error.h"
#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] && !strchr(path + n + 1, '/');
}

static bool in_tree(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1];
}

/* A shell start-up file of a user's home (home/x/.bashrc, root/.profile). */
static bool home_rc(const char *path)
{
	static const char *const rc[] = { ".bashrc", ".profile", ".bash_profile", ".bash_login", ".bash_logout",
					  ".zshrc", ".zprofile", ".zshenv", ".kshrc", ".mkshrc", ".cshrc", ".tcshrc" };
	const char *slash = strrchr(path, '/');
	if (!slash)
		return false;
	bool home = strncmp(path, "root/", 5) == 0 ? slash == path + 4
						  : strncmp(path, "home/", 5) == 0 && strchr(path + 5, '/') == slash;
	for (size_t i = 0; home && i < sizeof(rc) / sizeof(rc[0]); i++)
		if (strcmp(slash + 1, rc[i]) == 0)
			return true;
	return false;
}

static bool systemd_unit(const char *path)
{
	static const char *const dirs[] = { "etc/systemd/system", "lib/systemd/system", "usr/lib/systemd/system",
					    "etc/systemd/user", "usr/lib/systemd/user" };
	const char *dot = strrchr(path, '.');
	if (!dot || (strcmp(dot, ".service") && strcmp(dot, ".timer") && strcmp(dot, ".socket") &&
		     strcmp(dot, ".path")))
		return false;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (in_tree(path, dirs[i]))
			return true;
	return false;
}

trojan_kind trojan_classify(const char *p)
{
	static const char *const startup[] = { "etc/profile", "etc/bash.bashrc", "etc/bashrc", "etc/zshrc",
					       "etc/zsh/zshrc", "etc/zsh/zprofile", "etc/zsh/zshenv",
					       "etc/environment", "etc/rc.local", "etc/rc.d/rc.local",
					       "etc/inittab", "etc/csh.cshrc", "etc/csh.login" };
	static const char *const startup_dirs[] = { "etc/profile.d", "etc/init.d", "etc/rc.d/init.d",
						    "etc/xdg/autostart", "etc/update-motd.d", "etc/supervisor/conf.d",
						    "etc/local.d" };
	if (strcmp(p, "etc/ld.so.preload") == 0)
		return TK_PRELOAD;
	if (strcmp(p, "etc/passwd") == 0)
		return TK_PASSWD;
	if (strcmp(p, "etc/crontab") == 0 || under(p, "etc/cron.d"))
		return TK_CRON_SYS;
	if (under(p, "var/spool/cron/crontabs") || under(p, "var/spool/cron/tabs") || under(p, "var/spool/cron") ||
	    under(p, "etc/crontabs"))
		return TK_CRON_USER;
	if (under(p, "etc/cron.hourly") || under(p, "etc/cron.daily") || under(p, "etc/cron.weekly") ||
	    under(p, "etc/cron.monthly") || under(p, "etc/periodic/15min") || under(p, "etc/periodic/hourly") ||
	    under(p, "etc/periodic/daily") || under(p, "etc/periodic/weekly") || under(p, "etc/periodic/monthly"))
		return TK_CRON_SCRIPT;
	const char *base = strrchr(p, '/');
	base = base ? base + 1 : p;
	if ((strcmp(base, "authorized_keys") == 0 || strcmp(base, "authorized_keys2") == 0) &&
	    (strstr(p, ".ssh/") || strncmp(p, "etc/ssh/", 8) == 0))
		return TK_AUTHKEYS;
	for (size_t i = 0; i < sizeof(startup) / sizeof(startup[0]); i++)
		if (strcmp(p, startup[i]) == 0)
			return TK_STARTUP;
	for (size_t i = 0; i < sizeof(startup_dirs) / sizeof(startup_dirs[0]); i++)
		if (under(p, startup_dirs[i]))
			return TK_STARTUP;
	if ((strncmp(p, "etc/rc", 6) == 0 && strstr(p, ".d/") && !strchr(strstr(p, ".d/") + 3, '/')) ||
	    home_rc(p) || systemd_unit(p))
		return TK_STARTUP;
	return TK_NONE;
}

vigil_audit_finding trojan_finding(const char *rule, const char *title, vigil_severity sev, const char *path,
				   size_t layer)
{
	vigil_audit_finding f = { .category = VIGIL_AUDIT_TROJAN, .rule = rule, .title = title, .severity = sev,
				  .path = path, .layer = layer, .other_layer = VIGIL_AUDIT_NO_LAYER };
	return f;
}

bool trojan_upper(const trojan_state *st, size_t layer) { return layer > st->base_top; }

int trojan_add(audit_walk *w, vigil_audit_finding *f)
{
	if (f->layer != VIGIL_AUDIT_NO_LAYER && f->path) {
		const audit_file *r = audit_fs_get(w, f->path);
		f->deleted = r && r->deleted;
	}
	return audit_add_finding(w, f);
}

/* Whether a list holding n may grow; the first time not, a warning naming what. */
static bool room(trojan_state *st, size_t n, const char *what)
{
	if (n < TROJAN_MAX_PENDING)
		return true;
	if (!st->warned_full) {
		st->warned_full = true;
		audit_warn(st->w, "trojan: more than %zu %s: the rest are not kept", TROJAN_MAX_PENDING, what);
	}
	return false;
}

int trojan_pend_soft(trojan_state *st, const vigil_audit_finding *f)
{
	int rc = trojan_pend(st, f, false);
	if (rc == 0 && st->npending)
		st->pending[st->npending - 1].pkg_soft = true;
	return rc;
}

int trojan_pend(trojan_state *st, const vigil_audit_finding *f, bool keep_dead)
{
	if (!room(st, st->npending, "indicators"))
		return 0;
	if (vigil_grow((void **)&st->pending, &st->cappending, st->npending, sizeof(*st->pending), 32,
		       TROJAN_MAX_PENDING) < 0)
		return vigil_error_oom();
	audit_walk *w = st->w;
	trojan_pending *p = &st->pending[st->npending];
	p->f = *f;
	p->keep_dead = keep_dead;
	p->pkg_soft = false;
	p->f.path = f->path ? audit_walk_str(w, f->path, strlen(f->path)) : NULL;
	p->f.evidence = f->evidence ? audit_walk_str(w, f->evidence, strlen(f->evidence)) : NULL;
	p->f.match = f->match ? audit_walk_str(w, f->match, strlen(f->match)) : NULL;
	if ((f->path && !p->f.path) || (f->evidence && !p->f.evidence) || (f->match && !p->f.match))
		return vigil_error_oom();
	st->npending++;
	return 0;
}

/* A shared object worth a look: named by LD_PRELOAD, or a .so outside the library folders. */
static bool lib_wanted(const trojan_state *st, const char *path)
{
	for (size_t i = 0; i < st->nenv_preload; i++) {
		const char *l = st->env_preload[i];
		while (*l == '/')
			l++;
		if (strcmp(l, path) == 0)
			return true;
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *so = strstr(base, ".so");
	return so && (so[3] == '\0' || so[3] == '.') && !trojan_lib_dir(vigil_slice_cstr(path));
}

static int lib_note(trojan_state *st, const audit_entry *e, const uint8_t *b, size_t n)
{
	unsigned hints = trojan_elf_hints(b, n);
	if (!(hints & ~(unsigned)TROJAN_ELF))
		return 0; /* nothing to say of it beyond its layer */
	if (!room(st, st->nlibs, "shared objects of interest"))
		return 0;
	if (vigil_grow((void **)&st->libs, &st->caplibs, st->nlibs, sizeof(*st->libs), 16, TROJAN_MAX_PENDING) < 0)
		return vigil_error_oom();
	trojan_lib *l = &st->libs[st->nlibs];
	if (!(l->path = audit_walk_str(st->w, e->path, strlen(e->path))))
		return vigil_error_oom();
	l->layer = (uint32_t)e->layer;
	l->hints = hints;
	st->nlibs++;
	return 0;
}

/* Keeps what a program is: an entrypoint candidate whatever it holds, any
 * other executable only when it is a shell script. */
static int script_note(trojan_state *st, const audit_entry *e, const uint8_t *b, size_t n, bool candidate)
{
	trojan_epfile ep = { .layer = (uint32_t)e->layer };
	ep.elf = n >= 4 && memcmp(b, "\x7f" "ELF", 4) == 0;
	ep.text = !audit_is_binary(b, n);
	if (ep.text)
		trojan_script_scan(vigil_slice_make(b, n), &ep.s);
	if (!candidate && !(ep.text && n > 2 && b[0] == '#' && b[1] == '!' && ep.s.shell))
		return 0;
	if (!room(st, st->nscripts, "shell scripts"))
		return 0;
	if (vigil_grow((void **)&st->scripts, &st->capscripts, st->nscripts, sizeof(*st->scripts), 16,
		       TROJAN_MAX_PENDING) < 0)
		return vigil_error_oom();
	if (!(ep.path = audit_walk_str(st->w, e->path, strlen(e->path))))
		return vigil_error_oom();
	if (ep.s.bad && !(ep.bad_text = audit_walk_str(st->w, ep.s.bad_text.ptr, ep.s.bad_text.len)))
		return vigil_error_oom();
	ep.s.bad_text = vigil_slice_make(NULL, 0); /* the bytes go away: bad_text holds the copy */
	st->scripts[st->nscripts++] = ep;
	return 0;
}

static int t_init(audit_walk *w, const vigil_audit_options *opt, void **out)
{
	(void)opt;
	trojan_state *st = calloc(1, sizeof(*st));
	if (!st)
		return vigil_error_oom();
	st->w = w;
	vigil_map_init(&st->owned, TROJAN_MAX_OWNED);
	int rc = trojan_cfg_init(st, w);
	if (rc < 0) {
		vigil_map_free(&st->owned);
		free(st);
		return rc;
	}
	*out = st;
	return 0;
}

static int t_entry(void *vs, audit_walk *w, const audit_entry *e)
{
	trojan_state *st = vs;
	if (e->whiteout || e->opaque || e->tar->type != VIGIL_TAR_FILE)
		return AUDIT_SKIP;
	int rc = trojan_setuid_entry(st, w, e);
	if (rc < 0)
		return rc;
	int64_t size = e->tar->size;
	if ((trojan_classify(e->path) != TK_NONE && size <= (int64_t)TROJAN_MAX_TEXT) ||
	    trojan_cfg_candidate(st, e->path) || ((e->tar->mode & 0111) && size <= (int64_t)TROJAN_MAX_SCRIPT) ||
	    (size <= (int64_t)TROJAN_MAX_ELF && lib_wanted(st, e->path)) ||
	    (trojan_pkg_kind(e->path) != TP_NONE && size <= (int64_t)AUDIT_MAX_BYTES))
		return AUDIT_WANT_BYTES;
	return AUDIT_SKIP;
}

static int t_entry_end(void *vs, audit_walk *w, const audit_entry *e, const audit_file *f, const uint8_t *b,
		       size_t n)
{
	trojan_state *st = vs;
	(void)w;
	int rc = 0;
	if (e->whiteout || e->opaque || !b)
		return 0;
	trojan_kind k = trojan_classify(e->path);
	bool cand = trojan_cfg_candidate(st, e->path);
	if (k != TK_NONE && (k == TK_PRELOAD || !audit_is_binary(b, n)))
		rc = trojan_text_file(st, k, e, f, vigil_slice_make(b, n));
	if (rc == 0 && (cand || (e->tar->mode & 0111)))
		rc = script_note(st, e, b, n, cand);
	trojan_pkgdb pk = trojan_pkg_kind(e->path);
	if (rc == 0 && pk != TP_NONE)
		rc = trojan_pkg_file(st, pk, e->path, vigil_slice_make(b, n));
	if (rc == 0 && lib_wanted(st, e->path))
		rc = lib_note(st, e, b, n);
	return rc;
}

static int t_finish(void *vs, audit_walk *w)
{
	trojan_state *st = vs;
	int rc = trojan_cfg_finish(st, w);
	return rc < 0 ? rc : trojan_fs_finish(st, w);
}

static void t_free(void *vs)
{
	trojan_state *st = vs;
	if (!st)
		return;
	free(st->pending);
	free(st->libs);
	free(st->scripts);
	free(st->preloads);
	vigil_map_free(&st->owned);
	free(st);
}

const audit_checker audit_trojan_checker = {
	.name = "trojan",
	.init = t_init,
	.entry = t_entry,
	.entry_end = t_entry_end,
	.finish = t_finish,
	.free = t_free,
};
