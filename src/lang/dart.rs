//! Dart.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Dart..
pub static LANG: Lang = Lang {
    name: "dart",
    also: &[],
    grammar: || ast_grep_language::Dart.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string_literal"],
        identifiers: &["identifier"],
        blocks: &["program", "block"],
        separators: &[",", ";"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
