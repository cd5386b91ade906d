//! C++.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// C++..
pub static LANG: Lang = Lang {
    name: "cpp",
    also: &[],
    grammar: || ast_grep_language::Cpp.get_ts_language(),
    expando: '𐀀',
    statement_end: ";",
    prefix: "",
    direct: true,
    wrappers: &[("void __pcw__(void) {\n", "\n}")],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string_literal", "raw_string_literal"],
        ..super::c::ROLES
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
