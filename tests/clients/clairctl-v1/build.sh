# tests/clients/clairctl-v1/build.sh: scripts/tools.sh's recipe for the Clair 2
# era clairctl (jgsqware/clairctl, glide-vendored, no go.mod): a GOPATH build
# of its tree with its vendor folder, as its Dockerfile does.
set -eu
GO111MODULE=off GOFLAGS= go build -o "$OUT" .
