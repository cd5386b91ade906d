//! `portcullis rules test`: Semgrep's `--test` semantics. A target file beside a rule file carries comments
//! `ruleid: <id>` (the next code line must produce a finding of that rule), `ok: <id>` (it must not),
//! `todoruleid:` / `todook:` (known gaps: that line is not scored). Every other line must produce nothing.

use super::{load_file, run_rules, FileProblem, DEFAULT_STEP_BUDGET};
use crate::lang::{self, Syntax, Tree};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The outcome of one rule on one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The rule id.
    pub rule: String,
    /// The rule file.
    pub rule_file: String,
    /// The target file.
    pub target: String,
    /// Whether the findings were exactly the expected ones.
    pub passed: bool,
    /// Lines marked `ruleid:` without a finding.
    pub missed: Vec<u32>,
    /// Lines with a finding that no `ruleid:` marks.
    pub unexpected: Vec<u32>,
}

#[derive(Default)]
struct Marks {
    expected: BTreeSet<u32>,
    unscored: BTreeSet<u32>,
}

/// The annotations of a target, by rule id.
fn annotations(text: &str, comments: &[&str]) -> BTreeMap<String, Marks> {
    let mut out: BTreeMap<String, Marks> = BTreeMap::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lineno = i as u32 + 1;
        let trimmed = line.trim_start();
        let body = comments
            .iter()
            .chain(["<!--", "/*"].iter())
            .find_map(|c| trimmed.strip_prefix(c))
            .map(|b| {
                b.trim()
                    .trim_end_matches("-->")
                    .trim_end_matches("*/")
                    .trim()
            });
        let mut annotation = false;
        if let Some(body) = body {
            for key in ["todoruleid", "todook", "ruleid", "ok"] {
                if let Some(ids) = body
                    .strip_prefix(key)
                    .and_then(|r| r.trim_start().strip_prefix(':'))
                {
                    for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        let id = id.split_whitespace().next().unwrap_or(id);
                        pending.push((key.to_string(), id.to_string()));
                    }
                    annotation = true;
                    break;
                }
            }
        }
        if annotation {
            continue;
        }
        for (key, id) in pending.drain(..) {
            let m = out.entry(id).or_default();
            match key.as_str() {
                "ruleid" => {
                    m.expected.insert(lineno);
                }
                "todoruleid" | "todook" => {
                    m.unscored.insert(lineno);
                }
                _ => {}
            }
        }
    }
    out
}

/// Runs the rules of one file on its targets (path and text each). Rule problems come back as errors.
pub fn run(
    rule_path: &str,
    rule_text: &str,
    targets: &[(String, String)],
) -> Result<Vec<Outcome>, Vec<FileProblem>> {
    let (rules, problems) = load_file(rule_path, rule_text);
    let rules: Vec<std::sync::Arc<super::CompiledRule>> =
        rules.into_iter().map(std::sync::Arc::new).collect();
    // An option that is not honoured, or a rule for other Semgrep versions, is a warning of `scan` and
    // `validate`, not a failure of the test.
    if problems.iter().any(|p| p.problem.kind.blocks()) {
        return Err(problems);
    }
    let mut out = Vec::new();
    for (tpath, ttext) in targets {
        let class = crate::source::classify_path(tpath);
        let lang = class.language.and_then(lang::by_name);
        let syntax = Syntax {
            lang,
            tree: lang.map(|l| Tree::parse(l, ttext)).unwrap_or_default(),
            text: ttext.clone(),
        };
        let comments = lang.map(|l| l.line_comments).unwrap_or(&["#", "//"]);
        let marks = annotations(ttext, comments);
        let run: Vec<bool> = vec![true; rules.len()];
        let (hits, _) = run_rules(&rules, &run, &syntax, None, DEFAULT_STEP_BUDGET);
        let src = crate::finding::SourceText::new(ttext.as_bytes());
        for (i, r) in rules.iter().enumerate() {
            let empty = Marks::default();
            let m = marks.get(&r.rule.id).unwrap_or(&empty);
            let found: BTreeSet<u32> = hits
                .iter()
                .filter(|h| h.rule == i)
                .map(|h| src.line_number(h.start))
                .filter(|l| !m.unscored.contains(l))
                .collect();
            let missed: Vec<u32> = m.expected.difference(&found).copied().collect();
            let unexpected: Vec<u32> = found.difference(&m.expected).copied().collect();
            out.push(Outcome {
                rule: r.rule.id.clone(),
                rule_file: rule_path.to_string(),
                target: tpath.clone(),
                passed: missed.is_empty() && unexpected.is_empty(),
                missed,
                unexpected,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = "rules:\n  - id: no-eval\n    languages: [python]\n    severity: ERROR\n    message: eval of $X\n    pattern: eval($X)\n";

    #[test]
    fn annotations_score_exactly() {
        let target =
            "# ruleid: no-eval\neval(a)\n# ok: no-eval\nprint(a)\n# todoruleid: no-eval\nexec(b)\n";
        let out = run("r.yaml", RULE, &[("r.py".into(), target.into())]).unwrap();
        assert_eq!(out.len(), 1);
        assert!(out[0].passed, "{out:?}");
        let bad = "# ruleid: no-eval\nprint(a)\neval(b)\n";
        let out = run("r.yaml", RULE, &[("r.py".into(), bad.into())]).unwrap();
        assert_eq!(
            (out[0].missed.clone(), out[0].unexpected.clone()),
            (vec![2], vec![3])
        );
        assert!(!out[0].passed);
    }

    #[test]
    fn rule_problems_are_errors() {
        let e = run("r.yaml", "rules:\n  - id: x\n    languages: [python]\n    severity: ERROR\n    message: m\n    pattern: 'foo('\n", &[]).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].to_string().starts_with("r.yaml:6:"), "{}", e[0]);
    }
}
