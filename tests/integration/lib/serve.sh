# tests/integration/lib/serve.sh: starting and talking to vigil serve nodes
# in the integration tests (sourced after lib/common.sh and it_init). Every
# node listens on 127.0.0.1 on free ports and is killed by its PID at exit.
# shellcheck shell=bash

"$VIGIL" serve --help >/dev/null 2>&1 || skip "$VIGIL has no 'serve' subcommand"
command -v curl >/dev/null || skip "curl is missing"

SERVE_PIDS=()
PIDS=() # the scripts' own background processes, killed as well
serve_stop_all() { for p in "${SERVE_PIDS[@]}" "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; it_cleanup; }
trap serve_stop_all EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; return 1; }
wait_healthz() { for _ in $(seq 300); do curl -fs "$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# start_node NAME DB [serve args...]: sets NODE_PID, NODE_API, NODE_INTRO
# (also NODE_<NAME>_API / _INTRO / _PID); logs in $T/NAME.err.
start_node() {
	local name=$1 db=$2 sp ip
	shift 2
	sp=$(free_port)
	ip=$(free_port)
	"$VIGIL" serve --listen "127.0.0.1:$sp" --introspection-listen "127.0.0.1:$ip" --db "$db" --threads 4 "$@" \
		>"$T/$name.out" 2>"$T/$name.err" &
	NODE_PID=$!
	SERVE_PIDS+=("$NODE_PID")
	NODE_API=http://127.0.0.1:$sp
	NODE_INTRO=http://127.0.0.1:$ip
	printf -v "NODE_${name}_API" '%s' "$NODE_API"
	printf -v "NODE_${name}_INTRO" '%s' "$NODE_INTRO"
	printf -v "NODE_${name}_PID" '%s' "$NODE_PID"
	wait_healthz "$NODE_INTRO" || { fail "$name: the node did not come up: $(tail -n 5 "$T/$name.err")"; return 1; }
}

# code METHOD URL [curl args...]: the status; the body in $T/body
code() { local m=$1 u=$2; shift 2; curl -s -o "$T/body" -w '%{http_code}' -X "$m" "$u" "$@"; }

# metric INTRO NAME: the value of an unlabelled metric (0 when absent)
metric() { curl -s "$1/metrics" | awk -v n="$2" '$1 == n {v = $2} END {print v + 0}'; }

# layer_server DIR: a python3 http.server over DIR; sets LAYER_URL; its
# request log (one line per GET) in $T/layers-<port>.log
layer_server() {
	local port
	port=$(free_port)
	(cd "$1" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>"$T/layers-$port.log") &
	SERVE_PIDS+=($!)
	wait_http "$port" || fail "the layer server over $1 did not come up"
	LAYER_URL=http://127.0.0.1:$port
	LAYER_LOG=$T/layers-$port.log
}

# archive_manifest ARCHIVE LABEL: the layers of a docker-archive (a gzipped
# `docker save`) served over HTTP (layer_server) and a Clair Manifest of
# them in $T/manifest.json, its hash made from LABEL and the layer
# digests; sets HASH and LD (the layer digests).
archive_manifest() {
	local l d
	mkdir -p "$T/img" "$T/www"
	tar -C "$T/img" -xzf "$1"
	LD=()
	for l in $(jq -r '.[0].Layers[]' "$T/img/manifest.json"); do
		d=$(sha256sum "$T/img/$l" | cut -d' ' -f1)
		cp "$T/img/$l" "$T/www/$d"
		LD+=("sha256:$d")
	done
	layer_server "$T/www"
	HASH=sha256:$(printf '%s %s' "$2" "${LD[*]}" | sha256sum | cut -d' ' -f1)
	printf '%s\n' "${LD[@]}" | jq -R . | jq -s -c --arg h "$HASH" --arg b "$LAYER_URL/" \
		'{hash: $h, layers: [.[] | {hash: ., uri: ($b + sub("sha256:"; ""))}]}' >"$T/manifest.json"
}

# newdb NAME: a --db value: a fresh SQLite file, or with VIGIL_TEST_PG a
# fresh PostgreSQL database (lib/db.sh).
newdb() {
	if declare -F vigil_db >/dev/null; then vigil_db "$1"; else echo "$T/$1.db"; fi
}
[ -f "$(dirname "${BASH_SOURCE[0]}")/db.sh" ] && . "$(dirname "${BASH_SOURCE[0]}")/db.sh"
