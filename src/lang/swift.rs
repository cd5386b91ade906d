//! Swift.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Swift..
pub static LANG: Lang = Lang {
    name: "swift",
    also: &[],
    grammar: || ast_grep_language::Swift.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["//"],
    roles: Roles {
        strings: &["line_string_literal"],
        identifiers: &["simple_identifier"],
        blocks: &["source_file", "statements"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
