/* feed/suse_cvrf.c: SUSE CVRF advisories (ftp.suse.com/pub/projects/
 * security/cvrf/cvrf-suse-su-*.xml, cvrf-opensuse-su-*.xml: CVRF 1.1/1.2,
 * one SUSE-SU or openSUSE-SU advisory per file).
 *
 * Design. An advisory file is small (kilobytes to a few MB), so it is read
 * whole into a libxml2 tree (no network, no DTD loading, no entity
 * substitution, a DOCTYPE refused, at most VIGIL_CVRF_MAX_SIZE): a file
 * that is not well-formed fails before anything is emitted. Elements are told by local name
 * (the CVRF 1.1 and 1.2 namespaces both work). Then:
 *   ProductTree//Relationship: the ProductID of its FullProductName ->
 *     (ProductReference "libfoo-1.2-3.1", RelatesToProductReference
 *     "SUSE Linux Enterprise Server 15 SP1");
 *   each Vulnerability with a <CVE> is one record with the CVE as its id and
 *     the advisory's id (DocumentTracking/Identification/ID) as an alias;
 *     every ProductID of its Status Type="Fixed" ("First Fixed",
 *     "Recommended": the build to install, in an advisory) is one
 *     FIXED entry: the platform's namespace (feed_suse_product_namespace),
 *     the binary rpm name and the fixed version-release split at the last
 *     two '-' (SUSE ProductIDs carry no epoch). Other status types are not
 *     read (the advisories have none).
 * Severity from Threats/Threat[@Type="Impact"]/Description (the vendor's
 * word kept), CVSS from CVSSScoreSets (ScoreSet: v2 or a "CVSS:3" vector;
 * ScoreSetV3). The importer merges the records of one CVE from every
 * advisory (db/merge.c). Product names and severity words: suse_common.c.
 * Decisions in docs/feeds-suse.md. */
#include "feed/suse.h"
#include "feed/vendors.h"
#include "feed/xml_dom.h"
#include "util/error.h"
#include "util/map.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest advisory document (the biggest kernel advisories are ~5 MB). */
#define VIGIL_CVRF_MAX_SIZE ((size_t)64 * 1024 * 1024)
/* Relationships (platform x package products) of one document. */
#define VIGIL_CVRF_MAX_RELATIONSHIPS 500000
/* Nesting of Branch elements walked in the ProductTree. */
#define VIGIL_CVRF_MAX_DEPTH 32
/* Vulnerability elements of one document. */
#define VIGIL_CVRF_MAX_VULNS 20000

#define CVRF_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES)

struct rel {
	vigil_slice package; /* ProductReference */
	vigil_slice product; /* RelatesToProductReference */
};

struct cvrf {
	vigil_feed_ctx *ctx;
	vigil_map rels; /* ProductID -> struct rel (in ctx->arena) */
	const char *adv_id, *title, *published, *modified, *self_link;
	uint64_t skipped;         /* fixed products of platforms not mapped */
	char skipped_first[VIGIL_SUSE_MAX_PRODUCT + 1];
	uint64_t bad;             /* ProductIDs that are no name-version-release */
};

static bool contains(vigil_slice s, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= s.len; i++)
		if (memcmp(s.ptr + i, needle, k) == 0)
			return true;
	return false;
}

/* ---- XML ---- */

static vigil_slice attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n && n->type == XML_ELEMENT_NODE ? n->properties : NULL; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->type == XML_TEXT_NODE &&
		    !a->children->next && a->children->content)
			return vigil_slice_cstr((const char *)a->children->content);
	return vigil_slice_make("", 0);
}

/* The trimmed text of n copied into the ctx ("" when none). */
static int text(struct cvrf *c, const xmlNode *n, vigil_slice *out)
{
	xmlChar *t = n && n->children ? xmlNodeGetContent(n) : NULL;
	vigil_slice s = vigil_slice_trim(vigil_slice_cstr(t ? (const char *)t : ""));
	int rc = 0;
	*out = vigil_slice_make("", 0);
	if (s.len > VIGIL_FEED_MAX_STRING) {
		rc = vigil_error_set(VIGIL_ELIMIT, "line %ld: <%s>: longer than VIGIL_FEED_MAX_STRING",
				     (long)xmlGetLineNo(n), (const char *)n->name);
	} else if (s.len) {
		const char *p = feed_str(c->ctx, s.ptr, s.len);
		if (!p)
			rc = vigil_error_or_oom();
		else
			*out = vigil_slice_make(p, s.len);
	}
	xmlFree(t);
	return rc;
}

static int text_str(struct cvrf *c, const xmlNode *n, const char **out)
{
	vigil_slice s;
	int rc = text(c, n, &s);
	*out = rc == 0 && s.len ? s.ptr : NULL;
	return rc;
}

/* ---- ProductTree ---- */

static int relationships(struct cvrf *c, const xmlNode *n, int depth)
{
	if (depth > VIGIL_CVRF_MAX_DEPTH)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: ProductTree nested deeper than %d",
				       (long)xmlGetLineNo(n), VIGIL_CVRF_MAX_DEPTH);
	for (const xmlNode *k = n->children; k; k = k->next) {
		int rc = 0;
		if (feed_xml_is(k, "Branch")) {
			rc = relationships(c, k, depth + 1);
		} else if (feed_xml_is(k, "Relationship")) {
			vigil_slice id = vigil_slice_trim(attr(feed_xml_child(k, "FullProductName"), "ProductID"));
			struct rel *r;
			if (!id.len)
				continue;
			if (!(r = vigil_arena_alloc(c->ctx->arena, sizeof(*r))))
				return vigil_error_oom();
			r->package = vigil_slice_trim(attr(k, "ProductReference"));
			r->product = vigil_slice_trim(attr(k, "RelatesToProductReference"));
			if ((rc = vigil_map_add(&c->rels, id.ptr, id.len, r)) > 0)
				rc = 0;
			if (rc == VIGIL_ELIMIT)
				vigil_error_set(rc, "line %ld: more than %d relationships", (long)xmlGetLineNo(k),
						VIGIL_CVRF_MAX_RELATIONSHIPS);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- one vulnerability ---- */

/* "libfoo-1.2-3.1" -> "libfoo", "1.2-3.1" (split at the last two '-'). */
static bool split_nvr(vigil_slice s, vigil_slice *name, vigil_slice *vr)
{
	ptrdiff_t r = vigil_slice_rfind(s, '-'), v;
	if (r <= 0 || (size_t)r + 1 >= s.len)
		return false;
	v = vigil_slice_rfind(vigil_slice_sub(s, 0, (size_t)r), '-');
	if (v <= 0 || v + 1 >= r)
		return false;
	*name = vigil_slice_sub(s, 0, (size_t)v);
	*vr = vigil_slice_sub(s, (size_t)v + 1, s.len - (size_t)v - 1);
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.ptr[i] <= ' ' || s.ptr[i] == ':' || s.ptr[i] == '/' || (unsigned char)s.ptr[i] >= 0x7f)
			return false;
	return true;
}

/* One ProductID of a Fixed status into a[*n]. */
static int fixed_product(struct cvrf *c, vigil_slice id, vigil_affected *a, size_t *n)
{
	const struct rel *r = vigil_map_get(&c->rels, id.ptr, id.len);
	vigil_slice product, package, name, vr;
	char ns[VIGIL_SUSE_NS_MAX];
	if (r) {
		product = r->product, package = r->package;
	} else { /* "Platform:package-version-release" without a Relationship */
		ptrdiff_t colon = vigil_slice_rfind(id, ':');
		if (colon <= 0) {
			c->bad++;
			return 0;
		}
		product = vigil_slice_sub(id, 0, (size_t)colon);
		package = vigil_slice_sub(id, (size_t)colon + 1, id.len - (size_t)colon - 1);
	}
	if (!feed_suse_product_namespace(product, ns)) {
		if (!c->skipped++)
			snprintf(c->skipped_first, sizeof(c->skipped_first), "%.*s",
				 (int)(product.len < VIGIL_SUSE_MAX_PRODUCT ? product.len : VIGIL_SUSE_MAX_PRODUCT),
				 product.ptr);
		return 0;
	}
	if (!split_nvr(package, &name, &vr)) {
		c->bad++;
		return 0;
	}
	vigil_affected *e = &a[(*n)++];
	memset(e, 0, sizeof(*e));
	e->namespace = feed_cstr(c->ctx, ns);
	e->package = feed_str(c->ctx, name.ptr, name.len);
	e->fixed = feed_str(c->ctx, vr.ptr, vr.len);
	e->scheme = "rpm";
	e->state = VIGIL_STATE_FIXED;
	return e->namespace && e->package && e->fixed ? 0 : vigil_error_or_oom();
}

static int aff_cmp(const void *x, const void *y)
{
	const vigil_affected *a = x, *b = y;
	int r = strcmp(a->namespace, b->namespace);
	if (!r)
		r = strcmp(a->package, b->package);
	return r ? r : strcmp(a->fixed, b->fixed);
}

static int affected(struct cvrf *c, const xmlNode *vn, vigil_vuln *v)
{
	const xmlNode *ps = feed_xml_child(vn, "ProductStatuses");
	vigil_affected *a;
	size_t count = 0, n = 0;
	int rc;
	for (const xmlNode *s = ps ? ps->children : NULL; s; s = s->next)
		for (const xmlNode *p = feed_xml_is(s, "Status") ? s->children : NULL; p; p = p->next)
			count += feed_xml_is(p, "ProductID");
	if (count > VIGIL_FEED_MAX_AFFECTED)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d products", (long)xmlGetLineNo(vn),
				       VIGIL_FEED_MAX_AFFECTED);
	if (!count)
		return 0;
	if (!(a = vigil_arena_calloc(c->ctx->arena, count, sizeof(*a))))
		return vigil_error_oom();
	for (const xmlNode *s = ps->children; s; s = s->next) {
		vigil_slice type = attr(s, "Type");
		if (!feed_xml_is(s, "Status") || (!vigil_slice_eq_cstr(type, "Fixed") && !vigil_slice_eq_cstr(type, "First Fixed") &&
					       !vigil_slice_eq_cstr(type, "Recommended")))
			continue; /* Known Affected, Known Not Affected, ...: not in advisories */
		for (const xmlNode *p = s->children; p; p = p->next) {
			vigil_slice id;
			if (!feed_xml_is(p, "ProductID"))
				continue;
			if ((rc = text(c, p, &id)) < 0 || (id.len && (rc = fixed_product(c, id, a, &n)) < 0))
				return rc;
		}
	}
	if (n > 1) {
		size_t w = 1;
		qsort(a, n, sizeof(*a), aff_cmp);
		for (size_t i = 1; i < n; i++)
			if (aff_cmp(&a[i], &a[w - 1]) != 0)
				a[w++] = a[i];
		n = w;
	}
	v->affected = a;
	v->naffected = n;
	return 0;
}

/* "7.5" -> 7.5, within 0..10; false otherwise. */
static bool score(vigil_slice s, double *out)
{
	char buf[16];
	char *end;
	if (s.len == 0 || s.len >= sizeof(buf))
		return false;
	memcpy(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	*out = strtod(buf, &end);
	return *end == '\0' && *out >= 0.0 && *out <= 10.0;
}

static int scores(struct cvrf *c, const xmlNode *vn, vigil_vuln *v)
{
	const xmlNode *sets = feed_xml_child(vn, "CVSSScoreSets");
	for (const xmlNode *s = sets ? sets->children : NULL; s; s = s->next) {
		bool v3 = feed_xml_is(s, "ScoreSetV3");
		vigil_slice num, vec;
		double sc;
		int rc;
		if (!v3 && !feed_xml_is(s, "ScoreSet"))
			continue;
		if ((rc = text(c, feed_xml_child(s, v3 ? "BaseScoreV3" : "BaseScore"), &num)) < 0 ||
		    (rc = text(c, feed_xml_child(s, v3 ? "VectorV3" : "Vector"), &vec)) < 0)
			return rc;
		if (!score(num, &sc))
			continue;
		v3 = v3 || vigil_slice_starts_with(vec, "CVSS:3");
		if (v3 && sc > v->cvss3_score) {
			v->cvss3_score = sc;
			v->cvss3_vector = vec.len ? vec.ptr : NULL;
		} else if (!v3 && sc > v->cvss2_score) {
			v->cvss2_score = sc;
			v->cvss2_vector = vec.len ? vec.ptr : NULL;
		}
	}
	return 0;
}

static int links(struct cvrf *c, const xmlNode *vn, vigil_vuln *v)
{
	const xmlNode *refs = feed_xml_child(vn, "References");
	size_t count = c->self_link != NULL, n = 0;
	const char **l;
	for (const xmlNode *r = refs ? refs->children : NULL; r; r = r->next)
		count += feed_xml_is(r, "Reference");
	if (count > VIGIL_FEED_MAX_REFS)
		return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d references", (long)xmlGetLineNo(vn),
				       VIGIL_FEED_MAX_REFS);
	if (!count)
		return 0;
	if (!(l = vigil_arena_calloc(c->ctx->arena, count, sizeof(*l))))
		return vigil_error_oom();
	for (const xmlNode *r = refs ? refs->children : NULL; r; r = r->next) {
		int rc;
		if (feed_xml_is(r, "Reference") && (rc = text_str(c, feed_xml_child(r, "URL"), &l[n])) < 0)
			return rc;
		n += feed_xml_is(r, "Reference") && l[n];
	}
	if (c->self_link)
		l[n++] = c->self_link;
	v->links = l;
	v->nlinks = n;
	return 0;
}

static int vulnerability(struct cvrf *c, const xmlNode *vn)
{
	vigil_vuln v = { .cvss3_score = -1, .cvss2_score = -1, .source = "suse" };
	const xmlNode *notes = feed_xml_child(vn, "Notes"), *threats = feed_xml_child(vn, "Threats");
	vigil_slice cve;
	int rc;
	if ((rc = text(c, feed_xml_child(vn, "CVE"), &cve)) < 0)
		return rc;
	if (!cve.len)
		return 0; /* a bug fix without a CVE: nothing to match by */
	v.id = cve.ptr;
	v.summary = c->title;
	v.published = c->published;
	v.modified = c->modified;
	if (c->adv_id) {
		const char **al = vigil_arena_alloc(c->ctx->arena, sizeof(*al));
		if (!al)
			return vigil_error_oom();
		al[0] = c->adv_id;
		v.aliases = al;
		v.naliases = 1;
	}
	if ((rc = text_str(c, feed_xml_child(notes, "Note"), &v.description)) < 0)
		return rc;
	for (const xmlNode *t = threats ? threats->children : NULL; t; t = t->next) {
		const char *w;
		if (!feed_xml_is(t, "Threat") || !vigil_slice_eq_cstr(attr(t, "Type"), "Impact"))
			continue;
		if ((rc = text_str(c, feed_xml_child(t, "Description"), &w)) < 0)
			return rc;
		if (w && (!v.vendor_severity || feed_suse_severity(w) > v.severity)) {
			v.vendor_severity = w;
			v.severity = feed_suse_severity(w);
		}
	}
	if ((rc = scores(c, vn, &v)) < 0 || (rc = links(c, vn, &v)) < 0 || (rc = affected(c, vn, &v)) < 0)
		return rc;
	if (!v.naffected)
		return 0;
	return c->ctx->emit(c->ctx->emit_ud, &v);
}

static int document(struct cvrf *c, const xmlNode *root)
{
	const xmlNode *tr = feed_xml_child(root, "DocumentTracking"), *refs = feed_xml_child(root, "DocumentReferences");
	size_t nv = 0;
	int rc;
	if ((rc = text_str(c, feed_xml_child(feed_xml_child(tr, "Identification"), "ID"), &c->adv_id)) < 0 ||
	    (rc = text_str(c, feed_xml_child(root, "DocumentTitle"), &c->title)) < 0 ||
	    (rc = text_str(c, feed_xml_child(tr, "InitialReleaseDate"), &c->published)) < 0 ||
	    (rc = text_str(c, feed_xml_child(tr, "CurrentReleaseDate"), &c->modified)) < 0)
		return rc;
	for (const xmlNode *r = refs ? refs->children : NULL; r && !c->self_link; r = r->next)
		if (feed_xml_is(r, "Reference") && vigil_slice_eq_cstr(attr(r, "Type"), "Self") &&
		    (rc = text_str(c, feed_xml_child(r, "URL"), &c->self_link)) < 0)
			return rc;
	if (feed_xml_child(root, "ProductTree") && (rc = relationships(c, feed_xml_child(root, "ProductTree"), 0)) < 0)
		return rc;
	for (const xmlNode *v = root->children; v; v = v->next) {
		if (!feed_xml_is(v, "Vulnerability"))
			continue;
		if (++nv > VIGIL_CVRF_MAX_VULNS)
			return vigil_error_set(VIGIL_ELIMIT, "line %ld: more than %d vulnerabilities",
					       (long)xmlGetLineNo(v), VIGIL_CVRF_MAX_VULNS);
		if ((rc = vulnerability(c, v)) < 0) {
			vigil_error_prefix("Vulnerability (line %ld): ", (long)xmlGetLineNo(v));
			return rc;
		}
	}
	if (c->skipped)
		feed_warn(c->ctx, "%s: %llu fixed products of platforms vigil does not map (e.g. \"%s\"): skipped",
			  c->adv_id ? c->adv_id : "advisory", (unsigned long long)c->skipped, c->skipped_first);
	if (c->bad)
		feed_warn(c->ctx, "%s: %llu fixed products that are no platform:name-version-release: skipped",
			  c->adv_id ? c->adv_id : "advisory", (unsigned long long)c->bad);
	return 0;
}

/* The offset of needle in p[from..n), n when absent. */
static size_t find_from(const char *p, size_t n, size_t from, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = from; i + k <= n; i++)
		if (memcmp(p + i, needle, k) == 0)
			return i;
	return n;
}

/* Whether the prolog (before the root element) has a <!DOCTYPE: refused
 * before libxml2 reads any declaration. */
static bool has_doctype(const char *p, size_t n)
{
	size_t i = n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < n) {
		size_t end;
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
			i++;
		} else if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
			if ((end = find_from(p, n, i + 4, "-->")) == n)
				return false;
			i = end + 3;
		} else if (n - i >= 2 && memcmp(p + i, "<?", 2) == 0) {
			if ((end = find_from(p, n, i + 2, "?>")) == n)
				return false;
			i = end + 2;
		} else {
			return n - i >= 9 && memcmp(p + i, "<!DOCTYPE", 9) == 0;
		}
	}
	return false;
}

/* Whether p[0..n) is valid UTF-8 (RFC 3629: no overlongs, no surrogates). */
static bool utf8_ok(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 9;
		if (k == 9 || (k && i + k >= n))
			return false;
		for (size_t j = 1; j <= k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		if ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] > 0x9f) || (c == 0xf0 && s[i + 1] < 0x90) ||
		    (c == 0xf4 && s[i + 1] > 0x8f))
			return false;
		i += k + 1;
	}
	return true;
}

int feed_suse_cvrf(vigil_feed_ctx *ctx, const char *data, size_t len)
{
	struct cvrf c = { .ctx = ctx };
	xmlDoc *doc = NULL;
	const xmlNode *root;
	int rc;

	if (!ctx || !ctx->arena || !ctx->emit || (!data && len))
		return vigil_error_set(VIGIL_EINVAL, "feed_suse_cvrf: bad arguments");
	if (len == 0)
		return vigil_error_set(VIGIL_EFORMAT, "XML: an empty document");
	if (len > VIGIL_CVRF_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "CVRF document of %zu bytes (limit VIGIL_CVRF_MAX_SIZE, %zu)", len,
				       VIGIL_CVRF_MAX_SIZE);
	if (has_doctype(data, len))
		return vigil_error_set(VIGIL_EFORMAT, "XML: a DOCTYPE is not accepted in a CVRF document");
	vigil_map_init(&c.rels, VIGIL_CVRF_MAX_RELATIONSHIPS);
	xmlInitParser();
	xmlResetLastError();
	/* the whole document is checked before anything is emitted */
	doc = xmlReadMemory(data, (int)len, NULL, NULL, CVRF_XML_OPTIONS);
	if (!doc && xmlGetLastError() && (xmlGetLastError()->code == XML_ERR_INVALID_CHAR ||
		     xmlGetLastError()->code == XML_ERR_INVALID_ENCODING) && !utf8_ok(data, len)) {
		/* a few old advisories say UTF-8 and hold Latin-1 bytes ("Ga\xebl"):
		 * read them as Latin-1 (vuln-list-update drops such bytes) */
		xmlResetLastError();
		doc = xmlReadMemory(data, (int)len, NULL, "ISO-8859-1", CVRF_XML_OPTIONS);
	}
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		vigil_slice msg = vigil_slice_trim(vigil_slice_cstr(e && e->message ? e->message : "not well-formed"));
		rc = vigil_error_set(VIGIL_EFORMAT, "XML: line %d: %.*s", e ? e->line : 0,
				     (int)(msg.len < 200 ? msg.len : 200), msg.ptr);
		goto out;
	}
	if (doc->intSubset || doc->extSubset) {
		rc = vigil_error_set(VIGIL_EFORMAT, "XML: a DOCTYPE is not accepted in a CVRF document");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!feed_xml_is(root, "cvrfdoc")) {
		rc = vigil_error_set(VIGIL_EFORMAT, "XML: root element is <%s>, not <cvrfdoc>",
				     root ? (const char *)root->name : "(none)");
		goto out;
	}
	rc = document(&c, root);
out:
	xmlFreeDoc(doc);
	vigil_map_free(&c.rels);
	return rc;
}

bool feed_suse_cvrf_sniff(const char *base, const char *p, size_t n)
{
	vigil_slice s = vigil_slice_make(p, n < 4096 ? n : 4096);
	(void)base;
	return n > 0 && p[0] == '<' && contains(s, "<cvrfdoc") &&
	       (contains(s, "SUSE Patch") || contains(s, "security@suse.de") || contains(s, "SUSE-SU-") ||
		contains(s, "openSUSE-SU-"));
}
