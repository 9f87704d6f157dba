/* feed/ubuntu_uct.c: the Ubuntu CVE Tracker parser. One file of the
 * tracker's active/ folder (RFC 822-like text: header fields such as
 * Candidate, PublicDate, Priority, Description, References and CVSS, then
 * per source package a "Patches_<src>:" block of "<release>_<src>: <status>
 * (<note>)" lines) becomes one vulnerability whose affected entries are the
 * source packages per Ubuntu release ("ubuntu:18.04"). An ESM line
 * ("trusty/esm", "esm-infra/xenial") stands for the same version and
 * overrides the plain one unless it says DNE; "upstream" and "devel" are
 * skipped quietly, every other release the codename table does not know
 * (old releases, "vivid/ubuntu-core", "product") with one warning per
 * release and file. Decisions: docs/feeds-debian-ubuntu.md. */
#include "feed/cvss.h"
#include "feed/feed.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/grow.h"
#include "util/slice.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest tracker file accepted (the biggest kernel CVE file is ~200 KB). */
#define VIGIL_UCT_MAX_FILE ((size_t)16 * 1024 * 1024)
/* "<release>_<src>:" lines of one file. */
#define VIGIL_UCT_MAX_LINES ((size_t)VIGIL_FEED_MAX_AFFECTED)
/* "Priority_<src>[_<release>]:" overrides of one file. */
#define VIGIL_UCT_MAX_PRIORITIES ((size_t)10000)
/* Length of a field name (release and source package included). */
#define VIGIL_UCT_MAX_NAME ((size_t)256)
/* Distinct unknown releases warned about one by one in a file. */
#define VIGIL_UCT_MAX_RELEASE_WARN 64

enum uct_field { F_NONE, F_DESCRIPTION, F_UBUNTU_DESCRIPTION, F_REFERENCES, F_CVSS };

struct uct_line { /* one "<release>_<src>: <status> (<note>)" line */
	vigil_slice pkg, release, fixed;
	const char *version; /* "18.04": static, from the codename table */
	size_t lineno;
	vigil_vuln_state state;
	bool esm, dne;
};

struct uct_prio {
	vigil_slice pkg, release, word; /* release empty: every release */
};

struct uct_unknown {
	vigil_slice release;
	size_t count;
};

struct uct {
	vigil_feed_ctx *ctx;
	size_t lineno;
	enum uct_field field;
	vigil_slice id, published, priority, cvss3;
	bool cvss3_nvd;
	vigil_buf desc, summary;
	struct uct_line *lines;
	size_t nlines, alines;
	struct uct_prio *prios;
	size_t nprios, aprios;
	vigil_slice *refs;
	size_t nrefs, arefs;
	struct uct_unknown unknown[VIGIL_UCT_MAX_RELEASE_WARN];
	size_t nunknown, unknown_more;
	const char *ns_ver[32], *ns_str[32];
	size_t nns;
};

static int grow(void **p, size_t *alloc, size_t n, size_t size, size_t max, const char *what,
		size_t lineno)
{
	int rc = vigil_grow(p, alloc, n, size, 64, max);
	if (rc == VIGIL_ELIMIT)
		return vigil_error_set(VIGIL_ELIMIT, "line %zu: more than %zu %s", lineno, max, what);
	return rc;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "ubuntu:<version>", one copy per version and parse. */
static const char *namespace_of(struct uct *u, const char *version)
{
	char buf[64];
	for (size_t i = 0; i < u->nns; i++)
		if (u->ns_ver[i] == version)
			return u->ns_str[i];
	snprintf(buf, sizeof(buf), "ubuntu:%s", version);
	const char *s = feed_cstr(u->ctx, buf);
	if (s && u->nns < sizeof(u->ns_ver) / sizeof(u->ns_ver[0])) {
		u->ns_ver[u->nns] = version;
		u->ns_str[u->nns++] = s;
	}
	return s;
}

/* "bionic", "trusty/esm", "esm-infra/xenial", "esm-apps/focal" -> version. */
static bool map_release(vigil_slice rel, const char **version, bool *esm)
{
	static const char *const esm_products[] = { "esm-infra", "esm-apps", "esm-infra-legacy" };
	vigil_slice a, b, code;
	char name[64];
	*esm = false;
	if (!vigil_slice_split(rel, '/', &a, &b)) {
		code = rel;
	} else if (vigil_slice_eq_cstr(b, "esm")) {
		code = a;
		*esm = true;
	} else {
		bool product = false;
		for (size_t i = 0; i < sizeof(esm_products) / sizeof(esm_products[0]); i++)
			product |= vigil_slice_eq_cstr(a, esm_products[i]);
		if (!product)
			return false;
		code = b;
		*esm = true;
	}
	if (code.len == 0 || code.len >= sizeof(name) || vigil_slice_find(code, '/') >= 0)
		return false;
	memcpy(name, code.ptr, code.len);
	name[code.len] = '\0';
	*version = feed_ubuntu_release_version(name);
	return *version != NULL;
}

static void note_unknown_release(struct uct *u, vigil_slice rel)
{
	for (size_t i = 0; i < u->nunknown; i++)
		if (vigil_slice_eq(u->unknown[i].release, rel)) {
			u->unknown[i].count++;
			return;
		}
	if (u->nunknown < VIGIL_UCT_MAX_RELEASE_WARN)
		u->unknown[u->nunknown++] = (struct uct_unknown){ rel, 1 };
	else
		u->unknown_more++;
}

/* "released (1.1.1-1ubuntu2.1)", "ignored [end of life]", "needed". */
static void split_status(vigil_slice v, vigil_slice *status, vigil_slice *note)
{
	size_t i = 0;
	while (i < v.len && !is_blank(v.ptr[i]) && v.ptr[i] != '(' && v.ptr[i] != '[')
		i++;
	*status = vigil_slice_sub(v, 0, i);
	*note = vigil_slice_trim(vigil_slice_sub(v, i, v.len));
	if (note->len && (note->ptr[0] == '(' || note->ptr[0] == '[')) {
		char close = note->ptr[0] == '(' ? ')' : ']';
		*note = vigil_slice_sub(*note, 1, note->len);
		ptrdiff_t end = vigil_slice_find(*note, close);
		if (end >= 0)
			note->len = (size_t)end;
		*note = vigil_slice_trim(*note);
	}
}

/* The version of a "released" note: its first word ("1:2.3-1, 2.4-1" -> "1:2.3-1"). */
static vigil_slice note_version(vigil_slice note)
{
	size_t i = 0;
	while (i < note.len && !is_blank(note.ptr[i]) && note.ptr[i] != ',')
		i++;
	return vigil_slice_sub(note, 0, i);
}

static int package_line(struct uct *u, vigil_slice key, vigil_slice value)
{
	vigil_slice rel, pkg, status, note;
	struct uct_line l = { .lineno = u->lineno };
	vigil_slice_split(key, '_', &rel, &pkg);
	if (vigil_slice_eq_cstr(rel, "upstream") || vigil_slice_eq_cstr(rel, "devel"))
		return 0;
	if (pkg.len == 0) {
		feed_warn(u->ctx, "line %zu: no source package in '%.*s'", u->lineno,
				(int)key.len, key.ptr);
		return 0;
	}
	if (!map_release(rel, &l.version, &l.esm)) {
		note_unknown_release(u, rel);
		return 0;
	}
	split_status(value, &status, &note);
	if (vigil_slice_eq_cstr(status, "DNE")) {
		l.dne = true;
	} else if (vigil_slice_eq_cstr(status, "not-affected")) {
		l.state = VIGIL_STATE_NOT_AFFECTED;
	} else if (vigil_slice_eq_cstr(status, "released")) {
		l.state = VIGIL_STATE_FIXED;
		l.fixed = note_version(note);
		if (l.fixed.len == 0) {
			feed_warn(u->ctx, "line %zu: %.*s released without a version: skipped",
					u->lineno, (int)key.len, key.ptr);
			return 0;
		}
	} else if (vigil_slice_eq_cstr(status, "needs-triage") || vigil_slice_eq_cstr(status, "needed") ||
		   vigil_slice_eq_cstr(status, "pending") || vigil_slice_eq_cstr(status, "deferred")) {
		l.state = VIGIL_STATE_NOT_FIXED;
	} else if (vigil_slice_eq_cstr(status, "ignored")) {
		l.state = VIGIL_STATE_WILL_NOT_FIX;
	} else {
		feed_warn(u->ctx, "line %zu: %.*s: unknown status '%.*s': skipped", u->lineno,
				(int)key.len, key.ptr, (int)(status.len > 64 ? 64 : status.len), status.ptr);
		return 0;
	}
	l.pkg = pkg;
	l.release = rel;
	int rc = grow((void **)&u->lines, &u->alines, u->nlines, sizeof(*u->lines), VIGIL_UCT_MAX_LINES,
		      "package lines", u->lineno);
	if (rc < 0)
		return rc;
	u->lines[u->nlines++] = l;
	return 0;
}

static int priority_line(struct uct *u, vigil_slice key, vigil_slice value)
{
	struct uct_prio p = { .word = value };
	key = vigil_slice_sub(key, strlen("Priority_"), key.len);
	if (!vigil_slice_split(key, '_', &p.pkg, &p.release))
		p.pkg = key;
	if (p.pkg.len == 0 || value.len == 0)
		return 0;
	int rc = grow((void **)&u->prios, &u->aprios, u->nprios, sizeof(*u->prios),
		      VIGIL_UCT_MAX_PRIORITIES, "priority overrides", u->lineno);
	if (rc < 0)
		return rc;
	u->prios[u->nprios++] = p;
	return 0;
}

static int add_ref(struct uct *u, vigil_slice text)
{
	size_t i = 0;
	while (i < text.len && !is_blank(text.ptr[i]))
		i++;
	if (i == 0)
		return 0;
	int rc = grow((void **)&u->refs, &u->arefs, u->nrefs, sizeof(*u->refs), VIGIL_FEED_MAX_REFS,
		      "references", u->lineno);
	if (rc < 0)
		return rc;
	u->refs[u->nrefs++] = vigil_slice_sub(text, 0, i);
	return 0;
}

/* " nvd: CVSS:3.1/AV:N/..." -> the vector (NVD's preferred). */
static void cvss_line(struct uct *u, vigil_slice text)
{
	vigil_slice who, vec;
	if (!vigil_slice_split(text, ':', &who, &vec))
		return;
	who = vigil_slice_trim(who);
	vec = vigil_slice_trim(vec);
	if (!vigil_slice_starts_with(vec, "CVSS:3."))
		return;
	bool nvd = vigil_slice_eq_cstr(who, "nvd");
	if (u->cvss3.len == 0 || (nvd && !u->cvss3_nvd)) {
		u->cvss3 = note_version(vec);
		u->cvss3_nvd = nvd;
	}
}

/* Continued text: lines joined by spaces, a lone "." is a paragraph break. */
static int append_text(struct uct *u, vigil_buf *b, vigil_slice text)
{
	int rc = 0;
	if (text.len == 0)
		return 0;
	if (vigil_slice_eq_cstr(text, "."))
		return vigil_buf_puts(b, "\n\n");
	if (b->len && b->data[b->len - 1] != '\n')
		rc = vigil_buf_putc(b, ' ');
	if (rc == 0)
		rc = vigil_buf_append(b, text.ptr, text.len);
	if (rc < 0)
		vigil_error_prefix("line %zu: ", u->lineno);
	return rc;
}

static int continuation(struct uct *u, vigil_slice text)
{
	text = vigil_slice_trim(text);
	switch (u->field) {
	case F_DESCRIPTION:
		return append_text(u, &u->desc, text);
	case F_UBUNTU_DESCRIPTION:
		return append_text(u, &u->summary, text);
	case F_REFERENCES:
		return add_ref(u, text);
	case F_CVSS:
		cvss_line(u, text);
		return 0;
	case F_NONE:
		return 0;
	}
	return 0;
}

static int field_line(struct uct *u, vigil_slice line)
{
	vigil_slice key, value;
	u->field = F_NONE;
	if (!vigil_slice_split(line, ':', &key, &value) || key.len == 0 || key.len > VIGIL_UCT_MAX_NAME ||
	    vigil_slice_find(key, ' ') >= 0 || vigil_slice_find(key, '\t') >= 0) {
		feed_warn(u->ctx, "line %zu: not a field: '%.*s'", u->lineno,
				(int)(line.len > 64 ? 64 : line.len), line.ptr);
		return 0;
	}
	value = vigil_slice_trim(value);
	if (vigil_slice_eq_cstr(key, "Candidate")) {
		u->id = value;
	} else if (vigil_slice_eq_cstr(key, "PublicDate")) {
		u->published = value;
	} else if (vigil_slice_eq_cstr(key, "Priority")) {
		u->priority = value;
	} else if (vigil_slice_eq_cstr(key, "Description")) {
		u->field = F_DESCRIPTION;
		return append_text(u, &u->desc, value);
	} else if (vigil_slice_eq_cstr(key, "Ubuntu-Description")) {
		u->field = F_UBUNTU_DESCRIPTION;
		return append_text(u, &u->summary, value);
	} else if (vigil_slice_eq_cstr(key, "References")) {
		u->field = F_REFERENCES;
		return add_ref(u, value);
	} else if (vigil_slice_eq_cstr(key, "CVSS")) {
		u->field = F_CVSS;
		cvss_line(u, value);
	} else if (vigil_slice_starts_with(key, "Priority_")) {
		return priority_line(u, key, value);
	} else if (key.ptr[0] >= 'a' && key.ptr[0] <= 'z' && vigil_slice_find(key, '_') > 0) {
		return package_line(u, key, value);
	}
	return 0; /* Patches_, Tags_, Notes, Bugs...: not used */
}

static int cmp_lines(const void *pa, const void *pb)
{
	const struct uct_line *a = pa, *b = pb;
	size_t n = a->pkg.len < b->pkg.len ? a->pkg.len : b->pkg.len;
	int c = memcmp(a->pkg.ptr, b->pkg.ptr, n);
	if (c || a->pkg.len != b->pkg.len)
		return c ? c : (a->pkg.len < b->pkg.len ? -1 : 1);
	if ((c = strcmp(a->version, b->version)) != 0)
		return c;
	if (a->esm != b->esm)
		return a->esm ? 1 : -1;
	return a->lineno < b->lineno ? -1 : a->lineno > b->lineno;
}

/* The priority of pkg in rel: "Priority_<src>_<release>", then "Priority_<src>". */
static vigil_slice package_priority(const struct uct *u, const struct uct_line *l)
{
	vigil_slice any = { NULL, 0 }, exact = { NULL, 0 };
	for (size_t i = 0; i < u->nprios; i++) {
		const struct uct_prio *p = &u->prios[i];
		if (!vigil_slice_eq(p->pkg, l->pkg))
			continue;
		if (p->release.len == 0)
			any = p->word;
		else if (vigil_slice_eq(p->release, l->release))
			exact = p->word;
	}
	return exact.len ? exact : any;
}

static int fill_affected(struct uct *u, vigil_affected *a, const struct uct_line *l)
{
	vigil_feed_ctx *ctx = u->ctx;
	vigil_slice prio = package_priority(u, l);
	a->namespace = namespace_of(u, l->version);
	a->package = feed_str(ctx, l->pkg.ptr, l->pkg.len);
	a->is_source = 1;
	a->scheme = "dpkg";
	a->state = l->state;
	a->fixed = l->fixed.len ? feed_str(ctx, l->fixed.ptr, l->fixed.len) : NULL;
	a->vendor_severity = prio.len ? feed_str(ctx, prio.ptr, prio.len) : NULL;
	a->severity = feed_severity_ubuntu(a->vendor_severity);
	if (!a->namespace || !a->package || (l->fixed.len && !a->fixed) ||
	    (prio.len && !a->vendor_severity))
		return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
	return 0;
}

/* Sorts the lines by (package, version, esm) and keeps per (package,
 * version) the ESM line unless it is DNE, else the plain one. */
static int build_affected(struct uct *u, vigil_vuln *v)
{
	vigil_affected *aff;
	size_t n = 0;
	if (u->nlines == 0)
		return 0;
	qsort(u->lines, u->nlines, sizeof(*u->lines), cmp_lines);
	aff = vigil_arena_calloc(u->ctx->arena, u->nlines, sizeof(*aff));
	if (!aff)
		return vigil_error_code();
	for (size_t i = 0; i < u->nlines;) {
		const struct uct_line *base = NULL, *esm = NULL, *pick;
		size_t j = i;
		for (; j < u->nlines && vigil_slice_eq(u->lines[j].pkg, u->lines[i].pkg) &&
		       u->lines[j].version == u->lines[i].version; j++) {
			if (u->lines[j].esm)
				esm = &u->lines[j];
			else
				base = &u->lines[j];
		}
		i = j;
		pick = esm && !esm->dne ? esm : base && !base->dne ? base : NULL;
		if (!pick)
			continue;
		int rc = fill_affected(u, &aff[n], pick);
		if (rc < 0)
			return rc;
		n++;
	}
	v->affected = aff;
	v->naffected = n;
	return 0;
}

/* "2019-09-10 17:15:00 UTC" -> "2019-09-10T17:15:00Z"; other forms as written. */
static const char *published_of(vigil_feed_ctx *ctx, vigil_slice d)
{
	char buf[32];
	if (d.len == 23 && vigil_slice_ends_with(d, " UTC") && d.ptr[10] == ' ' && d.ptr[4] == '-') {
		memcpy(buf, d.ptr, 10);
		buf[10] = 'T';
		memcpy(buf + 11, d.ptr + 11, 8);
		buf[19] = 'Z';
		return feed_str(ctx, buf, 20);
	}
	return d.len ? feed_str(ctx, d.ptr, d.len) : NULL;
}

static int build_links(struct uct *u, vigil_vuln *v)
{
	char buf[512];
	const char **links = vigil_arena_calloc(u->ctx->arena, u->nrefs + 1, sizeof(*links));
	if (!links)
		return vigil_error_code();
	snprintf(buf, sizeof(buf), "https://ubuntu.com/security/%s", v->id);
	links[0] = feed_cstr(u->ctx, buf);
	if (!links[0])
		return vigil_error_code();
	for (size_t i = 0; i < u->nrefs; i++)
		if (!(links[i + 1] = feed_str(u->ctx, u->refs[i].ptr, u->refs[i].len)))
			return vigil_error_code();
	v->links = links;
	v->nlinks = u->nrefs + 1;
	return 0;
}

static int emit(struct uct *u)
{
	vigil_feed_ctx *ctx = u->ctx;
	vigil_vuln v = { .source = "ubuntu", .cvss3_score = -1, .cvss2_score = -1 };
	int rc;
	if (u->id.len == 0 || u->id.len > VIGIL_UCT_MAX_NAME || vigil_slice_find(u->id, ' ') >= 0)
		return vigil_error_set(VIGIL_EFORMAT, "no valid Candidate field");
	if (!(v.id = feed_str(ctx, u->id.ptr, u->id.len)))
		return vigil_error_code();
	if (u->priority.len) {
		v.vendor_severity = feed_str(ctx, u->priority.ptr, u->priority.len);
		v.severity = feed_severity_ubuntu(v.vendor_severity);
	}
	v.published = published_of(ctx, u->published);
	if (u->desc.len)
		v.description = feed_str(ctx, u->desc.data, u->desc.len);
	if (u->summary.len)
		v.summary = feed_str(ctx, u->summary.data, u->summary.len);
	if (u->cvss3.len) {
		double score;
		v.cvss3_vector = feed_str(ctx, u->cvss3.ptr, u->cvss3.len);
		if (feed_cvss3_base_score(u->cvss3.ptr, u->cvss3.len, &score, NULL) == 0)
			v.cvss3_score = score;
		else
			feed_warn(ctx, "%s: CVSS vector: %s", v.id, vigil_error_message());
	}
	if ((u->priority.len && !v.vendor_severity) || (u->published.len && !v.published) ||
	    (u->desc.len && !v.description) || (u->summary.len && !v.summary) ||
	    (u->cvss3.len && !v.cvss3_vector))
		return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
	if ((rc = build_links(u, &v)) < 0 || (rc = build_affected(u, &v)) < 0)
		return rc;
	rc = ctx->emit(ctx->emit_ud, &v);
	return rc < 0 ? rc : 0;
}

static void warn_unknown_releases(struct uct *u)
{
	for (size_t i = 0; i < u->nunknown; i++)
		feed_warn(u->ctx, "%.*s: release '%.*s' is not mapped: %zu entries skipped",
				(int)u->id.len, u->id.ptr, (int)u->unknown[i].release.len,
				u->unknown[i].release.ptr, u->unknown[i].count);
	if (u->unknown_more)
		feed_warn(u->ctx, "%.*s: %zu entries of further unmapped releases skipped",
				(int)u->id.len, u->id.ptr, u->unknown_more);
}

static int parse_lines(struct uct *u, const char *data, size_t len)
{
	vigil_slice in = vigil_slice_make(data, len), line;
	while (vigil_slice_next_line(&in, &line)) {
		int rc = 0;
		u->lineno++;
		if (line.len == 0 || vigil_slice_trim(line).len == 0)
			u->field = F_NONE;
		else if (line.ptr[0] == '#')
			continue;
		else if (is_blank(line.ptr[0]))
			rc = continuation(u, line);
		else
			rc = field_line(u, line);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int feed_ubuntu_uct(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct uct u = { .ctx = ctx };
	int rc;
	vigil_buf_init(&u.desc, VIGIL_FEED_MAX_STRING);
	vigil_buf_init(&u.summary, VIGIL_FEED_MAX_STRING);
	if (len > VIGIL_UCT_MAX_FILE) {
		rc = vigil_error_set(VIGIL_ELIMIT, "tracker file of %zu bytes (limit %zu)", len,
				     VIGIL_UCT_MAX_FILE);
		goto out;
	}
	if (len && memchr(data, '\0', len)) {
		rc = vigil_error_set(VIGIL_EFORMAT, "NUL byte at offset %zu",
				     (size_t)((const char *)memchr(data, '\0', len) - data));
		goto out;
	}
	size_t valid = len ? vigil_utf8_prefix(data, len) : 0;
	if (valid != len) {
		size_t line = 1;
		for (size_t i = 0; i < valid; i++)
			line += data[i] == '\n';
		rc = vigil_error_set(VIGIL_EFORMAT, "line %zu: invalid UTF-8 at offset %zu", line, valid);
		goto out;
	}
	if ((rc = parse_lines(&u, data, len)) < 0)
		goto out;
	rc = emit(&u);
	if (rc == 0)
		warn_unknown_releases(&u);
out:
	vigil_buf_free(&u.desc);
	vigil_buf_free(&u.summary);
	free(u.lines);
	free(u.prios);
	free(u.refs);
	return rc;
}
