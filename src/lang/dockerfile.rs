//! Dockerfile (the arborium grammar, through the same tree-sitter core).

use super::{Lang, Roles};

/// Dockerfile.
pub static LANG: Lang = Lang {
    name: "dockerfile",
    also: &[],
    grammar: || arborium_dockerfile::language().into(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#"],
    roles: Roles {
        strings: &["double_quoted_string", "single_quoted_string"],
        blocks: &["source_file"],
        ..Roles::NONE
    },
    imports: super::no_imports,
};
