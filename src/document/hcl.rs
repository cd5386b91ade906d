//! Terraform's HCL as [`Node`]s ([`super::hclsyntax`] reads the native syntax, [`from_json`] the JSON one):
//! each top-level block with its labels and its body as a mapping, nested blocks as a sequence under their
//! type (`ingress` → `[{…}, {…}]`, a `dynamic "ingress"` block's `content` among them), literals as values;
//! every other expression stays an [`Value::Expr`] with its text, which checks treat as unknown. A [`Scope`]
//! (a module's variables, with their defaults or a module call's inputs, and its locals) then resolves
//! `var.x`, `local.x` and templates whose parts all resolve, module by module.

use super::{Node, Value};
use std::borrow::Cow;
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
    /// Top-level attributes (a `.tfvars` file's variable values).
    pub attributes: Vec<(String, Node)>,
}

/// Names a module may be called with that are not its variables (`source`, `count`, …).
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// The inputs a `module` block gives the module it calls: its arguments but the meta-arguments, as they are
/// (resolve the block in the caller's scope first).
pub fn module_inputs(call: &Node) -> Vec<(String, Node)> {
    call.as_map()
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| {
            let k = k.as_str()?;
            (!MODULE_META.contains(&k)).then(|| (k.to_string(), v.clone()))
        })
        .collect()
}

/// What a module's references resolve against: its variables (a literal `default`, or the value a module call
/// or a `.tfvars` file gives) and its `locals` that resolve.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    vars: HashMap<String, Node>,
    locals: HashMap<String, Node>,
}

impl Scope {
    /// The scope of the module made of `files`, with `inputs` over the variables' defaults. An input whose
    /// value is unknown stays unknown: it never falls back to the default.
    pub fn new<'a>(
        files: impl IntoIterator<Item = &'a HclFile> + Clone,
        inputs: &[(String, Node)],
    ) -> Self {
        let mut s = Scope::default();
        // A variable declared twice (Terraform refuses the module) has no value we can trust.
        let mut declared = std::collections::HashSet::new();
        let mut twice = std::collections::HashSet::new();
        for b in files.clone().into_iter().flat_map(|f| &f.blocks) {
            if let ("variable", Some(name)) = (b.kind.as_str(), b.labels.first()) {
                if !declared.insert(name.as_str()) {
                    twice.insert(name.clone());
                }
                if let Some(d) = b.body.get("default").filter(|d| !d.is_unknown()) {
                    s.vars.insert(name.clone(), d.clone());
                }
            }
        }
        for name in &twice {
            s.vars.remove(name);
        }
        for (k, v) in inputs {
            s.vars.insert(k.clone(), v.clone());
        }
        // A few passes, for locals that use each other.
        for _ in 0..3 {
            for b in files.clone().into_iter().flat_map(|f| &f.blocks) {
                if b.kind != "locals" {
                    continue;
                }
                for (k, v) in b.body.as_map().unwrap_or_default() {
                    let v = s.resolve(v);
                    if let (Some(name), false) = (k.as_str(), v.is_unknown()) {
                        s.locals.insert(name.to_string(), v);
                    }
                }
            }
        }
        s
    }

    /// A file's blocks with their bodies resolved in this scope.
    /// A block is copied only when the scope resolves something in it; the others are borrowed as they are.
    pub fn resolve_blocks<'b>(&self, blocks: &'b [Block]) -> Vec<Cow<'b, Block>> {
        blocks
            .iter()
            .map(|b| {
                if self.changes(&b.body) {
                    Cow::Owned(Block {
                        body: self.resolve(&b.body),
                        ..b.clone()
                    })
                } else {
                    Cow::Borrowed(b)
                }
            })
            .collect()
    }

    /// Whether [`Scope::resolve`] would replace anything in `node`.
    fn changes(&self, node: &Node) -> bool {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::Expr(text) if self.value_of(text, n.start, n.end).is_some() => return true,
                Value::Seq(items) => stack.extend(items.iter()),
                Value::Map(m) => stack.extend(m.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        false
    }

    /// `node` with every reference this scope resolves replaced by its value, placed at the reference.
    pub fn resolve(&self, node: &Node) -> Node {
        let mut out = node.clone();
        let mut stack = vec![&mut out];
        while let Some(n) = stack.pop() {
            if let Value::Expr(text) = &n.value {
                if let Some(v) = self.value_of(text, n.start, n.end) {
                    *n = v;
                }
                continue;
            }
            match &mut n.value {
                Value::Seq(items) => stack.extend(items.iter_mut()),
                Value::Map(m) => stack.extend(m.iter_mut().map(|(_, v)| v)),
                _ => {}
            }
        }
        out
    }

    fn value_of(&self, text: &str, start: u32, end: u32) -> Option<Node> {
        let t = text.trim();
        if let Some(v) = self.reference(t) {
            return Some(at_use(v.clone(), start, end));
        }
        let s = self.template(t)?;
        Some(Node::new(Value::Str(s.into()), start, end))
    }

    /// `var.x` or `local.x`, when this scope has it.
    fn reference(&self, t: &str) -> Option<&Node> {
        let (root, name) = t.split_once('.')?;
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return None;
        }
        match root {
            "var" => self.vars.get(name),
            "local" => self.locals.get(name),
            _ => None,
        }
    }

    /// A quoted template or a heredoc whose interpolations are all references to scalars; no directives.
    fn template(&self, t: &str) -> Option<String> {
        let (body, quoted) = match t.strip_prefix("<<") {
            Some(rest) => {
                let (_, after) = rest.split_once('\n')?;
                let (content, _) = after.trim_end().rsplit_once('\n')?;
                (content, false)
            }
            None => (t.strip_prefix('"')?.strip_suffix('"')?, true),
        };
        let literal = |s: &str| if quoted { unescape(s) } else { s.to_string() };
        let mut out = String::new();
        let mut rest = body;
        loop {
            let bytes = rest.as_bytes();
            let Some(i) = (1..bytes.len())
                .find(|&i| bytes[i] == b'{' && matches!(bytes[i - 1], b'$' | b'%'))
                .map(|i| i - 1)
            else {
                out.push_str(&literal(rest));
                return Some(out);
            };
            let directive = bytes[i] == b'%';
            let escaped = i > 0 && bytes[i - 1] == bytes[i];
            if escaped {
                // `$${` and `%%{` are the literal `${` and `%{`.
                out.push_str(&literal(&rest[..i - 1]));
                out.push_str(&rest[i..i + 2]);
                rest = &rest[i + 2..];
                continue;
            }
            if directive {
                return None;
            }
            out.push_str(&literal(&rest[..i]));
            let close = rest[i..].find('}')? + i;
            let inner = rest[i + 2..close]
                .trim()
                .trim_start_matches('~')
                .trim_end_matches('~');
            out.push_str(&self.reference(inner.trim())?.scalar_text()?);
            rest = &rest[close + 1..];
        }
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
            "locals" | "terraform" | "moved" | "import" | "check" | "removed" => 0,
            // A `.tfvars.json` file: variable values.
            _ => {
                out.attributes.push((kind.to_string(), json_body(v)));
                continue;
            }
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
                    body: json_body(b),
                    start,
                    header_end: b.start.max(start),
                });
            }
        }
    }
    out
}

/// A block body of Terraform's JSON syntax as the native reader gives one: a string with an interpolation is
/// a template (unknown until a [`Scope`] resolves it), an object below the body may be one nested block (tagged
/// `block`, so that `ingress[*]` sees it as a list of one), and `dynamic` blocks sit under their type.
fn json_body(body: &Node) -> Node {
    let mut out = body.clone();
    let mut stack = vec![(&mut out, true)];
    while let Some((n, top)) = stack.pop() {
        if let Value::Str(s) = &n.value {
            if s.contains("${") || s.contains("%{") {
                n.value = Value::Expr(json_template(s));
            }
            continue;
        }
        if !top && n.tag.is_none() && matches!(n.value, Value::Map(_)) {
            n.tag = Some("block".into());
        }
        match &mut n.value {
            Value::Map(m) => {
                if let Some(pos) = m.iter().position(|(k, _)| k.as_str() == Some("dynamic")) {
                    let (_, d) = m.remove(pos);
                    for (label, spec) in d.as_map().unwrap_or_default() {
                        let specs = match &spec.value {
                            Value::Seq(items) => items.clone(),
                            _ => vec![spec.clone()],
                        };
                        for sp in specs {
                            let mut c = match sp.get("content").map(|c| &c.value) {
                                Some(Value::Seq(items)) => items.first().cloned(),
                                _ => sp.get("content").cloned(),
                            }
                            .unwrap_or_else(|| Node::new(Value::Map(Vec::new()), sp.start, sp.end));
                            c.tag = Some("dynamic".into());
                            c.start = sp.start;
                            match m
                                .iter_mut()
                                .find(|(k, v)| k.as_str() == label.as_str() && v.as_seq().is_some())
                            {
                                Some((
                                    _,
                                    Node {
                                        value: Value::Seq(items),
                                        ..
                                    },
                                )) => items.push(c),
                                _ => m.push((
                                    label.clone(),
                                    Node::new(Value::Seq(vec![c]), sp.start, sp.end),
                                )),
                            }
                        }
                    }
                }
                stack.extend(m.iter_mut().map(|(_, v)| (v, false)));
            }
            Value::Seq(items) => stack.extend(items.iter_mut().map(|v| (v, false))),
            _ => {}
        }
    }
    out
}

/// A JSON string with interpolations as the native syntax writes it: `var.x` alone, else a quoted template.
fn json_template(s: &str) -> String {
    if let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        if !inner.contains("${") && !inner.contains('}') {
            return inner.trim().to_string();
        }
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> HclFile {
        super::super::hclsyntax::parse(src).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// A file read and resolved in the scope of its own module.
    fn file(src: &str) -> HclFile {
        let f = parse(src);
        let scope = Scope::new([&f], &[]);
        HclFile {
            blocks: scope
                .resolve_blocks(&f.blocks)
                .into_iter()
                .map(Cow::into_owned)
                .collect(),
            attributes: f.attributes.clone(),
        }
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

    #[test]
    fn templates_resolve_when_every_part_does() {
        let src = "variable \"env\" {\n  default = \"prod\"\n}\nvariable \"open\" {}\nlocals {\n  name = \"app-${var.env}\"\n}\nresource \"x\" \"y\" {\n  a = \"${local.name}-$${literal}\"\n  b = \"${var.open}\"\n  c = \"%{if true}x%{endif}\"\n  d = <<EOT\nenv=${var.env}\nEOT\n  e = \"${var.env}\\n\"\n}\n";
        let f = file(src);
        let b = &f.blocks[3].body;
        assert_eq!(
            b.get("a").and_then(Node::as_str),
            Some("app-prod-${literal}")
        );
        assert!(b.get("b").is_some_and(Node::is_unknown));
        assert!(b.get("c").is_some_and(Node::is_unknown));
        assert_eq!(b.get("d").and_then(Node::as_str), Some("env=prod"));
        assert_eq!(b.get("e").and_then(Node::as_str), Some("prod\n"));
    }

    #[test]
    fn inputs_override_defaults_and_an_unknown_input_stays_unknown() {
        let src = "variable \"a\" {\n  default = 1\n}\nvariable \"b\" {\n  default = 2\n}\nlocals {\n  c = var.a\n}\n";
        let f = parse(src);
        let unknown = Node::new(Value::Expr("aws_vpc.main.id".into()), 0, 0);
        let one = Node::new(Value::Int(7), 0, 0);
        let scope = Scope::new([&f], &[("a".into(), one), ("b".into(), unknown)]);
        let at = |t: &str| scope.resolve(&Node::new(Value::Expr(t.into()), 5, 9));
        assert_eq!(at("var.a").value, Value::Int(7));
        assert_eq!((at("var.a").start, at("var.a").end), (5, 9));
        assert_eq!(at("local.c").value, Value::Int(7));
        assert!(at("var.b").is_unknown());
        assert!(at("var.zz").is_unknown());
        // A variable declared twice has no value to trust.
        let twice = format!("{src}variable \"a\" {{\n  default = 3\n}}\n");
        let g = parse(&twice);
        let scope = Scope::new([&g], &[]);
        assert!(scope
            .resolve(&Node::new(Value::Expr("var.a".into()), 0, 0))
            .is_unknown());
    }

    #[test]
    fn json_syntax_nested_blocks_templates_and_dynamic() {
        let text = r#"{"variable": {"cidr": {"default": "0.0.0.0/0"}},
 "resource": {"aws_security_group": {"sg": {
   "name": "sg-${var.cidr}",
   "ingress": {"from_port": 22, "cidr_blocks": ["${var.cidr}"]},
   "dynamic": {"egress": {"for_each": "${var.rules}", "content": {"from_port": "${egress.value}"}}}
 }}}}"#;
        let doc = super::super::json::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let f = from_json(&doc);
        let scope = Scope::new([&f], &[]);
        let sg = f
            .blocks
            .iter()
            .find(|b| b.kind == "resource")
            .map(|b| scope.resolve(&b.body))
            .unwrap_or_else(|| panic!("no resource"));
        assert_eq!(sg.get("name").and_then(Node::as_str), Some("sg-0.0.0.0/0"));
        let ingress = sg.get("ingress").unwrap_or_else(|| panic!("no ingress"));
        assert_eq!(ingress.tag.as_deref(), Some("block"));
        let cidr = ingress
            .get("cidr_blocks")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        assert_eq!(cidr[0].as_str(), Some("0.0.0.0/0"));
        let egress = sg.get("egress").and_then(Node::as_seq).unwrap_or_default();
        assert_eq!(egress.len(), 1);
        assert_eq!(egress[0].tag.as_deref(), Some("dynamic"));
        assert!(egress[0].get("from_port").is_some_and(Node::is_unknown));
        assert!(sg.get("dynamic").is_none());
    }
}
