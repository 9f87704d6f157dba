#!/bin/bash
# tests/integration/test_serve_hostile.sh: the Clair v4 side of `vigil
# serve` against a hostile client (vigil issue 11). Each section is the
# regression test of one defect:
#  - first poster wins: a manifest hash POSTed first with a fake empty layer
#    must not answer the victim's real manifest (same hash, real layers),
#    neither from the store nor from the in-flight table, nor poison the
#    VulnerabilityReport;
#  - secrets: a layer URI with userinfo and a presigned query that fails is
#    never repeated (answer and log);
#  - codes: a bad digest in GET index_report is 400; 2,000 request headers
#    are a JSON 431; an upstream sending a 200 kB header is a JSON 502
#    naming the (redacted) layer URI and "header too large";
#  - a store write that fails (an SQLite trigger refusing the insert) is a
#    500 logged as a failure naming the store write, never "indexed";
#  - the indexing concurrency cap: concurrency 1, queue 1, five POSTs over
#    a slow layer source: the excess get 429 with Retry-After and Clair's
#    {code, message}, the accepted ones finish 201;
#  - SIGTERM while an indexing outlives a short grace: the client gets a
#    JSON 503, the server exits 0 (it aborted in MHD_stop_daemon before).
# Servers on 127.0.0.1 only, killed by PID. The stores are SQLite files (the
# trigger is SQLite's).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
FEEDDIR=${VIGIL_TESTDATA:-$SRC/../shared/testdata}/feeds/alpine/secdb-json/v3.10
[ -d "$FEEDDIR" ] || skip "no shared test data at $FEEDDIR"
. "$(dirname "$0")/lib/serve.sh"
command -v sqlite3 >/dev/null || skip "sqlite3 is missing"

OCI=$IMAGES/oci
MD=$(oci_manifest "$OCI" v2)
[ -n "$MD" ] || skip "no oci:v2 demo image"
layer_server "$OCI/blobs"
REAL=$LAYER_URL
jq -c --arg h "$MD" --arg base "$REAL/" '{hash: $h, layers: [.layers[] |
	{hash: .digest, uri: ($base + (.digest | sub(":"; "/")))}]}' "$(blob "$OCI" "$MD")" >"$T/real.json"

# a fake layer: an empty tar, over a slow server (so a POST stays in flight)
mkdir -p "$T/www"
tar -cf "$T/www/empty.tar" -T /dev/null
ED=sha256:$(sha256sum "$T/www/empty.tar" | cut -d' ' -f1)
# a slow real layer: a tar of 1 MiB of noise (5 s at 200 kB/s)
mkdir -p "$T/noise"
head -c $((1024 * 1024)) /dev/urandom >"$T/noise/noise"
tar -C "$T/noise" -cf "$T/www/big.bin" noise
BD=sha256:$(sha256sum "$T/www/big.bin" | cut -d' ' -f1)
# one name per request (the slow server reads no query)
for n in x 1 2 3 4 5 term; do ln "$T/www/big.bin" "$T/www/big-$n.bin"; done
python3 "$SRC/tests/integration/lib/slowserver.py" --root "$T/www" --rate 200000 --port-file "$T/slow.port" \
	2>"$T/slow.log" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$T/slow.port" ] && break; sleep 0.1; done
SLOW=http://127.0.0.1:$(cat "$T/slow.port")
fake() { jq -n -c --arg h "$1" --arg l "$2" --arg u "$3" '{hash: $h, layers: [{hash: $l, uri: $u}]}'; }
post() { code POST "$1/indexer/api/v1/index_report" --data-binary "$2" "${@:3}"; }

DB=$T/hostile.db
# some vulnerability data: a matcher without any answers 202, as Clair's
vrun import db import "$FEEDDIR" --db "$DB"
expect_rc import 0
start_node h "$DB"
API=$NODE_API

# ---- 1. first poster wins ----
c=$(post "$API" "$(fake "$MD" "$ED" "$SLOW/empty.tar")")
check_eq "poison: the attacker's fake manifest is indexed (201)" 201 "$c"
check_eq "poison: with no package" 0 "$(jq '.packages | length' "$T/body")"
c=$(post "$API" "@$T/real.json")
check_eq "poison: the victim's real manifest: 201" 201 "$c"
n=$(jq '.packages | length' "$T/body")
check "poison: the victim's report has its packages ($n), not the stored fake" test "$n" -gt 50
check_eq "poison: GET index_report is the victim's" "$n" \
	"$(code GET "$API/indexer/api/v1/index_report/$MD" >/dev/null; jq '.packages | length' "$T/body")"
code GET "$API/matcher/api/v1/vulnerability_report/$MD" >/dev/null
check "poison: the VulnerabilityReport is the victim's" jq -e '(.packages | length) > 50' "$T/body"
# the attacker again, while in flight: a concurrent real POST must not get its answer
curl -s -o "$T/attacker.json" -X POST "$API/indexer/api/v1/index_report" \
	--data-binary "$(fake "$MD" "$BD" "$SLOW/big-x.bin")" >/dev/null &
APID=$!
sleep 0.5
c=$(post "$API" "@$T/real.json")
wait "$APID"
check_eq "poison in flight: the victim's POST while a fake one runs: 201" 201 "$c"
check "poison in flight: the victim's answer has its packages" jq -e '(.packages | length) > 50' "$T/body"

# ---- 2. secrets in URIs (a layer never cached: it is fetched) ----
ND=sha256:$(printf 'never fetched' | sha256sum | cut -d' ' -f1)
SECRET_URI="http://alice:S3CRETPW@127.0.0.1:${REAL##*:}/nothing-here?X-Amz-Signature=SIGSIGSIG&X-Amz-Credential=CREDCRED"
H1=sha256:$(printf 'secret manifest' | sha256sum | cut -d' ' -f1)
c=$(post "$API" "$(fake "$H1" "$ND" "$SECRET_URI")")
check_eq "secrets: a layer URI that answers 404: 502" 502 "$c"
check "secrets: Clair's {code, message}" jq -e '(.code | type == "string") and (.message | type == "string")' "$T/body"
check "secrets: the message names the layer" grep -q "127.0.0.1" "$T/body"
check "secrets: no password, signature or credential in the answer" \
	bash -c "! grep -qE 'S3CRETPW|SIGSIGSIG|CREDCRED' '$T/body'"
H2=sha256:$(printf 'secret manifest 2' | sha256sum | cut -d' ' -f1)
c=$(post "$API" "$(fake "$H2" "$ND" "http://alice:S3CRETPW@127.0.0.1:1/x?X-Amz-Signature=SIGSIGSIG")")
check_eq "secrets: an unreachable layer URI: 502" 502 "$c"
check "secrets: not in that answer either" bash -c "! grep -qE 'S3CRETPW|SIGSIGSIG' '$T/body'"
c=$(post "$API" "$(fake "$H2" "$ND" "ftp://alice:S3CRETPW@127.0.0.1/x?sig=SIGSIGSIG")")
check_eq "secrets: a URI of another scheme: 400" 400 "$c"
check "secrets: not in the 400" bash -c "! grep -qE 'S3CRETPW|SIGSIGSIG' '$T/body'"

# ---- 6. codes ----
check_eq "GET index_report/sha256:zz: 400" 400 "$(code GET "$API/indexer/api/v1/index_report/sha256:zz")"
check_eq "DELETE index_report/sha256:zz: 400" 400 "$(code DELETE "$API/indexer/api/v1/index_report/sha256:zz")"
args=()
for i in $(seq 2000); do args+=(-H "X-Many-$i: v"); done
c=$(code GET "$API/indexer/api/v1/index_state" "${args[@]}")
check_eq "2,000 request headers: 431" 431 "$c"
check "2,000 request headers: a JSON {code, message}" jq -e '.code == "bad-request" and (.message | test("header"))' "$T/body"
# an upstream whose answer has a 200 kB header
BHP=$(free_port)
python3 - "$BHP" <<'EOF' 2>"$T/bighdr.log" &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("X-Huge", "a" * 200000)
        self.send_header("Content-Length", "0")
        self.end_headers()
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
PIDS+=($!)
wait_http "$BHP" || true
H3=sha256:$(printf 'big header' | sha256sum | cut -d' ' -f1)
c=$(post "$API" "$(fake "$H3" "$ND" "http://bob:S3CRETPW@127.0.0.1:$BHP/layer?sig=SIGSIGSIG")")
check_eq "an upstream's 200 kB header: 502" 502 "$c"
check "an upstream's 200 kB header: says so and names the layer URI" \
	jq -e '.code == "layer-fetch-failed" and (.message | test("header too large")) and (.message | test("127.0.0.1:'"$BHP"'/layer"))' "$T/body"
check "an upstream's 200 kB header: no secret" bash -c "! grep -qE 'S3CRETPW|SIGSIGSIG' '$T/body'"

# ---- 7. a store write that fails ----
sqlite3 "$DB" "CREATE TRIGGER hostile_full BEFORE INSERT ON index_report BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;"
US=$(sha256sum "$T/www/empty.tar" | cut -d' ' -f1)
H4=sha256:$(printf 'disk full' | sha256sum | cut -d' ' -f1)
c=$(post "$API" "$(fake "$H4" "$ED" "$SLOW/empty.tar")")
check_eq "store write fails: 500" 500 "$c"
check "store write fails: no 'indexed manifest' line" bash -c "! grep -q 'indexed manifest $H4' '$T/h.err'"
check "store write fails: logged as a failure naming the store write" \
	grep -qE "index $H4 failed: storing the IndexReport" "$T/h.err"
sqlite3 "$DB" "DROP TRIGGER hostile_full;"

# ---- 2. (the log) ----
check "secrets: never in the server's log" bash -c "! grep -qE 'S3CRETPW|SIGSIGSIG|CREDCRED' '$T/h.err'"
kill -TERM "$NODE_PID"
rc=0
wait "$NODE_PID" || rc=$?
check_eq "SIGTERM (nothing in flight): exit 0" 0 "$rc"

# ---- 5. the indexing concurrency cap ----
CPIDS=()
start_node cap "$(newdb cap)" --index-concurrency 1 --index-queue 1
for i in 1 2 3 4 5; do
	h=sha256:$(printf 'cap %s' "$i" | sha256sum | cut -d' ' -f1)
	curl -s -o "$T/cap$i.json" -D "$T/cap$i.h" -w '%{http_code}' -X POST "$NODE_API/indexer/api/v1/index_report" \
		--data-binary "$(fake "$h" "$BD" "$SLOW/big-$i.bin")" >"$T/cap$i.code" &
	CPIDS+=($!)
	sleep 0.2
done
for p in "${CPIDS[@]}"; do wait "$p"; done
ok=0 busy=0
for i in 1 2 3 4 5; do
	case $(cat "$T/cap$i.code") in
	201) ok=$((ok + 1)) ;;
	429)
		busy=$((busy + 1))
		grep -qi '^Retry-After: [0-9]' "$T/cap$i.h" || fail "cap: a 429 without Retry-After"
		jq -e '.code == "too-many-requests" and (.message | type == "string")' "$T/cap$i.json" >/dev/null ||
			fail "cap: a 429 without Clair's {code, message}"
		;;
	esac
done
check_eq "cap (concurrency 1, queue 1): the accepted POSTs finish" 2 "$ok"
check_eq "cap: the excess get 429 + Retry-After" 3 "$busy"
kill -TERM "$NODE_PID"
wait "$NODE_PID" || true

# ---- 3. SIGTERM while an indexing outlives the grace ----
start_node term "$(newdb term)" --shutdown-grace 1
h=sha256:$(printf 'term' | sha256sum | cut -d' ' -f1)
curl -s -o "$T/term.json" -w '%{http_code}' -X POST "$NODE_API/indexer/api/v1/index_report" \
	--data-binary "$(fake "$h" "$BD" "$SLOW/big-term.bin")" >"$T/term.code" &
TPID=$!
sleep 1
kill -TERM "$NODE_PID"
rc=0
wait "$NODE_PID" || rc=$?
wait "$TPID"
check_eq "SIGTERM with an indexing past the grace: exit 0 (not 134)" 0 "$rc"
check "SIGTERM: no abort in the log" bash -c "! grep -q 'suspended connections' '$T/term.err'"
check_eq "SIGTERM: the client gets 503" 503 "$(cat "$T/term.code")"
check "SIGTERM: a JSON {code, message}" jq -e '.code == "unavailable"' "$T/term.json"
for n in h cap term; do
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/$n.err"; then
		fail "$n: sanitizer report"
		head -n 40 "$T/$n.err"
	fi
done
it_done
