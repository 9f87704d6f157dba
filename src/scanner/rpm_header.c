/* scanner/rpm_header.c: decodes one rpm header blob, as the package
 * databases store it (no lead, no magic): a big-endian count of index
 * entries and length of the data store, the 16-byte index entries (tag,
 * type, offset, count) and the data store. Everything is checked before use,
 * as rpm's own hdrblobVerifyRegion/hdrblobVerifyInfo do: sizes against the
 * blob and the named limits, the region tag and its trailer, each entry's
 * type, alignment and extent (strings must end inside the data store), and
 * that the entries' data come in order without overlapping. Then the tags a
 * scanner needs fill a vigil_package. Also here: scan_rpm_add_blob(), which
 * every database reader calls for each blob it finds. The dispatcher that
 * hands a database to its reader is rpmdb.c: it calls the readers, they call
 * this file, and nothing here calls back. */
#include "scanner/rpm.h"
#include "util/digest.h"
#include "util/error.h"
#include "util/slice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most files one header may list (BASENAMES), and the longest path. */
#define VIGIL_RPM_MAX_FILES 1000000
#define VIGIL_RPM_MAX_PATH 4096

/* Types of header data. */
enum {
	RPM_NULL_TYPE = 0,
	RPM_CHAR_TYPE = 1,
	RPM_INT8_TYPE = 2,
	RPM_INT16_TYPE = 3,
	RPM_INT32_TYPE = 4,
	RPM_INT64_TYPE = 5,
	RPM_STRING_TYPE = 6,
	RPM_BIN_TYPE = 7,
	RPM_STRING_ARRAY_TYPE = 8,
	RPM_I18NSTRING_TYPE = 9,
	RPM_MAX_TYPE = 9,
};

/* Tags: the regions and what a scanner reads. */
enum {
	TAG_HEADERIMAGE = 61,
	TAG_HEADERSIGNATURES = 62,
	TAG_HEADERIMMUTABLE = 63,
	TAG_SIGMD5 = 261,
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_SIZE = 1009,
	TAG_VENDOR = 1011,
	TAG_LICENSE = 1014,
	TAG_PACKAGER = 1015,
	TAG_ARCH = 1022,
	TAG_FILESTATES = 1029,
	TAG_FILEMODES = 1030,
	TAG_FILEDIGESTS = 1035,
	TAG_FILEFLAGS = 1037,
	TAG_FILEVERIFYFLAGS = 1045,
	TAG_SOURCERPM = 1044,
	TAG_DIRINDEXES = 1116,
	TAG_BASENAMES = 1117,
	TAG_DIRNAMES = 1118,
	TAG_LONGSIZE = 5009,
	TAG_FILEDIGESTALGO = 5011,
	TAG_MODULARITYLABEL = 5096,
};

#define REGION_TAG_COUNT 16 /* bytes of a region trailer (one index entry) */
#define INDEX_ENTRY_SIZE 16
#define SIGMD5_SIZE 16

struct hdr {
	const uint8_t *index; /* il entries of 16 bytes */
	const uint8_t *data;  /* dl bytes */
	uint32_t il, dl;
	uint32_t ril;         /* entries in the region (0: no region) */
	uint32_t trailer;     /* offset of the region trailer in data */
};

struct entry {
	uint32_t tag, type, offset, count;
};

static void entry_at(const struct hdr *h, uint32_t i, struct entry *e)
{
	const uint8_t *p = h->index + (size_t)i * INDEX_ENTRY_SIZE;
	e->tag = vigil_rpm_be32(p);
	e->type = vigil_rpm_be32(p + 4);
	e->offset = vigil_rpm_be32(p + 8);
	e->count = vigil_rpm_be32(p + 12);
}

static uint32_t type_size(uint32_t type)
{
	switch (type) {
	case RPM_CHAR_TYPE:
	case RPM_INT8_TYPE:
	case RPM_BIN_TYPE: return 1;
	case RPM_INT16_TYPE: return 2;
	case RPM_INT32_TYPE: return 4;
	case RPM_INT64_TYPE: return 8;
	default: return 0; /* strings: variable */
	}
}

static bool is_region_tag(uint32_t tag)
{
	return tag == TAG_HEADERIMAGE || tag == TAG_HEADERSIGNATURES || tag == TAG_HEADERIMMUTABLE;
}

/* Checks the region tag (the first entry, when it is one) and its trailer,
 * which closes the region with a negative offset giving its entry count. */
static int verify_region(struct hdr *h)
{
	struct entry e, t;
	entry_at(h, 0, &e);
	if (!is_region_tag(e.tag))
		return 0; /* a legacy header without a region */
	if (e.type != RPM_BIN_TYPE || e.count != REGION_TAG_COUNT)
		return vigil_error_set(VIGIL_EFORMAT,
				       "header: region tag %u: type %u count %u, want type 7 count 16",
				       e.tag, e.type, e.count);
	if (e.offset > h->dl || h->dl - e.offset < REGION_TAG_COUNT)
		return vigil_error_set(VIGIL_EFORMAT,
				       "header: region tag %u: trailer at %u past data end %u", e.tag,
				       e.offset, h->dl);
	const uint8_t *p = h->data + e.offset;
	t.tag = vigil_rpm_be32(p);
	t.type = vigil_rpm_be32(p + 4);
	t.offset = vigil_rpm_be32(p + 8);
	t.count = vigil_rpm_be32(p + 12);
	/* old packages put HEADERIMAGE in the signature region's trailer */
	if (e.tag == TAG_HEADERSIGNATURES && t.tag == TAG_HEADERIMAGE)
		t.tag = TAG_HEADERSIGNATURES;
	if (t.tag != e.tag || t.type != RPM_BIN_TYPE || t.count != REGION_TAG_COUNT)
		return vigil_error_set(VIGIL_EFORMAT,
				       "header: region tag %u: bad trailer (tag %u type %u count %u)",
				       e.tag, t.tag, t.type, t.count);
	uint32_t size = (uint32_t)0 - t.offset; /* the trailer offset is negative */
	if (size % INDEX_ENTRY_SIZE || size / INDEX_ENTRY_SIZE == 0 ||
	    size / INDEX_ENTRY_SIZE > h->il)
		return vigil_error_set(VIGIL_EFORMAT,
				       "header: region tag %u: trailer gives %d bytes of index for %u entries",
				       e.tag, (int32_t)t.offset, h->il);
	h->ril = size / INDEX_ENTRY_SIZE;
	h->trailer = e.offset;
	return 0;
}

/* The extent of entry e's data: fixed-size types by count, strings up to
 * their NUL. Sets *len or fails naming the entry. */
static int entry_length(const struct hdr *h, uint32_t i, const struct entry *e, uint32_t *len)
{
	uint32_t avail = h->dl - e->offset; /* offset < dl checked by the caller */
	uint32_t size = type_size(e->type);
	if (size) {
		if (e->count > avail / size)
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: entry %u (tag %u): %u items of %u bytes at %u run past data end %u",
					       i, e->tag, e->count, size, e->offset, h->dl);
		*len = e->count * size;
		return 0;
	}
	if (e->type == RPM_STRING_TYPE && e->count != 1)
		return vigil_error_set(VIGIL_EFORMAT, "header: entry %u (tag %u): string with count %u",
				       i, e->tag, e->count);
	if (e->count > avail)
		return vigil_error_set(VIGIL_EFORMAT,
				       "header: entry %u (tag %u): %u strings cannot fit in %u bytes", i,
				       e->tag, e->count, avail);
	const uint8_t *p = h->data + e->offset, *end = h->data + h->dl;
	for (uint32_t n = 0; n < e->count; n++) {
		const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
		if (!nul)
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: entry %u (tag %u): string %u at %u is not terminated",
					       i, e->tag, n, (unsigned)(p - h->data));
		p = nul + 1;
	}
	*len = (uint32_t)(p - (h->data + e->offset));
	return 0;
}

/* Checks every entry but the region tag: a known type, a count, an aligned
 * offset inside the data, data that fits, comes after the previous entry's
 * and, inside the region, stays before the trailer. */
static int verify_entries(const struct hdr *h)
{
	uint32_t end = 0;
	for (uint32_t i = h->ril ? 1 : 0; i < h->il; i++) {
		struct entry e;
		uint32_t len = 0;
		entry_at(h, i, &e);
		if (e.type == RPM_NULL_TYPE || e.type > RPM_MAX_TYPE)
			return vigil_error_set(VIGIL_EFORMAT, "header: entry %u (tag %u): bad type %u",
					       i, e.tag, e.type);
		if (e.count == 0)
			return vigil_error_set(VIGIL_EFORMAT, "header: entry %u (tag %u): count 0", i,
					       e.tag);
		uint32_t size = type_size(e.type);
		if (size > 1 && e.offset % size)
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: entry %u (tag %u): offset %u not aligned to %u",
					       i, e.tag, e.offset, size);
		if (e.offset >= h->dl)
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: entry %u (tag %u): offset %u past data end %u", i,
					       e.tag, e.offset, h->dl);
		if (e.offset < end)
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: entry %u (tag %u): data at %u overlaps the previous entry's (ending at %u)",
					       i, e.tag, e.offset, end);
		int rc = entry_length(h, i, &e, &len);
		if (rc < 0)
			return rc;
		end = e.offset + len;
		if (h->ril && i < h->ril && end > h->trailer)
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: entry %u (tag %u): data runs into the region trailer at %u",
					       i, e.tag, h->trailer);
	}
	return 0;
}

static int hdr_open(struct hdr *h, const uint8_t *blob, size_t len)
{
	memset(h, 0, sizeof(*h));
	if (len < 8)
		return vigil_error_set(VIGIL_EFORMAT, "header: %zu bytes, shorter than its 8-byte preamble",
				       len);
	h->il = vigil_rpm_be32(blob);
	h->dl = vigil_rpm_be32(blob + 4);
	if (h->il == 0)
		return vigil_error_set(VIGIL_EFORMAT, "header: no index entries");
	if (h->il > VIGIL_RPM_MAX_INDEX_ENTRIES)
		return vigil_error_set(VIGIL_ELIMIT, "header: %u index entries (limit %d)", h->il,
				       VIGIL_RPM_MAX_INDEX_ENTRIES);
	if (h->dl > VIGIL_RPM_MAX_DATA_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "header: %u bytes of data (limit %u)", h->dl,
				       VIGIL_RPM_MAX_DATA_SIZE);
	size_t need = 8 + (size_t)h->il * INDEX_ENTRY_SIZE + h->dl;
	if (need != len)
		return vigil_error_set(VIGIL_EFORMAT,
				       "header: blob is %zu bytes, its %u entries and %u bytes of data make %zu",
				       len, h->il, h->dl, need);
	h->index = blob + 8;
	h->data = h->index + (size_t)h->il * INDEX_ENTRY_SIZE;
	int rc = verify_region(h);
	if (rc < 0)
		return rc;
	return verify_entries(h);
}

/* ---- extraction ---- */

/* The last entry of each tag a scanner reads (later entries, rpm's
 * "dribbles" outside the region, override earlier ones). */
struct wanted {
	struct entry name, version, release, epoch, size, longsize, vendor, license, packager,
		arch, sourcerpm, sigmd5, module;
	/* the file list, read only when ctx->file asks (types checked then) */
	struct entry dirindexes, basenames, dirnames;
	/* what ctx->file_detail gets besides (types checked then) */
	struct entry states, modes, digests, flags, algo, verify;
};

static struct entry *wanted_slot(struct wanted *w, uint32_t tag)
{
	switch (tag) {
	case TAG_NAME: return &w->name;
	case TAG_VERSION: return &w->version;
	case TAG_RELEASE: return &w->release;
	case TAG_EPOCH: return &w->epoch;
	case TAG_SIZE: return &w->size;
	case TAG_LONGSIZE: return &w->longsize;
	case TAG_VENDOR: return &w->vendor;
	case TAG_LICENSE: return &w->license;
	case TAG_PACKAGER: return &w->packager;
	case TAG_ARCH: return &w->arch;
	case TAG_SOURCERPM: return &w->sourcerpm;
	case TAG_SIGMD5: return &w->sigmd5;
	case TAG_MODULARITYLABEL: return &w->module;
	case TAG_DIRINDEXES: return &w->dirindexes;
	case TAG_BASENAMES: return &w->basenames;
	case TAG_DIRNAMES: return &w->dirnames;
	case TAG_FILESTATES: return &w->states;
	case TAG_FILEMODES: return &w->modes;
	case TAG_FILEDIGESTS: return &w->digests;
	case TAG_FILEFLAGS: return &w->flags;
	case TAG_FILEDIGESTALGO: return &w->algo;
	case TAG_FILEVERIFYFLAGS: return &w->verify;
	default: return NULL;
	}
}

static uint32_t wanted_type(uint32_t tag)
{
	switch (tag) {
	case TAG_EPOCH:
	case TAG_SIZE: return RPM_INT32_TYPE;
	case TAG_LONGSIZE: return RPM_INT64_TYPE;
	case TAG_SIGMD5: return RPM_BIN_TYPE;
	default: return RPM_STRING_TYPE;
	}
}

static int collect(const struct hdr *h, struct wanted *w)
{
	memset(w, 0, sizeof(*w));
	for (uint32_t i = h->ril ? 1 : 0; i < h->il; i++) {
		struct entry e;
		entry_at(h, i, &e);
		struct entry *slot = wanted_slot(w, e.tag);
		if (!slot)
			continue;
		if (e.tag == TAG_DIRINDEXES || e.tag == TAG_BASENAMES || e.tag == TAG_DIRNAMES ||
		    (e.tag >= TAG_FILESTATES && e.tag <= TAG_FILEFLAGS) || e.tag == TAG_FILEDIGESTALGO ||
		    e.tag == TAG_FILEVERIFYFLAGS) {
			*slot = e;
			continue;
		}
		if (e.type != wanted_type(e.tag))
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: entry %u: tag %u has type %u, want %u", i, e.tag,
					       e.type, wanted_type(e.tag));
		*slot = e; /* count >= 1 was checked: e.tag != 0 marks it present */
	}
	return 0;
}

/* The code of a failed scan_str() (it sets the error). */
static int intern_failed(void)
{
	int code = vigil_error_code();
	return code < 0 ? code : vigil_error_oom();
}

/* A string entry (type and termination checked), interned; NULL when absent. */
static int get_str(vigil_scan_ctx *ctx, const struct hdr *h, const struct entry *e,
		   vigil_slice *sl, const char **out)
{
	*out = NULL;
	if (!e->tag)
		return 0;
	const char *p = (const char *)h->data + e->offset;
	size_t n = strnlen(p, h->dl - e->offset);
	if (sl)
		*sl = vigil_slice_make(p, n);
	*out = scan_str(ctx, p, n);
	return *out ? 0 : intern_failed();
}

static uint64_t get_u64(const struct hdr *h, const struct entry *e)
{
	const uint8_t *p = h->data + e->offset;
	if (e->type == RPM_INT64_TYPE)
		return (uint64_t)vigil_rpm_be32(p) << 32 | vigil_rpm_be32(p + 4);
	return vigil_rpm_be32(p);
}

/* "util-linux-2.32.1-42.el8_8.src.rpm" -> "util-linux", "2.32.1-42.el8_8". */
static int set_source(vigil_scan_ctx *ctx, vigil_slice srpm, vigil_package *p)
{
	vigil_slice s = srpm;
	if (vigil_slice_ends_with(s, ".src.rpm"))
		s.len -= strlen(".src.rpm");
	else if (vigil_slice_ends_with(s, ".nosrc.rpm"))
		s.len -= strlen(".nosrc.rpm");
	else
		goto malformed;
	ptrdiff_t rel = vigil_slice_rfind(s, '-');
	if (rel <= 0 || (size_t)rel + 1 == s.len)
		goto malformed;
	ptrdiff_t ver = vigil_slice_rfind(vigil_slice_sub(s, 0, (size_t)rel), '-');
	if (ver <= 0 || ver + 1 == rel)
		goto malformed;
	p->source_name = scan_str(ctx, s.ptr, (size_t)ver);
	p->source_version = scan_str(ctx, s.ptr + ver + 1, s.len - (size_t)ver - 1);
	if (!p->source_name || !p->source_version)
		return intern_failed();
	return 0;
malformed:
	scan_warn(ctx, "package %s: SOURCERPM \"%.*s\" is not name-version-release.src.rpm",
			p->name, (int)(srpm.len > 200 ? 200 : srpm.len), srpm.ptr);
	return 0;
}

static int set_sigmd5(vigil_scan_ctx *ctx, const struct hdr *h, const struct entry *e,
		      vigil_package *p)
{
	char buf[2 * SIGMD5_SIZE + 1];
	if (!e->tag)
		return 0;
	if (e->count != SIGMD5_SIZE)
		return vigil_error_set(VIGIL_EFORMAT, "header: SIGMD5 is %u bytes, want %d", e->count,
				       SIGMD5_SIZE);
	const uint8_t *d = h->data + e->offset;
	vigil_hex_encode(d, SIGMD5_SIZE, buf);
	p->sigmd5 = scan_str(ctx, buf, 2 * SIGMD5_SIZE);
	return p->sigmd5 ? 0 : intern_failed();
}

/* package.version: "V-R", or "E:V-R" when the epoch is present and not 0
 * (as claircore and rpm's EVR comparison have it: no epoch equals epoch 0).
 * package.epoch keeps the raw value either way. */
static int set_version(vigil_scan_ctx *ctx, const struct hdr *h, const struct wanted *w,
		       vigil_package *p)
{
	char num[16] = "";
	if (w->epoch.tag) {
		uint32_t epoch = (uint32_t)get_u64(h, &w->epoch);
		int n = snprintf(num, sizeof(num), "%u", epoch);
		if (!(p->epoch = scan_str(ctx, num, (size_t)n)))
			return intern_failed();
		if (epoch == 0)
			num[0] = '\0';
	}
	size_t vlen = strlen(p->upstream_version), rlen = strlen(p->release);
	size_t elen = strlen(num);
	if (vlen + rlen + elen + 3 > VIGIL_RPM_MAX_VERSION_LEN)
		return vigil_error_set(VIGIL_ELIMIT, "header: package %s: version longer than %d bytes",
				       p->name, VIGIL_RPM_MAX_VERSION_LEN);
	char buf[VIGIL_RPM_MAX_VERSION_LEN];
	int n = snprintf(buf, sizeof(buf), "%s%s%s-%s", num, elen ? ":" : "", p->upstream_version,
			 p->release);
	if (!(p->version = scan_str(ctx, buf, (size_t)n)))
		return intern_failed();
	return 0;
}

static int fill(vigil_scan_ctx *ctx, const struct hdr *h, const struct wanted *w,
		vigil_package *p)
{
	vigil_slice srpm = { 0 };
	int rc;
	memset(p, 0, sizeof(*p));
	p->type = VIGIL_PKG_RPM;
	if (!w->name.tag)
		return vigil_error_set(VIGIL_EFORMAT, "header: no NAME tag");
	if ((rc = get_str(ctx, h, &w->name, NULL, &p->name)) < 0)
		return rc;
	if (!w->version.tag || !w->release.tag)
		return vigil_error_set(VIGIL_EFORMAT, "header: package %s: no %s tag", p->name,
				       w->version.tag ? "RELEASE" : "VERSION");
	if ((rc = get_str(ctx, h, &w->version, NULL, &p->upstream_version)) < 0 ||
	    (rc = get_str(ctx, h, &w->release, NULL, &p->release)) < 0 ||
	    (rc = get_str(ctx, h, &w->arch, NULL, &p->arch)) < 0 ||
	    (rc = get_str(ctx, h, &w->sourcerpm, &srpm, &p->source_rpm)) < 0 ||
	    (rc = get_str(ctx, h, &w->module, NULL, &p->module)) < 0 ||
	    (rc = get_str(ctx, h, &w->vendor, NULL, &p->vendor)) < 0 ||
	    (rc = get_str(ctx, h, &w->license, NULL, &p->license)) < 0 ||
	    (rc = get_str(ctx, h, &w->packager, NULL, &p->maintainer)) < 0)
		return rc;
	if ((rc = set_version(ctx, h, w, p)) < 0 || (rc = set_sigmd5(ctx, h, &w->sigmd5, p)) < 0)
		return rc;
	if (w->longsize.tag)
		p->installed_size = get_u64(h, &w->longsize);
	else if (w->size.tag)
		p->installed_size = get_u64(h, &w->size);
	if (p->source_rpm && vigil_slice_eq_cstr(srpm, "(none)"))
		p->source_rpm = NULL; /* what rpm writes in gpg-pubkey headers */
	if (p->source_rpm && (rc = set_source(ctx, srpm, p)) < 0)
		return rc;
	if (ctx->path && !(p->package_db = scan_str(ctx, ctx->path, strlen(ctx->path))))
		return intern_failed();
	return 0;
}

/* The per-file tags ctx->file_detail gets: each absent or with one item
 * of the right type per file (FILESTATES is CHAR or INT8). */
static int detail_check(const struct wanted *w, uint32_t files, const char *name)
{
	const struct { const struct entry *e; uint32_t type, alt; const char *tag; } t[] = {
		{ &w->states, RPM_CHAR_TYPE, RPM_INT8_TYPE, "FILESTATES" },
		{ &w->modes, RPM_INT16_TYPE, RPM_INT16_TYPE, "FILEMODES" },
		{ &w->digests, RPM_STRING_ARRAY_TYPE, RPM_STRING_ARRAY_TYPE, "FILEDIGESTS" },
		{ &w->flags, RPM_INT32_TYPE, RPM_INT32_TYPE, "FILEFLAGS" },
		{ &w->verify, RPM_INT32_TYPE, RPM_INT32_TYPE, "FILEVERIFYFLAGS" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e->tag && ((t[i].e->type != t[i].type && t[i].e->type != t[i].alt) ||
				    t[i].e->count != files))
			return vigil_error_set(VIGIL_EFORMAT,
					       "header: package %s: %s has type %u and %u items for %u files",
					       name, t[i].tag, t[i].e->type, t[i].e->count, files);
	if (w->algo.tag && w->algo.type != RPM_INT32_TYPE)
		return vigil_error_set(VIGIL_EFORMAT, "header: package %s: FILEDIGESTALGO has type %u",
				       name, w->algo.type);
	return 0;
}

/* File i's detail; *dig walks the FILEDIGESTS strings. */
static void detail_at(const struct hdr *h, const struct wanted *w, uint32_t i, const char **dig,
		      vigil_file_detail *d)
{
	d->algo = w->algo.tag ? vigil_rpm_be32(h->data + w->algo.offset) : 1;
	d->flags = w->flags.tag ? vigil_rpm_be32(h->data + w->flags.offset + 4 * (size_t)i) : 0;
	d->verify = w->verify.tag ? vigil_rpm_be32(h->data + w->verify.offset + 4 * (size_t)i)
				  : UINT32_MAX;
	d->mode = 0;
	if (w->modes.tag) {
		const uint8_t *m = h->data + w->modes.offset + 2 * (size_t)i;
		d->mode = (uint16_t)(m[0] << 8 | m[1]);
	}
	d->state = w->states.tag ? (int8_t)h->data[w->states.offset + i] : 0;
	d->digest = "";
	if (*dig) {
		d->digest = *dig;
		*dig += strlen(*dig) + 1;
	}
}

/* Hands every file of the header (DIRNAMES[DIRINDEXES[i]] + BASENAMES[i])
 * to ctx->file. Entry extents were checked by hdr_open(): every string of
 * an array ends inside the data store. A header without BASENAMES (no
 * files, or rpm < 4.0's OLDFILENAMES, which vigil does not read) gives none. */
static int hdr_files(vigil_scan_ctx *ctx, const struct hdr *h, const struct wanted *w,
		     const char *name)
{
	const struct entry *di = &w->dirindexes, *bn = &w->basenames, *dn = &w->dirnames;
	char path[VIGIL_RPM_MAX_PATH + 1];
	uint32_t *dirs = NULL;
	int rc = 0;
	if (!bn->tag)
		return 0;
	if (!di->tag || !dn->tag || bn->type != RPM_STRING_ARRAY_TYPE ||
	    dn->type != RPM_STRING_ARRAY_TYPE || di->type != RPM_INT32_TYPE || di->count != bn->count)
		return vigil_error_set(VIGIL_EFORMAT,
				       "header: package %s: BASENAMES, DIRNAMES and DIRINDEXES do not agree",
				       name);
	if (bn->count > VIGIL_RPM_MAX_FILES || dn->count > VIGIL_RPM_MAX_FILES)
		return vigil_error_set(VIGIL_ELIMIT, "header: package %s: more than %d files", name,
				       VIGIL_RPM_MAX_FILES);
	if (ctx->file_detail && (rc = detail_check(w, bn->count, name)) < 0)
		return rc;
	if (!(dirs = malloc(dn->count * sizeof(*dirs))))
		return vigil_error_oom();
	const char *dig = ctx->file_detail && w->digests.tag ? (const char *)h->data + w->digests.offset
							     : NULL;
	for (uint32_t i = 0, off = dn->offset; i < dn->count; i++) {
		dirs[i] = off;
		off += (uint32_t)strlen((const char *)h->data + off) + 1;
	}
	const char *b = (const char *)h->data + bn->offset;
	for (uint32_t i = 0; i < bn->count && rc == 0; i++) {
		uint32_t d = vigil_rpm_be32(h->data + di->offset + 4 * (size_t)i);
		const char *dir = d < dn->count ? (const char *)h->data + dirs[d] : NULL;
		size_t bl = strlen(b), dl = dir ? strlen(dir) : 0;
		if (!dir) {
			rc = vigil_error_set(VIGIL_EFORMAT, "header: package %s: file %u: DIRINDEXES %u of %u",
					     name, i, d, dn->count);
		} else if (dl + bl <= VIGIL_RPM_MAX_PATH) {
			memcpy(path, dir, dl);
			memcpy(path + dl, b, bl);
			vigil_file_detail fd = { .path = vigil_slice_make(path, dl + bl) };
			if (ctx->file)
				rc = ctx->file(ctx->file_ud, VIGIL_PKG_RPM, name, fd.path);
			if (rc == 0 && ctx->file_detail) {
				detail_at(h, w, i, &dig, &fd); /* extents checked by detail_check() */
				rc = ctx->file_detail(ctx->file_detail_ud, name, &fd);
			}
		} else if (dig) {
			dig += strlen(dig) + 1; /* a path over the limit: skipped, its digest too */
		}
		b += bl + 1;
	}
	free(dirs);
	return rc;
}

int scan_rpm_header_parse(vigil_scan_ctx *ctx, const uint8_t *blob, size_t len,
			   vigil_package *out)
{
	struct hdr h;
	struct wanted w;
	int rc;
	if (!ctx || (!blob && len) || !out)
		return vigil_error_set(VIGIL_EINVAL, "rpm header: bad arguments");
	if ((rc = hdr_open(&h, blob, len)) < 0 || (rc = collect(&h, &w)) < 0 ||
	    (rc = fill(ctx, &h, &w, out)) < 0)
		return rc;
	return ctx->file || ctx->file_detail ? hdr_files(ctx, &h, &w, out->name) : 0;
}

int scan_rpm_add_blob(vigil_scan_ctx *ctx, const uint8_t *blob, size_t len, const char *where,
		       vigil_pkg_list *out)
{
	vigil_package pkg, *slot;
	int rc = scan_rpm_header_parse(ctx, blob, len, &pkg);
	if (rc < 0) {
		vigil_error_prefix("%s: ", where);
		return rc;
	}
	/* gpg-pubkey entries (keys rpm keeps as pseudo-packages) are kept, as
	 * rpm -qa lists them: the inventory is what rpm says is installed. They
	 * have no arch and no source rpm, and no feed names them. */
	if ((rc = scan_pkg_list_push(out, &slot)) < 0)
		return rc;
	*slot = pkg;
	return 0;
}
