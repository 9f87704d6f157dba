#!/usr/bin/env bash
# tests/integration/test_distro_fedora.sh: Fedora end to end on the real
# Bodhi update records of shared/testdata/feeds/fedora (issue 16).
#
# 1. `vigil db import` of the folder: 4 records from the 4 Fedora updates,
#    the 2 EPEL-7 updates skipped with a warning naming each file, vunnel's
#    snapshots never taken as feeds.
# 2. Root filesystems with a real rpm database (lib/mkrpmdb.sh) scanned as
#    dir:, findings asserted exactly:
#    - fedora:36 (syft's real Fedora os-release): httpd below the fixed build
#      (found, fixed 0:2.4.55-1.fc36), a subpackage matched through its
#      SOURCERPM (httpd-tools), the fixed build itself and a newer one (not
#      found), mod_ssl with its own Epoch 1 (not found: an epoch is compared
#      first; see docs/accuracy.md ## Fedora), a fedora:21-only package (not
#      found: namespaces never mix);
#    - fedora:37: an F36 build (.fc36) below F37's fixed .fc37 (found);
#    - fedora:21 detected from /etc/fedora-release alone (the fallback):
#      drupal7 and dokuwiki below their fixes (found, the release-level
#      order of 0-0.23 < 0-0.24), dokuwiki at the fix (not found), an EPEL-only
#      package (not found).
#    Every finding agrees with vunnel's snapshots (snapshots/merge/fedora:N):
#    each CVE alias names the advisory, the source package and the fixed
#    version vunnel gives.
# 3. Online against lib/bodhiserver.py (127.0.0.1 only): the paged API
#    (rows_per_page=1: F21 is two pages), 4 records; a second update is all
#    304; a page that says the wrong page number and an unknown release
#    (400) fail naming the URL while the data stays; a mirror folder and a
#    mirror URL of the downloaded pages; a bundle export/import round trip.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
for t in python3 curl rpmbuild rpm; do command -v $t >/dev/null 2>&1 || skip "$t is missing"; done
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEDORA=$DATA/feeds/fedora
[ -d "$FEDORA/vunnel-bodhi/merge-input" ] || skip "no Fedora feed at $FEDORA"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fedora.XXXXXX")
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
	[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/lib/db.sh"
export VIGIL_DB=$T/default.db XDG_CONFIG_HOME=$T/xdg HOME=$T/home
unset VIGIL_SOURCES http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
mkdir -p "$HOME"

sanitizer() { ! grep -q -e 'AddressSanitizer' -e 'runtime error' "$1"; }

# ---- 1. import
DB=$(vigil_db imp)
"$VIGIL" db import "$FEDORA" --db "$DB" >"$T/imp.out" 2>"$T/imp.err"
check_eq "import: exit 0" 0 $?
check "import: sanitizer-clean" sanitizer "$T/imp.err"
check "import: 6 files -> 4 records" grep -q '^fedora .* 6 files -> 4 records, 4 affected' "$T/imp.out"
for f in FEDORA-EPEL-2014-4901 FEDORA-EPEL-2017-a8886eb42e; do
	check "import: $f skipped with a warning" \
		grep -q "$f.json: 1 updates of releases other than Fedora's (EPEL-7): skipped" "$T/imp.err"
done
check "import: the snapshots are no feed" bash -c "! grep -q 'snapshots' '$T/imp.out'"
check_eq "import: only fedora" "fedora" "$("$VIGIL" db status --db "$DB" | awk 'NR>1{print $1}' | sort -u | xargs)"

# ---- 2. root filesystems
mkroot() { # NAME OS-RELEASE-FILE|- FEDORA-RELEASE-TEXT|- <<LIST
	local r=$T/$1
	mkdir -p "$r/etc"
	[ "$2" = - ] || cp "$2" "$r/etc/os-release"
	[ "$3" = - ] || printf '%s\n' "$3" >"$r/etc/fedora-release"
	cat >"$T/$1.list"
	bash "$SRC/tests/integration/lib/mkrpmdb.sh" "$r" "$T/$1.list" || fail "mkrpmdb $1"
}
# findings as "package version id fixed aliases..." lines, sorted
findings() { # ROOT DB
	"$VIGIL" scan "dir:$T/$1" --db "$2" --format flat -q 2>"$T/$1.err" >"$T/$1.json"
	python3 - "$T/$1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("namespace", d["namespace"])
for f in sorted(d["findings"], key=lambda f: (f["package"], f["id"])):
    print(f["package"], f["version"], f["id"], f["fixed"], f["severity"], " ".join(f.get("aliases") or []))
PY
}

OSR=$DATA/pkgdb/os-release/syft_fedora.os-release # VERSION_ID=36
mkroot f36 "$OSR" - <<'EOF'
httpd 2.4.54-1.fc36
httpd-tools 2.4.54-1.fc36 x86_64 httpd
httpd-filesystem 2.4.55-1.fc36 noarch httpd
httpd-core 2.4.56-1.fc36 x86_64 httpd
mod_ssl 1:2.4.54-1.fc36 x86_64 httpd
drupal7 7.33-1.fc36 noarch
EOF
sed 's/VERSION_ID=36/VERSION_ID=37/' "$OSR" >"$T/os-release-37"
mkroot f37 "$T/os-release-37" - <<'EOF'
httpd 2.4.55-1.fc36
EOF
mkroot f21 - "Fedora release 21 (Twenty One)" <<'EOF'
drupal7 7.33-1.fc21 noarch
dokuwiki 0-0.23.20140929b.fc21 noarch
dokuwiki-selinux 0-0.24.20140929c.fc21 noarch dokuwiki
mingw32-binutils 2.24-1.el7 noarch mingw-binutils
EOF

H="CVE-2022-37436 CVE-2006-20001 CVE-2022-36760"
cat >"$T/want-f36" <<EOF
namespace fedora:36
httpd 2.4.54-1.fc36 FEDORA-2023-6d4055d482 0:2.4.55-1.fc36 Medium $H
httpd-tools 2.4.54-1.fc36 FEDORA-2023-6d4055d482 0:2.4.55-1.fc36 Medium $H
EOF
cat >"$T/want-f37" <<EOF
namespace fedora:37
httpd 2.4.55-1.fc36 FEDORA-2023-f6ff3f85eb 0:2.4.55-1.fc37 Medium $H
EOF
cat >"$T/want-f21" <<EOF
namespace fedora:21
dokuwiki 0-0.23.20140929b.fc21 FEDORA-2015-3186 0:0-0.24.20140929c.fc21 Unknown CVE-2012-6662 CVE-2014-9253 CVE-2015-2172
drupal7 7.33-1.fc21 FEDORA-2014-15583 0:7.34-1.fc21 Unknown CVE-2012-6662 CVE-2014-9015 CVE-2014-9016
EOF
for r in f36 f37 f21; do
	findings $r "$DB" >"$T/got-$r"
	check_same "scan $r: findings" "$T/want-$r" "$T/got-$r"
	check "scan $r: sanitizer-clean" sanitizer "$T/$r.err"
done
check "f21: distribution from etc/fedora-release" \
	python3 -c "import json,sys; d=json.load(open('$T/f21.json')); sys.exit(d['distribution'] != 'Fedora release 21 (Twenty One)')"

# vunnel's opinion: each (finding, CVE alias) is a FixedIn of its snapshot
# with the advisory, the source package (the rpm's SOURCERPM name) and version
python3 - "$FEDORA/vunnel-bodhi/snapshots/merge" "$T" >"$T/vunnel.out" 2>&1 <<'PY'
import json, os, sys
snap, t = sys.argv[1], sys.argv[2]
bad = n = 0
for r in ("f36", "f37", "f21"):
    d = json.load(open(os.path.join(t, r + ".json")))
    ns = d["namespace"]
    for f in d["findings"]:
        src = f["purl"].split("upstream=")[1].rsplit("-", 2)[0] if "upstream=" in f["purl"] else f["package"]
        for cve in f["aliases"]:
            n += 1
            p = os.path.join(snap, ns, cve.lower() + ".json")
            fixed = json.load(open(p))["item"]["Vulnerability"]["FixedIn"] if os.path.exists(p) else []
            if not any(x["Name"] == src and x["Version"] == f["fixed"] and
                       x["VendorAdvisory"]["AdvisorySummary"][0]["ID"] == f["id"] for x in fixed):
                bad += 1
                print("differs:", r, f["id"], cve, src, f["fixed"])
print("compared", n, "differ", bad)
PY
check_eq "vunnel's snapshots agree with every finding" "compared 15 differ 0" "$(tail -n 1 "$T/vunnel.out")"

# ---- 3. online: the stand-in Bodhi
python3 "$SRC/tests/integration/lib/bodhiserver.py" --updates "$FEDORA/vunnel-bodhi/merge-input" \
	--port-file "$T/port" --static "$T/mirror" --max-seconds 300 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { cat "$T/server.err"; echo "FAIL: bodhiserver did not start"; exit 1; }
B=http://127.0.0.1:$(cat "$T/port")
note "bodhiserver (pid $SERVER_PID) at $B"
Q="$B/updates/?type=security&status=stable&rows_per_page=1&releases"
cat >"$T/sources.conf" <<EOF
fedora $Q=F21 F21
fedora $Q=F36 F36
fedora $Q=F37 F37
EOF
UDB=$(vigil_db online)
run() { # NAME args...
	local name=$1
	shift
	"$VIGIL" db update --db "$UDB" --cache-dir "$T/cache" --source fedora -q "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	check "$name: sanitizer-clean" sanitizer "$T/$name.err"
}
run up1 --config "$T/sources.conf"
check_eq "update: exit 0" 0 "$RC"
check "update: 4 records" grep -q '^fedora .*-> 4 records' "$T/up1.out"
check_eq "update: the pages saved" "F21-00001.json F21-00002.json F36-00001.json F37-00001.json" \
	"$(cd "$T/cache/fedora/download" && ls | xargs)"
findings f36 "$UDB" >"$T/got-online-f36"
check_same "update: the same findings" "$T/want-f36" "$T/got-online-f36"
run up2 --config "$T/sources.conf"
check_eq "update again: exit 0" 0 "$RC"
check "update again: all 304" grep -q '^fedora \+unchanged: 4 requests answered 304' "$T/up2.out"

curl -fsS "$B/_fault?mode=wrongpage" >/dev/null
run up3 --config "$T/sources.conf" --force
check_eq "a page that says the wrong page: exit 1" 1 "$RC"
check "the error names the URL (redacted) and the page" \
	grep -q "^fedora .*FAILED: $B/updates/?type=\*\*\*&.*&page=\*\*\*: the answer is page 1, not 2" "$T/up3.out"
check "the bad page is not kept" test ! -e "$T/cache/fedora/download/F21-00002.json"
curl -fsS "$B/_fault?mode=none" >/dev/null
run up4 --source-url "fedora=$Q=EPEL-9"
check_eq "an unknown release (400): exit 1" 1 "$RC"
check "the error names the URL and the status" \
	grep -q "^fedora .*FAILED: $B/updates/?type=.*: the server answered HTTP 400" "$T/up4.out"
check "the data stays" bash -c "'$VIGIL' db status --db '$UDB' | grep -q '^fedora .* 4 '"
run up5 --config "$T/sources.conf"
check_eq "after the faults: exit 0" 0 "$RC"
check "after the faults: the pages again" test -s "$T/cache/fedora/download/F21-00002.json"

# a mirror: the downloaded pages as DIR/fedora/, then served as URL/fedora/<file>
mkdir -p "$T/mirror/fedora"
cp "$T/cache/fedora/download/"*.json "$T/mirror/fedora/"
MDB=$(vigil_db mirror-dir)
"$VIGIL" db update --db "$MDB" --cache-dir "$T/cache-md" --source fedora --config "$T/sources.conf" \
	--mirror "$T/mirror" -q >"$T/md.out" 2>"$T/md.err"
check_eq "--mirror DIR: exit 0" 0 $?
check "--mirror DIR: 4 records" grep -q '^fedora .*-> 4 records' "$T/md.out"
MUDB=$(vigil_db mirror-url)
"$VIGIL" db update --db "$MUDB" --cache-dir "$T/cache-mu" --source fedora --config "$T/sources.conf" \
	--mirror "$B" -q >"$T/mu.out" 2>"$T/mu.err"
check_eq "--mirror URL: exit 0" 0 $?
check "--mirror URL: 4 records" grep -q '^fedora .*-> 4 records' "$T/mu.out"

# a bundle round trip
"$VIGIL" db export "$T/bundle.tar.zst" --db "$UDB" >"$T/exp.out" 2>&1
check_eq "export: exit 0" 0 $?
BDB=$(vigil_db bundle)
"$VIGIL" db import "$T/bundle.tar.zst" --db "$BDB" >"$T/bimp.out" 2>&1
check_eq "bundle import: exit 0" 0 $?
findings f21 "$BDB" >"$T/got-bundle-f21"
check_same "bundle: the same findings" "$T/want-f21" "$T/got-bundle-f21"

it_done
