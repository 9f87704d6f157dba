# tests/clients/clair-scanner-v14/build.sh: scripts/tools.sh's recipe for
# clair-scanner 14.x (arminc/clair-scanner, Clair v4's API through
# claircore's types; a module with its go.mod and go.sum). No Docker engine
# here: docker.go's RealDockerClient (the engine client) is cut out and
# docker_archive.go stands in for it; nothing else changes.
set -eu
rm -f ./*_test.go
awk '/^\/\/ RealDockerClient implements/ {skip = 1} /^\/\/ FileSystem defines/ {skip = 0}
	!skip && $0 !~ /"github.com\/docker\/docker\/client"/' docker.go >docker.go.new
mv docker.go.new docker.go
if grep -q 'client\.NewEnvClient\|docker/docker/client' docker.go; then echo "docker.go: the cut failed" >&2; exit 1; fi
cp "$CLIENTS/clair-scanner-v14/docker_archive.go" .
go build -o "$OUT" .
