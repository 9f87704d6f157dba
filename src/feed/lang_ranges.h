/* feed/lang_ranges.h: version constraints of the language advisory
 * formats (RubySec requirements, FriendsOfPHP branch constraints, npm
 * ranges) turned into OSV ranges (feed/lang_ranges.c). */
#ifndef VIGIL_FEED_LANG_RANGES_H
#define VIGIL_FEED_LANG_RANGES_H

#include <stdbool.h>

#include "feed/feed.h"
#include "feed/lang_eco.h"
#include "util/slice.h"

/* Constraints of one interval, intervals of one affected entry. */
#define FEED_LANG_MAX_CONSTRAINTS 16
#define FEED_LANG_MAX_INTERVALS 256

typedef enum feed_op {
	FEED_OP_EQ, FEED_OP_NE, FEED_OP_LT, FEED_OP_LE, FEED_OP_GT, FEED_OP_GE,
	FEED_OP_PESSIMISTIC, /* RubyGems "~>" */
	FEED_OP_TILDE,       /* npm "~" */
	FEED_OP_CARET,       /* npm "^" */
	FEED_OP_ANY,         /* "*", "x", "" */
} feed_op;

/* One bound: v NULL is -infinity (lo) or +infinity (hi). */
typedef struct feed_bound {
	const char *v;
	bool incl;
} feed_bound;

typedef struct feed_ival {
	feed_bound lo, hi;
} feed_ival;

/* Reads "OP VERSION" (blanks allowed between and around) from the front
 * of *s, stopping at a blank after the version or at `stop`; false when
 * what is there is not one. */
bool feed_constraint_next(vigil_slice *s, char stop, feed_op *op, vigil_slice *ver);

/* Narrows iv by one constraint; versions are copied into ctx. "~>" and
 * "~"/"^" expand to a lower and an upper bound. false: a constraint that
 * has no interval form ("!=", an unbumpable version); *iv is then unusable. */
bool feed_ival_apply(vigil_feed_ctx *ctx, feed_lang_cmp_fn cmp, feed_ival *iv, feed_op op, vigil_slice ver);

/* node-semver's partial versions: "<3.11" is "<3.11.0", "<=1.2" is
 * "<1.3.0", ">1" is ">=2.0.0", "1.2" is "1.2.x". *ver may then point into
 * ctx. false when it cannot be rewritten. */
bool feed_npm_partial(vigil_feed_ctx *ctx, feed_op *op, vigil_slice *ver);

/* One interval as one OSV range: introduced lo (or "0"), then fixed hi
 * (exclusive) or last_affected hi (inclusive); a point interval is a
 * "VERSIONS" range. An exclusive lower bound is written as introduced
 * (the bound itself is then reported too: documented in docs/feeds-lang.md). */
int feed_range_of_ival(vigil_feed_ctx *ctx, const feed_ival *iv, vigil_range *out);

/* The complement of the union of safe intervals as one OSV range (RubySec:
 * a version is affected when no patched or unaffected requirement holds). */
int feed_range_complement(vigil_feed_ctx *ctx, feed_lang_cmp_fn cmp, feed_ival *safe, size_t n,
			  vigil_range *out);

/* State and fixed version of an entry from its ranges: exactly one fixed
 * event -> fixed; only introduced events -> not-fixed; else affected. */
void feed_lang_state(vigil_affected *af);

/* The end of every one-advisory-per-file reader: af, whose ranges are set,
 * becomes the one affected entry of v for package (copied into the feed's
 * arena) in ecosystem eco, with its state from its ranges, and v goes to
 * ctx->emit. */
int feed_lang_emit(vigil_feed_ctx *ctx, vigil_vuln *v, vigil_affected *af, const feed_lang_eco *eco,
		   const char *package);

#endif
