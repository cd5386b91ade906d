//! Secret rule files (`rules/secrets/<id>.toml`): parsed into [`RawSecretRule`], then validated and compiled
//! into [`SecretRule`].

use crate::finding::{Confidence, Severity};
use crate::rules::RuleMeta;
use crate::scanners::RuleError;
use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

/// A rule file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSecretRule {
    id: String,
    title: String,
    severity: Severity,
    confidence: Confidence,
    keywords: Vec<String>,
    pattern: String,
    #[serde(default)]
    min_entropy: Option<f64>,
    #[serde(default)]
    multiline: bool,
    #[serde(default)]
    generic: bool,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    allow_match: Vec<String>,
    #[serde(default)]
    cwe: Option<Vec<String>>,
    #[serde(default)]
    owasp: Option<Vec<String>>,
    description: String,
    why: String,
    remediation: String,
    references: Vec<String>,
}

/// A validated secret rule: metadata plus the matching parts (regexes are compiled by the scanner).
#[derive(Debug)]
pub struct SecretRule {
    /// Registry metadata.
    pub meta: RuleMeta,
    /// Keywords, any of which must occur before the pattern is tried.
    pub keywords: Vec<String>,
    /// Regex source.
    pub pattern: String,
    /// Minimum Shannon entropy of the secret.
    pub min_entropy: Option<f64>,
    /// Pattern spans lines: run over the whole file.
    pub multiline: bool,
    /// Catch-all rule: yields to specific rules on overlapping spans.
    pub generic: bool,
    /// Allowlist regex sources, applied to the secret.
    pub allow: Vec<String>,
    /// Allowlist regex sources, applied to the whole match (the name a value is assigned to, say).
    pub allow_match: Vec<String>,
}

/// A secret rule's compiled regexes.
#[derive(Debug)]
pub struct CompiledPattern {
    /// The detection regex.
    pub regex: Regex,
    /// Index of the `secret` capture group, else 0.
    pub secret_group: usize,
    /// Allowlist regexes applied to the secret.
    pub allow: Vec<Regex>,
    /// Allowlist regexes applied to the whole match.
    pub allow_match: Vec<Regex>,
}

fn err(path: &str, message: impl Into<String>) -> RuleError {
    RuleError {
        path: path.to_string(),
        message: message.into(),
    }
}

impl SecretRule {
    /// Parses and validates one rule file.
    pub fn parse(path: &str, source: &str) -> Result<SecretRule, RuleError> {
        let raw: RawSecretRule =
            toml::from_str(source).map_err(|e| err(path, e.message().to_string()))?;
        let stem = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .trim_end_matches(".toml");
        if raw.id != stem {
            return Err(err(
                path,
                format!("id `{}` does not match the file name `{stem}`", raw.id),
            ));
        }
        if !raw
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(path, format!("id `{}` is not kebab-case", raw.id)));
        }
        if raw.keywords.is_empty() || raw.keywords.iter().any(|k| k.is_empty()) {
            return Err(err(path, "`keywords` needs at least one non-empty keyword"));
        }
        for (field, value) in [
            ("title", &raw.title),
            ("description", &raw.description),
            ("why", &raw.why),
            ("remediation", &raw.remediation),
        ] {
            if value.trim().is_empty() {
                return Err(err(path, format!("`{field}` is empty")));
            }
        }
        if raw.references.is_empty() {
            return Err(err(path, "`references` needs at least one link"));
        }
        let meta = RuleMeta {
            id: raw.id,
            scanner: super::KIND,
            title: raw.title.trim().to_string(),
            severity: raw.severity,
            confidence: raw.confidence,
            description: raw.description.trim().to_string(),
            why: raw.why.trim().to_string(),
            remediation: raw.remediation.trim().to_string(),
            references: raw.references,
            cwe: raw.cwe.unwrap_or_else(|| vec!["CWE-798".to_string()]),
            owasp: raw.owasp.unwrap_or_else(|| vec!["A07:2021".to_string()]),
            aliases: Vec::new(),
            generic: raw.generic || raw.confidence == crate::finding::Confidence::Low,
            equivalents: Default::default(),
        };
        Ok(SecretRule {
            meta,
            keywords: raw.keywords,
            pattern: raw.pattern,
            min_entropy: raw.min_entropy,
            multiline: raw.multiline,
            generic: raw.generic,
            allow: raw.allow,
            allow_match: raw.allow_match,
        })
    }

    /// Compiles the detection and allowlist regexes.
    pub fn compile(&self, path: &str) -> Result<CompiledPattern, RuleError> {
        let regex = RegexBuilder::new(&self.pattern)
            .multi_line(self.multiline)
            .size_limit(8 << 20)
            .build()
            .map_err(|e| err(path, format!("`pattern` does not compile: {e}")))?;
        let secret_group = regex
            .capture_names()
            .position(|n| n == Some("secret"))
            .unwrap_or(0);
        let compile_all = |field: &str, sources: &[String]| {
            sources
                .iter()
                .map(|a| {
                    Regex::new(a)
                        .map_err(|e| err(path, format!("`{field}` regex does not compile: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let allow = compile_all("allow", &self.allow)?;
        let allow_match = compile_all("allow_match", &self.allow_match)?;
        Ok(CompiledPattern {
            regex,
            secret_group,
            allow,
            allow_match,
        })
    }
}
