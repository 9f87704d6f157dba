/* scanner/lang/cargo_audit.c: crates of a binary built with
 * cargo-auditable: its ".dep-v0" section holds zlib-compressed JSON
 * {"packages":[{"name","version","source","kind","dependencies","root"}]}.
 *
 * Streaming: an ELF's section headers (which name .dep-v0) are at the end
 * of the file, after the section itself, so they are not used. .dep-v0 is
 * not loaded (no SHF_ALLOC): it lies after the last PT_LOAD's bytes, so in
 * an ELF only that tail of the file is looked at (for a stripped binary a
 * few KiB); PE and Mach-O files are looked at whole. There, every zlib
 * header (0x78 then 0x01/0x5e/0x9c/0xda) is tried: inflating its next
 * CA_TRY bytes must give '{"packages":'. The first that does is inflated
 * as the stream goes on, into at most VIGIL_CARGO_MAX_JSON bytes (the cap
 * cargo-auditable itself sets). Memory: one window (CA_TRY + EXE_CHUNK),
 * zlib's state (about 40 KiB) and the JSON.
 *
 * Packages as trivy's rust/binary parser reports them: every crate whose
 * kind is "runtime" (the default), the root crate too; "build" crates
 * (build scripts, proc macros) are left out. */
#include "scanner/lang/exe.h"
#include "scanner/lang/gorust.h"
#include "scanner/lang/lang.h"
#include "util/buf.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CA_TRY 256 /* compressed bytes tried per zlib header */
#define CA_PREFIX "{\"packages\":"

enum ca_state { CA_SEARCH, CA_INFLATE, CA_DONE };

struct cargo_audit {
	uint64_t from;       /* the first offset looked at */
	enum ca_state state;
	uint8_t *win;        /* the previous chunk's last CA_TRY bytes, then this chunk */
	size_t ntail;
	z_stream z;
	bool zinit;
	vigil_buf json;
	char problem[160];
};

int cargo_audit_new(const exe_info *x, cargo_audit **out)
{
	cargo_audit *c = calloc(1, sizeof(*c));
	if (!c || !(c->win = malloc(CA_TRY + EXE_CHUNK))) {
		free(c);
		return vigil_error_oom();
	}
	c->from = x->fmt == EXE_ELF ? x->load_end : 0;
	vigil_buf_init(&c->json, VIGIL_CARGO_MAX_JSON);
	*out = c;
	return 0;
}

void cargo_audit_free(cargo_audit *c)
{
	if (!c)
		return;
	if (c->zinit)
		inflateEnd(&c->z);
	vigil_buf_free(&c->json);
	free(c->win);
	free(c);
}

/* Inflates p[0..n) on into c->json; CA_DONE at the stream's end. */
static int ca_inflate(cargo_audit *c, const uint8_t *p, size_t n)
{
	uint8_t out[16384];
	c->z.next_in = (Bytef *)p;
	c->z.avail_in = (uInt)n;
	while (c->state == CA_INFLATE && (c->z.avail_in > 0)) {
		c->z.next_out = out;
		c->z.avail_out = sizeof(out);
		int r = inflate(&c->z, Z_NO_FLUSH);
		size_t got = sizeof(out) - c->z.avail_out;
		if (got && vigil_buf_append(&c->json, out, got) < 0) {
			snprintf(c->problem, sizeof(c->problem),
				 ".dep-v0: inflated JSON over %zu bytes", (size_t)VIGIL_CARGO_MAX_JSON);
			c->state = CA_DONE;
			c->json.len = 0;
			return 0;
		}
		if (r == Z_STREAM_END) {
			c->state = CA_DONE;
		} else if (r != Z_OK && !(r == Z_BUF_ERROR && got)) {
			snprintf(c->problem, sizeof(c->problem), ".dep-v0: corrupt zlib data");
			c->state = CA_DONE;
			c->json.len = 0;
		}
	}
	return 0;
}

/* Whether the zlib stream at p inflates to '{"packages":'. */
static bool ca_try(cargo_audit *c, const uint8_t *p, size_t n)
{
	uint8_t out[sizeof(CA_PREFIX) - 1];
	if (inflateReset(&c->z) != Z_OK)
		return false;
	c->z.next_in = (Bytef *)p;
	c->z.avail_in = (uInt)(n < CA_TRY ? n : CA_TRY);
	c->z.next_out = out;
	c->z.avail_out = sizeof(out);
	int r = inflate(&c->z, Z_SYNC_FLUSH);
	return (r == Z_OK || r == Z_STREAM_END || r == Z_BUF_ERROR) && c->z.avail_out == 0 &&
	       memcmp(out, CA_PREFIX, sizeof(out)) == 0;
}

int cargo_audit_feed(cargo_audit *c, vigil_scan_ctx *ctx, uint64_t off, const uint8_t *p,
		     size_t n, bool last)
{
	(void)ctx;
	if (c->state == CA_DONE)
		return 0;
	if (c->state == CA_INFLATE)
		return ca_inflate(c, p, n);
	if (off + n <= c->from)
		return 0;
	if (off < c->from) {
		p += c->from - off;
		n -= (size_t)(c->from - off);
	}
	if (!c->zinit) {
		if (inflateInit(&c->z) != Z_OK)
			return vigil_error_oom();
		c->zinit = true;
	}
	memcpy(c->win + c->ntail, p, n);
	size_t wlen = c->ntail + n, end = last ? wlen : (wlen > CA_TRY ? wlen - CA_TRY : 0);
	for (size_t q = 0; q + 1 < wlen && q < end; q++) {
		const uint8_t *s = memchr(c->win + q, 0x78, end - q);
		if (!s)
			break;
		q = (size_t)(s - c->win);
		if (q + 1 >= wlen)
			break;
		uint8_t f = c->win[q + 1];
		if ((f != 0x01 && f != 0x5e && f != 0x9c && f != 0xda) ||
		    !ca_try(c, c->win + q, wlen - q))
			continue;
		inflateReset(&c->z);
		c->state = CA_INFLATE;
		return ca_inflate(c, c->win + q, wlen - q);
	}
	c->ntail = wlen - end;
	memmove(c->win, c->win + end, c->ntail);
	return 0;
}

int cargo_audit_finish(cargo_audit *c, vigil_scan_ctx *ctx, vigil_pkg_list *out)
{
	if (c->state == CA_INFLATE)
		return vigil_error_set(VIGIL_EFORMAT, ".dep-v0: truncated zlib data");
	if (c->problem[0])
		return vigil_error_set(VIGIL_EFORMAT, "%s", c->problem);
	if (c->state != CA_DONE)
		return 0;
	return scan_lang_cargo_audit_json(ctx, c->json.data ? c->json.data : "", c->json.len, out);
}

int scan_lang_cargo_audit_json(vigil_scan_ctx *ctx, const char *json, size_t len,
			       vigil_pkg_list *out)
{
	json_error_t jerr;
	json_t *root = NULL, *pkgs, *e;
	size_t i;
	int rc = 0;
	if (len > VIGIL_CARGO_MAX_JSON)
		return vigil_error_set(VIGIL_ELIMIT, ".dep-v0: JSON of %zu bytes (limit %zu)", len,
				       (size_t)VIGIL_CARGO_MAX_JSON);
	root = json_loadb(json, len, 0, &jerr);
	if (!root || !json_is_array(pkgs = json_object_get(root, "packages"))) {
		rc = vigil_error_set(VIGIL_EFORMAT, ".dep-v0: %s",
				     root ? "no \"packages\" array" : jerr.text);
		goto out;
	}
	if (json_array_size(pkgs) > VIGIL_CARGO_MAX_PACKAGES) {
		rc = vigil_error_set(VIGIL_ELIMIT, ".dep-v0: %zu packages (limit %d)",
				     json_array_size(pkgs), VIGIL_CARGO_MAX_PACKAGES);
		goto out;
	}
	json_array_foreach(pkgs, i, e) {
		json_t *name = json_object_get(e, "name"), *ver = json_object_get(e, "version");
		json_t *kind = json_object_get(e, "kind");
		if (kind && !(json_is_string(kind) && strcmp(json_string_value(kind), "runtime") == 0))
			continue; /* "build": not in the shipped binary */
		if (!json_is_string(name) || !json_is_string(ver)) {
			scan_warn(ctx, ".dep-v0: package %zu without name or version: skipped", i);
			continue;
		}
		rc = scan_lang_cargo_push(ctx,
					  vigil_slice_make(json_string_value(name),
							   json_string_length(name)),
					  vigil_slice_make(json_string_value(ver),
							   json_string_length(ver)),
					  out);
		if (rc < 0)
			goto out;
	}
out:
	json_decref(root);
	return rc;
}

int scan_lang_cargo_push(vigil_scan_ctx *ctx, vigil_slice name, vigil_slice version,
			 vigil_pkg_list *out)
{
	vigil_package *p;
	int rc;
	if (!scan_lang_token_ok(name, VIGIL_LANG_MAX_NAME) ||
	    !scan_lang_token_ok(version, VIGIL_LANG_MAX_VERSION)) {
		scan_warn(ctx, "crate %.*s: unusable name or version: skipped",
			  (int)(name.len > 80 ? 80 : name.len), name.ptr);
		return 0;
	}
	if ((rc = scan_pkg_list_push(out, &p)) != 0)
		return rc;
	p->type = VIGIL_PKG_CARGO;
	p->name = scan_str(ctx, name.ptr, name.len);
	p->version = scan_str(ctx, version.ptr, version.len);
	p->purl = scan_lang_purl(ctx, "cargo", name, version);
	p->package_db = ctx->path ? scan_str(ctx, ctx->path, strlen(ctx->path)) : NULL;
	if (!p->name || !p->version || !p->purl || (ctx->path && !p->package_db)) {
		out->len--;
		return vigil_error_code() < 0 ? vigil_error_code() : VIGIL_ENOMEM;
	}
	return 0;
}
