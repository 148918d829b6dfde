#include "exporter/config/secret_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace smoke::config {

std::string SecretResolver::ResolvePath(const std::string& path) const {
  if (path.empty() || path[0] == '/' || base_dir_.empty()) return path;
  return base_dir_ + "/" + path;
}

core::Secret SecretResolver::FromFile(const std::string& path) {
  const std::string resolved = ResolvePath(path);
  const std::string source = "file:" + resolved;
  if (auto it = cache_.find(source); it != cache_.end()) return it->second;
  core::Secret secret;
  std::FILE* f = std::fopen(resolved.c_str(), "rb");
  if (f == nullptr) {
    secret = core::Secret::Unresolved(source,
                                      std::string("cannot be read (") + std::strerror(errno) + ")");
  } else {
    std::string value;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) value.append(buf, n);
    const bool failed = std::ferror(f) != 0;
    const int read_errno = errno;
    std::fclose(f);
    if (failed) {
      secret = core::Secret::Unresolved(
          source, std::string("cannot be read (") + std::strerror(read_errno) + ")");
    } else {
      if (!value.empty() && value.back() == '\n') value.pop_back();
      if (!value.empty() && value.back() == '\r') value.pop_back();
      secret = core::Secret::Resolved(std::move(value), source);
    }
  }
  cache_.emplace(source, secret);
  return secret;
}

core::Secret SecretResolver::FromEnv(const std::string& name) {
  const std::string source = "env:" + name;
  if (auto it = cache_.find(source); it != cache_.end()) return it->second;
  std::optional<std::string> value = getenv_ ? getenv_(name) : std::nullopt;
  core::Secret secret = value ? core::Secret::Resolved(std::move(*value), source)
                              : core::Secret::Unresolved(source, "is not set");
  cache_.emplace(source, secret);
  return secret;
}

std::optional<core::Secret> ReadSecretPair(const MapReader& map, std::string_view prefix,
                                           ParseContext& ctx) {
  const std::string file_key = std::string(prefix) + "_file";
  const std::string env_key = std::string(prefix) + "_env";
  if (map.Has(file_key) && map.Has(env_key)) {
    const Mark second = std::max(map.KeyMark(file_key), map.KeyMark(env_key));
    ctx.diag.Error(second,
                   Quote(file_key) + " and " + Quote(env_key) + " are mutually exclusive; set one");
    return std::nullopt;
  }
  const bool from_file = map.Has(file_key);
  const std::string& key = from_file ? file_key : env_key;
  if (!map.Has(key)) return std::nullopt;
  std::optional<std::string> name = map.String(key);
  if (!name) return std::nullopt;
  if (name->empty()) {
    ctx.diag.Error(map.ValueMark(key), Quote(key) + " must not be empty");
    return std::nullopt;
  }
  core::Secret secret = from_file ? ctx.secrets.FromFile(*name) : ctx.secrets.FromEnv(*name);
  if (!secret.present()) {
    ctx.diag.Warning(map.ValueMark(key), "secret " + secret.source() + " " + secret.error() + "; " +
                                             ctx.owner + " will be skipped");
  }
  return secret;
}

}  // namespace smoke::config
