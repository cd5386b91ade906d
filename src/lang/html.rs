//! HTML.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// HTML..
pub static LANG: Lang = Lang {
    name: "html",
    also: &[],
    grammar: || ast_grep_language::Html.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &[],
    roles: Roles {
        strings: &["quoted_attribute_value"],
        comments: &["comment"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
