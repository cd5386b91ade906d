//! JUnit XML, for CI systems that only show test reports: one test suite per scanner, one test case per active
//! finding (a `<failure>` when the gate fails on it, a passing case with the finding as output otherwise), a
//! passing case for a scanner without findings, and an `<error>` case per check that could not run.

use crate::diagnostic::Level;
use crate::scan::Report;

/// XML text: the five entities escaped, control characters shown as escapes (XML 1.0 cannot hold them).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in super::escape_controls(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Element text: as [`xml`], line breaks kept.
fn xml_text(s: &str) -> String {
    s.split('\n').map(xml).collect::<Vec<_>>().join("\n")
}

/// Renders the report as JUnit XML.
pub fn render(report: &Report) -> Vec<u8> {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0usize, 0usize, 0usize);
    for scanner in &report.scanners {
        let mut cases = String::new();
        let (mut n, mut failed) = (0usize, 0usize);
        for f in report.active().filter(|f| f.scanner == *scanner) {
            n += 1;
            let l = &f.location;
            let name = format!(
                "{}:{}:{} {}",
                l.path, l.start_line, l.start_column, f.rule_id
            );
            cases.push_str(&format!(
                "    <testcase classname=\"{}.{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n",
                xml(scanner.as_str()),
                xml(&f.rule_id),
                xml(&name),
                xml(&l.path),
                l.start_line
            ));
            let text = format!("{} ({}): {}\n{}", f.rule_id, f.severity, f.message, f.help);
            if f.fails_gate {
                failed += 1;
                cases.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    f.severity,
                    xml(&f.message),
                    xml_text(&text)
                ));
            } else {
                cases.push_str(&format!(
                    "      <system-out>{}</system-out>\n",
                    xml_text(&text)
                ));
            }
            cases.push_str("    </testcase>\n");
        }
        if n == 0 {
            n = 1;
            cases.push_str(&format!(
                "    <testcase classname=\"{0}\" name=\"{0}: no findings\"/>\n",
                xml(scanner.as_str())
            ));
        }
        tests += n;
        failures += failed;
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{failed}\" errors=\"0\">\n{cases}  </testsuite>\n",
            xml(scanner.as_str())
        ));
    }
    let broken: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    if !broken.is_empty() {
        let mut cases = String::new();
        for d in &broken {
            cases.push_str(&format!(
                "    <testcase classname=\"portcullis.{}\" name=\"{}\">\n      <error type=\"{}\" message=\"{}\"/>\n    </testcase>\n",
                xml(d.code),
                xml(d.path.as_deref().unwrap_or("run")),
                xml(d.code),
                xml(&d.message)
            ));
        }
        errors = broken.len();
        tests += errors;
        suites.push_str(&format!(
            "  <testsuite name=\"portcullis\" tests=\"{errors}\" failures=\"0\" errors=\"{errors}\">\n{cases}  </testsuite>\n"
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"portcullis\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{suites}</testsuites>\n"
    )
    .into_bytes()
}
