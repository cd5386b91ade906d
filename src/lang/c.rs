//! C.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// C..
pub static LANG: Lang = Lang {
    name: "c",
    also: &[],
    grammar: || ast_grep_language::C.get_ts_language(),
    expando: '𐀀',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string_literal"],
        identifiers: &["identifier", "field_identifier"],
        arguments: &["argument_list"],
        blocks: &["translation_unit", "compound_statement"],
        expression_statements: &["expression_statement"],
        separators: &[",", ";"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
