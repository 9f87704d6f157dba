#!/usr/bin/env bash
# tests/integration/test_scan_accuracy.sh: are vigil's findings right? For
# each case, a root filesystem made of a real package database and a release
# file (scripts/make-pkgdb-rootfs.sh) is scanned against a fresh store that
# holds only the one feed the case needs, and the (package, vulnerability,
# fixed version) triples of the JSON VulnerabilityReport are compared, in
# both directions, with those of an independent oracle
# (tests/integration/oracle/oracle.py: the raw feed and database read in
# Python, versions compared by dpkg's, rpm's and apk-tools' own rules). The
# cases and the figures are in docs/accuracy.md.
#
# Skips (77) when the shared test data is absent or `vigil scan` does not
# exist yet. VIGIL_IT_KEEP=1 keeps the scratch folder (reports, DBs, diffs).
set -uo pipefail
VIGIL=${VIGIL:?VIGIL must name the vigil binary (run through ctest)}
SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
ORACLE=$SRC/tests/integration/oracle
skip() { echo "SKIP: test_scan_accuracy: $*"; exit 77; }

[ -d "$DATA/pkgdb" ] && [ -d "$DATA/feeds" ] || skip "shared test data not found at $DATA"
"$VIGIL" scan --help >/dev/null 2>&1 || skip "'$VIGIL scan --help' fails: vigil has no scan command yet"
# Debian's python3 has python3-apt and python3-rpm (the real comparison
# code); another python3 on PATH falls back to the dpkg and rpm commands.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
command -v "$PY" >/dev/null || skip "python3 is missing"
command -v rpm >/dev/null || skip "rpm is missing (make deps installs it)"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-accuracy.XXXXXX")
cleanup() { [ -n "${VIGIL_IT_KEEP:-}" ] && echo "kept $T" || rm -rf "$T"; }
trap cleanup EXIT
export VIGIL_DB=$T/default-store.db # never the user's store

rc=0
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/roots" || rc=$?
[ "$rc" = 77 ] && skip "make-pkgdb-rootfs.sh: no test data"
[ "$rc" = 0 ] || { echo "FAIL: make-pkgdb-rootfs.sh exited $rc"; exit 1; }

pass=0
failed=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# The oracle's own version comparison against the upstream test vectors.
if "$PY" "$ORACLE/vercmp.py" --selftest "$DATA/versions" >"$T/selftest.out" 2>&1; then
	ok "oracle version comparison: $(grep -c comparisons "$T/selftest.out") vector files agree ($(tail -n 1 "$T/selftest.out"))"
else
	bad "oracle version comparison disagrees with the upstream vectors"
	head -n 30 "$T/selftest.out"
fi

F=$DATA/feeds
# acc NAME ROOTFS KIND FEED-PATH...: one case. The oracle reads the same
# paths, or those of ORACLE_PATHS (space-separated) when it is set.
acc() {
	local name=$1 root=$T/roots/$2 kind=$3
	shift 3
	local db=$T/$name.db r=0
	echo "== $name: $(basename "$root") against $kind ($*)"
	if ! "$VIGIL" db import "$@" --db "$db" >"$T/$name.import.out" 2>"$T/$name.import.err"; then
		bad "$name: vigil db import $* failed"
		tail -n 5 "$T/$name.import.err"
		return
	fi
	timeout 600 "$VIGIL" scan "dir:$root" --db "$db" --format json >"$T/$name.json" 2>"$T/$name.scan.err" || r=$?
	if [ "$r" -ge 124 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/$name.scan.err"; then
		bad "$name: vigil scan crashed or timed out (exit $r)"
		tail -n 20 "$T/$name.scan.err"
		return
	fi
	if ! "$PY" "$ORACLE/compare.py" extract "$T/$name.json" >"$T/$name.got" 2>"$T/$name.extract.err"; then
		bad "$name: the scan's output (exit $r) is not a VulnerabilityReport"
		head -c 400 "$T/$name.json"
		cat "$T/$name.extract.err" "$T/$name.scan.err" | head -n 10
		return
	fi
	local -a opaths=("$@")
	[ -n "${ORACLE_PATHS:-}" ] && read -r -a opaths <<<"$ORACLE_PATHS"
	if ! "$PY" "$ORACLE/oracle.py" --root "$root" --feed "$kind" "${opaths[@]}" --counts >"$T/$name.want" 2>"$T/$name.oracle.err"; then
		bad "$name: the oracle failed"
		cat "$T/$name.oracle.err"
		return
	fi
	sed 's/^/  /' "$T/$name.oracle.err"
	if "$PY" "$ORACLE/compare.py" diff "$T/$name.want" "$T/$name.got" >"$T/$name.diff"; then
		ok "$name: vigil's $(wc -l <"$T/$name.got") findings are the oracle's (exit $r)"
	else
		bad "$name: vigil and the oracle differ"
	fi
	cat "$T/$name.diff"
}

acc ubuntu1804 rootfs-ubuntu1804 uct "$F/ubuntu/uct"
acc ubuntu1804-vex rootfs-ubuntu1804 ubuntu-vex "$F/ubuntu/vex"
acc ubuntu1804-osv rootfs-ubuntu1804 osv "$F/ubuntu/osv"
acc alpine34 rootfs-alpine34 secdb "$F/alpine/secdb-json"
# the secdb YAML holds the same data as the JSON: the same findings
ORACLE_PATHS="$F/alpine/secdb-json" acc alpine34-yaml rootfs-alpine34 secdb "$F/alpine/secdb-yaml"
acc debian10-postgresql rootfs-debian10-postgresql debian-lists "$F/debian/tracker-lists/DSA-list" "$F/debian/tracker-lists/DLA-list"
acc debian10-coverage rootfs-debian10-coverage debian-lists "$F/debian/tracker-lists/DSA-list" "$F/debian/tracker-lists/DLA-list"
acc debian11-distroless rootfs-debian11-distroless debian-lists "$F/debian/tracker-lists/DSA-list" "$F/debian/tracker-lists/DLA-list"
acc al2023-rhel9-csaf rootfs-al2023-rhel9 csaf "$F/redhat/csaf"
acc al2023-rhel9-vex rootfs-al2023-rhel9 csaf "$F/redhat/csaf-vex"

echo "test_scan_accuracy: $pass passed, $failed failed"
[ "$failed" = 0 ]
