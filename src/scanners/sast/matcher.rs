//! The matcher: compiled [`Pattern`]s against one file's [`Tree`], with Semgrep's semantics — metavariables
//! that must bind equal code (compared token by token, not as text), ellipses over siblings, keyword arguments
//! in any order, unordered mappings, strings by value, constants propagated from single literal assignments,
//! and names resolved through the file's imports. It knows roles, not languages.
//!
//! Work is counted in steps against a per-file budget, so a pathological pattern or file stops at the same
//! point whatever the machine's load or thread count.

use super::pattern::{Mode, Pattern, P};
use crate::lang::{unquote, Lang, NodeId, Tree};
use foldhash::{HashMap, HashSet};
use std::borrow::Borrow;
use std::cell::{Cell, OnceCell};

/// What a metavariable bound: a node, or a run of siblings, as a range of node ids and of bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    /// First node id of the bound subtrees (pre-order).
    pub first: NodeId,
    /// Last node id (pre-order) of the bound subtrees; `last < first` for an empty run.
    pub last: NodeId,
    /// Byte range in the text.
    pub start: u32,
    /// End of the byte range.
    pub end: u32,
}

/// A metavariable's name (`$X`), shared: bindings copy it often.
pub type Name = std::sync::Arc<str>;

/// Metavariable bindings, in the order they were made.
pub type Env = Vec<(Name, Bound)>;

/// Identifiers assigned once from a literal, by scope and name: the literal and where its assignment ends
/// (`None`: assigned more than once or from something else).
type Constants<'a> = HashMap<(NodeId, &'a str), Option<(NodeId, u32)>>;

/// What to do with each way a pattern matches; true stops the search.
type K<'k> = &'k mut dyn FnMut(&mut Env) -> bool;

/// Ways one pattern may match at one node before the search stops there.
pub const MAX_SOLUTIONS: usize = 32;

/// One match: a byte range and what it bound.
#[derive(Clone, Debug)]
pub struct Match {
    /// Start byte.
    pub start: u32,
    /// End byte.
    pub end: u32,
    /// The bindings.
    pub env: Env,
}

/// The roles (see [`crate::lang::Roles`]) the matcher asks about at every step, worked out once per kind
/// and field in a file: a bit each.
#[derive(Clone, Copy)]
enum Role {
    Strings,
    Identifiers,
    Members,
    Arguments,
    KeywordArguments,
    Blocks,
    ExpressionStatements,
    Functions,
    Literals,
    Grouped,
    Decorated,
    Unterminated,
    Decorators,
    /// Possibly an optional part a pattern may leave out ([`Target::optional`] decides).
    MaybeOptional,
    /// A parenthesized expression (see [`crate::lang::Roles::parentheses`]).
    Parens,
    /// An exception handler of a `try`.
    Handlers,
    /// A statement listing names (see [`crate::lang::Roles::name_lists`]).
    NameLists,
    /// Never matched: a comment or a separator token (see [`super::pattern::keep`]).
    Skipped,
}

impl Role {
    /// The bits of the roles `n` plays in `lang`.
    fn of(lang: &Lang, n: &crate::lang::tree::Node) -> u32 {
        let r = &lang.roles;
        let lists: [(&[&str], Role); 16] = [
            (r.strings, Role::Strings),
            (r.identifiers, Role::Identifiers),
            (r.members, Role::Members),
            (r.arguments, Role::Arguments),
            (r.keyword_arguments, Role::KeywordArguments),
            (r.blocks, Role::Blocks),
            (r.expression_statements, Role::ExpressionStatements),
            (r.functions, Role::Functions),
            (r.literals, Role::Literals),
            (r.grouped, Role::Grouped),
            (r.decorated, Role::Decorated),
            (r.unterminated, Role::Unterminated),
            (r.decorators, Role::Decorators),
            (r.parentheses, Role::Parens),
            (r.handlers, Role::Handlers),
            (r.name_lists, Role::NameLists),
        ];
        let mut bits = 0u32;
        for (kinds, role) in lists {
            if kinds.contains(&n.kind) {
                bits |= 1 << role as u32;
            }
        }
        let optional = n.field == Some("alternative")
            || (!n.named && n.kind == "else")
            || r.optional.contains(&n.kind)
            || n.field
                .is_some_and(|f| r.optional.iter().any(|o| o.strip_prefix('@') == Some(f)));
        if optional {
            bits |= 1 << Role::MaybeOptional as u32;
        }
        if super::pattern::skipped_kind(lang, n) {
            bits |= 1 << Role::Skipped as u32;
        }
        bits
    }
}

/// One file as the matcher reads it: the tree, its text, and what is derived from them once.
pub struct Target<'a> {
    /// The file's language.
    pub lang: &'static Lang,
    /// Its tree.
    pub tree: &'a Tree,
    /// Its text.
    pub src: &'a str,
    kept: Vec<NodeId>,
    kept_at: Vec<(u32, u32)>,
    roles: Vec<u32>,
    by_kind: HashMap<&'static str, Vec<NodeId>>,
    aliases: HashMap<String, String>,
    constants: OnceCell<Constants<'a>>,
    /// Whether the running rule propagates constants (its `constant_propagation` option).
    propagate: Cell<bool>,
    types: OnceCell<super::types::Types>,
    steps: Cell<u64>,
    budget: u64,
}

impl<'a> Target<'a> {
    /// Prepares `tree` (of `src`, in `lang`) for matching, with a budget of `budget` steps.
    pub fn new(lang: &'static Lang, tree: &'a Tree, src: &'a str, budget: u64) -> Target<'a> {
        let mut kept = Vec::with_capacity(tree.len());
        let mut kept_at = Vec::with_capacity(tree.len());
        let mut by_kind: HashMap<&'static str, Vec<NodeId>> = HashMap::default();
        // Kind and field names are interned, so their addresses key the roles of each kind, field and
        // namedness (an anonymous token may share a named kind's name).
        let mut role_of: HashMap<(usize, usize, bool), u32> = HashMap::default();
        let mut roles = Vec::with_capacity(tree.len());
        for id in tree.ids() {
            let n = tree.node(id);
            let field = n.field.map_or(0, |f| f.as_ptr() as usize);
            let key = (n.kind.as_ptr() as usize, field, n.named);
            roles.push(*role_of.entry(key).or_insert_with(|| Role::of(lang, n)));
        }
        for id in tree.ids() {
            let start = kept.len() as u32;
            for &k in tree.kids(id) {
                // `pattern::keep`, its kind lists read once per kind.
                let skipped = roles[k as usize] & (1 << Role::Skipped as u32) != 0;
                if super::pattern::keep_node(tree, k, src, skipped) {
                    kept.push(k);
                }
            }
            kept_at.push((start, kept.len() as u32 - start));
            let n = tree.node(id);
            if !n.extra {
                by_kind.entry(n.kind).or_default().push(id);
            }
        }
        let aliases = (lang.imports)(tree, src)
            .into_iter()
            .filter(|(local, full)| local != full)
            .collect();
        Target {
            lang,
            tree,
            src,
            kept,
            kept_at,
            roles,
            by_kind,
            aliases,
            constants: OnceCell::new(),
            propagate: Cell::new(true),
            types: OnceCell::new(),
            steps: Cell::new(0),
            budget,
        }
    }

    /// Sets whether literals match the variables that hold them, for the rules that run next.
    pub fn propagate_constants(&self, on: bool) {
        self.propagate.set(on);
    }

    /// Whether literals match the variables that hold them.
    pub fn propagating(&self) -> bool {
        self.propagate.get()
    }

    /// The type of expression `id`, when the file's declarations tell it (see [`super::types`]).
    pub fn type_of(&self, id: NodeId) -> Option<String> {
        self.types
            .get_or_init(|| super::types::Types::collect(self.lang, self.tree, self.src))
            .of(self.lang, self.tree, self.src, id)
    }

    /// Whether expression `id` has type `ty`: its own type or, for a literal, one the language treats as
    /// the same (JavaScript's `2.5` is a `number` and a `float`; a declared `number` is not a `float`).
    pub fn has_type(&self, id: NodeId, ty: &super::types::TypePat) -> bool {
        let Some(d) = self.type_of(id) else {
            return false;
        };
        if ty.matches(&d) {
            return true;
        }
        let roles = &self.lang.roles;
        let kind = self.tree.node(id).kind;
        roles.literal_types.iter().any(|&(k, _)| k == kind)
            && roles
                .type_aliases
                .iter()
                .any(|&(a, b)| a == d && ty.matches(b))
    }

    /// Whether the step budget ran out.
    pub fn exhausted(&self) -> bool {
        self.steps.get() >= self.budget
    }

    /// Steps left of the budget.
    pub fn budget_left(&self) -> u64 {
        self.budget.saturating_sub(self.steps.get())
    }

    /// Counts steps spent on this file's behalf elsewhere (a nested parse of a metavariable's value).
    pub fn charge(&self, steps: u64) {
        self.steps.set(self.steps.get().saturating_add(steps));
    }

    /// Steps used so far.
    pub fn steps(&self) -> u64 {
        self.steps.get()
    }

    fn step(&self) -> bool {
        let s = self.steps.get() + 1;
        self.steps.set(s);
        s < self.budget
    }

    /// The children of `id` that take part in matching.
    fn kids(&self, id: NodeId) -> &[NodeId] {
        let (s, l) = self.kept_at[id as usize];
        &self.kept[s as usize..(s + l) as usize]
    }

    fn text(&self, id: NodeId) -> &'a str {
        self.tree.text(id, self.src)
    }

    /// Whether node `id` plays `role`.
    fn has(&self, id: NodeId, role: Role) -> bool {
        self.roles[id as usize] & (1 << role as u32) != 0
    }

    /// Every match of `pattern` in the file, in tree order: every way it matches (each set of bindings, up
    /// to [`MAX_SOLUTIONS`] per node), so that conditions on the bindings can pick among them.
    pub fn find(&self, pattern: &Pattern) -> Vec<Match> {
        let mut out = Vec::new();
        match pattern {
            Pattern::One(p) | Pattern::Terminated(p) => {
                let terminated = matches!(pattern, Pattern::Terminated(_));
                for id in self.candidates(p) {
                    if self.exhausted() {
                        break;
                    }
                    // The range is worked out once, at the first match: most candidates do not match.
                    let mut range = None;
                    let mut found = 0;
                    self.node(p, id, &mut Env::new(), &mut |env| {
                        let (start, end) = *range.get_or_insert_with(|| self.range(id, terminated));
                        out.push(Match {
                            start,
                            end,
                            env: env.clone(),
                        });
                        found += 1;
                        found >= MAX_SOLUTIONS
                    });
                }
            }
            Pattern::Statements(ps) => {
                for &kind in self.lang.roles.blocks {
                    for &block in self.by_kind.get(kind).map(Vec::as_slice).unwrap_or(&[]) {
                        let kids = self.kids(block);
                        if self.decorated_member(ps) && self.is_class_body(block) {
                            self.find_decorated(ps, kids, &mut out);
                            continue;
                        }
                        for i in 0..kids.len() {
                            if self.exhausted() {
                                break;
                            }
                            let first = self.tree.node(kids[i]);
                            let mut found = 0;
                            self.statements(
                                ps,
                                &kids[i..],
                                false,
                                &mut Env::new(),
                                &mut |env, last| {
                                    let end = match last {
                                        None => first.end,
                                        Some(l) => self.match_end(l),
                                    };
                                    out.push(Match {
                                        start: first.start,
                                        end,
                                        env: env.clone(),
                                    });
                                    found += 1;
                                    found >= MAX_SOLUTIONS
                                },
                            );
                        }
                    }
                }
                out.sort_by_key(|m| (m.start, m.end));
            }
        }
        out
    }

    /// The range a match at `id` reports: from its first decorator to its content's end, or for a
    /// `terminated` (statement) pattern through its terminator.
    fn range(&self, id: NodeId, terminated: bool) -> (u32, u32) {
        let id = self.parenthesized(id);
        let mut end = self.match_end(id);
        let mut start = self.decorated_start(id);
        if terminated {
            match self.terminator_end(id) {
                Some(e) => end = e,
                // A statement pattern matches the statement that holds the expression
                // (`Cipher c = Cipher.getInstance(...);`), as in Semgrep.
                None => {
                    if let Some(st) = self.holding_statement(id) {
                        start = self.tree.node(st).start;
                        end = self.match_end(st);
                    }
                }
            }
        }
        (start, end)
    }

    /// The outermost parenthesized expression around `id` that holds nothing else, short of a statement's
    /// own parentheses (`if (...)` in C-like languages); `id` itself when there is none.
    fn parenthesized(&self, mut id: NodeId) -> NodeId {
        while id != 0 {
            let parent = self.tree.node(id).parent;
            if !self.has(parent, Role::Parens)
                || self.only_named(parent) != Some(id)
                || self
                    .lang
                    .roles
                    .syntax_parentheses
                    .contains(&self.tree.node(self.tree.node(parent).parent).kind)
            {
                break;
            }
            id = parent;
        }
        id
    }

    /// What a parenthesized expression holds (through nested parentheses), or `t` itself.
    fn unparen(&self, mut t: NodeId) -> NodeId {
        while self.has(t, Role::Parens) {
            match self.only_named(t) {
                Some(only) => t = only,
                None => break,
            }
        }
        t
    }

    /// The only named child of `t` that takes part in matching, if it has exactly one.
    fn only_named(&self, t: NodeId) -> Option<NodeId> {
        let mut named = self
            .kids(t)
            .iter()
            .copied()
            .filter(|&k| self.tree.node(k).named);
        match (named.next(), named.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// Whether a statement pattern is decorators and the member they decorate (`@Get() f() {}`).
    fn decorated_member(&self, ps: &[P]) -> bool {
        let decorators = self.lang.roles.decorators;
        let mut items = ps.iter().filter(|p| !matches!(p, P::Ellipsis));
        let is_decorator = |p: &P| matches!(p, P::Node { kind, .. } if decorators.contains(kind));
        items.next().is_some_and(is_decorator) && items.filter(|p| !is_decorator(p)).count() == 1
    }

    /// Whether `id` is the body of a class, whose members match in any order.
    fn is_class_body(&self, id: NodeId) -> bool {
        let parent = self.tree.node(id).parent;
        id != 0
            && self.lang.roles.class_bodies.iter().any(|&(class, field)| {
                self.tree.node(parent).kind == class && self.tree.field(parent, field) == Some(id)
            })
    }

    /// Matches of a decorated-member pattern in a class body: each member with the decorators before it,
    /// the pattern's decorators a subset of the member's in any order, the match starting at the member's
    /// first decorator (as in Semgrep).
    fn find_decorated(&self, ps: &[P], kids: &[NodeId], out: &mut Vec<Match>) {
        let mut group = 0;
        for (j, &kid) in kids.iter().enumerate() {
            if self.exhausted() {
                break;
            }
            if self.has(kid, Role::Decorators) || !self.tree.node(kid).named {
                continue;
            }
            let first = kids[group..j]
                .iter()
                .find(|&&d| self.has(d, Role::Decorators));
            let start = self.tree.node(*first.unwrap_or(&kid)).start;
            let end = self.match_end(kid);
            let mut found = 0;
            self.members(ps, &kids[group..=j], &mut Env::new(), &mut |env| {
                out.push(Match {
                    start,
                    end,
                    env: env.clone(),
                });
                found += 1;
                found >= MAX_SOLUTIONS
            });
            group = j + 1;
        }
    }

    /// The end of the statement terminator after `id` when `id` is the whole of an expression statement.
    fn terminator_end(&self, id: NodeId) -> Option<u32> {
        let n = self.tree.node(id);
        let parent = self.tree.node(n.parent);
        if id == 0 || !self.has(n.parent, Role::ExpressionStatements) {
            return None;
        }
        let last = *self.tree.kids(n.parent).last()?;
        (self.text(last) == self.lang.statement_end && parent.start == n.start)
            .then_some(parent.end)
    }

    /// The statement of a block that holds `id` with no block or function between them.
    fn holding_statement(&self, id: NodeId) -> Option<NodeId> {
        let mut cur = id;
        while cur != 0 {
            let parent = self.tree.node(cur).parent;
            if self.has(parent, Role::Blocks) {
                return (cur != id).then_some(cur);
            }
            if self.has(cur, Role::Blocks) || self.has(cur, Role::Functions) {
                return None;
            }
            cur = parent;
        }
        None
    }

    /// Where a match of `id` starts: at its first decorator when it is a decorated definition.
    fn decorated_start(&self, id: NodeId) -> u32 {
        let n = self.tree.node(id);
        if id != 0 && self.has(n.parent, Role::Decorated) {
            return self.tree.node(n.parent).start;
        }
        n.start
    }

    /// Where a match of `id` ends: its content's end, before its own terminator for the kinds Semgrep
    /// reports without it.
    fn match_end(&self, id: NodeId) -> u32 {
        if self.has(id, Role::Unterminated) {
            if let [.., before, last] = self.tree.kids(id) {
                if self.text(*last) == self.lang.statement_end {
                    return self.content_end(*before);
                }
            }
        }
        self.content_end(id)
    }

    /// Where a node's code ends: at its last token that is no comment, nor a closing bracket the language
    /// ignores (a YAML mapping counts the comments after its last pair in; Semgrep ends a flow sequence at
    /// its last element).
    fn content_end(&self, mut id: NodeId) -> u32 {
        loop {
            let last = self.tree.kids(id).iter().rev().copied().find(|&k| {
                let n = self.tree.node(k);
                // Real comments only: the quotes HCL's roles skip in matching still end a string.
                !n.extra
                    && !n.kind.contains("comment")
                    && (n.named
                        || !matches!(n.kind, "]" | "}")
                        || !self.lang.roles.separators.contains(&n.kind))
            });
            match last {
                Some(k) => id = k,
                None => return self.tree.node(id).end,
            }
        }
    }

    /// The nodes a pattern can match at all.
    fn candidates(&self, p: &P) -> Vec<NodeId> {
        let all = || {
            self.tree
                .ids()
                .filter(|&id| {
                    let n = self.tree.node(id);
                    n.named && !n.extra && id != 0
                })
                .collect()
        };
        let mut ids: Vec<NodeId> = match p {
            P::Node { kind, dotted, .. } => {
                let mut v = self.by_kind.get(kind).cloned().unwrap_or_default();
                for (pk, tk) in self.lang.roles.equivalent {
                    if pk == kind {
                        v.extend(self.by_kind.get(tk).into_iter().flatten());
                    }
                }
                if dotted.is_some() {
                    for k in self
                        .lang
                        .roles
                        .identifiers
                        .iter()
                        .chain(self.lang.roles.members)
                    {
                        v.extend(self.by_kind.get(k).into_iter().flatten());
                    }
                }
                v
            }
            P::Token { kind, .. } => {
                let mut v = self.by_kind.get(kind).cloned().unwrap_or_default();
                for k in self.lang.roles.identifiers {
                    if k != kind {
                        v.extend(self.by_kind.get(k).into_iter().flatten());
                    }
                }
                v
            }
            P::AnyString(_) | P::StringRegex(_) | P::StringMeta(_) | P::Str(_) => self
                .lang
                .roles
                .strings
                .iter()
                .flat_map(|k| self.by_kind.get(k).into_iter().flatten().copied())
                .collect(),
            _ => all(),
        };
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn bind(&self, name: &Name, bound: Bound, env: &mut Env) -> bool {
        if &**name == "$_" {
            return true;
        }
        if let Some((_, prev)) = env.iter().find(|(n, _)| n == name) {
            return self.same_code(*prev, bound);
        }
        env.push((name.clone(), bound));
        true
    }

    fn bound_node(&self, id: NodeId) -> Bound {
        let n = self.tree.node(id);
        Bound {
            first: id,
            last: self.tree.subtree_end(id),
            start: n.start,
            end: n.end,
        }
    }

    fn bound_run(&self, ids: &[NodeId]) -> Bound {
        match (ids.first(), ids.last()) {
            (Some(&f), Some(&l)) => Bound {
                first: f,
                last: self.tree.subtree_end(l),
                start: self.tree.node(f).start,
                end: self.tree.node(l).end,
            },
            _ => Bound {
                first: 1,
                last: 0,
                start: 0,
                end: 0,
            },
        }
    }

    /// Whether two bindings hold the same code: the same tokens, strings compared by value.
    pub fn same_code(&self, a: Bound, b: Bound) -> bool {
        let mut x = self.leaves(a);
        let mut y = self.leaves(b);
        loop {
            self.steps.set(self.steps.get() + 1);
            match (x.next(), y.next()) {
                (None, None) => return true,
                (Some(p), Some(q)) => {
                    if p != q {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    /// The tokens of a binding: each leaf's text, and each string literal as its value with its prefix
    /// (`b`, `f`, `r`…), so that a string never equals a name of the same text and bytes never equal text.
    fn leaves(&self, b: Bound) -> impl Iterator<Item = (Option<&'a str>, &'a str)> + '_ {
        let mut id = b.first;
        std::iter::from_fn(move || {
            while id <= b.last {
                let cur = id;
                let n = self.tree.node(cur);
                if n.extra || self.lang.roles.comments.contains(&n.kind) {
                    id = self.tree.subtree_end(cur) + 1;
                    continue;
                }
                if self.lang.roles.strings.contains(&n.kind) {
                    id = self.tree.subtree_end(cur) + 1;
                    let text = self.text(cur);
                    let prefix_len = text.len()
                        - text
                            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                            .len();
                    return Some((Some(&text[..prefix_len]), unquote(text)));
                }
                id += 1;
                if self.tree.kids(cur).is_empty()
                    && (n.named
                        || !matches!(n.kind, "]" | "}")
                        || !self.lang.roles.separators.contains(&n.kind))
                {
                    return Some((None, self.text(cur)));
                }
            }
            None
        })
    }

    /// Matches one pattern node against one target node: `k` is called with the bindings of every way it
    /// matches, until it returns true (stop). Returns whether it was stopped; the bindings are as they were
    /// unless it was.
    fn node(&self, p: &P, t: NodeId, env: &mut Env, k: K<'_>) -> bool {
        if !self.step() {
            return false;
        }
        // An expression statement stands for its expression (the pattern's own wrapper was stripped).
        let t = match p {
            P::Node { kind, .. } if self.lang.roles.expression_statements.contains(kind) => t,
            P::Ellipsis | P::Meta(_) | P::MetaSeq(_) | P::Typed(..) => t,
            _ => self.unwrap_statement(t),
        };
        // Parentheses group, they add nothing to match: `"..." % locals()` matches `"..." % (locals())`.
        let t = match p {
            _ if !self.has(t, Role::Parens) => t,
            P::Node { kind, .. } if self.lang.roles.parentheses.contains(kind) => t,
            P::Ellipsis | P::Meta(_) | P::MetaSeq(_) | P::Typed(..) | P::Deep(_) => t,
            _ => self.unparen(t),
        };
        let tn = self.tree.node(t);
        match p {
            P::Ellipsis => k(env),
            P::Meta(name) | P::MetaSeq(name) => self.bind_then(name, self.bound_node(t), env, k),
            P::Typed(name, ty) => {
                self.has_type(t, ty) && self.bind_then(name, self.bound_node(t), env, k)
            }
            P::Deep(inner) => {
                let end = self.tree.subtree_end(t);
                for d in t..=end {
                    let dn = self.tree.node(d);
                    if !dn.named || dn.extra {
                        continue;
                    }
                    if self.node(inner, d, env, k) {
                        return true;
                    }
                    if self.exhausted() {
                        return false;
                    }
                }
                false
            }
            P::Chain(receiver) => {
                let mut cur = Some(t);
                while let Some(c) = cur {
                    if self.node(receiver, c, env, k) {
                        return true;
                    }
                    if self.exhausted() {
                        return false;
                    }
                    cur = self.receiver(c);
                }
                false
            }
            P::AnyString(template) => {
                // An identifier holding a constant string matches as that string (constant propagation).
                let s = match self.has(t, Role::Identifiers) {
                    true => self.constant(t).filter(|&c| self.has(c, Role::Strings)),
                    false => Some(t).filter(|&t| self.has(t, Role::Strings)),
                };
                s.is_some_and(|s| {
                    if *template {
                        self.formatted(s)
                    } else {
                        !self.interpolated(s)
                    }
                }) && k(env)
            }
            P::StringRegex(re) => self.folded_value(t).is_some_and(|v| re.is_match(&v)) && k(env),
            P::StringMeta(name) => {
                // `"$X"` binds the string's contents, without its quotes (as Semgrep binds it).
                self.has(t, Role::Strings) && {
                    let mut b = self.bound_node(t);
                    let text = self.text(t);
                    let value = unquote(text);
                    let off = value.as_ptr() as usize - text.as_ptr() as usize;
                    if off + value.len() <= text.len() {
                        b.start += off as u32;
                        b.end = b.start + value.len() as u32;
                    }
                    self.bind_then(name, b, env, k)
                }
            }
            P::Str(v) => self.folded_value(t).is_some_and(|s| s == *v) && k(env),
            P::Token { kind, text } => self.token(kind, text, t) && k(env),
            P::Node {
                kind,
                kids,
                mode,
                dotted,
            } => {
                let mut called = false;
                if tn.kind == *kind || self.lang.roles.equivalent.contains(&(*kind, tn.kind)) {
                    let all = self.kids(t);
                    let filtered: Vec<NodeId>;
                    let tk =
                        if *mode == Mode::Ordered && all.iter().any(|&c| self.optional(c, kids)) {
                            filtered = all
                                .iter()
                                .copied()
                                .filter(|&c| !self.optional(c, kids))
                                .collect();
                            &filtered[..]
                        } else {
                            all
                        };
                    let mut k2 = |env: &mut Env| {
                        called = true;
                        k(env)
                    };
                    let stopped = match mode {
                        Mode::Ordered if self.has(t, Role::Blocks) => {
                            self.block(kids, tk, env, &mut k2)
                        }
                        Mode::Ordered => self.ordered(t, kids, tk, env, &mut k2),
                        Mode::Arguments => self.arguments(kids, tk, env, &mut k2),
                        Mode::Unordered => self.unordered(kids, tk, env, &mut k2),
                        Mode::Members => self.members(kids, tk, env, &mut k2),
                    };
                    if stopped {
                        return true;
                    }
                }
                match dotted {
                    Some(parts) if !called => self.dotted_match(parts, t, env, k),
                    _ => false,
                }
            }
        }
    }

    /// What a member access or a call is made on (`a.b` of `a.b.c` and of `a.b()`), for `$X. ... .f()`.
    fn receiver(&self, t: NodeId) -> Option<NodeId> {
        let chained = self.has(t, Role::Members)
            || self.kids(t).iter().any(|&c| self.has(c, Role::Arguments));
        if !chained {
            return None;
        }
        [
            "object",
            "function",
            "receiver",
            "operand",
            "expression",
            "value",
        ]
        .iter()
        .find_map(|f| self.tree.field(t, f))
        .or_else(|| {
            self.kids(t).iter().copied().find(|&c| {
                let n = self.tree.node(c);
                n.named && !n.extra
            })
        })
        .filter(|&r| r != t)
    }

    /// Whether target child `c` is an optional part (modifiers, annotations, a `throws` clause) that the
    /// pattern leaves out, and so matches anything.
    fn optional(&self, c: NodeId, pattern_kids: &[P]) -> bool {
        if !self.has(c, Role::MaybeOptional) {
            return false;
        }
        let n = self.tree.node(c);
        let kind = n.kind;
        // An `if` pattern without `else` matches an `if` with one, as in Semgrep.
        if n.field == Some("alternative") || (!n.named && kind == "else") {
            return !pattern_kids.iter().any(|p| match p {
                P::Token { text, .. } => text == "else",
                P::Node { kind, .. } => kind.contains("else") || kind.contains("elif"),
                _ => false,
            });
        }
        // `@field`: a part that fills this field (a Go function's result type), left out of the pattern.
        if let Some(f) = n.field {
            if self
                .lang
                .roles
                .optional
                .iter()
                .any(|o| o.strip_prefix('@') == Some(f))
            {
                return pattern_kids.len() < self.kids(n.parent).len();
            }
        }
        self.lang.roles.optional.contains(&kind)
            && !pattern_kids.iter().any(
                |p| matches!(p, P::Node { kind: k, .. } | P::Token { kind: k, .. } if *k == kind),
            )
    }

    /// Binds `name` (or checks it binds equal code), then continues.
    fn bind_then(&self, name: &Name, bound: Bound, env: &mut Env, k: K<'_>) -> bool {
        let save = env.len();
        if self.bind(name, bound, env) && k(env) {
            return true;
        }
        env.truncate(save);
        false
    }

    /// A token against a node: the same text, or an identifier that stands for it (an import alias, a
    /// constant holding the literal).
    fn token(&self, kind: &str, text: &str, t: NodeId) -> bool {
        let tn = self.tree.node(t);
        let tt = self.text(t);
        if tt == text && (tn.kind == kind || self.tree.kids(t).is_empty()) {
            return true;
        }
        if tn.kind == tt && self.lang.roles.equivalent.contains(&(text, tt)) {
            return true;
        }
        if self.has(t, Role::Identifiers) {
            if self.aliases.get(tt).is_some_and(|full| full == text) {
                return true;
            }
            if self.lang.roles.literals.contains(&kind) {
                if let Some(c) = self.constant(t) {
                    return self.text(c) == text;
                }
            }
        }
        false
    }

    fn unwrap_statement(&self, t: NodeId) -> NodeId {
        if !self.has(t, Role::ExpressionStatements) {
            return t;
        }
        self.only_named(t).unwrap_or(t)
    }

    /// Whether a string literal interpolates code (an f-string, a template literal with `${}`): it is then
    /// not a constant string, and `"..."` does not match it.
    fn interpolated(&self, t: NodeId) -> bool {
        (t + 1..=self.tree.subtree_end(t)).any(|d| {
            let n = self.tree.node(d);
            n.named && crate::lang::interpolation_kind(n.kind)
        })
    }

    /// Whether a string literal is a template (`f"…"`, `` `…` ``), interpolating or not.
    fn formatted(&self, t: NodeId) -> bool {
        let text = self.text(t);
        let prefix: String = text
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        prefix.to_ascii_lowercase().contains('f') || text.starts_with('`') || self.interpolated(t)
    }

    /// A string literal's value, or the value of the string constant an identifier holds.
    fn string_value(&self, t: NodeId) -> Option<&'a str> {
        if self.has(t, Role::Strings) {
            // Adjacent literals (Python's `"a" "b"`) have no one value in the text: see `folded`.
            if self.interpolated(t) || self.kids(t).iter().any(|&c| self.has(c, Role::Strings)) {
                return None;
            }
            return Some(unquote(self.text(t)));
        }
        if self.has(t, Role::Identifiers) {
            let c = self.constant(t)?;
            if self.has(c, Role::Strings) {
                return Some(unquote(self.text(c)));
            }
        }
        None
    }

    /// [`Self::string_value`], or the value of a concatenation of constant strings (`"m" + "d5"`, Python's
    /// `"m" "d5"`), as Semgrep folds them.
    fn folded_value(&self, t: NodeId) -> Option<std::borrow::Cow<'a, str>> {
        if let Some(v) = self.string_value(t) {
            return Some(std::borrow::Cow::Borrowed(v));
        }
        self.folded(t, 0).map(std::borrow::Cow::Owned)
    }

    fn folded(&self, t: NodeId, depth: usize) -> Option<String> {
        const MAX_FOLD_DEPTH: usize = 16;
        if depth > MAX_FOLD_DEPTH || !self.step() {
            return None;
        }
        let part = |c: NodeId| match self.string_value(c) {
            Some(v) => Some(v.to_string()),
            None => self.folded(c, depth + 1),
        };
        let kids = self.kids(t);
        match kids {
            [l, op, r] if self.text(*op) == "+" => Some(part(*l)? + &part(*r)?),
            // Adjacent literals (`"a" "b"`).
            [_, _, ..] if kids.iter().all(|&c| self.has(c, Role::Strings)) => {
                kids.iter().map(|&c| self.string_value(c)).collect()
            }
            _ => None,
        }
    }

    /// The parts of `a.b.c` for an identifier or a member access of identifiers, the first name resolved
    /// through imports (`AES` imported from `Crypto.Cipher` is `Crypto`, `Cipher`, `AES`, all at the node
    /// `AES`).
    fn dotted(&self, t: NodeId) -> Option<Vec<(&str, NodeId, bool)>> {
        let mut parts: Vec<(&str, NodeId, bool)> = Vec::new();
        let mut cur = t;
        let head = loop {
            if self.has(cur, Role::Identifiers) {
                break cur;
            }
            if !self.has(cur, Role::Members) {
                return None;
            }
            let named: Vec<NodeId> = self
                .kids(cur)
                .iter()
                .copied()
                .filter(|&k| self.tree.node(k).named)
                .collect();
            let [object, .., property] = named.as_slice() else {
                return None;
            };
            if !self.has(*property, Role::Identifiers) || parts.len() > 64 {
                return None;
            }
            parts.push((self.text(*property), *property, true));
            cur = *object;
        };
        let name = self.text(head);
        match self.aliases.get(name) {
            Some(full) => {
                // The alias stands for the last name of what it imports (`AESX` for `AES`).
                for (i, seg) in full.rsplit('.').enumerate() {
                    parts.push((seg, head, i == 0));
                }
            }
            None => parts.push((name, head, true)),
        }
        parts.reverse();
        Some(parts)
    }

    /// A dotted pattern (`Crypto.Cipher.$ALG.new`) against a target name resolved through imports; a
    /// metavariable binds the node of its part when the part is that node's whole name.
    fn dotted_match(&self, parts: &[P], t: NodeId, env: &mut Env, k: K<'_>) -> bool {
        let Some(mut target) = self.dotted(t) else {
            return false;
        };
        // A leading metavariable takes the whole module path an imported name stands for (`$LOG.$M(...)`
        // matches `warn(...)` after `from warnings import warn`, as in Semgrep), bound to the name.
        let module = matches!(parts.first(), Some(P::Meta(_))) && target.len() >= parts.len() && {
            let extra = target.len() - parts.len();
            let head = target[0].1;
            target.len() > 1 && target[..=extra + 1].iter().all(|&(_, n, _)| n == head) && {
                target.drain(..extra);
                true
            }
        };
        if target.len() != parts.len() {
            return false;
        }
        let save = env.len();
        for (i, (p, (seg, node, bindable))) in parts.iter().zip(&target).enumerate() {
            let ok = match p {
                P::Token { text, .. } => text == seg,
                P::Meta(name) => {
                    (*bindable || (module && i == 0))
                        && self.bind(name, self.bound_node(*node), env)
                }
                _ => false,
            };
            if !ok {
                env.truncate(save);
                return false;
            }
        }
        if k(env) {
            return true;
        }
        env.truncate(save);
        false
    }

    /// The literal an identifier holds when it was assigned exactly once in its function (or the file),
    /// from a literal, before this use.
    fn constant(&self, t: NodeId) -> Option<NodeId> {
        if !self.propagate.get() {
            return None;
        }
        let map = self.constants.get_or_init(|| self.collect_constants());
        let name = self.text(t);
        let use_at = self.tree.node(t).start;
        let mut scope = t;
        loop {
            scope = self.scope_of(scope);
            if let Some(entry) = map.get(&(scope, name)) {
                return match entry {
                    Some((lit, at)) if *at <= use_at && *lit != t => Some(*lit),
                    _ => None,
                };
            }
            if scope == 0 {
                return None;
            }
        }
    }

    /// The nearest proper ancestor of `id` that `stop` picks.
    fn ancestor(&self, id: NodeId, stop: impl Fn(NodeId) -> bool) -> Option<NodeId> {
        let mut cur = id;
        while cur != 0 {
            cur = self.tree.node(cur).parent;
            if stop(cur) {
                return Some(cur);
            }
        }
        None
    }

    /// Whether statement `id` stands directly in a class body (no function between them).
    fn in_class_body(&self, id: NodeId) -> bool {
        self.ancestor(id, |c| {
            self.has(c, Role::Functions) || self.is_class_body(c)
        })
        .is_some_and(|c| !self.has(c, Role::Functions))
    }

    /// The function around `id`, or 0 (the file).
    fn scope_of(&self, id: NodeId) -> NodeId {
        self.ancestor(id, |c| self.has(c, Role::Functions))
            .unwrap_or(0)
    }

    fn collect_constants(&self) -> Constants<'a> {
        let mut map = Constants::default();
        // Names a function declares the module's (`global x`): its assignments to them are the module's,
        // so the module's `x = None` is no constant once a function assigns `x` too.
        let mut global: HashSet<(NodeId, &'a str)> = HashSet::default();
        for &kind in self.lang.roles.global_declarations {
            for &d in self.by_kind.get(kind).into_iter().flatten() {
                let scope = self.scope_of(d);
                for &n in self.kids(d) {
                    if self.has(n, Role::Identifiers) {
                        global.insert((scope, self.text(n)));
                    }
                }
            }
        }
        for &(kind, left, right) in self.lang.roles.assignments {
            for &a in self.by_kind.get(kind).into_iter().flatten() {
                let (Some(l), Some(r)) = (self.tree.field(a, left), self.tree.field(a, right))
                else {
                    continue;
                };
                let (l, r) = (self.single(l), self.unparen(self.single(r)));
                if !self.has(l, Role::Identifiers) {
                    continue;
                }
                let literal = self.has(r, Role::Literals) || self.has(r, Role::Strings);
                let name = self.text(l);
                let mut scope = self.scope_of(a);
                if global.contains(&(scope, name)) {
                    scope = 0;
                } else if self.in_class_body(a) {
                    // A class attribute: no name a method reads bare.
                    continue;
                }
                let key = (scope, name);
                let value = literal.then_some((r, self.tree.node(a).end));
                map.entry(key).and_modify(|e| *e = None).or_insert(value);
            }
        }
        map
    }

    /// The only named child of a one-element list node (Go's `expression_list`), else the node.
    fn single(&self, id: NodeId) -> NodeId {
        let named: Vec<NodeId> = self
            .kids(id)
            .iter()
            .copied()
            .filter(|&k| self.tree.node(k).named)
            .collect();
        match named.as_slice() {
            [only] if self.tree.node(id).kind.ends_with("_list") => *only,
            _ => id,
        }
    }

    /// A run of statements from the first of `ts`, the pattern possibly ending before they do; `k` gets the
    /// last statement matched. A `...` followed by more statements reaches into nested blocks, as Semgrep's
    /// deep statement matching does: what follows it is matched on the statements after it in document
    /// order, nested ones included (`flat`: they already are), closures' bodies too.
    fn statements(
        &self,
        ps: &[P],
        ts: &[NodeId],
        flat: bool,
        env: &mut Env,
        k: &mut dyn FnMut(&mut Env, Option<NodeId>) -> bool,
    ) -> bool {
        match ps.first() {
            None => k(env, None),
            Some(P::Ellipsis) | Some(P::MetaSeq(_)) if ps.len() == 1 => {
                let save = env.len();
                if let P::MetaSeq(name) = &ps[0] {
                    if !self.bind(name, self.bound_run(ts), env) {
                        return false;
                    }
                }
                if k(env, ts.last().copied()) {
                    return true;
                }
                env.truncate(save);
                false
            }
            Some(P::Ellipsis) => {
                let owned;
                let rest: &[NodeId] = if flat {
                    ts
                } else {
                    owned = self.flatten(ts);
                    &owned
                };
                for j in 0..=rest.len() {
                    let stopped =
                        self.statements(&ps[1..], &rest[j..], true, env, &mut |env, l| {
                            let l = l.or_else(|| j.checked_sub(1).map(|p| rest[p]));
                            // The match ends with the statement of this block that holds the last one
                            // matched (the whole `if` or `try`), as Semgrep's range does.
                            let l = if flat {
                                l
                            } else {
                                l.map(|l| self.holder(l, ts))
                            };
                            k(env, l)
                        });
                    if stopped {
                        return true;
                    }
                    if self.exhausted() {
                        return false;
                    }
                }
                false
            }
            Some(P::MetaSeq(name)) => {
                for n in 0..=ts.len() {
                    let save = env.len();
                    if self.bind(name, self.bound_run(&ts[..n]), env) {
                        let stopped =
                            self.statements(&ps[1..], &ts[n..], flat, env, &mut |env, l| {
                                k(env, l.or_else(|| n.checked_sub(1).map(|p| ts[p])))
                            });
                        if stopped {
                            return true;
                        }
                    }
                    env.truncate(save);
                    if self.exhausted() {
                        return false;
                    }
                }
                false
            }
            Some(p) => {
                let Some((&t, rest)) = ts.split_first() else {
                    return false;
                };
                let mut then = |env: &mut Env| {
                    self.statements(&ps[1..], rest, flat, env, &mut |env, l| {
                        k(env, l.or(Some(t)))
                    })
                };
                if self.node(p, t, env, &mut then) {
                    return true;
                }
                // A call standing as a statement matches a statement that holds it (`rows := db.Query(q)`,
                // `return db.Query(q)`), as in Semgrep; not inside the statement's own blocks.
                // Likewise an assignment matches a declaration that initialises (`Foo x = ...;`).
                let declares = matches!(p, P::Node { kind, .. }
                    if self.lang.roles.equivalent.iter().any(|(pk, _)| pk == kind));
                if !self.is_call(p) && !declares {
                    return false;
                }
                let tried = self.unwrap_statement(t);
                let end = self.tree.subtree_end(t);
                let mut d = t + 1;
                while d <= end {
                    let dn = self.tree.node(d);
                    if d == tried {
                        d += 1;
                        continue;
                    }
                    if self.has(d, Role::Blocks) || self.has(d, Role::Functions) {
                        d = self.tree.subtree_end(d) + 1;
                        continue;
                    }
                    if dn.named && !dn.extra && self.node(p, d, env, &mut then) {
                        return true;
                    }
                    if self.exhausted() {
                        return false;
                    }
                    d += 1;
                }
                false
            }
        }
    }

    /// The statement among `ts` that is `id` or holds it.
    fn holder(&self, mut id: NodeId, ts: &[NodeId]) -> NodeId {
        let first = id;
        while !ts.contains(&id) {
            if id == 0 {
                return first;
            }
            id = self.tree.node(id).parent;
        }
        id
    }

    /// A block's statements (between its brackets, if it has them), from the first: the pattern's run
    /// covers them all unless it holds an ellipsis, and its `...` reaches into nested blocks as at the top level (`def f(): ... def $G(): ...` matches a
    /// `def` nested in an `if`, as in Semgrep).
    fn block(&self, ps: &[P], ts: &[NodeId], env: &mut Env, k: K<'_>) -> bool {
        let token = |p: Option<&P>, t: Option<&NodeId>| match (p, t) {
            (Some(P::Token { text, .. }), Some(&t)) => {
                !self.tree.node(t).named && self.text(t) == text
            }
            _ => false,
        };
        let (mut ps, mut ts) = (ps, ts);
        if token(ps.first(), ts.first()) {
            (ps, ts) = (&ps[1..], &ts[1..]);
        }
        if token(ps.last(), ts.last()) {
            (ps, ts) = (&ps[..ps.len() - 1], &ts[..ts.len() - 1]);
        }
        if ps.iter().any(|p| matches!(p, P::Token { .. })) {
            return self.seq(ps, ts, env, k);
        }
        // With an ellipsis anywhere the run may end before the block does (`def $F(): ... foo()` matches a
        // body that goes on after `foo()`), as in Semgrep; without one it is the whole block.
        let open = ps.iter().any(|p| matches!(p, P::Ellipsis | P::MetaSeq(_)));
        self.statements(ps, ts, false, env, &mut |env, last| {
            let covered = open
                || match (last, ts.last()) {
                    (None, None) => true,
                    (Some(l), Some(&end)) => self.holder(l, ts) == end,
                    _ => false,
                };
            covered && k(env)
        })
    }

    /// Statements in document order, each followed by the statements of the blocks nested in it.
    fn flatten(&self, ts: &[NodeId]) -> Vec<NodeId> {
        let mut out = Vec::with_capacity(ts.len());
        let mut stack: Vec<NodeId> = ts.iter().rev().copied().collect();
        while let Some(t) = stack.pop() {
            out.push(t);
            self.charge(1);
            // The statements of the blocks inside `t` (closures' bodies too, as in Semgrep).
            let mut nested = Vec::new();
            let mut walk: Vec<NodeId> = self.kids(t).iter().rev().copied().collect();
            while let Some(d) = walk.pop() {
                self.charge(1);
                if self.has(d, Role::Blocks) {
                    nested.extend(self.kids(d).iter().copied());
                    continue;
                }
                walk.extend(self.kids(d).iter().rev().copied());
            }
            stack.extend(nested.into_iter().rev());
        }
        out
    }

    /// Children `ts` of `t` in order, with the two shapes Semgrep reads otherwise: a statement listing
    /// names (see [`Target::each_name`]) and a `try`'s handlers, which match as a subsequence: the pattern's
    /// `except`/`catch` clauses match some of the target's, in order, and the rest are left out
    /// (`try: ... finally: ...` matches a `try` with handlers too). Up to 12 handlers; a longer run of them
    /// matches in full.
    fn ordered(&self, t: NodeId, ps: &[P], ts: &[NodeId], env: &mut Env, k: K<'_>) -> bool {
        if self.has(t, Role::NameLists) {
            return self.each_name(ps, ts, env, k);
        }
        if !ts.iter().any(|&c| self.has(c, Role::Handlers)) {
            return self.seq(ps, ts, env, k);
        }
        let at: Vec<usize> = (0..ts.len())
            .filter(|&i| self.has(ts[i], Role::Handlers))
            .collect();
        if at.len() > 12 {
            return self.seq(ps, ts, env, k);
        }
        let handlers = &self.lang.roles.handlers;
        let wanted = ps
            .iter()
            .filter(|p| matches!(p, P::Node { kind, .. } if handlers.contains(kind)))
            .count() as u32;
        for mask in 0u32..1 << at.len() {
            if mask.count_ones() != wanted {
                continue;
            }
            if !self.step() {
                return false;
            }
            let kept: Vec<NodeId> = (0..ts.len())
                .filter(|i| {
                    at.iter()
                        .position(|a| a == i)
                        .is_none_or(|b| mask & 1 << b != 0)
                })
                .map(|i| ts[i])
                .collect();
            if self.seq(ps, &kept, env, k) {
                return true;
            }
        }
        false
    }

    /// The children `ts` of a statement listing names: a pattern of its keyword and one name (`global $X`)
    /// matches each name of `global a, b` on its own, as Semgrep reads one statement per name.
    fn each_name(&self, ps: &[P], ts: &[NodeId], env: &mut Env, k: K<'_>) -> bool {
        let named = || ts.iter().copied().filter(|&c| self.tree.node(c).named);
        if ps.len() != 2 || named().count() < 2 {
            return self.seq(ps, ts, env, k);
        }
        for name in named() {
            let one: Vec<NodeId> = ts
                .iter()
                .copied()
                .filter(|&c| !self.tree.node(c).named || c == name)
                .collect();
            if self.seq(ps, &one, env, k) {
                return true;
            }
        }
        false
    }

    /// Children in order, all of them; `...` and `$...X` take any run.
    fn seq<Q: Borrow<P>>(&self, ps: &[Q], ts: &[NodeId], env: &mut Env, k: K<'_>) -> bool {
        self.prefix(ps, ts, env, &mut |env, n| n == ts.len() && k(env))
    }

    /// Children in order from the first, the pattern possibly ending before they do; `k` gets how many it
    /// consumed.
    fn prefix<Q: Borrow<P>>(
        &self,
        ps: &[Q],
        ts: &[NodeId],
        env: &mut Env,
        k: &mut dyn FnMut(&mut Env, usize) -> bool,
    ) -> bool {
        match ps.first().map(Borrow::borrow) {
            None => k(env, 0),
            Some(P::Ellipsis) | Some(P::MetaSeq(_)) => {
                // A trailing `...` takes the rest of the block (a `pattern-inside` ending in `...` covers
                // everything after its anchor).
                let from = if ps.len() == 1 { ts.len() } else { 0 };
                for n in from..=ts.len() {
                    let save = env.len();
                    let bound = match ps[0].borrow() {
                        P::MetaSeq(name) => self.bind(name, self.bound_run(&ts[..n]), env),
                        _ => true,
                    };
                    if bound {
                        let stopped = if ps.len() == 1 {
                            k(env, n)
                        } else {
                            self.prefix(&ps[1..], &ts[n..], env, &mut |env, m| k(env, n + m))
                        };
                        if stopped {
                            return true;
                        }
                    }
                    env.truncate(save);
                    if self.exhausted() {
                        return false;
                    }
                }
                false
            }
            Some(p) => {
                // `(...)` stands for no parentheses too (`class $C(...):` matches a class without bases).
                if self.any_arguments(p) && self.prefix(&ps[1..], ts, env, k) {
                    return true;
                }
                let Some((&t, rest)) = ts.split_first() else {
                    return false;
                };
                // One declaration of a pattern against a group of them: any one member.
                if self.has(t, Role::Grouped)
                    && !matches!(p, P::Node { kind, .. } if *kind == self.tree.node(t).kind)
                {
                    for &member in self.kids(t) {
                        if !self.tree.node(member).named {
                            continue;
                        }
                        let stopped = self.node(p, member, env, &mut |env| {
                            self.prefix(&ps[1..], rest, env, &mut |env, m| k(env, m + 1))
                        });
                        if stopped {
                            return true;
                        }
                    }
                    return false;
                }
                self.node(p, t, env, &mut |env| {
                    self.prefix(&ps[1..], rest, env, &mut |env, m| k(env, m + 1))
                })
            }
        }
    }

    /// Whether `p` is a call (a node with an argument list).
    fn is_call(&self, p: &P) -> bool {
        matches!(p, P::Node { kids, .. } if kids.iter().any(|k| matches!(k, P::Node { mode: Mode::Arguments, .. })))
    }

    /// Whether `p` is an argument list of nothing but `...`.
    fn any_arguments(&self, p: &P) -> bool {
        match p {
            P::Node {
                kids,
                mode: Mode::Arguments,
                ..
            } => {
                kids.iter().any(|k| matches!(k, P::Ellipsis))
                    && kids
                        .iter()
                        .all(|k| matches!(k, P::Ellipsis | P::Token { .. }))
                    && kids.iter().all(|k| match k {
                        P::Token { text, .. } => text == "(" || text == ")",
                        _ => true,
                    })
            }
            _ => false,
        }
    }

    fn is_keyword_pattern(&self, p: &P) -> bool {
        matches!(p, P::Node { kind, .. } if self.lang.roles.keyword_arguments.contains(kind))
    }

    /// An argument list: positional arguments in order, keyword arguments in any order; without an
    /// ellipsis, no extra keyword argument.
    fn arguments(&self, ps: &[P], ts: &[NodeId], env: &mut Env, k: K<'_>) -> bool {
        if self.lang.roles.keyword_arguments.is_empty()
            || !ps.iter().any(|p| self.is_keyword_pattern(p))
        {
            return self.seq(ps, ts, env, k);
        }
        let (pk, pp): (Vec<&P>, Vec<&P>) = ps.iter().partition(|p| self.is_keyword_pattern(p));
        let (tk, tp): (Vec<NodeId>, Vec<NodeId>) = ts
            .iter()
            .partition(|&&t| self.has(t, Role::KeywordArguments));
        let open = ps.iter().any(|p| matches!(p, P::Ellipsis | P::MetaSeq(_)));
        if !open && pk.len() != tk.len() {
            return false;
        }
        let used: Vec<Cell<bool>> = tk.iter().map(|_| Cell::new(false)).collect();
        self.seq(&pp, &tp, env, &mut |env| {
            self.assign(&pk, &tk, &used, env, k)
        })
    }

    /// Children in any order; without an ellipsis, exactly as many.
    fn unordered(&self, ps: &[P], ts: &[NodeId], env: &mut Env, k: K<'_>) -> bool {
        let open = ps.iter().any(|p| matches!(p, P::Ellipsis | P::MetaSeq(_)));
        let items: Vec<&P> = ps
            .iter()
            .filter(|p| !matches!(p, P::Ellipsis | P::MetaSeq(_)))
            .collect();
        if !open && items.len() != ts.len() {
            return false;
        }
        let used: Vec<Cell<bool>> = ts.iter().map(|_| Cell::new(false)).collect();
        self.assign(&items, ts, &used, env, k)
    }

    /// Class members: each member of the pattern (with the decorators before it) matches a distinct member
    /// of the target, in any order; its decorators match distinct decorators of that member.
    fn members(&self, ps: &[P], ts: &[NodeId], env: &mut Env, k: K<'_>) -> bool {
        let decorators = self.lang.roles.decorators;
        let mut wanted: Vec<(Vec<&P>, &P)> = Vec::new();
        let mut pending: Vec<&P> = Vec::new();
        for p in ps {
            match p {
                P::Ellipsis | P::MetaSeq(_) => {}
                P::Token { kind, text }
                    if kind == text && !text.starts_with(char::is_alphanumeric) => {}
                P::Node { kind, .. } if decorators.contains(kind) => pending.push(p),
                _ => wanted.push((std::mem::take(&mut pending), p)),
            }
        }
        let mut have: Vec<(Vec<NodeId>, NodeId)> = Vec::new();
        let mut before: Vec<NodeId> = Vec::new();
        for &t in ts {
            let n = self.tree.node(t);
            if !n.named {
                continue;
            }
            if decorators.contains(&n.kind) {
                before.push(t);
            } else {
                have.push((std::mem::take(&mut before), t));
            }
        }
        let used: Vec<Cell<bool>> = have.iter().map(|_| Cell::new(false)).collect();
        self.assign_members(&wanted, &have, &used, env, k)
    }

    /// A member and the decorators before it matches a distinct target member and, as a subset, its decorators.
    fn assign_members(
        &self,
        ps: &[(Vec<&P>, &P)],
        ts: &[(Vec<NodeId>, NodeId)],
        used: &[Cell<bool>],
        env: &mut Env,
        k: K<'_>,
    ) -> bool {
        self.assign_with(
            ps,
            ts,
            used,
            env,
            k,
            &|(decorators, member), (have, t), env, k| {
                self.node(member, *t, env, &mut |env| {
                    let free: Vec<Cell<bool>> = have.iter().map(|_| Cell::new(false)).collect();
                    self.assign(decorators, have, &free, env, k)
                })
            },
        )
    }

    /// Each pattern matches a distinct target, in every way.
    fn assign(
        &self,
        ps: &[&P],
        ts: &[NodeId],
        used: &[Cell<bool>],
        env: &mut Env,
        k: K<'_>,
    ) -> bool {
        self.assign_with(ps, ts, used, env, k, &|p, &t, env, k| {
            self.node(p, t, env, k)
        })
    }

    /// Each of `ps` matched (by `one`) to a distinct one of `ts`, in every way, `used` marking the taken.
    fn assign_with<X, T>(
        &self,
        ps: &[X],
        ts: &[T],
        used: &[Cell<bool>],
        env: &mut Env,
        k: K<'_>,
        one: &dyn Fn(&X, &T, &mut Env, K<'_>) -> bool,
    ) -> bool {
        let Some((p, rest)) = ps.split_first() else {
            return k(env);
        };
        for (i, t) in ts.iter().enumerate() {
            if used[i].get() {
                continue;
            }
            used[i].set(true);
            let stopped = one(p, t, env, &mut |env| {
                self.assign_with(rest, ts, used, env, k, one)
            });
            used[i].set(false);
            if stopped {
                return true;
            }
            if self.exhausted() {
                return false;
            }
        }
        false
    }

    /// The text a binding covers.
    pub fn bound_text(&self, b: Bound) -> &'a str {
        self.src.get(b.start as usize..b.end as usize).unwrap_or("")
    }

    /// The value of a binding: a string's contents, a constant's value, else its text.
    pub fn bound_value(&self, b: Bound) -> &'a str {
        if b.first <= b.last && self.tree.node(b.first).end == b.end {
            if let Some(v) = self.string_value(b.first) {
                return v;
            }
            if self.has(b.first, Role::Identifiers) {
                if let Some(c) = self.constant(b.first) {
                    return self.text(c);
                }
            }
        }
        self.bound_text(b)
    }

    /// The node a binding starts at, when it binds one node.
    pub fn bound_id(&self, b: Bound) -> Option<NodeId> {
        (b.first <= b.last).then_some(b.first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::by_name;
    use crate::scanners::sast::pattern::compile;

    /// The byte range of every match of `pattern` in `src`.
    fn ranges(lang: &str, pattern: &str, src: &str) -> Vec<(usize, usize)> {
        let lang = by_name(lang).unwrap();
        let p = compile(lang, pattern).unwrap();
        let tree = Tree::parse(lang, src);
        let t = Target::new(lang, &tree, src, 1_000_000);
        t.find(&p)
            .iter()
            .map(|m| (m.start as usize, m.end as usize))
            .collect()
    }

    /// The 1-based lines of every match of `pattern` in `src`.
    fn lines(lang: &str, pattern: &str, src: &str) -> Vec<u32> {
        let mut out: Vec<u32> = ranges(lang, pattern, src)
            .iter()
            .map(|&(start, _)| src[..start].matches('\n').count() as u32 + 1)
            .collect();
        out.dedup();
        out
    }

    #[test]
    fn python_calls_keywords_and_ellipsis() {
        let src = "import requests\nrequests.get(u, verify=False)\nrequests.get(u, timeout=3, verify=False)\nrequests.get(u)\nrequests.get(u, verify=True)\n";
        assert_eq!(
            lines("python", "requests.get(..., verify=False, ...)", src),
            [2, 3]
        );
        assert_eq!(
            lines("python", "requests.get(..., verify=False)", src),
            [2, 3]
        );
        assert_eq!(lines("python", "requests.get($U)", src), [4]);
        assert_eq!(lines("python", "requests.get(...)", src), [2, 3, 4, 5]);
        assert_eq!(lines("python", "requests.get(u, verify=False)", src), [2]);
    }

    /// The text of every match of `pattern` in `src`.
    fn texts(lang: &str, pattern: &str, src: &str) -> Vec<String> {
        ranges(lang, pattern, src)
            .iter()
            .map(|&(start, end)| src[start..end].to_string())
            .collect()
    }

    #[test]
    fn matches_span_the_parentheses_around_them_but_not_a_statements_own() {
        assert_eq!(
            texts(
                "python",
                "$A + $B",
                "u = ((a + b))\nif (c + d):\n    pass\n"
            ),
            ["((a + b))", "(c + d)"]
        );
        assert_eq!(
            texts(
                "javascript",
                "$A == $B",
                "if ((a == b)) { x(); }\nwhile (c == d) {}\n"
            ),
            ["(a == b)", "c == d"]
        );
        assert_eq!(texts("python", "foo(...)", "v = (foo(1))\n"), ["(foo(1))"]);
    }

    #[test]
    fn metavariables_must_bind_equal_code() {
        let src = "a == a\na == b\nf(x + 1) == f(x+1)\n";
        assert_eq!(lines("python", "$X == $X", src), [1, 3]);
        assert_eq!(lines("python", "$_ == $_", src), [1, 2, 3]);
    }

    #[test]
    fn strings_by_value_across_quotes() {
        let src = "f('md5')\nf(\"md5\")\nf('sha256')\n";
        assert_eq!(lines("python", "f(\"md5\")", src), [1, 2]);
        assert_eq!(lines("python", "f(\"...\")", src), [1, 2, 3]);
        assert_eq!(lines("python", "f(\"=~/^sha/\")", src), [3]);
    }

    #[test]
    fn constants_propagate_within_a_function() {
        let src = "def a():\n    v = False\n    get(u, verify=v)\ndef b():\n    v = False\n    v = True\n    get(u, verify=v)\n";
        assert_eq!(lines("python", "get(..., verify=False)", src), [3]);
    }

    #[test]
    fn imports_resolve_aliases() {
        let src = "import subprocess as sp\nfrom subprocess import call\nsp.call(x)\ncall(x)\nother.call(x)\n";
        assert_eq!(lines("python", "subprocess.call(...)", src), [3, 4]);
        let js = "const cp = require('child_process');\ncp.exec(cmd);\n";
        assert_eq!(lines("javascript", "child_process.exec(...)", js), [2]);
    }

    #[test]
    fn statement_sequences_and_deep_expressions() {
        let src = "f = open(p)\nx = 1\nf.close()\ng = open(q)\n";
        assert_eq!(lines("python", "$F = open(...)\n...\n$F.close()", src), [1]);
        assert_eq!(
            lines(
                "python",
                "eval(<... request ...>)",
                "eval(a + request.x)\neval(b)\n"
            ),
            [1]
        );
    }

    #[test]
    fn unordered_fields_and_objects() {
        let js =
            "https.request({host: h, rejectUnauthorized: false});\nhttps.request({host: h});\n";
        assert_eq!(
            lines("javascript", "{..., rejectUnauthorized: false, ...}", js),
            [1]
        );
        let go = "package p\nfunc f() {\n  c := &tls.Config{MinVersion: 1, InsecureSkipVerify: true}\n  d := &tls.Config{}\n}\n";
        assert_eq!(
            lines("go", "tls.Config{..., InsecureSkipVerify: true, ...}", go),
            [3]
        );
        assert_eq!(
            lines("go", "tls.Config{InsecureSkipVerify: true}", go),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn java_method_bodies_and_imports() {
        let src = "import java.security.MessageDigest;\nclass A {\n  void f() {\n    MessageDigest.getInstance(\"MD5\");\n    MessageDigest.getInstance(\"SHA-256\");\n  }\n}\n";
        assert_eq!(
            lines("java", "MessageDigest.getInstance(\"MD5\")", src),
            [4]
        );
        assert_eq!(
            lines(
                "java",
                "java.security.MessageDigest.getInstance(\"MD5\")",
                src
            ),
            [4]
        );
        let tm = "class T implements X509TrustManager {\n  public void checkServerTrusted(X509Certificate[] c, String a) {\n  }\n  public void checkClientTrusted(X509Certificate[] c, String a) { check(c); }\n}\n";
        assert_eq!(
            lines("java", "public void checkServerTrusted(...) { }", tm),
            [2]
        );
    }

    #[test]
    fn the_budget_stops_matching() {
        let lang = by_name("python").unwrap();
        let src = "f(".repeat(2000) + &")".repeat(2000);
        let tree = Tree::parse(lang, &src);
        let p = compile(lang, "f(<... f(...) ...>)").unwrap();
        let t = Target::new(lang, &tree, &src, 10_000);
        let _ = t.find(&p);
        assert!(t.exhausted());
    }
}
