#!/bin/bash
# tests/integration/test_notifier.sh: the notifier (issue 12) end to end,
# on 127.0.0.1 only. The alpine 3.10 image is indexed by two vigil serve
# nodes sharing one store (SQLite here; PostgreSQL as
# pg/integration/test_notifier); then a newer feed (the same one with one
# more fix for musl, CVE-2099-0001) is imported with `vigil db import` into
# that store while they run. Checked:
#   - ONE notification set is made, with an entry (added) for the image;
#     the webhook receiver (lib/webhook.py) fails the first 2 attempts and
#     takes the third: the set is announced exactly once across the two
#     nodes, with Clair's body {notification_id, callback} and the
#     configured header, signed with a JWT from auth.psk;
#   - GET pages it (page_size=1, following next to the end); DELETE
#     acknowledges it and a later GET is 404;
#   - Clair 2's GET /v1/notifications/{id} answers its shape;
#   - a restart between creation and delivery loses nothing: with the
#     webhook down, a set is made, the node stops; started again with the
#     receiver up, it delivers that set;
#   - bad input: an id that is not a UUID (400), an unknown one (404), a
#     malformed next or page_size (400), Clair 2 without limit (400);
#   - a receiver that hangs: the attempt times out and is retried, and
#     the server keeps answering meanwhile;
#   - Clair's internal affected_manifest query names the image for the new
#     vulnerability only.
# Every answer is validated against docs/openapi.json and Quay's schema.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/openapi.sh"
code() { oa_req "$@"; } # every answer queued for the OpenAPI check
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEED=$DATA/feeds/alpine/secdb-json/v3.10/main.json
ARCHIVE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$FEED" ] && [ -f "$ARCHIVE" ] || skip "no alpine feed or image at $DATA"

# ---- feeds: the real one, and one with a new fix for musl ----
mkdir -p "$T/old/v3.10" "$T/new/v3.10" "$T/newer/v3.10"
cp "$FEED" "$T/old/v3.10/main.json"
addfix() { # addfix OUT CVE...: the feed with musl fixed in 99.0-r0 for each CVE
	local out=$1
	shift
	jq -c '.packages |= map(if .pkg.name == "musl" then .pkg.secfixes["99.0-r0"] += $ARGS.positional else . end)' \
		"$FEED" --args "$@" >"$out"
}
addfix "$T/new/v3.10/main.json" CVE-2099-0001 CVE-2099-0003
addfix "$T/newer/v3.10/main.json" CVE-2099-0001 CVE-2099-0003 CVE-2099-0002
DB=$(newdb notifier)
vrun import-old db import "$T/old" --db "$DB"
expect_rc import-old 0

# ---- the image's layer served over HTTP, a Clair Manifest of it ----
archive_manifest "$ARCHIVE" 'notifier test'

# ---- webhook receivers ----
hook() { # hook NAME [args]: starts lib/webhook.py; sets HOOK_URL, HOOK_LOG
	local name=$1
	shift
	rm -f "$T/$name.port"
	python3 "$SRC/tests/integration/lib/webhook.py" --port-file "$T/$name.port" --log "$T/$name.jsonl" "$@" \
		2>"$T/$name.hook.err" &
	PIDS+=($!)
	HOOK_PID=$!
	for _ in $(seq 100); do [ -s "$T/$name.port" ] && break; sleep 0.1; done
	HOOK_URL=http://127.0.0.1:$(cat "$T/$name.port")/hook
	HOOK_LOG=$T/$name.jsonl
	touch "$HOOK_LOG"
}
accepted() { jq -s '[.[] | select(.status == 200)] | length' "$1"; }
accepted_n() { [ "$(accepted "$HOOK_LOG")" -ge "$1" ]; } # accepted_n N: at least N taken
failures_n() { [ "$(grep -c "delivery failed" "$T/$1.err")" -ge "$2" ]; } # failures_n NODE N
wait_for() { # wait_for SECONDS COMMAND...: until the command succeeds
	local n=$(($1 * 10))
	shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done
	return 1
}
PSK=$(printf 'notifier-secret' | base64)
config() { # config FILE TARGET [TIMEOUT]
	cat >"$1" <<YAML
auth:
  psk:
    key: $PSK
    iss: [quay]
notifier:
  poll_interval: 1s
  delivery_interval: 2s
  attempt_timeout: ${3:-5s}
  webhook:
    target: $2
    callback: http://clair.example/notifier/api/v1/notification
    headers:
      X-Vigil-Test: [notifier]
YAML
}
TOKEN=$(python3 - "$PSK" <<'PY'
import base64, hashlib, hmac, json, sys, time
key = base64.b64decode(sys.argv[1])
b = lambda x: base64.urlsafe_b64encode(x).rstrip(b"=").decode()
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
now = int(time.time())
c = b(json.dumps({"iss": "quay", "iat": now, "exp": now + 3600}).encode())
s = b(hmac.new(key, f"{h}.{c}".encode(), hashlib.sha256).digest())
print(f"{h}.{c}.{s}")
PY
)
AUTH=(-H "Authorization: Bearer $TOKEN")

hook h1 --fail 2
config "$T/c1.yaml" "$HOOK_URL"
start_node a "$DB" --config "$T/c1.yaml"
start_node b "$DB" --config "$T/c1.yaml"
API=$NODE_a_API
c=$(code POST "$API/indexer/api/v1/index_report" "${AUTH[@]}" -H 'Content-Type: application/json' \
	--data-binary @"$T/manifest.json")
check_eq "the image is indexed" 201 "$c"
c=$(code GET "$API/matcher/api/v1/vulnerability_report/$HASH" "${AUTH[@]}")
check_eq "its vulnerability report" 200 "$c"
check "musl is not affected by CVE-2099-0001 yet" \
	test "$(jq '[.vulnerabilities[] | select(.name == "CVE-2099-0001")] | length' "$T/body")" = 0

# ---- the data changes: one set, delivered once across the nodes ----
vrun import-new db import "$T/new" --db "$DB"
expect_rc import-new 0
check "the receiver takes the notification after 2 failures" wait_for 40 accepted_n 1
sleep 5 # long enough for any second delivery (retries every <= 2 s)
check_eq "announced exactly once across the two nodes" 1 "$(accepted "$HOOK_LOG")"
check_eq "2 failed attempts before it" 2 "$(jq -s '[.[] | select(.status == 503)] | length' "$HOOK_LOG")"
ID=$(jq -r -s 'map(select(.status == 200))[0].body.notification_id' "$HOOK_LOG")
check "the id is a UUID" grep -qE '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' <<<"$ID"
check_eq "the callback is the configured one + / + id" "http://clair.example/notifier/api/v1/notification/$ID" \
	"$(jq -r -s 'map(select(.status == 200))[0].body.callback' "$HOOK_LOG")"
check_eq "every attempt carries the same id" 1 "$(jq -r .body.notification_id "$HOOK_LOG" | sort -u | wc -l)"
check_eq "the configured header" notifier "$(jq -r -s '.[0].headers["X-Vigil-Test"]' "$HOOK_LOG")"
jq -s '.[0].body' "$HOOK_LOG" >"$T/hookbody.json"
check "the body is Clair's notification_webhook" python3 "$OA_CHECK" --judge clair "$OA_CLAIR" \
	notification_webhook.schema.json "$T/hookbody.json"
check "signed with the PSK (HS256, iss clair-notifier)" python3 - "$PSK" "$(jq -r -s '.[0].authorization' "$HOOK_LOG")" <<'PY'
import base64, hashlib, hmac, json, sys, time
key = base64.b64decode(sys.argv[1])
tok = sys.argv[2].split(" ", 1)[1]
h, c, s = tok.split(".")
pad = lambda x: x + "=" * (-len(x) % 4)
want = base64.urlsafe_b64encode(hmac.new(key, f"{h}.{c}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
cl = json.loads(base64.urlsafe_b64decode(pad(c)))
assert s == want and cl["iss"] == "clair-notifier" and cl["nbf"] <= time.time() + 5 <= cl["exp"] + 5, cl
PY
check "one node made it, once" test "$(cat "$T/a.err" "$T/b.err" | grep -c "notification $ID: 2 entries")" = 1
check_eq "the metrics say so: generated, delivered, failed summed over the nodes" "1 1 2" \
	"$(for m in vigil_notifications_generated_total vigil_notifications_delivered_total vigil_notification_failures_total; do
		echo $(($(metric "$NODE_a_INTRO" $m) + $(metric "$NODE_b_INTRO" $m)))
	done | paste -sd' ')"

# ---- GET pages, Clair 2's view, DELETE ----
# page_size=1, following next to the end
NEXT= PAGES=0
: >"$T/entries"
while :; do
	c=$(code GET "$API/notifier/api/v1/notification/$ID?page_size=1${NEXT:+&next=$NEXT}" "${AUTH[@]}")
	[ "$c" = 200 ] || { fail "GET page $PAGES: $c"; break; }
	PAGES=$((PAGES + 1))
	jq -r '.notifications[] | "\(.reason) \(.vulnerability.name) \(.vulnerability.package.name) \(.manifest) \(.vulnerability.normalized_severity) \(.vulnerability.fixed_in_version)"' \
		"$T/body" >>"$T/entries"
	LAST=$(jq -r '.notifications[-1].id // empty' "$T/body")
	NEXT=$(jq -r '.page.next // empty' "$T/body")
	[ -n "$NEXT" ] || break
	check_eq "page $PAGES: next is its last entry's id" "$LAST" "$NEXT"
	[ "$PAGES" -lt 10 ] || break
done
check_eq "two pages of one entry" 2 "$PAGES"
check_eq "the entries: added CVE-2099-0001 and -0003 for musl of the image" \
	"added CVE-2099-0001 musl $HASH Unknown 99.0-r0|added CVE-2099-0003 musl $HASH Unknown 99.0-r0" \
	"$(sort "$T/entries" | paste -sd'|')"
c=$(code GET "$API/notifier/api/v1/notification/$ID?page_size=1&next=$LAST" "${AUTH[@]}")
check_eq "GET after the last entry: an empty page" "200 0" "$c $(jq '.notifications | length' "$T/body")"
c=$(code GET "$NODE_b_API/notifier/api/v1/notification/$ID" "${AUTH[@]}")
check_eq "the other node answers the same set" "200 2" "$c $(jq '.notifications | length' "$T/body")"
c=$(code GET "$API/v1/notifications/$ID?limit=10" "${AUTH[@]}")
check_eq "Clair 2's view" 200 "$c"
check_eq "Clair 2's shape: Name, New.Vulnerability, layers" "$ID CVE-2099-0001 alpine:3.10 99.0-r0 $HASH" \
	"$(jq -r '.Notification | "\(.Name) \(.New.Vulnerability.Name) \(.New.Vulnerability.NamespaceName) \(.New.Vulnerability.FixedBy) \(.New.LayersIntroducingVulnerability[0])"' "$T/body")"
TOK=$(jq -r '.Notification.NextPage' "$T/body")
c=$(code GET "$API/v1/notifications/$ID?limit=10&page=$TOK" "${AUTH[@]}")
check_eq "Clair 2's next page: the next vulnerability, the last page" "200 CVE-2099-0003 none" \
	"$c $(jq -r '.Notification | "\(.New.Vulnerability.Name) \(.NextPage // "none")"' "$T/body")"
check "Clair 2's Created and Notified are Unix times" jq -e '.Notification | (.Created | test("^[0-9]+$")) and (.Notified | test("^[0-9]+$"))' "$T/body"
c=$(code GET "$API/v1/notifications/$ID" "${AUTH[@]}")
check_eq "Clair 2 without limit: 400" 400 "$c"
c=$(code GET "$API/v1/notifications/$ID?limit=1&page=%21%21" "${AUTH[@]}")
check_eq "Clair 2 with a bad page token: 400 {Error: {Message}}" "400 invalid page format" "$c $(jq -r .Error.Message "$T/body")"
c=$(code GET "$API/v1/notifications/00000000-0000-4000-8000-000000000000?limit=1" "${AUTH[@]}")
check_eq "Clair 2, unknown: 404" 404 "$c"

# ---- Clair's internal affected_manifest query ----
c=$(code POST "$API/indexer/api/v1/internal/affected_manifest" "${AUTH[@]}" -H 'Content-Type: application/json' \
	--data '{"vulnerabilities": [{"id": "7", "name": "CVE-2099-0001", "package": {"name": "musl"}}, {"id": "8", "name": "CVE-2000-0000"}]}')
check_eq "affected_manifest: the image for CVE-2099-0001 only" "200 [\"7\"] 2" \
	"$c $(jq -c --arg h "$HASH" '.vulnerable_manifests[$h]' "$T/body") $(jq '.vulnerabilities | length' "$T/body")"
c=$(code POST "$API/indexer/api/v1/internal/affected_manifest" "${AUTH[@]}" --data '[1]')
check_eq "affected_manifest: a body that is not one: 400" 400 "$c"

# ---- bad input ----
c=$(code GET "$API/notifier/api/v1/notification/not-a-uuid" "${AUTH[@]}")
check_eq "an id that is not a UUID: 400" "400 bad-request" "$c $(jq -r .code "$T/body")"
c=$(code GET "$API/notifier/api/v1/notification/00000000-0000-4000-8000-000000000000" "${AUTH[@]}")
check_eq "an unknown id: 404" "404 not-found" "$c $(jq -r .code "$T/body")"
c=$(code GET "$API/notifier/api/v1/notification/$ID?next=zzz" "${AUTH[@]}")
check_eq "a malformed next: 400" 400 "$c"
for ps in abc -1 1e3 99999999999999999999; do
	c=$(code GET "$API/notifier/api/v1/notification/$ID?page_size=$ps" "${AUTH[@]}")
	check_eq "page_size=$ps: 400" 400 "$c"
done
c=$(code GET "$API/notifier/api/v1/notification/$ID" )
check_eq "without a token: 401" 401 "$c"

c=$(code DELETE "$API/notifier/api/v1/notification/$ID" "${AUTH[@]}")
check_eq "DELETE acknowledges" 200 "$c"
c=$(code GET "$API/notifier/api/v1/notification/$ID" "${AUTH[@]}")
check_eq "then GET is 404" 404 "$c"
c=$(code DELETE "$API/notifier/api/v1/notification/$ID" "${AUTH[@]}")
check_eq "and DELETE again 404" 404 "$c"

# ---- a restart between creation and delivery ----
kill "$NODE_a_PID" "$NODE_b_PID"
wait "$NODE_a_PID" "$NODE_b_PID" 2>/dev/null
DEAD=http://127.0.0.1:$(free_port)/hook
config "$T/c2.yaml" "$DEAD"
start_node c "$DB" --config "$T/c2.yaml"
vrun import-newer db import "$T/newer" --db "$DB"
expect_rc import-newer 0
check "a set is made while the webhook is down" wait_for 20 grep -q "notifier: notification .*: 1 entries" "$T/c.err"
check "its delivery fails" wait_for 10 grep -q "delivery failed" "$T/c.err"
ID2=$(sed -n 's/.*notifier: notification \([0-9a-f-]*\): 1 entries.*/\1/p' "$T/c.err" | head -n 1)
kill "$NODE_c_PID"
wait "$NODE_c_PID" 2>/dev/null
hook h2
config "$T/c3.yaml" "$HOOK_URL"
start_node d "$DB" --config "$T/c3.yaml"
check "after the restart the set is delivered" wait_for 30 accepted_n 1
check_eq "the set made before the restart" "$ID2" "$(jq -r -s '.[0].body.notification_id' "$HOOK_LOG")"
API=$NODE_d_API
c=$(code GET "$API/notifier/api/v1/notification/$ID2" "${AUTH[@]}")
check_eq "CVE-2099-0002 added" "200 added CVE-2099-0002" \
	"$c $(jq -r '.notifications[0] | "\(.reason) \(.vulnerability.name)"' "$T/body")"
code DELETE "$API/notifier/api/v1/notification/$ID2" "${AUTH[@]}" >/dev/null

# ---- a receiver that hangs ----
kill "$NODE_d_PID"
wait "$NODE_d_PID" 2>/dev/null
hook h3 --hang 30
config "$T/c4.yaml" "$HOOK_URL" 2s
start_node e "$DB" --config "$T/c4.yaml"
API=$NODE_e_API
vrun import-back db import "$T/new" --db "$DB"
check "a set is made (CVE-2099-0002 removed)" wait_for 20 grep -q "notifier: notification .*: 1 entries" "$T/e.err"
check "the hanging attempt times out" wait_for 15 grep -q "delivery failed" "$T/e.err"
t0=$(date +%s%N)
c=$(code GET "$API/indexer/api/v1/index_state" "${AUTH[@]}")
t1=$(date +%s%N)
check_eq "the server answers meanwhile" 200 "$c"
check "within a second" test $(((t1 - t0) / 1000000)) -lt 1000
check "and tries again" wait_for 15 failures_n e 2
for n in a b c d e; do
	check "node $n: no sanitizer report" bash -c "! grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' '$T/$n.err'"
done
oa_done
it_done
