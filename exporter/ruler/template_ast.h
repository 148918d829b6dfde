#pragma once
// The parse tree of a Go text/template (text/template/parse/node.go): the node kinds, their
// byte positions (for "template: name:1:23:" error locations) and their String() forms, which
// Go's error messages quote ("executing \"x\" at <humanize .Foo>").
// Thread-safety: immutable after parsing; shared read-only by concurrent executions.

#include <complex>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace smoke::ruler::tmpl {

enum class NodeType {
  kText,
  kAction,
  kBool,
  kChain,
  kCommand,
  kDot,
  kField,
  kIdentifier,
  kIf,
  kList,
  kNil,
  kNumber,
  kPipe,
  kRange,
  kString,
  kTemplate,
  kVariable,
  kWith,
  kComment,
  kBreak,
  kContinue,
  kEnd,   // parser-internal: {{end}}
  kElse,  // parser-internal: {{else}}
};

struct Node {
  Node(NodeType t, int p) : type(t), pos(p) {}
  virtual ~Node() = default;
  virtual void WriteTo(std::string* out) const = 0;
  std::string String() const {
    std::string s;
    WriteTo(&s);
    return s;
  }

  NodeType type;
  int pos;  // byte offset in the template text
};

using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  explicit ListNode(int p) : Node(NodeType::kList, p) {}
  void WriteTo(std::string* out) const override;
  std::vector<NodePtr> nodes;
};

struct TextNode : Node {
  TextNode(int p, std::string t) : Node(NodeType::kText, p), text(std::move(t)) {}
  void WriteTo(std::string* out) const override { out->append(text); }
  std::string text;
};

struct CommentNode : Node {
  CommentNode(int p, std::string t) : Node(NodeType::kComment, p), text(std::move(t)) {}
  void WriteTo(std::string* out) const override { *out += "{{" + text + "}}"; }
  std::string text;
};

struct VariableNode : Node {
  VariableNode(int p, std::vector<std::string> i)
      : Node(NodeType::kVariable, p), ident(std::move(i)) {}
  void WriteTo(std::string* out) const override;
  std::vector<std::string> ident;  // "$x", then field names
};

struct CommandNode;

struct PipeNode : Node {
  PipeNode(int p, int l) : Node(NodeType::kPipe, p), line(l) {}
  void WriteTo(std::string* out) const override;
  int line;
  bool is_assign = false;
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
};

struct ActionNode : Node {
  ActionNode(int p, int l, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::kAction, p), line(l), pipe(std::move(pp)) {}
  void WriteTo(std::string* out) const override;
  int line;
  std::unique_ptr<PipeNode> pipe;
};

struct CommandNode : Node {
  explicit CommandNode(int p) : Node(NodeType::kCommand, p) {}
  void WriteTo(std::string* out) const override;
  std::vector<NodePtr> args;
};

struct IdentifierNode : Node {
  IdentifierNode(int p, std::string i) : Node(NodeType::kIdentifier, p), ident(std::move(i)) {}
  void WriteTo(std::string* out) const override { out->append(ident); }
  std::string ident;
};

struct DotNode : Node {
  explicit DotNode(int p) : Node(NodeType::kDot, p) {}
  void WriteTo(std::string* out) const override { out->push_back('.'); }
};

struct NilNode : Node {
  explicit NilNode(int p) : Node(NodeType::kNil, p) {}
  void WriteTo(std::string* out) const override { out->append("nil"); }
};

struct FieldNode : Node {
  FieldNode(int p, std::vector<std::string> i) : Node(NodeType::kField, p), ident(std::move(i)) {}
  void WriteTo(std::string* out) const override;
  std::vector<std::string> ident;
};

struct ChainNode : Node {
  ChainNode(int p, NodePtr n) : Node(NodeType::kChain, p), node(std::move(n)) {}
  void WriteTo(std::string* out) const override;
  NodePtr node;
  std::vector<std::string> field;
};

struct BoolNode : Node {
  BoolNode(int p, bool v) : Node(NodeType::kBool, p), value(v) {}
  void WriteTo(std::string* out) const override { out->append(value ? "true" : "false"); }
  bool value;
};

struct NumberNode : Node {
  NumberNode(int p, std::string t) : Node(NodeType::kNumber, p), text(std::move(t)) {}
  void WriteTo(std::string* out) const override { out->append(text); }
  bool is_int = false, is_uint = false, is_float = false, is_complex = false;
  int64_t int64 = 0;
  uint64_t uint64 = 0;
  double float64 = 0;
  std::complex<double> complex128;
  std::string text;
};

struct StringNode : Node {
  StringNode(int p, std::string q, std::string t)
      : Node(NodeType::kString, p), quoted(std::move(q)), text(std::move(t)) {}
  void WriteTo(std::string* out) const override { out->append(quoted); }
  std::string quoted;
  std::string text;
};

// if / range / with.
struct BranchNode : Node {
  BranchNode(NodeType t, int p, int l) : Node(t, p), line(l) {}
  void WriteTo(std::string* out) const override;
  int line;
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  // may be null
};

struct TemplateNode : Node {
  TemplateNode(int p, int l, std::string n)
      : Node(NodeType::kTemplate, p), line(l), name(std::move(n)) {}
  void WriteTo(std::string* out) const override;
  int line;
  std::string name;
  std::unique_ptr<PipeNode> pipe;  // may be null
};

struct BreakNode : Node {
  BreakNode(int p, int l) : Node(NodeType::kBreak, p), line(l) {}
  void WriteTo(std::string* out) const override { out->append("{{break}}"); }
  int line;
};

struct ContinueNode : Node {
  ContinueNode(int p, int l) : Node(NodeType::kContinue, p), line(l) {}
  void WriteTo(std::string* out) const override { out->append("{{continue}}"); }
  int line;
};

struct EndNode : Node {
  explicit EndNode(int p) : Node(NodeType::kEnd, p) {}
  void WriteTo(std::string* out) const override { out->append("{{end}}"); }
};

struct ElseNode : Node {
  ElseNode(int p, int l) : Node(NodeType::kElse, p), line(l) {}
  void WriteTo(std::string* out) const override { out->append("{{else}}"); }
  int line;
};

// One named template: the top-level text or a {{define}}/{{block}}.
struct Tree {
  std::string name;
  std::unique_ptr<ListNode> root;
};

// Everything one Parse call produced: the top-level tree and the templates it defines.
struct TreeSet {
  std::string name;                         // the top-level template's name
  std::shared_ptr<const std::string> text;  // the parsed text, for error locations
  std::map<std::string, std::unique_ptr<Tree>> trees;
};

// Go's parse.IsEmptyTree: only whitespace text and comments.
bool IsEmptyTree(const Node* n);

}  // namespace smoke::ruler::tmpl
