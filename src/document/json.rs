//! JSON (RFC 8259) as a [`Node`] tree with byte positions: an explicit stack (no native recursion), nesting
//! capped at [`MAX_DEPTH`], duplicate keys refused, one error with its offset for anything else.

use super::{DocError, Node, Value, MAX_DEPTH};
use std::collections::HashSet;

enum Frame {
    Arr(u32, Vec<Node>),
    Obj(u32, Vec<(Node, Node)>, Option<Node>, HashSet<super::Str>),
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn err(&self, msg: &str) -> DocError {
        DocError::new(self.i, format!("invalid JSON: {msg}"))
    }

    fn string(&mut self) -> Result<String, DocError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while self.i < self.b.len()
                && !matches!(self.b[self.i], b'"' | b'\\')
                && self.b[self.i] >= 0x20
            {
                self.i += 1;
            }
            out.push_str(&String::from_utf8_lossy(&self.b[start..self.i]));
            match self.b.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let c = self.b.get(self.i + 1).copied();
                    self.i += 2;
                    match c {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hex = |c: &Cursor<'_>, at: usize| {
                                c.b.get(at..at + 4)
                                    .and_then(|h| std::str::from_utf8(h).ok())
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                            };
                            let Some(mut cp) = hex(self, self.i) else {
                                return Err(self.err("bad \\u escape"));
                            };
                            self.i += 4;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                if let Some(lo) = hex(self, self.i + 2) {
                                    if (0xDC00..0xE000).contains(&lo) {
                                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                        self.i += 6;
                                    }
                                }
                            }
                            out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                        }
                        _ => return Err(self.err("bad escape")),
                    }
                }
                _ => return Err(self.err("unterminated string")),
            }
        }
    }

    fn scalar(&mut self) -> Result<Node, DocError> {
        let start = self.i;
        let value = match self.b.get(self.i) {
            Some(b'"') => Value::Str(self.string()?.into()),
            Some(b't') if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                Value::Bool(true)
            }
            Some(b'f') if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                Value::Bool(false)
            }
            Some(b'n') if self.b[self.i..].starts_with(b"null") => {
                self.i += 4;
                Value::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                while self.i < self.b.len()
                    && matches!(
                        self.b[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or("");
                if let Ok(i) = text.parse::<i64>() {
                    Value::Int(i)
                } else if let Ok(f) = text.parse::<f64>() {
                    Value::Float(f)
                } else {
                    return Err(DocError::new(start, "invalid JSON: bad number"));
                }
            }
            Some(_) => return Err(self.err("unexpected character")),
            None => return Err(self.err("unexpected end of input")),
        };
        Ok(Node::new(value, pos(start), pos(self.i)))
    }
}

fn pos(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Reads one JSON value (a UTF-8 byte-order mark first is allowed).
pub fn parse(text: &str) -> Result<Node, DocError> {
    let mut c = Cursor {
        b: text.as_bytes(),
        i: 0,
    };
    if c.b.starts_with("\u{feff}".as_bytes()) {
        c.i = 3;
    }
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        c.ws();
        // Close, or read the next value of the innermost container.
        let done: Node = match c.b.get(c.i) {
            Some(b'[' | b'{') => {
                if stack.len() >= MAX_DEPTH {
                    return Err(c.err(&format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let start = pos(c.i);
                let obj = c.b[c.i] == b'{';
                c.i += 1;
                stack.push(if obj {
                    Frame::Obj(start, Vec::new(), None, HashSet::new())
                } else {
                    Frame::Arr(start, Vec::new())
                });
                c.ws();
                match (obj, c.b.get(c.i)) {
                    (false, Some(b']')) | (true, Some(b'}')) => {}
                    (true, Some(b'"')) | (false, Some(_)) => continue,
                    (true, _) => return Err(c.err("expected a key")),
                    (false, None) => return Err(c.err("unexpected end of input")),
                }
                c.i += 1;
                match stack.pop() {
                    Some(Frame::Obj(s, ..)) => Node::new(Value::Map(Vec::new()), s, pos(c.i)),
                    Some(Frame::Arr(s, _)) => Node::new(Value::Seq(Vec::new()), s, pos(c.i)),
                    None => return Err(c.err("unbalanced")),
                }
            }
            _ => c.scalar()?,
        };
        let mut done = Some(done);
        // Attach the value, closing every container it completes.
        while let Some(node) = done.take() {
            match stack.last_mut() {
                None => {
                    c.ws();
                    if c.i < c.b.len() {
                        return Err(c.err("trailing characters after the value"));
                    }
                    return Ok(node);
                }
                Some(Frame::Obj(_, entries, key, seen)) => {
                    let Some(k) = key.take() else {
                        let Value::Str(name) = &node.value else {
                            return Err(DocError::new(
                                node.start as usize,
                                "invalid JSON: keys are strings",
                            ));
                        };
                        if !seen.insert(name.clone()) {
                            return Err(DocError::new(
                                node.start as usize,
                                format!("duplicate key `{name}`"),
                            ));
                        }
                        c.ws();
                        if c.b.get(c.i) != Some(&b':') {
                            return Err(c.err("expected `:`"));
                        }
                        c.i += 1;
                        *key = Some(node);
                        break;
                    };
                    entries.push((k, node));
                    c.ws();
                    match c.b.get(c.i) {
                        Some(b',') => {
                            c.i += 1;
                            c.ws();
                            if c.b.get(c.i) != Some(&b'"') {
                                return Err(c.err("expected a key"));
                            }
                        }
                        Some(b'}') => {
                            c.i += 1;
                            if let Some(Frame::Obj(s, entries, ..)) = stack.pop() {
                                done = Some(Node::new(Value::Map(entries), s, pos(c.i)));
                            }
                        }
                        _ => return Err(c.err("expected `,` or `}`")),
                    }
                }
                Some(Frame::Arr(_, items)) => {
                    items.push(node);
                    c.ws();
                    match c.b.get(c.i) {
                        Some(b',') => c.i += 1,
                        Some(b']') => {
                            c.i += 1;
                            if let Some(Frame::Arr(s, items)) = stack.pop() {
                                done = Some(Node::new(Value::Seq(items), s, pos(c.i)));
                            }
                        }
                        _ => return Err(c.err("expected `,` or `]`")),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_positions() {
        let text = r#"{"a": [1, 2.5, "x\u00e9"], "b": {"c": true, "d": null}, "e": {}}"#;
        let n = parse(text).unwrap_or_else(|e| panic!("{e}"));
        let a = n.get("a").and_then(Node::as_seq).unwrap_or_default();
        assert_eq!(a[0].value, Value::Int(1));
        assert_eq!(a[1].value, Value::Float(2.5));
        assert_eq!(a[2].as_str(), Some("xé"));
        assert_eq!(
            &text[a[2].start as usize..a[2].end as usize],
            r#""x\u00e9""#
        );
        let c = n.get("b").and_then(|b| b.get("c"));
        assert_eq!(c.map(|c| &c.value), Some(&Value::Bool(true)));
        assert_eq!(n.get("e").map(|e| &e.value), Some(&Value::Map(Vec::new())));
    }

    #[test]
    fn bad_json_fails_with_an_offset() {
        for (text, at) in [
            (r#"{"a": 1, "a": 2}"#, 9),
            (r#"{"a": 1,}"#, 8),
            ("[1, 2", 5),
            ("{\"a\" 1}", 5),
            ("[1] x", 4),
        ] {
            let e = parse(text)
                .err()
                .unwrap_or_else(|| panic!("{text} accepted"));
            assert_eq!(e.offset, at, "{text}: {e}");
        }
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
        assert!(parse("[[[]]]").is_ok());
    }
}
