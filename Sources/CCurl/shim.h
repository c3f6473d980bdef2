#ifndef SLUICE_CCURL_SHIM_H
#define SLUICE_CCURL_SHIM_H
#include <curl/curl.h>

// libcurl's option setters and info getters are variadic C functions, which Swift cannot
// call; these typed wrappers are the whole of the shim.
static inline CURLcode sluice_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode sluice_curl_set_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode sluice_curl_set_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode sluice_curl_set_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode sluice_curl_set_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*sluice_curl_write_callback)(char *, size_t, size_t, void *);
static inline CURLcode sluice_curl_set_write_function(CURL *h, sluice_curl_write_callback f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
typedef size_t (*sluice_curl_read_callback)(char *, size_t, size_t, void *);
static inline CURLcode sluice_curl_set_read_function(CURL *h, sluice_curl_read_callback f) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, f); }
typedef int (*sluice_curl_debug_callback)(CURL *, curl_infotype, char *, size_t, void *);
static inline CURLcode sluice_curl_set_debug_function(CURL *h, sluice_curl_debug_callback f) { return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, f); }
static inline CURLcode sluice_curl_get_response_code(CURL *h, long *code) { return curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code); }
static inline CURLcode sluice_curl_get_active_socket(CURL *h, curl_socket_t *s) { return curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, s); }
#endif
