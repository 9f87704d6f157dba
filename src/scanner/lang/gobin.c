/* scanner/lang/gobin.c: Go build info in an executable read as a stream
 * (the format of Go's debug/buildinfo, which trivy and scalibr call).
 *
 * The blob starts with the 14-byte magic "\xff Go buildinf:" at a 16-byte
 * aligned offset, inside the data segment (a magic elsewhere, such as the
 * literal in a program that itself reads build info, is not looked at when
 * the segment map is known). Byte 14 is the pointer size, byte 15 the flags.
 *  - Go >= 1.18 (flags & 2): the Go version and the module info follow the
 *    32-byte header as varint-prefixed strings: captured as they stream by
 *    (at most 32 + 2 varints + VIGIL_GOBIN_MAX_VERSION +
 *    VIGIL_GOBIN_MAX_MODINFO bytes).
 *  - before (Go 1.13-1.17): two pointers to Go string headers (pointer,
 *    length) in the data segment, whose bytes are in .rodata. The headers
 *    lie after the blob (read when the stream gets there); the string bytes
 *    usually lie BEFORE it, already streamed by. Bounded strategy: in files
 *    that look like Go (exe.c: the ELF Go build-ID note, Go section names
 *    of a Mach-O, any PE), every "go1." seen is kept as a candidate (its
 *    offset and 64 bytes, at most VIGIL_GOBIN_MAX_CANDIDATES), and every
 *    module-info text between its sentinels (up to VIGIL_GOBIN_MAX_MODINFO,
 *    at most GOBIN_MAX_MODS of them); a pointer resolved later picks the
 *    candidate at its exact file offset. Not found: a warning, no packages.
 *
 * Packages as trivy reports them: "stdlib" v<version> (the " X:..."
 * experiment suffix cut), every dep (the "=>" replacement instead when one
 * follows), the main module: "(devel)" becomes the -ldflags -X version
 * trivy would choose, or no version. */
#define _GNU_SOURCE /* memmem */
#include "scanner/lang/exe.h"
#include "scanner/lang/gorust.h"
#include "scanner/lang/lang.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOBIN_MAGIC "\xff Go buildinf:"
#define GOBIN_MAX_MODS 2
#define GOBIN_VCAND_LEN 64
static const char gobin_info_start[16] = "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char gobin_info_end[16] = "\xf9" "2C1\x86\x18 r\x00\x82" "B\x10" "A\x16\xd8\xf2";

enum gobin_state { GB_SEARCH, GB_CAPTURE, GB_OLD, GB_DONE };

struct gobin_want {
	uint64_t off, len; /* len 0: none */
	vigil_buf got;
};

struct gobin_vcand {
	uint64_t off;
	uint8_t b[GOBIN_VCAND_LEN];
	size_t n;
};

struct gobin_mod {
	uint64_t off;
	vigil_buf text;
	bool open; /* still capturing (no end sentinel yet) */
};

struct gobin {
	exe_info x;
	enum gobin_state state;
	uint64_t magic_off;
	vigil_buf cap;              /* bytes from the magic on */
	vigil_slice version, modinfo; /* the result, GB_DONE */
	vigil_buf old_version, old_modinfo;
	/* pre-1.18 */
	unsigned old_ptrsize;
	bool old_be;
	struct gobin_want hdr[2], data[2];
	struct gobin_vcand *vc;
	size_t nvc;
	struct gobin_mod mods[GOBIN_MAX_MODS];
	size_t nmods;
	char problem[256]; /* the last unreadable blob */
};

int gobin_new(const exe_info *x, gobin **out)
{
	gobin *g = calloc(1, sizeof(*g));
	if (!g)
		return vigil_error_oom();
	g->x = *x;
	vigil_buf_init(&g->cap, 32 + 20 + VIGIL_GOBIN_MAX_VERSION + VIGIL_GOBIN_MAX_MODINFO);
	vigil_buf_init(&g->old_version, VIGIL_GOBIN_MAX_VERSION);
	vigil_buf_init(&g->old_modinfo, VIGIL_GOBIN_MAX_MODINFO + 32);
	for (int i = 0; i < 2; i++) {
		vigil_buf_init(&g->hdr[i].got, 16);
		vigil_buf_init(&g->data[i].got, i == 0 ? VIGIL_GOBIN_MAX_VERSION
						       : VIGIL_GOBIN_MAX_MODINFO + 32);
	}
	*out = g;
	return 0;
}

void gobin_free(gobin *g)
{
	if (!g)
		return;
	vigil_buf_free(&g->cap);
	vigil_buf_free(&g->old_version);
	vigil_buf_free(&g->old_modinfo);
	for (int i = 0; i < 2; i++) {
		vigil_buf_free(&g->hdr[i].got);
		vigil_buf_free(&g->data[i].got);
	}
	for (size_t i = 0; i < g->nmods; i++)
		vigil_buf_free(&g->mods[i].text);
	free(g->vc);
	free(g);
}

/* Gives up on the blob at magic_off and looks for another. */
static void gobin_reject(gobin *g, const char *why)
{
	snprintf(g->problem, sizeof(g->problem), "Go build info at offset %llu: %s",
		 (unsigned long long)g->magic_off, why);
	vigil_buf_reset(&g->cap);
	for (int i = 0; i < 2; i++)
		g->hdr[i].len = g->data[i].len = 0;
	g->state = GB_SEARCH;
}

/* A uvarint at *at of p[0..n): 1 read, 0 more bytes needed, -1 bad. */
static int gobin_uvarint(const uint8_t *p, size_t n, size_t *at, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*at >= n)
			return 0;
		uint8_t b = p[(*at)++];
		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 1;
	}
	return -1;
}

/* Go >= 1.18: 1 complete, 0 more bytes needed, -1 bad (g->problem set). */
static int gobin_inline_try(gobin *g)
{
	const uint8_t *p = (const uint8_t *)g->cap.data;
	size_t n = g->cap.len, at = 32;
	uint64_t vlen, mlen;
	int r;
	if (n < 32)
		return 0;
	if ((r = gobin_uvarint(p, n, &at, &vlen)) <= 0)
		goto varint;
	if (vlen > VIGIL_GOBIN_MAX_VERSION) {
		gobin_reject(g, "Go version longer than the limit");
		return -1;
	}
	if (n - at < vlen)
		return 0;
	g->version = vigil_slice_make(p + at, (size_t)vlen);
	at += (size_t)vlen;
	if ((r = gobin_uvarint(p, n, &at, &mlen)) <= 0)
		goto varint;
	if (mlen > VIGIL_GOBIN_MAX_MODINFO) {
		gobin_reject(g, "module info longer than the limit");
		return -1;
	}
	if (n - at < mlen)
		return 0;
	g->modinfo = vigil_slice_make(p + at, (size_t)mlen);
	return 1;
varint:
	if (r < 0)
		gobin_reject(g, "bad length");
	return r;
}

/* Copies what the chunk holds of a want; true when complete. */
static bool gobin_want_take(struct gobin_want *w, uint64_t off, const uint8_t *p, size_t n)
{
	uint64_t have = w->got.len, from = w->off + have;
	if (w->len == 0 || have == w->len || from < off || from >= off + n)
		return w->len != 0 && have == w->len;
	size_t k = (size_t)(off + n - from);
	if (k > w->len - have)
		k = (size_t)(w->len - have);
	if (vigil_buf_append(&w->got, p + (from - off), k) < 0)
		return false;
	return w->got.len == w->len;
}

/* Appends len bytes to string i's result. */
static int gobin_old_put(gobin *g, int i, const void *p, uint64_t len)
{
	vigil_buf *dst = i == 0 ? &g->old_version : &g->old_modinfo;
	return vigil_buf_append(dst, p, (size_t)len) < 0 ? vigil_error_oom() : 0;
}

/* Pre-1.18: string data at vaddr/len for string i: from the chunk, from a
 * candidate behind, or wanted ahead. 0, or 0 with the blob rejected, or an
 * error. */
static int gobin_old_locate(gobin *g, int i, uint64_t vaddr, uint64_t len, uint64_t off,
			    const uint8_t *p, size_t n)
{
	uint64_t at;
	if (len == 0)
		return 0; /* an empty string (no modules): its pointer may be nil */
	if (len > (i == 0 ? VIGIL_GOBIN_MAX_VERSION : VIGIL_GOBIN_MAX_MODINFO + 32) ||
	    !exe_vaddr_off(&g->x, vaddr, len, &at)) {
		gobin_reject(g, i == 0 ? "Go version pointer outside the file"
				       : "module info pointer outside the file");
		return 0;
	}
	if (at >= off && at - off <= n && len <= n - (at - off))
		return gobin_old_put(g, i, p + (at - off), len);
	if (at >= off) {
		g->data[i].off = at;
		g->data[i].len = len;
		vigil_buf_reset(&g->data[i].got);
		return 0;
	}
	for (size_t k = 0; i == 0 && k < g->nvc; k++)
		if (g->vc[k].off == at && g->vc[k].n >= len)
			return gobin_old_put(g, i, g->vc[k].b, len);
	for (size_t k = 0; i == 1 && k < g->nmods; k++)
		if (g->mods[k].off == at && g->mods[k].text.len >= len)
			return gobin_old_put(g, i, g->mods[k].text.data, len);
	gobin_reject(g, "pre-1.18 build info whose strings lie before it were not kept");
	return 0;
}

/* Pre-1.18: moves the wants on with this chunk. */
static int gobin_old_step(gobin *g, uint64_t off, const uint8_t *p, size_t n)
{
	bool done = true;
	int rc;
	for (int i = 0; i < 2 && g->state == GB_OLD; i++) {
		if (g->hdr[i].len && gobin_want_take(&g->hdr[i], off, p, n)) {
			const uint8_t *h = (const uint8_t *)g->hdr[i].got.data;
			exe_info bx = g->x;
			bx.be = g->old_be;
			uint64_t va = exe_uint(&bx, h, g->old_ptrsize);
			uint64_t len = exe_uint(&bx, h + g->old_ptrsize, g->old_ptrsize);
			g->hdr[i].len = 0;
			if ((rc = gobin_old_locate(g, i, va, len, off, p, n)) < 0)
				return rc;
			if (g->state != GB_OLD)
				return 0;
		}
		if (g->data[i].len && gobin_want_take(&g->data[i], off, p, n)) {
			if ((rc = gobin_old_put(g, i, g->data[i].got.data, g->data[i].got.len)) < 0)
				return rc;
			g->data[i].len = 0;
		}
		if (g->hdr[i].len || g->data[i].len)
			done = false;
	}
	if (g->state == GB_OLD && done) {
		g->version = vigil_slice_make(g->old_version.data, g->old_version.len);
		g->modinfo = vigil_slice_make(g->old_modinfo.data, g->old_modinfo.len);
		g->state = GB_DONE;
	}
	return 0;
}

/* The 32-byte header is in cap: starts the inline capture or the pointer chase. */
static int gobin_header(gobin *g, uint64_t off, const uint8_t *p, size_t n)
{
	const uint8_t *h = (const uint8_t *)g->cap.data;
	unsigned ps = h[14];
	if (h[15] & 2) {
		g->state = GB_CAPTURE;
		return 0;
	}
	if (ps != 4 && ps != 8) {
		gobin_reject(g, "bad pointer size");
		return 0;
	}
	g->old_ptrsize = ps;
	g->old_be = (h[15] & 1) != 0;
	exe_info bx = g->x;
	bx.be = g->old_be;
	vigil_buf_reset(&g->old_version);
	vigil_buf_reset(&g->old_modinfo);
	for (int i = 0; i < 2; i++) {
		uint64_t va = exe_uint(&bx, h + 16 + i * ps, ps), at;
		if (!exe_vaddr_off(&g->x, va, 2 * ps, &at) || at < off) {
			gobin_reject(g, "string header pointer outside the data that follows");
			return 0;
		}
		g->hdr[i].off = at;
		g->hdr[i].len = 2 * ps;
		vigil_buf_reset(&g->hdr[i].got);
		g->data[i].len = 0;
	}
	g->state = GB_OLD;
	return gobin_old_step(g, off, p, n);
}

/* Keeps the pre-1.18 candidates of a chunk ("go1." and sentinel texts). */
static int gobin_candidates(gobin *g, uint64_t off, const uint8_t *p, size_t n)
{
	for (size_t k = 0; k < g->nmods; k++) {
		struct gobin_mod *m = &g->mods[k];
		if (!m->open)
			continue;
		const uint8_t *e = memmem(p, n, gobin_info_end, 16);
		size_t take = e ? (size_t)(e - p) + 16 : n;
		if (vigil_buf_append(&m->text, p, take) < 0)
			m->open = false, m->text.len = 0;
		else if (e)
			m->open = false;
	}
	for (const uint8_t *s = p; g->nmods < GOBIN_MAX_MODS &&
	     (s = memmem(s, n - (size_t)(s - p), gobin_info_start, 16)) != NULL; s += 16) {
		struct gobin_mod *m = &g->mods[g->nmods++];
		vigil_buf_init(&m->text, VIGIL_GOBIN_MAX_MODINFO + 32);
		const uint8_t *e = memmem(s + 16, n - (size_t)(s + 16 - p), gobin_info_end, 16);
		size_t take = e ? (size_t)(e - s) + 16 : n - (size_t)(s - p);
		m->off = off + (uint64_t)(s - p);
		m->open = !e;
		if (vigil_buf_append(&m->text, s, take) < 0)
			m->open = false, m->text.len = 0;
	}
	if (g->nvc && g->vc[g->nvc - 1].n < GOBIN_VCAND_LEN &&
	    g->vc[g->nvc - 1].off + g->vc[g->nvc - 1].n == off) { /* cut by the chunk's end */
		struct gobin_vcand *v = &g->vc[g->nvc - 1];
		size_t k = GOBIN_VCAND_LEN - v->n < n ? GOBIN_VCAND_LEN - v->n : n;
		memcpy(v->b + v->n, p, k);
		v->n += k;
	}
	for (const uint8_t *s = p; g->nvc < VIGIL_GOBIN_MAX_CANDIDATES &&
	     (s = memmem(s, n - (size_t)(s - p), "go1.", 4)) != NULL; s += 4) {
		if (!g->vc && !(g->vc = calloc(VIGIL_GOBIN_MAX_CANDIDATES, sizeof(*g->vc))))
			return vigil_error_oom();
		struct gobin_vcand *v = &g->vc[g->nvc++];
		v->off = off + (uint64_t)(s - p);
		v->n = n - (size_t)(s - p) < GOBIN_VCAND_LEN ? n - (size_t)(s - p) : GOBIN_VCAND_LEN;
		memcpy(v->b, s, v->n);
	}
	return 0;
}

/* A blob found in an earlier chunk goes on in this one. */
static int gobin_continue(gobin *g, uint64_t off, const uint8_t *p, size_t n)
{
	size_t room = g->cap.max - g->cap.len;
	int rc;
	if (vigil_buf_append(&g->cap, p, n < room ? n : room) < 0)
		return vigil_error_oom();
	if (g->state == GB_SEARCH && g->cap.len >= 32 && (rc = gobin_header(g, off, p, n)) < 0)
		return rc;
	if (g->state == GB_CAPTURE && gobin_inline_try(g) > 0)
		g->state = GB_DONE;
	return 0;
}

/* Looks for the magic at the 16-byte aligned offsets of the chunk. */
static int gobin_search(gobin *g, uint64_t off, const uint8_t *p, size_t n)
{
	int rc;
	for (size_t i = (size_t)((16 - off % 16) % 16); i + 14 <= n; i += 16) {
		if (p[i] != 0xff || memcmp(p + i, GOBIN_MAGIC, 14) != 0 ||
		    !exe_off_writable(&g->x, off + i))
			continue;
		g->magic_off = off + i;
		vigil_buf_reset(&g->cap);
		if (vigil_buf_append(&g->cap, p + i, n - i < g->cap.max ? n - i : g->cap.max) < 0)
			return vigil_error_oom();
		if (g->cap.len < 32)
			return 0; /* the header goes on in the next chunk */
		if ((rc = gobin_header(g, off, p, n)) < 0)
			return rc;
		if (g->state == GB_CAPTURE && gobin_inline_try(g) > 0)
			g->state = GB_DONE;
		if (g->state != GB_SEARCH)
			return 0;
	}
	return 0;
}

int gobin_feed(gobin *g, vigil_scan_ctx *ctx, uint64_t off, const uint8_t *p, size_t n)
{
	int rc;
	(void)ctx;
	if (g->state == GB_DONE)
		return 0;
	if (g->x.go_hint && (rc = gobin_candidates(g, off, p, n)) < 0)
		return rc;
	if (g->state == GB_OLD)
		return gobin_old_step(g, off, p, n);
	if (g->state == GB_CAPTURE || g->cap.len > 0) {
		if ((rc = gobin_continue(g, off, p, n)) < 0 || g->state != GB_SEARCH)
			return rc;
	}
	/* searching: from the chunk's start (a blob rejected above began before it) */
	return gobin_search(g, off, p, n);
}

int gobin_finish(gobin *g, vigil_scan_ctx *ctx, vigil_pkg_list *out)
{
	if (g->state == GB_CAPTURE)
		gobin_reject(g, "truncated");
	else if (g->state == GB_OLD)
		gobin_reject(g, "pre-1.18 build info strings not found in the file");
	if (g->state != GB_DONE) {
		if (g->problem[0])
			return vigil_error_set(VIGIL_EFORMAT, "%s", g->problem);
		return 0;
	}
	return scan_lang_gobin_modinfo(ctx, g->version, g->modinfo, out);
}
