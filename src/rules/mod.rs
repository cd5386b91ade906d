//! The rule registry: metadata of every built-in rule, read by `rules list`, `explain` and every reporter.

use crate::finding::{Confidence, ScannerKind, Severity};
use std::collections::BTreeMap;

/// A rule file embedded at build time.
pub struct EmbeddedRule {
    /// Scanner folder under `rules/` (`secrets`).
    pub scanner: &'static str,
    /// Path relative to the repository (`rules/secrets/github-classic-pat.toml`).
    pub path: &'static str,
    /// Its format, from the extension (`toml`, `yaml`): each scanner reads its own and refuses the others.
    pub format: &'static str,
    /// File contents.
    pub source: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// Version of the built-in rule set (`rules/VERSION`).
pub const RULESET_VERSION: &str = env!("PORTCULLIS_RULESET_VERSION");

/// The embedded rule files of one scanner folder.
pub fn embedded(scanner: &str) -> impl Iterator<Item = &'static EmbeddedRule> + '_ {
    EMBEDDED_RULES.iter().filter(move |r| r.scanner == scanner)
}

/// Everything a reporter needs to know about a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Kebab-case id, unique across scanners.
    pub id: String,
    /// Owning scanner.
    pub scanner: ScannerKind,
    /// One-line title.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Confidence that a match is real.
    pub confidence: Confidence,
    /// What it does (Markdown).
    pub description: String,
    /// Why it is bad (Markdown).
    pub why: String,
    /// How to fix (Markdown).
    pub remediation: String,
    /// Documentation links.
    pub references: Vec<String>,
    /// CWE ids.
    pub cwe: Vec<String>,
    /// OWASP Top 10 categories.
    pub owasp: Vec<String>,
    /// Other ids of the same problem (CVE and GHSA ids of an advisory).
    pub aliases: Vec<String>,
    /// The rule matches by context (a variable name, entropy), not by a format or checksum that proves the
    /// value real: the policy may lower its findings in test paths and lock files.
    pub generic: bool,
    /// The same check in other tools, by tool (`checkov` → `CKV_K8S_16`): IaC checks; empty for others.
    pub equivalents: std::collections::BTreeMap<String, Vec<String>>,
}

impl RuleMeta {
    /// PascalCase name for SARIF `name` (`github-classic-pat` → `GithubClassicPat`).
    pub fn pascal_name(&self) -> String {
        self.id
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| !p.is_empty())
            .map(|p| {
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// The first sentence of the remediation, on one line: the hint shown beside each finding.
    pub fn help_summary(&self) -> String {
        let mut flat = String::with_capacity(self.remediation.len().min(256));
        for word in self.remediation.split_whitespace() {
            if !flat.is_empty() {
                flat.push(' ');
            }
            flat.push_str(word);
            // The first sentence: up to the first word that ends with a full stop.
            if word.ends_with('.') {
                break;
            }
        }
        flat
    }

    /// Tags for SARIF and `rules list`: `security`, the scanner, CWE and OWASP tags.
    pub fn tags(&self) -> Vec<String> {
        let mut tags = vec!["security".to_string(), self.scanner.as_str().to_string()];
        tags.extend(
            self.cwe
                .iter()
                .map(|c| format!("external/cwe/{}", c.to_ascii_lowercase())),
        );
        tags.extend(
            self.owasp
                .iter()
                .map(|o| format!("external/owasp/{}", o.to_ascii_lowercase())),
        );
        tags
    }

    /// The header line: scanner, severity, confidence, CWE and OWASP.
    pub fn facts(&self) -> String {
        let mut s = format!(
            "Scanner: {} · Severity: {} · Confidence: {}",
            self.scanner,
            self.severity,
            self.confidence.as_str()
        );
        if !self.cwe.is_empty() {
            s.push_str(&format!(" · {}", self.cwe.join(", ")));
        }
        if !self.owasp.is_empty() {
            s.push_str(&format!(" · OWASP {}", self.owasp.join(", ")));
        }
        if !self.aliases.is_empty() {
            s.push_str(&format!(" · Aliases: {}", self.aliases.join(", ")));
        }
        s
    }

    /// The documentation's sections: what the rule does, why it matters, how to fix, each with its heading.
    pub fn sections(&self) -> [(&'static str, &str); 3] {
        [
            ("What it does", self.description.trim()),
            ("Why is this bad?", self.why.trim()),
            ("How to fix", self.remediation.trim()),
        ]
    }

    /// The full documentation in Markdown (`explain`, SARIF `help.markdown`).
    pub fn help_markdown(&self) -> String {
        let mut s = format!("# {} (`{}`)\n\n{}\n", self.title, self.id, self.facts());
        for (heading, body) in self.sections() {
            s.push_str(&format!("\n## {heading}\n\n{body}\n"));
        }
        if !self.references.is_empty() {
            s.push_str("\n## References\n\n");
            for r in &self.references {
                s.push_str(&format!("- <{r}>\n"));
            }
        }
        s
    }

    /// The same documentation as plain text (SARIF `help.text`).
    pub fn help_text(&self) -> String {
        let mut s = format!("{} ({})\n{}\n", self.title, self.id, self.facts());
        for (heading, body) in self.sections() {
            s.push_str(&format!("\n{heading}\n{body}\n"));
        }
        if !self.references.is_empty() {
            s.push_str("\nReferences\n");
            for r in &self.references {
                s.push_str(&format!("- {r}\n"));
            }
        }
        s
    }
}

/// All rule metadata, keyed by id.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    rules: BTreeMap<String, RuleMeta>,
}

/// Two rules with one id.
#[derive(Debug, thiserror::Error)]
#[error("duplicate rule id `{0}`")]
pub struct DuplicateRule(pub String);

impl Registry {
    /// Builds a registry; a second rule with an id already present is an error.
    pub fn new(rules: impl IntoIterator<Item = RuleMeta>) -> Result<Registry, DuplicateRule> {
        let mut map = BTreeMap::new();
        for r in rules {
            let id = r.id.clone();
            if map.insert(id.clone(), r).is_some() {
                return Err(DuplicateRule(id));
            }
        }
        Ok(Registry { rules: map })
    }

    /// Adds rules found during the run (advisories of the dependency audit); ids already present are kept.
    pub fn extend(&mut self, rules: impl IntoIterator<Item = RuleMeta>) {
        for r in rules {
            self.rules.entry(r.id.clone()).or_insert(r);
        }
    }

    /// Looks a rule up by id.
    pub fn get(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.get(id)
    }

    /// All rules, sorted by id.
    pub fn iter(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules.values()
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the registry is empty.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Up to three known ids closest to `id`, for "did you mean" messages.
    pub fn suggest(&self, id: &str) -> Vec<&str> {
        let mut scored: Vec<(usize, &str)> = self
            .rules
            .keys()
            .map(|k| (edit_distance(id, k), k.as_str()))
            .filter(|(d, k)| *d <= (k.len() / 3).max(2) || k.contains(id))
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, k)| k).collect()
    }
}

/// Whether `id` looks like an advisory id (`GHSA-…`, `RUSTSEC-…`, `CVE-…`): an upper-case prefix and a dash.
/// Built-in rule ids are lower-case, so the two never collide.
pub fn is_advisory_id(id: &str) -> bool {
    match id.split_once('-') {
        Some((prefix, rest)) => {
            !prefix.is_empty()
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && prefix.starts_with(|c: char| c.is_ascii_uppercase())
                && !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        }
        None => false,
    }
}

/// Levenshtein distance (small strings only).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_are_rules_with_a_format() {
        assert!(!EMBEDDED_RULES.is_empty());
        for r in EMBEDDED_RULES {
            assert!(["toml", "yaml"].contains(&r.format), "{}", r.path);
            assert!(
                r.path.starts_with(&format!("rules/{}/", r.scanner)),
                "{}",
                r.path
            );
            assert!(
                !r.path.ends_with("README.md") && !r.path.contains(".test."),
                "{}",
                r.path
            );
        }
    }

    #[test]
    fn advisory_ids_are_told_from_rule_ids() {
        for id in [
            "GHSA-jfh8-c2jp-5v3q",
            "RUSTSEC-2021-0003",
            "PYSEC-2023-74",
            "GO-2022-0001",
            "CVE-2021-44228",
        ] {
            assert!(is_advisory_id(id), "{id}");
        }
        for id in [
            "github-classic-pat",
            "deps-unpinned-requirement",
            "GHSA",
            "ghsa-1234",
            "-X",
            "A-b c",
        ] {
            assert!(!is_advisory_id(id), "{id}");
        }
    }
}
