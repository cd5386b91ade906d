//! Elixir.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Elixir..
pub static LANG: Lang = Lang {
    name: "elixir",
    also: &[],
    grammar: || ast_grep_language::Elixir.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#"],
    roles: Roles {
        strings: &["string"],
        identifiers: &["identifier", "alias"],
        arguments: &["arguments"],
        blocks: &["source", "do_block"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
