#include "exporter/ruler/template_exec.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "exporter/ruler/go_format.h"
#include "exporter/ruler/go_strconv.h"

namespace smoke::ruler::tmpl {

namespace {

using go::Kind;
using go::Type;
using go::Value;

// Execution errors unwind with an exception, as Go's executor unwinds with panic; Execute()
// turns it into a Status so no exception leaves this file.
struct ExecError {
  std::string message;
};

// Go's evaluator distinguishes "no value passed down the pipeline" (missingVal) from an invalid
// value; nullopt is the former.
using Final = std::optional<Value>;

// Go recurses up to 100000 nested {{template}} calls on its growable goroutine stack; a native
// stack cannot, so the limits are lower while the message keeps Go's wording: a depth that real
// templates never reach, and a stack budget that holds on small thread stacks and in sanitizer
// builds, whose frames are larger.
constexpr int kMaxExecDepth = 100;
constexpr uintptr_t kStackBudget = 256 * 1024;

uintptr_t StackAddress() { return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)); }

enum class Control { kNormal, kBreak, kContinue };

bool Assignable(const Type* from, const Type* to) {
  return from == to || to == go::AnyType() || to == go::ReflectValueType();
}

bool CanBeNil(const Type* t) {
  switch (t->kind) {
    case Kind::kInterface:
    case Kind::kMap:
    case Kind::kPointer:
    case Kind::kSlice:
    case Kind::kReflectValue:
      return true;
    default:
      return false;
  }
}

// Pointer and interface indirection; *is_nil reports a nil pointer or interface.
Value Indirect(const Value& v, bool* is_nil) {
  *is_nil = false;
  Value cur = v;
  while (cur.kind() == Kind::kPointer || cur.kind() == Kind::kInterface) {
    if (cur.IsNil()) {
      *is_nil = true;
      return cur;
    }
    cur = cur.Elem();
  }
  return cur;
}

Value IndirectInterface(const Value& v) { return v.kind() == Kind::kInterface ? Value() : v; }

bool ContainsAny(const std::string& s, const char* chars) {
  return s.find_first_of(chars) != std::string::npos;
}

bool IsHexInt(const std::string& s) {
  return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !ContainsAny(s, "pP");
}

class State {
 public:
  State(const TreeSet& set, const CallEnv& env, std::string* out)
      : set_(set), env_(env), out_(out) {}

  void Run(const Value& data) {
    stack_base_ = StackAddress();
    tmpl_name_ = set_.name;
    vars_.push_back({"$", data});
    auto it = set_.trees.find(set_.name);
    if (it == set_.trees.end() || !it->second->root) {
      Errorf(go::Quote(set_.name) + " is an incomplete or empty template");
    }
    Walk(data, it->second->root.get());
  }

 private:
  [[noreturn]] void Errorf(const std::string& msg) {
    if (node_ == nullptr) {
      throw ExecError{"template: " + tmpl_name_ + ": " + msg};
    }
    const std::string& text = *set_.text;
    int pos = node_->pos;
    size_t upto = std::min(static_cast<size_t>(pos), text.size());
    size_t nl = text.rfind('\n', upto == 0 ? std::string::npos : upto - 1);
    int byte_num;
    if (upto == 0 || nl == std::string::npos) {
      byte_num = pos;
    } else {
      byte_num = pos - static_cast<int>(nl + 1);
    }
    int line = 1;
    for (size_t i = 0; i < upto; ++i) line += text[i] == '\n';
    throw ExecError{"template: " + set_.name + ":" + std::to_string(line) + ":" +
                    std::to_string(byte_num) + ": executing " + go::Quote(tmpl_name_) + " at <" +
                    node_->String() + ">: " + msg};
  }

  void At(const Node* n) { node_ = n; }

  size_t Mark() const { return vars_.size(); }
  void Pop(size_t mark) { vars_.resize(mark); }
  void Push(const std::string& name, Value v) { vars_.push_back({name, std::move(v)}); }

  void SetVar(const std::string& name, const Value& v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) {
        vars_[i].second = v;
        return;
      }
    }
    Errorf("undefined variable: " + name);
  }

  void SetTopVar(size_t n, const Value& v) { vars_[vars_.size() - n].second = v; }

  Value VarValue(const std::string& name) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) return vars_[i].second;
    }
    Errorf("undefined variable: " + name);
  }

  Control Walk(const Value& dot, const Node* node) {
    At(node);
    switch (node->type) {
      case NodeType::kAction: {
        auto* a = static_cast<const ActionNode*>(node);
        // Variables declared by the action persist until the enclosing {{end}}.
        Value val = EvalPipeline(dot, a->pipe.get());
        if (a->pipe->decl.empty()) PrintValue(node, val);
        return Control::kNormal;
      }
      case NodeType::kBreak:
        return Control::kBreak;
      case NodeType::kContinue:
        return Control::kContinue;
      case NodeType::kComment:
        return Control::kNormal;
      case NodeType::kIf:
      case NodeType::kWith:
        return WalkIfOrWith(dot, static_cast<const BranchNode*>(node));
      case NodeType::kList:
        for (const auto& n : static_cast<const ListNode*>(node)->nodes) {
          Control c = Walk(dot, n.get());
          if (c != Control::kNormal) return c;
        }
        return Control::kNormal;
      case NodeType::kRange:
        WalkRange(dot, static_cast<const BranchNode*>(node));
        return Control::kNormal;
      case NodeType::kTemplate:
        WalkTemplate(dot, static_cast<const TemplateNode*>(node));
        return Control::kNormal;
      case NodeType::kText:
        out_->append(static_cast<const TextNode*>(node)->text);
        return Control::kNormal;
      default:
        Errorf("unknown node: " + node->String());
    }
  }

  Control WalkIfOrWith(const Value& dot, const BranchNode* node) {
    size_t mark = Mark();
    Value val = EvalPipeline(dot, node->pipe.get());
    bool ok;
    bool truth = IsTrue(IndirectInterface(val), &ok);
    if (!ok) Errorf("if/with can't use " + go::FormatValue(val));
    Control c = Control::kNormal;
    if (truth) {
      c = Walk(node->type == NodeType::kWith ? val : dot, node->list.get());
    } else if (node->else_list) {
      c = Walk(dot, node->else_list.get());
    }
    Pop(mark);
    return c;
  }

  void WalkRange(const Value& dot, const BranchNode* r) {
    At(r);
    size_t outer_mark = Mark();
    bool is_nil;
    Value val = Indirect(EvalPipeline(dot, r->pipe.get()), &is_nil);
    size_t mark = Mark();
    // Returns false on {{break}}.
    auto one_iteration = [&](const Value& index, const Value& elem) {
      if (!r->pipe->decl.empty()) SetTopVar(1, elem);
      if (r->pipe->decl.size() > 1) SetTopVar(2, index);
      Control c = Walk(elem, r->list.get());
      Pop(mark);
      return c != Control::kBreak;
    };
    bool iterated = false;
    switch (val.kind()) {
      case Kind::kSlice: {
        const go::ValueList& elems = val.AsList();
        iterated = !elems.empty();
        for (size_t i = 0; i < elems.size(); ++i) {
          if (!one_iteration(Value::Int(static_cast<int64_t>(i)), elems[i])) break;
        }
        break;
      }
      case Kind::kMap: {
        const go::ValueMap& m = val.AsMap();
        iterated = !m.empty();
        for (const auto& [k, v] : m) {  // sorted keys, as fmtsort orders them
          if (!one_iteration(Value::String(k), v)) break;
        }
        break;
      }
      case Kind::kInvalid:
      case Kind::kInterface:
        break;  // a nil map and the like: as empty
      default:
        Errorf("range can't iterate over " + go::FormatValue(val));
    }
    if (!iterated && r->else_list) Walk(dot, r->else_list.get());
    Pop(outer_mark);
  }

  void WalkTemplate(const Value& dot, const TemplateNode* t) {
    At(t);
    auto it = set_.trees.find(t->name);
    if (it == set_.trees.end() || !it->second->root) {
      Errorf("template " + go::Quote(t->name) + " not defined");
    }
    uintptr_t here = StackAddress();
    uintptr_t used = stack_base_ > here ? stack_base_ - here : here - stack_base_;
    if (depth_ == kMaxExecDepth || used > kStackBudget) {
      Errorf("exceeded maximum template depth (100000)");
    }
    Value new_dot = EvalPipeline(dot, t->pipe.get());
    State inner(set_, env_, out_);
    inner.depth_ = depth_ + 1;
    inner.stack_base_ = stack_base_;
    inner.tmpl_name_ = t->name;
    inner.vars_.push_back({"$", new_dot});
    inner.Walk(new_dot, it->second->root.get());
  }

  Value EvalPipeline(const Value& dot, const PipeNode* pipe) {
    if (pipe == nullptr) return Value();
    At(pipe);
    Final value;  // missing
    for (const auto& cmd : pipe->cmds) {
      Value v = EvalCommand(dot, cmd.get(), value);
      // A nil interface{} becomes the invalid value, as reflect.ValueOf(v.Interface()).
      if (v.kind() == Kind::kInterface) v = Value();
      value = std::move(v);
    }
    for (const auto& variable : pipe->decl) {
      if (pipe->is_assign) {
        SetVar(variable->ident[0], *value);
      } else {
        Push(variable->ident[0], *value);
      }
    }
    return *value;
  }

  void NotAFunction(const std::vector<NodePtr>& args, const Final& final) {
    if (args.size() > 1 || final.has_value()) {
      Errorf("can't give argument to non-function " + args[0]->String());
    }
  }

  Value EvalCommand(const Value& dot, const CommandNode* cmd, const Final& final) {
    const Node* first = cmd->args[0].get();
    switch (first->type) {
      case NodeType::kField:
        return EvalFieldNode(dot, static_cast<const FieldNode*>(first), &cmd->args, final);
      case NodeType::kChain:
        return EvalChainNode(dot, static_cast<const ChainNode*>(first), &cmd->args, final);
      case NodeType::kIdentifier:
        return EvalFunction(dot, static_cast<const IdentifierNode*>(first), cmd, &cmd->args, final);
      case NodeType::kPipe:
        NotAFunction(cmd->args, final);
        return EvalPipeline(dot, static_cast<const PipeNode*>(first));
      case NodeType::kVariable:
        return EvalVariableNode(dot, static_cast<const VariableNode*>(first), &cmd->args, final);
      default:
        break;
    }
    At(first);
    NotAFunction(cmd->args, final);
    switch (first->type) {
      case NodeType::kBool:
        return Value::Bool(static_cast<const BoolNode*>(first)->value);
      case NodeType::kDot:
        return dot;
      case NodeType::kNil:
        Errorf("nil is not a command");
      case NodeType::kNumber:
        return IdealConstant(static_cast<const NumberNode*>(first));
      case NodeType::kString:
        return Value::String(static_cast<const StringNode*>(first)->text);
      default:
        Errorf("can't evaluate command " + go::Quote(first->String()));
    }
  }

  Value IdealConstant(const NumberNode* c) {
    At(c);
    if (c->is_complex) return Value::Complex(c->complex128);
    if (c->is_float && !IsHexInt(c->text) && c->text[0] != '\'' && ContainsAny(c->text, ".eEpP")) {
      return Value::Float(c->float64);
    }
    if (c->is_int) return Value::Int(c->int64);
    if (c->is_uint) Errorf(c->text + " overflows int");
    return Value();
  }

  Value EvalFieldNode(const Value& dot, const FieldNode* field, const std::vector<NodePtr>* args,
                      const Final& final) {
    At(field);
    return EvalFieldChain(dot, dot, field, field->ident, 0, args, final);
  }

  Value EvalChainNode(const Value& dot, const ChainNode* chain, const std::vector<NodePtr>* args,
                      const Final& final) {
    At(chain);
    if (chain->field.empty()) Errorf("internal error: no fields in evalChainNode");
    if (chain->node->type == NodeType::kNil) {
      Errorf("indirection through explicit nil in " + chain->String());
    }
    Value pipe = EvalArg(dot, nullptr, chain->node.get());
    return EvalFieldChain(dot, pipe, chain, chain->field, 0, args, final);
  }

  Value EvalVariableNode(const Value& dot, const VariableNode* variable,
                         const std::vector<NodePtr>* args, const Final& final) {
    At(variable);
    Value value = VarValue(variable->ident[0]);
    if (variable->ident.size() == 1) {
      if (args != nullptr) NotAFunction(*args, final);
      return value;
    }
    return EvalFieldChain(dot, value, variable, variable->ident, 1, args, final);
  }

  Value EvalFieldChain(const Value& dot, Value receiver, const Node* node,
                       const std::vector<std::string>& ident, size_t from,
                       const std::vector<NodePtr>* args, const Final& final) {
    size_t n = ident.size();
    for (size_t i = from; i + 1 < n; ++i) {
      receiver = EvalField(dot, ident[i], node, nullptr, std::nullopt, receiver);
    }
    return EvalField(dot, ident[n - 1], node, args, final, receiver);
  }

  Value EvalFunction(const Value& dot, const IdentifierNode* node, const Node* cmd,
                     const std::vector<NodePtr>* args, const Final& final) {
    At(node);
    const Func* fn = FindFunction(node->ident);
    if (fn == nullptr) Errorf(go::Quote(node->ident) + " is not a defined function");
    return EvalCall(dot, *fn, cmd, node->ident, args, final);
  }

  Value EvalField(const Value& dot, const std::string& field_name, const Node* node,
                  const std::vector<NodePtr>* args, const Final& final, const Value& recv) {
    if (!recv.IsValid()) return Value();  // missingkey=zero: no error for a nil receiver
    const Type* typ = recv.type();
    bool is_nil;
    Value receiver = Indirect(recv, &is_nil);
    if (receiver.kind() == Kind::kInterface && is_nil) {
      Errorf("nil pointer evaluating " + typ->name + "." + field_name);
    }
    if (auto method = FindMethod(receiver, recv, field_name)) {
      return EvalCall(dot, *method, node, field_name, args, final);
    }
    bool has_args = (args != nullptr && args->size() > 1) || final.has_value();
    switch (receiver.kind()) {
      case Kind::kStruct: {
        const auto& fields = receiver.type()->fields;
        for (size_t i = 0; i < fields.size(); ++i) {
          if (fields[i] != field_name) continue;
          if (has_args) {
            Errorf(field_name + " has arguments but cannot be invoked as function");
          }
          return go::Field(receiver, i);
        }
        break;
      }
      case Kind::kMap: {
        if (has_args) Errorf(field_name + " is not a method but has arguments");
        const go::ValueMap& m = receiver.AsMap();
        auto it = m.find(field_name);
        if (it == m.end()) return Value::Zero(receiver.type()->elem);  // missingkey=zero
        return it->second;
      }
      case Kind::kPointer: {
        const Type* etyp = receiver.type()->elem;
        bool has_field =
            etyp->kind != Kind::kStruct ||
            std::find(etyp->fields.begin(), etyp->fields.end(), field_name) != etyp->fields.end();
        if (has_field && is_nil) {
          Errorf("nil pointer evaluating " + typ->name + "." + field_name);
        }
        break;
      }
      default:
        break;
    }
    Errorf("can't evaluate field " + field_name + " in type " + typ->name);
  }

  Value EvalCall(const Value& dot, const Func& fun, const Node* node, const std::string& name,
                 const std::vector<NodePtr>* all_args, const Final& final) {
    std::vector<const Node*> args;
    if (all_args != nullptr) {
      for (size_t i = 1; i < all_args->size(); ++i) args.push_back((*all_args)[i].get());
    }
    int num_params = static_cast<int>(fun.in.size());
    int num_in = static_cast<int>(args.size()) + (final.has_value() ? 1 : 0);
    int num_fixed = static_cast<int>(args.size());
    if (fun.variadic) {
      num_fixed = num_params - 1;
      if (num_in < num_fixed) {
        Errorf("wrong number of args for " + name + ": want at least " +
               std::to_string(num_params - 1) + " got " + std::to_string(args.size()));
      }
    } else if (num_in != num_params) {
      Errorf("wrong number of args for " + name + ": want " + std::to_string(num_params) + " got " +
             std::to_string(num_in));
    }

    // and/or evaluate their arguments lazily and return the deciding one.
    if (fun.builtin && (name == "and" || name == "or")) {
      const Type* arg_type = fun.in[0];
      Value v;
      for (const Node* arg : args) {
        v = EvalArg(dot, arg_type, arg);
        if (IsTrue(IndirectInterface(v)) == (name == "or")) return v;
      }
      if (final.has_value()) v = ValidateType(*final, arg_type);
      return v;
    }

    std::vector<Value> argv(static_cast<size_t>(num_in));
    size_t i = 0;
    for (; static_cast<int>(i) < num_fixed && i < args.size(); ++i) {
      argv[i] = EvalArg(dot, fun.in[i], args[i]);
    }
    if (fun.variadic) {
      const Type* arg_type = fun.in.back();
      for (; i < args.size(); ++i) argv[i] = EvalArg(dot, arg_type, args[i]);
    }
    if (final.has_value()) {
      const Type* t = fun.in.back();
      if (fun.variadic && num_in - 1 < num_fixed) t = fun.in[static_cast<size_t>(num_in - 1)];
      argv[i] = ValidateType(*final, t);
    }
    core::Result<Value> result = fun.call(env_, argv);
    if (!result.ok()) {
      At(node);
      Errorf("error calling " + name + ": " + result.status().message());
    }
    return std::move(result).value();
  }

  Value ValidateType(const Value& value, const Type* typ) {
    if (!value.IsValid()) {
      if (typ == nullptr) return Value();
      if (CanBeNil(typ)) return Value::Zero(typ);
      Errorf("invalid value; expected " + typ->name);
    }
    if (typ != nullptr && !Assignable(value.type(), typ)) {
      if (value.kind() == Kind::kPointer && Assignable(value.type()->elem, typ)) {
        if (value.IsNil()) Errorf("dereference of nil pointer of type " + typ->name);
        return value.Elem();
      }
      Errorf("wrong type for value; expected " + typ->name + "; got " + value.type()->name);
    }
    return value;
  }

  Value EvalArg(const Value& dot, const Type* typ, const Node* n) {
    At(n);
    switch (n->type) {
      case NodeType::kDot:
        return ValidateType(dot, typ);
      case NodeType::kNil:
        if (CanBeNil(typ)) return Value::Zero(typ);
        Errorf("cannot assign nil to " + typ->name);
      case NodeType::kField: {
        return ValidateType(EvalFieldChainFor(dot, static_cast<const FieldNode*>(n)), typ);
      }
      case NodeType::kVariable:
        return ValidateType(
            EvalVariableNode(dot, static_cast<const VariableNode*>(n), nullptr, std::nullopt), typ);
      case NodeType::kPipe:
        return ValidateType(EvalPipeline(dot, static_cast<const PipeNode*>(n)), typ);
      case NodeType::kIdentifier: {
        auto* id = static_cast<const IdentifierNode*>(n);
        return ValidateType(EvalFunction(dot, id, id, nullptr, std::nullopt), typ);
      }
      case NodeType::kChain:
        return ValidateType(
            EvalChainNode(dot, static_cast<const ChainNode*>(n), nullptr, std::nullopt), typ);
      default:
        break;
    }
    switch (typ->kind) {
      case Kind::kBool:
        At(n);
        if (n->type == NodeType::kBool) return Value::Bool(static_cast<const BoolNode*>(n)->value);
        Errorf("expected bool; found " + n->String());
      case Kind::kComplex:
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_complex) {
          return Value::Complex(static_cast<const NumberNode*>(n)->complex128);
        }
        Errorf("expected complex; found " + n->String());
      case Kind::kFloat:
        At(n);
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_float) {
          return Value::Float(static_cast<const NumberNode*>(n)->float64);
        }
        Errorf("expected float; found " + n->String());
      case Kind::kInt:
        At(n);
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_int) {
          return Value::Int(static_cast<const NumberNode*>(n)->int64, typ);
        }
        Errorf("expected integer; found " + n->String());
      case Kind::kUint:
        At(n);
        if (n->type == NodeType::kNumber && static_cast<const NumberNode*>(n)->is_uint) {
          return Value::Uint(static_cast<const NumberNode*>(n)->uint64, typ);
        }
        Errorf("expected unsigned integer; found " + n->String());
      case Kind::kString:
        At(n);
        if (n->type == NodeType::kString) {
          return Value::String(static_cast<const StringNode*>(n)->text, typ);
        }
        Errorf("expected string; found " + n->String());
      case Kind::kInterface:
      case Kind::kReflectValue:
        return EvalEmptyInterface(dot, n);
      default:
        break;
    }
    Errorf("can't handle " + n->String() + " for arg of type " + typ->name);
  }

  Value EvalFieldChainFor(const Value& dot, const FieldNode* field) {
    At(field);
    return EvalFieldChain(dot, dot, field, field->ident, 0, nullptr, std::nullopt);
  }

  Value EvalEmptyInterface(const Value& /*dot*/, const Node* n) {
    At(n);
    switch (n->type) {
      case NodeType::kBool:
        return Value::Bool(static_cast<const BoolNode*>(n)->value);
      case NodeType::kNumber:
        return IdealConstant(static_cast<const NumberNode*>(n));
      case NodeType::kString:
        return Value::String(static_cast<const StringNode*>(n)->text);
      default:
        Errorf("can't handle assignment of " + n->String() + " to empty interface argument");
    }
  }

  void PrintValue(const Node* n, const Value& v) {
    At(n);
    Value printable = v;
    if (printable.kind() == Kind::kPointer && !printable.IsNil()) {
      bool is_nil;
      printable = Indirect(printable, &is_nil);
    }
    if (!printable.IsValid()) {
      out_->append("<no value>");
      return;
    }
    out_->append(go::FormatValue(printable));
  }

  const TreeSet& set_;
  const CallEnv& env_;
  std::string* out_;
  std::string tmpl_name_;
  const Node* node_ = nullptr;
  std::vector<std::pair<std::string, Value>> vars_;
  int depth_ = 0;
  uintptr_t stack_base_ = 0;
};

}  // namespace

core::Result<std::string> Execute(const TreeSet& set, const go::Value& data, const CallEnv& env) {
  std::string out;
  try {
    State state(set, env, &out);
    state.Run(data);
  } catch (const ExecError& e) {
    return core::Status::Error(e.message);
  }
  return out;
}

}  // namespace smoke::ruler::tmpl
