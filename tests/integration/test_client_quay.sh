#!/bin/bash
# tests/integration/test_client_quay.sh: Quay's Clair v4 client against
# `vigil serve`, replayed call for call (lib/quay_replay.py mirrors quay/quay
# util/secscan/v4/api.py at ffba0c70 as secscan_v4_model.py drives it).
# An Ubuntu 18.04 image (the pkgdb root filesystem as one layer, findings
# in the shared Ubuntu feed) is pushed with skopeo to Debian's
# docker-registry on 127.0.0.1 behind token auth (lib/regtoken.py), as
# Quay's own registry: `vigil manifest` gives the layers' blob URLs and the
# registry token, which the replay sends as Quay does (headers Accept and
# Authorization). vigil serve runs with a Clair config with auth.psk (the
# key base64, issuer quay), as a Quay deployment's Clair; the replay signs
# its JWTs as Quay does. It checks what Quay checks and reads (the ETag, the
# state, err, features_for) and validates every answer against Quay's
# bundled schema (by the names api.py uses), Clair's types/v1 schemas and
# docs/openapi.json. The notification part (lib/quay_notify.py) runs
# (on unless VIGIL_QUAY_NOTIFIER=0): a second node with Clair's notifier config
# (webhook target: the replay's /secscan/notification) indexes the image on
# a store without Ubuntu data (Alpine's only), the Ubuntu feed is then
# imported, and Quay's notification worker is replayed on what the notifier
# delivers (VIGIL_QUAY_NOTIFY_WAIT seconds at most, 120). Every
# server is stopped by its PID at exit.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
[ -d "$DATA/feeds/ubuntu/uct" ] && [ -d "$DATA/feeds/alpine/secdb-json" ] || skip "no shared test data at $DATA"
[ -f "$DATA/specs/quay/clair-v4.openapi.json" ] || skip "no Quay schema in $DATA/specs"
. "$(dirname "$0")/lib/serve.sh"
. "$(dirname "$0")/lib/registry.sh"
reg_need
python3 -c 'import jsonschema, referencing' 2>/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null 2>&1
python3 -c 'import jsonschema, referencing' 2>/dev/null || skip "python3 jsonschema >= 4.18 is missing"
export HOME=$T/home
mkdir -p "$HOME"
unset DOCKER_CONFIG VIGIL_REGISTRY_PASSWORD

jqq() { jq -e "$@" >/dev/null; }
# replay NAME SCRIPT ARGS...: runs lib/SCRIPT (output in $T/NAME.log); tally
# NAME counts its ok:/FAIL: lines here
replay() {
	local name=$1 script=$2
	shift 2
	timeout 900 python3 "$SRC/tests/integration/lib/$script" "$@" --specs "$DATA/specs" --openapi "$SRC/docs/openapi.json" >"$T/$name.log" 2>&1
}
tally() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok: "*) pass "quay: ${line#ok: }" ;;
		"FAIL: "*) fail "quay: ${line#FAIL: }" ;;
		*) echo "$line" ;;
		esac
	done <"$T/$1.log"
}

# oci_of ROOTFS DIR TAG: a one-layer OCI image layout of a root filesystem
oci_of() {
	local d=$2 l c m
	mkdir -p "$d/blobs/sha256"
	tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$d/layer.tar" .
	gzip -n -c "$d/layer.tar" >"$d/layer.tgz"
	l=$(sha256sum <"$d/layer.tgz" | cut -d' ' -f1)
	mv "$d/layer.tgz" "$d/blobs/sha256/$l"
	jq -n -c --arg id "sha256:$(sha256sum <"$d/layer.tar" | cut -d' ' -f1)" \
		'{architecture: "amd64", os: "linux", config: {}, rootfs: {type: "layers", diff_ids: [$id]}}' >"$d/c.json"
	c=$(sha256sum <"$d/c.json" | cut -d' ' -f1)
	jq -n -c --arg c "sha256:$c" --argjson cs "$(stat -c %s "$d/c.json")" --arg l "sha256:$l" \
		--argjson ls "$(stat -c %s "$d/blobs/sha256/$l")" '{schemaVersion: 2,
		mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
		layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}]}' >"$d/m.json"
	m=$(sha256sum <"$d/m.json" | cut -d' ' -f1)
	mv "$d/c.json" "$d/blobs/sha256/$c"
	mv "$d/m.json" "$d/blobs/sha256/$m"
	rm -f "$d/layer.tar"
	echo '{"imageLayoutVersion": "1.0.0"}' >"$d/oci-layout"
	jq -n -c --arg m "sha256:$m" --argjson ms "$(stat -c %s "$d/blobs/sha256/$m")" --arg t "$3" '{schemaVersion: 2,
		manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
		annotations: {"org.opencontainers.image.ref.name": $t}}]}' >"$d/index.json"
}

# ---- Quay's registry: an Ubuntu 18.04 image (findings in the shared feeds) behind token auth ----
ROOTFS=$IMAGES/pkgdb/rootfs-ubuntu1804
if [ ! -d "$ROOTFS" ]; then
	bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || { fail "make-pkgdb-rootfs.sh"; it_done; }
	ROOTFS=$T/fs/rootfs-ubuntu1804
fi
oci_of "$ROOTFS" "$T/ubuntu" 18.04
reg_start_token quayreg 'quay:s3cret'
REGISTRY=127.0.0.1:$RPORT
reg_push "oci:$T/ubuntu:18.04" "$REGISTRY/org/ubuntu:18.04" --dest-creds 'quay:s3cret'
vrun manifest manifest "$REGISTRY/org/ubuntu:18.04" --insecure-registry --username quay --password 's3cret' --compact
expect_rc manifest 0
cp "$T/manifest.out" "$T/manifest.json"
check "the Manifest's layers carry the registry's bearer token" jqq '.layers | length > 0 and all(.headers.Authorization[0] | startswith("Bearer "))' "$T/manifest.json"
MH=$(jq -r .hash "$T/manifest.json")

# the replay's JWT, where PyJWT is not importable, is PyJWT's byte for byte
for py in python3 /usr/bin/python3; do
	"$py" -c 'import jwt' 2>/dev/null || continue
	check_eq "the replay's HS256 JWT = PyJWT's ($py)" True "$(cd "$SRC/tests/integration/lib" && "$py" -c '
import datetime, jwt, quay_replay as qr
qr.pyjwt = None
p = {"iss": "quay", "exp": datetime.datetime.utcnow() + datetime.timedelta(minutes=5)}
print(qr.sign_jwt(b"k3y", p) == jwt.encode(p, b"k3y", algorithm="HS256"))' 2>&1)"
	break
done

# ---- Clair, as a Quay deployment configures it ----
KEY=$(head -c 32 /dev/urandom | base64 -w0)
# serve_conf NAME DB [EXTRA]: a Clair config with Quay's PSK; sets SPORT, IPORT
serve_conf() {
	SPORT=${WANT_PORT:-$(free_port)}
	IPORT=$(free_port)
	cat >"$T/$1.yaml" <<EOF
http_listen_addr: 127.0.0.1:$SPORT
introspection_addr: 127.0.0.1:$IPORT
log_level: info
indexer:
  connstring: '$2'
matcher:
  connstring: '$2'
auth:
  psk:
    key: $KEY
    iss: ["quay", "clairctl"]
${3:-}
EOF
	"$VIGIL" serve --config "$T/$1.yaml" --threads 4 >"$T/$1.out" 2>"$T/$1.err" &
	SERVE_PIDS+=($!)
	wait_healthz "http://127.0.0.1:$IPORT" || fail "$1: vigil serve did not come up: $(tail -n 5 "$T/$1.err")"
}

DB=$(newdb quay)
vrun import db import "$DATA/feeds/ubuntu/uct" --db "$DB"
expect_rc import 0
serve_conf clair "$DB"
API=http://127.0.0.1:$SPORT
start=$(date +%s)
replay flow quay_replay.py --api "$API" --psk "$KEY" --manifest "$T/manifest.json"
tally flow
note "the Quay flow took $(($(date +%s) - start)) s"
check "the layers were fetched from the registry with Quay's token" \
	grep -q "indexed manifest $MH" "$T/clair.err"


# ---- notifications: another helper adds the notifier; on at the merge ----
if [ "${VIGIL_QUAY_NOTIFIER:-1}" = 1 ]; then
	NDB=$(newdb quaynotify)
	vrun importa db import "$DATA/feeds/alpine/secdb-json" --db "$NDB" # data, none for Ubuntu
	expect_rc importa 0
	WANT_PORT=$(free_port)
	replay notify quay_notify.py --api "http://127.0.0.1:$WANT_PORT" --psk "$KEY" --manifest "$T/manifest.json" \
		--port-file "$T/hook.port" --ready-file "$T/hook.ready" --wait "${VIGIL_QUAY_NOTIFY_WAIT:-120}" &
	RPID=$!
	for _ in $(seq 100); do [ -s "$T/hook.port" ] && break; sleep 0.1; done
	# Clair's notifier config, as Quay's documentation writes it
	serve_conf notifier "$NDB" "notifier:
  connstring: '$NDB'
  delivery_interval: 1s
  poll_interval: 1s
  webhook:
    target: http://127.0.0.1:$(cat "$T/hook.port")/secscan/notification
    callback: http://127.0.0.1:$WANT_PORT/notifier/api/v1/notification"
	for _ in $(seq 600); do [ -e "$T/hook.ready" ] || ! kill -0 "$RPID" 2>/dev/null && break; sleep 0.1; done
	vrun importu db import "$DATA/feeds/ubuntu/uct" --db "$NDB" # the update that adds vulnerabilities
	expect_rc importu 0
	wait "$RPID"
	tally notify
	note "the notification replay took $(($(date +%s) - start)) s"
else
	note "VIGIL_QUAY_NOTIFIER=0: Quay's notification calls not replayed (on by default)"
fi
for f in "$T"/clair.err "$T"/notifier.err; do
	[ -f "$f" ] || continue
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f"; then
		fail "$(basename "$f" .err): sanitizer report"
		head -n 40 "$f"
	fi
done
it_done
