#include "exporter/readiness/decision_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace smoke::readiness {
namespace {

std::string SysError(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Makes a rename or a new file in `dir` durable.
core::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return core::Status::Error(SysError("cannot open directory", dir));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0 && errno != EINVAL)
    return core::Status::Error(SysError("cannot sync directory", dir));
  return core::Status::Ok();
}

}  // namespace

DecisionLog::DecisionLog(DecisionLogOptions options) : options_(std::move(options)) {}

std::string DecisionLog::Rotated(int index) const {
  return options_.path + "." + std::to_string(index);
}

core::Status DecisionLog::Rotate() {
  if (options_.keep <= 0) {
    if (::unlink(options_.path.c_str()) != 0 && errno != ENOENT) {
      return core::Status::Error(SysError("cannot remove", options_.path));
    }
    return SyncDirectory(DirectoryOf(options_.path));
  }
  if (::unlink(Rotated(options_.keep).c_str()) != 0 && errno != ENOENT) {
    return core::Status::Error(SysError("cannot remove", Rotated(options_.keep)));
  }
  for (int i = options_.keep - 1; i >= 1; --i) {
    if (::rename(Rotated(i).c_str(), Rotated(i + 1).c_str()) != 0 && errno != ENOENT) {
      return core::Status::Error(SysError("cannot rotate", Rotated(i)));
    }
  }
  if (::rename(options_.path.c_str(), Rotated(1).c_str()) != 0 && errno != ENOENT) {
    return core::Status::Error(SysError("cannot rotate", options_.path));
  }
  return SyncDirectory(DirectoryOf(options_.path));
}

core::Status DecisionLog::Append(const nlohmann::json& entry) {
  const std::string line =
      entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  if (!durable()) {
    memory_bytes_ += line.size();
    memory_.push_back(line);
    // The newest entry is always kept, even when it alone is larger than the byte cap.
    while (memory_.size() > 1 &&
           (memory_.size() > options_.memory_entries || memory_bytes_ > options_.memory_bytes)) {
      memory_bytes_ -= memory_.front().size();
      memory_.pop_front();
    }
    return core::Status::Ok();
  }
  const std::string& path = options_.path;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      st.st_size + static_cast<int64_t>(line.size()) > options_.max_bytes) {
    if (core::Status s = Rotate(); !s.ok()) return s;
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return core::Status::Error(SysError("cannot open decision log", path));
  struct stat before {};
  const bool created = ::fstat(fd, &before) == 0 && S_ISREG(before.st_mode) && before.st_size == 0;
  size_t written = 0;
  core::Status result;
  while (written < line.size()) {
    const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      result = core::Status::Error(SysError("cannot write decision log", path));
      break;
    }
    written += static_cast<size_t>(n);
  }
  if (result.ok() && ::fdatasync(fd) != 0 && errno != EINVAL) {
    result = core::Status::Error(SysError("cannot sync decision log", path));
  }
  if (!result.ok() && written > 0 && S_ISREG(before.st_mode)) {
    // Leave no half line behind: the next entry must start on a line of its own.
    const int saved = errno;
    if (::ftruncate(fd, before.st_size) != 0) {
      // Nothing more to do; readers skip lines that are not JSON.
    }
    errno = saved;
  }
  ::close(fd);
  if (result.ok() && created) result = SyncDirectory(DirectoryOf(path));
  return result;
}

core::Result<std::vector<nlohmann::json>> DecisionLog::Recent(size_t limit) const {
  std::vector<nlohmann::json> out;
  std::lock_guard<std::mutex> lock(mu_);
  if (!durable()) {
    for (auto it = memory_.rbegin(); it != memory_.rend() && out.size() < limit; ++it) {
      out.push_back(nlohmann::json::parse(*it, nullptr, /*allow_exceptions=*/false));
    }
    return out;
  }
  for (int i = 0; i <= std::max(0, options_.keep) && out.size() < limit; ++i) {
    const std::string file = i == 0 ? options_.path : Rotated(i);
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      return core::Status::Error(SysError("cannot read decision log", file));
    }
    if (!S_ISREG(st.st_mode)) {
      return core::Status::Error("cannot read decision log " + file + ": not a regular file");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return core::Status::Error(SysError("cannot read decision log", file));
    std::vector<nlohmann::json> entries;
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!j.is_discarded() && j.is_object()) entries.push_back(std::move(j));
    }
    for (auto it = entries.rbegin(); it != entries.rend() && out.size() < limit; ++it) {
      out.push_back(std::move(*it));
    }
  }
  return out;
}

}  // namespace smoke::readiness
