//! `portcullis merge`: many JSON reports (one per repository, from a fan-out such as the org-scan workflow)
//! into one, streaming: each report is read, its findings written out with their repository, and only a
//! per-repository tally kept, so that thousands of reports merge in memory bounded by the largest one.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;

/// A report that is not one of ours, or a sink that fails.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The report is not a portcullis JSON report.
    #[error("{0}: not a portcullis JSON report ({1})")]
    NotAReport(String, &'static str),
    /// Writing the merged report failed.
    #[error("cannot write the merged report: {0}")]
    Write(#[from] std::io::Error),
}

const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

/// One repository's line of the tally.
#[derive(Clone, Debug, Default)]
struct Tally {
    gate: String,
    by_scanner: BTreeMap<String, [u64; 5]>,
}

impl Tally {
    fn total(&self) -> [u64; 5] {
        let mut t = [0; 5];
        for counts in self.by_scanner.values() {
            for (a, b) in t.iter_mut().zip(counts) {
                *a += b;
            }
        }
        t
    }
}

/// Writes the merged JSON report to `out` as reports are added.
pub struct Merger<W: Write> {
    out: W,
    first_finding: bool,
    tallies: Vec<(String, Tally)>,
}

impl<W: Write> Merger<W> {
    /// Starts the merged report.
    pub fn new(mut out: W) -> Result<Self, MergeError> {
        out.write_all(b"{\n  \"version\": 1,\n  \"tool\": \"portcullis\",\n  \"findings\": [")?;
        Ok(Merger {
            out,
            first_finding: true,
            tallies: Vec::new(),
        })
    }

    /// Adds the report of repository `name`.
    pub fn add(&mut self, name: &str, report: &Value) -> Result<(), MergeError> {
        let bad = |why| MergeError::NotAReport(name.to_string(), why);
        if report
            .get("tool")
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str)
            != Some("portcullis")
        {
            return Err(bad("no `tool.name: portcullis`"));
        }
        let findings = report
            .get("findings")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("no `findings` list"))?;
        let mut tally = Tally {
            gate: report
                .get("gate")
                .and_then(|g| g.get("verdict"))
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_string(),
            ..Tally::default()
        };
        for f in findings {
            let mut f = f.clone();
            if let Some(o) = f.as_object_mut() {
                o.insert("repository".into(), json!(name));
            }
            let active = f.get("suppression").is_none_or(Value::is_null)
                && f.get("baseline_state").and_then(Value::as_str) != Some("unchanged");
            if active {
                let scanner = f
                    .get("scanner")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string();
                let sev = f.get("severity").and_then(Value::as_str).unwrap_or("info");
                if let Some(i) = SEVERITIES.iter().position(|s| *s == sev) {
                    tally.by_scanner.entry(scanner).or_default()[i] += 1;
                }
            }
            self.out.write_all(if self.first_finding {
                b"\n    "
            } else {
                b",\n    "
            })?;
            self.first_finding = false;
            serde_json::to_writer(&mut self.out, &f).map_err(std::io::Error::from)?;
        }
        self.tallies.push((name.to_string(), tally));
        Ok(())
    }

    /// Writes the repositories' tallies and closes the report; gives back the Markdown summary.
    pub fn finish(mut self) -> Result<String, MergeError> {
        self.out.write_all(b"\n  ],\n  \"repositories\": [")?;
        for (i, (name, t)) in self.tallies.iter().enumerate() {
            let counts: serde_json::Map<String, Value> = SEVERITIES
                .iter()
                .zip(t.total())
                .map(|(s, n)| (s.to_string(), json!(n)))
                .collect();
            let entry = json!({ "name": name, "gate": t.gate, "active": counts });
            self.out
                .write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            serde_json::to_writer(&mut self.out, &entry).map_err(std::io::Error::from)?;
        }
        self.out.write_all(b"\n  ]\n}\n")?;
        self.out.flush()?;
        Ok(markdown(&self.tallies))
    }
}

/// A Markdown table by repository and scanner, worst first (most critical, then high, …), then by name.
fn markdown(tallies: &[(String, Tally)]) -> String {
    let mut rows: Vec<(&str, &str, &str, [u64; 5])> = Vec::new();
    for (name, t) in tallies {
        if t.by_scanner.is_empty() {
            rows.push((name, &t.gate, "-", [0; 5]));
        }
        for (scanner, counts) in &t.by_scanner {
            rows.push((name, &t.gate, scanner, *counts));
        }
    }
    rows.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.cmp(b.0)).then(a.2.cmp(b.2)));
    let failed = tallies.iter().filter(|(_, t)| t.gate != "passed").count();
    let mut out = format!(
        "## portcullis: {} repositories, {failed} failing the gate\n\n\
         | repository | gate | scanner | critical | high | medium | low | info |\n\
         |---|---|---|---|---|---|---|---|\n",
        tallies.len()
    );
    for (name, gate, scanner, c) in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            name.replace('|', "\\|"),
            gate,
            scanner,
            c[0],
            c[1],
            c[2],
            c[3],
            c[4]
        ));
    }
    out
}
