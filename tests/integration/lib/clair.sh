# tests/integration/lib/clair.sh: the real Clair v4 side of the client and
# reference tests (sourced after common.sh, serve.sh, registry.sh and
# tools.sh). Images go to docker-registry on 127.0.0.1; Clair runs in combo
# mode on a throwaway PostgreSQL cluster of its own under $T, with its
# updaters off (but Alpine's on a local secdb when asked), every fetch of
# Red Hat's mapping files replaced by an empty local file and Maven's
# search API off, so that it sends nothing past 127.0.0.1 (checked with
# CLAIR_LOG_LEVEL=debug: every URL in its log is on 127.0.0.1).
#
#   pkgdb_layouts            one-layer OCI layouts of the Ubuntu 18.04 and
#                            Alpine 3.4 package databases of
#                            scripts/make-pkgdb-rootfs.sh
#   clair_push_images HOST   pushes the Debian demo (demo:v2), Alpine 3.10
#                            (alpine:3.10), Ubuntu 18.04 (ubuntu:18.04) and
#                            Alpine 3.4 (alpine:3.4) to
#                            the registry HOST (skopeo options after it);
#                            sets IMG_NAMES and IMG_SRC (name -> source ref)
#   clair_start              PostgreSQL + `clair -mode combo` (with
#                            CLAIR_SECDB_URL set, its Alpine updater runs
#                            once, on that local copy of Alpine's secdb, and
#                            no other updater); sets CLAIR_API,
#                            CLAIR_INTRO, CLAIR_PID, CLAIR_DSN (the cluster's
#                            postgres database); stopped by clair_stop
#   clair_run                (re)starts Clair on the config clair_start wrote
#   clair_post MANIFEST OUT  POSTs a Manifest to Clair, the IndexReport in OUT;
#                            waits for IndexFinished (Clair answers at once
#                            when the manifest is known); the status
# shellcheck shell=bash

CLAIR_PID=
CLAIR_PG=

# rootfs_layout DIR OUT TAG: an OCI layout OUT of one gzip layer, DIR's files
rootfs_layout() {
	local dir=$1 out=$2 tag=$3 diff d cfg man s
	mkdir -p "$out/blobs/sha256"
	tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$dir" -cf "$T/layer.tar" . || return 1
	diff=sha256:$(sha256sum <"$T/layer.tar" | cut -d' ' -f1)
	gzip -n -c "$T/layer.tar" >"$T/layer.tar.gz"
	d=$(sha256sum <"$T/layer.tar.gz" | cut -d' ' -f1)
	mv "$T/layer.tar.gz" "$out/blobs/sha256/$d"
	rm -f "$T/layer.tar"
	jq -n -c --arg diff "$diff" '{architecture: "amd64", os: "linux", config: {},
		rootfs: {type: "layers", diff_ids: [$diff]}}' >"$T/config.json"
	cfg=$(sha256sum <"$T/config.json" | cut -d' ' -f1)
	mv "$T/config.json" "$out/blobs/sha256/$cfg"
	jq -n -c --arg c "sha256:$cfg" --argjson cs "$(stat -c %s "$out/blobs/sha256/$cfg")" \
		--arg l "sha256:$d" --argjson ls "$(stat -c %s "$out/blobs/sha256/$d")" \
		'{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
		  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l, size: $ls}]}' \
		>"$T/manifest.json"
	man=$(sha256sum <"$T/manifest.json" | cut -d' ' -f1)
	s=$(stat -c %s "$T/manifest.json")
	mv "$T/manifest.json" "$out/blobs/sha256/$man"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
	jq -n -c --arg m "sha256:$man" --argjson s "$s" --arg t "$tag" '{schemaVersion: 2, manifests: [{
		mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $s,
		annotations: {"org.opencontainers.image.ref.name": $t}}]}' >"$out/index.json"
}

# pkgdb_layouts: $T/ubuntu-oci:18.04 and $T/alpine34-oci:3.4 from the root
# file systems of scripts/make-pkgdb-rootfs.sh, each completed as the real
# image is: Clair's dpkg scanner reads a status only beside an info/
# folder, its Alpine distribution scanner only os-release (or issue)
pkgdb_layouts() {
	local fs=$T/pkgdb-fs
	[ -f "$T/alpine34-oci/index.json" ] && return 0
	bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$fs" >/dev/null || return 1
	mkdir -p "$fs/rootfs-ubuntu1804/var/lib/dpkg/info"
	rootfs_layout "$fs/rootfs-ubuntu1804" "$T/ubuntu-oci" 18.04 || return 1
	printf '%s\n' 'NAME="Alpine Linux"' ID=alpine VERSION_ID=3.4.6 'PRETTY_NAME="Alpine Linux v3.4"' \
		'HOME_URL="http://alpinelinux.org"' 'BUG_REPORT_URL="http://bugs.alpinelinux.org"' \
		>"$fs/rootfs-alpine34/etc/os-release"
	rootfs_layout "$fs/rootfs-alpine34" "$T/alpine34-oci" 3.4
}

clair_push_images() {
	local host=$1 name
	shift
	declare -gA IMG_SRC=(
		[demo:v2]="oci:$IMAGES/oci:v2"
		[alpine:3.10]="docker-archive:$T/alpine-310.tar"
		[ubuntu:18.04]="oci:$T/ubuntu-oci:18.04"
		[alpine:3.4]="oci:$T/alpine34-oci:3.4"
	)
	IMG_NAMES=(demo:v2 alpine:3.10 ubuntu:18.04 alpine:3.4)
	pkgdb_layouts || { echo "FAIL: the images of scripts/make-pkgdb-rootfs.sh"; exit 1; }
	# skopeo reads docker-archive only uncompressed
	[ -f "$T/alpine-310.tar" ] ||
		gzip -dc "$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz" >"$T/alpine-310.tar"
	for name in "${IMG_NAMES[@]}"; do
		reg_push "${IMG_SRC[$name]}" "$host/$name" "$@"
	done
}

clair_stop() {
	if [ -n "$CLAIR_PID" ]; then
		kill "$CLAIR_PID" 2>/dev/null
		wait "$CLAIR_PID" 2>/dev/null
		CLAIR_PID=
	fi
	if [ -n "$CLAIR_PG" ]; then
		"$SRC/scripts/pg-test.sh" stop "$CLAIR_PG" --remove >/dev/null 2>&1
		CLAIR_PG=
	fi
}

clair_start() {
	local pgport sp ip dsn cs rc=0
	need_tool clair
	CLAIR_BIN=$TOOL
	CLAIR_PG=$T/clair-pg
	pgport=$(free_port)
	dsn=$("$SRC/scripts/pg-test.sh" start "$CLAIR_PG" "$pgport") || rc=$?
	[ "$rc" = 77 ] && skip "PostgreSQL is not installed (Clair needs it)"
	[ "$rc" = 0 ] || { echo "FAIL: scripts/pg-test.sh start"; exit 1; }
	psql "$dsn" -qAtX -c 'CREATE DATABASE clair' >/dev/null || { echo "FAIL: CREATE DATABASE clair"; exit 1; }
	cs="host=127.0.0.1 port=$pgport user=postgres dbname=clair sslmode=disable"
	sp=$(free_port)
	ip=$(free_port)
	echo '{"data":{}}' >"$T/clair-map.json"
	cat >"$T/clair.yaml" <<EOF
# Clair v4 in combo mode for the tests: 127.0.0.1 only, no updaters but
# the Alpine one on a local secdb when asked, no fetch of Red Hat's
# mapping files (empty local ones instead) nor of Maven's search API
http_listen_addr: 127.0.0.1:$sp
introspection_addr: 127.0.0.1:$ip
log_level: ${CLAIR_LOG_LEVEL:-warn}
indexer:
  connstring: $cs
  scanlock_retry: 1
  layer_scan_concurrency: 4
  migrations: true
  airgap: true
  scanner:
    repo:
      rhel-repository-scanner:
        repo2cpe_mapping_file: $T/clair-map.json
        disable_api: true
    package:
      rhel_containerscanner:
        name2repos_mapping_file: $T/clair-map.json
      java:
        disable_api: true
matcher:
  connstring: $cs
  migrations: true
  disable_updaters: $([ -n "${CLAIR_SECDB_URL:-}" ] && echo false || echo true)
$([ -n "${CLAIR_SECDB_URL:-}" ] && printf 'updaters:\n  sets: [alpine]\n  config:\n    alpine:\n      url: %s\n' "$CLAIR_SECDB_URL")
notifier:
  connstring: $cs
  migrations: true
  poll_interval: 5m
  delivery_interval: 5m
EOF
	CLAIR_DSN=$dsn
	CLAIR_API=http://127.0.0.1:$sp
	CLAIR_INTRO=http://127.0.0.1:$ip
	clair_run
}

# clair_run: starts Clair on $T/clair.yaml, waits until it answers
clair_run() {
	local i
	"$CLAIR_BIN" -conf "$T/clair.yaml" -mode combo >>"$T/clair.log" 2>&1 &
	CLAIR_PID=$!
	for i in $(seq 300); do
		curl -fs -o /dev/null "$CLAIR_API/indexer/api/v1/index_state" && return 0
		kill -0 "$CLAIR_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$T/clair.log"
	echo "FAIL: Clair did not come up"
	exit 1
}

clair_post() {
	local c i
	c=$(curl -s -o "$2" -w '%{http_code}' -X POST "$CLAIR_API/indexer/api/v1/index_report" \
		-H 'Content-Type: application/json' --data-binary "@$1")
	for i in $(seq 600); do
		jq -e '.state == "IndexFinished" or .state == "IndexError"' "$2" >/dev/null 2>&1 && break
		sleep 0.2
		curl -s -o "$2" "$CLAIR_API/indexer/api/v1/index_report/$(jq -r .hash "$1")"
	done
	echo "$c"
}
