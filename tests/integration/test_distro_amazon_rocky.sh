#!/usr/bin/env bash
# tests/integration/test_distro_amazon_rocky.sh: Amazon Linux (ALAS) and
# Rocky Linux updateinfo end to end (docs/feeds-amazon-rocky.md).
#   1. `vigil db import` of the real samples (shared/testdata/feeds/amazon,
#      rocky/updateinfo): every valid file imported, the truncated
#      updateinfo_invalid.xml.gz refused alone naming the file, repomd.xml
#      and the release listings skipped (not feeds).
#   2. Root filesystems with a real rpm database (lib/mkrpmdb.sh) and the
#      os-release of Amazon Linux 2 (the real syft file), 2022, 2023, Rocky
#      8 (the real syft file) and 9, with versions on both sides of the
#      fixed ones: fixed (found, with its fixed version), patched (equal or
#      newer: not found), epoch (a higher version under a lower epoch is
#      found; a higher epoch is not), architecture (Amazon: any arch, the
#      x86_64 repository's data holds for all; Rocky: the listed arch only,
#      noarch for noarch), module stream (Rocky ruby:2.6 rows match only
#      ruby:2.6 packages), releases kept apart (amzn:2 data never matches
#      amzn:2023 or rocky:9), Rocky bug-fix updates (RLBA) never matched.
#      The findings of each scan are asserted exactly.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
command -v rpmbuild >/dev/null 2>&1 || skip "rpmbuild is missing (apt install rpm)"
command -v jq >/dev/null 2>&1 || skip "jq is missing"
TD=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEEDS=$TD/feeds
[ -d "$FEEDS/amazon/updateinfo" ] && [ -d "$FEEDS/rocky/updateinfo" ] || skip "no shared Amazon/Rocky feeds"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-distro-ui.XXXXXX")
trap '[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"' EXIT
export VIGIL_DB=$T/default.db
DB=$T/v.db

run() {
	local name=$1
	shift
	"$VIGIL" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	if grep -q -e 'AddressSanitizer' -e 'runtime error' "$T/$name.err"; then
		fail "$name: sanitizer report"
		head -n 30 "$T/$name.err"
	fi
}

# ---- 1. import
run amazon db import --db "$DB" "$FEEDS/amazon"
check_eq "import amazon: exit status" 0 "$RC"
check "import amazon: 5 files -> 5 records, 68 affected packages" \
	grep -q "^amazon \+5 files -> 5 records, 68 affected packages" "$T/amazon.out"
check "import amazon: updateinfo_invalid.xml.gz refused, named, with the XML error" \
	grep -q "updateinfo_invalid.xml.gz: Amazon Linux ALAS updateinfo: updateinfo XML: line 12:" "$T/amazon.out"
check "import amazon: one file refused" grep -q "^refused 1 file" "$T/amazon.out"
run rocky db import --db "$DB" "$FEEDS/rocky/updateinfo/happy"
check_eq "import rocky: exit status" 0 "$RC"
check "import rocky: 1 file -> 3 records (RLBA skipped), 4 affected packages" \
	grep -q "^rocky \+1 files -> 3 records, 4 affected packages" "$T/rocky.out"
run rocky-bad db import --db "$T/bad.db" "$FEEDS/rocky/updateinfo"
check_eq "import rocky/updateinfo (with the broken file): exit status" 0 "$RC"
check "import rocky/updateinfo: the broken updateinfo.xml.gz refused alone" \
	grep -q "updateinfo_invalid/updateinfo.xml.gz: .*updateinfo XML: line 12" "$T/rocky-bad.out"
check "import rocky/updateinfo: the rest imported" grep -q "^rocky \+1 files -> 3 records" "$T/rocky-bad.out"

# ---- 2. scans
# rootfs NAME OS-RELEASE-FILE LIST: a root filesystem with that os-release and rpm database
rootfs() {
	mkdir -p "$T/$1/etc"
	cp "$2" "$T/$1/etc/os-release"
	printf '%s\n' "$3" >"$T/$1.list"
	bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$T/$1" "$T/$1.list" 2>"$T/$1.mk.err" ||
		{ cat "$T/$1.mk.err"; fail "$1: mkrpmdb"; }
}
osrel() { # ID VERSION_ID NAME
	printf 'NAME="%s"\nID="%s"\nVERSION_ID="%s"\nPRETTY_NAME="%s %s"\n' "$3" "$1" "$2" "$3" "$2" >"$T/$1-$2.os-release"
	echo "$T/$1-$2.os-release"
}
# findings NAME: "package version id fixed" lines, sorted
scan() {
	run "scan-$1" scan "dir:$T/$1" --db "$DB" -q --format flat --max-age 36500
	check_eq "scan $1: exit status" 0 "$RC"
	check_eq "scan $1: namespace" "$2" "$(jq -r .namespace "$T/scan-$1.out")"
	jq -r '.findings[] | "\(.package) \(.version) \(.id) \(.fixed)"' "$T/scan-$1.out" | LC_ALL=C sort >"$T/$1.got"
}
expect() { # NAME WANT-LINES
	printf '%s\n' "$2" | sed '/^$/d' | LC_ALL=C sort >"$T/$1.want"
	check_same "scan $1: the findings exactly" "$T/$1.want" "$T/$1.got"
}

# Amazon Linux 2 (the real os-release of syft's tests)
rootfs al2 "$TD/pkgdb/os-release/syft_amazon.os-release" "
kernel 0:4.9.76-38.78.amzn2 x86_64
perf 0:4.9.76-38.79.amzn2 x86_64
kernel-tools 0:4.9.77-1.amzn2 x86_64
kernel-headers 0:4.9.76-38.78.amzn2 aarch64
kernel-doc 0:4.9.76-38.1.amzn2 noarch
qemu-img 10:1.5.3-141.amzn2.5.2 x86_64
qemu-kvm 9:1.5.4-1.amzn2 x86_64
qemu-kvm-common 11:1.0-1.amzn2 x86_64
java-1.8.0-openjdk 1:1.8.0.161-0.b14.amzn2 x86_64
java-1.8.0-openjdk-headless 0:1.8.0.171-1.amzn2 x86_64
rsyslog 0:8.24.0-1.amzn2 x86_64
vim-enhanced 2:8.0.0-1.amzn2 x86_64"
scan al2 amzn:2
expect al2 "
kernel 4.9.76-38.78.amzn2 ALAS2-2018-939 4.9.76-38.79.amzn2
kernel-headers 4.9.76-38.78.amzn2 ALAS2-2018-939 4.9.76-38.79.amzn2
kernel-doc 4.9.76-38.1.amzn2 ALAS2-2018-939 4.9.76-38.79.amzn2
qemu-img 10:1.5.3-141.amzn2.5.2 ALAS2-2018-942 10:1.5.3-141.amzn2.5.3
qemu-kvm 9:1.5.4-1.amzn2 ALAS2-2018-942 10:1.5.3-141.amzn2.5.3
java-1.8.0-openjdk-headless 1.8.0.171-1.amzn2 ALAS2-2018-949 1:1.8.0.161-0.b14.amzn2"
check "scan al2: CVE aliases and the vendor's severity" \
	jq -e '.findings[] | select(.id == "ALAS2-2018-939") | (.aliases | index("CVE-2017-5754")) != null and .severity == "Critical"' "$T/scan-al2.out" >/dev/null

# Amazon Linux 2022 and 2023 (written os-release files)
rootfs al2022 "$(osrel amzn 2022 'Amazon Linux')" "
vim-enhanced 2:8.2.3500-1.amzn2022 x86_64
vim-common 1:9.0.0-1.amzn2022 x86_64
vim-minimal 2:8.2.3512-1.amzn2022 x86_64
vim-filesystem 2:8.2.3512-1.amzn2022 noarch
rsyslog 0:8.2204.0-1.amzn2022 x86_64"
scan al2022 amzn:2022
expect al2022 "
vim-enhanced 2:8.2.3500-1.amzn2022 ALAS2022-2021-001 2:8.2.3512-1.amzn2022
vim-common 1:9.0.0-1.amzn2022 ALAS2022-2021-001 2:8.2.3512-1.amzn2022"

rootfs al2023 "$(osrel amzn 2023 'Amazon Linux')" "
rsyslog 0:8.2204.0-3.amzn2023.0.1 x86_64
rsyslog-doc 0:8.2204.0-2.amzn2023 noarch
rsyslog-openssl 0:8.2204.0-3.amzn2023.0.2 x86_64
rsyslog-gnutls 0:8.2210.0-1.amzn2023 aarch64
kernel 0:4.9.0-1.amzn2023 x86_64
vim-enhanced 2:8.2.0-1.amzn2023 x86_64"
scan al2023 amzn:2023
expect al2023 "
rsyslog 8.2204.0-3.amzn2023.0.1 ALAS2023-2023-001 8.2204.0-3.amzn2023.0.2
rsyslog-doc 8.2204.0-2.amzn2023 ALAS2023-2023-001 8.2204.0-3.amzn2023.0.2"
check "scan al2023: Important is High, the word kept" \
	jq -e '.findings[0].severity == "High"' "$T/scan-al2023.out" >/dev/null

# Rocky Linux 8 (the real os-release of syft's tests), x86_64 and modular
rootfs rocky8 "$TD/pkgdb/os-release/syft_rockylinux_from-os-release.os-release" "
lz4 0:1.8.3-2.el8 x86_64
kernel 0:4.18.0-305.12.1.el8_4 x86_64
kernel-core 0:4.18.0-305.10.2.el8_4 x86_64
rubygem-bson 0:4.3.0-1.module+el8.4.0+592+03ff458a x86_64 - ruby:2.6:8040020210101000000:abcd1234
rubygem-abrt 0:0.3.0-3.module+el8.4.0+1+aaaa noarch - ruby:2.5:8040020210101000000:abcd1234
firewalld 0:0.8.2-6.el8 noarch"
scan rocky8 rocky:8
expect rocky8 "
lz4 1.8.3-2.el8 RLSA-2021:2575 1.8.3-3.el8_4
rubygem-bson 4.3.0-1.module+el8.4.0+592+03ff458a RLSA-2019:1972 4.3.0-2.module+el8.4.0+592+03ff458a"

# Rocky Linux 8 on aarch64: the sample lists x86_64 and noarch rpms only
rootfs rocky8a "$TD/pkgdb/os-release/syft_rockylinux_from-os-release.os-release" "
lz4 0:1.8.3-2.el8 aarch64
rubygem-abrt 0:0.3.0-3.module+el8.4.0+1+aaaa noarch - ruby:2.6:8040020210101000000:abcd1234
rubygem-bson 0:4.3.0-1.module+el8.4.0+592+03ff458a x86_64"
scan rocky8a rocky:8
expect rocky8a "
rubygem-abrt 0.3.0-3.module+el8.4.0+1+aaaa RLSA-2019:1972 0.3.0-4.module+el8.5.0+738+032c9c02"

# Rocky Linux 9: the Rocky 8 data never matches
rootfs rocky9 "$(osrel rocky 9.3 'Rocky Linux')" "
lz4 0:1.8.3-2.el9 x86_64"
scan rocky9 rocky:9
expect rocky9 ""

it_done
