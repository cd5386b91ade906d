//! Scanners: each turns one shared [`SourceFile`] into findings, diagnostics and facts, and may report more
//! from those facts once every file was seen. They share nothing but the findings model and never import each
//! other.
//!
//! A scanner is its folder plus one line in [`REGISTRY`]: the [`Registration`] declares its name, its rules,
//! the suppression syntaxes that belong to it, whether it owns rule ids made at run time, and how it is built.

pub mod deps;
pub mod iac;
pub mod sast;
pub mod secrets;

use crate::diagnostic::Diagnostic;
use crate::finding::{Finding, ScannerKind};
use crate::rules::RuleMeta;
use crate::source::{Classification, ReadError, Reader, SourceFile};
use std::any::Any;
use std::collections::BTreeSet;
use std::sync::Arc;
use thiserror::Error;

/// Every scanner this build offers, in the order they run and report.
pub const REGISTRY: &[Registration] = &[
    secrets::REGISTRATION,
    deps::REGISTRATION,
    sast::REGISTRATION,
    iac::REGISTRATION,
];

/// Scanners that are planned but not in this build: named so that `--scanners sast` says so.
pub const PLANNED: &[(&str, &str)] = &[];

/// How one scanner is declared.
pub struct Registration {
    /// Its name on the command line, in config (`[scanners]`) and in output.
    pub kind: ScannerKind,
    /// Its built-in rules.
    pub rules: fn() -> Result<Vec<RuleMeta>, RuleError>,
    /// In-source suppression syntaxes of other tools that belong to this scanner (`portcullis:ignore`
    /// belongs to every scanner).
    pub suppressions: &'static [PeerSyntax],
    /// Whether a rule id not among its built-in rules is one it makes at run time (advisory ids).
    pub owns_runtime_id: Option<fn(&str) -> bool>,
    /// Reads its own table of `portcullis.toml` (`[deps]`) without the common `fail-on`, with paths relative
    /// to `base` (the config file's directory); `None`: the table takes `fail-on` only.
    pub config: Option<ReadTable>,
    /// Builds the scanner for a run.
    pub build: fn(&ScannerOptions) -> Result<Box<dyn DynScanner>, RuleError>,
}

/// How a registration reads its table: the table without `fail-on`, and the config file's directory.
pub type ReadTable = fn(toml::Table, &std::path::Path) -> Result<ScannerConfig, toml::de::Error>;

/// A scanner's validated config table, kept opaque by the config and read back by type.
#[derive(Clone)]
pub struct ScannerConfig(Arc<dyn Any + Send + Sync>);

impl ScannerConfig {
    /// Wraps a scanner's settings.
    pub fn new<T: Any + Send + Sync>(settings: T) -> ScannerConfig {
        ScannerConfig(Arc::new(settings))
    }

    /// The settings, if they are a `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref::<T>()
    }
}

impl std::fmt::Debug for ScannerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScannerConfig(..)")
    }
}

/// In-source suppression comments of other tools, honoured for the scanner they belong to only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeerSyntax {
    /// `nosemgrep` / `nosemgrep: id` (Semgrep: SAST findings).
    Nosemgrep,
    /// `gitleaks:allow` (gitleaks: secrets).
    GitleaksAllow,
    /// `checkov:skip=CKV_K8S_16:reason` (Checkov: IaC), by the ids a check lists as its equivalents.
    Checkov,
    /// `hadolint ignore=DL3002,DL3007` (hadolint: Dockerfiles), before the instruction.
    Hadolint,
    /// `kics-scan ignore-line` (KICS: IaC), on the line or before it.
    Kics,
    /// `tfsec:ignore:ID` / `trivy:ignore:ID` (tfsec, Trivy: IaC).
    Tfsec,
}

/// The registration of the scanner called `name`.
pub fn by_name(name: &str) -> Option<&'static Registration> {
    REGISTRY.iter().find(|r| r.kind.as_str() == name)
}

/// The registration of a scanner.
pub fn registration(kind: ScannerKind) -> Option<&'static Registration> {
    by_name(kind.as_str())
}

/// Every scanner name, comma-separated, for messages.
pub fn valid_names() -> String {
    REGISTRY
        .iter()
        .map(|r| r.kind.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A scanner name that this build does not offer.
#[derive(Debug, Error)]
pub enum UnknownScanner {
    /// A scanner that is planned but not built yet.
    #[error(
        "the `{name}` scanner ({what}) is not in this build yet; available scanners: {}",
        valid_names()
    )]
    Planned {
        /// The name given.
        name: String,
        /// What it will do.
        what: &'static str,
    },
    /// A name no scanner has.
    #[error("unknown scanner `{name}`; valid scanners: {}", valid_names())]
    Unknown {
        /// The name given.
        name: String,
    },
}

/// Parses a scanner name, saying what exists when it is unknown or not in this build.
pub fn parse_name(name: &str) -> Result<ScannerKind, UnknownScanner> {
    let name = name.trim();
    if let Some(r) = by_name(name) {
        return Ok(r.kind);
    }
    match PLANNED.iter().find(|(n, _)| *n == name) {
        Some((n, what)) => Err(UnknownScanner::Planned {
            name: n.to_string(),
            what,
        }),
        None => Err(UnknownScanner::Unknown {
            name: name.to_string(),
        }),
    }
}

/// A check that could not run on a file.
#[derive(Debug, Error)]
#[error("{scanner} scanner failed: {message}")]
pub struct ScanError {
    /// Scanner that failed.
    pub scanner: ScannerKind,
    /// What went wrong.
    pub message: String,
}

/// A rule file (built in, or a user's) that does not load; the run fails closed.
#[derive(Debug, Error)]
#[error("{path}: {message}")]
pub struct RuleError {
    /// The rule file.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// Per-run options a scanner is built with.
#[derive(Clone, Debug, Default)]
pub struct ScannerOptions {
    /// Rule ids disabled by configuration or selection: never run.
    pub disabled_rules: BTreeSet<String>,
    /// How the dependency audit runs (`[deps]` and its flags).
    pub deps: deps::DepsOptions,
    /// Which SAST rules run (`--rules`, `--no-builtin-rules`, the skip flags).
    pub sast: sast::SastOptions,
    /// Which IaC checks run (check files given with `--rules`, `--no-builtin-rules`).
    pub iac: iac::IacOptions,
}

/// A rule or check file given with `--rules`: its path and text, read at the edge.
#[derive(Clone, Debug)]
pub struct RuleSource {
    /// Where it came from (shown in messages).
    pub path: String,
    /// Its text.
    pub text: String,
}

/// What a scanner collects while it scans one file.
pub struct FileContext<'a, F> {
    reader: &'a dyn Reader,
    path: &'a str,
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    facts: Vec<F>,
    related: Vec<Arc<SourceFile>>,
}

impl<'a, F> FileContext<'a, F> {
    /// A context for the file at `path`, reading related files through `reader`.
    pub fn new(reader: &'a dyn Reader, path: &'a str) -> Self {
        FileContext {
            reader,
            path,
            findings: Vec::new(),
            diagnostics: Vec::new(),
            facts: Vec::new(),
            related: Vec::new(),
        }
    }

    /// The path of the file being scanned.
    pub fn path(&self) -> &str {
        self.path
    }

    /// Records a finding.
    pub fn report(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Records a diagnostic.
    pub fn diagnose(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records a fact for the scanner's [`Scanner::finish`].
    pub fn fact(&mut self, fact: F) {
        self.facts.push(fact);
    }

    /// Reads another file of the repository (an included requirements file) through the pipeline's reader,
    /// with its limits; in-source suppressions of that file then apply to findings in it.
    pub fn read_related(&mut self, rel: &str) -> Result<Arc<SourceFile>, ReadError> {
        if let Some(f) = self.related.iter().find(|f| f.path() == rel) {
            return Ok(Arc::clone(f));
        }
        let bytes = self.reader.read(rel)?;
        let file = Arc::new(SourceFile::new(rel, bytes));
        self.related.push(Arc::clone(&file));
        Ok(file)
    }

    /// Everything collected.
    pub fn into_parts(self) -> (Vec<Finding>, Vec<Diagnostic>, Vec<F>, Vec<Arc<SourceFile>>) {
        (self.findings, self.diagnostics, self.facts, self.related)
    }
}

/// What a scanner reports once every file was scanned.
#[derive(Debug, Default)]
pub struct Finish {
    /// Findings from facts of several files (cross-file checks, lookups done once per run).
    pub findings: Vec<Finding>,
    /// Rules made during the run (advisories), for the registry.
    pub rules: Vec<RuleMeta>,
    /// Run-level diagnostics (missing advisory data).
    pub diagnostics: Vec<Diagnostic>,
    /// What the scanner looked at, for the summary (`9 lock files, 312 packages`).
    pub coverage: Option<String>,
}

/// One engine of the gate.
pub trait Scanner: Send + Sync + 'static {
    /// What the scanner keeps of each file for [`Scanner::finish`].
    type Facts: Send + 'static;
    /// Which scanner this is.
    fn kind(&self) -> ScannerKind;
    /// Whether the scanner wants the file at repository-relative `path` of this classification, decided
    /// before the file is read.
    fn wants(&self, path: &str, class: &Classification) -> bool;
    /// Whether the scanner reads the text runs of binary files (their other bytes shown as spaces, so that
    /// offsets and lines stay those of the file), as `strings` would: a key in a build artefact or an
    /// archive's plain text is still a leak.
    fn reads_binary(&self) -> bool {
        false
    }
    /// Whether the scanner reads files over the size limit, as overlapping windows that are each scanned as a
    /// file of their own ([`crate::source::stream`]): only for scanners whose findings span a few kilobytes
    /// at most and need nothing of the rest of the file. Others skip such files with a note.
    fn streams(&self) -> bool {
        false
    }
    /// Scans one file into `cx`.
    fn scan(
        &self,
        file: &Arc<SourceFile>,
        cx: &mut FileContext<'_, Self::Facts>,
    ) -> Result<(), ScanError>;
    /// Called once after every file was scanned, with every file's facts in path order.
    fn finish(&self, facts: Vec<Self::Facts>) -> Finish {
        let _ = facts;
        Finish::default()
    }
}

/// The facts of one file, kept opaque by the pipeline.
pub struct ErasedFacts(Box<dyn Any + Send>);

/// What scanning one file produced.
pub struct FileOutput {
    /// Findings (in this file or in a related file).
    pub findings: Vec<Finding>,
    /// Diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// Related files read on the scanner's behalf.
    pub related: Vec<Arc<SourceFile>>,
    /// Facts for the scanner's finish.
    pub facts: ErasedFacts,
}

/// A [`Scanner`] as the pipeline drives it, whatever its facts are.
pub trait DynScanner: Send + Sync {
    /// Which scanner this is.
    fn kind(&self) -> ScannerKind;
    /// See [`Scanner::wants`].
    fn wants(&self, path: &str, class: &Classification) -> bool;
    /// See [`Scanner::reads_binary`].
    fn reads_binary(&self) -> bool;
    /// See [`Scanner::streams`].
    fn streams(&self) -> bool;
    /// Scans one file.
    fn scan_file(
        &self,
        file: &Arc<SourceFile>,
        reader: &dyn Reader,
    ) -> Result<FileOutput, ScanError>;
    /// See [`Scanner::finish`]; `facts` are those of [`DynScanner::scan_file`], in path order.
    fn finish_run(&self, facts: Vec<ErasedFacts>) -> Finish;
}

impl<S: Scanner> DynScanner for S {
    fn kind(&self) -> ScannerKind {
        Scanner::kind(self)
    }

    fn wants(&self, path: &str, class: &Classification) -> bool {
        Scanner::wants(self, path, class)
    }

    fn reads_binary(&self) -> bool {
        Scanner::reads_binary(self)
    }

    fn streams(&self) -> bool {
        Scanner::streams(self)
    }

    fn scan_file(
        &self,
        file: &Arc<SourceFile>,
        reader: &dyn Reader,
    ) -> Result<FileOutput, ScanError> {
        let mut cx = FileContext::new(reader, file.path());
        self.scan(file, &mut cx)?;
        let (findings, diagnostics, facts, related) = cx.into_parts();
        Ok(FileOutput {
            findings,
            diagnostics,
            related,
            facts: ErasedFacts(Box::new(facts)),
        })
    }

    fn finish_run(&self, facts: Vec<ErasedFacts>) -> Finish {
        let mut all: Vec<S::Facts> = Vec::new();
        for f in facts {
            if let Ok(v) = f.0.downcast::<Vec<S::Facts>>() {
                all.extend(*v);
            }
        }
        self.finish(all)
    }
}

/// Metadata of every built-in rule of every scanner (for the registry, `rules list` and `explain`).
pub fn all_rule_metas() -> Result<Vec<RuleMeta>, RuleError> {
    let mut metas = Vec::new();
    for r in REGISTRY {
        metas.extend((r.rules)()?);
    }
    Ok(metas)
}

/// Builds the requested scanners, in registry order.
pub fn build(
    kinds: &[ScannerKind],
    options: &ScannerOptions,
) -> Result<Vec<Box<dyn DynScanner>>, RuleError> {
    REGISTRY
        .iter()
        .filter(|r| kinds.contains(&r.kind))
        .map(|r| (r.build)(options))
        .collect()
}
