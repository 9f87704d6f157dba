/* scanner/lang/exe.c: executables as streams: the format from the magic
 * (ELF 32/64 either byte order, Mach-O 32/64/fat, PE32/PE32+), the map of
 * loaded segments from the headers at the file's start (ELF program
 * headers, Mach-O segment load commands, the PE section table), and the
 * driver that reads the file once and feeds the Go build-info reader
 * (gobin.c) and the cargo-auditable reader (cargo_audit.c).
 *
 * Anything else (scripts, data, a shared library's linker script, a text
 * file with an execute bit) is left after its first bytes: zero packages,
 * no warning, no further read (the tar walk skips the rest). Memory: the
 * head (EXE_HEAD), one chunk (EXE_CHUNK) and the readers' own bounds. */
#define _GNU_SOURCE /* memmem */
#include "scanner/lang/exe.h"
#include "scanner/lang/gorust.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

uint64_t exe_uint(const exe_info *x, const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[x->be ? n - 1 - i : i] << (8 * i);
	return v;
}

static void exe_add_seg(exe_info *x, uint64_t vaddr, uint64_t memsz, uint64_t off,
			uint64_t filesz, bool writable)
{
	if (x->nsegs < EXE_MAX_SEGS)
		x->segs[x->nsegs++] = (exe_seg){ vaddr, memsz, off, filesz, writable };
}

static void elf_sniff(const uint8_t *p, size_t n, exe_info *x)
{
	bool is64 = p[4] == 2;
	uint64_t phoff = exe_uint(x, p + (is64 ? 32 : 28), is64 ? 8 : 4);
	unsigned phentsize = (unsigned)exe_uint(x, p + (is64 ? 54 : 42), 2);
	unsigned phnum = (unsigned)exe_uint(x, p + (is64 ? 56 : 44), 2);
	static const uint8_t note_le[8] = { 4, 0, 0, 0, 'G', 'o', 0, 0 };
	static const uint8_t note_be[8] = { 0, 0, 0, 4, 'G', 'o', 0, 0 };
	x->ptrsize = is64 ? 8 : 4;
	if (phentsize >= (is64 ? 56u : 32u) && phoff < n && phnum <= (n - phoff) / phentsize) {
		for (unsigned i = 0; i < phnum; i++) {
			const uint8_t *h = p + phoff + (size_t)i * phentsize;
			if (exe_uint(x, h, 4) != 1) /* PT_LOAD */
				continue;
			uint64_t off, va, fsz, msz, flags;
			if (is64) {
				flags = exe_uint(x, h + 4, 4);
				off = exe_uint(x, h + 8, 8);
				va = exe_uint(x, h + 16, 8);
				fsz = exe_uint(x, h + 32, 8);
				msz = exe_uint(x, h + 40, 8);
			} else {
				off = exe_uint(x, h + 4, 4);
				va = exe_uint(x, h + 8, 4);
				fsz = exe_uint(x, h + 16, 4);
				msz = exe_uint(x, h + 20, 4);
				flags = exe_uint(x, h + 24, 4);
			}
			exe_add_seg(x, va, msz, off, fsz, (flags & 2) != 0);
			if (off + fsz > x->load_end && off + fsz >= off)
				x->load_end = off + fsz;
		}
	}
	x->go_hint = memmem(p, n, x->be ? note_be : note_le, 8) != NULL;
}

static void macho_sniff(const uint8_t *p, size_t n, exe_info *x, bool is64)
{
	size_t at = is64 ? 32 : 28;
	uint64_t ncmds = exe_uint(x, p + 16, 4);
	x->ptrsize = is64 ? 8 : 4;
	for (uint64_t i = 0; i < ncmds && at + 8 <= n; i++) {
		uint64_t cmd = exe_uint(x, p + at, 4), size = exe_uint(x, p + at + 4, 4);
		if (size < 8 || size > n - at)
			break;
		if (cmd == 0x19 && size >= 72) /* LC_SEGMENT_64 */
			exe_add_seg(x, exe_uint(x, p + at + 24, 8), exe_uint(x, p + at + 32, 8),
				    exe_uint(x, p + at + 40, 8), exe_uint(x, p + at + 48, 8),
				    (exe_uint(x, p + at + 60, 4) & 2) != 0);
		else if (cmd == 0x1 && size >= 56) /* LC_SEGMENT */
			exe_add_seg(x, exe_uint(x, p + at + 24, 4), exe_uint(x, p + at + 28, 4),
				    exe_uint(x, p + at + 32, 4), exe_uint(x, p + at + 36, 4),
				    (exe_uint(x, p + at + 44, 4) & 2) != 0);
		at += size;
	}
	x->go_hint = memmem(p, n, "__go_buildinfo", 14) || memmem(p, n, "__gopclntab", 11);
}

static bool pe_sniff(const uint8_t *p, size_t n, exe_info *x)
{
	uint64_t pe = exe_uint(x, p + 0x3c, 4), image_base;
	if (pe > n || n - pe < 24 + 2 || memcmp(p + pe, "PE\0\0", 4) != 0)
		return false;
	unsigned nsect = (unsigned)exe_uint(x, p + pe + 6, 2);
	size_t opt = pe + 24, optsize = (size_t)exe_uint(x, p + pe + 20, 2);
	uint64_t magic = exe_uint(x, p + opt, 2);
	if (magic == 0x20b && optsize >= 32 && opt + 32 <= n) {
		x->ptrsize = 8;
		image_base = exe_uint(x, p + opt + 24, 8);
	} else if (magic == 0x10b && optsize >= 32 && opt + 32 <= n) {
		x->ptrsize = 4;
		image_base = exe_uint(x, p + opt + 28, 4);
	} else {
		return false;
	}
	size_t sect = opt + optsize;
	for (unsigned i = 0; i < nsect && sect <= n && n - sect >= 40; i++, sect += 40) {
		const uint8_t *s = p + sect;
		exe_add_seg(x, image_base + exe_uint(x, s + 12, 4), exe_uint(x, s + 8, 4),
			    exe_uint(x, s + 20, 4), exe_uint(x, s + 16, 4),
			    (exe_uint(x, s + 36, 4) & 0x80000000u) != 0);
	}
	x->go_hint = true;
	return true;
}

bool exe_sniff(const uint8_t *p, size_t n, exe_info *x)
{
	memset(x, 0, sizeof(*x));
	if (n >= 64 && memcmp(p, "\177ELF", 4) == 0 && (p[4] == 1 || p[4] == 2) &&
	    (p[5] == 1 || p[5] == 2)) {
		x->fmt = EXE_ELF;
		x->be = p[5] == 2;
		elf_sniff(p, n, x);
		return true;
	}
	if (n >= 32 && (p[0] == 0xce || p[0] == 0xcf) && p[1] == 0xfa && p[2] == 0xed &&
	    p[3] == 0xfe) {
		x->fmt = EXE_MACHO;
		macho_sniff(p, n, x, p[0] == 0xcf);
		return true;
	}
	if (n >= 32 && p[0] == 0xfe && p[1] == 0xed && p[2] == 0xfa &&
	    (p[3] == 0xce || p[3] == 0xcf)) {
		x->fmt = EXE_MACHO;
		x->be = true;
		macho_sniff(p, n, x, p[3] == 0xcf);
		return true;
	}
	/* fat: 0xcafebabe is also a Java class file's magic; a class file's
	 * next word (its version) reads as 45 or more "architectures" */
	if (n >= 8 && memcmp(p, "\xca\xfe\xba\xbe", 4) == 0) {
		x->be = true;
		uint64_t narch = exe_uint(x, p + 4, 4);
		if (narch == 0 || narch > 16)
			return false;
		x->fmt = EXE_MACHO_FAT;
		x->ptrsize = 8;
		x->go_hint = memmem(p, n, "__go_buildinfo", 14) != NULL;
		return true;
	}
	if (n >= 0x40 && p[0] == 'M' && p[1] == 'Z' && pe_sniff(p, n, x)) {
		x->fmt = EXE_PE;
		return true;
	}
	memset(x, 0, sizeof(*x));
	return false;
}

bool exe_vaddr_off(const exe_info *x, uint64_t vaddr, uint64_t len, uint64_t *off)
{
	for (size_t i = 0; i < x->nsegs; i++) {
		const exe_seg *s = &x->segs[i];
		if (vaddr >= s->vaddr && vaddr - s->vaddr < s->filesz &&
		    len <= s->filesz - (vaddr - s->vaddr)) {
			*off = s->off + (vaddr - s->vaddr);
			return true;
		}
	}
	return false;
}

bool exe_off_writable(const exe_info *x, uint64_t off)
{
	if (x->nsegs == 0)
		return true;
	for (size_t i = 0; i < x->nsegs; i++)
		if (x->segs[i].writable && off >= x->segs[i].off &&
		    off - x->segs[i].off < x->segs[i].filesz)
			return true;
	return false;
}

int scan_lang_exe_parse(vigil_scan_ctx *ctx, vigil_istream *in, uint64_t size,
			vigil_pkg_list *out)
{
	exe_info x;
	gobin *g = NULL;
	cargo_audit *c = NULL;
	uint8_t *buf = NULL;
	uint64_t off = 0;
	ssize_t n;
	int rc = 0;
	(void)size;
	if (!(buf = malloc(EXE_CHUNK)))
		return vigil_error_oom();
	if ((n = vigil_istream_read_full(in, buf, EXE_HEAD)) < 0) {
		rc = (int)n;
		goto out;
	}
	if (!exe_sniff(buf, (size_t)n, &x))
		goto out; /* not an executable format: nothing to say */
	if ((rc = gobin_new(&x, &g)) < 0 || (rc = cargo_audit_new(&x, &c)) < 0)
		goto out;
	while (n > 0) {
		bool last = (size_t)n < EXE_CHUNK;
		if ((rc = gobin_feed(g, ctx, off, buf, (size_t)n)) < 0 ||
		    (rc = cargo_audit_feed(c, ctx, off, buf, (size_t)n, last)) < 0)
			goto out;
		off += (uint64_t)n;
		if (last)
			break;
		if ((n = vigil_istream_read_full(in, buf, EXE_CHUNK)) < 0) {
			rc = (int)n;
			goto out;
		}
		if (n == 0 && (rc = cargo_audit_feed(c, ctx, off, buf, 0, true)) < 0)
			goto out;
	}
	if ((rc = gobin_finish(g, ctx, out)) < 0)
		goto out;
	rc = cargo_audit_finish(c, ctx, out);
out:
	gobin_free(g);
	cargo_audit_free(c);
	free(buf);
	return rc;
}
