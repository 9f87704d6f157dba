/* vigil/vigil.h: the whole public API of libvigil. */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include "vigil/common.h"
#include "vigil/db.h"
#include "vigil/db_artifact.h"
#include "vigil/db_update.h"
#include "vigil/index.h"
#include "vigil/match.h"
#include "vigil/package.h"
#include "vigil/purl.h"
#include "vigil/registry.h"
#include "vigil/report.h"
#include "vigil/server.h"
#include "vigil/store.h"
#include "vigil/version.h"
#include "vigil/vuln.h"

#endif
