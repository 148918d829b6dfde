#include "exporter/ruler/template_funcs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <utility>

#include "exporter/ruler/go_format.h"
#include "exporter/ruler/go_regexp.h"
#include "exporter/ruler/go_strconv.h"
#include "exporter/ruler/go_strings.h"
#include "exporter/ruler/go_time.h"
#include "exporter/ruler/humanize.h"

namespace smoke::ruler::tmpl {

namespace {

using go::Kind;
using go::Type;
using go::Value;
using Args = std::vector<Value>;
using FuncMap = std::map<std::string, Func, std::less<>>;

// What Go's runtime reports when a function dereferences a nil pointer (text/template recovers
// the panic and reports it as the call's error).
constexpr char kNilDeref[] = "runtime error: invalid memory address or nil pointer dereference";

core::Status Err(std::string msg) { return core::Status::Error(std::move(msg)); }

const Type* RV() { return go::ReflectValueType(); }
const Type* Any() { return go::AnyType(); }
const Type* Str() { return go::StringType(); }

Value IndirectInterface(const Value& v) { return v.kind() == Kind::kInterface ? Value() : v; }

bool Truth(const Value& v) { return IsTrue(IndirectInterface(v)); }

Func Make(std::vector<const Type*> in, bool variadic,
          std::function<core::Result<Value>(const CallEnv&, Args&)> call, bool builtin = false) {
  Func f;
  f.in = std::move(in);
  f.variadic = variadic;
  f.builtin = builtin;
  f.call = std::move(call);
  return f;
}

// ---- comparisons (text/template funcs.go) ----

enum class BasicKind { kInvalid, kBool, kComplex, kInt, kFloat, kString, kUint };

BasicKind BasicKindOf(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool:
      return BasicKind::kBool;
    case Kind::kInt:
      return BasicKind::kInt;
    case Kind::kUint:
      return BasicKind::kUint;
    case Kind::kFloat:
      return BasicKind::kFloat;
    case Kind::kComplex:
      return BasicKind::kComplex;
    case Kind::kString:
      return BasicKind::kString;
    default:
      return BasicKind::kInvalid;
  }
}

constexpr char kBadComparisonType[] = "invalid type for comparison";
constexpr char kBadComparison[] = "incompatible types for comparison";

bool IsNilValue(const Value& v) {
  if (!v.IsValid()) return true;
  switch (v.kind()) {
    case Kind::kInterface:
    case Kind::kMap:
    case Kind::kPointer:
    case Kind::kSlice:
      return v.IsNil();
    default:
      return false;
  }
}

core::Result<Value> Eq(const CallEnv&, Args& args) {
  Value arg1 = IndirectInterface(args[0]);
  if (args.size() < 2) return Err("missing argument for comparison");
  BasicKind k1 = BasicKindOf(arg1);
  for (size_t i = 1; i < args.size(); ++i) {
    Value arg = IndirectInterface(args[i]);
    BasicKind k2 = BasicKindOf(arg);
    bool truth = false;
    if (k1 != k2) {
      if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
        truth = arg1.AsInt() >= 0 && static_cast<uint64_t>(arg1.AsInt()) == arg.AsUint();
      } else if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
        truth = arg.AsInt() >= 0 && arg1.AsUint() == static_cast<uint64_t>(arg.AsInt());
      } else if (arg1.IsValid() && arg.IsValid()) {
        return Err(kBadComparison);
      }
    } else {
      switch (k1) {
        case BasicKind::kBool:
          truth = arg1.AsBool() == arg.AsBool();
          break;
        case BasicKind::kComplex:
          truth = arg1.AsComplex() == arg.AsComplex();
          break;
        case BasicKind::kFloat:
          truth = arg1.AsFloat() == arg.AsFloat();
          break;
        case BasicKind::kInt:
          truth = arg1.AsInt() == arg.AsInt();
          break;
        case BasicKind::kString:
          truth = arg1.AsString() == arg.AsString();
          break;
        case BasicKind::kUint:
          truth = arg1.AsUint() == arg.AsUint();
          break;
        case BasicKind::kInvalid: {
          bool can_compare = arg1.kind() == arg.kind() || !arg1.IsValid() || !arg.IsValid();
          if (!can_compare) {
            return Err("non-comparable types " + go::Sprintf("%s", {arg1}) + ": " +
                       arg1.type()->name + ", " + arg.type()->name + ": " + go::FormatValue(arg));
          }
          if (IsNilValue(arg1) || IsNilValue(arg)) {
            truth = IsNilValue(arg) == IsNilValue(arg1);
          } else {
            if (!arg.type()->comparable) {
              return Err("non-comparable type " + go::Sprintf("%s", {arg}) + ": " +
                         arg.type()->name);
            }
            if (arg1.type() != arg.type()) {
              truth = false;
            } else if (arg.kind() == Kind::kPointer) {
              truth = arg1.Address() == arg.Address();
            } else if (arg.type() == go::TimeType()) {
              truth =
                  arg1.AsTime().sec == arg.AsTime().sec && arg1.AsTime().nsec == arg.AsTime().nsec;
            }
          }
          break;
        }
      }
    }
    if (truth) return Value::Bool(true);
  }
  return Value::Bool(false);
}

core::Result<bool> Lt(const Value& a1, const Value& a2) {
  Value arg1 = IndirectInterface(a1);
  BasicKind k1 = BasicKindOf(arg1);
  if (k1 == BasicKind::kInvalid) return Err(kBadComparisonType);
  Value arg2 = IndirectInterface(a2);
  BasicKind k2 = BasicKindOf(arg2);
  if (k2 == BasicKind::kInvalid) return Err(kBadComparisonType);
  if (k1 != k2) {
    if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
      return arg1.AsInt() < 0 || static_cast<uint64_t>(arg1.AsInt()) < arg2.AsUint();
    }
    if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
      return arg2.AsInt() >= 0 && arg1.AsUint() < static_cast<uint64_t>(arg2.AsInt());
    }
    return Err(kBadComparison);
  }
  switch (k1) {
    case BasicKind::kBool:
    case BasicKind::kComplex:
      return Err(kBadComparisonType);
    case BasicKind::kFloat:
      return arg1.AsFloat() < arg2.AsFloat();
    case BasicKind::kInt:
      return arg1.AsInt() < arg2.AsInt();
    case BasicKind::kString:
      return arg1.AsString() < arg2.AsString();
    case BasicKind::kUint:
      return arg1.AsUint() < arg2.AsUint();
    default:
      return Err(kBadComparisonType);
  }
}

core::Result<bool> Le(const CallEnv& env, Args& args) {
  core::Result<bool> lt = Lt(args[0], args[1]);
  if (!lt.ok() || *lt) return lt;
  core::Result<Value> eq = Eq(env, args);
  if (!eq.ok()) return eq.status();
  return eq->AsBool();
}

core::Result<Value> BoolResult(const core::Result<bool>& r) {
  if (!r.ok()) return r.status();
  return Value::Bool(*r);
}

// ---- index, slice, len ----

core::Result<int64_t> IndexArg(const Value& index, int64_t cap) {
  int64_t x;
  switch (index.kind()) {
    case Kind::kInt:
      x = index.AsInt();
      break;
    case Kind::kUint:
      x = static_cast<int64_t>(index.AsUint());
      break;
    case Kind::kInvalid:
      return Err("cannot index slice/array with nil");
    default:
      return Err("cannot index slice/array with type " + index.type()->name);
  }
  if (x < 0 || x > cap) return Err("index out of range: " + std::to_string(x));
  return x;
}

core::Result<Value> Index(const CallEnv&, Args& args) {
  Value item = IndirectInterface(args[0]);
  if (!item.IsValid()) return Err("index of untyped nil");
  for (size_t i = 1; i < args.size(); ++i) {
    Value index = IndirectInterface(args[i]);
    while (item.kind() == Kind::kPointer) {
      if (item.IsNil()) return Err("index of nil pointer");
      item = item.Elem();
    }
    switch (item.kind()) {
      case Kind::kSlice:
      case Kind::kString: {
        core::Result<int64_t> x = IndexArg(index, item.Len());
        if (!x.ok()) return x.status();
        if (*x == item.Len()) {
          return Err(item.kind() == Kind::kString ? "reflect: string index out of range"
                                                  : "reflect: slice index out of range");
        }
        if (item.kind() == Kind::kString) {
          item = Value::Uint(static_cast<unsigned char>(item.AsString()[static_cast<size_t>(*x)]),
                             go::Uint8Type());
        } else {
          item = item.AsList()[static_cast<size_t>(*x)];
        }
        break;
      }
      case Kind::kMap: {
        if (!index.IsValid()) return Err("value is nil; should be of type string");
        if (index.type() != go::StringType()) {
          return Err("value has type " + index.type()->name + "; should be string");
        }
        const go::ValueMap& m = item.AsMap();
        auto it = m.find(index.AsString());
        item = it != m.end() ? it->second : Value::Zero(item.type()->elem);
        break;
      }
      default:
        return Err("can't index item of type " + item.type()->name);
    }
  }
  return item;
}

core::Result<Value> Slice(const CallEnv&, Args& args) {
  Value item = IndirectInterface(args[0]);
  if (!item.IsValid()) return Err("slice of untyped nil");
  size_t nidx = args.size() - 1;
  if (nidx > 3) return Err("too many slice indexes: " + std::to_string(nidx));
  int64_t cap;
  if (item.kind() == Kind::kString) {
    if (nidx == 3) return Err("cannot 3-index slice a string");
    cap = item.Len();
  } else if (item.kind() == Kind::kSlice) {
    cap = item.Len();
  } else {
    return Err("can't slice item of type " + item.type()->name);
  }
  int64_t idx[3] = {0, item.Len(), 0};
  for (size_t i = 0; i < nidx; ++i) {
    core::Result<int64_t> x = IndexArg(IndirectInterface(args[i + 1]), cap);
    if (!x.ok()) return x.status();
    idx[i] = *x;
  }
  if (idx[0] > idx[1]) {
    return Err("invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]));
  }
  if (nidx == 3 && idx[1] > idx[2]) {
    return Err("invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]));
  }
  if (item.kind() == Kind::kString) {
    return Value::String(
        item.AsString().substr(static_cast<size_t>(idx[0]), static_cast<size_t>(idx[1] - idx[0])),
        item.type());
  }
  const go::ValueList& elems = item.AsList();
  auto out = std::make_shared<go::ValueList>(elems.begin() + idx[0], elems.begin() + idx[1]);
  return Value::List(item.type(), std::move(out));
}

core::Result<Value> Len(const CallEnv&, Args& args) {
  Value item = args[0];
  while (item.kind() == Kind::kPointer || item.kind() == Kind::kInterface) {
    if (item.IsNil()) return Err("len of nil pointer");
    item = item.Elem();
  }
  switch (item.kind()) {
    case Kind::kMap:
    case Kind::kSlice:
    case Kind::kString:
      return Value::Int(item.Len());
    case Kind::kInvalid:
      return Err("reflect: call of reflect.Value.Type on zero Value");
    default:
      return Err("len of type " + item.type()->name);
  }
}

// ---- printing and escaping ----

// text/template's evalArgs: one string argument as is, otherwise fmt.Sprint of the printable
// forms of the arguments.
std::string EvalArgs(const Args& args) {
  if (args.size() == 1 && args[0].type() == go::StringType()) return args[0].AsString();
  Args printable;
  for (const Value& a : args) {
    Value v = a;
    while (v.kind() == Kind::kPointer && !v.IsNil()) v = v.Elem();
    if (!v.IsValid() || v.kind() == Kind::kInterface) v = Value::String("<no value>");
    printable.push_back(v);
  }
  return go::Sprint(printable);
}

// ---- Prometheus ----

core::Result<double> ConvertToFloat(const Value& v) {
  const Type* t = v.type();
  if (t == go::Float64Type()) return v.AsFloat();
  if (t == go::StringType()) {
    go::ParseFloatResult r = go::ParseFloat(v.AsString());
    if (!r.error.empty()) return Err(r.error);
    return r.value;
  }
  if (t == go::IntType() || t == go::Int64Type()) return static_cast<double>(v.AsInt());
  if (t != nullptr && t->kind == Kind::kUint && (t->name == "uint" || t->name == "uint64")) {
    return static_cast<double>(v.AsUint());
  }
  std::string type_name = (t == nullptr || t->kind == Kind::kInterface) ? "<nil>" : t->name;
  return Err("can't convert " + type_name + " to float");
}

using FloatToString = std::string (*)(double);

Func HumanizeFunc(FloatToString f) {
  return Make({Any()}, false, [f](const CallEnv&, Args& a) -> core::Result<Value> {
    core::Result<double> v = ConvertToFloat(a[0]);
    if (!v.ok()) return v.status();
    return Value::String(f(*v));
  });
}

Func StringFunc(std::string (*f)(std::string_view)) {
  return Make({Str()}, false, [f](const CallEnv&, Args& a) -> core::Result<Value> {
    return Value::String(f(a[0].AsString()));
  });
}

Value MakeSample(const promql::Sample& s) {
  auto labels = std::make_shared<go::ValueMap>();
  for (const promql::Label& l : s.labels) labels->emplace(l.name, Value::String(l.value));
  auto fields = std::make_shared<go::ValueList>();
  fields->push_back(Value::Map(go::StringMapType(), std::move(labels)));
  fields->push_back(Value::Float(s.v));
  auto sample = std::make_shared<Value>(Value::List(go::SampleType(), std::move(fields)));
  return Value::Pointer(go::SamplePtrType(), std::move(sample));
}

// The Labels map of a *sample, or an error for a nil pointer.
core::Result<const go::ValueMap*> SampleLabels(const Value& s) {
  if (s.IsNil()) return Err(kNilDeref);
  return &go::Field(s.Elem(), 0).AsMap();
}

std::string LabelOf(const go::ValueMap& labels, const std::string& name) {
  auto it = labels.find(name);
  return it == labels.end() ? "" : it->second.AsString();
}

// Prometheus 2.42's model.ParseDuration, returned as float seconds.
core::Result<double> ParseModelDuration(std::string_view s) {
  if (s == "0") return 0.0;
  if (s.empty()) return Err("empty duration string");
  struct Unit {
    const char* name;
    int64_t ms;
  };
  static const Unit kUnits[] = {{"y", 1000LL * 60 * 60 * 24 * 365},
                                {"w", 1000LL * 60 * 60 * 24 * 7},
                                {"d", 1000LL * 60 * 60 * 24},
                                {"h", 1000LL * 60 * 60},
                                {"m", 1000LL * 60},
                                {"s", 1000},
                                {"ms", 1}};
  auto invalid = [&] { return Err("not a valid duration string: " + go::Quote(s)); };
  size_t pos = 0;
  size_t next_unit = 0;
  uint64_t dur = 0;  // wraps like Go's int64 arithmetic
  bool overflow = false;
  while (pos < s.size()) {
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return invalid();
    std::string_view digits = s.substr(start, pos - start);
    size_t unit = 7;
    for (size_t u = next_unit; u < 7; ++u) {
      std::string_view name = kUnits[u].name;
      if (s.substr(pos, name.size()) != name) continue;
      // "m" must not swallow the "m" of "ms".
      if (name == "m" && s.substr(pos, 2) == "ms") continue;
      unit = u;
      break;
    }
    if (unit == 7) return invalid();
    pos += std::string_view(kUnits[unit].name).size();
    next_unit = unit + 1;
    // strconv.Atoi saturates on overflow (its error is ignored upstream).
    int64_t n = 0;
    for (char c : digits) {
      if (n > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) {
        n = std::numeric_limits<int64_t>::max();
        break;
      }
      n = n * 10 + (c - '0');
    }
    if (n > std::numeric_limits<int64_t>::max() / kUnits[unit].ms / 1000000) overflow = true;
    uint64_t d = static_cast<uint64_t>(n) * 1000000ULL;
    dur += d * static_cast<uint64_t>(kUnits[unit].ms);
    if (static_cast<int64_t>(dur) < 0) overflow = true;
  }
  if (overflow) return Err("duration out of range");
  return static_cast<double>(static_cast<int64_t>(dur)) / 1e9;
}

std::string UrlPath(const std::string& url) {
  std::string_view u = url;
  size_t scheme = u.find("://");
  if (scheme != std::string_view::npos) {
    u.remove_prefix(scheme + 3);
    size_t slash = u.find_first_of("/?#");
    if (slash == std::string_view::npos || u[slash] != '/') return "";
    u.remove_prefix(slash);
  }
  u = u.substr(0, u.find_first_of("?#"));
  std::string out;
  for (size_t i = 0; i < u.size(); ++i) {
    if (u[i] == '%' && i + 2 < u.size() + 0 && isxdigit(static_cast<unsigned char>(u[i + 1])) &&
        isxdigit(static_cast<unsigned char>(u[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(u.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(u[i]);
    }
  }
  return out;
}

FuncMap BuildBuiltins() {
  FuncMap m;
  auto add = [&m](const std::string& name, Func f) {
    f.builtin = true;
    m.emplace(name, std::move(f));
  };
  auto unreachable = [](const CallEnv&, Args&) -> core::Result<Value> { return Value(); };
  add("and", Make({RV(), RV()}, true, unreachable));
  add("or", Make({RV(), RV()}, true, unreachable));
  add("call", Make({RV(), RV()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
        Value fn = IndirectInterface(a[0]);
        if (!fn.IsValid()) return Err("call of nil");
        return Err("non-function of type " + fn.type()->name);
      }));
  add("html", Make({Any()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
        return Value::String(go::HTMLEscapeString(EvalArgs(a)));
      }));
  add("js", Make({Any()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
        return Value::String(go::JSEscapeString(EvalArgs(a)));
      }));
  add("urlquery", Make({Any()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
        return Value::String(go::QueryEscape(EvalArgs(a)));
      }));
  add("index", Make({RV(), RV()}, true, Index));
  add("slice", Make({RV(), RV()}, true, Slice));
  add("len", Make({RV()}, false, Len));
  add("not", Make({RV()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        return Value::Bool(!Truth(a[0]));
      }));
  add("print", Make({Any()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
        return Value::String(go::Sprint(a));
      }));
  add("println", Make({Any()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
        return Value::String(go::Sprintln(a));
      }));
  add("printf", Make({Str(), Any()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
        Args rest(a.begin() + 1, a.end());
        return Value::String(go::Sprintf(a[0].AsString(), rest));
      }));
  add("eq", Make({RV(), RV()}, true, Eq));
  add("ne", Make({RV(), RV()}, false, [](const CallEnv& env, Args& a) -> core::Result<Value> {
        core::Result<Value> eq = Eq(env, a);
        if (!eq.ok()) return eq;
        return Value::Bool(!eq->AsBool());
      }));
  add("lt", Make({RV(), RV()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        return BoolResult(Lt(a[0], a[1]));
      }));
  add("le", Make({RV(), RV()}, false, [](const CallEnv& env, Args& a) -> core::Result<Value> {
        return BoolResult(Le(env, a));
      }));
  add("gt", Make({RV(), RV()}, false, [](const CallEnv& env, Args& a) -> core::Result<Value> {
        core::Result<bool> le = Le(env, a);
        if (!le.ok()) return le.status();
        return Value::Bool(!*le);
      }));
  add("ge", Make({RV(), RV()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        core::Result<bool> lt = Lt(a[0], a[1]);
        if (!lt.ok()) return lt.status();
        return Value::Bool(!*lt);
      }));
  return m;
}

FuncMap BuildPrometheus() {
  FuncMap m;
  m["query"] = Make({Str()}, false, [](const CallEnv& env, Args& a) -> core::Result<Value> {
    if (!env.query) return Err("query is not available here: no query engine was provided");
    core::Result<promql::Vector> vec = env.query(a[0].AsString());
    if (!vec.ok()) return vec.status();
    auto out = std::make_shared<go::ValueList>();
    for (const promql::Sample& s : *vec) out->push_back(MakeSample(s));
    return Value::List(go::QueryResultType(), std::move(out));
  });
  m["first"] =
      Make({go::QueryResultType()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        const go::ValueList& v = a[0].AsList();
        if (v.empty()) return Err("first() called on vector with no elements");
        return v[0];
      });
  m["label"] =
      Make({Str(), go::SamplePtrType()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        core::Result<const go::ValueMap*> labels = SampleLabels(a[1]);
        if (!labels.ok()) return labels.status();
        return Value::String(LabelOf(**labels, a[0].AsString()));
      });
  m["value"] =
      Make({go::SamplePtrType()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        if (a[0].IsNil()) return Err(kNilDeref);
        return go::Field(a[0].Elem(), 1);
      });
  m["strvalue"] =
      Make({go::SamplePtrType()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        core::Result<const go::ValueMap*> labels = SampleLabels(a[0]);
        if (!labels.ok()) return labels.status();
        return Value::String(LabelOf(**labels, "__value__"));
      });
  m["args"] = Make({Any()}, true, [](const CallEnv&, Args& a) -> core::Result<Value> {
    auto out = std::make_shared<go::ValueMap>();
    for (size_t i = 0; i < a.size(); ++i) {
      out->emplace("arg" + std::to_string(i), a[i].IsValid() ? a[i] : Value::NilInterface());
    }
    return Value::Map(go::AnyMapType(), std::move(out));
  });
  m["reReplaceAll"] =
      Make({Str(), Str(), Str()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        auto re = go::Regexp::Compile(a[0].AsString());
        if (!re.ok()) {
          return Err(go::MustCompilePanic(a[0].AsString(), re.status().message()));
        }
        return Value::String((*re)->ReplaceAllString(a[2].AsString(), a[1].AsString()));
      });
  m["safeHtml"] = Make({Str()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
    return Value::String(a[0].AsString(), go::HTMLType());
  });
  m["match"] = Make({Str(), Str()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
    auto re = go::Regexp::Compile(a[0].AsString());
    if (!re.ok()) return re.status();
    return Value::Bool((*re)->MatchString(a[1].AsString()));
  });
  m["title"] = StringFunc(go::Title);
  m["toUpper"] = StringFunc(go::ToUpper);
  m["toLower"] = StringFunc(go::ToLower);
  m["graphLink"] = StringFunc(
      [](std::string_view e) { return "/graph?g0.expr=" + go::QueryEscape(e) + "&g0.tab=0"; });
  m["tableLink"] = StringFunc(
      [](std::string_view e) { return "/graph?g0.expr=" + go::QueryEscape(e) + "&g0.tab=1"; });
  m["sortByLabel"] = Make(
      {Str(), go::QueryResultType()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
        const std::string& label = a[0].AsString();
        auto out = std::make_shared<go::ValueList>(a[1].AsList());
        std::string err;
        auto key = [&](const Value& s) -> std::string {
          if (s.IsNil()) {
            err = kNilDeref;
            return "";
          }
          return LabelOf(go::Field(s.Elem(), 0).AsMap(), label);
        };
        std::stable_sort(out->begin(), out->end(),
                         [&](const Value& x, const Value& y) { return key(x) < key(y); });
        if (!err.empty()) return Err(err);
        return Value::List(go::QueryResultType(), std::move(out));
      });
  m["stripPort"] = StringFunc([](std::string_view hp) {
    auto split = go::SplitHostPort(hp);
    return split ? split->host : std::string(hp);
  });
  m["stripDomain"] = StringFunc([](std::string_view hp) {
    auto split = go::SplitHostPort(hp);
    std::string host = split ? split->host : std::string(hp);
    std::string port = split ? split->port : "";
    if (go::IsIP(host)) return std::string(hp);
    host = host.substr(0, host.find('.'));
    if (!port.empty()) return go::JoinHostPort(host, port);
    return host;
  });
  m["humanize"] = HumanizeFunc(Humanize);
  m["humanize1024"] = HumanizeFunc(Humanize1024);
  m["humanizeDuration"] = HumanizeFunc(HumanizeDuration);
  m["humanizePercentage"] = HumanizeFunc(HumanizePercentage);
  m["humanizeTimestamp"] = Make({Any()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
    core::Result<double> v = ConvertToFloat(a[0]);
    if (!v.ok()) return v.status();
    core::Result<std::string> s = HumanizeTimestamp(*v);
    if (!s.ok()) return s.status();
    return Value::String(*s);
  });
  m["toTime"] = Make({Any()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
    core::Result<double> v = ConvertToFloat(a[0]);
    if (!v.ok()) return v.status();
    core::Result<go::Time> t = FloatToTime(*v);
    if (!t.ok()) return t.status();
    return Value::Pointer(go::TimePtrType(), std::make_shared<Value>(Value::TimeValue(*t)));
  });
  // Added after Prometheus 2.42 (toDuration, now, urlQueryEscape).
  m["toDuration"] = Make({Any()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
    core::Result<double> v = ConvertToFloat(a[0]);
    if (!v.ok()) return v.status();
    return Value::Pointer(go::DurationPtrType(), std::make_shared<Value>(Value::Int(
                                                     GoInt64(*v * 1e9), go::DurationType())));
  });
  m["now"] = Make({}, false, [](const CallEnv& env, Args&) -> core::Result<Value> {
    return Value::Float(static_cast<double>(env.eval_time_ms) / 1000.0);
  });
  m["urlQueryEscape"] = StringFunc(go::QueryEscape);
  m["pathPrefix"] = Make({}, false, [](const CallEnv& env, Args&) -> core::Result<Value> {
    return Value::String(UrlPath(env.external_url));
  });
  m["externalURL"] = Make({}, false, [](const CallEnv& env, Args&) -> core::Result<Value> {
    return Value::String(env.external_url);
  });
  m["parseDuration"] = Make({Str()}, false, [](const CallEnv&, Args& a) -> core::Result<Value> {
    core::Result<double> d = ParseModelDuration(a[0].AsString());
    if (!d.ok()) return d.status();
    return Value::Float(*d);
  });
  return m;
}

const FuncMap& Builtins() {
  static const FuncMap* m = new FuncMap(BuildBuiltins());
  return *m;
}

const FuncMap& PrometheusFuncs() {
  static const FuncMap* m = new FuncMap(BuildPrometheus());
  return *m;
}

// ---- methods ----

Func Method(std::vector<const Type*> in, std::function<core::Result<Value>(Args&)> f) {
  return Make(std::move(in), false,
              [f = std::move(f)](const CallEnv&, Args& a) -> core::Result<Value> { return f(a); });
}

std::optional<Func> TimeMethod(go::Time t, std::string_view name) {
  auto i64 = [](int64_t v) { return Value::Int(v, go::Int64Type()); };
  auto nullary = [](Value v) {
    return Method({}, [v](Args&) -> core::Result<Value> { return v; });
  };
  go::Civil c = go::ToCivil(t);
  if (name == "Unix") return nullary(i64(t.sec));
  if (name == "UnixMilli") return nullary(i64(t.sec * 1000 + t.nsec / 1000000));
  if (name == "UnixMicro") return nullary(i64(t.sec * 1000000 + t.nsec / 1000));
  if (name == "UnixNano") return nullary(i64(t.sec * 1000000000 + t.nsec));
  if (name == "String") return nullary(Value::String(go::TimeString(t)));
  if (name == "UTC") return nullary(Value::TimeValue(t));
  if (name == "Year") return nullary(Value::Int(c.year));
  if (name == "Month") return nullary(Value::Int(c.month, go::MonthType()));
  if (name == "Day") return nullary(Value::Int(c.day));
  if (name == "Hour") return nullary(Value::Int(c.hour));
  if (name == "Minute") return nullary(Value::Int(c.minute));
  if (name == "Second") return nullary(Value::Int(c.second));
  if (name == "Nanosecond") return nullary(Value::Int(t.nsec));
  if (name == "YearDay") return nullary(Value::Int(c.yday));
  if (name == "Weekday") return nullary(Value::Int(c.weekday, go::WeekdayType()));
  if (name == "IsZero") return nullary(Value::Bool(t.sec == -62135596800 && t.nsec == 0));
  if (name == "Format") {
    return Method({Str()}, [t](Args& a) -> core::Result<Value> {
      return Value::String(go::FormatTime(t, a[0].AsString()));
    });
  }
  return std::nullopt;
}

std::optional<Func> DurationMethod(int64_t d, std::string_view name) {
  auto nullary = [](Value v) {
    return Method({}, [v](Args&) -> core::Result<Value> { return v; });
  };
  auto i64 = [](int64_t v) { return Value::Int(v, go::Int64Type()); };
  constexpr int64_t kSecond = 1000000000, kMinute = 60 * kSecond, kHour = 60 * kMinute;
  if (name == "String") return nullary(Value::String(go::DurationString(d)));
  if (name == "Hours") {
    return nullary(Value::Float(static_cast<double>(d / kHour) +
                                static_cast<double>(d % kHour) / (60 * 60 * 1e9)));
  }
  if (name == "Minutes") {
    return nullary(Value::Float(static_cast<double>(d / kMinute) +
                                static_cast<double>(d % kMinute) / (60 * 1e9)));
  }
  if (name == "Seconds") {
    return nullary(
        Value::Float(static_cast<double>(d / kSecond) + static_cast<double>(d % kSecond) / 1e9));
  }
  if (name == "Milliseconds") return nullary(i64(d / 1000000));
  if (name == "Microseconds") return nullary(i64(d / 1000));
  if (name == "Nanoseconds") return nullary(i64(d));
  return std::nullopt;
}

}  // namespace

const Func* FindFunction(std::string_view name) {
  const FuncMap& p = PrometheusFuncs();
  if (auto it = p.find(name); it != p.end()) return &it->second;
  const FuncMap& b = Builtins();
  if (auto it = b.find(name); it != b.end()) return &it->second;
  return nullptr;
}

bool HasFunction(std::string_view name) { return FindFunction(name) != nullptr; }

std::optional<Func> FindMethod(const go::Value& receiver, const go::Value& original,
                               std::string_view name) {
  (void)original;
  const Type* t = receiver.type();
  if (t == go::TimeType()) return TimeMethod(receiver.AsTime(), name);
  if (t == go::DurationType()) return DurationMethod(receiver.AsInt(), name);
  if ((t == go::MonthType() || t == go::WeekdayType()) && name == "String") {
    std::string s;
    go::CallStringer(receiver, &s);
    return Method({}, [s](Args&) -> core::Result<Value> { return Value::String(s); });
  }
  // Methods through a nil *time.Time or *time.Duration exist but panic when called.
  if ((t == go::TimePtrType() && TimeMethod(go::Time{}, name)) ||
      (t == go::DurationPtrType() && DurationMethod(0, name))) {
    std::optional<Func> m =
        t == go::TimePtrType() ? TimeMethod(go::Time{}, name) : DurationMethod(0, name);
    m->call = [](const CallEnv&, Args&) -> core::Result<Value> { return Err(kNilDeref); };
    return m;
  }
  return std::nullopt;
}

bool IsTrue(const go::Value& v, bool* ok) {
  if (ok != nullptr) *ok = true;
  switch (v.kind()) {
    case Kind::kInvalid:
      return false;
    case Kind::kMap:
    case Kind::kSlice:
    case Kind::kString:
      return v.Len() > 0;
    case Kind::kBool:
      return v.AsBool();
    case Kind::kComplex:
      return v.AsComplex() != std::complex<double>();
    case Kind::kPointer:
    case Kind::kInterface:
      return !v.IsNil();
    case Kind::kInt:
      return v.AsInt() != 0;
    case Kind::kFloat:
      return v.AsFloat() != 0;
    case Kind::kUint:
      return v.AsUint() != 0;
    case Kind::kStruct:
      return true;
    case Kind::kReflectValue:
      break;
  }
  if (ok != nullptr) *ok = false;
  return false;
}

}  // namespace smoke::ruler::tmpl
