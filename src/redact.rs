//! The one redaction step. Everything the tool writes (findings of every scanner, diagnostics and SARIF
//! notifications, error messages, SBOMs, baselines) passes through it, so a credential planted in a pull request
//! never appears in clear in a public CI log, whichever scanner or parser echoed it.
//!
//! Two layers, both driven by the secret rules (all of them, whatever `--scanners` or `--select` say):
//! - [`Redactor::report`] rewrites a [`Report`]'s texts field by field with every rule, generic ones included,
//!   keeping snippet marks consistent;
//! - [`Redactor::net`] is the last pass over the bytes of each output, with the rules that recognise a
//!   provider's format (generic rules would also match the tool's own JSON keys and fingerprints).

use crate::finding::{redact, Finding, SecretSpan, Snippet};
use crate::scan::Report;
use crate::scanners::secrets::SecretsScanner;
use crate::scanners::RuleError;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Finds and replaces secrets in outgoing text.
pub struct Redactor {
    all: SecretsScanner,
    specific: SecretsScanner,
}

static GLOBAL: OnceLock<Redactor> = OnceLock::new();

/// The process's redactor, built from the embedded secret rules on first use.
pub fn global() -> Result<&'static Redactor, RuleError> {
    if let Some(r) = GLOBAL.get() {
        return Ok(r);
    }
    let r = Redactor {
        all: SecretsScanner::for_redaction(true)?,
        specific: SecretsScanner::for_redaction(false)?,
    };
    Ok(GLOBAL.get_or_init(|| r))
}

/// Merges overlapping spans (two rules on one token) into one, keeping the shorter prefix.
fn merged(mut spans: Vec<SecretSpan>) -> Vec<SecretSpan> {
    spans.sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
    let mut out: Vec<SecretSpan> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.range.start < last.range.end => {
                if s.range.start == last.range.start {
                    last.prefix = last.prefix.min(s.prefix);
                }
                last.range.end = last.range.end.max(s.range.end);
            }
            _ => out.push(s),
        }
    }
    out
}

/// `bytes` with each span (sorted, not overlapping) replaced by its redacted form.
fn replace(bytes: &[u8], spans: &[SecretSpan]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    for s in spans {
        out.extend_from_slice(&bytes[pos..s.range.start]);
        out.extend_from_slice(redact(&bytes[s.range.clone()], s.prefix).as_bytes());
        pos = s.range.end;
    }
    out.extend_from_slice(&bytes[pos..]);
    out
}

impl Redactor {
    fn spans(scanner: &SecretsScanner, bytes: &[u8]) -> Vec<SecretSpan> {
        // A rule that fails to compile is a build defect caught by the rule tests; here it must not stop
        // output, and what it would have found falls to the other rules.
        merged(scanner.secret_spans(bytes).unwrap_or_default())
    }

    /// `text` with every secret any rule recognises redacted.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let spans = Self::spans(&self.all, text.as_bytes());
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        Cow::Owned(String::from_utf8_lossy(&replace(text.as_bytes(), &spans)).into_owned())
    }

    /// The last pass over an output's bytes, with the format-specific rules.
    pub fn net<'b>(&self, bytes: &'b [u8]) -> Cow<'b, [u8]> {
        let spans = Self::spans(&self.specific, bytes);
        if spans.is_empty() {
            return Cow::Borrowed(bytes);
        }
        Cow::Owned(replace(bytes, &spans))
    }

    /// A snippet with its secrets redacted and its mark moved to cover the same text (a secret reaching into
    /// the mark makes the mark cover its whole redacted form).
    pub fn snippet(&self, snip: &mut Snippet) {
        let text = snip.text.as_str();
        // Byte-level matches may end inside a multi-byte character: widen them to whole characters, so that
        // the slicing below never splits one.
        let spans: Vec<SecretSpan> = Self::spans(&self.all, text.as_bytes())
            .into_iter()
            .map(|mut s| {
                while !text.is_char_boundary(s.range.start) {
                    s.range.start -= 1;
                }
                while !text.is_char_boundary(s.range.end) {
                    s.range.end += 1;
                }
                s
            })
            .collect();
        let spans = merged(spans);
        if spans.is_empty() {
            return;
        }
        // Marks are 1-based character columns; work in byte offsets, then count characters again.
        let byte_of = |col: u32| {
            text.char_indices()
                .nth((col as usize).saturating_sub(1))
                .map_or(text.len(), |(i, _)| i)
        };
        let (ms, me) = (byte_of(snip.mark_start), byte_of(snip.mark_end));
        let mut out = String::new();
        let (mut new_ms, mut new_me) = (None, None);
        let mut pos = 0;
        for s in &spans {
            let r = &s.range;
            let before = &text[pos..r.start];
            if new_ms.is_none() && ms < r.start {
                new_ms = Some(out.chars().count() + text[pos..ms.max(pos)].chars().count());
            }
            if new_me.is_none() && me <= r.start {
                new_me = Some(out.chars().count() + text[pos..me.max(pos)].chars().count());
            }
            out.push_str(before);
            let start_col = out.chars().count();
            out.push_str(&redact(&text.as_bytes()[r.clone()], s.prefix));
            if new_ms.is_none() && ms < r.end {
                new_ms = Some(start_col);
            }
            if new_me.is_none() && me <= r.end && me > r.start {
                new_me = Some(out.chars().count());
            }
            pos = r.end;
        }
        let tail_cols = out.chars().count();
        out.push_str(&text[pos..]);
        let ms = new_ms.unwrap_or(tail_cols + text[pos..ms.max(pos)].chars().count());
        let me = new_me.unwrap_or(tail_cols + text[pos..me.max(pos)].chars().count());
        snip.text = out;
        snip.mark_start = u32::try_from(ms + 1).unwrap_or(u32::MAX);
        snip.mark_end = u32::try_from(me.max(ms) + 1).unwrap_or(u32::MAX);
    }

    fn finding(&self, f: &mut Finding) {
        let scrub = |s: &mut String| {
            if let Cow::Owned(o) = self.text(s) {
                *s = o;
            }
        };
        scrub(&mut f.message);
        scrub(&mut f.help);
        if let Some(fix) = &mut f.fix {
            scrub(fix);
        }
        self.snippet(&mut f.snippet);
        if let Some(crate::finding::Details::Dependency(d)) = &mut f.details {
            scrub(&mut d.package);
            scrub(&mut d.installed_version);
            d.fixed_versions.iter_mut().for_each(scrub);
            if let Some(u) = &mut d.upgrade_to {
                scrub(u);
            }
        }
    }

    /// Redacts every string of a JSON document (an SBOM built from lock files), with every rule.
    pub fn json(&self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let Cow::Owned(o) = self.text(s) {
                    *s = o;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| self.json(x)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| self.json(x)),
            _ => {}
        }
    }

    /// Redacts every text of a report: findings (message, help, fix, snippet, details) and diagnostics.
    pub fn report(&self, report: &mut Report) {
        for f in &mut report.findings {
            self.finding(f);
        }
        for d in &mut report.diagnostics {
            if let Cow::Owned(o) = self.text(&d.message) {
                d.message = o;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> &'static Redactor {
        global().unwrap_or_else(|e| panic!("{e}"))
    }

    fn token() -> String {
        // portcullis:ignore[github-classic-pat] a fake token for the redaction tests
        ["ghp_", "R8mQ2vLw9ZkT4pXn7bYc1HsJ6dFgA3uE5oNi"].concat()
    }

    #[test]
    fn text_and_bytes_lose_their_secrets() {
        let t = token();
        let line = format!("@@x=git+https://{t}@github.com/o/p.git");
        let out = r().text(&line);
        assert!(!out.contains(&t), "{out}");
        assert!(out.contains("ghp_…[redacted, 40 chars]"), "{out}");
        let net = r().net(line.as_bytes());
        assert!(!String::from_utf8_lossy(&net).contains(&t));
        // Ordinary text, and our own fingerprints, are left alone by the byte-level pass.
        let json = br#"{"fingerprint": "db5efd199fd7ad270b69faf76ed9ce50:1", "password": "x"}"#;
        assert_eq!(r().net(json).as_ref(), json.as_slice());
    }

    #[test]
    fn snippet_marks_follow_the_redaction() {
        let t = token();
        let mut s = Snippet {
            text: format!("req = git+https://{t}@github.com/o/p.git # pinned"),
            mark_start: 7,
            mark_end: 19 + 40 + 20,
        };
        r().snippet(&mut s);
        assert!(!s.text.contains(&t), "{}", s.text);
        let marked: String = s
            .text
            .chars()
            .skip(s.mark_start as usize - 1)
            .take((s.mark_end - s.mark_start) as usize)
            .collect();
        assert!(
            marked.starts_with("git+https://ghp_…[redacted, 40 chars]@github.com"),
            "{marked}"
        );
        let mut plain = Snippet {
            text: "nothing here".into(),
            mark_start: 1,
            mark_end: 8,
        };
        r().snippet(&mut plain);
        assert_eq!(plain.text, "nothing here");
        assert_eq!((plain.mark_start, plain.mark_end), (1, 8));
    }
}
