/* cli/conf.c: every flag of a command also from the environment and from a
 * config file, with one source of truth: the command's getopt table.
 *
 * Precedence: command line > VIGIL_<FLAG> > config file. VIGIL_<FLAG> is
 * the long option's name upper-cased with '-' as '_' (--ignore-unfixed:
 * VIGIL_IGNORE_UNFIXED=true). The config file is --config FILE, else
 * $VIGIL_CONFIG, else ./vigil.yaml when it exists; for a command whose
 * own table has --config (serve, db update) those are the command's own
 * and only ./vigil.yaml is read. The file is one YAML mapping of flag
 * names, at the top (every command that has the flag) or grouped under a
 * command ("scan:", "db: {update: {...}}"), which wins over the top:
 *
 *   severity: [HIGH, CRITICAL]     # a list: joined with ',' (or repeated
 *   scan:                          #   for repeatable flags: vex, source)
 *     exit-code: 1
 *     ignore-unfixed: true         # booleans: true/false (yes/no, on/off, 1/0)
 *
 * How: before the command line, cli_getopt hands the command the options
 * the environment and the file give for the flags of its table that the
 * command line does not give (found by a first getopt pass over a copy of
 * argv), exactly as if they had been typed, so every value goes through
 * the command's own parser and checks. Hand-parsed commands get the same
 * options spliced into their argv (cli_conf_argv). A key of the file that
 * is not a flag of the command its section names warns with a
 * suggestion; a top-level key warns only when it looks like a typo of one
 * of the running command's flags (it may belong to another command); an
 * environment variable for an unknown flag is never looked at. Errors
 * (unreadable or malformed file, a bad boolean) name the file and line or
 * the variable and exit 2. Limits: CONF_MAX_*. */
#include "cli.h"
#include "suggest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <yaml.h>

#define CONF_MAX_FILE    (1024 * 1024) /* bytes of the config file */
#define CONF_MAX_ENTRIES 4096          /* keys of the file */
#define CONF_MAX_VALUES  1024          /* items of one list */
#define CONF_MAX_SCALAR  65536         /* bytes of one value */
#define CONF_MAX_DEPTH   2             /* sections: scan, db update */
#define CONF_OPT_CONFIG  0x1f00        /* getopt value of the added --config */
#define CONF_DEFAULT     "vigil.yaml"

struct conf_entry {
	char *section;      /* "" top level, "scan", "db update" */
	char *key;
	char **values;
	size_t nvalues, line;
	size_t sline;       /* the line of its section's name */
};

static struct {
	char *path;
	struct conf_entry *e;
	size_t n;
	bool loaded;
} conf;

/* One injected option. */
struct inj {
	const struct option *opt;
	char *value;        /* NULL for a flag without value */
};

static struct {
	char **argv;        /* the argv cli_getopt runs over; NULL: no session */
	const struct option *longopts;
	struct option *merged;
	struct inj *inj;
	size_t ninj, next;
	char **spliced;     /* cli_conf_argv's vector: lives until exit */
} sess;

static const char *const repeatable[] = { "vex", "source", "source-url", NULL };

static bool is_repeatable(const char *name)
{
	for (size_t i = 0; repeatable[i]; i++)
		if (!strcmp(repeatable[i], name))
			return true;
	return false;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "vigil: error: out of memory\n");
		exit(CLI_ERROR);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xcalloc(n + 1, 1);
	memcpy(p, s, n);
	return p;
}

static void conf_die(const char *path, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
static void conf_die(const char *path, size_t line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vigil: %s:%zu: ", path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(CLI_USAGE);
}

/* ---- the YAML file ---- */

static void next_event(yaml_parser_t *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(p, ev))
		conf_die(conf.path, p->problem_mark.line + 1, "%s", p->problem ? p->problem : "not YAML");
	if (ev->type == YAML_ALIAS_EVENT)
		conf_die(conf.path, ev->start_mark.line + 1, "%s", "YAML aliases are not read");
	if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length > CONF_MAX_SCALAR)
		conf_die(conf.path, ev->start_mark.line + 1, "a value longer than %d bytes", CONF_MAX_SCALAR);
}

static bool plain_null(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (n == 0 || (n == 1 && *v == '~') || (n == 4 && !strcmp(v, "null")));
}

static struct conf_entry *add_entry(const char *section, size_t sline, const char *key, size_t line)
{
	if (conf.n >= CONF_MAX_ENTRIES)
		conf_die(conf.path, line, "more than %d keys", CONF_MAX_ENTRIES);
	struct conf_entry *n = realloc(conf.e, (conf.n + 1) * sizeof(*conf.e));
	if (!n) {
		fprintf(stderr, "vigil: error: out of memory\n");
		exit(CLI_ERROR);
	}
	conf.e = n;
	struct conf_entry *e = &conf.e[conf.n++];
	memset(e, 0, sizeof(*e));
	e->section = xstrndup(section, strlen(section));
	e->key = xstrndup(key, strlen(key));
	e->line = line;
	e->sline = sline;
	e->values = xcalloc(CONF_MAX_VALUES, sizeof(char *));
	return e;
}

static void add_value(struct conf_entry *e, const yaml_event_t *ev)
{
	if (plain_null(ev))
		return;
	if (e->nvalues >= CONF_MAX_VALUES)
		conf_die(conf.path, ev->start_mark.line + 1, "more than %d items in a list", CONF_MAX_VALUES);
	e->values[e->nvalues++] = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
}

static void read_map(yaml_parser_t *p, const char *section, size_t sline, int depth)
{
	yaml_event_t k, v;
	for (;;) {
		next_event(p, &k);
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			return;
		}
		size_t line = k.start_mark.line + 1;
		if (k.type != YAML_SCALAR_EVENT)
			conf_die(conf.path, line, "%s", "a key that is not a word");
		char *key = xstrndup((const char *)k.data.scalar.value, k.data.scalar.length);
		yaml_event_delete(&k);
		next_event(p, &v);
		if (v.type == YAML_SCALAR_EVENT) {
			add_value(add_entry(section, sline, key, line), &v);
		} else if (v.type == YAML_SEQUENCE_START_EVENT) {
			struct conf_entry *e = add_entry(section, sline, key, line);
			yaml_event_t it;
			for (;;) {
				next_event(p, &it);
				if (it.type == YAML_SEQUENCE_END_EVENT)
					break;
				if (it.type != YAML_SCALAR_EVENT)
					conf_die(conf.path, it.start_mark.line + 1, "'%s': a list of words expected", key);
				add_value(e, &it);
				yaml_event_delete(&it);
			}
			yaml_event_delete(&it);
		} else if (v.type == YAML_MAPPING_START_EVENT) {
			if (depth >= CONF_MAX_DEPTH)
				conf_die(conf.path, line, "'%s': sections nest two deep at most (db: {update: ...})", key);
			size_t n = strlen(section) + strlen(key) + 2;
			char *sub = xcalloc(n, 1);
			snprintf(sub, n, "%s%s%s", section, *section ? " " : "", key);
			read_map(p, sub, line, depth + 1);
			free(sub);
		}
		yaml_event_delete(&v);
		free(key);
	}
}

static void parse_conf(const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	bool mapped = false;
	if (!yaml_parser_initialize(&p)) {
		fprintf(stderr, "vigil: error: out of memory\n");
		exit(CLI_ERROR);
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		next_event(&p, &ev);
		yaml_event_type_t t = ev.type;
		size_t line = ev.start_mark.line + 1;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_MAPPING_START_EVENT) {
			if (mapped)
				conf_die(conf.path, line, "%s", "a second YAML document");
			mapped = true;
			read_map(&p, "", 0, 0);
		} else if (t == YAML_SEQUENCE_START_EVENT || (t == YAML_SCALAR_EVENT && !plain_null(&ev))) {
			conf_die(conf.path, line, "%s", "a mapping of flag names expected (severity: HIGH)");
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
}

static void load_conf(const char *path)
{
	FILE *f;
	char *buf;
	size_t len;
	if (conf.loaded)
		return;
	conf.loaded = true;
	conf.path = xstrndup(path, strlen(path));
	if (!(f = fopen(path, "rb"))) {
		fprintf(stderr, "vigil: config file %s: %s\n", path, strerror(errno));
		exit(CLI_USAGE);
	}
	buf = xcalloc(CONF_MAX_FILE + 1, 1);
	len = fread(buf, 1, CONF_MAX_FILE + 1, f);
	fclose(f);
	if (len > CONF_MAX_FILE) {
		fprintf(stderr, "vigil: config file %s: larger than %d bytes\n", path, CONF_MAX_FILE);
		exit(CLI_USAGE);
	}
	parse_conf(buf, len);
	free(buf);
}

/* The entry for key in section cmd, its parent ("db" for "db update"), or
 * the top level; the last of each wins. */
static const struct conf_entry *lookup(const char *cmd, const char *key)
{
	size_t plen = strcspn(cmd, " ");
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = conf.n; i-- > 0;) {
			const struct conf_entry *e = &conf.e[i];
			bool sec = pass == 0   ? !strcmp(e->section, cmd)
				   : pass == 1 ? cmd[plen] && strlen(e->section) == plen && !strncmp(e->section, cmd, plen)
					       : !*e->section;
			if (sec && !strcmp(e->key, key))
				return e;
		}
	}
	return NULL;
}

static bool known(const struct option *lo, const char *key)
{
	for (size_t i = 0; lo[i].name; i++)
		if (!strcmp(lo[i].name, key))
			return true;
	return !strcmp(key, "config");
}

static void warn_unknown(const char *cmd, const struct option *lo)
{
	const char *const *cmds = cli_command_names();
	for (size_t i = 0; i < conf.n; i++) {
		const struct conf_entry *e = &conf.e[i];
		const char *hint = cli_suggest_option(e->key, lo);
		if (!strcmp(e->section, cmd) && !known(lo, e->key))
			fprintf(stderr, "vigil: warning: %s:%zu: '%s' is not an option of 'vigil %s'%s%s%s\n", conf.path,
				e->line, e->key, cmd, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		else if (!*e->section && !known(lo, e->key) && hint)
			fprintf(stderr, "vigil: warning: %s:%zu: '%s' is not an option of 'vigil %s' (did you mean '%s'?)\n",
				conf.path, e->line, e->key, cmd, hint);
	}
	for (size_t i = 0; i < conf.n; i++) {
		const char *s = conf.e[i].section;
		size_t n = strcspn(s, " ");
		bool found = !*s;
		for (size_t k = 0; !found && cmds[k]; k++)
			found = strlen(cmds[k]) == n && !strncmp(cmds[k], s, n);
		if (!found && (i == 0 || strcmp(conf.e[i - 1].section, s))) {
			const char *hint = cli_suggest_list(s, cmds);
			fprintf(stderr, "vigil: warning: %s:%zu: '%s' is not a command%s%s%s\n", conf.path, conf.e[i].sline, s,
				hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		}
	}
}

/* ---- what to inject ---- */

static int parse_bool(const char *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL }, *const no[] = { "false", "no", "off", "0", "", NULL };
	for (size_t i = 0; yes[i]; i++)
		if (!strcasecmp(v, yes[i]))
			return 1;
	for (size_t i = 0; no[i]; i++)
		if (!strcasecmp(v, no[i]))
			return 0;
	return -1;
}

static void env_name(const char *flag, char *buf, size_t n)
{
	size_t j = snprintf(buf, n, "VIGIL_");
	for (size_t i = 0; flag[i] && j + 1 < n; i++, j++)
		buf[j] = flag[i] == '-' ? '_' : (flag[i] >= 'a' && flag[i] <= 'z' ? (char)(flag[i] - 32) : flag[i]);
	buf[j] = '\0';
}

static void push(const struct option *o, const char *v, size_t len)
{
	struct inj *n = realloc(sess.inj, (sess.ninj + 1) * sizeof(*sess.inj));
	if (!n) {
		fprintf(stderr, "vigil: error: out of memory\n");
		exit(CLI_ERROR);
	}
	sess.inj = n;
	sess.inj[sess.ninj].opt = o;
	sess.inj[sess.ninj].value = v ? xstrndup(v, len) : NULL;
	sess.ninj++;
}

/* The options of o from the environment, else the file. */
static void collect_one(const char *cmd, const struct option *o)
{
	char ename[128];
	env_name(o->name, ename, sizeof(ename));
	/* VIGIL_DB keeps its own, older meaning: the store's last default
	 * (below serve's config file), which vigil_store_open reads itself */
	const char *env = strcmp(ename, "VIGIL_DB") ? getenv(ename) : NULL;
	const struct conf_entry *e = env && *env ? NULL : lookup(cmd, o->name);
	if (env && *env) {
		if (o->has_arg == no_argument) {
			int b = parse_bool(env);
			if (b < 0) {
				fprintf(stderr, "vigil: %s=%s: want true or false\n", ename, env);
				exit(CLI_USAGE);
			}
			if (b)
				push(o, NULL, 0);
		} else if (is_repeatable(o->name)) {
			for (const char *p = env; *p;) {
				size_t n = strcspn(p, ",");
				if (n)
					push(o, p, n);
				p += n + (p[n] == ',');
			}
		} else {
			push(o, env, strlen(env));
		}
		return;
	}
	if (!e || !e->nvalues)
		return;
	if (o->has_arg == no_argument) {
		int b = e->nvalues == 1 ? parse_bool(e->values[0]) : -1;
		if (b < 0)
			conf_die(conf.path, e->line, "'%s': want true or false", e->key);
		if (b)
			push(o, NULL, 0);
	} else if (is_repeatable(o->name)) {
		for (size_t i = 0; i < e->nvalues; i++)
			push(o, e->values[i], strlen(e->values[i]));
	} else {
		size_t len = 0, at = 0;
		for (size_t i = 0; i < e->nvalues; i++)
			len += strlen(e->values[i]) + 1;
		char *joined = xcalloc(len + 1, 1);
		for (size_t i = 0; i < e->nvalues; i++)
			at += (size_t)snprintf(joined + at, len + 1 - at, "%s%s", i ? "," : "", e->values[i]);
		push(o, joined, at);
		free(joined);
	}
}

/* seen[i]: the command line gives lo[i] itself. */
static void collect(const char *cmd, const struct option *lo, const bool *seen, const char *cli_config)
{
	bool own = false;
	for (size_t i = 0; lo[i].name; i++)
		own |= !strcmp(lo[i].name, "config");
	const char *path = NULL;
	if (!own) {
		const char *env = getenv("VIGIL_CONFIG");
		path = cli_config ? cli_config : env && *env ? env : NULL;
	}
	if (!path && access(CONF_DEFAULT, F_OK) == 0)
		path = CONF_DEFAULT;
	if (path) {
		load_conf(path);
		warn_unknown(cmd, lo);
	}
	/* --help on the command line: help, whatever the environment says */
	for (size_t i = 0; lo[i].name; i++)
		if (seen[i] && !strcmp(lo[i].name, "help"))
			return;
	for (size_t i = 0; lo[i].name; i++) {
		if (seen[i] || !strcmp(lo[i].name, "help") || (!own && !strcmp(lo[i].name, "config")))
			continue;
		collect_one(cmd, &lo[i]);
	}
}

/* ---- getopt commands ---- */

static void session_start(int argc, char **argv, const char *shortopts, const struct option *lo, const char *cmd)
{
	size_t n = 0, idx_config = (size_t)-1;
	const char *cli_config = NULL;
	while (lo[n].name)
		n++;
	free(sess.merged);
	sess.merged = xcalloc(n + 2, sizeof(*sess.merged));
	memcpy(sess.merged, lo, n * sizeof(*lo));
	bool own = false;
	for (size_t i = 0; i < n; i++)
		own |= !strcmp(lo[i].name, "config");
	if (!own) {
		sess.merged[n] = (struct option){ "config", required_argument, NULL, CONF_OPT_CONFIG };
		idx_config = n;
	}
	for (size_t i = 0; i < sess.ninj; i++)
		free(sess.inj[i].value);
	sess.ninj = sess.next = 0;
	sess.argv = argv;
	sess.longopts = lo;

	/* a first pass over a copy: which flags the command line gives */
	bool *seen = xcalloc(n + 1, sizeof(bool));
	char **copy = xcalloc((size_t)argc + 1, sizeof(char *));
	memcpy(copy, argv, (size_t)argc * sizeof(char *));
	int c, idx;
	opterr = 0;
	optind = 0;
	while ((idx = -1, c = getopt_long(argc, copy, shortopts, sess.merged, &idx)) != -1) {
		if (c == '?' || c == ':')
			continue;
		if (idx >= 0 && (size_t)idx == idx_config) {
			cli_config = optarg;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if ((idx >= 0 && (size_t)idx == i) || (idx < 0 && !lo[i].flag && lo[i].val == c))
				seen[i] = true;
	}
	free(copy);
	optind = 0;
	collect(cmd, lo, seen, cli_config);
	free(seen);
}

static void report_bad(const char *cmd, char **argv, const char *shortopts, const struct option *lo)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	if (optopt) {
		for (size_t i = 0; lo[i].name; i++) {
			if (lo[i].flag || lo[i].val != optopt)
				continue;
			if (lo[i].has_arg == no_argument)
				fprintf(stderr, "vigil: %s: option '--%s' takes no value\n", cmd, lo[i].name);
			else
				fprintf(stderr, "vigil: %s: option '--%s' needs a value\n", cmd, lo[i].name);
			return;
		}
		if (optopt < 128 && strchr(shortopts, optopt))
			fprintf(stderr, "vigil: %s: option '-%c' needs a value\n", cmd, optopt);
		else
			fprintf(stderr, "vigil: %s: unknown option '-%c'\n", cmd, optopt < 128 && optopt > 32 ? optopt : '?');
		return;
	}
	if (!strcmp(arg, "--config"))
		fprintf(stderr, "vigil: %s: option '--config' needs a value\n", cmd);
	else
		cli_bad_option(cmd, arg, lo);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, const char *cmd)
{
	if (sess.argv != argv || sess.longopts != longopts)
		session_start(argc, argv, shortopts, longopts, cmd);
	if (sess.next < sess.ninj) {
		const struct inj *j = &sess.inj[sess.next++];
		optarg = j->value;
		if (j->opt->flag) {
			*j->opt->flag = j->opt->val;
			return 0;
		}
		return j->opt->val;
	}
	for (;;) {
		opterr = 0;
		int c = getopt_long(argc, argv, shortopts, sess.merged, NULL);
		if (c == CONF_OPT_CONFIG)
			continue;
		if (c == '?' || c == ':')
			report_bad(cmd, argv, shortopts, longopts);
		if (c == -1)
			sess.argv = NULL; /* done: a new parse starts a new session */
		return c;
	}
}

const char *cli_ignore_file_found(void)
{
	static const char *const names[] = { ".vigilignore", ".trivyignore", ".trivyignore.yaml", ".grype.yaml", NULL };
	for (size_t i = 0; names[i]; i++)
		if (access(names[i], F_OK) == 0)
			return names[i];
	return NULL;
}

/* ---- hand-parsed commands ---- */

int cli_conf_argv(const char *cmd, const struct option *opts, int first, int *argc, char ***argv)
{
	size_t n = 0;
	while (opts[n].name)
		n++;
	bool *seen = xcalloc(n + 1, sizeof(bool));
	for (int a = first; a < *argc; a++) {
		const char *s = (*argv)[a];
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(opts[i].name);
			if ((s[0] == '-' && s[1] == '-' && !strncmp(s + 2, opts[i].name, l) && (!s[2 + l] || s[2 + l] == '=')) ||
			    (!opts[i].flag && opts[i].val > 32 && opts[i].val < 128 && s[0] == '-' && s[1] == opts[i].val && !s[2]))
				seen[i] = true;
		}
	}
	for (size_t i = 0; i < sess.ninj; i++)
		free(sess.inj[i].value);
	sess.ninj = sess.next = 0;
	sess.argv = NULL;
	collect(cmd, opts, seen, NULL);
	free(seen);
	if (!sess.ninj)
		return CLI_OK;
	char **v = xcalloc((size_t)*argc + 2 * sess.ninj + 1, sizeof(char *));
	int k = 0;
	for (int a = 0; a < first; a++)
		v[k++] = (*argv)[a];
	for (size_t i = 0; i < sess.ninj; i++) {
		size_t l = strlen(sess.inj[i].opt->name) + 3;
		v[k] = xcalloc(l, 1);
		snprintf(v[k++], l, "--%s", sess.inj[i].opt->name);
		if (sess.inj[i].value)
			v[k++] = sess.inj[i].value;
	}
	for (int a = first; a < *argc; a++)
		v[k++] = (*argv)[a];
	*argc = k;
	*argv = sess.spliced = v;
	sess.ninj = 0; /* the values now belong to v, which lives until exit */
	return CLI_OK;
}
