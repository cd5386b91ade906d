//! TypeScript and TSX (TSX files also take `typescript` rules, as in Semgrep).

use super::{javascript, Lang, Roles, TypedSyntax};
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
    roles: ROLES,
    imports: javascript::imports,
    rewrite: super::no_rewrite,
};

/// JavaScript's roles, with TypeScript's type annotations.
const ROLES: Roles = Roles {
    typed_metavariables: TypedSyntax::NameFirst,
    declarations: &[
        ("required_parameter", "pattern", "type", ""),
        ("optional_parameter", "pattern", "type", ""),
        ("variable_declarator", "name", "type", "value"),
        ("public_field_definition", "name", "type", "value"),
    ],
    typed_expressions: &[("new_expression", "constructor"), ("as_expression", "type")],
    literal_types: &[("string", "string"), ("number", "number")],
    ..javascript::ROLES
};

/// TSX.
pub static TSX: Lang = Lang {
    name: "tsx",
    also: &["typescript"],
    grammar: || ast_grep_language::Tsx.get_ts_language(),
    ..LANG
};
