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

/// A secret's place in a file: its byte span, and how many leading bytes are the format's fixed, public
/// prefix (`ghp_`, `AKIA`, `xoxb-`; 0 for generic and entropy-based matches).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretSpan {
    /// Byte span of the secret.
    pub range: Range<usize>,
    /// Bytes of it that may be shown.
    pub prefix: usize,
}

/// The redacted form of a secret: only what is not secret, its format's fixed prefix (the first `prefix`
/// bytes, 0 for generic matches) and its length. No other character of the value is ever shown, so a
/// redacted form cannot confirm a guess.
pub fn redact(secret: &[u8], prefix: usize) -> String {
    let text = String::from_utf8_lossy(secret);
    let len = text.chars().count();
    let mut cut = prefix.min(secret.len());
    while cut > 0 && std::str::from_utf8(&secret[..cut]).is_err() {
        cut -= 1;
    }
    let shown: String = String::from_utf8_lossy(&secret[..cut])
        .chars()
        .map(printable)
        .collect();
    format!("{shown}…[redacted, {len} chars]")
}

/// scrypt cost of a secret's fingerprint, as log2(N) with r = 8, p = 1: N = 2^12 uses 4 MiB and about 10 ms
/// of a CI core per secret, so checking one guessed secret against a fingerprint costs as much, and memory
/// makes it dear on GPUs too (see README, "Security").
pub const FINGERPRINT_LOG_N: u8 = 12;

/// The part of a secret's fingerprint derived from the value: scrypt of the secret, salted with the rule id
/// and path (so that no precomputed table serves two places), cost [`FINGERPRINT_LOG_N`]. Deterministic, so
/// baselines match on every machine; computed once per distinct (rule, path, secret) in a process.
fn secret_digest(rule_id: &str, path: &str, secret: &[u8]) -> [u8; 32] {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<[u8; 32], [u8; 32]>>> = OnceLock::new();
    let mut salt = Vec::with_capacity(rule_id.len() + path.len() + 24);
    salt.extend_from_slice(b"portcullis-fingerprint\0");
    salt.extend_from_slice(rule_id.as_bytes());
    salt.push(0);
    salt.extend_from_slice(path.as_bytes());
    // The cache key is itself a hash, so the cache never holds a secret in clear.
    let key: [u8; 32] = {
        let mut h = Sha256::new();
        h.update(&salt);
        h.update([0]);
        h.update(secret);
        h.finalize().into()
    };
    let cache = CACHE.get_or_init(Default::default);
    if let Some(d) = cache.lock().ok().and_then(|c| c.get(&key).copied()) {
        return d;
    }
    let mut out = [0u8; 32];
    let derived = scrypt::Params::new(FINGERPRINT_LOG_N, 8, 1, out.len())
        .map_err(|_| ())
        .and_then(|p| scrypt::scrypt(secret, &salt, &p, &mut out).map_err(|_| ()));
    if derived.is_err() {
        // Fixed, valid parameters make this unreachable; fall back to a keyed hash rather than a plain one.
        out = Sha256::new()
            .chain_update(key)
            .chain_update(secret)
            .finalize()
            .into();
    }
    if let Ok(mut c) = cache.lock() {
        c.insert(key, out);
    }
    out
}

fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// `text` with [`printable`] applied to every character (as it is, when there is nothing to change).
fn printable_text(text: String) -> String {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text;
    }
    text.chars().map(printable).collect()
}

/// Builds one [`Finding`] from a rule, a file and a byte span.
pub struct FindingBuilder<'a> {
    rule: &'a RuleMeta,
    path: &'a str,
    source: &'a SourceText<'a>,
    span: Range<usize>,
    severity: Severity,
    message: Option<String>,
    /// The span is a secret with this many bytes of public prefix.
    secret: Option<usize>,
    other_secrets: &'a [SecretSpan],
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
            secret: None,
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

    /// Marks the span as a secret whose first `prefix` bytes are its format's public prefix: it is redacted in
    /// the snippet, and only a slow salted derivation of it enters the fingerprint.
    pub fn secret(mut self, prefix: usize) -> Self {
        self.secret = Some(prefix);
        self
    }

    /// Other secrets in the same file: redacted wherever they show up in this finding's snippet. `spans` must
    /// be sorted by start offset (the finding's own span may be among them).
    pub fn redact_also(mut self, spans: &'a [SecretSpan]) -> Self {
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
        // A secret's fingerprint is derived once the run's findings are known, in their sorted order, within a
        // budget (see `finalize_secret_fingerprints`).
        let pending = self.secret.map(|_| super::PendingSecret(content.to_vec()));
        Finding {
            rule_id: self.rule.id.clone(),
            scanner: self.rule.scanner,
            severity: self.severity,
            confidence: self.rule.confidence,
            message: self.message.unwrap_or_else(|| self.rule.title.clone()),
            location,
            snippet,
            fingerprint: if pending.is_some() {
                String::new()
            } else {
                fingerprint(&self.rule.id, self.path, content)
            },
            cwe: self.rule.cwe.clone(),
            owasp: self.rule.owasp.clone(),
            help: self.rule.help_summary(),
            fix: self.fix,
            suppression: None,
            baseline_state: None,
            details: self.details,
            commit: None,
            fails_gate: false,
            alias_fingerprints: self
                .aliases
                .iter()
                .filter(|a| **a != self.rule.id)
                .map(|a| fingerprint(a, self.path, content))
                .collect(),
            pending_secret: pending,
        }
    }

    fn snippet(&self, line: u32) -> Snippet {
        let bytes = self.source.bytes();
        let lr = self.source.line_range(line);
        let span_end_in_line = self.span.end.min(lr.end).max(self.span.start);
        let marked = if let Some(prefix) = self.secret {
            redact(&bytes[self.span.clone()], prefix)
        } else {
            String::from_utf8_lossy(&bytes[self.span.start..span_end_in_line]).into_owned()
        };
        let mut before = self.text_redacting_others(lr.start..self.span.start);
        let mut after = if self.secret.is_some() && self.span.end > lr.end {
            String::new()
        } else {
            self.text_redacting_others(span_end_in_line..lr.end)
        };
        let marked = printable_text(marked);
        let (nb, nm, na) = (
            before.chars().count(),
            marked.chars().count(),
            after.chars().count(),
        );
        let mut shown_before = nb;
        if nb + nm + na > MAX_SNIPPET_CHARS {
            if nb > SNIPPET_CONTEXT {
                let cut = before
                    .char_indices()
                    .nth(nb - SNIPPET_CONTEXT)
                    .map_or(before.len(), |(i, _)| i);
                before = format!("…{}", &before[cut..]);
                shown_before = SNIPPET_CONTEXT + 1;
            }
            if na > SNIPPET_CONTEXT {
                let cut = after
                    .char_indices()
                    .nth(SNIPPET_CONTEXT)
                    .map_or(after.len(), |(i, _)| i);
                after.truncate(cut);
                after.push('…');
            }
        }
        let mark_start = shown_before + 1;
        let mark_end = mark_start + nm.max(1);
        let text = before + &marked + &after;
        Snippet {
            text,
            mark_start: u32::try_from(mark_start).unwrap_or(u32::MAX),
            mark_end: u32::try_from(mark_end).unwrap_or(u32::MAX),
        }
    }

    /// The printable characters of `range`, with every other known secret in it replaced by its redacted form.
    fn text_redacting_others(&self, range: Range<usize>) -> String {
        let bytes = self.source.bytes();
        let mut out = String::new();
        let mut pos = range.start;
        // Spans are sorted by start: begin at the first one starting in `range`, backing up over earlier ones
        // that reach into it.
        let spans = self.other_secrets;
        let mut first = spans.partition_point(|s| s.range.start < range.start);
        while first > 0 && spans[first - 1].range.end > range.start {
            first -= 1;
        }
        for other in spans[first..]
            .iter()
            .take_while(|s| s.range.start < range.end)
        {
            if other.range == self.span || other.range.end <= pos {
                continue;
            }
            let start = other.range.start.max(pos);
            out.push_str(&String::from_utf8_lossy(&bytes[pos..start]));
            out.push_str(&redact(&bytes[other.range.clone()], other.prefix));
            pos = other.range.end.min(range.end);
        }
        out.push_str(&String::from_utf8_lossy(&bytes[pos..range.end.max(pos)]));
        printable_text(out)
    }
}

/// Most secrets whose fingerprint a run derives with scrypt (about 20 s of one core): a tree planted with a
/// million fake keys must not hold the gate for hours. The first ones in output order get the derivation;
/// the rest a fingerprint from their position among the secrets of their rule in their file, which keeps no
/// trace of the value and stays deterministic.
pub const SECRET_FINGERPRINT_BUDGET: usize = 2_000;

/// Gives every secret finding its fingerprint, in the order of `findings` (sorted, so the same whatever the
/// thread count): the scrypt derivation for the first `budget` distinct (rule, path, secret), computed in
/// parallel, a positional one for the others. Returns how many got the positional one. Clears the values.
pub fn finalize_secret_fingerprints(findings: &mut [super::Finding], budget: usize) -> usize {
    use rayon::prelude::*;
    use std::collections::HashMap;
    // Distinct (rule, path, secret) in order, and each one's ordinal among its (rule, path).
    let mut keys: Vec<(String, String, Vec<u8>)> = Vec::new();
    let mut index: HashMap<(String, String, Vec<u8>), usize> = HashMap::new();
    let mut slot: Vec<Option<usize>> = Vec::with_capacity(findings.len());
    for f in findings.iter() {
        slot.push(f.pending_secret.as_ref().map(|s| {
            let k = (f.rule_id.clone(), f.location.path.clone(), s.0.clone());
            *index.entry(k.clone()).or_insert_with(|| {
                keys.push(k);
                keys.len() - 1
            })
        }));
    }
    let derived: Vec<[u8; 32]> = keys
        .par_iter()
        .take(budget)
        .map(|(rule, path, secret)| secret_digest(rule, path, secret))
        .collect();
    let mut ordinal: HashMap<(&str, &str), usize> = HashMap::new();
    let positional: Vec<[u8; 32]> = keys
        .iter()
        .skip(budget)
        .map(|(rule, path, _)| {
            let n = ordinal.entry((rule.as_str(), path.as_str())).or_insert(0);
            *n += 1;
            let mut h = Sha256::new();
            h.update(b"portcullis-position\0");
            h.update(n.to_le_bytes());
            h.finalize().into()
        })
        .collect();
    for (f, s) in findings.iter_mut().zip(slot) {
        if let Some(i) = s {
            let content = derived.get(i).or_else(|| positional.get(i - derived.len()));
            f.fingerprint = fingerprint(
                &f.rule_id,
                &f.location.path,
                content.map_or(&[][..], |c| &c[..]),
            );
            f.pending_secret = None;
        }
    }
    keys.len().saturating_sub(budget)
}

/// Hash of rule id, path and whitespace-normalised content (hex, 128 bits): stable when lines move.
fn fingerprint(rule_id: &str, path: &str, content: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    // The content with each run of whitespace one space, and none at either end.
    let mut flat = Vec::with_capacity(content.len());
    for word in content
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !flat.is_empty() {
            flat.push(b' ');
        }
        flat.extend_from_slice(word);
    }
    h.update(&flat);
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    digest[..16]
        .iter()
        .flat_map(|b| {
            [
                HEX[usize::from(b >> 4)] as char,
                HEX[usize::from(b & 15)] as char,
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_prefix_and_length_only() {
        assert_eq!(
            // portcullis:ignore[github-classic-pat] fake token, exercises redaction
            redact(b"ghp_R8mQ2vLw9ZkT4pXn7bYc1HsJ6dFgA3uE5oNi", 4),
            "ghp_…[redacted, 40 chars]"
        );
        // Generic matches show no character of the value.
        assert_eq!(redact(b"Summer2024!", 0), "…[redacted, 11 chars]");
        assert_eq!(redact("é€x".as_bytes(), 3), "é…[redacted, 3 chars]");
        assert_eq!(char_count("é…".as_bytes()), 2);
    }

    #[test]
    fn secret_fingerprints_past_the_budget_are_positional_and_deterministic() {
        let rule = RuleMeta {
            id: "r".into(),
            scanner: crate::scanners::secrets::KIND,
            title: "t".into(),
            severity: Severity::High,
            confidence: crate::finding::Confidence::High,
            description: String::new(),
            why: String::new(),
            remediation: String::new(),
            references: Vec::new(),
            cwe: Vec::new(),
            owasp: Vec::new(),
            aliases: Vec::new(),
            generic: false,
            equivalents: Default::default(),
        };
        let text = b"a=S3cretOne\nb=S3cretTwo\nc=S3cretOne\nd=S3cretSix\n";
        let src = SourceText::new(text);
        let make = || -> Vec<crate::finding::Finding> {
            [2..11, 14..23, 26..35, 38..47]
                .into_iter()
                .map(|r| FindingBuilder::new(&rule, "f", &src, r).secret(0).build())
                .collect()
        };
        let mut a = make();
        assert!(a
            .iter()
            .all(|f| f.fingerprint.is_empty() && f.pending_secret.is_some()));
        assert_eq!(finalize_secret_fingerprints(&mut a, 1), 2);
        assert!(a
            .iter()
            .all(|f| f.pending_secret.is_none() && f.fingerprint.len() == 32));
        assert_eq!(
            a[0].fingerprint, a[2].fingerprint,
            "one value, one fingerprint"
        );
        assert_ne!(a[1].fingerprint, a[3].fingerprint);
        let mut b = make();
        finalize_secret_fingerprints(&mut b, 1);
        let fps = |v: &[crate::finding::Finding]| {
            v.iter().map(|f| f.fingerprint.clone()).collect::<Vec<_>>()
        };
        assert_eq!(fps(&a), fps(&b));
        // Within the budget the value decides: the positional fingerprint differs from the derived one.
        let mut c = make();
        finalize_secret_fingerprints(&mut c, 10);
        assert_eq!(c[0].fingerprint, a[0].fingerprint);
        assert_ne!(c[1].fingerprint, a[1].fingerprint);
    }

    #[test]
    fn secret_digests_are_salted_by_rule_and_path_and_deterministic() {
        let a = secret_digest("r", "p", b"Summer2024!");
        assert_eq!(a, secret_digest("r", "p", b"Summer2024!"));
        assert_ne!(a, secret_digest("r", "q", b"Summer2024!"));
        assert_ne!(a, secret_digest("s", "p", b"Summer2024!"));
        assert_ne!(a, secret_digest("r", "p", b"Summer2025!"));
        // Not a plain hash of the value.
        let plain: [u8; 32] = Sha256::digest(b"Summer2024!").into();
        assert_ne!(a, plain);
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
