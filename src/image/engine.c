/* image/engine.c: docker:NAME and podman:NAME, an image read from the
 * local engine's API socket. Both engines serve Docker's Engine API
 * `GET /images/{name}/get` (podman's compat API the same path), whose
 * answer is a docker-archive: the tar `docker save` writes.
 *
 * Design: the archive is spooled, not read as a stream. Both engines write
 * manifest.json (which layers, which config) after the layers it names
 * (Docker before 25 and podman 4 put it last), so a reader of the stream
 * would have to keep every layer before knowing what they are; and vigil
 * streams layers from several threads at once, by offset. So the answer
 * goes through net/ (net_get_file over CURLOPT_UNIX_SOCKET_PATH: the one
 * HTTP client, its timeouts and caps) into a file of $TMPDIR (else
 * /var/tmp, not /tmp, which is often a small tmpfs), at most
 * VIGIL_IMAGE_MAX_ENGINE_ARCHIVE bytes; the file is opened, unlinked at
 * once (it disappears when the image is freed, or the process dies) and
 * read as any docker-archive (docker_archive.c, tarindex.c).
 *
 * The socket: docker: $DOCKER_HOST (unix:// only), else
 * /var/run/docker.sock; podman: $CONTAINER_HOST (unix:// only), else
 * $XDG_RUNTIME_DIR/podman/podman.sock when it exists, else
 * /run/podman/podman.sock. A tcp:// or ssh:// engine is refused: the
 * engine API has no authentication of its own over plain TCP and vigil does
 * not speak ssh. The name is checked (a reference's characters, no "..")
 * before it goes into the URL path, so it can only name an image. */
#include "image/image_priv.h"
#include "net/net.h"
#include "util/error.h"
#include "util/redact.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ENGINE_MAX_NAME      512  /* an image name or ID given to docker:/podman: */
#define ENGINE_MAX_SOCKET    108  /* sun_path */
#define ENGINE_CONNECT_S     10   /* connecting to the socket */
#define ENGINE_STALL_S       300  /* no byte for this long: the engine is stuck */

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-' || c == '/' || c == ':' || c == '@';
}

static int check_name(const char *engine, const char *name)
{
	size_t n = strlen(name);
	if (!n)
		return vigil_error_set(VIGIL_EINVAL, "%s:: no image name given", engine);
	if (n > ENGINE_MAX_NAME)
		return vigil_error_set(VIGIL_ELIMIT, "%s: an image name over %d bytes", engine, ENGINE_MAX_NAME);
	for (size_t i = 0; i < n; i++)
		if (!name_char_ok(name[i]))
			return vigil_error_set(VIGIL_EINVAL, "%s:%.*s: not an image name or ID (character 0x%02x)",
					       engine, (int)n, name, (unsigned char)name[i]);
	if (name[0] == '/' || name[0] == '.' || strstr(name, "..") || strstr(name, "//"))
		return vigil_error_set(VIGIL_EINVAL, "%s:%s: not an image name or ID", engine, name);
	return 0;
}

/* "unix:///path" of an environment variable into out; refused otherwise. */
static int socket_from_env(const char *var, const char *v, char *out, size_t n)
{
	if (strncmp(v, "unix://", 7))
		return vigil_error_set(VIGIL_EUNSUPPORTED,
				       "%s=%.200s: only a unix:// socket is read (a tcp:// engine API has no "
				       "authentication of its own, and ssh:// is not spoken); use a unix socket, "
				       "or `docker save` and docker-archive:FILE",
				       var, v);
	const char *p = v + 7;
	if (p[0] != '/' || strlen(p) >= n || strlen(p) >= ENGINE_MAX_SOCKET)
		return vigil_error_set(VIGIL_EINVAL, "%s=%.200s: not unix:// and an absolute path (at most %d bytes)",
				       var, v, ENGINE_MAX_SOCKET - 1);
	snprintf(out, n, "%s", p);
	return 0;
}

int img_engine_socket(const char *engine, char *out, size_t n)
{
	bool podman = !strcmp(engine, "podman");
	const char *var = podman ? "CONTAINER_HOST" : "DOCKER_HOST", *v = getenv(var);
	if (v && *v)
		return socket_from_env(var, v, out, n);
	if (!podman) {
		snprintf(out, n, "/var/run/docker.sock");
		return 0;
	}
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (xdg && *xdg) {
		int w = snprintf(out, n, "%s/podman/podman.sock", xdg);
		if (w > 0 && (size_t)w < n && (size_t)w < ENGINE_MAX_SOCKET && stat(out, &st) == 0)
			return 0;
	}
	snprintf(out, n, "/run/podman/podman.sock");
	return 0;
}

static const char *engine_label(const char *engine)
{
	return strcmp(engine, "podman") ? "the Docker engine" : "the podman service";
}

/* The socket is there and ours to use: a clear message before any connect. */
static int check_socket(const char *engine, const char *sock)
{
	struct stat st;
	if (stat(sock, &st) < 0)
		return vigil_error_set(errno == ENOENT ? VIGIL_ENOTFOUND : VIGIL_EIO,
				       "cannot reach %s at %s: is it running? (%s)", engine_label(engine), sock,
				       strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return vigil_error_set(VIGIL_EINVAL, "%s: not a socket (%s API socket expected)", sock,
				       engine_label(engine));
	if (access(sock, R_OK | W_OK) < 0)
		return vigil_error_set(VIGIL_EIO, "cannot use %s at %s: %s%s", engine_label(engine), sock,
				       strerror(errno), strcmp(engine, "docker") ? "" : " (is the user in the docker group?)");
	return 0;
}

/* The spool file's name, reserved with mkstemp (net_get_file renames its
 * temp file over it). */
static int spool_name(char *out, size_t n)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/var/tmp";
	int w = snprintf(out, n, "%s/vigil-engine-XXXXXX", dir);
	if (w < 0 || (size_t)w >= n)
		return vigil_error_set(VIGIL_ELIMIT, "TMPDIR=%.200s: path too long", dir);
	int fd = mkstemp(out);
	if (fd < 0)
		return vigil_error_set(VIGIL_EIO, "%s: cannot make a temporary file for the engine's archive: %s",
				       out, strerror(errno));
	close(fd);
	return 0;
}

/* The engine's own words from an error body ({"message": ...}, as both
 * Docker and podman answer), redacted and cut; "" when there are none. */
static void engine_message(net_xfer *x, char *out, size_t n)
{
	size_t len;
	const char *body = net_xfer_error_body(x, &len);
	json_t *root = body && len ? json_loadb(body, len, 0, NULL) : NULL;
	json_t *m = json_object_get(root, "message");
	char cut[256];
	out[0] = '\0';
	if (json_is_string(m) && json_string_length(m)) {
		snprintf(cut, sizeof(cut), "%s", json_string_value(m));
		for (char *c = cut; *c; c++)
			if ((unsigned char)*c < 0x20)
				*c = ' ';
		char red[512];
		snprintf(out, n, ": %s", vigil_redact_text(cut, red, sizeof(red)));
	}
	json_decref(root);
}

/* What went wrong, worded for the engine (not for the internal URL). */
static int engine_fail(const char *engine, const char *sock, net_xfer *x,
		       const net_outcome *o)
{
	long st = net_xfer_resp(x)->status;
	char why[512], said[600];
	snprintf(why, sizeof(why), "%s", vigil_error_message());
	engine_message(x, said, sizeof(said));
	if (o->fail == NET_FAIL_HTTP && st == 404)
		return vigil_error_set(VIGIL_ENOTFOUND, "no such image (engine at %s answered 404)", sock);
	if (o->fail == NET_FAIL_HTTP)
		return vigil_error_set(VIGIL_EIO, "%s at %s answered HTTP %ld%s", engine_label(engine), sock, st,
				       said);
	if (o->fail == NET_FAIL_CONNECT || (o->unreachable && o->fail != NET_FAIL_BROKEN))
		return vigil_error_set(VIGIL_EIO, "cannot reach %s at %s: is it running? (%s)",
				       engine_label(engine), sock, why);
	if (o->fail == NET_FAIL_BODY_CAP)
		return vigil_error_set(VIGIL_ELIMIT, "the archive from %s is over %llu bytes", sock,
				       (unsigned long long)VIGIL_IMAGE_MAX_ENGINE_ARCHIVE);
	if (o->fail == NET_FAIL_LOCAL)
		return vigil_error_set(VIGIL_EIO, "cannot spool the archive: %s", why);
	return vigil_error_set(VIGIL_EIO, "reading the archive from %s at %s failed: %s", engine_label(engine),
			       sock, why);
}

/* GET /images/NAME/get into path. */
static int fetch_archive(const char *engine, const char *name, const char *sock, const char *path)
{
	char url[ENGINE_MAX_NAME + 64];
	net_xfer *x = NULL;
	net_outcome o;
	net_policy p = {
		.connect_timeout_s = ENGINE_CONNECT_S,
		.stall_bytes = 1,
		.stall_time_s = ENGINE_STALL_S,
		.max_body = VIGIL_IMAGE_MAX_ENGINE_ARCHIVE,
		.allow_http = true,
		.unix_socket = sock,
	};
	net_req rq = { .url = url };
	int rc;
	snprintf(url, sizeof(url), "http://localhost/images/%s/get", name);
	if ((rc = net_global_init()) < 0 || (rc = net_xfer_new(&x)) < 0)
		goto out;
	if ((rc = net_get_file(x, &p, &rq, path, &o)) < 0)
		rc = engine_fail(engine, sock, x, &o);
out:
	net_xfer_free(x);
	return rc;
}

int img_engine_open(vigil_image *img, const char *engine, const char *name, const img_select *sel)
{
	char sock[4096], path[4096] = "";
	struct stat st;
	int rc;
	if ((rc = check_name(engine, name)) < 0 || (rc = img_engine_socket(engine, sock, sizeof(sock))) < 0 ||
	    (rc = check_socket(engine, sock)) < 0)
		goto out;
	char where[ENGINE_MAX_NAME + 16];
	snprintf(where, sizeof(where), "%s:%s", engine, name);
	if (!(img->where = vigil_arena_strdup(img->arena, where))) {
		rc = vigil_error_code();
		goto out;
	}
	if ((rc = spool_name(path, sizeof(path))) < 0) {
		path[0] = '\0';
		goto out;
	}
	if ((rc = fetch_archive(engine, name, sock, path)) < 0)
		goto out;
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0 || fstat(img->fd, &st) < 0) {
		rc = vigil_error_set(VIGIL_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	img->file_size = (uint64_t)st.st_size;
	unlink(path);
	path[0] = '\0';
	/* the engine exports the one image asked for: no name to choose by
	 * (podman tags it "localhost/NAME", Docker "NAME") */
	rc = img_docker_archive_resolve(img, NULL, sel);
out:
	if (path[0])
		unlink(path);
	return rc;
}
