/* fuzz/pkg_harness.h: what the package-database fuzz targets share: run
 * one scanner's parse function on the bytes as the file at path, with the
 * arena, strings and context set up and freed each run, and read every
 * string of every package it returns (so a dangling one is caught), and
 * every file an OS database lists (ctx->file). */
#ifndef VIGIL_FUZZ_PKG_HARNESS_H
#define VIGIL_FUZZ_PKG_HARNESS_H

#include "scan_callbacks.h"
#include "scanner/scanner.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef int (*ph_parse_fn)(vigil_scan_ctx *ctx, const char *data, size_t len, vigil_pkg_list *out);

static size_t ph_len(const char *s)
{
	return s ? strlen(s) : 0;
}

static int ph_run(ph_parse_fn parse, const char *path, const uint8_t *data, size_t size)
{
	vigil_pkg_list list = { 0 };
	vigil_arena *arena = vigil_arena_new(64 * 1024 * 1024);
	vigil_intern *strings = arena ? vigil_intern_new(arena) : NULL;
	if (strings) {
		vigil_scan_ctx ctx = { .arena = arena, .strings = strings, .path = path, .warn = fz_ignore_warning,
				       .file = fz_count_file };
		if (parse(&ctx, (const char *)data, size, &list) == 0) {
			volatile size_t n = 0;
			for (size_t i = 0; i < list.len; i++) {
				const vigil_package *p = &list.items[i];
				n += ph_len(p->name) + ph_len(p->version) + ph_len(p->source_name) + ph_len(p->purl);
			}
			(void)n;
		}
	}
	scan_pkg_list_free(&list);
	vigil_intern_free(strings);
	vigil_arena_free(arena);
	return 0;
}

#endif
