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
/// item, `- ...`) as the pair `...: ...`, which the grammar reads as one more key; elsewhere (a value, a
/// sequence item) `...` stays a scalar.
fn rewrite(text: &str) -> Cow<'_, str> {
    let text = match lone_item(text) {
        Some(item) => Cow::Owned(item),
        None => Cow::Borrowed(text),
    };
    match pair_ellipses(&text) {
        Some(out) => Cow::Owned(out),
        None => text,
    }
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
    let pairs: Vec<usize> = lone
        .iter()
        .filter(|&&(i, col)| among_keys(&lines, i, col))
        .map(|&(i, _)| i)
        .collect();
    if pairs.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8 * pairs.len());
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(l);
        if pairs.contains(&i) {
            out.push_str(": ...");
        }
    }
    Some(out)
}

/// Whether the nearest lines at column `col` around line `at` (before a line indented less) are mapping keys.
fn among_keys(lines: &[&str], at: usize, col: usize) -> bool {
    let sibling = |l: &&str| -> Option<bool> {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t == "..." {
            return None;
        }
        let indent = l.len() - l.trim_start().len();
        Some(indent == col && is_key(t))
    };
    let stops = |l: &&str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && l.len() - l.trim_start().len() < col
    };
    let up = lines[..at].iter().rev().take_while(|l| !stops(l));
    let down = lines[at + 1..].iter().take_while(|l| !stops(l));
    up.chain(down).filter_map(sibling).any(|k| k)
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
