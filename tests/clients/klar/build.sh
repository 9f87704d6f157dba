# tests/clients/klar/build.sh: scripts/tools.sh's recipe for klar (run in
# its source tree, GOPATH-style: klar predates modules and vendors its
# dependencies with govendor). The vendored clairpb's convert.go is left out:
# it holds Clair's server-side converters (unused by klar) and imports
# Clair's database and versionfmt packages, which klar never vendored;
# upstream's Dockerfile `go get`s the whole Clair tree instead.
set -eu
rm -f vendor/github.com/coreos/clair/api/v3/clairpb/convert.go
GO111MODULE=off GOFLAGS= go build -o "$OUT" .
