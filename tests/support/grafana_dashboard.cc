#include "tests/support/grafana_dashboard.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace smoke::testing {

using nlohmann::json;

namespace {

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

void CollectPanels(const json& panels, std::vector<const json*>* out) {
  if (!panels.is_array()) return;
  for (const json& p : panels) {
    out->push_back(&p);
    if (auto nested = p.find("panels"); nested != p.end()) CollectPanels(*nested, out);
  }
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::vector<const nlohmann::json*> Dashboard::Panels() const {
  std::vector<const nlohmann::json*> out;
  if (auto it = json.find("panels"); it != json.end()) CollectPanels(*it, &out);
  return out;
}

std::vector<DashboardQuery> Dashboard::Queries() const {
  std::vector<DashboardQuery> out;
  for (const nlohmann::json* p : Panels()) {
    auto targets = p->find("targets");
    if (targets == p->end() || !targets->is_array()) continue;
    for (const nlohmann::json& t : *targets) {
      DashboardQuery q;
      q.panel_id = p->value("id", 0);
      q.where = "panel " + std::to_string(q.panel_id) + " \"" + StringField(*p, "title") +
                "\" target " + StringField(t, "refId");
      q.description = StringField(*p, "description");
      q.expr = StringField(t, "expr");
      q.instant = t.value("instant", false) && !t.value("range", false);
      out.push_back(std::move(q));
    }
  }
  if (auto list = json.find("annotations"); list != json.end()) {
    for (const nlohmann::json& a : list->value("list", nlohmann::json::array())) {
      if (!a.contains("expr")) continue;  // Grafana's built-in annotations have no query
      DashboardQuery q;
      q.where = "annotation \"" + StringField(a, "name") + "\"";
      q.expr = StringField(a, "expr");
      out.push_back(std::move(q));
    }
  }
  return out;
}

core::Result<std::vector<DashboardVariable>> Dashboard::QueryVariables() const {
  std::vector<DashboardVariable> out;
  const nlohmann::json list =
      json.value("templating", nlohmann::json::object()).value("list", nlohmann::json::array());
  for (const nlohmann::json& v : list) {
    if (StringField(v, "type") != "query") continue;
    DashboardVariable var;
    var.name = StringField(v, "name");
    const std::string def = StringField(v, "definition");
    // label_values(SELECTOR, LABEL): the selector may hold commas, the label cannot.
    const std::string prefix = "label_values(";
    const size_t comma = def.rfind(',');
    if (def.rfind(prefix, 0) != 0 || def.empty() || def.back() != ')' ||
        comma == std::string::npos || comma < prefix.size()) {
      return core::Status::Error(file + ": variable " + var.name +
                                 ": expected label_values(SELECTOR, LABEL), got \"" + def + "\"");
    }
    var.selector = def.substr(prefix.size(), comma - prefix.size());
    var.label = def.substr(comma + 1, def.size() - comma - 2);
    var.label.erase(0, var.label.find_first_not_of(' '));
    var.label.erase(var.label.find_last_not_of(' ') + 1);
    if (auto all = v.find("allValue"); all != v.end() && all->is_string()) {
      var.all_value = all->get<std::string>();
    }
    out.push_back(std::move(var));
  }
  return out;
}

std::string Dashboard::Range() const {
  std::string from = json.value("time", nlohmann::json::object()).value("from", "now-6h");
  return from.rfind("now-", 0) == 0 ? from.substr(4) : "6h";
}

core::Result<std::vector<Dashboard>> LoadDashboards(const std::string& dir) {
  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  if (ec) return core::Status::Error(dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<Dashboard> out;
  for (const auto& path : paths) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    Dashboard d;
    d.file = path.filename().string();
    try {
      d.json = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {  // says where: "at line 3, column 5"
      return core::Status::Error(path.string() + ": " + e.what());
    }
    if (!d.json.is_object()) return core::Status::Error(path.string() + ": not a JSON object");
    out.push_back(std::move(d));
  }
  return out;
}

core::Result<std::string> ExpandVariables(std::string_view expr,
                                          const std::map<std::string, std::string>& values) {
  std::string out;
  for (size_t i = 0; i < expr.size();) {
    size_t end = i;
    std::string name;
    if (expr[i] == '$' && i + 1 < expr.size() && expr[i + 1] == '{') {
      end = expr.find('}', i);
      if (end == std::string_view::npos) return core::Status::Error("unterminated ${ in query");
      const std::string_view inner = expr.substr(i + 2, end - i - 2);
      name = std::string(inner.substr(0, inner.find(':')));  // ${name:format}: same value here
      if (name.empty() || !std::all_of(name.begin(), name.end(), IsNameChar)) {
        return core::Status::Error("malformed variable reference ${" + std::string(inner) + "}");
      }
      ++end;
    } else if (expr.substr(i, 2) == "[[") {
      end = expr.find("]]", i);
      if (end == std::string_view::npos) {
        out += expr[i++];  // "[[" without "]]" is not a variable
        continue;
      }
      name = std::string(expr.substr(i + 2, end - i - 2));
      end += 2;
    } else if (expr[i] == '$' && i + 1 < expr.size() && IsNameChar(expr[i + 1])) {
      end = i + 1;
      while (end < expr.size() && IsNameChar(expr[end])) ++end;
      name = std::string(expr.substr(i + 1, end - i - 1));
    } else {
      out += expr[i++];
      continue;
    }
    auto it = values.find(name);
    if (it == values.end()) return core::Status::Error("unknown variable $" + name);
    out += it->second;
    i = end;
  }
  return out;
}

std::map<std::string, std::string> GrafanaBuiltins(const Dashboard& dashboard) {
  const std::string range = dashboard.Range();
  // $__range_s: Grafana gives seconds; the default ranges are whole hours or minutes.
  long seconds = 0;
  try {
    const long n = std::stol(range);
    const char unit = range.back();
    seconds = unit == 'h' ? n * 3600 : unit == 'm' ? n * 60 : unit == 'd' ? n * 86400 : n;
  } catch (const std::exception&) {
    seconds = 6 * 3600;
  }
  return {{"__rate_interval", "1m"},
          {"__interval", "15s"},
          {"__range", range},
          {"__range_s", std::to_string(seconds)},
          {"__range_ms", std::to_string(seconds * 1000)}};
}

std::string MultiValueRegex(const std::vector<std::string>& values) {
  std::vector<std::string> escaped;
  for (const std::string& v : values) {
    std::string e;
    for (char c : v) {
      if (c == '\\') {
        e += "\\\\\\\\";  // an escaped backslash, inside a PromQL string
      } else {
        if (std::string_view("$^*{}[]+?.()|").find(c) != std::string_view::npos) e += "\\\\";
        e += c;
      }
    }
    escaped.push_back(std::move(e));
  }
  if (escaped.size() == 1) return escaped.front();
  std::string out = "(";
  for (size_t i = 0; i < escaped.size(); ++i) out += (i ? "|" : "") + escaped[i];
  return out + ")";
}

}  // namespace smoke::testing
