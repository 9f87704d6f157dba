#!/usr/bin/env bash
# tests/integration/test_registry_events.sh: push-triggered scanning. Debian's
# docker-registry posts its notifications (`notifications: endpoints:` with a
# static "Authorization: Bearer" header) to vigil serve's POST
# /registry/events; a push with skopeo must end, without anyone asking, in a
# stored IndexReport under the manifest digest whose packages are those of
# `vigil index` of the same image, for a plain registry and for a token-auth
# one (vigil pulls with the configured user and a password file). Then:
# a second tag of the same image is indexed once; a real captured event
# body replayed twice and out of order changes nothing; an event for a
# repository that does not exist is answered 202, logged and counted as
# failed once, never retried, and the server stays healthy; an event from
# an unconfigured registry is dropped (202); a wrong or missing endpoint
# token is 401, a malformed envelope 400, a huge one 413; the
# VulnerabilityReport of a pushed image is vigil scan's; an index push answers
# for its linux/amd64 image; with auth.psk the endpoint takes its own token
# (or, without one, the JWT); no secret reaches the log; a registry that
# never answers fills the queue (503 + Retry-After) and SIGTERM still stops
# after shutdown_grace, dropping the queued events. With a notifier
# configured (a webhook), a database update after the pushes announces a
# set naming the pushed image.
# Everything listens on 127.0.0.1 and is stopped by PID at exit.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/registry.sh"
reg_need
export HOME=$T/home
mkdir -p "$HOME"
unset DOCKER_CONFIG VIGIL_REGISTRY_PASSWORD

OCI=$IMAGES/oci
V2=$(oci_manifest "$OCI" v2)
V1=$(oci_manifest "$OCI" v1)
CORPUS=$SRC/fuzz/corpus/fuzz_srv_registry_events
EVTOKEN=$(openssl rand -hex 24)
REGPASS=$(openssl rand -hex 12)
export VIGIL_TEST_EVTOKEN=$EVTOKEN
printf '%s\n' "$REGPASS" >"$T/regpass"

# vigil's ports first: the registries' configs name its URL
SP=$(free_port)
IP=$(free_port)
API=http://127.0.0.1:$SP
INTRO=http://127.0.0.1:$IP
notif() { # the registry's notifications block [more endpoint lines]
	printf 'notifications:\n  endpoints:\n    - name: vigil\n      url: %s/registry/events\n' "$API"
	printf '      headers:\n        Authorization: [Bearer %s]\n' "$EVTOKEN"
	printf '      timeout: 2s\n      threshold: 3\n      backoff: 1s\n%s' "${1:-}"
}
reg_start plain "" "$(notif)"
PLAIN=127.0.0.1:$RPORT
# (this one leaves out pulls, as docs/server.md's example)
reg_start_token tok "pusher:$REGPASS" "$(notif "$(printf '      ignore:\n        actions: [pull]')")"
TOKREG=127.0.0.1:$RPORT
note "registries: plain $PLAIN, token auth $TOKREG (token server $TOK)"

# the webhook of the notifier (lib/webhook.py): a database update after the
# pushes must notify for the pushed images
python3 "$SRC/tests/integration/lib/webhook.py" --port-file "$T/hook.port" --log "$T/hook.jsonl" 2>"$T/hook.err" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/hook.port" ] && break; sleep 0.1; done
touch "$T/hook.jsonl"
cat >"$T/vigil.yml" <<EOF
notifier:
  poll_interval: 1s
  delivery_interval: 2s
  webhook:
    target: http://127.0.0.1:$(cat "$T/hook.port")/hook
    callback: $API/notifier/api/v1/notification/
registry_events:
  token_env: VIGIL_TEST_EVTOKEN
  workers: 2
  queue: 64
  registries:
    - host: $PLAIN
      insecure: true
    - host: $TOKREG
      insecure: true
      username: pusher
      password_file: $T/regpass
EOF
DB=$(newdb v)
if [ -d "$DATA/feeds/debian" ]; then
	vrun import db import "$DATA/feeds/debian" --db "$DB"
	expect_rc import 0
fi
"$VIGIL" serve --config "$T/vigil.yml" --listen "127.0.0.1:$SP" --introspection-listen "127.0.0.1:$IP" \
	--db "$DB" --threads 4 >"$T/serve.out" 2>"$T/serve.err" &
SPID=$!
SERVE_PIDS+=("$SPID")
wait_healthz "$INTRO" || { fail "vigil serve did not come up: $(tail -n 5 "$T/serve.err")"; it_done; }
check "the log announces push-triggered scanning" grep -q "push-triggered scanning: POST /registry/events from 2 registries" "$T/serve.err"

# wait_report DIGEST: until GET index_report/DIGEST is 200 (60 s); the report in $T/body
wait_report() {
	local i
	for i in $(seq 600); do
		[ "$(code GET "$API/indexer/api/v1/index_report/$1")" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}
# wait_metric NAME VALUE: until the counter reaches VALUE (30 s)
wait_metric() {
	local i
	for i in $(seq 300); do
		[ "$(metric "$INTRO" "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# post_event FILE [curl args]: POST /registry/events as the registry does; the status
post_event() {
	local f=$1
	shift
	code POST "$API/registry/events" -H 'Content-Type: application/vnd.docker.distribution.events.v1+json' \
		--data-binary "@$f" "$@"
}
jqt() { jq -e "$@" >/dev/null; }
pkgs() { jq -c '[.packages[] | [.name, .version, .arch]] | sort' "$1"; }

# ==== a push to the plain registry ====
vrun ref-v2 index "oci:$OCI:v2" --format json -q --db "$T/ref.db"
expect_rc ref-v2 0
reg_push "oci:$OCI:v2" "$PLAIN/demo/app:v2"
if wait_report "$V2"; then
	pass "push to the plain registry: GET index_report/$V2 answers 200"
	cp "$T/body" "$T/pushed-v2.json"
	check "the stored report is an IndexReport of the pushed digest" jqt --arg h "$V2" \
		'.manifest_hash == $h and .state == "IndexFinished" and .success == true' "$T/pushed-v2.json" >/dev/null
	check_eq "its packages are vigil index's of the same image" "$(pkgs "$T/ref-v2.out")" "$(pkgs "$T/pushed-v2.json")"
else
	fail "push to the plain registry: no IndexReport for $V2 after 60 s: $(tail -n 5 "$T/serve.err")"
fi
check "the log names the event indexed" grep -q "registry event: $PLAIN/demo/app@$V2 (tag v2): indexed" "$T/serve.err"
check_eq "indexed: 1" 1 "$(metric "$INTRO" vigil_registry_events_indexed_total)"
check "blob pushes and pulls were received and ignored" \
	test "$(metric "$INTRO" vigil_registry_events_ignored_total)" -gt 2
if [ -d "$DATA/feeds/debian" ]; then
	check_eq "the VulnerabilityReport of the pushed digest: 200" 200 \
		"$(code GET "$API/matcher/api/v1/vulnerability_report/$V2")"
	cp "$T/body" "$T/vr.json"
	vrun scan scan "oci:$OCI:v2" --db "$DB" --format json -q
	check_eq "... and it is vigil scan's of the same image" "$(jq -S -c . "$T/scan.out")" "$(jq -S -c . "$T/vr.json")"
fi

# ==== the same image under a second tag: indexed once ====
before=$(metric "$INTRO" vigil_manifests_indexed_total)
reg_push "oci:$OCI:v2" "$PLAIN/demo/app:again"
check "a second tag of the same digest: counted as a duplicate" wait_metric vigil_registry_events_duplicate_total 1
check "the log says it was indexed already" \
	grep -qE "registry event: $PLAIN/demo/app@$V2 \(tag again\): already (indexed|queued)" "$T/serve.err"
check_eq "indexed once: vigil_registry_events_indexed_total" 1 "$(metric "$INTRO" vigil_registry_events_indexed_total)"
check_eq "indexed once: vigil_manifests_indexed_total unchanged" "$before" "$(metric "$INTRO" vigil_manifests_indexed_total)"

# ==== a multi-platform index: v2 for linux/amd64, base for linux/arm64 ====
BASE=$(oci_manifest "$OCI" base)
oci_multi_layout "$OCI" "$T/multi" "$V2" "$BASE"
vrun ref-base index "oci:$OCI:base" --format json -q --db "$T/ref.db"
reg_push "oci:$T/multi:multi" "$PLAIN/demo/multi:latest"
if wait_report "$MULTI"; then
	pass "an index push: its digest answers"
	check_eq "... with the linux/amd64 image's packages (registry_events.platform)" "$(pkgs "$T/ref-v2.out")" "$(pkgs "$T/body")"
	check "... under the index's digest" jqt --arg h "$MULTI" '.manifest_hash == $h' "$T/body"
else
	fail "an index push: no IndexReport for $MULTI: $(tail -n 5 "$T/serve.err")"
fi
if wait_report "$BASE"; then
	check_eq "its linux/arm64 manifest, indexed by its own push event: the base image's packages" \
		"$(pkgs "$T/ref-base.out")" "$(pkgs "$T/body")"
else
	fail "the index's arm64 manifest $BASE was not indexed"
fi
check_eq "the amd64 manifest (indexed before) is not indexed again" 1 \
	"$(grep -c "indexed manifest $V2" "$T/serve.err")"

# ==== replays: a captured event body, twice, then an older one ====
# the registry's own bytes (fuzz corpus), re-aimed at this registry and digest
ev_body() { # TAG DIGEST REPO HOST
	jq --arg t "$1" --arg d "$2" --arg r "$3" --arg h "$4" '.events[0].target.tag = $t
		| .events[0].target.digest = $d | .events[0].target.repository = $r | .events[0].request.host = $h
		| .events[0].target.url = "http://\($h)/v2/\($r)/manifests/\($d)"' "$CORPUS/manifest-push-tag.json"
}
ev_body again "$V2" demo/app "$PLAIN" >"$T/ev-again.json"
ev_body v2 "$V2" demo/app "$PLAIN" >"$T/ev-v2.json"
dup=$(metric "$INTRO" vigil_registry_events_duplicate_total)
idx=$(metric "$INTRO" vigil_registry_events_indexed_total)
check_eq "replay 1: 202" 202 "$(post_event "$T/ev-again.json" -H "Authorization: Bearer $EVTOKEN")"
check "the answer counts the event queued or duplicate" jqt '.queued + .duplicates == 1' "$T/body"
check_eq "replay 2 (same body): 202" 202 "$(post_event "$T/ev-again.json" -H "Authorization: Bearer $EVTOKEN")"
check_eq "an older event after them: 202" 202 "$(post_event "$T/ev-v2.json" -H "Authorization: Bearer $EVTOKEN")"
check "the replays are duplicates" wait_metric vigil_registry_events_duplicate_total $((dup + 3))
check_eq "replays index nothing" "$idx" "$(metric "$INTRO" vigil_registry_events_indexed_total)"
check_eq "the stored report is unchanged" 200 "$(code GET "$API/indexer/api/v1/index_report/$V2")"
check_eq "... with the same packages" "$(pkgs "$T/pushed-v2.json")" "$(pkgs "$T/body")"

# ==== a repository that is not there ====
failed=$(metric "$INTRO" vigil_registry_events_failed_total)
ev_body gone "$V1" demo/gone "$PLAIN" >"$T/ev-gone.json"
check_eq "an event for a repository that is gone: 202 (the registry must not retry it)" 202 \
	"$(post_event "$T/ev-gone.json" -H "Authorization: Bearer $EVTOKEN")"
check "it is counted as failed" wait_metric vigil_registry_events_failed_total $((failed + 1))
check "the log names it, not retried" grep -q "registry event: $PLAIN/demo/gone@$V1 (tag gone): failed, not retried" "$T/serve.err"
sleep 3
check_eq "failed once: no retry" $((failed + 1)) "$(metric "$INTRO" vigil_registry_events_failed_total)"
check_eq "no report for it" 404 "$(code GET "$API/indexer/api/v1/index_report/$V1")"
check_eq "the server stays healthy" 200 "$(code GET "$INTRO/healthz")"

# ==== refusals ====
rec=$(metric "$INTRO" vigil_registry_events_received_total)
check_eq "no endpoint token: 401" 401 "$(post_event "$T/ev-v2.json")"
check_eq "a wrong endpoint token: 401" 401 "$(post_event "$T/ev-v2.json" -H "Authorization: Bearer x$EVTOKEN")"
check_eq "the token under another scheme (Basic): 401" 401 "$(post_event "$T/ev-v2.json" -H "Authorization: Basic $EVTOKEN")"
check_eq "refused envelopes are not received" "$rec" "$(metric "$INTRO" vigil_registry_events_received_total)"
dropped=$(metric "$INTRO" vigil_registry_events_dropped_total)
ev_body v2 "$V2" demo/app 127.0.0.1:1 >"$T/ev-other.json"
check_eq "an event from an unconfigured registry: 202" 202 "$(post_event "$T/ev-other.json" -H "Authorization: Bearer $EVTOKEN")"
check_eq "... dropped" $((dropped + 1)) "$(metric "$INTRO" vigil_registry_events_dropped_total)"
check "... and logged" grep -q "dropped: demo/app@$V2 from 127.0.0.1:1: not a configured registry" "$T/serve.err"
printf '{"events": [' >"$T/bad.json"
check_eq "a malformed envelope: 400" 400 "$(post_event "$T/bad.json" -H "Authorization: Bearer $EVTOKEN")"
head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/big.json"
check_eq "an envelope over 1 MiB: 413" 413 "$(post_event "$T/big.json" -H "Authorization: Bearer $EVTOKEN")"
python3 -c 'print("{\"events\":" + "[" * 40 + "]" * 40 + "}")' >"$T/deep.json"
check_eq "an envelope nested 40 deep: 400" 400 "$(post_event "$T/deep.json" -H "Authorization: Bearer $EVTOKEN")"
for f in "$CORPUS"/blob-push.json "$CORPUS"/manifest-delete.json "$CORPUS"/tag-delete.json; do
	check_eq "$(basename "$f"): 202, nothing queued" "202 0" \
		"$(post_event "$f" -H "Authorization: Bearer $EVTOKEN") $(jq .queued "$T/body")"
done

# ==== a push to the token-auth registry: vigil pulls as the configured user ====
vrun ref-v1 index "oci:$OCI:v1" --format json -q --db "$T/ref.db"
expect_rc ref-v1 0
reg_push "oci:$OCI:v1" "$TOKREG/team/app:v1" --dest-creds "pusher:$REGPASS"
if wait_report "$V1"; then
	pass "push to the token-auth registry: GET index_report/$V1 answers 200"
	check_eq "its packages are vigil index's of the same image" "$(pkgs "$T/ref-v1.out")" "$(pkgs "$T/body")"
else
	fail "push to the token-auth registry: no IndexReport for $V1: $(tail -n 5 "$T/serve.err")"
fi

# ==== no secret in the log; healthy to the end ====
check "the endpoint token is not in the log" bash -c "! grep -qF '$EVTOKEN' '$T/serve.err'"
check "the registry password is not in the log" bash -c "! grep -qF '$REGPASS' '$T/serve.err'"
check "no crash or sanitizer report" bash -c "! grep -qE 'ERROR: (Address|Leak|Undefined)|runtime error' '$T/serve.err'"
check_eq "healthy at the end" 200 "$(code GET "$INTRO/healthz")"

# ==== a later database update notifies for the pushed image ====
# a tracker record (open, so every version) for a source package of the
# image pushed first, imported into the store while vigil serves
code GET "$API/indexer/api/v1/index_report/$V2" >/dev/null
SRCPKG=$(jq -r '[.packages[] | .source.name // .name] | map(select(. != null and . != "")) | sort | .[0]' "$T/body")
jq -n --arg p "$SRCPKG" '{($p): {"CVE-2099-4242": {description: "vigil test", scope: "local",
	releases: {bookworm: {status: "open", repositories: {bookworm: "1"}, urgency: "high"}}}}}' >"$T/tracker.json"
vrun import-later db import "$T/tracker.json" --db "$DB"
expect_rc import-later 0
hooked() { [ "$(jq -s 'map(select(.status == 200)) | length' "$T/hook.jsonl")" -ge 1 ]; }
for _ in $(seq 400); do hooked && break; sleep 0.1; done
if hooked; then
	NID=$(jq -r -s 'map(select(.status == 200))[0].body.notification_id' "$T/hook.jsonl")
	pass "the update is announced to the webhook (notification $NID)"
	check_eq "its callback is vigil's page of it" "$API/notifier/api/v1/notification/$NID" \
		"$(jq -r -s 'map(select(.status == 200))[0].body.callback' "$T/hook.jsonl")"
	code GET "$API/notifier/api/v1/notification/$NID?page_size=1000" >/dev/null
	check "the set names the pushed image ($V2) and CVE-2099-4242, added for $SRCPKG" jq -e --arg m "$V2" \
		'[.notifications[] | select(.manifest == $m and .vulnerability.name == "CVE-2099-4242" and .reason == "added")] | length >= 1' "$T/body"
else
	fail "no notification after the update: $(grep -i notif "$T/serve.err" | tail -n 5)"
fi

kill "$SPID" 2>/dev/null
wait "$SPID" 2>/dev/null
check "it stops on SIGTERM" grep -q "stopped" "$T/serve.err"

# ==== with auth.psk: the endpoint takes its own token, the API the JWT ====
PSK=$(printf 'vigil-test-psk-key' | base64)
for t in with-token no-token; do
	{
		printf 'auth:\n  psk:\n    key: %s\n    iss: [quay]\n' "$PSK"
		printf 'registry_events:\n'
		[ "$t" = with-token ] && printf '  token_env: VIGIL_TEST_EVTOKEN\n'
		printf '  registries:\n    - host: %s\n      insecure: true\n' "$PLAIN"
	} >"$T/psk-$t.yml"
	start_node "psk_${t//-/_}" "$(newdb "psk-$t")" --config "$T/psk-$t.yml" || continue
	API=$NODE_API
	ev_body v9 "$V2" demo/app 127.0.0.1:1 >"$T/ev-psk.json"
	if [ "$t" = with-token ]; then
		check_eq "auth.psk and a token: the registry's Bearer token is accepted" 202 \
			"$(post_event "$T/ev-psk.json" -H "Authorization: Bearer $EVTOKEN")"
		check_eq "... while the API still wants the JWT" 401 "$(code GET "$NODE_API/indexer/api/v1/index_state")"
	else
		check_eq "auth.psk without a token: the registry's static token is 401 (a JWT is needed)" 401 \
			"$(post_event "$T/ev-psk.json" -H "Authorization: Bearer $EVTOKEN")"
		check "... and the start says so" grep -q "auth.psk's JWT required" "$T/psk_no_token.err"
	fi
	kill "$NODE_PID"
	wait "$NODE_PID" 2>/dev/null
done

# ==== back-pressure: a registry that never answers, one worker, a queue of 1 ====
HPORT=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); held = []
end = time.time() + 120
while time.time() < end:
    c, _ = s.accept(); held.append(c)' "$HPORT" &
PIDS+=($!)
printf 'shutdown_grace: 1\nregistry_events:\n  workers: 1\n  queue: 1\n  registries:\n    - host: 127.0.0.1:%s\n      insecure: true\n' \
	"$HPORT" >"$T/hang.yml"
if start_node hang "$(newdb hang)" --config "$T/hang.yml"; then
	API=$NODE_API
	check "no token, no auth.psk: the start says the endpoint is open" grep -q "no token: open to anyone" "$T/hang.err"
	ev_body a "$V2" demo/a "127.0.0.1:$HPORT" >"$T/ev-h1.json"
	ev_body b "$V1" demo/b "127.0.0.1:$HPORT" >"$T/ev-h2.json"
	ev_body c "$BASE" demo/c "127.0.0.1:$HPORT" >"$T/ev-h3.json"
	check_eq "hanging registry: the first push is taken" 202 "$(post_event "$T/ev-h1.json")"
	for _ in $(seq 100); do [ "$(metric "$NODE_INTRO" vigil_registry_events_queued)" = 0 ] && break; sleep 0.05; done
	check_eq "the second waits in the queue" 202 "$(post_event "$T/ev-h2.json")"
	check_eq "... (queued: 1)" 1 "$(metric "$NODE_INTRO" vigil_registry_events_queued)"
	check_eq "the third: 503, the queue is full (the registry retries it)" 503 "$(post_event "$T/ev-h3.json")"
	check "... with Retry-After" bash -c "curl -s -D - -o /dev/null -X POST --data-binary @$T/ev-h3.json $NODE_API/registry/events | grep -qi '^Retry-After: 5'"
	check_eq "the first again while it runs: a duplicate, 202" 202 "$(post_event "$T/ev-h1.json")"
	check "... not queued" jqt '.duplicates == 1 and .queued == 0' "$T/body"
	kill "$NODE_PID"
	for _ in $(seq 100); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.1; done
	check "SIGTERM with an indexing stuck: stops after shutdown_grace" bash -c "! kill -0 $NODE_PID 2>/dev/null"
	check "... dropping the queued event (logged)" grep -q "1 queued events dropped" "$T/hang.err"
	check "... and abandoning the stuck one" grep -q "stopped (1 indexing runs abandoned)" "$T/hang.err"
	check "... with no crash or sanitizer report" bash -c "! grep -qE 'ERROR: (Address|Leak|Undefined)|runtime error' '$T/hang.err'"
fi
it_done
