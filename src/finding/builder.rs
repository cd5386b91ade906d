//! [`FindingBuilder`]: the only way scanners make findings. It computes the location, the snippet (redacted
//! when the span is a secret) and the fingerprint, so no reporter ever sees a secret in full.

#[cfg(test)]
use super::source::char_count;
use super::source::SourceText;
use super::{Details, Finding, Location, Severity, Snippet};
use crate::rules::RuleMeta;
use sha2::{Digest, Sha256};
use std::ops::Range;

/// Longest snippet line kept, in characters; longer lines are cut around the span.
const MAX_SNIPPET_CHARS: usize = 200;
/// Context kept on each side of the span when a line is cut.
const SNIPPET_CONTEXT: usize = 60;

/// The redacted form of a secret: its first characters (4, fewer for short values) and its length.
pub fn redact(secret: &[u8]) -> String {
    let text = String::from_utf8_lossy(secret);
    let len = text.chars().count();
    let shown = if len >= 16 { 4 } else { len / 4 };
    let prefix: String = text.chars().take(shown).map(printable).collect();
    format!("{prefix}…[redacted, {len} chars]")
}

fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// Builds one [`Finding`] from a rule, a file and a byte span.
pub struct FindingBuilder<'a> {
    rule: &'a RuleMeta,
    path: &'a str,
    source: &'a SourceText<'a>,
    span: Range<usize>,
    severity: Severity,
    message: Option<String>,
    secret: bool,
    other_secrets: &'a [Range<usize>],
    fix: Option<String>,
    details: Option<Details>,
    aliases: &'a [String],
}

impl<'a> FindingBuilder<'a> {
    /// Starts a finding of `rule` at byte `span` of `source` (the file at relative `path`).
    pub fn new(
        rule: &'a RuleMeta,
        path: &'a str,
        source: &'a SourceText<'a>,
        span: Range<usize>,
    ) -> Self {
        let len = source.bytes().len();
        let start = span.start.min(len);
        let span = start..span.end.clamp(start, len);
        FindingBuilder {
            rule,
            path,
            source,
            span,
            severity: rule.severity,
            message: None,
            secret: false,
            other_secrets: &[],
            fix: None,
            details: None,
            aliases: &[],
        }
    }

    /// Overrides the rule's default severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the message (default: the rule title).
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Marks the span as a secret: it is redacted in the snippet and only its hash enters the fingerprint.
    pub fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    /// Other secrets in the same file (byte spans): redacted wherever they show up in this finding's snippet.
    /// `spans` must be sorted by start offset (the finding's own span may be among them).
    pub fn redact_also(mut self, spans: &'a [Range<usize>]) -> Self {
        self.other_secrets = spans;
        self
    }

    /// Attaches a concrete fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Attaches structured facts.
    pub fn details(mut self, details: Details) -> Self {
        self.details = Some(details);
        self
    }

    /// Other ids of the rule (an advisory's aliases): the finding also carries its fingerprint under each, so
    /// that baselines match whichever id was primary when they were written.
    pub fn aliases(mut self, aliases: &'a [String]) -> Self {
        self.aliases = aliases;
        self
    }

    /// Finishes the finding.
    pub fn build(self) -> Finding {
        let src = self.source;
        let bytes = src.bytes();
        let span = self.span.clone();
        let start_line = src.line_number(span.start);
        let end_line = src.line_number(span.end);
        let location = Location {
            path: self.path.to_string(),
            start_line,
            start_column: src.column(span.start),
            end_line,
            end_column: src.column(span.end),
        };
        let content = &bytes[span.clone()];
        let snippet = self.snippet(start_line);
        Finding {
            rule_id: self.rule.id.clone(),
            scanner: self.rule.scanner,
            severity: self.severity,
            confidence: self.rule.confidence,
            message: self.message.unwrap_or_else(|| self.rule.title.clone()),
            location,
            snippet,
            fingerprint: fingerprint(&self.rule.id, self.path, content),
            cwe: self.rule.cwe.clone(),
            owasp: self.rule.owasp.clone(),
            help: self.rule.help_summary(),
            fix: self.fix,
            suppression: None,
            baseline_state: None,
            details: self.details,
            alias_fingerprints: self
                .aliases
                .iter()
                .filter(|a| **a != self.rule.id)
                .map(|a| fingerprint(a, self.path, content))
                .collect(),
        }
    }

    fn snippet(&self, line: u32) -> Snippet {
        let bytes = self.source.bytes();
        let lr = self.source.line_range(line);
        let span_end_in_line = self.span.end.min(lr.end).max(self.span.start);
        let marked = if self.secret {
            redact(&bytes[self.span.clone()])
        } else {
            String::from_utf8_lossy(&bytes[self.span.start..span_end_in_line]).into_owned()
        };
        let before = self.text_redacting_others(lr.start..self.span.start);
        let after = if self.secret && self.span.end > lr.end {
            Vec::new()
        } else {
            self.text_redacting_others(span_end_in_line..lr.end)
        };
        let mut before = before;
        let marked: Vec<char> = marked.chars().map(printable).collect();
        let mut after = after;
        if before.len() + marked.len() + after.len() > MAX_SNIPPET_CHARS {
            if before.len() > SNIPPET_CONTEXT {
                let cut = before.len() - SNIPPET_CONTEXT;
                before.drain(..cut);
                before.insert(0, '…');
            }
            if after.len() > SNIPPET_CONTEXT {
                after.truncate(SNIPPET_CONTEXT);
                after.push('…');
            }
        }
        let mark_start = before.len() + 1;
        let mark_end = mark_start + marked.len().max(1);
        let text: String = before.into_iter().chain(marked).chain(after).collect();
        Snippet {
            text,
            mark_start: u32::try_from(mark_start).unwrap_or(u32::MAX),
            mark_end: u32::try_from(mark_end).unwrap_or(u32::MAX),
        }
    }

    /// The printable characters of `range`, with every other known secret in it replaced by its redacted form.
    fn text_redacting_others(&self, range: Range<usize>) -> Vec<char> {
        let bytes = self.source.bytes();
        let mut out = String::new();
        let mut pos = range.start;
        // Spans are sorted by start: begin at the first one starting in `range`, backing up over earlier ones
        // that reach into it.
        let spans = self.other_secrets;
        let mut first = spans.partition_point(|s| s.start < range.start);
        while first > 0 && spans[first - 1].end > range.start {
            first -= 1;
        }
        for other in spans[first..].iter().take_while(|s| s.start < range.end) {
            if *other == self.span || other.end <= pos {
                continue;
            }
            let start = other.start.max(pos);
            out.push_str(&String::from_utf8_lossy(&bytes[pos..start]));
            out.push_str(&redact(&bytes[other.clone()]));
            pos = other.end.min(range.end);
        }
        out.push_str(&String::from_utf8_lossy(&bytes[pos..range.end.max(pos)]));
        out.chars().map(printable).collect()
    }
}

/// Hash of rule id, path and whitespace-normalised content (hex, 128 bits): stable when lines move.
fn fingerprint(rule_id: &str, path: &str, content: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    let mut in_space = false;
    for &b in content.iter().skip_while(|b| b.is_ascii_whitespace()) {
        if b.is_ascii_whitespace() {
            in_space = true;
        } else {
            if in_space {
                h.update([b' ']);
                in_space = false;
            }
            h.update([b]);
        }
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_prefix_and_length_only() {
        assert_eq!(
            // portcullis:ignore[github-classic-pat] fake token, exercises redaction
            redact(b"ghp_R8mQ2vLw9ZkT4pXn7bYc1HsJ6dFgA3uE5oNi"),
            "ghp_…[redacted, 40 chars]"
        );
        assert_eq!(redact(b"hunter2hunter"), "hun…[redacted, 13 chars]");
        assert_eq!(redact(b"abc"), "…[redacted, 3 chars]");
        assert_eq!(char_count("é…".as_bytes()), 2);
    }

    #[test]
    fn fingerprint_ignores_whitespace_runs_but_not_content() {
        let a = fingerprint("r", "p", b"a  b\n c");
        assert_eq!(a, fingerprint("r", "p", b"  a b c"));
        assert_ne!(a, fingerprint("r", "p", b"a b d"));
        assert_ne!(a, fingerprint("r", "q", b"a b c"));
        assert_eq!(a.len(), 32);
    }
}
