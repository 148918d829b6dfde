// smoke_exporter: flags, wiring, signals; nothing else.

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "exporter/config/loader.h"
#include "exporter/core/logging.h"
#include "exporter/core/open_file_limit.h"
#include "exporter/probes/probe.h"
#include "exporter/results/report.h"
#include "exporter/ruler/rules_check_command.h"
#include "exporter/ruler/rules_test_command.h"
#include "exporter/ruler/slo_command.h"
#include "exporter/ruler/slo_rules.h"
#include "exporter/scheduler/scheduler.h"
#include "exporter/server/gate_command.h"
#include "exporter/server/handlers.h"
#include "exporter/server/http_server.h"
#include "exporter/server/query_command.h"
#include "exporter/server/runtime.h"
#include "exporter/server/web_config_source.h"

#ifndef SMOKE_VERSION
#define SMOKE_VERSION "dev"
#endif

namespace {

using namespace smoke;

struct Flags {
  std::string config_file = "smoke.yml";
  std::string listen_address = ":9117";
  std::string web_config_file;
  bool enable_lifecycle = false;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string report_format = "table";
  std::vector<std::string> only_probes;
  bool allow_skipped = false;
  server::QueryCommandOptions query;
  server::GateCommandOptions gate;
  std::vector<std::string> rule_files;
  std::string rules_lint = "duplicate-rules";
  bool rules_lint_fatal = false;
  bool rules_strict_prometheus2 = false;
  std::string slo_output;
};

int CheckConfig(const Flags& flags) {
  // With --web.config.file, that file is checked too (including a trial TLS setup).
  if (!flags.web_config_file.empty()) {
    if (auto web = server::WebConfigSource::Load(flags.web_config_file); !web.ok()) {
      std::fprintf(stderr, "%s\n", web.status().message().c_str());
      std::fprintf(stderr, "FAILED: %s is not valid\n", flags.web_config_file.c_str());
      return 1;
    }
  }
  core::Result<config::ConfigPtr> cfg = config::LoadConfigFile(flags.config_file);
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", cfg.status().message().c_str());
    std::fprintf(stderr, "FAILED: %s is not valid\n", flags.config_file.c_str());
    return 1;
  }
  for (const std::string& w : (*cfg)->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  // Building every probe catches what only a probe can check (e.g. regex compilation).
  for (const config::ProbeSpec& spec : (*cfg)->probes) {
    core::Result<probes::ProbePtr> p = probes::MakeProbe(spec);
    if (!p.ok()) {
      std::fprintf(stderr, "%s:%d:%d: probe \"%s\": %s\n", spec.pos.file.c_str(), spec.pos.line,
                   spec.pos.column, spec.name.c_str(), p.status().message().c_str());
      return 1;
    }
  }
  // SLO queries and alert templates are PromQL and Go templates: the rule generator judges them.
  if (auto slos = ruler::GenerateSloGroups((*cfg)->slos); !slos.ok()) {
    std::fprintf(stderr, "%s\n", slos.status().message().c_str());
    std::fprintf(stderr, "FAILED: %s is not valid\n", flags.config_file.c_str());
    return 1;
  }
  std::printf("SUCCESS: %s is valid: %zu probes, %zu modules\n", flags.config_file.c_str(),
              (*cfg)->probes.size(), (*cfg)->modules.size());
  return 0;
}

int RunOnce(const Flags& flags) {
  core::Result<config::ConfigPtr> cfg = config::LoadConfigFile(flags.config_file);
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", cfg.status().message().c_str());
    return 2;
  }
  for (const std::string& w : (*cfg)->warnings) core::LogWarn(w);
  results::ReportFormat format = results::ReportFormat::kTable;
  if (flags.report_format == "markdown") format = results::ReportFormat::kMarkdown;
  if (flags.report_format == "json") format = results::ReportFormat::kJson;

  std::vector<scheduler::ScheduledProbe> scheduled;
  std::vector<std::string> kinds;
  std::vector<results::ReportRow> rows;
  for (const config::ProbeSpec& spec : (*cfg)->probes) {
    if (!flags.only_probes.empty() && std::find(flags.only_probes.begin(), flags.only_probes.end(),
                                                spec.name) == flags.only_probes.end()) {
      continue;
    }
    core::Result<probes::ProbePtr> p = probes::MakeProbe(spec);
    if (!p.ok()) {
      std::fprintf(stderr, "probe \"%s\": %s\n", spec.name.c_str(), p.status().message().c_str());
      return 2;
    }
    scheduled.push_back({spec.name, spec.interval, spec.timeout,
                         std::shared_ptr<const probes::Probe>(std::move(p).value())});
    kinds.push_back(spec.kind);
    rows.push_back({results::IdentityFromSpec(spec), {}});
  }
  for (const std::string& name : flags.only_probes) {
    bool known = false;
    for (const auto& row : rows) known = known || row.identity.name == name;
    if (!known) {
      std::fprintf(stderr, "unknown probe \"%s\" in --probe\n", name.c_str());
      return 2;
    }
  }
  // Load bursts run after every other probe has finished, so that their load does not show up
  // in the latencies the other probes measure against the same service.
  for (const bool bursts : {false, true}) {
    std::vector<scheduler::ScheduledProbe> batch;
    std::vector<size_t> rows_of_batch;
    for (size_t i = 0; i < scheduled.size(); ++i) {
      if ((kinds[i] == "burst") != bursts) continue;
      batch.push_back(scheduled[i]);
      rows_of_batch.push_back(i);
    }
    std::vector<core::ProbeResult> results = scheduler::Scheduler::RunAllOnce(
        batch, (*cfg)->global.max_concurrency, &core::SystemClock::Default());
    for (size_t j = 0; j < results.size(); ++j)
      rows[rows_of_batch[j]].result = std::move(results[j]);
  }
  std::fputs(results::RenderReport(rows, format).c_str(), stdout);
  const results::ReportTotals t = results::CountOutcomes(rows);
  if (t.failed > 0) return 1;
  if (t.skipped > 0 && !flags.allow_skipped) return 1;
  return 0;
}

// http://<hostname>:<port> of the listen address, as Prometheus derives its default external URL.
std::string ExternalUrl(const std::string& listen_address) {
  const size_t colon = listen_address.rfind(':');
  std::string host = colon == std::string::npos ? listen_address : listen_address.substr(0, colon);
  const std::string port = colon == std::string::npos ? "9117" : listen_address.substr(colon + 1);
  if (host.empty() || host == "0.0.0.0" || host == "[::]") {
    char name[256] = {0};
    host = gethostname(name, sizeof(name) - 1) == 0 && name[0] != '\0' ? name : "localhost";
  }
  return "http://" + host + ":" + port;
}

int Serve(const Flags& flags) {
  // Signals are taken synchronously by one thread; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const core::OpenFileLimit files = core::RaiseOpenFileLimit();
  core::LogInfo("starting smoke_exporter", {{"version", SMOKE_VERSION},
                                            {"config", flags.config_file},
                                            {"open_file_limit", std::to_string(files.now)}});
  server::RuntimeOptions options;
  options.config_file = flags.config_file;
  options.version = SMOKE_VERSION;
  options.external_url = ExternalUrl(flags.listen_address);
  core::Result<std::unique_ptr<server::Runtime>> rt = server::Runtime::Create(std::move(options));
  if (!rt.ok()) {
    core::LogError("cannot load configuration",
                   {{"file", flags.config_file}, {"errors", rt.status().message()}});
    return 1;
  }
  server::Runtime& runtime = **rt;
  server::HttpServerOptions web;
  web.listen_address = flags.listen_address;
  if (!flags.web_config_file.empty()) {
    auto wc = server::WebConfigSource::Load(flags.web_config_file);
    if (!wc.ok()) {
      core::LogError("cannot load the web config file",
                     {{"file", flags.web_config_file}, {"errors", wc.status().message()}});
      return 1;
    }
    (*wc)->Install(web);
    core::LogInfo("web config loaded",
                  {{"file", flags.web_config_file},
                   {"tls", (*wc)->initial().tls ? "true" : "false"},
                   {"basic_auth_users", std::to_string((*wc)->initial().basic_auth_users.size())}});
  }
  server::HttpServer http(std::move(web));
  server::InstallRoutes(http, runtime, flags.enable_lifecycle);
  if (core::Status s = http.Start(); !s.ok()) {
    core::LogError("cannot start web server", {{"error", s.message()}});
    return 1;
  }
  core::LogInfo("listening",
                {{"address", flags.listen_address}, {"port", std::to_string(http.port())}});
  runtime.Start();
  while (true) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      (void)runtime.Reload();
      continue;
    }
    core::LogInfo("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    break;
  }
  http.Stop();
  runtime.Stop();
  core::LogInfo("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  CLI::App app{
      "smoke_exporter " SMOKE_VERSION
      ": continuously probes an application's HTTP API, database, cache and monitoring stack,\n"
      "publishes the results as Prometheus metrics and tells a deploy script whether it may ship.\n"
      "Without a subcommand it serves /metrics, /probe, /api/v1/probes and a status page."};
  app.set_version_flag("--version", SMOKE_VERSION);
  app.fallthrough();  // global flags may follow the subcommand: run-once --config.file=x
  app.add_option("--config.file", flags.config_file, "Configuration file (YAML)")
      ->capture_default_str();
  app.add_option("--web.listen-address", flags.listen_address,
                 "Address to listen on for the web interface and metrics ([host]:port)")
      ->capture_default_str();
  app.add_option("--web.config.file", flags.web_config_file,
                 "Web config file (exporter-toolkit format): tls_server_config (HTTPS only), "
                 "basic_auth_users (bcrypt hashes) required on every endpoint, "
                 "http_server_config.headers; re-read when it changes");
  app.add_flag("--web.enable-lifecycle", flags.enable_lifecycle,
               "Allow POST /-/reload to reload the config (SIGHUP always does)");
  app.add_option("--log.level", flags.log_level,
                 "Only log messages at or above: debug, info, warn, error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--log.format", flags.log_format, "Log format: logfmt or json")
      ->check(CLI::IsMember({"logfmt", "json"}))
      ->capture_default_str();

  CLI::App* check =
      app.add_subcommand("check-config",
                         "Validate a configuration file and exit 0 (valid) or 1 (errors printed as "
                         "FILE:LINE:COL: message)");
  check->add_option("file", flags.config_file, "Configuration file (default: --config.file)");

  CLI::App* once = app.add_subcommand(
      "run-once",
      "Run every configured probe once, print a report and exit: 0 if all passed "
      "(degraded counts as passed), 1 if any failed or was skipped, 2 on bad config");
  once->add_option("--format", flags.report_format, "Report format: table, markdown or json")
      ->check(CLI::IsMember({"table", "markdown", "json"}))
      ->capture_default_str();
  once->add_option("--probe", flags.only_probes, "Run only this probe (repeatable)");
  once->add_flag("--allow-skipped", flags.allow_skipped,
                 "Exit 0 even if some checks were skipped (e.g. missing credentials)");

  CLI::App* query = app.add_subcommand(
      "query",
      "Evaluate a PromQL expression through a running exporter's (or a Prometheus's) "
      "/api/v1/query and print the result: exit 0, 1 on a query error, 2 if unreachable");
  query->add_option("expr", flags.query.expr, "PromQL expression")->required();
  query->add_option("--time", flags.query.time,
                    "Evaluation time, RFC 3339 or Unix seconds (default: the server's now)");
  query->add_option("--url", flags.query.url, "Base URL of the exporter or Prometheus")
      ->capture_default_str();

  CLI::App* gate = app.add_subcommand(
      "gate",
      "Ask a running exporter whether a release may ship (GET /api/v1/readiness), "
      "until ready or --wait passes: exit 0 ready, 1 blocked (violations printed as a "
      "table), 2 undecidable (unreachable, timeout, malformed answer)");
  gate->add_option("--url", flags.gate.url, "Base URL of the exporter (or its readiness URL)")
      ->capture_default_str();
  gate->add_option("--wait", flags.gate.wait, "Keep asking until ready or this long has passed")
      ->capture_default_str();
  gate->add_option("--interval", flags.gate.interval, "Time between questions")
      ->capture_default_str();
  gate->add_option("--selector", flags.gate.selectors,
                   "Scope the verdict to a label value (component=api, probe=db, env=staging); "
                   "repeatable, all must hold");

  CLI::App* rules = app.add_subcommand("rules", "Work with Prometheus rule files");
  rules->require_subcommand(1);
  CLI::App* rules_check = rules->add_subcommand(
      "check",
      "Check rule files as `promtool check rules` does: exit 0 (valid), 1 (errors), "
      "3 (lint findings with --lint-fatal)");
  rules_check->add_option("files", flags.rule_files, "Rule files to check")->required();
  rules_check->add_option("--lint", flags.rules_lint, "Lint checks: all, duplicate-rules, none")
      ->check(CLI::IsMember({"all", "duplicate-rules", "none"}))
      ->capture_default_str();
  rules_check->add_flag("--lint-fatal", flags.rules_lint_fatal, "Make lint findings exit with 3");
  rules_check->add_flag(
      "--strict-prometheus2", flags.rules_strict_prometheus2,
      "Give Prometheus 2.42's verdict: reject group labels and query_offset, only "
      "warn about expressions no rule can evaluate");
  CLI::App* rules_test = rules->add_subcommand(
      "test",
      "Run promtool unit-test files as `promtool test rules` does: exit 0 (all passed), "
      "1 (failures, printed per test)");
  rules_test->add_option("files", flags.rule_files, "Unit-test files to run")->required();
  rules_test->add_flag("--strict-prometheus2", flags.rules_strict_prometheus2,
                       "Give Prometheus 2.42's verdict: reject keys added later, evaluate with "
                       "Prometheus 2's windows, step input series by 0 in a test without interval");

  CLI::App* slo = app.add_subcommand("slo", "Work with the SLOs of the config (slos:)");
  slo->require_subcommand(1);
  CLI::App* slo_generate = slo->add_subcommand(
      "generate",
      "Write the SLOs' recording rules and multi-window multi-burn-rate alerts as a "
      "Prometheus rule file, for Prometheus or Thanos Ruler: exit 0, 1 on errors");
  slo_generate->add_option("--output", flags.slo_output, "Rule file to write (default: stdout)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error exits 2 (for `gate`: undecidable), never one
    // of CLI11's own codes that a deploy script would not expect.
    const int printed = app.exit(e);
    return printed == 0 ? 0 : 2;
  }
  core::ConfigureLogging(*core::ParseLogLevel(flags.log_level),
                         *core::ParseLogFormat(flags.log_format));
  if (check->parsed()) return CheckConfig(flags);
  if (once->parsed()) return RunOnce(flags);
  if (rules_check->parsed()) {
    ruler::RulesCheckOptions options;
    options.lint_duplicate_rules = flags.rules_lint != "none";
    options.lint_fatal = flags.rules_lint_fatal;
    options.load.strict_prometheus2 = flags.rules_strict_prometheus2;
    return ruler::RunRulesCheck(flags.rule_files, options, std::cout, std::cerr);
  }
  if (rules_test->parsed()) {
    ruler::RulesTestOptions options;
    options.run.strict_prometheus2 = flags.rules_strict_prometheus2;
    return ruler::RunRulesTest(flags.rule_files, options, std::cout, std::cerr);
  }
  if (slo_generate->parsed()) {
    return ruler::RunSloGenerate({flags.config_file, flags.slo_output}, std::cout, std::cerr);
  }
  if (query->parsed()) return server::RunQueryCommand(flags.query, std::cout, std::cerr);
  if (gate->parsed()) return server::RunGateCommand(flags.gate, std::cout, std::cerr);
  return Serve(flags);
}
