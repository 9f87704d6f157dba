#!/usr/bin/env bash
# tests/integration/test_registry.sh: vigil reading images straight from a
# registry. Debian's docker-registry runs on 127.0.0.1 three times: plain
# HTTP, htpasswd (Basic) and token auth (lib/regtoken.py signs the tokens);
# the real demo image is pushed with skopeo, and `vigil index REGISTRY/...`
# must find the same packages as `vigil index oci:...` of the same image:
# by tag, by digest, with docker:// and registry: prefixes, from a
# multi-platform index (each platform), with credentials from the command
# line, $VIGIL_REGISTRY_PASSWORD and a Docker config.json. Failures exit 1
# with a message saying what: no TLS without --insecure-registry, unknown
# tag, missing or wrong credentials, a tampered manifest, config or layer
# (digest errors). Through lib/regproxy.py (a fault-injecting front):
# 503/429 are retried, a body cut short resumes with Range (also from a
# server ignoring Range), blob redirects are followed, a redirect to file:
# and a redirect loop are refused, a registry that stays down fails after
# the bounded retries. `vigil manifest` prints a Clair v4 Manifest whose
# layer URIs, fetched by curl with its headers, give the layer bytes. Every
# server is stopped by its PID at exit.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
it_init

REG=/usr/bin/docker-registry
if [ ! -x "$REG" ] || ! command -v htpasswd >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			docker-registry apache2-utils >/dev/null 2>&1 || true
	fi
fi
[ -x "$REG" ] || skip "docker-registry is missing (apt-get install docker-registry)"
command -v htpasswd >/dev/null 2>&1 || skip "htpasswd is missing (apt-get install apache2-utils)"
for tool in skopeo openssl python3 curl sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing"
done
LIB=$SRC/tests/integration/lib

# the registries, the token server and skopeo: lib/registry.sh
# shellcheck source=lib/registry.sh
source "$LIB/registry.sh"
trap 'reg_stop_all; it_cleanup' EXIT
export HOME=$T/home
mkdir -p "$HOME"
unset DOCKER_CONFIG VIGIL_REGISTRY_PASSWORD http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
free_port() { _reg_free_port; }
start_registry() { reg_start "$@"; }     # NAME AUTH_YAML: sets RPORT
start_py() { reg_start_py "$@"; }        # NAME SCRIPT ARGS...: sets PYPORT
push() { reg_push "$@"; }                # SRC DEST [skopeo options]

# same_as NAME REF_JSON: the IndexReport NAME.out has REF_JSON's packages,
# distribution and manifest hash.
same_as() {
	inventory "$T/$1.out" >"$T/$1.inv"
	inventory "$2" >"$T/$1.want"
	check_same "$1: same packages as the OCI layout" "$T/$1.want" "$T/$1.inv"
	check_eq "$1: distribution" "$(distro "$2")" "$(distro "$T/$1.out")"
	check_eq "$1: manifest hash" "$(jq -r .manifest_hash "$2")" "$(jq -r .manifest_hash "$T/$1.out")"
}

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

OCI=$IMAGES/oci
V2=$(oci_manifest "$OCI" v2)
BASE=$(oci_manifest "$OCI" base)

# ---- the reference: the same images from the OCI layout ----
vjson ref-v2 index "oci:$OCI:v2" --no-cache
vjson ref-base index "oci:$OCI:base" --no-cache
[ "$(pkg_count "$T/ref-v2.out")" -gt 50 ] && pass "reference has packages" || fail "reference has no packages"

# a multi-platform index: v2 for linux/amd64, base for linux/arm64
oci_multi_layout "$OCI" "$T/multi" "$V2" "$BASE"

# ==== plain HTTP ====
start_registry plain ""
P=127.0.0.1:$RPORT
note "plain registry (pid ${PIDS[-1]}) at $P"
push "oci:$OCI:v2" "$P/demo:v2"
push "oci:$OCI:base" "$P/demo:base"
push "oci:$T/multi:multi" "$P/demo:multi"

vjson plain-tag index "$P/demo:v2" --insecure-registry --no-cache
same_as plain-tag "$T/ref-v2.out"
vjson plain-digest index "docker://$P/demo@$V2" --insecure-registry --no-cache
same_as plain-digest "$T/ref-v2.out"
vjson plain-prefix index "registry:$P/demo:base" --insecure-registry --no-cache
same_as plain-prefix "$T/ref-base.out"

# the layer cache: a second run reads nothing
vrun cache-1 index "$P/demo:v2" --insecure-registry --db "$T/cache.db"
vrun cache-2 index "$P/demo:v2" --insecure-registry --db "$T/cache.db"
expect_rc cache-2 0
check_eq "cache: second run from the cache" "layers: 3 (0 read, 3 from cache)" "$(layers_line "$T/cache-2.out")"

# multi-platform index
vjson multi-default index "$P/demo:multi" --insecure-registry --no-cache
same_as multi-default "$T/ref-v2.out"
check_eq "multi-default: the amd64 manifest" "$V2" "$(jq -r .manifest_hash "$T/multi-default.out")"
vjson multi-arm64 index "$P/demo:multi" --insecure-registry --no-cache --platform linux/arm64
same_as multi-arm64 "$T/ref-base.out"
expect_fail multi-none "no image for platform linux/s390x \(there are: linux/amd64, linux/arm64/v8\)" \
	index "$P/demo:multi" --insecure-registry --platform linux/s390x

expect_fail no-tls "TLS failed.*--insecure-registry" index "$P/demo:v2" --no-cache
expect_fail unknown-tag "HTTP 404 Not Found \(MANIFEST_UNKNOWN" index "$P/demo:nope" --insecure-registry
expect_fail unknown-repo "HTTP 404" index "$P/nothing/here:v1" --insecure-registry
expect_fail bad-ref "not a file or folder, nor a registry reference" index "Not_A_Ref" --no-cache
expect_fail bad-digest "digest is not sha256" index "docker://$P/demo@sha256:abc" --insecure-registry

# vigil manifest: the Clair v4 Manifest; each layer fetched as it says
vrun manifest-plain manifest "$P/demo:v2" --insecure-registry
expect_rc manifest-plain 0
check_eq "manifest: hash" "$V2" "$(jq -r .hash "$T/manifest-plain.out")"
check_eq "manifest: layer hashes" "$(oci_layers "$OCI" v2 | tr '\n' ' ')" \
	"$(jq -r '.layers[].hash' "$T/manifest-plain.out" | tr '\n' ' ')"
check_eq "manifest: no headers when anonymous" "0" "$(jq '[.layers[].headers | length] | add' "$T/manifest-plain.out")"
# fetch_layers FILE: every layer's uri with its headers; sha256 must be its hash
fetch_layers() {
	local n ok=0 i hash uri args
	n=$(jq '.layers | length' "$1")
	for ((i = 0; i < n; i++)); do
		hash=$(jq -r ".layers[$i].hash" "$1")
		uri=$(jq -r ".layers[$i].uri" "$1")
		args=()
		while IFS= read -r h; do args+=(-H "$h"); done < <(jq -r ".layers[$i].headers | to_entries[] | \"\(.key): \(.value[0])\"" "$1")
		if [ "sha256:$(curl -sfL "${args[@]}" "$uri" | sha256sum | cut -d' ' -f1)" = "$hash" ]; then
			ok=$((ok + 1))
		fi
	done
	check_eq "$2: every layer URI with its headers gives the layer" "$n" "$ok"
}
fetch_layers "$T/manifest-plain.out" manifest-plain
expect_fail manifest-local "not a registry image" manifest "oci:$OCI:v2"

# ---- faults, through the proxy ----
start_py proxy regproxy.py --upstream "$P"
X=127.0.0.1:$PYPORT
fault() { curl -sf "http://$X/_fault?mode=$1" >/dev/null; }
stat_of() { curl -sf "http://$X/_stats" | jq -r "$1"; }

fault flaky
vjson flaky index "$X/demo:v2" --insecure-registry --no-cache
same_as flaky "$T/ref-v2.out"
check_eq "flaky: the 503 and the 429s were retried" "1 4" "$(stat_of '"\(.status["503"]) \(.status["429"])"')"
fault cut
vjson cut index "$X/demo:v2" --insecure-registry --no-cache
same_as cut "$T/ref-v2.out"
check_eq "cut: resumed with Range, answered 206" "3 3" "$(stat_of '"\(.ranges | length) \(.status["206"])"')"
fault cut-norange
vjson cut-norange index "$X/demo:v2" --insecure-registry --no-cache
same_as cut-norange "$T/ref-v2.out"
fault redirect
vjson redirect index "$X/demo:v2" --insecure-registry --no-cache
same_as redirect "$T/ref-v2.out"
check "redirect: blobs were redirected" [ "$(stat_of '.status["307"] // 0')" -ge 3 ]
fault redirect-file
expect_fail redirect-file "only http and https are followed" index "$X/demo:v2" --insecure-registry --no-cache
fault redirect-loop
expect_fail redirect-loop "more than 5 redirects" index "$X/demo:v2" --insecure-registry --no-cache
fault down
expect_fail down "after 4 retries: .*HTTP 500" index "$X/demo:v2" --insecure-registry --no-cache
fault none

# ==== htpasswd: Basic ====
htpasswd -Bbn alice 'pa ss:1' >"$T/htpasswd" 2>/dev/null
start_registry basic "auth:
  htpasswd:
    realm: vigil-test
    path: $T/htpasswd"
B=127.0.0.1:$RPORT
note "basic registry (pid ${PIDS[-1]}) at $B"
push "oci:$OCI:v2" "$B/team/demo:v2" --dest-creds 'alice:pa ss:1'

expect_fail basic-anon "needs credentials \(Basic\)" index "$B/team/demo:v2" --insecure-registry --no-cache
vjson basic-creds index "$B/team/demo:v2" --insecure-registry --no-cache --username alice --password 'pa ss:1'
same_as basic-creds "$T/ref-v2.out"
expect_fail basic-wrong "refused the credentials of alice" \
	index "$B/team/demo:v2" --insecure-registry --no-cache --username alice --password nope
VIGIL_REGISTRY_PASSWORD='pa ss:1' vjson basic-env index "$B/team/demo:v2" --insecure-registry --no-cache --username alice
same_as basic-env "$T/ref-v2.out"
mkdir -p "$T/dockercfg"
printf '{"auths": {"http://%s/v2/": {"auth": "%s"}}}\n' "$B" "$(printf '%s' 'alice:pa ss:1' | base64 -w0)" \
	>"$T/dockercfg/config.json"
DOCKER_CONFIG=$T/dockercfg vjson basic-dockerconfig index "$B/team/demo:v2" --insecure-registry --no-cache
same_as basic-dockerconfig "$T/ref-v2.out"
vjson basic-regconfig index "$B/team/demo:v2" --insecure-registry --no-cache --registry-config "$T/dockercfg/config.json"
same_as basic-regconfig "$T/ref-v2.out"
expect_fail basic-noconfig "No such file" index "$B/team/demo:v2" --insecure-registry --registry-config "$T/none.json"
vrun manifest-basic manifest "$B/team/demo:v2" --insecure-registry --username alice --password 'pa ss:1'
expect_rc manifest-basic 0
check "manifest-basic: Basic Authorization" jq -e '[.layers[].headers.Authorization[0] | startswith("Basic ")] | all' "$T/manifest-basic.out" >/dev/null
fetch_layers "$T/manifest-basic.out" manifest-basic

# ==== token auth ====
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/token.key" -out "$T/token.crt" \
	-subj /CN=vigil-test-token -days 2 >/dev/null 2>&1 || { echo "FAIL: openssl"; exit 1; }
start_py token regtoken.py --key "$T/token.key" --cert "$T/token.crt" --user 'bob:t0ken pass'
TOK=127.0.0.1:$PYPORT
start_registry token "auth:
  token:
    realm: http://$TOK/token
    service: vigil-test
    issuer: vigil-test-issuer
    rootcertbundle: $T/token.crt"
K=127.0.0.1:$RPORT
note "token registry (pid ${PIDS[-1]}) at $K, token server at $TOK"
push "oci:$OCI:v2" "$K/team/demo:v2" --dest-creds 'bob:t0ken pass'
tokens() { curl -sf "http://$TOK/_stats" | jq -r '.issued.bob // 0'; }

expect_fail token-anon "anonymous tokens have no pull access" index "$K/team/demo:v2" --insecure-registry --no-cache
before=$(tokens)
vjson token-creds index "$K/team/demo:v2" --insecure-registry --no-cache --username bob --password 't0ken pass' --threads 3
same_as token-creds "$T/ref-v2.out"
check_eq "token-creds: one token for the manifest, config and 3 layer threads" 1 "$(($(tokens) - before))"
expect_fail token-wrong "token server .* refused the credentials of bob" \
	index "$K/team/demo:v2" --insecure-registry --no-cache --username bob --password nope
vrun manifest-token manifest "$K/team/demo:v2" --insecure-registry --username bob --password 't0ken pass'
expect_rc manifest-token 0
check "manifest-token: Bearer Authorization" jq -e '[.layers[].headers.Authorization[0] | startswith("Bearer ")] | all' "$T/manifest-token.out" >/dev/null
fetch_layers "$T/manifest-token.out" manifest-token

# ==== tampered content (plain registry; blobs are shared by its repos, so last) ====
stored() { echo "$T/plain/data/docker/registry/v2/blobs/sha256/${1:7:2}/${1#sha256:}/data"; }
M=$(stored "$V2")
cp "$M" "$T/manifest.orig"
printf ' ' >>"$M"
expect_fail tamper-manifest "Docker-Content-Digest: .*does not match its digest" index "$P/demo:v2" --insecure-registry --no-cache
expect_fail tamper-manifest-digest "demo@$V2: content does not match its digest $V2" index "$P/demo@$V2" --insecure-registry --no-cache
cp "$T/manifest.orig" "$M"
CFG=$(jq -r .config.digest "$(blob "$OCI" "$V2")")
C=$(stored "$CFG")
cp "$C" "$T/config.orig"
sed -i 's/amd64/amd65/' "$C"
expect_fail tamper-config "config.*does not match its digest|does not match its digest $CFG" index "$P/demo:v2" --insecure-registry --no-cache
cp "$T/config.orig" "$C"
TOP=$(oci_layers "$OCI" v2 | tail -n 1)
L=$(stored "$TOP")
cp "$L" "$T/layer.orig"
# the gzip header's MTIME: the layer still decompresses, only its digest is wrong
printf '\x01' | dd of="$L" bs=1 seek=4 conv=notrunc status=none
expect_fail tamper-layer "$TOP.*(digest|sha256)" index "$P/demo:v2" --insecure-registry --no-cache
cp "$T/layer.orig" "$L"
vjson restored index "$P/demo:v2" --insecure-registry --no-cache
same_as restored "$T/ref-v2.out"

# ---- memory: a registry index stays as small as an OCI one ----
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M "$VIGIL" index "$P/demo:v2" --insecure-registry --no-cache -q >/dev/null 2>"$T/rss-reg" || true
	/usr/bin/time -f %M "$VIGIL" index "oci:$OCI:v2" --no-cache -q >/dev/null 2>"$T/rss-oci" || true
	rr=$(tail -n 1 "$T/rss-reg")
	ro=$(tail -n 1 "$T/rss-oci")
	note "max RSS: registry $rr KiB, OCI layout $ro KiB"
	check "memory: registry index within 32 MiB of the OCI one" [ "$rr" -lt $((ro + 32768)) ]
fi

reg_stop_all
it_done
