/* feed/mariner_meta.c: what feed/mariner_oval.c reads around the
 * definitions of an Azure Linux / CBL-Mariner OVAL file: the family and
 * release from the file name and the <generator>, the severity words, and
 * the sniff that tells these files from other OVAL (db/detect.c). Byte
 * scans with named limits (feed/mariner.h); no XML parse. */
#include "feed/mariner.h"
#include "feed/vendors.h"

#include <string.h>

const char *const mar_family_name[] = { "unknown", "mariner", "azurelinux" };
const char *const mar_family_word[] = { "unknown", "CBL-Mariner", "Azure Linux" };

static bool has(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k && i + k <= n; i++)
		if (p[i] == needle[0] && memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

/* "cbl-mariner-2.0-oval.xml", "cbl-mariner-2.0-preview-oval.xml",
 * "azurelinux-3.0-oval.xml" -> family and "2.0"; false when the name is
 * not one of those shapes. */
bool mar_name_release(const char *file, enum mar_family *fam, vigil_slice *rel)
{
	static const struct {
		const char *prefix;
		enum mar_family fam;
	} pre[] = { { "cbl-mariner-", MAR_MARINER }, { "azurelinux-", MAR_AZURELINUX } };
	const char *base = file ? strrchr(file, '/') : NULL;
	vigil_slice s = vigil_slice_cstr(base ? base + 1 : (file ? file : ""));
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		size_t k = strlen(pre[i].prefix), j = k, dots = 0;
		if (!vigil_slice_starts_with(s, pre[i].prefix))
			continue;
		while (j < s.len && ((s.ptr[j] >= '0' && s.ptr[j] <= '9') || s.ptr[j] == '.'))
			dots += s.ptr[j++] == '.';
		*rel = vigil_slice_sub(s, k, j - k);
		*fam = pre[i].fam;
		return rel->len && rel->len <= VIGIL_MARINER_MAX_RELEASE && dots == 1 && rel->ptr[0] != '.' &&
		       rel->ptr[rel->len - 1] != '.' && j < s.len && s.ptr[j] == '-' &&
		       has(s.ptr + j, s.len - j, "oval");
	}
	return false;
}

/* The family the <generator>'s product_name names ("CBL-Mariner OVAL
 * Definition Generator", "Azure Linux OVAL Definition Generator"). */
enum mar_family mar_generator_family(const char *data, size_t len)
{
	static const char tag[] = "product_name>", defs[] = "<definitions";
	size_t n = len < VIGIL_MARINER_GENERATOR_SCAN ? len : VIGIL_MARINER_GENERATOR_SCAN;
	for (size_t i = 0; i + sizeof(tag) - 1 <= n; i++) {
		if (i + sizeof(defs) - 1 <= n && memcmp(data + i, defs, sizeof(defs) - 1) == 0)
			break; /* the generator comes first */
		if (memcmp(data + i, tag, sizeof(tag) - 1) != 0 || i == 0 || data[i - 1] == '/')
			continue;
		size_t b = i + sizeof(tag) - 1, e = b;
		while (e < n && data[e] != '<')
			e++;
		if (has(data + b, e - b, "Azure Linux"))
			return MAR_AZURELINUX;
		if (has(data + b, e - b, "Mariner"))
			return MAR_MARINER;
		return MAR_UNKNOWN;
	}
	return MAR_UNKNOWN;
}

/* The words of <severity> (Critical, High, Medium, Low; Important and
 * Moderate as Red Hat's) -> the six levels, case-insensitively. */
vigil_severity mar_severity(vigil_slice w)
{
	static const struct {
		const char *word;
		vigil_severity sev;
	} t[] = { { "critical", VIGIL_SEV_CRITICAL }, { "high", VIGIL_SEV_HIGH },     { "important", VIGIL_SEV_HIGH },
		  { "medium", VIGIL_SEV_MEDIUM },     { "moderate", VIGIL_SEV_MEDIUM }, { "low", VIGIL_SEV_LOW },
		  { "negligible", VIGIL_SEV_NEGLIGIBLE }, { "none", VIGIL_SEV_NEGLIGIBLE } };
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t k = strlen(t[i].word);
		if (w.len != k)
			continue;
		size_t j = 0;
		while (j < k && (w.ptr[j] | 0x20) == t[i].word[j])
			j++;
		if (j == k)
			return t[i].sev;
	}
	return VIGIL_SEV_UNKNOWN;
}

/* A Microsoft OVAL document: the generator's product or the definition id
 * prefix in its first bytes, or an upstream file name and an XML start. */
bool feed_mariner_sniff(const char *base, const char *p, size_t n)
{
	enum mar_family fam;
	vigil_slice rel;
	if (n == 0 || *p != '<')
		return false;
	if (mar_name_release(base, &fam, &rel))
		return true;
	return has(p, n, "oval_definitions") &&
	       (has(p, n, "oval:com.microsoft.cbl-mariner:") || has(p, n, "oval:com.microsoft.azurelinux:") ||
		has(p, n, "CBL-Mariner OVAL Definition Generator") || has(p, n, "Azure Linux OVAL Definition Generator"));
}
