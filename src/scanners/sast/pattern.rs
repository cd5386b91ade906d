//! The pattern compiler: a Semgrep pattern's text, in one language, into a [`Pattern`] tree the matcher walks.
//!
//! The text is parsed with the language's own grammar after three rewrites that keep it valid code: `...`
//! becomes the identifier `__PCE__` (a statement of its own where it stands alone on a line), `<... P ...>`
//! becomes the call `__PCDEEP__(P)`, and `$X` takes the language's expando character where `$` cannot start an
//! identifier. The parsed region is then read back into [`P`] nodes: ellipses, metavariables, strings by
//! value, tokens by text and nodes by kind with how their children match.

use super::matcher::Name;
use super::re::Re;
use crate::lang::{unquote, Lang, NodeId, Tree, ELLIPSIS};
use thiserror::Error;

/// The call `<... P ...>` becomes.
const DEEP: &str = "__PCDEEP__";
/// The marker of a sequence metavariable (`$...ARGS`).
const SEQ: &str = "__PCSEQ__";
/// Deepest pattern accepted: patterns are written by people; a deeper one is refused, not recursed on.
const MAX_PATTERN_DEPTH: usize = 200;

/// One compiled pattern node.
#[derive(Clone, Debug)]
pub enum P {
    /// `...`: any run of siblings (any node where it stands alone).
    Ellipsis,
    /// `$X`: any one node, equal wherever the name recurs (`$_` binds nothing).
    Meta(Name),
    /// `$...X`: any run of siblings, bound.
    MetaSeq(Name),
    /// `(String $X)`: one node of that type (see [`super::types`]), bound.
    Typed(Name, super::types::TypePat),
    /// `<... P ...>`: a node with a match of `P` anywhere inside.
    Deep(Box<P>),
    /// `$X. ...` in `$X. ... .f()`: `$X` followed by any run of member accesses and calls.
    Chain(Box<P>),
    /// `"..."`: any string literal (`f"..."`, `` `...` ``: any, interpolated or not).
    AnyString(bool),
    /// `"=~/re/"`: a string literal whose value the regex finds.
    StringRegex(Re),
    /// `"$X"`: any string literal, bound to `$X`.
    StringMeta(Name),
    /// A string literal with this value, whatever its quotes.
    Str(String),
    /// A token (identifier, number, keyword, operator) by its text.
    Token {
        /// The grammar's kind.
        kind: &'static str,
        /// The text.
        text: String,
    },
    /// A node by its kind, with its children.
    Node {
        /// The grammar's kind.
        kind: &'static str,
        /// Its children (comments and separators dropped).
        kids: Vec<P>,
        /// How the children match.
        mode: Mode,
        /// The parts of `a.b.$C` when the node is a member access of identifiers and metavariables only
        /// (each a [`P::Token`] or [`P::Meta`]), matched against names resolved through imports.
        dotted: Option<Vec<P>>,
    },
}

/// How a node's children match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// In order, with ellipses.
    Ordered,
    /// An argument list: positional arguments in order, keyword arguments in any order.
    Arguments,
    /// In any order (dictionaries, objects, mappings).
    Unordered,
    /// A class body: each member of the pattern matches a distinct member, in any order, with any others
    /// around (as Semgrep matches class bodies); a member's decorators are a subset of the target's.
    Members,
}

/// A compiled pattern: one node, or a run of statements.
#[derive(Clone, Debug)]
pub enum Pattern {
    /// Matches a node anywhere.
    One(P),
    /// [`Pattern::One`] written with the statement terminator (`$R.addCookie($C);`): a match that is a
    /// whole expression statement takes its terminator into the range, as in Semgrep.
    Terminated(P),
    /// Matches a run of statements in a block.
    Statements(Vec<P>),
}

/// A pattern that does not compile.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{message}")]
pub struct PatternError {
    /// What is wrong, with the place in the pattern when known.
    pub message: String,
}

fn err(message: impl Into<String>) -> PatternError {
    PatternError {
        message: message.into(),
    }
}

/// Whether `s` is a metavariable name (`$X`, `$FOO_1`, `$_`).
pub fn is_metavariable(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('$') else {
        return false;
    };
    let mut chars = rest.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Rewrites a pattern into code the grammar parses (see the module documentation).
pub fn preprocess(lang: &Lang, text: &str) -> Result<String, PatternError> {
    preprocess_with(lang, text, &[]).map(|(code, _)| code)
}

/// Spellings of `...` tried, in order, where the plain one does not parse (a parameter needs a type and a
/// name in Java, a name and a type in Kotlin and Rust).
/// A statement in a block needs its terminator (`{ ... }` in Java or C#).
/// In C# an identifier alone is no statement, but a call is; annotation arguments take `name = value`.
const ELLIPSIS_SPELLINGS: &[&str] = &[
    "__PCE__",
    "__PCE__ __PCE__",
    "__PCE__: __PCE__",
    "__PCE__;",
    "__PCE__();",
    "__PCE__ = __PCE__",
    "**__PCE__",
];

/// Spellings of a metavariable: as an identifier, or quoted where the grammar wants a string
/// (`import $X from $MOD`).
/// The third spelling is a call, for a metavariable that stands for a statement where an identifier alone is
/// none (C#).
const META_SPELLINGS: usize = 3;
/// The suffix of a metavariable spelled as a call.
const CALLED: &str = "__PCCALL__()";

/// [`preprocess`] with the spelling of each `...` chosen by `choices` (index into [`ELLIPSIS_SPELLINGS`],
/// 0 past its end), also giving the byte offset of each `...` in the result.
fn preprocess_with(
    lang: &Lang,
    text: &str,
    choices: &[usize],
) -> Result<(String, Vec<(usize, usize)>), PatternError> {
    let mut offsets: Vec<usize> = Vec::new();
    let mut limits: Vec<usize> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut quote: Option<char> = None;
    let mut deep_open = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            // `${...}` in a template literal: any one substitution (`...` alone is no expression).
            if chars[i..].starts_with(&['$', '{', '.', '.', '.', '}']) {
                out.push_str("${");
                out.push_str(ELLIPSIS);
                out.push('}');
                i += 6;
                continue;
            }
            // Metavariables inside strings (`"...#{$X}..."`, `"$X"`) take the expando too; `...` stays.
            if c == '$' && lang.expando != '$' {
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                    .collect();
                if is_metavariable(&format!("${name}")) {
                    out.push(lang.expando);
                    out.push_str(&name);
                    i += 1 + name.chars().count();
                    continue;
                }
            }
            out.push(c);
            if c == '\\' {
                if let Some(&n) = chars.get(i + 1) {
                    out.push(n);
                    i += 1;
                }
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        if c == '<'
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|s| s == ['.', '.', '.'])
        {
            out.push_str(DEEP);
            out.push('(');
            deep_open += 1;
            i += 4;
            continue;
        }
        if rest == "..." && chars.get(i + 3) == Some(&'>') && deep_open > 0 {
            out.push(')');
            deep_open -= 1;
            i += 4;
            continue;
        }
        if c == '$'
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|s| s == ['.', '.', '.'])
        {
            let name: String = chars[i + 4..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            if !is_metavariable(&format!("${name}")) {
                return Err(err(format!("`$...` must be followed by a metavariable name, as in `$...ARGS`, at character {}", i + 1)));
            }
            out.push(lang.expando);
            out.push_str(SEQ);
            out.push_str(&name);
            i += 4 + name.chars().count();
            continue;
        }
        if rest == "..." {
            let keyword = lang.roles.ellipsis_statement;
            if !keyword.is_empty() && alone(&chars, i, 3) {
                out.push_str(keyword);
                out.push(' ');
            }
            offsets.push(out.len());
            limits.push(ELLIPSIS_SPELLINGS.len());
            let choice = choices.get(offsets.len() - 1).copied().unwrap_or(0);
            out.push_str(ELLIPSIS_SPELLINGS[choice.min(ELLIPSIS_SPELLINGS.len() - 1)]);
            // A `...` alone on its line is a statement: end it where the grammar wants statements ended.
            if !lang.statement_end.is_empty()
                && (alone(&chars, i, 3) || between_statements(&chars, i, 3))
            {
                out.push_str(lang.statement_end);
            }
            i += 3;
            continue;
        }
        if c == '$' {
            let name: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            if is_metavariable(&format!("${name}")) {
                // A metavariable alone on its line stands for a statement: spelled as `...` is there.
                let keyword = lang.roles.ellipsis_statement;
                if !keyword.is_empty() && alone(&chars, i, 1 + name.chars().count()) {
                    out.push_str(keyword);
                    out.push(' ');
                }
                offsets.push(out.len());
                limits.push(META_SPELLINGS);
                let spelling =
                    choices.get(offsets.len() - 1).copied().unwrap_or(0) % META_SPELLINGS;
                if spelling == 1 {
                    out.push('"');
                }
                out.push(lang.expando);
                out.push_str(&name);
                match spelling {
                    1 => out.push('"'),
                    2 => out.push_str(CALLED),
                    _ => {}
                }
                i += 1 + name.chars().count();
                continue;
            }
        }
        if matches!(c, '"' | '\'' | '`') {
            quote = Some(c);
        }
        out.push(c);
        i += 1;
    }
    if deep_open > 0 {
        return Err(err("`<...` without its closing `...>`"));
    }
    Ok((out, offsets.into_iter().zip(limits).collect()))
}

/// Whether the `len` characters at `i` stand alone on their line (only whitespace around them).
/// Whether the `...` at `i` stands between statements on one line (`free($X); ... $X = NULL;`, a YAML plain
/// scalar folding a pattern's lines into one): after a `;` or a brace, before more code.
fn between_statements(chars: &[char], i: usize, len: usize) -> bool {
    let before = chars[..i].iter().rev().find(|c| !c.is_whitespace());
    let spaced = chars.get(i + len).is_some_and(|c| c.is_whitespace());
    let after = chars[i + len..].iter().find(|c| !c.is_whitespace());
    matches!(before, Some(';' | '{' | '}'))
        && spaced
        && after.is_some_and(|c| !matches!(c, ';' | ')' | ',' | ']' | '}' | '.'))
}

fn alone(chars: &[char], i: usize, len: usize) -> bool {
    chars[..i]
        .iter()
        .rev()
        .take_while(|c| **c != '\n')
        .all(|c| c.is_whitespace())
        && chars[i + len..]
            .iter()
            .take_while(|c| **c != '\n')
            .all(|c| c.is_whitespace())
}

/// Compiled patterns by language and text: the same pattern recurs across rules (a method around the
/// match, a call), and finding a spelling that parses can take hundreds of parses.
type Memo = std::collections::HashMap<(&'static str, String), Result<Pattern, PatternError>>;

/// Most patterns kept compiled.
const MEMO_LIMIT: usize = 4096;

/// Compiles `text` as a pattern of `lang` (once per process for each language and text).
pub fn compile(lang: &'static Lang, text: &str) -> Result<Pattern, PatternError> {
    static MEMO: std::sync::OnceLock<std::sync::Mutex<Memo>> = std::sync::OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let key = (lang.name, text.to_string());
    if let Some(hit) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let result = compile_fresh(lang, text);
    if let Ok(mut m) = memo.lock() {
        // Bounded: a process compiling many distinct patterns (a fuzzer, a huge rule corpus) starts over.
        if m.len() >= MEMO_LIMIT {
            m.clear();
        }
        m.insert(key, result.clone());
    }
    result
}

fn compile_fresh(lang: &'static Lang, text: &str) -> Result<Pattern, PatternError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(err("the pattern is empty"));
    }
    let rewritten = (lang.rewrite)(trimmed);
    let (untyped, typed) = super::types::extract(lang, rewritten.as_ref())
        .map_err(|e| err(format!("typed metavariable: {e}")))?;
    let mut compiled = compile_untyped(lang, &untyped)?;
    if !lang.statement_end.is_empty() && untyped.trim_end().ends_with(lang.statement_end) {
        if let Pattern::One(p) = compiled {
            compiled = Pattern::Terminated(p);
        }
    }
    if !typed.is_empty() {
        match &mut compiled {
            Pattern::One(p) | Pattern::Terminated(p) => retype(p, &typed),
            Pattern::Statements(ps) => ps.iter_mut().for_each(|p| retype(p, &typed)),
        }
    }
    Ok(compiled)
}

/// Puts typed metavariables back where their placeholders parsed.
fn retype(p: &mut P, typed: &[super::types::Typed]) {
    match p {
        P::Meta(name) => {
            if let Some(t) = typed.iter().find(|t| *t.placeholder == **name) {
                *p = P::Typed(t.name.as_str().into(), t.ty.clone());
            }
        }
        P::Deep(inner) | P::Chain(inner) => retype(inner, typed),
        P::Node { kids, dotted, .. } => {
            kids.iter_mut().for_each(|k| retype(k, typed));
            if let Some(parts) = dotted {
                parts.iter_mut().for_each(|k| retype(k, typed));
            }
        }
        _ => {}
    }
}

/// [`compile`] of a pattern whose typed metavariables are placeholders.
fn compile_untyped(lang: &'static Lang, trimmed: &str) -> Result<Pattern, PatternError> {
    let mut choices: Vec<usize> = Vec::new();
    let (code, _) = preprocess_with(lang, trimmed, &choices)?;
    let (first_error, mut at) = match parse_attempts(lang, &code) {
        Ok(p) => return Ok(p),
        Err(e) => e,
    };
    // Each round moves one `...` or metavariable to its next spelling: the move that parses, else the one
    // that pushes the first syntax error furthest, a few rounds at most.
    for _ in 0..16 {
        let (_, sites) = preprocess_with(lang, trimmed, &choices)?;
        choices.resize(sites.len(), 0);
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, &(_, limit)) in sites.iter().enumerate() {
            for k in (0..limit).filter(|&k| k != choices[i]) {
                let mut c = choices.clone();
                c[i] = k;
                let (code, _) = preprocess_with(lang, trimmed, &c)?;
                match parse_attempts(lang, &code) {
                    Ok(p) => return Ok(p),
                    Err((_, at2)) => {
                        if best.is_none_or(|(_, _, b)| at2 > b) {
                            best = Some((i, k, at2));
                        }
                    }
                }
            }
        }
        match best {
            Some((i, k, at2)) if at2 > at => {
                choices[i] = k;
                at = at2;
            }
            _ => break,
        }
    }
    Err(first_error)
}

/// Parses the rewritten pattern alone, then inside each of the language's wrappers; on failure, the error
/// of the first attempt and the offset in `code` of its first syntax error.
fn parse_attempts(lang: &'static Lang, code: &str) -> Result<Pattern, (PatternError, usize)> {
    let direct = [("", "")];
    let ends: &[&str] = if lang.statement_end.is_empty() || code.ends_with(lang.statement_end) {
        &[""]
    } else {
        &["", lang.statement_end]
    };
    let attempts = direct
        .iter()
        .filter(|_| lang.direct)
        .chain(lang.wrappers.iter())
        .flat_map(|w| ends.iter().map(move |e| (w, e)));
    let mut first: Option<PatternError> = None;
    let mut furthest = 0;
    for ((before, after), stmt_end) in attempts {
        let full = format!("{}{before}{code}{stmt_end}{after}", lang.prefix);
        let start = lang.prefix.len() + before.len();
        let end = start + code.len();
        let tree = Tree::parse(lang, &full);
        match read_back(lang, &tree, &full, start as u32, end as u32) {
            Ok(p) => return Ok(p),
            Err(e) => {
                let at = tree
                    .errors()
                    .first()
                    .map(|&e| (tree.node(e).start as usize).saturating_sub(start))
                    .unwrap_or(code.len());
                furthest = furthest.max(at);
                first.get_or_insert(e);
            }
        }
    }
    Err((
        first.unwrap_or_else(|| err("the pattern does not parse")),
        furthest,
    ))
}

/// Reads the pattern back from the region `start..end` of its parse.
fn read_back(
    lang: &'static Lang,
    tree: &Tree,
    src: &str,
    start: u32,
    end: u32,
) -> Result<Pattern, PatternError> {
    if tree.is_empty() {
        return Err(err(format!("the {} grammar did not load", lang.name)));
    }
    if let Some(&e) = tree
        .errors()
        .iter()
        .find(|&&e| tree.node(e).end > start && tree.node(e).start < end.max(start + 1))
        .or(tree.errors().first())
    {
        let n = tree.node(e);
        let near: String = src
            .get(n.start as usize..)
            .unwrap_or("")
            .chars()
            .take(20)
            .collect();
        let near = near.replace(ELLIPSIS, "...").replace(DEEP, "<...");
        return Err(err(format!(
            "the pattern does not parse as {}: syntax error near `{}`",
            lang.name,
            near.trim()
        )));
    }
    // The region's end without a trailing `;`, which the grammar may leave outside the node.
    let region = src.get(start as usize..end as usize).unwrap_or("");
    let bare_end = start + region.trim_end().trim_end_matches(';').trim_end().len() as u32;
    // The outermost node spanning the region exactly, else the nodes that together make it up.
    let mut id: NodeId = 0;
    'down: loop {
        let n = tree.node(id);
        if n.start == start
            && (n.end == end || trim_end(tree, id, lang) == bare_end)
            && !lang.roles.blocks.contains(&n.kind)
        {
            // The innermost node with this span: a `modifiers` list around one annotation is the annotation.
            let mut id = id;
            loop {
                let kept: Vec<NodeId> = kept(lang, tree, id, src);
                match kept.as_slice() {
                    [only]
                        if tree.node(*only).named
                            && tree.node(*only).start == start
                            && (tree.node(*only).end == end
                                || trim_end(tree, *only, lang) == bare_end) =>
                    {
                        id = *only
                    }
                    _ => break,
                }
            }
            let id = strip(lang, tree, id, src);
            return Ok(Pattern::One(read_node(lang, tree, src, id, 0)?));
        }
        for &k in tree.kids(id) {
            let kn = tree.node(k);
            if kn.start <= start && kn.end >= end && kn.end > kn.start {
                id = k;
                continue 'down;
            }
        }
        break;
    }
    let parts: Vec<NodeId> = tree
        .kids(id)
        .iter()
        .copied()
        .filter(|&k| {
            let kn = tree.node(k);
            // The last statement's terminator may be the one added after the region.
            kn.start >= start
                && (kn.end <= end || trim_end(tree, k, lang) <= end)
                && keep(lang, tree, k, src)
        })
        .collect();
    let mut ps = Vec::new();
    for k in parts {
        ps.push(read_node(lang, tree, src, strip(lang, tree, k, src), 0)?);
    }
    match ps.len() {
        0 => Err(err("the pattern matches no code")),
        1 => Ok(Pattern::One(ps.remove(0))),
        _ => Ok(Pattern::Statements(ps)),
    }
}

/// A node's end without a trailing statement terminator or newline token.
fn trim_end(tree: &Tree, id: NodeId, lang: &Lang) -> u32 {
    let kids = tree.kids(id);
    match kids.last() {
        Some(&k) if lang.roles.separators.contains(&tree.node(k).kind) && kids.len() > 1 => {
            tree.node(kids[kids.len() - 2]).end
        }
        _ => tree.node(id).end,
    }
}

/// Whether a child takes part in matching (not a comment, not a separator).
pub fn keep(lang: &Lang, tree: &Tree, id: NodeId, src: &str) -> bool {
    keep_node(tree, id, src, skipped_kind(lang, tree.node(id)))
}

/// Whether nodes of `n`'s kind never take part in matching: comments and separator tokens.
pub fn skipped_kind(lang: &Lang, n: &crate::lang::tree::Node) -> bool {
    lang.roles.comments.contains(&n.kind) || (!n.named && lang.roles.separators.contains(&n.kind))
}

/// [`keep`], given [`skipped_kind`]'s answer for the node's kind.
pub fn keep_node(tree: &Tree, id: NodeId, src: &str, skipped: bool) -> bool {
    let n = tree.node(id);
    // Zero-width tokens (automatic semicolons, indentation markers) carry nothing to match.
    !n.extra && !skipped && (n.start < n.end || !tree.text(id, src).is_empty())
}

/// The children of `id` that take part in matching.
fn kept(lang: &Lang, tree: &Tree, id: NodeId, src: &str) -> Vec<NodeId> {
    tree.kids(id)
        .iter()
        .copied()
        .filter(|&k| keep(lang, tree, k, src))
        .collect()
}

/// Descends through wrappers that add nothing (an expression statement around its expression).
fn strip(lang: &Lang, tree: &Tree, mut id: NodeId, src: &str) -> NodeId {
    loop {
        let kept: Vec<NodeId> = kept(lang, tree, id, src);
        let n = tree.node(id);
        // A declaration keeps its keyword (`const $X = ...` does not match `let x = ...`, as in Semgrep).
        let wrapper = (lang.roles.expression_statements.contains(&n.kind)
            && !lang.roles.unterminated.contains(&n.kind))
            || lang.roles.blocks.contains(&n.kind)
            || n.kind == "ERROR";
        let named: Vec<NodeId> = kept
            .iter()
            .copied()
            .filter(|&k| tree.node(k).named)
            .collect();
        match named.as_slice() {
            [only] if wrapper => id = *only,
            _ => return id,
        }
    }
}

fn meta_name(lang: &Lang, text: &str) -> Option<(bool, String)> {
    let text = text.trim().trim_end_matches(';').trim_end();
    let text = text.strip_suffix(CALLED).unwrap_or(text);
    let rest = text.strip_prefix(lang.expando)?;
    if let Some(name) = rest.strip_prefix(SEQ) {
        return is_metavariable(&format!("${name}")).then(|| (true, format!("${name}")));
    }
    is_metavariable(&format!("${rest}")).then(|| (false, format!("${rest}")))
}

fn read_node(
    lang: &'static Lang,
    tree: &Tree,
    src: &str,
    id: NodeId,
    depth: usize,
) -> Result<P, PatternError> {
    if depth > MAX_PATTERN_DEPTH {
        return Err(err(format!(
            "the pattern nests deeper than {MAX_PATTERN_DEPTH} levels"
        )));
    }
    let n = tree.node(id);
    let text = tree.text(id, src);
    let bare = text.trim().trim_end_matches(';').trim_end();
    let keyword = lang.roles.ellipsis_statement;
    let (bare, text) = match bare.strip_prefix(keyword) {
        Some(rest)
            if !keyword.is_empty()
                && (rest.trim() == ELLIPSIS || meta_name(lang, rest).is_some()) =>
        {
            (rest.trim(), rest)
        }
        _ => (bare, text),
    };
    let mut words = bare
        .split(|c: char| c.is_whitespace() || c == ':' || c == '=' || c == ';')
        .map(|w| {
            w.trim_end_matches("()")
                .trim_start_matches('*')
                .trim_matches('"')
        })
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_some() && words.all(|w| w == ELLIPSIS) {
        return Ok(P::Ellipsis);
    }
    if let Some((seq, name)) = meta_name(lang, text) {
        let name: Name = name.into();
        let meta = if seq { P::MetaSeq(name) } else { P::Meta(name) };
        // A list written as one metavariable (`lambda $X: ...`) holds one element, not any list.
        return Ok(match lang.roles.element_lists.contains(&n.kind) && !seq {
            true => P::Node {
                kind: n.kind,
                kids: vec![meta],
                mode: Mode::Ordered,
                dotted: None,
            },
            false => meta,
        });
    }
    let interpolates = (id + 1..=tree.subtree_end(id)).any(|d| {
        let dn = tree.node(d);
        dn.named && crate::lang::interpolation_kind(dn.kind)
    });
    if lang.roles.strings.contains(&n.kind) && interpolates {
        // `"...#{$X}..."`: matched piece by piece, a `...` piece standing for any run of pieces.
        let mut kids = Vec::new();
        for &k in tree.kids(id) {
            if !keep(lang, tree, k, src) {
                continue;
            }
            let kt = tree.text(k, src);
            let kk = tree.node(k).kind;
            if kt.trim() == "..." && !crate::lang::interpolation_kind(kk) {
                kids.push(P::Ellipsis);
            } else {
                kids.push(read_node(lang, tree, src, k, depth + 1)?);
            }
        }
        return Ok(P::Node {
            kind: n.kind,
            kids,
            mode: Mode::Ordered,
            dotted: None,
        });
    }
    if lang.roles.strings.contains(&n.kind) {
        let value = unquote(text);
        if value == "..." {
            let prefix: String = text
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            let template = prefix.to_ascii_lowercase().contains('f') || text.starts_with('`');
            return Ok(P::AnyString(template));
        }
        if let Some(re) = value.strip_prefix("=~/") {
            let (body, flags) = re.rsplit_once('/').unwrap_or((re, ""));
            let pattern = if flags.contains('i') {
                format!("(?i){body}")
            } else {
                body.to_string()
            };
            let re = Re::new(&pattern, 1 << 20)
                .map_err(|e| err(format!("the string regex `{body}` does not compile: {e}")))?;
            return Ok(P::StringRegex(re));
        }
        let spelled = match value.strip_prefix(lang.expando) {
            Some(rest) if lang.expando != '$' => format!("${rest}"),
            _ => value.to_string(),
        };
        if is_metavariable(&spelled) {
            return Ok(P::StringMeta(spelled.into()));
        }
        return Ok(P::Str(value.to_string()));
    }
    let kids: Vec<NodeId> = kept(lang, tree, id, src);
    if bare.starts_with(DEEP) && bare.ends_with(')') {
        // `__PCDEEP__(P)`: P is the node spanning what the parentheses hold.
        let open = text.find('(').unwrap_or(0) + 1;
        let held = &bare[open..bare.len() - 1];
        let lead = held.len() - held.trim_start().len();
        let inner_start = n.start + (open + lead) as u32;
        let inner_end = inner_start + held.trim().len() as u32;
        let inner = (id..=tree.subtree_end(id))
            .find(|&d| {
                let dn = tree.node(d);
                dn.start == inner_start && dn.end == inner_end && dn.named
            })
            .ok_or_else(|| err("`<... ...>` holds nothing to match"))?;
        let inner = strip(lang, tree, inner, src);
        return Ok(P::Deep(Box::new(read_node(
            lang,
            tree,
            src,
            inner,
            depth + 1,
        )?)));
    }
    // A node whose text is not all in its children (a grammar that leaves `latest` of `:latest` as
    // the node's own text beside its `:`) matches by its whole text.
    if kids.is_empty() || !covered(tree, id, src) {
        return Ok(P::Token {
            kind: n.kind,
            text: text.to_string(),
        });
    }
    let mut out = Vec::with_capacity(kids.len() + 2);
    for k in kids {
        out.push(read_node(lang, tree, src, k, depth + 1)?);
    }
    // `$X. ...`: the receiver, then any run of `.name` and calls.
    if let [receiver, P::Token { text: dot, .. }, P::Ellipsis] = out.as_slice() {
        if matches!(dot.as_str(), "." | "?." | "->" | "::") {
            return Ok(P::Chain(Box::new(receiver.clone())));
        }
    }
    // `import 'm'` names only the module: it matches every import of it (`import x from 'm'`).
    if lang.roles.bare_imports.contains(&n.kind) && out.len() == 2 {
        out.insert(1, P::Ellipsis);
    }
    if lang.roles.deep_blocks.contains(&n.kind) && out.len() == 1 && !matches!(out[0], P::Ellipsis)
    {
        let only = out.remove(0);
        out.push(P::Deep(Box::new(only)));
    }
    let class_body = lang.roles.class_bodies.iter().any(|&(class, field)| {
        id != 0 && tree.node(n.parent).kind == class && tree.field(n.parent, field) == Some(id)
    });
    let mode = if class_body {
        Mode::Members
    } else if lang.roles.arguments.contains(&n.kind) {
        Mode::Arguments
    } else if lang.roles.unordered.contains(&n.kind) {
        Mode::Unordered
    } else {
        Mode::Ordered
    };
    let dotted = if lang.roles.members.contains(&n.kind) {
        dotted_pattern(&out)
    } else {
        None
    };
    Ok(P::Node {
        kind: n.kind,
        kids: out,
        mode,
        dotted,
    })
}

/// Whether the children of `id` hold all of its text but whitespace.
fn covered(tree: &Tree, id: NodeId, src: &str) -> bool {
    let n = tree.node(id);
    let mut at = n.start as usize;
    let blank = |a: usize, b: usize| src.get(a..b).is_none_or(|t| t.trim().is_empty());
    for &k in tree.kids(id) {
        let kn = tree.node(k);
        if !blank(at, kn.start as usize) {
            return false;
        }
        at = at.max(kn.end as usize);
    }
    blank(at, n.end as usize)
}

/// The parts of `a.b.$C` from a member node's compiled children, when every part is an identifier or a
/// metavariable.
fn dotted_pattern(kids: &[P]) -> Option<Vec<P>> {
    let mut parts = Vec::new();
    for k in kids {
        match k {
            P::Token { text, .. } if text == "." || text == "::" || text == "->" => {}
            P::Token { .. } | P::Meta(_) => parts.push(k.clone()),
            P::Node {
                dotted: Some(d), ..
            } => parts.extend(d.iter().cloned()),
            _ => return None,
        }
    }
    (parts.len() >= 2).then_some(parts)
}

/// The literal words a match of `p` must contain (identifiers and string values, at least three characters):
/// a file holding none of them cannot match.
pub fn literals(p: &P, out: &mut Vec<String>) {
    let mut stack = vec![p];
    while let Some(p) = stack.pop() {
        match p {
            P::Token { text, .. }
                if text.len() >= 3 && text.chars().all(|c| c.is_alphanumeric() || c == '_') =>
            {
                out.push(text.clone())
            }
            P::Str(v) if v.len() >= 3 && !v.contains('\\') => out.push(v.clone()),
            P::Deep(inner) | P::Chain(inner) => stack.push(inner),
            P::Node { kids, .. } => stack.extend(kids.iter()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::by_name;

    fn show(p: &P) -> String {
        match p {
            P::Ellipsis => "...".into(),
            P::Meta(n) | P::MetaSeq(n) => n.to_string(),
            P::Typed(n, _) => format!("typed {n}"),
            P::Deep(p) => format!("<... {} ...>", show(p)),
            P::Chain(p) => format!("{}. ...", show(p)),
            P::AnyString(_) => "\"...\"".into(),
            P::StringRegex(r) => format!("=~/{}/", r.as_str()),
            P::StringMeta(n) => format!("\"{n}\""),
            P::Str(s) => format!("{s:?}"),
            P::Token { text, .. } => text.clone(),
            P::Node { kind, kids, .. } => format!(
                "({kind} {})",
                kids.iter().map(show).collect::<Vec<_>>().join(" ")
            ),
        }
    }

    fn one(lang: &str, text: &str) -> String {
        match compile(by_name(lang).unwrap(), text).unwrap() {
            Pattern::One(p) | Pattern::Terminated(p) => show(&p),
            Pattern::Statements(ps) => ps.iter().map(show).collect::<Vec<_>>().join("; "),
        }
    }

    #[test]
    fn python_call_with_ellipsis_and_keyword() {
        assert_eq!(
            one("python", "requests.get(..., verify=False, ...)"),
            "(call (attribute requests . get) (argument_list ( ... (keyword_argument verify = False) ... )))"
        );
        assert_eq!(one("python", "$F($X)"), "(call $F (argument_list ( $X )))");
        assert_eq!(
            one("python", "foo($...ARGS)"),
            "(call foo (argument_list ( $ARGS )))"
        );
    }

    #[test]
    fn strings_by_value_and_regex() {
        assert_eq!(
            one("python", "f('...')"),
            "(call f (argument_list ( \"...\" )))"
        );
        assert_eq!(
            one("python", "f(\"a\")"),
            "(call f (argument_list ( \"a\" )))"
        );
        assert_eq!(
            one("javascript", "f(\"=~/^md5$/i\")"),
            "(call_expression f (arguments ( =~/(?i)^md5$/ )))"
        );
        assert_eq!(
            one("python", "f(\"$X\")"),
            "(call f (argument_list ( \"$X\" )))"
        );
    }

    #[test]
    fn statements_and_deep() {
        assert_eq!(
            one("python", "$X = open(...)\n...\n$X.close()"),
            "(assignment $X = (call open (argument_list ( ... )))); ...; (call (attribute $X . close) (argument_list ( )))"
        );
        assert_eq!(
            one("python", "eval(<... request ...>)"),
            "(call eval (argument_list ( <... request ...> )))"
        );
    }

    #[test]
    fn java_and_go_patterns_need_wrappers() {
        assert_eq!(
            one("java", "MessageDigest.getInstance(\"MD5\")"),
            "(method_invocation MessageDigest . getInstance (argument_list ( \"MD5\" )))"
        );
        assert!(one("java", "public void checkServerTrusted(...) { }")
            .starts_with("(method_declaration"));
        assert_eq!(
            one("go", "tls.Config{..., InsecureSkipVerify: true, ...}"),
            "(composite_literal (qualified_type tls . Config) (literal_value { ... (keyed_element (literal_element InsecureSkipVerify) : (literal_element true)) ... }))"
        );
        assert_eq!(
            one("javascript", "{rejectUnauthorized: false}"),
            "(object { (pair rejectUnauthorized : false) })"
        );
        assert!(
            one("php", "curl_setopt($CH, CURLOPT_SSL_VERIFYPEER, false)")
                .starts_with("(function_call_expression")
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let e = compile(by_name("python").unwrap(), "foo(").unwrap_err();
        assert!(
            e.message.contains("does not parse as python"),
            "{}",
            e.message
        );
        let e = compile(by_name("python").unwrap(), "f(<... x)").unwrap_err();
        assert!(e.message.contains("closing"), "{}", e.message);
        let e = compile(by_name("python").unwrap(), "  ").unwrap_err();
        assert_eq!(e.message, "the pattern is empty");
    }

    #[test]
    fn literals_of_a_pattern() {
        let Pattern::One(p) =
            compile(by_name("python").unwrap(), "requests.get($U, verify=False)").unwrap()
        else {
            panic!()
        };
        let mut l = Vec::new();
        literals(&p, &mut l);
        l.sort();
        assert_eq!(l, ["False", "get", "requests", "verify"]);
    }
}
