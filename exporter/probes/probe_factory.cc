#include "exporter/probes/http_probe.h"
#include "exporter/probes/postgres_probe.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/redis_probe.h"
#include "exporter/probes/tcp_probe.h"

namespace smoke::probes {

core::Result<ProbePtr> MakeProbe(const config::ProbeSpec& spec) {
  if (spec.kind == "http") return HttpProbe::Create(spec);
  if (spec.kind == "tcp") return TcpProbe::Create(spec);
  if (spec.kind == "postgres") return PostgresProbe::Create(spec);
  if (spec.kind == "redis") return RedisProbe::Create(spec);
  return core::Status::Error("unknown probe kind \"" + spec.kind + "\"");
}

}  // namespace smoke::probes
