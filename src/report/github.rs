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

/// Renders the annotations, then the verdict line.
pub fn render(report: &Report) -> Vec<u8> {
    let mut out = annotations(report);
    out.extend_from_slice(format!("{}\n", report.verdict_line()).as_bytes());
    out
}

/// One annotation per active finding and per error or warning diagnostic.
pub fn annotations(report: &Report) -> Vec<u8> {
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
    out.into_bytes()
}

/// The repository and commit a run on GitHub Actions scans (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`,
/// `GITHUB_SHA`, `GITHUB_REF_NAME`), for links in the job summary and SARIF's `versionControlProvenance`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repository {
    /// `https://github.com`.
    pub server: String,
    /// `owner/name`.
    pub name: String,
    /// The commit.
    pub sha: String,
    /// The branch or tag, when known.
    pub branch: Option<String>,
}

impl Repository {
    /// `https://github.com/owner/name`.
    pub fn url(&self) -> String {
        format!("{}/{}", self.server.trim_end_matches('/'), self.name)
    }

    /// The file at the commit, at a line.
    pub fn blob(&self, path: &str, line: u32) -> String {
        format!(
            "{}/blob/{}/{}#L{line}",
            self.url(),
            self.sha,
            super::sarif::uri_encode(path)
        )
    }
}

/// Step outputs for `$GITHUB_OUTPUT`: `sarif-file` (the first SARIF file written, or empty), `findings` (active
/// findings) and `gate` (`passed` when the run exits 0, else `failed`).
pub fn step_outputs(report: &Report, sarif_file: Option<&str>) -> String {
    let sarif = sarif_file.unwrap_or("");
    // A value with a newline would end the line and inject another output: GitHub's delimiter form.
    let sarif = if sarif.contains(['\n', '\r']) {
        format!(
            "sarif-file<<PORTCULLIS_EOF\n{}\nPORTCULLIS_EOF\n",
            sarif.replace(['\n', '\r'], " ")
        )
    } else {
        format!("sarif-file={sarif}\n")
    };
    let gate = if report.exit_code() == 0 {
        "passed"
    } else {
        "failed"
    };
    format!("{sarif}findings={}\ngate={gate}\n", report.active().count())
}

/// Text for a Markdown table cell: no HTML, no link or emphasis syntax, no line breaks, no control characters
/// (scanned content is untrusted).
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in super::escape_controls(&s.replace(['\n', '\r'], " ")).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// How many findings the job summary lists.
pub const SUMMARY_TOP: usize = 10;

/// The job summary for `$GITHUB_STEP_SUMMARY`, in Markdown: the verdict, active findings by scanner and
/// severity, and the most severe findings with links to their lines at the scanned commit.
pub fn summary(report: &Report, repo: Option<&Repository>) -> String {
    let passed = report.exit_code() == 0;
    let mut out = format!(
        "## portcullis: {}\n\n{}\n\n",
        if passed { "gate passed" } else { "gate failed" },
        cell(&report.verdict_line())
    );
    let severities = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];
    out.push_str(
        "| scanner | critical | high | medium | low | info |\n|---|---|---|---|---|---|\n",
    );
    let counts = super::counts_by_scanner(report.active());
    for scanner in &report.scanners {
        let by = counts.get(scanner);
        let row: Vec<String> = severities
            .iter()
            .map(|s| by.and_then(|m| m.get(s)).copied().unwrap_or(0).to_string())
            .collect();
        out.push_str(&format!("| {} | {} |\n", scanner.as_str(), row.join(" | ")));
    }
    let mut top: Vec<&crate::finding::Finding> = report.active().collect();
    // Most severe first; the report's order (path, position, rule) within a severity.
    top.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if !top.is_empty() {
        out.push_str("\n| severity | rule | where | finding |\n|---|---|---|---|\n");
        for f in top.iter().take(SUMMARY_TOP) {
            let l = &f.location;
            let place = format!("{}:{}", l.path, l.start_line);
            let place = match repo {
                Some(r) => format!("[{}]({})", cell(&place), r.blob(&l.path, l.start_line)),
                None => cell(&place),
            };
            out.push_str(&format!(
                "| {} | {} | {place} | {} |\n",
                f.severity,
                cell(&f.rule_id),
                cell(&f.message)
            ));
        }
        if top.len() > SUMMARY_TOP {
            out.push_str(&format!(
                "\n{} more in the annotations and the SARIF report.\n",
                top.len() - SUMMARY_TOP
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn summary_cells_hold_no_markup() {
        assert_eq!(
            cell("<img src=x> | [a](http://e) `x`\n*b*"),
            "&lt;img src=x&gt; \\| \\[a\\](http://e) \\`x\\` \\*b\\*"
        );
    }
}
