//! The IaC scanner: misconfigurations in Dockerfiles, Kubernetes manifests, Terraform, CloudFormation, Compose
//! files and GitHub Actions workflows.
//!
//! - [`check`]: the check model and loader (`rules/iac/<platform>/<id>.yaml`, data: a subject, a condition);
//! - [`subjects`]: what checks are evaluated on, per platform (containers, resources, steps…);
//! - [`eval`]: conditions in three values (an unknown value is never taken as safe or unsafe);
//! - [`logic`]: the checks that need code (across files, across resources);
//! - [`terraform`]: Terraform modules (a folder's files share variables and locals; local module calls are
//!   followed with their inputs), evaluated once every file is read.
//!
//! Each file is parsed once through the shared parses of [`crate::document`]; checks are indexed by platform
//! and subject kind.

pub mod check;
pub mod eval;
pub mod logic;
pub mod subjects;
pub mod terraform;

use crate::diagnostic::{Diagnostic, Level};
use crate::document::{DockerDoc, HclDoc, JsonDoc, Node, YamlDocs};
use crate::finding::{
    ConfigurationDetails, Details, Finding, FindingBuilder, ScannerKind, SourceText,
};
use crate::rules::{embedded, RuleMeta};
use crate::scanners::{
    DynScanner, FileContext, Finish, PeerSyntax, Registration, RuleError, RuleSource, ScanError,
    Scanner, ScannerOptions,
};
use crate::source::{Classification, DocumentKind, SourceFile};
use check::{Check, Platform};
use eval::{Subject, Tri};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which checks run besides (or instead of) the built-in ones.
#[derive(Clone, Debug, Default)]
pub struct IacOptions {
    /// Check files given with `--rules` (one check each, in the built-in format).
    pub rule_files: Vec<RuleSource>,
    /// Run only the given checks (`--no-builtin-rules`).
    pub no_builtin: bool,
    /// An invalid check file is a warning, not an error (`--skip-invalid-rules`).
    pub skip_invalid: bool,
}

/// The scanner's name.
pub const KIND: ScannerKind = ScannerKind::new("iac");

/// The registration.
pub const REGISTRATION: Registration = Registration {
    kind: KIND,
    rules: builtin_metas,
    suppressions: &[
        PeerSyntax::Checkov,
        PeerSyntax::Hadolint,
        PeerSyntax::Kics,
        PeerSyntax::Tfsec,
    ],
    owns_runtime_id: None,
    config: None,
    build,
};

/// The built-in checks, loaded once per process (the registry and the scanner share them).
fn builtin() -> Result<&'static [Check], RuleError> {
    static BUILTIN: std::sync::OnceLock<Result<Vec<Check>, (String, String)>> =
        std::sync::OnceLock::new();
    match BUILTIN.get_or_init(|| load_builtin().map_err(|e| (e.path, e.message))) {
        Ok(checks) => Ok(checks),
        Err((path, message)) => Err(RuleError {
            path: path.clone(),
            message: message.clone(),
        }),
    }
}

fn load_builtin() -> Result<Vec<Check>, RuleError> {
    let mut out = Vec::new();
    for r in embedded("iac") {
        if r.format != "yaml" {
            return Err(RuleError {
                path: r.path.into(),
                message: "IaC checks are YAML".into(),
            });
        }
        let c = check::load(r.source).map_err(|e| RuleError {
            path: r.path.into(),
            message: e.to_string(),
        })?;
        let stem = r
            .path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".yaml");
        if c.id != stem {
            return Err(RuleError {
                path: r.path.into(),
                message: format!("the check's id `{}` is not its file name", c.id),
            });
        }
        if let Some(l) = &c.logic {
            if logic::by_name(l).is_none() {
                return Err(RuleError {
                    path: r.path.into(),
                    message: format!("no check logic named `{l}`"),
                });
            }
        }
        out.push(c);
    }
    Ok(out)
}

/// A check's metadata for the registry, `explain` and every reporter.
pub fn meta(c: &Check) -> RuleMeta {
    let mut description = c.description.trim().to_string();
    let eq = if c.equivalents.is_empty() {
        "none".to_string()
    } else {
        c.equivalents
            .iter()
            .map(|(tool, ids)| format!("{tool}: {}", ids.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!(
        "Platform: {}. Equivalent checks in other tools: {eq}.",
        c.platform.as_str()
    ));
    RuleMeta {
        id: c.id.clone(),
        scanner: KIND,
        title: c.title.clone(),
        severity: c.severity,
        confidence: c.confidence,
        description,
        why: c.why.trim().to_string(),
        remediation: c.fix.trim().to_string(),
        references: c.references.clone(),
        cwe: c.cwe.clone(),
        owasp: Vec::new(),
        // The ids of the same check in other tools: `--ignore CKV_K8S_16` and `# checkov:skip=CKV_K8S_16` work.
        aliases: c.equivalents.values().flatten().cloned().collect(),
        generic: false,
        equivalents: c.equivalents.clone(),
    }
}

fn builtin_metas() -> Result<Vec<RuleMeta>, RuleError> {
    Ok(builtin()?.iter().map(meta).collect())
}

fn build(options: &ScannerOptions) -> Result<Box<dyn DynScanner>, RuleError> {
    let all = builtin()?;
    let mut checks: Vec<(Cow<'static, Check>, RuleMeta)> = Vec::new();
    if !options.iac.no_builtin {
        checks.extend(
            all.iter()
                .filter(|c| !options.disabled_rules.contains(&c.id))
                .map(|c| (Cow::Borrowed(c), meta(c))),
        );
    }
    let (user, warnings) = checks_to_run(&options.iac)?;
    let builtin_count = checks.len();
    checks.extend(
        user.into_iter()
            .filter(|c| !options.disabled_rules.contains(&c.id))
            .map(|c| {
                let m = meta(&c);
                (Cow::Owned(c), m)
            }),
    );
    let mut index: BTreeMap<(Platform, &'static str), Vec<usize>> = BTreeMap::new();
    for (i, (c, _)) in checks.iter().enumerate() {
        let on = c
            .platform
            .subjects()
            .iter()
            .copied()
            .find(|s| *s == c.on)
            .unwrap_or("");
        index.entry((c.platform, on)).or_default().push(i);
    }
    let docker_file_instructions = checks.iter().any(|(c, _)| reads_file_instructions(c));
    let required = checks
        .iter()
        .map(|(c, _)| {
            c.report
                .as_ref()
                .and_then(|r| r.required_key())
                .map(Box::from)
        })
        .collect();
    Ok(Box::new(IacScanner {
        checks,
        required,
        builtin_count,
        index,
        warnings,
        docker_file_instructions,
    }))
}

/// Whether a Dockerfile check may read the file's own list of instructions rather than its stages' (an
/// `on: file` check, or a `$file` path that does not go through `stages`): only then is that list built.
fn reads_file_instructions(c: &Check) -> bool {
    if c.platform != Platform::Dockerfile {
        return false;
    }
    let Some(cond) = &c.report else {
        return false;
    };
    cond.paths().iter().any(|p| {
        let on_file = match p.context.as_deref() {
            Some("file") => true,
            None => c.on == "file",
            Some(_) => false,
        };
        on_file && p.segs.first() != Some(&check::Seg::Key("stages".into()))
    })
}

/// A user's check file that is no valid check, with where and why.
pub struct CheckProblem {
    /// The file.
    pub path: String,
    /// What is wrong, and where in it.
    pub error: check::CheckError,
}

impl std::fmt::Display for CheckProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = &self.error;
        write!(f, "{}:{}:{}: {}", self.path, e.line, e.column, e.message)
    }
}

/// The users' check files: each one check in the built-in format, its `logic` known and its id new (not a
/// built-in one's, not an earlier file's). What `--rules` runs and `rules validate` reports.
pub fn user_checks(sources: &[RuleSource]) -> Result<(Vec<Check>, Vec<CheckProblem>), RuleError> {
    let builtin = builtin()?;
    let mut out: Vec<Check> = Vec::new();
    let mut problems = Vec::new();
    for src in sources {
        let loaded = check::load(&src.text).and_then(|c| {
            let problem =
                if let Some(l) = c.logic.as_deref().filter(|l| logic::by_name(l).is_none()) {
                    Some(format!("no check logic named `{l}`"))
                } else if builtin.iter().chain(&out).any(|b| b.id == c.id) {
                    Some(format!("the check id `{}` is taken", c.id))
                } else {
                    None
                };
            match problem {
                Some(message) => Err(check::CheckError {
                    line: 1,
                    column: 1,
                    message,
                }),
                None => Ok(c),
            }
        });
        match loaded {
            Ok(c) => out.push(c),
            Err(error) => problems.push(CheckProblem {
                path: src.path.clone(),
                error,
            }),
        }
    }
    Ok((out, problems))
}

/// The users' checks for a scan: an invalid one fails the run (exit 2), or is a warning with
/// `--skip-invalid-rules`.
fn checks_to_run(o: &IacOptions) -> Result<(Vec<Check>, Vec<Diagnostic>), RuleError> {
    let (checks, problems) = user_checks(&o.rule_files)?;
    if problems.is_empty() || o.skip_invalid {
        let warnings = problems
            .iter()
            .map(|p| {
                Diagnostic::at(
                    Level::Warning,
                    "iac-check-skipped",
                    p.path.clone(),
                    p.error.line,
                    format!("check skipped: {}", p.error.message),
                )
            })
            .collect();
        return Ok((checks, warnings));
    }
    let fatal: Vec<String> = problems.iter().map(ToString::to_string).collect();
    Err(RuleError {
        path: "IaC checks".into(),
        message: format!(
            "{} (--skip-invalid-rules turns them into warnings)",
            fatal.join("; ")
        ),
    })
}

/// The scanner: checks indexed by platform and subject kind.
pub struct IacScanner {
    /// The built-in checks first, then the users'.
    checks: Vec<(Cow<'static, Check>, RuleMeta)>,
    builtin_count: usize,
    /// Per check, a key the subject must have for it to hold ([`check::Cond::required_key`]).
    required: Vec<Option<Box<str>>>,
    index: BTreeMap<(Platform, &'static str), Vec<usize>>,
    /// Skipped check files.
    warnings: Vec<Diagnostic>,
    /// Whether a check reads a Dockerfile's own `instructions` (else only its stages have them).
    docker_file_instructions: bool,
}

/// What one file tells the run-wide checks.
#[derive(Clone, Debug)]
pub enum Fact {
    /// A Helm chart's templates folder, skipped.
    HelmChart(String),
    /// Kubernetes facts for cross-file checks.
    Kubernetes(logic::K8sFacts),
    /// A Dockerfile's base image.
    DockerBase(logic::DockerBase),
    /// A Terraform file (or `.tfvars`), evaluated with its module.
    Terraform(terraform::TfFile),
}

fn is_action(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "action.yml" || name == "action.yaml"
}

fn platform_of(class: &Classification) -> Option<Platform> {
    match class.document? {
        DocumentKind::Dockerfile => Some(Platform::Dockerfile),
        DocumentKind::Kubernetes => Some(Platform::Kubernetes),
        DocumentKind::Compose => Some(Platform::Compose),
        DocumentKind::GithubWorkflow => Some(Platform::GithubActions),
        DocumentKind::Terraform => Some(Platform::Terraform),
        DocumentKind::CloudFormation => Some(Platform::CloudFormation),
        _ => None,
    }
}

/// A value that spans lines as one line of a message: a Dockerfile's continued `RUN` (`curl … \` + `| sh`)
/// or a YAML block joined by single spaces, the line continuations left off.
fn one_line(value: &str) -> String {
    if !value.contains('\n') {
        return value.to_string();
    }
    value
        .lines()
        .map(|l| l.trim().trim_end_matches('\\').trim_end())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a finding's message shows the reported value: its text, and what it resolved to when that differs
/// (`var.ssh_cidr (= 0.0.0.0/0)`).
fn shown_value(text: &str, node: &Node, span: eval::Span) -> String {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if (n.start, n.end) == span {
            if let Some(v) = n.scalar_text() {
                let quoted = text.trim_matches(|c| c == '"' || c == '\'');
                if *v != *text && *v != *quoted {
                    return format!("{text} (= {v})");
                }
                return text.to_string();
            }
        }
        match &n.value {
            crate::document::Value::Seq(items) => stack.extend(items.iter()),
            crate::document::Value::Map(m) => stack.extend(m.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    text.to_string()
}

impl IacScanner {
    fn run(
        &self,
        path: &str,
        text: &str,
        platform: Platform,
        subjects: &[Subject<'_>],
        cx: &mut FileContext<'_, Fact>,
    ) {
        for f in self.evaluate(path, text, platform, subjects) {
            cx.report(f);
        }
    }

    /// The findings of the checks of `platform` on `subjects` of the file at `path`.
    fn evaluate(
        &self,
        path: &str,
        text: &str,
        platform: Platform,
        subjects: &[Subject<'_>],
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        let source = SourceText::new(text.as_bytes());
        for s in subjects {
            let Some(ids) = self.index.get(&(platform, s.on)) else {
                continue;
            };
            for &i in ids {
                let (c, m) = &self.checks[i];
                if !c.kinds.is_empty() && !c.kinds.iter().any(|k| *k == *s.kind) {
                    continue;
                }
                let Some(cond) = &c.report else { continue };
                if self.required[i]
                    .as_deref()
                    .is_some_and(|k| s.node.get(k).is_none())
                {
                    continue;
                }
                if let Tri::True(at) = eval::eval(cond, s.node, s) {
                    let span = if c.at_header {
                        s.header
                    } else {
                        at.unwrap_or(s.header)
                    };
                    let value = text
                        .get(span.0 as usize..span.1 as usize)
                        .unwrap_or("")
                        .trim();
                    let message = match &c.message {
                        Some(t) => t.replace("{subject}", &s.display_name()).replace(
                            "{value}",
                            &match platform {
                                // A resolved reference shows what it resolved to.
                                Platform::Terraform => shown_value(value, s.node, span),
                                _ => one_line(value),
                            },
                        ),
                        None => format!("{}: {}", c.title, s.display_name()),
                    };
                    let b = FindingBuilder::new(m, path, &source, span.0 as usize..span.1 as usize)
                        .message(message)
                        .details(Details::Configuration(ConfigurationDetails {
                            subject: s.display_name().into_owned(),
                            subject_line: source.line_number(s.header.0 as usize),
                            subject_end_line: source
                                .line_number(s.node.end.max(s.header.1) as usize),
                        }));
                    out.push(b.build());
                }
            }
        }
        out
    }

    /// The findings on every Terraform module, each file evaluated in each scope its module is used in; a
    /// place a check proved once (in the folder on its own, or through the first call that proves it) is
    /// reported once.
    fn terraform(&self, facts: &[Fact], diagnostics: &mut Vec<Diagnostic>) -> Vec<Finding> {
        let files: Vec<&terraform::TfFile> = facts
            .iter()
            .filter_map(|f| match f {
                Fact::Terraform(t) => Some(t),
                _ => None,
            })
            .collect();
        let (evaluations, notes) = terraform::evaluations(&files);
        diagnostics.extend(notes);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for e in &evaluations {
            let mut subs = subjects::terraform(e.resolved.iter().map(|b| &**b), &e.prefix);
            if let Some(at) = &e.called_at {
                for s in &mut subs {
                    s.name = format!("{} (module call at {at})", s.name).into();
                }
            }
            for f in self.evaluate(&e.file.path, &e.file.text, Platform::Terraform, &subs) {
                if seen.insert((f.rule_id.clone(), f.location.clone())) {
                    out.push(f);
                }
            }
        }
        out
    }

    fn parse_error(
        &self,
        path: &str,
        text: &str,
        e: &crate::document::DocError,
        cx: &mut FileContext<'_, Fact>,
    ) {
        let line = SourceText::new(text.as_bytes()).line_number(e.offset as usize);
        cx.diagnose(Diagnostic::at(
            Level::Error,
            "iac-parse",
            path,
            line,
            format!(
                "{path}:{line}: {}; the file's IaC checks did not run",
                e.message
            ),
        ));
    }
}

impl Scanner for IacScanner {
    type Facts = Fact;

    fn kind(&self) -> ScannerKind {
        KIND
    }

    fn wants(&self, path: &str, class: &Classification) -> bool {
        // Kubernetes and CloudFormation are told by content: every YAML and JSON file that is no lock file is
        // read, and its sniffed kind decides.
        platform_of(class).is_some()
            || class.document == Some(DocumentKind::HelmTemplate)
            || is_action(path)
            || (class.document.is_none() && matches!(class.language, Some("yaml" | "json")))
    }

    fn scan(
        &self,
        file: &Arc<SourceFile>,
        cx: &mut FileContext<'_, Fact>,
    ) -> Result<(), ScanError> {
        let path = file.path().to_string();
        let class = file.class();
        if class.document == Some(DocumentKind::HelmTemplate) {
            let chart = path.rsplit_once("/templates/").map_or("", |(c, _)| c);
            cx.fact(Fact::HelmChart(chart.to_string()));
            return Ok(());
        }
        let text = String::from_utf8_lossy(file.bytes());
        let action = is_action(&path);
        let Some(platform) = platform_of(&class).or(action.then_some(Platform::GithubActions))
        else {
            // A Terraform plan (`terraform show -json > plan.json`) is told by its keys.
            if class.language == Some("json") && text.contains("\"format_version\"") {
                if let Ok(doc) = &*file.parse::<JsonDoc>() {
                    if subjects::is_terraform_plan(doc) {
                        let subs = subjects::terraform_plan(&text, doc);
                        self.run(&path, &text, Platform::Terraform, &subs, cx);
                    }
                }
            }
            return Ok(());
        };
        match platform {
            Platform::Dockerfile => {
                let d = file.parse::<DockerDoc>();
                let nodes = subjects::docker_nodes(&text, &d, self.docker_file_instructions);
                let subs = subjects::docker(&text, &nodes);
                let shared: Arc<str> = Arc::from(text.as_ref());
                // The base image a service runs on: the final stage's `FROM`.
                for s in subs.iter().filter(|s| s.on == "final-stage") {
                    let Some(from) = s.node.get("from") else {
                        continue;
                    };
                    let get = |k: &str| from.get(k).and_then(Node::as_str);
                    if from
                        .get("stage-ref")
                        .is_some_and(|r| r.value == crate::document::Value::Bool(true))
                        || get("digest").is_some()
                    {
                        continue;
                    }
                    if let (Some(name), Some(tag)) =
                        (get("name"), get("tag").filter(|t| !t.is_empty()))
                    {
                        cx.fact(Fact::DockerBase(logic::DockerBase {
                            path: path.clone(),
                            text: Arc::clone(&shared),
                            name: name.to_string(),
                            tag: tag.to_string(),
                            span: s.header,
                        }));
                    }
                }
                self.run(&path, &text, platform, &subs, cx);
            }
            // Evaluated with the rest of its module once every file is read.
            Platform::Terraform => {
                let parsed = file.parse::<HclDoc>();
                match &*parsed {
                    Ok(_) => cx.fact(Fact::Terraform(terraform::TfFile {
                        path: path.clone(),
                        text: Arc::from(text.as_ref()),
                        parsed: Arc::clone(&parsed),
                    })),
                    Err(e) => self.parse_error(&path, &text, e, cx),
                }
            }
            Platform::CloudFormation if class.language == Some("json") => {
                match &*file.parse::<JsonDoc>() {
                    Ok(doc) => {
                        let subs = subjects::cloudformation(&text, doc);
                        self.run(&path, &text, platform, &subs, cx);
                    }
                    Err(e) => self.parse_error(&path, &text, e, cx),
                }
            }
            _ => match &*file.parse::<YamlDocs>() {
                Ok(docs) => {
                    let subs: Vec<Subject<'_>> = match platform {
                        Platform::Kubernetes => {
                            cx.fact(Fact::Kubernetes(logic::K8sFacts::of(&path, &text, docs)));
                            subjects::kubernetes(&text, docs)
                        }
                        Platform::CloudFormation => docs
                            .iter()
                            .flat_map(|d| subjects::cloudformation(&text, d))
                            .collect(),
                        Platform::Compose => docs
                            .iter()
                            .flat_map(|d| subjects::compose(&text, d))
                            .collect(),
                        _ => docs
                            .iter()
                            .filter(|d| d.as_map().is_some())
                            .flat_map(|d: &Node| subjects::github(&text, d, action))
                            .collect(),
                    };
                    self.run(&path, &text, platform, &subs, cx);
                }
                Err(e) => self.parse_error(&path, &text, e, cx),
            },
        }
        Ok(())
    }

    fn finish(&self, facts: Vec<Fact>) -> Finish {
        let mut diagnostics = self.warnings.clone();
        let mut charts: Vec<&str> = facts
            .iter()
            .filter_map(|f| match f {
                Fact::HelmChart(c) => Some(c.as_str()),
                _ => None,
            })
            .collect();
        charts.dedup();
        for c in charts {
            let shown = if c.is_empty() { "." } else { c };
            diagnostics.push(Diagnostic::file(
                Level::Note,
                "iac-helm-template",
                format!("{shown}/templates"),
                format!("{shown}: Helm chart templates are Go templates, not checked as they are; scan the output of `helm template {shown}` instead"),
            ));
        }
        let mut run = logic::RunFacts::default();
        for f in &facts {
            match f {
                Fact::Kubernetes(k) => run.k8s.push(k),
                Fact::DockerBase(b) => run.bases.push(b),
                Fact::HelmChart(_) | Fact::Terraform(_) => {}
            }
        }
        let mut findings = self.terraform(&facts, &mut diagnostics);
        for (c, m) in &self.checks {
            if let Some(name) = &c.logic {
                if let Some(f) = logic::by_name(name) {
                    findings.extend(f(m, &run));
                }
            }
        }
        let n = self.checks.len();
        Finish {
            findings,
            rules: self.checks[self.builtin_count..]
                .iter()
                .map(|(_, m)| m.clone())
                .collect(),
            diagnostics,
            coverage: Some(format!("{n} check{}", if n == 1 { "" } else { "s" })),
        }
    }
}
