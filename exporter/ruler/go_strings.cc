#include "exporter/ruler/go_strings.h"

#include <arpa/inet.h>

#include <cstdio>

#include "exporter/ruler/go_strconv.h"

namespace smoke::ruler::go {

namespace {

// unicode.ToUpper / ToLower for the scripts alert labels realistically contain; other runes map
// to themselves.
char32_t UpperRune(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') ? r - 32 : r;
  if (r == 0xB5) return 0x39C;
  if ((r >= 0xE0 && r <= 0xFE && r != 0xF7)) return r - 32;
  if (r == 0xFF) return 0x178;
  if (r >= 0x100 && r <= 0x17F) {
    if (r == 0x131) return 'I';
    if (r == 0x17F) return 'S';
    if ((r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E)) return (r % 2 == 0) ? r - 1 : r;
    if (r == 0x130 || r == 0x138 || r == 0x149) return r;
    return (r % 2 == 1) ? r - 1 : r;
  }
  if (r >= 0x3B1 && r <= 0x3C9 && r != 0x3C2) return r - 32;
  if (r == 0x3C2) return 0x3A3;
  if (r >= 0x3AC && r <= 0x3AF) {
    static const char32_t kTonos[] = {0x386, 0x388, 0x389, 0x38A};
    return kTonos[r - 0x3AC];
  }
  if (r >= 0x430 && r <= 0x44F) return r - 32;
  if (r >= 0x450 && r <= 0x45F) return r - 80;
  return r;
}

char32_t LowerRune(char32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  if ((r >= 0xC0 && r <= 0xDE && r != 0xD7)) return r + 32;
  if (r == 0x178) return 0xFF;
  if (r >= 0x100 && r <= 0x17F) {
    if (r == 0x130) return 'i';
    if ((r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E)) return (r % 2 == 1) ? r + 1 : r;
    if (r == 0x131 || r == 0x138 || r == 0x149 || r == 0x17F) return r;
    return (r % 2 == 0) ? r + 1 : r;
  }
  if (r >= 0x391 && r <= 0x3A9 && r != 0x3A2) return r + 32;
  if (r == 0x386) return 0x3AC;
  if (r >= 0x388 && r <= 0x38A) return r + 37;
  if (r >= 0x410 && r <= 0x42F) return r + 32;
  if (r >= 0x400 && r <= 0x40F) return r + 80;
  return r;
}

bool IsLetterOrDigit(char32_t r) {
  if (r < 0x80) {
    return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
  }
  if (!IsPrint(r)) return false;
  if (r <= 0xBF || r == 0xD7 || r == 0xF7) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;
  if (r >= 0x3000 && r <= 0x303F) return false;
  return true;
}

bool IsUnicodeSpace(char32_t r) {
  return r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || r == ' ' || r == 0x85 ||
         r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 ||
         r == 0x202F || r == 0x205F || r == 0x3000;
}

bool IsSeparator(char32_t r) {
  if (r <= 0x7F) {
    if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_') {
      return false;
    }
    return true;
  }
  if (IsLetterOrDigit(r)) return false;
  return IsUnicodeSpace(r);
}

// strings.Map: invalid UTF-8 bytes come out as U+FFFD.
template <typename F>
std::string MapRunes(std::string_view s, F mapping) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    int w;
    char32_t r = DecodeRune(s, &w);
    AppendRune(&out, mapping(r));
    s.remove_prefix(static_cast<size_t>(w));
  }
  return out;
}

bool IsASCII(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string Title(std::string_view s) {
  char32_t prev = ' ';
  return MapRunes(s, [&prev](char32_t r) {
    if (IsSeparator(prev)) {
      prev = r;
      return UpperRune(r);
    }
    prev = r;
    return r;
  });
}

std::string ToUpper(std::string_view s) {
  if (IsASCII(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
    return out;
  }
  return MapRunes(s, UpperRune);
}

std::string ToLower(std::string_view s) {
  if (IsASCII(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
  }
  return MapRunes(s, LowerRune);
}

std::string QueryEscape(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string HTMLEscapeString(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\0':
        out.append("\xEF\xBF\xBD");
        break;
      case '"':
        out.append("&#34;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string JSEscapeString(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  while (!s.empty()) {
    auto c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) {
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\'':
          out.append("\\'");
          break;
        case '"':
          out.append("\\\"");
          break;
        case '<':
          out.append("\\u003C");
          break;
        case '>':
          out.append("\\u003E");
          break;
        case '&':
          out.append("\\u0026");
          break;
        case '=':
          out.append("\\u003D");
          break;
        default:
          if (c < ' ') {
            out.append("\\u00");
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      s.remove_prefix(1);
      continue;
    }
    int w;
    char32_t r = DecodeRune(s, &w);
    if (IsPrint(r)) {
      out.append(s.substr(0, static_cast<size_t>(w)));
    } else {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "\\u%04X", static_cast<unsigned>(r));
      out.append(buf);
    }
    s.remove_prefix(static_cast<size_t>(w));
  }
  return out;
}

std::optional<HostPort> SplitHostPort(std::string_view hostport) {
  size_t i = hostport.rfind(':');
  if (i == std::string_view::npos) return std::nullopt;
  size_t j = 0, k = 0;
  std::string_view host;
  if (hostport[0] == '[') {
    size_t end = hostport.find(']');
    if (end == std::string_view::npos) return std::nullopt;
    if (end + 1 == hostport.size()) return std::nullopt;
    if (end + 1 != i) return std::nullopt;
    host = hostport.substr(1, end - 1);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.substr(0, i);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (hostport.find('[', j) != std::string_view::npos) return std::nullopt;
  if (hostport.find(']', k) != std::string_view::npos) return std::nullopt;
  return HostPort{std::string(host), std::string(hostport.substr(i + 1))};
}

std::string JoinHostPort(std::string_view host, std::string_view port) {
  if (host.find(':') != std::string_view::npos) {
    return "[" + std::string(host) + "]:" + std::string(port);
  }
  return std::string(host) + ":" + std::string(port);
}

bool IsIP(std::string_view s) {
  std::string str(s);
  unsigned char buf[16];
  if (str.find(':') != std::string::npos) return inet_pton(AF_INET6, str.c_str(), buf) == 1;
  return inet_pton(AF_INET, str.c_str(), buf) == 1;
}

}  // namespace smoke::ruler::go
