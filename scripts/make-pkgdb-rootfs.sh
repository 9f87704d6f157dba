#!/bin/bash
# scripts/make-pkgdb-rootfs.sh: builds small root filesystems from the real
# package databases of ../shared/testdata/pkgdb, for `vigil scan dir:...`
# (make demo) and the accuracy test (tests/integration/test_scan_accuracy.sh).
# Each one is a release file plus one package database at the path the
# distribution uses; the files are copied at run time from the shared test
# data, never kept in the repository. See docs/accuracy.md for why each
# database goes with each release.
#
#   OUTDIR/rootfs-ubuntu1804        trivy's Ubuntu 18.04 dpkg status (90 packages)
#                                   + claircore's ubuntu 18.04 os-release
#   OUTDIR/rootfs-alpine34          trivy's apk installed database (Alpine 3.4
#                                   packages: musl 1.1.14, busybox 1.24.2,
#                                   openssl 1.0.2h) + etc/alpine-release 3.4.6
#   OUTDIR/rootfs-debian10-postgresql   claircore's Debian 10 postgresql status
#                                   + claircore's debian 10 os-release
#   OUTDIR/rootfs-debian10-coverage syft's image-pkg-coverage status and
#                                   status.d + claircore's debian 10 os-release
#   OUTDIR/rootfs-debian11-distroless   syft's distroless status.d (sqlite3)
#                                   + claircore's distroless debian 11 os-release
#   OUTDIR/rootfs-al2023-rhel9      go-rpmdb's Amazon Linux 2023 rpmdb.sqlite
#                                   + claircore's RHEL 9 os-release (an
#                                   algorithm check of rpm matching, not a real
#                                   RHEL image: no RHEL rpm database is in the
#                                   test data)
#   OUTDIR/rootfs-mariner2          go-rpmdb's CBL-Mariner 2.0 rpmdb.sqlite
#                                   + a CBL-Mariner 2.0 os-release (written:
#                                   the shared one, syft's, is 1.0)
#   OUTDIR/rootfs-al2023            go-rpmdb's Amazon Linux 2023 rpmdb.sqlite
#                                   + an Amazon Linux 2023 os-release (written)
#
# Usage: scripts/make-pkgdb-rootfs.sh OUTDIR
#        (the data: $VIGIL_TESTDATA, else ../shared/testdata beside the repo)
# Exits 77 when the shared test data is absent.
set -euo pipefail

if [ $# -ne 1 ] || [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	[ $# -eq 1 ] && exit 0 || exit 2
fi
OUT=$(realpath -m "$1")
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
P=$DATA/pkgdb
if [ ! -d "$P/dpkg" ] || [ ! -d "$P/os-release" ]; then
	echo "make-pkgdb-rootfs: the shared test data is not at $DATA" >&2
	exit 77
fi

mkdir -p "$OUT"
TMP=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# put ROOTFS FILE PATH-IN-ROOTFS
put() {
	mkdir -p "$TMP/$1/$(dirname "$3")"
	cp "$2" "$TMP/$1/$3"
	chmod u+w "$TMP/$1/$3"
}

put rootfs-ubuntu1804 "$P/os-release/claircore_ubuntu18.04.os-release" etc/os-release
put rootfs-ubuntu1804 "$P/dpkg/trivy_ubuntu1804/var/lib/dpkg/status" var/lib/dpkg/status

# No Alpine 3.4 release file is in the test data; the packages date the
# database (musl 1.1.14 is Alpine 3.4's: 3.3 has 1.1.12, 3.5 has 1.1.15).
# The point release is unknown: 3.4.6 (the last one) is written.
put rootfs-alpine34 "$P/apk/trivy_alpine/lib/apk/db/installed" lib/apk/db/installed
mkdir -p "$TMP/rootfs-alpine34/etc" && printf '3.4.6\n' >"$TMP/rootfs-alpine34/etc/alpine-release"

put rootfs-debian10-postgresql "$P/os-release/claircore_debian10.os-release" etc/os-release
put rootfs-debian10-postgresql "$P/dpkg/claircore_postgresql/var/lib/dpkg/status" var/lib/dpkg/status

put rootfs-debian10-coverage "$P/os-release/claircore_debian10.os-release" etc/os-release
put rootfs-debian10-coverage "$P/dpkg/syft_image-pkg-coverage/var/lib/dpkg/status" var/lib/dpkg/status
for f in "$P"/dpkg/syft_image-pkg-coverage/var/lib/dpkg/status.d/*; do
	put rootfs-debian10-coverage "$f" "var/lib/dpkg/status.d/$(basename "$f")"
done

put rootfs-debian11-distroless "$P/os-release/claircore_distroless_debian11.os-release" etc/os-release
for f in "$P"/dpkg/syft_distroless-deb/var/lib/dpkg/status.d/*; do
	put rootfs-debian11-distroless "$f" "var/lib/dpkg/status.d/$(basename "$f")"
done

put rootfs-al2023-rhel9 "$P/os-release/claircore_rhel9.os-release" etc/os-release
put rootfs-al2023-rhel9 "$P/rpm/go-rpmdb_amazonlinux2023_sqlite/rpmdb.sqlite" var/lib/rpm/rpmdb.sqlite

put rootfs-mariner2 "$P/rpm/go-rpmdb_cbl-mariner-2.0_sqlite/rpmdb.sqlite" var/lib/rpm/rpmdb.sqlite
mkdir -p "$TMP/rootfs-mariner2/etc"
printf '%s\n' 'NAME="Common Base Linux Mariner"' 'VERSION="2.0.20220527"' 'ID=mariner' 'VERSION_ID="2.0"' \
	'PRETTY_NAME="CBL-Mariner/Linux"' >"$TMP/rootfs-mariner2/etc/os-release"

put rootfs-al2023 "$P/rpm/go-rpmdb_amazonlinux2023_sqlite/rpmdb.sqlite" var/lib/rpm/rpmdb.sqlite
mkdir -p "$TMP/rootfs-al2023/etc"
printf '%s\n' 'NAME="Amazon Linux"' 'VERSION="2023"' 'ID="amzn"' 'ID_LIKE="fedora"' 'VERSION_ID="2023"' \
	'PRETTY_NAME="Amazon Linux 2023"' >"$TMP/rootfs-al2023/etc/os-release"

for d in "$TMP"/rootfs-*; do
	name=$(basename "$d")
	rm -rf "${OUT:?}/$name"
	mv "$d" "$OUT/$name"
done
