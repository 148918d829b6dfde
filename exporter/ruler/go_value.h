#pragma once
// A small dynamic model of the Go values that Prometheus's alert templates handle: the types that
// text/template sees through reflection (bool, int, float64, string, maps, the alert data struct,
// *sample, queryResult, *time.Time, ...). Each value carries its Go type so that printing (fmt's
// %v of a map or struct), comparisons and error messages ("wrong type for value; expected string;
// got float64") read exactly as Go writes them.
// Thread-safety: immutable values; aggregates share their contents through shared_ptr<const>.

#include <complex>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace smoke::ruler::go {

// reflect.Kind, reduced to the kinds templates can meet.
enum class Kind {
  kInvalid,  // the zero reflect.Value (an untyped nil)
  kBool,
  kInt,  // int, int64 and named int kinds (time.Duration, time.Month, time.Weekday)
  kUint,
  kFloat,
  kComplex,
  kString,
  kMap,  // always with string keys here
  kStruct,
  kPointer,
  kSlice,
  kInterface,     // a nil interface{} (non-nil interfaces are stored as their dynamic value)
  kReflectValue,  // the reflect.Value parameter type of text/template's builtins
};

struct Type {
  Type(Kind k, std::string n, const Type* e = nullptr, bool c = true)
      : kind(k), name(std::move(n)), elem(e), comparable(c) {}
  Kind kind;
  std::string name;                      // reflect.Type.String(), e.g. "map[string]string"
  const Type* elem = nullptr;            // pointee, slice element or map value type
  std::vector<std::string> fields;       // struct field names, in order
  std::vector<const Type*> field_types;  // struct field types
  bool comparable = true;
};

// The types in use. Named after their Go spelling.
const Type* BoolType();
const Type* IntType();
const Type* Int64Type();
const Type* Uint8Type();
const Type* Float64Type();
const Type* Complex128Type();
const Type* StringType();
const Type* HTMLType();          // html/template.HTML (a string kind)
const Type* AnyType();           // interface {}
const Type* ReflectValueType();  // reflect.Value
const Type* StringMapType();     // map[string]string
const Type* AnyMapType();        // map[string]interface {}
const Type* AlertDataType();     // the anonymous struct of template.AlertTemplateData
const Type* SampleType();        // template.sample
const Type* SamplePtrType();     // *template.sample
const Type* QueryResultType();   // template.queryResult ([]*template.sample)
const Type* TimeType();          // time.Time
const Type* TimePtrType();       // *time.Time
const Type* DurationType();      // time.Duration
const Type* DurationPtrType();   // *time.Duration
const Type* MonthType();         // time.Month
const Type* WeekdayType();       // time.Weekday

// A UTC instant as time.Time holds it (templates only ever see UTC times).
struct Time {
  int64_t sec = 0;   // Unix seconds
  int32_t nsec = 0;  // [0, 1e9)
};

class Value;
using ValueMap = std::map<std::string, Value>;
using ValueList = std::vector<Value>;

class Value {
 public:
  Value() = default;  // invalid
  static Value Bool(bool b) { return Value(BoolType(), b); }
  static Value Int(int64_t i, const Type* type = IntType()) { return Value(type, i); }
  static Value Uint(uint64_t u, const Type* type) { return Value(type, u); }
  static Value Float(double f) { return Value(Float64Type(), f); }
  static Value Complex(std::complex<double> c) { return Value(Complex128Type(), c); }
  static Value String(std::string s, const Type* type = StringType()) {
    return Value(type, std::move(s));
  }
  static Value Map(const Type* type, std::shared_ptr<const ValueMap> m) {
    return Value(type, std::move(m));
  }
  static Value StringMap(const std::map<std::string, std::string>& m);
  // Struct fields and slice elements.
  static Value List(const Type* type, std::shared_ptr<const ValueList> elems) {
    return Value(type, std::move(elems));
  }
  static Value Pointer(const Type* type, std::shared_ptr<const Value> pointee) {
    return Value(type, std::move(pointee));
  }
  static Value TimeValue(Time t) { return Value(TimeType(), t); }
  static Value NilInterface() { return Value(AnyType(), std::monostate{}); }
  // The zero value of `type` (reflect.Zero).
  static Value Zero(const Type* type);

  bool IsValid() const { return type_ != nullptr; }
  const Type* type() const { return type_; }
  Kind kind() const { return type_ ? type_->kind : Kind::kInvalid; }
  // For pointers, maps, slices and interfaces.
  bool IsNil() const;

  bool AsBool() const { return std::get<bool>(data_); }
  int64_t AsInt() const { return std::get<int64_t>(data_); }
  uint64_t AsUint() const { return std::get<uint64_t>(data_); }
  double AsFloat() const { return std::get<double>(data_); }
  std::complex<double> AsComplex() const { return std::get<std::complex<double>>(data_); }
  const std::string& AsString() const { return std::get<std::string>(data_); }
  const ValueMap& AsMap() const;    // empty for a nil map
  const ValueList& AsList() const;  // struct fields or slice elements; empty for nil
  const Value& Elem() const { return *std::get<std::shared_ptr<const Value>>(data_); }
  Time AsTime() const { return std::get<Time>(data_); }
  // Identity of the referenced object, for printing pointers as Go does (0xc000...).
  uintptr_t Address() const;
  int Len() const;  // maps, slices, strings

 private:
  using Data = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::complex<double>,
                            std::string, std::shared_ptr<const ValueMap>,
                            std::shared_ptr<const ValueList>, std::shared_ptr<const Value>, Time>;
  template <typename T>
  Value(const Type* type, T data) : type_(type), data_(std::move(data)) {}

  const Type* type_ = nullptr;
  Data data_;
};

// The value that fmt would print for a struct field or slice element (index i).
const Value& Field(const Value& v, size_t i);

// The types that implement fmt.Stringer; fills `out` with String().
bool CallStringer(const Value& v, std::string* out);

}  // namespace smoke::ruler::go
