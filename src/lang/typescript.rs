//! TypeScript and TSX (TSX files also take `typescript` rules, as in Semgrep).

use super::{javascript, Lang};
use ast_grep_core::tree_sitter::LanguageExt;

/// TypeScript.
pub static LANG: Lang = Lang {
    name: "typescript",
    also: &[],
    grammar: || ast_grep_language::TypeScript.get_ts_language(),
    expando: '$',
    statement_end: ";",
    prefix: "",
    direct: true,
    wrappers: &[("(", ")"), ("class __PCW__ {", "}")],
    line_comments: &["//"],
    roles: javascript::ROLES,
    imports: javascript::imports,
    rewrite: super::no_rewrite,
};

/// TSX.
pub static TSX: Lang = Lang {
    name: "tsx",
    also: &["typescript"],
    grammar: || ast_grep_language::Tsx.get_ts_language(),
    ..LANG
};
