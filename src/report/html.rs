//! One self-contained HTML page for people: the verdict, a severity-by-scanner chart as inline SVG, the
//! findings grouped by scanner and file with their code frames and fix hints, the documentation of every rule
//! that fired, the diagnostics, and client-side filters by severity, scanner and status.
//!
//! The page holds untrusted text (scanned code, file names, users' rule messages), so every piece of it is
//! escaped, nothing is loaded from elsewhere, and a Content-Security-Policy allows only the page's own style
//! and script, by their SHA-256: an injected `<script>` or `style` attribute would not run even if escaping
//! failed. Links are only `http(s)` references of rules. The output is deterministic (no clock).

use super::{counts_by_scanner, escape_controls};
use crate::diagnostic::Level;
use crate::finding::{BaselineState, Finding, ScannerKind, Severity};
use crate::scan::Report;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header,main{max-width:1100px;margin:0 auto;padding:16px 24px}
header{background:#fff;border-bottom:1px solid #d0d7de;max-width:none}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:14px;margin:16px 0 6px;font-family:ui-monospace,monospace;word-break:break-all}
.verdict{font-weight:700;font-size:16px}
.passed{color:#1a7f37}.failed{color:#cf222e}
.summary{color:#57606a}
.filters{display:flex;flex-wrap:wrap;gap:16px;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px}
.filters fieldset{border:0;margin:0;padding:0}
.filters legend{font-weight:600;padding:0}
.filters label{margin-right:10px;white-space:nowrap}
.finding{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0}
.finding .head{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline}
.rule{font-family:ui-monospace,monospace;font-weight:600}
.sev{border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.sev-critical{background:#8250df}.sev-high{background:#cf222e}.sev-medium{background:#bf8700}
.sev-low{background:#0969da}.sev-info{background:#6e7781}
.status{font-size:12px;color:#57606a}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:6px 8px;overflow-x:auto;margin:6px 0}
pre .ln{color:#6e7781;user-select:none;margin-right:12px}
mark{background:#ffd8d3;color:inherit;border-bottom:2px solid #cf222e}
.help,.fix{margin:4px 0}
.help b,.fix b{color:#1a7f37}
.tags{font-size:12px;color:#57606a}
[hidden]{display:none!important}
table{border-collapse:collapse;background:#fff}
td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
.doc{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:8px 0}
.doc p{white-space:pre-wrap;margin:4px 0 8px}
svg text{font:12px system-ui,sans-serif;fill:#1b1f24}
.bar-critical{fill:#8250df}.bar-high{fill:#cf222e}.bar-medium{fill:#bf8700}.bar-low{fill:#0969da}.bar-info{fill:#6e7781}
"#;

const SCRIPT: &str = r#"
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.filters input'));
  var findings = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.file, .scanner'));
  var shown = document.getElementById('shown');
  function allowed(kind) {
    var on = {};
    boxes.forEach(function (b) { if (b.name === kind && b.checked) { on[b.value] = true; } });
    return on;
  }
  function apply() {
    var sev = allowed('severity'), sc = allowed('scanner'), st = allowed('status'), n = 0;
    findings.forEach(function (f) {
      var ok = sev[f.dataset.severity] && sc[f.dataset.scanner] && st[f.dataset.status];
      f.hidden = !ok;
      if (ok) { n += 1; }
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('.finding:not([hidden])'); });
    shown.textContent = 'Showing ' + n + ' of ' + findings.length + ' findings';
  }
  // A filter can be given in the address: #severity=critical,high&scanner=secrets&status=active,suppressed
  location.hash.replace(/^#/, '').split('&').forEach(function (part) {
    var kv = part.split('=');
    if (kv.length !== 2) { return; }
    var want = decodeURIComponent(kv[1]).split(',');
    boxes.forEach(function (b) { if (b.name === kv[0]) { b.checked = want.indexOf(b.value) >= 0; } });
  });
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  apply();
})();
"#;

/// Text for an element or an attribute: the five HTML-special characters as entities, control and
/// bidirectional characters shown as escapes.
fn h(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_controls(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `'sha256-…'` of a CSP source: the base64 of the text's SHA-256.
fn csp_hash(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digest = Sha256::digest(text.as_bytes());
    let mut b64 = String::new();
    for chunk in digest.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                b64.push('=');
            }
        }
    }
    format!("'sha256-{b64}'")
}

fn status(f: &Finding) -> &'static str {
    if f.suppression.is_some() {
        "suppressed"
    } else if f.baseline_state == Some(BaselineState::Unchanged) {
        "baseline"
    } else {
        "active"
    }
}

/// The finding's first line with its span in `<mark>` (columns count code points).
fn code_frame(f: &Finding) -> String {
    let text: Vec<char> = f.snippet.text.chars().collect();
    let start = (f.snippet.mark_start.saturating_sub(1) as usize).min(text.len());
    let end = (f.snippet.mark_end.saturating_sub(1) as usize).clamp(start, text.len());
    let part = |a: usize, b: usize| h(&text[a..b].iter().collect::<String>());
    format!(
        "<pre><span class=\"ln\">{}</span>{}<mark>{}</mark>{}</pre>",
        f.location.start_line,
        part(0, start),
        part(start, end),
        part(end, text.len())
    )
}

/// The inline SVG chart: one stacked bar of active findings per scanner, by severity.
fn chart(report: &Report) -> String {
    let by = counts_by_scanner(report.active());
    let max = report
        .scanners
        .iter()
        .map(|k| by.get(k).map_or(0, |m| m.values().sum::<usize>()))
        .max()
        .unwrap_or(0)
        .max(1);
    let (label_w, bar_w, row_h) = (90usize, 600usize, 26usize);
    let height = row_h * report.scanners.len().max(1) + 24;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"Active findings by scanner and severity\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">",
        label_w + bar_w + 60,
        label_w + bar_w + 60
    );
    for (row, k) in report.scanners.iter().enumerate() {
        let y = row * row_h;
        let counts = by.get(k).cloned().unwrap_or_default();
        let total: usize = counts.values().sum();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text>",
            y + 16,
            h(k.as_str())
        );
        let mut x = label_w;
        for sev in Severity::ALL_DESC {
            let n = counts.get(&sev).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let w = (n * bar_w / max).max(2);
            let _ = write!(
                svg,
                "<rect class=\"bar-{sev}\" x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"18\"><title>{k}: {n} {sev}</title></rect>",
                y + 3
            );
            x += w;
        }
        let _ = write!(svg, "<text x=\"{}\" y=\"{}\">{total}</text>", x + 6, y + 16);
    }
    let legend_y = row_h * report.scanners.len().max(1) + 14;
    let mut x = label_w;
    for sev in Severity::ALL_DESC {
        let _ = write!(
            svg,
            "<rect class=\"bar-{sev}\" x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\"></rect><text x=\"{}\" y=\"{legend_y}\">{sev}</text>",
            legend_y - 9,
            x + 14
        );
        x += 90;
    }
    svg.push_str("</svg>");
    svg
}

fn checkbox(out: &mut String, name: &str, value: &str, label: &str, checked: bool) {
    let _ = write!(
        out,
        "<label><input type=\"checkbox\" name=\"{name}\" value=\"{}\"{}> {}</label>",
        h(value),
        if checked { " checked" } else { "" },
        h(label)
    );
}

fn filters(report: &Report) -> String {
    let mut out = String::from("<form class=\"filters\" aria-label=\"Filters\">");
    out.push_str("<fieldset><legend>Severity</legend>");
    for sev in Severity::ALL_DESC {
        checkbox(&mut out, "severity", sev.as_str(), sev.as_str(), true);
    }
    out.push_str("</fieldset><fieldset><legend>Scanner</legend>");
    for k in &report.scanners {
        checkbox(&mut out, "scanner", k.as_str(), k.as_str(), true);
    }
    out.push_str("</fieldset><fieldset><legend>Status</legend>");
    for (value, label, on) in [
        ("active", "active", true),
        ("suppressed", "suppressed", false),
        ("baseline", "in baseline", false),
    ] {
        checkbox(&mut out, "status", value, label, on);
    }
    out.push_str("</fieldset></form>");
    out
}

fn finding(out: &mut String, f: &Finding, doc: Option<usize>) {
    let st = status(f);
    let l = &f.location;
    let _ = write!(
        out,
        "<article class=\"finding\" data-severity=\"{}\" data-scanner=\"{}\" data-status=\"{st}\"{}>",
        f.severity,
        h(f.scanner.as_str()),
        if st == "active" { "" } else { " hidden" }
    );
    let rule = match doc {
        Some(i) => format!("<a class=\"rule\" href=\"#rule-{i}\">{}</a>", h(&f.rule_id)),
        None => format!("<span class=\"rule\">{}</span>", h(&f.rule_id)),
    };
    let state = match (&f.suppression, st) {
        (Some(s), _) => format!(
            " <span class=\"status\">suppressed: {}</span>",
            h(&s.justification)
        ),
        (None, "baseline") => " <span class=\"status\">in baseline</span>".to_string(),
        _ => String::new(),
    };
    let _ = write!(
        out,
        "<div class=\"head\"><span class=\"sev sev-{0}\">{0}</span>{rule}<span>{1}:{2}:{3}</span>{state}</div>",
        f.severity,
        h(&l.path),
        l.start_line,
        l.start_column
    );
    let _ = write!(out, "<div class=\"message\">{}</div>", h(&f.message));
    if let Some(c) = &f.commit {
        let _ = write!(
            out,
            "<div class=\"tags\">commit {} ({})</div>",
            h(&c.sha),
            h(&c.author_date)
        );
    }
    out.push_str(&code_frame(f));
    if !f.help.is_empty() {
        let _ = write!(out, "<div class=\"help\"><b>help:</b> {}</div>", h(&f.help));
    }
    if let Some(fix) = &f.fix {
        let _ = write!(
            out,
            "<div class=\"fix\"><b>fix:</b> <code>{}</code></div>",
            h(fix)
        );
    }
    let tags: Vec<String> = f.cwe.iter().chain(&f.owasp).map(|t| h(t)).collect();
    if !tags.is_empty() {
        let _ = write!(out, "<div class=\"tags\">{}</div>", tags.join(" · "));
    }
    out.push_str("</article>");
}

/// A reference shown as a link only when it is an `http(s)` URL; anything else is text.
fn reference(r: &str) -> String {
    let lower = r.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!("<a href=\"{0}\" rel=\"noopener noreferrer\">{0}</a>", h(r))
    } else {
        h(r)
    }
}

/// Renders the report as one HTML page.
pub fn render(report: &Report) -> Vec<u8> {
    let mut body = String::new();
    let passed = report.exit_code() == 0;
    let _ = write!(
        body,
        "<header><h1>portcullis report</h1><div class=\"verdict {}\" id=\"verdict\">{}</div>",
        if passed { "passed" } else { "failed" },
        h(&report.verdict_line())
    );
    let active = report.active().count();
    let s = &report.stats;
    let _ = write!(
        body,
        "<div class=\"summary\">{active} active finding{} in {} file{} scanned; {} suppressed or in the baseline; scanners: {}</div></header><main>",
        if active == 1 { "" } else { "s" },
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" },
        report.findings.len() - active,
        h(&report
            .scanners
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "))
    );
    if let Some((min, n)) = report.hidden.filter(|(_, n)| *n > 0) {
        let _ = write!(
            body,
            "<p class=\"summary\">{n} findings below {min} are not in this report.</p>"
        );
    }
    body.push_str("<h2>By scanner and severity</h2>");
    body.push_str(&chart(report));

    // The rules that fired, numbered in id order, documented once at the end.
    let mut docs: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        if report.registry.get(&f.rule_id).is_some() {
            docs.entry(f.rule_id.as_str()).or_insert(0);
        }
    }
    for (i, n) in docs.values_mut().enumerate() {
        *n = i;
    }

    body.push_str("<h2>Findings</h2>");
    body.push_str(&filters(report));
    body.push_str("<p class=\"summary\" id=\"shown\"></p>");
    let mut by_scanner: BTreeMap<ScannerKind, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_scanner.entry(f.scanner).or_default().push(f);
    }
    // In the order the scanners ran (as in the chart), then any other that reported.
    let order = report
        .scanners
        .iter()
        .chain(by_scanner.keys().filter(|k| !report.scanners.contains(k)));
    for (k, list) in order.filter_map(|k| Some((k, by_scanner.get(k)?))) {
        let _ = write!(
            body,
            "<section class=\"scanner\"><h2>{}</h2>",
            h(k.as_str())
        );
        let mut path: Option<&str> = None;
        for f in list {
            if path != Some(f.location.path.as_str()) {
                if path.is_some() {
                    body.push_str("</div>");
                }
                path = Some(&f.location.path);
                let _ = write!(body, "<div class=\"file\"><h3>{}</h3>", h(&f.location.path));
            }
            finding(&mut body, f, docs.get(f.rule_id.as_str()).copied());
        }
        if path.is_some() {
            body.push_str("</div>");
        }
        body.push_str("</section>");
    }
    if report.findings.is_empty() {
        body.push_str("<p>No findings.</p>");
    }

    if !report.diagnostics.is_empty() {
        body.push_str("<h2>Diagnostics</h2><table><tr><th>level</th><th>code</th><th>where</th><th>message</th></tr>");
        for d in &report.diagnostics {
            let place = match (&d.path, d.line) {
                (Some(p), Some(l)) => format!("{}:{l}", h(p)),
                (Some(p), None) => h(p),
                _ => String::new(),
            };
            let level = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "note",
            };
            let _ = write!(
                body,
                "<tr><td>{level}</td><td>{}</td><td>{place}</td><td>{}</td></tr>",
                h(d.code),
                h(&d.message)
            );
        }
        body.push_str("</table>");
    }

    if !docs.is_empty() {
        body.push_str("<h2>Rules</h2>");
        for (id, i) in &docs {
            let Some(m) = report.registry.get(id) else {
                continue;
            };
            let _ = write!(
                body,
                "<section class=\"doc\" id=\"rule-{i}\"><h3>{} ({})</h3><div class=\"tags\">{}</div>",
                h(&m.title),
                h(&m.id),
                h(&m.facts())
            );
            for (heading, text) in m.sections() {
                if !text.is_empty() {
                    let _ = write!(body, "<b>{heading}</b><p>{}</p>", h(text));
                }
            }
            if !m.references.is_empty() {
                body.push_str("<b>References</b><ul>");
                for r in &m.references {
                    let _ = write!(body, "<li>{}</li>", reference(r));
                }
                body.push_str("</ul>");
            }
            body.push_str("</section>");
        }
    }
    body.push_str("</main>");

    let csp = format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"{} {}\">\
         <title>portcullis: {}</title><style>{STYLE}</style></head>\
         <body>{body}<script>{SCRIPT}</script></body></html>\n",
        super::TOOL_NAME,
        super::TOOL_VERSION,
        h(&report.verdict_line())
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_hashes_are_base64() {
        assert_eq!(
            h("<script>alert('x')</script>&\"\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\\u{1b}"
        );
        // SHA-256 of the empty string, as CSP writes it.
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
        assert_eq!(
            csp_hash("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
        assert_eq!(reference("javascript:alert(1)"), "javascript:alert(1)");
        assert!(
            reference("https://cwe.mitre.org/x").starts_with("<a href=\"https://cwe.mitre.org/x\"")
        );
    }
}
