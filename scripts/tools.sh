#!/usr/bin/env bash
# scripts/tools.sh: installs the pinned real clients and peers of
# scripts/tools.lock into a build folder, once; tests call it (through
# tests/integration/lib/tools.sh) and it returns at once when the tool is
# there. Go tools are built with the module cache and build cache inside the
# tools folder, so a second build downloads nothing; a lock file serialises
# concurrent installs (ctest -j). The tools folder is the source tree's
# build/tools whatever the build folder of the test (VIGIL_BUILD_DIR): the
# release and the sanitizer builds of `make test` share one install (a Go
# build of Clair is minutes on 2 cores); VIGIL_TOOLS_DIR or --build DIR
# (then DIR/tools) choose another.
#
#   scripts/tools.sh [--build DIR] path NAME     print the tool's path, installing it first
#   scripts/tools.sh [--build DIR] install [NAME...]   every tool when no NAME
#
# KIND git: tools whose module the Go proxy does not serve (the Clair 2 era
# clients predate modules or are refused by it) are built from a local git
# mirror of their repository, ${VIGIL_GIT_MIRRORS:-/work/.mirror}/OWNER+NAME/repo
# (a bare repository, as the source library's fetch leaves it): the tree at
# VERSION is laid out GOPATH-style in build/tools/src/NAME/src/SOURCE (blobs
# the mirror lacks, its large test data, are left out) and built by the
# recipe tests/clients/NAME/build.sh (its environment: SRCDIR, OUT, TOOLS,
# CLIENTS, GOPATH, GOCACHE, GOMODCACHE). No mirror: 77 (skip).
#
# Exit 0 with the path; 77 when the machine cannot install it (no go, no
# python3 venv, no mirror); 1 when the install failed (its log is printed).
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${VIGIL_BUILD_DIR:-$SRC/build}
TOOLS=${VIGIL_TOOLS_DIR:-$SRC/build/tools}
if [ "${1:-}" = --build ]; then BUILD=$2; TOOLS=$2/tools; shift 2; fi
# a source tree that cannot hold build/ (read-only): the test's build folder
mkdir -p "$TOOLS" 2>/dev/null || TOOLS=$BUILD/tools
LOCK=$SRC/scripts/tools.lock

lookup() { awk -v n="$1" '$1 !~ /^#/ && $2 == n { print $1, $3, $4; exit }' "$LOCK"; }

# `go install PKG@VERSION` reads the module's version list (for its
# deprecation notice); a proxy that serves the version but refuses the list
# (quay/clair/v4) fails it. Then the package is built from a throwaway main
# module that requires the pinned version: the same code, the same versions
# of its dependencies (the pinned module's go.mod decides them).
install_go_module() { # NAME PACKAGE VERSION STAGE
	local name=$1 pkg=$2 ver=$3 stage=$4 mroot=${2%/cmd/*}
	local dir=$TOOLS/mod-$name
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	printf 'module vigil.test/tools/%s\n\ngo 1.21\n\nrequire %s %s\n' "$name" "$mroot" "$ver" >"$dir/go.mod"
	echo "retrying as a build in $dir (requires $mroot $ver)"
	(cd "$dir" && go build -mod=mod -o "$stage/$name" "$pkg")
}

install_go() { # NAME MODULE VERSION
	local name=$1 mod=$2 ver=$3
	command -v go >/dev/null 2>&1 || { echo "go is not installed: cannot build $name" >&2; return 77; }
	mkdir -p "$TOOLS/bin" "$TOOLS/go" "$TOOLS/log"
	local stage=$TOOLS/stage.$name.$$
	mkdir -p "$stage"
	export GOPATH=$TOOLS/go GOMODCACHE=$TOOLS/go/mod GOCACHE=$TOOLS/go/cache \
		GOFLAGS=-modcacherw CGO_ENABLED=${TOOLS_CGO:-0}
	if ! GOBIN=$stage go install "$mod@$ver" >"$TOOLS/log/$name.log" 2>&1 &&
		! install_go_module "$name" "$mod" "$ver" "$stage" >>"$TOOLS/log/$name.log" 2>&1; then
		echo "go install $mod@$ver failed:" >&2
		tail -n 30 "$TOOLS/log/$name.log" >&2
		rm -rf "$stage"
		return 1
	fi
	mv -f "$stage/$(basename "${mod%/v[0-9]*}")" "$TOOLS/bin/$name" 2>/dev/null ||
		mv -f "$stage"/* "$TOOLS/bin/$name"
	rm -rf "$stage"
	echo "$ver" >"$TOOLS/bin/.$name.version"
}

install_pip() { # NAME PACKAGE VERSION
	local name=$1 pkg=$2 ver=$3
	command -v python3 >/dev/null 2>&1 || { echo "python3 is missing: cannot install $name" >&2; return 77; }
	mkdir -p "$TOOLS/log"
	if [ ! -x "$TOOLS/venv/bin/pip" ]; then
		python3 -m venv "$TOOLS/venv" >"$TOOLS/log/venv.log" 2>&1 ||
			{ echo "python3 -m venv failed (apt-get install python3-venv):" >&2; tail -n 5 "$TOOLS/log/venv.log" >&2; return 77; }
	fi
	if ! "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check "$pkg==$ver" >"$TOOLS/log/$name.log" 2>&1; then
		echo "pip install $pkg==$ver failed:" >&2
		tail -n 30 "$TOOLS/log/$name.log" >&2
		return 1
	fi
	echo "$ver" >"$TOOLS/venv/.$name.version"
}

install_git() { # NAME SOURCE(github.com/OWNER/REPO) VERSION(tag or commit)
	local name=$1 src=$2 ver=$3 owner repo mirror gp dir idx rc=0
	command -v go >/dev/null 2>&1 || { echo "go is not installed: cannot build $name" >&2; return 77; }
	owner=$(cut -d/ -f2 <<<"$src")
	repo=$(cut -d/ -f3 <<<"$src")
	mirror=${VIGIL_GIT_MIRRORS:-/work/.mirror}/$owner+$repo/repo
	[ -d "$mirror" ] || { echo "no git mirror of $src at $mirror: cannot build $name" >&2; return 77; }
	[ -f "$SRC/tests/clients/$name/build.sh" ] || { echo "no recipe tests/clients/$name/build.sh" >&2; return 1; }
	mkdir -p "$TOOLS/bin" "$TOOLS/go" "$TOOLS/log"
	gp=$TOOLS/src/$name
	dir=$gp/src/$src
	idx=$TOOLS/.index.$name.$$
	rm -rf "$gp" && mkdir -p "$dir"
	# a temporary index of the tree less the blobs the mirror lacks
	(
		export GIT_DIR=$mirror GIT_INDEX_FILE=$idx
		git read-tree "$ver" &&
			git ls-files -s | awk '{print $2}' | git cat-file --batch-check | awk '$2 == "missing" {print $1}' >"$idx.missing" &&
			git ls-files -s | awk 'NR == FNR {m[$1]; next} ($2 in m) {sub(/^[^\t]*\t/, ""); print}' "$idx.missing" - |
			git update-index --force-remove --stdin &&
			git checkout-index -a --prefix="$dir/"
	) >"$TOOLS/log/$name.log" 2>&1 || rc=$?
	rm -f "$idx" "$idx.missing"
	if [ "$rc" != 0 ]; then
		echo "extracting $src at $ver from $mirror failed:" >&2
		tail -n 10 "$TOOLS/log/$name.log" >&2
		return 1
	fi
	if ! (cd "$dir" && SRCDIR=$dir OUT=$TOOLS/bin/$name.new TOOLS=$TOOLS CLIENTS=$SRC/tests/clients GOPATH=$gp \
		GOMODCACHE=$TOOLS/go/mod GOCACHE=$TOOLS/go/cache GOFLAGS=-modcacherw CGO_ENABLED=${TOOLS_CGO:-0} \
		bash "$SRC/tests/clients/$name/build.sh") >>"$TOOLS/log/$name.log" 2>&1; then
		echo "building $name ($src $ver) failed:" >&2
		tail -n 30 "$TOOLS/log/$name.log" >&2
		return 1
	fi
	mv -f "$TOOLS/bin/$name.new" "$TOOLS/bin/$name"
	echo "$ver" >"$TOOLS/bin/.$name.version"
}

tool_path() { # NAME -> prints the path, installs when missing or of another version
	local name=$1 kind mod ver p v
	read -r kind mod ver <<<"$(lookup "$name")"
	[ -n "${kind:-}" ] || { echo "tools.sh: $name is not in scripts/tools.lock" >&2; return 1; }
	case $kind in
	go | git) p=$TOOLS/bin/$name; v=$TOOLS/bin/.$name.version ;;
	pip) p=$TOOLS/venv/bin/$name; v=$TOOLS/venv/.$name.version ;;
	*) echo "tools.sh: unknown kind $kind for $name" >&2; return 1 ;;
	esac
	if [ -x "$p" ] && [ "$(cat "$v" 2>/dev/null)" = "$ver" ]; then echo "$p"; return 0; fi
	mkdir -p "$TOOLS"
	(
		flock 9
		if [ -x "$p" ] && [ "$(cat "$v" 2>/dev/null)" = "$ver" ]; then exit 0; fi
		[ -t 2 ] && echo "tools.sh: installing $name $ver ($mod)" >&2
		"install_$kind" "$name" "$mod" "$ver"
	) 9>"$TOOLS/.lock" || return $?
	echo "$p"
}

cmd=${1:-install}
shift || true
case $cmd in
path) [ $# = 1 ] || { echo "usage: tools.sh path NAME" >&2; exit 2; }; tool_path "$1" ;;
install)
	names=("$@")
	[ ${#names[@]} -gt 0 ] || mapfile -t names < <(awk '$1 !~ /^#/ && NF >= 4 { print $2 }' "$LOCK")
	rc=0
	for n in "${names[@]}"; do tool_path "$n" >/dev/null || rc=1; done
	exit $rc ;;
*) echo "usage: tools.sh [--build DIR] path NAME | install [NAME...]" >&2; exit 2 ;;
esac
