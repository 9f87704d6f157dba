#!/usr/bin/env bash
# tests/integration/test_notify_mq.sh: the notifier's AMQP and STOMP
# delivery against a real RabbitMQ (Debian's rabbitmq-server with its
# STOMP plugin, private to this test: lib/rabbitmq.sh), through
# `vigil notify test` and a Clair config's notifier block:
#   - AMQP to a topic exchange (passive declare, as Clair) and a bound
#     queue, read back with amqp-get: the exact body, once;
#     the default exchange; a missing exchange, an unroutable routing key
#     and wrong credentials are clear errors; the password never shows;
#   - STOMP to /queue/x (read back as the AMQP queue x): the exact body,
#     once; RabbitMQ's vhost as the URI's path; wrong passcode;
#   - failover: a dead URI then a live one delivers once;
#   - a silent broker (accepts, never answers) fails at the timeout;
#   - the broker stopped: exit 1, "cannot reach", no hang; restarted:
#     delivery works again.
# Prints how long RabbitMQ took to start (CI budget).
set -uo pipefail
SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=lib/common.sh
source "$SRC/tests/integration/lib/common.sh"
# shellcheck source=lib/rabbitmq.sh
source "$SRC/tests/integration/lib/rabbitmq.sh"

[ -n "${VIGIL:-}" ] && [ -x "$VIGIL" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
"$VIGIL" notify --help >/dev/null 2>&1 || skip "$VIGIL has no 'notify' subcommand"
rmq_need
IT_T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-$IT_NAME.XXXXXX")
T=$IT_T
SILENT_PID=
cleanup() {
	rmq_stop
	[ -n "$SILENT_PID" ] && kill "$SILENT_PID" 2>/dev/null
	it_cleanup
}
trap cleanup EXIT

RMQ_TLS=1
rmq_start || exit 1
note "measured: RabbitMQ start ${RMQ_START_S}s"
Q="amqp-get -u $RMQ_URL -q"

# notify NAME CONFIG [ARGS...]: vigil notify test; VRC, $T/NAME.out/.err
notify() {
	local name=$1 cfg=$2
	shift 2
	vrun "$name" notify test --config "$cfg" "$@"
	if grep -q -- "$RMQ_PASS" "$T/$name.out" "$T/$name.err"; then
		fail "$name: the broker password shows in vigil's output"
	fi
}

# got QUEUE WANT_FILE DESC: the next message of QUEUE is exactly WANT_FILE,
# and then the queue is empty (it arrived once)
got() {
	if $Q "$1" >"$T/got" 2>"$T/got.err" && cmp -s "$2" "$T/got"; then
		pass "$3: the exact body arrived"
	else
		fail "$3: queue $1 does not hold the body: $(head -c 200 "$T/got" "$T/got.err")"
	fi
	if $Q "$1" >/dev/null 2>&1; then fail "$3: a second message in $1"; else pass "$3: once"; fi
}

drain() { while $Q "$1" >/dev/null 2>&1; do :; done; }

# a topic exchange (as a Clair deployment has), three durable queues, one
# binding, loaded with rabbitmqctl import_definitions (amqp-tools cannot
# declare exchanges; amqp-consume's queues are auto-delete)
rmq_notify_setup || { fail "the exchange and queues cannot be declared"; it_done; }

printf '{"notification_id":"5a1f0c8e-0000-4000-8000-000000000001","callback":"http://clair/n/5a1f"}' >"$T/body.json"
printf 'line one\nline two: with a colon \\ and a backslash\n\0after a NUL' >"$T/body.bin"

config() { # config FILE AMQP_URIS STOMP_URIS [AMQP_EXTRA]
	cat >"$1" <<EOF
notifier:
  connstring: host=db
  delivery_interval: 1m
  amqp:
    uris: [$2]
    exchange: {name: vigil-notify, type: topic, durability: true, auto_delete: false}
    routing_key: vigil.notifications
    callback: http://clair.example/notifier/api/v1/notification/
    ${4:-}
  stomp:
    uris: [$3]
    destination: /queue/stomp-q
    direct: true
    user: {login: vigil, passcode: $RMQ_PASS}
EOF
}
STOMP_URI="stomp://127.0.0.1:$RMQ_STOMP_PORT/%2F"
config "$T/ok.yaml" "\"$RMQ_URL\"" "\"$STOMP_URI\""

# ---- both targets, the exact body, once ----
notify ok "$T/ok.yaml" --body "$T/body.json"
expect_rc ok 0
check_eq "ok: two brokers took it" 2 "$(grep -c ': ok$' "$T/ok.out")"
got ex-q "$T/body.json" "amqp via the topic exchange"
got stomp-q "$T/body.json" "stomp /queue/stomp-q"

notify bin "$T/ok.yaml" --body "$T/body.bin" --content-type application/octet-stream
expect_rc bin 0
got ex-q "$T/body.bin" "amqp, a binary body"
got stomp-q "$T/body.bin" "stomp, a binary body (content-length)"

# the default body: Clair's callback message (amqp), [] for direct (stomp)
notify dflt "$T/ok.yaml"
expect_rc dflt 0
id=$(sed -n 's/^test notification id //p' "$T/dflt.out")
printf '{"notification_id":"%s","callback":"http://clair.example/notifier/api/v1/notification/%s"}' "$id" "$id" >"$T/want-cb"
got ex-q "$T/want-cb" "amqp default body (callback)"
printf '[]' >"$T/want-direct"
got stomp-q "$T/want-direct" "stomp default body (direct)"

# ---- the default exchange: routing key = queue name ----
cat >"$T/default-ex.yaml" <<EOF
notifier:
  amqp:
    uris: ["$RMQ_URL"]
    routing_key: direct-q
    direct: true
EOF
notify dex "$T/default-ex.yaml" --body "$T/body.json"
expect_rc dex 0
got direct-q "$T/body.json" "amqp default exchange"

# ---- clear errors ----
config "$T/noex.yaml" "\"$RMQ_URL\"" "\"$STOMP_URI\""
sed -i 's/name: vigil-notify/name: no-such-exchange/' "$T/noex.yaml"
notify noex "$T/noex.yaml" --body "$T/body.json"
expect_rc noex 1
check "noex: names the exchange step and the broker's 404" \
	grep -q "exchange (passive declare): the broker closed the channel: 404 NOT_FOUND - no exchange 'no-such-exchange'" "$T/noex.out"
drain stomp-q # the stomp half went through

sed 's/routing_key: vigil.notifications/routing_key: nobody.listens/' "$T/ok.yaml" | sed 's/name: vigil-notify, type: topic/name: amq.direct, type: direct/' >"$T/noroute.yaml"
notify noroute "$T/noroute.yaml" --body "$T/body.json"
expect_rc noroute 1
check "noroute: an unroutable message is a failure (mandatory + return)" \
	grep -q "publish: the broker returned the message: 312 NO_ROUTE" "$T/noroute.out"
drain stomp-q

config "$T/badpw.yaml" "\"amqp://vigil:wrong-pw@127.0.0.1:$RMQ_PORT\"" "\"$STOMP_URI\""
sed -i "s/passcode: $RMQ_PASS/passcode: wrong-pw/" "$T/badpw.yaml"
notify badpw "$T/badpw.yaml" --body "$T/body.json"
expect_rc badpw 1
check "badpw: amqp login refused, named" grep -q "amqp://\*\*\*@127.0.0.1:$RMQ_PORT: login: .*403 ACCESS_REFUSED" "$T/badpw.out"
check "badpw: stomp login refused, named" grep -q "$STOMP_URI: connect: the broker answered ERROR: .*Access refused for user 'vigil'" "$T/badpw.out"
check "badpw: the wrong password is not repeated" bash -c "! grep -q wrong-pw '$T/badpw.out' '$T/badpw.err'"

config "$T/novhost.yaml" "\"$RMQ_URL\"" "\"127.0.0.1:$RMQ_STOMP_PORT\""
notify novhost "$T/novhost.yaml" --body "$T/body.json"
expect_rc novhost 1
check "novhost: Clair's host:port to RabbitMQ: the hint names the URI path" \
	grep -q "Virtual host '127.0.0.1' access denied (RabbitMQ takes the host header as its virtual host" "$T/novhost.out"
drain ex-q # the amqp half of novhost went through

# ---- TLS: amqps:// (librabbitmq) and stomp+ssl:// (OpenSSL) with the test CA ----
tls_config() { # tls_config FILE AMQP_URI STOMP_URI TLS_BLOCK
	cat >"$1" <<EOF
notifier:
  amqp:
    uris: ["$2"]
    exchange: {name: vigil-notify, type: topic}
    routing_key: vigil.tls
    direct: true
    $4
  stomp:
    uris: ["$3"]
    destination: /queue/stomp-q
    direct: true
    user: {login: vigil, passcode: $RMQ_PASS}
    $4
EOF
}
tls_config "$T/tls.yaml" "amqps://vigil:$RMQ_PASS@localhost:$RMQ_TLS_PORT" \
	"stomp+ssl://localhost:$RMQ_STOMP_TLS_PORT/%2F" "tls: {root_ca: $RMQ_CA}"
notify tls "$T/tls.yaml" --body "$T/body.json"
expect_rc tls 0
got ex-q "$T/body.json" "amqps with the CA"
got stomp-q "$T/body.json" "stomp+ssl with the CA"
# an IP address is checked against the certificate's IP SAN (stomp)
tls_config "$T/tls-ip.yaml" "amqps://vigil:$RMQ_PASS@localhost:$RMQ_TLS_PORT" \
	"stomp+ssl://127.0.0.1:$RMQ_STOMP_TLS_PORT/%2F" "tls: {root_ca: $RMQ_CA}"
notify tls-ip "$T/tls-ip.yaml" --body "$T/body.json"
expect_rc tls-ip 0
drain ex-q
got stomp-q "$T/body.json" "stomp+ssl to 127.0.0.1 (IP SAN)"
# without the CA: the peer is not trusted, nothing sent
tls_config "$T/tls-untrusted.yaml" "amqps://vigil:$RMQ_PASS@localhost:$RMQ_TLS_PORT" \
	"stomp+ssl://localhost:$RMQ_STOMP_TLS_PORT/%2F" ""
notify tls-untrusted "$T/tls-untrusted.yaml" --body "$T/body.json"
expect_rc tls-untrusted 1
check "tls-untrusted: amqps fails in the handshake" grep -q "amqps://\*\*\*@localhost:$RMQ_TLS_PORT: tls handshake: " "$T/tls-untrusted.out"
check "tls-untrusted: stomp+ssl names the untrusted certificate" \
	grep -q "localhost:$RMQ_STOMP_TLS_PORT/%2F: tls handshake: certificate not trusted: self-signed certificate in certificate chain" "$T/tls-untrusted.out"
if $Q ex-q >/dev/null 2>&1 || $Q stomp-q >/dev/null 2>&1; then fail "tls-untrusted: a message got through"; else pass "tls-untrusted: nothing sent"; fi
# a plain-text broker spoken to in TLS: a handshake failure, not a hang
tls_config "$T/tls-plain.yaml" "amqps://vigil:$RMQ_PASS@localhost:$RMQ_PORT" \
	"stomp+ssl://localhost:$RMQ_STOMP_PORT/%2F" "tls: {root_ca: $RMQ_CA}"
notify tls-plain "$T/tls-plain.yaml" --body "$T/body.json" --timeout 3
expect_rc tls-plain 1
check_eq "tls-plain: both fail in the handshake" 2 "$(grep -c ': tls handshake: ' "$T/tls-plain.out")"

# ---- failover: a dead broker first ----
DEAD=$(_rmq_free_port)
config "$T/fo.yaml" "\"amqp://vigil:$RMQ_PASS@127.0.0.1:$DEAD\", \"$RMQ_URL\"" \
	"\"stomp://127.0.0.1:$DEAD/%2F\", \"$STOMP_URI\""
notify fo "$T/fo.yaml" --body "$T/body.json" --failover
expect_rc fo 0
got ex-q "$T/body.json" "failover amqp"
got stomp-q "$T/body.json" "failover stomp"
notify fo-each "$T/fo.yaml" --body "$T/body.json"
expect_rc fo-each 1
check "fo-each: each URI on its own: the dead one named" \
	grep -q "127.0.0.1:$DEAD: connect: cannot reach the broker: Connection refused" "$T/fo-each.out"
check_eq "fo-each: the live ones ok" 2 "$(grep -c ': ok$' "$T/fo-each.out")"
drain ex-q
drain stomp-q

# ---- a silent broker: accepts the connection, never answers ----
SILENT=$(_rmq_free_port)
python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $SILENT)); s.listen(8); time.sleep(120)" &
SILENT_PID=$!
_rmq_wait_port "$SILENT" 10 || fail "the silent listener did not come up"
config "$T/silent.yaml" "\"amqp://u:p@127.0.0.1:$SILENT\"" "\"stomp://127.0.0.1:$SILENT/%2F\""
t0=$(date +%s.%N)
notify silent "$T/silent.yaml" --body "$T/body.json" --timeout 2
el=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")
expect_rc silent 1
check "silent: amqp times out in the login step" grep -q "127.0.0.1:$SILENT: login: no answer (timed out)" "$T/silent.out"
check "silent: stomp times out waiting for CONNECTED" grep -q "127.0.0.1:$SILENT/%2F: connect: no answer (timed out)" "$T/silent.out"
check "silent: two 2 s timeouts took ${el}s (< 6)" python3 -c "import sys; sys.exit(0 if $el < 6 else 1)"
kill "$SILENT_PID" 2>/dev/null; wait "$SILENT_PID" 2>/dev/null; SILENT_PID=

# ---- the broker stopped, then started again ----
rmq_stop
t0=$(date +%s.%N)
notify down "$T/ok.yaml" --body "$T/body.json" --timeout 3
el=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")
expect_rc down 1
check "down: amqp cannot reach" grep -q "amqp://\*\*\*@127.0.0.1:$RMQ_PORT: connect: cannot reach the broker: Connection refused" "$T/down.out"
check "down: stomp cannot reach" grep -q "$STOMP_URI: connect: cannot reach the broker: Connection refused" "$T/down.out"
check "down: no hang (${el}s)" python3 -c "import sys; sys.exit(0 if $el < 6 else 1)"
check "down: the summary on stderr" grep -q "notify test: 2 brokers did not take the message" "$T/down.err"

rmq_start || { it_done; }
note "measured: RabbitMQ restart ${RMQ_START_S}s"
notify again "$T/ok.yaml" --body "$T/body.json"
expect_rc again 0
got ex-q "$T/body.json" "after restart amqp (durable queue and binding kept)"
got stomp-q "$T/body.json" "after restart stomp"

# ---- config errors: exit 1, named ----
printf 'notifier:\n  amqp:\n    uris: ["%s"]\n    callback: http://x/\n' "$RMQ_URL" >"$T/nokey.yaml"
notify nokey "$T/nokey.yaml"
expect_rc nokey 1
check "nokey: routing_key required, line named" grep -q "nokey.yaml: line 3: notifier.amqp: routing_key: required" "$T/nokey.err"
printf 'notifier:\n  webhook:\n    target: http://x/\n' >"$T/none.yaml"
notify none "$T/none.yaml"
expect_rc none 1
check "none: no target is an error" grep -q "no notifier.amqp or notifier.stomp block" "$T/none.err"

it_done
