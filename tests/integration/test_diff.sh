#!/bin/bash
# tests/integration/test_diff.sh: vigil diff IMAGE_A IMAGE_B on real images.
#  1. Two OCI layouts built here sharing a base layer: B's top layers change
#     a file's content, a file's mode, two owners, retarget a symlink, delete
#     a file with a whiteout and add a file (A's adds one of its own): the
#     exact list of files in the JSON, each version's layer and hash.
#  2. Trivy's Alpine 3.10.4 and 3.11.5 images: the files against an oracle
#     made with tar (each layer extracted, every path's type, mode, owner,
#     size, sha256 and link compared), the packages against `vigil index` of
#     each (12 real upgrades).
#  3. The Ubuntu 18.04 package database (scripts/make-pkgdb-rootfs.sh) and a
#     copy with one package upgraded to a fixed version, one downgraded, one
#     removed and one added, against the real Ubuntu CVE tracker: findings fixed and
#     introduced equal the difference of `vigil scan --format json` of each.
#  4. The demo image v1 -> v2 (make images), the HTML page in a real
#     headless Chromium (no console error, the rows and counts of the JSON),
#     --exit-code, --no-files, an unreadable image (exit 1 naming it), usage.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
. "$(dirname "$0")/lib/oci.sh"
. "$(dirname "$0")/lib/db.sh"
"$VIGIL" diff --help >/dev/null 2>&1 || skip "$VIGIL has no 'diff' subcommand"
DATA=${VIGIL_TESTDATA:-$SRC/../shared/testdata}
DB=$(vigil_db diff)

# html_check PAGE JSON: the page in headless Chromium (lib/diff_html_check.js)
html_check() {
	if ! command -v node >/dev/null || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
		note "no node or Chromium: $1 is not opened"
		return 0
	fi
	[ -n "${PLAYWRIGHT_DIR:-}" ] || { . "$SRC/tests/integration/lib/playwright.sh" && need_playwright; }
	local out line
	out=$(timeout 600 node "$SRC/tests/integration/lib/diff_html_check.js" "$1" "$2" "$T" 2>&1) || true
	while IFS= read -r line; do
		case $line in
		"ok: "*) pass "html $(basename "$1"): ${line#ok: }" ;;
		"FAIL: "*) fail "html $(basename "$1"): ${line#FAIL: }" ;;
		*) echo "  | $line" ;;
		esac
	done <<<"$out"
}

# ---- 1. two images sharing a base ----
# a layer owned by uid 1000: oci_from_dirs writes owner 0, so its tar is swapped
mk() { mkdir -p "$(dirname "$1")" && printf '%s\n' "$2" >"$1"; }
B0=$T/l/base A1=$T/l/a1 B1=$T/l/b1 B2=$T/l/b2
mk "$B0/etc/a.conf" one
mk "$B0/etc/keep" keep
mk "$B0/etc/wh-me" x
mk "$B0/opt/data" d
mk "$B0/usr/owned" o
mk "$B0/bin/tool-1" 1
mk "$B0/bin/tool-2" 2
ln -s tool-1 "$B0/bin/tool"
mk "$A1/etc/only-a" a
mk "$B1/etc/a.conf" two
mk "$B1/etc/only-b" b
touch "$B1/etc/.wh.wh-me"
mkdir -p "$B1/bin" "$B1/opt"
ln -s tool-2 "$B1/bin/tool"
cp -p "$B0/opt/data" "$B1/opt/data" && chmod 0600 "$B1/opt/data"
mk "$B2/usr/owned" o
chmod 0755 "$B0"/* "$B0/etc" "$A1"/* "$B1"/* "$B2"/*
oci_from_dirs "$T/a" "$B0" "$A1"
oci_from_dirs "$T/b" "$B0" "$B1" "$B2"
# B's third layer again with uid/gid 1000, under the same digest name
l3=$(oci_layers "$T/b" t | tail -n 1)
tar -C "$B2" --sort=name --owner=1000 --group=1000 --numeric-owner --mtime=@0 -cf - . | gzip -n >"$T/l3.gz"
man=$(oci_manifest "$T/b" t)
cfg=$(jq -r .config.digest "$(blob "$T/b" "$man")")
new3=$(blob_put "$T/b" "$T/l3.gz")
jq -c --arg o "$l3" --arg n "$new3" --argjson s "$(bsize "$T/b" "$new3")" \
	'.layers |= map(if .digest == $o then .digest = $n | .size = $s else . end)' "$(blob "$T/b" "$man")" >"$T/m.json"
diff3=sha256:$(gzip -dc "$T/l3.gz" | sha256sum | cut -d' ' -f1)
jq -c --arg d "$diff3" '.rootfs.diff_ids[2] = $d' "$(blob "$T/b" "$cfg")" >"$T/c.json"
newcfg=$(blob_put "$T/b" "$T/c.json")
jq -c --arg c "$newcfg" --argjson s "$(bsize "$T/b" "$newcfg")" '.config.digest = $c | .config.size = $s' "$T/m.json" >"$T/m2.json"
newman=$(blob_put "$T/b" "$T/m2.json")
jq -c --arg m "$newman" --argjson s "$(bsize "$T/b" "$newman")" '.manifests[0].digest = $m | .manifests[0].size = $s' \
	"$T/b/index.json" >"$T/i.json" && mv "$T/i.json" "$T/b/index.json"

vrun syn diff "oci:$T/a:t" "oci:$T/b:t" --db "$DB" -q --format json
expect_rc syn 0
check_eq "synthetic: every differing path, its change and what changed" \
	'[["bin/tool","changed","link"],["etc/a.conf","changed","content"],["etc/only-a","removed",""],["etc/only-b","added",""],["etc/wh-me","removed",""],["opt/data","changed","mode"],["usr","changed","owner"],["usr/owned","changed","owner"]]' \
	"$(jq -c '[.files[] | [.path, .change, (.what | join(","))]]' "$T/syn.out")"
check_eq "synthetic: the summary" '{"added":1,"removed":2,"changed":5}' "$(jq -c .summary.files "$T/syn.out")"
check_eq "synthetic: the symlink's targets" '["tool-1","tool-2"]' \
	"$(jq -c '.files[] | select(.path == "bin/tool") | [.a.link, .b.link]' "$T/syn.out")"
check_eq "synthetic: a.conf's hashes are those of its two contents, with their layers" \
	"[\"$(printf 'one\n' | sha256sum | cut -c1-64)\",0,\"$(printf 'two\n' | sha256sum | cut -c1-64)\",1]" \
	"$(jq -c '.files[] | select(.path == "etc/a.conf") | [.a.sha256, .a.layer, .b.sha256, .b.layer]' "$T/syn.out")"
check_eq "synthetic: the owner change is uid and gid 0 -> 1000 in layer 2 ($new3)" \
	"[0,0,1000,1000,2,\"$new3\"]" \
	"$(jq -c '.files[] | select(.path == "usr/owned") | [.a.uid, .a.gid, .b.uid, .b.gid, .b.layer, .b.layer_digest]' "$T/syn.out")"
check_eq "synthetic: the mode change" '["0644","0600"]' \
	"$(jq -c '.files[] | select(.path == "opt/data") | [.a.mode, .b.mode]' "$T/syn.out")"
check_eq "synthetic: the whiteout's file was in the shared base" '[0,null]' \
	"$(jq -c '.files[] | select(.path == "etc/wh-me") | [.a.layer, .b]' "$T/syn.out")"
vrun same diff "oci:$T/a:t" "oci:$T/a:t" --db "$DB" -q --format json --exit-code 3
expect_rc same 0
check_eq "an image against itself: nothing differs" 'false' "$(jq -c .summary.differs "$T/same.out")"
vrun differs diff "oci:$T/a:t" "oci:$T/b:t" --db "$DB" -q --exit-code 3
expect_rc differs 3

# ---- 2. Alpine 3.10 -> 3.11 ----
A310=$DATA/images/trivy_alpine-3.10.4/alpine-310.tar.gz
A311=$DATA/images/trivy_alpine-3.11.5/alpine-311.tar.gz
if [ -f "$A310" ] && [ -f "$A311" ]; then
	vrun alp diff "docker-archive:$A310" "docker-archive:$A311" --db "$DB" -q --format json
	expect_rc alp 0
	# the oracle: each image's layers extracted by tar, every path described
	oracle() { # ARCHIVE OUT: "path<TAB>type mode uid gid size sha256|link" per path
		local x=$T/x.$$ l
		rm -rf "$x" && mkdir -p "$x/img" "$x/root"
		tar -C "$x/img" -xzf "$1"
		for l in $(jq -r '.[0].Layers[]' "$x/img/manifest.json"); do
			tar -C "$x/root" --same-owner -xpf "$x/img/$l"
		done
		(cd "$x/root" && find . -mindepth 1 -printf '%P\t%y %m %U %G %s %l\n' | LC_ALL=C sort |
			while IFS=$'\t' read -r p rest; do
				set -- $rest
				case $1 in
				f) printf '%s\tfile %04o %s %s %s %s\n' "$p" "0$2" "$3" "$4" "$5" "$(sha256sum <"$p" | cut -c1-64)" ;;
				d) printf '%s\tdir %04o %s %s 0 \n' "$p" "0$2" "$3" "$4" ;;
				l) printf '%s\tsymlink %04o %s %s 0 %s\n' "$p" 0777 "$3" "$4" "$6" ;;
				*) printf '%s\tother\n' "$p" ;;
				esac
			done) >"$2"
		rm -rf "$x"
	}
	oracle "$A310" "$T/o310"
	oracle "$A311" "$T/o311"
	want_added=$(LC_ALL=C join -t$'\t' -v2 "$T/o310" "$T/o311" | cut -f1 | paste -sd, -)
	want_removed=$(LC_ALL=C join -t$'\t' -v1 "$T/o310" "$T/o311" | cut -f1 | paste -sd, -)
	want_changed=$(LC_ALL=C join -t$'\t' "$T/o310" "$T/o311" | awk -F'\t' '$2 != $3 { print $1 }' | paste -sd, -)
	check_eq "alpine: files added, as tar's listings say" "$want_added" \
		"$(jq -r '[.files[] | select(.change == "added") | .path] | join(",")' "$T/alp.out")"
	check_eq "alpine: files removed, as tar's listings say" "$want_removed" \
		"$(jq -r '[.files[] | select(.change == "removed") | .path] | join(",")' "$T/alp.out")"
	check_eq "alpine: files changed (type, mode, owner, size, sha256, link of the extracted trees)" "$want_changed" \
		"$(jq -r '[.files[] | select(.change == "changed") | .path] | join(",")' "$T/alp.out")"
	note "alpine: $(jq -c .summary.files "$T/alp.out")"
	vjson i310 index "docker-archive:$A310" --db "$DB"
	vjson i311 index "docker-archive:$A311" --db "$DB"
	pv() { jq -r '.packages[] | [.name, .version] | @tsv' "$1" | LC_ALL=C sort; }
	want_up=$(LC_ALL=C join -t$'\t' <(pv "$T/i310.out") <(pv "$T/i311.out") | awk -F'\t' '$2 != $3' |
		while IFS=$'\t' read -r n a b; do
			[ "$("$VIGIL" vercmp apk "$a" "$b" 2>/dev/null)" = "<" ] && printf '%s %s %s\n' "$n" "$a" "$b"
		done | paste -sd, -)
	check_eq "alpine: the upgrades are the packages whose version went up (vigil index of each)" "$want_up" \
		"$(jq -r '[.packages[] | select(.change == "upgraded") | "\(.name) \(.a) \(.b)"] | join(",")' "$T/alp.out")"
	check_eq "alpine: 12 upgrades, nothing else" '{"added":0,"removed":0,"upgraded":12,"downgraded":0,"changed":0}' \
		"$(jq -c .summary.packages "$T/alp.out")"
	check_eq "alpine: an empty store: findings not judged, and said why" 'false true' \
		"$(jq -r '"\(.findings.judged) \(.findings.why | test("never filled"))"' "$T/alp.out")"
	# findings: the real secdb has none for either image (their versions are past
	# every fix of the snapshot), so, as test_html.sh does, fixes above the
	# installed versions are added: musl's in both feeds, openssl's in 3.10's,
	# busybox's in 3.11's
	SECDB=$DATA/feeds/alpine/secdb-json
	if [ -f "$SECDB/v3.10/main.json" ] && [ -f "$SECDB/v3.11/main.json" ]; then
		mkdir -p "$T/secdb/v3.10" "$T/secdb/v3.11"
		jq -c '.packages |= map(if .pkg.name == "musl" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0010"]
			elif .pkg.name == "openssl" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0012"] else . end)' \
			"$SECDB/v3.10/main.json" >"$T/secdb/v3.10/main.json"
		jq -c '.packages |= map(if .pkg.name == "busybox" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0011"]
			elif .pkg.name == "musl" then .pkg.secfixes["99.0-r0"] += ["CVE-2099-0010"] else . end)' \
			"$SECDB/v3.11/main.json" >"$T/secdb/v3.11/main.json"
		ADB=$(vigil_db diff-alpine)
		vrun aimport db import "$T/secdb" --db "$ADB"
		expect_rc aimport 0
		vrun afind diff "docker-archive:$A310" "docker-archive:$A311" --db "$ADB" -q --format json --no-files
		vrun as310 scan "docker-archive:$A310" --db "$ADB" -q --format json
		vrun as311 scan "docker-archive:$A311" --db "$ADB" -q --format json
		apairs() { jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
			| [$r.vulnerabilities[.].name, $r.packages[$p].name] | @tsv' "$1" | LC_ALL=C sort -u; }
		check_eq "alpine: fixed = scan of 3.10 minus scan of 3.11" \
			"$(LC_ALL=C comm -23 <(apairs "$T/as310.out") <(apairs "$T/as311.out"))" \
			"$(jq -r '.findings.fixed[] | [.id, .package] | @tsv' "$T/afind.out" | LC_ALL=C sort)"
		check_eq "alpine: introduced = scan of 3.11 minus scan of 3.10" \
			"$(LC_ALL=C comm -13 <(apairs "$T/as310.out") <(apairs "$T/as311.out"))" \
			"$(jq -r '.findings.introduced[] | [.id, .package] | @tsv' "$T/afind.out" | LC_ALL=C sort)"
		check_eq "alpine: musl's finding stays, openssl's is fixed, busybox's introduced (binaries by origin)" \
			'[[["CVE-2099-0012","libcrypto1.1"],["CVE-2099-0012","libssl1.1"]],[["CVE-2099-0011","busybox"],["CVE-2099-0011","ssl_client"]]]' \
			"$(jq -c '[.findings.fixed, .findings.introduced] | map(map([.id, .package]))' "$T/afind.out")"
	fi
else
	note "no Trivy Alpine images at $DATA/images: part 2 skipped"
fi

# ---- 3. findings: Ubuntu 18.04 with one upgrade, one downgrade, one removal, one addition ----
if [ -d "$DATA/feeds/ubuntu/uct" ] && bash "$SRC/scripts/make-pkgdb-rootfs.sh" "$T/fs" >/dev/null 2>&1; then
	U=$T/fs/rootfs-ubuntu1804
	cp -a "$U" "$T/u2"
	S=$T/u2/var/lib/dpkg/status
	awk 'BEGIN { RS = ""; ORS = "\n\n" }
		/^Package: libsystemd0\n/ { s = $0; sub(/^Package: libsystemd0/, "Package: systemd", s); print s
			sub(/\nVersion: [^\n]*/, "\nVersion: 237-3ubuntu10.38") }
		/^Package: libudev1\n/ { sub(/\nVersion: [^\n]*/, "\nVersion: 200-1") }
		/^Package: bzip2\n/ { next }
		{ print }' "$U/var/lib/dpkg/status" >"$S"
	FDB=$(vigil_db diff-uct)
	vrun import db import "$DATA/feeds/ubuntu/uct" --db "$FDB"
	expect_rc import 0
	vrun vd diff "dir:$U" "dir:$T/u2" --db "$FDB" -q --format json
	expect_rc vd 0
	check_eq "ubuntu: libsystemd0 upgraded, libudev1 downgraded, bzip2 removed, systemd added" \
		'[["bzip2","removed"],["libsystemd0","upgraded"],["libudev1","downgraded"],["systemd","added"]]' \
		"$(jq -c '[.packages[] | [.name, .change]] | sort' "$T/vd.out")"
	vrun sa scan "dir:$U" --db "$FDB" -q --format json
	vrun sb scan "dir:$T/u2" --db "$FDB" -q --format json
	pairs() { jq -r '. as $r | .package_vulnerabilities | to_entries[] | .key as $p | .value[]
		| [$r.vulnerabilities[.].name, $r.packages[$p].name] | @tsv' "$1" | LC_ALL=C sort -u; }
	pairs "$T/sa.out" >"$T/pa"
	pairs "$T/sb.out" >"$T/pb"
	fixed=$(LC_ALL=C comm -23 "$T/pa" "$T/pb")
	intro=$(LC_ALL=C comm -13 "$T/pa" "$T/pb")
	check "ubuntu: the scans differ both ways ($(echo "$fixed" | grep -c .) fixed, $(echo "$intro" | grep -c .) introduced)" \
		test -n "$fixed" -a -n "$intro"
	check_eq "ubuntu: findings judged" true "$(jq -r .findings.judged "$T/vd.out")"
	check_eq "ubuntu: fixed = in scan A, not in scan B" "$fixed" \
		"$(jq -r '.findings.fixed[] | [.id, .package] | @tsv' "$T/vd.out" | LC_ALL=C sort)"
	check_eq "ubuntu: introduced = in scan B, not in scan A" "$intro" \
		"$(jq -r '.findings.introduced[] | [.id, .package] | @tsv' "$T/vd.out" | LC_ALL=C sort)"
	check "ubuntu: CVE-2020-1712 of libsystemd0 is fixed" grep -qP '^CVE-2020-1712\tlibsystemd0$' <<<"$fixed"
	vrun vdh diff "dir:$U" "dir:$T/u2" --db "$FDB" -q --format html -o "$T/ubuntu.html"
	expect_rc vdh 0
	html_check "$T/ubuntu.html" "$T/vd.out"
else
	note "no Ubuntu CVE tracker or package databases: part 3 skipped"
fi

# ---- 4. the demo image, HTML, errors ----
if [ -d "$IMAGES/oci" ]; then
	vrun demo diff "oci:$IMAGES/oci:v1" "oci:$IMAGES/oci:v2" --db "$DB" -q --format "json=$T/demo.json,html=$T/demo.html,table"
	expect_rc demo 0
	check "demo: the table says what the JSON says" grep -q "files: $(jq -r '.summary.files | "\(.added) added, \(.removed) removed, \(.changed) changed"' "$T/demo.json")" "$T/demo.out"
	check_eq "demo: v2 deletes curl's files by whiteout, adds etc/demo-layer3" \
		"$(jq -c '[.files[] | select(.change == "added") | .path]' "$T/demo.json")" '["etc/demo-layer3"]'
	check "demo: the deleted curl binary is removed" jq -e '.files[] | select(.path == "usr/bin/curl" and .change == "removed")' "$T/demo.json"
	check "demo: the HTML page's CSP fetches nothing" grep -q "default-src 'none'" "$T/demo.html"
	vrun nofiles diff "oci:$IMAGES/oci:v1" "oci:$IMAGES/oci:v2" --db "$DB" -q --format json --no-files
	expect_rc nofiles 0
	check_eq "--no-files: no file compared" '[0,{"added":0,"removed":0,"changed":0}]' \
		"$(jq -c '[(.files | length), .summary.files]' "$T/nofiles.out")"
	html_check "$T/demo.html" "$T/demo.json"
else
	note "no demo images at $IMAGES: part 4 skipped"
fi
vrun bad diff "oci:$T/a:t" "oci:$T/nothing-here:t" --db "$DB" -q
expect_rc bad 1
check "an unreadable image: the error names it" grep -q "nothing-here" "$T/bad.err"
check "an unreadable image: nothing on stdout" test ! -s "$T/bad.out"
vrun usage diff "oci:$T/a:t" --db "$DB"
expect_rc usage 2
vrun fmt diff "oci:$T/a:t" "oci:$T/a:t" --db "$DB" --format sarif
expect_rc fmt 2
it_done
