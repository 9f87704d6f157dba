#!/bin/bash
# tests/integration/test_serve_v1_clair2.sh: `vigil serve --config` with
# Clair 2's config file (coreos/clair v2's config.example.yaml, as the
# tutorials deploy it: everything under clair:), nothing else on the
# command line but a local feed mirror: clair.api.port is the API
# (GET /v1/namespaces answers there), clair.api.healthport answers Clair
# 2's GET /health (200, empty body), clair.database.options.source is the
# store (newdb: an SQLite file, or PostgreSQL with VIGIL_TEST_PG),
# clair.updater.interval starts the periodic feed update (its first run
# fills the store: /readyz 200 on the health port); the keys read but not
# used are warnings naming them. Before: "clair: unknown key", the API on
# :6060 and nothing on the health port. Every probe goes to 127.0.0.1 (the
# ports are bound on every address, as Clair 2 binds them); the server is
# killed by PID at exit.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"
# shellcheck source=lib/serve.sh
. "$(dirname "$0")/lib/serve.sh"

python3 "$SRC/tests/integration/lib/feedserver.py" --root "$DATA/feeds" --materialize "$T/mirror" >/dev/null
DB=$(newdb clair2)
AP=$(free_port)
HP=$(free_port)
cat >"$T/clair2.yaml" <<YAML
# Clair 2's example config (config.example.yaml), its values as deployed
clair:
  database:
    type: pgsql
    options:
      source: $DB
      cachesize: 16384
  api:
    port: $AP
    healthport: $HP
    timeout: 900s
    paginationkey:
    servername:
    cafile:
    keyfile:
    certfile:
  updater:
    interval: 2h
  notifier:
    attempts: 3
    renotifyinterval: 2h
    http:
      endpoint:
      proxy:
YAML
"$VIGIL" serve --config "$T/clair2.yaml" --update-mirror "$T/mirror" >"$T/c2.out" 2>"$T/c2.err" &
SERVE_PIDS+=($!)
API=http://127.0.0.1:$AP
HEALTH=http://127.0.0.1:$HP
up=0
for _ in $(seq 300); do curl -s -o /dev/null "$HEALTH/health" && { up=1; break; }; sleep 0.1; done
check_eq "the health port (clair.api.healthport) answers" 1 "$up"
check_eq "GET /health: 200 (Clair 2)" 200 "$(code GET "$HEALTH/health")"
check_eq "GET /health: an empty body (Clair 2)" 0 "$(wc -c <"$T/body")"
check_eq "the API port (clair.api.port): GET /v1/namespaces 200" 200 "$(code GET "$API/v1/namespaces")"
check "the API answers in Clair 2's shape" jq -e '.Namespaces | type == "array"' "$T/body"
check "clair.updater.interval: the feed update every 7200 s" grep -q "feed update every 7200 s" "$T/c2.err"
for _ in $(seq 600); do grep -q "feed update: [0-9]* feeds" "$T/c2.err" && break; sleep 0.2; done
check "the first feed update ran" grep -q "feed update: [0-9]* feeds, [0-9]* updated" "$T/c2.err"
check_eq "after it, /readyz 200 on the health port" 200 "$(code GET "$HEALTH/readyz")"
check "the namespaces of the feeds are listed" bash -c "curl -s '$API/v1/namespaces' | jq -e '.Namespaces | length > 0'"
"$VIGIL" db status --db "$DB" >"$T/status.txt" 2>&1
check "the store is clair.database.options.source: the update went there" grep -qi ubuntu "$T/status.txt"
# the keys read but not used: one warning each, naming it
for k in clair.database.type clair.database.options.cachesize clair.api.timeout clair.notifier; do
	check "warned: $k" grep -q "clair2.yaml: line [0-9]*: $k: Clair 2 key not used by vigil" "$T/c2.err"
done
check "no key of the applied ones is warned" bash -c "! grep -E 'clair.api.(port|healthport)|source|interval:|unknown key' '$T/c2.err'"
it_done
