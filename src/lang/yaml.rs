//! YAML: mappings match in any order.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// YAML: mappings match in any order..
pub static LANG: Lang = Lang {
    name: "yaml",
    also: &[],
    grammar: || ast_grep_language::Yaml.get_ts_language(),
    expando: '$',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#"],
    roles: Roles {
        strings: &["double_quote_scalar", "single_quote_scalar"],
        identifiers: &["plain_scalar"],
        unordered: &["block_mapping", "flow_mapping"],
        blocks: &["stream", "document"],
        ..Roles::NONE
    },
    imports: super::no_imports,
};
