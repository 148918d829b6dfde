#include "tests/support/http_client.h"

#include <curl/curl.h>

namespace smoke::testing {
namespace {

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

HttpReply Request(const std::string& url, const char* method, const std::string* body,
                  const TlsClientFiles* tls = nullptr) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  if (body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  if (tls != nullptr) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, tls->ca_file.c_str());
    if (!tls->cert_file.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, tls->cert_file.c_str());
      curl_easy_setopt(curl, CURLOPT_SSLKEY, tls->key_file.c_str());
    }
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  } else {
    reply.error = error[0] ? error : curl_easy_strerror(rc);
  }
  curl_easy_cleanup(curl);
  return reply;
}

}  // namespace

HttpReply HttpGet(const std::string& url) { return Request(url, "GET", nullptr); }
HttpReply HttpGet(const std::string& url, const TlsClientFiles& tls) {
  return Request(url, "GET", nullptr, &tls);
}
HttpReply HttpPost(const std::string& url, const std::string& body) {
  return Request(url, "POST", &body);
}

}  // namespace smoke::testing
