// Golden tests for alert template expansion: Go text/template constructs, Prometheus's functions
// and the error texts Prometheus produces. The expected strings for everything Prometheus 2.42
// supports were checked against promtool (template_promtool_test.cc runs the same kind of cases
// against it); toDuration, now and urlQueryEscape follow later Prometheus releases.

#include "exporter/ruler/template.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace smoke::ruler {
namespace {

// A stand-in for the PromQL engine: "up" has two series, "empty" none, "fail" errors.
core::Result<promql::Vector> FakeQuery(const std::string& expr) {
  if (expr == "fail") return core::Status::Error("boom");
  if (expr == "empty") return promql::Vector{};
  promql::Vector v;
  v.push_back({promql::Labels{{"__name__", "up"}, {"instance", "b:9090"}, {"job", "x"}}, 0, 1});
  v.push_back({promql::Labels{{"__name__", "up"}, {"instance", "a:9090"}, {"job", "x"}}, 0, 0.5});
  return v;
}

struct Case {
  std::string text;
  std::string want;
  double value = 0;
  std::map<std::string, std::string> labels = {};
  int64_t eval_time_ms = 0;
};

std::string Expand(const Case& c) {
  TemplateData data;
  data.value = c.value;
  data.labels = c.labels;
  data.external_labels = {{"cluster", "eu-1"}};
  data.external_url = "http://example.com/prom";
  return ExpandTemplate("__alert_T", c.text, data, c.eval_time_ms, FakeQuery);
}

TEST(TemplateTest, ExpandsConstructsAndFunctionsAsPrometheus) {
  const std::vector<Case> cases = {
      {"{{ $value }}", "1e+06", 1e6},
      {"{{ $labels.instance }} of {{ $labels.job }} is down",
       "db-1:5432 of postgres is down",
       0,
       {{"instance", "db-1:5432"}, {"job", "postgres"}}},
      // A missing key of map[string]string is "" (Prometheus runs with missingkey=zero); of
      // map[string]interface{} it is nil, which prints as <no value>.
      {"{{ .Labels.instance }}|{{ $labels.missing }}|{{ index $labels \"nope\" }}|",
       "i|||",
       0,
       {{"instance", "i"}}},
      {"{{ (args 1 \"x\").arg1 }} {{ (args 1).arg3 }}", "x <no value>"},
      {"{{ $externalLabels.cluster }} {{ .ExternalURL }} {{ $externalURL }}",
       "eu-1 http://example.com/prom http://example.com/prom"},
      {"{{ if gt $value 10.0 }}big{{ else if gt $value 5.0 }}mid{{ else }}small{{ end }}", "mid",
       7},
      {"{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}",
       "a=1;b=2;",
       0,
       {{"b", "2"}, {"a", "1"}}},
      {"{{ range $labels }}[{{ . }}]{{ else }}none{{ end }}", "none"},
      {"{{ with $labels.instance }}at {{ . }}{{ else }}nowhere{{ end }}", "nowhere"},
      {"{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"},
      {"{{ range $i, $e := (args \"a\" \"b\" \"c\") }}{{ if eq $i \"arg1\" }}{{ continue }}{{ end "
       "}}"
       "{{ $e }}{{ if eq $e \"c\" }}{{ break }}{{ end }}{{ end }}",
       "ac"},
      {"{{ define \"sub\" }}<{{ . }}>{{ end }}{{ template \"sub\" $value }}", "<3>", 3},
      {"{{- \"a\" -}}  \n  {{- \"b\" }} {{/* c */}} x", "ab  x"},
      {"{{ printf \"%.2f\" $value }} {{ printf \"%d|%5.1f|%q\" 42 3.14159 \"q\" }}",
       "100.00 42|  3.1|\"q\"", 99.999},
      {"{{ len $labels }} {{ slice \"abcdef\" 1 3 }} {{ eq 1 1 }} {{ and 1 0 }} {{ or 0 \"x\" }} "
       "{{ not true }}",
       "1 bc true 0 x false",
       0,
       {{"a", "1"}}},
      {"{{ html \"<a>&\" }} {{ js \"a'b\" }} {{ urlquery \"a b\" }} {{ print 1 2 \"a\" }}",
       "&lt;a&gt;&amp; a\\'b a+b 1 2a"},
      {"{{ humanize $value }} {{ humanize1024 $value }} {{ humanizeDuration $value }} "
       "{{ humanizePercentage 0.5 }} {{ humanizeTimestamp 0 }}",
       "90.06k 87.95ki 1d 1h 1m 1s 50% 1970-01-01 00:00:00 +0000 UTC", 90061},
      {"{{ toUpper \"abc\" }} {{ toLower \"ABC\" }} {{ title \"hello world\" }}",
       "ABC abc Hello World"},
      {"{{ reReplaceAll \"(a+)\" \"<$1>\" \"caaab\" }} {{ match \"^a.c$\" \"abc\" }}",
       "c<aaa>b true"},
      {"{{ stripPort \"host:123\" }} {{ stripDomain \"db.example.com:5432\" }} "
       "{{ parseDuration \"1h30m\" }}",
       "host db:5432 5400"},
      {"{{ graphLink \"up == 0\" }} {{ tableLink \"up\" }} {{ safeHtml \"<b>\" }}",
       "/graph?g0.expr=up+%3D%3D+0&g0.tab=0 /graph?g0.expr=up&g0.tab=1 <b>"},
      {"{{ (toTime 1700000000).Format \"2006-01-02 15:04\" }} {{ toTime 1.5 }} {{ (toTime 0).Unix "
       "}}",
       "2023-11-14 22:13 1970-01-01 00:00:01.5 +0000 UTC 0"},
      {"{{ externalURL }} {{ pathPrefix }}", "http://example.com/prom /prom"},
      // Functions added after Prometheus 2.42.
      {"{{ toDuration 90 }} {{ (toDuration 1.5).Seconds }} {{ toDuration 0.0015 }} {{ now }} "
       "{{ urlQueryEscape \"a b/c\" }}",
       "1m30s 1.5 1.5ms 1.700000000123e+09 a+b%2Fc",
       0,
       {},
       1700000000123},
      {"{{ range query \"up\" }}{{ .Labels.instance }}={{ .Value }};{{ end }}",
       "b:9090=1;a:9090=0.5;"},
      {"{{ range query \"up\" | sortByLabel \"instance\" }}{{ label \"instance\" . }}={{ value . "
       "}};"
       "{{ end }}",
       "a:9090=0.5;b:9090=1;"},
      {"{{ with query \"empty\" }}yes{{ else }}none{{ end }} {{ query \"up\" | first | strvalue "
       "}}|",
       "none |"},
      {"{{ 0x1F }} {{ 1e3 }} {{ 'a' }} {{ -2 }} {{ \"tab\\there\" }} {{ `raw\\n` }} {{ true }}",
       "31 1000 97 -2 tab\there raw\\n true"},
      {"{{ printf \"%d\" 1.5 }} {{ printf \"%s\" }}", "%!d(float64=1.5) %!s(MISSING)"},
  };
  for (const Case& c : cases) EXPECT_EQ(Expand(c), c.want) << "template: " << c.text;
}

TEST(TemplateTest, ExecutionErrorsReadAsPrometheusWritesThem) {
  // Positions count Prometheus's preamble ({{$labels := .Labels}}...), 114 bytes on line 1.
  const std::string prefix =
      "<error expanding template: error executing template __alert_T: template: __alert_T:";
  const std::vector<Case> cases = {
      {"{{ humanize \"abc\" }}",
       prefix + "1:115: executing \"__alert_T\" at <humanize \"abc\">: error calling humanize: "
                "strconv.ParseFloat: parsing \"abc\": invalid syntax>"},
      {"a\n{{ .Nope }}",
       prefix + "2:3: executing \"__alert_T\" at <.Nope>: can't evaluate field Nope in type "
                "struct { Labels map[string]string; ExternalLabels map[string]string; "
                "ExternalURL string; Value float64 }>"},
      {"{{ query \"fail\" }}",
       prefix + "1:115: executing \"__alert_T\" at <query \"fail\">: error calling query: boom>"},
      {"{{ query \"empty\" | first }}",
       prefix + "1:131: executing \"__alert_T\" at <first>: error calling first: first() called "
                "on vector with no elements>"},
      {"{{ template \"missing\" }}",
       prefix + "1:124: executing \"__alert_T\" at <{{template \"missing\"}}>: template "
                "\"missing\" not defined>"},
      {"{{ nil | print }}",
       prefix + "1:115: executing \"__alert_T\" at <nil>: nil is not a command>"},
      // Unbounded recursion is an error, not a crash.
      {"{{ define \"r\" }}{{ template \"r\" }}{{ end }}{{ template \"r\" }}",
       prefix + "1:140: executing \"r\" at <{{template \"r\"}}>: exceeded maximum template depth "
                "(100000)>"},
  };
  for (const Case& c : cases) EXPECT_EQ(Expand(c), c.want) << "template: " << c.text;
}

TEST(TemplateTest, ParseErrorsAreGoText) {
  // Each message was checked against `promtool check rules` (Prometheus 2.42).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{{ foo }}", "template: __alert_X:1: function \"foo\" not defined"},
      {"{{ if }}", "template: __alert_X:1: missing value for if"},
      {"{{ if true }}", "template: __alert_X:1: unexpected EOF"},
      {"{{ end }}", "template: __alert_X:1: unexpected {{end}}"},
      {"{{ $undefined }}", "template: __alert_X:1: undefined variable \"$undefined\""},
      {"{{ \"unterminated }}", "template: __alert_X:1: unterminated quoted string"},
      {"{{ 1 | 2 }}", "template: __alert_X:1: non executable command in pipeline stage 2"},
      {"{{ (1 }}", "template: __alert_X:1: unclosed left paren"},
      {"{{ 3x }}", "template: __alert_X:1: bad number syntax: \"3x\""},
      {"{{ break }}", "template: __alert_X:1: {{break}} outside {{range}}"},
      {"line1\nline2 {{ if true }}\n{{ else }}{{ else }}{{ end }}",
       "template: __alert_X:3: expected end; found {{else}}"},
      {"{{\n  if\n}}", "template: __alert_X:3: missing value for if"},
  };
  for (const auto& [text, want] : cases) {
    core::Status st = CheckTemplate("__alert_X", text);
    ASSERT_FALSE(st.ok()) << text;
    EXPECT_EQ(st.message(), want) << text;
    // The rule engine shows the same text inside the alert.
    TemplateData data;
    EXPECT_EQ(ExpandTemplate("__alert_X", text, data, 0),
              "<error expanding template: error parsing template __alert_X: " + want + ">");
  }
  // The preamble's variables are defined for the check, as in rule loading.
  EXPECT_TRUE(CheckTemplate("__alert_X", "{{ $labels.a }}{{ $value }}{{ $externalURL }}").ok());
}

TEST(TemplateTest, ParsedTemplateExecutesRepeatedlyWithDifferentData) {
  auto parsed = Template::Parse("t", "{{ .Labels.job }}={{ .Value | humanize }}");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  TemplateData a;
  a.labels = {{"job", "api"}};
  a.value = 1500;
  TemplateData b;
  b.labels = {{"job", "db"}};
  b.value = 0.002;
  EXPECT_EQ(*(*parsed)->Execute(a, 0), "api=1.5k");
  EXPECT_EQ(*(*parsed)->Execute(b, 0), "db=2m");

  // Without the preamble $labels is undefined; errors name the template as given.
  EXPECT_EQ(Template::Parse("t", "{{ $labels }}").status().message(),
            "template: t:1: undefined variable \"$labels\"");
  auto bad = Template::Parse("t", "{{ humanize .Labels }}");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ((*bad)->Execute(a, 0).status().message(),
            "error executing template t: template: t:1:3: executing \"t\" at <humanize .Labels>: "
            "error calling humanize: can't convert map[string]string to float");
}

TEST(TemplateTest, QueryWithoutEngineIsAnErrorNotACrash) {
  TemplateData data;
  const std::string out = ExpandTemplate("__alert_Q", "{{ query \"up\" }}", data, 0);
  EXPECT_NE(out.find("error calling query: query is not available here"), std::string::npos) << out;
}

TEST(TemplateTest, OneParsedTemplateRunsConcurrently) {
  auto parsed = Template::Parse(
      "t", "{{ range $k, $v := .Labels }}{{ $k }}={{ $v }},{{ end }}{{ printf \"%.1f\" .Value }}");
  ASSERT_TRUE(parsed.ok());
  std::vector<std::thread> threads;
  std::vector<std::string> outs(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      TemplateData d;
      d.labels = {{"n", std::to_string(i)}};
      d.value = i;
      for (int k = 0; k < 200; ++k) outs[i] = *(*parsed)->Execute(d, 0);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(outs[i], "n=" + std::to_string(i) + "," + std::to_string(i) + ".0");
}

TEST(TemplateTest, PathologicalInputIsRejectedNotCrashed) {
  const std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  core::Status st = CheckTemplate("__alert_D", "{{ " + deep + " }}");
  EXPECT_EQ(st.message(), "template: __alert_D:1: template nested too deeply");
  std::string ifs;
  for (int i = 0; i < 3000; ++i) ifs += "{{ if true }}";
  EXPECT_FALSE(CheckTemplate("__alert_D", ifs).ok());
  // Invalid UTF-8 and NUL bytes pass through text and are escaped where Go escapes them.
  TemplateData data;
  data.labels = {{"l", std::string("a\xff\0b", 4)}};
  EXPECT_EQ(ExpandTemplate("__alert_U", "{{ printf \"%q\" $labels.l }}", data, 0),
            "\"a\\xff\\x00b\"");
}

}  // namespace
}  // namespace smoke::ruler
