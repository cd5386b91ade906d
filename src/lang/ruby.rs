//! Ruby.

use super::{Lang, Roles};
use ast_grep_core::tree_sitter::LanguageExt;

/// Ruby.
pub static LANG: Lang = Lang {
    name: "ruby",
    also: &[],
    grammar: || ast_grep_language::Ruby.get_ts_language(),
    expando: 'µ',
    statement_end: "",
    prefix: "",
    direct: true,
    wrappers: &[],
    line_comments: &["#"],
    roles: Roles {
        strings: &["string", "simple_symbol", "subshell"],
        identifiers: &["identifier", "constant"],
        members: &["scope_resolution"],
        arguments: &["argument_list"],
        keyword_arguments: &["pair"],
        unordered: &["hash"],
        blocks: &[
            "program",
            "body_statement",
            "then",
            "else",
            "do_block",
            "block_body",
        ],
        assignments: &[("assignment", "left", "right")],
        functions: &["method", "singleton_method", "lambda", "do_block", "block"],
        literals: &["integer", "float", "true", "false", "nil"],
        ..Roles::NONE
    },
    imports: super::no_imports,
    rewrite: super::no_rewrite,
};
