//! Solidity.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Solidity..
pub static LANG: Lang = Lang {
    name: "solidity",
    also: &[],
    grammar: || ast_grep_language::Solidity.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string"],
        identifiers: &["identifier"],
        blocks: &["source_file", "function_body", "contract_body"],
        separators: &[",", ";"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
