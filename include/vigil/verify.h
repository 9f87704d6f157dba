/* vigil/verify.h: placeholder (issue 15). */
#ifndef VIGIL_VERIFY_H
#define VIGIL_VERIFY_H

#include "vigil/common.h"

#endif
