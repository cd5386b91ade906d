//! A direct reader for the YAML that infrastructure files are written in: block mappings and sequences,
//! one-line plain and quoted scalars, literal and folded block scalars, one-line flow collections, comments,
//! `---` streams and application tags (`!Ref`, `!Sub`). It builds the same [`Node`] trees, with the same
//! byte ranges, as the event reader of [`super::yaml`] does, without its tokens and events: several times
//! faster, and IaC scans spend most of their time reading YAML.
//!
//! It reads only what it can read exactly. Anything else (anchors, aliases and merge keys, explicit keys,
//! directives, multi-line plain, quoted or flow scalars, tabs or carriage returns, control characters,
//! duplicate keys, nesting past [`MAX_DEPTH`] and every error) makes it decline with `None`, and the event
//! reader reads the file instead, with its limits and its messages. The two are compared on every YAML file
//! of the fixtures and on generated documents in the tests.

use super::{plain_scalar, Node, Str, Value, MAX_DEPTH};

/// The documents of `text`, or `None` when it is not in the subset this reader reads exactly.
pub fn parse_stream(text: &str) -> Option<Vec<Node>> {
    if !clean(text) {
        return None;
    }
    let mut r = Reader {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
    };
    r.stream()
}

/// Whether `text` has none of what this reader leaves to the event reader wholesale: control characters
/// (carriage returns included), C1 controls, a byte-order mark, the Unicode line and paragraph separators
/// and non-characters. Tabs are looked at where they stand.
fn clean(text: &str) -> bool {
    let ascii_ok = text
        .bytes()
        .all(|b| (b >= 0x20 && b != 0x7f) || b == b'\n' || b == b'\t' || b >= 0x80);
    if !ascii_ok {
        return false;
    }
    text.is_ascii()
        || !text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
            )
        })
}

/// What follows the current line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// The end of the text or a document marker (`---`, `...`) at `at`.
    End(usize),
    /// A content line: its first non-space byte and its indentation.
    Line(usize, usize),
}

/// Where a node stands, which decides what it may be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// At the start of its own line or after a tag: anything.
    Block,
    /// After `- ` on the entry's line: anything, a compact mapping or sequence included.
    Entry,
    /// After `key: ` on the key's line: a scalar or a flow collection only.
    Value,
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
}

fn pos(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl<'a> Reader<'a> {
    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(0)
    }

    /// Whether byte `i` ends a token: a space, a line break or the end of the text.
    fn blank_or_end(&self, i: usize) -> bool {
        matches!(self.at(i), b' ' | b'\n' | 0)
    }

    fn line_start(&self, i: usize) -> usize {
        self.s[..i]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
    }

    fn col(&self, i: usize) -> usize {
        i - self.line_start(i)
    }

    /// Whether a document marker starts at `i` (which begins a line).
    fn marker(&self, i: usize) -> bool {
        let m = &self.s[i..self.s.len().min(i + 3)];
        (m == b"---" || m == b"...") && self.blank_or_end(i + 3)
    }

    /// Skips spaces; `None` on a tab.
    fn spaces(&mut self) -> Option<()> {
        while self.at(self.i) == b' ' {
            self.i += 1;
        }
        (self.at(self.i) != b'\t').then_some(())
    }

    /// After a value on its line: only spaces and a comment may follow; moves to the line's end.
    fn end_of_line(&mut self) -> Option<()> {
        let before = self.i;
        self.spaces()?;
        match self.at(self.i) {
            b'\n' | 0 => Some(()),
            // A comment is separated from what precedes it on its line.
            b'#' if self.i == before
                && before > 0
                && !matches!(self.s[before - 1], b' ' | b'\n') =>
            {
                None
            }
            b'#' => {
                self.i = self.line_end(self.i);
                Some(())
            }
            _ => None,
        }
    }

    fn line_end(&self, i: usize) -> usize {
        self.s[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.s.len(), |p| i + p)
    }

    /// The next content line after the current one (blank and comment lines skipped), without moving.
    fn peek(&self) -> Option<Next> {
        let e = self.line_end(self.i);
        if e >= self.s.len() {
            return Some(Next::End(self.s.len()));
        }
        self.scan_from(e + 1)
    }

    /// The first content line from `i`, the start of a line, on.
    fn scan_from(&self, mut i: usize) -> Option<Next> {
        loop {
            let start = i;
            while self.at(i) == b' ' {
                i += 1;
            }
            match self.at(i) {
                b'\t' => return None,
                0 => return Some(Next::End(self.s.len())),
                b'\n' => i += 1,
                b'#' => {
                    i = self.line_end(i);
                    if i >= self.s.len() {
                        return Some(Next::End(self.s.len()));
                    }
                    i += 1;
                }
                _ if i == start && self.marker(i) => return Some(Next::End(i)),
                _ => return Some(Next::Line(i, i - start)),
            }
        }
    }

    fn stream(&mut self) -> Option<Vec<Node>> {
        let mut docs = Vec::new();
        // The current position is always at the end of a line (or at 0, before the first).
        let mut open = false;
        let mut next = self.scan_from(0)?;
        loop {
            match next {
                Next::End(at) if at >= self.s.len() => {
                    if open {
                        docs.push(Node::new(Value::Null, pos(at), pos(at)));
                    }
                    return Some(docs);
                }
                Next::End(at) => {
                    if self.s[at] == b'.' {
                        return None;
                    }
                    if open {
                        docs.push(Node::new(Value::Null, pos(at), pos(at + 3)));
                    }
                    open = true;
                    self.i = at + 3;
                    self.end_of_line()?;
                }
                Next::Line(at, _) => {
                    self.i = at;
                    let doc = self.node(-1, Ctx::Block)?;
                    docs.push(doc);
                    open = false;
                    match self.peek()? {
                        Next::End(_) => {}
                        Next::Line(..) => return None,
                    }
                }
            }
            next = self.peek()?;
        }
    }

    /// The node at the current position, in a collection indented `parent` (-1 at the top).
    fn node(&mut self, parent: isize, ctx: Ctx) -> Option<Node> {
        let start = self.i;
        match self.at(start) {
            b'!' => self.tagged(parent, ctx),
            b'&' | b'*' | b'?' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' | b'\t' => None,
            b'|' | b'>' => self.block_scalar(parent),
            b'[' | b'{' => {
                let n = self.flow_top()?;
                self.after_scalar_or_key(n, parent, ctx, start)
            }
            b'"' | b'\'' => {
                let n = self.quoted()?;
                self.after_scalar_or_key(n, parent, ctx, start)
            }
            b'-' if self.blank_or_end(start + 1) => {
                if ctx == Ctx::Value {
                    return None;
                }
                let col = self.col(start);
                // A sequence at its key's own indentation is "indentless".
                self.sequence(col, col as isize == parent)
            }
            b':' => None,
            _ => {
                let n = self.plain_block()?;
                self.after_scalar_or_key(n, parent, ctx, start)
            }
        }
    }

    /// A scalar or flow collection just read: a mapping's first key when `:` follows, else the node itself.
    fn after_scalar_or_key(
        &mut self,
        n: Node,
        parent: isize,
        ctx: Ctx,
        start: usize,
    ) -> Option<Node> {
        self.spaces()?;
        if self.at(self.i) == b':' && self.blank_or_end(self.i + 1) {
            if ctx == Ctx::Value || matches!(n.value, Value::Seq(_) | Value::Map(_)) {
                return None;
            }
            let col = self.col(start);
            if col as isize <= parent && ctx == Ctx::Block {
                return None;
            }
            return self.mapping(col, n);
        }
        self.end_of_line()?;
        Some(n)
    }

    /// `!Tag` and the node it is on.
    fn tagged(&mut self, parent: isize, ctx: Ctx) -> Option<Node> {
        let start = self.i;
        let mut j = start + 1;
        while matches!(self.at(j), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.') {
            j += 1;
        }
        if j == start + 1 || !self.blank_or_end(j) {
            return None;
        }
        let tag: Box<str> = self.text[start..j].into();
        self.i = j;
        self.spaces()?;
        let mut n = match self.at(self.i) {
            b'\n' | 0 | b'#' => {
                self.end_of_line()?;
                match self.peek()? {
                    Next::Line(at, indent)
                        if indent as isize > parent
                            || (indent as isize == parent
                                && ctx == Ctx::Value
                                && self.at(at) == b'-'
                                && self.blank_or_end(at + 1)) =>
                    {
                        self.i = at;
                        let n = self.node(parent, Ctx::Block)?;
                        if !matches!(n.value, Value::Seq(_) | Value::Map(_)) {
                            return None;
                        }
                        n
                    }
                    _ => Node::new(Value::Str(Str::default()), pos(start), pos(j)),
                }
            }
            b'!' | b'&' | b'*' => return None,
            b'|' | b'>' => self.block_scalar(parent)?,
            b'[' | b'{' => {
                let n = self.flow_top()?;
                self.end_of_line()?;
                n
            }
            b'"' | b'\'' => {
                let n = self.quoted()?;
                self.end_of_line()?;
                n
            }
            b'-' if self.blank_or_end(self.i + 1) => return None,
            b'?' | b':' | b'%' | b'@' | b'`' | b',' | b']' | b'}' => return None,
            _ => {
                let mut n = self.plain_block()?;
                self.spaces()?;
                if self.at(self.i) == b':' && self.blank_or_end(self.i + 1) {
                    return None;
                }
                self.end_of_line()?;
                // A tagged plain scalar is the text as written.
                n.value = Value::Str(self.text[n.start as usize..n.end as usize].into());
                n
            }
        };
        n.start = pos(start);
        n.tag = Some(tag);
        Some(n)
    }

    /// A plain scalar in block context, on one line: up to ` #`, `: ` or the line's end.
    fn plain_block(&mut self) -> Option<Node> {
        let start = self.i;
        let mut j = start;
        let mut end = start;
        loop {
            match self.at(j) {
                b'\n' | 0 => break,
                b'\t' => return None,
                b' ' => {
                    if self.at(j + 1) == b'#' {
                        break;
                    }
                }
                b':' if self.blank_or_end(j + 1) => break,
                _ => end = j + 1,
            }
            j += 1;
        }
        if end == start {
            return None;
        }
        self.i = end;
        let text = &self.text[start..end];
        Some(Node::new(plain_scalar(text), pos(start), pos(end)))
    }

    /// A quoted scalar that closes on its line.
    fn quoted(&mut self) -> Option<Node> {
        let start = self.i;
        let q = self.at(start);
        let mut out = String::new();
        let mut j = start + 1;
        let mut run = j;
        loop {
            match self.at(j) {
                b'\n' => return None,
                0 => return None,
                b'\'' if q == b'\'' => {
                    out.push_str(&self.text[run..j]);
                    if self.at(j + 1) == b'\'' {
                        out.push('\'');
                        j += 2;
                        run = j;
                        continue;
                    }
                    break;
                }
                b'"' if q == b'"' => {
                    out.push_str(&self.text[run..j]);
                    break;
                }
                b'\\' if q == b'"' => {
                    out.push_str(&self.text[run..j]);
                    j = self.escape(j, &mut out)?;
                    run = j;
                    continue;
                }
                _ => {}
            }
            j += 1;
        }
        self.i = j + 1;
        // What may follow a closing quote on its line.
        if !matches!(
            self.at(self.i),
            b' ' | b'\n' | 0 | b':' | b',' | b']' | b'}'
        ) {
            return None;
        }
        // The event reader's span takes in the spaces and the comment that follow.
        self.spaces()?;
        if self.at(self.i) == b'#' {
            self.i = self.line_end(self.i);
        }
        Some(Node::new(Value::Str(out.into()), pos(start), pos(self.i)))
    }

    /// One escape of a double-quoted scalar at `j` (the backslash); the position after it.
    fn escape(&self, j: usize, out: &mut String) -> Option<usize> {
        let c = match self.at(j + 1) {
            b'\\' => '\\',
            b'"' => '"',
            b'/' => '/',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'0' => '\0',
            b' ' => ' ',
            b'x' | b'u' | b'U' => {
                let len = match self.at(j + 1) {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = self.text.get(j + 2..j + 2 + len)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                out.push(c);
                return Some(j + 2 + len);
            }
            _ => return None,
        };
        out.push(c);
        Some(j + 2)
    }

    /// A flow collection at the top of its line's value; it closes on the line.
    fn flow_top(&mut self) -> Option<Node> {
        self.enter()?;
        let n = self.flow();
        self.depth -= 1;
        n
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < MAX_DEPTH).then_some(())
    }

    /// `[…]` or `{…}` at the current position.
    fn flow(&mut self) -> Option<Node> {
        let start = self.i;
        let map = self.at(start) == b'{';
        let close = if map { b'}' } else { b']' };
        self.i += 1;
        let mut items = Vec::new();
        let mut entries: Vec<(Node, Node)> = Vec::new();
        loop {
            self.spaces()?;
            if self.at(self.i) == close {
                self.i += 1;
                // An empty collection ends, for the event reader, after the spaces and comment that follow.
                let mut after = self.i;
                while self.at(after) == b' ' {
                    after += 1;
                }
                if self.at(after) == b'#' {
                    after = self.line_end(after);
                }
                let n = if map {
                    let stop = entries.last().map_or(pos(after), |(_, v)| v.end);
                    check_keys(&entries)?;
                    Node::new(Value::Map(entries), pos(start), stop)
                } else {
                    let stop = items.last().map_or(pos(after), |n: &Node| n.end);
                    Node::new(Value::Seq(items), pos(start), stop)
                };
                return Some(n);
            }
            if (map && !entries.is_empty()) || (!map && !items.is_empty()) {
                if self.at(self.i) != b',' {
                    return None;
                }
                self.i += 1;
                self.spaces()?;
                if self.at(self.i) == close {
                    continue;
                }
            }
            let item = self.flow_item()?;
            self.spaces()?;
            let colon = self.at(self.i) == b':';
            if map {
                if !colon || !matches!(self.at(self.i + 1), b' ') {
                    return None;
                }
                self.i += 1;
                self.spaces()?;
                if matches!(self.at(self.i), b',' | b'}') {
                    return None;
                }
                let value = self.flow_item()?;
                if matches!(item.value, Value::Seq(_) | Value::Map(_)) {
                    return None;
                }
                entries.push((item, value));
            } else {
                if colon {
                    return None;
                }
                items.push(item);
            }
        }
    }

    /// One item of a flow collection: a nested collection or a scalar.
    fn flow_item(&mut self) -> Option<Node> {
        match self.at(self.i) {
            b'[' | b'{' => {
                self.enter()?;
                let n = self.flow();
                self.depth -= 1;
                n
            }
            b'"' | b'\'' => self.quoted(),
            b'!' | b'&' | b'*' | b'?' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' | b'|'
            | b'>' | b'\n' | 0 => None,
            b'-' | b':' if self.blank_or_end(self.i + 1) => None,
            _ => {
                let start = self.i;
                let mut j = start;
                let mut end = start;
                loop {
                    match self.at(j) {
                        b'\n' | 0 | b',' | b'[' | b']' | b'{' | b'}' => break,
                        b'\t' => return None,
                        b' ' => {
                            if self.at(j + 1) == b'#' {
                                return None;
                            }
                        }
                        b':' if matches!(self.at(j + 1), b' ' | b'\n' | 0 | b',' | b']' | b'}') => {
                            break
                        }
                        _ => end = j + 1,
                    }
                    j += 1;
                }
                if end == start {
                    return None;
                }
                self.i = end;
                Some(Node::new(
                    plain_scalar(&self.text[start..end]),
                    pos(start),
                    pos(end),
                ))
            }
        }
    }

    /// A block mapping indented `m` whose first key has been read.
    fn mapping(&mut self, m: usize, first: Node) -> Option<Node> {
        self.enter()?;
        let start = first.start;
        let mut entries = Vec::new();
        let mut key = first;
        loop {
            // At the `:` after the key.
            if matches!(key.value, Value::Str(ref s) if s == "<<") {
                return None;
            }
            let colon = self.i;
            self.i += 1;
            self.spaces()?;
            let value = match self.at(self.i) {
                b'\n' | 0 | b'#' => {
                    self.end_of_line()?;
                    match self.peek()? {
                        Next::Line(at, n)
                            if n > m
                                || (n == m && self.at(at) == b'-' && self.blank_or_end(at + 1)) =>
                        {
                            self.i = at;
                            self.node(m as isize, Ctx::Block)?
                        }
                        _ => Node::new(Value::Null, pos(colon), pos(colon)),
                    }
                }
                _ => self.node(m as isize, Ctx::Value)?,
            };
            entries.push((key, value));
            match self.peek()? {
                Next::Line(at, n) if n == m => {
                    if self.at(at) == b'-' && self.blank_or_end(at + 1) {
                        // The next entry of the sequence this mapping is an item of, or an error.
                        break;
                    }
                    self.i = at;
                    key = match self.at(at) {
                        b'"' | b'\'' => self.quoted()?,
                        b'!' | b'&' | b'*' | b'?' | b'%' | b'@' | b'`' | b',' | b'[' | b']'
                        | b'{' | b'}' | b'|' | b'>' | b':' => return None,
                        b'-' if self.blank_or_end(at + 1) => return None,
                        _ => self.plain_block()?,
                    };
                    self.spaces()?;
                    if self.at(self.i) != b':' || !self.blank_or_end(self.i + 1) {
                        return None;
                    }
                    if self.i - at > 1024 {
                        return None;
                    }
                }
                Next::Line(_, n) if n > m => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        check_keys(&entries)?;
        let stop = entries.last().map_or(start, |(_, v): &(Node, Node)| v.end);
        Some(Node::new(Value::Map(entries), start, stop.max(start)))
    }

    /// A block sequence whose `-` entries are indented `m`; the current position is at the first `-`. The
    /// event reader starts an indentless one, and an empty entry, after the `-` and its spaces.
    fn sequence(&mut self, m: usize, indentless: bool) -> Option<Node> {
        self.enter()?;
        let mut start = pos(self.i);
        let mut items = Vec::new();
        loop {
            self.i += 1;
            self.spaces()?;
            // Where the event reader puts the entry: after the `-`, its spaces and a comment.
            let after = if self.at(self.i) == b'#' {
                self.line_end(self.i)
            } else {
                self.i
            };
            if indentless && items.is_empty() {
                start = pos(after);
            }
            let item = match self.at(self.i) {
                b'\n' | 0 | b'#' => {
                    self.end_of_line()?;
                    match self.peek()? {
                        Next::Line(at, n) if n > m => {
                            self.i = at;
                            self.node(m as isize, Ctx::Block)?
                        }
                        _ => Node::new(Value::Null, pos(after), pos(after)),
                    }
                }
                _ => self.node(m as isize, Ctx::Entry)?,
            };
            items.push(item);
            match self.peek()? {
                Next::Line(at, n) if n == m && self.at(at) == b'-' && self.blank_or_end(at + 1) => {
                    self.i = at;
                }
                Next::Line(_, n) if n > m => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        let stop = items.last().map_or(start, |n: &Node| n.end);
        Some(Node::new(Value::Seq(items), start, stop.max(start)))
    }

    /// A literal (`|`) or folded (`>`) block scalar at the current position, in a collection indented
    /// `parent`.
    fn block_scalar(&mut self, parent: isize) -> Option<Node> {
        let start = self.i;
        let literal = self.at(start) == b'|';
        let mut j = start + 1;
        // Chomping: 0 clip, 1 strip, 2 keep; and an explicit indentation.
        let mut chomp = 0;
        let mut increment = 0usize;
        for _ in 0..2 {
            match self.at(j) {
                b'-' if chomp == 0 => chomp = 1,
                b'+' if chomp == 0 => chomp = 2,
                b'1'..=b'9' if increment == 0 => increment = (self.at(j) - b'0') as usize,
                _ => break,
            }
            j += 1;
        }
        self.i = j;
        if !matches!(self.at(j), b' ' | b'\n' | 0) {
            return None;
        }
        self.end_of_line()?;
        // The content lines: their indentation, explicit or that of the first non-empty line.
        let mut i = (self.i + 1).min(self.s.len());
        let floor = (parent + 1).max(0) as usize;
        let indent = if increment > 0 {
            if parent >= 0 {
                parent as usize + increment
            } else {
                increment
            }
        } else {
            // Leading empty lines may not be longer than the first content line's indentation.
            let mut k = i;
            let mut longest = 0;
            loop {
                let ls = k;
                while self.at(k) == b' ' {
                    k += 1;
                }
                match self.at(k) {
                    b'\n' => {
                        longest = longest.max(k - ls);
                        k += 1;
                    }
                    b'\t' => return None,
                    0 => break longest.max(k - ls).max(floor),
                    _ => {
                        if longest > k - ls {
                            return None;
                        }
                        break (k - ls).max(floor);
                    }
                }
            }
        };
        let mut out = String::new();
        // Empty lines since the last content line (or since the header), and whether one was read.
        let mut breaks = 0usize;
        let mut any = false;
        let mut leading_blank = false;
        let mut ls;
        // The event reader's span starts where the content does, after the leading empty lines.
        let mut first = None;
        let end = loop {
            ls = i;
            while i - ls < indent && self.at(i) == b' ' {
                i += 1;
            }
            match self.at(i) {
                0 => break i,
                b'\n' => {
                    breaks += 1;
                    i += 1;
                    continue;
                }
                b'\t' if i - ls < indent => return None,
                _ if i - ls < indent || (indent == 0 && self.marker(i)) => {
                    first.get_or_insert(i);
                    break i;
                }
                _ => {}
            }
            first.get_or_insert(i);
            // A content line.
            let blank = matches!(self.at(i), b' ' | b'\t');
            if any && !literal && !leading_blank && !blank {
                if breaks == 0 {
                    out.push(' ');
                }
                out.extend(std::iter::repeat_n('\n', breaks));
            } else {
                out.extend(std::iter::repeat_n('\n', breaks + usize::from(any)));
            }
            let stop = self.line_end(i);
            out.push_str(&self.text[i..stop]);
            any = true;
            leading_blank = blank;
            breaks = 0;
            i = stop;
            if i >= self.s.len() {
                break i;
            }
            i += 1;
        };
        match chomp {
            1 => {}
            2 => out.extend(std::iter::repeat_n('\n', breaks + usize::from(any))),
            _ if any => out.push('\n'),
            _ => {}
        }
        // The reader goes on from the end of the line before the one that ended the scalar.
        self.i = if end >= self.s.len() {
            self.s.len()
        } else {
            ls.saturating_sub(1).max(self.i)
        };
        Some(Node::new(
            Value::Str(out.into()),
            pos(first.unwrap_or(start)),
            pos(end),
        ))
    }
}

/// Whether no two keys of a mapping are the same scalar (the event reader refuses duplicates, with its
/// message).
fn check_keys(entries: &[(Node, Node)]) -> Option<()> {
    if entries.len() < 2 {
        return Some(());
    }
    if entries.len() <= 16 {
        for (i, (a, _)) in entries.iter().enumerate() {
            let Some(ta) = a.scalar_text() else { continue };
            for (b, _) in &entries[..i] {
                if b.scalar_text().is_some_and(|tb| tb == ta) {
                    return None;
                }
            }
        }
        return Some(());
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    for (k, _) in entries {
        if let Some(t) = k.scalar_text() {
            if !seen.insert(t) {
                return None;
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::yaml::parse_events;

    /// Where two trees first differ, as a path and the two nodes' headers.
    fn difference(a: &Node, b: &Node, at: &str) -> Option<String> {
        let head = |n: &Node| {
            let v = match &n.value {
                Value::Seq(s) => format!("seq({})", s.len()),
                Value::Map(m) => format!("map({})", m.len()),
                v => format!("{v:?}"),
            };
            format!("{v} {}..{} {:?}", n.start, n.end, n.tag)
        };
        match (&a.value, &b.value) {
            (Value::Seq(x), Value::Seq(y)) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    if let Some(d) = difference(p, q, &format!("{at}[{i}]")) {
                        return Some(d);
                    }
                }
            }
            (Value::Map(x), Value::Map(y)) if x.len() == y.len() => {
                for (i, ((k1, v1), (k2, v2))) in x.iter().zip(y).enumerate() {
                    if let Some(d) = difference(k1, k2, &format!("{at}.key{i}")) {
                        return Some(d);
                    }
                    let name = k1.scalar_text().unwrap_or_default().into_owned();
                    if let Some(d) = difference(v1, v2, &format!("{at}.{name}")) {
                        return Some(d);
                    }
                }
            }
            _ => {}
        }
        (head(a) != head(b) || a != b)
            .then(|| format!("{at}: direct {} / events {}", head(a), head(b)))
    }

    fn differ(f: &[Node], s: &[Node]) -> Option<String> {
        if f.len() != s.len() {
            return Some(format!("{} documents / {}", f.len(), s.len()));
        }
        f.iter()
            .zip(s)
            .enumerate()
            .find_map(|(i, (a, b))| difference(a, b, &format!("doc{i}")))
    }

    /// The direct reader gives exactly the event reader's documents.
    fn same(text: &str) {
        let fast = parse_stream(text);
        let slow = parse_events(text);
        match (&fast, &slow) {
            (Some(f), Ok(s)) => assert!(f == s, "{text:?}: {:?}", differ(f, s)),
            (Some(f), Err(e)) => panic!("{text:?}: read {f:?}, the event reader says {e}"),
            (None, _) => panic!("{text:?}: declined"),
        }
    }

    fn declined(text: &str) {
        assert_eq!(parse_stream(text), None, "{text:?}");
    }

    #[test]
    fn block_structure_as_the_event_reader_reads_it() {
        for t in [
            "",
            "# only a comment\n",
            "a: 1\n",
            "a: 1\nb: two words\nc: 'q''s'\nd: \"x\\ty\\u00e9\"\n",
            "a:\n  b:\n    c: 1\n  d: [1, two, \"3\"]\ne: {x: 1, y: {z: []}}\n",
            "a:\n- 1\n- b: 2\n  c: 3\n-\n- - x\n  - y\nd: end\n",
            "- a\n-   b: 1\n    c:\n    d: 2\n- \n",
            "key:   # comment\n  # inside\n  value\nnext: ~\nempty:\n",
            "url: http://example.com:80/a#b\nimage: nginx:1.27 # pinned\nhash: a#b\n",
            "n: 0755\nf: 1.5\nb: true\nx: 0x1f\ns: -1\nflag: --verbose\n",
            "80: http\n'8080': quoted\n\"k\": v\n",
            "a: 1\n---\nb: 2\n---\n",
            "---\n---\na: 1\n",
            "--- # first\nkind: Pod\n",
            "top\n",
            "  indented: 1\n  map: 2\n",
            "r: !Ref Bucket\ns: !Sub 'x-${Env}'\ng: !GetAtt A.Arn\ni: !If\n  - c\n  - a\n  - b\nj: !Join ['', [a, b]]\ne: !Ref\nk: !Sub |\n  text ${X}\n",
            "- !Ref A\n- !GetAZs ''\n",
            "m: !If\n- c\n- d\nn: 1\n",
            "lit: |\n  line 1\n    more\n\n  line 3\nnext: 1\n",
            "strip: |-\n  a\n\nkeep: |+\n  b\n\n\nclip: |\n  c\n",
            "fold: >\n  one\n  two\n\n  three\n    indented\n  four\nafter: x\n",
            "fold2: >-\n  a\n  b\n",
            "ind: |2\n   three spaces\n  two\n",
            "seq:\n  - |\n    in a sequence\n  - >\n    folded\n    text\n",
            "deep:\n  inner: |\n    x\n  # comment after\n  other: 1\n",
            "eof: |\n  no newline",
            "eoffold: >\n  a\n  b",
            "empty: |\nnext: 1\n",
            "trailing: |\n  x\n\n",
            "a: [ ]\nb: { }\nc: [a, [b, c], {d: e}]\n",
            "uni: caf\u{e9} \u{2603}\nk\u{e9}y: v\n",
            "run: echo \"${{ github.event.issue.title }}\"\n",
            "a: x\n\n\n# trailing comment\n",
            "spaced   : value\n",
        ] {
            same(t);
        }
    }

    #[test]
    fn what_it_does_not_read_exactly_is_declined() {
        for t in [
            "a: &x 1\nb: *x\n",
            "base: &b {x: 1}\nm:\n  <<: *b\n",
            "? complex\n: value\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\r\nb: 2\r\n",
            "a:\n\tb: 1\n",
            "a: b: c\n",
            "a: 1\na: 2\n",
            "plain: one\n  two\n",
            "q: \"open\n  close\"\n",
            "f: [1,\n  2]\n",
            "a: 1\n...\n",
            "\u{feff}a: 1\n",
            "a: !!str 1\n",
            "- a: 1\n - b\n",
            "[a: b]\n",
            "a: [x]#not a comment\n",
        ] {
            declined(t);
            // The event reader reads the same text as before.
            let _ = parse_events(t);
        }
        let deep = format!(
            "{}x: 1\n",
            (0..70)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
        );
        declined(&deep);
    }

    /// A small deterministic generator of block YAML: nested mappings and sequences with every scalar style,
    /// tags, flow collections, block scalars, comments, blank lines and indentation widths.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        fn scalar(&mut self) -> String {
            const WORDS: &[&str] = &[
                "a",
                "web",
                "8080",
                "0755",
                "1.5",
                "true",
                "null",
                "~",
                "-1",
                "x y",
                "nginx:1.27",
                "http://h/p#f",
                "a#b",
                "${{ x }}",
                "caf\u{e9}",
                "-",
                "--flag",
                "[x]",
                "{y}",
                "a,b",
            ];
            let w = WORDS[self.next(WORDS.len() as u64) as usize];
            match self.next(6) {
                0 => format!("'{}'", w.replace('\'', "''")),
                1 => format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\"")),
                2 if !w.starts_with(['[', '{', '-', '~', '$']) => format!("!Ref {w}"),
                _ if w.starts_with(['[', '{']) || w == "-" => format!("'{w}'"),
                _ => w.to_string(),
            }
        }

        fn flow(&mut self, depth: u32) -> String {
            let map = self.next(2) == 0;
            let items: Vec<String> = (0..self.next(4))
                .map(|i| {
                    let v = if depth < 2 && self.next(4) == 0 {
                        self.flow(depth + 1)
                    } else {
                        ["v", "'q'", "1", "\"d\"", "a b", "x:y"][self.next(6) as usize].to_string()
                    };
                    if map {
                        format!("f{i}: {v}")
                    } else {
                        v
                    }
                })
                .collect();
            if map {
                format!("{{{}}}", items.join(", "))
            } else {
                format!("[{}]", items.join(", "))
            }
        }

        fn block_scalar(&mut self, indent: usize) -> String {
            let head = ["|", ">", "|-", ">+", "|+", ">-"][self.next(6) as usize];
            let mut out = format!("{head}\n");
            let extra = self.next(2) as usize;
            let mut started = false;
            for _ in 0..1 + self.next(4) {
                let kind = self.next(5);
                started |= kind > 1;
                match kind {
                    0 => out.push('\n'),
                    // The first content line sets the indentation.
                    1 if started => out.push_str(&format!(
                        "{}  more {}\n",
                        " ".repeat(indent + extra),
                        self.next(9)
                    )),
                    _ => out.push_str(&format!(
                        "{}line {}\n",
                        " ".repeat(indent + extra),
                        self.next(9)
                    )),
                }
            }
            out.push_str(&format!("{}end\n", " ".repeat(indent + extra)));
            out
        }

        /// A value after `key:` or `- `, for a collection whose children are indented `indent`.
        fn value(&mut self, indent: usize, depth: u32) -> String {
            match self.next(if depth > 3 { 4 } else { 8 }) {
                0 => {
                    let v = self.scalar();
                    format!("{v}{}\n", [" # c", "  ", ""][self.next(3) as usize])
                }
                1 => {
                    let v = self.flow(0);
                    format!("{v}{}\n", [" # c", " ", ""][self.next(3) as usize])
                }
                2 => self.block_scalar(indent),
                3 => "\n".to_string(),
                4 | 5 => format!("\n{}", self.map(indent, depth + 1)),
                _ => format!("\n{}", self.seq(indent, depth + 1)),
            }
        }

        fn map(&mut self, indent: usize, depth: u32) -> String {
            let mut out = String::new();
            let step = 1 + self.next(3) as usize;
            for i in 0..1 + self.next(4) {
                if self.next(6) == 0 {
                    out.push_str(&format!("{}# note\n\n", " ".repeat(self.next(5) as usize)));
                }
                let key = match self.next(5) {
                    0 => format!("'q k{i}'"),
                    1 => format!("\"d{i}\""),
                    2 => format!("8{i}"),
                    3 => format!("a b{i}"),
                    _ => format!("k{i}"),
                };
                out.push_str(&format!("{}{key}:", " ".repeat(indent)));
                // A sequence under a key may stand at the key's own indentation.
                if depth < 4 && self.next(6) == 0 {
                    out.push('\n');
                    out.push_str(&self.seq(indent, depth + 1));
                    continue;
                }
                let v = self.value(indent + step, depth);
                if !v.starts_with('\n') {
                    out.push_str([" ", "   "][self.next(2) as usize]);
                } else if self.next(5) == 0 {
                    out.push_str(" # c");
                }
                out.push_str(&v);
            }
            out
        }

        fn seq(&mut self, indent: usize, depth: u32) -> String {
            let mut out = String::new();
            for _ in 0..1 + self.next(4) {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                if depth < 4 && self.next(4) == 0 {
                    // A compact mapping on the entry's line.
                    let pad = 1 + self.next(2) as usize;
                    let m = self.map(indent + 1 + pad, depth + 1);
                    out.push_str(&" ".repeat(pad));
                    out.push_str(m.trim_start_matches(' '));
                    continue;
                }
                let v = self.value(indent + 2, depth);
                if !v.starts_with('\n') {
                    out.push(' ');
                }
                out.push_str(&v);
            }
            out
        }
    }

    #[test]
    fn agrees_with_the_event_reader_on_generated_documents() {
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        let (mut read, mut ok, total) = (0usize, 0usize, 4000usize);
        for _ in 0..total {
            let mut text = String::new();
            for d in 0..1 + g.next(2) {
                if d > 0 || g.next(3) == 0 {
                    text.push_str("---\n");
                }
                text.push_str(&if g.next(4) == 0 {
                    g.seq(0, 0)
                } else {
                    g.map(0, 0)
                });
            }
            let fast = parse_stream(&text);
            let slow = parse_events(&text);
            match (&fast, &slow) {
                (Some(f), Ok(s)) => {
                    read += 1;
                    assert!(f == s, "{:?}\n{text}", differ(f, s));
                }
                (Some(_), Err(e)) => panic!("read, but the event reader says {e}:\n{text}"),
                (None, Ok(_)) => ok += 1,
                (None, Err(_)) => {}
            }
        }
        println!("read {read}, declined {ok} the events read");
        assert!(read * 10 >= total * 8, "read {read} of {total}");
    }

    /// Every YAML file of the fixtures, the real-world tree and the shared lock files: where the direct
    /// reader reads one, it reads what the event reader does; and it reads most of them.
    #[test]
    fn agrees_with_the_event_reader_on_real_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.join("fixtures"),
            root.join("rules"),
            root.join(".github"),
        ];
        let shared = root.join("../shared");
        if shared.is_dir() {
            dirs.push(shared.join("realworld"));
            dirs.push(shared.join("lockfiles"));
        } else {
            println!("../shared is absent: fixtures only");
        }
        let (mut read, mut all) = (0usize, 0usize);
        let mut stack = dirs;
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p.to_string_lossy();
                if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                    continue;
                }
                let Ok(bytes) = std::fs::read(&p) else {
                    continue;
                };
                let text = String::from_utf8_lossy(&bytes);
                all += 1;
                if let Some(fast) = parse_stream(&text) {
                    read += 1;
                    match parse_events(&text) {
                        Ok(slow) => assert!(fast == slow, "{name}: {:?}", differ(&fast, &slow)),
                        Err(e) => panic!("{name}: read, but the event reader says {e}"),
                    }
                }
            }
        }
        println!("direct reader: {read} of {all} YAML files");
        assert!(all > 50 && read * 10 >= all * 7, "{read} of {all}");
    }
}
