#!/bin/bash
# tests/integration/test_store_full.sh: a SQLite store that cannot be
# written says why, naming the path and SQLite's message, instead of "not
# a vigil store": on a full disk (a 1 MiB tmpfs mounted here and filled)
# and on a read-only file system (the same tmpfs remounted read-only).
# Needs root to mount; skips (exit 77) when mount is not permitted. The
# tmpfs is unmounted at exit whatever happens.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

set -uo pipefail
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
IT_T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-$IT_NAME.XXXXXX")
T=$IT_T
export VIGIL_DB=$T/default-store.db
M=$T/mnt
mkdir -p "$M"
cleanup() {
	mountpoint -q "$M" && umount "$M"
	it_cleanup
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
mount -t tmpfs -o size=1m,mode=0755 tmpfs "$M" 2>"$T/mount.err" ||
	skip "mount -t tmpfs is not permitted here: $(head -n 1 "$T/mount.err")"

# a full disk: the store's file can be made (an inode) but nothing written
dd if=/dev/zero of="$M/fill" bs=64k 2>/dev/null
mkdir -p "$T/feeds"
for cmd in "db status" "db import $T/feeds" "cache"; do
	# shellcheck disable=SC2086
	vrun full $cmd --db "$M/store.db"
	expect_rc "full: $cmd" 1
	has full "$M/store.db: the disk is full" "database or disk is full"
	if grep -qF "not a vigil store" "$T/full.err"; then fail "full: $cmd: still says 'not a vigil store'"; fi
done

# room again: the store is made; then the file system goes read-only
rm -f "$M/fill" "$M"/store.db*
vrun made db migrate --db "$M/store.db"
expect_rc made 0
mount -o remount,ro "$M" || fail "remount read-only"
vrun ro db status --db "$M/store.db"
expect_rc "read-only: db status" 1
has ro "$M/store.db: read-only file system" "sqlite: "
vrun ro-new cache --db "$M/other.db"
expect_rc "read-only: a new store" 1
has ro-new "$M/other.db: read-only file system"

it_done
