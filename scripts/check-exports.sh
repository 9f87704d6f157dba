#!/usr/bin/env bash
# scripts/check-exports.sh LIBVIGIL.SO [INCLUDE_DIR]: the symbol policy of
# docs/embedding.md on a built library. libvigil.so must export exactly the
# functions declared with VIGIL_EXTERN in include/vigil/*.h: an internal
# symbol that leaks (a missing -fvisibility=hidden, an .incbin without
# .hidden) or a public function that is declared but not exported (or not
# defined) is named, and the exit status is 1. Registered as ctest `exports`.
set -u
so=${1:?usage: check-exports.sh LIBVIGIL.SO [INCLUDE_DIR]}
inc=${2:-$(cd "$(dirname "$0")/.." && pwd)/include}
command -v nm >/dev/null || { echo "check-exports: no nm (binutils)" >&2; exit 77; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$so" | awk '$2 ~ /^[A-Z]$/ { print $3 }' | LC_ALL=C sort -u >"$tmp/exported"
# vigil/server.h is the header of the server, its own target linked into
# the vigil command, not of libvigil.
ls "$inc"/vigil/*.h | grep -v '/server\.h$' | xargs cat | tr '\n' ' ' | grep -oE 'VIGIL_EXTERN\([^)]*\)[[:space:]]*\**[[:space:]]*vigil_[A-Za-z0-9_]+' |
	grep -oE 'vigil_[A-Za-z0-9_]+$' | LC_ALL=C sort -u >"$tmp/declared"

rc=0
while IFS= read -r s; do
	echo "check-exports: $so exports $s, which no public header declares with VIGIL_EXTERN"; rc=1
done < <(LC_ALL=C comm -23 "$tmp/exported" "$tmp/declared")
while IFS= read -r s; do
	echo "check-exports: $s is declared with VIGIL_EXTERN but $so does not export it"; rc=1
done < <(LC_ALL=C comm -13 "$tmp/exported" "$tmp/declared")
[ $rc = 0 ] && echo "check-exports: $(wc -l <"$tmp/exported") symbols exported, each declared in include/vigil/"
exit $rc
