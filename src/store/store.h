/* store/store.h: the whole store, every part of its interface, for code
 * that uses several parts. The store has two backends behind the same
 * parts: SQLite (store/sqlite*.c, one process or several on one machine)
 * and PostgreSQL (store/pg*.c, a fleet of nodes). The parts, by client:
 *
 *   store_layers.h   the layer cache                 the indexer
 *   store_vuln.h     vulnerability data              db/ writes, match/ reads
 *   store_fetch.h    fetch validators                db/update
 *   store_reports.h  v4 index reports, v1 layers     the server
 *   store_locks.h    named locks                     indexer, server, db update
 *   store_notify.h   notifications                   the notifier
 *   store_images.h   the images vigil indexed        vigil inspect
 *
 * A module includes the
 * parts it uses, not this header; each part is an ops struct that both
 * backends implement and a set of wrappers, the only way in (the store's
 * layout is store_priv.h's). The opening, closing and naming of a store
 * are public: vigil/store.h. All operations may be called from several
 * threads at once. */
#ifndef VIGIL_STORE_STORE_H
#define VIGIL_STORE_STORE_H

#include "store/store_fetch.h"
#include "store/store_images.h"
#include "store/store_layers.h"
#include "store/store_locks.h"
#include "store/store_notify.h"
#include "store/store_reports.h"
#include "store/store_vuln.h"
#include "vigil/store.h"
#include "vigil/store_v1.h"

#endif
