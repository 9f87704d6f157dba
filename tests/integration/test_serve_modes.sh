#!/bin/bash
# tests/integration/test_serve_modes.sh: Clair's modes and the periodic
# feed update, with several vigil serve processes on one store (an SQLite
# file here; PostgreSQL with VIGIL_TEST_PG). A matcher node starts on an
# empty store with --update-period and a feed mirror (feedserver.py
# --materialize of the shared snapshots): after its first update /readyz
# is 200 on every node of the store. A second matcher started during that update
# skips its turn (the lock feed:update). An indexer node indexes the
# Ubuntu 18.04 layer; the matcher answers its VulnerabilityReport, equal to
# `vigil scan` of the same root filesystem; each node answers 404 naming
# its mode for the other's endpoints and for the v1 API. A node started with
# only a Clair config's matcher.period (no --update-period) runs the update;
# matcher.disable_updaters: true turns it off, and such a node on an empty
# store answers vulnerability_report 202, as Clair's matcher before its
# first update. A bad --mode is a usage error.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
"$VIGIL" serve --help 2>/dev/null | grep -q -- --mode || skip "$VIGIL serve has no --mode"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"

vrun badmode serve --mode both --listen 127.0.0.1:0 --db "$T/x.db"
check "a bad --mode: an error naming it" grep -q 'mode "both"' "$T/badmode.err"
check "a bad --mode: exit 1" [ "$VRC" = 1 ]

python3 "$SRC/tests/integration/lib/feedserver.py" --root "$DATA/feeds" --materialize "$T/mirror" >/dev/null
DB=$(newdb modes)

# ---- the matcher: an empty store, then its first update ----
start_node m1 "$DB" --mode matcher --update-period 3600 --update-mirror "$T/mirror"
M1_API=$NODE_API M1_INTRO=$NODE_INTRO
start_node m2 "$DB" --mode matcher --update-period 3600 --update-mirror "$T/mirror"
M2_INTRO=$NODE_INTRO
for _ in $(seq 600); do grep -q "feed update: [0-9]* feeds" "$T/m1.err" && break; sleep 0.2; done
check "matcher 1: its first update ran" grep -q "feed update: [0-9]* feeds, [0-9]* updated" "$T/m1.err"
for _ in $(seq 100); do grep -q "feed update" "$T/m2.err" && break; sleep 0.1; done
check "matcher 2: skipped its turn (another node was updating)" grep -q "another node is updating; skipped" "$T/m2.err"
check_eq "matcher: /readyz 200 once the data is there" 200 "$(code GET "$M1_INTRO/readyz")"
check_eq "matcher 2: /readyz 200 (the same database)" 200 "$(code GET "$M2_INTRO/readyz")"

# ---- the indexer ----
start_node idx "$DB" --mode indexer
I_API=$NODE_API
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
mkdir -p "$T/www"
tar -C "$T/fs/rootfs-ubuntu1804" -czf "$T/www/u.tar.gz" .
layer_server "$T/www"
UD=sha256:$(sha256sum "$T/www/u.tar.gz" | cut -d' ' -f1)
UM=sha256:$(printf 'modes %s' "$UD" | sha256sum | cut -d' ' -f1)
jq -n -c --arg h "$UM" --arg l "$UD" --arg u "$LAYER_URL/u.tar.gz" '{hash: $h, layers: [{hash: $l, uri: $u}]}' >"$T/m.json"

check_eq "indexer: POST index_report 201" 201 "$(code POST "$I_API/indexer/api/v1/index_report" --data-binary "@$T/m.json")"
check_eq "indexer: GET vulnerability_report is not its: 404" 404 "$(code GET "$I_API/matcher/api/v1/vulnerability_report/$UM")"
check "indexer: the 404 names the mode" grep -q "indexer mode" "$T/body"
check_eq "indexer: no v1 API: 404" 404 "$(code GET "$I_API/v1/namespaces")"
check_eq "indexer: /openapi/v1 still served" 200 "$(code GET "$I_API/openapi/v1")"
check_eq "matcher: POST index_report is not its: 404" 404 "$(code POST "$M1_API/indexer/api/v1/index_report" --data-binary "@$T/m.json")"
check "matcher: the 404 names the mode" grep -q "matcher mode" "$T/body"
check_eq "matcher: GET vulnerability_report of what the indexer indexed: 200" 200 \
	"$(code GET "$M1_API/matcher/api/v1/vulnerability_report/$UM")"
cp "$T/body" "$T/vr.json"
vrun scan scan "dir:$T/fs/rootfs-ubuntu1804" --db "$DB" --format json -q
check "scan: findings" [ "$(jq '.vulnerabilities | length' "$T/scan.out")" -gt 0 ]
check_eq "matcher: the findings are vigil scan's" \
	"$(jq -c '[.package_vulnerabilities | to_entries[] | .value[]] | sort' "$T/scan.out" | md5sum)" \
	"$(jq -c '[.package_vulnerabilities | to_entries[] | .value[]] | sort' "$T/vr.json" | md5sum)"
check_eq "matcher: update_operation lists the feeds" true \
	"$(curl -s "$M1_API/matcher/api/v1/internal/update_operation" | jq 'length > 3')"

# ---- the period from a Clair config alone (matcher.period; issue 12) ----
printf 'matcher:\n  period: 1h30m\n' >"$T/period.yaml"
start_node cfg "$DB" --mode matcher --config "$T/period.yaml" --update-mirror "$T/mirror"
for _ in $(seq 600); do grep -q "feed update: [0-9]* feeds" "$T/cfg.err" && break; sleep 0.2; done
check "config only: matcher.period 1h30m is the update period" grep -q "feed update every 5400 s" "$T/cfg.err"
check "config only: the update ran at start" grep -q "feed update: [0-9]* feeds, [0-9]* updated" "$T/cfg.err"
check "config only: no 'Clair key not used' for matcher.period" bash -c "! grep -q 'matcher.period' '$T/cfg.err'"
printf 'matcher:\n  period: 30m\n  disable_updaters: true\n' >"$T/off.yaml"
start_node off "$(newdb off)" --mode matcher --config "$T/off.yaml" --update-mirror "$T/mirror"
check "matcher.disable_updaters: true: no update" bash -c "! grep -q 'feed update' '$T/off.err'"
check_eq "no vulnerability data yet: GET vulnerability_report 202, as Clair's matcher" 202 \
	"$(code GET "$NODE_off_API/matcher/api/v1/vulnerability_report/$UM")"
check "the 202 has no body" test ! -s "$T/body"

for n in m1 m2 idx cfg off; do
	pid_var=NODE_${n}_PID
	kill -TERM "${!pid_var}"
	wait "${!pid_var}"
	check_eq "$n: SIGTERM: exit 0" 0 "$?"
done
for n in m1 m2 idx cfg off; do
	check "$n: no sanitizer report" bash -c "! grep -qE 'AddressSanitizer|runtime error:' '$T/$n.err'"
done
it_done
