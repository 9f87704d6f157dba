# tests/integration/lib/tools.sh: the pinned real clients of
# scripts/tools.lock, for the tests that run them (sourced after common.sh).
# need_tool NAME sets TOOL to its path, installing it into the build folder
# on first use; a machine that cannot install it skips the test with the
# reason, a failed install fails it.
# shellcheck shell=bash

need_tool() {
	local rc=0
	TOOL=$(VIGIL_BUILD_DIR=${VIGIL_BUILD_DIR:-$SRC/build} "$SRC/scripts/tools.sh" path "$1") || rc=$?
	[ "$rc" = 77 ] && skip "$1 cannot be installed here (see above)"
	[ "$rc" = 0 ] || { echo "FAIL: installing $1 (scripts/tools.sh path $1)"; exit 1; }
	return 0
}

# peer_tool NAME SECONDS: $TOOL = the pinned NAME (scripts/tools.lock), built
# if need be within SECONDS (0: only when it is built already, as Trivy,
# many minutes of Go, must be: GOEXPERIMENT=jsonv2 scripts/tools.sh install
# trivy). Returns 1, with $TOOL empty and a note of why, when it is not
# there in time: the test then leaves that peer's part out and says so,
# so CI stays within its time (docs/testing.md).
peer_tool() {
	local name=$1 secs=$2 want dir=${VIGIL_TOOLS_DIR:-$SRC/build/tools}/bin rc=0
	TOOL=
	want=$(awk -v n="$name" '$1 !~ /^#/ && $2 == n { print $4 }' "$SRC/scripts/tools.lock")
	if [ -x "$dir/$name" ] && [ "$(cat "$dir/.$name.version" 2>/dev/null)" = "$want" ]; then
		TOOL=$dir/$name
		return 0
	fi
	if [ "$secs" -gt 0 ]; then
		TOOL=$(timeout "$secs" "$SRC/scripts/tools.sh" path "$name" 2>"$T/$name.build") || rc=$?
		[ "$rc" = 0 ] && [ -x "$TOOL" ] && return 0
		TOOL=
		note "$name could not be built within ${secs}s (exit $rc): its part is left out"
		return 1
	fi
	note "$name $want is not built (scripts/tools.sh install $name): its part is left out"
	return 1
}
