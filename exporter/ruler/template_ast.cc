#include "exporter/ruler/template_ast.h"

#include "exporter/ruler/go_strconv.h"

namespace smoke::ruler::tmpl {

void ListNode::WriteTo(std::string* out) const {
  for (const auto& n : nodes) n->WriteTo(out);
}

void VariableNode::WriteTo(std::string* out) const {
  for (size_t i = 0; i < ident.size(); ++i) {
    if (i > 0) out->push_back('.');
    out->append(ident[i]);
  }
}

void PipeNode::WriteTo(std::string* out) const {
  if (!decl.empty()) {
    for (size_t i = 0; i < decl.size(); ++i) {
      if (i > 0) out->append(", ");
      decl[i]->WriteTo(out);
    }
    out->append(" := ");
  }
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) out->append(" | ");
    cmds[i]->WriteTo(out);
  }
}

void ActionNode::WriteTo(std::string* out) const {
  out->append("{{");
  pipe->WriteTo(out);
  out->append("}}");
}

void CommandNode::WriteTo(std::string* out) const {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out->push_back(' ');
    if (args[i]->type == NodeType::kPipe) {
      out->push_back('(');
      args[i]->WriteTo(out);
      out->push_back(')');
      continue;
    }
    args[i]->WriteTo(out);
  }
}

void FieldNode::WriteTo(std::string* out) const {
  for (const auto& id : ident) {
    out->push_back('.');
    out->append(id);
  }
}

void ChainNode::WriteTo(std::string* out) const {
  if (node->type == NodeType::kPipe) {
    out->push_back('(');
    node->WriteTo(out);
    out->push_back(')');
  } else {
    node->WriteTo(out);
  }
  for (const auto& f : field) {
    out->push_back('.');
    out->append(f);
  }
}

void BranchNode::WriteTo(std::string* out) const {
  const char* name = type == NodeType::kIf ? "if" : type == NodeType::kRange ? "range" : "with";
  out->append("{{");
  out->append(name);
  out->push_back(' ');
  pipe->WriteTo(out);
  out->append("}}");
  list->WriteTo(out);
  if (else_list) {
    out->append("{{else}}");
    else_list->WriteTo(out);
  }
  out->append("{{end}}");
}

void TemplateNode::WriteTo(std::string* out) const {
  out->append("{{template ");
  out->append(go::Quote(name));
  if (pipe) {
    out->push_back(' ');
    pipe->WriteTo(out);
  }
  out->append("}}");
}

bool IsEmptyTree(const Node* n) {
  if (n == nullptr) return true;
  switch (n->type) {
    case NodeType::kComment:
      return true;
    case NodeType::kList:
      for (const auto& c : static_cast<const ListNode*>(n)->nodes) {
        if (!IsEmptyTree(c.get())) return false;
      }
      return true;
    case NodeType::kText: {
      const std::string& t = static_cast<const TextNode*>(n)->text;
      return t.find_first_not_of(" \t\n\r\v\f") == std::string::npos;
    }
    default:
      return false;
  }
}

}  // namespace smoke::ruler::tmpl
