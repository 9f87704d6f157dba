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
#   3. `vigil db update` against lib/feedserver.py on 127.0.0.1 only: the
#      mirror.list -> repodata/repomd.xml -> updateinfo chain (checksum
#      checked), all 304 the second time, a checksum mismatch, the real
#      repomd_invalid.xml and no_updateinfo_field/repomd.xml and a
#      mirror.list without a URL each failing the feed with an error naming
#      the URL; --mirror URL and --mirror DIR with the built-in catalog's
#      file names; a bundle export/import round trip.
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
export VIGIL_DB=$T/default.db
DB=$T/v.db
# the local stand-in for the upstreams of section 3 (127.0.0.1 only), started now: it takes seconds
python3 "$SRC/tests/integration/lib/feedserver.py" --root "$FEEDS" --port-file "$T/port" --max-seconds 300 \
	2>"$T/server.err" &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null; [ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"' EXIT

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
declare -A BUILD_PID
rootfs() { # in the background (mkrpmdb spends its time waiting on rpm): scan waits for it
	mkdir -p "$T/$1/etc"
	cp "$2" "$T/$1/etc/os-release"
	printf '%s\n' "$3" >"$T/$1.list"
	bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$T/$1" "$T/$1.list" 2>"$T/$1.mk.err" &
	BUILD_PID[$1]=$!
}
osrel() { # ID VERSION_ID NAME
	printf 'NAME="%s"\nID="%s"\nVERSION_ID="%s"\nPRETTY_NAME="%s %s"\n' "$3" "$1" "$2" "$3" "$2" >"$T/$1-$2.os-release"
	echo "$T/$1-$2.os-release"
}
# findings NAME: "package version id fixed" lines, sorted
scan() {
	wait "${BUILD_PID[$1]}" || { cat "$T/$1.mk.err"; fail "$1: mkrpmdb"; }
	run "scan-$1" scan "dir:$T/$1" --db "$DB" -q --format flat --max-age 36500
	check_eq "scan $1: exit status" 0 "$RC"
	check_eq "scan $1: namespace" "$2" "$(jq -r .namespace "$T/scan-$1.out")"
	jq -r '.findings[] | "\(.package) \(.version) \(.id) \(.fixed)"' "$T/scan-$1.out" | LC_ALL=C sort >"$T/$1.got"
}
expect() { # NAME WANT-LINES
	printf '%s\n' "$2" | sed '/^$/d' | LC_ALL=C sort >"$T/$1.want"
	check_same "scan $1: the findings exactly" "$T/$1.want" "$T/$1.got"
}

# the root filesystems, built at once
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
rootfs al2022 "$(osrel amzn 2022 'Amazon Linux')" "
vim-enhanced 2:8.2.3500-1.amzn2022 x86_64
vim-common 1:9.0.0-1.amzn2022 x86_64
vim-minimal 2:8.2.3512-1.amzn2022 x86_64
vim-filesystem 2:8.2.3512-1.amzn2022 noarch
rsyslog 0:8.2204.0-1.amzn2022 x86_64"
rootfs al2023 "$(osrel amzn 2023 'Amazon Linux')" "
rsyslog 0:8.2204.0-3.amzn2023.0.1 x86_64
rsyslog-doc 0:8.2204.0-2.amzn2023 noarch
rsyslog-openssl 0:8.2204.0-3.amzn2023.0.2 x86_64
rsyslog-gnutls 0:8.2210.0-1.amzn2023 aarch64
kernel 0:4.9.0-1.amzn2023 x86_64
vim-enhanced 2:8.2.0-1.amzn2023 x86_64"
rootfs rocky8 "$TD/pkgdb/os-release/syft_rockylinux_from-os-release.os-release" "
lz4 0:1.8.3-2.el8 x86_64
kernel 0:4.18.0-305.12.1.el8_4 x86_64
kernel-core 0:4.18.0-305.10.2.el8_4 x86_64
rubygem-bson 0:4.3.0-1.module+el8.4.0+592+03ff458a x86_64 - ruby:2.6:8040020210101000000:abcd1234
rubygem-abrt 0:0.3.0-3.module+el8.4.0+1+aaaa noarch - ruby:2.5:8040020210101000000:abcd1234
firewalld 0:0.8.2-6.el8 noarch"
rootfs rocky8a "$TD/pkgdb/os-release/syft_rockylinux_from-os-release.os-release" "
lz4 0:1.8.3-2.el8 aarch64
rubygem-abrt 0:0.3.0-3.module+el8.4.0+1+aaaa noarch - ruby:2.6:8040020210101000000:abcd1234
rubygem-bson 0:4.3.0-1.module+el8.4.0+592+03ff458a x86_64"
rootfs rocky9 "$(osrel rocky 9.3 'Rocky Linux')" "
lz4 0:1.8.3-2.el9 x86_64"

# Amazon Linux 2 (the real os-release of syft's tests)
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
scan al2022 amzn:2022
expect al2022 "
vim-enhanced 2:8.2.3500-1.amzn2022 ALAS2022-2021-001 2:8.2.3512-1.amzn2022
vim-common 1:9.0.0-1.amzn2022 ALAS2022-2021-001 2:8.2.3512-1.amzn2022"

scan al2023 amzn:2023
expect al2023 "
rsyslog 8.2204.0-3.amzn2023.0.1 ALAS2023-2023-001 8.2204.0-3.amzn2023.0.2
rsyslog-doc 8.2204.0-2.amzn2023 ALAS2023-2023-001 8.2204.0-3.amzn2023.0.2"
check "scan al2023: Important is High, the word kept" \
	jq -e '.findings[0].severity == "High"' "$T/scan-al2023.out" >/dev/null

# Rocky Linux 8 (the real os-release of syft's tests), x86_64 and modular
scan rocky8 rocky:8
expect rocky8 "
lz4 1.8.3-2.el8 RLSA-2021:2575 1.8.3-3.el8_4
rubygem-bson 4.3.0-1.module+el8.4.0+592+03ff458a RLSA-2019:1972 4.3.0-2.module+el8.4.0+592+03ff458a"

# Rocky Linux 8 on aarch64: the sample lists x86_64 and noarch rpms only
scan rocky8a rocky:8
expect rocky8a "
rubygem-abrt 0.3.0-3.module+el8.4.0+1+aaaa RLSA-2019:1972 0.3.0-4.module+el8.5.0+738+032c9c02"

# Rocky Linux 9: the Rocky 8 data never matches
scan rocky9 rocky:9
expect rocky9 ""

# ---- 3. online (127.0.0.1 only), mirrors, bundle
unset VIGIL_SOURCES http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost XDG_CONFIG_HOME=$T/xdg
for _ in $(seq 1 300); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { cat "$T/server.err"; fail "feedserver did not start"; it_done; }
B=http://127.0.0.1:$(cat "$T/port")
cat >"$T/sources.conf" <<EOF
amazon $B/repo/amazon/1/mirror.list amzn1-updateinfo.xml.gz
amazon $B/repo/amazon/2/mirror.list amzn2-core-updateinfo.xml.gz
amazon $B/repo/amazon/2023/mirror.list al2023-core-updateinfo.xml.gz
rocky $B/repo/rocky/8/BaseOS/x86_64/os/repodata/repomd.xml rocky-8-BaseOS-x86_64-updateinfo.xml.gz
rocky $B/repo/rocky/8/BaseOS/aarch64/os/repodata/repomd.xml rocky-8-BaseOS-aarch64-updateinfo.xml.gz
rocky $B/repo/rocky/9/BaseOS/x86_64/os/repodata/repomd.xml rocky-9-BaseOS-x86_64-updateinfo.xml.gz optional
EOF
ODB=$T/online.db
upd() { # NAME ARGS...
	local name=$1
	shift
	run "$name" db update --db "$ODB" --cache-dir "$T/cache" "$@"
}
records() { sed -n "s/^$1 \+updated: .* -> \([0-9]\+\) records.*/\1/p" "$T/$2.out"; }
upd up1 --config "$T/sources.conf" --source amazon --source rocky
check_eq "update: exit status" 0 "$RC"
check_eq "update: amazon, AL2 (3) and AL2023 (1) through mirror.list and repomd.xml" 4 "$(records amazon up1)"
check_eq "update: rocky, through repomd.xml" 3 "$(records rocky up1)"
check "update: the optional Rocky 9 repository (404) skipped with a warning" \
	grep -q "repo/rocky/9/BaseOS/x86_64/os/repodata/repomd.xml: not found (404), skipped" "$T/up1.out" "$T/up1.err"
run scan-online scan "dir:$T/al2" --db "$ODB" -q --format flat --max-age 36500
jq -r '.findings[] | "\(.package) \(.version) \(.id) \(.fixed)"' "$T/scan-online.out" | LC_ALL=C sort >"$T/online.got"
check_same "scan al2 on the downloaded data: the same findings as from the samples" "$T/al2.want" "$T/online.got"
upd up2 --config "$T/sources.conf" --source amazon --source rocky
check_eq "second update: exit status" 0 "$RC"
check "second update: amazon all 304" grep -q "^amazon \+unchanged: [0-9]* requests answered 304" "$T/up2.out"
check "second update: rocky all 304" grep -q "^rocky \+unchanged: [0-9]* requests answered 304" "$T/up2.out"

bad() { # NAME FEED=URL WANT-IN-THE-ERROR
	upd "$1" --config "$T/sources.conf" --source "${2%%=*}" --source-url "$2"
	check "$1: the update fails" [ "$RC" -ne 0 ]
	check "$1: the error names the URL and the cause" grep -qF -- "$3" "$T/$1.out" "$T/$1.err"
}
bad badsum "amazon=$B/repo/amazon-badsum/mirror.list" \
	"$B/repo/amazon-badsum/repodata/updateinfo.xml.gz: updateinfo: content does not match its digest"
check "badsum: the file that failed its checksum is removed (named mirror.list: --source-url names no file)" \
	test ! -e "$T/cache/amazon/download/mirror.list"
bad nodata "amazon=$B/repo/amazon-nodata/mirror.list" \
	"$B/repo/amazon-nodata/repodata/repomd.xml: repomd.xml: no <data type=\"updateinfo\">"
bad noinfo "rocky=$B/repo/rocky-noinfo/repodata/repomd.xml" \
	"$B/repo/rocky-noinfo/repodata/repomd.xml: repomd.xml: no <data type=\"updateinfo\">"
bad garbage "amazon=$B/repo/amazon-garbage/mirror.list" \
	"$B/repo/amazon-garbage/mirror.list: mirror.list: no http:// or https:// line"

# --mirror URL: URL/<feed>/<file> with the built-in catalog's file names
run murl db update --db "$T/murl.db" --cache-dir "$T/cache-murl" --mirror "$B" --source amazon --source rocky
check_eq "--mirror URL: exit status" 0 "$RC"
check_eq "--mirror URL: amazon (AL2, AL2022, AL2023)" 5 "$(records amazon murl)"
check_eq "--mirror URL: rocky" 3 "$(records rocky murl)"
# --mirror DIR: the files the mirror URL gave, as a folder (the server's --materialize would lay them out the same)
mkdir -p "$T/mirror/amazon" "$T/mirror/rocky"
cp "$T/cache-murl/amazon/download/"*updateinfo.xml.gz "$T/mirror/amazon/"
cp "$T/cache-murl/rocky/download/"*updateinfo.xml.gz "$T/mirror/rocky/"
run mdir db update --db "$T/mdir.db" --cache-dir "$T/cache-mdir" --mirror "$T/mirror" --source amazon --source rocky
check_eq "--mirror DIR: exit status" 0 "$RC"
check_eq "--mirror DIR: amazon" 5 "$(records amazon mdir)"
check_eq "--mirror DIR: rocky" 3 "$(records rocky mdir)"
# bundle round trip
run export db export --db "$T/mdir.db" "$T/bundle.tar.zst"
check_eq "bundle export: exit status" 0 "$RC"
run bimport db import --db "$T/bundle.db" "$T/bundle.tar.zst"
check_eq "bundle import: exit status" 0 "$RC"
"$VIGIL" db show --db "$T/mdir.db" RLSA-2019:1972 >"$T/show-a" 2>&1
"$VIGIL" db show --db "$T/bundle.db" RLSA-2019:1972 >"$T/show-b" 2>&1
check "bundle: RLSA-2019:1972 with its module stream" grep -q "module ruby:2.6" "$T/show-b"
check_same "bundle: the same record after the round trip" "$T/show-a" "$T/show-b"
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null

it_done
