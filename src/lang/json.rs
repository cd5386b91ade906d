//! JSON: objects match in any order.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// JSON: objects match in any order..
pub static LANG: Lang = Lang {
    name: "json",
    also: &[],
    grammar: || ast_grep_language::Json.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &[],
    roles: Roles {
        strings: &["string"],
        unordered: &["object"],
        literals: &["number", "true", "false", "null"],
        ..Roles::NONE
    },
    imports: super::no_imports,
};
