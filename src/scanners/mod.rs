//! Scanners: each turns the bytes of one file into findings. They share nothing but the findings model and
//! never import each other.

pub mod deps;
pub mod secrets;

use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::finding::{Finding, ScannerKind, SourceText};
use crate::rules::RuleMeta;
use std::collections::BTreeSet;
use thiserror::Error;

/// What a scanner sees of one file.
pub struct ScanInput<'a> {
    /// Path relative to the scan root, `/`-separated.
    pub path: &'a str,
    /// Classification of the file.
    pub kind: &'a FileKind,
    /// The file's bytes with a line index.
    pub source: &'a SourceText<'a>,
    /// The file on disk (for scanners that follow includes to other files).
    pub file: &'a std::path::Path,
}

/// What a scanner reports once every file was scanned.
#[derive(Debug, Default)]
pub struct Finish {
    /// Rules made during the run (advisories), for the registry.
    pub rules: Vec<RuleMeta>,
    /// Run-level diagnostics (missing advisory data, files that could not be parsed).
    pub diagnostics: Vec<Diagnostic>,
    /// What the scanner looked at, for the summary (`9 lock files, 312 packages`).
    pub coverage: Option<String>,
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

/// A built-in rule file that does not load; the run fails closed.
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
    /// Rule ids disabled by configuration: never run.
    pub disabled_rules: BTreeSet<String>,
    /// How the dependency audit runs.
    pub deps: deps::DepsOptions,
}

/// One engine of the gate.
pub trait Scanner: Send + Sync {
    /// Which scanner this is.
    fn kind(&self) -> ScannerKind;
    /// Whether the scanner looks at files of this kind at all.
    fn wants(&self, kind: &FileKind) -> bool;
    /// Scans one file, appending findings.
    fn scan(&self, input: &ScanInput<'_>, out: &mut Vec<Finding>) -> Result<(), ScanError>;
    /// Called once after every file was scanned.
    fn finish(&self) -> Finish {
        Finish::default()
    }
}

/// Metadata of every built-in rule of every scanner (for the registry, `rules list` and `explain`).
pub fn all_rule_metas() -> Result<Vec<RuleMeta>, RuleError> {
    let mut metas = Vec::new();
    for kind in ScannerKind::ALL {
        match kind {
            ScannerKind::Secrets => {
                metas.extend(secrets::load_rules()?.into_iter().map(|r| r.meta))
            }
            ScannerKind::Deps => metas.extend(deps::static_rules()),
        }
    }
    Ok(metas)
}

/// Builds the requested scanners.
pub fn build(
    kinds: &[ScannerKind],
    options: &ScannerOptions,
) -> Result<Vec<Box<dyn Scanner>>, RuleError> {
    let mut out: Vec<Box<dyn Scanner>> = Vec::new();
    for kind in kinds {
        match kind {
            ScannerKind::Secrets => out.push(Box::new(secrets::SecretsScanner::new(options)?)),
            ScannerKind::Deps => out.push(Box::new(deps::DepsScanner::new(
                options.deps.clone(),
                options.disabled_rules.clone(),
            ))),
        }
    }
    Ok(out)
}
