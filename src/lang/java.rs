//! Java.

use super::{Lang, Roles, Tree, TypedSyntax};
use ast_grep_core::tree_sitter::LanguageExt;

/// Java.
pub static LANG: Lang = Lang {
    name: "java",
    also: &[],
    grammar: || ast_grep_language::Java.get_ts_language(),
    expando: '$',
    statement_end: ";",
    prefix: "",
    direct: true,
    wrappers: &[
        ("class __PCW__ { Object __pcw__ = ", "; }"),
        ("class __PCW__ {", "}"),
        ("class __PCW__ { void __pcw__() {", "}}"),
        ("", " class __PCW__ {}"),
    ],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string_literal"],
        identifiers: &["identifier", "type_identifier"],
        members: &[
            "field_access",
            "scoped_identifier",
            "scoped_type_identifier",
        ],
        arguments: &["argument_list"],
        unordered: &["annotation_argument_list"],
        blocks: &["program", "block", "class_body", "constructor_body"],
        expression_statements: &["expression_statement"],
        assignments: &[
            ("variable_declarator", "name", "value"),
            ("assignment_expression", "left", "right"),
        ],
        functions: &[
            "method_declaration",
            "constructor_declaration",
            "lambda_expression",
        ],
        literals: &[
            "decimal_integer_literal",
            "hex_integer_literal",
            "decimal_floating_point_literal",
            "true",
            "false",
            "null_literal",
        ],
        comments: &["line_comment", "block_comment"],
        separators: &[",", ";"],
        equivalent: &[("assignment_expression", "variable_declarator")],
        optional: &["modifiers", "throws", "type_parameters"],
        typed_metavariables: TypedSyntax::TypeFirst,
        declarations: &[
            ("local_variable_declaration", "declarator", "type", ""),
            ("field_declaration", "declarator", "type", ""),
            ("formal_parameter", "name", "type", ""),
            ("spread_parameter", "name", "type", ""),
            ("enhanced_for_statement", "name", "type", ""),
            ("resource", "name", "type", "value"),
        ],
        typed_expressions: &[
            ("object_creation_expression", "type"),
            ("cast_expression", "type"),
            ("array_creation_expression", "type"),
        ],
        literal_types: &[
            ("string_literal", "String"),
            ("decimal_integer_literal", "int"),
            ("true", "boolean"),
            ("false", "boolean"),
        ],
        syntax_parentheses: &[
            "if_statement",
            "while_statement",
            "do_statement",
            "switch_expression",
            "synchronized_statement",
        ],
        handlers: &["catch_clause"],
        ..Roles::NONE
    },
    imports,
    rewrite: super::no_rewrite,
};

/// `import a.b.C;` binds `C` to `a.b.C`.
pub(crate) fn imports(tree: &Tree, src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in tree.ids() {
        if tree.node(id).kind != "import_declaration" {
            continue;
        }
        if let Some(&path) = tree
            .kids(id)
            .iter()
            .find(|&&k| matches!(tree.node(k).kind, "scoped_identifier" | "identifier"))
        {
            let full = tree.text(path, src);
            let last = full.rsplit('.').next().unwrap_or(full);
            out.push((last.to_string(), full.to_string()));
        }
    }
    out
}
