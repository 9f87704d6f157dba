#!/bin/bash
# tests/integration/test_layered.sh: how layers stack. Indexes the crafted
# images of scripts/make-images.sh (OCI layout cases/, each one layer on top
# of the demo's Debian base) and small root filesystems made here, and
# checks: a whiteout of the dpkg database (or of its folder) leaves no
# packages; an opaque folder hides what is below it; a rewritten status
# file gives the removed, upgraded and added packages, each introduced in
# the right layer; symlinks resolve inside the image (absolute targets from
# its root, ".." stopping at it), loops end with a warning, and a link to a
# path that exists only on the host never reads the host's file (a canary
# package "vigil-host-leak" is put on the host at the link targets).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/db.sh"

CASES=$IMAGES/cases
db=$(vigil_db cache)
mapfile -t L < <(oci_layers "$CASES" base)
BASE_LAYER=${L[0]}

canary_status() {
	printf 'Package: vigil-host-leak\nStatus: install ok installed\nVersion: 6.6.6\nArchitecture: all\n'
}
# The host side of the link targets baked into the cases (never removed:
# parallel runs share it; it is two tiny files).
mkdir -p /tmp/vigil-hostleak
canary_status >/tmp/vigil-hostleak/status
printf 'ID=hostleak\nVERSION_ID="6.6.6"\n' >/tmp/vigil-hostleak/os-release

# index TAG: vrun of oci:cases:TAG (json, shared cache) into $T/TAG.out
index() {
	vjson "$1" index "oci:$CASES:$1" --db "$db"
}
# the layer TAG adds on top of base
top_layer() { oci_layers "$CASES" "$1" | tail -n 1; }
no_leak() {
	check "$1: no host file read" bash -c "! grep -q 'vigil-host-leak\|hostleak' '$T/$1.out'"
}
# warned TAG WORDS: vigil's output (either stream) mentions WORDS
warned() {
	check "$1: warns about $2" grep -qF "$2" "$T/$1.out" "$T/$1.err"
}

# ---- the base alone ----
index base
inventory "$T/base.out" >"$T/inv-base"
check "base: a Debian minbase's packages ($(wc -l <"$T/inv-base"))" test "$(wc -l <"$T/inv-base")" -gt 80
check_eq "base: distribution" "debian 12 bookworm" "$(distro "$T/base.out")"

# ---- whiteouts ----
for tag in wh-status wh-dpkgdir; do
	index "$tag"
	check_eq "$tag: no packages" 0 "$(pkg_count "$T/$tag.out")"
	check_eq "$tag: distribution still there" "debian 12 bookworm" "$(distro "$T/$tag.out")"
done

# ---- opaque folder: only its own status counts ----
index opaque-dpkg
{
	grep -P '^(base-files|bash|dpkg)\t' "$T/inv-base"
	printf 'vigil-opaque\t2.0-1\tall\tvigil-opaque-src\t2.0\n'
} | LC_ALL=C sort >"$T/want-opaque"
inventory "$T/opaque-dpkg.out" >"$T/inv-opaque"
check_same "opaque-dpkg: only the opaque folder's packages" "$T/want-opaque" "$T/inv-opaque"
TOP=$(top_layer opaque-dpkg)
check_eq "opaque-dpkg: vigil-opaque introduced in layer 2" "$TOP" "$(introduced vigil-opaque "$T/opaque-dpkg.out")"
check_eq "opaque-dpkg: bash (same version as below) introduced in layer 1" "$BASE_LAYER" \
	"$(introduced bash "$T/opaque-dpkg.out")"

# ---- status rewritten in layer 2: one removed, one upgraded, one added ----
index pkg-changed
awk -F'\t' -v OFS='\t' '
	$1 == "hostname" { next }
	$1 == "dash" { if ($5 == $2) $5 = $2 "+vigil1"; $2 = $2 "+vigil1" }
	{ print }
	END { print "vigil-demo", "1.0-1", "all", "vigil-demo-src", "1.0-0" }' "$T/inv-base" |
	LC_ALL=C sort >"$T/want-changed"
inventory "$T/pkg-changed.out" >"$T/inv-changed"
check_same "pkg-changed: hostname gone (config-files), dash upgraded, vigil-demo added" \
	"$T/want-changed" "$T/inv-changed"
TOP=$(top_layer pkg-changed)
cut -f1 "$T/want-changed" | while read -r n; do
	case $n in dash | vigil-demo) printf '%s\t%s\n' "$n" "$TOP" ;; *) printf '%s\t%s\n' "$n" "$BASE_LAYER" ;; esac
done | LC_ALL=C sort >"$T/want-intro-changed"
introduced_all "$T/pkg-changed.out" >"$T/intro-changed"
check_same "pkg-changed: dash and vigil-demo from layer 2, the rest from layer 1" \
	"$T/want-intro-changed" "$T/intro-changed"

# ---- the demo's own layer 2 (apt-get install) ----
vjson demo-v1 index "oci:$IMAGES/oci:v1" --db "$db"
mapfile -t V1 < <(oci_layers "$IMAGES/oci" v1)
check_eq "demo v1: curl introduced in layer 2" "${V1[1]}" "$(introduced curl "$T/demo-v1.out")"
check_eq "demo v1: libxml2 introduced in layer 2" "${V1[1]}" "$(introduced libxml2 "$T/demo-v1.out")"
check_eq "demo v1: coreutils introduced in layer 1" "${V1[0]}" "$(introduced coreutils "$T/demo-v1.out")"

# ---- symlinks in layers: resolved inside the image ----
for tag in abs-link-missing abs-dirlink abs-link-passwd; do
	index "$tag"
	check_eq "$tag: no packages" 0 "$(pkg_count "$T/$tag.out")"
	no_leak "$tag"
	warned "$tag" "var/lib/dpkg/status"
done
for tag in abs-link-inside rel-link-escape; do
	index "$tag"
	no_leak "$tag"
	got=$(pkg_names "$T/$tag.out" | tr '\n' ' ')
	case $got in
	"vigil-inside ") pass "$tag: the link's target inside the image was read" ;;
	"") pass "$tag: target not read (vigil reads known paths only)"; warned "$tag" "var/lib/dpkg/status" ;;
	*) fail "$tag: packages '$got', want vigil-inside or none" ;;
	esac
done
for tag in link-loop link-self; do
	index "$tag"
	check_eq "$tag: no packages" 0 "$(pkg_count "$T/$tag.out")"
	warned "$tag" "var/lib/dpkg/status"
done
# a loop between two paths vigil reads: a warning, and no hang
index osrel-loop
warned osrel-loop "os-release"
inventory "$T/osrel-loop.out" >"$T/inv-osrel-loop"
check_same "osrel-loop: packages untouched" "$T/inv-base" "$T/inv-osrel-loop"
# an absolute link to another release file of the image (the host's is Debian's)
index osrel-abs-inside
check_eq "osrel-abs-inside: the image's usr/lib/os-release" "vigilinside 2 inside" \
	"$(distro "$T/osrel-abs-inside.out")"
index osrel-abs-link
no_leak osrel-abs-link
case $(distro "$T/osrel-abs-link.out") in
"vigilinside 1 " | "debian 12 bookworm") pass "osrel-abs-link: distribution from inside the image" ;;
*) fail "osrel-abs-link: distribution '$(distro "$T/osrel-abs-link.out")'" ;;
esac
inventory "$T/osrel-abs-link.out" >"$T/inv-osrel"
check_same "osrel-abs-link: packages untouched" "$T/inv-base" "$T/inv-osrel"

# ---- cached crafted layers give the same answers ----
vjson opaque-again index "oci:$CASES:opaque-dpkg" --db "$db"
inventory "$T/opaque-again.out" >"$T/inv-opaque-again"
check_same "opaque-dpkg from the cache: same packages" "$T/want-opaque" "$T/inv-opaque-again"
vrun changed-again index "oci:$CASES:pkg-changed" --db "$db"
check_eq "pkg-changed again: both layers cached" "layers: 2 (0 read, 2 from cache)" \
	"$(layers_line "$T/changed-again.out")"

# ---- root filesystems (dir:) with links pointing out ----
# Each has a real usr/lib/os-release; HOST is a folder of the host that also
# exists (with other contents) at the same path inside the root.
HOST=$T/host
mkdir -p "$HOST/lib" "$HOST/dpkg"
canary_status >"$HOST/status"
canary_status >"$HOST/lib/status"
canary_status >"$HOST/dpkg/status"
printf 'ID=hostleak\nVERSION_ID="6.6.6"\n' >"$HOST/os-release"
mkroot() { # NAME: a minimal root with os-release; prints its path
	local r=$T/roots/$1
	mkdir -p "$r/usr/lib" "$r/etc" "$r/var/lib/dpkg" "$r$HOST/lib"
	printf 'ID=vigilroot\nVERSION_ID="1"\nVERSION_CODENAME=inside\n' >"$r/usr/lib/os-release"
	ln -s ../usr/lib/os-release "$r/etc/os-release"
	printf 'Package: vigil-inside\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\n' >"$r$HOST/status"
	cp "$r$HOST/status" "$r$HOST/lib/status"
	echo "$r"
}
r=$(mkroot plain)
printf 'Package: vigil-rootfs\nStatus: install ok installed\nVersion: 3.0-1\nArchitecture: amd64\nSource: vigil-src (3.0-0)\n' \
	>"$r/var/lib/dpkg/status"
vjson dir-plain index "dir:$r"
check_eq "dir-plain: the status's one package" "$(printf 'vigil-rootfs\t3.0-1\tamd64\tvigil-src\t3.0-0')" \
	"$(inventory "$T/dir-plain.out")"
check_eq "dir-plain: os-release through a relative link" "vigilroot 1 inside" "$(distro "$T/dir-plain.out")"

dir_case() { # NAME: index the root and check no host file was read
	vjson "dir-$1" index "dir:$T/roots/$1"
	no_leak "dir-$1"
	local got
	got=$(pkg_names "$T/dir-$1.out" | tr '\n' ' ')
	case $got in
	"" | "vigil-inside ") pass "dir-$1: packages '$got' (none or the root's own)" ;;
	*) fail "dir-$1: packages '$got'" ;;
	esac
}
r=$(mkroot abs-file) && ln -s "$HOST/status" "$r/var/lib/dpkg/status" && dir_case abs-file
r=$(mkroot rel-escape) && ln -s "../../../../../../../../../../../..$HOST/status" "$r/var/lib/dpkg/status" &&
	dir_case rel-escape
r=$(mkroot abs-dir) && rm -rf "$r/var/lib/dpkg" && ln -s "$HOST" "$r/var/lib/dpkg" && dir_case abs-dir
r=$(mkroot abs-parent) && rm -rf "$r/var/lib" && ln -s "$HOST/lib/.." "$r/var/lib" &&
	mkdir -p "$r$HOST/dpkg" && dir_case abs-parent
r=$(mkroot rel-dir) && rm -rf "$r/var/lib/dpkg" && ln -s "../../../../../../../../../../..$HOST" "$r/var/lib/dpkg" &&
	dir_case rel-dir
r=$(mkroot loop) && ln -s status "$r/var/lib/dpkg/loop" && ln -s loop "$r/var/lib/dpkg/status" && dir_case loop
r=$(mkroot self) && ln -s /var/lib/dpkg/status "$r/var/lib/dpkg/status" && dir_case self
r=$(mkroot osrel-loop) && rm "$r/usr/lib/os-release" && ln -s ../../etc/os-release "$r/usr/lib/os-release" &&
	dir_case osrel-loop
r=$(mkroot osrel-abs-inside) && rm "$r/etc/os-release" && ln -s /usr/lib/os-release "$r/etc/os-release" &&
	dir_case osrel-abs-inside
check_eq "dir-osrel-abs-inside: the root's usr/lib/os-release, not the host's" "vigilroot 1 inside" \
	"$(distro "$T/dir-osrel-abs-inside.out")"
r=$(mkroot osrel) && rm "$r/etc/os-release" && ln -s "$HOST/os-release" "$r/etc/os-release" && dir_case osrel
case $(distro "$T/dir-osrel.out") in
"vigilroot 1 inside" | "") pass "dir-osrel: distribution not the host's" ;;
*) fail "dir-osrel: distribution '$(distro "$T/dir-osrel.out")'" ;;
esac

it_done
