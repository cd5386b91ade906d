//! Semgrep-format rule files, read from the shared YAML tree ([`crate::yaml`]) and validated into [`Rule`]s
//! whose formula is a [`Formula`] tree. Every problem names the line and column in the rule file; a rule
//! using a construct the engine does not run yet is [`ProblemKind::Unsupported`], never silently skipped.
//!
//! Patterns stay text here: the pattern compiler (per language, on tree-sitter) reads them next.

use crate::finding::{Confidence, Severity};
use crate::yaml::{self, Node, Value};

/// A Semgrep-format rule, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The rule's own id (finding ids are this).
    pub id: String,
    /// The message, with `$X` to interpolate.
    pub message: String,
    /// Severity on our scale (see [`severity`]).
    pub severity: Severity,
    /// Languages by their canonical name (`python`, `javascript`, `generic`, `regex`…).
    pub languages: Vec<&'static str>,
    /// What must match.
    pub formula: Formula,
    /// `paths.include` globs.
    pub include: Vec<String>,
    /// `paths.exclude` globs.
    pub exclude: Vec<String>,
    /// `fix`: the replacement text.
    pub fix: Option<String>,
    /// `fix-regex`: regex, replacement and count.
    pub fix_regex: Option<FixRegex>,
    /// The metadata portcullis reads.
    pub metadata: Metadata,
    /// The `options` the engine honours.
    pub options: RuleOptions,
    /// Line of the rule in its file.
    pub line: u32,
}

/// The rule `options` that change how the engine matches (Semgrep's defaults when absent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleOptions {
    /// `constant_propagation`: a literal pattern matches a variable that holds it.
    pub constant_propagation: bool,
    /// The options of `generic` patterns.
    pub generic: GenericOptions,
}

impl Default for RuleOptions {
    fn default() -> Self {
        RuleOptions {
            constant_propagation: true,
            generic: GenericOptions::default(),
        }
    }
}

/// How `generic` patterns match: `generic_ellipsis_max_span` and `generic_comment_style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenericOptions {
    /// How many line breaks one `...` may span (Semgrep's default: 10).
    pub ellipsis_max_span: usize,
    /// Comments that are not matched (none by default).
    pub comments: CommentStyle,
}

impl Default for GenericOptions {
    fn default() -> Self {
        GenericOptions {
            ellipsis_max_span: 10,
            comments: CommentStyle::None,
        }
    }
}

/// `generic_comment_style`: which comments a `generic` rule ignores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CommentStyle {
    /// Every character is matched.
    #[default]
    None,
    /// `/* ... */`.
    C,
    /// `// ...` and `/* ... */`.
    Cpp,
    /// `# ...`.
    Shell,
}

/// A `fix-regex` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixRegex {
    /// The regex to replace in the matched text.
    pub regex: String,
    /// Its replacement.
    pub replacement: String,
    /// How many occurrences (all when absent).
    pub count: Option<u32>,
}

/// The metadata portcullis carries into findings, `explain`, JSON and SARIF.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// CWE entries as written (`CWE-295: Improper Certificate Validation`).
    pub cwe: Vec<String>,
    /// OWASP entries as written.
    pub owasp: Vec<String>,
    /// Reference URLs.
    pub references: Vec<String>,
    /// `confidence` (`HIGH`, `MEDIUM`, `LOW`).
    pub confidence: Option<Confidence>,
    /// `likelihood`, as written.
    pub likelihood: Option<String>,
    /// `impact`, as written.
    pub impact: Option<String>,
    /// `category`, as written.
    pub category: Option<String>,
    /// `subcategory` entries.
    pub subcategory: Vec<String>,
}

/// What a rule matches: Semgrep's operators as one tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    /// `pattern`: code in the rule's language.
    Pattern(Text),
    /// `pattern-regex`: a regex over the file's text.
    Regex(Text),
    /// `pattern-either` / `match.any`: any of them.
    Any(Vec<Formula>),
    /// `patterns` / `match.all`: every positive item, no negative one, then the conditions in order.
    All(Vec<Formula>, Vec<Condition>),
    /// `pattern-not` / `match.not` (inside `All` only).
    Not(Box<Formula>),
    /// `pattern-inside` / `match.inside`: the match lies within a match of this.
    Inside(Box<Formula>),
    /// `match.anywhere`: this matches somewhere in the file.
    Anywhere(Box<Formula>),
}

/// A condition of an `All` formula on what its positive items bound.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `metavariable-regex`.
    Regex {
        /// The metavariable (`$X`).
        var: String,
        /// The regex its text must match (from its start, as Semgrep's `re.match`).
        regex: String,
        /// `constant-value-propagation`: match on the propagated constant's value.
        constant_value_propagation: bool,
    },
    /// `metavariable-pattern`: a formula over the metavariable's text (or its string value, in `language`).
    Pattern {
        /// The metavariable.
        var: String,
        /// The language to parse the value as, when not the rule's.
        language: Option<&'static str>,
        /// The nested formula.
        formula: Box<Formula>,
    },
    /// `metavariable-comparison`: an expression over metavariables.
    Comparison {
        /// The expression (`int($X) > 1024 and $Y != "x"`).
        expr: String,
        /// The metavariable, when named.
        var: Option<String>,
        /// `strip`: strip quotes from the value first.
        strip: bool,
        /// `base` of integer literals.
        base: Option<u32>,
    },
    /// `metavariable-analysis`.
    Analysis {
        /// The metavariable.
        var: String,
        /// `entropy` or `redos`.
        analyzer: Analyzer,
    },
    /// `focus-metavariable`: report the span of these metavariables (their intersection when several).
    Focus(Vec<String>),
    /// `metavariable-type`: the metavariable's value has one of these types.
    Type {
        /// The metavariable.
        var: String,
        /// The types (`type:` is one, `types:` a list).
        types: Vec<Text>,
    },
}

/// The analyzers of `metavariable-analysis`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Analyzer {
    /// High-entropy strings.
    Entropy,
    /// Regexes prone to catastrophic backtracking.
    Redos,
}

/// Text from a rule file with its place (patterns and regexes are reported at it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// The text.
    pub text: String,
    /// 1-based line in the rule file.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// What is wrong with a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The rule is not valid Semgrep.
    Invalid,
    /// Valid Semgrep that the engine does not run yet.
    Unsupported,
    /// Valid Semgrep read and not honoured (a rule option): the rule runs, with a warning.
    Ignored,
    /// Valid Semgrep meant for other Semgrep versions (`min-version`/`max-version`): the rule does not run,
    /// with a warning, as Semgrep skips it.
    OtherVersion,
}

impl ProblemKind {
    /// Whether the problem stops the rule from running as written (invalid or unsupported), so that the run
    /// fails closed unless such rules are skipped.
    pub fn blocks(self) -> bool {
        matches!(self, ProblemKind::Invalid | ProblemKind::Unsupported)
    }
}

/// One problem in a rule file, at its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Invalid or unsupported.
    pub kind: ProblemKind,
    /// The rule's id, when known.
    pub rule: Option<String>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// Languages by every name Semgrep accepts, with the canonical one.
const LANGUAGES: &[(&str, &str)] = &[
    ("python", "python"),
    ("py", "python"),
    ("python3", "python"),
    ("javascript", "javascript"),
    ("js", "javascript"),
    ("jsx", "javascript"),
    ("typescript", "typescript"),
    ("ts", "typescript"),
    ("tsx", "tsx"),
    ("java", "java"),
    ("go", "go"),
    ("golang", "go"),
    ("ruby", "ruby"),
    ("rb", "ruby"),
    ("php", "php"),
    ("rust", "rust"),
    ("rs", "rust"),
    ("csharp", "csharp"),
    ("c#", "csharp"),
    ("cs", "csharp"),
    ("kotlin", "kotlin"),
    ("kt", "kotlin"),
    ("scala", "scala"),
    ("swift", "swift"),
    ("c", "c"),
    ("cpp", "cpp"),
    ("c++", "cpp"),
    ("bash", "bash"),
    ("sh", "bash"),
    ("lua", "lua"),
    ("elixir", "elixir"),
    ("ex", "elixir"),
    ("solidity", "solidity"),
    ("sol", "solidity"),
    ("dart", "dart"),
    ("hcl", "hcl"),
    ("terraform", "hcl"),
    ("tf", "hcl"),
    ("yaml", "yaml"),
    ("json", "json"),
    ("dockerfile", "dockerfile"),
    ("docker", "dockerfile"),
    ("html", "html"),
    ("generic", "generic"),
    ("regex", "regex"),
    ("none", "regex"),
];

/// The canonical name of a Semgrep language name, in any case.
pub fn language(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_ascii_lowercase();
    LANGUAGES.iter().find(|(n, _)| *n == lower).map(|(_, c)| *c)
}

/// Semgrep severities on our scale: `ERROR` high, `WARNING` medium, `INFO` low (Semgrep's own mapping onto its
/// newer names); `CRITICAL`/`HIGH`/`MEDIUM`/`LOW` as named; `INVENTORY` and `EXPERIMENT` informational.
pub fn severity(name: &str) -> Option<Severity> {
    Some(match name.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Severity::Critical,
        "ERROR" | "HIGH" => Severity::High,
        "WARNING" | "MEDIUM" => Severity::Medium,
        "INFO" | "LOW" => Severity::Low,
        "INVENTORY" | "EXPERIMENT" => Severity::Info,
        _ => return None,
    })
}

/// The Semgrep release whose documented semantics the engine follows and was compared with; a rule's
/// `min-version`/`max-version` are checked against it.
pub const SEMGREP_SEMANTICS: &str = "1.185.0";

/// `1`, `1.40` or `1.40.0` (a leading `v` allowed) as (major, minor, patch).
fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let t = text.trim();
    let t = t.strip_prefix('v').unwrap_or(t);
    let mut parts = t.split('.');
    let mut next = |required: bool| match parts.next() {
        Some(p) => p.parse::<u64>().ok(),
        None => (!required).then_some(0),
    };
    let v = (next(true)?, next(false)?, next(false)?);
    parts.next().is_none().then_some(v)
}

/// Keys of a rule that portcullis reads or knows to ignore.
const RULE_KEYS: &[&str] = &[
    "id",
    "message",
    "severity",
    "languages",
    "metadata",
    "paths",
    "fix",
    "fix-regex",
    "options",
    "min-version",
    "max-version",
    "mode",
    "pattern",
    "patterns",
    "pattern-either",
    "pattern-regex",
    "match",
    "title",
    "description",
];

/// Keys that are valid Semgrep but name a construct the engine does not run yet.
const UNSUPPORTED_RULE_KEYS: &[&str] = &[
    "pattern-sources",
    "pattern-sinks",
    "pattern-sanitizers",
    "pattern-propagators",
    "taint",
    "join",
    "extract",
    "dest-language",
    "reduce",
    "transform",
    "project-depends-on",
    "r2c-internal-project-depends-on",
    "equivalences",
    "pattern-where-python",
];

/// Collects problems while reading one file.
struct Reader {
    problems: Vec<Problem>,
    rule: Option<String>,
    /// How deep inside `metavariable-pattern` the reader is: there a `patterns` may hold negations only
    /// (they filter the metavariable's value, as in Semgrep).
    in_metavariable: usize,
}

impl Reader {
    fn problem(&mut self, kind: ProblemKind, at: &Node, message: impl Into<String>) {
        self.problems.push(Problem {
            kind,
            rule: self.rule.clone(),
            line: at.line,
            column: at.column,
            message: message.into(),
        });
    }

    fn invalid(&mut self, at: &Node, message: impl Into<String>) {
        self.problem(ProblemKind::Invalid, at, message);
    }

    /// The value under `key` of `parent`, or a problem saying that `op` needs it.
    fn field<'n>(&mut self, parent: &'n Node, key: &str, op: &str) -> Option<&'n Node> {
        let v = parent.get(key);
        if v.is_none() {
            self.invalid(parent, format!("`{op}` needs `{key}`"));
        }
        v
    }

    /// `entropy` or `redos`.
    fn analyzer(&mut self, n: &Node) -> Option<Analyzer> {
        match n.as_str() {
            Some("entropy") => Some(Analyzer::Entropy),
            Some("redos") => Some(Analyzer::Redos),
            _ => {
                self.invalid(n, "`analyzer` must be `entropy` or `redos`");
                None
            }
        }
    }

    /// One metavariable or a list of them (`focus-metavariable`, `focus`).
    fn focus(&mut self, n: &Node, what: &str) -> Option<Condition> {
        let vars: Vec<String> = match &n.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| self.metavariable(i, what))
                .collect(),
            _ => self.metavariable(n, what).into_iter().collect(),
        };
        (!vars.is_empty()).then_some(Condition::Focus(vars))
    }

    fn string(&mut self, n: &Node, what: &str) -> Option<String> {
        match &n.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => {
                self.invalid(n, format!("`{what}` must be a string, not {}", n.kind()));
                None
            }
        }
    }

    fn text(&mut self, n: &Node, what: &str) -> Option<Text> {
        let text = self.string(n, what)?;
        Some(Text {
            text,
            line: n.line,
            column: n.column,
        })
    }

    /// A string or a list of strings.
    fn strings(&mut self, n: &Node, what: &str) -> Vec<String> {
        match &n.value {
            Value::Seq(items) => items.iter().filter_map(|i| self.string(i, what)).collect(),
            Value::Null => Vec::new(),
            _ => self.string(n, what).into_iter().collect(),
        }
    }

    fn regex(&mut self, n: &Node, what: &str) -> Option<Text> {
        let t = self.text(n, what)?;
        match super::re::Re::new(&t.text, 1 << 22) {
            Ok(_) => Some(t),
            Err(e) => {
                self.invalid(n, format!("`{what}` is not a valid regex: {e}"));
                None
            }
        }
    }

    fn metavariable(&mut self, n: &Node, what: &str) -> Option<String> {
        let v = self.string(n, what)?;
        let name_ok = v.strip_prefix('$').is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
        });
        if name_ok {
            Some(v)
        } else {
            self.invalid(
                n,
                format!("`{what}` must name a metavariable such as `$X`, not `{v}`"),
            );
            None
        }
    }

    /// One rule of `rules:`.
    fn rule(&mut self, n: &Node) -> Option<Rule> {
        let Some(map) = n.as_map() else {
            self.invalid(n, format!("a rule must be a mapping, not {}", n.kind()));
            return None;
        };
        self.rule = n.get("id").and_then(Node::as_str).map(str::to_string);
        let problems_before = self.problems.len();
        // A rule meant for other Semgrep versions is skipped before the rest is read: it may use keys and
        // syntax of those versions (which is what the bounds are for).
        let mut ok = true;
        for key in ["min-version", "max-version"] {
            if let Some(v) = n.get(key) {
                ok &= self.version_bound(key, v);
            }
        }
        if !ok {
            return None;
        }
        for (k, v) in map {
            let Some(key) = k.as_str() else {
                self.invalid(k, "rule keys must be strings");
                ok = false;
                continue;
            };
            if UNSUPPORTED_RULE_KEYS.contains(&key) {
                self.problem(
                    ProblemKind::Unsupported,
                    k,
                    format!("`{key}` is not supported yet"),
                );
                ok = false;
            } else if !RULE_KEYS.contains(&key) {
                self.invalid(k, format!("unknown key `{key}`"));
                ok = false;
            }
            if key == "mode" {
                match v.as_str() {
                    Some("search") => {}
                    Some(m @ ("taint" | "join" | "extract")) => {
                        self.problem(
                            ProblemKind::Unsupported,
                            v,
                            format!("`mode: {m}` is not supported yet"),
                        );
                        ok = false;
                    }
                    _ => {
                        self.invalid(v, "`mode` must be `search`, `taint`, `join` or `extract`");
                        ok = false;
                    }
                }
            }
        }
        let required = |r: &mut Reader, key: &str| -> Option<&Node> {
            let v = n.get(key);
            if v.is_none() {
                r.invalid(n, format!("missing `{key}`"));
            }
            v
        };
        let id = required(self, "id").and_then(|v| self.string(v, "id"));
        let message = required(self, "message").and_then(|v| self.string(v, "message"));
        let severity = required(self, "severity").and_then(|v| {
            let s = self.string(v, "severity")?;
            let sev = severity(&s);
            if sev.is_none() {
                self.invalid(
                    v,
                    format!("unknown severity `{s}` (ERROR, WARNING, INFO, INVENTORY, EXPERIMENT, CRITICAL, HIGH, MEDIUM, LOW)"),
                );
            }
            sev
        });
        let languages = required(self, "languages")
            .map(|v| self.languages(v))
            .unwrap_or_default();
        let formula_keys = [
            "pattern",
            "patterns",
            "pattern-either",
            "pattern-regex",
            "match",
        ];
        let present: Vec<&(Node, Node)> = map
            .iter()
            .filter(|(k, _)| k.as_str().is_some_and(|k| formula_keys.contains(&k)))
            .collect();
        let formula = match present.as_slice() {
            [(k, v)] => self.formula_key(k.as_str().unwrap_or_default(), k, v),
            [] => {
                if ok {
                    self.invalid(n, "a rule needs one of `pattern`, `patterns`, `pattern-either`, `pattern-regex` or `match`");
                }
                None
            }
            [_, (k, _), ..] => {
                self.invalid(k, "a rule has exactly one top-level formula key");
                None
            }
        };
        let (include, exclude) = match n.get("paths") {
            Some(p) => self.paths(p),
            None => (Vec::new(), Vec::new()),
        };
        let fix = n.get("fix").and_then(|v| self.string(v, "fix"));
        let fix_regex = n.get("fix-regex").and_then(|v| self.fix_regex(v));
        let metadata = n
            .get("metadata")
            .map(|v| self.metadata(v))
            .unwrap_or_default();
        let options = match n.get("options") {
            Some(o) => match o.as_map() {
                Some(entries) => self.options(entries),
                None if o.value != Value::Null => {
                    self.invalid(o, "`options` must be a mapping");
                    RuleOptions::default()
                }
                None => RuleOptions::default(),
            },
            None => RuleOptions::default(),
        };
        let rule = Rule {
            id: id?,
            message: message?,
            severity: severity?,
            languages,
            formula: formula?,
            include,
            exclude,
            fix,
            fix_regex,
            metadata,
            options,
            line: n.line,
        };
        // A rule with an invalid or unsupported part does not run at all (skipped rules are skipped whole).
        let blocked = self.problems[problems_before..]
            .iter()
            .any(|p| p.kind.blocks());
        (ok && !blocked && !rule.languages.is_empty()).then_some(rule)
    }

    /// `min-version`/`max-version`: Semgrep versions between which the rule is meant to run, compared with the
    /// Semgrep release whose semantics portcullis follows. A rule outside its range does not run, as Semgrep
    /// skips it "without causing a fatal error", with a warning (never silently dropped).
    fn version_bound(&mut self, key: &str, v: &Node) -> bool {
        let Some(text) = self.string(v, key) else {
            return false;
        };
        let Some(wanted) = parse_version(&text) else {
            self.invalid(
                v,
                format!("`{key}` must be a version such as `1.40.0`, not `{text}`"),
            );
            return false;
        };
        let ours = parse_version(SEMGREP_SEMANTICS).unwrap_or_default();
        let outside = if key == "min-version" {
            wanted > ours
        } else {
            wanted < ours
        };
        if outside {
            let how = if key == "min-version" {
                "at least"
            } else {
                "at most"
            };
            self.problem(
                ProblemKind::OtherVersion,
                v,
                format!("the rule is skipped: it needs Semgrep {how} {text}, and portcullis follows Semgrep {SEMGREP_SEMANTICS}"),
            );
        }
        !outside
    }

    /// Rule options. `constant_propagation`, `generic_ellipsis_max_span` and `generic_comment_style` are
    /// honoured; options whose value is what the engine does anyway are accepted; any other is a warning
    /// (the rule runs as if it were absent), and a value of the wrong type is invalid.
    fn options(&mut self, entries: &[(Node, Node)]) -> RuleOptions {
        let mut out = RuleOptions::default();
        for (k, v) in entries {
            let key = k.as_str().unwrap_or_default();
            let flag = match &v.value {
                Value::Bool(b) => Some(*b),
                _ => None,
            };
            let honoured = match key {
                "constant_propagation" => {
                    out.constant_propagation = flag.unwrap_or(true);
                    flag.is_some()
                }
                "generic_ellipsis_max_span" => match &v.value {
                    Value::Int(n) if *n >= 0 => {
                        out.generic.ellipsis_max_span = usize::try_from(*n).unwrap_or(usize::MAX);
                        true
                    }
                    _ => {
                        self.invalid(v, "`generic_ellipsis_max_span` must be a number of lines");
                        continue;
                    }
                },
                "generic_comment_style" => {
                    out.generic.comments = match v.as_str() {
                        Some("c") => CommentStyle::C,
                        Some("cpp") => CommentStyle::Cpp,
                        Some("shell") => CommentStyle::Shell,
                        _ => {
                            self.invalid(
                                v,
                                "`generic_comment_style` must be `c`, `cpp` or `shell`",
                            );
                            continue;
                        }
                    };
                    true
                }
                // What the engine does anyway (Semgrep's defaults, and the experimental options' defaults).
                "attr_expr"
                | "vardef_assign"
                | "xml_attrs_implicit_ellipsis"
                | "implicit_return" => flag == Some(true),
                "symbolic_propagation"
                | "commutative_boolop"
                | "ac_matching"
                | "decorators_order_matters"
                | "symmetric_eq" => flag == Some(false),
                // Taint options belong to taint rules, which fail closed as unsupported on their own.
                k if k.starts_with("taint_") => true,
                _ => false,
            };
            if !honoured {
                self.problem(
                    ProblemKind::Ignored,
                    k,
                    format!(
                        "option `{key}` is not honoured: the rule runs as Semgrep does without it"
                    ),
                );
            }
        }
        out
    }

    fn languages(&mut self, v: &Node) -> Vec<&'static str> {
        let Some(items) = v.as_seq() else {
            self.invalid(v, "`languages` must be a list");
            return Vec::new();
        };
        if items.is_empty() {
            self.invalid(v, "`languages` is empty");
        }
        let mut out = Vec::new();
        for item in items {
            let Some(name) = self.string(item, "languages") else {
                continue;
            };
            match language(&name) {
                Some(l) if !out.contains(&l) => out.push(l),
                Some(_) => {}
                None => self.problem(
                    ProblemKind::Unsupported,
                    item,
                    format!("language `{name}` is not supported"),
                ),
            }
        }
        out
    }

    fn paths(&mut self, p: &Node) -> (Vec<String>, Vec<String>) {
        let mut include = Vec::new();
        let mut exclude = Vec::new();
        let Some(map) = p.as_map() else {
            self.invalid(
                p,
                "`paths` must be a mapping with `include` and/or `exclude`",
            );
            return (include, exclude);
        };
        for (k, v) in map {
            match k.as_str() {
                Some("include") => include = self.strings(v, "paths.include"),
                Some("exclude") => exclude = self.strings(v, "paths.exclude"),
                _ => self.invalid(k, "`paths` takes `include` and `exclude`"),
            }
        }
        for g in include.iter().chain(&exclude) {
            if let Err(e) = globset::Glob::new(g) {
                self.invalid(p, format!("bad glob `{g}` in `paths`: {e}"));
            }
        }
        (include, exclude)
    }

    fn fix_regex(&mut self, v: &Node) -> Option<FixRegex> {
        let r = self.field(v, "regex", "fix-regex")?;
        let regex = self.regex(r, "fix-regex.regex")?.text;
        let r = self.field(v, "replacement", "fix-regex")?;
        let replacement = self.string(r, "fix-regex.replacement")?;
        let count = match v.get("count").map(|c| &c.value) {
            Some(Value::Int(n)) => u32::try_from(*n).ok(),
            _ => None,
        };
        Some(FixRegex {
            regex,
            replacement,
            count,
        })
    }

    fn metadata(&mut self, v: &Node) -> Metadata {
        let mut m = Metadata::default();
        let Some(map) = v.as_map() else {
            if v.value != Value::Null {
                self.invalid(v, "`metadata` must be a mapping");
            }
            return m;
        };
        // Metadata is free-form in Semgrep: only the keys portcullis reads are checked, leniently.
        let lenient = |n: &Node| -> Vec<String> {
            match &n.value {
                Value::Str(s) => vec![s.clone()],
                Value::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            }
        };
        for (k, val) in map {
            match k.as_str().map(str::to_ascii_lowercase).as_deref() {
                Some("cwe") => m.cwe = lenient(val),
                Some("owasp") => m.owasp = lenient(val),
                Some("references") | Some("reference") => m.references = lenient(val),
                Some("confidence") => m.confidence = val.as_str().and_then(Confidence::parse),
                Some("likelihood") => m.likelihood = val.as_str().map(str::to_string),
                Some("impact") => m.impact = val.as_str().map(str::to_string),
                Some("category") => m.category = val.as_str().map(str::to_string),
                Some("subcategory") => m.subcategory = lenient(val),
                _ => {}
            }
        }
        m
    }

    /// A formula written under `key` (`pattern`, `patterns`, `pattern-either`, `pattern-regex`, `match`).
    fn formula_key(&mut self, key: &str, k: &Node, v: &Node) -> Option<Formula> {
        match key {
            "pattern" => self.text(v, key).map(Formula::Pattern),
            "pattern-regex" => self.regex(v, key).map(Formula::Regex),
            "pattern-either" => self.either(v),
            "patterns" => self.patterns(v),
            "match" => self.matcher(v),
            _ => {
                self.invalid(k, format!("`{key}` is not a formula"));
                None
            }
        }
    }

    fn either(&mut self, v: &Node) -> Option<Formula> {
        let Some(items) = v.as_seq() else {
            self.invalid(v, "`pattern-either` must be a list");
            return None;
        };
        let mut any = Vec::new();
        let mut ok = true;
        for item in items {
            match self.single(
                item,
                &[
                    "pattern",
                    "patterns",
                    "pattern-either",
                    "pattern-regex",
                    "pattern-inside",
                ],
            ) {
                Some(f) => any.push(f),
                None => ok = false,
            }
        }
        if any.is_empty() && ok {
            self.invalid(v, "`pattern-either` is empty");
            return None;
        }
        ok.then_some(Formula::Any(any))
    }

    /// A one-key mapping item of `patterns` or `pattern-either`, when its key is among `allowed`.
    fn single(&mut self, item: &Node, allowed: &[&str]) -> Option<Formula> {
        let entry = match item.as_map() {
            Some([entry]) => entry,
            _ => {
                self.invalid(item, "each item must be a mapping with one operator key");
                return None;
            }
        };
        let (k, v) = (&entry.0, &entry.1);
        let key = k.as_str().unwrap_or_default();
        if !allowed.contains(&key) {
            self.invalid(k, format!("`{key}` is not allowed here"));
            return None;
        }
        match key {
            "pattern-inside" => self
                .text(v, key)
                .map(|t| Formula::Inside(Box::new(Formula::Pattern(t)))),
            _ => self.formula_key(key, k, v),
        }
    }

    fn patterns(&mut self, v: &Node) -> Option<Formula> {
        let Some(items) = v.as_seq() else {
            self.invalid(v, "`patterns` must be a list");
            return None;
        };
        let mut all = Vec::new();
        let mut conditions = Vec::new();
        let mut ok = true;
        for item in items {
            let entry = match item.as_map() {
                Some([entry]) => entry,
                _ => {
                    self.invalid(
                        item,
                        "each item of `patterns` must be a mapping with one operator key",
                    );
                    ok = false;
                    continue;
                }
            };
            let (k, val) = (&entry.0, &entry.1);
            let key = k.as_str().unwrap_or_default();
            let got = match key {
                "pattern" | "patterns" | "pattern-either" | "pattern-regex" => {
                    self.formula_key(key, k, val).map(|f| all.push(f))
                }
                "pattern-inside" => self
                    .inside(val, key)
                    .map(|f| all.push(Formula::Inside(Box::new(f)))),
                "pattern-not" => self
                    .inside(val, key)
                    .map(|f| all.push(Formula::Not(Box::new(f)))),
                "pattern-not-inside" => self
                    .inside(val, key)
                    .map(|f| all.push(Formula::Not(Box::new(Formula::Inside(Box::new(f)))))),
                "pattern-not-regex" => self
                    .regex(val, key)
                    .map(|t| all.push(Formula::Not(Box::new(Formula::Regex(t))))),
                "focus-metavariable" => self.focus(val, key).map(|c| conditions.push(c)),
                "metavariable-regex"
                | "metavariable-pattern"
                | "metavariable-comparison"
                | "metavariable-analysis"
                | "metavariable-type" => self.condition(key, val).map(|c| conditions.push(c)),
                "metavariable-name" | "pattern-where-python" => {
                    self.problem(
                        ProblemKind::Unsupported,
                        k,
                        format!("`{key}` is not supported yet"),
                    );
                    None
                }
                _ => {
                    self.invalid(k, format!("`{key}` is not an operator of `patterns`"));
                    None
                }
            };
            ok &= got.is_some();
        }
        if ok && self.in_metavariable == 0 && !all.iter().any(|f| !matches!(f, Formula::Not(_))) {
            self.invalid(v, "`patterns` needs at least one positive pattern");
            return None;
        }
        ok.then_some(Formula::All(all, conditions))
    }

    /// The value of `pattern-inside`, `pattern-not` and the like: a pattern, or a nested formula mapping.
    fn inside(&mut self, v: &Node, key: &str) -> Option<Formula> {
        match &v.value {
            Value::Map(_) => self.single(
                v,
                &["pattern", "patterns", "pattern-either", "pattern-regex"],
            ),
            _ => self.text(v, key).map(Formula::Pattern),
        }
    }

    fn condition(&mut self, key: &str, v: &Node) -> Option<Condition> {
        if v.as_map().is_none() {
            self.invalid(v, format!("`{key}` must be a mapping"));
            return None;
        }
        let var = |r: &mut Reader| -> Option<String> {
            let m = r.field(v, "metavariable", key)?;
            r.metavariable(m, "metavariable")
        };
        match key {
            "metavariable-regex" => {
                let var = var(self)?;
                let r = self.field(v, "regex", key)?;
                let regex = self.regex(r, "regex")?.text;
                Some(Condition::Regex {
                    var,
                    regex,
                    constant_value_propagation: matches!(
                        v.get("constant-value-propagation").map(|n| &n.value),
                        Some(Value::Bool(true))
                    ),
                })
            }
            "metavariable-pattern" => {
                let var = var(self)?;
                let language = match v.get("language") {
                    Some(l) => {
                        let name = self.string(l, "language")?;
                        let lang = language(&name);
                        if lang.is_none() {
                            self.problem(
                                ProblemKind::Unsupported,
                                l,
                                format!("language `{name}` is not supported"),
                            );
                            return None;
                        }
                        lang
                    }
                    None => None,
                };
                let nested: Vec<&(Node, Node)> = v
                    .as_map()
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, _)| {
                        k.as_str().is_some_and(|k| {
                            ["pattern", "patterns", "pattern-either", "pattern-regex"].contains(&k)
                        })
                    })
                    .collect();
                let formula = match nested.as_slice() {
                    [(k, f)] => {
                        self.in_metavariable += 1;
                        let formula = self.formula_key(k.as_str().unwrap_or_default(), k, f);
                        self.in_metavariable -= 1;
                        formula?
                    }
                    _ => {
                        self.invalid(v, "`metavariable-pattern` needs exactly one of `pattern`, `patterns`, `pattern-either`, `pattern-regex`");
                        return None;
                    }
                };
                Some(Condition::Pattern {
                    var,
                    language,
                    formula: Box::new(formula),
                })
            }
            "metavariable-comparison" => {
                let c = self.field(v, "comparison", key)?;
                let expr = self.string(c, "comparison")?;
                let var = match v.get("metavariable") {
                    Some(m) => Some(self.metavariable(m, "metavariable")?),
                    None => None,
                };
                let base = match v.get("base").map(|b| &b.value) {
                    Some(Value::Int(b)) => u32::try_from(*b).ok(),
                    _ => None,
                };
                Some(Condition::Comparison {
                    expr,
                    var,
                    strip: matches!(v.get("strip").map(|n| &n.value), Some(Value::Bool(true))),
                    base,
                })
            }
            "metavariable-type" => {
                let var = var(self)?;
                let types = self.types(v, key)?;
                Some(Condition::Type { var, types })
            }
            _ => {
                let var = var(self)?;
                let a = self.field(v, "analyzer", key)?;
                let analyzer = self.analyzer(a)?;
                Some(Condition::Analysis { var, analyzer })
            }
        }
    }

    /// The `type:` or `types:` of a metavariable type condition.
    fn types(&mut self, v: &Node, key: &str) -> Option<Vec<Text>> {
        let out: Vec<Text> = match (v.get("type"), v.get("types")) {
            (Some(t), None) => vec![self.text(t, "type")?],
            (None, Some(ts)) => match ts.as_seq() {
                Some(items) if !items.is_empty() => {
                    let all: Vec<Option<Text>> =
                        items.iter().map(|i| self.text(i, "types")).collect();
                    if all.iter().any(Option::is_none) {
                        return None;
                    }
                    all.into_iter().flatten().collect()
                }
                _ => {
                    self.invalid(ts, "`types` must be a non-empty list");
                    return None;
                }
            },
            _ => {
                self.invalid(v, format!("`{key}` needs one of `type` or `types`"));
                return None;
            }
        };
        Some(out)
    }

    /// The newer `match:` syntax: a pattern string, or a mapping of `all`, `any`, `not`, `inside`, `anywhere`,
    /// `pattern`, `regex`, with `where` conditions.
    fn matcher(&mut self, v: &Node) -> Option<Formula> {
        let map = match &v.value {
            Value::Str(_) => return self.text(v, "match").map(Formula::Pattern),
            Value::Map(m) => m,
            _ => {
                self.invalid(
                    v,
                    format!("`match` must be a pattern or a mapping, not {}", v.kind()),
                );
                return None;
            }
        };
        let mut formula = None;
        let mut conditions = Vec::new();
        let mut ok = true;
        for (k, val) in map {
            let key = k.as_str().unwrap_or_default();
            let f = match key {
                "pattern" => self.text(val, key).map(Formula::Pattern),
                "regex" => self.regex(val, key).map(Formula::Regex),
                "all" | "any" => {
                    let Some(items) = val.as_seq() else {
                        self.invalid(val, format!("`{key}` must be a list"));
                        ok = false;
                        continue;
                    };
                    let parts: Vec<Option<Formula>> =
                        items.iter().map(|i| self.matcher(i)).collect();
                    if parts.iter().any(Option::is_none) {
                        None
                    } else {
                        let parts: Vec<Formula> = parts.into_iter().flatten().collect();
                        Some(if key == "all" {
                            Formula::All(parts, Vec::new())
                        } else {
                            Formula::Any(parts)
                        })
                    }
                }
                "not" => self.matcher(val).map(|f| Formula::Not(Box::new(f))),
                "inside" => self.matcher(val).map(|f| Formula::Inside(Box::new(f))),
                "anywhere" => self.matcher(val).map(|f| Formula::Anywhere(Box::new(f))),
                "where" => {
                    match val.as_seq() {
                        Some(items) => {
                            for item in items {
                                match self.where_condition(item) {
                                    Some(c) => conditions.push(c),
                                    None => ok = false,
                                }
                            }
                        }
                        None => {
                            self.invalid(val, "`where` must be a list");
                            ok = false;
                        }
                    }
                    continue;
                }
                _ => {
                    self.invalid(k, format!("`{key}` is not an operator of `match`"));
                    ok = false;
                    continue;
                }
            };
            match (f, formula.is_some()) {
                (Some(_), true) => {
                    self.invalid(k, "`match` takes one operator besides `where`");
                    ok = false;
                }
                (Some(f), false) => formula = Some(f),
                (None, _) => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let Some(formula) = formula else {
            self.invalid(v, "`match` needs an operator");
            return None;
        };
        if conditions.is_empty() {
            return Some(formula);
        }
        Some(match formula {
            Formula::All(items, mut c) => {
                c.extend(conditions);
                Formula::All(items, c)
            }
            other => Formula::All(vec![other], conditions),
        })
    }

    fn where_condition(&mut self, item: &Node) -> Option<Condition> {
        if item.as_map().is_none() {
            self.invalid(item, "each `where` item must be a mapping");
            return None;
        }
        if let Some(f) = item.get("focus") {
            return self.focus(f, "focus");
        }
        if let Some(c) = item.get("comparison") {
            let expr = self.string(c, "comparison")?;
            return Some(Condition::Comparison {
                expr,
                var: None,
                strip: false,
                base: None,
            });
        }
        let var = match item.get("metavariable") {
            Some(m) => self.metavariable(m, "metavariable")?,
            None => {
                self.invalid(
                    item,
                    "a `where` item needs `metavariable`, `comparison` or `focus`",
                );
                return None;
            }
        };
        if let Some(r) = item.get("regex") {
            let regex = self.regex(r, "regex")?.text;
            return Some(Condition::Regex {
                var,
                regex,
                constant_value_propagation: false,
            });
        }
        if let Some(a) = item.get("analyzer") {
            let analyzer = self.analyzer(a)?;
            return Some(Condition::Analysis { var, analyzer });
        }
        if item.get("type").or_else(|| item.get("types")).is_some() {
            let types = self.types(item, "where")?;
            return Some(Condition::Type { var, types });
        }
        let language = item
            .get("language")
            .and_then(Node::as_str)
            .and_then(language);
        let rest: Vec<&(Node, Node)> = item
            .as_map()
            .unwrap_or_default()
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), Some("metavariable" | "language")))
            .collect();
        // The rest of the item is a formula on the metavariable (`pattern`, `all`, `any`…).
        let sub = Node {
            value: Value::Map(rest.into_iter().cloned().collect()),
            line: item.line,
            column: item.column,
        };
        let formula = self.matcher(&sub)?;
        Some(Condition::Pattern {
            var,
            language,
            formula: Box::new(formula),
        })
    }
}

/// Reads a Semgrep-format rule file: the valid rules, and every problem (an invalid or unsupported rule is
/// left out of the first list and named in the second).
pub fn load(text: &str) -> (Vec<Rule>, Vec<Problem>) {
    let mut r = Reader {
        problems: Vec::new(),
        in_metavariable: 0,
        rule: None,
    };
    let doc = match yaml::parse(text) {
        Ok(d) => d,
        Err(e) => {
            r.problems.push(Problem {
                kind: ProblemKind::Invalid,
                rule: None,
                line: e.line.unwrap_or(1),
                column: e.column.unwrap_or(1),
                message: format!("not a YAML rule file: {}", e.message),
            });
            return (Vec::new(), r.problems);
        }
    };
    let Some(list) = doc.get("rules") else {
        r.invalid(&doc, "a Semgrep rule file has a top-level `rules:` list");
        return (Vec::new(), r.problems);
    };
    let Some(items) = list.as_seq() else {
        r.invalid(list, "`rules` must be a list");
        return (Vec::new(), r.problems);
    };
    let mut rules: Vec<Rule> = Vec::new();
    for item in items {
        if let Some(rule) = r.rule(item) {
            if rules.iter().any(|x| x.id == rule.id) {
                r.invalid(item, format!("duplicate rule id `{}`", rule.id));
            } else {
                rules.push(rule);
            }
        }
        r.rule = None;
    }
    (rules, r.problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str, line: u32, column: u32) -> Text {
        Text {
            text: text.into(),
            line,
            column,
        }
    }

    fn p(text: &str, line: u32, column: u32) -> Formula {
        Formula::Pattern(t(text, line, column))
    }

    #[test]
    fn patterns_become_one_formula_tree() {
        let file = "\
rules:
  - id: requests-verify-off
    message: TLS verification is off in $FUNC
    severity: ERROR
    languages: [python, py]
    metadata:
      cwe: ['CWE-295: Improper Certificate Validation']
      confidence: HIGH
      references: https://example.invalid/tls
    paths:
      exclude: ['tests/**']
    fix: verify=True
    patterns:
      - pattern-either:
          - pattern: requests.$FUNC(..., verify=False, ...)
          - pattern: httpx.$FUNC(..., verify=False, ...)
      - pattern-not-inside: |
          def test_$X(...):
              ...
      - pattern-not: requests.get(\"http://localhost\", ...)
      - metavariable-regex:
          metavariable: $FUNC
          regex: ^(get|post)$
      - metavariable-pattern:
          metavariable: $CMD
          language: bash
          patterns:
            - pattern: curl -k ...
      - metavariable-comparison:
          metavariable: $PORT
          comparison: int($PORT) < 1024
      - focus-metavariable: [$FUNC, $CMD]
";
        let (rules, problems) = load(file);
        assert_eq!(problems, []);
        assert_eq!(rules.len(), 1);
        let r = &rules[0];
        assert_eq!(r.id, "requests-verify-off");
        assert_eq!(r.severity, Severity::High);
        assert_eq!(r.languages, ["python"]);
        assert_eq!(r.exclude, ["tests/**"]);
        assert_eq!(r.fix.as_deref(), Some("verify=True"));
        assert_eq!(r.metadata.cwe, ["CWE-295: Improper Certificate Validation"]);
        assert_eq!(r.metadata.confidence, Some(Confidence::High));
        assert_eq!(r.metadata.references, ["https://example.invalid/tls"]);
        let want = Formula::All(
            vec![
                Formula::Any(vec![
                    p("requests.$FUNC(..., verify=False, ...)", 15, 22),
                    p("httpx.$FUNC(..., verify=False, ...)", 16, 22),
                ]),
                Formula::Not(Box::new(Formula::Inside(Box::new(p(
                    "def test_$X(...):\n    ...\n",
                    18,
                    11,
                ))))),
                Formula::Not(Box::new(p(
                    "requests.get(\"http://localhost\", ...)",
                    20,
                    22,
                ))),
            ],
            vec![
                Condition::Regex {
                    var: "$FUNC".into(),
                    regex: "^(get|post)$".into(),
                    constant_value_propagation: false,
                },
                Condition::Pattern {
                    var: "$CMD".into(),
                    language: Some("bash"),
                    formula: Box::new(Formula::All(vec![p("curl -k ...", 28, 24)], vec![])),
                },
                Condition::Comparison {
                    expr: "int($PORT) < 1024".into(),
                    var: Some("$PORT".into()),
                    strip: false,
                    base: None,
                },
                Condition::Focus(vec!["$FUNC".into(), "$CMD".into()]),
            ],
        );
        assert_eq!(r.formula, want);
    }

    #[test]
    fn the_match_syntax_maps_onto_the_same_tree() {
        let file = "\
rules:
  - id: jwt-no-verify
    message: JWT decoded without verification
    severity: HIGH
    languages: [javascript]
    match:
      all:
        - jwt.decode($T, ...)
        - not: 'jwt.decode($T, $K, {algorithms: $A})'
        - inside:
            any:
              - function $F(...) { ... }
              - regex: handler
      where:
        - metavariable: $T
          regex: token
        - focus: $T
";
        let (rules, problems) = load(file);
        assert_eq!(problems, []);
        let want = Formula::All(
            vec![
                p("jwt.decode($T, ...)", 8, 11),
                Formula::Not(Box::new(p("jwt.decode($T, $K, {algorithms: $A})", 9, 16))),
                Formula::Inside(Box::new(Formula::Any(vec![
                    p("function $F(...) { ... }", 12, 17),
                    Formula::Regex(t("handler", 13, 24)),
                ]))),
            ],
            vec![
                Condition::Regex {
                    var: "$T".into(),
                    regex: "token".into(),
                    constant_value_propagation: false,
                },
                Condition::Focus(vec!["$T".into()]),
            ],
        );
        assert_eq!(rules.first().map(|r| &r.formula), Some(&want));
    }

    #[test]
    fn options_are_read_honoured_or_warned() {
        let rule = |opts: &str| {
            load(&format!(
                "rules:\n  - id: r\n    message: m\n    severity: INFO\n    languages: [generic]\n    pattern: x\n    options:\n{opts}"
            ))
        };
        let (rules, found) = rule("      generic_ellipsis_max_span: 0\n      generic_comment_style: shell\n      constant_propagation: false\n      attr_expr: true\n      decorators_order_matters: false\n");
        assert_eq!(found, []);
        assert_eq!(
            rules.first().map(|r| r.options),
            Some(RuleOptions {
                constant_propagation: false,
                generic: GenericOptions {
                    ellipsis_max_span: 0,
                    comments: CommentStyle::Shell,
                },
            })
        );
        let kinds = |opts: &str| -> Vec<(ProblemKind, u32, String)> {
            rule(opts)
                .1
                .into_iter()
                .map(|p| (p.kind, p.line, p.message))
                .collect()
        };
        assert_eq!(
            kinds("      ac_matching: true\n      interfile: true\n"),
            [
                (
                    ProblemKind::Ignored,
                    8,
                    "option `ac_matching` is not honoured: the rule runs as Semgrep does without it".into()
                ),
                (
                    ProblemKind::Ignored,
                    9,
                    "option `interfile` is not honoured: the rule runs as Semgrep does without it".into()
                ),
            ]
        );
        assert_eq!(
            kinds("      generic_comment_style: python\n      generic_ellipsis_max_span: many\n"),
            [
                (
                    ProblemKind::Invalid,
                    8,
                    "`generic_comment_style` must be `c`, `cpp` or `shell`".into()
                ),
                (
                    ProblemKind::Invalid,
                    9,
                    "`generic_ellipsis_max_span` must be a number of lines".into()
                ),
            ]
        );
    }

    /// (kind, line, column, message) of every problem.
    fn problems(text: &str) -> Vec<(ProblemKind, u32, u32, String)> {
        load(text)
            .1
            .into_iter()
            .map(|p| (p.kind, p.line, p.column, p.message))
            .collect()
    }

    #[test]
    fn every_problem_has_its_place() {
        use ProblemKind::{Invalid, OtherVersion, Unsupported};
        let head =
            "rules:\n  - id: r\n    message: m\n    severity: WARNING\n    languages: [go]\n";
        let bad = |tail: &str| problems(&format!("{head}{tail}"));
        assert_eq!(
            bad("    pattern-regex: '(unclosed'\n"),
            [(
                Invalid,
                6,
                20,
                "`pattern-regex` is not a valid regex: error: unclosed group".into()
            )]
        );
        assert_eq!(
            bad("    pattern: x\n    patern: y\n"),
            [(Invalid, 7, 5, "unknown key `patern`".into())]
        );
        assert_eq!(
            bad("    mode: taint\n    pattern-sources: [{pattern: x}]\n    pattern-sinks: [{pattern: y}]\n"),
            [
                (Unsupported, 6, 11, "`mode: taint` is not supported yet".into()),
                (Unsupported, 7, 5, "`pattern-sources` is not supported yet".into()),
                (Unsupported, 8, 5, "`pattern-sinks` is not supported yet".into()),
            ]
        );
        assert_eq!(
            bad("    pattern: x\n    min-version: 1.40.0\n    max-version: v2\n"),
            []
        );
        assert_eq!(
            bad("    pattern: x\n    min-version: 9.0.0\n    max-version: '1.2'\n"),
            [
                (
                    OtherVersion,
                    7,
                    18,
                    "the rule is skipped: it needs Semgrep at least 9.0.0, and portcullis follows Semgrep 1.185.0"
                        .into()
                ),
                (
                    OtherVersion,
                    8,
                    18,
                    "the rule is skipped: it needs Semgrep at most 1.2, and portcullis follows Semgrep 1.185.0".into()
                ),
            ]
        );
        // A rule for a later Semgrep may use what this one does not know: only the skip is reported.
        let (rules, found) = load(&format!(
            "{head}    min-version: 2.0.0\n    pattern-future: x\n"
        ));
        assert!(rules.is_empty());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, OtherVersion);
        assert_eq!(
            bad("    pattern: x\n    min-version: latest\n"),
            [(
                Invalid,
                7,
                18,
                "`min-version` must be a version such as `1.40.0`, not `latest`".into()
            )]
        );
        assert_eq!(
            bad("    patterns:\n      - pattern-not: x\n"),
            [(
                Invalid,
                7,
                7,
                "`patterns` needs at least one positive pattern".into()
            )]
        );
        assert_eq!(
            bad("    patterns:\n      - pattern: x\n      - pattern-where-python: y\n"),
            [(
                Unsupported,
                8,
                9,
                "`pattern-where-python` is not supported yet".into()
            )]
        );
        assert_eq!(
            bad("    patterns:\n      - pattern: x\n      - metavariable-regex: {metavariable: X, regex: a}\n"),
            [(Invalid, 8, 44, "`metavariable` must name a metavariable such as `$X`, not `X`".into())]
        );
        assert_eq!(
            problems("rules:\n  - id: r\n    severity: FATAL\n    languages: [cobol]\n    pattern: x\n"),
            [
                (Invalid, 2, 5, "missing `message`".into()),
                (
                    Invalid,
                    3,
                    15,
                    "unknown severity `FATAL` (ERROR, WARNING, INFO, INVENTORY, EXPERIMENT, CRITICAL, HIGH, MEDIUM, LOW)".into()
                ),
                (Unsupported, 4, 17, "language `cobol` is not supported".into()),
            ]
        );
        assert_eq!(
            problems(&format!("{head}    pattern: a\n  - id: r\n    message: m\n    severity: INFO\n    languages: [go]\n    pattern: b\n")),
            [(Invalid, 7, 5, "duplicate rule id `r`".into())]
        );
        assert_eq!(
            problems("checks: []\n"),
            [(
                Invalid,
                1,
                1,
                "a Semgrep rule file has a top-level `rules:` list".into()
            )]
        );
        let not_yaml = problems("rules: [\n");
        assert_eq!(not_yaml.len(), 1);
        assert!(
            not_yaml[0].3.starts_with("not a YAML rule file: "),
            "{not_yaml:?}"
        );
    }

    #[test]
    fn severities_and_languages_map_as_documented() {
        let sev: Vec<Option<Severity>> = [
            "error",
            "WARNING",
            "Info",
            "INVENTORY",
            "EXPERIMENT",
            "CRITICAL",
            "HIGH",
            "MEDIUM",
            "LOW",
            "x",
        ]
        .iter()
        .map(|s| severity(s))
        .collect();
        use Severity::*;
        assert_eq!(
            sev,
            [
                Some(High),
                Some(Medium),
                Some(Low),
                Some(Info),
                Some(Info),
                Some(Critical),
                Some(High),
                Some(Medium),
                Some(Low),
                None
            ]
        );
        assert_eq!(language("TS"), Some("typescript"));
        assert_eq!(language("terraform"), Some("hcl"));
        assert_eq!(language("none"), Some("regex"));
        assert_eq!(language("cobol"), None);
    }
}
