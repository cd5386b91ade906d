//! The versioned JSON report: every finding (suppressed ones with their justification), diagnostics,
//! summary and gate. A JSON report also serves as a `--baseline`.

use super::{counts_by_scanner, TOOL_NAME, TOOL_VERSION};
use crate::diagnostic::Diagnostic;
use crate::finding::{Finding, ScannerKind, Severity};
use crate::rules::RULESET_VERSION;
use crate::scan::{Report, Stats};
use serde::Serialize;
use std::collections::BTreeMap;

/// Version of the JSON layout; bumped on incompatible changes.
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
    rules_version: &'static str,
}

#[derive(Serialize)]
struct Gate {
    verdict: &'static str,
    fail_on: String,
    exit_code: u8,
    failing: BTreeMap<Severity, usize>,
}

#[derive(Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    findings: usize,
    active: usize,
    suppressed: usize,
    baseline_unchanged: usize,
    by_scanner: BTreeMap<ScannerKind, BTreeMap<Severity, usize>>,
    coverage: &'a BTreeMap<ScannerKind, String>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    scanners: &'a [ScannerKind],
    gate: Gate,
    summary: Summary<'a>,
    findings: &'a [Finding],
    diagnostics: &'a [Diagnostic],
}

/// Renders the JSON report.
pub fn render(report: &Report) -> Vec<u8> {
    let code = report.exit_code();
    let doc = JsonReport {
        version: JSON_FORMAT_VERSION,
        tool: Tool {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            rules_version: RULESET_VERSION,
        },
        scanners: &report.scanners,
        gate: Gate {
            verdict: match code {
                0 => "passed",
                1 => "failed",
                _ => "error",
            },
            fail_on: report.verdict.fail_on.to_string(),
            exit_code: code,
            failing: report.verdict.failing.clone(),
        },
        summary: Summary {
            stats: &report.stats,
            findings: report.findings.len(),
            active: report.active().count(),
            suppressed: report
                .findings
                .iter()
                .filter(|f| f.suppression.is_some())
                .count(),
            baseline_unchanged: report
                .findings
                .iter()
                .filter(|f| f.suppression.is_none() && !f.is_active())
                .count(),
            by_scanner: counts_by_scanner(report.active()),
            coverage: &report.coverage,
        },
        findings: &report.findings,
        diagnostics: &report.diagnostics,
    };
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
