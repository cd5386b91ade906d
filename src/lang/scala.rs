//! Scala.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Scala..
pub static LANG: Lang = Lang {
    name: "scala",
    also: &[],
    grammar: || ast_grep_language::Scala.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string"],
        identifiers: &["identifier"],
        blocks: &["compilation_unit", "block", "template_body"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
