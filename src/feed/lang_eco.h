/* feed/lang_eco.h: the language ecosystems vigil matches (feed/lang_eco.c):
 * for each, the OSV ecosystem name, the namespace its records use
 * ("osv:PyPI"), the version scheme its records carry, the package type
 * the indexer gives, and how a package name is normalised so that a
 * record and an installed package meet (PEP 503 for PyPI, lower case for
 * Packagist and NuGet, exact elsewhere). The feeds (osv.c, rubysec.c,
 * friendsofphp.c, npm_wg.c) and the matcher share this one table. */
#ifndef VIGIL_FEED_LANG_ECO_H
#define VIGIL_FEED_LANG_ECO_H

#include <stdbool.h>
#include <stddef.h>

#include "vigil/package.h"

/* Longest package name normalised (longer names are not matched). */
#define FEED_LANG_MAX_NAME 512

typedef enum feed_lang_norm {
	FEED_NAME_EXACT = 0,
	FEED_NAME_PEP503 = 1, /* lower case, runs of "-", "_", "." become one "-" */
	FEED_NAME_LOWER = 2,  /* ASCII lower case */
} feed_lang_norm;

typedef struct feed_lang_eco {
	const char *ecosystem; /* OSV's name: "PyPI", "crates.io" */
	const char *ns;        /* "osv:PyPI" */
	const char *scheme;    /* "pep440", "maven", "semver", "npm", "go", "rubygems", "composer", "nuget" */
	vigil_pkg_type type;
	feed_lang_norm norm;
} feed_lang_eco;

/* A version comparator: <0, 0, >0 (vigil/version.h's signature). */
typedef int (*feed_lang_cmp_fn)(const char *a, size_t alen, const char *b, size_t blen);

/* The comparator of a language scheme ("pep440", "npm", "go"...), NULL
 * when scheme is not one: the one place that picks it, used by the feeds
 * (to order RubySec requirements) and by the matcher (match/eval.c). */
feed_lang_cmp_fn feed_lang_cmp(const char *scheme);

/* NULL when the ecosystem or type is not a language ecosystem vigil knows. */
const feed_lang_eco *feed_lang_by_ecosystem(const char *ecosystem);
const feed_lang_eco *feed_lang_by_type(vigil_pkg_type t);

/* The normalised name of (name, len) in buf (NUL-terminated); false when
 * it is longer than FEED_LANG_MAX_NAME or does not fit in n bytes. */
bool feed_lang_name(const feed_lang_eco *e, const char *name, size_t len, char *buf, size_t n);

#endif
