/* scanner/lang/exe.h: what the executable readers (exe.c, gobin.c,
 * cargo_audit.c) share: the format of an executable recognised from its
 * first bytes, the map of its loaded segments (virtual address -> file
 * offset) and the two per-file readers the driver feeds chunk by chunk.
 *
 * The driver (exe.c) reads the file once, front to back, in EXE_CHUNK
 * pieces (a multiple of 16, so that an aligned 16-byte magic never
 * straddles two chunks), and hands every chunk with its file offset to the
 * Go reader and the cargo-auditable reader. Memory: the chunk, the head
 * (EXE_HEAD bytes) and what each reader documents (gobin.c, cargo_audit.c). */
#ifndef VIGIL_SCANNER_LANG_EXE_H
#define VIGIL_SCANNER_LANG_EXE_H

#include "scanner/scanner.h"

#include <stdbool.h>
#include <stdint.h>

#define EXE_CHUNK ((size_t)64 * 1024)
/* The bytes read first and kept: headers, program headers, load commands,
 * the PE section table must lie within (beyond: no segment map). */
#define EXE_HEAD EXE_CHUNK
/* The most segments (ELF PT_LOAD, Mach-O segments, PE sections) kept. */
#define EXE_MAX_SEGS 64

typedef enum exe_format {
	EXE_NONE = 0,
	EXE_ELF,
	EXE_MACHO,
	EXE_MACHO_FAT, /* several Mach-O images: no map (inline build info only) */
	EXE_PE,
} exe_format;

typedef struct exe_seg {
	uint64_t vaddr, memsz, off, filesz;
	bool writable;
} exe_seg;

typedef struct exe_info {
	exe_format fmt;
	bool be;           /* big-endian */
	unsigned ptrsize;  /* 4 or 8 */
	exe_seg segs[EXE_MAX_SEGS];
	size_t nsegs;
	/* ELF: the end in the file of the last PT_LOAD (non-allocated
	 * sections such as .dep-v0 follow it); 0 elsewhere */
	uint64_t load_end;
	/* a Go build-ID note (ELF) or Go section names (Mach-O) in the head;
	 * PE: always (no cheap test) */
	bool go_hint;
} exe_info;

/* Recognises ELF, Mach-O (32, 64, fat) and PE from the first n bytes;
 * false for anything else. Headers beyond the head leave nsegs 0. */
bool exe_sniff(const uint8_t *p, size_t n, exe_info *out);
/* The file offset of len bytes at vaddr inside one segment's file bytes. */
bool exe_vaddr_off(const exe_info *x, uint64_t vaddr, uint64_t len, uint64_t *off);
/* Whether file offset off lies in a writable segment (true with no map). */
bool exe_off_writable(const exe_info *x, uint64_t off);
/* An unsigned of n bytes (1..8) in the executable's byte order. */
uint64_t exe_uint(const exe_info *x, const uint8_t *p, unsigned n);

/* ---- gobin.c: Go build info ---- */
typedef struct gobin gobin;
int gobin_new(const exe_info *x, gobin **out);
/* One chunk at file offset off (chunks come in order, without gaps). */
int gobin_feed(gobin *g, vigil_scan_ctx *ctx, uint64_t off, const uint8_t *p, size_t n);
/* At the end: appends the packages (none for a non-Go file). */
int gobin_finish(gobin *g, vigil_scan_ctx *ctx, vigil_pkg_list *out);
void gobin_free(gobin *g);

/* ---- cargo_audit.c: cargo-auditable .dep-v0 ---- */
typedef struct cargo_audit cargo_audit;
int cargo_audit_new(const exe_info *x, cargo_audit **out);
int cargo_audit_feed(cargo_audit *c, vigil_scan_ctx *ctx, uint64_t off, const uint8_t *p,
		     size_t n, bool last);
int cargo_audit_finish(cargo_audit *c, vigil_scan_ctx *ctx, vigil_pkg_list *out);
void cargo_audit_free(cargo_audit *c);

#endif
