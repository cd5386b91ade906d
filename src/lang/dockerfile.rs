//! Dockerfile (the arborium grammar, through the same tree-sitter core). The shell of `RUN`, `CMD` and
//! `ENTRYPOINT` in shell form is parsed as bash, so the roles hold bash's kinds too.

use super::{Lang, Roles, ELLIPSIS};
use std::borrow::Cow;

/// Dockerfile.
pub static LANG: Lang = Lang {
    name: "dockerfile",
    also: &[],
    grammar: || arborium_dockerfile::language().into(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    // An instruction needs its newline; a pattern of shell alone (`curl ... | sh`) is a `RUN`'s command.
    wrappers: &[("", "\n"), ("RUN ", "\n")],
    line_comments: &["#"],
    roles: Roles {
        strings: &[
            "double_quoted_string",
            "single_quoted_string",
            "json_string",
            "string",
            "raw_string",
        ],
        identifiers: &["word", "variable_name", "unquoted_string"],
        blocks: &["source_file", "program", "compound_statement"],
        injections: &[("shell_command", "bash")],
        elide: &["command_name"],
        deep_blocks: &["program"],
        // Blank lines are tokens of the grammar; they take no part in matching.
        separators: &[",", "\n"],
        gap_leaves: true,
        // An instruction that takes any word, in a spelling no one writes (instructions ignore case).
        ellipsis_statement: "wOrKdIr",
        // `FROM $IMAGE` matches `FROM --platform=… image AS name`.
        optional: &["image_alias", "param", "mount_param", "AS", "as"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite,
};

/// Spells `...` where the grammar reads no bare word: as a pair `...=...` among `ENV` and `LABEL` pairs, and as
/// the string `"..."` placeholder in an exec-form array (`CMD [..., "x"]`).
fn rewrite(text: &str) -> Cow<'_, str> {
    if !text.contains("...") {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let head = line.split_whitespace().next().unwrap_or("");
            let pairs = head.eq_ignore_ascii_case("ENV") || head.eq_ignore_ascii_case("LABEL");
            // Only among `key=value` pairs: `ENV key value` has one pair, and `...` stays a word there.
            if pairs && line.contains('=') {
                line.split(' ')
                    .map(|w| if w == "..." { "...=..." } else { w })
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                in_brackets(line)
            }
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// A line with each `...` inside `[` `]` (outside strings) spelled as the quoted placeholder.
fn in_brackets(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let (mut depth, mut quoted) = (0usize, false);
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            '.' if !quoted && depth > 0 && rest.starts_with("...") => {
                out.push('"');
                out.push_str(ELLIPSIS);
                out.push('"');
                i += 3;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}
