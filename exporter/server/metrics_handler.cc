#include <prometheus/text_serializer.h>

#include <sstream>

#include "exporter/server/handlers.h"

namespace smoke::server {

HttpResponse HandleMetrics(Runtime& rt, const HttpRequest&) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, rt.Collect());
  HttpResponse resp = HttpResponse::Text(200, out.str());
  resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return resp;
}

}  // namespace smoke::server
