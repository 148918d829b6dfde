#pragma once
// The Alertmanager base URL a user configures ("http://am:9093", "https://host/alertmanager/")
// and the API endpoint derived from it.
// Thread-safety: pure functions.

#include <string>

#include "exporter/core/status.h"

namespace smoke::notifier {

// "{url}/api/v2/alerts" for an absolute http(s) URL with an optional path prefix (a trailing
// slash is ignored). Credentials inside the URL ("http://user:pw@host"), a query and a fragment
// are rejected: credentials belong in basic_auth/bearer_token, which are kept out of logs and
// labels, whereas a URL is shown everywhere. Error messages never repeat the URL's userinfo.
core::Result<std::string> AlertsEndpoint(const std::string& url);

}  // namespace smoke::notifier
