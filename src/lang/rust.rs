//! Rust.

use super::{Lang, Roles, Tree};
use ast_grep_core::tree_sitter::LanguageExt;

/// Rust.
pub static LANG: Lang = Lang {
    name: "rust",
    also: &[],
    grammar: || ast_grep_language::Rust.get_ts_language(),
    expando: 'µ',
    statement_end: ";",
    prefix: "",
    direct: true,
    wrappers: &[("fn __pcw__() {", "}")],
    line_comments: &["//"],
    roles: Roles {
        strings: &["string_literal", "raw_string_literal"],
        identifiers: &["identifier", "field_identifier", "type_identifier"],
        members: &[
            "field_expression",
            "scoped_identifier",
            "scoped_type_identifier",
        ],
        arguments: &["arguments"],
        unordered: &["field_initializer_list"],
        blocks: &["source_file", "block", "declaration_list"],
        expression_statements: &["expression_statement"],
        assignments: &[
            ("let_declaration", "pattern", "value"),
            ("assignment_expression", "left", "right"),
        ],
        functions: &["function_item", "closure_expression"],
        literals: &["integer_literal", "float_literal", "boolean_literal"],
        comments: &["line_comment", "block_comment"],
        separators: &[",", ";"],
        optional: &["visibility_modifier", "attribute_item", "type_parameters"],
        ..Roles::NONE
    },
    imports,
    rewrite: super::no_rewrite,
};

/// `use a::b::C;` and `use a::b::C as D;`.
fn imports(tree: &Tree, src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in tree.ids() {
        let node = tree.node(id);
        if tree.node(node.parent).kind != "use_declaration" {
            continue;
        }
        match node.kind {
            "scoped_identifier" => {
                let full = tree.text(id, src).replace("::", ".");
                let last = full.rsplit('.').next().unwrap_or(&full).to_string();
                out.push((last, full));
            }
            "use_as_clause" => {
                if let (Some(p), Some(a)) = (tree.field(id, "path"), tree.field(id, "alias")) {
                    out.push((
                        tree.text(a, src).to_string(),
                        tree.text(p, src).replace("::", "."),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}
