// tests/clients/clair-scanner-v14/docker_archive.go: vigil's stand-in for
// the Docker engine client of clair-scanner 14.x (the releases speaking
// Clair v4). Its RealDockerClient.ImageSave (docker.go) asks the engine for
// `docker save IMAGE`, an OCI layout (index.json, blobs/sha256/...) since
// Docker 25; this one opens the archive named by CLAIR_SCANNER_ARCHIVE (an
// oci-archive of the same layout). Everything else (the untar, the layer
// server, the index_report POST, the vulnerability_report GET decoded into
// claircore's types, the whitelist, the report, the exit code) is
// clair-scanner's own code. build.sh removes the engine client from docker.go.
package main

import (
	"context"
	"io"
	"os"
)

// RealDockerClient reads `docker save`'s stream from a file
type RealDockerClient struct{}

func NewRealDockerClient() (*RealDockerClient, error) {
	return &RealDockerClient{}, nil
}

func (r *RealDockerClient) ImageSave(ctx context.Context, imageIDs []string) (io.ReadCloser, error) {
	return os.Open(os.Getenv("CLAIR_SCANNER_ARCHIVE"))
}
