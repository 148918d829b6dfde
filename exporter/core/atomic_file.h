#pragma once
// Writing a file so that readers and crashes only ever see the old or the new content: write a
// temporary file beside it, fsync, rename over the target, fsync the directory.
// Thread-safety: reentrant; concurrent writers to the same path must be serialised by the caller.

#include <string>
#include <string_view>

#include "exporter/core/status.h"

namespace smoke::core {

// On error (e.g. disk full, directory not writable) the old file is left intact, the temporary
// file removed, and the Status names the path and the system error.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

// The whole file; an error names the path and the system error.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace smoke::core
