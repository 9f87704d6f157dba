/* util/program_version.c: the program's version, vigil_version()
 * (include/vigil/common.h). VIGIL_VERSION comes from CMake (project()
 * VERSION); the CLI prints it, db bundles record it. Its own file: the
 * error module should not be where the version lives. */
#include "vigil/common.h"

#ifndef VIGIL_VERSION
#error "VIGIL_VERSION is set by CMakeLists.txt"
#endif

const char *vigil_version(void) { return VIGIL_VERSION; }
