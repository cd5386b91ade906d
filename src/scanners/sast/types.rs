//! Types of expressions, as far as the file's own declarations tell them, for typed metavariables
//! (`(String $S)` in Java, `($C : *tls.Config)` in Go) and `metavariable-type`.
//!
//! A type is known for a literal, for an expression that names its type (`new Cipher(...)`, `&tls.Config{}`,
//! a cast), and for an identifier declared with a type (a local, a parameter, a field) or initialised from
//! such an expression, in a scope that holds the use. Anything else has no known type and matches no typed
//! metavariable, as in Semgrep: a check reports only what it can tell.

use super::re::Re;
use crate::lang::{Lang, NodeId, Tree, TypedSyntax};
use std::collections::HashMap;

/// Deepest chain of identifiers followed to a type (`a = b; b = new X()`).
const MAX_HOPS: usize = 4;

/// A type a pattern asks for: its text without spaces, and a regex where it holds metavariables
/// (`List<$T>`).
#[derive(Clone, Debug)]
pub struct TypePat {
    text: String,
    re: Option<Re>,
}

impl TypePat {
    /// The type written `text`.
    pub fn new(text: &str) -> Result<TypePat, String> {
        let text = normalise(text);
        if text.is_empty() {
            return Err("the type is empty".into());
        }
        let re = if text.contains('$') {
            let mut src = String::from("\\A");
            let mut rest = text.as_str();
            while let Some(i) = rest.find('$') {
                src.push_str(&regex::escape(&rest[..i]));
                let tail = &rest[i + 1..];
                let n = tail
                    .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
                    .unwrap_or(tail.len());
                if n == 0 {
                    src.push_str("\\$");
                } else {
                    src.push_str(".+?");
                }
                rest = &tail[n..];
            }
            src.push_str(&regex::escape(rest));
            src.push_str("\\z");
            Some(Re::new(&src, 1 << 16).map_err(|e| e.to_string())?)
        } else {
            None
        };
        Ok(TypePat { text, re })
    }

    /// Whether a declared type (as written in the code) is this one: the same text, or the same name
    /// qualified on one side only (`Cipher` and `javax.crypto.Cipher`).
    pub fn matches(&self, declared: &str) -> bool {
        let d = normalise(declared);
        if let Some(re) = &self.re {
            return re.is_match(&d);
        }
        let p = self.text.as_str();
        d == p || qualified(&d, p) || qualified(p, &d)
    }
}

/// Whether `long` is `short` with a package or namespace in front (`a.b.C` and `C`).
fn qualified(long: &str, short: &str) -> bool {
    long.len() > short.len()
        && long.ends_with(short)
        && long[..long.len() - short.len()].ends_with('.')
        && !short.starts_with('*')
}

/// A type's text without spaces and without a type annotation's leading `:`.
fn normalise(text: &str) -> String {
    text.trim()
        .trim_start_matches(':')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// One declared name: where it is declared, the byte range of its scope, and its type or the value it was
/// initialised from.
struct Decl {
    at: u32,
    scope: (u32, u32),
    ty: Option<String>,
    value: Option<NodeId>,
}

/// The declarations of one file, by name.
pub struct Types {
    decls: HashMap<String, Vec<Decl>>,
}

impl Types {
    /// Reads every declaration the language's roles name.
    pub fn collect(lang: &Lang, tree: &Tree, src: &str) -> Types {
        let mut decls: HashMap<String, Vec<Decl>> = HashMap::new();
        let roles = &lang.roles;
        if roles.declarations.is_empty() {
            return Types { decls };
        }
        for id in tree.ids() {
            let kind = tree.node(id).kind;
            for &(dk, name_field, type_field, value_field) in roles.declarations {
                if dk != kind {
                    continue;
                }
                let ty = (!type_field.is_empty())
                    .then(|| tree.field(id, type_field))
                    .flatten()
                    .map(|t| tree.text(t, src).to_string())
                    .filter(|t| !matches!(normalise(t).as_str(), "var" | "auto" | ""));
                let names = flatten(tree, field_all(tree, id, name_field));
                let values = if value_field.is_empty() {
                    Vec::new()
                } else {
                    flatten(tree, field_all(tree, id, value_field))
                };
                let scope = scope_of(lang, tree, id);
                for (i, &n) in names.iter().enumerate() {
                    let Some((name, suffix, own_value)) = declared_name(lang, tree, n) else {
                        continue;
                    };
                    let ty = ty.as_ref().map(|t| format!("{t}{suffix}"));
                    decls
                        .entry(tree.text(name, src).to_string())
                        .or_default()
                        .push(Decl {
                            at: tree.node(name).start,
                            scope,
                            ty,
                            value: own_value.or_else(|| values.get(i).copied()),
                        });
                }
            }
        }
        for v in decls.values_mut() {
            v.sort_by_key(|d| d.at);
        }
        Types { decls }
    }

    /// The type of expression `id`, when the file tells it.
    pub fn of(&self, lang: &Lang, tree: &Tree, src: &str, id: NodeId) -> Option<String> {
        self.of_hops(lang, tree, src, id, 0)
    }

    fn of_hops(
        &self,
        lang: &Lang,
        tree: &Tree,
        src: &str,
        id: NodeId,
        hops: usize,
    ) -> Option<String> {
        if hops > MAX_HOPS {
            return None;
        }
        let roles = &lang.roles;
        let n = tree.node(id);
        if let Some((_, ty)) = roles.literal_types.iter().find(|(k, _)| *k == n.kind) {
            return Some((*ty).to_string());
        }
        if let Some((_, field)) = roles.typed_expressions.iter().find(|(k, _)| *k == n.kind) {
            if let Some(t) = tree.field(id, field) {
                return Some(tree.text(t, src).to_string());
            }
        }
        // `&T{}`: a pointer to the literal's type (Semgrep types no `&x` of a variable).
        if n.kind == "unary_expression" && tree.text(id, src).trim_start().starts_with('&') {
            let operand = tree.field(id, "operand")?;
            let on = tree.node(operand).kind;
            let (_, field) = roles.typed_expressions.iter().find(|(k, _)| *k == on)?;
            let t = tree.field(operand, field)?;
            return Some(format!("*{}", tree.text(t, src)));
        }
        if !roles.identifiers.contains(&n.kind) {
            // A wrapper of one expression (parentheses, C#'s `argument`) has its type.
            let mut named = tree.kids(id).iter().copied().filter(|&k| {
                let kn = tree.node(k);
                kn.named && !kn.extra
            });
            return match (named.next(), named.next()) {
                (Some(inner), None) => self.of_hops(lang, tree, src, inner, hops + 1),
                _ => None,
            };
        }
        let decls = self.decls.get(tree.text(id, src))?;
        let at = n.start;
        let d = decls
            .iter()
            .rev()
            .find(|d| d.at <= at && d.scope.0 <= at && at < d.scope.1)?;
        if let Some(t) = &d.ty {
            return Some(t.clone());
        }
        let v = d.value?;
        (v != id)
            .then(|| self.of_hops(lang, tree, src, v, hops + 1))
            .flatten()
    }
}

/// Every child of `id` in `field` (a Go `var a, b T` has two names), or of kind `K` for `#K` (a C#
/// declaration's declarators are in no field).
fn field_all(tree: &Tree, id: NodeId, field: &str) -> Vec<NodeId> {
    let kind = field.strip_prefix('#');
    tree.kids(id)
        .iter()
        .copied()
        .filter(|&k| {
            let n = tree.node(k);
            match kind {
                Some(kind) => n.kind == kind,
                None => n.field == Some(field),
            }
        })
        .collect()
}

/// Lists (`expression_list`) opened into their named elements.
fn flatten(tree: &Tree, ids: Vec<NodeId>) -> Vec<NodeId> {
    let mut out = Vec::new();
    for id in ids {
        let n = tree.node(id);
        if n.kind.ends_with("_list") {
            out.extend(tree.kids(id).iter().copied().filter(|&k| {
                let kn = tree.node(k);
                kn.named && !kn.extra
            }));
        } else {
            out.push(id);
        }
    }
    out
}

/// The identifier a declarator declares, with what it adds to the type's text (`*` for `*p`, `[]` for
/// `a[3]` in C) and the value it is initialised with (Java's `x = new X()`).
fn declared_name(
    lang: &Lang,
    tree: &Tree,
    mut id: NodeId,
) -> Option<(NodeId, String, Option<NodeId>)> {
    let mut suffix = String::new();
    let mut value = None;
    for hop in 0..8 {
        let n = tree.node(id);
        if lang.roles.identifiers.contains(&n.kind) {
            return Some((id, suffix, value));
        }
        if n.kind.contains("pointer") {
            suffix.push('*');
        } else if n.kind.contains("array") {
            suffix.push_str("[]");
        }
        if value.is_none() {
            value = tree.field(id, "value");
        }
        // A declarator whose initialiser is in no field (C#'s `x = new Foo()`): its last named child.
        if value.is_none() && hop == 0 {
            let named: Vec<NodeId> = tree
                .kids(id)
                .iter()
                .copied()
                .filter(|&k| {
                    let kn = tree.node(k);
                    kn.named && !kn.extra && kn.field.is_none()
                })
                .collect();
            if !named.is_empty() {
                value = named.last().copied();
            }
        }
        id = tree
            .field(id, "name")
            .or_else(|| tree.field(id, "declarator"))
            .or_else(|| {
                tree.kids(id)
                    .iter()
                    .copied()
                    .find(|&k| lang.roles.identifiers.contains(&tree.node(k).kind))
            })?;
    }
    None
}

/// The byte range where a declaration is visible: its nearest enclosing block or function.
fn scope_of(lang: &Lang, tree: &Tree, id: NodeId) -> (u32, u32) {
    let mut cur = id;
    while cur != 0 {
        cur = tree.node(cur).parent;
        let n = tree.node(cur);
        if lang.roles.blocks.contains(&n.kind) || lang.roles.functions.contains(&n.kind) {
            return (n.start, n.end);
        }
    }
    let root = tree.node(0);
    (root.start, root.end)
}

/// A typed metavariable found in a pattern's text.
#[derive(Clone, Debug)]
pub struct Typed {
    /// The identifier-shaped metavariable that stands in for it while the pattern parses.
    pub placeholder: String,
    /// The metavariable (`$S`).
    pub name: String,
    /// Its type.
    pub ty: TypePat,
}

/// Words that may stand before a metavariable in parentheses and are no type (`(await $X)`, `(new $X)`).
const NOT_TYPES: &[&str] = &[
    "await", "new", "return", "throw", "typeof", "sizeof", "ref", "out", "in", "is", "as", "not",
    "yield", "delete", "void", "case", "else", "const", "static", "final", "var", "default",
];

/// Replaces the typed metavariables in `text` (in the language's spelling) by placeholders, returning the
/// new text and what each placeholder stands for.
pub fn extract(lang: &Lang, text: &str) -> Result<(String, Vec<Typed>), String> {
    let syntax = lang.roles.typed_metavariables;
    if syntax == TypedSyntax::None || !text.contains('(') {
        return Ok((text.to_string(), Vec::new()));
    }
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        if bytes[i] == b'(' && opens_expression(&text[..i]) {
            if let Some((len, name, ty)) = typed_at(syntax, &text[i..]) {
                let placeholder = format!("$__PCT{}", found.len());
                out.push_str(&placeholder);
                found.push(Typed {
                    placeholder,
                    name: name.to_string(),
                    ty: TypePat::new(ty)?,
                });
                i += len;
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    Ok((out, found))
}

/// Whether a `(` after `before` opens an expression (not a call's arguments, a parameter list, a `catch`).
fn opens_expression(before: &str) -> bool {
    match before.trim_end().chars().last() {
        None => true,
        Some(c) => !(c.is_alphanumeric() || c == '_' || c == ')' || c == ']' || c == '$'),
    }
}

/// A typed metavariable at the start of `s` (which starts with `(`): its length, name and type.
fn typed_at(syntax: TypedSyntax, s: &str) -> Option<(usize, &str, &str)> {
    let close = s.find(')')?;
    let inner = &s[1..close];
    if inner.contains(['(', ',', '=', '{', '}', ';']) {
        return None;
    }
    let (name, ty) = match syntax {
        TypedSyntax::TypeFirst => {
            let dollar = inner.rfind('$')?;
            let (ty, name) = inner.split_at(dollar);
            let first = ty
                .trim()
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()?;
            if NOT_TYPES.contains(&first) || ty.trim().is_empty() {
                return None;
            }
            // A type ends in a word, `>`, `]` or `*` and is set off from the name (`char *$P`, `String $S`).
            if !(ty.ends_with(char::is_whitespace) || ty.trim_end().ends_with('*')) {
                return None;
            }
            (name.trim(), ty.trim())
        }
        TypedSyntax::NameFirst => {
            let (name, ty) = inner.split_once(':')?;
            if s[close + 1..].trim_start().starts_with("=>") {
                return None;
            }
            (name.trim(), ty.trim())
        }
        TypedSyntax::None => return None,
    };
    if !super::pattern::is_metavariable(name) || ty.is_empty() || ty.contains('"') {
        return None;
    }
    let type_ok = ty
        .chars()
        .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.*&[]<>?$".contains(c));
    type_ok.then_some((close + 1, name, ty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::by_name;

    #[test]
    fn typed_metavariables_are_found_in_each_spelling() {
        let java = by_name("java").unwrap();
        let (text, found) = extract(java, "$X == (String $Y)").unwrap();
        assert_eq!(text, "$X == $__PCT0");
        assert_eq!(found[0].name, "$Y");
        assert!(found[0].ty.matches("String"));
        assert!(found[0].ty.matches("java.lang.String"));
        assert!(!found[0].ty.matches("StringBuilder"));
        // A call's arguments, a parameter list and a catch clause are left alone.
        for kept in [
            "foo(String $X)",
            "catch (Exception $E) {}",
            "void f(int $X) {}",
        ] {
            assert!(extract(java, kept).unwrap().1.is_empty(), "{kept}");
        }
        assert!(extract(by_name("csharp").unwrap(), "(await $X)")
            .unwrap()
            .1
            .is_empty());
        let go = by_name("go").unwrap();
        let (text, found) = extract(go, "tls.Dial($N, $A, ($C : *tls.Config))").unwrap();
        assert_eq!(text, "tls.Dial($N, $A, $__PCT0)");
        assert!(found[0].ty.matches("*tls.Config"));
        assert!(!found[0].ty.matches("tls.Config"));
        let c = by_name("c").unwrap();
        let (_, found) = extract(c, "strcpy((char *$D), $S)").unwrap();
        assert!(found[0].ty.matches("char*"));
        let generic = TypePat::new("List<$T>").unwrap();
        assert!(generic.matches("List<String>"));
        assert!(!generic.matches("Set<String>"));
    }
}
