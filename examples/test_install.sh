#!/usr/bin/env bash
# examples/test_install.sh: ctest examples/install. The library as a product,
# end to end: installs the build (cmake --install) into a temporary DESTDIR,
# builds examples/scan_image.c against the INSTALLED headers and library
# with nothing but `pkg-config --cflags --libs vigil` (PKG_CONFIG_PATH and
# PKG_CONFIG_SYSROOT_DIR pointing into the DESTDIR), once with libvigil.so
# and once with libvigil.a, and runs both on real root filesystems made from
# ../shared/testdata/pkgdb (scripts/make-pkgdb-rootfs.sh) with real Alpine
# secdb data imported by the installed CLI. The example must agree with the
# installed CLI: same distribution, same package count, same findings.
#
# Environment (set by CMakeLists.txt): VIGIL_BUILD_DIR, VIGIL_SOURCE_DIR,
# VIGIL_TESTDATA; EXAMPLE_CFLAGS (the sanitizer flags in build-asan/).
# Exits 77 when the shared test data, pkg-config, make or jq is absent.
set -euo pipefail

BUILD=${VIGIL_BUILD_DIR:?} SRC=${VIGIL_SOURCE_DIR:?}
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
for t in pkg-config make jq cc; do
	command -v $t >/dev/null || { echo "SKIP: no $t"; exit 77; }
done
[ -d "$DATA/pkgdb" ] && [ -d "$DATA/feeds/alpine/secdb-json/v3.4" ] ||
	{ echo "SKIP: no shared test data at $DATA"; exit 77; }

tmp=$(mktemp -d "$BUILD/examples-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. install
dest=$tmp/destdir
DESTDIR=$dest cmake --install "$BUILD" >/dev/null
pc=$(find "$dest" -name vigil.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || fail "no vigil.pc installed under $dest"
bin=$(find "$dest" -path '*/bin/vigil' -type f | head -n 1)
[ -x "$bin" ] || fail "no bin/vigil installed"
for h in "$SRC"/include/vigil/*.h; do
	find "$dest" -path "*/include/vigil/${h##*/}" | grep -q . || fail "${h##*/} not installed"
done
# the installed CLI finds the installed libvigil.so.0 by its RUNPATH ($ORIGIN/../lib)
"$bin" version >/dev/null || fail "the installed vigil does not run"
echo "installed: $(cd "$dest" && find . -type f | wc -l) files, $(basename "$pc") in ${pc#$dest}"

# 2. build the example against the installed library, shared and static
export PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest
libdir=$dest$(PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=libdir vigil)
mkdir "$tmp/ex"
make -s -C "$tmp/ex" -f "$SRC/examples/Makefile" all static \
	CFLAGS="-O1 -g -Wall -Wextra -Werror ${EXAMPLE_CFLAGS:-}" LDFLAGS="${EXAMPLE_CFLAGS:-}"
shared=$tmp/ex/scan_image static=$tmp/ex/scan_image-static
readelf -d "$shared" | grep -q 'NEEDED.*libvigil\.so\.0' || fail "scan_image does not link libvigil.so.0"
readelf -d "$static" | grep -q 'NEEDED.*libvigil' && fail "scan_image-static links libvigil dynamically"
export LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# 3. run both on real package databases; compare with the installed CLI
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$tmp/pkgdb" >/dev/null
db=$tmp/vigil.db
"$bin" db import --db "$db" "$DATA/feeds/alpine/secdb-json/v3.4" >/dev/null
check() { # ROOTFS DID PACKAGES [MIN_FINDINGS]
	local img=dir:$tmp/pkgdb/$1 out json n pkgs findings
	json=$("$bin" scan --db "$db" -q --max-age 36500 --format json "$img" 2>/dev/null)
	pkgs=$(jq '.packages | length' <<<"$json")
	findings=$(jq '[.package_vulnerabilities[] | length] | add // 0' <<<"$json")
	[ "$pkgs" = "$3" ] || fail "$1: the CLI found $pkgs packages, expected $3"
	[ "$findings" -ge "${4:-0}" ] || fail "$1: the CLI found $findings findings, expected ${4:-0} or more"
	for prog in "$shared" "$static"; do
		out=$("$prog" --db "$db" --match "$img" 2>/dev/null) || fail "${prog##*/} $img failed"
		grep -q "^distribution: .*($2 " <<<"$out" || fail "${prog##*/} $1: distribution: $out"
		n=$(sed -n 's/^packages: \([0-9]*\).*/\1/p' <<<"$out")
		[ "$n" = "$pkgs" ] || fail "${prog##*/} $1: $n packages, the CLI $pkgs"
		n=$(sed -n 's/^findings: \([0-9]*\).*/\1/p' <<<"$out")
		[ "$n" = "$findings" ] || fail "${prog##*/} $1: $n findings, the CLI $findings"
	done
	echo "ok: $1: $2, $pkgs packages, $findings findings (scan_image shared and static = vigil scan)"
}
check rootfs-alpine34 alpine 15 50
check rootfs-ubuntu1804 ubuntu 90
check rootfs-al2023-rhel9 rhel 103

# 4. bad usage and a missing image are errors, with the library's message
set +e
"$shared" >/dev/null 2>&1; [ $? = 2 ] || fail "no IMAGE is not exit 2"
msg=$("$shared" --db "$db" dir:"$tmp"/nonexistent 2>&1 >/dev/null); rc=$?
set -e
[ $rc = 1 ] && grep -q 'not found' <<<"$msg" || fail "a missing image: rc $rc, '$msg'"
echo "ok: usage exit 2; missing image exit 1: $msg"
