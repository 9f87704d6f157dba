# tests/clients/harbor-scanner-clair/build.sh: scripts/tools.sh's recipe for
# Harbor's Clair adapter (a module with its dependencies vendored): its
# Makefile's `go build ./cmd/harbor-scanner-clair`, from the vendor folder.
set -eu
go build -mod=vendor -o "$OUT" ./cmd/harbor-scanner-clair
