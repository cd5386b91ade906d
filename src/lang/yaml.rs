//! YAML: mappings match in any order; a `...` among a mapping's keys stands for the other keys.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;
use std::borrow::Cow;

/// YAML.
pub static LANG: Lang = Lang {
    name: "yaml",
    also: &[],
    grammar: || ast_grep_language::Yaml.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#"],
    roles: Roles {
        // Every scalar matches by its value, quoted or not (`q: sha256` is `q: "sha256"`).
        strings: &[
            "double_quote_scalar",
            "single_quote_scalar",
            "string_scalar",
            "integer_scalar",
            "float_scalar",
            "boolean_scalar",
            "null_scalar",
        ],
        identifiers: &["string_scalar"],
        unordered: &["block_mapping"],
        blocks: &["stream", "document"],
        separators: &[",", "[", "]", "{", "}", "-"],
        elide: &[
            "flow_node",
            "block_node",
            "block_sequence_item",
            "plain_scalar",
        ],
        renames: &[
            ("flow_sequence", "block_sequence"),
            ("flow_mapping", "block_mapping"),
            ("flow_pair", "block_mapping_pair"),
        ],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite,
};

/// Spells a `...` that stands among a mapping's keys (alone on its line, or as the first entry of a sequence
/// item, `- ...`) as the pair `...: ...`, which the grammar reads as one more key, and one alone among
/// sequence items as the item `- ...`; elsewhere (a value) `...` stays a scalar.
fn rewrite(text: &str) -> Cow<'_, str> {
    let text = one_pair(text).unwrap_or(text);
    let text = match lone_item(text) {
        Some(item) => Cow::Owned(item),
        None => Cow::Borrowed(text),
    };
    match pair_ellipses(&text) {
        Some(out) => Cow::Owned(out),
        None => text,
    }
}

/// A flow mapping of one entry (`{env: ...}`) stands for that entry, as a block pattern of one pair does.
fn one_pair(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let (mut depth, mut quote) = (0i32, None::<char>);
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth -= 1,
            (None, ',') if depth == 0 => return None,
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    (depth == 0 && inner.contains(':')).then_some(inner.trim())
}

/// A pattern that is one sequence item (`- name: $N` and its indented lines) stands for the item, wherever
/// it is in a sequence: the item without its dash, dedented.
fn lone_item(text: &str) -> Option<String> {
    let mut lines = text.lines();
    let first = lines.next()?.strip_prefix("- ")?;
    let rest: Vec<&str> = lines.collect();
    let inside =
        |l: &&str| l.trim().is_empty() || l.starts_with("  ") || l.trim_start().starts_with('#');
    let alone = rest
        .iter()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if (first.trim() == "..." && alone) || !rest.iter().all(inside) {
        return None;
    }
    let mut out = first.to_string();
    for l in rest {
        out.push('\n');
        out.push_str(l.strip_prefix("  ").unwrap_or(l.trim_start()));
    }
    Some(out)
}

/// `...` among keys spelled as pairs; `None` when there is none.
fn pair_ellipses(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    // (line, column of the `...`) for every lone ellipsis.
    let lone: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let indent = l.len() - l.trim_start().len();
            let t = l.trim();
            if t == "..." {
                Some((i, indent))
            } else {
                let item = t.strip_prefix('-')?;
                (item.trim() == "..." && item.starts_with(' '))
                    .then(|| (i, l.len() - item.trim_start().len()))
            }
        })
        .collect();
    let spelled: Vec<(usize, Sibling)> = lone
        .iter()
        .filter_map(|&(i, col)| Some((i, siblings(&lines, i, col)?)))
        .collect();
    if spelled.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8 * spelled.len());
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match spelled.iter().find(|(at, _)| *at == i) {
            Some((_, Sibling::Key)) => {
                out.push_str(l);
                out.push_str(": ...");
            }
            // A lone `...` among sequence items is one more item (`- ...`).
            Some((_, Sibling::Item)) if l.trim() == "..." => {
                out.push_str(&l.replace("...", "- ..."));
            }
            _ => out.push_str(l),
        }
    }
    Some(out)
}

/// What the lines beside a lone `...` are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sibling {
    /// Mapping keys: the `...` is spelled as a pair.
    Key,
    /// Sequence items: the `...` is spelled as an item.
    Item,
}

/// What the nearest lines at column `col` around line `at` (before a line indented less) are: keys first,
/// else items, else nothing to spell.
fn siblings(lines: &[&str], at: usize, col: usize) -> Option<Sibling> {
    let sibling = |l: &&str| -> Option<Sibling> {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t == "..." {
            return None;
        }
        if l.len() - l.trim_start().len() != col {
            return None;
        }
        if is_key(t) {
            Some(Sibling::Key)
        } else if t == "-" || t.starts_with("- ") {
            Some(Sibling::Item)
        } else {
            None
        }
    };
    let stops = |l: &&str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && l.len() - l.trim_start().len() < col
    };
    let up = lines[..at].iter().rev().take_while(|l| !stops(l));
    let down = lines[at + 1..].iter().take_while(|l| !stops(l));
    let found: Vec<Sibling> = up.chain(down).filter_map(sibling).collect();
    if found.contains(&Sibling::Key) {
        Some(Sibling::Key)
    } else {
        found.first().copied()
    }
}

/// Whether a line (trimmed) starts with a mapping key: `key:` followed by a space or the end.
fn is_key(t: &str) -> bool {
    if t.starts_with(['-', '[', '{', '#']) {
        return false;
    }
    let key_end = if let Some(q) = t.strip_prefix(['"', '\'']) {
        match q.find(['"', '\'']) {
            Some(e) => e + 2,
            None => return false,
        }
    } else {
        match t.find(':') {
            Some(e) => e,
            None => return false,
        }
    };
    t[key_end..]
        .strip_prefix(':')
        .is_some_and(|r| r.is_empty() || r.starts_with(' '))
}
