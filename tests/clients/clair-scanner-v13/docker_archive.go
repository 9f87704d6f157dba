// tests/clients/clair-scanner-v13/docker_archive.go: vigil's stand-in for
// the one function of clair-scanner v13 that needs a Docker engine. Its
// saveDockerImage (docker.go) asks the engine for `docker save IMAGE` and
// untars the stream into the scan's temporary folder; this one untars the
// `docker save` archive named by CLAIR_SCANNER_ARCHIVE instead, with
// clair-scanner's own untar (utils.go). Everything else (the layer server,
// the POSTs, the GET, the decoding into Clair's v1 types, the whitelist,
// the report and the exit code) is clair-scanner's unchanged code.
// build.sh removes saveDockerImage and createDockerClient from docker.go.
package main

import "os"

func saveDockerImage(imageName string, tmpPath string) {
	f, err := os.Open(os.Getenv("CLAIR_SCANNER_ARCHIVE"))
	if err != nil {
		logger.Fatalf("Could not save Docker image [%s]: %v", imageName, err)
	}
	defer f.Close()
	if err = untar(f, tmpPath); err != nil {
		logger.Fatalf("Could not save Docker image: could not untar [%s]: %v", imageName, err)
	}
}
