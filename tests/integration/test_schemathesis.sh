#!/bin/bash
# tests/integration/test_schemathesis.sh: schemathesis (pinned in
# scripts/tools.lock) against `vigil serve`, driven by the OpenAPI document
# the server serves (GET /openapi/v1, docs/openapi.json): every operation of
# it, Clair v4's and Clair 2's v1, with every check (--checks all: no 5xx,
# status codes, content types, headers and bodies as documented, schema-
# valid requests accepted and invalid ones refused, 405 with Allow ...),
# a bounded number of examples per operation and a fixed seed, so a run is
# reproducible and takes about a minute and a half on 2 cores. The
# exceptions, each with its reason, are in lib/schemathesis.toml. Then once
# more with Clair's PSK authentication on (a JWT in every request;
# ignored_auth checks the 401 without it).
#
# Generated Manifests and v1 layers name arbitrary hosts, which vigil would
# fetch: the whole test runs in a network namespace of its own (unshare -n,
# loopback only) so nothing leaves the machine, not even a DNS query; where
# one cannot be made (not root), the two indexing operations are left out.
# The store is an SQLite file with the Alpine 3.10 feed, a Manifest indexed
# from a layer served on 127.0.0.1 and a v1 layer posted. The node is
# stopped by its PID; a crash or a sanitizer report fails the test.
#   VIGIL_ST_EXAMPLES (40), VIGIL_ST_SEED (20261205): the run's size and seed.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
ST_SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
if [ -z "${VIGIL_ST_NETNS:-}" ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	# the install needs the network: done here, before the namespace
	VIGIL_BUILD_DIR=${VIGIL_BUILD_DIR:-$ST_SRC/build} "$ST_SRC/scripts/tools.sh" path schemathesis >/dev/null || true
	VIGIL_ST_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$@"
fi
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/alpine/secdb-json/v3.10" ] || skip "no shared test data at $DATA"
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/tools.sh"
need_tool schemathesis
ST=$TOOL
N=${VIGIL_ST_EXAMPLES:-40}
SEED=${VIGIL_ST_SEED:-20261205}
EXCLUDE=()
if [ "${VIGIL_ST_NETNS:-}" = 1 ]; then
	note "in a network namespace of its own: loopback only"
else
	note "no network namespace (not root, or unshare refused): the indexing operations are left out"
	EXCLUDE=(--exclude-name "POST /indexer/api/v1/index_report" --exclude-name "POST /v1/layers")
fi

# ---- the store: data for the GETs to find ----
DB=$T/st.db
vrun import db import "$DATA/feeds/alpine/secdb-json/v3.10" --db "$DB"
expect_rc import 0
mkdir -p "$T/www"
tar -C "$IMAGES/pkgdb/rootfs-alpine34" -czf "$T/www/layer.tgz" . 2>/dev/null ||
	tar -C "$SRC/tests" -czf "$T/www/layer.tgz" integration/lib
layer_server "$T/www"
LD=sha256:$(sha256sum <"$T/www/layer.tgz" | cut -d' ' -f1)

# st NAME API [schemathesis options...]: one run; its output in $T/NAME.txt
st() {
	local name=$1 api=$2 rc=0 start
	shift 2
	start=$(date +%s)
	(cd "$T" && timeout 900 "$ST" --config-file "$T/schemathesis.toml" run "$api/openapi/v1" \
		--url "$api" --checks all --max-examples "$N" --seed "$SEED" --generation-database none -w 1 \
		--request-timeout 60 --no-color --report junit --report-dir "$T/$name-report" "${EXCLUDE[@]}" "$@") \
		>"$T/$name.txt" 2>&1 || rc=$?
	note "$name: $(grep -E '^ *[0-9]+ generated' "$T/$name.txt" | tr -s ' ') in $(($(date +%s) - start)) s"
	if [ "$rc" = 0 ]; then
		pass "schemathesis $name: every check passed ($N examples an operation, seed $SEED)"
	else
		fail "schemathesis $name: exit $rc"
		grep -E '^(_{5,}|- ST|    (Expected|`|curl))' "$T/$name.txt" | head -n 60
		tail -n 25 "$T/$name.txt"
	fi
}
# node_ok NAME PID INTRO: still up, no sanitizer report
node_ok() {
	check "$1: the node still answers" curl -fs -o /dev/null "$3/healthz"
	kill -0 "$2" 2>/dev/null || fail "$1: the node is gone"
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/$1.err"; then
		fail "$1: sanitizer report"
		head -n 40 "$T/$1.err"
	fi
}
# seed_data API: an indexed Manifest and a posted v1 layer; their names
# written in $T/schemathesis.toml, lib/schemathesis.toml's dictionaries
seed_data() {
	local ST_DIGEST ST_LAYER=st-layer ST_NAMESPACE ST_REF
	ST_DIGEST=sha256:$(printf 'schemathesis %s' "$LD" | sha256sum | cut -d' ' -f1)
	check_eq "a Manifest indexed" 201 "$(code POST "$1/indexer/api/v1/index_report" \
		-d "{\"hash\": \"$ST_DIGEST\", \"layers\": [{\"hash\": \"$LD\", \"uri\": \"$LAYER_URL/layer.tgz\"}]}")"
	check_eq "a v1 layer posted" 201 "$(code POST "$1/v1/layers" \
		-d "{\"Layer\": {\"Name\": \"$ST_LAYER\", \"Path\": \"$LAYER_URL/layer.tgz\", \"Format\": \"Docker\"}}")"
	ST_NAMESPACE=$(curl -s "$1/v1/namespaces" | jq -r '.Namespaces[0].Name')
	ST_REF=$(curl -s "$1/matcher/api/v1/internal/update_operation" | jq -r '[.[][]][0].ref')
	note "dictionaries: $ST_DIGEST, $ST_LAYER, $ST_NAMESPACE, $ST_REF"
	sed -e "s|\${ST_DIGEST}|$ST_DIGEST|; s|\${ST_LAYER}|$ST_LAYER|; s|\${ST_NAMESPACE}|$ST_NAMESPACE|" \
		-e "s|\${ST_REF}|$ST_REF|" "$SRC/tests/integration/lib/schemathesis.toml" >"$T/schemathesis.toml"
}

# ---- without authentication ----
start_node plain "$DB"
seed_data "$NODE_API"
st plain "$NODE_API"
node_ok plain "$NODE_PID" "$NODE_INTRO"
kill "$NODE_PID"

# ---- with Clair's PSK: a JWT in every request ----
KEY=$(head -c 32 /dev/urandom | base64 -w0)
JWT=$(python3 - "$KEY" <<'PY'
import base64, hashlib, hmac, json, sys, time
key = base64.b64decode(sys.argv[1])
enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
part = lambda d: enc(json.dumps(d, separators=(",", ":")).encode())
s = part({"alg": "HS256", "typ": "JWT"}) + "." + part({"iss": "quay", "exp": int(time.time()) + 3600})
print(s + "." + enc(hmac.new(key, s.encode(), hashlib.sha256).digest()))
PY
)
SP=$(free_port)
IP=$(free_port)
cat >"$T/auth.yaml" <<EOF
http_listen_addr: 127.0.0.1:$SP
introspection_addr: 127.0.0.1:$IP
indexer:
  connstring: '$DB'
auth:
  psk:
    key: $KEY
    iss: [quay]
EOF
"$VIGIL" serve --config "$T/auth.yaml" --threads 4 >"$T/auth.out" 2>"$T/auth.err" &
APID=$!
SERVE_PIDS+=("$APID")
wait_healthz "http://127.0.0.1:$IP" || fail "auth: the node did not come up: $(tail -n 5 "$T/auth.err")"
check_eq "auth: no token: 401" 401 "$(code GET "http://127.0.0.1:$SP/indexer/api/v1/index_state")"
N=$(((N + 1) / 2)) st auth "http://127.0.0.1:$SP" -H "Authorization: Bearer $JWT"
node_ok auth "$APID" "http://127.0.0.1:$IP"
it_done
