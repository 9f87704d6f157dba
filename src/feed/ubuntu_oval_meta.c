/* feed/ubuntu_oval_meta.c: the metadata half of the Ubuntu OVAL parser
 * (feed/ubuntu_oval.h): a definition's id, its namespace from the codename
 * of "oval:com.ubuntu.<codename>:def:N", the description without the
 * generator's update instructions, severity, dates, CVSS, aliases and
 * links; and the small DOM helpers both halves use. */
#include "feed/cvss.h"
#include "feed/ubuntu_oval.h"
#include "util/error.h"
#include "util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool uoval_is_elem(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const xmlNode *uoval_child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (uoval_is_elem(c, name))
			return c;
	return NULL;
}

long uoval_line(const xmlNode *n)
{
	return n ? xmlGetLineNo(n) : 0;
}

/* An attribute's value as a slice ("" when absent or not one text). */
vigil_slice uoval_attr(const xmlNode *n, const char *name)
{
	return vigil_slice_cstr(oval_attr(n, name));
}

const char *uoval_attr_cstr(const xmlNode *n, const char *name)
{
	vigil_slice s = uoval_attr(n, name);
	return s.len ? s.ptr : NULL;
}

int uoval_oom(void)
{
	return vigil_error_code() < 0 ? vigil_error_code() : vigil_error_oom();
}

/* The trimmed text of an element: the document's own when it is one text
 * node, else a copy in the ctx. */
int uoval_text(struct uoval *o, const xmlNode *n, vigil_slice *out)
{
	int rc = oval_text(o->ctx, n, out);
	*out = vigil_slice_trim(*out);
	return rc;
}

const char *uoval_str(struct uoval *o, vigil_slice s)
{
	return s.len ? feed_str(o->ctx, s.ptr, s.len) : NULL;
}

int uoval_list_add(struct uoval *o, struct strlist *l, vigil_slice s, const char *what)
{
	int rc;
	s = vigil_slice_trim(s);
	if (s.len == 0 || s.len > VIGIL_FEED_MAX_STRING)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (vigil_slice_eq_cstr(s, l->v[i]))
			return 0;
	if ((rc = vigil_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v), 16, VIGIL_UOVAL_MAX_REFS)) < 0)
		return rc == VIGIL_ELIMIT ? vigil_error_set(rc, "more than %d %s (VIGIL_UOVAL_MAX_REFS)",
							    VIGIL_UOVAL_MAX_REFS, what)
					  : rc;
	if (!(l->v[l->n] = uoval_str(o, s)))
		return uoval_oom();
	l->n++;
	return 0;
}

/* The list's array in the ctx arena (the list is reused by the next definition). */

/* ---- metadata ---- */

/* "2019-09-10 17:15:00 UTC" -> "2019-09-10T17:15:00Z" (as the CVE tracker
 * parser writes it); other forms as written. */
static const char *date_of(struct uoval *o, vigil_slice d)
{
	char buf[32];
	if (d.len == 23 && vigil_slice_ends_with(d, " UTC") && d.ptr[10] == ' ' && d.ptr[4] == '-') {
		memcpy(buf, d.ptr, 10);
		buf[10] = 'T';
		memcpy(buf + 11, d.ptr + 11, 8);
		buf[19] = 'Z';
		return feed_str(o->ctx, buf, 20);
	}
	return d.len && d.len <= VIGIL_UOVAL_MAX_NAME ? uoval_str(o, d) : NULL;
}

/* cvss_vector (and cvss_score) of a <cve>: kept when higher than the one held. */
static int cvss_of(struct uoval *o, const xmlNode *cve, vigil_vuln *v)
{
	vigil_slice vec = vigil_slice_trim(uoval_attr(cve, "cvss_vector"));
	double score;
	bool v3 = vigil_slice_starts_with(vec, "CVSS:3.");
	if (!vec.len || vec.len > VIGIL_CVSS_MAX_VECTOR ||
	    !(v3 || vigil_slice_starts_with(vec, "AV:") || vigil_slice_starts_with(vec, "(AV:")))
		return 0; /* none, or CVSS 4.0 */
	if ((v3 ? feed_cvss3_base_score(vec.ptr, vec.len, &score, NULL)
		: feed_cvss2_base_score(vec.ptr, vec.len, &score)) < 0) {
		feed_warn(o->ctx, "line %ld: %s: CVSS vector: %s", uoval_line(cve), o->id, vigil_error_message());
		return 0;
	}
	if (score <= (v3 ? v->cvss3_score : v->cvss2_score))
		return 0;
	if (v3 && (v->cvss3_vector = uoval_str(o, vec)))
		v->cvss3_score = score;
	else if (!v3 && (v->cvss2_vector = uoval_str(o, vec)))
		v->cvss2_score = score;
	else
		return uoval_oom();
	return 0;
}

static int read_advisory(struct uoval *o, const xmlNode *adv, vigil_vuln *v)
{
	vigil_slice s;
	int rc;
	if ((rc = uoval_text(o, uoval_child(adv, "severity"), &s)) < 0)
		return rc;
	if (s.len && s.len <= VIGIL_UOVAL_MAX_NAME && !(v->vendor_severity = uoval_str(o, s)))
		return uoval_oom();
	if ((rc = uoval_text(o, uoval_child(adv, "public_date"), &s)) < 0)
		return rc;
	if (!s.len)
		s = vigil_slice_trim(uoval_attr(uoval_child(adv, "issued"), "date")); /* a USN */
	if (s.len && !(v->published = date_of(o, s)))
		return uoval_oom();
	for (const xmlNode *c = adv ? adv->children : NULL; c; c = c->next) {
		if (uoval_is_elem(c, "ref") || uoval_is_elem(c, "bug")) {
			if ((rc = uoval_text(o, c, &s)) < 0 || (rc = uoval_list_add(o, &o->links, s, "links")) < 0)
				return rc;
			continue;
		}
		if (!uoval_is_elem(c, "cve"))
			continue;
		if ((rc = uoval_text(o, c, &s)) < 0)
			return rc;
		if (!v->vendor_severity && vigil_slice_eq_cstr(s, o->id)) { /* a definition without <severity> */
			vigil_slice p = uoval_attr(c, "priority").len ? uoval_attr(c, "priority") : uoval_attr(c, "severity");
			if (p.len && p.len <= VIGIL_UOVAL_MAX_NAME && !(v->vendor_severity = uoval_str(o, p)))
				return uoval_oom();
		}
		if ((o->usn && s.len <= VIGIL_UOVAL_MAX_NAME && (rc = uoval_list_add(o, &o->aliases, s, "aliases")) < 0) ||
		    (rc = uoval_list_add(o, &o->links, uoval_attr(c, "href"), "links")) < 0)
			return rc;
		if ((o->usn || vigil_slice_eq_cstr(s, o->id)) && (rc = cvss_of(o, c, v)) < 0)
			return rc;
	}
	v->severity = feed_severity_ubuntu(v->vendor_severity);
	return 0;
}

int uoval_read_metadata(struct uoval *o, const xmlNode *md, vigil_vuln *v)
{
	char first[VIGIL_UOVAL_MAX_NAME + 64];
	vigil_slice s;
	int rc;
	snprintf(first, sizeof(first), "https://ubuntu.com/security/%s%s", o->usn ? "notices/" : "", o->id);
	if ((rc = uoval_list_add(o, &o->links, vigil_slice_cstr(first), "links")) < 0)
		return rc;
	if (o->usn) { /* "USN-4567-1 -- OpenSSL vulnerabilities"; a CVE's title says nothing more */
		if ((rc = uoval_text(o, uoval_child(md, "title"), &s)) < 0)
			return rc;
		if (s.len && !(v->summary = uoval_str(o, s)))
			return uoval_oom();
	}
	if ((rc = uoval_text(o, uoval_child(md, "description"), &s)) < 0)
		return rc;
	for (size_t i = 0; i + 20 <= s.len; i++)
		if (memcmp(s.ptr + i, "Update Instructions:", 20) == 0) {
			s = vigil_slice_trim(vigil_slice_sub(s, 0, i)); /* the "pro fix" text the generator adds */
			break;
		}
	if (s.len && !(v->description = uoval_str(o, s)))
		return uoval_oom();
	for (const xmlNode *r = md->children; r; r = r->next) {
		vigil_slice src = uoval_attr(r, "source"), id = vigil_slice_trim(uoval_attr(r, "ref_id"));
		if (!uoval_is_elem(r, "reference"))
			continue;
		if ((rc = uoval_list_add(o, &o->links, uoval_attr(r, "ref_url"), "links")) < 0)
			return rc;
		if (vigil_slice_eq_cstr(src, "CVE") && !vigil_slice_eq_cstr(id, o->id) && id.len <= VIGIL_UOVAL_MAX_NAME &&
		    (rc = uoval_list_add(o, &o->aliases, id, "aliases")) < 0)
			return rc;
	}
	return read_advisory(o, uoval_child(md, "advisory"), v);
}

/* The id: reference source "CVE" (or "USN") ref_id, else the title's first
 * word when it is one; "4567-1" gets its "USN-". NULL when none. */
const char *uoval_definition_id(struct uoval *o, const xmlNode *md, bool *package_oval)
{
	const char *want = o->usn ? "USN" : "CVE";
	char buf[VIGIL_UOVAL_MAX_NAME + 8];
	vigil_slice id = { 0 }, title;
	*package_oval = false;
	for (const xmlNode *r = md->children; r && !id.len; r = r->next) {
		if (!uoval_is_elem(r, "reference"))
			continue;
		if (vigil_slice_eq_cstr(uoval_attr(r, "source"), want))
			id = vigil_slice_trim(uoval_attr(r, "ref_id"));
		*package_oval |= vigil_slice_eq_cstr(uoval_attr(r, "source"), "Package");
	}
	if (!id.len && uoval_text(o, uoval_child(md, "title"), &title) == 0 &&
	    vigil_slice_starts_with(title, want) && title.len > 4 && title.ptr[3] == '-') {
		size_t n = 0;
		while (n < title.len && title.ptr[n] != ' ')
			n++;
		id = vigil_slice_sub(title, 0, n);
	}
	if (!id.len || id.len > VIGIL_UOVAL_MAX_NAME || vigil_slice_find(id, ' ') >= 0)
		return NULL;
	if (o->usn && id.ptr[0] >= '0' && id.ptr[0] <= '9') {
		snprintf(buf, sizeof(buf), "USN-%.*s", (int)id.len, id.ptr);
		return feed_cstr(o->ctx, buf);
	}
	return uoval_str(o, id);
}

/* The version of a codename: "jammy", or a part of "trusty_esm" or
 * "esm-apps_focal" (ESM releases' ids); NULL when the table has none. */
static const char *lookup_release(vigil_slice code)
{
	char name[64];
	vigil_slice head, tail;
	const char *v;
	if (code.len == 0 || code.len >= sizeof(name))
		return NULL;
	memcpy(name, code.ptr, code.len);
	name[code.len] = '\0';
	if ((v = feed_ubuntu_release_version(name)) || !vigil_slice_split(code, '_', &head, &tail))
		return v;
	if ((v = lookup_release(head)))
		return v;
	return lookup_release(vigil_slice_sub(code, (size_t)vigil_slice_rfind(code, '_') + 1, code.len));
}

static void tally_unmapped(struct uoval *o, vigil_slice code)
{
	for (size_t i = 0; i < o->nunmapped; i++)
		if (vigil_slice_eq_cstr(code, o->unmapped[i].code)) {
			o->unmapped[i].n++;
			return;
		}
	if (o->nunmapped == VIGIL_UOVAL_MAX_UNMAPPED || code.len >= sizeof(o->unmapped[0].code)) {
		o->unmapped_more++;
		return;
	}
	memcpy(o->unmapped[o->nunmapped].code, code.ptr, code.len);
	o->unmapped[o->nunmapped].code[code.len] = '\0';
	o->unmapped[o->nunmapped++].n = 1;
}

/* "ubuntu:<version>" of "oval:com.ubuntu.<codename>:def:N", else of the
 * title's "(<codename>)"; NULL (tallied) when neither maps. */
const char *uoval_namespace(struct uoval *o, const xmlNode *def, const xmlNode *md, int *rc)
{
	static const char pre[] = "oval:com.ubuntu.";
	vigil_slice id = uoval_attr(def, "id"), code = { 0 }, title;
	const char *version = NULL;
	char buf[80];
	*rc = 0;
	if (vigil_slice_starts_with(id, pre)) {
		code = vigil_slice_sub(id, sizeof(pre) - 1, id.len);
		code.len = vigil_slice_find(code, ':') >= 0 ? (size_t)vigil_slice_find(code, ':') : code.len;
		version = lookup_release(code);
	}
	if (!version) { /* "CVE-… on Ubuntu 22.04 LTS (jammy) - high" */
		vigil_slice t;
		if ((*rc = uoval_text(o, uoval_child(md, "title"), &title)) < 0)
			return NULL;
		if (vigil_slice_rfind(title, '(') >= 0) {
			t = vigil_slice_sub(title, (size_t)vigil_slice_rfind(title, '(') + 1, title.len);
			t.len = vigil_slice_find(t, ')') >= 0 ? (size_t)vigil_slice_find(t, ')') : 0;
			if ((version = lookup_release(t)))
				code = t;
		}
	}
	if (!version) {
		tally_unmapped(o, code.len ? code : vigil_slice_cstr("(none)"));
		return NULL;
	}
	if (version != o->ns_version) {
		snprintf(buf, sizeof(buf), "ubuntu:%s", version);
		if (!(o->ns_str = feed_cstr(o->ctx, buf))) {
			*rc = uoval_oom();
			return NULL;
		}
		o->ns_version = version;
	}
	return o->ns_str;
}
