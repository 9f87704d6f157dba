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
