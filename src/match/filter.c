/* match/filter.c: what `vigil scan` leaves out of a vulnerability report:
 * severities not asked for, findings with no fix, and those an ignore file
 * names (docs/scan.md).
 *
 * Ignore file, one rule per line; blank lines and lines starting with '#'
 * are skipped:
 *   ID [PACKAGE] [exp:YYYY-MM-DD] [# reason]
 * ID matches a finding's id, one of its aliases or a folded advisory (ids
 * starting with CVE- or GHSA- compare without regard to case, others
 * exactly); PACKAGE restricts the rule to one binary package; a rule whose
 * date has passed (UTC) ignores nothing. Trivy's .trivyignore (an id per
 * line, exp: tokens, '#' comments) is this format; in a file named
 * .trivyignore the words after the id other than exp: are a comment, as
 * Trivy reads them. A file named *.yaml or *.yml is Trivy's or Grype's YAML
 * (match/ignore_yaml.c); its rules carry more conditions, checked by
 * match_ignore_ext_applies. Rules without an id (Grype's) are kept on
 * their own chain and tried for every finding. */
#include "match/filter_priv.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/grow.h"
#include "util/map.h"
#include "util/slice.h"
#include "util/intern.h"
#include "match/match_priv.h"
#include "vigil/match.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <fnmatch.h>
#include <string.h>
#include <time.h>

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static bool has_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (lower((unsigned char)*s) != *prefix)
			return false;
	return true;
}

/* CVE and GHSA ids compare without regard to case, others exactly: the
 * index key of an id is the id, lowercased when it is one of those. */
static bool folds(const char *id) { return has_prefix_ci(id, "cve-") || has_prefix_ci(id, "ghsa-"); }

/* The key of id into buf (n bytes), or id itself when it does not fold;
 * NULL when it folds and does not fit (no rule can name it then). */
static const char *fold_id(const char *id, char *buf, size_t n)
{
	size_t len = strlen(id);
	if (!folds(id))
		return id;
	if (len >= n)
		return NULL;
	for (size_t i = 0; i <= len; i++)
		buf[i] = (char)lower((unsigned char)id[i]);
	return buf;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* "YYYY-MM-DD" (a real day, years 1970-9999) -> days since the epoch. */
bool match_ignore_date(vigil_slice s, int64_t *days)
{
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	uint64_t y, m, d;
	if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-')
		return false;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s.ptr[i] < '0' || s.ptr[i] > '9'))
			return false;
	if (!vigil_slice_to_u64(vigil_slice_sub(s, 0, 4), 9999, &y) ||
	    !vigil_slice_to_u64(vigil_slice_sub(s, 5, 2), 12, &m) ||
	    !vigil_slice_to_u64(vigil_slice_sub(s, 8, 2), 31, &d))
		return false;
	if (y < 1970 || m < 1 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return false;
	*days = days_from_civil((int64_t)y, (unsigned)m, (unsigned)d);
	return true;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

static vigil_slice next_token(vigil_slice *rest)
{
	size_t i = 0, j;
	while (i < rest->len && is_space(rest->ptr[i]))
		i++;
	for (j = i; j < rest->len && !is_space(rest->ptr[j]); j++)
		;
	vigil_slice t = vigil_slice_sub(*rest, i, j - i);
	*rest = vigil_slice_sub(*rest, j, rest->len);
	return t;
}

/* A token as errors quote it: at most VIGIL_IGNORE_MAX_TOKEN bytes. */
#define TOK(t) (int)((t).len > VIGIL_IGNORE_MAX_TOKEN ? VIGIL_IGNORE_MAX_TOKEN : (t).len), (t).ptr

static int parse_line(vigil_ignore_list *l, vigil_slice line, size_t lineno, struct ignore_rule *r)
{
	const char *name = l->name;
	vigil_slice rest = line, t;
	memset(r, 0, sizeof(*r));
	r->line = lineno;
	for (size_t i = 0; i < line.len; i++) {
		unsigned char c = (unsigned char)line.ptr[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: control character 0x%02x", name, lineno, c);
	}
	t = next_token(&rest);
	if (vigil_slice_starts_with(t, "exp:"))
		return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: '%.*s' where an id was expected", name, lineno, TOK(t));
	if (!(r->id = vigil_arena_strndup(l->arena, t.ptr, t.len)))
		return vigil_error_code();
	while ((t = next_token(&rest)).len) {
		if (t.ptr[0] == '#') {
			vigil_slice why = vigil_slice_trim(vigil_slice_make(t.ptr + 1, (size_t)(line.ptr + line.len - t.ptr - 1)));
			if (why.len && !(r->reason = vigil_arena_strndup(l->arena, why.ptr, why.len)))
				return vigil_error_code();
			break;
		}
		if (vigil_slice_starts_with(t, "exp:")) {
			vigil_slice date = vigil_slice_sub(t, 4, t.len);
			int64_t days;
			if (r->exp[0])
				return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: a second expiry date '%.*s'", name, lineno, TOK(t));
			if (!match_ignore_date(date, &days))
				return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: invalid date '%.*s' (want exp:YYYY-MM-DD)",
						       name, lineno, TOK(t));
			memcpy(r->exp, date.ptr, 10);
			r->exp[10] = '\0';
			r->until = (days + 1) * 86400; /* the rule holds through its last day */
			continue;
		}
		if (l->trivy) {
			/* Trivy reads the id and exp: only: the rest is a comment */
			vigil_slice why = vigil_slice_trim(vigil_slice_make(t.ptr, (size_t)(line.ptr + line.len - t.ptr)));
			if (!r->reason && !(r->reason = vigil_arena_strndup(l->arena, why.ptr, why.len)))
				return vigil_error_code();
			continue;
		}
		if (r->package || vigil_slice_find(t, ':') >= 0)
			return vigil_error_set(VIGIL_EFORMAT,
					       "%s:%zu: unknown token '%.*s' (want ID [PACKAGE] [exp:YYYY-MM-DD] [# reason])",
					       name, lineno, TOK(t));
		if (!(r->package = vigil_arena_strndup(l->arena, t.ptr, t.len)))
			return vigil_error_code();
	}
	return 0;
}

static int build_index(vigil_ignore_list *l)
{
	char buf[VIGIL_IGNORE_MAX_LINE + 1];
	int rc;
	/* newest first in each chain does not matter: any live rule ignores */
	for (size_t i = 0; i < l->n; i++) {
		struct ignore_rule *r = &l->rules[i], *first;
		if (!r->id) {
			r->next = l->wild;
			l->wild = i + 1;
			continue;
		}
		const char *key = fold_id(r->id, buf, sizeof(buf));
		if (key == buf && !(key = vigil_arena_strdup(l->arena, buf)))
			return vigil_error_code();
		first = vigil_map_get_cstr(&l->index, key);
		r->next = first ? (size_t)(first - l->rules) + 1 : 0;
		if ((rc = vigil_map_set_cstr(&l->index, key, r)) < 0)
			return rc;
	}
	return 0;
}

struct ignore_rule *match_ignore_add(vigil_ignore_list *l, size_t line)
{
	int rc = vigil_grow((void **)&l->rules, &l->alloc, l->n, sizeof(*l->rules), 16, VIGIL_IGNORE_MAX_RULES);
	if (rc < 0) {
		if (rc == VIGIL_ELIMIT)
			vigil_error_set(rc, "%s:%zu: more than %d rules", l->name, line, VIGIL_IGNORE_MAX_RULES);
		return NULL;
	}
	struct ignore_rule *r = &l->rules[l->n++];
	memset(r, 0, sizeof(*r));
	r->line = line;
	return r;
}

int match_ignore_note(vigil_ignore_list *l, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (vigil_grow((void **)&l->notes, &l->notes_alloc, l->nnotes, sizeof(*l->notes), 8, VIGIL_IGNORE_MAX_RULES) < 0)
		return vigil_error_code();
	if (!(l->notes[l->nnotes] = vigil_arena_strdup(l->arena, msg)))
		return vigil_error_code();
	l->nnotes++;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int parse_plain(vigil_ignore_list *l, vigil_slice in)
{
	vigil_slice line;
	size_t lineno = 0;
	int rc;
	const char *name = l->name;
	while (vigil_slice_next_line(&in, &line)) {
		lineno++;
		if (line.len > VIGIL_IGNORE_MAX_LINE)
			return vigil_error_set(VIGIL_ELIMIT, "%s:%zu: line of %zu bytes (limit %d)", name, lineno, line.len,
					       VIGIL_IGNORE_MAX_LINE);
		if (memchr(line.ptr, '\0', line.len))
			return vigil_error_set(VIGIL_EFORMAT, "%s:%zu: NUL byte", name, lineno);
		vigil_slice t = vigil_slice_trim(line);
		if (t.len == 0 || t.ptr[0] == '#')
			continue;
		struct ignore_rule *r = match_ignore_add(l, lineno);
		if (!r)
			return vigil_error_code();
		if ((rc = parse_line(l, t, lineno, r)) < 0)
			return rc;
	}
	return 0;
}

int vigil_ignore_list_parse(const char *text, size_t len, const char *name, vigil_ignore_list **out)
{
	vigil_ignore_list *l;
	vigil_slice in = vigil_slice_make(text, len);
	int rc;

	*out = NULL;
	if (!text && len)
		return vigil_error_set(VIGIL_EINVAL, "ignore list: no text");
	if (!name)
		name = "ignore file";
	if (len > VIGIL_IGNORE_MAX_FILE)
		return vigil_error_set(VIGIL_ELIMIT, "%s: %zu bytes (limit %d)", name, len, VIGIL_IGNORE_MAX_FILE);
	if (!(l = calloc(1, sizeof(*l))) || !(l->arena = vigil_arena_new(4 * (size_t)VIGIL_IGNORE_MAX_FILE)) ||
	    !(l->name = vigil_arena_strdup(l->arena, name))) {
		vigil_ignore_list_free(l);
		return vigil_error_oom();
	}
	if (vigil_slice_starts_with(in, "\xEF\xBB\xBF")) /* a byte order mark */
		in = vigil_slice_sub(in, 3, in.len);
	l->trivy = !strncmp(base_name(name), ".trivyignore", 12);
	if (ends_with(name, ".yaml") || ends_with(name, ".yml"))
		rc = match_ignore_yaml_parse(l, in.ptr, in.len);
	else
		rc = parse_plain(l, in);
	if (rc < 0 || (rc = build_index(l)) < 0) {
		vigil_ignore_list_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

size_t vigil_ignore_list_notes(const vigil_ignore_list *l, void (*fn)(void *ud, const char *msg), void *ud)
{
	for (size_t i = 0; l && fn && i < l->nnotes; i++)
		fn(ud, l->notes[i]);
	return l ? l->nnotes : 0;
}

int vigil_ignore_list_load(const char *path, vigil_ignore_list **out)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!path)
		return vigil_error_set(VIGIL_EINVAL, "ignore file: no path");
	if (!(f = fopen(path, "rb")))
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO, "%s: %s", path, strerror(errno));
	/* one byte past the limit tells a file at the limit from a bigger one */
	if (!(buf = malloc((size_t)VIGIL_IGNORE_MAX_FILE + 1))) {
		rc = vigil_error_oom();
		goto out;
	}
	len = fread(buf, 1, (size_t)VIGIL_IGNORE_MAX_FILE + 1, f);
	if (ferror(f)) {
		rc = vigil_error_set(VIGIL_EIO, "%s: read failed", path);
		goto out;
	}
	if (len > VIGIL_IGNORE_MAX_FILE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "%s: larger than %d bytes", path, VIGIL_IGNORE_MAX_FILE);
		goto out;
	}
	rc = vigil_ignore_list_parse(buf, len, path, out);
out:
	free(buf);
	fclose(f);
	return rc;
}

void vigil_ignore_list_free(vigil_ignore_list *l)
{
	if (!l)
		return;
	free(l->rules);
	free(l->notes);
	for (size_t i = 0; i < l->nregexes; i++) {
		regfree(l->regexes[i]);
		free(l->regexes[i]);
	}
	free(l->regexes);
	vigil_map_free(&l->index);
	vigil_arena_free(l->arena);
	free(l);
}

static int64_t clock_now(int64_t now) { return now ? now : (int64_t)time(NULL); }

size_t vigil_ignore_list_expired(const vigil_ignore_list *l, int64_t now,
				 void (*fn)(void *ud, const char *msg), void *ud)
{
	size_t count = 0;
	char msg[VIGIL_IGNORE_MAX_LINE + 512];
	if (!l)
		return 0;
	now = clock_now(now);
	for (size_t i = 0; i < l->n; i++) {
		const struct ignore_rule *r = &l->rules[i];
		if (!r->until || now < r->until)
			continue;
		count++;
		if (fn) {
			if (r->where)
				snprintf(msg, sizeof(msg), "%s: %s expired on %s", r->where, r->id ? r->id : "", r->exp);
			else
				snprintf(msg, sizeof(msg), "%s:%zu: %s%s%s expired on %s", l->name, r->line, r->id,
					 r->package ? " " : "", r->package ? r->package : "", r->exp);
			fn(ud, msg);
		}
	}
	return count;
}

/* The first live rule of the chain from r that holds for f. */
static const struct ignore_rule *chain_hits(const vigil_ignore_list *l, const struct ignore_rule *r,
					    const vigil_finding *f, const vigil_vuln_report *rep, int64_t now)
{
	const char *pkg = f->package ? f->package->name : NULL;
	for (; r; r = r->next ? &l->rules[r->next - 1] : NULL) {
		if ((r->until && now >= r->until) || r->never)
			continue;
		if (r->package && !(pkg && strcmp(r->package, pkg) == 0))
			continue;
		if (!r->ext || match_ignore_ext_applies(r, f, rep))
			return r;
	}
	return NULL;
}

/* The live rule of l that names id and holds for f. */
static const struct ignore_rule *rule_hits(const vigil_ignore_list *l, const char *id, const vigil_finding *f,
					   const vigil_vuln_report *rep, int64_t now)
{
	if (!id)
		return NULL;
	char buf[VIGIL_IGNORE_MAX_LINE + 1];
	const char *key = fold_id(id, buf, sizeof(buf));
	const struct ignore_rule *r = key ? vigil_map_get_cstr(&l->index, key) : NULL;
	return chain_hits(l, r, f, rep, now);
}

/* The live rule of l that drops f, NULL when none. */
static const struct ignore_rule *ignored(const vigil_ignore_list *l, const vigil_finding *f,
					 const vigil_vuln_report *rep, int64_t now)
{
	const struct ignore_rule *r = rule_hits(l, f->id, f, rep, now);
	for (size_t i = 0; !r && i < f->naliases; i++)
		r = rule_hits(l, f->aliases[i], f, rep, now);
	for (size_t i = 0; !r && i < f->nadvisories; i++)
		r = rule_hits(l, f->advisories[i], f, rep, now);
	if (!r && l->wild)
		r = chain_hits(l, &l->rules[l->wild - 1], f, rep, now);
	return r;
}

/* Whether a glob of a rule's paths holds for path (with or without its leading '/'). */
static bool path_hits(const struct ignore_rule *r, const char *path)
{
	char slashed[VIGIL_IGNORE_MAX_LINE + 2];
	if (!r->npaths)
		return true;
	if (!path)
		return false;
	snprintf(slashed, sizeof(slashed), "/%s", path);
	for (size_t i = 0; i < r->npaths; i++)
		if (fnmatch(r->paths[i], path, 0) == 0 || fnmatch(r->paths[i], slashed, 0) == 0)
			return true;
	return false;
}

int vigil_ignore_list_match_rule(const vigil_ignore_list *l, const char *id, const char *path, int64_t now,
				 const char **where, size_t *line)
{
	char buf[VIGIL_IGNORE_MAX_LINE + 1];
	if (!l || !id)
		return 0;
	now = clock_now(now);
	const char *key = fold_id(id, buf, sizeof(buf));
	const struct ignore_rule *r = key ? vigil_map_get_cstr(&l->index, key) : NULL;
	for (; r; r = r->next ? &l->rules[r->next - 1] : NULL) {
		if ((r->until && now >= r->until) || r->never)
			continue;
		if (r->package && !(path && (strcmp(r->package, path) == 0 ||
					    (r->package[0] == '/' && strcmp(r->package + 1, path) == 0))))
			continue;
		if (!path_hits(r, path))
			continue;
		if (where)
			*where = r->where ? r->where : l->name;
		if (line)
			*line = r->line;
		return 1;
	}
	return 0;
}

int vigil_severity_mask_parse(const char *list, unsigned *mask)
{
	static const char *const names[] = { "unknown", "negligible", "low", "medium", "high", "critical" };
	vigil_slice in = vigil_slice_cstr(list), item;
	unsigned m = 0;

	*mask = 0;
	if (vigil_slice_trim(in).len == 0)
		return vigil_error_set(VIGIL_EINVAL, "severity list is empty (want some of "
				       "Unknown, Negligible, Low, Medium, High, Critical)");
	for (;;) {
		bool more = vigil_slice_split(in, ',', &item, &in);
		vigil_slice name = vigil_slice_trim(item);
		size_t k = 0;
		for (; k < sizeof(names) / sizeof(names[0]); k++) {
			if (name.len != strlen(names[k]))
				continue;
			size_t i = 0;
			while (i < name.len && lower((unsigned char)name.ptr[i]) == names[k][i])
				i++;
			if (i == name.len)
				break;
		}
		if (name.len == 0)
			return vigil_error_set(VIGIL_EINVAL, "severity list '%s': an empty name", list);
		if (k == sizeof(names) / sizeof(names[0]))
			return vigil_error_set(VIGIL_EINVAL, "unknown severity '%.*s' (want Unknown, Negligible, "
					       "Low, Medium, High or Critical)", TOK(name));
		m |= 1u << k;
		if (!more)
			break;
	}
	*mask = m;
	return 0;
}

/* Moves finding fd into r->suppressed with why. The strings are copied
 * into the report's string table; a report vigil_match did not make (a
 * hand-made one has none) keeps the status, which is a literal, only. */
static int suppress(vigil_vuln_report *r, const vigil_finding *fd, const char *status, const char *just,
		    const char *by, size_t *alloc)
{
	vigil_intern *strs = r->internal ? r->internal->strs : NULL;
	if (vigil_grow((void **)&r->suppressed, alloc, r->suppressed_count, sizeof(*r->suppressed), 16,
		       (size_t)1 << 24) < 0)
		return vigil_error_set(VIGIL_ENOMEM, "filter: out of memory for suppressed findings");
	vigil_suppression *s = &r->suppressed[r->suppressed_count];
	memset(s, 0, sizeof(*s));
	s->finding = *fd;
	s->status = status;
	if (strs) {
		s->justification = just ? vigil_intern_cstr(strs, just) : NULL;
		s->by = by ? vigil_intern_cstr(strs, by) : NULL;
		if ((just && !s->justification) || (by && !s->by))
			return vigil_error_set(VIGIL_ENOMEM, "filter: out of memory");
	}
	r->suppressed_count++;
	return 0;
}

/* Drops fd for an ignore rule or a VEX statement: 1 suppressed, 0 not, < 0 error. */
static int exception(vigil_vuln_report *r, const vigil_filter *f, const vigil_finding *fd, int64_t now,
		     size_t *alloc)
{
	const struct ignore_rule *rule = f->ignore ? ignored(f->ignore, fd, r, now) : NULL;
	const char *status, *just, *by;
	if (rule) {
		char where[VIGIL_IGNORE_MAX_LINE];
		if (rule->where)
			snprintf(where, sizeof(where), "%s", rule->where);
		else
			snprintf(where, sizeof(where), "%s:%zu", f->ignore->name, rule->line);
		r->ignored++;
		return suppress(r, fd, "ignored", rule->reason, where, alloc) < 0 ? -1 : 1;
	}
	if (f->vex && match_vex_lookup(f->vex, fd, &status, &just, &by) == 1)
		return suppress(r, fd, status, just, by, alloc) < 0 ? -1 : 1;
	return 0;
}

int vigil_vuln_report_filter(vigil_vuln_report *r, const vigil_filter *f)
{
	size_t w = 0;
	int64_t now;

	if (!r || !f)
		return vigil_error_set(VIGIL_EINVAL, "filter: no report or no filter");
	size_t alloc = r->suppressed_count;
	now = clock_now(f->now);
	for (size_t i = 0; i < r->finding_count; i++) {
		const vigil_finding *fd = &r->findings[i];
		unsigned sev = (unsigned)fd->severity;
		bool drop = false;
		/* exceptions first: "ignored" counts every finding a rule names */
		int ex = exception(r, f, fd, now, &alloc);
		if (ex < 0)
			return -1;
		if (ex) {
			drop = true;
		} else if (f->severities && (sev > VIGIL_SEV_CRITICAL || !(f->severities & (1u << sev)))) {
			drop = true;
		} else if (f->ignore_unfixed && !fd->fixed) {
			drop = true;
		}
		if (drop) {
			r->filtered_out++;
			continue;
		}
		if (w != i)
			r->findings[w] = *fd;
		w++;
	}
	r->finding_count = w;
	return 0;
}
