//! JSON: objects match in any order. A `...` is spelled as JSON the grammar reads: a member `"...": "..."` in
//! an object, a string `"..."` as an element or a value (with the placeholder the compiler reads as `...`);
//! unquoted metavariable keys are quoted and trailing commas dropped.

use super::{Lang, Roles, ELLIPSIS};
use ast_grep_core::tree_sitter::LanguageExt;

/// JSON.
pub static LANG: Lang = Lang {
    name: "json",
    also: &[],
    grammar: || ast_grep_language::Json.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    // A member alone (`"key": value`) is read inside an object.
    wrappers: &[("{", "}")],
    // JSON has no comments; test targets and `nosemgrep` use `//`, as Semgrep reads them.
    line_comments: &["//"],
    roles: Roles {
        strings: &["string"],
        unordered: &["object"],
        literals: &["number", "true", "false", "null"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite,
};

/// Spells each `...` outside strings as JSON (see the module documentation).
fn rewrite(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("...") && !text.contains('$') && !text.contains(',') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut open: Vec<char> = Vec::new();
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => open.push(c),
            '}' | ']' => {
                open.pop();
            }
            // A trailing comma (`...,` before `}`), which JSON has not, is dropped.
            ',' if text[i + 1..].trim_start().starts_with(['}', ']'])
                || text[i + 1..].trim().is_empty() =>
            {
                continue
            }
            // A metavariable key (`$NAME: {...}`) is a string key.
            '$' if key_metavariable(&text[i..]).is_some() => {
                let name = key_metavariable(&text[i..]).unwrap_or_default();
                out.push('"');
                out.push_str(name);
                out.push('"');
                for _ in 1..name.len() {
                    chars.next();
                }
                continue;
            }
            '.' if text[i..].starts_with("...") && !text[i..].starts_with("....") => {
                chars.next();
                chars.next();
                let value = out.trim_end().ends_with(':');
                match open.last() {
                    Some('{') if !value => out.push_str(&format!("\"{ELLIPSIS}\": \"{ELLIPSIS}\"")),
                    Some('[') => out.push_str(&format!("\"{ELLIPSIS}\"")),
                    _ if value => out.push_str(&format!("\"{ELLIPSIS}\"")),
                    _ => out.push_str("..."),
                }
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// The metavariable at the start of `text` when a `:` follows it (an unquoted key).
fn key_metavariable(text: &str) -> Option<&str> {
    let len = 1 + text[1..]
        .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(text.len() - 1);
    let name = &text[..len];
    (len > 1 && text[len..].trim_start().starts_with(':')).then_some(name)
}
