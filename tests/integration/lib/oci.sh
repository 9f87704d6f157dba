# tests/integration/lib/oci.sh: OCI layouts built here from folders, one
# reproducible gzip layer per folder (sorted names, uid 0, mtime 0), so a
# test can make an image out of the shared fixtures without any tool
# beyond tar, gzip and sha256sum. Needs $T (the test's scratch folder).

# blob_put LAYOUT FILE: moves FILE into the layout's blobs; prints its digest.
blob_put() {
	local h
	h=$(sha256sum "$2" | cut -d' ' -f1)
	mv "$2" "$1/blobs/sha256/$h"
	echo "sha256:$h"
}
bsize() { stat -c %s "$1/blobs/sha256/${2#sha256:}"; }

# oci_from_dirs LAYOUT DIR...: an OCI layout (tag "t") with one gzip layer per DIR.
# OCI_CONFIG (optional): members added to the image config, as JSON text
# ('"config":{"User":"app"},"history":[...]'); unset: the config has none.
oci_from_dirs() {
	local out=$1 d tarf digest diff layers="" diffs=""
	shift
	mkdir -p "$out/blobs/sha256"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
	for d in "$@"; do
		tarf=$T/layer.$$.tar
		tar -C "$d" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$tarf" .
		diff=sha256:$(sha256sum "$tarf" | cut -d' ' -f1)
		gzip -n "$tarf"
		digest=$(blob_put "$out" "$tarf.gz")
		layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$digest\",\"size\":$(bsize "$out" "$digest")}"
		diffs+="${diffs:+,}\"$diff\""
	done
	printf '{"architecture":"amd64","os":"linux",%s"rootfs":{"type":"layers","diff_ids":[%s]}}' \
		"${OCI_CONFIG:+$OCI_CONFIG,}" "$diffs" >"$T/config.json"
	local cfg
	cfg=$(blob_put "$out" "$T/config.json")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
		"$cfg" "$(bsize "$out" "$cfg")" "$layers" >"$T/manifest.json"
	local man
	man=$(blob_put "$out" "$T/manifest.json")
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"t"}}]}' \
		"$man" "$(bsize "$out" "$man")" >"$out/index.json"
}
