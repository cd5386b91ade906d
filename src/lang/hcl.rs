//! HCL (Terraform).

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// HCL (Terraform)..
pub static LANG: Lang = Lang {
    name: "hcl",
    also: &[],
    grammar: || ast_grep_language::Hcl.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#", "//"],
    roles: Roles {
        strings: &["template_literal"],
        identifiers: &["identifier"],
        unordered: &["body", "object"],
        blocks: &["config_file"],
        ..Roles::NONE
    },
    imports: super::no_imports,
};
