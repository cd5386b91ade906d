//! Positions for parsers whose format parser keeps none or only byte offsets: a line index over the text
//! (byte offset → 1-based line in O(log n)), the line of a `toml` error, and a scanner that lists the object
//! keys of a JSON document with their paths and lines.

use crate::lockfile::package::LockfileError;

pub use super::lines::LineIndex;

/// A `toml` deserialisation error as a [`LockfileError`] naming the format, with the line when known.
pub fn toml_error(text: &str, format: &str, e: &toml::de::Error) -> LockfileError {
    LockfileError {
        line: e.span().map(|s| super::lines::line_of(text, s.start)),
        message: format!("invalid {format}: {}", e.message().trim()),
    }
}

/// A `serde_json` error as a [`LockfileError`] naming the format, with its line.
pub fn json_error(format: &str, e: &serde_json::Error) -> LockfileError {
    let line = u32::try_from(e.line()).ok().filter(|&l| l > 0);
    LockfileError {
        line,
        message: format!("invalid {format}: {e}"),
    }
}

/// One step of a JSON path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// Object member.
    Key(String),
    /// Array element.
    Index(usize),
}

/// An object key found by [`json_keys`]: the path of the object that holds it, the key, and its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonKey {
    /// Path from the root to the object holding the key.
    pub parent: Vec<Seg>,
    /// The key, unescaped.
    pub key: String,
    /// 1-based line of the key.
    pub line: u32,
}

enum Frame {
    Object { key: Option<String> },
    Array { index: usize },
}

/// Deepest nesting at which keys are reported: no lock format keeps packages below a few levels, and building
/// each key's parent path deeper would make a file nested 100,000 levels quadratic (`serde_json` skips
/// unknown values without a depth limit).
const MAX_KEY_DEPTH: usize = 32;

/// Every object key of `text` (which must already be valid JSON: call it after `serde_json` accepted the
/// text) whose parent path `want` accepts, in document order, down to [`MAX_KEY_DEPTH`] levels.
pub fn json_keys(text: &str, want: impl Fn(&[Seg]) -> bool) -> Vec<JsonKey> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line: u32 = 1;
    let mut i = 0;
    // In an object, the next string is a key when the previous token was `{` or `,`.
    let mut expect_key = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => line = line.saturating_add(1),
            b'{' => {
                stack.push(Frame::Object { key: None });
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { .. }) => expect_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                let raw = text
                    .get(start..=i.min(text.len().saturating_sub(1)))
                    .unwrap_or("");
                if expect_key && stack.len() > MAX_KEY_DEPTH {
                    expect_key = false;
                } else if expect_key {
                    let key = if raw.contains('\\') {
                        serde_json::from_str::<String>(raw).unwrap_or_default()
                    } else {
                        raw.trim_matches('"').to_string()
                    };
                    let parent: Vec<Seg> = stack
                        .iter()
                        .take(stack.len().saturating_sub(1))
                        .map(|outer| match outer {
                            Frame::Object { key } => Seg::Key(key.clone().unwrap_or_default()),
                            Frame::Array { index } => Seg::Index(*index),
                        })
                        .collect();
                    if want(&parent) {
                        out.push(JsonKey {
                            parent,
                            key: key.clone(),
                            line,
                        });
                    }
                    if let Some(Frame::Object { key: k }) = stack.last_mut() {
                        *k = Some(key);
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index() {
        let idx = LineIndex::new("a\nbb\n\nc");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(1), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.line(600), 4);
    }

    #[test]
    fn json_keys_with_paths() {
        let text =
            "{\n \"a\": {\"x\": 1,\n  \"y\\/z\": [ {\"n\": \"}\"}, {\"n\": 2} ]},\n \"b\": []\n}";
        let keys = json_keys(text, |_| true);
        let got: Vec<(Vec<Seg>, &str, u32)> = keys
            .iter()
            .map(|k| (k.parent.clone(), k.key.as_str(), k.line))
            .collect();
        let a = Seg::Key("a".into());
        let yz = Seg::Key("y/z".into());
        assert_eq!(
            got,
            vec![
                (vec![], "a", 2),
                (vec![a.clone()], "x", 2),
                (vec![a.clone()], "y/z", 3),
                (vec![a.clone(), yz.clone(), Seg::Index(0)], "n", 3),
                (vec![a, yz, Seg::Index(1)], "n", 3),
                (vec![], "b", 4),
            ]
        );
    }
}
