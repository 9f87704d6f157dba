/* version/range.h: the constraint parsers of src/version/range_*.c, one per
 * ecosystem, behind vigil_version_satisfies(). Each takes the constraint
 * and the version as slices, sets *result to 1 or 0, and fails with
 * VIGIL_EFORMAT naming the constraint (or the version) when either does
 * not parse, VIGIL_ELIMIT past VIGIL_VERSION_CONSTRAINT_MAX_LEN or
 * VIGIL_VERSION_MAX_CLAUSES. Internal to the version module. */
#ifndef VIGIL_VERSION_RANGE_H
#define VIGIL_VERSION_RANGE_H

#include <stddef.h>

/* Gem::Requirement#satisfied_by?: requirements joined with ",". */
int vr_rubygems_satisfies(const char *c, size_t clen, const char *v, size_t vlen, int *result);
/* Composer\Semver\VersionParser::parseConstraints(c)->matches(== v). */
int vr_composer_satisfies(const char *c, size_t clen, const char *v, size_t vlen, int *result);
/* NuGet VersionRange.Parse(c).Satisfies(v). */
int vr_nuget_satisfies(const char *c, size_t clen, const char *v, size_t vlen, int *result);

#endif
