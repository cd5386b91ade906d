//! The policy pass: path-based severity changes, severity overrides, ignores (the config's and those of other
//! tools' ignore files), the baseline and the gate verdict. Scanners only emit findings; everything that
//! decides whether a finding counts happens here, once.

pub mod baseline;
pub mod ignorefiles;
pub mod inline;
pub mod select;

pub use baseline::Baseline;

use crate::config::{Date, FailOn, IgnoreEntry};
use crate::diagnostic::{Diagnostic, Level};
use crate::finding::{
    BaselineState, Details, Finding, ScannerKind, Severity, Suppression, SuppressionKind,
};
use crate::rules::Registry;
use globset::GlobSet;
use std::collections::BTreeMap;

/// Where tests, fixtures and examples live, by default (matched case-insensitively against the
/// repository-relative path).
pub const DEFAULT_TEST_PATHS: &[&str] = &[
    "**/test/**",
    "**/tests/**",
    "**/__tests__/**",
    "**/spec/**",
    "**/specs/**",
    "**/fixture/**",
    "**/fixtures/**",
    "**/testdata/**",
    "**/test-data/**",
    "**/test_data/**",
    "**/__mocks__/**",
    "**/mocks/**",
    "**/example/**",
    "**/examples/**",
    "**/sample/**",
    "**/samples/**",
    "**/__snapshots__/**",
    "**/test_*",
    "**/*_test.*",
    "**/*.test.*",
    "**/*.spec.*",
    "**/*_spec.*",
    "**/*.example",
    "**/*.sample",
];

/// Severity levels findings of generic rules are lowered by in test paths, by default.
pub const DEFAULT_TEST_PATH_LOWERING: u8 = 2;

/// Which paths count as test paths, and how far findings of generic rules there are lowered.
#[derive(Clone, Debug)]
pub struct TestPaths {
    /// The globs as written.
    pub globs: Vec<String>,
    matcher: GlobSet,
    /// Severity levels to lower by (0: never).
    pub lower_by: u8,
}

impl TestPaths {
    /// Test paths from globs (matched as include/exclude globs are, but case-insensitively).
    pub fn new(globs: Vec<String>, lower_by: u8) -> Result<TestPaths, crate::discover::GlobError> {
        let matcher = crate::discover::globset_with(&globs, true)?;
        Ok(TestPaths {
            globs,
            matcher,
            lower_by,
        })
    }

    /// The default test paths ([`DEFAULT_TEST_PATHS`]), lowering by `lower_by`.
    pub fn defaults(lower_by: u8) -> TestPaths {
        let globs = DEFAULT_TEST_PATHS.iter().map(|g| g.to_string()).collect();
        TestPaths::new(globs, lower_by).unwrap_or_else(|_| TestPaths {
            globs: Vec::new(),
            matcher: GlobSet::empty(),
            lower_by: 0,
        })
    }

    /// Whether `path` is a test, fixture or example path.
    pub fn matches(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

impl Default for TestPaths {
    fn default() -> Self {
        TestPaths::defaults(DEFAULT_TEST_PATH_LOWERING)
    }
}

/// What the policy pass needs.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Gate threshold.
    pub fail_on: FailOn,
    /// Gate threshold per scanner, where it differs.
    pub fail_on_scanner: BTreeMap<ScannerKind, FailOn>,
    /// Severity overrides by rule id.
    pub severity_overrides: BTreeMap<String, Severity>,
    /// `[[ignore]]` entries and the entries of other tools' ignore files.
    pub ignores: Vec<IgnoreEntry>,
    /// Earlier run to compare with.
    pub baseline: Option<Baseline>,
    /// Today, for `expires`.
    pub today: Date,
    /// Where findings of generic rules are lowered.
    pub test_paths: TestPaths,
    /// Dependency findings without a fixed version never fail the gate (`--ignore-unfixed`).
    pub ignore_unfixed: bool,
}

impl Policy {
    /// A policy with this threshold and nothing else.
    pub fn new(fail_on: FailOn) -> Policy {
        Policy {
            fail_on,
            fail_on_scanner: BTreeMap::new(),
            severity_overrides: BTreeMap::new(),
            ignores: Vec::new(),
            baseline: None,
            today: Date::today(),
            test_paths: TestPaths::default(),
            ignore_unfixed: false,
        }
    }
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
    /// Applies path rules, overrides, ignores and the baseline to `findings`, and decides the gate.
    pub fn apply(
        &self,
        findings: &mut [Finding],
        diagnostics: &mut Vec<Diagnostic>,
        registry: &Registry,
    ) -> Verdict {
        let mut live: Vec<(usize, &IgnoreEntry)> = Vec::new();
        for (i, entry) in self.ignores.iter().enumerate() {
            match entry.expires {
                Some(exp) if exp < self.today => diagnostics.push(Diagnostic::at(
                    Level::Warning,
                    "expired-ignore",
                    &entry.origin,
                    u32::try_from(entry.line).unwrap_or(u32::MAX),
                    format!(
                        "ignore entry for {} expired on {exp} and no longer applies (reason was: {})",
                        describe(entry),
                        entry.reason
                    ),
                )),
                _ => live.push((i, entry)),
            }
        }
        let mut used = vec![false; self.ignores.len()];
        for f in findings.iter_mut() {
            self.path_rules(f, registry);
            if let Some(sev) = self.severity_overrides.get(&f.rule_id) {
                f.severity = *sev;
            }
            let ids = if live.is_empty() {
                Vec::new()
            } else {
                ids_of(f, registry)
            };
            if let Some((i, entry)) = live.iter().find(|(_, e)| ignore_matches(e, f, &ids)) {
                used[*i] = true;
                if f.suppression.is_none() {
                    f.suppression = Some(Suppression {
                        kind: SuppressionKind::External,
                        justification: entry.reason.clone(),
                        source: Some(entry.origin.clone()),
                    });
                }
            }
            if let Some(b) = &self.baseline {
                let known = b.contains(&f.fingerprint)
                    || f.alias_fingerprints.iter().any(|a| b.contains(a));
                f.baseline_state = Some(if known {
                    BaselineState::Unchanged
                } else {
                    BaselineState::New
                });
            }
        }
        for (i, entry) in live {
            if !used[i] {
                diagnostics.push(Diagnostic::at(
                    if entry.other_tool {
                        Level::Note
                    } else {
                        Level::Warning
                    },
                    "unused-ignore",
                    &entry.origin,
                    u32::try_from(entry.line).unwrap_or(u32::MAX),
                    format!(
                        "ignore entry for {} matches no finding in this run; remove it if the problem is gone",
                        describe(entry)
                    ),
                ));
            }
        }
        let mut failing = BTreeMap::new();
        for f in findings.iter_mut().filter(|f| f.is_active()) {
            let fail_on = self
                .fail_on_scanner
                .get(&f.scanner)
                .copied()
                .unwrap_or(self.fail_on);
            let Some(threshold) = fail_on.threshold() else {
                continue;
            };
            let unfixed =
                matches!(&f.details, Some(Details::Dependency(d)) if d.fixed_versions.is_empty());
            if f.severity >= threshold && !(self.ignore_unfixed && unfixed) {
                *failing.entry(f.severity).or_insert(0) += 1;
                f.fails_gate = true;
            }
        }
        Verdict {
            fail_on: self.fail_on,
            passed: failing.is_empty(),
            failing,
        }
    }

    /// Lowers findings of generic rules (matched by context or entropy, not by a format that proves the value
    /// real) in lock files and in test, fixture and example paths.
    fn path_rules(&self, f: &mut Finding, registry: &Registry) {
        if !registry.get(&f.rule_id).is_some_and(|r| r.generic) {
            return;
        }
        if crate::lockfile::inventory::format_of(&f.location.path).is_some() {
            f.severity = Severity::Info;
            f.message
                .push_str(" (a generic match in a lock file: severity lowered)");
        } else if self.test_paths.lower_by > 0 && self.test_paths.matches(&f.location.path) {
            f.severity = f.severity.lowered(self.test_paths.lower_by);
            f.message.push_str(
                " (a generic match in a test, fixture or example path: severity lowered)",
            );
        }
    }
}

/// The ids a finding is known by: its rule id, the rule's aliases, and the aliases of its advisory.
fn ids_of<'a>(f: &'a Finding, registry: &'a Registry) -> Vec<&'a str> {
    let mut ids = vec![f.rule_id.as_str()];
    if let Some(r) = registry.get(&f.rule_id) {
        ids.extend(r.aliases.iter().map(String::as_str));
    }
    if let Some(Details::Dependency(d)) = &f.details {
        ids.extend(d.aliases.iter().map(String::as_str));
    }
    ids
}

fn describe(e: &IgnoreEntry) -> String {
    match (&e.rule, &e.path) {
        (Some(r), Some(p)) => format!("rule `{r}` under `{p}`"),
        (Some(r), None) => format!("rule `{r}`"),
        (None, Some(p)) => format!("path `{p}`"),
        (None, None) => "nothing".to_string(),
    }
}

fn ignore_matches(e: &IgnoreEntry, f: &Finding, ids: &[&str]) -> bool {
    e.rule.as_ref().is_none_or(|r| ids.contains(&r.as_str()))
        && e.matcher
            .as_ref()
            .is_none_or(|m| m.is_match(&f.location.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_test_paths() {
        let t = TestPaths::default();
        for p in [
            "tests/a.py",
            "src/Tests/b.rs",
            "pkg/handler_test.go",
            ".env.example",
            "fixtures/x",
        ] {
            assert!(t.matches(p), "{p}");
        }
        for p in ["src/latest/main.rs", "src/contest.py", "attestation/x.go"] {
            assert!(!t.matches(p), "{p}");
        }
    }
}
