/* feed/suse_common.c: what the SUSE CVRF and OVAL parsers share
 * (feed/suse.h): SUSE product names to vigil namespaces, read from the end
 * of the name ("... 15 SP1-LTSS" -> "sles:15.1", "openSUSE Leap 15.5" ->
 * "opensuse-leap:15.5"), and SUSE's rating words to the six levels. Tables
 * in docs/feeds-suse.md. */
#include "feed/suse.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

vigil_severity feed_suse_severity(const char *w)
{
	static const struct {
		const char *word;
		vigil_severity sev;
	} t[] = {
		{ "low", VIGIL_SEV_LOW },   { "moderate", VIGIL_SEV_MEDIUM },   { "medium", VIGIL_SEV_MEDIUM },
		{ "important", VIGIL_SEV_HIGH }, { "high", VIGIL_SEV_HIGH }, { "critical", VIGIL_SEV_CRITICAL },
		{ "none", VIGIL_SEV_NEGLIGIBLE },
	};
	for (size_t i = 0; w && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(w, t[i].word) == 0)
			return t[i].sev;
	return VIGIL_SEV_UNKNOWN;
}

static bool all_digits(vigil_slice s)
{
	if (s.len == 0 || s.len > 4)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return false;
	return true;
}

/* "15" or "15.5" */
static bool release_token(vigil_slice s)
{
	vigil_slice a, b;
	if (vigil_slice_split(s, '.', &a, &b))
		return all_digits(a) && all_digits(b);
	return all_digits(s);
}

/* The word of s ending at end (exclusive), cut at its first '-'
 * ("SP1-LTSS" -> "SP1"); *start is where the word begins. */
static vigil_slice word_before(vigil_slice s, size_t end, size_t *start)
{
	size_t b = end;
	while (b > 0 && s.ptr[b - 1] != ' ')
		b--;
	*start = b;
	vigil_slice w = vigil_slice_sub(s, b, end - b);
	ptrdiff_t dash = vigil_slice_find(w, '-');
	return dash >= 0 ? vigil_slice_sub(w, 0, (size_t)dash) : w;
}

static bool contains(vigil_slice s, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= s.len; i++)
		if (memcmp(s.ptr + i, needle, k) == 0)
			return true;
	return false;
}

bool feed_suse_product_namespace(vigil_slice p, char out[VIGIL_SUSE_NS_MAX])
{
	static const char sle[] = "SUSE Linux Enterprise ", leap[] = "openSUSE Leap ";
	p = vigil_slice_trim(p);
	if (p.len == 0 || p.len > VIGIL_SUSE_MAX_PRODUCT)
		return false;
	if (vigil_slice_starts_with(p, leap)) {
		vigil_slice rest = vigil_slice_sub(p, sizeof(leap) - 1, p.len - (sizeof(leap) - 1)), v, tail;
		if (!vigil_slice_split(rest, ' ', &v, &tail))
			v = rest;
		if (!release_token(v))
			return false; /* "openSUSE Leap Micro 5.2" */
		snprintf(out, VIGIL_SUSE_NS_MAX, "opensuse-leap:%.*s", (int)v.len, v.ptr);
		return true;
	}
	if (!vigil_slice_starts_with(p, sle) || contains(p, "SUSE Manager") ||
	    vigil_slice_starts_with(p, "SUSE Linux Enterprise Storage") ||
	    vigil_slice_starts_with(p, "SUSE Linux Enterprise Micro"))
		return false;
	/* the release is the last "N SPn" or "N[.M]" word pair, words such as
	 * LTSS, ESPOS or a "-BCL" suffix aside */
	for (size_t end = p.len, start; end > sizeof(sle) - 1; end = start ? start - 1 : 0) {
		vigil_slice w = word_before(p, end, &start), prev;
		size_t pstart;
		if (start < sizeof(sle) - 1)
			break;
		if (w.len > 2 && w.ptr[0] == 'S' && w.ptr[1] == 'P' && all_digits(vigil_slice_sub(w, 2, w.len - 2))) {
			if (start == 0 || !all_digits(prev = word_before(p, start - 1, &pstart)) ||
			    pstart < sizeof(sle) - 1)
				return false;
			snprintf(out, VIGIL_SUSE_NS_MAX, "sles:%.*s.%.*s", (int)prev.len, prev.ptr, (int)(w.len - 2),
				 w.ptr + 2);
			return true;
		}
		if (release_token(w)) {
			snprintf(out, VIGIL_SUSE_NS_MAX, "sles:%.*s", (int)w.len, w.ptr);
			return true;
		}
		if (start == 0)
			break;
	}
	return false;
}
