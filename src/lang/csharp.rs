//! C#.

use super::{Lang, Roles, TypedSyntax};
use ast_grep_core::tree_sitter::LanguageExt;

/// C#.
pub static LANG: Lang = Lang {
    name: "csharp",
    also: &[],
    grammar: || ast_grep_language::CSharp.get_ts_language(),
    expando: 'µ',
    statement_end: ";",
    prefix: "",
    direct: true,
    wrappers: &[
        ("var __pcw__ = ", ";"),
        ("class __PCW__ {", "}"),
        ("class __PCW__ { void __pcw__() {", "}}"),
        ("", " class __PCW__ {}"),
    ],
    line_comments: &["//"],
    roles: Roles {
        strings: &[
            "string_literal",
            "verbatim_string_literal",
            "raw_string_literal",
            "interpolated_string_expression",
        ],
        identifiers: &["identifier"],
        members: &["member_access_expression", "qualified_name"],
        arguments: &["argument_list"],
        unordered: &["initializer_expression"],
        blocks: &["compilation_unit", "block", "declaration_list"],
        expression_statements: &["expression_statement", "global_statement"],
        assignments: &[
            ("variable_declarator", "name", "value"),
            ("assignment_expression", "left", "right"),
        ],
        functions: &[
            "method_declaration",
            "constructor_declaration",
            "local_function_statement",
            "lambda_expression",
        ],
        literals: &[
            "integer_literal",
            "real_literal",
            "boolean_literal",
            "null_literal",
        ],
        separators: &[",", ";"],
        optional: &["modifier", "attribute_list", "type_parameter_list"],
        typed_metavariables: TypedSyntax::TypeFirst,
        declarations: &[
            ("variable_declaration", "#variable_declarator", "type", ""),
            ("parameter", "name", "type", ""),
            ("foreach_statement", "left", "type", ""),
        ],
        typed_expressions: &[
            ("object_creation_expression", "type"),
            ("cast_expression", "type"),
        ],
        literal_types: &[
            ("string_literal", "string"),
            ("verbatim_string_literal", "string"),
            ("integer_literal", "int"),
            ("boolean_literal", "bool"),
        ],
        handlers: &["catch_clause"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
