//! `mix.lock` (Elixir), an Elixir map literal: `%{"name": {:hex, :package, "1.2.3", "hash", [tools], [deps],
//! "hexpm", "hash"}, "other": {:git, "https://...", "commit", [branch: "main"]}}` (older files write
//! `"name" => {...}`).
//!
//! The terms are read by a small parser of the Elixir literal syntax (maps, tuples, lists, keyword lists,
//! strings, atoms, bare words, `#` comments), never evaluated. A `:hex` entry is the Hex package named by its
//! second element (which differs from the map key when the dependency is renamed), at the version of its
//! third. A `:git` entry records no version: it is reported with the commit as its version and a
//! `Source::Git` source. The file does not say which dependencies are direct.

use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};

/// Deepest nesting of maps, tuples and lists accepted.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Map(Vec<(Term, Term, u32)>),
    Tuple(Vec<Term>),
    List(Vec<Term>),
    Str(String),
    Atom(String),
    Bare(String),
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    line: u32,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'?' | b'!' | b'@' | b'-' | b'+')
}

impl Parser<'_> {
    fn err(&self, msg: &str) -> LockfileError {
        LockfileError::at(self.line, format!("invalid mix.lock: {msg}"))
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line = self.line.saturating_add(1);
        }
        Some(b)
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.bump();
            } else if b == b'#' {
                while let Some(c) = self.peek() {
                    if c == b'\n' {
                        break;
                    }
                    self.bump();
                }
            } else {
                break;
            }
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), LockfileError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.err(&format!("expected `{}`", c as char)))
        }
    }

    fn string(&mut self) -> Result<String, LockfileError> {
        self.bump(); // opening quote
        let mut out = Vec::new();
        loop {
            match self.bump() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => break,
                Some(b'\\') => match self.bump() {
                    None => return Err(self.err("unterminated string")),
                    Some(b'n') => out.push(b'\n'),
                    Some(b't') => out.push(b'\t'),
                    Some(c) => out.push(c),
                },
                Some(c) => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.err("string is not UTF-8"))
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(is_word) {
            self.bump();
        }
        String::from_utf8_lossy(self.s.get(start..self.pos).unwrap_or_default()).into_owned()
    }

    /// A keyword key (`name: ` or `"name": `) if one starts here; the position is restored otherwise.
    fn keyword_key(&mut self) -> Result<Option<String>, LockfileError> {
        self.skip_ws();
        let (pos, line) = (self.pos, self.line);
        let key = match self.peek() {
            Some(b'"') => self.string()?,
            Some(b) if is_word(b) => self.word(),
            _ => return Ok(None),
        };
        let colon = self.peek() == Some(b':');
        let then_space = self
            .s
            .get(self.pos + 1)
            .is_some_and(|b| b.is_ascii_whitespace());
        if colon && then_space && !key.is_empty() {
            self.bump();
            Ok(Some(key))
        } else {
            self.pos = pos;
            self.line = line;
            Ok(None)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Term, LockfileError> {
        if depth > MAX_DEPTH {
            return Err(self.err(&format!("nested deeper than {MAX_DEPTH}")));
        }
        self.skip_ws();
        match self.peek() {
            None => Err(self.err("unexpected end of file")),
            Some(b'%') => {
                self.bump();
                self.expect(b'{')?;
                let mut entries = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.bump();
                        break;
                    }
                    let line = self.line;
                    let key = match self.keyword_key()? {
                        Some(k) => Term::Str(k),
                        None => {
                            let k = self.value(depth + 1)?;
                            self.skip_ws();
                            if self.s.get(self.pos..self.pos + 2) != Some(b"=>".as_slice()) {
                                return Err(self.err("expected `=>` or `key:` in a map"));
                            }
                            self.bump();
                            self.bump();
                            k
                        }
                    };
                    let value = self.value(depth + 1)?;
                    entries.push((key, value, line));
                    if !self.separator(b'}')? {
                        break;
                    }
                }
                Ok(Term::Map(entries))
            }
            Some(b'{') => {
                self.bump();
                let items = self.items(b'}', depth)?;
                Ok(Term::Tuple(items))
            }
            Some(b'[') => {
                self.bump();
                let items = self.items(b']', depth)?;
                Ok(Term::List(items))
            }
            Some(b'"') => Ok(Term::Str(self.string()?)),
            Some(b':') => {
                self.bump();
                if self.peek() == Some(b'"') {
                    Ok(Term::Atom(self.string()?))
                } else {
                    let w = self.word();
                    if w.is_empty() {
                        return Err(self.err("empty atom"));
                    }
                    Ok(Term::Atom(w))
                }
            }
            Some(b) if is_word(b) => Ok(Term::Bare(self.word())),
            Some(b) => Err(self.err(&format!("unexpected `{}`", b as char))),
        }
    }

    /// After an item: `,` (then `true` unless the closer follows) or the closer (consumed, `false`).
    fn separator(&mut self, close: u8) -> Result<bool, LockfileError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.bump();
                self.skip_ws();
                if self.peek() == Some(close) {
                    self.bump();
                    return Ok(false);
                }
                Ok(true)
            }
            Some(c) if c == close => {
                self.bump();
                Ok(false)
            }
            _ => Err(self.err(&format!("expected `,` or `{}`", close as char))),
        }
    }

    fn items(&mut self, close: u8, depth: usize) -> Result<Vec<Term>, LockfileError> {
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(close) {
            self.bump();
            return Ok(items);
        }
        loop {
            let item = match self.keyword_key()? {
                Some(k) => Term::Tuple(vec![Term::Atom(k), self.value(depth + 1)?]),
                None => self.value(depth + 1)?,
            };
            items.push(item);
            if !self.separator(close)? {
                break;
            }
        }
        Ok(items)
    }
}

/// Parses a `mix.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let top = p.value(0)?;
    p.skip_ws();
    if p.peek().is_some() {
        return Err(p.err("unexpected text after the map"));
    }
    let Term::Map(entries) = top else {
        return Err(LockfileError::at(
            1,
            "invalid mix.lock: not a map (`%{...}`)",
        ));
    };
    let mut out = ParsedLockfile::default();
    for (key, value, line) in entries {
        let key = match key {
            Term::Str(k) | Term::Atom(k) | Term::Bare(k) => k,
            _ => {
                return Err(LockfileError::at(
                    line,
                    "invalid mix.lock: a key is not a name",
                ))
            }
        };
        let Term::Tuple(fields) = value else {
            return Err(LockfileError::at(
                line,
                format!("invalid mix.lock: `{key}` is not a tuple"),
            ));
        };
        let bad =
            |what: &str| LockfileError::at(line, format!("invalid mix.lock: `{key}`: {what}"));
        let (name, version, source) = match fields.as_slice() {
            [Term::Atom(kind), Term::Atom(package), Term::Str(version), ..] if kind == "hex" => {
                (package.clone(), version.clone(), Source::Registry)
            }
            [Term::Atom(kind), ..] if kind == "hex" => {
                return Err(bad(
                    "a :hex entry needs a package atom and a version string",
                ))
            }
            [Term::Atom(kind), Term::Str(url), Term::Str(rev), ..] if kind == "git" => (
                key.clone(),
                rev.clone(),
                Source::Git {
                    url: url.clone(),
                    rev: Some(rev.clone()),
                },
            ),
            [Term::Atom(kind), ..] if kind == "git" => {
                return Err(bad("a :git entry needs a URL and a revision"))
            }
            [Term::Atom(kind), ..] => {
                return Err(bad(&format!("unknown dependency kind `:{kind}`")))
            }
            _ => return Err(bad("the tuple does not start with a kind atom")),
        };
        if version.trim().is_empty() {
            return Err(bad("empty version"));
        }
        out.packages.push(Package {
            ecosystem: Ecosystem::Hex,
            name: Ecosystem::Hex.normalize(&name),
            version,
            direct: None,
            dev: false,
            optional: false,
            line,
            source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_line as summary;

    #[test]
    fn hex_git_and_renamed_entries() {
        let text = r#"%{
  "castore": {:hex, :castore, "1.0.5", "9eeebb394cc9a0f3ae56b813459f990abb0a3dedee1be6b27fdb50301930502f", [:mix], [], "hexpm", "8d7c597c3e4a64c395980882d4bca3cebb8d74197c590dc272cfd3b6a6310578"},
  "cowboy": {:hex, :cowboy, "2.10.0", "ff9ffeff91dae4ae270dd975642997afe2a1179d94b1887863e43f681a203e26", [:make, :rebar3], [{:cowlib, "2.12.1", [hex: :cowlib, repo: "hexpm", optional: false]}, {:ranch, "1.8.0", [hex: :ranch, repo: "hexpm", optional: false]}], "hexpm", "3afdccb7183cc6f143cb14d3cf51fa00e53db9ec80cdcd525482f5e99bc41d6b"},
  "my_json": {:hex, :jason, "1.4.1", "af1504e35f629ddcdd6addb3513c3853991f694921b1b9368b0bd32beb9f1b63", [:mix], [{:decimal, "~> 1.0 or ~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}], "hexpm", "fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"},
  "phoenix_live_view": {:git, "https://github.com/phoenixframework/phoenix_live_view.git", "2c0b3e8c5f0c1a9d7e4b6a3f2e1d0c9b8a7f6e5d", [branch: "main"]},
}
"#;
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("castore".into(), "1.0.5".into(), 2),
                ("cowboy".into(), "2.10.0".into(), 3),
                ("jason".into(), "1.4.1".into(), 4),
                (
                    "phoenix_live_view".into(),
                    "2c0b3e8c5f0c1a9d7e4b6a3f2e1d0c9b8a7f6e5d".into(),
                    5
                ),
            ]
        );
        assert!(p
            .packages
            .iter()
            .all(|p| p.ecosystem == Ecosystem::Hex && p.direct.is_none()));
        assert_eq!(
            p.packages[3].source,
            Source::Git {
                url: "https://github.com/phoenixframework/phoenix_live_view.git".into(),
                rev: Some("2c0b3e8c5f0c1a9d7e4b6a3f2e1d0c9b8a7f6e5d".into())
            }
        );
    }

    #[test]
    fn old_arrow_syntax_crlf_and_comments() {
        let text = "# comment\r\n%{\"plug\" => {:hex, :plug, \"1.3.0\"},\r\n  \"poison\" => {:hex, :poison, \"2.2.0\", \"abc\"}}\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("plug".into(), "1.3.0".into(), 2),
                ("poison".into(), "2.2.0".into(), 3)
            ]
        );
        assert!(parse("%{}").map(|p| p.packages.is_empty()).unwrap_or(false));
    }

    #[test]
    fn malformed_locks_are_errors() {
        let e = parse("%{\n  \"a\": {:hex, :a, \"1.0\", [:mix\n}\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.starts_with("invalid mix.lock"), "{e}");
        let e = parse("%{\n  \"a\": {:hex, :a}\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse("%{\n\n  \"a\": {:svn, \"x\"}\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("unknown dependency kind"), "{e}");
        assert_eq!(e.line, Some(3), "{e}");
        assert!(parse("[1, 2]").is_err());
        assert!(parse("%{\"a\": \"unterminated}").is_err());
        let deep = "%{\"a\": ".to_string() + &"[".repeat(200) + &"]".repeat(200) + "}";
        let e = parse(&deep).err().unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("nested deeper"), "{e}");
    }
}
