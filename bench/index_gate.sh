#!/usr/bin/env bash
# bench/index_gate.sh: what the indexing gate of `vigil serve` holds back
# (docs/server.md, indexer.index_report_request_concurrency). N clients POST
# N new Clair Manifests at once, each with its own 1 MiB layer served slowly
# (100 kB/s) from 127.0.0.1, first with the default gate (2 x cores at once,
# the rest queued without a thread, 429 beyond the queue), then with the
# gate off (--index-concurrency -1), in the same run. It samples the
# server's threads and resident memory every 250 ms (/proc/PID/status) and
# prints the peaks, the answers' status codes and the ratio.
#
#   bash bench/index_gate.sh [N]      # N = 200 by default
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
VIGIL=${VIGIL:-$PWD/build/vigil}
N=${1:-200}
bench_release_vigil
T=$(mktemp -d /tmp/vigil-bench-gate.XXXXXX)
SP=
cleanup() { [ -n "$SP" ] && kill "$SP" 2>/dev/null && wait "$SP" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

mkdir -p "$T/www" "$T/n"
head -c 1048576 /dev/urandom >"$T/n/noise"
tar -C "$T/n" -cf "$T/www/l.tar" noise
D=sha256:$(sha256sum "$T/www/l.tar" | cut -d' ' -f1)
for i in $(seq "$N"); do ln "$T/www/l.tar" "$T/www/l$i.tar"; done
python3 tests/integration/lib/slowserver.py --root "$T/www" --rate 100000 --port-file "$T/port" 2>/dev/null &
SP=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
LP=$(cat "$T/port")

# run NAME ARGS...: one round; prints "NAME: peak threads, peak RSS, codes"
run() {
	local name=$1 port vp maxt=0 maxr=0 t r pids=()
	shift
	port=$(free_port)
	"$VIGIL" serve --listen "127.0.0.1:$port" --introspection-listen "" --db "$T/$name.db" --threads 4 \
		"$@" 2>"$T/$name.err" &
	vp=$!
	wait_url "http://127.0.0.1:$port/openapi/v1" || die "$name: the server did not start ($(tail -n 1 "$T/$name.err"))"
	: >"$T/$name.codes"
	for i in $(seq "$N"); do
		h=sha256:$(printf '%s-%s' "$name" "$i" | sha256sum | cut -d' ' -f1)
		curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$port/indexer/api/v1/index_report" \
			--data-binary "{\"hash\":\"$h\",\"layers\":[{\"hash\":\"$D\",\"uri\":\"http://127.0.0.1:$LP/l$i.tar\"}]}" \
			>>"$T/$name.codes" &
		pids+=($!)
	done
	for _ in $(seq 60); do
		t=$(awk '/^Threads/{print $2}' "/proc/$vp/status" 2>/dev/null); r=$(awk '/^VmRSS/{print $2}' "/proc/$vp/status" 2>/dev/null)
		[ "${t:-0}" -gt "$maxt" ] && maxt=$t
		[ "${r:-0}" -gt "$maxr" ] && maxr=$r
		sleep 0.25
	done
	kill "$vp" 2>/dev/null; wait "$vp" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	echo "$name: peak threads $maxt, peak RSS $((maxr / 1024)) MB, answers: $(sort "$T/$name.codes" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
	eval "${name}_threads=$maxt ${name}_rss=$((maxr / 1024))"
}

echo "== $N concurrent POSTs of new manifests, each layer 1 MiB at 100 kB/s from 127.0.0.1"
run gate
run nogate --index-concurrency -1
echo "== threads: gate/no gate = $gate_threads/$nogate_threads; RSS: $gate_rss/$nogate_rss MB"
