# tests/integration/lib/registry.sh: Debian's docker-registry on 127.0.0.1
# for the tests of real clients (sourced after common.sh). The servers it
# starts join PIDS, which the test stops at exit (serve.sh's
# serve_stop_all, or reg_stop_all here).
#   reg_need                      installs docker-registry or skips
#   reg_start NAME [AUTH_YAML]    a registry on a free port; sets RPORT
#   reg_start_token NAME USER:PASS [EXTRA_YAML]  a token-auth registry and
#                                 its token server (lib/regtoken.py); sets RPORT, TOK
#   reg_push SRC DEST [skopeo options]   skopeo copy SRC docker://DEST
#   reg_start_py NAME SCRIPT ARGS...     a lib/*.py server; sets PYPORT
# shellcheck shell=bash

REG=/usr/bin/docker-registry
declare -p PIDS >/dev/null 2>&1 || PIDS=()

reg_stop_all() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	PIDS=()
}

_reg_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

reg_need() {
	if [ ! -x "$REG" ] && [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			docker-registry >/dev/null 2>&1 || true
	fi
	[ -x "$REG" ] || skip "docker-registry is missing (apt-get install docker-registry)"
	local tool
	for tool in skopeo openssl python3 curl; do
		command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing"
	done
	unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
	export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
}

# reg_start NAME [AUTH_YAML] [EXTRA_YAML]: EXTRA_YAML is appended at the top
# level (a `notifications:` block, say).
reg_start() {
	local name=$1 auth=${2:-} extra=${3:-} tries i
	for tries in 1 2 3; do
		RPORT=$(_reg_free_port)
		mkdir -p "$T/$name"
		{
			printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n' "$T/$name/data"
			printf '  maintenance:\n    uploadpurging:\n      enabled: false\n'
			printf 'http:\n  addr: 127.0.0.1:%s\n' "$RPORT"
			[ -n "$auth" ] && printf '%s\n' "$auth"
			[ -n "$extra" ] && printf '%s\n' "$extra"
		} >"$T/$name/config.yml"
		"$REG" serve "$T/$name/config.yml" >"$T/$name/log" 2>&1 &
		PIDS+=($!)
		for i in $(seq 1 100); do
			curl -s -o /dev/null "http://127.0.0.1:$RPORT/v2/" && return 0
			kill -0 "${PIDS[-1]}" 2>/dev/null || break
			sleep 0.1
		done
		note "registry $name did not start on $RPORT (attempt $tries):"
		tail -n 5 "$T/$name/log"
	done
	echo "FAIL: docker-registry does not start"
	exit 1
}

reg_start_py() {
	local name=$1 script=$2 i
	shift 2
	python3 "$SRC/tests/integration/lib/$script" --port-file "$T/$name.port" --max-seconds 1100 "$@" 2>"$T/$name.err" &
	PIDS+=($!)
	for i in $(seq 1 100); do [ -s "$T/$name.port" ] && break; sleep 0.1; done
	[ -s "$T/$name.port" ] || { cat "$T/$name.err"; echo "FAIL: $name did not start"; exit 1; }
	PYPORT=$(cat "$T/$name.port")
}

reg_start_token() {
	local name=$1 user=$2 extra=${3:-}
	[ -s "$T/token.key" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/token.key" -out "$T/token.crt" \
		-subj /CN=vigil-test-token -days 2 >/dev/null 2>&1 || { echo "FAIL: openssl"; exit 1; }
	reg_start_py "$name-token" regtoken.py --key "$T/token.key" --cert "$T/token.crt" --user "$user"
	TOK=127.0.0.1:$PYPORT
	reg_start "$name" "auth:
  token:
    realm: http://$TOK/token
    service: vigil-test
    issuer: vigil-test-issuer
    rootcertbundle: $T/token.crt" "$extra"
}

reg_push() {
	local src=$1 dst=$2
	shift 2
	# a second try after a transient failure (a registry still settling
	# under a loaded machine); the first failure is shown
	skopeo copy --all --dest-tls-verify=false "$@" "$src" "docker://$dst" >"$T/skopeo.log" 2>&1 && return 0
	note "skopeo copy $src $dst failed once, retrying: $(tail -n 2 "$T/skopeo.log")"
	sleep 1
	skopeo copy --all --dest-tls-verify=false "$@" "$src" "docker://$dst" >"$T/skopeo.log" 2>&1 ||
		{ cat "$T/skopeo.log"; echo "FAIL: skopeo copy $src $dst"; exit 1; }
}
