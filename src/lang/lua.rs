//! Lua.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Lua..
pub static LANG: Lang = Lang {
    name: "lua",
    also: &[],
    grammar: || ast_grep_language::Lua.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["--"],
    roles: Roles {
        strings: &["string"],
        identifiers: &["identifier"],
        arguments: &["arguments"],
        blocks: &["chunk", "block"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
