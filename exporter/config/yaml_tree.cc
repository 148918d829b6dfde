#include "exporter/config/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace smoke::config {
namespace {

Mark ToMark(const YAML::Mark& m) {
  if (m.line < 0) return Mark{};
  return Mark{m.line + 1, m.column + 1};
}

class Converter {
 public:
  Converter(const YamlParseOptions& how, Diagnostics& diag) : how_(how), diag_(diag) {}

  // `fallback` is used for an empty value ("key:" with nothing after it), for which yaml-cpp
  // reports the position of the *next* token, often on another line.
  YamlNodePtr Convert(const YAML::Node& in, Mark fallback) {
    auto out = std::make_shared<YamlNode>();
    // Aliases are copied, so nested aliases ("billion laughs") could expand exponentially.
    if (++nodes_ > kMaxNodes) {
      if (nodes_ == kMaxNodes + 1) {
        diag_.Error(ToMark(in.Mark()), "the " + how_.subject + " expands to more than " +
                                           std::to_string(kMaxNodes) +
                                           " YAML nodes (are aliases nested?)");
      }
      out->poisoned = true;
      return out;
    }
    out->mark = ToMark(in.Mark());
    const bool container = in.IsSequence() || in.IsMap();
    if (container) {
      // An alias inside its own anchor ("&a [*a]") makes yaml-cpp build a cycle, and deep
      // nesting would exhaust the stack: both are reported instead of followed.
      for (const YAML::Node& ancestor : path_) {
        if (ancestor.is(in)) {
          diag_.Error(out->mark, "a YAML alias refers to a node that contains it");
          out->poisoned = true;
          return out;
        }
      }
      if (path_.size() >= kMaxDepth) {
        diag_.Error(out->mark, "YAML nesting is deeper than " + std::to_string(kMaxDepth));
        out->poisoned = true;
        return out;
      }
      path_.push_back(in);
    }
    switch (in.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        out->type = YamlNode::Type::kNull;
        if (fallback.line > 0 && out->mark.line != fallback.line) out->mark = fallback;
        break;
      case YAML::NodeType::Scalar:
        out->type = YamlNode::Type::kScalar;
        out->scalar = in.Scalar();
        if (how_.getenv != nullptr) Expand(*out);
        break;
      case YAML::NodeType::Sequence:
        out->type = YamlNode::Type::kSequence;
        for (const YAML::Node& item : in) out->items.push_back(Convert(item, out->mark));
        break;
      case YAML::NodeType::Map:
        out->type = YamlNode::Type::kMap;
        for (const auto& kv : in) AddEntry(*out, kv.first, kv.second);
        break;
    }
    if (container) path_.pop_back();
    return out;
  }

 private:
  void Expand(YamlNode& node) {
    core::Result<std::string> expanded = ExpandEnv(node.scalar, *how_.getenv);
    if (expanded.ok()) {
      node.scalar = std::move(expanded).value();
    } else {
      node.poisoned = true;
      diag_.Error(node.mark, expanded.status().message());
    }
  }

  void AddEntry(YamlNode& map, const YAML::Node& key, const YAML::Node& value) {
    const Mark key_mark = ToMark(key.Mark());
    if (!key.IsScalar()) {
      diag_.Error(key_mark, "mapping keys must be plain strings");
      return;
    }
    for (const YamlEntry& e : map.entries) {
      if (e.key == key.Scalar()) {
        const std::string line = std::to_string(e.key_mark.line);
        diag_.Error(key_mark,
                    how_.go_messages
                        ? "mapping key \"" + e.key + "\" already defined at line " + line
                        : "duplicate key \"" + e.key + "\" (first defined on line " + line + ")");
        return;
      }
    }
    map.entries.push_back(YamlEntry{key.Scalar(), key_mark, Convert(value, key_mark)});
  }

  static constexpr int kMaxNodes = 1'000'000;
  static constexpr size_t kMaxDepth = 200;

  const YamlParseOptions& how_;
  Diagnostics& diag_;
  int nodes_ = 0;
  std::vector<YAML::Node> path_;  // the maps and sequences being converted, outermost first
};

// Records where each document starts; nothing else is needed to count them.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// YAML::Load reads only the first document, so a second one would be dropped silently. Counting
// documents needs care: on a stray ',' yaml-cpp 0.7 reports an empty document at the same
// position forever (YAML::LoadAll never returns), so at most three are read and a repeated start
// position is reported as the syntax error it is. May throw YAML::Exception.
bool CheckSingleDocument(const std::string& text, Diagnostics& diag) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts handler;
  for (int i = 0; i < 3 && parser.HandleNextDocument(handler); ++i) {
  }
  const std::vector<YAML::Mark>& starts = handler.starts;
  for (size_t i = 1; i < starts.size(); ++i) {
    if (starts[i].pos == starts[i - 1].pos) {
      const size_t pos = static_cast<size_t>(std::max(starts[i].pos, 0));
      const std::string found = pos < text.size() ? std::string(1, text[pos]) : "end of input";
      diag.Error(ToMark(starts[i]), "YAML syntax error: unexpected \"" + found + "\"");
      return false;
    }
  }
  if (starts.size() > 1) {
    diag.Error(ToMark(starts[1]), "a config file holds one YAML document; found another one here");
    return false;
  }
  return true;
}

// "password_file" -> "password_env" and back; "" for other keys.
std::string SecretTwin(const std::string& key) {
  auto ends_with = [&](std::string_view suffix) {
    return key.size() > suffix.size() &&
           key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with("_file")) return key.substr(0, key.size() - 5) + "_env";
  if (ends_with("_env")) return key.substr(0, key.size() - 4) + "_file";
  return "";
}

}  // namespace

const YamlEntry* YamlNode::Find(std::string_view key) const {
  for (const YamlEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::string YamlNode::Describe() const {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kSequence:
      return "a sequence";
    case Type::kMap:
      return "a mapping";
    case Type::kScalar:
      break;
  }
  constexpr size_t kMaxShown = 60;
  if (scalar.size() > kMaxShown) return "\"" + scalar.substr(0, kMaxShown) + "...\"";
  return "\"" + scalar + "\"";
}

YamlNodePtr ParseYaml(const std::string& text, const EnvLookup& getenv, Diagnostics& diag) {
  YamlParseOptions how;
  how.getenv = &getenv;
  return ParseYamlWith(text, how, diag);
}

YamlNodePtr ParseYamlWith(const std::string& text, const YamlParseOptions& how, Diagnostics& diag) {
  YAML::Node root;
  try {
    root = YAML::Load(text);  // the first document
    if (how.single_document && !CheckSingleDocument(text, diag)) return nullptr;
  } catch (const YAML::ParserException& e) {
    diag.Error(ToMark(e.mark), "YAML syntax error: " + e.msg);
    return nullptr;
  } catch (const YAML::Exception& e) {
    diag.Error(ToMark(e.mark), "YAML error: " + e.msg);
    return nullptr;
  }
  try {
    return Converter(how, diag).Convert(root, Mark{});
  } catch (const YAML::Exception& e) {
    diag.Error(ToMark(e.mark), "YAML error: " + e.msg);
    return nullptr;
  }
}

YamlNodePtr MergeYaml(const YamlNodePtr& base, const YamlNodePtr& overlay) {
  if (!base) return overlay;
  if (!overlay) return base;
  if (!base->IsMap() || !overlay->IsMap()) return overlay;
  auto out = std::make_shared<YamlNode>(*overlay);
  out->entries.clear();
  for (const YamlEntry& b : base->entries) {
    const std::string twin = SecretTwin(b.key);
    if (!twin.empty() && overlay->Find(twin) != nullptr && overlay->Find(b.key) == nullptr) {
      continue;
    }
    const YamlEntry* o = overlay->Find(b.key);
    if (o == nullptr) {
      out->entries.push_back(b);
    } else {
      out->entries.push_back(YamlEntry{o->key, o->key_mark, MergeYaml(b.value, o->value)});
    }
  }
  for (const YamlEntry& o : overlay->entries) {
    if (base->Find(o.key) == nullptr) out->entries.push_back(o);
  }
  return out;
}

}  // namespace smoke::config
