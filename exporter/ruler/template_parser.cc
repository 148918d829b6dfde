#include "exporter/ruler/template_parser.h"

#include <algorithm>
#include <string>
#include <vector>

#include "exporter/ruler/go_strconv.h"
#include "exporter/ruler/template_lexer.h"

namespace smoke::ruler::tmpl {

namespace {

// Parsing unwinds with an exception, as Go's parser unwinds with panic; Parse() turns it into a
// Status so no exception leaves this file.
struct ParseError {
  std::string message;
};

// The token stream shared by the top-level tree and the {{define}}/{{block}} trees inside it.
struct ItemStream {
  std::vector<Item> items;
  size_t next = 0;
  Item Next() {
    if (next < items.size()) return items[next++];
    return Item{};  // a closed channel yields the zero item, as in Go
  }
};

// Go's parser recurses on its growable goroutine stack without a limit; a native stack needs one
// (each level costs a few recursive calls). Real templates nest a handful of levels.
constexpr int kMaxNesting = 200;

struct Shared {
  std::string top_name;
  int nesting = 0;
  ItemStream stream;
  const FunctionCheck* has_function;
  TreeSet* set;
};

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t i = s.find(sep, start);
    out.emplace_back(s.substr(start, i == std::string_view::npos ? s.npos : i - start));
    if (i == std::string_view::npos) break;
    start = i + 1;
  }
  return out;
}

// One tree being parsed (Go's *parse.Tree during parsing).
class TreeParser {
 public:
  TreeParser(Shared* shared, std::string name) : shared_(shared), name_(std::move(name)) {}

  // The top-level template: text, actions and {{define}}s, up to EOF.
  void ParseTop() {
    root_ = std::make_unique<ListNode>(Peek().pos);
    while (Peek().type != ItemType::kEOF) {
      if (Peek().type == ItemType::kLeftDelim) {
        Item delim = NextToken();
        if (NextNonSpace().type == ItemType::kDefine) {
          TreeParser def(shared_, "definition");
          def.ParseDefinition();
          continue;
        }
        Backup2(delim);
      }
      NodePtr n = TextOrAction();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        Errorf("unexpected " + n->String());
      }
      root_->nodes.push_back(std::move(n));
    }
    Add();
  }

 private:
  [[noreturn]] void Errorf(const std::string& msg) {
    throw ParseError{"template: " + shared_->top_name + ":" + std::to_string(token_[0].line) +
                     ": " + msg};
  }

  Item NextToken() {
    if (peek_count_ > 0) {
      peek_count_--;
    } else {
      token_[0] = shared_->stream.Next();
    }
    return token_[peek_count_];
  }
  void Backup() { peek_count_++; }
  void Backup2(const Item& t1) {
    token_[1] = t1;
    peek_count_ = 2;
  }
  void Backup3(const Item& t2, const Item& t1) {
    token_[1] = t1;
    token_[2] = t2;
    peek_count_ = 3;
  }
  Item Peek() {
    if (peek_count_ > 0) return token_[peek_count_ - 1];
    peek_count_ = 1;
    token_[0] = shared_->stream.Next();
    return token_[0];
  }
  Item NextNonSpace() {
    Item token;
    do {
      token = NextToken();
    } while (token.type == ItemType::kSpace);
    return token;
  }
  Item PeekNonSpace() {
    Item token = NextNonSpace();
    Backup();
    return token;
  }

  Item Expect(ItemType expected, const std::string& context) {
    Item token = NextNonSpace();
    if (token.type != expected) Unexpected(token, context);
    return token;
  }

  Item ExpectOneOf(ItemType e1, ItemType e2, const std::string& context) {
    Item token = NextNonSpace();
    if (token.type != e1 && token.type != e2) Unexpected(token, context);
    return token;
  }

  [[noreturn]] void Unexpected(const Item& token, const std::string& context) {
    if (token.type == ItemType::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != token.line) {
        extra = " in action started at " + shared_->top_name + ":" + std::to_string(action_line_);
        if (token.val.size() >= 7 && token.val.compare(token.val.size() - 7, 7, " action") == 0) {
          extra = extra.substr(std::string(" in action").size());
        }
      }
      Errorf(token.String() + extra);
    }
    Errorf("unexpected " + token.String() + " in " + context);
  }

  void Add() {
    auto& trees = shared_->set->trees;
    auto it = trees.find(name_);
    if (it == trees.end() || IsEmptyTree(it->second->root.get())) {
      auto tree = std::make_unique<Tree>();
      tree->name = name_;
      tree->root = std::move(root_);
      trees[name_] = std::move(tree);
      return;
    }
    if (!IsEmptyTree(root_.get())) {
      Errorf("template: multiple definition of template " + go::Quote(name_));
    }
  }

  void ParseDefinition() {
    const std::string context = "define clause";
    Item name = ExpectOneOf(ItemType::kString, ItemType::kRawString, context);
    auto unquoted = go::Unquote(name.val);
    if (!unquoted) Errorf("invalid syntax");
    name_ = *unquoted;
    Expect(ItemType::kRightDelim, context);
    NodePtr end;
    root_ = ItemList(&end);
    if (end->type != NodeType::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    Add();
  }

  // textOrAction* up to {{end}} or {{else}}, which is returned in *next.
  std::unique_ptr<ListNode> ItemList(NodePtr* next) {
    NestingGuard guard(this);
    auto list = std::make_unique<ListNode>(PeekNonSpace().pos);
    while (PeekNonSpace().type != ItemType::kEOF) {
      NodePtr n = TextOrAction();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        *next = std::move(n);
        return list;
      }
      list->nodes.push_back(std::move(n));
    }
    Errorf("unexpected EOF");
  }

  NodePtr TextOrAction() {
    Item token = NextNonSpace();
    switch (token.type) {
      case ItemType::kText:
        return std::make_unique<TextNode>(token.pos, token.val);
      case ItemType::kLeftDelim: {
        action_line_ = token.line;
        NodePtr n = Action();
        action_line_ = 0;
        return n;
      }
      case ItemType::kComment:
        return std::make_unique<CommentNode>(token.pos, token.val);
      default:
        Unexpected(token, "input");
    }
  }

  NodePtr Action() {
    Item token = NextNonSpace();
    switch (token.type) {
      case ItemType::kBlock:
        return BlockControl();
      case ItemType::kBreak:
        return BreakControl(token.pos, token.line, "{{break}}");
      case ItemType::kContinue:
        return BreakControl(token.pos, token.line, "{{continue}}");
      case ItemType::kElse:
        return ElseControl();
      case ItemType::kEnd:
        return std::make_unique<EndNode>(Expect(ItemType::kRightDelim, "end").pos);
      case ItemType::kIf:
        return BranchControl(NodeType::kIf, true, "if");
      case ItemType::kRange:
        return BranchControl(NodeType::kRange, false, "range");
      case ItemType::kTemplate:
        return TemplateControl();
      case ItemType::kWith:
        return BranchControl(NodeType::kWith, false, "with");
      default:
        break;
    }
    Backup();
    Item t = Peek();
    // Variables declared here persist until the enclosing {{end}}.
    return std::make_unique<ActionNode>(t.pos, t.line, Pipeline("command", ItemType::kRightDelim));
  }

  NodePtr BreakControl(int pos, int line, const std::string& what) {
    Item token = NextNonSpace();
    if (token.type != ItemType::kRightDelim) Unexpected(token, what);
    if (range_depth_ == 0) Errorf(what + " outside {{range}}");
    if (what == "{{break}}") return std::make_unique<BreakNode>(pos, line);
    return std::make_unique<ContinueNode>(pos, line);
  }

  // Counts the nesting of pipelines and control blocks while one is being parsed.
  class NestingGuard {
   public:
    explicit NestingGuard(TreeParser* p) : p_(p) {
      if (++p_->shared_->nesting > kMaxNesting) p_->Errorf("template nested too deeply");
    }
    ~NestingGuard() { --p_->shared_->nesting; }

   private:
    TreeParser* p_;
  };

  std::unique_ptr<PipeNode> Pipeline(const std::string& context, ItemType end) {
    NestingGuard guard(this);
    Item token = PeekNonSpace();
    auto pipe = std::make_unique<PipeNode>(token.pos, token.line);
  decls:
    if (Item v = PeekNonSpace(); v.type == ItemType::kVariable) {
      NextToken();
      // Three-token look-ahead: in "$x foo" the token after $x decides whether it is declared.
      Item token_after_variable = Peek();
      Item next = PeekNonSpace();
      if (next.type == ItemType::kAssign || next.type == ItemType::kDeclare) {
        pipe->is_assign = next.type == ItemType::kAssign;
        NextNonSpace();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, Split(v.val, '.')));
        vars_.push_back(v.val);
      } else if (next.type == ItemType::kChar && next.val == ",") {
        NextNonSpace();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, Split(v.val, '.')));
        vars_.push_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          ItemType t = PeekNonSpace().type;
          if (t == ItemType::kVariable || t == ItemType::kRightDelim ||
              t == ItemType::kRightParen) {
            goto decls;
          }
          Errorf("range can only initialize variables");
        }
        Errorf("too many declarations in " + context);
      } else if (token_after_variable.type == ItemType::kSpace) {
        Backup3(v, token_after_variable);
      } else {
        Backup2(v);
      }
    }
    for (;;) {
      Item t = NextNonSpace();
      if (t.type == end) {
        CheckPipeline(*pipe, context);
        return pipe;
      }
      switch (t.type) {
        case ItemType::kBool:
        case ItemType::kCharConstant:
        case ItemType::kComplex:
        case ItemType::kDot:
        case ItemType::kField:
        case ItemType::kIdentifier:
        case ItemType::kNumber:
        case ItemType::kNil:
        case ItemType::kRawString:
        case ItemType::kString:
        case ItemType::kVariable:
        case ItemType::kLeftParen:
          Backup();
          pipe->cmds.push_back(Command());
          break;
        default:
          Unexpected(t, context);
      }
    }
  }

  void CheckPipeline(const PipeNode& pipe, const std::string& context) {
    if (pipe.cmds.empty()) Errorf("missing value for " + context);
    for (size_t i = 1; i < pipe.cmds.size(); ++i) {
      switch (pipe.cmds[i]->args[0]->type) {
        case NodeType::kBool:
        case NodeType::kDot:
        case NodeType::kNil:
        case NodeType::kNumber:
        case NodeType::kString:
          Errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default:
          break;
      }
    }
  }

  NodePtr BranchControl(NodeType type, bool allow_else_if, const std::string& context) {
    size_t vars_mark = vars_.size();
    std::unique_ptr<PipeNode> pipe = Pipeline(context, ItemType::kRightDelim);
    if (context == "range") range_depth_++;
    NodePtr next;
    std::unique_ptr<ListNode> list = ItemList(&next);
    if (context == "range") range_depth_--;
    std::unique_ptr<ListNode> else_list;
    if (next->type == NodeType::kElse) {
      bool done = false;
      if (allow_else_if && Peek().type == ItemType::kIf) {
        // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with the inner {{end}} shared.
        NextToken();
        else_list = std::make_unique<ListNode>(next->pos);
        else_list->nodes.push_back(BranchControl(NodeType::kIf, true, "if"));
        done = true;
      }
      if (!done) {
        NodePtr end;
        else_list = ItemList(&end);
        if (end->type != NodeType::kEnd) Errorf("expected end; found " + end->String());
      }
    }
    vars_.resize(vars_mark);
    auto node = std::make_unique<BranchNode>(type, pipe->pos, pipe->line);
    node->pipe = std::move(pipe);
    node->list = std::move(list);
    node->else_list = std::move(else_list);
    return node;
  }

  NodePtr ElseControl() {
    Item peek = PeekNonSpace();
    if (peek.type == ItemType::kIf) return std::make_unique<ElseNode>(peek.pos, peek.line);
    Item token = Expect(ItemType::kRightDelim, "else");
    return std::make_unique<ElseNode>(token.pos, token.line);
  }

  std::string ParseTemplateName(const Item& token, const std::string& context) {
    if (token.type == ItemType::kString || token.type == ItemType::kRawString) {
      auto s = go::Unquote(token.val);
      if (!s) Errorf("invalid syntax");
      return *s;
    }
    Unexpected(token, context);
  }

  NodePtr BlockControl() {
    const std::string context = "block clause";
    Item token = NextNonSpace();
    std::string name = ParseTemplateName(token, context);
    std::unique_ptr<PipeNode> pipe = Pipeline(context, ItemType::kRightDelim);
    TreeParser block(shared_, name);
    NodePtr end;
    block.root_ = block.ItemList(&end);
    if (end->type != NodeType::kEnd) Errorf("unexpected " + end->String() + " in " + context);
    block.Add();
    auto node = std::make_unique<TemplateNode>(token.pos, token.line, name);
    node->pipe = std::move(pipe);
    return node;
  }

  NodePtr TemplateControl() {
    const std::string context = "template clause";
    Item token = NextNonSpace();
    std::string name = ParseTemplateName(token, context);
    std::unique_ptr<PipeNode> pipe;
    if (NextNonSpace().type != ItemType::kRightDelim) {
      Backup();
      pipe = Pipeline(context, ItemType::kRightDelim);
    }
    auto node = std::make_unique<TemplateNode>(token.pos, token.line, name);
    node->pipe = std::move(pipe);
    return node;
  }

  std::unique_ptr<CommandNode> Command() {
    auto cmd = std::make_unique<CommandNode>(PeekNonSpace().pos);
    for (;;) {
      PeekNonSpace();  // skip leading spaces
      NodePtr operand = Operand();
      if (operand) cmd->args.push_back(std::move(operand));
      Item token = NextToken();
      if (token.type == ItemType::kSpace) continue;
      if (token.type == ItemType::kRightDelim || token.type == ItemType::kRightParen) {
        Backup();
      } else if (token.type != ItemType::kPipe) {
        Unexpected(token, "operand");
      }
      break;
    }
    if (cmd->args.empty()) Errorf("empty command");
    return cmd;
  }

  NodePtr Operand() {
    NodePtr node = Term();
    if (!node) return nullptr;
    if (Peek().type == ItemType::kField) {
      auto chain = std::make_unique<ChainNode>(Peek().pos, nullptr);
      while (Peek().type == ItemType::kField) chain->field.push_back(NextToken().val.substr(1));
      switch (node->type) {
        case NodeType::kField: {
          std::vector<std::string> ident = static_cast<FieldNode*>(node.get())->ident;
          ident.insert(ident.end(), chain->field.begin(), chain->field.end());
          return std::make_unique<FieldNode>(chain->pos, std::move(ident));
        }
        case NodeType::kVariable: {
          std::vector<std::string> ident = static_cast<VariableNode*>(node.get())->ident;
          ident.insert(ident.end(), chain->field.begin(), chain->field.end());
          return std::make_unique<VariableNode>(chain->pos, std::move(ident));
        }
        case NodeType::kBool:
        case NodeType::kString:
        case NodeType::kNumber:
        case NodeType::kNil:
        case NodeType::kDot:
          Errorf("unexpected . after term " + go::Quote(node->String()));
        default:
          chain->node = std::move(node);
          return chain;
      }
    }
    return node;
  }

  NodePtr Term() {
    Item token = NextNonSpace();
    switch (token.type) {
      case ItemType::kIdentifier:
        if (!(*shared_->has_function)(token.val)) {
          Errorf("function " + go::Quote(token.val) + " not defined");
        }
        return std::make_unique<IdentifierNode>(token.pos, token.val);
      case ItemType::kDot:
        return std::make_unique<DotNode>(token.pos);
      case ItemType::kNil:
        return std::make_unique<NilNode>(token.pos);
      case ItemType::kVariable:
        return UseVar(token.pos, token.val);
      case ItemType::kField:
        return std::make_unique<FieldNode>(token.pos, Split(token.val.substr(1), '.'));
      case ItemType::kBool:
        return std::make_unique<BoolNode>(token.pos, token.val == "true");
      case ItemType::kCharConstant:
      case ItemType::kComplex:
      case ItemType::kNumber:
        return NewNumber(token);
      case ItemType::kLeftParen:
        return Pipeline("parenthesized pipeline", ItemType::kRightParen);
      case ItemType::kString:
      case ItemType::kRawString: {
        auto s = go::Unquote(token.val);
        if (!s) Errorf("invalid syntax");
        return std::make_unique<StringNode>(token.pos, token.val, *s);
      }
      default:
        Backup();
        return nullptr;
    }
  }

  NodePtr UseVar(int pos, const std::string& name) {
    auto v = std::make_unique<VariableNode>(pos, Split(name, '.'));
    if (std::find(vars_.begin(), vars_.end(), v->ident[0]) == vars_.end()) {
      Errorf("undefined variable " + go::Quote(v->ident[0]));
    }
    return v;
  }

  static void SimplifyComplex(NumberNode* n) {
    n->is_float = n->complex128.imag() == 0;
    if (n->is_float) {
      n->float64 = n->complex128.real();
      double f = n->float64;
      n->is_int = f >= -9223372036854775808.0 && f < 9223372036854775808.0 &&
                  static_cast<double>(static_cast<int64_t>(f)) == f;
      if (n->is_int) n->int64 = static_cast<int64_t>(f);
      n->is_uint = f >= 0 && f < 18446744073709551616.0 &&
                   static_cast<double>(static_cast<uint64_t>(f)) == f;
      if (n->is_uint) n->uint64 = static_cast<uint64_t>(f);
    }
  }

  NodePtr NewNumber(const Item& token) {
    const std::string& text = token.val;
    auto n = std::make_unique<NumberNode>(token.pos, text);
    if (token.type == ItemType::kCharConstant) {
      auto ch = go::UnquoteChar(std::string_view(text).substr(1), text[0]);
      if (!ch) Errorf("invalid syntax");
      if (ch->tail != "'") Errorf("malformed character constant: " + text);
      n->int64 = ch->value;
      n->is_int = true;
      n->uint64 = ch->value;
      n->is_uint = true;
      n->float64 = ch->value;
      n->is_float = true;
      return n;
    }
    if (token.type == ItemType::kComplex) {
      // "1+2i": split before the sign that starts the imaginary part.
      size_t split = std::string::npos;
      for (size_t i = 1; i < text.size(); ++i) {
        char p = static_cast<char>(text[i - 1] | 0x20);
        if ((text[i] == '+' || text[i] == '-') && p != 'e' && p != 'p') split = i;
      }
      go::ParseFloatResult re = go::ParseFloat(std::string_view(text).substr(0, split));
      go::ParseFloatResult im =
          go::ParseFloat(std::string_view(text).substr(split, text.size() - split - 1));
      if (!re.error.empty()) Errorf(re.error);
      if (!im.error.empty()) Errorf(im.error);
      n->complex128 = {re.value, im.value};
      n->is_complex = true;
      SimplifyComplex(n.get());
      return n;
    }
    if (!text.empty() && text.back() == 'i') {
      go::ParseFloatResult f = go::ParseFloat(std::string_view(text).substr(0, text.size() - 1));
      if (f.error.empty()) {
        n->is_complex = true;
        n->complex128 = {0, f.value};
        SimplifyComplex(n.get());
        return n;
      }
    }
    auto u = go::ParseUint(text);
    if (u) {
      n->is_uint = true;
      n->uint64 = *u;
    }
    auto i = go::ParseInt(text);
    if (i) {
      n->is_int = true;
      n->int64 = *i;
      if (*i == 0) {
        n->is_uint = true;
        n->uint64 = u.value_or(0);
      }
    }
    if (n->is_int) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->int64);
    } else if (n->is_uint) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->uint64);
    } else {
      go::ParseFloatResult f = go::ParseFloat(text);
      if (f.error.empty()) {
        if (text.find_first_of(".eEpP") == std::string::npos) {
          Errorf("integer overflow: " + go::Quote(text));
        }
        n->is_float = true;
        n->float64 = f.value;
        double v = f.value;
        if (v >= -9223372036854775808.0 && v < 9223372036854775808.0 &&
            static_cast<double>(static_cast<int64_t>(v)) == v) {
          n->is_int = true;
          n->int64 = static_cast<int64_t>(v);
        }
        if (v >= 0 && v < 18446744073709551616.0 &&
            static_cast<double>(static_cast<uint64_t>(v)) == v) {
          n->is_uint = true;
          n->uint64 = static_cast<uint64_t>(v);
        }
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) {
      Errorf("illegal number syntax: " + go::Quote(text));
    }
    return n;
  }

  Shared* shared_;
  std::string name_;
  std::unique_ptr<ListNode> root_;
  Item token_[3];
  int peek_count_ = 0;
  std::vector<std::string> vars_{"$"};
  int action_line_ = 0;
  int range_depth_ = 0;
};

}  // namespace

core::Result<std::shared_ptr<const TreeSet>> Parse(std::string_view name, std::string_view text,
                                                   const FunctionCheck& has_function) {
  auto set = std::make_shared<TreeSet>();
  set->name = std::string(name);
  set->text = std::make_shared<const std::string>(text);
  Shared shared;
  shared.top_name = set->name;
  shared.stream.items = Lex(*set->text, !has_function("break"), !has_function("continue"));
  shared.has_function = &has_function;
  shared.set = set.get();
  try {
    TreeParser top(&shared, set->name);
    top.ParseTop();
  } catch (const ParseError& e) {
    return core::Status::Error(e.message);
  }
  return std::shared_ptr<const TreeSet>(std::move(set));
}

}  // namespace smoke::ruler::tmpl
