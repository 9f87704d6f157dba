#!/bin/bash
# tests/integration/lib/mkrpmdb.sh: a real rpm database (sqlite, as
# Debian's rpm 4.18 writes it) holding the packages a list names, for test
# root filesystems of the rpm families (issue 16: versions on both sides
# of a feed's fixed versions, epochs, module streams, architectures).
#
#   mkrpmdb.sh ROOT LIST
#
# LIST: one package per line, '#' comments, whitespace-separated fields
#   NAME EPOCH:VERSION-RELEASE [ARCH [SOURCE [MODULARITYLABEL]]]
# EPOCH "0" or "-" writes no epoch; ARCH defaults to x86_64 ("noarch" too);
# SOURCE (the source package name, "-" = NAME) sets SOURCERPM to
# SOURCE-VERSION-RELEASE.src.rpm; MODULARITYLABEL "name:stream:version:context".
# Writes ROOT/var/lib/rpm/rpmdb.sqlite (checkpointed: no -wal beside it).
# Each package is an empty rpm built by rpmbuild from a generated spec and
# installed with --justdb; nothing runs as root inside ROOT.
set -euo pipefail
root=${1:?usage: mkrpmdb.sh ROOT LIST}
list=${2:?usage: mkrpmdb.sh ROOT LIST}
command -v rpmbuild >/dev/null || { echo "mkrpmdb: rpmbuild not installed (apt install rpm)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dbpath=$(cd "$root" && pwd)/var/lib/rpm
mkdir -p "$dbpath"
rpm --dbpath "$dbpath" --initdb 2>/dev/null
n=0
while read -r name evr arch src label _; do
	[[ -z "${name:-}" || "$name" == \#* ]] && continue
	arch=${arch:--}; [[ "$arch" == - ]] && arch=x86_64
	src=${src:--}; [[ "$src" == - ]] && src=$name
	label=${label:--}
	epoch=; vr=$evr
	if [[ "$evr" == *:* ]]; then epoch=${evr%%:*}; vr=${evr#*:}; fi
	[[ "$epoch" == 0 || "$epoch" == - ]] && epoch=
	version=${vr%-*}; release=${vr##*-}
	n=$((n + 1))
	spec=$work/p$n.spec
	{
		echo "Name: $src"
		echo "Version: $version"
		echo "Release: $release"
		[[ -n "$epoch" ]] && echo "Epoch: $epoch"
		echo "Summary: test package"
		echo "License: MIT"
		[[ "$label" != - ]] && echo "ModularityLabel: $label"
		[[ "$arch" == noarch ]] && echo "BuildArch: noarch"
		echo "%description"
		echo "test"
		if [[ "$src" != "$name" ]]; then
			echo "%package -n $name"
			echo "Summary: test package"
			echo "%description -n $name"
			echo "test"
			echo "%files -n $name"
		else
			echo "%files"
		fi
	} >"$spec"
	target=$arch; [[ "$arch" == noarch ]] && target=x86_64
	rpmbuild --quiet -bb --define "_topdir $work/top$n" --define "_build_id_links none" \
		--target "$target" "$spec" >"$work/build.log" 2>&1 ||
		{ cat "$work/build.log" >&2; echo "mkrpmdb: cannot build $name $evr $arch" >&2; exit 1; }
	rpmfile=$(find "$work/top$n/RPMS" -name "$name-$version-$release.*.rpm" | head -1)
	rpm --dbpath "$dbpath" -i --justdb --nodeps --noscripts --ignorearch --ignoreos --nosignature \
		--replacepkgs --replacefiles "$rpmfile" 2>&1 | grep -v 'use Alien\|know what you are doing' >&2 || true
done <"$list"
python3 - "$dbpath/rpmdb.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.execute("PRAGMA journal_mode=DELETE"); c.close()
PY
rm -f "$dbpath/rpmdb.sqlite-wal" "$dbpath/rpmdb.sqlite-shm"
