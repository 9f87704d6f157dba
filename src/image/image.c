/* image/image.c: the image object: its allocation (every way of opening an
 * image starts from img_new()), the layer table the resolvers fill, the
 * public accessors and img_free(). Called by the front door
 * (ref.c) and by the resolvers; calls none of them but the registry's and
 * the tar index's free functions. */
#include "image/image_priv.h"
#include "util/error.h"

#include <stdlib.h>
#include <unistd.h>

vigil_image *img_new(void)
{
	vigil_image *img = calloc(1, sizeof(*img));
	if (!img) {
		vigil_error_oom();
		return NULL;
	}
	img->dirfd = img->fd = -1;
	if (!(img->arena = vigil_arena_new(VIGIL_IMAGE_ARENA_CAP))) {
		free(img);
		vigil_error_oom();
		return NULL;
	}
	return img;
}

int img_layers_alloc(vigil_image *img, size_t n)
{
	img->layers = vigil_arena_calloc(img->arena, n ? n : 1, sizeof(*img->layers));
	img->locs = vigil_arena_calloc(img->arena, n ? n : 1, sizeof(*img->locs));
	if (!img->layers || !img->locs)
		return vigil_error_code();
	img->nlayers = n;
	return 0;
}

vigil_image_kind img_get_kind(const vigil_image *img) { return img->kind; }
const char *img_rootfs(const vigil_image *img) { return img->rootfs; }
const char *img_ref(const vigil_image *img) { return img->ref; }
const char *img_platform_name(const vigil_image *img) { return img->platform; }
const char *img_config_digest(const vigil_image *img) { return img->config_digest; }
size_t img_layer_count(const vigil_image *img) { return img->nlayers; }

int img_config_json(const vigil_image *img, const char **data, size_t *len)
{
	if (!img->config_json)
		return vigil_error_set(VIGIL_ENOTFOUND, "%s: the image has no config", img->ref ? img->ref : "image");
	*data = img->config_json;
	*len = img->config_len;
	return 0;
}

const char *img_manifest_digest(const vigil_image *img)
{
	return img->kind == VIGIL_IMAGE_ROOTFS ? NULL : img->manifest_digest;
}

const vigil_layer_desc *img_layer(const vigil_image *img, size_t i)
{
	return i < img->nlayers ? &img->layers[i] : NULL;
}

void img_free(vigil_image *img)
{
	if (!img)
		return;
	if (img->dirfd >= 0)
		close(img->dirfd);
	if (img->fd >= 0)
		close(img->fd);
	img_tar_index_free(&img->tar);
	img_registry_free(img->registry);
	vigil_arena_free(img->arena);
	free(img);
}
