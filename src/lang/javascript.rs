//! JavaScript (with JSX).

use super::{Lang, Roles, Tree};
use ast_grep_core::tree_sitter::LanguageExt;

/// The roles JavaScript, TypeScript and TSX share.
pub(crate) const ROLES: Roles = Roles {
    strings: &["string", "template_string"],
    identifiers: &[
        "identifier",
        "property_identifier",
        "shorthand_property_identifier",
        "type_identifier",
    ],
    members: &["member_expression"],
    arguments: &["arguments"],
    unordered: &["object", "object_pattern"],
    blocks: &["program", "statement_block", "class_body"],
    expression_statements: &[
        "expression_statement",
        "lexical_declaration",
        "variable_declaration",
    ],
    equivalent: &[("assignment_expression", "variable_declarator")],
    assignments: &[
        ("variable_declarator", "name", "value"),
        ("assignment_expression", "left", "right"),
    ],
    functions: &[
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
    ],
    literals: &["number", "true", "false", "null", "undefined"],
    separators: &[",", ";"],
    unterminated: &[
        "lexical_declaration",
        "variable_declaration",
        "import_statement",
    ],
    // Typed metavariables as in TypeScript (`($X: float)`); JavaScript code declares no types, so only
    // literals and what they initialise have one.
    typed_metavariables: super::TypedSyntax::NameFirst,
    declarations: &[("variable_declarator", "name", "", "value")],
    literal_types: &[("string", "string"), ("number", "number")],
    type_aliases: &[("number", "float")],
    bare_imports: &["import_statement"],
    class_bodies: &[
        ("class_declaration", "body"),
        ("class", "body"),
        ("abstract_class_declaration", "body"),
    ],
    decorators: &["decorator"],
    syntax_parentheses: &[
        "if_statement",
        "while_statement",
        "do_statement",
        "switch_statement",
        "with_statement",
    ],
    handlers: &["catch_clause"],
    ..Roles::NONE
};

/// JavaScript.
pub static LANG: Lang = Lang {
    name: "javascript",
    also: &[],
    grammar: || ast_grep_language::JavaScript.get_ts_language(),
    expando: '$',
    statement_end: ";",
    prefix: "",
    direct: true,
    wrappers: &[("(", ")"), ("class __PCW__ {", "}")],
    line_comments: &["//"],
    roles: ROLES,
    imports,
    rewrite: super::no_rewrite,
};

/// `const x = require('m')`, `import x from 'm'`, `import {a as b} from 'm'`, `import * as ns from 'm'`.
pub(crate) fn imports(tree: &Tree, src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in tree.ids() {
        let node = tree.node(id);
        match node.kind {
            "variable_declarator" => {
                let (Some(name), Some(value)) = (tree.field(id, "name"), tree.field(id, "value"))
                else {
                    continue;
                };
                if tree.node(name).kind != "identifier"
                    || tree.node(value).kind != "call_expression"
                {
                    continue;
                }
                let callee = tree.field(value, "function").map(|f| tree.text(f, src));
                if callee != Some("require") {
                    continue;
                }
                if let Some(arg) = tree.field(value, "arguments").and_then(|a| {
                    tree.kids(a)
                        .iter()
                        .copied()
                        .find(|&k| tree.node(k).kind == "string")
                }) {
                    out.push((
                        tree.text(name, src).to_string(),
                        super::unquote(tree.text(arg, src)).to_string(),
                    ));
                }
            }
            "import_statement" => {
                let Some(source) = tree.field(id, "source") else {
                    continue;
                };
                let module = super::unquote(tree.text(source, src)).to_string();
                let end = tree.subtree_end(id);
                for k in id + 1..=end {
                    let kn = tree.node(k);
                    let parent = tree.node(kn.parent).kind;
                    match (kn.kind, parent) {
                        ("identifier", "import_clause") | ("identifier", "namespace_import") => {
                            out.push((tree.text(k, src).to_string(), module.clone()))
                        }
                        ("import_specifier", _) => {
                            let Some(name) = tree.field(k, "name") else {
                                continue;
                            };
                            let local = tree.field(k, "alias").unwrap_or(name);
                            out.push((
                                tree.text(local, src).to_string(),
                                format!("{module}.{}", tree.text(name, src)),
                            ));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}
