//! The IaC scanner: misconfigurations in Dockerfiles, Kubernetes manifests, Terraform, CloudFormation, Compose
//! files and GitHub Actions workflows.
//!
//! - [`check`]: the check model and loader (`rules/iac/<platform>/<id>.yaml`, data: a subject, a condition);
//! - [`subjects`]: what checks are evaluated on, per platform (containers, resources, steps…);
//! - [`eval`]: conditions in three values (an unknown value is never taken as safe or unsafe);
//! - [`logic`]: the checks that need code (across files, across resources).
//!
//! Each file is parsed once through the shared parses of [`crate::document`]; checks are indexed by platform
//! and subject kind.

pub mod check;
pub mod eval;
pub mod logic;
pub mod subjects;

use crate::diagnostic::{Diagnostic, Level};
use crate::document::{DockerDoc, HclDoc, JsonDoc, Node, YamlDocs};
use crate::finding::{FindingBuilder, ScannerKind, SourceText};
use crate::rules::{embedded, RuleMeta};
use crate::scanners::{
    DynScanner, FileContext, Finish, Registration, RuleError, ScanError, Scanner, ScannerOptions,
};
use crate::source::{Classification, DocumentKind, SourceFile};
use check::{Check, Platform};
use eval::{Subject, Tri};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The scanner's name.
pub const KIND: ScannerKind = ScannerKind::new("iac");

/// The registration.
pub const REGISTRATION: Registration = Registration {
    kind: KIND,
    rules: builtin_metas,
    suppressions: &[],
    owns_runtime_id: None,
    config: None,
    build,
};

fn builtin() -> Result<Vec<Check>, RuleError> {
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
        aliases: Vec::new(),
        generic: false,
    }
}

fn builtin_metas() -> Result<Vec<RuleMeta>, RuleError> {
    Ok(builtin()?.iter().map(meta).collect())
}

fn build(options: &ScannerOptions) -> Result<Box<dyn DynScanner>, RuleError> {
    let checks: Vec<(Check, RuleMeta)> = builtin()?
        .into_iter()
        .filter(|c| !options.disabled_rules.contains(&c.id))
        .map(|c| {
            let m = meta(&c);
            (c, m)
        })
        .collect();
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
    Ok(Box::new(IacScanner { checks, index }))
}

/// The scanner: checks indexed by platform and subject kind.
pub struct IacScanner {
    checks: Vec<(Check, RuleMeta)>,
    index: BTreeMap<(Platform, &'static str), Vec<usize>>,
}

/// What one file tells the run-wide checks.
#[derive(Clone, Debug)]
pub enum Fact {
    /// A Helm chart's templates folder, skipped.
    HelmChart(String),
    /// Kubernetes facts for cross-file checks.
    Kubernetes(logic::K8sFacts),
}

fn is_action(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "action.yml" || name == "action.yaml"
}

fn platform_of(path: &str, class: &Classification) -> Option<Platform> {
    match class.document? {
        DocumentKind::Dockerfile => Some(Platform::Dockerfile),
        DocumentKind::Kubernetes => Some(Platform::Kubernetes),
        DocumentKind::Compose => Some(Platform::Compose),
        DocumentKind::GithubWorkflow => Some(Platform::GithubActions),
        DocumentKind::Terraform if !path.ends_with(".tfvars") => Some(Platform::Terraform),
        DocumentKind::CloudFormation => Some(Platform::CloudFormation),
        _ => None,
    }
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
        let source = SourceText::new(text.as_bytes());
        for s in subjects {
            let Some(ids) = self.index.get(&(platform, s.on)) else {
                continue;
            };
            for &i in ids {
                let (c, m) = &self.checks[i];
                if !c.kinds.is_empty() && !c.kinds.contains(&s.kind) {
                    continue;
                }
                let Some(cond) = &c.report else { continue };
                if let Tri::True(at) = eval::eval(cond, s.node, s) {
                    let span = at.unwrap_or(s.header);
                    let value = text.get(span.0 as usize..span.1 as usize).unwrap_or("");
                    let message = match &c.message {
                        Some(t) => t
                            .replace("{subject}", &s.name)
                            .replace("{value}", value.trim()),
                        None => format!("{}: {}", c.title, s.name),
                    };
                    let b = FindingBuilder::new(m, path, &source, span.0 as usize..span.1 as usize)
                        .message(message);
                    cx.report(b.build());
                }
            }
        }
    }

    fn parse_error(
        &self,
        path: &str,
        text: &str,
        e: &crate::document::DocError,
        cx: &mut FileContext<'_, Fact>,
    ) {
        let line = text[..(e.offset as usize).min(text.len())]
            .matches('\n')
            .count() as u32
            + 1;
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
        platform_of(path, class).is_some()
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
        let text = String::from_utf8_lossy(file.bytes()).into_owned();
        let action = is_action(&path);
        let Some(platform) =
            platform_of(&path, &class).or(action.then_some(Platform::GithubActions))
        else {
            return Ok(());
        };
        match platform {
            Platform::Dockerfile => {
                let d = file.parse::<DockerDoc>();
                let nodes = subjects::docker_nodes(&text, &d);
                let subs = subjects::docker(&text, &nodes);
                self.run(&path, &text, platform, &subs, cx);
            }
            Platform::Terraform => match &*file.parse::<HclDoc>() {
                Ok(f) => {
                    let subs = subjects::terraform(f);
                    self.run(&path, &text, platform, &subs, cx);
                }
                Err(e) => self.parse_error(&path, &text, e, cx),
            },
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
        let mut diagnostics = Vec::new();
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
        let k8s: Vec<&logic::K8sFacts> = facts
            .iter()
            .filter_map(|f| match f {
                Fact::Kubernetes(k) => Some(k),
                _ => None,
            })
            .collect();
        let mut findings = Vec::new();
        for (c, m) in &self.checks {
            if let Some(name) = &c.logic {
                if let Some(f) = logic::by_name(name) {
                    findings.extend(f(m, &k8s));
                }
            }
        }
        let n = self.checks.len();
        Finish {
            findings,
            rules: Vec::new(),
            diagnostics,
            coverage: Some(format!("{n} check{}", if n == 1 { "" } else { "s" })),
        }
    }
}
