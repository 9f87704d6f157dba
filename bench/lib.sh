# bench/lib.sh: what the benchmark scripts share (sourced, never run).
# shellcheck shell=bash

die() { echo "bench: $*" >&2; exit 1; }

# bench_release_vigil: $VIGIL is an executable and not a sanitizer build
# (figures from an ASan build say nothing about vigil's speed).
bench_release_vigil() {
	[ -x "$VIGIL" ] || die "no vigil binary at $VIGIL (make build)"
	if nm -an "$VIGIL" 2>/dev/null | grep -q __asan_init; then
		die "$VIGIL is a sanitizer build; use the release build"
	fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_url URL: until it answers 2xx (at most 30 s)
wait_url() { for _ in $(seq 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
