#include "exporter/core/status.h"

namespace smoke::core {

const std::string& Status::message() const {
  static const std::string kEmpty;
  return message_ ? *message_ : kEmpty;
}

}  // namespace smoke::core
