#!/usr/bin/env bash
# tests/integration/test_db_update.sh: `vigil db update` end to end against
# a local stand-in for the upstreams (lib/feedserver.py on 127.0.0.1,
# serving the real feeds of shared/testdata/feeds; no other host is ever
# contacted): the first update imports every feed (records > 0 each), the
# second is all 304 and writes nothing (same operations, same feed status),
# a feed whose upstream answers 500, cuts its body short, stalls mid-body or
# never answers fails with a message naming the URL while the others
# succeed and its previous data stays, a changed upstream makes a new
# operation, an optional URL that is gone is skipped, no reachable server
# at all gives exit status 3, and --mirror URL and --mirror DIR (with the
# server stopped) import the same feeds.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
set -uo pipefail

SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
command -v python3 >/dev/null 2>&1 || skip "python3 is missing"
command -v curl >/dev/null 2>&1 || skip "curl is missing"
FEEDS=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/feeds
[ -d "$FEEDS" ] || skip "no feed snapshots at $FEEDS"

T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-db-update.XXXXXX")
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
	[ -n "${VIGIL_IT_KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/lib/db.sh"
# never the user's store, sources file or proxy
export VIGIL_DB=$T/default.db XDG_CONFIG_HOME=$T/xdg HOME=$T/home
unset VIGIL_SOURCES NVD_API_KEY http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
mkdir -p "$HOME"

python3 "$SRC/tests/integration/lib/feedserver.py" --root "$FEEDS" --port-file "$T/port" \
	--max-seconds 900 2>"$T/server.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do [ -s "$T/port" ] && break; sleep 0.2; done
[ -s "$T/port" ] || { cat "$T/server.err"; echo "FAIL: feedserver did not start"; exit 1; }
B=http://127.0.0.1:$(cat "$T/port")
note "feedserver (pid $SERVER_PID) at $B"

DB=$(vigil_db v)
CACHE=$T/cache
# vigil db update, stdout and stderr to $T/$1.out / .err; exit status in RC
run() {
	local name=$1
	shift
	"$VIGIL" db update --db "$DB" --cache-dir "$CACHE" "$@" >"$T/$name.out" 2>"$T/$name.err"
	RC=$?
	if grep -q -e 'AddressSanitizer' -e 'runtime error' "$T/$name.err"; then
		fail "$name: sanitizer report"
		head -n 30 "$T/$name.err"
	fi
}
records() { sed -n "s/^$1 \+updated: .* -> \([0-9]\+\) records.*/\1/p" "$T/$2.out"; }
line_of() { grep "^$1 " "$T/$2.out" | head -n 1; }
fault() { curl -fsS "$B/_fault?prefix=$1&mode=$2" >/dev/null; }
stats() { curl -fsS "$B/_stats"; }
ops() { "$VIGIL" db ops --db "$DB" ${1:+"$1"} | awk '{print $1, $2, $4}'; }
# the raw feed status: a write (even a noted attempt) changes last_attempt
feed_status() {
	if vigil_db_is_pg || command -v sqlite3 >/dev/null 2>&1; then
		vigil_db_sql "$DB" "SELECT feed, last_attempt, coalesce(last_error, '') FROM feed_status ORDER BY feed"
	else
		"$VIGIL" db status --db "$DB" | awk '{print $1, $4, $5}' | sort
	fi
}

cat >"$T/sources.conf" <<EOF
# the feeds of shared/testdata as the local server serves them
debian       $B/debian/tracker.json
debian-lists $B/debian-lists/DSA-list
debian-lists $B/debian-lists/DLA-list
alpine       $B/alpine/v3.10-main.json v3.10-main.json
alpine       $B/alpine/v3.11-main.json v3.11-main.json
alpine       $B/alpine/v3.11-community.json v3.11-community.json
redhat-oval  $B/redhat-oval/ansible-2-including-unpatched.oval.xml.bz2
redhat-oval  $B/redhat-oval/dotnet-3.1-including-unpatched.oval.xml.bz2
osv          $B/osv/Go-all.zip
ubuntu       $B/ubuntu/ubuntu-cve-tracker.tar.gz
ubuntu-oval  $B/ubuntu-oval/com.ubuntu.bionic.cve.oval.xml.bz2
ubuntu-oval  $B/ubuntu-oval/com.ubuntu.focal.cve.oval.xml.bz2
ubuntu-oval  $B/ubuntu-oval/com.ubuntu.jammy.cve.oval.xml.bz2
ubuntu-oval  $B/ubuntu-oval/com.ubuntu.noble.cve.oval.xml.bz2
nvd          $B/api/nvd/cves/2.0?resultsPerPage=10
rubysec      $B/rubysec/ruby-advisory-db.tar.gz
friendsofphp $B/friendsofphp/security-advisories.tar.gz
nodejs-wg    $B/nodejs-wg/security-wg.tar.gz
amazon       $B/amazon/amzn2-core-updateinfo.xml.gz amzn2-core-updateinfo.xml.gz
rocky        $B/rocky/rocky-8-BaseOS-x86_64-updateinfo.xml.gz rocky-8-BaseOS-x86_64-updateinfo.xml.gz
alma         $B/alma/almalinux-8-errata.full.json almalinux-8-errata.full.json
alma-osv     $B/alma-osv/AlmaLinux-all.zip
rocky-osv    $B/rocky-osv/RockyLinux-all.zip
oracle       $B/oracle/all-positive-data.xml.bz2
oracle       $B/oracle/elsa-2018-1196-1.xml.bz2
suse-cvrf    $B/suse-cvrf/cvrf.tar.bz2 cvrf.tar.bz2
suse-oval    $B/suse-oval/suse.linux.enterprise.server.15.xml.bz2 suse.linux.enterprise.server.15.xml.bz2
photon       $B/photon/cve_data_photon3.0.json
photon-oval  $B/photon-oval/com.vmware.phsa-photon3.xml.gz
mariner      $B/mariner/azurelinux-3.0-oval.xml
mariner      $B/mariner/cbl-mariner-2.0-oval.xml
fedora       $B/fedora/bodhi-00001.json bodhi
wolfi        $B/wolfi/wolfi-security.json wolfi-security.json
chainguard   $B/chainguard/chainguard-security.json chainguard-security.json
wolfi-osv    $B/wolfi-osv/Wolfi-all.zip Wolfi-all.zip
chainguard-osv $B/chainguard-osv/Chainguard-all.zip Chainguard-all.zip
EOF
CONF=(--config "$T/sources.conf")

FEEDLIST="debian alpine redhat-oval osv ubuntu ubuntu-oval nvd rubysec friendsofphp nodejs-wg amazon rocky alma alma-osv rocky-osv oracle suse-cvrf suse-oval photon photon-oval mariner fedora wolfi chainguard wolfi-osv chainguard-osv"
# debian-lists counts only where the importer recognises the DSA/DLA lists
"$VIGIL" db import --db "$(vigil_db probe)" "$FEEDS/debian/tracker-lists" >"$T/probe.out" 2>&1
if grep -q "^debian-lists .* -> [1-9][0-9]* records" "$T/probe.out"; then
	FEEDLIST="$FEEDLIST debian-lists"
else
	note "debian-lists left out of the checks: 'vigil db import' does not recognise the tracker's DSA/DLA lists here"
fi

# ---- 1. the first update imports every feed
run first "${CONF[@]}"
for f in $FEEDLIST; do
	n=$(records "$f" first)
	check "first update: $f imported (${n:-no} records)" [ "${n:-0}" -gt 0 ]
done
check_eq "first update: nvd paged 5 requests (42 records, 10 a page)" 5 \
	"$(sed -n 's/^nvd .*; \([0-9]*\) requests.*/\1/p' "$T/first.out")"
check "first update: quiet in a pipe (no progress line)" bash -c "! grep -q $'\r' '$T/first.err'"
ops >"$T/ops1"
feed_status >"$T/status1"

# ---- 2. the second is all 304 and writes nothing
SOURCES=()
for f in $FEEDLIST; do SOURCES+=(--source "$f"); done
curl -fsS "$B/_reset" >/dev/null
sleep 1 # a write would change the feed status's time
run second "${CONF[@]}" "${SOURCES[@]}"
check_eq "second update: exit status" 0 "$RC"
for f in $FEEDLIST; do
	check "second update: $f unchanged, all 304" grep -q "^$f \+unchanged: [0-9]* requests answered 304" "$T/second.out"
done
s=$(stats)
check "second update: the server sent no body (${s})" bash -c "! grep -q '\"200\"' <<<'$s'"
ops >"$T/ops2"
feed_status >"$T/status2"
check_same "second update: same operations" "$T/ops1" "$T/ops2"
check_same "second update: same feed status (nothing written)" "$T/status1" "$T/status2"

# ---- 3. failures: named, bounded in time, the others go on, old data kept
ops alpine >"$T/alpine1"
fault /alpine/ 500
run f500 "${CONF[@]}" --source alpine --source debian
check_eq "HTTP 500: exit status 1" 1 "$RC"
check "HTTP 500: alpine failed naming the URL" grep -q \
	"^alpine .*FAILED: $B/alpine/v3.10-main.json: the server answered HTTP 500" "$T/f500.out"
check "HTTP 500: debian went on" grep -q "^debian \+unchanged" "$T/f500.out"
ops alpine >"$T/alpine2"
check_same "HTTP 500: alpine's previous data kept" "$T/alpine1" "$T/alpine2"
check "HTTP 500: db status shows it" bash -c "'$VIGIL' db status --db '$DB' | grep -q '^alpine .*HTTP 500'"
fault /alpine/ none

ops debian >"$T/debian1"
fault /debian/ truncate
run cut "${CONF[@]}" --source debian --source redhat-oval
check_eq "cut short: exit status 1" 1 "$RC"
check "cut short: debian failed naming the URL" grep -q \
	"^debian .*FAILED: $B/debian/tracker.json: body cut short" "$T/cut.out"
check "cut short: redhat-oval went on" grep -q "^redhat-oval \+unchanged" "$T/cut.out"
ops debian >"$T/debian2"
check_same "cut short: debian's previous data kept" "$T/debian1" "$T/debian2"
fault /debian/ none

fault /osv/ stall
fault /ubuntu/ slowloris
start=$(date +%s)
run stall "${CONF[@]}" --source osv --source ubuntu --source nvd --stall-timeout 2
took=$(($(date +%s) - start))
check_eq "stalls: exit status 1" 1 "$RC"
check "stalls: osv stalled mid-body, named" grep -q "^osv .*FAILED: $B/osv/Go-all.zip: stalled" "$T/stall.out"
check "stalls: ubuntu never answered, named" grep -q \
	"^ubuntu .*FAILED: $B/ubuntu/ubuntu-cve-tracker.tar.gz: stalled: .* after 0 bytes" "$T/stall.out"
check "stalls: nvd went on" grep -q "^nvd \+unchanged" "$T/stall.out"
check "stalls: over in bounded time (${took}s)" [ "$took" -lt 25 ]
fault /osv/ none
fault /ubuntu/ none
ops >"$T/ops3"
check_same "after the failures: every feed's data as it was" "$T/ops1" "$T/ops3"

# the failed feeds recover on the next run (same content: no new operation)
run recover "${CONF[@]}"
check_eq "recovery: exit status" "$(grep -q '^debian-lists .*FAILED' "$T/recover.out" && echo 1 || echo 0)" "$RC"
ops >"$T/ops4"
check_same "recovery: the same operations" "$T/ops1" "$T/ops4"
check "recovery: db status clean again" bash -c "'$VIGIL' db status --db '$DB' | grep -v '^debian-lists' | grep -v -q 'HTTP\|stalled\|cut short'"

# ---- 4. a changed upstream is a new operation; a gone optional URL is skipped
run changed "${CONF[@]}" --source alpine --source-url "alpine=$B/alpine/v3.9-main.json"
check_eq "changed upstream: exit status" 0 "$RC"
new=$(line_of alpine changed | sed -n 's/.*(operation \([0-9a-f-]*\)).*/\1/p')
check "changed upstream: alpine has a new operation ($new)" bash -c "[ -n '$new' ] && ! grep -q '$new' '$T/ops1'"
cat >"$T/optional.conf" <<EOF
alpine $B/alpine/v3.11-main.json v3.11-main.json
alpine $B/alpine/v3.99-main.json v3.99-main.json optional
EOF
run optional --config "$T/optional.conf" --source alpine
check_eq "optional URL gone: exit status 0" 0 "$RC"
check "optional URL gone: a warning names it" grep -q "alpine: $B/alpine/v3.99-main.json: not found (404), skipped" "$T/optional.err"

# ---- 5. nothing reachable: exit status 3, a plain message, nothing changed
sed "s#$B#http://127.0.0.1:9#" "$T/sources.conf" >"$T/dead.conf"
ops >"$T/ops5"
run offline --config "$T/dead.conf"
check_eq "offline: exit status 3" 3 "$RC"
check "offline: says no feed could be reached" grep -q "no feed could be reached" "$T/offline.err"
ops >"$T/ops6"
check_same "offline: data unchanged" "$T/ops5" "$T/ops6"
run badname --source no-such-feed
check_eq "unknown feed: usage error" 2 "$RC"

# ---- 6. --mirror URL: URL/<feed>/<file>, NVD as page-NNNNN.json
DB=$(vigil_db mirror-url) CACHE=$T/cache-mirror run murl "${CONF[@]}" --mirror "$B"
for f in $FEEDLIST; do
	n=$(records "$f" murl)
	check "--mirror URL: $f imported (${n:-no} records)" [ "${n:-0}" -gt 0 ]
done
DB=$(vigil_db mirror-url) CACHE=$T/cache-mirror run murl2 "${CONF[@]}" --mirror "$B"
for f in $FEEDLIST; do
	check "--mirror URL again: $f all 304" grep -q "^$f \+unchanged: [0-9]* requests answered 304" "$T/murl2.out"
done

# ---- 7. --mirror DIR with no server at all, the built-in catalog
python3 "$SRC/tests/integration/lib/feedserver.py" --root "$FEEDS" --materialize "$T/mirror"
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
check "the server is gone" bash -c "! curl -fsS -m 2 '$B/_stats' >/dev/null 2>&1"
DB=$(vigil_db mirror-dir) CACHE=$T/cache-dir run mdir --mirror "$T/mirror"
for f in $FEEDLIST; do
	n=$(records "$f" mdir)
	check "--mirror DIR: $f imported (${n:-no} records)" [ "${n:-0}" -gt 0 ]
done
DB=$(vigil_db mirror-dir) CACHE=$T/cache-dir run mdir2 --mirror "$T/mirror"
for f in $FEEDLIST; do
	check "--mirror DIR again: $f unchanged" grep -q "^$f \+unchanged" "$T/mdir2.out"
done

it_done
