//! The policy pass: severity overrides, config ignores, baseline and the gate verdict. Scanners only emit
//! findings; everything that decides whether a finding counts happens here, once.

pub mod baseline;
pub mod inline;

pub use baseline::Baseline;

use crate::config::{Date, FailOn, IgnoreEntry};
use crate::diagnostic::{Diagnostic, Level};
use crate::finding::{BaselineState, Finding, Severity, Suppression, SuppressionKind};
use std::collections::BTreeMap;

/// What the policy pass needs.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Gate threshold.
    pub fail_on: FailOn,
    /// Severity overrides by rule id.
    pub severity_overrides: BTreeMap<String, Severity>,
    /// Config `[[ignore]]` entries.
    pub ignores: Vec<IgnoreEntry>,
    /// Where the ignores come from (for diagnostics).
    pub config_path: Option<String>,
    /// Earlier run to compare with.
    pub baseline: Option<Baseline>,
    /// Today, for `expires`.
    pub today: Date,
}

/// The gate's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The threshold used.
    pub fail_on: FailOn,
    /// Whether the gate passed (findings only; errors are decided by the caller).
    pub passed: bool,
    /// Active findings at or above the threshold, by severity.
    pub failing: BTreeMap<Severity, usize>,
}

impl Verdict {
    /// `gate: PASSED` or `gate: FAILED (1 critical, 3 high)`.
    pub fn line(&self) -> String {
        if self.passed {
            return "gate: PASSED".to_string();
        }
        format!(
            "gate: FAILED ({})",
            crate::finding::severity_list(&self.failing)
        )
    }
}

impl Policy {
    /// Applies overrides, ignores and the baseline to `findings`, and decides the gate.
    pub fn apply(&self, findings: &mut [Finding], diagnostics: &mut Vec<Diagnostic>) -> Verdict {
        let config = self
            .config_path
            .clone()
            .unwrap_or_else(|| "portcullis.toml".to_string());
        let mut live: Vec<&IgnoreEntry> = Vec::new();
        for entry in &self.ignores {
            match entry.expires {
                Some(exp) if exp < self.today => diagnostics.push(Diagnostic::at(
                    Level::Warning,
                    "expired-ignore",
                    &config,
                    u32::try_from(entry.line).unwrap_or(u32::MAX),
                    format!(
                        "[[ignore]] for {} expired on {exp} and no longer applies (reason was: {})",
                        describe(entry),
                        entry.reason
                    ),
                )),
                _ => live.push(entry),
            }
        }
        for f in findings.iter_mut() {
            if let Some(sev) = self.severity_overrides.get(&f.rule_id) {
                f.severity = *sev;
            }
            if f.suppression.is_none() {
                if let Some(entry) = live.iter().find(|e| ignore_matches(e, f)) {
                    f.suppression = Some(Suppression {
                        kind: SuppressionKind::External,
                        justification: entry.reason.clone(),
                    });
                }
            }
            if let Some(b) = &self.baseline {
                f.baseline_state = Some(if b.contains(&f.fingerprint) {
                    BaselineState::Unchanged
                } else {
                    BaselineState::New
                });
            }
        }
        let mut failing = BTreeMap::new();
        if let Some(threshold) = self.fail_on.threshold() {
            for f in findings
                .iter()
                .filter(|f| f.is_active() && f.severity >= threshold)
            {
                *failing.entry(f.severity).or_insert(0) += 1;
            }
        }
        Verdict {
            fail_on: self.fail_on,
            passed: failing.is_empty(),
            failing,
        }
    }
}

fn describe(e: &IgnoreEntry) -> String {
    match (&e.rule, &e.path) {
        (Some(r), Some(p)) => format!("rule `{r}` under `{p}`"),
        (Some(r), None) => format!("rule `{r}`"),
        (None, Some(p)) => format!("path `{p}`"),
        (None, None) => "nothing".to_string(),
    }
}

fn ignore_matches(e: &IgnoreEntry, f: &Finding) -> bool {
    e.rule.as_ref().is_none_or(|r| *r == f.rule_id)
        && e.matcher
            .as_ref()
            .is_none_or(|m| m.is_match(&f.location.path))
}
