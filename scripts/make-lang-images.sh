#!/bin/bash
# scripts/make-lang-images.sh: builds application images (language packages)
# from the real fixtures of ../shared/testdata/lang, for `make demo`: the
# same images tests/integration/test_lang_peers.sh and bench/peers.sh judge
# vigil with (tests/integration/lib/langimages.sh says what each holds).
# Built at run time, never kept in the repository; an image already built
# is reused.
#
# Usage: scripts/make-lang-images.sh OUTDIR NAME...   (NAME: node java python
#        go rust ruby php dotnet; python needs $IMAGES, scripts/make-images.sh)
# Exits 77 when the shared test data is absent.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
shift
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-langimg.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SRC T
# shellcheck source=../tests/integration/lib/langimages.sh
. "$SRC/tests/integration/lib/langimages.sh"
lang_images_data >/dev/null || { echo "make-lang-images: the shared test data is absent" >&2; exit 77; }
for name in "$@"; do
	lang_image "$name" "$OUT"
done
