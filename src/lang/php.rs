//! PHP. `$X` is a PHP variable, so metavariables stay as written and parse as variables.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// PHP.
pub static LANG: Lang = Lang {
    name: "php",
    also: &[],
    grammar: || ast_grep_language::Php.get_ts_language(),
    expando: '$',
    statement_end: ";",
    prefix: "<?php ",
    direct: true,
    wrappers: &[("$__pcw__ = ", ";"), ("", ";"), ("class __PCW__ {", "}")],
    line_comments: &["//", "#"],
    roles: Roles {
        strings: &["string", "encapsed_string"],
        identifiers: &["name", "variable_name"],
        members: &[
            "member_access_expression",
            "class_constant_access_expression",
        ],
        arguments: &["arguments"],
        unordered: &[],
        blocks: &["program", "compound_statement", "declaration_list"],
        expression_statements: &["expression_statement"],
        assignments: &[("assignment_expression", "left", "right")],
        functions: &[
            "function_definition",
            "method_declaration",
            "anonymous_function",
            "arrow_function",
        ],
        literals: &["integer", "float", "boolean", "null"],
        separators: &[",", ";"],
        optional: &[
            "visibility_modifier",
            "attribute_list",
            "static_modifier",
            "final_modifier",
            "abstract_modifier",
        ],
        syntax_parentheses: &[
            "if_statement",
            "else_if_clause",
            "while_statement",
            "do_statement",
            "switch_statement",
        ],
        handlers: &["catch_clause"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
