//! The SAST scanner: Semgrep-format rules, read unchanged, run on each file's shared syntax tree.
//!
//! - [`rule`]: the rule model and loader (YAML with positions → validated [`rule::Rule`]s);
//! - [`pattern`]: the pattern compiler (a pattern's text, per language, into a tree of [`pattern::P`]);
//! - [`matcher`]: patterns against one file's tree, with Semgrep's semantics and a step budget;
//! - [`eval`]: formulas (`patterns`, `pattern-either`, `pattern-not`, conditions…) over matches;
//! - [`compare`]: `metavariable-comparison` expressions;
//! - [`ruletest`]: `portcullis rules test`, Semgrep's `--test` annotations.
//!
//! Rules are compiled once per run for each language they name; a literal prefilter (one Aho-Corasick pass
//! per file) skips the rules whose required words the file does not contain.

pub mod compare;
pub mod eval;
pub mod generic;
pub mod matcher;
pub mod pattern;
pub mod re;
pub mod rule;
pub mod ruletest;
pub mod types;

use crate::diagnostic::{Diagnostic, Level};
use crate::finding::{FindingBuilder, ScannerKind, SourceText};
use crate::lang::{self, Lang, Syntax};
use crate::rules::{embedded, RuleMeta};
use crate::scanners::{
    DynScanner, FileContext, PeerSyntax, Registration, RuleError, ScanError, Scanner,
    ScannerOptions,
};
use crate::source::{Classification, SourceFile};
use aho_corasick::AhoCorasick;
use eval::{Compiled, Dialect, Evaluator};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use matcher::Target;
use rule::{Problem, ProblemKind, Rule};
use std::sync::Arc;

/// The scanner's name.
pub const KIND: ScannerKind = ScannerKind::new("sast");

/// Matcher steps one file may take over all rules before matching stops with a note.
pub const DEFAULT_STEP_BUDGET: u64 = 20_000_000;

/// The registration.
pub const REGISTRATION: Registration = Registration {
    kind: KIND,
    rules: builtin_metas,
    suppressions: &[PeerSyntax::Nosemgrep],
    // Rules given with `--rules` join the registry when the run finishes (`Finish::rules`).
    owns_runtime_id: None,
    config: None,
    build,
};

/// How the SAST scanner runs (`--rules`, `--no-builtin-rules`, the skip flags).
#[derive(Clone, Debug, Default)]
pub struct SastOptions {
    /// Rule files given with `--rules`, read at the edge: path and text.
    pub rule_files: Vec<RuleSource>,
    /// Run only the given rule files.
    pub no_builtin: bool,
    /// Rules using constructs the engine lacks are warnings, not errors.
    pub skip_unsupported: bool,
    /// Invalid rules are warnings, not errors.
    pub skip_invalid: bool,
    /// The repository's `.semgrepignore`, when it has one.
    pub semgrepignore: Option<String>,
    /// Steps per file (0: [`DEFAULT_STEP_BUDGET`]).
    pub step_budget: u64,
}

pub use crate::scanners::RuleSource;

/// A problem of a rule file, with the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    /// The rule file.
    pub path: String,
    /// The problem.
    pub problem: Problem,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = &self.problem;
        write!(f, "{}:{}:{}: ", self.path, p.line, p.column)?;
        if let Some(id) = &p.rule {
            write!(f, "rule `{id}`: ")?;
        }
        match p.kind {
            ProblemKind::Unsupported => f.write_str("unsupported: ")?,
            ProblemKind::Ignored | ProblemKind::OtherVersion => f.write_str("warning: ")?,
            ProblemKind::Invalid => {}
        }
        f.write_str(&p.message)
    }
}

/// A rule ready to run.
pub struct CompiledRule {
    /// The rule as written.
    pub rule: Rule,
    /// Its metadata for reporters.
    pub meta: RuleMeta,
    /// Its formula for each language it applies to (`None`: the `regex` language, any file).
    forms: Vec<(Option<&'static Lang>, Compiled)>,
    /// Words of which a file must contain one for the rule to match (empty: no prefilter).
    words: Vec<String>,
    include: Option<Gitignore>,
    exclude: Option<Gitignore>,
}

impl CompiledRule {
    /// Whether the rule's `paths` let it run on `path`.
    pub fn runs_on(&self, path: &str) -> bool {
        let hit = |g: &Gitignore| g.matched_path_or_any_parents(path, false).is_ignore();
        self.include.as_ref().is_none_or(hit) && !self.exclude.as_ref().is_some_and(hit)
    }

    /// Whether the rule has a formula for code of `lang` (not counting `regex` and `generic` ones).
    pub fn applies_to(&self, lang: &Lang) -> bool {
        self.forms
            .iter()
            .any(|(l, _)| l.is_some_and(|l| l.name == lang.name))
    }
}

fn globs(patterns: &[String]) -> Option<Gitignore> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = GitignoreBuilder::new("");
    for p in patterns {
        // Semgrep's `paths` are gitignore-style; a pattern that does not parse matches nothing.
        let _ = b.add_line(None, p);
    }
    b.build().ok()
}

/// The Semgrep severity and confidence a rule's metadata gives, as our [`RuleMeta`].
fn meta_of(rule: &Rule) -> RuleMeta {
    let m = &rule.metadata;
    // The title is the message's first sentence; the rest of the message, when there is one, says how to fix.
    let message = rule.message.trim();
    let (first, rest) = match message.find(". ") {
        Some(i) => (&message[..i], message[i + 2..].trim()),
        None => (message.trim_end_matches('.'), ""),
    };
    let first_line = if first.chars().count() > 120 {
        let cut: String = first.chars().take(117).collect();
        format!(
            "{}...",
            cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut)
        )
    } else {
        first.to_string()
    };
    let cwe = m
        .cwe
        .iter()
        .filter_map(|c| {
            let head = c.split(':').next()?.trim().to_ascii_uppercase();
            head.starts_with("CWE-").then_some(head)
        })
        .collect();
    let owasp = m
        .owasp
        .iter()
        .map(|o| o.split(" - ").next().unwrap_or(o).trim().to_string())
        .collect();
    let mut description = String::new();
    if let Some(c) = &m.category {
        description.push_str(&format!("Category: {c}. "));
    }
    description.push_str(&format!(
        "Semgrep-format rule for {}.",
        rule.languages.join(", ")
    ));
    RuleMeta {
        id: rule.id.clone(),
        scanner: KIND,
        title: first_line,
        severity: rule.severity,
        confidence: m.confidence.unwrap_or(crate::finding::Confidence::Medium),
        description,
        why: rule.message.trim().to_string(),
        remediation: match (&rule.fix, rest) {
            (Some(f), _) => format!("Replace the match with `{f}`."),
            (None, "") => "See the references.".into(),
            (None, rest) => rest.to_string(),
        },
        references: m.references.clone(),
        cwe,
        owasp,
        aliases: Vec::new(),
        generic: false,
        equivalents: Default::default(),
    }
}

/// The words a match of `f` needs one of (empty: none known). A token another one stands for in `lang`
/// (`global` for `nonlocal`) is no such word.
fn words(f: &Compiled, lang: Option<&Lang>) -> Vec<String> {
    match f {
        Compiled::Pattern(p) => {
            let mut all = Vec::new();
            match p {
                pattern::Pattern::One(p) | pattern::Pattern::Terminated(p) => {
                    pattern::literals(p, &mut all)
                }
                pattern::Pattern::Statements(ps) => {
                    ps.iter().for_each(|p| pattern::literals(p, &mut all))
                }
            }
            let equivalent = lang.map_or(&[][..], |l| l.roles.equivalent);
            all.into_iter()
                .filter(|w| !equivalent.iter().any(|(p, _)| p == w))
                .max_by_key(|w| w.len())
                .into_iter()
                .collect()
        }
        Compiled::Any(fs) => {
            let mut out = Vec::new();
            for f in fs {
                let w = words(f, lang);
                if w.is_empty() {
                    return Vec::new();
                }
                out.extend(w);
            }
            out
        }
        Compiled::All(items, _) => items
            .iter()
            .filter(|i| !matches!(i, Compiled::Not(_) | Compiled::Anywhere(_)))
            .map(|i| match i {
                Compiled::Inside(f) => words(f, lang),
                f => words(f, lang),
            })
            .filter(|w| !w.is_empty())
            .max_by_key(|w| w.iter().map(|x| x.len()).min().unwrap_or(0))
            .unwrap_or_default(),
        Compiled::Inside(f) => words(f, lang),
        _ => Vec::new(),
    }
}

/// Loads and compiles one rule file. Rules with problems are left out; the problems say why.
pub fn load_file(path: &str, text: &str) -> (Vec<CompiledRule>, Vec<FileProblem>) {
    let (rules, problems) = read_file(path, text);
    compile_file(path, rules, problems)
}

/// Reads one rule file (the rule model, nothing compiled), with its problems.
fn read_file(path: &str, text: &str) -> (Vec<Rule>, Vec<FileProblem>) {
    let (rules, problems) = rule::load(text);
    let problems = problems
        .into_iter()
        .map(|problem| FileProblem {
            path: path.to_string(),
            problem,
        })
        .collect();
    (rules, problems)
}

/// Compiles the rules read from one file; a rule that does not compile is left out with a problem.
fn compile_file(
    path: &str,
    rules: Vec<Rule>,
    mut problems: Vec<FileProblem>,
) -> (Vec<CompiledRule>, Vec<FileProblem>) {
    let mut out = Vec::new();
    for rule in rules {
        match compile_rule(rule) {
            Ok(r) => out.push(r),
            Err(p) => problems.push(FileProblem {
                path: path.to_string(),
                problem: p,
            }),
        }
    }
    (out, problems)
}

fn compile_rule(rule: Rule) -> Result<CompiledRule, Problem> {
    let problem = |kind, line: u32, column: u32, message: String| Problem {
        kind,
        rule: Some(rule.id.clone()),
        line: line.max(rule.line),
        column: column.max(1),
        message,
    };
    let mut forms = Vec::new();
    for &name in &rule.languages {
        if name == "regex" || name == "generic" {
            let dialect = if name == "regex" {
                Dialect::Regex
            } else {
                Dialect::Generic
            };
            let c = eval::compile(&rule.formula, dialect, rule.options.generic)
                .map_err(|e| problem(ProblemKind::Invalid, e.line, e.column, e.message))?;
            forms.push((None, c));
            continue;
        }
        let targets: Vec<&'static Lang> = lang::LANGUAGES
            .iter()
            .copied()
            .filter(|l| lang::applies(name, l))
            .collect();
        if targets.is_empty() {
            return Err(problem(
                ProblemKind::Unsupported,
                rule.line,
                1,
                format!("language `{name}` is not supported yet"),
            ));
        }
        for l in targets {
            let c = eval::compile(&rule.formula, Dialect::Code(l), rule.options.generic)
                .map_err(|e| problem(ProblemKind::Invalid, e.line, e.column, e.message))?;
            forms.push((Some(l), c));
        }
    }
    let words = forms
        .iter()
        .map(|(l, c)| words(c, *l))
        .reduce(|mut a, b| {
            if a.is_empty() || b.is_empty() {
                Vec::new()
            } else {
                a.extend(b);
                a
            }
        })
        .unwrap_or_default();
    Ok(CompiledRule {
        meta: meta_of(&rule),
        include: globs(&rule.include),
        exclude: globs(&rule.exclude),
        forms,
        words,
        rule,
    })
}

/// The built-in pack's files.
fn builtin_sources() -> Vec<RuleSource> {
    embedded("sast")
        .filter(|f| matches!(f.format, "yaml" | "yml"))
        .map(|f| RuleSource {
            path: f.path.to_string(),
            text: f.source.to_string(),
        })
        .collect()
}

/// One loaded rule file: its path, its rules and its problems.
type Loaded = (String, Vec<Arc<CompiledRule>>, Vec<FileProblem>);

/// One rule file read: its path, its rules (not compiled) and its problems.
type Read = (String, Vec<Rule>, Vec<FileProblem>);

/// The built-in pack read once per process: all the registry needs (`rules list`, `explain`, a scan
/// without SAST), so that nothing is compiled for them.
fn builtin_read() -> &'static [Read] {
    static READ: std::sync::OnceLock<Vec<Read>> = std::sync::OnceLock::new();
    READ.get_or_init(|| {
        builtin_sources()
            .into_iter()
            .map(|src| {
                let (rules, problems) = read_file(&src.path, &src.text);
                (src.path, rules, problems)
            })
            .collect()
    })
}

/// The built-in pack compiled once per process, when the SAST scanner runs; its files in parallel.
fn builtin() -> &'static [Loaded] {
    static BUILTIN: std::sync::OnceLock<Vec<Loaded>> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| {
        use rayon::prelude::*;
        builtin_read()
            .par_iter()
            .map(|(path, rules, problems)| {
                let (rules, problems) = compile_file(path, rules.clone(), problems.clone());
                (
                    path.clone(),
                    rules.into_iter().map(Arc::new).collect(),
                    problems,
                )
            })
            .collect()
    })
}

fn builtin_metas() -> Result<Vec<RuleMeta>, RuleError> {
    let mut out = Vec::new();
    for (path, rules, problems) in builtin_read() {
        if let Some(p) = problems.first() {
            return Err(RuleError {
                path: path.clone(),
                message: p.to_string(),
            });
        }
        out.extend(rules.iter().map(meta_of));
    }
    Ok(out)
}

fn build(options: &ScannerOptions) -> Result<Box<dyn DynScanner>, RuleError> {
    Ok(Box::new(SastScanner::new(options)?))
}

/// Semgrep's default ignores where a repository has no `.semgrepignore`: dependencies, build output,
/// minified code and test folders.
const DEFAULT_SEMGREPIGNORE: &str = "node_modules/\nbuild/\ndist/\nvendor/\n.env/\n.venv/\n.tox/\n*.min.js\n.npm/\n.yarn/\ntest/\ntests/\n*_test.go\n.semgrep\n.semgrep_logs/\n";

/// The scanner.
pub struct SastScanner {
    rules: Vec<Arc<CompiledRule>>,
    /// Built-in rules loaded (their metadata is in the registry already).
    builtin_count: usize,
    prefilter: Option<AhoCorasick>,
    /// For each prefilter word, the rules that need it.
    word_rules: Vec<Vec<usize>>,
    ignore: Gitignore,
    warnings: Vec<Diagnostic>,
    budget: u64,
}

impl SastScanner {
    /// Loads the built-in pack (unless `--no-builtin-rules`) and the `--rules` files, compiled once.
    pub fn new(options: &ScannerOptions) -> Result<SastScanner, RuleError> {
        let o = &options.sast;
        let mut rules = Vec::new();
        let mut warnings = Vec::new();
        let mut builtin_count = 0;
        let mut loaded_files: Vec<(bool, Loaded)> = Vec::new();
        if !o.no_builtin {
            loaded_files.extend(builtin().iter().cloned().map(|l| (true, l)));
        }
        for src in &o.rule_files {
            let (rules, problems) = load_file(&src.path, &src.text);
            loaded_files.push((
                false,
                (
                    src.path.clone(),
                    rules.into_iter().map(Arc::new).collect(),
                    problems,
                ),
            ));
        }
        let mut fatal: Vec<String> = Vec::new();
        for (builtin, (path, loaded, problems)) in loaded_files {
            for p in problems {
                let skip = match p.problem.kind {
                    ProblemKind::Invalid => o.skip_invalid && !builtin,
                    ProblemKind::Unsupported => o.skip_unsupported,
                    kind @ (ProblemKind::Ignored | ProblemKind::OtherVersion) => {
                        warnings.push(Diagnostic::at(
                            Level::Warning,
                            if kind == ProblemKind::Ignored {
                                "sast-rule-option"
                            } else {
                                "sast-rule-version"
                            },
                            p.path.clone(),
                            p.problem.line,
                            match &p.problem.rule {
                                Some(id) => format!("rule `{id}`: {}", p.problem.message),
                                None => p.problem.message.clone(),
                            },
                        ));
                        continue;
                    }
                };
                if skip {
                    warnings.push(Diagnostic::at(
                        Level::Warning,
                        "sast-rule-skipped",
                        p.path.clone(),
                        p.problem.line,
                        format!("rule skipped: {p}"),
                    ));
                } else {
                    fatal.push(p.to_string());
                }
            }
            for r in loaded {
                if options.disabled_rules.contains(&r.rule.id) {
                    continue;
                }
                if rules
                    .iter()
                    .any(|x: &Arc<CompiledRule>| x.rule.id == r.rule.id)
                {
                    fatal.push(format!("{path}: duplicate rule id `{}`", r.rule.id));
                    continue;
                }
                builtin_count += builtin as usize;
                rules.push(r);
            }
        }
        if !fatal.is_empty() {
            let n = fatal.len();
            return Err(RuleError {
                path: "SAST rules".into(),
                message: format!(
                    "{n} problem{} (--skip-invalid-rules / --skip-unsupported-rules turn them into warnings): {}",
                    if n == 1 { "" } else { "s" },
                    fatal.join("; ")
                ),
            });
        }
        let mut words: Vec<String> = Vec::new();
        let mut word_rules: Vec<Vec<usize>> = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            for w in &r.words {
                match words.iter().position(|x| x == w) {
                    Some(at) => word_rules[at].push(i),
                    None => {
                        words.push(w.clone());
                        word_rules.push(vec![i]);
                    }
                }
            }
        }
        let prefilter = if words.is_empty() {
            None
        } else {
            AhoCorasick::new(&words).ok()
        };
        let mut ig = GitignoreBuilder::new("");
        for line in o
            .semgrepignore
            .as_deref()
            .unwrap_or(DEFAULT_SEMGREPIGNORE)
            .lines()
        {
            if line.starts_with(":include") {
                // `:include .gitignore`: the walk already honours .gitignore.
                continue;
            }
            let _ = ig.add_line(None, line);
        }
        Ok(SastScanner {
            rules,
            builtin_count,
            prefilter,
            word_rules,
            ignore: ig.build().unwrap_or_else(|_| Gitignore::empty()),
            warnings,
            budget: if o.step_budget == 0 {
                DEFAULT_STEP_BUDGET
            } else {
                o.step_budget
            },
        })
    }

    /// The rules that may match `text`: those without a prefilter, and those whose words occur in it.
    fn candidates(&self, text: &str) -> Vec<bool> {
        let mut run: Vec<bool> = self.rules.iter().map(|r| r.words.is_empty()).collect();
        if let Some(ac) = &self.prefilter {
            for m in ac.find_overlapping_iter(text) {
                for &r in &self.word_rules[m.pattern().as_usize()] {
                    run[r] = true;
                }
            }
        }
        run
    }
}

impl SastScanner {
    /// The rules worth running on `text` (by the literal prefilter), or `None` when there are none and the
    /// file need not be parsed (`.semgrepignore` was applied by [`Scanner::wants`]).
    pub fn rules_for(&self, text: &str) -> Option<Vec<bool>> {
        let run = self.candidates(text);
        run.iter().any(|&r| r).then_some(run)
    }

    /// The rules `run` selects on one parsed file (their `paths` applied): the hits and the notes.
    pub fn match_file(
        &self,
        path: &str,
        syntax: &Syntax,
        run: &[bool],
    ) -> (Vec<Hit>, Vec<Diagnostic>) {
        run_rules(&self.rules, run, syntax, Some(path), self.budget)
    }
}

/// One rule's match in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the rule.
    pub rule: usize,
    /// Byte range.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The message with metavariables interpolated.
    pub message: String,
    /// The fix with metavariables interpolated.
    pub fix: Option<String>,
}

/// Runs `rules` (those `run` selects) on one parsed file; notes for syntax errors and spent budgets. With a
/// `path`, each rule's `paths` decide whether it runs (`rules test` passes none, as Semgrep's `--test`).
pub fn run_rules(
    rules: &[Arc<CompiledRule>],
    run: &[bool],
    syntax: &Syntax,
    path: Option<&str>,
    budget: u64,
) -> (Vec<Hit>, Vec<Diagnostic>) {
    let shown = path.unwrap_or("");
    let mut hits = Vec::new();
    let mut notes = Vec::new();
    // A file of no language of ours is read by `regex` and `generic` rules only, as text (its tree is empty;
    // the language named here is never consulted).
    let coded = syntax.lang.is_some();
    let lang = syntax.lang.unwrap_or(&lang::TEXT_STANDIN);
    let target = Target::new(lang, &syntax.tree, &syntax.text, budget);
    let mut ev = Evaluator::new(&target);
    for (i, r) in rules.iter().enumerate() {
        if !run.get(i).copied().unwrap_or(false) || path.is_some_and(|p| !r.runs_on(p)) {
            continue;
        }
        let Some((_, form)) = r
            .forms
            .iter()
            .find(|(l, _)| coded && l.is_some_and(|l| l.name == lang.name))
            .or_else(|| r.forms.iter().find(|(l, _)| l.is_none()))
        else {
            continue;
        };
        let before = target.steps();
        target.propagate_constants(r.rule.options.constant_propagation);
        let matches = ev.eval(form);
        if target.exhausted() {
            notes.push(Diagnostic::file(
                Level::Note,
                "sast-budget",
                shown,
                format!(
                    "matching stopped at rule `{}`: the file took more than {budget} matcher steps ({} for this rule); later rules did not run on it",
                    r.rule.id,
                    target.steps() - before
                ),
            ));
            break;
        }
        let mut last: Option<(u32, u32)> = None;
        for m in matches {
            // A match ends at its last token, not at the newline a grammar counts in (YAML's mappings).
            let text = syntax.text.as_bytes();
            let mut end = m.end;
            while end > m.start
                && text
                    .get(end as usize - 1)
                    .is_some_and(u8::is_ascii_whitespace)
            {
                end -= 1;
            }
            // The same rule on the same range is reported once.
            if last == Some((m.start, end)) {
                continue;
            }
            last = Some((m.start, end));
            hits.push(Hit {
                rule: i,
                start: m.start as usize,
                end: end as usize,
                message: eval::interpolate(&r.rule.message, &m.env, &target),
                fix: r
                    .rule
                    .fix
                    .as_ref()
                    .map(|f| eval::interpolate(f, &m.env, &target)),
            });
        }
    }
    if let (true, Some(&e)) = (coded, syntax.tree.errors().first()) {
        let n = syntax.tree.node(e);
        notes.push(Diagnostic::at(
            Level::Note,
            "sast-syntax",
            shown,
            n.line + 1,
            format!(
                "{} syntax error{} in {} (first at line {}); matched on what parsed",
                syntax.tree.errors().len(),
                if syntax.tree.errors().len() == 1 {
                    ""
                } else {
                    "s"
                },
                lang.name,
                n.line + 1
            ),
        ));
    }
    (hits, notes)
}

impl Scanner for SastScanner {
    type Facts = ();

    fn kind(&self) -> ScannerKind {
        KIND
    }

    fn wants(&self, path: &str, class: &Classification) -> bool {
        if self
            .ignore
            .matched_path_or_any_parents(path, false)
            .is_ignore()
        {
            return false;
        }
        let lang = class.language.and_then(lang::by_name);
        self.rules.iter().any(|r| {
            lang.is_some_and(|l| r.applies_to(l))
                // `regex` and `generic` rules read any file their `paths` let them.
                || (r.forms.iter().any(|(l, _)| l.is_none()) && r.runs_on(path))
        })
    }

    fn scan(&self, file: &Arc<SourceFile>, cx: &mut FileContext<'_, ()>) -> Result<(), ScanError> {
        let path = file.path().to_string();
        let Some(run) = self.rules_for(&String::from_utf8_lossy(file.bytes())) else {
            return Ok(());
        };
        let syntax = file.parse::<Syntax>();
        let (hits, notes) = self.match_file(&path, &syntax, &run);
        for d in notes {
            cx.diagnose(d);
        }
        let text = SourceText::new(syntax.text.as_bytes());
        for h in hits {
            let r = &self.rules[h.rule];
            let mut b =
                FindingBuilder::new(&r.meta, &path, &text, h.start..h.end).message(h.message);
            if let Some(f) = h.fix {
                b = b.fix(f);
            }
            cx.report(b.build());
        }
        Ok(())
    }

    fn finish(&self, _facts: Vec<()>) -> crate::scanners::Finish {
        let n = self.rules.len();
        crate::scanners::Finish {
            findings: Vec::new(),
            rules: self.rules[self.builtin_count.min(n)..]
                .iter()
                .map(|r| r.meta.clone())
                .collect(),
            diagnostics: self.warnings.clone(),
            coverage: Some(format!("{n} rule{}", if n == 1 { "" } else { "s" })),
        }
    }
}

/// Every rule's formula names only what the engine runs (used by `rules validate`).
pub fn validate(sources: &[RuleSource]) -> Vec<FileProblem> {
    let mut out = Vec::new();
    for s in sources {
        out.extend(load_file(&s.path, &s.text).1);
    }
    out
}
