//! The secrets scanner: finds hard-coded credentials.
//!
//! One Aho-Corasick pass over the file's bytes finds every rule keyword (case-insensitively); only then does a
//! rule's regex run, and only over the line around the keyword (or the whole file for `multiline` rules).
//! Matches pass the shared placeholder filter, the rule's entropy threshold and allowlist; generic rules yield
//! to specific ones; the secret is redacted by the finding builder.

mod placeholder;
mod rule;

pub use placeholder::{is_placeholder, is_placeholder_token, shannon_entropy};
pub use rule::SecretRule;

use crate::finding::{redact, FindingBuilder, ScannerKind, SecretSpan, Severity};
use crate::rules::{embedded, RuleMeta};
use crate::scanners::{
    DynScanner, FileContext, PeerSyntax, Registration, RuleError, ScanError, Scanner,
    ScannerOptions,
};
use crate::source::{Classification, SourceFile};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rule::CompiledPattern;
use std::ops::Range;
use std::sync::OnceLock;

/// Lines longer than this are searched only in a window around each keyword.
const LONG_LINE: usize = 4096;
/// Window kept before and after a keyword on a long line.
const LONG_LINE_WINDOW: usize = 1024;

/// The scanner's name.
pub const KIND: ScannerKind = ScannerKind::new("secrets");

/// The secrets scanner's declaration.
pub const REGISTRATION: Registration = Registration {
    kind: KIND,
    rules: rule_metas,
    suppressions: &[PeerSyntax::GitleaksAllow],
    owns_runtime_id: None,
    config: None,
    build,
};

fn rule_metas() -> Result<Vec<RuleMeta>, RuleError> {
    Ok(load_rules()?.into_iter().map(|r| r.meta).collect())
}

fn build(options: &ScannerOptions) -> Result<Box<dyn DynScanner>, RuleError> {
    Ok(Box::new(SecretsScanner::new(options)?))
}

/// The embedded rule files of this scanner; a file in a format it does not read is an error (the build
/// would otherwise ship a rule that never runs).
fn rule_files() -> Result<Vec<&'static crate::rules::EmbeddedRule>, RuleError> {
    embedded("secrets")
        .map(|f| match f.format {
            "toml" => Ok(f),
            other => Err(RuleError {
                path: f.path.to_string(),
                message: format!(
                    "the secrets scanner reads TOML rules (rules/secrets/README.md), not `{other}`"
                ),
            }),
        })
        .collect()
}

/// Parses every embedded secret rule.
pub fn load_rules() -> Result<Vec<SecretRule>, RuleError> {
    rule_files()?
        .into_iter()
        .map(|f| SecretRule::parse(f.path, f.source))
        .collect()
}

struct Compiled {
    rule: SecretRule,
    /// Rule file path, for error messages.
    path: String,
    /// Regexes, compiled the first time one of the rule's keywords is seen.
    pattern: OnceLock<Result<CompiledPattern, RuleError>>,
}

impl Compiled {
    fn new(rule: SecretRule, path: &str) -> Compiled {
        Compiled {
            rule,
            path: path.to_string(),
            pattern: OnceLock::new(),
        }
    }

    fn pattern(&self) -> Result<&CompiledPattern, ScanError> {
        self.pattern
            .get_or_init(|| self.rule.compile(&self.path))
            .as_ref()
            .map_err(|e| ScanError {
                scanner: KIND,
                message: format!("rule {e}"),
            })
    }
}

/// The secrets scanner, built once per run.
pub struct SecretsScanner {
    rules: Vec<Compiled>,
    keywords: Option<AhoCorasick>,
    /// Keyword pattern index → rules that declared it.
    keyword_rules: Vec<Vec<usize>>,
}

/// A match that passed the filters, before generic-rule precedence.
struct Candidate {
    rule: usize,
    secret: Range<usize>,
    /// Leading bytes that are the format's public prefix (a keyword the secret starts with; 0 for generic
    /// rules).
    prefix: usize,
}

impl SecretsScanner {
    /// Builds the scanner from the embedded rules, leaving out disabled ones.
    pub fn new(options: &ScannerOptions) -> Result<SecretsScanner, RuleError> {
        let mut rules = Vec::new();
        for f in rule_files()? {
            let rule = SecretRule::parse(f.path, f.source)?;
            if !options.disabled_rules.contains(&rule.meta.id) {
                rules.push(Compiled::new(rule, f.path));
            }
        }
        Self::from_compiled(rules)
    }

    /// Every embedded rule (`generic`: the catch-all rules too), for finding secrets in text the tool is
    /// about to print ([`crate::redact`]).
    pub fn for_redaction(generic: bool) -> Result<SecretsScanner, RuleError> {
        let mut rules = Vec::new();
        for f in rule_files()? {
            let rule = SecretRule::parse(f.path, f.source)?;
            if generic || !rule.meta.generic {
                rules.push(Compiled::new(rule, f.path));
            }
        }
        Self::from_compiled(rules)
    }

    /// The secrets in `bytes`, sorted by start.
    pub fn secret_spans(&self, bytes: &[u8]) -> Result<Vec<SecretSpan>, ScanError> {
        Ok(self
            .candidates(bytes)?
            .into_iter()
            .map(|c| SecretSpan {
                range: c.secret,
                prefix: c.prefix,
            })
            .collect())
    }

    /// Builds a scanner from explicit rule files (path, source): for tests and benchmarks.
    pub fn from_sources<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<SecretsScanner, RuleError> {
        let mut rules = Vec::new();
        for (path, source) in sources {
            let rule = SecretRule::parse(path, source)?;
            rule.compile(path)?;
            rules.push(Compiled::new(rule, path));
        }
        Self::from_compiled(rules)
    }

    fn from_compiled(rules: Vec<Compiled>) -> Result<SecretsScanner, RuleError> {
        let mut words: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (idx, c) in rules.iter().enumerate() {
            for k in &c.rule.keywords {
                let k = k.to_ascii_lowercase();
                match words.iter().position(|w| *w == k) {
                    Some(p) => keyword_rules[p].push(idx),
                    None => {
                        words.push(k);
                        keyword_rules.push(vec![idx]);
                    }
                }
            }
        }
        let keywords = if words.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&words)
                    .map_err(|e| RuleError {
                        path: "rules/secrets".into(),
                        message: format!("keyword automaton: {e}"),
                    })?,
            )
        };
        Ok(SecretsScanner {
            rules,
            keywords,
            keyword_rules,
        })
    }

    /// Runs every rule over `bytes` and returns the surviving (rule index, secret span) pairs, sorted.
    fn candidates(&self, bytes: &[u8]) -> Result<Vec<Candidate>, ScanError> {
        let Some(ac) = &self.keywords else {
            return Ok(Vec::new());
        };
        let n = self.rules.len();
        // End of the region each rule has already searched (line rules), or whether it ran (multiline rules).
        let mut searched_to = vec![0usize; n];
        let mut whole_file_done = vec![false; n];
        let mut found = Vec::new();
        // The line of the current keyword (keywords are never empty, so a hit is never on an empty line).
        let mut line: Range<usize> = 0..0;
        for m in ac.find_overlapping_iter(bytes) {
            let pos = m.start();
            if !line.contains(&pos) {
                line = line_around(bytes, pos);
            }
            for &r in &self.keyword_rules[m.pattern().as_usize()] {
                if self.rules[r].rule.multiline {
                    if !whole_file_done[r] {
                        whole_file_done[r] = true;
                        self.run_in_line(r, bytes, 0, 0..bytes.len(), &mut found)?;
                    }
                    continue;
                }
                if pos < searched_to[r] {
                    continue;
                }
                let window = if line.len() > LONG_LINE {
                    pos.saturating_sub(LONG_LINE_WINDOW).max(line.start)
                        ..(pos + LONG_LINE_WINDOW).min(line.end)
                } else {
                    line.clone()
                };
                searched_to[r] = window.end.max(pos + 1);
                self.run_in_line(r, bytes, line.start, window, &mut found)?;
            }
        }
        found.sort_by_key(|c| (c.secret.start, c.secret.end, c.rule));
        found.dedup_by_key(|c| (c.secret.start, c.secret.end, c.rule));
        // Generic rules yield to any specific rule matching an overlapping span. `specific` is sorted by start,
        // with a running maximum of ends, so one binary search answers "does any span overlap?".
        let specific: Vec<Range<usize>> = found
            .iter()
            .filter(|c| !self.rules[c.rule].rule.generic)
            .map(|c| c.secret.clone())
            .collect();
        let max_end: Vec<usize> = specific
            .iter()
            .scan(0, |m, s| {
                *m = (*m).max(s.end);
                Some(*m)
            })
            .collect();
        found.retain(|c| {
            if !self.rules[c.rule].rule.generic {
                return true;
            }
            // Specific spans starting before this one ends; the furthest-reaching of them decides.
            let n = specific.partition_point(|s| s.start < c.secret.end);
            n == 0 || max_end[n - 1] <= c.secret.start
        });
        Ok(found)
    }

    /// Searches `window` (inside the line starting at `line_start`), honouring anchors at the line start.
    fn run_in_line(
        &self,
        r: usize,
        bytes: &[u8],
        line_start: usize,
        window: Range<usize>,
        out: &mut Vec<Candidate>,
    ) -> Result<(), ScanError> {
        let hay = &bytes[line_start..window.end];
        let p = self.rules[r].pattern()?;
        let mut at = window.start - line_start;
        // `find_at` runs on the fast DFA engines; captures are resolved only for actual matches.
        while at <= hay.len() {
            let Some(whole) = p.regex.find_at(hay, at) else {
                break;
            };
            let secret = p
                .regex
                .captures_at(hay, whole.start())
                .and_then(|c| c.get(p.secret_group));
            if let Some(s) = secret {
                let allowed = p
                    .allow_match
                    .iter()
                    .any(|a| a.is_match(&hay[whole.range()]));
                if !allowed {
                    self.consider(
                        r,
                        p,
                        &hay[s.range()],
                        line_start + s.start()..line_start + s.end(),
                        out,
                    );
                }
            }
            at = if whole.end() > whole.start() {
                whole.end()
            } else {
                whole.end() + 1
            };
        }
        Ok(())
    }

    fn consider(
        &self,
        r: usize,
        p: &CompiledPattern,
        secret: &[u8],
        span: Range<usize>,
        out: &mut Vec<Candidate>,
    ) {
        let c = &self.rules[r];
        let text = String::from_utf8_lossy(secret);
        if let Some(min) = c.rule.min_entropy {
            if shannon_entropy(&text) < min {
                return;
            }
        }
        let prefix = if c.rule.generic {
            0
        } else {
            c.rule
                .keywords
                .iter()
                .filter(|k| {
                    secret.len() > k.len() && secret[..k.len()].eq_ignore_ascii_case(k.as_bytes())
                })
                .map(String::len)
                .max()
                .unwrap_or(0)
        };
        // A format's token is a placeholder only when a placeholder word makes up the value, not when one
        // occurs by chance inside its random part; a generic match is one when the word occurs anywhere.
        let placeholder = if c.rule.generic {
            is_placeholder(&text)
        } else {
            is_placeholder_token(&text, prefix)
        };
        if placeholder || p.allow.iter().any(|a| a.is_match(secret)) {
            return;
        }
        out.push(Candidate {
            rule: r,
            secret: span,
            prefix,
        });
    }
}

/// The line (without terminator) containing `pos`.
fn line_around(bytes: &[u8], pos: usize) -> Range<usize> {
    let start = memchr::memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
    let mut end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
    if end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    start..end.max(pos)
}

/// Hosts that never carry a live credential (RFC 2606 and RFC 6761 names, loopback): a password in a URL to
/// one of them is an example or a local setup, reported as `low` at most.
fn is_example_host(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    let h = h.rsplit_once(':').map_or(h.as_str(), |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            name
        } else {
            h.as_str()
        }
    });
    matches!(h, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]" | "::1")
        || h.starts_with("127.")
        || h.ends_with(".localhost")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|d| h == *d || h.ends_with(&format!(".{d}")))
        || [".test", ".example", ".invalid"]
            .iter()
            .any(|t| h.ends_with(t))
        || ["test", "example", "invalid"].contains(&h)
}

/// The host of the URL whose user-info ends at `end` (the byte after the password): what follows `@`.
fn url_host_after(bytes: &[u8], end: usize) -> Option<String> {
    let rest = bytes.get(end..)?;
    let rest = rest.strip_prefix(b"@")?;
    let len = rest
        .iter()
        .position(|b| {
            matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'`')
                || b.is_ascii_whitespace()
        })
        .unwrap_or(rest.len());
    Some(String::from_utf8_lossy(&rest[..len]).into_owned())
}

impl Scanner for SecretsScanner {
    type Facts = ();

    fn kind(&self) -> ScannerKind {
        KIND
    }

    fn wants(&self, _path: &str, _class: &Classification) -> bool {
        true
    }

    fn reads_binary(&self) -> bool {
        true
    }

    fn streams(&self) -> bool {
        true
    }

    fn scan(
        &self,
        file: &std::sync::Arc<SourceFile>,
        cx: &mut FileContext<'_, ()>,
    ) -> Result<(), ScanError> {
        let bytes = file.bytes();
        let text = file.text();
        let candidates = self.candidates(bytes)?;
        let spans: Vec<SecretSpan> = candidates
            .iter()
            .map(|c| SecretSpan {
                range: c.secret.clone(),
                prefix: c.prefix,
            })
            .collect();
        for c in candidates {
            let rule = &self.rules[c.rule].rule.meta;
            let mut severity = rule.severity;
            let mut note = "";
            if url_host_after(bytes, c.secret.end).is_some_and(|h| is_example_host(&h)) {
                severity = severity.min(Severity::Low);
                note = " (the URL's host is a local or example host)";
            }
            let message = format!(
                "{} found: {}{note}",
                rule.title,
                redact(&bytes[c.secret.clone()], c.prefix)
            );
            cx.report(
                FindingBuilder::new(rule, file.path(), &text, c.secret)
                    .secret(c.prefix)
                    .redact_also(&spans)
                    .severity(severity)
                    .message(message)
                    .build(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_rule_loads_and_compiles() {
        let rules = load_rules().unwrap_or_else(|e| panic!("{e}"));
        assert!(!rules.is_empty());
        for f in embedded("secrets") {
            let r = SecretRule::parse(f.path, f.source).unwrap_or_else(|e| panic!("{e}"));
            r.compile(f.path).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                r.meta.references.iter().all(|u| u.starts_with("https://")),
                "{}: references must be https URLs",
                f.path
            );
        }
    }

    #[test]
    fn example_hosts_are_told_from_real_ones() {
        for h in [
            "localhost",
            "localhost:5432",
            "127.0.0.1:8080",
            "db.example.com",
            "example.org",
            "svc.test",
            "x.invalid",
            "a.example",
        ] {
            assert!(is_example_host(h), "{h}");
        }
        for h in [
            "db.internal.corp",
            "github.com",
            "examples.com",
            "testing.io",
        ] {
            assert!(!is_example_host(h), "{h}");
        }
        assert_eq!(
            url_host_after(b"u:pw@db.example.com/x", 4).as_deref(),
            Some("db.example.com")
        );
        assert_eq!(url_host_after(b"u:pw", 4), None);
    }

    #[test]
    fn line_around_handles_edges() {
        assert_eq!(line_around(b"ab\ncd\r\nef", 4), 3..5);
        assert_eq!(line_around(b"ab", 0), 0..2);
        assert_eq!(line_around(b"ab\n", 2), 0..2);
    }
}
