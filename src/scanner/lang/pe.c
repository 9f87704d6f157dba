/* scanner/lang/pe.c: .NET assemblies (*.dll, *.exe), read as osv-scalibr's
 * dotnetpe extractor reads them: the rows of the assembly's .NET metadata
 * (pe_meta.c), else, for a file without them (the native "apphost"
 * launcher HelloWorldApp.exe of a framework-dependent app), the version
 * resource's "InternalName" and "Assembly Version" strings
 * ("HelloWorldApp.dll" 1.0.0.0). A PE file with neither (a native DLL)
 * gives nothing; a file that is not a PE file (no "MZ", no "PE\0\0") is
 * VIGIL_EFORMAT.
 *
 * Streamed (parse_stream): assemblies may be large, and only a few parts
 * are needed. The first VIGIL_LANG_PE_MAX_HEADERS bytes are kept (DOS, COFF
 * and optional headers, the section table; small assemblies are whole in
 * it); a later part is read when asked for, skipping forward to it, into a
 * buffer of its size (a part that begins in the first bytes is copied from
 * them and completed from the stream) (the CLR header, then the metadata block, at most
 * VIGIL_LANG_PE_MAX_METADATA; then the resource section, at most
 * VIGIL_LANG_PE_MAX_RESOURCES). The parts are asked for in file order as
 * compilers lay them out (.text before .rsrc); a part behind what was
 * already read cannot be read again and ends the parse with
 * VIGIL_EFORMAT ("... before ..."), a warning for the file. Memory is the
 * headers plus the largest part. */
#include "scanner/lang/rpn.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PE_DIR_RESOURCE 2
#define PE_DIR_CLR 14
#define PE_RT_VERSION 16
#define PE_MAX_SECTIONS 96
#define PE_MAX_RES_DEPTH 8 /* version blocks nest 3 deep */
#define PE_SKIP_BUF ((size_t)64 * 1024)

struct pe_section {
	uint32_t va, vsize, raw_off, raw_size;
};

struct pe {
	vigil_scan_ctx *ctx;
	vigil_istream *in;
	uint64_t size;
	uint8_t *head;      /* the first head_len bytes */
	size_t head_len;
	uint64_t pos;       /* bytes of the stream consumed */
	uint8_t *part;      /* the last part read beyond head */
	uint8_t *skip;      /* PE_SKIP_BUF bytes for the skipped ones */
	struct pe_section sec[PE_MAX_SECTIONS];
	unsigned nsec;
	uint32_t dir_rva[16], dir_size[16];
};

static uint32_t pe_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t pe_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The file offset of rva (false: in no section). */
static bool pe_rva_off(const struct pe *pe, uint32_t rva, uint64_t *off)
{
	for (unsigned i = 0; i < pe->nsec; i++) {
		const struct pe_section *s = &pe->sec[i];
		uint32_t span = s->vsize > s->raw_size ? s->vsize : s->raw_size;
		if (rva >= s->va && rva - s->va < span && rva - s->va < s->raw_size) {
			*off = (uint64_t)s->raw_off + (rva - s->va);
			return true;
		}
	}
	return false;
}

/* Points *out at n bytes of the file from off (in head, or read forward into
 * pe->part, valid until the next call; a part may begin in head). what
 * names the part in messages. */
static int pe_get(struct pe *pe, uint64_t off, size_t n, const char *what, const uint8_t **out)
{
	size_t have = 0;
	uint64_t start = off;
	ssize_t got;
	if (off > pe->size || n > pe->size - off)
		return vigil_error_set(VIGIL_EFORMAT, "%s: past the end of the file", what);
	if (off + n <= pe->head_len) {
		*out = pe->head + off;
		return 0;
	}
	if ((off < pe->head_len && pe->pos != pe->head_len) || (off >= pe->head_len && off < pe->pos))
		return vigil_error_set(VIGIL_EFORMAT, "%s: before a part already read", what);
	free(pe->part);
	if (!(pe->part = malloc(n)))
		return vigil_error_oom();
	if (off < pe->head_len) {
		have = pe->head_len - (size_t)off;
		memcpy(pe->part, pe->head + off, have);
		start = pe->head_len;
	}
	if (pe->pos < start && !pe->skip && !(pe->skip = malloc(PE_SKIP_BUF)))
		return vigil_error_oom();
	while (pe->pos < start) {
		uint64_t want = start - pe->pos < PE_SKIP_BUF ? start - pe->pos : PE_SKIP_BUF;
		got = vigil_istream_read_full(pe->in, pe->skip, (size_t)want);
		if (got < 0)
			return (int)got;
		if ((uint64_t)got != want)
			return vigil_error_set(VIGIL_EFORMAT, "%s: file shorter than said", what);
		pe->pos += want;
	}
	got = vigil_istream_read_full(pe->in, pe->part + have, n - have);
	if (got < 0)
		return (int)got;
	if ((size_t)got != n - have)
		return vigil_error_set(VIGIL_EFORMAT, "%s: file shorter than said", what);
	pe->pos += n - have;
	*out = pe->part;
	return 0;
}

/* DOS, COFF and optional headers and the section table, from head. */
static int pe_headers(struct pe *pe)
{
	const uint8_t *h = pe->head;
	size_t len = pe->head_len, opt, sect;
	uint32_t lfanew, ndirs;
	uint16_t magic, optsize;
	if (len < 64 || h[0] != 'M' || h[1] != 'Z')
		return vigil_error_set(VIGIL_EFORMAT, "not a PE file: no MZ header");
	lfanew = pe_u32(h + 0x3C);
	if (lfanew > len - 24 || memcmp(h + lfanew, "PE\0\0", 4) != 0)
		return vigil_error_set(VIGIL_EFORMAT, "not a PE file: no PE signature");
	pe->nsec = pe_u16(h + lfanew + 6);
	optsize = pe_u16(h + lfanew + 20);
	opt = (size_t)lfanew + 24;
	if (pe->nsec > PE_MAX_SECTIONS || optsize < 2 || opt + optsize > len)
		return vigil_error_set(VIGIL_EFORMAT, "PE headers: %u sections, optional header of %u bytes",
				       pe->nsec, optsize);
	magic = pe_u16(h + opt);
	if (magic != 0x10b && magic != 0x20b)
		return vigil_error_set(VIGIL_EFORMAT, "PE optional header: magic 0x%x", magic);
	size_t dd = opt + (magic == 0x10b ? 96 : 112);
	if (dd > opt + optsize)
		return vigil_error_set(VIGIL_EFORMAT, "PE optional header: no data directories");
	ndirs = pe_u32(h + dd - 4);
	for (uint32_t i = 0; i < 16 && i < ndirs && dd + 8 * (i + 1) <= opt + optsize; i++) {
		pe->dir_rva[i] = pe_u32(h + dd + 8 * i);
		pe->dir_size[i] = pe_u32(h + dd + 8 * i + 4);
	}
	sect = opt + optsize;
	if (sect + (size_t)pe->nsec * 40 > len)
		return vigil_error_set(VIGIL_EFORMAT, "PE section table outside the headers");
	for (unsigned i = 0; i < pe->nsec; i++) {
		const uint8_t *s = h + sect + 40 * i;
		pe->sec[i] = (struct pe_section){ pe_u32(s + 12), pe_u32(s + 8), pe_u32(s + 20),
						  pe_u32(s + 16) };
	}
	return 0;
}

/* The CLR header, then the metadata block it points to. */
static int pe_clr(struct pe *pe, vigil_pkg_list *out)
{
	const uint8_t *clr, *md;
	uint64_t off;
	uint32_t md_rva, md_size;
	int rc;
	if (!pe_rva_off(pe, pe->dir_rva[PE_DIR_CLR], &off))
		return vigil_error_set(VIGIL_EFORMAT, "CLR header: RVA 0x%x in no section",
				       pe->dir_rva[PE_DIR_CLR]);
	if ((rc = pe_get(pe, off, 72, "CLR header", &clr)) < 0)
		return rc;
	md_rva = pe_u32(clr + 8);
	md_size = pe_u32(clr + 12);
	if (md_size > VIGIL_LANG_PE_MAX_METADATA)
		return vigil_error_set(VIGIL_ELIMIT, "metadata of %u bytes (limit %zu)", md_size,
				       VIGIL_LANG_PE_MAX_METADATA);
	if (!pe_rva_off(pe, md_rva, &off))
		return vigil_error_set(VIGIL_EFORMAT, "metadata: RVA 0x%x in no section", md_rva);
	if ((rc = pe_get(pe, off, md_size, "metadata", &md)) < 0)
		return rc;
	return scan_pe_metadata(pe->ctx, md, md_size, out);
}

/* What the version resource gives. */
struct pe_ver {
	char name[VIGIL_LANG_MAX_NAME + 1], version[VIGIL_LANG_MAX_VERSION + 1];
};

static size_t pe_align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* Whether the UTF-16LE key at p (n bytes available, NUL-terminated) is s. */
static bool pe_key_is(const uint8_t *p, size_t n, const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (2 * i + 1 >= n || pe_u16(p + 2 * i) != (uint8_t)s[i])
			return false;
	return 2 * i + 1 < n && pe_u16(p + 2 * i) == 0;
}

/* A UTF-16LE text value into out (ASCII; anything else makes it '?', which
 * no name or version passes). */
static void pe_text(const uint8_t *p, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i + 1 < n && o + 1 < size; i += 2) {
		uint16_t c = pe_u16(p + i);
		if (c == 0)
			break;
		out[o++] = c < 0x80 ? (char)c : '?';
	}
	out[o] = '\0';
}

/* One block of VS_VERSIONINFO at d[off..off+len) (wLength, wValueLength,
 * wType, the UTF-16 key, padding, the value, padding, child blocks), its
 * children walked to PE_MAX_RES_DEPTH. */
static void pe_vs_block(const uint8_t *d, size_t off, size_t len, int depth, struct pe_ver *v)
{
	size_t blen, vlen, key = off + 6, k, val, child;
	if (len < 6 || depth > PE_MAX_RES_DEPTH)
		return;
	blen = pe_u16(d + off);
	if (blen < 6 || blen > len)
		return;
	vlen = pe_u16(d + off + 2);
	if (pe_u16(d + off + 4) == 1)
		vlen *= 2; /* text: in 16-bit words */
	for (k = key; k + 1 < off + blen && pe_u16(d + k) != 0; k += 2)
		;
	val = pe_align4(k + 2);
	if (val > off + blen)
		return;
	if (vlen > off + blen - val)
		vlen = off + blen - val;
	if (pe_key_is(d + key, off + blen - key, "InternalName"))
		pe_text(d + val, vlen, v->name, sizeof(v->name));
	else if (pe_key_is(d + key, off + blen - key, "Assembly Version"))
		pe_text(d + val, vlen, v->version, sizeof(v->version));
	for (child = pe_align4(val + vlen); child + 6 <= off + blen;) {
		size_t clen = pe_u16(d + child);
		if (clen < 6)
			break;
		pe_vs_block(d, child, off + blen - child, depth + 1, v);
		child = pe_align4(child + clen);
	}
}

/* The entry of the resource directory at r[dir..] with this id (any when
 * id < 0): its offset field, or false. */
static bool pe_res_entry(const uint8_t *r, size_t rlen, uint32_t dir, long id, uint32_t *to)
{
	uint32_t named, ids;
	if ((size_t)dir + 16 > rlen)
		return false;
	named = pe_u16(r + dir + 12);
	ids = pe_u16(r + dir + 14);
	for (uint32_t i = 0; i < named + ids; i++) {
		size_t e = (size_t)dir + 16 + 8 * (size_t)i;
		if (e + 8 > rlen)
			return false;
		if (id < 0 || (i >= named && pe_u32(r + e) == (uint32_t)id)) {
			*to = pe_u32(r + e + 4);
			return true;
		}
	}
	return false;
}

/* RT_VERSION -> first name -> first language -> the data entry. */
static int pe_version(struct pe *pe, vigil_pkg_list *out)
{
	const uint8_t *r;
	uint64_t off;
	uint32_t rva = pe->dir_rva[PE_DIR_RESOURCE], rlen = pe->dir_size[PE_DIR_RESOURCE], to = 0;
	uint32_t data_rva, data_len;
	struct pe_ver v = { "", "" };
	int rc;
	if (rlen > VIGIL_LANG_PE_MAX_RESOURCES)
		return vigil_error_set(VIGIL_ELIMIT, "resources of %u bytes (limit %zu)", rlen,
				       VIGIL_LANG_PE_MAX_RESOURCES);
	if (!pe_rva_off(pe, rva, &off))
		return vigil_error_set(VIGIL_EFORMAT, "resources: RVA 0x%x in no section", rva);
	if ((rc = pe_get(pe, off, rlen, "resources", &r)) < 0)
		return rc;
	if (!pe_res_entry(r, rlen, 0, PE_RT_VERSION, &to) || !(to & 0x80000000u) ||
	    !pe_res_entry(r, rlen, to & 0x7FFFFFFFu, -1, &to) || !(to & 0x80000000u) ||
	    !pe_res_entry(r, rlen, to & 0x7FFFFFFFu, -1, &to) || (to & 0x80000000u) ||
	    (size_t)to + 8 > rlen)
		return 0; /* no version resource */
	data_rva = pe_u32(r + to);
	data_len = pe_u32(r + to + 4);
	if (data_rva < rva || data_rva - rva > rlen || data_len > rlen - (data_rva - rva))
		return vigil_error_set(VIGIL_EFORMAT, "version resource outside the resources");
	pe_vs_block(r + (data_rva - rva), 0, data_len, 0, &v);
	if (!v.name[0] || !v.version[0])
		return 0;
	return scan_rpn_add(pe->ctx, VIGIL_PKG_NUGET, vigil_slice_cstr(v.name),
			    vigil_slice_cstr(v.version), 0, "version resource", out);
}

static int pe_run(struct pe *pe, vigil_pkg_list *out)
{
	size_t from = out->len;
	int rc = pe_headers(pe);
	if (rc < 0)
		return rc;
	if (pe->dir_rva[PE_DIR_CLR] && pe->dir_size[PE_DIR_CLR] &&
	    (rc = pe_clr(pe, out)) < 0)
		return rc;
	if (out->len > from || !pe->dir_rva[PE_DIR_RESOURCE] || !pe->dir_size[PE_DIR_RESOURCE])
		return 0;
	return pe_version(pe, out);
}

bool scan_lang_pe_path(vigil_slice path)
{
	ptrdiff_t s = vigil_slice_rfind(path, '/');
	vigil_slice file = s < 0 ? path : vigil_slice_sub(path, (size_t)s + 1, path.len);
	if (file.len <= 4)
		return false;
	return strncasecmp(file.ptr + file.len - 4, ".dll", 4) == 0 ||
	       strncasecmp(file.ptr + file.len - 4, ".exe", 4) == 0;
}

int scan_lang_pe_parse_stream(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
			      vigil_pkg_list *out)
{
	struct pe pe = { .ctx = ctx, .in = in, .size = size };
	ssize_t got;
	int rc;
	if (size > VIGIL_LANG_PE_MAX_SIZE)
		return vigil_error_set(VIGIL_ELIMIT, "assembly of %llu bytes (limit %llu)",
				       (unsigned long long)size,
				       (unsigned long long)VIGIL_LANG_PE_MAX_SIZE);
	pe.head_len = size < VIGIL_LANG_PE_MAX_HEADERS ? (size_t)size : VIGIL_LANG_PE_MAX_HEADERS;
	if (!(pe.head = malloc(pe.head_len ? pe.head_len : 1)))
		return vigil_error_oom();
	got = vigil_istream_read_full(in, pe.head, pe.head_len);
	if (got < 0) {
		rc = (int)got;
		goto out;
	}
	if ((size_t)got < pe.head_len)
		pe.size = (uint64_t)got; /* shorter than the tar header said */
	pe.head_len = (size_t)got;
	pe.pos = (uint64_t)got;
	rc = pe_run(&pe, out);
out:
	free(pe.head);
	free(pe.part);
	free(pe.skip);
	return rc;
}

int scan_lang_pe_parse(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out)
{
	vigil_istream *in = NULL;
	int rc = vigil_istream_from_mem(data, len, &in);
	if (rc < 0)
		return rc;
	rc = scan_lang_pe_parse_stream(ctx, in, len, out);
	vigil_istream_close(in);
	return rc;
}
