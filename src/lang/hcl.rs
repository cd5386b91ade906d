//! HCL (Terraform). A `...` alone on a line is spelled as an attribute (`... = ...`): the grammar would read a
//! bare name followed by a block on the next line as one block with labels.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// HCL (Terraform).
pub static LANG: Lang = Lang {
    name: "hcl",
    also: &[],
    grammar: || ast_grep_language::Hcl.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: true,
    // An expression alone is no HCL file: it is read as an attribute's value.
    wrappers: &[("__pcw__ = ", "")],
    line_comments: &["#", "//"],
    roles: Roles {
        strings: &["template_literal"],
        // Quotes and heredoc markers take no part in matching, so that `attr = "$X"` matches a heredoc too
        // (a heredoc is a string, as in Semgrep), binding its text.
        comments: &[
            "comment",
            "quoted_template_start",
            "quoted_template_end",
            "heredoc_start",
            "heredoc_identifier",
        ],
        // An object's element is an attribute (`{ K = "x" }` and `K = "x"` in a block match each other).
        renames: &[
            ("heredoc_template", "string_lit"),
            ("object_elem", "attribute"),
        ],
        elide: &[
            "expression",
            "literal_value",
            "template_expr",
            "variable_expr",
            "collection_value",
        ],
        identifiers: &["identifier"],
        unordered: &["body", "object"],
        blocks: &["config_file"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite,
};

/// Spells every `...` alone on its line as the attribute `... = ...` (see the module documentation).
fn rewrite(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.lines().any(|l| l.trim() == "...") {
        return std::borrow::Cow::Borrowed(text);
    }
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.trim() == "..." {
                format!("{l} = ...")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::borrow::Cow::Owned(out.join("\n"))
}
