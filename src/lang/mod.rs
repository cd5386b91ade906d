//! Languages the SAST engine parses, one small file each: the grammar, how a metavariable is written where
//! `$X` is not an identifier, the line comment, and the *roles* of the grammar's node kinds (which kinds are
//! strings, argument lists, keyword arguments, statement blocks…). The matcher reads roles and knows no
//! language; the trees it reads are ours ([`tree::Tree`]), so nothing of tree-sitter leaks past this room.

pub mod tree;

mod bash;
mod c;
mod cpp;
mod csharp;
mod dart;
mod dockerfile;
mod elixir;
mod go;
mod hcl;
mod html;
mod java;
mod javascript;
mod json;
mod kotlin;
mod lua;
mod php;
mod python;
mod ruby;
mod rust;
mod scala;
mod solidity;
mod swift;
mod typescript;
mod yaml;

pub use tree::{NodeId, Tree};

/// The identifier a pattern's `...` is rewritten to before it is parsed (a language's own rewrite may spell it
/// inside quotes where the grammar wants a string).
pub const ELLIPSIS: &str = "__PCE__";

/// One language: everything the pattern compiler and the matcher need to know about it.
pub struct Lang {
    /// Canonical name, as rules and the classification name it (`python`, `tsx`).
    pub name: &'static str,
    /// Other languages whose rules also apply to files of this one (`tsx` files take `typescript` rules).
    pub also: &'static [&'static str],
    /// The tree-sitter grammar.
    pub grammar: fn() -> tree_sitter::Language,
    /// The character a metavariable's `$` becomes in a pattern before it is parsed, where `$X` is not an
    /// identifier of the language (`$` itself where it is).
    pub expando: char,
    /// What ends a statement where the grammar needs it after a `...` statement (`;`), else empty.
    pub statement_end: &'static str,
    /// Text every pattern is parsed after (`<?php ` for PHP).
    pub prefix: &'static str,
    /// Whether a pattern is first parsed alone, before the wrappers (not in Go, where `pkg.F(x)` alone
    /// reads as a type conversion).
    pub direct: bool,
    /// Text put around a pattern that does not parse alone, tried in order (`class C { … }`).
    pub wrappers: &'static [(&'static str, &'static str)],
    /// Line comment markers, for `ruleid:` annotations and `nosemgrep`.
    pub line_comments: &'static [&'static str],
    /// The roles of the grammar's node kinds.
    pub roles: Roles,
    /// Import bindings of a file: `(local name, what it stands for)` pairs (`sp` → `subprocess`).
    pub imports: fn(&Tree, &str) -> Vec<(String, String)>,
    /// Rewrites a pattern's text before it is parsed, where the language writes an ellipsis or a
    /// metavariable in a way its grammar cannot read as it stands (a YAML `...` among mapping keys).
    pub rewrite: fn(&str) -> std::borrow::Cow<'_, str>,
}

/// Languages are equal by name (each is one static).
impl PartialEq for Lang {
    fn eq(&self, other: &Lang) -> bool {
        self.name == other.name
    }
}

impl Eq for Lang {}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lang({})", self.name)
    }
}

/// What the matcher needs to know of a grammar's node kinds. Every list holds kind names.
#[derive(Clone, Copy)]
pub struct Roles {
    /// String literals: matched on their value, whatever the quotes (`"..."` matches any).
    pub strings: &'static [&'static str],
    /// Identifiers (metavariables are found among them, and aliases and constants resolve them).
    pub identifiers: &'static [&'static str],
    /// Member access (`a.b`): a dotted name when every part is an identifier.
    pub members: &'static [&'static str],
    /// Argument lists: keyword arguments among their children match in any order.
    pub arguments: &'static [&'static str],
    /// Keyword (named) arguments.
    pub keyword_arguments: &'static [&'static str],
    /// Nodes whose children match in any order (dictionaries, object literals, YAML mappings).
    pub unordered: &'static [&'static str],
    /// Statement blocks: a pattern of several statements matches a run of their children.
    pub blocks: &'static [&'static str],
    /// Expression statements: a pattern that is one of them matches its expression anywhere.
    pub expression_statements: &'static [&'static str],
    /// Assignments with their left and right field names, for constant propagation.
    pub assignments: &'static [(&'static str, &'static str, &'static str)],
    /// Functions: the scopes of constant propagation.
    pub functions: &'static [&'static str],
    /// Literals a constant can be (numbers, booleans, null), beside strings.
    pub literals: &'static [&'static str],
    /// Comment kinds (skipped by the matcher).
    pub comments: &'static [&'static str],
    /// Tokens ignored between children when matching (separators such as `,`).
    pub separators: &'static [&'static str],
    /// Optional parts a pattern may leave out and still match (modifiers, annotations, `throws`).
    pub optional: &'static [&'static str],
    /// `(pattern kind, target kind)` pairs of the same shape that match each other (`$X = $Y` and a
    /// declaration with an initialiser); also `(pattern token, target token)` pairs (Go's `=` and `:=`).
    pub equivalent: &'static [(&'static str, &'static str)],
    /// Wrappers left out of our tree where they hold one named child, which takes their place (YAML's
    /// `flow_node`), so that two spellings of the same structure have the same shape.
    pub elide: &'static [&'static str],
    /// Kinds renamed when the tree is copied (YAML's `flow_sequence` is a `block_sequence`): spellings of
    /// one structure that match each other.
    pub renames: &'static [(&'static str, &'static str)],
    /// `(kind, language)`: nodes of `kind` hold code of another language, parsed with its grammar and
    /// copied in place of their children (a Dockerfile's `RUN` command is bash).
    pub injections: &'static [(&'static str, &'static str)],
    /// Blocks where a pattern of one statement matches a block of one statement that holds it anywhere (a
    /// Dockerfile's `RUN apk add ...` matches `RUN apk update && apk add curl`, as in Semgrep).
    pub deep_blocks: &'static [&'static str],
    /// Where a `...` (or a metavariable) alone on its line is no statement of the grammar, the keyword it is spelled after so
    /// that it parses as one (a Dockerfile's lone `...` or `$X` is spelled as an instruction); the pattern
    /// still reads it as `...` or the metavariable.
    pub ellipsis_statement: &'static str,
    /// Whether text a node holds outside its children (a grammar's hidden tokens, as `latest` in a
    /// Dockerfile's `:latest`) becomes leaves of kind `text`, matched like tokens.
    pub gap_leaves: bool,
    /// How a typed metavariable is written in patterns (`(String $S)`, `($C : *tls.Config)`).
    pub typed_metavariables: TypedSyntax,
    /// `(kind, name field, type field, value field)` of declarations, for the types of identifiers: the
    /// name field may hold declarators (`x = 1`, `*p`); an empty field is absent (Go's `:=` has no type).
    pub declarations: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// `(kind, type field)` of expressions that name their type (`new T()`, a cast, `T{}`).
    pub typed_expressions: &'static [(&'static str, &'static str)],
    /// `(kind, type)` of literals whose type is known (`"x"` is a `String` in Java).
    pub literal_types: &'static [(&'static str, &'static str)],
    /// Wrappers that add decorators to a definition (Python's `decorated_definition`): a match of the
    /// definition starts at its first decorator, as in Semgrep.
    pub decorated: &'static [&'static str],
    /// Lists that group declarations of one kind (Go's `import ( ... )`): a pattern of one declaration
    /// matches any one of them (`import "crypto/md5"` matches a grouped import).
    pub grouped: &'static [&'static str],
    /// Kinds whose match ends before their own trailing statement terminator, as Semgrep's ranges do
    /// (JavaScript's `const a = b;` is reported without its `;`).
    pub unterminated: &'static [&'static str],
    /// Literal types that are also another (`("number", "float")`: JavaScript's `2.5` is a float).
    pub type_aliases: &'static [(&'static str, &'static str)],
    /// Import statements that, written with the module alone (`import 'm'`), match every import of it.
    pub bare_imports: &'static [&'static str],
    /// (class kind, body field): class bodies, whose members match in any order (see `Mode::Members`).
    pub class_bodies: &'static [(&'static str, &'static str)],
    /// Decorator nodes that stand in a class body before the member they decorate (TypeScript's `@Get()`).
    pub decorators: &'static [&'static str],
    /// Parenthesized expressions: a pattern matches what they hold, and a match of what they hold spans
    /// them, as in Semgrep (`"..." % $X` matches `("%s" % x)` with the parentheses).
    pub parentheses: &'static [&'static str],
    /// Statements whose parenthesized child is their own syntax (`if (c)` in C-like languages): a match
    /// inside does not span those parentheses.
    pub syntax_parentheses: &'static [&'static str],
    /// Exception handlers of a `try` (`except`, `catch`): a pattern's handlers match a subsequence of the
    /// target's, the others left out, as in Semgrep.
    pub handlers: &'static [&'static str],
    /// Statements that declare names the module's (`global x`): a function's assignments to them are
    /// the module's. (Semgrep reads `nonlocal` as nothing, so it is not one.)
    pub global_declarations: &'static [&'static str],
    /// Statements that list names (`global a, b`): a pattern naming one matches each of them, as Semgrep
    /// reads one such statement per name.
    pub name_lists: &'static [&'static str],
    /// Lists without brackets of their own (a lambda's parameters): one metavariable written there is one
    /// element of the list, as in Semgrep (`lambda $X: ...` does not match `lambda a, b: ...`).
    pub element_lists: &'static [&'static str],
}

/// How a language writes a typed metavariable in a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypedSyntax {
    /// It has none.
    None,
    /// The type first, in parentheses: `(String $S)` (Java, C#, C, C++).
    TypeFirst,
    /// The name first, then a colon: `($C : *tls.Config)` (Go, TypeScript).
    NameFirst,
}

impl Roles {
    /// Roles with every list empty, for struct update syntax.
    pub const NONE: Roles = Roles {
        strings: &[],
        identifiers: &[],
        members: &[],
        arguments: &[],
        keyword_arguments: &[],
        unordered: &[],
        blocks: &[],
        expression_statements: &[],
        assignments: &[],
        functions: &[],
        literals: &[],
        comments: &["comment"],
        separators: &[","],
        optional: &[],
        equivalent: &[],
        elide: &[],
        renames: &[],
        injections: &[],
        deep_blocks: &[],
        ellipsis_statement: "",
        gap_leaves: false,
        typed_metavariables: TypedSyntax::None,
        declarations: &[],
        typed_expressions: &[],
        literal_types: &[],
        decorated: &[],
        grouped: &[],
        unterminated: &[],
        type_aliases: &[],
        bare_imports: &[],
        class_bodies: &[],
        decorators: &[],
        parentheses: &["parenthesized_expression"],
        syntax_parentheses: &[],
        handlers: &[],
        global_declarations: &[],
        name_lists: &[],
        element_lists: &[],
    };
}

/// Every language, by canonical name.
pub static LANGUAGES: &[&Lang] = &[
    &python::LANG,
    &javascript::LANG,
    &typescript::LANG,
    &typescript::TSX,
    &java::LANG,
    &go::LANG,
    &ruby::LANG,
    &php::LANG,
    &rust::LANG,
    &csharp::LANG,
    &kotlin::LANG,
    &scala::LANG,
    &swift::LANG,
    &c::LANG,
    &cpp::LANG,
    &bash::LANG,
    &lua::LANG,
    &elixir::LANG,
    &solidity::LANG,
    &dart::LANG,
    &hcl::LANG,
    &yaml::LANG,
    &json::LANG,
    &dockerfile::LANG,
    &html::LANG,
];

/// The language a file of no language of ours is given when `regex` and `generic` rules read it: only its
/// empty tree is ever walked.
pub static TEXT_STANDIN: Lang = Lang {
    name: "text",
    also: &[],
    ..json::LANG
};

/// The language called `name` (canonical names only; rule files' aliases are resolved by the rule loader).
pub fn by_name(name: &str) -> Option<&'static Lang> {
    LANGUAGES.iter().copied().find(|l| l.name == name)
}

/// Whether a rule for `rule_lang` applies to a file of language `file_lang`.
pub fn applies(rule_lang: &str, file_lang: &Lang) -> bool {
    file_lang.name == rule_lang || file_lang.also.contains(&rule_lang)
}

/// Whether a named node inside a string literal is interpolated code (not its text, quotes or escapes).
pub fn interpolation_kind(kind: &str) -> bool {
    ![
        "content", "fragment", "escape", "start", "end", "string", "text",
    ]
    .iter()
    .any(|k| kind.contains(k))
}

/// No rewrite: the pattern is parsed as written.
pub(crate) fn no_rewrite(text: &str) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Borrowed(text)
}

/// No import bindings (languages without imports the matcher resolves).
pub(crate) fn no_imports(_: &Tree, _: &str) -> Vec<(String, String)> {
    Vec::new()
}

/// The value of a quoted literal's text: prefixes (`r`, `b`, `f`, `@`) and one matching pair of quotes
/// (single, double, triple or backtick) removed.
pub fn unquote(text: &str) -> &str {
    let t = text.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '@' || c == '$');
    for q in ["\"\"\"", "'''", "\"", "'", "`"] {
        if t.len() >= 2 * q.len() && t.starts_with(q) && t.ends_with(q) {
            return &t[q.len()..t.len() - q.len()];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_loads_and_parses() {
        for lang in LANGUAGES {
            let tree = Tree::parse(lang, "x");
            assert!(!tree.is_empty(), "{}", lang.name);
        }
    }

    #[test]
    fn unquote_strips_prefixes_and_quotes() {
        assert_eq!(unquote("'a'"), "a");
        assert_eq!(unquote("\"\"\"doc\"\"\""), "doc");
        assert_eq!(unquote("rb'x'"), "x");
        assert_eq!(unquote("@\"c#\""), "c#");
        assert_eq!(unquote("`t`"), "t");
        assert_eq!(unquote("plain"), "plain");
    }
}

#[cfg(test)]
mod dump {
    /// Prints the outline of `PC_SRC` parsed as `PC_LANG` (a development aid).
    #[test]
    #[ignore]
    fn dump() {
        let lang = super::by_name(&std::env::var("PC_LANG").unwrap()).unwrap();
        let src = std::env::var("PC_SRC").unwrap();
        let t = super::Tree::parse(lang, &src);
        println!("{}", t.outline(&src));
    }
}

/// A file's syntax tree, one of the shared parses ([`crate::source::Parse`]): built once per file for every
/// scanner that asks, in the language its classification names.
pub struct Syntax {
    /// The language, when the file's is one of ours.
    pub lang: Option<&'static Lang>,
    /// The text (invalid UTF-8 replaced, so offsets may differ from the bytes only in such files).
    pub text: String,
    /// The tree (empty when the language is not ours).
    pub tree: Tree,
}

impl crate::source::Parse for Syntax {
    type Output = Syntax;

    fn parse(file: &crate::source::SourceFile) -> Syntax {
        let lang = file.class().language.and_then(by_name);
        let text = String::from_utf8_lossy(file.bytes()).into_owned();
        let tree = match lang {
            Some(l) => Tree::parse(l, &text),
            None => Tree::default(),
        };
        Syntax { lang, text, tree }
    }
}
