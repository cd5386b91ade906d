//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per active finding,
//! escaped as the runner expects.

use crate::finding::Severity;
use crate::scan::Report;

/// Escapes a message (data) part: GitHub's `%`, CR and LF escapes, and every other control character shown
/// as an escape (a raw ESC would drive the log viewer's terminal emulation).
pub fn escape_data(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    super::escape_controls(&s).into_owned()
}

/// Escapes a property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders the annotations, then the verdict as a notice.
pub fn render(report: &Report) -> Vec<u8> {
    let mut out = String::new();
    for f in report.active() {
        let cmd = match f.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low | Severity::Info => "notice",
        };
        let l = &f.location;
        let title = format!("{} ({})", f.rule_id, f.severity);
        out.push_str(&format!(
            "::{cmd} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
            escape_property(&l.path),
            l.start_line,
            l.end_line,
            l.start_column,
            l.end_column,
            escape_property(&title),
            escape_data(&format!("{}\n{}", f.message, f.help)),
        ));
    }
    for d in &report.diagnostics {
        let cmd = match d.level {
            crate::diagnostic::Level::Error => "error",
            crate::diagnostic::Level::Warning => "warning",
            crate::diagnostic::Level::Note => continue,
        };
        let mut props = format!(
            "title={}",
            escape_property(&format!("portcullis {}", d.code))
        );
        if let Some(p) = &d.path {
            props = format!("file={},{props}", escape_property(p));
            if let Some(line) = d.line {
                props = format!("{props},line={line}");
            }
        }
        out.push_str(&format!("::{cmd} {props}::{}\n", escape_data(&d.message)));
    }
    out.push_str(&format!("{}\n", report.verdict_line()));
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
