//! Bash.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Bash..
pub static LANG: Lang = Lang {
    name: "bash",
    also: &[],
    grammar: || ast_grep_language::Bash.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#"],
    roles: Roles {
        strings: &["string", "raw_string"],
        identifiers: &["word", "variable_name"],
        blocks: &["program", "compound_statement"],
        elide: &["command_name"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
