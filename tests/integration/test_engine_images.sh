#!/usr/bin/env bash
# tests/integration/test_engine_images.sh: images from where they are.
#  - docker:NAME / podman:NAME: Debian's podman serves its API on a unix
#    socket of $T (`podman system service`, vfs storage, a private --root
#    and --runroot), loaded with the Alpine 3.10 docker-archive of
#    ../shared/testdata and the demo image; `vigil index podman:...` (via
#    $CONTAINER_HOST) and `docker:...` (via $DOCKER_HOST) must list the same
#    packages as the archive / OCI layout. The service is stopped by its PID.
#    Error paths against lib/engine_replay.py (podman's recorded answers on
#    a unix socket): unknown image (404), an export cut short, a 500, no
#    socket, tcp:// refused, a bad name; the spool file is always deleted.
#  - oci-archive:FILE[:TAG]: skopeo's oci-archive, podman save --format
#    oci-archive, and a containerd-style export built by hand (an OCI
#    layout tar whose index.json carries io.containerd.image.name and
#    ref.name annotations, with a manifest.json too); a truncated one fails.
#  - registry credentials against the token-auth registry: a Docker
#    config.json "auths", a credHelpers and a credsStore helper
#    (docker-credential-test on PATH, a fake that checks its stdin), a
#    failing and a hanging helper, podman's auth.json from
#    $REGISTRY_AUTH_FILE and $XDG_RUNTIME_DIR; no secret is printed.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
it_init
LIB=$SRC/tests/integration/lib
for tool in skopeo python3 jq tar; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing"
done
ALPINE_GZ=$SRC/../shared/testdata/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -s "$ALPINE_GZ" ] || skip "$ALPINE_GZ is missing"
OCI=$IMAGES/oci
PIDS=()
PODMAN_PID=
stop_all() {
	local p
	[ -n "$PODMAN_PID" ] && kill "$PODMAN_PID" 2>/dev/null && wait "$PODMAN_PID" 2>/dev/null
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	PIDS=()
}
trap 'stop_all; it_cleanup' EXIT
export HOME=$T/home TMPDIR=$T/tmp
mkdir -p "$HOME" "$TMPDIR"
unset DOCKER_HOST CONTAINER_HOST DOCKER_CONFIG REGISTRY_AUTH_FILE XDG_RUNTIME_DIR VIGIL_REGISTRY_PASSWORD
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

# same_pkgs NAME WANT_JSON: NAME.out has WANT_JSON's packages and distribution
same_pkgs() {
	inventory "$T/$1.out" >"$T/$1.inv"
	inventory "$2" >"$T/$1.want"
	check_same "$1: same packages as $(basename "$2" .out)" "$T/$1.want" "$T/$1.inv"
	check_eq "$1: distribution" "$(distro "$2")" "$(distro "$T/$1.out")"
}
spool_clean() { check_eq "$1: no spool file left in TMPDIR" "" "$(ls -A "$TMPDIR")"; }
# expect_fail NAME PATTERN ARGS...: vigil exits 1 with PATTERN in its message.
expect_fail() {
	local name=$1 pat=$2
	shift 2
	vrun "$name" "$@"
	expect_rc "$name" 1
	if grep -qE "$pat" "$T/$name.err"; then
		pass "$name: says /$pat/"
	else
		fail "$name: stderr lacks /$pat/:"
		head -n 5 "$T/$name.err"
	fi
}

# ---- the references: the archive and the OCI layout ----
zcat "$ALPINE_GZ" >"$T/alpine.tar"
vjson ref-alpine index "docker-archive:$T/alpine.tar" --no-cache
vjson ref-v2 index "oci:$OCI:v2" --no-cache
vjson ref-base index "oci:$OCI:base" --no-cache
[ "$(pkg_count "$T/ref-alpine.out")" = 14 ] && pass "alpine reference: 14 packages" || fail "alpine reference: $(pkg_count "$T/ref-alpine.out") packages"

# ==== podman's API socket ====
PODMAN_OK=
if command -v podman >/dev/null 2>&1; then
	PS=$T/podman.sock
	pod() { podman --root "$T/pod/root" --runroot "$T/pod/run" --storage-driver vfs "$@"; }
	pod system service --time=0 "unix://$PS" >"$T/podman-service.log" 2>&1 &
	PODMAN_PID=$!
	for _ in $(seq 1 100); do [ -S "$PS" ] && break; sleep 0.1; done
	if [ -S "$PS" ] && curl -sf --unix-socket "$PS" http://d/_ping >/dev/null &&
		pod load -i "$T/alpine.tar" >"$T/podman-load.log" 2>&1 &&
		skopeo copy -q "oci:$OCI:v2" "oci-archive:$T/v2.oci.tar" >/dev/null 2>&1 &&
		pod load -i "$T/v2.oci.tar" >>"$T/podman-load.log" 2>&1 &&
		pod tag "$(tail -n 1 "$T/podman-load.log" | sed 's/.*: //')" demo:v2 >>"$T/podman-load.log" 2>&1; then
		PODMAN_OK=1
		note "podman service (pid $PODMAN_PID) at $PS"
	else
		note "podman cannot run here: $(tail -n 3 "$T/podman-service.log" "$T/podman-load.log" 2>/dev/null | tr '\n' ' ')"
	fi
fi
if [ -n "$PODMAN_OK" ]; then
	CONTAINER_HOST=unix://$PS vjson podman-alpine index podman:alpine:3.10 --no-cache
	same_pkgs podman-alpine "$T/ref-alpine.out"
	check_eq "podman-alpine: the image ID as manifest hash" "$(jq -r .manifest_hash "$T/ref-alpine.out")" \
		"$(jq -r .manifest_hash "$T/podman-alpine.out")"
	DOCKER_HOST=unix://$PS vjson docker-alpine index docker:alpine:3.10 --no-cache
	same_pkgs docker-alpine "$T/ref-alpine.out"
	DOCKER_HOST=unix://$PS vjson docker-localhost index docker:localhost/alpine:3.10 --no-cache
	same_pkgs docker-localhost "$T/ref-alpine.out"
	CONTAINER_HOST=unix://$PS vjson podman-demo index podman:demo:v2 --no-cache
	same_pkgs podman-demo "$T/ref-v2.out"
	DOCKER_HOST=unix://$PS vjson docker-daemon index docker-daemon:demo:v2 --no-cache
	same_pkgs docker-daemon "$T/ref-v2.out"
	DOCKER_HOST=unix://$PS expect_fail podman-unknown "docker:nosuch:1: no such image \(engine at $PS answered 404\)" \
		index docker:nosuch:1
	# podman save --format oci-archive, read back
	if pod save --format oci-archive -o "$T/podman-save.oci.tar" demo:v2 >/dev/null 2>&1; then
		vjson podman-save index "oci-archive:$T/podman-save.oci.tar" --no-cache
		same_pkgs podman-save "$T/ref-v2.out"
	else
		fail "podman save --format oci-archive"
	fi
	spool_clean podman
	kill "$PODMAN_PID" && wait "$PODMAN_PID" 2>/dev/null
	PODMAN_PID=
	check "podman service stopped" test ! -e "/proc/$PODMAN_PID/status"
else
	note "podman: not tested with the real service (see above); the recorded answers below still run"
fi

# ==== the recorded answers (lib/engine_replay.py) ====
RS=$T/replay.sock
python3 "$LIB/engine_replay.py" --socket "$RS" --max-seconds 900 --image "alpine:3.10=$T/alpine.tar" \
	--image "cut:1=$T/alpine.tar" --truncate cut:1 --status broken:1=500 2>"$T/replay.err" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -S "$RS" ] && break; sleep 0.1; done
[ -S "$RS" ] || { cat "$T/replay.err"; echo "FAIL: engine_replay did not start"; exit 1; }
DOCKER_HOST=unix://$RS vjson replay-alpine index docker:alpine:3.10 --no-cache
same_pkgs replay-alpine "$T/ref-alpine.out"
CONTAINER_HOST=unix://$RS vjson replay-podman index podman:alpine:3.10 --no-cache
same_pkgs replay-podman "$T/ref-alpine.out"
DOCKER_HOST=unix://$RS expect_fail replay-unknown "docker:nosuch: no such image \(engine at $RS answered 404\)" \
	index docker:nosuch
DOCKER_HOST=unix://$RS expect_fail replay-cut "docker:cut:1: reading the archive from the Docker engine at $RS failed" \
	index docker:cut:1
DOCKER_HOST=unix://$RS expect_fail replay-500 "docker:broken:1: the Docker engine at $RS answered HTTP 500: failed to export broken:1" index docker:broken:1
DOCKER_HOST=unix://$T/nothing.sock expect_fail no-socket "cannot reach the Docker engine at $T/nothing.sock: is it running\?" \
	index docker:alpine
CONTAINER_HOST=unix://$T/nothing.sock expect_fail no-podman "cannot reach the podman service at $T/nothing.sock" \
	index podman:alpine
DOCKER_HOST=tcp://127.0.0.1:2375 expect_fail tcp-host "DOCKER_HOST=tcp://127.0.0.1:2375: only a unix:// socket is read" \
	index docker:alpine
DOCKER_HOST=unix://$RS expect_fail bad-name "not an image name or ID" index 'docker:../../containers/json'
DOCKER_HOST=unix://$RS expect_fail empty-name "no image name given" index 'docker:'
spool_clean replay

# ==== oci-archive ====
skopeo copy -q "oci:$OCI:v2" "oci-archive:$T/skopeo.oci.tar" >/dev/null 2>&1 || fail "skopeo copy to oci-archive"
vjson oci-archive index "oci-archive:$T/skopeo.oci.tar" --no-cache
same_pkgs oci-archive "$T/ref-v2.out"
check_eq "oci-archive: the manifest digest" "$(jq -r .manifest_hash "$T/ref-v2.out")" "$(jq -r .manifest_hash "$T/oci-archive.out")"
skopeo copy -q "oci:$OCI:base" "oci-archive:$T/tagged.oci.tar:demo:base" >/dev/null 2>&1 || fail "skopeo copy to a tagged oci-archive"
vjson oci-archive-tag index "oci-archive:$T/tagged.oci.tar:demo:base" --no-cache
same_pkgs oci-archive-tag "$T/ref-base.out"
expect_fail oci-archive-notag "index.json has no tag nope" index "oci-archive:$T/tagged.oci.tar:nope"
expect_fail oci-archive-docker "not an oci-archive \(it has manifest.json: a docker-archive\)" index "oci-archive:$T/alpine.tar"
head -c 200000 "$T/skopeo.oci.tar" >"$T/cut.oci.tar"
expect_fail oci-archive-cut "truncated" index "oci-archive:$T/cut.oci.tar"
expect_fail oci-archive-missing "oci-archive:$T/none.tar: No such file" index "oci-archive:$T/none.tar"

# ==== a containerd export (ctr images export), built by hand ====
CD=$T/ctrd
mkdir -p "$CD"
cp -r "$OCI/blobs" "$CD/"
cp "$OCI/oci-layout" "$CD/"
V2=$(oci_manifest "$OCI" v2)
BASE=$(oci_manifest "$OCI" base)
jq --arg v2 "$V2" --arg base "$BASE" '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
	manifests: [.manifests[] | select(.digest == $v2 or .digest == $base)
		| .annotations = (if .digest == $v2
			then {"io.containerd.image.name": "docker.io/library/demo:v2", "org.opencontainers.image.ref.name": "v2"}
			else {"io.containerd.image.name": "registry.example/team/demo:base", "org.opencontainers.image.ref.name": "base"} end)]}' \
	"$OCI/index.json" >"$CD/index.json"
cfg_of() { jq -r .config.digest "$(blob "$OCI" "$1")"; }
layers_of() { jq -c '[.layers[].digest | "blobs/sha256/" + ltrimstr("sha256:")]' "$(blob "$OCI" "$1")"; }
jq -n --arg c2 "blobs/sha256/$(cfg_of "$V2" | cut -d: -f2)" --argjson l2 "$(layers_of "$V2")" \
	--arg cb "blobs/sha256/$(cfg_of "$BASE" | cut -d: -f2)" --argjson lb "$(layers_of "$BASE")" \
	'[{Config: $c2, RepoTags: ["demo:v2"], Layers: $l2}, {Config: $cb, RepoTags: ["registry.example/team/demo:base"], Layers: $lb}]' \
	>"$CD/manifest.json"
tar -C "$CD" -cf "$T/ctrd.tar" oci-layout index.json manifest.json blobs
vjson ctrd-short index "oci-archive:$T/ctrd.tar:demo:v2" --no-cache
same_pkgs ctrd-short "$T/ref-v2.out"
check_eq "ctrd-short: the v2 manifest" "$V2" "$(jq -r .manifest_hash "$T/ctrd-short.out")"
vjson ctrd-full index "oci-archive:$T/ctrd.tar:registry.example/team/demo:base" --no-cache
same_pkgs ctrd-full "$T/ref-base.out"
vjson ctrd-refname index "oci-archive:$T/ctrd.tar:base" --no-cache
same_pkgs ctrd-refname "$T/ref-base.out"
vjson ctrd-docker index "docker-archive:$T/ctrd.tar:demo:v2" --no-cache
same_pkgs ctrd-docker "$T/ref-v2.out"
expect_fail ctrd-several "holds several images: give a tag" index "oci-archive:$T/ctrd.tar"

# ==== registry credentials ====
if [ -x /usr/bin/docker-registry ] && command -v openssl >/dev/null 2>&1; then
	# shellcheck source=lib/registry.sh
	source "$LIB/registry.sh"
	trap 'reg_stop_all; stop_all; it_cleanup' EXIT
	export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
	reg_start_token tok 'carol:h3lper-s3cret'
	K=127.0.0.1:$RPORT
	reg_push "oci:$OCI:v2" "$K/team/demo:v2" --dest-creds 'carol:h3lper-s3cret' --dest-tls-verify=false
	expect_fail cred-none "needs credentials" index "$K/team/demo:v2" --insecure-registry --no-cache
	AUTH=$(printf 'carol:h3lper-s3cret' | base64)
	mkdir -p "$T/dc-auths" "$T/dc-helper" "$T/dc-store" "$T/dc-fail" "$T/dc-hang" "$T/bin" "$T/xdg/containers"
	printf '{"auths": {"http://%s/v2/": {"auth": "%s"}}}' "$K" "$AUTH" >"$T/dc-auths/config.json"
	DOCKER_CONFIG=$T/dc-auths vjson cred-auths index "$K/team/demo:v2" --insecure-registry --no-cache
	same_pkgs cred-auths "$T/ref-v2.out"
	# the fake helper: answers only "get" with the registry's host on stdin
	cat >"$T/bin/docker-credential-test" <<EOF
#!/bin/sh
[ "\$1" = get ] || { echo "unexpected \$1" >&2; exit 2; }
read -r host
echo "\$host" >>"$T/helper.log"
[ "\$host" = "$K" ] || { echo "credentials not found in native keychain"; exit 1; }
printf '{"ServerURL": "%s", "Username": "carol", "Secret": "h3lper-s3cret"}\n' "\$host"
EOF
	printf '#!/bin/sh\necho "error getting credentials - err: exit status 1, out: keyring locked"\nexit 1\n' >"$T/bin/docker-credential-fails"
	printf '#!/bin/sh\nexec sleep 60\n' >"$T/bin/docker-credential-hangs"
	chmod +x "$T/bin/"docker-credential-*
	printf '{"auths": {}, "credHelpers": {"%s": "test", "other.example": "fails"}}' "$K" >"$T/dc-helper/config.json"
	printf '{"auths": {"%s": {}}, "credsStore": "test"}' "$K" >"$T/dc-store/config.json"
	printf '{"credsStore": "fails"}' >"$T/dc-fail/config.json"
	printf '{"credHelpers": {"%s": "hangs"}}' "$K" >"$T/dc-hang/config.json"
	PATH=$T/bin:$PATH DOCKER_CONFIG=$T/dc-helper vjson cred-helper index "$K/team/demo:v2" --insecure-registry --no-cache
	same_pkgs cred-helper "$T/ref-v2.out"
	check_eq "cred-helper: asked with the registry host on stdin" "$K" "$(tail -n 1 "$T/helper.log" 2>/dev/null)"
	PATH=$T/bin:$PATH DOCKER_CONFIG=$T/dc-store vjson cred-store index "$K/team/demo:v2" --insecure-registry --no-cache
	same_pkgs cred-store "$T/ref-v2.out"
	PATH=$T/bin:$PATH vjson cred-flag-file index "$K/team/demo:v2" --insecure-registry --no-cache --registry-config "$T/dc-helper/config.json"
	PATH=$T/bin:$PATH DOCKER_CONFIG=$T/dc-fail expect_fail cred-fails "docker-credential-fails get failed \(exit 1\)" \
		index "$K/team/demo:v2" --insecure-registry --no-cache
	DOCKER_CONFIG=$T/dc-helper expect_fail cred-nohelper "docker-credential-test: .*not on PATH" \
		index "$K/team/demo:v2" --insecure-registry --no-cache
	PATH=$T/bin:$PATH DOCKER_CONFIG=$T/dc-hang expect_fail cred-hangs "docker-credential-hangs get: no answer in 10 s \(killed\)" \
		index "$K/team/demo:v2" --insecure-registry --no-cache
	# podman's auth.json
	printf '{"auths": {"%s": {"auth": "%s"}}}' "$K" "$AUTH" >"$T/podman-auth.json"
	REGISTRY_AUTH_FILE=$T/podman-auth.json vjson cred-raf index "$K/team/demo:v2" --insecure-registry --no-cache
	same_pkgs cred-raf "$T/ref-v2.out"
	cp "$T/podman-auth.json" "$T/xdg/containers/auth.json"
	XDG_RUNTIME_DIR=$T/xdg vjson cred-xdg index "$K/team/demo:v2" --insecure-registry --no-cache
	same_pkgs cred-xdg "$T/ref-v2.out"
	# the file the environment names first: a broken REGISTRY_AUTH_FILE is said
	printf '{"auths": ' >"$T/broken-auth.json"
	REGISTRY_AUTH_FILE=$T/broken-auth.json XDG_RUNTIME_DIR=$T/xdg expect_fail cred-broken "broken-auth.json: line" \
		index "$K/team/demo:v2" --insecure-registry --no-cache
	# no secret in any message or output
	if grep -l -e 'h3lper-s3cret' -e "$AUTH" "$T"/cred-*.err "$T"/cred-*.out >/dev/null 2>&1; then
		fail "a secret appears in vigil's output: $(grep -l -e 'h3lper-s3cret' -e "$AUTH" "$T"/cred-*.err "$T"/cred-*.out | tr '\n' ' ')"
	else
		pass "no secret in any output"
	fi
else
	note "docker-registry or openssl missing: credentials against a registry not tested"
fi

stop_all
it_done
