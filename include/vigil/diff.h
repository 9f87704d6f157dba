/* vigil/diff.h: placeholder (issue 15). */
#ifndef VIGIL_DIFF_H
#define VIGIL_DIFF_H

#include "vigil/common.h"

#endif
