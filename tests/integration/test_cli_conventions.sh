#!/bin/bash
# tests/integration/test_cli_conventions.sh: the CI conventions of issue 14
# on the Alpine 3.10 archive (../shared/testdata/images/trivy_alpine-3.10.4)
# and the shared Alpine secdb feed. The image is fully patched against that
# snapshot, so, as test_notifier.sh does, the feed gets two more musl fixes
# (CVE-2099-0001, CVE-2099-0002 in 99.0-r0) and one for openssl
# (CVE-2099-0003): known findings. Checked: --exit-code 1; the precedence
# flag > VIGIL_<FLAG> > vigil.yaml (and --config, VIGIL_CONFIG, sections,
# lists, booleans, unknown keys); did-you-mean for commands and options;
# vigil help CMD; the ignore files picked up from the current folder
# (.vigilignore, .trivyignore, .trivyignore.yaml, .grype.yaml) with the
# suppressed findings shown.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
FEED=$DATA/feeds/alpine/secdb-json/v3.10/main.json
ARCHIVE=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
[ -f "$FEED" ] && [ -f "$ARCHIVE" ] || skip "no alpine feed or image at $DATA"

mkdir -p "$T/feed/v3.10" "$T/w"
jq -c '.packages |= map(if .pkg.name == "musl" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0001", "CVE-2099-0002"]
	elif .pkg.name == "openssl" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0003"] else . end)' \
	"$FEED" >"$T/feed/v3.10/main.json"
gzip -dc "$ARCHIVE" >"$T/alpine.tar"
IMG=docker-archive:$T/alpine.tar
DB=$T/alpine.db
export VIGIL_DB=$DB
vrun import db import "$T/feed" --db "$DB"
expect_rc import 0
cd "$T/w" || exit 1

ids() { jq -r '[.vulnerabilities[].name] | unique | join(" ")' "$1"; }
ALL="CVE-2099-0001 CVE-2099-0002 CVE-2099-0003"

# ---- the findings, and --exit-code 1 ----
vrun all scan "$IMG" -q --format json
expect_rc all 0
check_eq "the known findings" "$ALL" "$(ids "$T/all.out")"
vrun gate1 scan "$IMG" -q --exit-code 1
expect_rc gate1 1
vrun gate1-clean scan "$IMG" -q --exit-code 1 --severity CRITICAL
expect_rc gate1-clean 0
vrun gate2 scan "$IMG" -q --exit-code 2
expect_rc gate2 2
check "--exit-code 2 is refused with why" grep -q "2 means bad usage" "$T/gate2.err"

# ---- precedence: flag > VIGIL_<FLAG> > vigil.yaml ----
cat >vigil.yaml <<'YAML'
# vigil's config: keys named like the flags
severity: [HIGH, CRITICAL]
scan:
  exit-code: 7
  format: json
  quiet: true
YAML
vrun file scan "$IMG"
expect_rc file 0
check_eq "vigil.yaml: severity [HIGH, CRITICAL] leaves nothing (secdb has no severity)" "" "$(ids "$T/file.out")"
VIGIL_SEVERITY=unknown vrun env scan "$IMG"
expect_rc env 7
check_eq "VIGIL_SEVERITY wins over vigil.yaml" "$ALL" "$(ids "$T/env.out")"
VIGIL_SEVERITY=unknown vrun flag scan "$IMG" --severity critical
expect_rc flag 0
check_eq "--severity wins over VIGIL_SEVERITY" "" "$(ids "$T/flag.out")"
VIGIL_EXIT_CODE=1 VIGIL_SEVERITY=unknown vrun envexit scan "$IMG"
expect_rc envexit 1
VIGIL_IGNORE_UNFIXED=maybe vrun badbool scan "$IMG"
expect_rc badbool 2
check "a bad boolean names the variable" grep -q "VIGIL_IGNORE_UNFIXED=maybe: want true or false" "$T/badbool.err"
VIGIL_NO_SUCH_FLAG=1 vrun unknownenv scan "$IMG"
expect_rc unknownenv 0
cat >ci.yaml <<'YAML'
scan:
  severity: unknown
  severty: LOW
  ignore-unfixed: true
scna:
  quiet: true
YAML
vrun config scan "$IMG" --config ci.yaml --format json -q --exit-code 5
expect_rc config 5
check_eq "--config FILE replaces vigil.yaml" "$ALL" "$(ids "$T/config.out")"
check "an unknown key warns with the file, line and a suggestion" \
	grep -q "ci.yaml:3: 'severty' is not an option of 'vigil scan' (did you mean 'severity'?)" "$T/config.err"
check "an unknown section warns" grep -q "ci.yaml:5: 'scna' is not a command (did you mean 'scan'?)" "$T/config.err"
VIGIL_CONFIG=ci.yaml vrun config-env scan "$IMG" --format json -q --exit-code 5
expect_rc config-env 5
printf 'scan: [1\n' >broken.yaml
vrun broken scan "$IMG" --config broken.yaml
expect_rc broken 2
check "a broken config file is named with its line" grep -q "broken.yaml:" "$T/broken.err"
rm -f vigil.yaml
# db update (parsed by hand): the same conventions, nothing fetched
mkdir -p mirror
VIGIL_SOURCE=nosuchfeed vrun upd-env db update --mirror "$T/w/mirror"
expect_rc upd-env 2
check "VIGIL_SOURCE reaches db update" grep -q "unknown feed 'nosuchfeed'" "$T/upd-env.err"
printf 'db:\n  update:\n    source: [nosuch1, nosuch2]\n    parallell: 3\n' >vigil.yaml
vrun upd-file db update --mirror "$T/w/mirror"
expect_rc upd-file 2
check "vigil.yaml's db: update: section reaches db update" grep -q "unknown feed 'nosuch1'" "$T/upd-file.err"
check "... and its unknown key warns" grep -q "vigil.yaml:4: 'parallell' is not an option of 'vigil db update'" "$T/upd-file.err"
VIGIL_PARALLEL=abc vrun upd-help db update --help
expect_rc upd-help 0
rm -f vigil.yaml
vrun upd-typo db update --paralel 3
expect_rc upd-typo 2
check "db update --paralel: did you mean" grep -q "did you mean '--parallel'" "$T/upd-typo.err"
vrun serve-typo serve --listne 127.0.0.1:1
expect_rc serve-typo 2
check "serve --listne: did you mean" grep -q "did you mean '--listen'" "$T/serve-typo.err"

# ---- help and did-you-mean ----
vrun typo scna "$IMG"
expect_rc typo 2
check "vigil scna: did you mean scan" grep -q "unknown command 'scna' (did you mean 'scan'?)" "$T/typo.err"
vrun optyp scan --severty HIGH "$IMG"
expect_rc optyp 2
check "vigil scan --severty: did you mean --severity" \
	grep -q "unknown option '--severty' (did you mean '--severity'?)" "$T/optyp.err"
vrun dbtypo db updte
expect_rc dbtypo 2
check "vigil db updte: did you mean db update" grep -q "did you mean 'db update'" "$T/dbtypo.err"
vrun help help scan
expect_rc help 0
check "vigil help scan is scan's help" grep -q "^usage: vigil scan IMAGE" "$T/help.out"
vrun helpdb help db update
check "vigil help db update is db update's help" grep -q "^usage: vigil db update" "$T/helpdb.out"
vrun dbhelp db help
check "vigil db help" grep -q "^usage: vigil db <command>" "$T/dbhelp.out"
vrun updhelp db update --help
check "vigil db update --help" grep -q "^usage: vigil db update" "$T/updhelp.out"
vrun usage help
check "the usage lists db update" grep -q "db update" "$T/usage.out"
for c in scan index manifest db serve notify vercmp; do
	vrun "h-$c" help "$c"
	check "vigil help $c answers on stdout" test -s "$T/h-$c.out"
done

# ---- ignore files from the current folder ----
printf 'CVE-2099-0001 # reviewed\n' >.vigilignore
vrun vi scan "$IMG" --format json
expect_rc vi 0
check_eq ".vigilignore: CVE-2099-0001 dropped" "CVE-2099-0002 CVE-2099-0003" "$(ids "$T/vi.out")"
check "a note says which file" grep -q "ignore rules from .vigilignore" "$T/vi.err"
vrun vitable scan "$IMG" -q --color never
check "the table shows it under suppressed with the rule's place" grep -q ".vigilignore:1" "$T/vitable.out"
rm .vigilignore
printf '# Trivy style\nCVE-2099-0002 comment about why we ignore it\n' >.trivyignore
vrun ti scan "$IMG" --format json -q
check_eq ".trivyignore: words after the id are a comment" "CVE-2099-0001 CVE-2099-0003" "$(ids "$T/ti.out")"
rm .trivyignore
cat >.trivyignore.yaml <<'YAML'
vulnerabilities:
  - id: CVE-2099-0003
    purls:
      - "pkg:apk/alpine/libssl1.1"
    statement: not reachable
  - id: CVE-2099-0001
    paths: ["usr/lib/**"]
    expired_at: 2999-01-01
misconfigurations:
  - id: AVD-DS-0001
YAML
vrun ty scan "$IMG" --format json -q
check_eq ".trivyignore.yaml: a path that is not the apk db ignores nothing" "$ALL" "$(ids "$T/ty.out")"
check_eq "... a purl rule ignores libssl1.1 only: libcrypto1.1 keeps CVE-2099-0003" "libcrypto1.1" \
	"$(jq -r '. as $r | [.package_vulnerabilities | to_entries[] | select(any(.value[]; $r.vulnerabilities[.].name == "CVE-2099-0003"))
		| $r.packages[.key].name] | unique | join(" ")' "$T/ty.out")"
check "misconfigurations are noted" grep -q "misconfigurations: not vigil's findings" "$T/ty.err"
rm .trivyignore.yaml
cat >.grype.yaml <<'YAML'
output: table
ignore:
  - vulnerability: CVE-2099-0002
    reason: accepted risk
    fix-state: fixed
    package:
      name: mus.*
      type: apk
      location: "/lib/apk/**"
  - vulnerability: CVE-2099-0003
    match-type: exact-direct-match
YAML
vrun gr scan "$IMG" --format json -q
check_eq ".grype.yaml: name/type/location/fix-state apply; a match-type rule ignores nothing" \
	"CVE-2099-0001 CVE-2099-0003" "$(ids "$T/gr.out")"
check "an unsupported Grype key warns" grep -q "'match-type' is not supported" "$T/gr.err"
vrun grexplicit scan "$IMG" --format json -q --ignore-file /dev/null
check_eq "--ignore-file wins over the files found" "$ALL" "$(ids "$T/grexplicit.out")"
it_done
