#include "exporter/ruler/template.h"

#include <utility>

#include "exporter/ruler/go_value.h"
#include "exporter/ruler/template_exec.h"
#include "exporter/ruler/template_funcs.h"
#include "exporter/ruler/template_parser.h"

namespace smoke::ruler {

namespace {

// rules/alerting.go prepends these definitions to every label and annotation template.
constexpr std::string_view kPreamble =
    "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
    "{{$externalURL := .ExternalURL}}{{$value := .Value}}";

go::Value MakeData(const TemplateData& data) {
  auto fields = std::make_shared<go::ValueList>();
  fields->push_back(go::Value::StringMap(data.labels));
  fields->push_back(go::Value::StringMap(data.external_labels));
  fields->push_back(go::Value::String(data.external_url));
  fields->push_back(go::Value::Float(data.value));
  return go::Value::List(go::AlertDataType(), std::move(fields));
}

std::string WithPreamble(std::string_view text) {
  std::string full(kPreamble);
  full.append(text);
  return full;
}

}  // namespace

struct Template::Impl {
  std::string name;
  std::shared_ptr<const tmpl::TreeSet> trees;
};

Template::Template(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Template::~Template() = default;

core::Result<std::shared_ptr<const Template>> Template::Parse(std::string_view name,
                                                              std::string_view text) {
  auto trees = tmpl::Parse(name, text, tmpl::HasFunction);
  if (!trees.ok()) return trees.status();
  auto impl = std::make_unique<Impl>();
  impl->name = std::string(name);
  impl->trees = std::move(trees).value();
  return std::shared_ptr<const Template>(new Template(std::move(impl)));
}

core::Result<std::string> Template::Execute(const TemplateData& data, int64_t eval_time_ms,
                                            const TemplateQueryFunc& query) const {
  tmpl::CallEnv env;
  env.eval_time_ms = eval_time_ms;
  env.external_url = data.external_url;
  env.query = query;
  core::Result<std::string> out = tmpl::Execute(*impl_->trees, MakeData(data), env);
  if (!out.ok()) {
    return core::Status::Error("error executing template " + impl_->name + ": " +
                               out.status().message());
  }
  return out;
}

core::Status CheckTemplate(std::string_view name, std::string_view text) {
  auto trees = tmpl::Parse(name, WithPreamble(text), tmpl::HasFunction);
  return trees.ok() ? core::Status::Ok() : trees.status();
}

std::string ExpandTemplate(std::string_view name, std::string_view text, const TemplateData& data,
                           int64_t eval_time_ms, const TemplateQueryFunc& query) {
  auto parsed = Template::Parse(name, WithPreamble(text));
  if (!parsed.ok()) {
    return "<error expanding template: error parsing template " + std::string(name) + ": " +
           parsed.status().message() + ">";
  }
  auto out = (*parsed)->Execute(data, eval_time_ms, query);
  if (!out.ok()) return "<error expanding template: " + out.status().message() + ">";
  return *out;
}

}  // namespace smoke::ruler
