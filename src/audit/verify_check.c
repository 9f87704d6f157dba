/* audit/verify_check.c: one cosign signature checked: its payload parses
 * as simple signing JSON, the signature over the payload's bytes verifies
 * with the key (util/pkey.c: ECDSA P-256 and RSA over SHA-256, Ed25519),
 * and the payload is for the image: its docker-manifest-digest is the
 * image's digest, and (when asked) its docker-reference the image's
 * repository and its optional part holds the annotations asked for. */
#include "audit/verify_priv.h"
#include "util/error.h"
#include "util/slice.h"

#include <string.h>

/* "index.docker.io/library/x" and "docker.io/library/x" are one
 * repository; a tag or digest after the repository is ignored. */
static vigil_slice repo_of(vigil_slice r)
{
	ptrdiff_t slash = vigil_slice_rfind(r, '/'), at = vigil_slice_rfind(r, '@');
	if (at > slash)
		r.len = (size_t)at;
	ptrdiff_t colon = vigil_slice_rfind(r, ':');
	if (colon > slash && slash >= 0)
		r.len = (size_t)colon;
	if (vigil_slice_starts_with(r, "index.docker.io/"))
		r = vigil_slice_sub(r, 6, r.len - 6);
	return r;
}

static int check_reference(const verify_want *w, const char *what, const verify_payload *p)
{
	vigil_slice got = repo_of(vigil_slice_cstr(p->docker_reference));
	vigil_slice want = repo_of(vigil_slice_cstr(w->repository));
	if (vigil_slice_eq(got, want))
		return 0;
	return vigil_error_set(VIGIL_EDIGEST,
			       "%s: the payload names the repository \"%.300s\", not %s (--match-reference)", what,
			       p->docker_reference, w->repository);
}

int verify_check(const verify_want *w, const char *what, const char *payload, size_t len,
		 const unsigned char *sig, size_t siglen, verify_payload *p)
{
	int rc = verify_payload_parse(what, payload, len, p);
	if (rc < 0)
		return rc;
	if ((rc = vigil_pkey_verify(w->key, w->key_path, payload, len, sig, siglen)) < 0)
		return rc;
	if (rc == 0)
		return vigil_error_set(VIGIL_EDIGEST, "%s: bad signature: it does not verify with the key %s", what,
				       w->key_path);
	if (strcmp(p->manifest_digest, w->digest) != 0)
		return vigil_error_set(VIGIL_EDIGEST,
				       "%s: digest mismatch: the payload signs %s, the image is %s", what,
				       p->manifest_digest, w->digest);
	if (w->match_reference && (rc = check_reference(w, what, p)) < 0)
		return rc;
	return verify_payload_annotations(what, p, w->annotations, w->annotation_count);
}
