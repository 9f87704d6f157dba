# tests/integration/lib/rabbitmq.sh: a private RabbitMQ (Debian's
# rabbitmq-server) on 127.0.0.1 for the notifier's AMQP and STOMP tests
# (sourced after common.sh). Everything the node writes or reads lives in
# $T/rmq: its database (RABBITMQ_MNESIA_BASE), logs, config file, enabled
# plugins file, Erlang cookie ($HOME) and env file; its node name, AMQP,
# STOMP, distribution and epmd ports are free ports of this run, so the
# system's RabbitMQ (if any) and other tests are never touched. epmd is
# started here in the foreground, so both it and the node are stopped by
# PID (rmq_stop), never by name.
#   rmq_need            skips (77) when rabbitmq-server or amqp-tools are missing
#   rmq_start           starts the node (user vigil, password RMQ_PASS) and waits
#                       until AMQP and STOMP accept; sets RMQ_PORT, RMQ_STOMP_PORT,
#                       RMQ_URL (amqp://vigil:...@127.0.0.1:port, vhost /), RMQ_START_S
#                       With RMQ_TLS=1 set before: TLS listeners too, with a CA and
#                       a server certificate for localhost made here (openssl);
#                       sets RMQ_TLS_PORT, RMQ_STOMP_TLS_PORT, RMQ_CA
#   rmq_stop            stops the node and its epmd (by PID), keeps the data
#   rmq_ctl ARGS...     rabbitmqctl against the node
#   rmq_notify_setup    what a Clair deployment's broker holds: the topic
#                       exchange vigil-notify, durable queues ex-q (bound to
#                       it with vigil.#), direct-q and stomp-q
# shellcheck shell=bash

RMQ_LIB=/usr/lib/rabbitmq/lib/rabbitmq_server-3.10.8/sbin
RMQ_PASS=mq-S3cret-pw
RMQ_PID=
RMQ_EPMD_PID=

_rmq_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

rmq_need() {
	local d
	d=$(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin 2>/dev/null | tail -n 1)
	if { [ -z "$d" ] || ! command -v amqp-get >/dev/null 2>&1; } && [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			rabbitmq-server amqp-tools >/dev/null 2>&1 || true
		d=$(ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin 2>/dev/null | tail -n 1)
	fi
	[ -n "$d" ] || skip "rabbitmq-server is missing (make deps, or apt-get install rabbitmq-server)"
	RMQ_LIB=$d
	command -v amqp-get >/dev/null 2>&1 || skip "amqp-get is missing (apt-get install amqp-tools)"
	command -v epmd >/dev/null 2>&1 || skip "epmd is missing (erlang-base)"
	command -v python3 >/dev/null 2>&1 || skip "python3 is missing"
}

# The node's environment, in a subshell's exports.
_rmq_env() {
	local b=$T/rmq
	export HOME=$b/home
	export RABBITMQ_CONF_ENV_FILE=$b/rabbitmq-env.conf
	export RABBITMQ_MNESIA_BASE=$b/mnesia RABBITMQ_LOG_BASE=$b/log
	export RABBITMQ_CONFIG_FILE=$b/rabbitmq.conf RABBITMQ_ADVANCED_CONFIG_FILE=$b/advanced.config
	export RABBITMQ_ENABLED_PLUGINS_FILE=$b/enabled_plugins RABBITMQ_PID_FILE=$b/rabbit.pid
	export RABBITMQ_NODENAME=$RMQ_NODE RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
	export RABBITMQ_NODE_PORT=$RMQ_PORT RABBITMQ_DIST_PORT=$RMQ_DIST_PORT
	export ERL_EPMD_PORT=$RMQ_EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1
	export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
	export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
	export RABBITMQ_LOGS=$b/log/node.log
}

rmq_ctl() { (_rmq_env && "$RMQ_LIB/rabbitmqctl" -n "$RMQ_NODE" "$@"); }

# _rmq_wait_port PORT SECONDS [PID]: until PORT on 127.0.0.1 accepts; gives
# up at once when PID (the node's script) has exited.
_rmq_wait_port() {
	python3 - "$1" "$2" "${3:-0}" <<'EOF'
import os, socket, sys, time
port, end, pid = int(sys.argv[1]), time.time() + float(sys.argv[2]), int(sys.argv[3])
def alive():
    if not pid:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False
while time.time() < end and alive():
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
}

# rmq_start: a first start picks free ports and, when the node cannot come
# up (a port picked was taken meanwhile by another test's process:
# dist_port_already_used), tries twice more with new ports; a restart keeps
# its ports (the tests' configs name them).
rmq_start() {
	local tries=1 rc
	[ -z "${RMQ_PORT:-}" ] && tries=3
	while :; do
		RMQ_LAST_TRY=$([ "$tries" = 1 ] && echo 1)
		_rmq_start_once && return 0
		rc=$?
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return $rc
		note "RabbitMQ did not start; again on new ports"
		RMQ_PORT=
		rm -rf "$T/rmq/mnesia"
	done
}

_rmq_start_once() {
	local b=$T/rmq t0
	if [ -z "${RMQ_PORT:-}" ]; then # the first start chooses; a restart keeps them
		RMQ_PORT=$(_rmq_free_port)
		RMQ_STOMP_PORT=$(_rmq_free_port)
		RMQ_DIST_PORT=$(_rmq_free_port)
		RMQ_EPMD_PORT=$(_rmq_free_port)
		RMQ_NODE=vigil-test-$RMQ_PORT@localhost
		RMQ_TLS_PORT=$(_rmq_free_port)
		RMQ_STOMP_TLS_PORT=$(_rmq_free_port)
	fi
	mkdir -p "$b/home" "$b/mnesia" "$b/log"
	: >"$b/rabbitmq-env.conf"
	echo '[].' >"$b/advanced.config"
	cat >"$b/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RMQ_PORT
stomp.listeners.tcp.1 = 127.0.0.1:$RMQ_STOMP_PORT
default_user = vigil
default_pass = $RMQ_PASS
disk_free_limit.absolute = 1MB
log.file.level = info
log.console = false
EOF
	if [ "${RMQ_TLS:-}" = 1 ]; then
		_rmq_certs || return 1
		cat >>"$b/rabbitmq.conf" <<EOF
listeners.ssl.default = 127.0.0.1:$RMQ_TLS_PORT
stomp.listeners.ssl.1 = 127.0.0.1:$RMQ_STOMP_TLS_PORT
ssl_options.cacertfile = $b/tls/ca.pem
ssl_options.certfile = $b/tls/server.pem
ssl_options.keyfile = $b/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
EOF
	fi
	[ -f "$b/home/.erlang.cookie" ] || { head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$b/home/.erlang.cookie"; }
	chmod 600 "$b/home/.erlang.cookie"
	(_rmq_env && "$RMQ_LIB/rabbitmq-plugins" --offline enable rabbitmq_stomp >"$b/log/plugins.out" 2>&1) ||
		{ fail "rabbitmq-plugins --offline enable rabbitmq_stomp failed"; cat "$b/log/plugins.out"; return 1; }
	t0=$(date +%s.%N)
	epmd -port "$RMQ_EPMD_PORT" -address 127.0.0.1 >"$b/log/epmd.out" 2>&1 &
	RMQ_EPMD_PID=$!
	(_rmq_env && exec "$RMQ_LIB/rabbitmq-server" >"$b/log/server.out" 2>&1) &
	RMQ_PID=$!
	if ! _rmq_wait_port "$RMQ_PORT" 120 "$RMQ_PID" || ! _rmq_wait_port "$RMQ_STOMP_PORT" 30 "$RMQ_PID" ||
		{ [ "${RMQ_TLS:-}" = 1 ] && ! _rmq_wait_port "$RMQ_STOMP_TLS_PORT" 30 "$RMQ_PID"; }; then
		if [ -n "$RMQ_LAST_TRY" ]; then
			fail "RabbitMQ did not come up on 127.0.0.1:$RMQ_PORT (AMQP) and :$RMQ_STOMP_PORT (STOMP)"
			tail -n 30 "$b/log/server.out" "$b/log/node.log" 2>/dev/null
		else
			note "$(grep -o 'dist_port_already_used[^}]*' "$b/log/server.out" | head -n 1)"
		fi
		rmq_stop
		return 1
	fi
	RMQ_START_S=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")
	RMQ_URL=amqp://vigil:$RMQ_PASS@127.0.0.1:$RMQ_PORT
	note "RabbitMQ up in ${RMQ_START_S}s (AMQP 127.0.0.1:$RMQ_PORT, STOMP :$RMQ_STOMP_PORT)"
}

# A CA and a server certificate for localhost and 127.0.0.1 (once).
_rmq_certs() {
	local d=$T/rmq/tls
	RMQ_CA=$d/ca.pem
	[ -f "$d/server.pem" ] && return 0
	command -v openssl >/dev/null 2>&1 || skip "openssl is missing"
	mkdir -p "$d"
	if ! { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=vigil test CA" -keyout "$d/ca.key" -out "$d/ca.pem" &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
			-keyout "$d/server.key" -out "$d/server.csr" &&
		printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$d/ext" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
			-days 2 -extfile "$d/ext" -out "$d/server.pem"; } >"$d/openssl.out" 2>&1; then
		fail "openssl could not make the test certificates"
		cat "$d/openssl.out"
		return 1
	fi
}

# The beam is a child of the rabbitmq-server script (RMQ_PID): it is
# stopped first, by its PID, then the script and epmd. The beam's own
# children (erl_child_setup, inet_gethost) exit with it.
rmq_stop() {
	local p beam
	beam=$(ps -o pid= --ppid "${RMQ_PID:-0}" 2>/dev/null | tr -d ' ')
	for p in $beam $RMQ_PID $RMQ_EPMD_PID; do
		kill "$p" 2>/dev/null
	done
	for p in $beam $RMQ_PID $RMQ_EPMD_PID; do
		for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	RMQ_PID=
	RMQ_EPMD_PID=
}

# rmq_notify_setup: loaded with rabbitmqctl import_definitions (amqp-tools
# cannot declare exchanges; amqp-consume's queues are auto-delete), which
# is asynchronous: waits until the binding shows.
rmq_notify_setup() {
	cat >"$T/rmq-defs.json" <<'EOF'
{"exchanges": [{"name": "vigil-notify", "vhost": "/", "type": "topic", "durable": true,
                "auto_delete": false, "internal": false, "arguments": {}}],
 "queues": [{"name": "ex-q", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}},
            {"name": "direct-q", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}},
            {"name": "stomp-q", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}}],
 "bindings": [{"source": "vigil-notify", "vhost": "/", "destination": "ex-q", "destination_type": "queue",
               "routing_key": "vigil.#", "arguments": {}}]}
EOF
	rmq_ctl import_definitions "$T/rmq-defs.json" >"$T/rmq-defs.out" 2>&1 ||
		{ cat "$T/rmq-defs.out"; return 1; }
	local i
	for i in $(seq 1 50); do
		rmq_ctl list_bindings -q 2>/dev/null | grep -q 'vigil\.#' && return 0
		sleep 0.2
	done
	return 0
}
