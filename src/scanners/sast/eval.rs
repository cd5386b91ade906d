//! Rules compiled once per run for each language they name, and their formulas evaluated on one file with
//! Semgrep's semantics: positive items intersect by range inclusion with consistent bindings, `pattern-not`
//! removes matches of the same range, `pattern-not-inside` matches inside one of its matches, and the
//! conditions (`metavariable-*`, `focus-metavariable`) apply in order.

use super::matcher::{Bound, Env, Match, Target};
use super::pattern::{self, Pattern};
use super::re::Re;
use super::rule::{Analyzer, Condition, Formula, GenericOptions, Text};
use crate::lang::{self, Lang, Tree};
use foldhash::HashMap;

/// A formula compiled for one language.
#[derive(Debug)]
pub enum Compiled {
    /// A code pattern.
    Pattern(Pattern),
    /// A regex over the file's text.
    Regex(Re),
    /// A `generic` pattern over the file's tokens.
    Generic(super::generic::Generic),
    /// Any of these.
    Any(Vec<Compiled>),
    /// Every positive item, no negative one, then the conditions.
    All(Vec<Compiled>, Vec<Cond>),
    /// Not this (inside `All`).
    Not(Box<Compiled>),
    /// Within a match of this.
    Inside(Box<Compiled>),
    /// This matches somewhere in the file.
    Anywhere(Box<Compiled>),
}

/// A compiled condition.
#[derive(Debug)]
pub enum Cond {
    /// `metavariable-regex`.
    Regex {
        /// The metavariable.
        var: String,
        /// The regex, anchored at the start.
        regex: Re,
        /// Match the propagated constant's value.
        constant: bool,
    },
    /// `metavariable-pattern`, in the rule's language (`None`) or another one.
    Pattern {
        /// The metavariable.
        var: String,
        /// Another language to read the metavariable's value as.
        language: Option<Dialect>,
        /// The nested formula.
        formula: Box<Compiled>,
    },
    /// `metavariable-comparison`.
    Comparison {
        /// The parsed expression.
        expr: super::compare::Expr,
        /// Strip quotes from values first.
        strip: bool,
        /// Base of integer literals.
        base: u32,
    },
    /// `metavariable-analysis`.
    Analysis {
        /// The metavariable.
        var: String,
        /// Which analyzer.
        analyzer: Analyzer,
    },
    /// `focus-metavariable`.
    Focus(Vec<String>),
    /// `metavariable-type`.
    Type {
        /// The metavariable.
        var: String,
        /// Any of these types.
        types: Vec<super::types::TypePat>,
    },
}

/// A formula that does not compile, at its place in the rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// 1-based line in the rule file.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

fn at(t: &Text, message: String) -> CompileError {
    CompileError {
        line: t.line,
        column: t.column,
        message,
    }
}

/// How a rule reads files: as code of a language, as tokens (`generic`), or as text (`regex`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// A language with a grammar.
    Code(&'static Lang),
    /// Semgrep's `generic`: tokens.
    Generic,
    /// Semgrep's `regex` (or `none`): `pattern-regex` only.
    Regex,
}

/// Compiles a rule's formula for one dialect; `generic` patterns (the rule's own or a `metavariable-pattern`'s)
/// take the rule's generic options `g`.
pub fn compile(f: &Formula, lang: Dialect, g: GenericOptions) -> Result<Compiled, CompileError> {
    Ok(match f {
        Formula::Pattern(t) => match lang {
            Dialect::Code(l) => Compiled::Pattern(
                pattern::compile(l, &t.text)
                    .map_err(|e| at(t, format!("pattern: {}", e.message)))?,
            ),
            Dialect::Generic => Compiled::Generic(
                super::generic::compile(&t.text, g).map_err(|e| at(t, format!("pattern: {e}")))?,
            ),
            Dialect::Regex => {
                return Err(at(
                    t,
                    "a `pattern` needs a programming language; `regex` rules use `pattern-regex`"
                        .into(),
                ))
            }
        },
        Formula::Regex(t) => Compiled::Regex(
            // The newline a YAML block scalar ends with is no part of the regex (as Semgrep reads it).
            Re::new(
                &format!("(?m){}", t.text.trim_end_matches(['\n', '\r'])),
                1 << 22,
            )
            .map_err(|e| at(t, format!("regex does not compile: {e}")))?,
        ),
        Formula::Any(fs) => Compiled::Any(
            fs.iter()
                .map(|f| compile(f, lang, g))
                .collect::<Result<_, _>>()?,
        ),
        Formula::All(fs, conds) => Compiled::All(
            fs.iter()
                .map(|f| compile(f, lang, g))
                .collect::<Result<_, _>>()?,
            conds
                .iter()
                .map(|c| compile_cond(c, lang, g))
                .collect::<Result<_, _>>()?,
        ),
        Formula::Not(f) => Compiled::Not(Box::new(compile(f, lang, g)?)),
        Formula::Inside(f) => Compiled::Inside(Box::new(compile(f, lang, g)?)),
        Formula::Anywhere(f) => Compiled::Anywhere(Box::new(compile(f, lang, g)?)),
    })
}

fn compile_cond(c: &Condition, lang: Dialect, g: GenericOptions) -> Result<Cond, CompileError> {
    let none = CompileError {
        line: 0,
        column: 0,
        message: String::new(),
    };
    Ok(match c {
        Condition::Regex {
            var,
            regex,
            constant_value_propagation,
        } => Cond::Regex {
            var: var.clone(),
            regex: Re::new(&format!("\\A(?:{regex})"), 1 << 22).map_err(|e| CompileError {
                message: format!("metavariable-regex does not compile: {e}"),
                ..none.clone()
            })?,
            constant: *constant_value_propagation,
        },
        Condition::Pattern {
            var,
            language,
            formula,
        } => {
            let inner = match *language {
                None => lang,
                Some("regex") => Dialect::Regex,
                Some("generic") => Dialect::Generic,
                Some(name) => match lang::by_name(name) {
                    Some(l) => Dialect::Code(l),
                    None => {
                        return Err(CompileError {
                            message: format!(
                                "metavariable-pattern language `{name}` is not supported"
                            ),
                            ..none
                        })
                    }
                },
            };
            Cond::Pattern {
                var: var.clone(),
                language: (inner != lang).then_some(inner),
                formula: Box::new(compile(formula, inner, g)?),
            }
        }
        Condition::Comparison {
            expr, strip, base, ..
        } => Cond::Comparison {
            expr: super::compare::parse(expr).map_err(|e| CompileError {
                message: format!("metavariable-comparison: {e}"),
                ..none.clone()
            })?,
            strip: *strip,
            base: base.unwrap_or(10),
        },
        Condition::Analysis { var, analyzer } => Cond::Analysis {
            var: var.clone(),
            analyzer: *analyzer,
        },
        Condition::Focus(vars) => Cond::Focus(vars.clone()),
        Condition::Type { var, types } => Cond::Type {
            var: var.clone(),
            types: types
                .iter()
                .map(|t| {
                    super::types::TypePat::new(&t.text).map_err(|e| at(t, format!("type: {e}")))
                })
                .collect::<Result<_, _>>()?,
        },
    })
}

/// Evaluates formulas on one file, remembering each sub-formula's matches (a `metavariable-pattern`
/// evaluates its formula once per file, not once per match).
pub struct Evaluator<'t, 'a> {
    /// The file.
    pub target: &'t Target<'a>,
    memo: HashMap<*const Compiled, Vec<Match>>,
}

impl<'t, 'a> Evaluator<'t, 'a> {
    /// An evaluator over `target`.
    pub fn new(target: &'t Target<'a>) -> Self {
        Evaluator {
            target,
            memo: HashMap::default(),
        }
    }

    /// [`Evaluator::eval`], where a conjunction of negations only filters `seed` (the whole of a
    /// metavariable's value).
    pub fn eval_seeded(&mut self, f: &Compiled, seed: Match) -> Vec<Match> {
        match f {
            Compiled::All(items, conds) if items.iter().all(|i| matches!(i, Compiled::Not(_))) => {
                self.all(items, conds, Some(seed))
            }
            _ => self.eval(f),
        }
    }

    /// Every match of `f`, ordered by range, one per range.
    pub fn eval(&mut self, f: &Compiled) -> Vec<Match> {
        let key = f as *const Compiled;
        if let Some(m) = self.memo.get(&key) {
            return m.clone();
        }
        let mut out = match f {
            Compiled::Pattern(p) => self.target.find(p),
            Compiled::Regex(re) => regex_matches(re, self.target.src),
            Compiled::Generic(g) => {
                let mut steps = 0;
                let budget = self.target.budget_left();
                let found = super::generic::find(g, self.target.src, &mut steps, budget);
                self.target.charge(steps);
                found
            }
            Compiled::Any(fs) => fs.iter().flat_map(|f| self.eval(f)).collect(),
            Compiled::All(items, conds) => self.all(items, conds, None),
            Compiled::Not(f) | Compiled::Inside(f) | Compiled::Anywhere(f) => self.eval(f),
        };
        // One match per range and bindings: alternatives binding differently stay apart for the conditions.
        out.sort_by_key(|a| (a.start, a.end));
        out.dedup_by(|a, b| a.start == b.start && a.end == b.end && same_env(&a.env, &b.env));
        self.memo.insert(key, out.clone());
        out
    }

    /// A conjunction: its main positive term's matches, kept where every other term agrees. `seed` stands
    /// for the positive term where there is none (negations only, on a metavariable's value).
    fn all(&mut self, items: &[Compiled], conds: &[Cond], seed: Option<Match>) -> Vec<Match> {
        let positives: Vec<&Compiled> = items
            .iter()
            .filter(|f| !matches!(f, Compiled::Not(_)))
            .collect();
        let main_at = positives
            .iter()
            .position(|f| !inside_like(f) && !matches!(f, Compiled::Anywhere(_)))
            .or_else(|| positives.iter().position(|f| inside_like(f)));
        let (mut result, main_at) = match (main_at, seed) {
            (Some(at), _) => (self.eval(positives[at]), at),
            (None, Some(seed)) if positives.is_empty() => (vec![seed], usize::MAX),
            _ => return Vec::new(),
        };
        for (i, f) in positives.iter().enumerate() {
            if i == main_at || result.is_empty() {
                continue;
            }
            let others = self.eval(f);
            let anywhere = matches!(f, Compiled::Anywhere(_));
            // Two plain patterns intersect both ways, as in Semgrep: each one's ranges that lie inside a
            // range of the other (`RUN ... apt-get update ...` and `apt-get update` give the command).
            let both_ways = !anywhere && !inside_like(f);
            let inner: Vec<Match> = if both_ways {
                others
                    .iter()
                    .filter_map(|o| {
                        result.iter().find_map(|r| {
                            let placed = r.start <= o.start
                                && o.end <= r.end
                                && (r.start, r.end) != (o.start, o.end);
                            (placed && self.unify(&o.env, &r.env)).then(|| merge(o, &r.env))
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            result = result
                .into_iter()
                .filter_map(|r| {
                    others.iter().find_map(|o| {
                        let placed = anywhere || (o.start <= r.start && r.end <= o.end);
                        (placed && self.unify(&r.env, &o.env)).then(|| merge(&r, &o.env))
                    })
                })
                .collect();
            if !inner.is_empty() {
                result.extend(inner);
                result.sort_by_key(|m| (m.start, m.end));
            }
        }
        for f in items {
            let Compiled::Not(inner) = f else { continue };
            if result.is_empty() {
                break;
            }
            let negs = self.eval(inner);
            let around = inside_like(inner);
            // `pattern-not-regex` removes a match its regex overlaps (inside it or around it), as in Semgrep.
            let regex = matches!(**inner, Compiled::Regex(_));
            // A `pattern-not-inside` removes a match only where the metavariables they share bind the
            // same code (`pattern-not-inside: $C.setValue(""); ...` spares another cookie), as in Semgrep;
            // a `pattern-not` removes the same range whatever it binds (`FROM $IMAGE` binds the image with
            // its tag, `FROM $IMAGE:$V` without).
            result.retain(|r| {
                !negs.iter().any(|n| {
                    if around {
                        n.start <= r.start && r.end <= n.end && self.unify(&n.env, &r.env)
                    } else if regex {
                        n.start < r.end.max(r.start + 1) && r.start < n.end
                    } else {
                        n.start == r.start && n.end == r.end
                    }
                })
            });
        }
        for c in conds {
            if result.is_empty() {
                break;
            }
            result = result
                .into_iter()
                .filter_map(|r| self.condition(c, r))
                .collect();
        }
        result
    }

    fn unify(&self, a: &Env, b: &Env) -> bool {
        a.iter().all(|(n, x)| {
            b.iter()
                .find(|(m, _)| m == n)
                .is_none_or(|(_, y)| self.target.same_code(*x, *y))
        })
    }

    fn condition(&mut self, c: &Cond, mut r: Match) -> Option<Match> {
        let bound = |r: &Match, var: &str| r.env.iter().find(|(n, _)| **n == *var).map(|(_, b)| *b);
        match c {
            Cond::Regex {
                var,
                regex,
                constant,
            } => {
                let b = bound(&r, var)?;
                let text = if *constant {
                    self.target.bound_value(b)
                } else {
                    self.target.bound_text(b)
                };
                regex.is_match(text).then_some(r)
            }
            Cond::Pattern {
                var,
                language,
                formula,
            } => {
                let b = bound(&r, var)?;
                if let Some(d) = language {
                    let text = self.target.bound_value(b).to_string();
                    let (l, tree) = match d {
                        Dialect::Code(l) => (*l, Tree::parse(l, &text)),
                        _ => (self.target.lang, Tree::default()),
                    };
                    let t = Target::new(l, &tree, &text, self.target.budget_left());
                    t.propagate_constants(self.target.propagating());
                    let whole = Match {
                        start: 0,
                        end: text.len() as u32,
                        env: Env::new(),
                    };
                    let found = !Evaluator::new(&t).eval_seeded(formula, whole).is_empty();
                    self.target.charge(t.steps());
                    return found.then_some(r);
                }
                if is_regex_only(formula) {
                    return regex_formula_matches(formula, self.target.bound_value(b)).then_some(r);
                }
                if let Compiled::All(items, conds) = formula.as_ref() {
                    if items.iter().all(|f| matches!(f, Compiled::Not(_))) {
                        let seed = Match {
                            start: b.start,
                            end: b.end,
                            env: r.env.clone(),
                        };
                        let kept = self.all(items, conds, Some(seed));
                        return kept.first().map(|m| merge(&r, &m.env));
                    }
                }
                let inner = self.eval(formula);
                let hit = inner
                    .iter()
                    .find(|m| b.start <= m.start && m.end <= b.end && self.unify(&r.env, &m.env))?;
                let env = hit.env.clone();
                Some(merge(&r, &env))
            }
            Cond::Comparison { expr, strip, base } => {
                let value = |name: &str| {
                    let b = bound(&r, name)?;
                    let text = self.target.bound_value(b);
                    let text = if *strip { lang::unquote(text) } else { text };
                    Some(super::compare::Value::of(text, *base))
                };
                super::compare::truthy(expr, &value).then_some(r)
            }
            Cond::Analysis { var, analyzer } => {
                let b = bound(&r, var)?;
                let v = self.target.bound_value(b);
                let ok = match analyzer {
                    Analyzer::Entropy => high_entropy(v),
                    Analyzer::Redos => super::compare::redos_prone(v),
                };
                ok.then_some(r)
            }
            Cond::Type { var, types } => {
                let b = bound(&r, var)?;
                let id = self.target.bound_id(b)?;
                types
                    .iter()
                    .any(|t| self.target.has_type(id, t))
                    .then_some(r)
            }
            Cond::Focus(vars) => {
                let mut span: Option<(u32, u32)> = None;
                for v in vars {
                    let b = bound(&r, v)?;
                    span = Some(match span {
                        None => (b.start, b.end),
                        Some((s, e)) => (s.max(b.start), e.min(b.end)),
                    });
                }
                let (s, e) = span?;
                if s > e {
                    return None;
                }
                r.start = s;
                r.end = e;
                Some(r)
            }
        }
    }
}

/// `pattern-inside`, or a `pattern-either` of them: a context, not the match itself.
fn inside_like(f: &Compiled) -> bool {
    match f {
        Compiled::Inside(_) => true,
        Compiled::Any(fs) => !fs.is_empty() && fs.iter().all(inside_like),
        _ => false,
    }
}

fn is_regex_only(f: &Compiled) -> bool {
    match f {
        Compiled::Regex(_) => true,
        Compiled::Any(fs) => fs.iter().all(is_regex_only),
        _ => false,
    }
}

fn regex_formula_matches(f: &Compiled, text: &str) -> bool {
    match f {
        Compiled::Regex(re) => re.is_match(text),
        Compiled::Any(fs) => fs.iter().any(|f| regex_formula_matches(f, text)),
        _ => false,
    }
}

fn same_env(a: &Env, b: &Env) -> bool {
    a.len() == b.len()
        && a.iter().all(|(n, x)| {
            b.iter()
                .any(|(m, y)| m == n && (x.start, x.end) == (y.start, y.end))
        })
}

fn merge(r: &Match, extra: &Env) -> Match {
    let mut out = r.clone();
    for (n, b) in extra {
        if !out.env.iter().any(|(m, _)| m == n) {
            out.env.push((n.clone(), *b));
        }
    }
    out
}

fn regex_matches(re: &Re, src: &str) -> Vec<Match> {
    re.find_all(src, 10_000)
        .into_iter()
        .filter(|(s, e)| e > s)
        .map(|(s, e)| Match {
            start: s as u32,
            end: e as u32,
            env: Env::new(),
        })
        .collect()
}

/// Shannon entropy of a string's characters, in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::default();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_default() += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n as f64;
            -p * p.log2()
        })
        .sum()
}

/// `metavariable-analysis: entropy`: a value long and random enough to be a credential (at least 10
/// characters and 3.5 bits of entropy per character).
fn high_entropy(v: &str) -> bool {
    v.chars().count() >= 10 && entropy(v) >= 3.5
}

/// Bindings as `$X` → text, for messages and fixes.
pub fn interpolate(template: &str, env: &Env, target: &Target<'_>) -> String {
    let mut names: Vec<&(super::matcher::Name, Bound)> = env.iter().collect();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut out = template.to_string();
    for (n, b) in names {
        if out.contains(&**n) {
            out = out.replace(&**n, target.bound_text(*b));
        }
    }
    out
}
