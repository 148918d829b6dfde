#include "exporter/ruler/go_value.h"

#include "exporter/ruler/go_time.h"

namespace smoke::ruler::go {

namespace {

Type MakeStruct(std::string name, std::vector<std::string> fields,
                std::vector<const Type*> field_types) {
  Type t(Kind::kStruct, std::move(name));
  t.fields = std::move(fields);
  t.field_types = std::move(field_types);
  return t;
}

}  // namespace

const Type* BoolType() {
  static const Type t(Kind::kBool, "bool");
  return &t;
}
const Type* IntType() {
  static const Type t(Kind::kInt, "int");
  return &t;
}
const Type* Int64Type() {
  static const Type t(Kind::kInt, "int64");
  return &t;
}
const Type* Uint8Type() {
  static const Type t(Kind::kUint, "uint8");
  return &t;
}
const Type* Float64Type() {
  static const Type t(Kind::kFloat, "float64");
  return &t;
}
const Type* Complex128Type() {
  static const Type t(Kind::kComplex, "complex128");
  return &t;
}
const Type* StringType() {
  static const Type t(Kind::kString, "string");
  return &t;
}
const Type* HTMLType() {
  static const Type t(Kind::kString, "template.HTML");
  return &t;
}
const Type* AnyType() {
  static const Type t(Kind::kInterface, "interface {}");
  return &t;
}
const Type* ReflectValueType() {
  static const Type t(Kind::kReflectValue, "reflect.Value");
  return &t;
}
const Type* StringMapType() {
  static const Type t(Kind::kMap, "map[string]string", StringType(), false);
  return &t;
}
const Type* AnyMapType() {
  static const Type t(Kind::kMap, "map[string]interface {}", AnyType(), false);
  return &t;
}
const Type* AlertDataType() {
  static const Type t = [] {
    Type s = MakeStruct(
        "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; "
        "Value float64 }",
        {"Labels", "ExternalLabels", "ExternalURL", "Value"},
        {StringMapType(), StringMapType(), StringType(), Float64Type()});
    s.comparable = false;
    return s;
  }();
  return &t;
}
const Type* SampleType() {
  static const Type t = [] {
    Type s = MakeStruct("template.sample", {"Labels", "Value"}, {StringMapType(), Float64Type()});
    s.comparable = false;
    return s;
  }();
  return &t;
}
const Type* SamplePtrType() {
  static const Type t(Kind::kPointer, "*template.sample", SampleType());
  return &t;
}
const Type* QueryResultType() {
  static const Type t(Kind::kSlice, "template.queryResult", SamplePtrType(), false);
  return &t;
}
const Type* TimeType() {
  static const Type t(Kind::kStruct, "time.Time");
  return &t;
}
const Type* TimePtrType() {
  static const Type t(Kind::kPointer, "*time.Time", TimeType());
  return &t;
}
const Type* DurationType() {
  static const Type t(Kind::kInt, "time.Duration");
  return &t;
}
const Type* DurationPtrType() {
  static const Type t(Kind::kPointer, "*time.Duration", DurationType());
  return &t;
}
const Type* MonthType() {
  static const Type t(Kind::kInt, "time.Month");
  return &t;
}
const Type* WeekdayType() {
  static const Type t(Kind::kInt, "time.Weekday");
  return &t;
}

Value Value::StringMap(const std::map<std::string, std::string>& m) {
  auto out = std::make_shared<ValueMap>();
  for (const auto& [k, v] : m) out->emplace(k, Value::String(v));
  return Value::Map(StringMapType(), std::move(out));
}

Value Value::Zero(const Type* type) {
  if (type == nullptr) return Value();
  switch (type->kind) {
    case Kind::kBool:
      return Value(type, false);
    case Kind::kInt:
      return Value(type, int64_t{0});
    case Kind::kUint:
      return Value(type, uint64_t{0});
    case Kind::kFloat:
      return Value(type, 0.0);
    case Kind::kComplex:
      return Value(type, std::complex<double>());
    case Kind::kString:
      return Value(type, std::string());
    case Kind::kMap:
      return Value(type, std::shared_ptr<const ValueMap>());
    case Kind::kSlice:
      return Value(type, std::shared_ptr<const ValueList>());
    case Kind::kPointer:
      return Value(type, std::shared_ptr<const Value>());
    case Kind::kStruct: {
      if (type == TimeType()) return Value(type, Time{-62135596800, 0});  // Go's zero Time
      auto fields = std::make_shared<ValueList>();
      for (const Type* ft : type->field_types) fields->push_back(Zero(ft));
      return Value(type, std::shared_ptr<const ValueList>(std::move(fields)));
    }
    case Kind::kInterface:
      return NilInterface();
    case Kind::kReflectValue:
    case Kind::kInvalid:
      return Value();
  }
  return Value();
}

bool Value::IsNil() const {
  switch (kind()) {
    case Kind::kMap:
      return std::get<std::shared_ptr<const ValueMap>>(data_) == nullptr;
    case Kind::kSlice:
      return std::get<std::shared_ptr<const ValueList>>(data_) == nullptr;
    case Kind::kPointer:
      return std::get<std::shared_ptr<const Value>>(data_) == nullptr;
    case Kind::kInterface:
      return true;
    default:
      return false;
  }
}

const ValueMap& Value::AsMap() const {
  static const ValueMap kEmpty;
  const auto& m = std::get<std::shared_ptr<const ValueMap>>(data_);
  return m ? *m : kEmpty;
}

const ValueList& Value::AsList() const {
  static const ValueList kEmpty;
  const auto& l = std::get<std::shared_ptr<const ValueList>>(data_);
  return l ? *l : kEmpty;
}

uintptr_t Value::Address() const {
  switch (kind()) {
    case Kind::kMap:
      return reinterpret_cast<uintptr_t>(std::get<std::shared_ptr<const ValueMap>>(data_).get());
    case Kind::kSlice:
      return reinterpret_cast<uintptr_t>(std::get<std::shared_ptr<const ValueList>>(data_).get());
    case Kind::kPointer:
      return reinterpret_cast<uintptr_t>(std::get<std::shared_ptr<const Value>>(data_).get());
    default:
      return 0;
  }
}

int Value::Len() const {
  switch (kind()) {
    case Kind::kMap:
      return static_cast<int>(AsMap().size());
    case Kind::kSlice:
      return static_cast<int>(AsList().size());
    case Kind::kString:
      return static_cast<int>(AsString().size());
    default:
      return 0;
  }
}

const Value& Field(const Value& v, size_t i) { return v.AsList().at(i); }

bool CallStringer(const Value& v, std::string* out) {
  const Type* t = v.type();
  if (t == TimeType()) {
    *out = TimeString(v.AsTime());
  } else if (t == TimePtrType() && !v.IsNil()) {
    *out = TimeString(v.Elem().AsTime());
  } else if (t == DurationType()) {
    *out = DurationString(v.AsInt());
  } else if (t == DurationPtrType() && !v.IsNil()) {
    *out = DurationString(v.Elem().AsInt());
  } else if (t == MonthType()) {
    int64_t m = v.AsInt();
    *out = (m >= 1 && m <= 12) ? kMonthNames[m - 1] : "%!Month(" + std::to_string(m) + ")";
  } else if (t == WeekdayType()) {
    int64_t d = v.AsInt();
    *out = (d >= 0 && d <= 6) ? kWeekdayNames[d] : "%!Weekday(" + std::to_string(d) + ")";
  } else {
    return false;
  }
  return true;
}

}  // namespace smoke::ruler::go
