#!/usr/bin/env bash
# bench/clair_ref.sh: the real Clair v4 (scripts/tools.lock, combo mode, on
# a throwaway PostgreSQL) and `vigil serve` (on SQLite, and on the same
# PostgreSQL) indexing the same Clair Manifests, in one run: the Debian
# demo, Alpine 3.10, Ubuntu 18.04 and Alpine 3.4 images of lib/clair.sh,
# pushed to docker-registry on 127.0.0.1 (tests/integration/lib/clair.sh).
#
#   cold: each server on an empty store (Clair: a new database and a
#         restart; vigil: a new store and a restart), the Manifests
#         POSTed one after another, each POST timed (curl's time_total:
#         both servers answer the POST when the report is done)
#   warm: the same layers under new manifest digests: every layer is in
#         the server's layer cache, only the report is made
#
# Best of N runs (default 3) per figure; the ratio is Clair / vigil.
#
#   bash bench/clair_ref.sh [--runs N]
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=3
[ "${1:-}" = --runs ] && RUNS=$2
export VIGIL=${VIGIL:-$PWD/build/vigil}
bench_release_vigil
export VIGIL_SOURCE_DIR=$PWD VIGIL_BUILD_DIR=${VIGIL_BUILD_DIR:-$PWD/build}
# the test libraries: images, registry, tools, Clair
. tests/integration/lib/common.sh
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
. tests/integration/lib/serve.sh
. tests/integration/lib/registry.sh
. tests/integration/lib/tools.sh
. tests/integration/lib/clair.sh
reg_need
trap 'clair_stop; serve_stop_all' EXIT
clair_start
PGDSN=$CLAIR_DSN
reg_start open
HOST=127.0.0.1:$RPORT
clair_push_images "$HOST"
for name in "${IMG_NAMES[@]}"; do
	"$VIGIL" manifest "$HOST/$name" --insecure-registry --compact >"$T/${name//[:.]/_}.m.json" ||
		die "vigil manifest $HOST/$name"
done

# post API FILE: the POST's seconds (fails unless 201 or 200)
post() {
	local out
	out=$(curl -s -o "$T/post.json" -w '%{http_code} %{time_total}' -X POST "$1/indexer/api/v1/index_report" \
		-H 'Content-Type: application/json' --data-binary "@$2")
	case ${out%% *} in 200 | 201) ;; *) die "POST $2 to $1: ${out%% *} $(head -c 200 "$T/post.json")" ;; esac
	jq -e '.state == "IndexFinished"' "$T/post.json" >/dev/null || die "POST $2 to $1: not finished"
	echo "${out#* }"
}
# rehash FILE N: the Manifest under a new digest (the same layers)
rehash() {
	jq -c --arg h "sha256:$(printf 'warm %s %s' "$2" "$1" | sha256sum | cut -d' ' -f1)" '.hash = $h' "$1" >"$1.w$2"
}
# vigil_restart NAME DB
vigil_restart() {
	[ -n "${VPID:-}" ] && { kill "$VPID" 2>/dev/null; wait "$VPID" 2>/dev/null; }
	start_node "$1" "$2" >/dev/null || die "vigil serve did not start: $(tail -n 3 "$T/$1.err")"
	VPID=$NODE_PID
	VAPI=$NODE_API
}
# clair_fresh: a new, empty database and a restarted Clair
clair_fresh() {
	kill "$CLAIR_PID" 2>/dev/null
	wait "$CLAIR_PID" 2>/dev/null
	psql "$PGDSN" -qAtX -c 'DROP DATABASE IF EXISTS clair WITH (FORCE)' -c 'CREATE DATABASE clair' >/dev/null ||
		die "cannot recreate Clair's database"
	clair_run
}

declare -A best
keep() { # KEY SECONDS: the smallest
	local cur=${best[$1]:-}
	if [ -z "$cur" ] || awk -v a="$2" -v b="$cur" 'BEGIN { exit !(a < b) }'; then best[$1]=$2; fi
}
# round SERVER API: cold then warm of every image, into best[]
round() {
	local s=$1 api=$2 r=$3 name f t
	for name in "${IMG_NAMES[@]}"; do
		f=$T/${name//[:.]/_}.m.json
		keep "$s cold $name" "$(post "$api" "$f")"
		rehash "$f" "$r"
		keep "$s warm $name" "$(post "$api" "$f.w$r")"
	done
}

for r in $(seq "$RUNS"); do
	clair_fresh
	round clair "$CLAIR_API" "$r"
	vigil_restart vsq "$T/v$r.db"
	round vigil "$VAPI" "$r"
	psql "$PGDSN" -qAtX -c "CREATE DATABASE vigil_bench_$r" >/dev/null || die "CREATE DATABASE"
	vigil_restart vpg "${PGDSN%/*}/vigil_bench_$r"
	round vigil-pg "$VAPI" "$r"
done

ms() { awk -v s="$1" 'BEGIN { printf "%8.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%6.1fx", a / b }'; }
echo "Clair $(awk '$2 == "clair" {print $4}' scripts/tools.lock) (combo, PostgreSQL $(psql "$PGDSN" -qAtX -c 'SHOW server_version' | cut -d' ' -f1)) vs $VIGIL serve; best of $RUNS; $(nproc) cores"
printf '%-14s %-5s %10s %10s %10s %9s %9s\n' image cache "Clair ms" "vigil ms" "vigil-pg" "C/vigil" "C/vig-pg"
for c in cold warm; do
	tc=0 tv=0 tp=0
	for name in "${IMG_NAMES[@]}"; do
		a=${best[clair $c $name]} b=${best[vigil $c $name]} p=${best[vigil-pg $c $name]}
		printf '%-14s %-5s %10s %10s %10s %9s %9s\n' "$name" "$c" "$(ms "$a")" "$(ms "$b")" "$(ms "$p")" "$(ratio "$a" "$b")" "$(ratio "$a" "$p")"
		tc=$(awk -v x="$tc" -v y="$a" 'BEGIN { print x + y }')
		tv=$(awk -v x="$tv" -v y="$b" 'BEGIN { print x + y }')
		tp=$(awk -v x="$tp" -v y="$p" 'BEGIN { print x + y }')
	done
	printf '%-14s %-5s %10s %10s %10s %9s %9s\n' "all" "$c" "$(ms "$tc")" "$(ms "$tv")" "$(ms "$tp")" "$(ratio "$tc" "$tv")" "$(ratio "$tc" "$tp")"
done
