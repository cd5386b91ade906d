//! C.

use super::{Lang, Roles, TypedSyntax};
use ast_grep_core::tree_sitter::LanguageExt;

/// C..
pub static LANG: Lang = Lang {
    name: "c",
    also: &[],
    grammar: || ast_grep_language::C.get_ts_language(),
    expando: '𐀀',
    statement_end: ";",
    prefix: "",
    direct: true,
    wrappers: &[("void __pcw__(void) {\n", "\n}")],
    line_comments: &["//"],
    roles: ROLES,
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};

/// C's roles (C++ shares them).
pub(super) const ROLES: Roles = Roles {
    strings: &["string_literal"],
    identifiers: &["identifier", "field_identifier"],
    arguments: &["argument_list"],
    blocks: &["translation_unit", "compound_statement"],
    expression_statements: &["expression_statement"],
    separators: &[",", ";"],
    assignments: &[
        ("init_declarator", "declarator", "value"),
        ("assignment_expression", "left", "right"),
    ],
    functions: &["function_definition", "lambda_expression"],
    literals: &["number_literal", "true", "false", "null", "char_literal"],
    typed_metavariables: TypedSyntax::TypeFirst,
    declarations: &[
        ("declaration", "declarator", "type", ""),
        ("parameter_declaration", "declarator", "type", ""),
        ("field_declaration", "declarator", "type", ""),
    ],
    typed_expressions: &[("cast_expression", "type")],
    literal_types: &[("number_literal", "int")],
    syntax_parentheses: &[
        "if_statement",
        "while_statement",
        "do_statement",
        "switch_statement",
    ],
    handlers: &["catch_clause"],
    ..Roles::NONE
};
