//! Our own syntax tree: tree-sitter's parse copied once into a flat arena (nodes in pre-order, children as
//! index ranges), so that every walk is a loop over indices, never a recursion on the native stack (100,000
//! nested brackets are just 100,000 more entries), and the tree is plain data that scanners share.

use super::Lang;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use thiserror::Error;

/// A node's index in its [`Tree`]; the root is 0.
pub type NodeId = u32;

/// One node.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    /// The grammar's kind name (`call`, `identifier`, `,`).
    pub kind: &'static str,
    /// The field it fills in its parent (`function`, `arguments`), if any.
    pub field: Option<&'static str>,
    /// Byte range in the text.
    pub start: u32,
    /// End of the byte range (exclusive).
    pub end: u32,
    /// 0-based line of the start.
    pub line: u32,
    /// 0-based byte column of the start.
    pub column: u32,
    /// The parent (the root is its own parent).
    pub parent: NodeId,
    /// A named node (not an anonymous token such as `(`).
    pub named: bool,
    /// An extra (a comment, anywhere in the tree).
    pub extra: bool,
    /// A syntax error or a missing token inserted by error recovery.
    pub error: bool,
    kids_start: u32,
    kids_len: u32,
}

/// A parsed file or pattern.
#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    kids: Vec<NodeId>,
    errors: Vec<NodeId>,
}

/// A grammar that does not load into the parser (a build problem, reported once per language).
#[derive(Debug, Error)]
#[error("the {lang} grammar does not load: {message}")]
pub struct GrammarError {
    /// The language.
    pub lang: &'static str,
    /// What tree-sitter said.
    pub message: String,
}

/// Kind and field names, interned once per distinct name for the life of the process (a grammar has a few
/// hundred), so nodes carry `&'static str` and no lifetime of tree-sitter's.
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// The interned name at `index` of a per-parse cache, interning it on first sight.
fn cached<'a>(
    cache: &mut Vec<Option<&'static str>>,
    index: usize,
    name: impl FnOnce() -> &'a str,
) -> &'static str {
    if cache.len() <= index {
        cache.resize(index + 1, None);
    }
    cache[index].get_or_insert_with(|| intern(name()))
}

impl Tree {
    /// Parses `text` as `lang`. Syntax errors keep the recovered tree ([`Tree::errors`] lists them).
    pub fn parse(lang: &Lang, text: &str) -> Tree {
        Tree::try_parse(lang, text).unwrap_or_default()
    }

    /// Parses `text` as `lang`, saying when the grammar itself does not load.
    pub fn try_parse(lang: &Lang, text: &str) -> Result<Tree, GrammarError> {
        thread_local! {
            // One parser per language and thread, reused: setting a grammar up costs more than parsing a
            // Dockerfile's `RUN`.
            static PARSERS: std::cell::RefCell<Vec<(&'static str, tree_sitter::Parser)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let parsed = PARSERS.with(|cell| {
            let mut parsers = cell.borrow_mut();
            let at = match parsers.iter().position(|(n, _)| *n == lang.name) {
                Some(i) => i,
                None => {
                    let mut parser = tree_sitter::Parser::new();
                    parser
                        .set_language(&(lang.grammar)())
                        .map_err(|e| GrammarError {
                            lang: lang.name,
                            message: e.to_string(),
                        })?;
                    parsers.push((lang.name, parser));
                    parsers.len() - 1
                }
            };
            Ok(parsers[at].1.parse(text, None))
        })?;
        let Some(ts) = parsed else {
            return Err(GrammarError {
                lang: lang.name,
                message: "the parser gave no tree".into(),
            });
        };
        let mut nodes = Vec::new();
        let mut errors = Vec::new();
        copy(
            &ts,
            lang,
            text,
            Base::default(),
            None,
            &mut nodes,
            &mut errors,
        );
        Ok(Tree::link(nodes, errors))
    }

    /// Fills the children ranges: pre-order keeps every node's children in order.
    fn link(mut nodes: Vec<Node>, errors: Vec<NodeId>) -> Tree {
        let parents: Vec<usize> = nodes.iter().skip(1).map(|n| n.parent as usize).collect();
        for p in parents {
            nodes[p].kids_len += 1;
        }
        let mut next = 0u32;
        for n in nodes.iter_mut() {
            n.kids_start = next;
            next += n.kids_len;
        }
        let mut fill: Vec<u32> = nodes.iter().map(|n| n.kids_start).collect();
        let mut kids = vec![0; nodes.len().saturating_sub(1)];
        for (i, n) in nodes.iter().enumerate().skip(1) {
            let p = n.parent as usize;
            kids[fill[p] as usize] = i as NodeId;
            fill[p] += 1;
        }
        Tree {
            nodes,
            kids,
            errors,
        }
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree is empty (a grammar that did not load).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// A node.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// A node's children, in order.
    pub fn kids(&self, id: NodeId) -> &[NodeId] {
        let n = &self.nodes[id as usize];
        &self.kids[n.kids_start as usize..(n.kids_start + n.kids_len) as usize]
    }

    /// A node's text.
    pub fn text<'t>(&self, id: NodeId, src: &'t str) -> &'t str {
        let n = &self.nodes[id as usize];
        src.get(n.start as usize..n.end as usize).unwrap_or("")
    }

    /// Syntax errors and missing tokens, in order.
    pub fn errors(&self) -> &[NodeId] {
        &self.errors
    }

    /// The child filling `field`.
    pub fn field(&self, id: NodeId, field: &str) -> Option<NodeId> {
        self.kids(id)
            .iter()
            .copied()
            .find(|&k| self.node(k).field == Some(field))
    }

    /// Every node id, in pre-order.
    pub fn ids(&self) -> impl Iterator<Item = NodeId> {
        0..self.nodes.len() as NodeId
    }

    /// The last node of `id`'s subtree in pre-order: the subtree is `id..=last`.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        let mut cur = id;
        loop {
            match self.kids(cur).last() {
                Some(&k) => cur = k,
                None => return cur,
            }
        }
    }

    /// The tree as an indented outline (kind, field, position, leaf text), for `rules tree`.
    pub fn outline(&self, src: &str) -> String {
        let mut out = String::new();
        let mut stack: Vec<(NodeId, usize)> = vec![(0, 0)];
        while let Some((id, depth)) = stack.pop() {
            let n = self.node(id);
            if !n.named && !n.error {
                continue;
            }
            out.push_str(&"  ".repeat(depth.min(64)));
            if let Some(f) = n.field {
                out.push_str(f);
                out.push_str(": ");
            }
            out.push_str(if n.error && n.kind != "ERROR" {
                "MISSING "
            } else {
                ""
            });
            out.push_str(n.kind);
            out.push_str(&format!(" {}:{}", n.line + 1, n.column + 1));
            if self.kids(id).iter().all(|&k| !self.node(k).named) {
                let t = self.text(id, src);
                let t: String = t.chars().take(60).collect();
                out.push_str(&format!(" {t:?}"));
            }
            out.push('\n');
            for &k in self.kids(id).iter().rev() {
                stack.push((k, depth + 1));
            }
        }
        out
    }
}

/// Where a copied tree starts in the file: its byte, 0-based line and column (an injected tree starts inside
/// the host's node).
#[derive(Clone, Copy, Default)]
struct Base {
    byte: u32,
    row: u32,
    column: u32,
}

/// Copies tree-sitter's tree into `nodes`, under `parent` (the root is its own parent when there is none):
/// the wrappers the language elides are left out (their one named child takes their place and their field),
/// kinds are renamed, and the nodes that hold code of another
/// language (a Dockerfile's `RUN` shell) get that language's tree in place of their children.
fn copy(
    ts: &tree_sitter::Tree,
    lang: &Lang,
    text: &str,
    base: Base,
    parent: Option<NodeId>,
    nodes: &mut Vec<Node>,
    errors: &mut Vec<NodeId>,
) {
    let roles = &lang.roles;
    let mut cursor = ts.walk();
    // (the parent children attach to, the field an elided wrapper hands down, where the text its children
    // cover so far ends: byte, row, column; for gap leaves)
    let mut parents: Vec<(NodeId, Option<&'static str>, Option<Place>)> = Vec::new();
    let mut kinds: Vec<Option<&'static str>> = Vec::new();
    let mut fields: Vec<Option<&'static str>> = Vec::new();
    let root_id = nodes.len() as NodeId;
    loop {
        let n = cursor.node();
        let kind = cached(&mut kinds, n.kind_id() as usize, || {
            let k = n.kind();
            roles
                .renames
                .iter()
                .find(|(from, _)| *from == k)
                .map_or(k, |(_, to)| to)
        });
        let field = cursor
            .field_id()
            .map(|f| {
                cached(&mut fields, f.get() as usize, || {
                    cursor.field_name().unwrap_or("")
                })
            })
            .or(parents.last().and_then(|p| p.1));
        if roles.gap_leaves {
            if let Some((p, _, Some(covered))) = parents.last_mut() {
                gap_leaf(text, *covered, n.start_byte(), *p, nodes);
                *covered = Place::end_of(n);
            }
        }
        let up = parents.last().map(|p| p.0).or(parent);
        let elided = !parents.is_empty()
            && !n.is_error()
            && roles.elide.contains(&n.kind())
            && n.named_child_count() == 1;
        if elided {
            if cursor.goto_first_child() {
                parents.push((up.unwrap_or(root_id), field, None));
                continue;
            }
        } else {
            let id = nodes.len() as NodeId;
            let start = n.start_position();
            let error = n.is_error() || n.is_missing();
            if error {
                errors.push(id);
            }
            nodes.push(Node {
                kind,
                field,
                start: base.byte + n.start_byte() as u32,
                end: base.byte + n.end_byte() as u32,
                line: base.row + start.row as u32,
                column: if start.row == 0 {
                    base.column + start.column as u32
                } else {
                    start.column as u32
                },
                parent: up.unwrap_or(id),
                named: n.is_named(),
                extra: n.is_extra(),
                error,
                kids_start: 0,
                kids_len: 0,
            });
            let injected = roles
                .injections
                .iter()
                .find(|(k, _)| *k == kind)
                .is_some_and(|&(_, guest)| inject(n, guest, text, base, id, nodes, errors));
            if !injected && cursor.goto_first_child() {
                parents.push((id, None, roles.gap_leaves.then(|| Place::start_of(n))));
                continue;
            }
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
            if let Some((p, _, Some(covered))) = parents.pop() {
                gap_leaf(text, covered, cursor.node().end_byte(), p, nodes);
            }
        }
    }
}

/// A place in the text being copied: byte, 0-based row and column.
#[derive(Clone, Copy)]
struct Place {
    byte: usize,
    row: u32,
    column: u32,
}

impl Place {
    fn at(byte: usize, p: tree_sitter::Point) -> Place {
        Place {
            byte,
            row: p.row as u32,
            column: p.column as u32,
        }
    }

    fn start_of(n: tree_sitter::Node) -> Place {
        Place::at(n.start_byte(), n.start_position())
    }

    fn end_of(n: tree_sitter::Node) -> Place {
        Place::at(n.end_byte(), n.end_position())
    }
}

/// Copies the text between `from` and `to` that the grammar left in no child (`latest` of a Dockerfile's
/// `:latest`) as a leaf of kind `text` under `parent`, so that patterns match it like any token.
fn gap_leaf(text: &str, from: Place, to: usize, parent: NodeId, nodes: &mut Vec<Node>) {
    let Some(gap) = text.get(from.byte..to) else {
        return;
    };
    let lead = gap.len() - gap.trim_start().len();
    let body = gap.trim();
    if body.is_empty() {
        return;
    }
    let skipped = &gap[..lead];
    let newlines = skipped.matches('\n').count() as u32;
    let column = match skipped.rfind('\n') {
        Some(i) => (lead - i - 1) as u32,
        None => from.column + lead as u32,
    };
    let start = (from.byte + lead) as u32;
    nodes.push(Node {
        kind: "text",
        field: None,
        start,
        end: start + body.len() as u32,
        line: from.row + newlines,
        column,
        parent,
        named: true,
        extra: false,
        error: false,
        kids_start: 0,
        kids_len: 0,
    });
}

/// Parses the text of `n` as the language `guest` (its comment children blanked, so that a comment line
/// inside a continued shell command does not end it) and copies that tree under `id`. Nothing is copied,
/// and `false` returned, when the guest does not parse cleanly: the host's own children stay.
fn inject(
    n: tree_sitter::Node,
    guest: &str,
    text: &str,
    base: Base,
    id: NodeId,
    nodes: &mut Vec<Node>,
    errors: &mut Vec<NodeId>,
) -> bool {
    let Some(lang) = super::by_name(guest) else {
        return false;
    };
    let (s, e) = (n.start_byte(), n.end_byte());
    let Some(own) = text.get(base.byte as usize..).and_then(|t| t.get(s..e)) else {
        return false;
    };
    let mut code = own.as_bytes().to_vec();
    for i in 0..n.child_count() {
        let Some(c) = n.child(i) else { continue };
        if c.kind() == "comment" || c.is_extra() {
            // Blanked, and continued where the line ends (a line's count must not change).
            let (cs, ce) = (c.start_byte() - s, (c.end_byte() - s).min(own.len()));
            for b in &mut code[cs..ce] {
                *b = b' ';
            }
            if ce > cs && code.get(ce) == Some(&b'\n') {
                code[ce - 1] = b'\\';
            }
        }
    }
    let Ok(code) = String::from_utf8(code) else {
        return false;
    };
    let mut parser = tree_sitter::Parser::new();
    if parser.set_language(&(lang.grammar)()).is_err() {
        return false;
    }
    let Some(ts) = parser.parse(&code, None) else {
        return false;
    };
    if ts.root_node().has_error() {
        return false;
    }
    let start = n.start_position();
    let at = Base {
        byte: base.byte + s as u32,
        row: base.row + start.row as u32,
        column: if start.row == 0 {
            base.column + start.column as u32
        } else {
            start.column as u32
        },
    };
    copy(&ts, lang, &code, Base::default(), Some(id), nodes, errors);
    // The guest's positions are relative to the host node: move them to the file's.
    let first = id as usize + 1;
    for node in &mut nodes[first..] {
        if node.line == 0 {
            node.column += at.column;
        }
        node.line += at.row;
        node.start += at.byte;
        node.end += at.byte;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::by_name;

    #[test]
    fn children_are_in_order_and_ranges_nest() {
        let lang = by_name("python").unwrap();
        let src = "f(a, b)\nx = 1\n";
        let t = Tree::parse(lang, src);
        assert_eq!(t.node(0).kind, "module");
        let stmts: Vec<_> = t.kids(0).iter().map(|&k| t.node(k).kind).collect();
        assert_eq!(stmts, ["expression_statement", "expression_statement"]);
        let call = t.kids(t.kids(0)[0])[0];
        assert_eq!(t.node(call).kind, "call");
        assert_eq!(t.text(call, src), "f(a, b)");
        assert_eq!(t.text(t.field(call, "function").unwrap(), src), "f");
        for id in t.ids().skip(1) {
            let p = t.node(t.node(id).parent);
            assert!(p.start <= t.node(id).start && t.node(id).end <= p.end);
        }
        assert!(t.errors().is_empty());
        assert_eq!(t.subtree_end(0), t.len() as NodeId - 1);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let lang = by_name("json").unwrap();
        let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let t = Tree::parse(lang, &src);
        assert!(t.len() > 100_000);
        assert!(!t.outline(&src).is_empty());
    }

    #[test]
    fn syntax_errors_keep_the_recovered_tree() {
        let lang = by_name("python").unwrap();
        let t = Tree::parse(lang, "x = (1,\ny = 2\n");
        assert!(!t.errors().is_empty());
        assert!(t.len() > 3);
    }
}
