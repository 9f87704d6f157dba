/* feed/updateinfo.c: the yum/dnf updateinfo.xml of Amazon Linux (ALAS) and
 * Rocky Linux (RLSA), as the repositories serve it in repodata/ (the
 * importer gunzips updateinfo.xml.gz first). Decisions and the field table
 * are in docs/feeds-amazon-rocky.md.
 *
 * Shape: <updates><update type="security"><id/><title/><issued date/>
 * <updated date/><severity/><description/><references><reference id type
 * href/></references><pkglist><collection>[<module name stream/>]<package
 * name epoch version release arch/>...</collection></pkglist></update>...
 *
 * One record per security <update>: the advisory id (ALAS2-2018-939,
 * RLSA-2021:3057) with its type="cve" references as aliases and every href
 * as a link; one affected entry per listed binary package, state fixed at
 * "[epoch:]version-release" (the epoch written only when it is not 0),
 * scheme rpm. Updates of another type (Rocky's RLBA/RLEA bug fixes and
 * enhancements) and src packages are skipped, as Trivy does.
 *   - Namespace from the id: ALAS- amzn:1 (the AMI, 2018.03), ALAS2-
 *     and the AL2 extras (ALAS2KERNEL-5.10-, ALAS2EXTRA-, ALAS2ECS-...)
 *     amzn:2, ALAS<YYYY>- amzn:<YYYY> (2022, 2023); RLSA- rocky:<major>,
 *     the major from <release>Rocky Linux 8</release>, else the collection
 *     short name "RL8", else ".el8" in a package's release.
 *   - Architectures: Amazon's updateinfo is read from the x86_64
 *     repository but its fixed versions hold on every architecture, so no
 *     arch is kept (Trivy ignores it too); Rocky's arches are kept (one
 *     file per architecture upstream; the entries of one package and fix
 *     are joined "x86_64|i686"), as Trivy matches them.
 *   - A <module name stream> of a collection scopes its packages to that
 *     modularity stream ("ruby:2.6").
 *
 * The document is read twice with libxml2's xmlTextReader (no network, no
 * DTD, no entity substitution, a DOCTYPE refused): the first pass builds
 * every record without emitting it, so that a truncated or over-limit file
 * is refused whole before any record leaves; the second emits. One
 * <update> at a time is expanded to a small DOM and freed. */
#include "feed/redhat.h"
#include "feed/vendors.h"
#include "feed/xml_dom.h"
#include "util/error.h"
#include "util/slice.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The largest document parsed (libxml2 takes an int size). */
#define VIGIL_UI_MAX_SIZE (VIGIL_FEED_MAX_FILE < (size_t)INT_MAX ? VIGIL_FEED_MAX_FILE : (size_t)INT_MAX)
/* <update>s of one document (Amazon Linux 2 core has about 2,600). */
#define VIGIL_UI_MAX_UPDATES 500000
/* <package>s of one <update> (a kernel update lists ~100). */
#define VIGIL_UI_MAX_PACKAGES 50000
/* Bytes of an id, a package name, epoch, version, release, arch, module name or stream. */
#define VIGIL_UI_MAX_FIELD 256
/* The longest namespace made ("amzn:2023", "rocky:10"). */
#define VIGIL_UI_NS_MAX 24

#define UI_XML_OPTIONS                                                                                        \
	(XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS | \
	 XML_PARSE_BIG_LINES)

enum ui_family { UI_NONE, UI_AMAZON, UI_ROCKY };

struct ui {
	vigil_feed_ctx *ctx;
	bool emit;               /* the second pass */
	vigil_rh_affset aff;
	vigil_rh_strlist aliases, links;
	size_t updates, skipped_type, skipped_id;
};

/* The error libxml2 reports last (the last fatal one when there is one). */
struct ui_xml_err {
	int line;
	char msg[256];
	bool set, fatal;
};

static void on_xml_error(void *ud, xmlErrorPtr e)
{
	struct ui_xml_err *x = ud;
	if (!e || e->level < XML_ERR_ERROR || (x->fatal && e->level != XML_ERR_FATAL))
		return;
	x->set = true;
	x->fatal = e->level == XML_ERR_FATAL;
	x->line = e->line;
	snprintf(x->msg, sizeof(x->msg), "%s", e->message ? e->message : "not well-formed");
}

/* An attribute's value ("" when empty), NULL when absent or not one text node. */
static vigil_slice attr(const xmlNode *n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return vigil_slice_make(NULL, 0);
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (!a->children)
			return vigil_slice_make("", 0);
		if (a->children->type == XML_TEXT_NODE && !a->children->next && a->children->content)
			return vigil_slice_trim(vigil_slice_cstr((const char *)a->children->content));
		break;
	}
	return vigil_slice_make(NULL, 0);
}

/* The trimmed text of an element copied into ctx (NULL when none or empty);
 * VIGIL_ELIMIT past VIGIL_FEED_MAX_STRING. */
static int text(vigil_feed_ctx *ctx, const xmlNode *n, const char **out)
{
	xmlChar *c = n && n->children ? xmlNodeGetContent(n) : NULL;
	vigil_slice s = vigil_slice_trim(vigil_slice_cstr(c ? (const char *)c : ""));
	int rc = 0;
	*out = NULL;
	if (s.len > VIGIL_FEED_MAX_STRING)
		rc = vigil_error_set(VIGIL_ELIMIT, "line %ld: <%s>: longer than VIGIL_FEED_MAX_STRING",
				     (long)xmlGetLineNo(n), (const char *)n->name);
	else if (s.len && !(*out = feed_str(ctx, s.ptr, s.len)))
		rc = vigil_error_or_oom();
	xmlFree(c);
	return rc;
}

static bool field_ok(vigil_slice s)
{
	return s.ptr && s.len > 0 && s.len <= VIGIL_UI_MAX_FIELD && rh_valid_name(s);
}

/* An advisory id: ALAS2-2018-939, RLSA-2021:3057 (letters, digits, '-', ':', '.', '_'). */
static bool id_ok(vigil_slice s)
{
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == ':' || c == '.' || c == '_'))
			return false;
	}
	return s.len > 0 && s.len <= VIGIL_UI_MAX_FIELD;
}

static bool all_digits(vigil_slice s)
{
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return s.len > 0;
}

/* ---- family and namespace ---- */

static enum ui_family family_of(vigil_slice id)
{
	if (vigil_slice_starts_with(id, "ALAS"))
		return UI_AMAZON;
	if (vigil_slice_starts_with(id, "RLSA-") || vigil_slice_starts_with(id, "RLBA-") ||
	    vigil_slice_starts_with(id, "RLEA-"))
		return UI_ROCKY;
	return UI_NONE;
}

/* ALAS-YYYY-N amzn:1; ALAS2-, ALAS2<LETTERS>... amzn:2; ALAS<4 digits>- amzn:<digits>. */
static bool amazon_ns(vigil_slice id, char ns[VIGIL_UI_NS_MAX])
{
	vigil_slice r = vigil_slice_sub(id, 4, id.len - 4);
	if (vigil_slice_starts_with(r, "-"))
		return snprintf(ns, VIGIL_UI_NS_MAX, "amzn:1") > 0;
	if (r.len > 5 && all_digits(vigil_slice_sub(r, 0, 4)) && r.ptr[4] == '-')
		return snprintf(ns, VIGIL_UI_NS_MAX, "amzn:%.4s", r.ptr) > 0;
	if (r.len > 1 && r.ptr[0] == '2' && !(r.ptr[1] >= '0' && r.ptr[1] <= '9'))
		return snprintf(ns, VIGIL_UI_NS_MAX, "amzn:2") > 0;
	return false;
}

/* The major of "8", "8.5" (at most 3 digits). */
static bool major_of(vigil_slice s, vigil_slice *major)
{
	size_t i = 0;
	while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9')
		i++;
	*major = vigil_slice_sub(s, 0, i);
	return i > 0 && i <= 3 && (i == s.len || s.ptr[i] == '.');
}

/* ".el8", ".el8_4", "+el8.5.0+738" in a release -> "8". */
static bool el_major(vigil_slice rel, vigil_slice *major)
{
	for (size_t i = 0; i + 3 < rel.len; i++) {
		if ((rel.ptr[i] != '.' && rel.ptr[i] != '+') || rel.ptr[i + 1] != 'e' || rel.ptr[i + 2] != 'l')
			continue;
		size_t j = i + 3, k = j;
		while (k < rel.len && rel.ptr[k] >= '0' && rel.ptr[k] <= '9')
			k++;
		if (k > j && k - j <= 3) {
			*major = vigil_slice_sub(rel, j, k - j);
			return true;
		}
	}
	return false;
}

/* rocky:<major> from <release>Rocky Linux 8</release>, a collection's
 * short="RL8", or the first package release with ".elN". */
static bool rocky_ns(vigil_feed_ctx *ctx, const xmlNode *u, char ns[VIGIL_UI_NS_MAX])
{
	const char *rel = NULL;
	vigil_slice major = { 0 };
	bool ok = false;
	const xmlNode *pl = feed_xml_child(u, "pkglist");
	if (text(ctx, feed_xml_child(u, "release"), &rel) == 0 && rel) {
		vigil_slice r = vigil_slice_cstr(rel);
		ptrdiff_t sp = vigil_slice_rfind(r, ' ');
		ok = vigil_slice_starts_with(r, "Rocky Linux ") && sp > 0 &&
		     major_of(vigil_slice_sub(r, (size_t)sp + 1, r.len - (size_t)sp - 1), &major);
	}
	vigil_error_clear();
	for (const xmlNode *c = pl ? pl->children : NULL; c && !ok; c = c->next) {
		vigil_slice sh = attr(c, "short");
		if (feed_xml_is(c, "collection") && sh.ptr && vigil_slice_starts_with(sh, "RL"))
			ok = major_of(vigil_slice_sub(sh, 2, sh.len - 2), &major);
	}
	for (const xmlNode *c = pl ? pl->children : NULL; c && !ok; c = c->next)
		for (const xmlNode *p = feed_xml_is(c, "collection") ? c->children : NULL; p && !ok; p = p->next)
			if (feed_xml_is(p, "package") && attr(p, "release").ptr)
				ok = el_major(attr(p, "release"), &major);
	return ok && snprintf(ns, VIGIL_UI_NS_MAX, "rocky:%.*s", (int)major.len, major.ptr) > 0;
}

/* ---- severity ---- */

/* Amazon: critical, important, medium, low (AL2023 capitalised); Rocky:
 * Critical, Important, Moderate, Low, None. Table in docs/feeds-amazon-rocky.md. */
static vigil_severity ui_severity(const char *word)
{
	static const struct {
		const char *word;
		vigil_severity sev;
	} t[] = {
		{ "critical", VIGIL_SEV_CRITICAL }, { "important", VIGIL_SEV_HIGH }, { "medium", VIGIL_SEV_MEDIUM },
		{ "moderate", VIGIL_SEV_MEDIUM },   { "low", VIGIL_SEV_LOW },
	};
	for (size_t i = 0; word && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(word, t[i].word) == 0)
			return t[i].sev;
	return VIGIL_SEV_UNKNOWN;
}

/* ---- one update ---- */

static int add_package(struct ui *ui, const xmlNode *p, const char *ns, enum ui_family fam, const char *module,
		       const char *id)
{
	vigil_slice name = attr(p, "name"), epoch = attr(p, "epoch"), ver = attr(p, "version"),
		    rel = attr(p, "release"), arch = attr(p, "arch");
	char fixed[3 * VIGIL_UI_MAX_FIELD + 4];
	vigil_affected a = { 0 };
	if (arch.ptr && (vigil_slice_eq_cstr(arch, "src") || vigil_slice_eq_cstr(arch, "nosrc")))
		return 0;
	if (!epoch.ptr || !epoch.len)
		epoch = vigil_slice_cstr("0");
	if (!field_ok(name) || !field_ok(ver) || !field_ok(rel) || !all_digits(epoch) ||
	    epoch.len > 10 || (arch.ptr && arch.len && !field_ok(arch))) {
		feed_warn(ui->ctx, "line %ld: %s: package '%.*s': bad name, epoch, version, release or arch: skipped",
			  (long)xmlGetLineNo(p), id, (int)(name.len > 100 ? 100 : name.len), name.ptr ? name.ptr : "");
		return 0;
	}
	if (vigil_slice_eq_cstr(epoch, "0"))
		snprintf(fixed, sizeof(fixed), "%.*s-%.*s", (int)ver.len, ver.ptr, (int)rel.len, rel.ptr);
	else
		snprintf(fixed, sizeof(fixed), "%.*s:%.*s-%.*s", (int)epoch.len, epoch.ptr, (int)ver.len, ver.ptr,
			 (int)rel.len, rel.ptr);
	a.namespace = feed_cstr(ui->ctx, ns);
	a.package = feed_str(ui->ctx, name.ptr, name.len);
	a.scheme = feed_cstr(ui->ctx, "rpm");
	a.state = VIGIL_STATE_FIXED;
	a.fixed = feed_cstr(ui->ctx, fixed);
	a.module = module;
	if (fam == UI_ROCKY && arch.ptr && arch.len && !(a.arch = feed_str(ui->ctx, arch.ptr, arch.len)))
		return vigil_error_or_oom();
	if (!a.namespace || !a.package || !a.scheme || !a.fixed)
		return vigil_error_or_oom();
	return rh_affset_add(&ui->aff, &a);
}

/* "name:stream" of a <module>, NULL when the collection has none. */
static int module_of(struct ui *ui, const xmlNode *coll, const char *id, const char **out, bool *bad)
{
	const xmlNode *m = feed_xml_child(coll, "module");
	vigil_slice name = attr(m, "name"), stream = attr(m, "stream");
	char buf[2 * VIGIL_UI_MAX_FIELD + 2];
	*out = NULL;
	*bad = false;
	if (!m)
		return 0;
	if (!field_ok(name) || !field_ok(stream)) {
		feed_warn(ui->ctx, "line %ld: %s: <module> without a valid name and stream: its collection skipped",
			  (long)xmlGetLineNo(m), id);
		*bad = true;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%.*s:%.*s", (int)name.len, name.ptr, (int)stream.len, stream.ptr);
	return (*out = feed_cstr(ui->ctx, buf)) ? 0 : vigil_error_or_oom();
}

static int add_pkglist(struct ui *ui, const xmlNode *u, const char *ns, enum ui_family fam, const char *id)
{
	const xmlNode *pl = feed_xml_child(u, "pkglist");
	size_t count = 0;
	int rc = 0;
	for (const xmlNode *c = pl ? pl->children : NULL; c && rc == 0; c = c->next) {
		const char *module;
		bool bad;
		if (!feed_xml_is(c, "collection"))
			continue;
		if ((rc = module_of(ui, c, id, &module, &bad)) < 0 || bad)
			continue;
		for (const xmlNode *p = c->children; p && rc == 0; p = p->next) {
			if (!feed_xml_is(p, "package"))
				continue;
			if (++count > VIGIL_UI_MAX_PACKAGES)
				return vigil_error_set(VIGIL_ELIMIT, "line %ld: %s: more than %d packages (VIGIL_UI_MAX_PACKAGES)",
						       (long)xmlGetLineNo(p), id, VIGIL_UI_MAX_PACKAGES);
			rc = add_package(ui, p, ns, fam, module, id);
		}
	}
	return rc;
}

static int add_references(struct ui *ui, const xmlNode *u, const char *id)
{
	const xmlNode *refs = feed_xml_child(u, "references");
	int rc = 0;
	for (const xmlNode *r = refs ? refs->children : NULL; r && rc == 0; r = r->next) {
		if (!feed_xml_is(r, "reference"))
			continue;
		vigil_slice rid = attr(r, "id"), type = attr(r, "type"), href = attr(r, "href");
		if (href.ptr && href.len && href.len <= 4096 && (rc = rh_strlist_add(ui->ctx, &ui->links, href, "links")) < 0)
			break;
		if (type.ptr && vigil_slice_eq_cstr(type, "cve") && id_ok(rid) && !vigil_slice_eq_cstr(rid, id))
			rc = rh_strlist_add(ui->ctx, &ui->aliases, rid, "aliases");
	}
	return rc;
}

/* Empties the per-update lists (rh_affset_take and rh_strlist_take empty
 * them on success; a skipped or failed update is emptied here). */
static void drop_lists(struct ui *ui)
{
	ui->aff.n = 0;
	if (ui->aff.slot)
		memset(ui->aff.slot, 0, ui->aff.nslot * sizeof(*ui->aff.slot));
	ui->aliases.n = ui->links.n = 0;
}

static int one_update(struct ui *ui, const xmlNode *u)
{
	vigil_feed_ctx *ctx = ui->ctx;
	vigil_slice type = attr(u, "type"), ids;
	const char *id = NULL, *sev = NULL;
	char ns[VIGIL_UI_NS_MAX];
	vigil_vuln v = { 0 };
	enum ui_family fam;
	int rc;

	if (type.ptr && !vigil_slice_eq_cstr(type, "security")) {
		ui->skipped_type++;
		return 0;
	}
	if ((rc = text(ctx, feed_xml_child(u, "id"), &id)) < 0)
		return rc;
	ids = vigil_slice_cstr(id ? id : "");
	fam = family_of(ids);
	if (!id_ok(ids) || fam == UI_NONE || (fam == UI_AMAZON && !amazon_ns(ids, ns)) ||
	    (fam == UI_ROCKY && !rocky_ns(ctx, u, ns))) {
		ui->skipped_id++;
		feed_warn(ctx, "line %ld: <update> id '%.*s': not an ALAS or Rocky advisory of a known release: skipped",
			  (long)xmlGetLineNo(u), (int)(ids.len > 100 ? 100 : ids.len), ids.ptr);
		return 0;
	}
	if ((rc = add_pkglist(ui, u, ns, fam, id)) < 0 || (rc = add_references(ui, u, id)) < 0)
		goto out;
	if (ui->aff.n == 0) {
		feed_warn(ctx, "line %ld: %s: no binary package listed: skipped", (long)xmlGetLineNo(u), id);
		goto out;
	}
	v.id = id;
	v.source = feed_cstr(ctx, fam == UI_AMAZON ? "amazon" : "rocky");
	if ((rc = text(ctx, feed_xml_child(u, "title"), &v.summary)) < 0 ||
	    (rc = text(ctx, feed_xml_child(u, "description"), &v.description)) < 0 ||
	    (rc = text(ctx, feed_xml_child(u, "severity"), &sev)) < 0)
		goto out;
	vigil_slice d = attr(feed_xml_child(u, "issued"), "date");
	if (d.ptr && d.len && d.len < 64 && !(v.published = feed_str(ctx, d.ptr, d.len)))
		return vigil_error_or_oom();
	d = attr(feed_xml_child(u, "updated"), "date");
	if (d.ptr && d.len && d.len < 64 && !(v.modified = feed_str(ctx, d.ptr, d.len)))
		return vigil_error_or_oom();
	v.vendor_severity = sev;
	v.severity = ui_severity(sev);
	v.cvss3_score = v.cvss2_score = -1;
	if (!v.source)
		return vigil_error_or_oom();
	if ((rc = rh_affset_take(&ui->aff, &v.affected, &v.naffected)) < 0 ||
	    (rc = rh_strlist_take(ctx, &ui->aliases, &v.aliases, &v.naliases)) < 0 ||
	    (rc = rh_strlist_take(ctx, &ui->links, &v.links, &v.nlinks)) < 0)
		goto out;
	if (ui->emit && (rc = ctx->emit(ctx->emit_ud, &v)) < 0)
		goto out;
out:
	drop_lists(ui);
	return rc;
}

/* ---- the passes ---- */

static int xml_error(xmlTextReader *r, const struct ui_xml_err *x)
{
	vigil_slice msg = vigil_slice_trim(vigil_slice_cstr(x->set ? x->msg : "not well-formed"));
	return vigil_error_set(VIGIL_EFORMAT, "updateinfo XML: line %d: %.*s",
			       x->set ? x->line : xmlTextReaderGetParserLineNumber(r),
			       (int)(msg.len < 200 ? msg.len : 200), msg.ptr);
}

static int ui_pass(struct ui *ui, const char *data, size_t len)
{
	struct ui_xml_err x = { 0 };
	xmlTextReader *r;
	bool have_root = false;
	int ret, rc = 0;

	if (!(r = xmlReaderForMemory(data, (int)len, NULL, NULL, UI_XML_OPTIONS)))
		return vigil_error_oom();
	xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, &x);
	ui->updates = ui->skipped_type = ui->skipped_id = 0;
	ret = xmlTextReaderRead(r);
	while (ret == 1) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			rc = vigil_error_set(VIGIL_EFORMAT, "updateinfo XML: a DOCTYPE is not accepted");
			goto out;
		}
		if (type == XML_READER_TYPE_ELEMENT && depth == 0 && !have_root) {
			have_root = true;
			if (!name || strcmp(name, "updates") != 0) {
				rc = vigil_error_set(VIGIL_EFORMAT, "updateinfo XML: root element is <%.64s>, not <updates>",
						     name ? name : "?");
				goto out;
			}
		} else if (type == XML_READER_TYPE_ELEMENT && depth == 1 && name && strcmp(name, "update") == 0) {
			const xmlNode *u = xmlTextReaderExpand(r);
			if (!u) {
				ret = -1;
				break;
			}
			if (++ui->updates > VIGIL_UI_MAX_UPDATES) {
				rc = vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d <update>s (VIGIL_UI_MAX_UPDATES)",
						     (long)xmlGetLineNo(u), VIGIL_UI_MAX_UPDATES);
				goto out;
			}
			if ((rc = one_update(ui, u)) < 0)
				goto out;
			ret = xmlTextReaderNext(r);
			continue;
		}
		ret = xmlTextReaderRead(r);
	}
	if (ret != 0)
		rc = xml_error(r, &x);
	else if (!have_root)
		rc = vigil_error_set(VIGIL_EFORMAT, "updateinfo XML: no root element");
out:
	xmlFreeTextReader(r);
	return rc;
}

int feed_updateinfo(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct ui ui = { .ctx = ctx };
	void (*warn)(void *, const char *) = ctx->warn;
	uint64_t warnings = ctx->warnings;
	int rc;

	if (len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "updateinfo XML: an empty document");
	if (len > VIGIL_UI_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "updateinfo document of %zu bytes (limit VIGIL_UI_MAX_SIZE, %zu)",
				       len, (size_t)VIGIL_UI_MAX_SIZE);
	xmlInitParser();
	rh_affset_init(&ui.aff, ctx);
	ctx->warn = NULL; /* the first pass checks; its warnings are the second's */
	rc = ui_pass(&ui, data, len);
	ctx->warn = warn;
	ctx->warnings = warnings;
	if (rc == 0) {
		ui.emit = true;
		rc = ui_pass(&ui, data, len);
	}
	rh_affset_free(&ui.aff);
	rh_strlist_free(&ui.aliases);
	rh_strlist_free(&ui.links);
	return rc;
}

/* ---- sniffing (db/detect.c) ---- */

static bool has(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; n >= k && i + k <= n; i++)
		if (p[i] == needle[0] && memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

/* <updates> and the first <id> of an <update> starting with prefix. */
static bool updateinfo_with(const char *p, size_t n, const char *const *prefixes, size_t np)
{
	if (n == 0 || p[0] != '<' || !has(p, n, "<updates") || !has(p, n, "<update "))
		return false;
	for (size_t i = 0; i + 4 <= n; i++) {
		if (memcmp(p + i, "<id>", 4) != 0)
			continue;
		vigil_slice id = vigil_slice_trim(vigil_slice_make(p + i + 4, n - i - 4 < 64 ? n - i - 4 : 64));
		for (size_t k = 0; k < np; k++)
			if (vigil_slice_starts_with(id, prefixes[k]))
				return true;
		return false;
	}
	return false;
}

bool feed_amazon_sniff(const char *base, const char *p, size_t n)
{
	static const char *const pre[] = { "ALAS" };
	(void)base;
	return updateinfo_with(p, n, pre, 1);
}

bool feed_rocky_updateinfo_sniff(const char *base, const char *p, size_t n)
{
	static const char *const pre[] = { "RLSA-", "RLBA-", "RLEA-" };
	(void)base;
	return updateinfo_with(p, n, pre, 3);
}
