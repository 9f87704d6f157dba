#!/bin/bash
# tests/integration/test_bad_images.sh: broken and hostile images. Copies of
# the demo's OCI layouts with a layer blob truncated or with one byte
# flipped, a manifest naming a missing, malformed or wrongly sized layer,
# index.json garbage, a truncated docker-archive, and the crafted hostile
# layers of scripts/make-images.sh (tar entries climbing out with ../, an
# os-release and a dpkg status of binary garbage). For each, vigil must exit
# 1 with a message naming the layer digest and/or the file, never crash
# (exit >= 128, sanitizer report), and cache nothing for the broken layer:
# a second run with the same --db fails again.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"

OCI=$IMAGES/oci
CASES=$IMAGES/cases
mapfile -t L < <(oci_layers "$OCI" v2)

# bad NAME REF WORDS...: vigil index REF fails (exit 1) naming one of WORDS,
# twice with the same --db (nothing cached for what failed).
bad() {
	local name=$1 ref=$2 w named run
	shift 2
	for run in 1 2; do
		vrun "$name-$run" index "$ref" --db "$(vigil_db "$name")"
		expect_rc "$name-$run" 1
		named=
		for w in "$@"; do
			if grep -qF -- "$w" "$T/$name-$run.err"; then named=$w; break; fi
		done
		if [ -n "$named" ]; then
			pass "$name (run $run): the message names $named"
		else
			fail "$name (run $run): the message names none of: $*"
			head -n 5 "$T/$name-$run.err"
		fi
	done
	echo "  $name: $(head -n 1 "$T/$name-1.err")"
}
short() { echo "${1#sha256:}" | cut -c1-12; } # the first 12 hex digits

# flip FILE OFFSET: xor one byte with 0xff
flip() {
	python3 -c 'import sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); b = f.read(1)
f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0xff]))' "$1" "$2"
}
half() { truncate -s $(($(stat -c %s "$1") / 2)) "$1"; }

# (a) a gzip layer blob truncated
c=$T/a && layout_copy "$OCI" "$c" && f=$(blob "$c" "${L[1]}") && detach "$f" && half "$f"
bad gzip-truncated "oci:$c:v2" "$(short "${L[1]}")"

# ... and with the descriptor's size cut to match: the decompressor meets the end
c=$T/a2 && layout_copy "$OCI" "$c" && f=$(blob "$c" "${L[1]}") && detach "$f" && half "$f" &&
	jq --argjson s "$(stat -c %s "$f")" '.layers[1].size = $s' "$(blob "$OCI" "$(oci_manifest "$OCI" v2)")" \
		>"$T/a2.json" && oci_put_manifest "$c" v2 "$T/a2.json"
bad gzip-truncated-sized "oci:$c:v2" "$(short "${L[1]}")"

# (b) one byte flipped in the middle of a gzip layer blob (inflate, CRC or digest)
c=$T/b && layout_copy "$OCI" "$c" && f=$(blob "$c" "${L[1]}") && detach "$f" &&
	flip "$f" $(($(stat -c %s "$f") / 2))
bad gzip-flipped "oci:$c:v2" "$(short "${L[1]}")"
# the same near the end: the gzip trailer (CRC32)
c=$T/b2 && layout_copy "$OCI" "$c" && f=$(blob "$c" "${L[1]}") && detach "$f" &&
	flip "$f" $(($(stat -c %s "$f") - 6))
bad gzip-crc "oci:$c:v2" "$(short "${L[1]}")"

# (c) a zstd layer blob truncated
mapfile -t Z < <(oci_layers "$IMAGES/oci-zstd" v2)
c=$T/c && layout_copy "$IMAGES/oci-zstd" "$c" && f=$(blob "$c" "${Z[0]}") && detach "$f" && half "$f"
bad zstd-truncated "oci:$c:v2" "$(short "${Z[0]}")"
c=$T/c1 && layout_copy "$IMAGES/oci-zstd" "$c" && f=$(blob "$c" "${Z[0]}") && detach "$f" && half "$f" &&
	jq --argjson s "$(stat -c %s "$f")" '.layers[0].size = $s' \
		"$(blob "$IMAGES/oci-zstd" "$(oci_manifest "$IMAGES/oci-zstd" v2)")" >"$T/c1.json" &&
	oci_put_manifest "$c" v2 "$T/c1.json"
bad zstd-truncated-sized "oci:$c:v2" "$(short "${Z[0]}")"
c=$T/c2 && layout_copy "$IMAGES/oci-zstd" "$c" && f=$(blob "$c" "${Z[1]}") && detach "$f" &&
	flip "$f" $(($(stat -c %s "$f") / 2))
bad zstd-flipped "oci:$c:v2" "$(short "${Z[1]}")"

# (d) the manifest names a layer that is not there, a malformed digest, a wrong size
man=$(blob "$OCI" "$(oci_manifest "$OCI" v2)")
missing=sha256:$(printf 'no such layer' | sha256sum | cut -d' ' -f1)
c=$T/d1 && layout_copy "$OCI" "$c" &&
	jq --arg d "$missing" '.layers[1].digest = $d' "$man" >"$T/d1.json" &&
	oci_put_manifest "$c" v2 "$T/d1.json"
bad manifest-missing-layer "oci:$c:v2" "$(short "$missing")"
c=$T/d2 && layout_copy "$OCI" "$c" &&
	jq '.layers[1].digest = "sha256:../../../../../../etc/passwd"' "$man" >"$T/d2.json" &&
	oci_put_manifest "$c" v2 "$T/d2.json"
bad manifest-bad-digest "oci:$c:v2" "digest" "../../../../../../etc/passwd"
c=$T/d3 && layout_copy "$OCI" "$c" &&
	jq '.layers[1].size += 1000' "$man" >"$T/d3.json" && oci_put_manifest "$c" v2 "$T/d3.json"
bad manifest-wrong-size "oci:$c:v2" "$(short "${L[1]}")"
# a manifest blob that does not match the digest index.json gives for it
c=$T/d4 && layout_copy "$OCI" "$c" && f=$(blob "$c" "$(oci_manifest "$c" v2)") && detach "$f" &&
	sed -i 's/"size":/"size" :/' "$f"
bad manifest-digest-mismatch "oci:$c:v2" "$(short "$(oci_manifest "$c" v2)")"

# (e) index.json garbage, and cut short
c=$T/e1 && layout_copy "$OCI" "$c" && head -c 4096 /dev/urandom >"$c/index.json.new" &&
	mv -f "$c/index.json.new" "$c/index.json"
bad index-garbage "oci:$c:v2" "index.json"
c=$T/e2 && layout_copy "$OCI" "$c" && head -c 100 "$OCI/index.json" >"$c/index.json.new" &&
	mv -f "$c/index.json.new" "$c/index.json"
bad index-truncated "oci:$c:v2" "index.json"

# a docker-archive cut in the middle of its layers
head -c $(($(stat -c %s "$IMAGES/demo-v2.docker.tar") * 6 / 10)) "$IMAGES/demo-v2.docker.tar" >"$T/cut.docker.tar"
bad docker-archive-truncated "docker-archive:$T/cut.docker.tar" "cut.docker.tar" "layer" "manifest.json"

# (f) tar entries whose names climb out with ../
rm -rf /tmp/vigil-escape
top=$(oci_layers "$CASES" bad-dotdot | tail -n 1)
bad tar-dotdot "oci:$CASES:bad-dotdot" "$(short "$top")" "../"
check "tar-dotdot: nothing written outside" test ! -e /tmp/vigil-escape

# (g) an os-release of binary garbage; (h) a dpkg status of binary garbage
top=$(oci_layers "$CASES" bad-osrelease | tail -n 1)
bad osrelease-garbage "oci:$CASES:bad-osrelease" "etc/os-release"
check "osrelease-garbage: the message names the layer" grep -qF "$(short "$top")" "$T/osrelease-garbage-1.err"
top=$(oci_layers "$CASES" bad-status | tail -n 1)
bad status-garbage "oci:$CASES:bad-status" "var/lib/dpkg/status"
check "status-garbage: the message names the layer" grep -qF "$(short "$top")" "$T/status-garbage-1.err"

# the good image still indexes with a store that saw all of the above
vjson good-after index "oci:$OCI:v2" --db "$(vigil_db gzip-truncated)"
check "good image after the bad ones: packages found" test "$(pkg_count "$T/good-after.out")" -gt 100

it_done
