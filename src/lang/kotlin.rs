//! Kotlin.

use super::{java, Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Kotlin.
pub static LANG: Lang = Lang {
    name: "kotlin",
    also: &[],
    grammar: || ast_grep_language::Kotlin.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[("val __pcw__ = ", ""), ("class __PCW__ {", "}")],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string_literal"],
        identifiers: &["simple_identifier", "type_identifier"],
        members: &["navigation_expression"],
        arguments: &["value_arguments"],
        blocks: &["source_file", "statements", "class_body", "function_body"],
        functions: &[
            "function_declaration",
            "lambda_literal",
            "anonymous_function",
        ],
        literals: &[
            "integer_literal",
            "real_literal",
            "boolean_literal",
            "null_literal",
        ],
        comments: &["line_comment", "multiline_comment"],
        optional: &["modifiers", "type_parameters"],
        ..Roles::NONE
    },
    imports: java::imports,
    rewrite: super::no_rewrite,
};
