//! Reporters: pure functions from a [`Report`](crate::scan::Report) to bytes. One module per format.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::{Finding, ScannerKind, Severity};
use std::collections::BTreeMap;

/// The tool's name in every output.
pub const TOOL_NAME: &str = "portcullis";
/// The tool's version.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Where users learn about the tool.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_HOMEPAGE");

/// Counts of active findings by scanner and severity.
pub fn counts_by_scanner<'a>(
    findings: impl Iterator<Item = &'a Finding>,
) -> BTreeMap<ScannerKind, BTreeMap<Severity, usize>> {
    let mut m: BTreeMap<ScannerKind, BTreeMap<Severity, usize>> = BTreeMap::new();
    for f in findings {
        *m.entry(f.scanner)
            .or_default()
            .entry(f.severity)
            .or_insert(0) += 1;
    }
    m
}
