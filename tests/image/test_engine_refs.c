/* tests/image/test_engine_refs.c: the references of images from where they
 * are, before any transfer: which API socket docker: and podman: use
 * ($DOCKER_HOST, $CONTAINER_HOST, $XDG_RUNTIME_DIR, the defaults; tcp://
 * and relative paths refused), the image names that may go into the
 * engine's URL (no "..", no blanks, no leading "/"), a socket that is not
 * there or not a socket, and oci-archive: without a file or without an OCI
 * layout. The transfers themselves: tests/integration/test_engine_images.sh. */
#include "helpers.h"
#include "image/image_priv.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void open_fails(const char *ref, int code, const char *needle)
{
	vigil_image *img = (vigil_image *)1;
	int rc = img_open(ref, NULL, &img);
	if (rc != code)
		fail_msg("%s: want %d, got %d (%s)", ref, code, rc, vigil_error_message());
	assert_null(img);
	if (needle && !strstr(vigil_error_message(), needle))
		fail_msg("%s: message \"%s\" lacks \"%s\"", ref, vigil_error_message(), needle);
}

static void test_sockets(void **state)
{
	char s[4096], dir[] = "/tmp/vigil-engine-test-XXXXXX", p[256];
	unsetenv("DOCKER_HOST");
	unsetenv("CONTAINER_HOST");
	unsetenv("XDG_RUNTIME_DIR");
	assert_int_equal(img_engine_socket("docker", s, sizeof(s)), 0);
	assert_string_equal(s, "/var/run/docker.sock");
	assert_int_equal(img_engine_socket("podman", s, sizeof(s)), 0);
	assert_string_equal(s, "/run/podman/podman.sock");
	setenv("DOCKER_HOST", "unix:///srv/d.sock", 1);
	assert_int_equal(img_engine_socket("docker", s, sizeof(s)), 0);
	assert_string_equal(s, "/srv/d.sock");
	assert_int_equal(img_engine_socket("podman", s, sizeof(s)), 0); /* not podman's variable */
	assert_string_equal(s, "/run/podman/podman.sock");
	static const char *const bad[] = { "tcp://127.0.0.1:2375", "ssh://u@h", "unix://rel.sock", "/abs.sock",
		"unix://" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("DOCKER_HOST", bad[i], 1);
		if (img_engine_socket("docker", s, sizeof(s)) >= 0)
			fail_msg("DOCKER_HOST=%s accepted", bad[i]);
		assert_non_null(strstr(vigil_error_message(), "DOCKER_HOST="));
	}
	setenv("DOCKER_HOST", "tcp://127.0.0.1:2375", 1);
	open_fails("docker:alpine", VIGIL_EUNSUPPORTED, "only a unix:// socket");
	unsetenv("DOCKER_HOST");
	setenv("CONTAINER_HOST", "unix:///run/user/1000/podman/podman.sock", 1);
	assert_int_equal(img_engine_socket("podman", s, sizeof(s)), 0);
	assert_string_equal(s, "/run/user/1000/podman/podman.sock");
	unsetenv("CONTAINER_HOST");
	/* $XDG_RUNTIME_DIR/podman/podman.sock when it is there */
	assert_non_null(mkdtemp(dir));
	setenv("XDG_RUNTIME_DIR", dir, 1);
	assert_int_equal(img_engine_socket("podman", s, sizeof(s)), 0);
	assert_string_equal(s, "/run/podman/podman.sock");
	snprintf(p, sizeof(p), "%s/podman", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/podman/podman.sock", dir);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(img_engine_socket("podman", s, sizeof(s)), 0);
	assert_string_equal(s, p);
	/* a file that is not a socket */
	open_fails("podman:alpine", VIGIL_EINVAL, "not a socket");
	unlink(p);
	snprintf(p, sizeof(p), "%s/podman", dir);
	rmdir(p);
	rmdir(dir);
	unsetenv("XDG_RUNTIME_DIR");
}

static void test_names(void **state)
{
	setenv("DOCKER_HOST", "unix:///nonexistent/vigil/docker.sock", 1);
	open_fails("docker:alpine:3.10", VIGIL_ENOTFOUND, "cannot reach the Docker engine at /nonexistent/vigil/docker.sock: is it running?");
	open_fails("docker-daemon:alpine", VIGIL_ENOTFOUND, "cannot reach the Docker engine");
	static const char *const bad[] = { "docker:", "docker:../containers/json", "docker:a/../../b",
		"docker:/etc/passwd", "docker:a b", "docker:a?x=1", "docker:a#b", "docker:a%2e%2e", "docker:.hidden",
		"docker:a//b", "podman:x\ty" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		open_fails(bad[i], VIGIL_EINVAL, NULL);
	char longname[700];
	memset(longname, 'a', sizeof(longname) - 1);
	memcpy(longname, "docker:", 7);
	longname[sizeof(longname) - 1] = '\0';
	open_fails(longname, VIGIL_ELIMIT, "over 512 bytes");
	unsetenv("DOCKER_HOST");
}

static void test_oci_archive_refs(void **state)
{
	open_fails("oci-archive:", VIGIL_EINVAL, "no file");
	open_fails("oci-archive:/nonexistent/vigil.tar", VIGIL_ENOTFOUND, "oci-archive:/nonexistent/vigil.tar");
	open_fails("oci-archive:/tmp", VIGIL_EINVAL, "not a regular file");
	/* a tar with no OCI layout in it */
	char path[] = "/tmp/vigil-ociarch-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	char block[1024] = { 0 }; /* an empty tar: two zero blocks */
	assert_int_equal(write(fd, block, sizeof(block)), (ssize_t)sizeof(block));
	close(fd);
	char ref[64];
	snprintf(ref, sizeof(ref), "oci-archive:%s", path);
	open_fails(ref, VIGIL_EFORMAT, "not an oci-archive");
	unlink(path);
	open_fails("containers-storage:x", VIGIL_EUNSUPPORTED, "oci-archive:FILE[:TAG]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sockets),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_oci_archive_refs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
