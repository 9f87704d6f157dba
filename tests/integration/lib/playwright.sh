# tests/integration/lib/playwright.sh: a real headless Chromium for the
# tests that read a page (sourced after common.sh). Chromium is Debian's
# (/usr/bin/chromium, or $CHROMIUM); it is driven by playwright-core from
# npm at the pinned PLAYWRIGHT_VERSION, installed once into the source
# tree's build/tools/npm (like scripts/tools.sh's tools, which know no npm;
# VIGIL_TOOLS_DIR chooses another folder), a lock serialising concurrent
# installs. need_playwright sets PLAYWRIGHT_DIR (the package's folder, what
# lib/html_check.js requires) and CHROMIUM; no node, npm or chromium skips
# the test with the reason, a failed install fails it.
# shellcheck shell=bash

PLAYWRIGHT_VERSION=1.65.2

need_playwright() {
	command -v node >/dev/null 2>&1 || skip "node is missing (apt-get install nodejs)"
	CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
	[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM (apt-get install chromium)"
	export CHROMIUM
	local dir=${VIGIL_TOOLS_DIR:-$SRC/build/tools}/npm
	PLAYWRIGHT_DIR=$dir/node_modules/playwright-core
	export PLAYWRIGHT_DIR
	pw_installed && return 0
	command -v npm >/dev/null 2>&1 || skip "npm is missing (apt-get install npm)"
	mkdir -p "$dir" || { echo "FAIL: cannot create $dir"; exit 1; }
	(
		flock 9
		pw_installed && exit 0
		npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
			"playwright-core@$PLAYWRIGHT_VERSION" >"$dir/install.log" 2>&1
	) 9>"$dir/.lock" || { echo "FAIL: npm install playwright-core@$PLAYWRIGHT_VERSION:"; tail -n 20 "$dir/install.log"; exit 1; }
	pw_installed || { echo "FAIL: playwright-core $PLAYWRIGHT_VERSION is not in $dir after npm install"; exit 1; }
}

pw_installed() {
	[ "$(node -p "require('$PLAYWRIGHT_DIR/package.json').version" 2>/dev/null)" = "$PLAYWRIGHT_VERSION" ]
}

# pw_run ARGS...: runs lib/html_check.js; its "ok:" and "FAIL:" lines become
# checks of the test, "figure:" lines are printed. A non-zero exit with no
# failed check is one.
pw_run() {
	local out rc=0 line nfail=0
	out=$(timeout 600 node "$SRC/tests/integration/lib/html_check.js" "$@" 2>&1) || rc=$?
	while IFS= read -r line; do
		case $line in
		"ok: "*) pass "${line#ok: }" ;;
		"FAIL: "*) fail "${line#FAIL: }"; nfail=$((nfail + 1)) ;;
		"figure: "*) note "${line#figure: }" ;;
		*) echo "  | $line" ;;
		esac
	done <<<"$out"
	[ "$rc" = 0 ] || [ "$nfail" -gt 0 ] || fail "html_check.js $1 exited $rc"
}
