/* audit/trojan_cfg.c: what the image config tells the trojan scanner:
 * where the base image ends (its history), the programs the container
 * starts with (Entrypoint, Cmd: the script they run is read as the layers
 * stream), and the environment (LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH,
 * dockerscan's REMOTE_ADDR/REMOTE_PORT). */
#include "audit/trojan_priv.h"

#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* Longest command line kept for evidence. */
#define CMD_SHOWN 512

static const json_t *cfg_obj(const json_t *root)
{
	const json_t *c = root ? json_object_get(root, "config") : NULL;
	return json_is_object(c) ? c : NULL;
}

/* An empty-layer history step that sets what the image runs. */
static bool sets_command(const json_t *h)
{
	const char *by = json_string_value(json_object_get(h, "created_by"));
	if (!json_is_true(json_object_get(h, "empty_layer")) || !by)
		return false;
	return strstr(by, "CMD") || strstr(by, "ENTRYPOINT") || strncmp(by, "umoci config", 12) == 0 ||
	       strstr(by, "buildah config");
}

/* The base image ends at the last step that sets the command and is
 * followed by a step that adds a layer (trivy guesses the same way). */
static void find_base(trojan_state *st, audit_walk *w)
{
	const json_t *hist = json_object_get(audit_walk_config(w), "history");
	size_t nl = audit_walk_layer_count(w), layers = 0, base = 0, i;
	bool found = false;
	st->base_top = 0;
	st->base_why = "layer 0 (the image's history does not say more)";
	if (!json_is_array(hist) || nl == 0)
		return;
	const json_t *h;
	json_array_foreach(hist, i, h)
	{
		if (!json_is_true(json_object_get(h, "empty_layer"))) {
			layers++;
			continue;
		}
		if (sets_command(h) && layers) {
			size_t later = 0;
			for (size_t j = i + 1; j < json_array_size(hist); j++)
				later += !json_is_true(json_object_get(json_array_get(hist, j), "empty_layer"));
			if (later) {
				base = layers;
				found = true;
			}
		}
	}
	if (layers != nl) {
		st->base_why = "layer 0 (the history does not match the layers)";
		return;
	}
	if (found && base > 0) {
		st->base_top = base - 1;
		st->base_why = "the layers before the history's last command-setting step";
	}
}

/* words of a JSON array (or a JSON string: one word) appended to b */
static void join(vigil_buf *b, const json_t *v)
{
	size_t i;
	const json_t *x;
	if (json_is_string(v)) {
		vigil_buf_printf(b, "%s%s", b->len ? " " : "", json_string_value(v));
		return;
	}
	json_array_foreach(v, i, x) if (json_is_string(x))
		vigil_buf_printf(b, "%s%s", b->len ? " " : "", json_string_value(x));
}

static const char *word(const json_t *v, size_t i)
{
	if (json_is_string(v))
		return i == 0 ? json_string_value(v) : NULL;
	return json_string_value(json_array_get(v, i));
}

static bool shell_name(const char *p)
{
	static const char *const sh[] = { "sh", "bash", "dash", "ash", "zsh", "ksh" };
	const char *b = strrchr(p, '/');
	b = b ? b + 1 : p;
	for (size_t i = 0; i < sizeof(sh) / sizeof(sh[0]); i++)
		if (strcmp(b, sh[i]) == 0)
			return true;
	return false;
}

static void add_candidate(trojan_state *st, const char *dir, size_t dlen, const char *name)
{
	char p[TROJAN_MAX_LIB_PATH];
	while (dlen && *dir == '/') {
		dir++;
		dlen--;
	}
	while (*name == '/')
		name++;
	int n = dlen ? snprintf(p, sizeof(p), "%.*s/%s", (int)dlen, dir, name) : snprintf(p, sizeof(p), "%s", name);
	if (n <= 0 || (size_t)n >= sizeof(p) || st->ncands >= TROJAN_MAX_CANDIDATES)
		return;
	const char *s = audit_walk_str(st->w, p, (size_t)n);
	if (s)
		st->cands[st->ncands++] = s;
}

static const char *env_get(const json_t *cfg, const char *name)
{
	size_t i, n = strlen(name);
	const json_t *e;
	json_array_foreach(json_object_get(cfg, "Env"), i, e)
	{
		const char *s = json_string_value(e);
		if (s && strncmp(s, name, n) == 0 && s[n] == '=')
			return s + n + 1;
	}
	return NULL;
}

/* The file the container runs first: each place it may be. */
static void candidates(trojan_state *st, const json_t *cfg)
{
	const json_t *ep = json_object_get(cfg, "Entrypoint"), *cmd = json_object_get(cfg, "Cmd");
	const json_t *run = word(ep, 0) ? ep : cmd;
	const char *prog = word(run, 0), *script = prog;
	if (!prog)
		return;
	st->program = prog;
	if (shell_name(prog)) {
		const char *arg = word(run, 1);
		script = arg && arg[0] != '-' ? arg : NULL;
		if (!script && run == ep && !word(ep, 1) && word(cmd, 0) && word(cmd, 0)[0] != '-')
			script = word(cmd, 0); /* ENTRYPOINT ["sh"] CMD ["/x.sh"] */
	}
	if (!script)
		return;
	if (strchr(script, '/')) {
		const char *wd = json_string_value(json_object_get(cfg, "WorkingDir"));
		if (script[0] == '/' || !wd)
			add_candidate(st, "", 0, script);
		else
			add_candidate(st, wd, strlen(wd), script);
		return;
	}
	const char *path = env_get(cfg, "PATH");
	vigil_slice rest = vigil_slice_cstr(path ? path : DEFAULT_PATH), d;
	while (rest.len) {
		vigil_slice_split(rest, ':', &d, &rest);
		if (d.len)
			add_candidate(st, d.ptr, d.len, script);
	}
}

int trojan_cfg_init(trojan_state *st, audit_walk *w)
{
	const json_t *cfg = cfg_obj(audit_walk_config(w));
	vigil_buf b;
	find_base(st, w);
	if (!cfg)
		return 0;
	st->entrypoint_string = json_is_string(json_object_get(cfg, "Entrypoint"));
	vigil_buf_init(&b, CMD_SHOWN * 4);
	join(&b, json_object_get(cfg, "Entrypoint"));
	join(&b, json_object_get(cfg, "Cmd"));
	if (b.len)
		st->command = audit_walk_str(w, b.data, b.len);
	vigil_buf_free(&b);
	candidates(st, cfg);
	static const char *const vars[] = { "LD_PRELOAD", "LD_AUDIT" };
	for (size_t v = 0; v < 2; v++) {
		const char *val = env_get(cfg, vars[v]);
		vigil_slice libs[TROJAN_MAX_PRELOAD];
		size_t n = val ? trojan_preload_parse(vigil_slice_cstr(val), true, libs, TROJAN_MAX_PRELOAD) : 0;
		for (size_t i = 0; i < n && i < TROJAN_MAX_PRELOAD && st->nenv_preload < TROJAN_MAX_PRELOAD; i++) {
			const char *s = audit_walk_str(w, libs[i].ptr, libs[i].len);
			if (!s)
				return vigil_error_oom();
			st->env_preload[st->nenv_preload++] = s;
		}
	}
	return 0;
}

bool trojan_cfg_candidate(const trojan_state *st, const char *path)
{
	for (size_t i = 0; i < st->ncands; i++)
		if (strcmp(st->cands[i], path) == 0)
			return true;
	return false;
}

/* ---- at the end: the config's findings ---- */

static int add(audit_walk *w, vigil_audit_finding *f) { return trojan_add(w, f); }

/* LD_PRELOAD / LD_AUDIT: every process of the container loads these. */
static int env_preload(trojan_state *st, audit_walk *w, const json_t *cfg, const char *var)
{
	const char *val = env_get(cfg, var);
	vigil_slice libs[TROJAN_MAX_PRELOAD];
	char ev[TROJAN_MAX_EVIDENCE], one[TROJAN_MAX_EVIDENCE / 2];
	size_t first_layer = VIGIL_AUDIT_NO_LAYER, o;
	const char *first_path = NULL;
	int grade = TROJAN_LIB_KNOWN, info;
	if (!val || !*val)
		return 0;
	size_t n = trojan_preload_parse(vigil_slice_cstr(val), true, libs, TROJAN_MAX_PRELOAD);
	o = (size_t)snprintf(ev, sizeof(ev), "%s=%.200s in the config's Env: every program of the container loads",
			     var, val);
	for (size_t i = 0; i < n && i < TROJAN_MAX_PRELOAD && o < sizeof(ev); i++) {
		size_t layer = VIGIL_AUDIT_NO_LAYER;
		int g = trojan_describe_lib(st, w, libs[i], one, sizeof(one), &layer);
		grade = g > grade ? g : grade;
		o += (size_t)snprintf(ev + o, sizeof(ev) - o, "%s %s", i ? ";" : "", one);
		if (layer != VIGIL_AUDIT_NO_LAYER && !first_path) {
			first_layer = layer;
			const char *p = libs[i].ptr;
			size_t pl = libs[i].len;
			while (pl && *p == '/') {
				p++;
				pl--;
			}
			first_path = audit_walk_str(w, p, pl);
		}
	}
	const char *ra = env_get(cfg, "REMOTE_ADDR"), *rp = env_get(cfg, "REMOTE_PORT");
	if (ra && o < sizeof(ev))
		snprintf(ev + o, sizeof(ev) - o, "; REMOTE_ADDR=%.64s REMOTE_PORT=%.16s are set too (what dockerscan's "
			 "trojanize adds for its reverse shell)", ra, rp ? rp : "?");
	if (n > TROJAN_MAX_PRELOAD || ra)
		grade = TROJAN_LIB_BAD;
	vigil_severity sev = trojan_preload_severity(grade, &info);
	vigil_audit_finding f = trojan_finding("env-ld-preload", "The config preloads a library into every process",
					       sev, first_path, first_layer);
	f.evidence = ev;
	f.info = info;
	f.match = var;
	return add(w, &f);
}

/* LD_LIBRARY_PATH with a folder anyone may write, or the current folder. */
static int env_library_path(audit_walk *w, const json_t *cfg)
{
	static const char *const odd[] = { "/tmp", "/var/tmp", "/dev/shm", "/home/", "/run/user" };
	const char *val = env_get(cfg, "LD_LIBRARY_PATH");
	vigil_slice rest, d;
	if (!val)
		return 0;
	rest = vigil_slice_cstr(val);
	const char *why = NULL;
	bool more = true;
	while (more && !why) {
		more = vigil_slice_split(rest, ':', &d, &rest);
		if (d.len == 0 || d.ptr[0] != '/')
			why = "an empty or relative entry (the current folder)";
		for (size_t i = 0; !why && i < sizeof(odd) / sizeof(odd[0]); i++)
			if (vigil_slice_starts_with(d, odd[i]))
				why = "a folder anyone may write";
	}
	if (!why)
		return 0;
	char ev[TROJAN_MAX_EVIDENCE];
	snprintf(ev, sizeof(ev), "LD_LIBRARY_PATH=%.300s in the config's Env has %s: a library planted there "
		 "replaces the system's", val, why);
	vigil_audit_finding f = trojan_finding("env-ld-preload", "The config's library path has an odd folder",
					       VIGIL_SEV_MEDIUM, NULL, VIGIL_AUDIT_NO_LAYER);
	f.evidence = ev;
	f.match = "LD_LIBRARY_PATH";
	return add(w, &f);
}

/* The command line and every Env value: a reverse shell or a download run. */
static int config_lines(trojan_state *st, audit_walk *w, const json_t *cfg)
{
	size_t i;
	const json_t *e;
	int rc = 0;
	char ev[TROJAN_MAX_EVIDENCE];
	const char *what[TROJAN_MAX_WORDS];
	const char *where[TROJAN_MAX_WORDS];
	size_t n = 0;
	if (st->command) {
		what[n] = st->command;
		where[n++] = "the Entrypoint and Cmd";
	}
	json_array_foreach(json_object_get(cfg, "Env"), i, e) if (json_is_string(e) && n < TROJAN_MAX_WORDS)
	{
		what[n] = json_string_value(e);
		where[n++] = "an Env value";
	}
	for (i = 0; i < n && rc == 0; i++) {
		vigil_slice s = vigil_slice_cstr(what[i]);
		const char *why = trojan_revshell_match(s);
		bool rs = why != NULL;
		if (!why)
			why = trojan_fetch_exec_match(s);
		if (!why)
			continue;
		snprintf(ev, sizeof(ev), "%s in %s of the config: %.300s", why, where[i], what[i]);
		vigil_audit_finding f = trojan_finding(
			rs ? "reverse-shell" : "download-exec",
			rs ? "The config opens a shell to the network" : "The config runs what it downloads",
			rs ? VIGIL_SEV_CRITICAL : VIGIL_SEV_HIGH, NULL, VIGIL_AUDIT_NO_LAYER);
		f.evidence = ev;
		f.match = why;
		rc = add(w, &f);
	}
	return rc;
}

int trojan_cfg_finish(trojan_state *st, audit_walk *w)
{
	const json_t *cfg = cfg_obj(audit_walk_config(w));
	int rc = 0;
	if (!cfg)
		return 0;
	if ((rc = env_preload(st, w, cfg, "LD_PRELOAD")) < 0 || (rc = env_preload(st, w, cfg, "LD_AUDIT")) < 0 ||
	    (rc = env_library_path(w, cfg)) < 0 || (rc = config_lines(st, w, cfg)) < 0)
		return rc;
	return trojan_entry_finish(st, w);
}
