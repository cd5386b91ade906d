//! Reporters: pure functions from a [`Report`](crate::scan::Report) to bytes. One module per format.

pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod merge;
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

/// `s` with every control character (C0 but tab, DEL, C1) and every bidirectional override shown as an
/// escape (`\u{1b}`), so a hostile file name or advisory id cannot move the cursor, clear the terminal, print
/// a fake verdict on its own line, or reorder what a reader sees. Newlines are escaped too: one field, one
/// line.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

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

#[cfg(test)]
mod tests {
    #[test]
    fn controls_are_escaped() {
        assert_eq!(
            super::escape_controls("a\u{1b}[2J\ngate: PASSED\n.py"),
            "a\\u{1b}[2J\\u{a}gate: PASSED\\u{a}.py"
        );
        assert_eq!(super::escape_controls("x\u{202e}y\tz"), "x\\u{202e}y\tz");
        assert_eq!(super::escape_controls("plain é"), "plain é");
    }
}
