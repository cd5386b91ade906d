//! The one findings model: every scanner produces [`Finding`]s through [`FindingBuilder`], every reporter
//! consumes them.

mod builder;
mod source;

pub use builder::{
    finalize_secret_fingerprints, redact, FindingBuilder, SecretSpan, FINGERPRINT_LOG_N,
    SECRET_FINGERPRINT_BUDGET,
};
pub use source::SourceText;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How bad a finding is; ordered from `Info` (least) to `Critical` (most).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: never a problem on its own.
    Info,
    /// Low impact or hard to exploit.
    Low,
    /// Worth fixing soon.
    Medium,
    /// Exploitable with real impact.
    High,
    /// Direct compromise (a live production credential, remote code execution).
    Critical,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL_DESC: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// Lower-case name, as written in config files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Every name, as listed in messages.
    pub const NAMES: &'static str = "critical, high, medium, low, info";

    /// Parses a severity name, in any case (`high`, `HIGH`).
    pub fn parse(s: &str) -> Option<Severity> {
        let s = s.trim();
        Severity::ALL_DESC
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }

    /// The CVSS-like score GitHub code scanning reads from `properties.security-severity`.
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "0.0",
        }
    }

    /// This severity lowered by `steps` levels, never below `Info`.
    pub fn lowered(self, steps: u8) -> Severity {
        let idx = (self as u8).saturating_sub(steps);
        [
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ][idx as usize]
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Severity::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown severity `{s}`, expected one of: {}",
                Severity::NAMES
            ))
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a rule is that a match is a true positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Context-only or generic match.
    Low,
    /// Format plus a context word.
    Medium,
    /// Distinctive format.
    High,
}

impl Confidence {
    /// Parses a confidence name, in any case.
    pub fn parse(s: &str) -> Option<Confidence> {
        [Confidence::Low, Confidence::Medium, Confidence::High]
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// The SARIF `precision` property GitHub reads.
    pub fn precision(self) -> &'static str {
        match self {
            Confidence::High => "very-high",
            Confidence::Medium => "high",
            Confidence::Low => "medium",
        }
    }
}

/// Which scanner produced a finding or owns a rule: the name a scanner registers with
/// ([`crate::scanners::REGISTRY`]), as used on the command line, in config and in output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScannerKind(&'static str);

impl ScannerKind {
    /// The kind named `name` (each scanner defines its own constant).
    pub const fn new(name: &'static str) -> ScannerKind {
        ScannerKind(name)
    }

    /// The name used on the command line and in config.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl Serialize for ScannerKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl fmt::Display for ScannerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Where a finding is: path relative to the scan root with `/` separators, 1-based lines and columns
/// (columns count Unicode code points; `end_column` is exclusive, as in SARIF).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Relative path with `/` separators.
    pub path: String,
    /// First line, 1-based.
    pub start_line: u32,
    /// First column, 1-based.
    pub start_column: u32,
    /// Last line, 1-based.
    pub end_line: u32,
    /// Column after the last character, 1-based.
    pub end_column: u32,
}

/// The source line a finding starts on, already redacted, with the span to mark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The (possibly shortened, always redacted) text of the first line of the finding.
    pub text: String,
    /// 1-based column in `text` where the marked span starts.
    pub mark_start: u32,
    /// 1-based column in `text` after the marked span.
    pub mark_end: u32,
}

/// Why a finding does not count against the gate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// Where the suppression was written.
    pub kind: SuppressionKind,
    /// The reason given.
    pub justification: String,
    /// The file the suppression was written in, when it is not the finding's own file (`portcullis.toml`,
    /// `.trivyignore`, `osv-scanner.toml`, `.cargo/audit.toml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where a suppression comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// A comment in the source (`portcullis:ignore`, `nosemgrep`, `gitleaks:allow`).
    InSource,
    /// An `[[ignore]]` entry of the configuration file.
    External,
}

/// `1 critical, 3 high` (most severe first; empty when there is nothing).
pub fn severity_list(counts: &BTreeMap<Severity, usize>) -> String {
    Severity::ALL_DESC
        .iter()
        .filter_map(|s| {
            counts
                .get(s)
                .filter(|n| **n > 0)
                .map(|n| format!("{n} {s}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a finding was already present in the `--baseline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BaselineState {
    /// Not in the baseline.
    New,
    /// In the baseline; does not fail the gate.
    Unchanged,
}

/// One problem found by one rule at one place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Registered rule id.
    pub rule_id: String,
    /// Scanner that produced it.
    pub scanner: ScannerKind,
    /// Effective severity (after path adjustments and config overrides).
    pub severity: Severity,
    /// Rule confidence.
    pub confidence: Confidence,
    /// One-sentence message; never contains a secret in full.
    pub message: String,
    /// Primary location.
    pub location: Location,
    /// Redacted source line with the span marked.
    pub snippet: Snippet,
    /// Stable fingerprint: hash of rule id, path and normalised content, plus `:N` for the N-th occurrence.
    pub fingerprint: String,
    /// CWE ids (`CWE-798`).
    pub cwe: Vec<String>,
    /// OWASP Top 10 categories (`A07:2021`).
    pub owasp: Vec<String>,
    /// Short remediation advice.
    pub help: String,
    /// A concrete replacement, when the rule knows one.
    pub fix: Option<String>,
    /// Set when the finding is suppressed.
    pub suppression: Option<Suppression>,
    /// Set when a baseline was given.
    pub baseline_state: Option<BaselineState>,
    /// Structured facts, for scanners whose findings have them (dependency findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
    /// The commit that added the finding's lines, for a scan of history (`--git-range`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<Commit>,
    /// Set by the policy pass: this finding is one the gate fails on.
    #[serde(skip)]
    pub fails_gate: bool,
    /// The fingerprints this finding has under the other ids of its rule (an advisory's aliases), so that a
    /// baseline written when the advisory was known by another id still matches.
    #[serde(skip)]
    pub alias_fingerprints: Vec<String>,
    /// A secret finding's value until the pipeline derives its fingerprint ([`finalize_secret_fingerprints`]);
    /// never serialised, never printed.
    #[serde(skip)]
    pub pending_secret: Option<PendingSecret>,
}

/// A commit of the scanned history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// Its full SHA.
    pub sha: String,
    /// Its author date (ISO 8601).
    pub author_date: String,
}

/// A secret's value held in memory only until its fingerprint is derived.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingSecret(pub(crate) Vec<u8>);

impl fmt::Debug for PendingSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PendingSecret([{} bytes])", self.0.len())
    }
}

/// Structured facts of a finding, by kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Details {
    /// A package version with a known advisory.
    Dependency(Box<DependencyDetails>),
    /// A misconfiguration of infrastructure as code.
    Configuration(ConfigurationDetails),
}

/// Where an IaC finding lies: the construct the check was evaluated on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConfigurationDetails {
    /// The subject (`container `app` of Deployment/web`, `aws_s3_bucket.logs`, `RUN in stage 2`).
    pub subject: String,
    /// The line where the subject starts (a resource block, an instruction): other tools' skip comments
    /// stand before it.
    pub subject_line: u32,
    /// The line where the subject ends (Checkov's skips may stand anywhere inside a resource).
    pub subject_end_line: u32,
}

/// A vulnerable dependency, with the fields osv-scanner's and Trivy's JSON give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DependencyDetails {
    /// OSV ecosystem name (`PyPI`, `crates.io`).
    pub ecosystem: String,
    /// Package name as declared.
    pub package: String,
    /// Installed (locked) version.
    pub installed_version: String,
    /// Versions the advisory lists as fixed.
    pub fixed_versions: Vec<String>,
    /// The smallest fixed version above the installed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade_to: Option<String>,
    /// Advisory id.
    pub advisory: String,
    /// Other ids of the advisory (CVE, GHSA, …), and of records merged into it.
    pub aliases: Vec<String>,
    /// CVSS vector of the highest score, when the advisory has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss_vector: Option<String>,
    /// CVSS base score of that vector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss_score: Option<Score>,
    /// The lock file or manifest that declares the package.
    pub lockfile: String,
    /// Line of the declaration.
    pub line: u32,
    /// Direct (`true`) or transitive (`false`) dependency, when the lock file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct: Option<bool>,
    /// A development-only dependency.
    pub dev: bool,
}

/// A CVSS score (0.0 to 10.0), compared by value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Score(pub f64);

impl Eq for Score {}

impl Finding {
    /// Whether this finding counts towards the gate (not suppressed, not already in the baseline).
    pub fn is_active(&self) -> bool {
        self.suppression.is_none() && self.baseline_state != Some(BaselineState::Unchanged)
    }

    /// The deterministic order of findings: path, position, rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, u32, u32) {
        let l = &self.location;
        (
            &l.path,
            l.start_line,
            l.start_column,
            &self.rule_id,
            l.end_line,
            l.end_column,
        )
    }
}
