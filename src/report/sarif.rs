//! SARIF 2.1.0 for GitHub code scanning: only rules that fired, results with fingerprints and
//! `%SRCROOT%`-relative locations, diagnostics as tool execution notifications, and GitHub's upload limits
//! applied deterministically (most severe results kept).

use super::{INFORMATION_URI, TOOL_NAME, TOOL_VERSION};
use crate::diagnostic::Level;
use crate::finding::{BaselineState, Finding, Severity, SuppressionKind};
use crate::policy::baseline::SARIF_FINGERPRINT_KEY;
use crate::rules::RULESET_VERSION;
use crate::scan::Report;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// GitHub: results per run it accepts.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub: results per run it keeps (the most severe).
pub const KEPT_RESULTS: usize = 5_000;
/// GitHub: rules per run.
pub const MAX_RULES: usize = 25_000;
/// GitHub: tags per rule.
pub const MAX_TAGS: usize = 20;
/// GitHub: gzip-compressed upload size.
pub const MAX_GZIP_BYTES: usize = 10 * 1024 * 1024;

/// SARIF output options.
#[derive(Clone, Debug, Default)]
pub struct SarifOptions {
    /// `runAutomationDetails.id` (GitHub's analysis category).
    pub category: Option<String>,
    /// Emit suppressed findings (with `suppressions`) instead of leaving them out.
    pub include_suppressed: bool,
    /// The repository and commit scanned (`versionControlProvenance`), when known.
    pub provenance: Option<super::github::Repository>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Percent-encodes a relative path for a URI reference (keeps `/` and unreserved characters).
pub fn uri_encode(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn notification(
    level: &str,
    id: &str,
    text: String,
    path: Option<&str>,
    line: Option<u32>,
) -> Value {
    let mut n = json!({ "level": level, "message": { "text": text }, "descriptor": { "id": id } });
    if let Some(p) = path {
        let mut phys =
            json!({ "artifactLocation": { "uri": uri_encode(p), "uriBaseId": "%SRCROOT%" } });
        if let Some(l) = line.filter(|l| *l > 0) {
            phys["region"] = json!({ "startLine": l });
        }
        n["locations"] = json!([{ "physicalLocation": phys }]);
    }
    n
}

fn rule_descriptor(report: &Report, id: &str) -> Value {
    let Some(meta) = report.registry.get(id) else {
        return json!({ "id": id });
    };
    let mut tags = meta.tags();
    tags.truncate(MAX_TAGS);
    let mut d = json!({
        "id": meta.id,
        "name": meta.pascal_name(),
        "shortDescription": { "text": meta.title },
        "fullDescription": { "text": meta.description.split_whitespace().collect::<Vec<_>>().join(" ") },
        "help": { "text": meta.help_text(), "markdown": meta.help_markdown() },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": {
            "security-severity": meta.severity.security_severity(),
            "problem.severity": level(meta.severity),
            "precision": meta.confidence.precision(),
            "tags": tags,
        }
    });
    if let Some(uri) = meta.references.first() {
        d["helpUri"] = json!(uri);
    }
    if !meta.aliases.is_empty() {
        d["properties"]["aliases"] = json!(meta.aliases);
    }
    d
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let loc = &f.location;
    let hash16 = f.fingerprint.get(..16).unwrap_or(&f.fingerprint);
    let occurrence = f.fingerprint.rsplit(':').next().unwrap_or("1");
    let mut r = json!({
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri_encode(&loc.path), "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": loc.start_line,
                    "startColumn": loc.start_column,
                    "endLine": loc.end_line,
                    "endColumn": loc.end_column,
                    "snippet": { "text": f.snippet.text },
                }
            }
        }],
        "partialFingerprints": {
            "primaryLocationLineHash": format!("{hash16}:{occurrence}"),
            SARIF_FINGERPRINT_KEY: f.fingerprint,
        },
        "properties": {
            "severity": f.severity.as_str(),
            "confidence": f.confidence.as_str(),
            "scanner": f.scanner.as_str(),
            "help": f.help,
        }
    });
    if let Some(fix) = &f.fix {
        r["properties"]["fix"] = json!(fix);
    }
    if let Some(c) = &f.commit {
        r["properties"]["commit"] = json!(c.sha);
        r["properties"]["authorDate"] = json!(c.author_date);
    }
    if let Some(s) = &f.suppression {
        let kind = match s.kind {
            SuppressionKind::InSource => "inSource",
            SuppressionKind::External => "external",
        };
        r["suppressions"] =
            json!([{ "kind": kind, "status": "accepted", "justification": s.justification }]);
    }
    if let Some(b) = f.baseline_state {
        r["baselineState"] = json!(match b {
            BaselineState::New => "new",
            BaselineState::Unchanged => "unchanged",
        });
    }
    r
}

/// Renders the SARIF log.
pub fn render(report: &Report, opts: &SarifOptions) -> Vec<u8> {
    let mut selected: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| opts.include_suppressed || f.suppression.is_none())
        .collect();
    let mut notes: Vec<Value> = Vec::new();
    let omitted = report.findings.len() - selected.len();
    if omitted > 0 {
        notes.push(notification(
            "note",
            "suppressed-results-omitted",
            format!("{omitted} suppressed finding(s) left out of this SARIF file (GitHub code scanning ignores `suppressions`); use --sarif-suppressed include to keep them"),
            None,
            None,
        ));
    }
    if selected.len() > MAX_RESULTS {
        selected = most_severe(selected, MAX_RESULTS);
        notes.push(notification(
            "warning",
            "results-truncated",
            format!("{} results exceed GitHub's limit of {MAX_RESULTS} per run; the {MAX_RESULTS} most severe were kept", report.findings.len() - omitted),
            None,
            None,
        ));
    }
    let mut bytes = build(report, opts, &selected, &notes);
    if bytes.len() > MAX_GZIP_BYTES {
        // Uncompressed size is an upper bound of the gzip size: only compress when it could matter.
        let mut keep = selected.len();
        while keep > 0 && gzip_len(&bytes) > MAX_GZIP_BYTES {
            keep /= 2;
            let kept = most_severe(selected.clone(), keep);
            let mut n = notes.clone();
            n.push(notification(
                "warning",
                "results-truncated",
                format!("the SARIF file would exceed GitHub's {} MB compressed upload limit; the {keep} most severe of {} results were kept", MAX_GZIP_BYTES >> 20, selected.len()),
                None,
                None,
            ));
            bytes = build(report, opts, &kept, &n);
        }
    }
    bytes
}

/// The `n` most severe findings, in their original (sorted) order.
fn most_severe(findings: Vec<&Finding>, n: usize) -> Vec<&Finding> {
    let mut idx: Vec<usize> = (0..findings.len()).collect();
    idx.sort_by_key(|&i| (std::cmp::Reverse(findings[i].severity), i));
    idx.truncate(n);
    idx.sort_unstable();
    idx.into_iter().map(|i| findings[i]).collect()
}

fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    if enc.write_all(bytes).is_err() {
        return usize::MAX;
    }
    enc.finish().map_or(usize::MAX, |v| v.len())
}

fn build(
    report: &Report,
    opts: &SarifOptions,
    findings: &[&Finding],
    extra_notes: &[Value],
) -> Vec<u8> {
    let mut rule_ids: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    rule_ids.truncate(MAX_RULES);
    let index: BTreeMap<&str, usize> = rule_ids.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| rule_descriptor(report, id))
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .filter_map(|f| index.get(f.rule_id.as_str()).map(|&i| result(f, i)))
        .collect();
    let mut notes: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            notification(
                d.level.as_str(),
                d.code,
                d.message.clone(),
                d.path.as_deref(),
                d.line,
            )
        })
        .collect();
    notes.extend(extra_notes.iter().cloned());
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({ "driver": {
            "name": TOOL_NAME,
            "semanticVersion": TOOL_VERSION,
            "version": TOOL_VERSION,
            "informationUri": INFORMATION_URI,
            "rules": rules,
            "properties": { "rulesetVersion": RULESET_VERSION },
        }}),
    );
    if let Some(c) = &opts.category {
        let id = if c.ends_with('/') {
            c.clone()
        } else {
            format!("{c}/")
        };
        run.insert("automationDetails".into(), json!({ "id": id }));
    }
    if let Some(r) = &opts.provenance {
        let mut vcp = Map::new();
        vcp.insert("repositoryUri".into(), json!(r.url()));
        vcp.insert("revisionId".into(), json!(r.sha));
        if let Some(b) = &r.branch {
            vcp.insert("branch".into(), json!(b));
        }
        run.insert(
            "versionControlProvenance".into(),
            json!([Value::Object(vcp)]),
        );
    }
    run.insert(
        "invocations".into(),
        json!([{
            "executionSuccessful": !report.diagnostics.iter().any(|d| d.level == Level::Error),
            "toolExecutionNotifications": notes,
        }]),
    );
    run.insert("columnKind".into(), json!("unicodeCodePoints"));
    run.insert("results".into(), json!(results));
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    });
    let mut out = serde_json::to_vec_pretty(&log).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_encode("src/a b/c#d.py"), "src/a%20b/c%23d.py");
        assert_eq!(uri_encode("ünï.txt"), "%C3%BCn%C3%AF.txt");
    }
}
