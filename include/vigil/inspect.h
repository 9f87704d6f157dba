/* vigil/inspect.h: placeholder (issue 15). */
#ifndef VIGIL_INSPECT_H
#define VIGIL_INSPECT_H

#include "vigil/common.h"

#endif
