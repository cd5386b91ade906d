//! Terraform's HCL as [`Node`]s, read from the shared tree-sitter parse of the file ([`crate::lang::Syntax`]):
//! each top-level block with its labels and its body as a mapping, nested blocks as a sequence under their
//! type (`ingress` → `[{…}, {…}]`, a `dynamic "ingress"` block's `content` among them), literals as values,
//! `var.x` resolved from a literal `default` and `local.x` from a literal local, templates whose parts all
//! resolve as strings; every other expression stays an [`Value::Expr`], which checks treat as unknown.

use super::{Node, Value, MAX_DEPTH};
use crate::lang::tree::{NodeId, Tree};
use std::collections::HashMap;

/// A top-level block: `resource "aws_s3_bucket" "logs" { … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Its type (`resource`, `data`, `provider`, `module`, `variable`, `locals`).
    pub kind: String,
    /// Its labels (`["aws_s3_bucket", "logs"]`).
    pub labels: Vec<String>,
    /// Its body.
    pub body: Node,
    /// Byte offset where the block starts.
    pub start: u32,
    /// Byte offset where its header (type and labels) ends.
    pub header_end: u32,
}

/// The blocks of one Terraform file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HclFile {
    /// Top-level blocks in file order.
    pub blocks: Vec<Block>,
}

struct Reader<'a> {
    tree: &'a Tree,
    src: &'a str,
    vars: HashMap<String, Node>,
    locals: HashMap<String, Node>,
}

/// Reads the blocks of a Terraform file from its tree.
pub fn read(tree: &Tree, src: &str) -> HclFile {
    let mut r = Reader {
        tree,
        src,
        vars: HashMap::new(),
        locals: HashMap::new(),
    };
    let Some(body) = tree
        .kids(0)
        .iter()
        .copied()
        .find(|&k| tree.node(k).kind == "body")
    else {
        return HclFile::default();
    };
    let blocks: Vec<NodeId> = r
        .kids(body)
        .into_iter()
        .filter(|&k| tree.node(k).kind == "block")
        .collect();
    // Variables with literal defaults first, then locals (a few passes, for locals that use each other).
    for &b in &blocks {
        let (kind, labels, body) = r.header(b);
        if kind == "variable" {
            if let (Some(name), Some(body)) = (labels.first(), body) {
                let node = r.body(body, 0);
                if let Some(d) = node.get("default").filter(|d| !d.is_unknown()) {
                    r.vars.insert(name.clone(), d.clone());
                }
            }
        }
    }
    for _ in 0..3 {
        for &b in &blocks {
            let (kind, _, body) = r.header(b);
            if kind == "locals" {
                if let Some(body) = body {
                    let node = r.body(body, 0);
                    for (k, v) in node.as_map().unwrap_or_default() {
                        if let Some(name) = k.as_str() {
                            if !v.is_unknown() {
                                r.locals.insert(name.to_string(), v.clone());
                            }
                        }
                    }
                }
            }
        }
    }
    let mut out = HclFile::default();
    for &b in &blocks {
        let (kind, labels, body) = r.header(b);
        let n = tree.node(b);
        // The header ends at the block's `{`.
        let header_end = tree
            .kids(b)
            .iter()
            .find(|&&k| tree.node(k).kind == "block_start")
            .map_or(n.end, |&k| tree.node(k).start);
        let body = match body {
            Some(bd) => r.body(bd, 0),
            None => Node::new(Value::Map(Vec::new()), n.start, n.end),
        };
        out.blocks.push(Block {
            kind,
            labels,
            body,
            start: n.start,
            header_end,
        });
    }
    out
}

impl Reader<'_> {
    fn kids(&self, id: NodeId) -> Vec<NodeId> {
        self.tree
            .kids(id)
            .iter()
            .copied()
            .filter(|&k| {
                let n = self.tree.node(k);
                // Brackets and quotes are named tokens of the grammar (`tuple_start`): no values.
                n.named
                    && n.kind != "comment"
                    && !n.kind.ends_with("_start")
                    && !n.kind.ends_with("_end")
            })
            .collect()
    }

    fn text(&self, id: NodeId) -> &str {
        self.tree.text(id, self.src)
    }

    /// A block's type, labels and body.
    fn header(&self, block: NodeId) -> (String, Vec<String>, Option<NodeId>) {
        let mut kind = String::new();
        let mut labels = Vec::new();
        let mut body = None;
        for k in self.kids(block) {
            match self.tree.node(k).kind {
                "identifier" if kind.is_empty() => kind = self.text(k).to_string(),
                "identifier" => labels.push(self.text(k).to_string()),
                "string_lit" => labels.push(self.string(k)),
                "body" => body = Some(k),
                _ => {}
            }
        }
        (kind, labels, body)
    }

    /// A block body: attributes by name, nested blocks as a sequence under their type.
    fn body(&self, id: NodeId, depth: usize) -> Node {
        let n = self.tree.node(id);
        let mut entries: Vec<(Node, Node)> = Vec::new();
        for k in self.kids(id) {
            let kn = self.tree.node(k);
            match kn.kind {
                "attribute" => {
                    let kids = self.kids(k);
                    let (Some(&name), Some(&value)) = (kids.first(), kids.get(1)) else {
                        continue;
                    };
                    let key = Node::new(
                        Value::Str(self.text(name).to_string()),
                        self.tree.node(name).start,
                        self.tree.node(name).end,
                    );
                    entries.push((key, self.expr(value, depth + 1)));
                }
                "block" => {
                    let (kind, labels, body) = self.header(k);
                    let (name, mut value) = match body {
                        Some(b) if depth < MAX_DEPTH => (kind.clone(), self.body(b, depth + 1)),
                        _ => (
                            kind.clone(),
                            Node::new(Value::Expr(self.text(k).to_string()), kn.start, kn.end),
                        ),
                    };
                    let (name, tag) = match (kind.as_str(), labels.first()) {
                        // `dynamic "ingress" { content { … } }`: an `ingress` block whose number is unknown.
                        ("dynamic", Some(l)) => {
                            if let Some(c) = value
                                .get("content")
                                .and_then(Node::as_seq)
                                .and_then(|s| s.first())
                            {
                                value = c.clone();
                            }
                            (l.clone(), Some("dynamic"))
                        }
                        _ => (name, None),
                    };
                    value.start = kn.start;
                    value.tag = tag.map(Into::into);
                    match entries
                        .iter_mut()
                        .find(|(k, v)| k.as_str() == Some(&name) && v.as_seq().is_some())
                    {
                        Some((
                            _,
                            Node {
                                value: Value::Seq(items),
                                ..
                            },
                        )) => items.push(value),
                        _ => {
                            let key = Node::new(Value::Str(name), kn.start, kn.start);
                            let seq = Node::new(Value::Seq(vec![value]), kn.start, kn.end);
                            entries.push((key, seq));
                        }
                    }
                }
                _ => {}
            }
        }
        Node::new(Value::Map(entries), n.start, n.end)
    }

    /// The text of a string literal (quoted, with escapes, or a heredoc).
    fn string(&self, id: NodeId) -> String {
        let mut out = String::new();
        for k in self.kids(id) {
            if self.tree.node(k).kind == "template_literal" {
                out.push_str(&unescape(self.text(k)));
            }
        }
        out
    }

    fn expr(&self, id: NodeId, depth: usize) -> Node {
        let n = self.tree.node(id);
        let unknown = || Node::new(Value::Expr(self.text(id).to_string()), n.start, n.end);
        if depth > MAX_DEPTH {
            return unknown();
        }
        let value = match n.kind {
            // A heredoc may interpolate (`${var.x}`): a template, then.
            "string_lit"
                if self
                    .kids(id)
                    .iter()
                    .any(|&k| self.tree.node(k).kind == "template_interpolation") =>
            {
                match self.template(id) {
                    Some(s) => Value::Str(s),
                    None => return unknown(),
                }
            }
            "string_lit" => Value::Str(self.string(id)),
            "numeric_lit" => super::plain_scalar(self.text(id)),
            "bool_lit" => Value::Bool(self.text(id) == "true"),
            "null_lit" => Value::Null,
            "tuple" => Value::Seq(
                self.kids(id)
                    .into_iter()
                    .map(|k| self.expr(k, depth + 1))
                    .collect(),
            ),
            "object" => {
                let mut entries = Vec::new();
                for e in self.kids(id) {
                    let (Some(k), Some(v)) = (self.tree.field(e, "key"), self.tree.field(e, "val"))
                    else {
                        continue;
                    };
                    let kn = self.tree.node(k);
                    let name = match kn.kind {
                        "string_lit" => self.string(k),
                        "identifier" => self.text(k).to_string(),
                        _ => return unknown(),
                    };
                    entries.push((
                        Node::new(Value::Str(name), kn.start, kn.end),
                        self.expr(v, depth + 1),
                    ));
                }
                Value::Map(entries)
            }
            "operation" => {
                let kids = self.kids(id);
                match kids.as_slice() {
                    [u] if self.tree.node(*u).kind == "unary_operation" => {
                        let text: String = self.text(*u).split_whitespace().collect();
                        match super::plain_scalar(&text) {
                            v @ (Value::Int(_) | Value::Float(_)) => v,
                            _ => return unknown(),
                        }
                    }
                    _ => return unknown(),
                }
            }
            "quoted_template" => match self.template(id) {
                Some(s) => Value::Str(s),
                None => return unknown(),
            },
            "expression" => match self.reference(id) {
                Some(v) => return at_use(v, n.start, n.end),
                None => return unknown(),
            },
            _ => return unknown(),
        };
        Node::new(value, n.start, n.end)
    }

    /// `var.x` or `local.x` whose value is literal.
    fn reference(&self, id: NodeId) -> Option<Node> {
        let kids = self.kids(id);
        let [root, attr] = kids.as_slice() else {
            return None;
        };
        if self.tree.node(*root).kind != "identifier" || self.tree.node(*attr).kind != "get_attr" {
            return None;
        }
        let name = self
            .kids(*attr)
            .first()
            .map(|&i| self.text(i).to_string())?;
        match self.text(*root) {
            "var" => self.vars.get(&name).cloned(),
            "local" => self.locals.get(&name).cloned(),
            _ => None,
        }
    }

    /// A template whose interpolations all resolve to scalars.
    fn template(&self, id: NodeId) -> Option<String> {
        let mut out = String::new();
        for k in self.kids(id) {
            match self.tree.node(k).kind {
                "template_literal" => out.push_str(&unescape(self.text(k))),
                "heredoc_identifier" => {}
                "template_interpolation" => {
                    let inner = *self.kids(k).first()?;
                    let v = self.expr(inner, MAX_DEPTH);
                    out.push_str(&v.scalar_text()?);
                }
                _ => return None,
            }
        }
        Some(out)
    }
}

/// A resolved value moved to where it is used: every node of it spans the reference (`var.cidrs`), so that a
/// finding about one of its items points at the use, not at the variable's default.
fn at_use(mut v: Node, start: u32, end: u32) -> Node {
    let mut stack = vec![&mut v];
    while let Some(n) = stack.pop() {
        n.start = start;
        n.end = end;
        match &mut n.value {
            Value::Seq(items) => stack.extend(items.iter_mut()),
            Value::Map(m) => stack.extend(m.iter_mut().flat_map(|(k, v)| [k, v])),
            _ => {}
        }
    }
    v
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// The blocks of Terraform's JSON syntax (`{"resource": {"aws_s3_bucket": {"b": {…}}}}`): each block type's
/// labels are the nested object keys, as many as the type takes.
pub fn from_json(doc: &Node) -> HclFile {
    let mut out = HclFile::default();
    for (k, v) in doc.as_map().unwrap_or_default() {
        let Some(kind) = k.as_str() else { continue };
        let depth = match kind {
            "resource" | "data" => 2,
            "provider" | "module" | "variable" | "output" => 1,
            _ => 0,
        };
        let mut frontier: Vec<(Vec<String>, &Node, u32)> = vec![(Vec::new(), v, k.start)];
        for _ in 0..depth {
            let mut next = Vec::new();
            for (labels, n, _) in frontier {
                for (lk, lv) in n.as_map().unwrap_or_default() {
                    let mut l = labels.clone();
                    l.push(lk.as_str().unwrap_or_default().to_string());
                    next.push((l, lv, lk.start));
                }
            }
            frontier = next;
        }
        for (labels, body, start) in frontier {
            // A provider may be a list of configurations.
            let bodies: Vec<&Node> = match &body.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![body],
            };
            for b in bodies {
                out.blocks.push(Block {
                    kind: kind.to_string(),
                    labels: labels.clone(),
                    body: b.clone(),
                    start,
                    header_end: b.start.max(start),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(src: &str) -> HclFile {
        let lang = crate::lang::by_name("hcl").unwrap_or_else(|| panic!("no hcl"));
        read(&Tree::parse(lang, src), src)
    }

    #[test]
    fn blocks_attributes_and_resolved_literals() {
        let src = "variable \"cidr\" {\n  default = \"0.0.0.0/0\"\n}\nlocals {\n  port = 22\n}\n\
            resource \"aws_security_group\" \"sg\" {\n  name = \"x-${var.env}\"\n  ingress {\n    from_port = local.port\n    cidr_blocks = [var.cidr, \"10.0.0.0/8\"]\n  }\n  ingress {\n    to_port = -1\n  }\n  tags = { Name = \"a\", \"b\" = 2 }\n  dynamic \"egress\" {\n    content {\n      from_port = egress.value\n    }\n  }\n  policy = <<EOF\n{\"a\": 1}\nEOF\n}\n";
        let f = file(src);
        assert_eq!(f.blocks.len(), 3);
        let sg = &f.blocks[2];
        assert_eq!(
            (sg.kind.as_str(), sg.labels.clone()),
            (
                "resource",
                vec!["aws_security_group".to_string(), "sg".into()]
            )
        );
        assert_eq!(
            &src[sg.start as usize..sg.header_end as usize],
            "resource \"aws_security_group\" \"sg\" "
        );
        let b = &sg.body;
        assert!(b.get("name").is_some_and(Node::is_unknown));
        let ingress = b.get("ingress").and_then(Node::as_seq).unwrap_or_default();
        assert_eq!(ingress.len(), 2);
        assert_eq!(
            ingress[0].get("from_port").map(|n| &n.value),
            Some(&Value::Int(22))
        );
        let cidrs = ingress[0]
            .get("cidr_blocks")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        assert_eq!(cidrs[0].as_str(), Some("0.0.0.0/0"));
        assert_eq!(
            &src[cidrs[0].start as usize..cidrs[0].end as usize],
            "var.cidr"
        );
        assert_eq!(
            ingress[1].get("to_port").map(|n| &n.value),
            Some(&Value::Int(-1))
        );
        assert_eq!(
            b.get("tags").and_then(|t| t.get("b")).map(|n| &n.value),
            Some(&Value::Int(2))
        );
        let egress = b.get("egress").and_then(Node::as_seq).unwrap_or_default();
        assert_eq!(egress[0].tag.as_deref(), Some("dynamic"));
        assert!(egress[0].get("from_port").is_some_and(Node::is_unknown));
        assert_eq!(b.get("policy").and_then(Node::as_str), Some("{\"a\": 1}"));
    }
}
