/* util/curl_init.c: see curl_init.h. */
#include "util/curl_init.h"
#include "util/error.h"

#include <curl/curl.h>
#include <pthread.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static CURLcode result = CURLE_OK;

static void init(void) { result = curl_global_init(CURL_GLOBAL_DEFAULT); }

int vigil_curl_global_init(void)
{
	pthread_once(&once, init);
	if (result != CURLE_OK)
		return vigil_error_set(VIGIL_ERROR, "libcurl: %s", curl_easy_strerror(result));
	return 0;
}
