/* store/pg.c: PLACEHOLDER until the PostgreSQL backend lands (the pg
 * helper replaces this file). */
#include "store/pg_priv.h"
#include "util/error.h"

int vigil_pg_store_open(const char *conninfo, vigil_store **out)
{
	*out = NULL;
	return vigil_error_set(VIGIL_EUNSUPPORTED, "%s: the PostgreSQL store is not built yet", conninfo);
}
