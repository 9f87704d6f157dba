#!/bin/bash
# tests/integration/test_fleet.sh: several vigil nodes on one PostgreSQL
# (issue 6), for real: a PostgreSQL started by the test on 127.0.0.1
# (scripts/pg-test.sh: runuser initdb + pg_ctl), `vigil db migrate` and the
# feeds imported into it, then
#   - three combo nodes get the same three manifests at once (nine POSTs):
#     every POST is 201, each manifest is indexed once across the nodes
#     (vigil_manifests_indexed_total summed), each layer is fetched once
#     (the layer server's log), and every node returns the same reports;
#   - a node with a pool of 2 connections answers 20 clients at once;
#   - PostgreSQL stopped under load: requests get 503 naming the database,
#     nothing else; started again: every node answers again by itself, and
#     nothing is half-written (every update operation has its records,
#     every stored IndexReport is answered);
#   - a node killed with SIGKILL in the middle of indexing (a layer served
#     slowly): another node indexes the same manifest afterwards, and no
#     advisory lock is left in pg_locks.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] || skip "no shared test data at $DATA"

# ---- PostgreSQL, ours (the test restarts it) ----
PGPORT=$(free_port)
PGDIR=$T/pg
mkdir -p "$PGDIR"
chmod 711 "$T" # the server's user reaches its folder
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR" 2>/dev/null
rc=0
BASE=$(bash "$SRC/scripts/pg-test.sh" start "$PGDIR" "$PGPORT" 2>"$T/pg.err") || rc=$?
[ "$rc" = 77 ] && skip "$(cat "$T/pg.err")"
[ "$rc" = 0 ] || { fail "pg-test.sh start: $(cat "$T/pg.err")"; it_done; }
pg_stop() { bash "$SRC/scripts/pg-test.sh" stop "$PGDIR" >/dev/null 2>&1; }
fleet_exit() { pg_stop; serve_stop_all; }
trap fleet_exit EXIT
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | head -n 1)")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql -q "$BASE" -c "CREATE DATABASE fleet" || { fail "CREATE DATABASE"; it_done; }
DSN=${BASE%/postgres}/fleet
sql() { psql -At "$DSN" -c "$1"; }

vrun migrate db migrate --db "$DSN"
expect_rc migrate 0
check "db migrate: names the schema version and the database" grep -q "schema version [0-9]" "$T/migrate.out"
vrun migrate2 db migrate --db "$DSN"
check_eq "db migrate again: the same" "$(cat "$T/migrate.out")" "$(cat "$T/migrate2.out")"
vrun import db import "$DATA/feeds/ubuntu/uct" "$DATA/feeds/debian" --db "$DSN"
expect_rc import 0

# ---- the layers and three manifests that share them ----
OCI=$IMAGES/oci
MD=$(oci_manifest "$OCI" v2)
mkdir -p "$T/www"
for d in $(jq -r '.layers[].digest' "$(blob "$OCI" "$MD")"); do
	cp "$(blob "$OCI" "$d")" "$T/www/${d#sha256:}"
done
bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
tar -C "$T/fs/rootfs-ubuntu1804" -czf "$T/u.tar.gz" .
UD=sha256:$(sha256sum "$T/u.tar.gz" | cut -d' ' -f1)
cp "$T/u.tar.gz" "$T/www/${UD#sha256:}"
layer_server "$T/www"
man() { # man NAME DIGEST... -> $T/NAME.json, echo its hash
	local name=$1 h
	shift
	h=sha256:$(printf 'fleet %s %s' "$name" "$*" | sha256sum | cut -d' ' -f1)
	printf '%s\n' "$@" | jq -R . | jq -s -c --arg h "$h" --arg b "$LAYER_URL/" \
		'{hash: $h, layers: [.[] | {hash: ., uri: ($b + sub("sha256:"; ""))}]}' >"$T/$name.json"
	echo "$h"
}
mapfile -t DL < <(jq -r '.layers[].digest' "$(blob "$OCI" "$MD")")
H1=$(man debian "${DL[@]}")
H2=$(man ubuntu "$UD")
H3=$(man mixed "${DL[0]}" "$UD")

start_node a "$DSN"
start_node b "$DSN"
start_node c "$DSN"
NODES=(a b c)
i=0
for n in "${NODES[@]}"; do
	for m in debian ubuntu mixed; do
		api=NODE_${n}_API
		curl -s -o "$T/p-$n-$m.json" -w '%{http_code}' -X POST "${!api}/indexer/api/v1/index_report" \
			--data-binary "@$T/$m.json" >"$T/p-$n-$m.code" &
		i=$((i + 1))
	done
done
wait_curls() { local p; for p in $(jobs -p); do case " ${SERVE_PIDS[*]} " in *" $p "*) ;; *) wait "$p" ;; esac; done; }
wait_curls
bad=0
for f in "$T"/p-*.code; do [ "$(cat "$f")" = 201 ] || { bad=1; note "$(basename "$f"): $(cat "$f")"; }; done
check_eq "nine POSTs of three manifests to three nodes at once: all 201" 0 "$bad"
total=0
for n in "${NODES[@]}"; do
	intro=NODE_${n}_INTRO
	total=$((total + $(metric "${!intro}" vigil_manifests_indexed_total)))
done
check_eq "each manifest indexed once across the nodes" 3 "$total"
nl=$((${#DL[@]} + 1))
check_eq "each of the $nl layers fetched once across the nodes" "$nl" "$(grep -c '"GET /[0-9a-f]' "$LAYER_LOG")"
grep '"GET /[0-9a-f]' "$LAYER_LOG" | sort -k7 | uniq -d -f6 | sed 's/^/  twice: /'
check_eq "the store holds three index reports" 3 "$(sql 'SELECT count(*) FROM index_report')"
for m in debian ubuntu mixed; do
	h=$(jq -r .hash "$T/$m.json")
	for n in "${NODES[@]}"; do
		api=NODE_${n}_API
		code GET "${!api}/matcher/api/v1/vulnerability_report/$h" >"$T/vr-$n-$m.code"
		jq -S -c . "$T/body" >"$T/vr-$n-$m.json"
		jq -S -c . "$T/p-$n-$m.json" >"$T/ir-$n-$m.json"
	done
	check_same "$m: node b's VulnerabilityReport = node a's" "$T/vr-a-$m.json" "$T/vr-b-$m.json"
	check_same "$m: node c's VulnerabilityReport = node a's" "$T/vr-a-$m.json" "$T/vr-c-$m.json"
	check_same "$m: every node got the same IndexReport" "$T/ir-a-$m.json" "$T/ir-c-$m.json"
done
check "ubuntu: findings over the fleet" [ "$(jq '[.package_vulnerabilities[] | length] | add' "$T/vr-a-ubuntu.json")" -gt 100 ]
vrun scan scan "dir:$T/fs/rootfs-ubuntu1804" --db "$DSN" --format json -q
check_eq "ubuntu: the fleet's findings are vigil scan's" \
	"$(jq -c '[.package_vulnerabilities[][]] | sort' "$T/scan.out" | md5sum)" \
	"$(jq -c '[.package_vulnerabilities[][]] | sort' "$T/vr-a-ubuntu.json" | md5sum)"

# ---- a pool of two connections, twenty clients ----
start_node small "${DSN}?pool_size=2"
for k in $(seq 20); do
	curl -s -o /dev/null -w '%{http_code}\n' "$NODE_small_API/matcher/api/v1/vulnerability_report/$H2" >"$T/pool-$k.code" &
done
wait_curls
check_eq "pool of 2, 20 clients at once: every one answered 200" 20 "$(cat "$T"/pool-*.code | grep -c '^200$')"

# ---- PostgreSQL stopped under load, then started again ----
# clients keep asking all through the stop and the start: 200 or 503, nothing else
(
	end=$((SECONDS + 8))
	while [ "$SECONDS" -lt "$end" ]; do
		for n in a b c; do
			api=NODE_${n}_API
			for u in "matcher/api/v1/vulnerability_report/$H2" "indexer/api/v1/index_report/$H3"; do
				c=$(curl -s -o "$T/load.body" -m 20 -w '%{http_code}' "${!api}/$u")
				echo "$c"
				case $c in 20?) ;; *) echo "$c $u $(head -c 300 "$T/load.body")" >>"$T/load.errors" ;; esac
			done
		done
	done >"$T/load.codes"
) &
LOADPID=$!
sleep 0.5
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null
# a cached report is answered while the feeds' state read last is under
# 3 s old; then the node asks the store itself: 503
for _ in $(seq 60); do
	c=$(code GET "$NODE_a_API/matcher/api/v1/vulnerability_report/$H1")
	[ "$c" = 503 ] && break
	sleep 0.1
done
check_eq "database down: 503 (within 6 s)" 503 "$c"
check "database down: the message names PostgreSQL" grep -qi "postgres" "$T/body"
check_eq "database down: POST 503" 503 "$(code POST "$NODE_b_API/indexer/api/v1/index_report" --data-binary "@$T/ubuntu.json")"
check_eq "database down: /readyz 503" 503 "$(code GET "$NODE_a_INTRO/readyz")"
check_eq "database down: /healthz (the process) 200" 200 "$(code GET "$NODE_a_INTRO/healthz")"
vrun import-down db import "$DATA/feeds/debian" --db "$DSN"
check "database down: db import fails" [ "$VRC" != 0 ]
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w start \
	-o "-k $PGDIR -h 127.0.0.1 -p $PGPORT -F" >/dev/null
for n in "${NODES[@]}"; do
	api=NODE_${n}_API
	ok=0
	for _ in $(seq 50); do
		[ "$(code GET "${!api}/matcher/api/v1/vulnerability_report/$H1")" = 200 ] && { ok=1; break; }
		sleep 0.2
	done
	check_eq "database back: node $n answers again by itself" 1 "$ok"
done
wait "$LOADPID"
check "under load through the restart: $(sort "$T/load.codes" | uniq -c | tr -s ' \n' ' ')" \
	bash -c "! grep -qv '^\(200\|201\|503\)$' '$T/load.codes'"
check "under load through the restart: some 503" grep -q '^503$' "$T/load.codes"
grep -v '^503' "$T/load.errors" | sort | uniq -c | head -n 5
# an import killed half-way through: nothing of it stays
timeout -s KILL 0.5 "$VIGIL" db import "$DATA/feeds/ubuntu/uct" --db "$DSN" >/dev/null 2>&1
check_eq "every update operation has exactly its records" 0 \
	"$(sql 'SELECT count(*) FROM update_operation o WHERE o.vulns <> (SELECT count(*) FROM uo_vuln x WHERE x.op = o.id)')"
check_eq "every stored IndexReport has its packages" 0 \
	"$(sql "SELECT count(*) FROM index_report WHERE convert_from(report, 'UTF8')::json->'packages' IS NULL")"

# ---- a node killed in the middle of indexing ----
# another digest, the same packages: other owners in the tar headers
tar -C "$T/fs/rootfs-ubuntu1804" --owner=4321 --group=4321 -czf "$T/slow.tar.gz" .
mkdir -p "$T/slow"
RATE=$(($(stat -c %s "$T/slow.tar.gz") / 6 + 1)) # six seconds a read
SD=sha256:$(sha256sum "$T/slow.tar.gz" | cut -d' ' -f1)
mv "$T/slow.tar.gz" "$T/slow/${SD#sha256:}"
python3 "$SRC/tests/integration/lib/slowserver.py" --root "$T/slow" --rate "$RATE" --port-file "$T/slow.port" \
	2>"$T/slow.log" &
SERVE_PIDS+=($!)
for _ in $(seq 50); do [ -s "$T/slow.port" ] && break; sleep 0.1; done
SH=sha256:$(printf 'fleet slow %s' "$SD" | sha256sum | cut -d' ' -f1)
jq -n -c --arg h "$SH" --arg l "$SD" --arg u "http://127.0.0.1:$(cat "$T/slow.port")/${SD#sha256:}" \
	'{hash: $h, layers: [{hash: $l, uri: $u}]}' >"$T/slow.json"
curl -s -o /dev/null -X POST "$NODE_a_API/indexer/api/v1/index_report" --data-binary "@$T/slow.json" &
for _ in $(seq 100); do grep -q "^GET " "$T/slow.log" && break; sleep 0.05; done
sleep 0.5
check "the slow layer is being read by node a" grep -q "^GET " "$T/slow.log"
check "node a holds advisory locks while indexing" [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" -gt 0 ]
kill -KILL "$NODE_a_PID"
wait "$NODE_a_PID" 2>/dev/null
c=$(curl -s -o "$T/slow-b.json" -w '%{http_code}' -m 120 -X POST "$NODE_b_API/indexer/api/v1/index_report" \
	--data-binary "@$T/slow.json")
check_eq "after SIGKILL of node a: node b indexes the same manifest: 201" 201 "$c"
check "node b's IndexReport is finished" jq -e '.state == "IndexFinished"' "$T/slow-b.json"
for _ in $(seq 20); do
	[ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" = 0 ] && break
	sleep 0.1
done
check_eq "no advisory lock is left behind" 0 "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")"

for n in b c small; do
	pid=NODE_${n}_PID
	kill -TERM "${!pid}"
	wait "${!pid}"
	check_eq "node $n: SIGTERM: exit 0" 0 "$?"
	check "node $n: no sanitizer report" bash -c "! grep -qE 'AddressSanitizer|runtime error:' '$T/$n.err'"
done
it_done
