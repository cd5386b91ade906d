//! Go.

use super::{Lang, Roles, Tree, TypedSyntax};
use ast_grep_core::tree_sitter::LanguageExt;

/// Go.
pub static LANG: Lang = Lang {
    name: "go",
    also: &[],
    grammar: || ast_grep_language::Go.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: false,
    wrappers: &[
        ("package p\nvar __pcw__ = ", ""),
        ("package p\nfunc __pcw__() {\n", "\n}"),
        ("package p\n", ""),
    ],
    line_comments: &["//"],
    roles: Roles {
        strings: &["interpreted_string_literal", "raw_string_literal"],
        identifiers: &[
            "identifier",
            "field_identifier",
            "package_identifier",
            "type_identifier",
        ],
        members: &["selector_expression", "qualified_type"],
        arguments: &["argument_list"],
        unordered: &["literal_value"],
        blocks: &["source_file", "block", "statement_list"],
        expression_statements: &["expression_statement"],
        assignments: &[
            ("short_var_declaration", "left", "right"),
            ("assignment_statement", "left", "right"),
            ("var_spec", "name", "value"),
            ("const_spec", "name", "value"),
        ],
        functions: &["function_declaration", "method_declaration", "func_literal"],
        literals: &["int_literal", "float_literal", "true", "false", "nil"],
        separators: &[",", ";", "\n"],
        optional: &["@result", "@type_parameters"],
        grouped: &["import_spec_list"],
        equivalent: &[
            ("assignment_statement", "short_var_declaration"),
            ("=", ":="),
        ],
        typed_metavariables: TypedSyntax::NameFirst,
        declarations: &[
            ("parameter_declaration", "name", "type", ""),
            ("var_spec", "name", "type", "value"),
            ("const_spec", "name", "type", "value"),
            ("short_var_declaration", "left", "", "right"),
            ("field_declaration", "name", "type", ""),
        ],
        typed_expressions: &[
            ("composite_literal", "type"),
            ("type_conversion_expression", "type"),
        ],
        literal_types: &[
            ("interpreted_string_literal", "string"),
            ("raw_string_literal", "string"),
            ("int_literal", "int"),
            ("float_literal", "float64"),
            ("true", "bool"),
            ("false", "bool"),
        ],
        ..Roles::NONE
    },
    imports,
    rewrite: super::no_rewrite,
};

/// `import t "crypto/tls"` binds `t` to `tls`.
fn imports(tree: &Tree, src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in tree.ids() {
        if tree.node(id).kind != "import_spec" {
            continue;
        }
        let (Some(name), Some(path)) = (tree.field(id, "name"), tree.field(id, "path")) else {
            continue;
        };
        let path = super::unquote(tree.text(path, src));
        let last = path.rsplit('/').next().unwrap_or(path);
        out.push((tree.text(name, src).to_string(), last.to_string()));
    }
    out
}
