#!/bin/bash
# tests/integration/test_audit_policy.sh: `vigil audit --scanners policy`
# (docs/audit.md (Policy)). The real Debian demo image under the built-in
# policy (Debian's login.defs keeps PASS_MAX_DAYS 99999: a failure, with
# its line); two images built here (lib/oci.sh, a config with User, Env and
# history): one that passes every rule, one that fails them, with a later
# layer replacing a good login.defs by a bad one (the merged view decides);
# a custom policy; a policy with an unknown rule (exit 1 naming the file,
# line and rule); --exit-code (3 when a rule fails, 0 when all pass); an
# ignore rule naming a rule id; JSON and SARIF; and finding-age against a
# real store (the Ubuntu CVE tracker snapshot imported with vigil db import,
# the Ubuntu 18.04 root filesystem of scripts/make-pkgdb-rootfs.sh).
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
# shellcheck source=lib/oci.sh
. "$(dirname "$0")/lib/oci.sh"
"$VIGIL" audit --help >/dev/null 2>&1 || skip "$VIGIL has no 'audit' subcommand"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
DEMO=oci:$IMAGES/oci:v2
export VIGIL_DB=$T/empty.db

# verdict FILE RULE: "pass", "fail" or "not judged" of RULE in the JSON report.
verdict() { jq -r --arg r "$2" '[.policy[] | select(.rule == $r) | .result] | join(",")' "$1"; }
jqe() { jq -e "$@" >/dev/null; }
evidence() { jq -r --arg r "$2" '[.policy[] | select(.rule == $r) | .evidence] | join(",")' "$1"; }

# ---- the demo Debian image, built-in policy ----
vrun demo audit "$DEMO" --scanners policy --format json -q
expect_rc demo 0
check_eq "demo: nine rules in the policy's order" \
	"pass-max-days pass-min-days pass-min-len no-ssh-server not-root no-secrets-in-env deny-packages base-image-age finding-age" \
	"$(jq -r '[.policy[].rule] | join(" ")' "$T/demo.out")"
check_eq "demo: Debian's PASS_MAX_DAYS 99999 fails" "fail" "$(verdict "$T/demo.out" pass-max-days)"
check "demo: the evidence names the value, the file and its line" \
	grep -qE 'PASS_MAX_DAYS 99999 \(etc/login.defs:[0-9]+\), limit 90' <(evidence "$T/demo.out" pass-max-days)
check_eq "demo: PASS_MIN_DAYS 0 fails" "fail" "$(verdict "$T/demo.out" pass-min-days)"
check_eq "demo: PASS_MIN_LEN is not set in Debian's login.defs" \
	"PASS_MIN_LEN not set in etc/login.defs (shadow's default 5), limit 8" "$(evidence "$T/demo.out" pass-min-len)"
check_eq "demo: no SSH server" "no SSH server (looked for 6 paths, 6 package names, 1 exposed port)" \
	"$(evidence "$T/demo.out" no-ssh-server)"
check_eq "demo: runs as root (no User)" "fail" "$(verdict "$T/demo.out" not-root)"
check_eq "demo: no secrets in its Env" "pass" "$(verdict "$T/demo.out" no-secrets-in-env)"
check_eq "demo: no denied package among its packages" "pass" "$(verdict "$T/demo.out" deny-packages)"
check "demo: the base date comes from the first history entry (mmdebstrap)" \
	grep -q 'history\[0\]: mmdebstrap' <(evidence "$T/demo.out" base-image-age)
check_eq "demo: finding-age is not judged without vulnerability data" \
	"not judged|no vulnerability data: run vigil db update (or give --db)" \
	"$(verdict "$T/demo.out" finding-age)|$(evidence "$T/demo.out" finding-age)"
check "demo: each failed rule is a finding of category policy (login.defs: path, line, layer 0)" jqe '
	([.findings[] | select(.category == "policy") | .rule] | sort == ["not-root","pass-max-days","pass-min-days","pass-min-len"])
	and ([.findings[] | select(.rule == "pass-max-days")][0] | .path == "etc/login.defs" and .line > 0 and .layer.index == 0)' \
	"$T/demo.out"
vrun demo-gate audit "$DEMO" --scanners policy --exit-code 3 -q
expect_rc demo-gate 3
check "demo: the table shows each verdict" grep -qE '^  FAIL +pass-max-days +PASS_MAX_DAYS 99999' "$T/demo-gate.out"

# ---- images built here ----
old=2020-03-01T10:00:00Z
recent=$(date -u -d '-10 days' +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$T/good/etc" "$T/base/etc" "$T/base/var/lib/dpkg" "$T/top/etc" "$T/top/usr/sbin"
printf '# hardened\nPASS_MAX_DAYS\t60\nPASS_MIN_DAYS\t1\nPASS_MIN_LEN\t12\nPASS_WARN_AGE\t7\n' >"$T/good/etc/login.defs"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n' >"$T/good/etc/passwd"
OCI_CONFIG='"created":"'$recent'","config":{"User":"app","Env":["PATH=/usr/bin:/bin","GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D"]},"history":[{"created":"'$recent'","created_by":"ADD rootfs.tar /"}]' \
	oci_from_dirs "$T/good.oci" "$T/good"
cp "$T/good/etc/login.defs" "$T/base/etc/login.defs"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' \
	>"$T/base/etc/os-release"
printf 'Package: telnetd\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nSource: inetutils\nVersion: 2:2.4-2+deb12u1\nDescription: telnet server\n\n' \
	>"$T/base/var/lib/dpkg/status"
printf '# shadow defaults\nPASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\n' >"$T/top/etc/login.defs"
printf '\177ELF-not-really' >"$T/top/usr/sbin/sshd"
printf 'root:*:19000:0:99999:7:::\nops:$6$c2FsdA$aGFzaA:19000:0:99999:7:::\n' >"$T/top/etc/shadow"
OCI_CONFIG='"created":"'$recent'","config":{"Env":["PATH=/usr/bin","MYSQL_ROOT_PASSWORD=hunter2-please-change","AWS_KEY=AKIAIOSFODNN7EXAMPLE"]},"history":[{"created":"'$old'","created_by":"/bin/sh -c #(nop) ADD file:4f2a in / "},{"created":"'$recent'","created_by":"COPY . /"}]' \
	oci_from_dirs "$T/bad.oci" "$T/base" "$T/top"

vrun good audit "oci:$T/good.oci:t" --scanners policy --format json -q --exit-code 3
expect_rc good 0
check "good: every rule passes but finding-age (no data)" jqe '
	[.policy[] | select(.rule != "finding-age") | .result] | length == 8 and all(. == "pass")' "$T/good.out"
check_eq "good: login.defs values" "PASS_MAX_DAYS 60 (etc/login.defs:2), limit 90" "$(evidence "$T/good.out" pass-max-days)"
check_eq "good: User app is uid 1000 in etc/passwd" "User 'app' is uid 1000 (etc/passwd:2)" "$(evidence "$T/good.out" not-root)"
check_eq "good: a GPG key fingerprint is not a secret" "2 variables in the image config, none looks secret" \
	"$(evidence "$T/good.out" no-secrets-in-env)"
check_eq "good: no finding" "0" "$(jq '.findings | length' "$T/good.out")"

vrun bad audit "oci:$T/bad.oci:t" --scanners policy --format json -q --exit-code 3
expect_rc bad 3
check_eq "bad: the later layer's login.defs decides, and an account of etc/shadow with a password" \
	"PASS_MAX_DAYS 99999 (etc/login.defs:2), limit 90; account ops has max 99999 (etc/shadow:2)" \
	"$(evidence "$T/bad.out" pass-max-days)"
check "bad: its finding is in layer 1 at line 2" jqe '[.findings[] | select(.rule == "pass-max-days")][0]
	| .layer.index == 1 and .line == 2 and .path == "etc/login.defs" and .severity == "Medium"' "$T/bad.out"
check_eq "bad: sshd in layer 1" "/usr/sbin/sshd (layer 1)" "$(evidence "$T/bad.out" no-ssh-server)"
check_eq "bad: no User" "fail" "$(verdict "$T/bad.out" not-root)"
check_eq "bad: secrets named, values masked" \
	"Env MYSQL_ROOT_PASSWORD=hunt*************ange (its name), AWS_KEY=AKIA************MPLE (an AWS access key id) in the image config" \
	"$(evidence "$T/bad.out" no-secrets-in-env)"
check "bad: the password is in no output" bash -c "! grep -q hunter2 '$T/bad.out' '$T/bad.err'"
check "bad: telnetd is denied (its dpkg record, layer 0)" jqe '[.findings[] | select(.rule == "deny-packages")][0]
	| .package == "telnetd" and .path == "var/lib/dpkg/status" and .layer.index == 0 and .severity == "High"' "$T/bad.out"
check "bad: the base is the first history entry, from 2020" \
	grep -qE '^base built 2020-03-01 \(history\[0\]: /bin/sh -c #\(nop\) ADD file:4f2a in / \), [0-9]+ days ago, limit 365$' \
	<(evidence "$T/bad.out" base-image-age)
check_eq "bad: eight rules fail" "8" "$(jq '[.policy[] | select(.result == "fail")] | length' "$T/bad.out")"

# a later layer deletes login.defs (a whiteout): the merged view has none
mkdir -p "$T/wh/etc"
: >"$T/wh/etc/.wh.login.defs"
oci_from_dirs "$T/wh.oci" "$T/good" "$T/wh"
vrun wh audit "oci:$T/wh.oci:t" --scanners policy --format json -q
expect_rc wh 0
check_eq "whiteout: login.defs deleted by layer 1 is not judged" \
	"not judged|no /etc/login.defs in the image (no shadow password tools)" \
	"$(verdict "$T/wh.out" pass-max-days)|$(evidence "$T/wh.out" pass-max-days)"
check_eq "whiteout: no config, so not-root is judged as root" "fail" "$(verdict "$T/wh.out" not-root)"

# SARIF: each failed rule a result, the file and line as its location
vrun sarif audit "oci:$T/bad.oci:t" --scanners policy --format sarif -q
expect_rc sarif 0
check "sarif: pass-max-days at etc/login.defs line 2, level warning" jqe '.runs[0].results[]
	| select(.ruleId == "pass-max-days") | .level == "warning"
	and .locations[0].physicalLocation.artifactLocation.uri == "etc/login.defs"
	and .locations[0].physicalLocation.region.startLine == 2 and .properties.category == "policy"' "$T/sarif.out"
check "sarif: not-root is located at the image (its config; the image's base name, as the vulnerability SARIF names it)" \
	jqe '.runs[0].results[] | select(.ruleId == "not-root")
	| .locations[0].physicalLocation.artifactLocation.uri == "bad.oci"' "$T/sarif.out"
check_eq "sarif: one rule per failed policy rule" "8" "$(jq '.runs[0].tool.driver.rules | length' "$T/sarif.out")"

# ---- a custom policy ----
cat >"$T/custom.yaml" <<'EOF'
rules:
  pass-max-days: {max: 100000}
  deny-packages: {names: ["telnet*"], severity: critical}
  finding-age: false
EOF
vrun custom audit "oci:$T/bad.oci:t" --scanners policy --policy "$T/custom.yaml" --format json -q
expect_rc custom 0
check_eq "custom: two rules, in the file's order" "pass-max-days:pass deny-packages:fail" \
	"$(jq -r '[.policy[] | "\(.rule):\(.result)"] | join(" ")' "$T/custom.out")"
check_eq "custom: its severity" "Critical" "$(jq -r '.policy[1].severity' "$T/custom.out")"

# extends: builtin keeps the built-in rules, the file's replace theirs in place
cat >"$T/ext.yaml" <<'EOF'
extends: builtin
rules:
  pass-max-days: {max: 100000}
  no-ssh-server: false
EOF
vrun ext audit "oci:$T/bad.oci:t" --scanners policy --policy "$T/ext.yaml" --format json -q
expect_rc ext 0
check_eq "extends: the built-in rules, pass-max-days replaced, no-ssh-server off" \
	"pass-max-days:pass pass-min-days:fail pass-min-len:fail not-root:fail no-secrets-in-env:fail deny-packages:fail base-image-age:fail finding-age:not judged" \
	"$(jq -r '[.policy[] | "\(.rule):\(.result)"] | join(" ")' "$T/ext.out")"

cat >"$T/pass.yaml" <<'EOF'
rules:
  pass-max-days: {max: 100000}
EOF
vrun allpass audit "oci:$T/bad.oci:t" --scanners policy --policy "$T/pass.yaml" --exit-code 3 -q
expect_rc allpass 0

# an ignore rule naming a failed rule suppresses it, and the gate with it
printf 'pass-max-days  # accepted: no passwords are used\n' >"$T/ignore"
printf 'rules:\n  pass-max-days: {}\n' >"$T/one.yaml"
vrun ignored audit "oci:$T/bad.oci:t" --scanners policy --policy "$T/one.yaml" --ignore-file "$T/ignore" \
	--exit-code 3 --format json -q
expect_rc ignored 0
check_eq "ignored: the finding is suppressed" "0 1" \
	"$(jq -r '"\(.findings | length) \(.suppressed | length)"' "$T/ignored.out")"

# --severity drops the findings below it, and their failures with them
vrun floor audit "oci:$T/bad.oci:t" --scanners policy --policy "$T/one.yaml" --severity high --exit-code 3 -q
expect_rc floor 0
check "floor: the Medium rule still reads FAIL in the report" grep -qE '^  FAIL +pass-max-days' "$T/floor.out"

# ---- bad policies ----
cat >"$T/typo.yaml" <<'EOF'
# my policy
rules:
  pass-max-days: {max: 90}
  pass-max-dayz: {max: 60}
EOF
vrun typo audit "oci:$T/good.oci:t" --scanners policy --policy "$T/typo.yaml" -q
expect_rc typo 1
has typo "$T/typo.yaml:4: unknown rule 'pass-max-dayz' (did you mean pass-max-days?)"
check_eq "typo: nothing on stdout" "" "$(cat "$T/typo.out")"
printf 'rules:\n  not-root: {severity: urgent}\n' >"$T/sev.yaml"
vrun sev audit "oci:$T/good.oci:t" --scanners policy --policy "$T/sev.yaml" -q
expect_rc sev 1
has sev "$T/sev.yaml:2: rule not-root: severity: one of negligible, low, medium, high, critical expected, not 'urgent'"
printf 'rules:\n  not-root: {severity: low\n' >"$T/yaml.yaml"
vrun yaml audit "oci:$T/good.oci:t" --scanners policy --policy "$T/yaml.yaml" -q
expect_rc yaml 1
has yaml "$T/yaml.yaml:3: YAML:"
vrun nofile audit "oci:$T/good.oci:t" --scanners policy --policy "$T/absent.yaml" -q
expect_rc nofile 1
has nofile "$T/absent.yaml"

# ---- finding-age with a real store ----
if [ -d "$DATA/feeds/ubuntu/uct" ]; then
	bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null || fail "make-pkgdb-rootfs.sh"
	vrun import db import "$DATA/feeds/ubuntu/uct" --db "$T/u.db"
	expect_rc import 0
	cat >"$T/age.yaml" <<'EOF'
rules:
  finding-age:
    - {severity: medium, max-days: 365, show: 2}
    - {severity: critical, max-days: 30}
EOF
	vrun age audit "dir:$T/fs/rootfs-ubuntu1804" --scanners policy --policy "$T/age.yaml" --db "$T/u.db" \
		--format json -q --exit-code 3
	expect_rc age 3
	n_med=$("$VIGIL" scan "dir:$T/fs/rootfs-ubuntu1804" --db "$T/u.db" --format json -q 2>/dev/null |
		jq '[.vulnerabilities[] | select(.normalized_severity == "Medium" or .normalized_severity == "High"
			or .normalized_severity == "Critical") | .name] | unique | length')
	check "age: the scan finds Medium vulnerabilities ($n_med)" test "$n_med" -gt 0
	check "age: each of them published more than a year ago fails the rule" grep -qE \
		"^$n_med vulnerabilities of severity Medium or worse published more than 365 days ago: CVE-[0-9]+-[0-9]+ \\([a-z0-9.+-]+, [0-9]{4}-[0-9]{2}-[0-9]{2}, Medium\\), CVE-[^ ]+ \\([^)]*\\) and $((n_med - 2)) more$" \
		<(jq -r '.policy[0].evidence' "$T/age.out")
	check_eq "age: no Critical finding in the data" "pass" "$(jq -r '.policy[1].result' "$T/age.out")"
else
	note "no Ubuntu CVE tracker snapshot at $DATA/feeds/ubuntu/uct: finding-age with a store not checked"
fi
it_done
