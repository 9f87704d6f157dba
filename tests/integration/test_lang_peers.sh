#!/bin/bash
# tests/integration/test_lang_peers.sh: vigil's language inventory judged
# against a real peer (issue 13). Builds the python and node images of
# lib/langimages.sh (from ../shared/testdata/lang and the demo's Debian base)
# and asserts that vigil finds every language package syft v1.57.2 finds
# there (same (ecosystem, name, version) after bench/lib/inventory.py's
# normalisation), apart from the exceptions bench/lib/peer_reasons.tsv
# accepts with a reason. Judged: PyPI and npm (vigil's scanners today) and
# every other ecosystem vigil reports a package of in that image (so the
# Debian tree's gems and Go binary are judged once vigil scans them); the
# same against Trivy when it is already built (GOEXPERIMENT=jsonv2
# scripts/tools.sh install trivy; not built here: many minutes of Go).
# syft is built once into build/tools (scripts/tools.sh, about 10 minutes
# on 2 cores); when it cannot be built, or not within 12 minutes (ctest
# gives the test 20), the test is skipped and says so. The full
# side-by-side table is bench/peers.sh's.
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
it_init
# shellcheck source=lib/langimages.sh
. "$(dirname "$0")/lib/langimages.sh"
lang_images_data >/dev/null || skip "the shared test data ($SRC/../shared/testdata/lang) is absent"
command -v skopeo >/dev/null 2>&1 || skip "skopeo is missing (apt-get install skopeo)"

rc=0
SYFT=$(timeout 720 "$SRC/scripts/tools.sh" path syft 2>"$T/syft.build") || rc=$?
[ "$rc" = 0 ] || skip "syft cannot be built here (scripts/tools.sh path syft: exit $rc, $(tail -n 3 "$T/syft.build" | tr '\n' ' '))"
TRIVY=
if [ -x "$SRC/build/tools/bin/trivy" ] &&
	[ "$(cat "$SRC/build/tools/bin/.trivy.version" 2>/dev/null)" = "$(awk '$1 !~ /^#/ && $2 == "trivy" { print $4 }' "$SRC/scripts/tools.lock")" ]; then
	TRIVY=$SRC/build/tools/bin/trivy
else
	note "trivy is not built (scripts/tools.sh install trivy): compared with syft only"
fi

INV=$SRC/bench/lib/inventory.py
R=$T/res
for image in python node; do
	check "image $image built" lang_image "$image" "$T/img"
	mkdir -p "$R/$image"
	vrun index-$image index "oci:$T/img/$image:t" --db "$T/v.db"
	expect_rc "index-$image" 0
	cp "$T/index-$image.out" "$R/$image/vigil.out"
	SYFT_CHECK_FOR_APP_UPDATE=false TMPDIR=$T "$SYFT" scan "oci-dir:$T/img/$image" -o syft-json -q \
		>"$R/$image/syft.out" 2>"$T/syft.err"
	check "syft read the $image image" test -s "$R/$image/syft.out"
	if python3 "$INV" missing "$R" "$image" syft vigil pypi,npm >"$T/miss" 2>&1; then
		sed -n 's/^not judged: /  not judged: /p' "$T/miss"
		pass "$image: vigil finds every language package syft finds ($(python3 "$INV" norm syft "$R/$image/syft.out" | grep -cvE '^(deb|rpm|apk|other)') rows, $(grep -c '^accepted' "$T/miss") accepted exceptions)"
	else
		fail "$image: syft finds language packages vigil does not:"
		cat "$T/miss"
	fi
	if [ -n "$TRIVY" ]; then
		"$TRIVY" image --input "$T/img/$image.docker.tar" --cache-dir "$T/trivy-cache" --offline-scan \
			--skip-db-update --skip-java-db-update --skip-check-update \
			--format cyclonedx --quiet >"$R/$image/trivy.out" 2>"$T/trivy.err"
		if python3 "$INV" missing "$R" "$image" trivy vigil pypi,npm >"$T/miss" 2>&1; then
			pass "$image: vigil finds every language package trivy finds"
		else
			fail "$image: trivy finds language packages vigil does not:"
			cat "$T/miss"
		fi
	fi
done

# what must hold whatever the peers do: the Python image's pip-installed
# packages (no OS package owns them) and the Debian tree's are all there
py=$(python3 "$INV" norm vigil "$R/python/vigil.out")
for want in "pypi	flask	2.0.0" "pypi	flask	2.2.2" "pypi	typing-extensions	4.4.0" \
	"pypi	cryptography	38.0.4" "pypi	setuptools	51.3.3" "pypi	setuptools	66.1.1"; do
	check "python image: vigil lists ${want//	/ }" grep -qxF "$want" <<<"$py"
done
check_eq "python image: the dpkg database with the Debian tree's 31 packages" 31 \
	"$(grep -c 'vigil test image, from packages.tsv' <(tar -xOzf "$T/img/python/blobs/sha256/$(jq -r '.layers[1].digest | sub("sha256:"; "")' \
		"$T/img/python/blobs/sha256/$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$T/img/python/index.json")")" ./var/lib/dpkg/status))"
it_done
