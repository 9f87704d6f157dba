#!/usr/bin/env bash
# bench/db_import_pg.sh: importing every feed under ../shared/testdata/feeds
# into a fresh SQLite file and into a fresh PostgreSQL database with the
# same command, the times and their ratio; then the import again with
# nothing changed, and again with --force (a new operation whose records
# are all already stored, so only shared). PostgreSQL is a throwaway server
# on 127.0.0.1 (scripts/pg-test.sh, as the tests start theirs: fsync off),
# stopped by pg_ctl at the end. Release build only. Figures go to
# docs/postgres.md ("Feed import on PostgreSQL").
#   bench/db_import_pg.sh [--vigil PATH] [--runs N] [--port PORT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
VIGIL=$here/build/vigil
RUNS=3
PORT=54391
while [ $# -gt 0 ]; do
	case $1 in
	--vigil) VIGIL=$2; shift 2;;
	--runs) RUNS=$2; shift 2;;
	--port) PORT=$2; shift 2;;
	*) echo "usage: $0 [--vigil PATH] [--runs N] [--port PORT]" >&2; exit 2;;
	esac
done
FEEDS=${VIGIL_TESTDATA:-$here/../shared/testdata}/feeds
[ -d "$FEEDS" ] || { echo "no feeds at $FEEDS" >&2; exit 1; }
[ -x "$VIGIL" ] || { echo "build vigil first: make build" >&2; exit 1; }
command -v psql >/dev/null || { echo "needs psql (apt-get install postgresql-client)" >&2; exit 1; }
T=$(mktemp -d /tmp/vigil-bench-dbpg.XXXXXX)
PGDIR=$(mktemp -d /tmp/vigil-bench-pg.XXXXXX) # its own: the server's user must reach it
cleanup() {
	"$here/scripts/pg-test.sh" stop "$PGDIR" --remove >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
BASE=$("$here/scripts/pg-test.sh" start "$PGDIR" "$PORT")
DB=${BASE%/postgres}/bench

# ms NAME CMD...: runs CMD (output to $T/NAME.out), prints its wall time in ms
ms() {
	local name=$1; shift
	local t0 t1
	t0=$(date +%s%N)
	"$@" > "$T/$name.out" 2> "$T/$name.err" || true
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }

sq_cold=999999; sq_warm=999999; sq_force=999999
pg_cold=999999; pg_warm=999999; pg_force=999999
for i in $(seq "$RUNS"); do
	rm -f "$T"/sq.db*
	sq_cold=$(min "$sq_cold" "$(ms sq_cold "$VIGIL" db import "$FEEDS" --db "$T/sq.db")")
	sq_warm=$(min "$sq_warm" "$(ms sq_warm "$VIGIL" db import "$FEEDS" --db "$T/sq.db")")
	sq_force=$(min "$sq_force" "$(ms sq_force "$VIGIL" db import "$FEEDS" --db "$T/sq.db" --force)")
	psql "$BASE" -qc "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" >/dev/null 2>&1
	pg_cold=$(min "$pg_cold" "$(ms pg_cold "$VIGIL" db import "$FEEDS" --db "$DB")")
	pg_warm=$(min "$pg_warm" "$(ms pg_warm "$VIGIL" db import "$FEEDS" --db "$DB")")
	pg_force=$(min "$pg_force" "$(ms pg_force "$VIGIL" db import "$FEEDS" --db "$DB" --force)")
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}'; }
strip() { sed -E 's/ \(operation [0-9a-f-]+\)//; s/ from operation [0-9a-f-]+//' "$1"; }
echo "vigil db import, SQLite vs PostgreSQL: $VIGIL, $(nproc) cores, best of $RUNS"
echo "input: $FEEDS ($(du -sh "$FEEDS" | cut -f1), $(find "$FEEDS" -type f | wc -l) files)"
echo "PostgreSQL: $(psql "$BASE" -Atc 'SHOW server_version') on 127.0.0.1 (fsync off)"
printf '%-34s %8s %8s %7s\n' "" "SQLite" "Postgres" "ratio"
printf '%-34s %5d ms %5d ms %6sx\n' "cold import into an empty store" "$sq_cold" "$pg_cold" "$(ratio "$pg_cold" "$sq_cold")"
printf '%-34s %5d ms %5d ms %6sx\n' "second import, nothing changed" "$sq_warm" "$pg_warm" "$(ratio "$pg_warm" "$sq_warm")"
printf '%-34s %5d ms %5d ms %6sx\n' "--force again (records shared)" "$sq_force" "$pg_force" "$(ratio "$pg_force" "$sq_force")"
if diff <(strip "$T/sq_cold.out") <(strip "$T/pg_cold.out") >/dev/null; then
	echo "records per feed (the same in both):"
else
	echo "records per feed DIFFER: SQLite then PostgreSQL:"
	strip "$T/sq_cold.out" | sed 's/^/  sqlite   /'
fi
strip "$T/pg_cold.out" | sed 's/^/  /'
