/* server/events_parse.c: the envelope of a registry's notifications,
 * {"events": [Event...]}, as distribution's notifications/event.go writes
 * it (v1+json by distribution 2.x and Debian's docker-registry, v2+json
 * by 3.x: the same members vigil reads). Per event: action,
 * target.{mediaType, digest, repository, tag, url} and request.host;
 * everything else (ids, timestamps, actor, source, references) is left
 * alone. A pure function over the body: no allocation but the jansson
 * document and the array of results.
 *
 * The envelope fails as a whole (400) only when it is not an envelope:
 * not JSON, nested past SRV_EV_MAX_DEPTH (checked on the bytes before
 * jansson builds anything), more than SRV_EV_MAX_EVENTS events. One
 * malformed event is SRV_EV_BAD with the reason, and the others go on: a
 * registry retries a refused envelope until it is accepted, so one bad
 * event must not block its queue. Only a push of an image manifest or an
 * index is work (SRV_EV_MANIFEST, SRV_EV_INDEX); pulls, blob pushes,
 * mounts, deletes and other media types (schema 1, artifacts) are
 * SRV_EV_IGNORE. Repository names follow distribution's grammar, since
 * they go into the pull URL. */
#include "server/events.h"
#include "util/error.h"
#include "util/json.h"
#include "vigil/digest.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *type;
	srv_ev_kind kind;
} ev_media[] = {
	{ "application/vnd.docker.distribution.manifest.v2+json", SRV_EV_MANIFEST },
	{ "application/vnd.oci.image.manifest.v1+json", SRV_EV_MANIFEST },
	{ "application/vnd.docker.distribution.manifest.list.v2+json", SRV_EV_INDEX },
	{ "application/vnd.oci.image.index.v1+json", SRV_EV_INDEX },
};

static bool ev_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* distribution/reference: path-component = alnum+ (separator alnum+)*,
 * separator = "." | "_" | "__" | "-"+; components joined by "/". */
int srv_events_repo_ok(const char *name, size_t len)
{
	size_t i = 0;
	if (len == 0 || len > SRV_EV_MAX_REPO)
		return 0;
	for (;;) {
		if (i >= len || !ev_alnum(name[i]))
			return 0; /* a component (or what follows a separator) starts alnum */
		while (i < len && ev_alnum(name[i]))
			i++;
		if (i == len)
			return 1;
		if (name[i] == '/') {
			i++;
			continue;
		}
		if (name[i] == '.')
			i++;
		else if (name[i] == '_')
			i += i + 1 < len && name[i + 1] == '_' ? 2 : 1;
		else if (name[i] == '-')
			while (i < len && name[i] == '-')
				i++;
		else
			return 0;
	}
}

/* A tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
static bool tag_ok(vigil_slice t)
{
	if (!t.len || t.len > SRV_EV_MAX_TAG || t.ptr[0] == '.' || t.ptr[0] == '-')
		return false;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (!ev_alnum(c) && !(c >= 'A' && c <= 'Z') && c != '_' && c != '.' && c != '-')
			return false;
	}
	return true;
}

/* host[:port] (a name, an IPv4 address or a [v6] literal) lower-cased
 * into out; false when it holds anything else. */
static bool host_copy(vigil_slice h, char *out, size_t n)
{
	if (!h.len || h.len >= n)
		return false;
	for (size_t i = 0; i < h.len; i++) {
		char c = h.ptr[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!ev_alnum(c) && !strchr(".-:[]", c))
			return false;
		out[i] = c;
	}
	out[h.len] = '\0';
	return true;
}

/* The host[:port] of an http(s) URL (userinfo skipped). */
static bool url_host(vigil_slice u, char *out, size_t n)
{
	size_t skip = u.len > 7 && !strncmp(u.ptr, "http://", 7) ? 7 : u.len > 8 && !strncmp(u.ptr, "https://", 8) ? 8 : 0;
	if (!skip)
		return false;
	vigil_slice h = { u.ptr + skip, 0 };
	while (skip + h.len < u.len && !strchr("/?#", h.ptr[h.len]))
		h.len++;
	const char *at = memchr(h.ptr, '@', h.len);
	if (at) {
		h.len -= (size_t)(at + 1 - h.ptr);
		h.ptr = at + 1;
	}
	return host_copy(h, out, n);
}

static void ev_set(srv_event *e, srv_ev_kind k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ev_set(srv_event *e, srv_ev_kind k, const char *fmt, ...)
{
	va_list ap;
	e->kind = k;
	va_start(ap, fmt);
	vsnprintf(e->why, sizeof(e->why), fmt, ap);
	va_end(ap);
}

/* Classifies one event (path names it in reasons). */
static void parse_event(json_t *o, const char *path, srv_event *e)
{
	vigil_slice action, media, digest, repo, tag, url, host;
	json_t *target = NULL, *req = NULL;
	char p[64];
	size_t k;
	if (!json_is_object(o)) {
		ev_set(e, SRV_EV_BAD, "%s: not an object", path);
		return;
	}
	snprintf(p, sizeof(p), "%s.target", path);
	if (vigil_json_str(o, path, "action", 0, 32, &action) < 0 || vigil_json_obj(o, path, "target", 0, &target) < 0 ||
	    vigil_json_obj(o, path, "request", 0, &req) < 0 ||
	    vigil_json_str(target, p, "mediaType", 0, SRV_EV_MAX_MEDIA, &media) < 0) {
		ev_set(e, SRV_EV_BAD, "%s", vigil_error_message());
		return;
	}
	if (!vigil_slice_eq(action, VIGIL_SLICE_LIT("push"))) {
		ev_set(e, SRV_EV_IGNORE, "%s: action \"%.*s\"", path, (int)(action.len > 16 ? 16 : action.len), action.ptr);
		return;
	}
	for (k = 0; k < sizeof(ev_media) / sizeof(ev_media[0]); k++)
		if (vigil_slice_eq(media, vigil_slice_cstr(ev_media[k].type)))
			break;
	if (k == sizeof(ev_media) / sizeof(ev_media[0])) {
		ev_set(e, SRV_EV_IGNORE, "%s: a push of %.*s", path, (int)(media.len > 80 ? 80 : media.len),
		       media.len ? media.ptr : "no media type");
		return;
	}
	/* a push of a manifest: the target must be whole */
	if (vigil_json_str(target, p, "digest", VIGIL_JSON_REQUIRED, VIGIL_MANIFEST_DIGEST_MAX - 1, &digest) < 0 ||
	    vigil_json_str(target, p, "repository", VIGIL_JSON_REQUIRED, SRV_EV_MAX_REPO, &repo) < 0 ||
	    vigil_json_str(target, p, "tag", 0, 1024, &tag) < 0 || vigil_json_str(target, p, "url", 0, SRV_EV_MAX_URL, &url) < 0 ||
	    vigil_json_str(req, path, "host", 0, SRV_EV_MAX_HOST - 1, &host) < 0) {
		ev_set(e, SRV_EV_BAD, "%s", vigil_error_message());
		return;
	}
	memcpy(e->digest, digest.ptr, digest.len);
	e->digest[digest.len] = '\0';
	if (memchr(digest.ptr, 0, digest.len) || vigil_digest_check(e->digest, "target.digest") < 0) {
		ev_set(e, SRV_EV_BAD, "%s.digest: not a digest", p);
		e->digest[0] = '\0';
		return;
	}
	if (!srv_events_repo_ok(repo.ptr, repo.len)) {
		ev_set(e, SRV_EV_BAD, "%s.repository: not a repository name", p);
		return;
	}
	memcpy(e->repo, repo.ptr, repo.len);
	e->repo[repo.len] = '\0';
	if (tag_ok(tag)) {
		memcpy(e->tag, tag.ptr, tag.len);
		e->tag[tag.len] = '\0';
	}
	if (host.len && !host_copy(host, e->host, sizeof(e->host))) {
		ev_set(e, SRV_EV_BAD, "%s.request.host: not a host", path);
		return;
	}
	if (url.len)
		(void)url_host(url, e->url_host, sizeof(e->url_host)); /* a strange URL names no host */
	if (!e->host[0] && !e->url_host[0]) {
		ev_set(e, SRV_EV_BAD, "%s: neither request.host nor target.url names the registry", path);
		return;
	}
	e->kind = ev_media[k].kind;
}

/* Nesting of [ and { outside strings, on the bytes. */
static bool too_deep(const char *b, size_t len)
{
	int depth = 0;
	bool str = false;
	for (size_t i = 0; i < len; i++) {
		char c = b[i];
		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = false;
		} else if (c == '"') {
			str = true;
		} else if (c == '[' || c == '{') {
			if (++depth > SRV_EV_MAX_DEPTH)
				return true;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return false;
}

int srv_events_parse(const char *body, size_t len, srv_event_batch *out, char *msg, size_t msg_n)
{
	json_error_t je;
	json_t *root = NULL, *evs = NULL, *v;
	char why[JSON_ERROR_TEXT_LENGTH], path[32];
	size_t i;
	int st = 0;
	memset(out, 0, sizeof(*out));
	msg[0] = '\0';
	if (len > SRV_EV_MAX_BODY) {
		snprintf(msg, msg_n, "the envelope is over %zu bytes", SRV_EV_MAX_BODY);
		return 413;
	}
	if (too_deep(body, len)) {
		snprintf(msg, msg_n, "the envelope is nested deeper than %d", SRV_EV_MAX_DEPTH);
		return 400;
	}
	if (!(root = json_loadb(body, len, 0, &je))) {
		snprintf(msg, msg_n, "body: line %d: %s", je.line, vigil_json_error_text(&je, why, sizeof(why)));
		return 400;
	}
	if (!json_is_object(root)) {
		snprintf(msg, msg_n, "body: an envelope {\"events\": [...]} expected");
		st = 400;
		goto out;
	}
	if (vigil_json_arr(root, "", "events", 0, SRV_EV_MAX_EVENTS, &evs) < 0) {
		snprintf(msg, msg_n, "body: %s", vigil_error_message());
		st = 400;
		goto out;
	}
	if (!evs || !json_array_size(evs))
		goto out; /* Go's omitempty: an envelope without events */
	if (!(out->ev = calloc(json_array_size(evs), sizeof(*out->ev)))) {
		snprintf(msg, msg_n, "out of memory");
		st = 500;
		goto out;
	}
	json_array_foreach(evs, i, v) {
		snprintf(path, sizeof(path), "events[%zu]", i);
		parse_event(v, path, &out->ev[i]);
		out->n++;
	}
out:
	vigil_error_clear();
	json_decref(root);
	return st;
}

void srv_events_batch_free(srv_event_batch *b)
{
	if (!b)
		return;
	free(b->ev);
	b->ev = NULL;
	b->n = 0;
}
