//! Regexes of rules: Semgrep writes them for PCRE. Most compile with `regex` (linear time); one that uses
//! look-around or a backreference, which `regex` refuses, compiles with `fancy-regex` instead, under a
//! backtracking limit: a regex that exceeds it finds nothing rather than hanging the scan.

use std::fmt;

/// Backtracking steps one `fancy-regex` search may take.
const BACKTRACK_LIMIT: usize = 100_000;

/// A compiled rule regex.
#[derive(Clone)]
pub enum Re {
    /// Compiled by `regex`.
    Fast(regex::Regex),
    /// Compiled by `fancy-regex` (look-around, backreferences).
    Fancy(fancy_regex::Regex),
}

impl fmt::Debug for Re {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Re({})", self.as_str())
    }
}

impl Re {
    /// Compiles `pattern`; `size_limit` bounds the compiled program of either engine. The error is the
    /// last line of the engine's message.
    pub fn new(pattern: &str, size_limit: usize) -> Result<Re, String> {
        let translated = from_pcre(pattern);
        let pattern = translated.as_str();
        match regex::RegexBuilder::new(pattern)
            .size_limit(size_limit)
            .build()
        {
            Ok(r) => Ok(Re::Fast(r)),
            Err(e) => {
                let message = e.to_string();
                let fancy_only =
                    message.contains("look-around") || message.contains("backreference");
                if !fancy_only {
                    return Err(message.lines().last().unwrap_or_default().to_string());
                }
                fancy_regex::RegexBuilder::new(pattern)
                    .backtrack_limit(BACKTRACK_LIMIT)
                    .delegate_size_limit(size_limit)
                    .build()
                    .map(Re::Fancy)
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        match self {
            Re::Fast(r) => r.as_str(),
            Re::Fancy(r) => r.as_str(),
        }
    }

    /// Whether the regex matches somewhere in `text` (a search that exceeds the backtracking limit does
    /// not).
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Re::Fast(r) => r.is_match(text),
            Re::Fancy(r) => r.is_match(text).unwrap_or(false),
        }
    }

    /// The byte ranges of the first `limit` non-overlapping matches in `text`.
    pub fn find_all(&self, text: &str, limit: usize) -> Vec<(usize, usize)> {
        match self {
            Re::Fast(r) => r
                .find_iter(text)
                .take(limit)
                .map(|m| (m.start(), m.end()))
                .collect(),
            Re::Fancy(r) => r
                .find_iter(text)
                .map_while(Result::ok)
                .take(limit)
                .map(|m| (m.start(), m.end()))
                .collect(),
        }
    }

    /// Where the regex first matches in `text`, as a byte range.
    pub fn find(&self, text: &str) -> Option<(usize, usize)> {
        self.find_all(text, 1).first().copied()
    }
}

/// Rewrites the PCRE escapes that mean something else, or nothing, to Rust's engines: `\<` and `\>` are
/// literal brackets in PCRE (word boundaries in `regex`), `\h` horizontal space, `\e` escape and `\Z` the end
/// or a final newline.
fn from_pcre(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('<' | '>')) => out.push(e),
                Some('h') if in_class => out.push_str("\\t\\p{Zs}"),
                Some('h') => out.push_str("[\\t\\p{Zs}]"),
                Some('e') => out.push_str("\\x1B"),
                Some('Z') if !in_class => out.push_str("(?:\\n?\\z)"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` first in a class (after an optional `^`) is a literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcre_escapes_keep_their_pcre_meaning() {
        let re = |p: &str| Re::new(p, 1 << 20).unwrap();
        assert!(re(r#"^[\"\'][\<\>\*\%]{1}[\"\']$"#).is_match("'<'"));
        assert!(re(r"a\<b").is_match("a<b"));
        assert!(re(r"a\hb").is_match("a\tb"));
        assert!(re(r"[\h]x").is_match(" x"));
        assert!(re(r"end\Z").is_match("the end\n"));
        assert!(!re(r"end\Z").is_match("end of it"));
        assert!(re(r"[]a]").is_match("]"));
        assert!(re(r"\\<").is_match("\\<"));
    }

    #[test]
    fn look_around_falls_back_and_plain_stays_fast() {
        let plain = Re::new(r"\bkey\b", 1 << 20).unwrap();
        assert!(matches!(plain, Re::Fast(_)));
        let look = Re::new(r"https?://(?!localhost)\w+", 1 << 20).unwrap();
        assert!(matches!(look, Re::Fancy(_)));
        assert!(look.is_match("get http://example"));
        assert!(!look.is_match("get http://localhost"));
        assert_eq!(
            look.find_all("http://a http://localhost http://b", 10)
                .len(),
            2
        );
        assert!(Re::new(r"(a", 1 << 20).is_err());
        // A pathological backtracking regex gives up instead of hanging.
        let evil = Re::new(r"^(a+)+(?=b)", 1 << 20).unwrap();
        assert!(!evil.is_match(&"a".repeat(40)));
    }
}
