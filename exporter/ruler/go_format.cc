#include "exporter/ruler/go_format.h"

#include <cstdint>
#include <cstdio>

#include "exporter/ruler/go_strconv.h"

namespace smoke::ruler::go {

namespace {

constexpr char kLowerDigits[] = "0123456789abcdefx";
constexpr char kUpperDigits[] = "0123456789ABCDEFX";

bool TooLarge(int x) { return x > 1000000 || x < -1000000; }

// Basic unnamed types that fmt's printArg type switch handles before looking for methods.
bool IsBasicUnnamed(const Type* t) {
  return t == BoolType() || t == IntType() || t == Int64Type() || t == Float64Type() ||
         t == Complex128Type() || t == StringType();
}

struct Flags {
  bool wid_present = false, prec_present = false, minus = false, plus = false, sharp = false,
       space = false, zero = false, plus_v = false, sharp_v = false;
};

// Port of fmt's pp/fmt pair: one formatting session writing into buf_.
class Printer {
 public:
  std::string buf;

  void DoPrint(const std::vector<Value>& args) {
    bool prev_string = false;
    for (size_t i = 0; i < args.size(); ++i) {
      bool is_string = IsNonNil(args[i]) && args[i].kind() == Kind::kString;
      if (i > 0 && !is_string && !prev_string) buf.push_back(' ');
      PrintArg(args[i], 'v');
      prev_string = is_string;
    }
  }

  void DoPrintln(const std::vector<Value>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) buf.push_back(' ');
      PrintArg(args[i], 'v');
    }
    buf.push_back('\n');
  }

  void DoPrintf(std::string_view format, const std::vector<Value>& a) {
    size_t end = format.size();
    size_t arg_num = 0;
    bool after_index = false;
    reordered_ = false;
    size_t i = 0;
    while (i < end) {
      good_arg_num_ = true;
      size_t lasti = i;
      while (i < end && format[i] != '%') ++i;
      if (i > lasti) buf.append(format.substr(lasti, i - lasti));
      if (i >= end) break;
      ++i;  // skip %
      f_ = Flags();
      bool simple_done = false;
      for (; i < end; ++i) {
        char c = format[i];
        if (c == '#') {
          f_.sharp = true;
        } else if (c == '0') {
          f_.zero = !f_.minus;
        } else if (c == '+') {
          f_.plus = true;
        } else if (c == '-') {
          f_.minus = true;
          f_.zero = false;
        } else if (c == ' ') {
          f_.space = true;
        } else {
          if (c >= 'a' && c <= 'z' && arg_num < a.size()) {
            if (c == 'v') {
              f_.sharp_v = f_.sharp;
              f_.sharp = false;
              f_.plus_v = f_.plus;
              f_.plus = false;
            }
            PrintArg(a[arg_num], static_cast<char32_t>(c));
            ++arg_num;
            ++i;
            simple_done = true;
          }
          break;
        }
      }
      if (simple_done) continue;

      ArgNumber(&arg_num, format, &i, a.size(), &after_index);
      if (i < end && format[i] == '*') {
        ++i;
        f_.wid_present = IntFromArg(a, &arg_num, &wid_);
        if (!f_.wid_present) buf.append("%!(BADWIDTH)");
        if (wid_ < 0) {
          wid_ = -wid_;
          f_.minus = true;
          f_.zero = false;
        }
        after_index = false;
      } else {
        f_.wid_present = ParseNum(format, &i, end, &wid_);
        if (after_index && f_.wid_present) good_arg_num_ = false;
      }

      if (i + 1 < end && format[i] == '.') {
        ++i;
        if (after_index) good_arg_num_ = false;
        ArgNumber(&arg_num, format, &i, a.size(), &after_index);
        if (i < end && format[i] == '*') {
          ++i;
          f_.prec_present = IntFromArg(a, &arg_num, &prec_);
          if (prec_ < 0) {
            prec_ = 0;
            f_.prec_present = false;
          }
          if (!f_.prec_present) buf.append("%!(BADPREC)");
          after_index = false;
        } else {
          f_.prec_present = ParseNum(format, &i, end, &prec_);
          if (!f_.prec_present) {
            prec_ = 0;
            f_.prec_present = true;
          }
        }
      }

      if (!after_index) ArgNumber(&arg_num, format, &i, a.size(), &after_index);

      if (i >= end) {
        buf.append("%!(NOVERB)");
        break;
      }
      int size = 1;
      char32_t verb = static_cast<unsigned char>(format[i]);
      if (verb >= 0x80) verb = DecodeRune(format.substr(i), &size);
      i += static_cast<size_t>(size);

      if (verb == '%') {
        buf.push_back('%');
      } else if (!good_arg_num_) {
        buf.append("%!");
        AppendRune(&buf, verb);
        buf.append("(BADINDEX)");
      } else if (arg_num >= a.size()) {
        buf.append("%!");
        AppendRune(&buf, verb);
        buf.append("(MISSING)");
      } else {
        if (verb == 'v') {
          f_.sharp_v = f_.sharp;
          f_.sharp = false;
          f_.plus_v = f_.plus;
          f_.plus = false;
        }
        PrintArg(a[arg_num], verb);
        ++arg_num;
      }
    }

    if (!reordered_ && arg_num < a.size()) {
      f_ = Flags();
      buf.append("%!(EXTRA ");
      for (size_t k = arg_num; k < a.size(); ++k) {
        if (k > arg_num) buf.append(", ");
        if (!IsNonNil(a[k])) {
          buf.append("<nil>");
        } else {
          buf.append(a[k].type()->name);
          buf.push_back('=');
          PrintArg(a[k], 'v');
        }
      }
      buf.push_back(')');
    }
  }

  // fmt's printArg: `arg` is an interface{} (invalid or a nil interface{} = nil).
  void PrintArg(const Value& arg, char32_t verb) {
    arg_ = arg;
    in_value_ = false;
    if (!IsNonNil(arg)) {
      if (verb == 'T' || verb == 'v') {
        PadString("<nil>");
      } else {
        BadVerb(verb);
      }
      return;
    }
    if (verb == 'T') {
      FmtS(arg.type()->name);
      return;
    }
    if (verb == 'p') {
      FmtPointer(arg, 'p');
      return;
    }
    if (IsBasicUnnamed(arg.type())) {
      PrintBasic(arg, verb);
      return;
    }
    if (!HandleMethods(arg, verb)) PrintValue(arg, verb, 0);
  }

 private:
  static bool IsNonNil(const Value& v) { return v.IsValid() && v.kind() != Kind::kInterface; }

  void ArgNumber(size_t* arg_num, std::string_view format, size_t* i, size_t num_args,
                 bool* found) {
    *found = false;
    if (format.size() <= *i || format[*i] != '[') return;
    reordered_ = true;
    // parseArgNumber
    std::string_view f = format.substr(*i);
    int index = 0;
    size_t wid = 1;
    bool ok = false;
    if (f.size() >= 3) {
      for (size_t k = 1; k < f.size(); ++k) {
        if (f[k] == ']') {
          size_t newi = 1;
          int width = 0;
          bool isnum = ParseNum(f, &newi, k, &width);
          if (!isnum || newi != k) {
            index = 0;
            wid = k + 1;
            ok = false;
          } else {
            index = width - 1;
            wid = k + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && 0 <= index && static_cast<size_t>(index) < num_args) {
      *arg_num = static_cast<size_t>(index);
      *i += wid;
      *found = true;
      return;
    }
    good_arg_num_ = false;
    *i += wid;
    *found = ok;
  }

  static bool ParseNum(std::string_view s, size_t* i, size_t end, int* num) {
    *num = 0;
    if (*i >= end) {
      *i = end;
      return false;
    }
    bool isnum = false;
    size_t k = *i;
    for (; k < end && s[k] >= '0' && s[k] <= '9'; ++k) {
      if (TooLarge(*num)) {
        *num = 0;
        *i = end;
        return false;
      }
      *num = *num * 10 + (s[k] - '0');
      isnum = true;
    }
    *i = k;
    return isnum;
  }

  static bool IntFromArg(const std::vector<Value>& a, size_t* arg_num, int* num) {
    *num = 0;
    bool is_int = false;
    if (*arg_num < a.size()) {
      const Value& v = a[*arg_num];
      if (v.kind() == Kind::kInt) {
        int64_t n = v.AsInt();
        if (n >= INT32_MIN && n <= INT32_MAX) {
          *num = static_cast<int>(n);
          is_int = true;
        }
      } else if (v.kind() == Kind::kUint) {
        uint64_t n = v.AsUint();
        if (n <= INT32_MAX) {
          *num = static_cast<int>(n);
          is_int = true;
        }
      }
      ++*arg_num;
      if (TooLarge(*num)) {
        *num = 0;
        is_int = false;
      }
    }
    return is_int;
  }

  void PrintBasic(const Value& v, char32_t verb) {
    switch (v.kind()) {
      case Kind::kBool:
        FmtBool(v.AsBool(), verb);
        break;
      case Kind::kInt:
        FmtInteger(static_cast<uint64_t>(v.AsInt()), true, verb);
        break;
      case Kind::kUint:
        FmtInteger(v.AsUint(), false, verb);
        break;
      case Kind::kFloat:
        FmtFloatVerb(v.AsFloat(), verb);
        break;
      case Kind::kComplex:
        FmtComplex(v.AsComplex(), verb);
        break;
      case Kind::kString:
        FmtString(v.AsString(), verb);
        break;
      default:
        break;
    }
  }

  bool HandleMethods(const Value& v, char32_t verb) {
    if (erroring_) return false;
    if (f_.sharp_v) return false;  // GoStringer is not modelled
    if (verb != 'v' && verb != 's' && verb != 'x' && verb != 'X' && verb != 'q') return false;
    if (!IsStringer(v.type())) return false;
    std::string s;
    if (!CallStringer(v, &s)) {
      // String() on a nil pointer panics; fmt's catchPanic prints <nil> for nil receivers.
      buf.append("<nil>");
      return true;
    }
    FmtString(s, verb);
    return true;
  }

  void PrintValue(const Value& value, char32_t verb, int depth) {
    if (depth > 0 && value.IsValid() && value.kind() != Kind::kInterface) {
      arg_ = value;
      if (HandleMethods(value, verb)) return;
    }
    arg_ = value;
    in_value_ = true;
    switch (value.kind()) {
      case Kind::kInvalid:
        if (depth == 0) {
          buf.append("<invalid reflect.Value>");
        } else if (verb == 'v') {
          buf.append("<nil>");
        } else {
          BadVerb(verb);
        }
        break;
      case Kind::kBool:
      case Kind::kInt:
      case Kind::kUint:
      case Kind::kFloat:
      case Kind::kComplex:
      case Kind::kString:
        PrintBasic(value, verb);
        break;
      case Kind::kMap: {
        if (f_.sharp_v) {
          buf.append(value.type()->name);
          if (value.IsNil()) {
            buf.append("(nil)");
            return;
          }
          buf.push_back('{');
        } else {
          buf.append("map[");
        }
        bool first = true;
        for (const auto& [k, v] : value.AsMap()) {  // std::map: sorted like fmtsort
          if (!first) buf.append(f_.sharp_v ? ", " : " ");
          first = false;
          PrintValue(Value::String(k), verb, depth + 1);
          buf.push_back(':');
          PrintValue(v.kind() == Kind::kInterface ? Value() : v, verb, depth + 1);
        }
        buf.push_back(f_.sharp_v ? '}' : ']');
        break;
      }
      case Kind::kStruct: {
        if (f_.sharp_v) buf.append(value.type()->name);
        buf.push_back('{');
        const Type* t = value.type();
        const ValueList& fields = value.AsList();
        for (size_t i = 0; i < fields.size(); ++i) {
          if (i > 0) buf.append(f_.sharp_v ? ", " : " ");
          if (f_.plus_v || f_.sharp_v) {
            buf.append(t->fields[i]);
            buf.push_back(':');
          }
          PrintValue(fields[i], verb, depth + 1);
        }
        buf.push_back('}');
        break;
      }
      case Kind::kInterface:
        buf.append(f_.sharp_v ? "interface {}(nil)" : "<nil>");
        break;
      case Kind::kSlice: {
        if (f_.sharp_v) {
          buf.append(value.type()->name);
          if (value.IsNil()) {
            buf.append("(nil)");
            return;
          }
          buf.push_back('{');
        } else {
          buf.push_back('[');
        }
        const ValueList& elems = value.AsList();
        for (size_t i = 0; i < elems.size(); ++i) {
          if (i > 0) buf.append(f_.sharp_v ? ", " : " ");
          PrintValue(elems[i], verb, depth + 1);
        }
        buf.push_back(f_.sharp_v ? '}' : ']');
        break;
      }
      case Kind::kPointer:
        if (depth == 0 && !value.IsNil()) {
          Kind ek = value.Elem().kind();
          if (ek == Kind::kSlice || ek == Kind::kStruct || ek == Kind::kMap) {
            buf.push_back('&');
            PrintValue(value.Elem(), verb, depth + 1);
            return;
          }
        }
        FmtPointer(value, verb);
        break;
      case Kind::kReflectValue:
        buf.push_back('?');
        buf.append(value.type()->name);
        buf.push_back('?');
        break;
    }
  }

  void BadVerb(char32_t verb) {
    erroring_ = true;
    buf.append("%!");
    AppendRune(&buf, verb);
    buf.push_back('(');
    Value arg = arg_;
    if (IsNonNil(arg)) {
      buf.append(arg.type()->name);
      buf.push_back('=');
      if (in_value_) {
        PrintValue(arg, 'v', 0);
      } else {
        PrintArg(arg, 'v');
      }
    } else {
      buf.append("<nil>");
    }
    buf.push_back(')');
    erroring_ = false;
  }

  void FmtBool(bool v, char32_t verb) {
    if (verb == 't' || verb == 'v') {
      PadString(v ? "true" : "false");
    } else {
      BadVerb(verb);
    }
  }

  void Fmt0x64(uint64_t v, bool leading0x) {
    bool sharp = f_.sharp;
    f_.sharp = leading0x;
    FmtIntegerBase(v, 16, false, 'v', kLowerDigits);
    f_.sharp = sharp;
  }

  void FmtInteger(uint64_t v, bool is_signed, char32_t verb) {
    switch (verb) {
      case 'v':
        if (f_.sharp_v && !is_signed) {
          Fmt0x64(v, true);
        } else {
          FmtIntegerBase(v, 10, is_signed, verb, kLowerDigits);
        }
        break;
      case 'd':
        FmtIntegerBase(v, 10, is_signed, verb, kLowerDigits);
        break;
      case 'b':
        FmtIntegerBase(v, 2, is_signed, verb, kLowerDigits);
        break;
      case 'o':
      case 'O':
        FmtIntegerBase(v, 8, is_signed, verb, kLowerDigits);
        break;
      case 'x':
        FmtIntegerBase(v, 16, is_signed, verb, kLowerDigits);
        break;
      case 'X':
        FmtIntegerBase(v, 16, is_signed, verb, kUpperDigits);
        break;
      case 'c':
        FmtC(v);
        break;
      case 'q':
        FmtQc(v);
        break;
      case 'U':
        FmtUnicode(v);
        break;
      default:
        BadVerb(verb);
    }
  }

  void FmtIntegerBase(uint64_t u, int base, bool is_signed, char32_t verb, const char* digits) {
    bool negative = is_signed && static_cast<int64_t>(u) < 0;
    if (negative) u = 0 - u;
    int prec = 0;
    if (f_.prec_present) {
      prec = prec_;
      if (prec == 0 && u == 0) {
        bool old_zero = f_.zero;
        f_.zero = false;
        WritePadding(wid_);
        f_.zero = old_zero;
        return;
      }
    } else if (f_.zero && f_.wid_present) {
      prec = wid_;
      if (negative || f_.plus || f_.space) prec--;
    }
    std::string rev;  // digits in reverse
    auto b = static_cast<uint64_t>(base);
    while (u >= b) {
      rev.push_back(digits[u % b]);
      u /= b;
    }
    rev.push_back(digits[u]);
    while (static_cast<int>(rev.size()) < prec) rev.push_back('0');
    if (f_.sharp) {
      switch (base) {
        case 2:
          rev.append("b0");
          break;
        case 8:
          if (rev.back() != '0') rev.push_back('0');
          break;
        case 16:
          rev.push_back(digits[16]);
          rev.push_back('0');
          break;
        default:
          break;
      }
    }
    if (verb == 'O') rev.append("o0");
    if (negative) {
      rev.push_back('-');
    } else if (f_.plus) {
      rev.push_back('+');
    } else if (f_.space) {
      rev.push_back(' ');
    }
    bool old_zero = f_.zero;
    f_.zero = false;
    Pad(std::string(rev.rbegin(), rev.rend()));
    f_.zero = old_zero;
  }

  void FmtC(uint64_t c) {
    char32_t r = c > 0x10FFFF ? kRuneError : static_cast<char32_t>(c);
    std::string s;
    AppendRune(&s, r);
    Pad(s);
  }

  void FmtQc(uint64_t c) {
    char32_t r = c > 0x10FFFF ? kRuneError : static_cast<char32_t>(c);
    Pad(QuoteRune(r, f_.plus));
  }

  void FmtUnicode(uint64_t u) {
    int prec = 4;
    if (f_.prec_present && prec_ > 4) prec = prec_;
    std::string hex;
    uint64_t x = u;
    do {
      hex.insert(hex.begin(), kUpperDigits[x & 0xF]);
      x >>= 4;
    } while (x > 0);
    while (static_cast<int>(hex.size()) < prec) hex.insert(hex.begin(), '0');
    std::string s = "U+" + hex;
    if (f_.sharp && u <= 0x10FFFF && IsPrint(static_cast<char32_t>(u))) {
      s += " '";
      AppendRune(&s, static_cast<char32_t>(u));
      s += "'";
    }
    bool old_zero = f_.zero;
    f_.zero = false;
    Pad(s);
    f_.zero = old_zero;
  }

  void FmtFloatVerb(double v, char32_t verb) {
    switch (verb) {
      case 'v':
        FmtFloat(v, 'g', -1);
        break;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        FmtFloat(v, static_cast<char>(verb), -1);
        break;
      case 'f':
      case 'e':
      case 'E':
        FmtFloat(v, static_cast<char>(verb), 6);
        break;
      case 'F':
        FmtFloat(v, 'f', 6);
        break;
      default:
        BadVerb(verb);
    }
  }

  void FmtFloat(double v, char verb, int prec) {
    if (f_.prec_present) prec = prec_;
    std::string num = "+" + FormatFloat(v, verb, prec);
    if (num[1] == '-' || num[1] == '+') num.erase(0, 1);
    if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') {
      bool old_zero = f_.zero;
      f_.zero = false;
      if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
      Pad(num);
      f_.zero = old_zero;
      return;
    }
    if (f_.sharp && verb != 'b') {
      int digits = 0;
      if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
        digits = prec;
        if (digits == -1) digits = 6;
      }
      std::string tail;
      bool has_decimal_point = false, saw_nonzero_digit = false;
      for (size_t i = 1; i < num.size(); ++i) {
        char c = num[i];
        if (c == '.') {
          has_decimal_point = true;
        } else if (c == 'p' || c == 'P') {
          tail = num.substr(i);
          num.resize(i);
          break;
        } else if ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X') {
          tail = num.substr(i);
          num.resize(i);
          break;
        } else {
          if (c != '0') saw_nonzero_digit = true;
          if (saw_nonzero_digit) digits--;
        }
      }
      if (!has_decimal_point) {
        if (num.size() == 2 && num[1] == '0') digits--;
        num.push_back('.');
      }
      while (digits > 0) {
        num.push_back('0');
        digits--;
      }
      num += tail;
    }
    if (f_.plus || num[0] != '+') {
      if (f_.zero && f_.wid_present && wid_ > static_cast<int>(num.size())) {
        buf.push_back(num[0]);
        WritePadding(wid_ - static_cast<int>(num.size()));
        buf.append(num, 1, std::string::npos);
        return;
      }
      Pad(num);
      return;
    }
    Pad(num.substr(1));
  }

  void FmtComplex(std::complex<double> v, char32_t verb) {
    switch (verb) {
      case 'v':
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
      case 'f':
      case 'F':
      case 'e':
      case 'E': {
        bool old_plus = f_.plus;
        buf.push_back('(');
        FmtFloatVerb(v.real(), verb);
        f_.plus = true;
        FmtFloatVerb(v.imag(), verb);
        buf.append("i)");
        f_.plus = old_plus;
        break;
      }
      default:
        BadVerb(verb);
    }
  }

  void FmtString(const std::string& v, char32_t verb) {
    switch (verb) {
      case 'v':
        if (f_.sharp_v) {
          FmtQ(v);
        } else {
          FmtS(v);
        }
        break;
      case 's':
        FmtS(v);
        break;
      case 'x':
        FmtSx(v, kLowerDigits);
        break;
      case 'X':
        FmtSx(v, kUpperDigits);
        break;
      case 'q':
        FmtQ(v);
        break;
      default:
        BadVerb(verb);
    }
  }

  std::string TruncateString(const std::string& s) const {
    if (!f_.prec_present) return s;
    int n = prec_;
    size_t i = 0;
    while (i < s.size()) {
      if (--n < 0) return s.substr(0, i);
      int w;
      DecodeRune(std::string_view(s).substr(i), &w);
      i += static_cast<size_t>(w);
    }
    return s;
  }

  void FmtS(const std::string& s) { PadString(TruncateString(s)); }

  void FmtSx(const std::string& s, const char* digits) {
    int length = static_cast<int>(s.size());
    if (f_.prec_present && prec_ < length) length = prec_;
    int width = 2 * length;
    if (width > 0) {
      if (f_.space) {
        if (f_.sharp) width *= 2;
        width += length - 1;
      } else if (f_.sharp) {
        width += 2;
      }
    } else {
      if (f_.wid_present) WritePadding(wid_);
      return;
    }
    if (f_.wid_present && wid_ > width && !f_.minus) WritePadding(wid_ - width);
    if (f_.sharp) {
      buf.push_back('0');
      buf.push_back(digits[16]);
    }
    for (int i = 0; i < length; ++i) {
      if (f_.space && i > 0) {
        buf.push_back(' ');
        if (f_.sharp) {
          buf.push_back('0');
          buf.push_back(digits[16]);
        }
      }
      auto c = static_cast<unsigned char>(s[static_cast<size_t>(i)]);
      buf.push_back(digits[c >> 4]);
      buf.push_back(digits[c & 0xF]);
    }
    if (f_.wid_present && wid_ > width && f_.minus) WritePadding(wid_ - width);
  }

  void FmtQ(const std::string& s0) {
    std::string s = TruncateString(s0);
    if (f_.sharp && CanBackquote(s)) {
      PadString("`" + s + "`");
      return;
    }
    Pad(Quote(s, f_.plus));
  }

  void FmtPointer(const Value& value, char32_t verb) {
    uintptr_t u;
    switch (value.kind()) {
      case Kind::kMap:
      case Kind::kPointer:
      case Kind::kSlice:
        u = value.Address();
        break;
      default:
        BadVerb(verb);
        return;
    }
    switch (verb) {
      case 'v':
        if (f_.sharp_v) {
          buf.push_back('(');
          buf.append(value.type()->name);
          buf.append(")(");
          if (u == 0) {
            buf.append("nil");
          } else {
            Fmt0x64(u, true);
          }
          buf.push_back(')');
        } else if (u == 0) {
          PadString("<nil>");
        } else {
          Fmt0x64(u, !f_.sharp);
        }
        break;
      case 'p':
        Fmt0x64(u, !f_.sharp);
        break;
      case 'b':
      case 'o':
      case 'd':
      case 'x':
      case 'X':
        FmtInteger(u, false, verb);
        break;
      default:
        BadVerb(verb);
    }
  }

  void WritePadding(int n) {
    if (n <= 0) return;
    buf.append(static_cast<size_t>(n), f_.zero ? '0' : ' ');
  }

  void Pad(const std::string& s) {
    if (!f_.wid_present || wid_ == 0) {
      buf.append(s);
      return;
    }
    int width = wid_ - RuneCount(s);
    if (!f_.minus) {
      WritePadding(width);
      buf.append(s);
    } else {
      buf.append(s);
      WritePadding(width);
    }
  }
  void PadString(const std::string& s) { Pad(s); }

  Flags f_;
  int wid_ = 0;
  int prec_ = 0;
  Value arg_;
  bool in_value_ = false;
  bool erroring_ = false;
  bool reordered_ = false;
  bool good_arg_num_ = true;
};

}  // namespace

bool IsStringer(const Type* type) {
  return type == TimeType() || type == TimePtrType() || type == DurationType() ||
         type == DurationPtrType() || type == MonthType() || type == WeekdayType();
}

std::string Sprint(const std::vector<Value>& args) {
  Printer p;
  p.DoPrint(args);
  return std::move(p.buf);
}

std::string Sprintln(const std::vector<Value>& args) {
  Printer p;
  p.DoPrintln(args);
  return std::move(p.buf);
}

std::string Sprintf(std::string_view format, const std::vector<Value>& args) {
  Printer p;
  p.DoPrintf(format, args);
  return std::move(p.buf);
}

std::string FormatValue(const Value& v) { return Sprint({v}); }

}  // namespace smoke::ruler::go
