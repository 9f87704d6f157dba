# tests/integration/lib/common.sh: what the integration tests share (sourced
# by tests/integration/test_*.sh, never run itself). It finds the vigil
# binary ($VIGIL) and the real images (built once by scripts/make-images.sh
# into ${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}), skips with exit 77 and a
# reason when either cannot be had, runs vigil with its output captured and
# checked for crashes and sanitizer reports, and reads vigil's JSON index
# report (Clair v4 IndexReport) with jq. Checks are counted: a test goes on
# after a failed check and exits 1 at the end (it_done) if any failed.
# shellcheck shell=bash

IT_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
IT_PASS=0
IT_FAIL=0
IT_T=

skip() { echo "SKIP: $IT_NAME: $*"; exit 77; }
note() { echo "  $*"; }

pass() { IT_PASS=$((IT_PASS + 1)); echo "ok: $*"; }
fail() { IT_FAIL=$((IT_FAIL + 1)); echo "FAIL: $*"; }

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# check_eq DESCRIPTION WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: want '$2', got '$3'"
	fi
}

# check_same DESCRIPTION WANT_FILE GOT_FILE: files equal, else a short diff.
check_same() {
	if cmp -s "$2" "$3"; then
		pass "$1 ($(wc -l <"$2") lines)"
	else
		fail "$1: $2 and $3 differ:"
		diff -u "$2" "$3" | head -n 30
	fi
}

it_done() {
	echo "$IT_NAME: $IT_PASS checks passed, $IT_FAIL failed"
	[ "$IT_FAIL" = 0 ] || exit 1
	exit 0
}

it_cleanup() {
	if [ -n "$IT_T" ] && [ -z "${VIGIL_IT_KEEP:-}" ]; then rm -rf "$IT_T"; fi
}

# it_init: checks the tools, the binary and the images; sets T (a scratch
# folder removed at exit unless VIGIL_IT_KEEP is set), IMAGES, SRC.
it_init() {
	set -uo pipefail
	SRC=${VIGIL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
	[ -n "${VIGIL:-}" ] || skip "VIGIL (path of the vigil binary) is not set: run through ctest"
	[ -x "$VIGIL" ] || skip "$VIGIL is not an executable"
	"$VIGIL" index --help >/dev/null 2>&1 || skip "$VIGIL has no working 'index' subcommand"
	if ! command -v jq >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null 2>&1 || skip "jq is missing"
	fi
	IMAGES=${VIGIL_IMAGE_CACHE:-/var/tmp/vigil-images}
	local rc=0
	"$SRC/scripts/make-images.sh" "$IMAGES" || rc=$?
	[ "$rc" = 77 ] && skip "the demo images cannot be built here (see above)"
	[ "$rc" = 0 ] || { echo "FAIL: scripts/make-images.sh failed ($rc)"; exit 1; }
	IT_T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-$IT_NAME.XXXXXX")
	T=$IT_T
	trap it_cleanup EXIT
	# vigil must never use the user's default store from a test
	export VIGIL_DB=$T/default-store.db
}

# vrun NAME ARGS...: runs vigil; stdout in $T/NAME.out, stderr in
# $T/NAME.err, exit code in VRC. A crash (exit >= 128, a timeout) or a
# sanitizer report is a failed check.
vrun() {
	local name=$1
	shift
	VRC=0
	timeout 600 "$VIGIL" "$@" >"$T/$name.out" 2>"$T/$name.err" || VRC=$?
	if [ "$VRC" -ge 124 ]; then
		fail "$name: vigil $* exited $VRC (crash or timeout)"
		tail -n 20 "$T/$name.err"
	fi
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$T/$name.err"; then
		fail "$name: sanitizer report"
		head -n 40 "$T/$name.err"
	fi
	return 0
}

# expect_rc NAME WANT: VRC of the last vrun is WANT (stderr shown if not).
expect_rc() {
	if [ "$VRC" = "$2" ]; then
		pass "$1: exit $2"
	else
		fail "$1: exit $VRC, want $2"
		head -n 20 "$T/$1.err"
	fi
}

# vjson NAME ARGS...: vrun of an index that must succeed with a JSON
# IndexReport (success, state IndexFinished, a packages object).
vjson() {
	local name=$1
	shift
	vrun "$name" "$@" --format json
	expect_rc "$name" 0
	if jq -e '.success == true and .state == "IndexFinished" and (.packages | type) == "object"' \
		"$T/$name.out" >/dev/null 2>&1; then
		pass "$name: a finished IndexReport"
	else
		fail "$name: stdout is not a finished IndexReport"
		head -c 300 "$T/$name.out"
	fi
}

# ---- vigil's JSON index report (Clair v4 IndexReport) ----
# Each package as one TSV line: name, version, arch, source name, source
# version (the source defaults to the binary, as dpkg-query's source:* do).
inventory() {
	jq -r '.packages // {} | to_entries[] | .value
		| [.name, .version, .arch,
		   (if ((.source.name // "") == "") then .name else .source.name end),
		   (if ((.source.version // "") == "") then .version else .source.version end)]
		| @tsv' "$1" | LC_ALL=C sort
}

# Package names only, sorted.
pkg_names() { jq -r '.packages // {} | .[] | .name' "$1" | LC_ALL=C sort; }
pkg_count() { jq '.packages // {} | length' "$1"; }

# "did version_id version_code_name" of the (first) distribution, "" when none.
distro() {
	jq -r '.distributions // {} | [.[]][0] // empty
		| "\(.did // "") \(.version_id // "") \(.version_code_name // "")"' "$1"
}

# introduced NAME FILE: the introduced_in of package NAME ("" if absent).
introduced() {
	jq -r --arg n "$1" '. as $r | (.packages // {}) | to_entries[]
		| select(.value.name == $n) | $r.environments[.key][0].introduced_in' "$2" | head -n 1
}

# NAME<TAB>introduced_in for every package, sorted.
introduced_all() {
	jq -r '. as $r | (.packages // {}) | to_entries[]
		| [.value.name, ($r.environments[.key][0].introduced_in // "")] | @tsv' "$1" |
		LC_ALL=C sort
}

# layers_line FILE: the "layers: N (R read, C from cache)" line of table output.
layers_line() { grep -oE 'layers: [0-9]+ \([0-9]+ read, [0-9]+ from cache\)' "$1" | head -n 1; }

# ---- OCI layouts ----
blob() { echo "$1/blobs/${2%%:*}/${2#*:}"; }

# oci_manifest LAYOUT TAG: the manifest digest of a tag.
oci_manifest() {
	jq -r --arg t "$2" '.manifests[]
		| select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$1/index.json"
}

# oci_layers LAYOUT TAG: its layer digests, base first.
oci_layers() { jq -r '.layers[].digest' "$(blob "$1" "$(oci_manifest "$1" "$2")")"; }

# oci_diff_ids LAYOUT TAG: its config's diff_ids, base first.
oci_diff_ids() {
	local cfg
	cfg=$(jq -r '.config.digest' "$(blob "$1" "$(oci_manifest "$1" "$2")")")
	jq -r '.rootfs.diff_ids[]' "$(blob "$1" "$cfg")"
}

# layout_copy SRC DST: a copy whose blobs are hard links (cheap). Files of
# the copy must be replaced, never written in place: use detach first.
layout_copy() { cp -al "$1" "$2" && detach "$2/index.json"; }

# detach FILE: makes FILE its own inode, so that changing it leaves the
# cache alone.
detach() { cp "$1" "$1.detach" && mv -f "$1.detach" "$1"; }

# oci_put_manifest LAYOUT TAG FILE: stores FILE as a blob and points TAG at it.
oci_put_manifest() {
	local d s
	d="sha256:$(sha256sum "$3" | cut -d' ' -f1)"
	s=$(stat -c %s "$3")
	cp "$3" "$(blob "$1" "$d")"
	jq --arg t "$2" --arg d "$d" --argjson s "$s" '.manifests |= map(
		if .annotations["org.opencontainers.image.ref.name"] == $t
		then .digest = $d | .size = $s else . end)' "$1/index.json" >"$1/index.json.new" &&
		mv -f "$1/index.json.new" "$1/index.json"
}

# has NAME TEXT...: stderr of run NAME holds every TEXT.
has() {
	local name=$1 w
	shift
	for w in "$@"; do
		if grep -qF -- "$w" "$T/$name.err"; then
			pass "$name: stderr names '$w'"
		else
			fail "$name: stderr does not name '$w'"
			head -n 5 "$T/$name.err"
		fi
	done
}

# oci_multi_layout SRC DST AMD64 ARM64: DST, a copy of the OCI layout SRC
# with an image index tagged "multi" over two of its manifests (AMD64 for
# linux/amd64, ARM64 for linux/arm64/v8); sets MULTI (the index's digest).
oci_multi_layout() {
	local src=$1 dst=$2 amd=$3 arm=$4
	layout_copy "$src" "$dst"
	cat >"$dst.index.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$amd","size":$(stat -c %s "$(blob "$src" "$amd")"),"platform":{"architecture":"amd64","os":"linux"}},
 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$arm","size":$(stat -c %s "$(blob "$src" "$arm")"),"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
EOF
	MULTI="sha256:$(sha256sum "$dst.index.json" | cut -d' ' -f1)"
	cp "$dst.index.json" "$(blob "$dst" "$MULTI")"
	jq --arg d "$MULTI" --argjson s "$(stat -c %s "$dst.index.json")" '.manifests += [{
		"mediaType": "application/vnd.oci.image.index.v1+json", "digest": $d, "size": $s,
		"annotations": {"org.opencontainers.image.ref.name": "multi"}}]' "$dst/index.json" >"$dst/index.json.new" &&
		mv -f "$dst/index.json.new" "$dst/index.json"
}
