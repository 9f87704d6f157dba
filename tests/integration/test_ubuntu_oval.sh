#!/usr/bin/env bash
# tests/integration/test_ubuntu_oval.sh: `vigil db import` on Ubuntu OVAL: the
# hand-made documents of tests/feed/data/ubuntu-oval (two of them bzip2'd, as
# Canonical ships them) are detected as the feed ubuntu-oval beside a real
# Red Hat OVAL stream of the shared data (still redhat-oval), merged into one
# record per id (CVE-2016-20013 is in three releases), shown by `vigil db
# show`, unchanged on a second import, and a broken document fails the feed
# while its previous data is kept.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
command -v bzip2 >/dev/null 2>&1 || skip "bzip2 is missing"
SAMPLES=$SRC/tests/feed/data/ubuntu-oval
RHOVAL=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/feeds/redhat/oval-v2/RHEL8/ansible-2-including-unpatched.oval.xml.bz2

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-ubuntu-oval.XXXXXX")
trap '[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"' EXIT
export VIGIL_DB=$T/default.db
DB=$T/v.db

mkdir -p "$T/feeds/ubuntu-oval" "$T/feeds/redhat"
cp "$SAMPLES"/com.ubuntu.*.oval.xml "$T/feeds/ubuntu-oval/"
bzip2 -9 "$T/feeds/ubuntu-oval/com.ubuntu.noble.cve.oval.xml" "$T/feeds/ubuntu-oval/com.ubuntu.jammy.usn.oval.xml"
HAVE_RH=
if [ -f "$RHOVAL" ]; then
	ln -s "$RHOVAL" "$T/feeds/redhat/"
	HAVE_RH=1
else
	note "no Red Hat OVAL in the shared data: the side-by-side detection is not checked"
fi

# vigil db import, output to $T/$1.out/.err, exit status in RC
run() {
	local name=$1
	shift
	"$VIGIL" db import --db "$DB" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	if grep -q -e 'AddressSanitizer' -e 'runtime error' "$T/$name.err"; then
		fail "$name: sanitizer report"
		head -n 30 "$T/$name.err"
	fi
}

# ---- 1. detected and imported: 5 files, 11 ids, 95 binary entries
run first "$T/feeds"
check_eq "first import: exit status" 0 "$RC"
check "first import: ubuntu-oval, 5 files -> 11 records, 95 affected packages" \
	grep -q "^ubuntu-oval \+5 files -> 11 records, 95 affected packages" "$T/first.out"
if [ -n "$HAVE_RH" ]; then
	check "first import: the Red Hat stream is still redhat-oval" grep -q "^redhat-oval \+1 files -> [1-9]" "$T/first.out"
fi
check "first import: the kernel criteria are reported skipped" \
	grep -q "running-kernel criteria (variable_test) skipped" "$T/first.err"

# ---- 2. the records as vigil db show gives them
"$VIGIL" db show --db "$DB" CVE-2016-20013 >"$T/show1" 2>&1
check "show CVE-2016-20013: feed ubuntu-oval, source ubuntu" grep -q "^CVE-2016-20013  \[feed ubuntu-oval, source ubuntu\]" "$T/show1"
check "show CVE-2016-20013: severity Negligible" grep -q "severity: Negligible (vendor: Negligible)" "$T/show1"
check_eq "show CVE-2016-20013: 57 binary entries in three releases" 57 \
	"$(grep -c -E '^  ubuntu:(20|22|24)\.04 +[a-z0-9.+-]+ +binary ' "$T/show1")"
check "show CVE-2016-20013: noble zabbix-agent fixed with its epoch" \
	grep -q -E "^  ubuntu:24\.04 +zabbix-agent +binary +fixed +1:6\.0\.25\+dfsg-1$" "$T/show1"
check "show CVE-2016-20013: jammy libc6 not fixed (deferred)" \
	grep -q -E "^  ubuntu:22\.04 +libc6 +binary +not-fixed *$" "$T/show1"
check "show CVE-2016-20013: focal sssd affected (released, no version)" \
	grep -q -E "^  ubuntu:20\.04 +sssd +binary +affected *$" "$T/show1"
"$VIGIL" db show --db "$DB" USN-6429-1 >"$T/show2" 2>&1
check "show USN-6429-1: its two CVEs as aliases" \
	bash -c "grep -q 'alias:    CVE-2023-38545' '$T/show2' && grep -q 'alias:    CVE-2023-38546' '$T/show2'"
check "show USN-6429-1: libcurl4 fixed in 7.81.0-1ubuntu1.14 (\"0:\" dropped)" \
	grep -q -E "^  ubuntu:22\.04 +libcurl4 +binary +fixed +7\.81\.0-1ubuntu1\.14$" "$T/show2"
"$VIGIL" db show --db "$DB" CVE-2016-0718 >"$T/show3" 2>&1
check "show CVE-2016-0718: bionic vnc4server will-not-fix (ignored)" \
	grep -q -E "^  ubuntu:18\.04 +vnc4server +binary +will-not-fix *$" "$T/show3"

# ---- 3. the same files again: unchanged
run second "$T/feeds/ubuntu-oval"
check_eq "second import: exit status" 0 "$RC"
check "second import: ubuntu-oval unchanged" grep -q "^ubuntu-oval \+unchanged (5 files, same fingerprint): 11 records" "$T/second.out"

# ---- 4. a cut document fails the feed, naming the file; the previous data stays
mkdir -p "$T/broken"
head -c 4000 "$SAMPLES/com.ubuntu.jammy.cve.oval.xml" >"$T/broken/com.ubuntu.jammy.cve.oval.xml"
run broken "$T/broken"
check "broken document: ubuntu-oval FAILED naming the file" \
	grep -q "^ubuntu-oval \+FAILED: .*broken/com.ubuntu.jammy.cve.oval.xml: Ubuntu OVAL: XML: line" "$T/broken.out"
"$VIGIL" db show --db "$DB" CVE-2023-38545 >"$T/show4" 2>&1
check "broken document: the previous records are kept" grep -q "libcurl4 .*fixed .*7.81.0-1ubuntu1.14" "$T/show4"

it_done
