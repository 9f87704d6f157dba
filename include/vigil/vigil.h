/* vigil/vigil.h: the whole public API of libvigil. */
#ifndef VIGIL_VIGIL_H
#define VIGIL_VIGIL_H

#include "vigil/audit.h"
#include "vigil/common.h"
#include "vigil/db.h"
#include "vigil/db_artifact.h"
#include "vigil/db_update.h"
#include "vigil/diff.h"
#include "vigil/index.h"
#include "vigil/inspect.h"
#include "vigil/match.h"
#include "vigil/package.h"
#include "vigil/purl.h"
#include "vigil/registry.h"
#include "vigil/report.h"
#include "vigil/server.h"
#include "vigil/store.h"
#include "vigil/version.h"
#include "vigil/verify.h"
#include "vigil/vuln.h"

#endif
