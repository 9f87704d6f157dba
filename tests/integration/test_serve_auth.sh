#!/bin/bash
# tests/integration/test_serve_auth.sh: `vigil serve --config FILE` with a
# Clair-style YAML config (http_listen_addr, introspection_addr, log_level,
# indexer and matcher connstrings, auth.psk with a base64 key and an issuer
# list, plus Clair keys vigil ignores) and Clair's pre-shared key
# authentication end to end, with curl: no token, a malformed one, one
# signed with another key, an expired one, one of an issuer not allowed,
# alg "none": 401 in Clair's error shape (v4) and Clair 2's (v1), every
# response validated against docs/openapi.json; HS256 JWTs made here with
# python3's hmac: 200 on the v4 and v1 routes; introspection answers
# without a token; the addresses and the store of the config are the ones
# used (no --listen, no --db); the ignored keys are warned about; a bad
# key, and Quay's keyserver auth, are refused (fail closed). The
# store comes from newdb (lib/db.sh's vigil_db when present).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/alpine/secdb-json" ] || skip "no shared test data at $DATA"

# nodes, layer servers, free ports, newdb (lib/serve.sh); killed by PID at exit
. "$(dirname "$0")/lib/serve.sh"

# every API response is queued for the OpenAPI check (oa, oa_done)
. "$(dirname "$0")/lib/openapi.sh"
# req METHOD URL [curl args...]: the status; the body in $T/body (lib/openapi.sh)
req() { oa_req "$@"; }
# jwt KEY_BASE64 ISSUER ("-": none) EXP_IN_SECONDS [ALG]: a JWT as clairctl
# and Quay make them (HS256 over header.payload, base64url without padding).
jwt() {
	python3 - "$@" <<'PY'
import base64, hashlib, hmac, json, sys, time
key, iss, exp = base64.b64decode(sys.argv[1]), sys.argv[2], int(sys.argv[3])
alg = sys.argv[4] if len(sys.argv) > 4 else "HS256"
enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
part = lambda d: enc(json.dumps(d, separators=(",", ":")).encode())
now = int(time.time())
claims = {"iat": now, "nbf": now, "exp": now + exp}
if iss != "-":
    claims["iss"] = iss
signing = part({"alg": alg, "typ": "JWT"}) + "." + part(claims)
sig = enc(hmac.new(key, signing.encode(), hashlib.sha256).digest()) if alg == "HS256" else ""
print(signing + "." + sig)
PY
}

DB=$(newdb auth)
vrun import db import "$DATA/feeds/alpine/secdb-json" --db "$DB"
expect_rc import 0

KEY=$(head -c 32 /dev/urandom | base64 -w0)
OTHER=$(head -c 32 /dev/urandom | base64 -w0)
SPORT=$(free_port)
IPORT=$(free_port)
API=http://127.0.0.1:$SPORT
INTRO=http://127.0.0.1:$IPORT
yq() { printf "'%s'" "${1//\'/\'\'}"; } # a YAML single-quoted scalar
cat >"$T/config.yaml" <<EOF
# a Clair v4 config, as an existing deployment has it
http_listen_addr: 127.0.0.1:$SPORT
introspection_addr: "127.0.0.1:$IPORT"
log_level: Info
indexer:
  connstring: $(yq "$DB")
  scanlock_retry: 10
  layer_scan_concurrency: 5
  migrations: true
matcher:
  connstring: $(yq "$DB")
  max_conn_pool: 100
  migrations: true
  indexer_addr: ""
notifier:
  connstring: $(yq "$DB")
  delivery_interval: 1m
  wat: 1
auth:
  psk:
    key: >-
      $KEY
    iss: ["quay", "clairctl"]
metrics:
  name: prometheus
EOF

"$VIGIL" serve --config "$T/config.yaml" >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
PIDS+=("$SPID")
up=0
for _ in $(seq 150); do
	curl -fs "$INTRO/healthz" >/dev/null 2>&1 && { up=1; break; }
	sleep 0.1
done
[ "$up" = 1 ] || { fail "the server did not come up on the config's addresses: $(cat "$T/serve.err")"; it_done; }
pass "the server answers on the config's introspection_addr"
check "the log names the config's addresses" grep -q "listening on 127.0.0.1:$SPORT (introspection 127.0.0.1:$IPORT)" "$T/serve.err"
check "the store is the config's connstring" grep -qF "store $(case $DB in postgres*) echo postgres ;; *) echo "sqlite:$DB" ;; esac)" "$T/serve.err"
check "Clair keys vigil does not use are warned about" grep -q "indexer.scanlock_retry: Clair key not used by vigil" "$T/serve.err"
check "unknown keys are warned about" grep -q "notifier.wat: unknown key, ignored" "$T/serve.err"
check "a notifier: section turns the notifier on" grep -q "notifier: no delivery target" "$T/serve.err"

# ---- introspection needs no token ----
check_eq "/healthz without a token: 200" 200 "$(req GET "$INTRO/healthz")"
check_eq "/readyz without a token: 200 (alpine data)" 200 "$(req GET "$INTRO/readyz")"
check_eq "/metrics without a token: 200" 200 "$(req GET "$INTRO/metrics")"

# ---- refused: 401 in Clair's shape ----
ST=$API/indexer/api/v1/index_state
unauth() { # DESCRIPTION REASON [curl args...]
	local what=$1 why=$2
	shift 2
	check_eq "$what: 401" 401 "$(req GET "$ST" "$@")"
	check "$what: Clair's error, saying why" jq -e --arg w "$why" \
		'.code == "unauthorized" and (.message | type == "string" and contains($w))' "$T/body"
}
unauth "no token" "missing Authorization"
unauth "not a bearer token" "not a Bearer token" -H "Authorization: Basic dXNlcjpwYXNz"
unauth "a malformed token" "malformed token" -H "Authorization: Bearer not-a-jwt"
unauth "signed with another key" "bad token signature" -H "Authorization: Bearer $(jwt "$OTHER" quay 300)"
unauth "expired an hour ago" "token expired" -H "Authorization: Bearer $(jwt "$KEY" quay -3600)"
unauth "an issuer not allowed" "issuer not allowed" -H "Authorization: Bearer $(jwt "$KEY" mallory 300)"
unauth "no issuer" "no issuer" -H "Authorization: Bearer $(jwt "$KEY" - 300)"
unauth "alg none" "not HS256" -H "Authorization: Bearer $(jwt "$KEY" quay 300 none)"
check_eq "a refused token on a v1 route: 401" 401 "$(req GET "$API/v1/namespaces" -H "Authorization: Bearer $(jwt "$OTHER" quay 300)")"
check "a refused token on a v1 route: Clair 2's error shape" jq -e '.Error.Message | contains("bad token signature")' "$T/body"
check_eq "POST index_report without a token: 401 before anything is read" 401 \
	"$(req POST "$API/indexer/api/v1/index_report" -d '{"hash": "sha256:00"}')"

# ---- accepted ----
TOK=$(jwt "$KEY" quay 300)
AUTH=(-H "Authorization: Bearer $TOK")
check_eq "a good token: index_state 200" 200 "$(req GET "$ST" "${AUTH[@]}")"
check "a good token: the state" jq -e '.state | length == 64' "$T/body"
check_eq "the other allowed issuer: 200" 200 "$(req GET "$ST" -H "Authorization: Bearer $(jwt "$KEY" clairctl 300)")"
check_eq "expired 30 s ago (within the 60 s leeway): 200" 200 \
	"$(req GET "$ST" -H "Authorization: Bearer $(jwt "$KEY" quay -30)")"
check_eq "scheme in lower case: 200" 200 "$(req GET "$ST" -H "Authorization: bearer $TOK")"
check_eq "a good token: /openapi/v1 200" 200 "$(req GET "$API/openapi/v1" "${AUTH[@]}")"
check_eq "a good token: an unknown manifest is 404, not 401" 404 \
	"$(req GET "$API/matcher/api/v1/vulnerability_report/sha256:$(printf 'a%.0s' $(seq 64))" "${AUTH[@]}")"
check_eq "a good token: update_operation 200" 200 "$(req GET "$API/matcher/api/v1/internal/update_operation" "${AUTH[@]}")"
check "a good token: the alpine operation" jq -e '.alpine | length == 1' "$T/body"
check_eq "a good token: v1 namespaces 200" 200 "$(req GET "$API/v1/namespaces" "${AUTH[@]}")"
check "a good token: v1 namespaces from the alpine data" jq -e '[.Namespaces[].Name] | any(startswith("alpine:"))' "$T/body"

# ---- metrics count the refusals ----
curl -s "$INTRO/metrics" >"$T/metrics.txt"
check "metrics: 401s of index_state counted" grep -qE '^vigil_http_requests_total\{route="index_state",code="401"\} [1-9]' "$T/metrics.txt"

kill -TERM "$SPID"
rc=0
wait "$SPID" || rc=$?
check_eq "SIGTERM: exit 0" 0 "$rc"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/serve.err"; then
	fail "serve: sanitizer report"
	head -n 40 "$T/serve.err"
fi

# ---- a config with a bad key is refused, naming the key ----
printf 'auth:\n  psk:\n    key: "not base64!"\n    iss: [quay]\n' >"$T/bad.yaml"
vrun badcfg serve --config "$T/bad.yaml" --listen 127.0.0.1:0 --introspection-listen ""
check "a bad auth.psk.key: an error" test "$VRC" -ne 0
check "a bad auth.psk.key: the message names the file, line and key" grep -q "bad.yaml: line 3: auth.psk.key" "$T/badcfg.err"
printf 'log_level: warning\nauth:\n  keyserver:\n    api: https://quay.example/keys/\n    intraservice: abc\n' >"$T/ks.yaml"
vrun kscfg serve --config "$T/ks.yaml" --listen 127.0.0.1:0 --introspection-listen ""
check "auth.keyserver (Quay's, not supported): refused rather than served without auth" test "$VRC" -ne 0
check "auth.keyserver: the message says why" grep -q "ks.yaml: line [0-9]*: auth.keyserver: .*not supported" "$T/kscfg.err"
oa_done
it_done
