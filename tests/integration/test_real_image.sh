#!/bin/bash
# tests/integration/test_real_image.sh: indexes the real 3-layer Debian
# bookworm demo image (scripts/make-images.sh) in its four forms (a
# docker-archive, an OCI layout with gzip layers, one with zstd layers, and
# the unpacked root filesystem) and checks that vigil finds the same
# packages in all four, exactly those dpkg-query lists as installed in the
# root filesystem, the distribution Debian 12 bookworm (through the
# etc/os-release -> ../usr/lib/os-release link), the layer that introduced
# each package, and that the layer cache (--db) serves a second index and
# the layers an image shares with another.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"

OCI=$IMAGES/oci
declare -A REFS=(
	[docker-archive]="docker-archive:$IMAGES/demo-v2.docker.tar"
	[oci-gzip]="oci:$OCI:v2"
	[oci-zstd]="oci:$IMAGES/oci-zstd:v2"
	[dir]="dir:$IMAGES/rootfs-v2"
)

# ---- what dpkg itself says is installed in the root filesystem ----
dpkg-query --admindir="$IMAGES/rootfs-v2/var/lib/dpkg" -W \
	-f='${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' |
	awk -F'\t' 'substr($1, 2, 1) == "i"' | cut -f2- | LC_ALL=C sort >"$T/want.tsv"
n_want=$(wc -l <"$T/want.tsv")
check "dpkg-query lists the demo's packages ($n_want)" test "$n_want" -gt 100

# ---- the four forms give the same inventory, dpkg-query's ----
for kind in docker-archive oci-gzip oci-zstd dir; do
	vjson "json-$kind" index "${REFS[$kind]}" --db "$(vigil_db "$kind")"
	inventory "$T/json-$kind.out" >"$T/inv-$kind.tsv"
	check_same "$kind: packages = dpkg-query's installed packages" "$T/want.tsv" "$T/inv-$kind.tsv"
	check_eq "$kind: distribution" "debian 12 bookworm" "$(distro "$T/json-$kind.out")"
	check_eq "$kind: curl" "curl" "$(grep -P '^curl\t' "$T/inv-$kind.tsv" | cut -f1)"
done

# ---- introduced_in: base packages from layer 1, the apt-get ones from layer 2 ----
mapfile -t L < <(oci_layers "$OCI" v2)
mapfile -t DIFF < <(oci_diff_ids "$OCI" v2)
check_eq "the demo has 3 layers" 3 "${#L[@]}"
vjson json-base index "oci:$OCI:base" --db "$(vigil_db base)"
pkg_names "$T/json-base.out" >"$T/base-names"
for p in dpkg bash base-files; do
	check "the base layer holds $p" grep -qx "$p" "$T/base-names"
done
check "the base layer has no curl" bash -c "! grep -qx curl '$T/base-names'"

# want_introduced FIRST SECOND: NAME<TAB>FIRST for base packages, SECOND for the others.
want_introduced() {
	cut -f1 "$T/want.tsv" | while read -r name; do
		if grep -qxF "$name" "$T/base-names"; then
			printf '%s\t%s\n' "$name" "$1"
		else
			printf '%s\t%s\n' "$name" "$2"
		fi
	done | LC_ALL=C sort
}
want_introduced "${L[0]}" "${L[1]}" >"$T/want-intro-oci"
introduced_all "$T/json-oci-gzip.out" >"$T/intro-oci"
check_same "oci: introduced_in = layer 1 (base) or layer 2 (apt-get)" "$T/want-intro-oci" "$T/intro-oci"
for p in curl libcurl4 libxml2 ca-certificates; do
	check_eq "oci: $p introduced in layer 2" "${L[1]}" "$(introduced "$p" "$T/json-oci-gzip.out")"
done
for p in base-files bash dpkg libc6; do
	check_eq "oci: $p introduced in layer 1" "${L[0]}" "$(introduced "$p" "$T/json-oci-gzip.out")"
done
# a docker-archive's layers are named by their diff_ids (skopeo writes them uncompressed)
want_introduced "${DIFF[0]}" "${DIFF[1]}" >"$T/want-intro-da"
introduced_all "$T/json-docker-archive.out" >"$T/intro-da"
check_same "docker-archive: introduced_in = diff_id of layer 1 or 2" "$T/want-intro-da" "$T/intro-da"
mapfile -t Z < <(oci_layers "$IMAGES/oci-zstd" v2)
want_introduced "${Z[0]}" "${Z[1]}" >"$T/want-intro-zstd"
introduced_all "$T/json-oci-zstd.out" >"$T/intro-zstd"
check_same "oci-zstd: introduced_in = zstd layer 1 or 2" "$T/want-intro-zstd" "$T/intro-zstd"

# ---- the layer cache ----
db=$(vigil_db cache)
vrun cold index "oci:$OCI:v2" --db "$db"
expect_rc cold 0
check_eq "first index reads every layer" "layers: 3 (3 read, 0 from cache)" "$(layers_line "$T/cold.out")"
vrun warm index "oci:$OCI:v2" --db "$db"
expect_rc warm 0
check_eq "second index takes every layer from the cache" "layers: 3 (0 read, 3 from cache)" \
	"$(layers_line "$T/warm.out")"
vjson warm-json index "oci:$OCI:v2" --db "$db"
inventory "$T/warm-json.out" >"$T/inv-warm.tsv"
check_same "cached index: same packages" "$T/want.tsv" "$T/inv-warm.tsv"
introduced_all "$T/warm-json.out" >"$T/intro-warm"
check_same "cached index: same introduced_in" "$T/want-intro-oci" "$T/intro-warm"
check_eq "cached index: distribution" "debian 12 bookworm" "$(distro "$T/warm-json.out")"
vrun v1-after-v2 index "oci:$OCI:v1" --db "$db"
expect_rc v1-after-v2 0
check_eq "v1 after v2: base and layer 2 from the cache" "layers: 2 (0 read, 2 from cache)" \
	"$(layers_line "$T/v1-after-v2.out")"

db2=$(vigil_db cache2)
vrun v1-first index "oci:$OCI:v1" --db "$db2"
expect_rc v1-first 0
check_eq "v1 alone: 2 layers read" "layers: 2 (2 read, 0 from cache)" "$(layers_line "$T/v1-first.out")"
vjson v2-after-v1 index "oci:$OCI:v2" --db "$db2"
inventory "$T/v2-after-v1.out" >"$T/inv-v2-after-v1.tsv"
check_same "v2 with two cached layers: same packages" "$T/want.tsv" "$T/inv-v2-after-v1.tsv"
vrun v2-after-v1-table index "oci:$OCI:v2" --db "$db2"
check_eq "v2 after v1 (and after v2): every layer cached" "layers: 3 (0 read, 3 from cache)" \
	"$(layers_line "$T/v2-after-v1-table.out")"

db3=$(vigil_db cache3)
vrun v1-only index "oci:$OCI:v1" --db "$db3"
vrun v2-third-layer index "oci:$OCI:v2" --db "$db3"
expect_rc v2-third-layer 0
check_eq "v2 after v1: only layer 3 read" "layers: 3 (1 read, 2 from cache)" \
	"$(layers_line "$T/v2-third-layer.out")"

it_done
