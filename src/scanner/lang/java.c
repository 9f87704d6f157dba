/* scanner/lang/java.c: Maven packages in Java archives, found the way
 * trivy's jar parser finds them (pkg/dependency/parser/java/jar/parse.go,
 * offline), over the streaming zip reader of java_zip.c.
 *
 * One pass over the entries of each archive, in the order they are stored:
 * - every entry named pom.properties (META-INF/maven/<g>/<a>/ or anywhere:
 *   shaded jars keep one per swallowed artifact) with groupId, artifactId
 *   and version gives a package; the one whose artifactId and version are
 *   those of the archive's file name ("<artifactId>-<version>.jar", trivy's
 *   jarFileRegEx) is the archive's own;
 * - the last entry named MANIFEST.MF: its main section (up to the first
 *   empty line; continuation lines start with one space);
 * - an entry named like an archive (java.h) is opened in turn, down to
 *   max_depth levels, its packages with package_db "<outer>!/<entry>".
 * After the entries, an archive without its own pom.properties is named by
 * its manifest: groupId from Implementation-Vendor-Id, else
 * Bundle-SymbolicName up to its last '.', else Implementation-Vendor or
 * Specification-Vendor; artifactId from Implementation-Title, else
 * Specification-Title, else Bundle-Name; version from
 * Implementation-Version, else Specification-Version, else Bundle-Version.
 * Where trivy asks Maven Central whether that groupId:artifactId exists,
 * vigil (offline) requires both to be Maven ids ([A-Za-z0-9_.-]+, as
 * Maven's model validator does): "JBoss by Red Hat:Gizmo" is not a package.
 * The file name alone never names a package (the groupId is unknown; trivy
 * asks Maven Central). Within one archive a name seen twice with the same
 * Maven version ("2.17" = "2.17.0", ComparableVersion: version/maven.c) is
 * reported once, as trivy's removePackageDuplicates does. */
#include "scanner/lang/java.h"
#include "scanner/lang/java_zip.h"
#include "scanner/lang/lang.h"
#include "util/buf.h"
#include "util/error.h"
#include "vigil/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const scan_java_limits scan_java_default_limits = {
	.max_depth = VIGIL_JAVA_MAX_DEPTH,
	.max_entries = VIGIL_JAVA_MAX_ENTRIES,
	.max_member = VIGIL_JAVA_MAX_MEMBER,
	.max_nested = VIGIL_JAVA_MAX_NESTED,
	.max_inflated = VIGIL_JAVA_MAX_INFLATED,
	.ratio = VIGIL_JAVA_MAX_RATIO,
	.ratio_floor = VIGIL_JAVA_RATIO_FLOOR,
	.max_buffered = VIGIL_JAVA_MAX_BUFFERED,
	.max_buffered_total = VIGIL_JAVA_MAX_BUFFERED_TOTAL,
};

static const char *const jv_exts[] = { ".jar", ".war", ".ear", ".par", ".jpi", ".hpi" };

static vigil_slice jv_base(vigil_slice p)
{
	ptrdiff_t s = vigil_slice_rfind(p, '/');
	return s >= 0 ? vigil_slice_sub(p, (size_t)s + 1, p.len) : p;
}

bool scan_lang_java_is_archive(vigil_slice name)
{
	vigil_slice base = jv_base(name);
	for (size_t i = 0; i < sizeof(jv_exts) / sizeof(jv_exts[0]); i++)
		if (base.len > 4 && vigil_slice_ends_with(base, jv_exts[i]))
			return true;
	return false;
}

bool scan_lang_java_path(vigil_slice path)
{
	return scan_lang_java_is_archive(path);
}

/* ---- coordinates ---- */
struct jv_props {
	vigil_slice group, artifact, version;
};

static bool jv_maven_id(vigil_slice s)
{
	if (s.len == 0 || s.len > VIGIL_LANG_MAX_NAME)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static bool jv_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool jv_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* trivy's jarFileRegEx, ^([a-zA-Z0-9._-]*[^-*])-(\d\S*(?:-SNAPSHOT)?).jar$,
 * with its greedy first group: the LAST "-<digit>" that fits. */
static struct jv_props jv_file_props(vigil_slice path)
{
	struct jv_props p = { .group = { 0 } };
	vigil_slice b = jv_base(path);
	if (b.len < 7 || memcmp(b.ptr + b.len - 3, "jar", 3) != 0 || b.ptr[b.len - 4] == '\n')
		return p;
	size_t vend = b.len - 4; /* the version ends before the any-char of ".jar" */
	for (size_t i = vend - 2; i >= 1; i--) {
		if (b.ptr[i] != '-' || !jv_is_digit(b.ptr[i + 1]) || b.ptr[i - 1] == '-' ||
		    b.ptr[i - 1] == '*')
			continue;
		bool ok = true;
		for (size_t k = 0; k + 1 < i && ok; k++) {
			char c = b.ptr[k];
			ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || jv_is_digit(c) ||
			     c == '.' || c == '_' || c == '-';
		}
		for (size_t k = i + 1; k < vend && ok; k++)
			ok = !jv_is_space(b.ptr[k]);
		if (ok) {
			p.artifact = vigil_slice_sub(b, 0, i);
			p.version = vigil_slice_sub(b, i + 1, vend - i - 1);
			break;
		}
	}
	return p;
}

/* ---- pom.properties and MANIFEST.MF ---- */
/* pom.properties as trivy reads it: each line trimmed, "groupId=",
 * "artifactId=", "version=" prefixes (the last of each wins). */
static struct jv_props jv_pom_props(vigil_slice data)
{
	struct jv_props p = { .group = { 0 } };
	vigil_slice line;
	while (vigil_slice_next_line(&data, &line)) {
		line = vigil_slice_trim(line);
		if (vigil_slice_starts_with(line, "groupId="))
			p.group = vigil_slice_trim(vigil_slice_sub(line, 8, line.len));
		else if (vigil_slice_starts_with(line, "artifactId="))
			p.artifact = vigil_slice_trim(vigil_slice_sub(line, 11, line.len));
		else if (vigil_slice_starts_with(line, "version="))
			p.version = vigil_slice_trim(vigil_slice_sub(line, 8, line.len));
	}
	return p;
}

enum { MF_IMPL_VERSION, MF_IMPL_TITLE, MF_IMPL_VENDOR, MF_IMPL_VENDOR_ID, MF_SPEC_TITLE,
       MF_SPEC_VERSION, MF_SPEC_VENDOR, MF_BUNDLE_NAME, MF_BUNDLE_VERSION, MF_BUNDLE_SYMBOLIC,
       MF__COUNT };

static const char *const mf_keys[MF__COUNT] = {
	"Implementation-Version:", "Implementation-Title:", "Implementation-Vendor:",
	"Implementation-Vendor-Id:", "Specification-Title:", "Specification-Version:",
	"Specification-Vendor:", "Bundle-Name:", "Bundle-Version:", "Bundle-SymbolicName:",
};

struct jv_manifest {
	char *buf; /* the unfolded main section (owned) */
	vigil_slice f[MF__COUNT];
};

/* One unfolded attribute (trivy's addAttribute): a value of one word
 * or a "%variable" is skipped. */
static void mf_attribute(struct jv_manifest *m, vigil_slice line)
{
	size_t i = 0;
	while (i < line.len && !jv_is_space(line.ptr[i]))
		i++;
	while (i < line.len && jv_is_space(line.ptr[i]))
		i++;
	if (i == line.len || line.ptr[i] == '%')
		return;
	for (int k = 0; k < MF__COUNT; k++)
		if (vigil_slice_starts_with(line, mf_keys[k])) {
			m->f[k] = vigil_slice_trim(vigil_slice_sub(line, strlen(mf_keys[k]), line.len));
			return;
		}
}

/* The main section of data, unfolded into m->buf (lines end in CRLF, LF or CR). */
static int mf_parse(struct jv_manifest *m, const char *data, size_t len)
{
	char *o;
	size_t i = 0, attr = 0, w = 0;
	free(m->buf);
	*m = (struct jv_manifest){ 0 };
	if (!(m->buf = o = malloc(len + 1)))
		return vigil_error_oom();
	while (i < len) {
		size_t s = i;
		while (i < len && data[i] != '\n' && data[i] != '\r')
			i++;
		size_t e = i;
		if (i < len && data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
			i++;
		if (i < len)
			i++;
		if (e == s)
			break; /* the end of the main section */
		if (data[s] == ' ') {
			memcpy(o + w, data + s + 1, e - s - 1);
			w += e - s - 1;
			continue;
		}
		mf_attribute(m, vigil_slice_make(o + attr, w - attr));
		attr = w;
		memcpy(o + w, data + s, e - s);
		w += e - s;
	}
	mf_attribute(m, vigil_slice_make(o + attr, w - attr));
	return 0;
}

static struct jv_props mf_props(const struct jv_manifest *m)
{
	struct jv_props p = { .group = { 0 } };
	const vigil_slice *f = m->f;
	if (f[MF_IMPL_VENDOR_ID].len) {
		p.group = f[MF_IMPL_VENDOR_ID];
	} else if (f[MF_BUNDLE_SYMBOLIC].len) {
		p.group = f[MF_BUNDLE_SYMBOLIC];
		ptrdiff_t dot = vigil_slice_rfind(p.group, '.');
		if (dot >= 0)
			p.group = vigil_slice_trim(vigil_slice_sub(p.group, 0, (size_t)dot));
	} else {
		p.group = f[MF_IMPL_VENDOR].len ? f[MF_IMPL_VENDOR] : f[MF_SPEC_VENDOR];
	}
	p.artifact = f[MF_IMPL_TITLE].len  ? f[MF_IMPL_TITLE]
		     : f[MF_SPEC_TITLE].len ? f[MF_SPEC_TITLE]
					    : f[MF_BUNDLE_NAME];
	p.version = f[MF_IMPL_VERSION].len   ? f[MF_IMPL_VERSION]
		    : f[MF_SPEC_VERSION].len ? f[MF_SPEC_VERSION]
					     : f[MF_BUNDLE_VERSION];
	return p;
}

/* ---- the walk ---- */
struct jv_walk {
	vigil_scan_ctx *ctx;
	vigil_pkg_list *out;
	jz_budget budget;
	char *member; /* max_member bytes, shared by every level */
};

/* Appends groupId:artifactId@version from package_db db unless the same
 * name and version came from db already. */
static int jv_add(struct jv_walk *w, const char *db, size_t first, struct jv_props p)
{
	vigil_package *pkg;
	char name[2 * VIGIL_LANG_MAX_NAME + 2];
	int rc;
	for (size_t i = first; i < w->out->len; i++) {
		const vigil_package *q = &w->out->items[i];
		size_t nl = strlen(q->name);
		if (strcmp(q->package_db, db) == 0 && nl == p.group.len + 1 + p.artifact.len &&
		    memcmp(q->name, p.group.ptr, p.group.len) == 0 &&
		    memcmp(q->name + p.group.len + 1, p.artifact.ptr, p.artifact.len) == 0 &&
		    vigil_maven_cmp(q->version, strlen(q->version), p.version.ptr, p.version.len) == 0)
			return 0;
	}
	memcpy(name, p.group.ptr, p.group.len);
	name[p.group.len] = ':';
	memcpy(name + p.group.len + 1, p.artifact.ptr, p.artifact.len);
	/* "pkg:maven/<artifact>@<version>" (escaped), then the group spliced in */
	const char *tail = scan_lang_purl(w->ctx, "maven", p.artifact, p.version);
	if (!tail)
		return vigil_error_or_oom();
	vigil_buf purl;
	vigil_buf_init(&purl, VIGIL_JAVA_MAX_PATH);
	rc = vigil_buf_printf(&purl, "pkg:maven/%.*s/%s", (int)p.group.len, p.group.ptr,
			      tail + strlen("pkg:maven/"));
	if (rc == 0)
		rc = scan_pkg_list_push(w->out, &pkg);
	if (rc == 0) {
		pkg->type = VIGIL_PKG_MAVEN;
		pkg->name = scan_str(w->ctx, name, p.group.len + 1 + p.artifact.len);
		pkg->version = scan_str(w->ctx, p.version.ptr, p.version.len);
		pkg->package_db = scan_str(w->ctx, db, strlen(db));
		pkg->purl = scan_str(w->ctx, purl.data, purl.len);
		if (!pkg->name || !pkg->version || !pkg->package_db || !pkg->purl) {
			w->out->len--;
			rc = vigil_error_or_oom();
		}
	}
	vigil_buf_free(&purl);
	return rc;
}

/* Checks coordinates before jv_add: trivy's Valid() (all three set), then
 * Maven ids and a version vigil keeps (else a warning naming what). */
static bool jv_usable(struct jv_walk *w, struct jv_props p, const char *what, bool quiet)
{
	if (!p.group.len || !p.artifact.len || !p.version.len)
		return false;
	if (jv_maven_id(p.group) && jv_maven_id(p.artifact) &&
	    scan_lang_token_ok(p.version, VIGIL_LANG_MAX_VERSION))
		return true;
	if (!quiet)
		scan_warn(w->ctx, "%s: %.*s:%.*s:%.*s: not Maven coordinates: skipped", what,
			  (int)(p.group.len > 80 ? 80 : p.group.len), p.group.ptr,
			  (int)(p.artifact.len > 80 ? 80 : p.artifact.len), p.artifact.ptr,
			  (int)(p.version.len > 80 ? 80 : p.version.len), p.version.ptr);
	return false;
}

static int jv_archive(struct jv_walk *w, jz_reader *zr, const char *path, unsigned depth);

/* The current entry of zr, read whole into memory when its header gives a
 * size that fits the buffers (*mem, owned by the caller, then), else NULL
 * (streamed). 1: not read (warned). */
static int jv_hold(struct jv_walk *w, jz_reader *zr, const char *name, char **mem, size_t *len)
{
	const scan_java_limits *lim = w->budget.lim;
	int64_t sz = jz_entry_size(zr);
	bool trunc;
	int rc;
	*mem = NULL;
	if (sz < 0 || (uint64_t)sz > lim->max_buffered ||
	    (uint64_t)sz > lim->max_buffered_total - w->budget.buffered)
		return 0;
	if (!(*mem = malloc(sz ? (size_t)sz : 1)))
		return vigil_error_oom();
	rc = jz_read_member(zr, *mem, (size_t)sz, len, &trunc);
	if (rc == 0 && trunc)
		rc = vigil_error_set(VIGIL_EFORMAT, "more data than its header's %lld bytes",
				     (long long)sz);
	if (rc < 0) {
		free(*mem);
		*mem = NULL;
		if (rc == VIGIL_ENOMEM)
			return rc;
		scan_warn(w->ctx, "%s: %s: not read", name, vigil_error_message());
		return 1;
	}
	return 0;
}

/* Opens the current entry of zr as an archive one level down. */
static int jv_nested(struct jv_walk *w, jz_reader *zr, const char *path, const char *name,
		     unsigned depth)
{
	jz_reader *inner = NULL;
	char *sub = NULL, *mem = NULL;
	size_t pl = strlen(path), nl = strlen(name), n = pl + 2 + nl + 1, len = 0;
	int rc = 0;
	if (depth + 1 > w->budget.lim->max_depth) {
		scan_warn(w->ctx, "%s: archive nested deeper than %u levels: not read", name,
			  w->budget.lim->max_depth);
		return 0;
	}
	if (n > VIGIL_JAVA_MAX_PATH) {
		scan_warn(w->ctx, "%.80s...: path longer than %d bytes: not read", name,
			  VIGIL_JAVA_MAX_PATH);
		return 0;
	}
	if (!(sub = malloc(n)))
		return vigil_error_oom();
	memcpy(sub, path, pl);
	memcpy(sub + pl, "!/", 2);
	memcpy(sub + pl + 2, name, nl + 1);
	if ((rc = jv_hold(w, zr, name, &mem, &len)) != 0)
		goto out;
	w->budget.buffered += len;
	rc = mem ? jz_open_mem(&inner, mem, len, &w->budget) : jz_open_nested(&inner, zr, &w->budget);
	if (rc == 0)
		rc = jv_archive(w, inner, sub, depth + 1);
	else if (rc != VIGIL_ENOMEM) {
		scan_warn(w->ctx, "%s: %s: not read", name, vigil_error_message());
		rc = 0;
	}
	w->budget.buffered -= len;
out:
	jz_close(inner);
	free(mem);
	free(sub);
	return rc < 0 ? rc : 0;
}

/* A member small enough to parse (pom.properties, MANIFEST.MF) into
 * w->member; false (warned) when it cannot be read whole. */
static int jv_member(struct jv_walk *w, jz_reader *zr, const char *name, size_t *len)
{
	bool trunc;
	int rc = jz_read_member(zr, w->member, w->budget.lim->max_member, len, &trunc);
	if (rc == VIGIL_ENOMEM)
		return rc;
	if (rc < 0) {
		scan_warn(w->ctx, "%s: %s: not read", name, vigil_error_message());
		return 1;
	}
	if (trunc) {
		scan_warn(w->ctx, "%s: longer than %zu bytes: not read", name,
			  w->budget.lim->max_member);
		return 1;
	}
	return 0;
}

static int jv_archive(struct jv_walk *w, jz_reader *zr, const char *path, unsigned depth)
{
	const char *saved = w->ctx->path, *name = NULL;
	char last[256] = "";
	struct jv_props file = jv_file_props(vigil_slice_cstr(path)), p;
	struct jv_manifest m = { 0 };
	size_t first = w->out->len, len;
	bool own = false;
	int rc = 0, r;
	w->ctx->path = path; /* warnings name this archive */
	while ((r = jz_next(zr, &name)) == 1) {
		vigil_slice nm = vigil_slice_cstr(name), base = jv_base(nm);
		snprintf(last, sizeof(last), "%s", name); /* name dies with the next header */
		if (vigil_slice_eq_cstr(base, "pom.properties")) {
			if ((rc = jv_member(w, zr, name, &len)) < 0)
				break;
			p = jv_pom_props(vigil_slice_make(w->member, rc == 0 ? len : 0));
			if (rc == 0 && jv_usable(w, p, name, false)) {
				if ((rc = jv_add(w, path, first, p)) < 0)
					break;
				if (vigil_slice_eq(p.artifact, file.artifact) &&
				    vigil_slice_eq(p.version, file.version))
					own = true;
			}
			rc = 0;
		} else if (vigil_slice_eq_cstr(base, "MANIFEST.MF")) {
			if ((rc = jv_member(w, zr, name, &len)) < 0)
				break;
			if (rc == 0 && (rc = mf_parse(&m, w->member, len)) < 0)
				break;
			rc = 0;
		} else if (scan_lang_java_is_archive(nm)) {
			if ((rc = jv_nested(w, zr, path, name, depth)) < 0)
				break;
			w->ctx->path = path;
		}
		if (w->budget.exhausted)
			break;
	}
	if (rc == 0 && r < 0) {
		if (r == VIGIL_ENOMEM)
			rc = r;
		else if (!last[0])
			scan_warn(w->ctx, "%s: not read", vigil_error_message());
		else
			scan_warn(w->ctx, "after %s: %s: the rest of the archive not read", last,
				  vigil_error_message());
	}
	if (rc == 0 && !own && m.buf) {
		p = mf_props(&m);
		if (jv_usable(w, p, "MANIFEST.MF", true))
			rc = jv_add(w, path, first, p);
	}
	free(m.buf);
	w->ctx->path = saved;
	return rc;
}

int scan_lang_java_parse_limits(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
				const scan_java_limits *lim, vigil_pkg_list *out)
{
	struct jv_walk w = { .ctx = ctx, .out = out };
	jz_reader *zr = NULL;
	const char *path = ctx->path ? ctx->path : "";
	char *mem = NULL;
	ssize_t n;
	int rc;
	jz_budget_init(&w.budget, lim, size);
	if (!(w.member = malloc(lim->max_member ? lim->max_member : 1)))
		return vigil_error_oom();
	if (size <= lim->max_buffered && size <= lim->max_buffered_total) {
		/* small enough: whole in memory, read through its central directory */
		if (!(mem = malloc(size ? (size_t)size : 1))) {
			rc = vigil_error_oom();
			goto out;
		}
		if ((n = vigil_istream_read_full(in, mem, (size_t)size)) < 0) {
			rc = (int)n;
			goto out;
		}
		w.budget.buffered = (size_t)n;
		rc = jz_open_mem(&zr, mem, (size_t)n, &w.budget);
	} else {
		rc = jz_open_stream(&zr, in, &w.budget);
	}
	if (rc == 0)
		rc = jv_archive(&w, zr, path, 0);
out:
	jz_close(zr);
	free(mem);
	free(w.member);
	if (in->err)
		return in->err; /* the layer's own bytes failed: not this archive's fault */
	return rc;
}

int scan_lang_java_parse_stream(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
				vigil_pkg_list *out)
{
	return scan_lang_java_parse_limits(ctx, in, size, &scan_java_default_limits, out);
}
