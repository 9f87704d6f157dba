#!/usr/bin/env bash
# tests/integration/test_verify.sh: vigil verify and vigil scan
# --require-signature on cosign signatures in Debian's docker-registry on
# 127.0.0.1. The real demo images are pushed with skopeo. Signatures come
# from two sources:
#   - the real cosign (scripts/tools.lock, pinned), offline: a key pair it
#     generates, `cosign sign --tlog-upload=false` (no Rekor, no Fulcio),
#     an imported RSA key, annotations, a multi-platform index; and
#     `cosign verify` as the oracle of what vigil accepts and refuses.
#     cosign is a Go build of minutes: it is used when built (peer_tool,
#     `scripts/tools.sh install cosign`), else its part is left out with a
#     note and the rest still runs;
#   - signatures made here with openssl in cosign's format (a payload blob,
#     an OCI manifest tagged sha256-<hex>.sig, the signature annotation),
#     pushed with curl: ECDSA P-256, RSA and Ed25519 keys, and the forgeries
#     (a payload that is not JSON, a payload for another digest, a .sig
#     copied onto another image, a signature with another key).
# vigil must verify the good ones (exit 0) and refuse each bad one (exit 1)
# with a message naming it; scan --require-signature refuses unsigned
# images without writing a report and scans the verified digest of signed
# ones. Servers are stopped by their PIDs at exit.
# shellcheck shell=bash
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
it_init
LIB=$SRC/tests/integration/lib
# shellcheck source=lib/registry.sh
source "$LIB/registry.sh"
# shellcheck source=lib/tools.sh
source "$LIB/tools.sh"
reg_need
for tool in jq base64 sha256sum; do command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing"; done
trap 'reg_stop_all; it_cleanup' EXIT
export HOME=$T/home
mkdir -p "$HOME"
unset DOCKER_CONFIG VIGIL_REGISTRY_PASSWORD

OCI=$IMAGES/oci
V2=$(oci_manifest "$OCI" v2)
BASE=$(oci_manifest "$OCI" base)
reg_start plain
P=127.0.0.1:$RPORT
reg_push "oci:$OCI:v2" "$P/app:v2"
reg_push "oci:$OCI:base" "$P/app:base"
SS=application/vnd.dev.cosign.simplesigning.v1+json

# expect_fail NAME PATTERN ARGS...: vigil exits 1 with PATTERN in stderr.
expect_fail() {
	local name=$1 pat=$2
	shift 2
	vrun "$name" "$@"
	expect_rc "$name" 1
	if grep -qE -- "$pat" "$T/$name.err"; then pass "$name: says /$pat/"; else
		fail "$name: stderr lacks /$pat/:"
		head -n 5 "$T/$name.err"
	fi
}
verify() { vrun "$1" verify --insecure-registry "${@:2}"; }
expect_verified() { # NAME ARGS...
	verify "$@"
	expect_rc "$1" 0
	check "$1: says Verified" grep -q "^Verified " "$T/$1.out"
}

# ---- cosign's format made with openssl ----
# blob_push REPO FILE: uploads FILE as a blob, prints its digest
blob_push() {
	local repo=$1 file=$2 dg loc
	dg=sha256:$(sha256sum "$file" | cut -c1-64)
	loc=$(curl -sS -i -X POST "http://$P/v2/$repo/blobs/uploads/" | tr -d '\r' |
		awk 'tolower($1) == "location:" { print $2 }')
	case $loc in /*) loc=http://$P$loc ;; esac
	case $loc in *\?*) loc="$loc&digest=$dg" ;; *) loc="$loc?digest=$dg" ;; esac
	curl -sSf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" "$loc" >/dev/null ||
		{ echo "FAIL: pushing a blob to $repo"; exit 1; }
	echo "$dg"
}
# payload DIGEST [REFERENCE] [OPTIONAL_JSON]: a simple signing payload on stdout
payload() {
	printf '{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":%s}' \
		"${2:-$P/app}" "$1" "${3:-null}"
}
# sig_of KIND KEY FILE: cosign's signature of FILE (base64): ECDSA and RSA
# over SHA-256 (DER for ECDSA, PKCS#1 v1.5 for RSA), Ed25519 pure
sig_of() {
	case $1 in
	ed) openssl pkeyutl -sign -inkey "$2" -rawin -in "$3" | base64 -w0 ;;
	*) openssl dgst -sha256 -sign "$2" -binary "$3" | base64 -w0 ;;
	esac
}
# layer REPO FILE SIG_B64: the .sig manifest's layer for FILE (pushed)
layer() {
	local dg
	dg=$(blob_push "$1" "$2")
	jq -cn --arg mt "$SS" --arg dg "$dg" --argjson size "$(stat -c %s "$2")" --arg sig "$3" \
		'{mediaType: $mt, size: $size, digest: $dg, annotations: {"dev.cosignproject.cosign/signature": $sig}}'
}
# put_sig REPO IMAGE_DIGEST LAYER_JSON...: the manifest tagged sha256-<hex>.sig
put_sig() {
	local repo=$1 dg=$2 cfg
	shift 2
	printf '{}' >"$T/cfg.json"
	cfg=$(blob_push "$repo" "$T/cfg.json")
	printf '%s\n' "$@" | jq -cs --arg cfg "$cfg" '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", size: 2, digest: $cfg}, layers: .}' >"$T/sig.json"
	curl -sSf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$T/sig.json" \
		"http://$P/v2/$repo/manifests/sha256-${dg#sha256:}.sig" >/dev/null || { echo "FAIL: pushing a .sig"; exit 1; }
}
# sign_crafted REPO DIGEST KIND KEY [REFERENCE] [OPTIONAL]: one signature made with openssl
sign_crafted() {
	payload "$2" "${5:-$P/$1}" "${6:-null}" >"$T/payload.$3.json"
	put_sig "$1" "$2" "$(layer "$1" "$T/payload.$3.json" "$(sig_of "$3" "$4" "$T/payload.$3.json")")"
}

mkdir -p "$T/keys"
K=$T/keys
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/ec.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$K/rsa.pem" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$K/ed.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$K/p384.pem" 2>/dev/null
for k in ec rsa ed p384; do openssl pkey -in "$K/$k.pem" -pubout -out "$K/$k.pub" || { echo "FAIL: openssl"; exit 1; }; done

# ---- every key kind, signatures made with openssl ----
for kind in ec rsa ed; do
	reg_push "oci:$OCI:v2" "$P/$kind:v2"
	sign_crafted "$kind" "$V2" "$kind" "$K/$kind.pem"
	expect_verified "crafted-$kind" --key "$K/$kind.pub" "$P/$kind:v2"
	check "crafted-$kind: names the key kind" grep -qE "key .*\((ECDSA P-256|RSA 3072|Ed25519), sha256:" "$T/crafted-$kind.out"
	other=$([ "$kind" = ec ] && echo rsa || echo ec)
	expect_fail "crafted-$kind-otherkey" "bad signature: it does not verify with the key .*/$other.pub" \
		verify --insecure-registry --key "$K/$other.pub" "$P/$kind:v2"
done
expect_fail p384-key "P-256 expected" verify --insecure-registry --key "$K/p384.pub" "$P/ec:v2"

# by digest, with docker://, as JSON
expect_verified by-digest --key "$K/ec.pub" "docker://$P/ec@$V2"
verify json --key "$K/ec.pub" "$P/ec:v2" --format json
expect_rc json 0
check_eq "json: verified" true "$(jq -r .verified "$T/json.out")"
check_eq "json: the image digest" "$V2" "$(jq -r .digest "$T/json.out")"
check_eq "json: the payload's digest" "$V2" "$(jq -r '.signatures[0].payload.critical.image["docker-manifest-digest"]' "$T/json.out")"
check_eq "json: pinned" "$P/ec@$V2" "$(jq -r .pinned "$T/json.out")"
check_eq "json: key id" "sha256:$(openssl pkey -pubin -in "$K/ec.pub" -outform DER | sha256sum | cut -c1-64)" \
	"$(jq -r .key.id "$T/json.out")"

# ---- refusals ----
expect_fail unsigned "no signature: $P/app:sha256-${BASE#sha256:}\\.sig not found" \
	verify --insecure-registry --key "$K/ec.pub" "$P/app:base"
# a payload that is not JSON, signed with the right key
reg_push "oci:$OCI:v2" "$P/nojson:v2"
printf 'this is not JSON\n' >"$T/nojson.txt"
NOJSON_LAYER=$(layer nojson "$T/nojson.txt" "$(sig_of ec "$K/ec.pem" "$T/nojson.txt")")
put_sig nojson "$V2" "$NOJSON_LAYER"
expect_fail nojson "layer $(jq -r .digest <<<"$NOJSON_LAYER"): the payload is not JSON" \
	verify --insecure-registry --key "$K/ec.pub" "$P/nojson:v2"
# a good signature of a payload for another digest
reg_push "oci:$OCI:v2" "$P/otherdg:v2"
payload "$BASE" >"$T/other.json"
put_sig otherdg "$V2" "$(layer otherdg "$T/other.json" "$(sig_of ec "$K/ec.pem" "$T/other.json")")"
expect_fail payload-digest "digest mismatch: the payload signs $BASE, the image is $V2" \
	verify --insecure-registry --key "$K/ec.pub" "$P/otherdg:v2"
# the payload bytes changed under their signature
payload "$V2" "$P/otherdg" '{"x":"y"}' >"$T/changed.json"
put_sig otherdg "$V2" "$(layer otherdg "$T/changed.json" "$(sig_of ec "$K/ec.pem" "$T/other.json")")"
expect_fail changed-payload "bad signature" verify --insecure-registry --key "$K/ec.pub" "$P/otherdg:v2"
# a signature layer of another media type, a missing annotation, a manifest that is not JSON
put_sig otherdg "$V2" "$(layer otherdg "$T/other.json" "" | jq -c '.mediaType = "text/plain" | del(.annotations)')"
expect_fail other-mediatype "mediaType text/plain is not a cosign signature" \
	verify --insecure-registry --key "$K/ec.pub" "$P/otherdg:v2"
# several signatures: one good one is enough, the others are reported
payload "$V2" "$P/otherdg" >"$T/good-otherdg.json"
put_sig otherdg "$V2" "$(layer otherdg "$T/nojson.txt" "$(sig_of ec "$K/ec.pem" "$T/nojson.txt")")" \
	"$(layer otherdg "$T/good-otherdg.json" "$(sig_of ec "$K/ec.pem" "$T/good-otherdg.json")")"
expect_verified two-layers --key "$K/ec.pub" "$P/otherdg:v2"
check "two-layers: the unusable one is reported" grep -q "not used .*the payload is not JSON" "$T/two-layers.out"
# the tag moved to another image: its signature does not follow it
reg_push "oci:$OCI:base" "$P/ec:v2"
expect_fail retagged "no signature: $P/ec:sha256-${BASE#sha256:}\\.sig not found" \
	verify --insecure-registry --key "$K/ec.pub" "$P/ec:v2"
# ... and a .sig copied onto the other image (same repository): digest mismatch
curl -sSf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://$P/v2/ec/manifests/sha256-${V2#sha256:}.sig" -o "$T/copied.json"
curl -sSf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$T/copied.json" \
	"http://$P/v2/ec/manifests/sha256-${BASE#sha256:}.sig" >/dev/null
expect_fail copied-sig "digest mismatch: the payload signs $V2, the image is $BASE" \
	verify --insecure-registry --key "$K/ec.pub" "$P/ec:v2"
check_eq "copied-sig: still verifies by its own digest" 0 \
	"$("$VIGIL" verify --insecure-registry -q --key "$K/ec.pub" "$P/ec@$V2" >/dev/null 2>&1; echo $?)"
# annotations and the repository named in the payload
reg_push "oci:$OCI:v2" "$P/ann:v2"
sign_crafted ann "$V2" ec "$K/ec.pem" "$P/elsewhere" '{"env":"prod"}'
expect_verified ann-ok --key "$K/ec.pub" -a env=prod "$P/ann:v2"
expect_fail ann-other 'annotation env is "prod", not "dev"' verify --insecure-registry --key "$K/ec.pub" -a env=dev "$P/ann:v2"
expect_fail match-ref "names the repository \"$P/elsewhere\", not $P/ann" \
	verify --insecure-registry --key "$K/ec.pub" --match-reference "$P/ann:v2"
# usage and bad keys
vrun usage-nokey verify "$P/ann:v2"
expect_rc usage-nokey 2
expect_fail missing-key "cannot open the key" verify --insecure-registry --key "$T/none.pub" "$P/ann:v2"
printf 'not a key\n' >"$T/junk.pub"
expect_fail junk-key "not a PEM public key" verify --insecure-registry --key "$T/junk.pub" "$P/ann:v2"
expect_fail local-image "not a registry image" verify --key "$K/ec.pub" "oci:$OCI:v2"
expect_fail no-tls "https|TLS|SSL|connect" verify --key "$K/ec.pub" "$P/ec@$V2"

# ---- scan --require-signature ----
vrun scan-unsigned scan --insecure-registry --allow-empty-db --db "$T/scan.db" -q --require-signature \
	--key "$K/ec.pub" --format json -o "$T/unsigned.json" "$P/app:base"
expect_rc scan-unsigned 1
check "scan-unsigned: says why" grep -q "no signature: $P/app:sha256-" "$T/scan-unsigned.err"
check "scan-unsigned: no report written" test ! -e "$T/unsigned.json"
vrun scan-signed scan --insecure-registry --allow-empty-db --db "$T/scan.db" --require-signature \
	--key "$K/rsa.pub" --format json -o "$T/signed.json" "$P/rsa:v2"
expect_rc scan-signed 0
check "scan-signed: says what it verified" grep -q "signature verified: $P/rsa@$V2" "$T/scan-signed.err"
check_eq "scan-signed: scanned the verified digest" "$V2" "$(jq -r .manifest_hash "$T/signed.json")"
check "scan-signed: found packages" test "$(jq '.packages | length' "$T/signed.json")" -gt 10
vrun scan-usage scan --require-signature "$P/rsa:v2"
expect_rc scan-usage 2

# ---- token auth: the signatures copied to a registry behind a token server ----
reg_start_token tok alice:secret
TP=127.0.0.1:$RPORT
reg_push "oci:$OCI:v2" "$TP/sec:v2" --dest-creds alice:secret
skopeo copy --src-tls-verify=false --dest-tls-verify=false --dest-creds alice:secret \
	"docker://$P/rsa:sha256-${V2#sha256:}.sig" "docker://$TP/sec:sha256-${V2#sha256:}.sig" >"$T/skopeo-sig.log" 2>&1 ||
	{ cat "$T/skopeo-sig.log"; echo "FAIL: copying the .sig"; exit 1; }
expect_verified token --key "$K/rsa.pub" --username alice --password secret "$TP/sec:v2"
expect_fail token-nocreds "401|unauthorized|credentials" verify --insecure-registry --key "$K/rsa.pub" "$TP/sec:v2"

# ---- the real cosign ----
if peer_tool cosign "${VIGIL_COSIGN_BUILD_SECONDS:-0}"; then
	COSIGN=$TOOL
	export COSIGN_PASSWORD=vigil-test
	cos() { "$COSIGN" "$@" >>"$T/cosign.log" 2>&1; }
	cos_verify() { "$COSIGN" verify --insecure-ignore-tlog=true --allow-insecure-registry "$@" >>"$T/cosign.log" 2>&1; }
	note "cosign: $("$COSIGN" version 2>/dev/null | awk '/GitVersion/ {print $2}')"
	mkdir -p "$T/cos" "$T/cos2"
	(cd "$T/cos" && cos generate-key-pair) && (cd "$T/cos2" && cos generate-key-pair) ||
		{ cat "$T/cosign.log"; echo "FAIL: cosign generate-key-pair"; exit 1; }
	reg_push "oci:$OCI:v2" "$P/cos:v2"
	check "cosign sign (offline, no tlog)" cos sign -y --key "$T/cos/cosign.key" --tlog-upload=false \
		--allow-insecure-registry -a env=prod "$P/cos@$V2"
	expect_verified cosign-ecdsa --key "$T/cos/cosign.pub" "$P/cos:v2"
	expect_verified cosign-annotation --key "$T/cos/cosign.pub" -a env=prod --match-reference "$P/cos:v2"
	check "cosign verify agrees" cos_verify --key "$T/cos/cosign.pub" "$P/cos:v2"
	expect_fail cosign-otherkey "bad signature" verify --insecure-registry --key "$T/cos2/cosign.pub" "$P/cos:v2"
	check "cosign verify agrees (other key)" bash -c "! \"$COSIGN\" verify --insecure-ignore-tlog=true --allow-insecure-registry --key $T/cos2/cosign.pub $P/cos:v2 >/dev/null 2>&1"
	# a multi-platform index: cosign signs the index's digest
	oci_multi_layout "$OCI" "$T/multi" "$V2" "$BASE"
	reg_push "oci:$T/multi:multi" "$P/cos:multi"
	check "cosign sign (index)" cos sign -y --key "$T/cos/cosign.key" --tlog-upload=false --allow-insecure-registry "$P/cos:multi"
	verify cosign-index --key "$T/cos/cosign.pub" "$P/cos:multi" --format json
	expect_rc cosign-index 0
	check_eq "cosign-index: the index digest is verified" "$MULTI" "$(jq -r .digest "$T/cosign-index.out")"
	vrun cosign-index-scan scan --insecure-registry --allow-empty-db --db "$T/scan.db" -q --require-signature \
		--key "$T/cos/cosign.pub" --format json -o "$T/multi.json" "$P/cos:multi"
	expect_rc cosign-index-scan 0
	check_eq "cosign-index-scan: the amd64 manifest of the verified index" "$V2" "$(jq -r .manifest_hash "$T/multi.json")"
	# keys cosign imports: RSA verifies; Ed25519 is signed Ed25519ph by this
	# cosign, which neither cosign verify nor vigil accepts (docs/audit.md (vigil verify))
	for kind in rsa ed; do
		(cd "$T/keys" && cos import-key-pair --key "$kind.pem" --output-key-prefix "imp-$kind")
		reg_push "oci:$OCI:v2" "$P/imp-$kind:v2"
		cos sign -y --key "$K/imp-$kind.key" --tlog-upload=false --allow-insecure-registry "$P/imp-$kind@$V2"
	done
	expect_verified cosign-rsa --key "$K/rsa.pub" "$P/imp-rsa:v2"
	expect_fail cosign-ed25519ph "bad signature" verify --insecure-registry --key "$K/ed.pub" "$P/imp-ed:v2"
	check "cosign verify refuses its own Ed25519ph too" bash -c "! \"$COSIGN\" verify --insecure-ignore-tlog=true --allow-insecure-registry --key $K/ed.pub $P/imp-ed:v2 >/dev/null 2>&1"
	# the openssl-made signatures are cosign's format: cosign verifies them
	for kind in rsa ed; do
		check "cosign verify accepts the openssl-made $kind signature" cos_verify --key "$K/$kind.pub" "$P/$kind:v2"
	done
	check "cosign verify refuses the non-JSON payload" bash -c "! \"$COSIGN\" verify --insecure-ignore-tlog=true --allow-insecure-registry --key $K/ec.pub $P/nojson:v2 >/dev/null 2>&1"
else
	note "the real cosign's part is left out (build it: scripts/tools.sh install cosign, minutes of Go)"
fi
it_done
