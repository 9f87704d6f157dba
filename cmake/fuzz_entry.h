/* cmake/fuzz_entry.h: the prototype of libFuzzer's entry point, included
 * (-include) into every fuzz/fuzz_*.c and fuzz/replay.c by cmake/fuzz.cmake
 * so that -Wmissing-prototypes holds for the targets too without an
 * #include line in each of them. */
#ifndef VIGIL_FUZZ_ENTRY_H
#define VIGIL_FUZZ_ENTRY_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
