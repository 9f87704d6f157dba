/* util/curl_init.h: libcurl's process-wide initialisation, done once for
 * every module that uses libcurl (the feed fetcher, the registry client):
 * curl_global_init() is not thread-safe and must not run twice at once. */
#ifndef VIGIL_UTIL_CURL_INIT_H
#define VIGIL_UTIL_CURL_INIT_H

/* 0, or VIGIL_ERROR with libcurl's message (the same answer every call). */
int vigil_curl_global_init(void);

#endif
