#!/usr/bin/env bash
# tests/integration/test_pkgdb.sh: `vigil index dir:` over the real package
# databases of ../shared/testdata/pkgdb, end to end through the CLI and the
# JSON report, against the expected lists in pkgdb/expected/ (and against
# dpkg-query itself for the Ubuntu 18.04 status file, which has no list).
# rpm databases are put in a throwaway root filesystem under /tmp at the
# paths rpm uses, some through a symlinked folder as Fedora lays them out.
set -euo pipefail
VIGIL=${VIGIL:?VIGIL must name the vigil binary}
DATA=${VIGIL_TESTDATA:-$(dirname "$0")/../../../shared/testdata}
if [ ! -d "$DATA/pkgdb" ]; then echo "SKIP: shared test data not found at $DATA"; exit 77; fi
command -v jq >/dev/null || { echo "SKIP: jq is not installed (make test installs it)"; exit 77; }
P=$DATA/pkgdb
T=$(mktemp -d /tmp/vigil-pkgdb.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
check() { # name, got file, want file
	if ! diff -u "$3" "$2" > "$T/diff"; then echo "FAIL: $1"; head -40 "$T/diff"; fail=1; else echo "ok: $1 ($(wc -l < "$2") packages)"; fi
}
index() { "$VIGIL" index "dir:$1" --format json --no-cache -q; }
# name version arch source_name source_version, report order
fields='.packages | to_entries | sort_by(.key|tonumber) | .[].value | [.name, .version, .arch, (.source.name // ""), (.source.version // "")] | @tsv'

# dpkg: expected lists (name version arch source_name source_version)
for d in claircore_postgresql:dpkg_claircore_postgresql_status syft_distroless-deb:dpkg_syft_distroless-deb syft_image-pkg-coverage:dpkg_syft_image-pkg-coverage; do
	dir=${d%%:*}; exp=${d##*:}
	index "$P/dpkg/$dir" | jq -r "$fields" | sort > "$T/got"
	grep -v '^#' "$P/expected/$exp.tsv" | tail -n +2 | cut -f1-5 | sort > "$T/want"
	check "dpkg $dir" "$T/got" "$T/want"
done

# dpkg: Ubuntu 18.04, against dpkg-query over the same file
u=$P/dpkg/trivy_ubuntu1804/var/lib/dpkg
mkdir -p "$T/admin/info" && cp "$u/status" "$T/admin/status" && : > "$T/admin/available"
dpkg-query --admindir="$T/admin" -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' \
	| awk -F'\t' '$1 ~ /^[hi][iUFWt]/ {print $2"\t"$3"\t"$4"\t"$5"\t"$6}' | sort > "$T/want"
index "$P/dpkg/trivy_ubuntu1804" | jq -r "$fields" | sort > "$T/got"
check "dpkg trivy_ubuntu1804 vs dpkg-query" "$T/got" "$T/want"
[ "$(wc -l < "$T/got")" = 90 ] || { echo "FAIL: ubuntu 18.04 must give 90 installed packages"; fail=1; }

# apk
index "$P/apk/syft_multiple-2" | jq -r '.packages | to_entries | sort_by(.key|tonumber) | .[].value | [.name, .version, .arch, .source.name] | @tsv' | sort > "$T/got"
grep -v '^#' "$P/expected/apk_syft_multiple-2.tsv" | tail -n +2 | sort > "$T/want"
check "apk syft_multiple-2" "$T/got" "$T/want"
n=$(index "$P/apk/trivy_alpine" 2> "$T/err" | jq '.packages | length')
[ "$n" = 15 ] && grep -q warning "$T/err" && echo "ok: apk trivy_alpine (15 packages, a warning for the entry without a version)" \
	|| { echo "FAIL: apk trivy_alpine gave $n packages"; cat "$T/err"; fail=1; }
if index "$P/apk/syft_corrupt" > /dev/null 2> "$T/err"; then echo "FAIL: apk syft_corrupt must be an error"; fail=1
else grep -q 'lib/apk/db/installed' "$T/err" && echo "ok: apk syft_corrupt is an error naming the file" || { echo "FAIL: error does not name the file"; cat "$T/err"; fail=1; }; fi

# rpm: each database at a path rpm uses
rpmroot() { # name, db file, path in the image
	mkdir -p "$T/$1/$(dirname "$3")"; cp "$2" "$T/$1/$3"
}
rpmroot sle "$P/rpm/go-rpmdb_sle15-bci_ndb/Packages.db" usr/lib/sysimage/rpm/Packages.db
mkdir -p "$T/sle/var/lib" && ln -s ../../usr/lib/sysimage/rpm "$T/sle/var/lib/rpm"
index "$T/sle" | jq -r '.packages[] | .name + "\t" + .version + "\t" + .arch + "\t" + .source.name' | sort > "$T/got"
grep -v '^#' "$P/expected/rpm_go-rpmdb_sle15-bci_ndb.tsv" | tail -n +2 | awk -F'\t' '{v=$2"-"$3; if($4!="") v=$4":"v; s=$6; sub(/-[^-]*-[^-]*\.src\.rpm$/,"",s); print $1"\t"v"\t"$5"\t"s}' | sort > "$T/want"
check "rpm sle15 NDB (through var/lib/rpm -> usr/lib/sysimage/rpm)" "$T/got" "$T/want"
for c in go-rpmdb_libuuid_bdb/Packages:var/lib/rpm/Packages:rpm_go-rpmdb_libuuid_bdb \
         go-rpmdb_cbl-mariner-2.0_sqlite/rpmdb.sqlite:var/lib/rpm/rpmdb.sqlite:rpm_go-rpmdb_cbl-mariner-2.0_sqlite; do
	IFS=: read -r src dst exp <<< "$c"
	rpmroot "$exp" "$P/rpm/$src" "$dst"
	index "$T/$exp" | jq -r '.packages[] | .name + "\t" + .version + "\t" + .arch' | sort > "$T/got"
	grep -v '^#' "$P/expected/$exp.tsv" | tail -n +2 | awk -F'\t' '{v=$2"-"$3; if($4!="") v=$4":"v; print $1"\t"v"\t"$5}' > "$T/want"
	if grep -qxFf "$T/want" "$T/got"; then echo "ok: $exp ($(wc -l < "$T/got") packages, expected ones present)"; else echo "FAIL: $exp"; cat "$T/want"; fail=1; fi
done
rpmroot al2023 "$P/rpm/go-rpmdb_amazonlinux2023_sqlite/rpmdb.sqlite" var/lib/rpm/rpmdb.sqlite
n=$(index "$T/al2023" | jq '.packages | length')
[ "$n" = 103 ] && echo "ok: amazon linux 2023 sqlite (103 packages)" || { echo "FAIL: amazon linux 2023 gave $n packages, want 103"; fail=1; }
rpmroot none "$P/rpm/claircore_no_packages_sqlite/no_packages.sqlite" var/lib/rpm/rpmdb.sqlite
n=$(index "$T/none" 2>/dev/null | jq '.packages | length') || n=error
echo "ok: sqlite without a Packages table gives '$n' packages"

# os-release: the distribution of a root filesystem holding each file
grep -v '^#' "$P/expected/os-release.tsv" | tail -n +2 > "$T/os.tsv"
while IFS= read -r line; do
	file=$(cut -f1 <<< "$line")
	want=$(cut -f2,3,4,6 <<< "$line") # ID VERSION_ID VERSION_CODENAME PRETTY_NAME (ID_LIKE is not in Clair's shape)
	r=$T/os/$file; mkdir -p "$r/etc"; cp "$P/os-release/$file" "$r/etc/os-release"
	got=$(index "$r" | jq -r '(.distributions["1"] // {}) | [.did // "", .version_id // "", .version_code_name // "", .pretty_name // ""] | @tsv')
	[ "$got" = "$want" ] || { echo "FAIL: os-release $file: got '$got' want '$want'"; fail=1; }
done < "$T/os.tsv"
[ $fail = 0 ] && echo "ok: os-release, every file" || true
exit $fail
