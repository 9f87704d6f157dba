# tests/clients/clair-scanner-v13/build.sh: scripts/tools.sh's recipe for
# clair-scanner v13 (arminc/clair-scanner, the last release that speaks
# Clair 2's v1 API; dep-managed, no vendor folder, no go.mod). Its own code
# with the go.mod and go.sum here: the versions of its Gopkg.lock where the
# Go proxy has them (coreos/clair v2.0.7, mow.cli v1.0.2,
# prometheus/client_golang v0.8.0 for Clair's api/v1), tagged releases of
# mbndr/logo and tablewriter (its lock pins untagged commits the proxy
# refuses). No Docker engine here: docker.go's saveDockerImage and
# createDockerClient are cut out and docker_archive.go stands in for them.
set -eu
rm -f ./*_test.go Gopkg.lock Gopkg.toml
awk '/^\/\/ saveDockerImage/ {skip = 1} /^\/\/ getImageLayerIds/ {skip = 0}
	!skip && $0 !~ /^\t"context"$/ && $0 !~ /"github.com\/docker\/docker\/client"/' docker.go >docker.go.new
mv docker.go.new docker.go
if grep -q 'ImageSave\|docker/client' docker.go; then echo "docker.go: the cut failed" >&2; exit 1; fi
cp "$CLIENTS/clair-scanner-v13/go.mod" "$CLIENTS/clair-scanner-v13/go.sum" "$CLIENTS/clair-scanner-v13/docker_archive.go" .
go build -o "$OUT" .
