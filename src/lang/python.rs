//! Python.

use super::{Lang, Roles, Tree};
use ast_grep_core::tree_sitter::LanguageExt;

/// Python.
pub static LANG: Lang = Lang {
    name: "python",
    also: &[],
    grammar: || ast_grep_language::Python.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#"],
    roles: Roles {
        strings: &["string", "concatenated_string"],
        identifiers: &["identifier"],
        members: &["attribute"],
        arguments: &["argument_list"],
        keyword_arguments: &["keyword_argument"],
        unordered: &["dictionary"],
        blocks: &["module", "block"],
        expression_statements: &["expression_statement"],
        assignments: &[("assignment", "left", "right")],
        functions: &["function_definition", "lambda"],
        literals: &["integer", "float", "true", "false", "none"],
        declarations: &[
            ("typed_parameter", "#identifier", "type", ""),
            ("typed_default_parameter", "name", "type", "value"),
            ("assignment", "left", "type", "right"),
        ],
        literal_types: &[
            ("string", "str"),
            ("integer", "int"),
            ("float", "float"),
            ("true", "bool"),
            ("false", "bool"),
        ],
        decorated: &["decorated_definition"],
        class_bodies: &[("class_definition", "body")],
        handlers: &["except_clause", "except_group_clause"],
        global_declarations: &["global_statement"],
        name_lists: &["global_statement", "nonlocal_statement"],
        element_lists: &["lambda_parameters"],
        // Semgrep reads `nonlocal x` as `global x`.
        equivalent: &[
            ("global_statement", "nonlocal_statement"),
            ("global", "nonlocal"),
        ],
        ..Roles::NONE
    },
    imports,
    rewrite: super::no_rewrite,
};

/// `import a.b as c`, `import a`, `from m import n as k`.
fn imports(tree: &Tree, src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in tree.ids() {
        let node = tree.node(id);
        match node.kind {
            "import_statement" => {
                for &k in tree.kids(id) {
                    let kn = tree.node(k);
                    if kn.kind == "aliased_import" {
                        if let (Some(n), Some(a)) = (tree.field(k, "name"), tree.field(k, "alias"))
                        {
                            out.push((
                                tree.text(a, src).to_string(),
                                tree.text(n, src).to_string(),
                            ));
                        }
                    }
                }
            }
            "import_from_statement" => {
                let Some(m) = tree.field(id, "module_name") else {
                    continue;
                };
                let module = tree.text(m, src);
                for &k in tree.kids(id) {
                    let kn = tree.node(k);
                    if kn.field != Some("name") {
                        continue;
                    }
                    if kn.kind == "aliased_import" {
                        if let (Some(n), Some(a)) = (tree.field(k, "name"), tree.field(k, "alias"))
                        {
                            out.push((
                                tree.text(a, src).to_string(),
                                format!("{module}.{}", tree.text(n, src)),
                            ));
                        }
                    } else {
                        let name = tree.text(k, src);
                        out.push((name.to_string(), format!("{module}.{name}")));
                    }
                }
            }
            _ => {}
        }
    }
    out
}
