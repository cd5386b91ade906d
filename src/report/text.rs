//! Human output: findings grouped by file with the (redacted) source line and the span marked, the fix hint,
//! a summary by scanner and severity, and the verdict line.

use super::{counts_by_scanner, escape_controls as esc};
use crate::finding::severity_list;
use crate::finding::{BaselineState, Finding, Severity};
use crate::scan::Report;
use std::fmt::Write as _;

/// Text output options.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Also list suppressed and baseline-unchanged findings.
    pub verbose: bool,
    /// Findings and the verdict only: no summary.
    pub quiet: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, s.as_str())
    }
}

fn finding(out: &mut String, p: &Paint, f: &Finding) {
    let l = &f.location;
    let mut status = String::new();
    if let Some(s) = &f.suppression {
        status = format!(" [suppressed: {}]", esc(&s.justification));
    } else if f.baseline_state == Some(BaselineState::Unchanged) {
        status = " [in baseline]".to_string();
    }
    let _ = writeln!(
        out,
        "  {}:{} {} {} {}{}",
        l.start_line,
        l.start_column,
        p.severity(f.severity),
        p.wrap("1", &esc(&f.rule_id)),
        esc(&f.message),
        p.wrap("2", &status)
    );
    let num = l.start_line.to_string();
    let pad = " ".repeat(num.len());
    let _ = writeln!(out, "    {} | {}", p.wrap("2", &num), esc(&f.snippet.text));
    let start = f.snippet.mark_start.saturating_sub(1) as usize;
    let width = f
        .snippet
        .mark_end
        .saturating_sub(f.snippet.mark_start)
        .max(1) as usize;
    let _ = writeln!(
        out,
        "    {pad} | {}{}",
        " ".repeat(start),
        p.wrap("1;31", &"^".repeat(width))
    );
    let _ = writeln!(
        out,
        "    {pad} = {} {}",
        p.wrap("1;32", "help:"),
        esc(&f.help)
    );
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "    {pad} = {} {}", p.wrap("1;32", "fix:"), esc(fix));
    }
}

/// Renders the text report.
pub fn render(report: &Report, opts: TextOptions) -> Vec<u8> {
    let p = Paint { on: opts.color };
    let mut out = String::new();
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| opts.verbose || f.is_active())
        .collect();
    let mut current: Option<&str> = None;
    for f in &shown {
        if current != Some(f.location.path.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            current = Some(&f.location.path);
            let _ = writeln!(out, "{}", p.wrap("1;4", &esc(&f.location.path)));
        }
        finding(&mut out, &p, f);
    }
    if !shown.is_empty() {
        out.push('\n');
    }
    if !opts.quiet {
        summary(&mut out, &p, report);
    }
    let line = report.verdict_line();
    let colored = if report.exit_code() == 0 {
        p.wrap("1;32", &line)
    } else {
        p.wrap("1;31", &line)
    };
    let _ = writeln!(out, "{colored}");
    out.into_bytes()
}

/// The summary: counts, what was skipped, and one line per scanner.
fn summary(out: &mut String, p: &Paint, report: &Report) {
    let active = report.active().count();
    let suppressed = report
        .findings
        .iter()
        .filter(|f| f.suppression.is_some())
        .count();
    let unchanged = report.findings.len() - active - suppressed;
    let s = &report.stats;
    let mut extra = Vec::new();
    if suppressed > 0 {
        extra.push(format!("{suppressed} suppressed"));
    }
    if unchanged > 0 {
        extra.push(format!("{unchanged} unchanged from baseline"));
    }
    if let Some((min, n)) = report.hidden.filter(|(_, n)| *n > 0) {
        extra.push(format!("{n} below {min} not shown"));
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join(", "))
    };
    let mut skipped = Vec::new();
    for (n, what) in [
        (s.skipped_binary, "binary"),
        (s.skipped_too_large, "too large"),
        (s.skipped_symlinks, "symlinks"),
        (s.unreadable, "unreadable"),
    ] {
        if n > 0 {
            skipped.push(format!("{n} {what}"));
        }
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!("; skipped: {}", skipped.join(", "))
    };
    let _ = writeln!(
        out,
        "{} {active} finding{}{extra} in {} file{} scanned{skipped}",
        p.wrap("1", "summary:"),
        if active == 1 { "" } else { "s" },
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" },
    );
    let by = counts_by_scanner(report.active());
    for k in &report.scanners {
        let list = by.get(k).map(severity_list).unwrap_or_default();
        let coverage = report
            .coverage
            .get(k)
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {k}: {}{coverage}",
            if list.is_empty() {
                "no findings".to_string()
            } else {
                list
            }
        );
    }
}
