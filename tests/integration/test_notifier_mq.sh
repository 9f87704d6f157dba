#!/bin/bash
# tests/integration/test_notifier_mq.sh: the notifier's sets delivered to a
# real RabbitMQ (lib/rabbitmq.sh, private to this test, 127.0.0.1 only)
# by vigil serve, end to end, as a Clair deployment configures it:
# notifier.amqp (a topic exchange, the callback message) and notifier.stomp
# (/queue/stomp-q, direct: the notifications themselves, rollup 1). The
# alpine 3.10 image is indexed; the broker is stopped; a newer feed (one
# more fix for musl, CVE-2099-0001) is imported with `vigil db import`:
#   - while the broker is down the deliveries fail and are retried (logged);
#   - once it is back, the AMQP queue holds exactly one callback message
#     {notification_id, callback + id}, and the STOMP queue the set's
#     notifications (manifest, CVE-2099-0001 added), one per message;
#   - GET of the callback's id pages the same notification;
#   - nothing is delivered twice (the queues stay empty afterwards).
# Also run on PostgreSQL (pg/integration/test_notifier_mq).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/serve.sh"
# shellcheck source=lib/rabbitmq.sh
. "$(dirname "$0")/lib/rabbitmq.sh"
rmq_need
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEED=$DATA/feeds/alpine/secdb-json/v3.10/main.json
ARCHIVE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$FEED" ] && [ -f "$ARCHIVE" ] || skip "no alpine feed or image at $DATA"
trap 'rmq_stop; serve_stop_all' EXIT

rmq_start || { fail "RabbitMQ does not start"; it_done; }
note "RabbitMQ started in ${RMQ_START_S}s"
rmq_notify_setup || { fail "the exchange and queues cannot be declared"; it_done; }
Q="amqp-get -u $RMQ_URL -q"

# ---- feeds: the real one, and one with a new fix for musl ----
mkdir -p "$T/old/v3.10" "$T/new/v3.10"
cp "$FEED" "$T/old/v3.10/main.json"
jq -c '.packages |= map(if .pkg.name == "musl" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0001"] else . end)' \
	"$FEED" >"$T/new/v3.10/main.json"
DB=$(newdb notifier-mq)
vrun import-old db import "$T/old" --db "$DB"
expect_rc import-old 0

# ---- the image's layer served over HTTP, a Clair Manifest of it ----
archive_manifest "$ARCHIVE" 'notifier mq test'

cat >"$T/config.yaml" <<EOF
notifier:
  poll_interval: 1s
  delivery_interval: 2s
  attempt_timeout: 3s
  amqp:
    uris: ["$RMQ_URL"]
    exchange: {name: vigil-notify, type: topic, durability: true, auto_delete: false}
    routing_key: vigil.notifications
    callback: http://clair.example/notifier/api/v1/notification/
  stomp:
    uris: ["stomp://127.0.0.1:$RMQ_STOMP_PORT/%2F"]
    destination: /queue/stomp-q
    direct: true
    rollup: 1
    user: {login: vigil, passcode: $RMQ_PASS}
EOF
start_node a "$DB" --config "$T/config.yaml" || it_done
API=$NODE_a_API
check "the log names both brokers, password hidden" \
	bash -c "grep -q 'notifier: AMQP to amqp://\*\*\*@127.0.0.1:$RMQ_PORT' '$T/a.err' && grep -q 'notifier: STOMP to' '$T/a.err' && ! grep -q -- '$RMQ_PASS' '$T/a.err'"
c=$(code POST "$API/indexer/api/v1/index_report" -H 'Content-Type: application/json' --data-binary @"$T/manifest.json")
check_eq "the image is indexed" 201 "$c"

wait_for() { # wait_for SECONDS COMMAND...
	local n=$(($1 * 10))
	shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done
	return 1
}
failures() { [ "$(grep -c "delivery failed" "$T/a.err")" -ge "$1" ]; }

# ---- the broker down while the data changes: retried, nothing lost ----
rmq_stop
vrun import-new db import "$T/new" --db "$DB"
expect_rc import-new 0
check "while the broker is down, the delivery fails and is retried" wait_for 40 failures 2
check "the failure names the broker, redacted" grep -q "cannot reach the broker" "$T/a.err"
rmq_start || { fail "RabbitMQ does not start again"; it_done; }
note "RabbitMQ restarted in ${RMQ_START_S}s"

got_amqp() { $Q ex-q >"$T/amqp.json" 2>/dev/null; }
check "the AMQP queue gets the callback message once the broker is back" wait_for 60 got_amqp
ID=$(jq -r .notification_id "$T/amqp.json" 2>/dev/null)
check "the id is a UUID" grep -qE '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' <<<"$ID"
check_eq "the callback is the configured one + id" "http://clair.example/notifier/api/v1/notification/$ID" \
	"$(jq -r .callback "$T/amqp.json")"
got_stomp() { $Q stomp-q >"$T/stomp.json" 2>/dev/null; }
check "the STOMP queue gets the notifications (direct)" wait_for 20 got_stomp
check "direct: a JSON array of one notification (rollup 1)" jq -e 'type == "array" and length == 1' "$T/stomp.json"
check_eq "direct: the image's manifest, CVE-2099-0001 added" "$HASH CVE-2099-0001 added musl" \
	"$(jq -r '.[0] | "\(.manifest) \(.vulnerability.name) \(.reason) \(.vulnerability.package.name)"' "$T/stomp.json")"

c=$(code GET "$API/notifier/api/v1/notification/$ID")
check_eq "GET of the callback's id" 200 "$c"
check_eq "it pages the same notification" "$(jq -c '.[0]' "$T/stomp.json")" "$(jq -c '.notifications[0]' "$T/body")"

sleep 5 # long enough for any second delivery (retries every <= 2 s)
check "delivered once: the AMQP queue is empty" bash -c "! $Q ex-q >/dev/null 2>&1"
check "delivered once: the STOMP queue is empty" bash -c "! $Q stomp-q >/dev/null 2>&1"
check_eq "the metrics: one set generated and delivered" "1 1" \
	"$(metric "$NODE_a_INTRO" vigil_notifications_generated_total) $(metric "$NODE_a_INTRO" vigil_notifications_delivered_total)"

kill "$NODE_a_PID" 2>/dev/null
wait "$NODE_a_PID" 2>/dev/null
check "no sanitizer report" bash -c "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$T/a.err'"
it_done
