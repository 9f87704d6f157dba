/* server/openapi.c: the OpenAPI document of the v4 API, GET /openapi/v1.
 * The document lives in the repository as docs/openapi.json (written by
 * the project from Clair's published schema, see docs/server.md) and is
 * embedded here at build time with the assembler's .incbin, so the binary
 * needs no file at run time; CMake rebuilds this file when it changes. */
#include "server/server.h"

#ifndef VIGIL_OPENAPI_PATH
#error "VIGIL_OPENAPI_PATH must name docs/openapi.json (CMakeLists.txt sets it)"
#endif

__asm__(".section .rodata\n"
	".global srv_openapi_json\n"
	".hidden srv_openapi_json\n"
	".type srv_openapi_json, @object\n"
	".balign 16\n"
	"srv_openapi_json:\n"
	".incbin \"" VIGIL_OPENAPI_PATH "\"\n"
	"srv_openapi_json_end:\n"
	".byte 0\n"
	".balign 8\n"
	".global srv_openapi_json_len\n"
	".hidden srv_openapi_json_len\n"
	".type srv_openapi_json_len, @object\n"
	"srv_openapi_json_len:\n"
	".quad srv_openapi_json_end - srv_openapi_json\n"
	".previous\n");
