//! Terraform's native HCL syntax read straight into [`Node`]s in one pass over the bytes (tree-sitter's HCL
//! grammar parses at about 2 MB/s; the IaC scanner needs far more). Every construct of the HCL native syntax
//! specification is recognised, so that each expression's end is known and a malformed file is refused with
//! the offset of its first error: blocks with labels (one-line blocks too), attributes, comments, quoted
//! templates with escapes, `${…}` and `%{…}`, heredocs (`<<EOT`, `<<-EOT`), tuples, objects, function calls,
//! `for` expressions, traversals, splats, operators and conditionals.
//!
//! Literals become values (strings without interpolation, numbers, `true`, `false`, `null`, tuples, objects with
//! literal keys, a negated number); every other expression stays a [`Value::Expr`] with its text, which a
//! [`super::hcl::Scope`] may resolve. Nested blocks sit under their type as a sequence, a `dynamic "x"` block's
//! `content` among the `x` blocks (tagged `dynamic`). Nesting is capped at [`MAX_DEPTH`], and an attribute
//! defined twice in one body is refused, as Terraform refuses both.

use super::hcl::{Block, HclFile};
use super::{plain_scalar, DocError, Node, Value, MAX_DEPTH};

/// Reads a Terraform file (`.tf`, `.tfvars`): its top-level blocks and attributes, references unresolved.
pub fn parse(src: &str) -> Result<HclFile, DocError> {
    let mut p = Parser {
        s: src.as_bytes(),
        src,
        i: usize::from(src.starts_with('\u{feff}')) * 3,
        depth: 0,
    };
    p.file()
}

type R<T> = Result<T, DocError>;

/// One item of a body.
enum Item {
    Attr(Node, Node),
    Block(Block),
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    depth: usize,
}

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

impl Parser<'_> {
    fn err<T>(&self, at: usize, message: &str) -> R<T> {
        Err(DocError::new(at, message))
    }

    fn peek(&self) -> u8 {
        self.at(0)
    }

    fn at(&self, k: usize) -> u8 {
        self.s.get(self.i + k).copied().unwrap_or(0)
    }

    fn eof(&self) -> bool {
        self.i >= self.s.len()
    }

    /// One level deeper, refused past [`MAX_DEPTH`] (the parser recurses once per level).
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(self.i, &format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn unknown(&self, start: usize, end: usize) -> Node {
        Node::new(
            Value::Expr(self.src[start..end].to_string()),
            start as u32,
            end as u32,
        )
    }

    /// Skips blanks and comments, and newlines too when `nl` (inside brackets, parentheses and templates).
    fn ws(&mut self, nl: bool) -> R<()> {
        loop {
            match self.peek() {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' if nl => self.i += 1,
                b'#' => self.line_comment(),
                b'/' if self.at(1) == b'/' => self.line_comment(),
                b'/' if self.at(1) == b'*' => match self.src[self.i + 2..].find("*/") {
                    Some(k) => self.i += k + 4,
                    None => return self.err(self.i, "comment not closed (`*/` missing)"),
                },
                _ => return Ok(()),
            }
        }
    }

    /// To the end of the line, leaving the newline (it ends an attribute).
    fn line_comment(&mut self) {
        self.i = match self.s[self.i..].iter().position(|&b| b == b'\n') {
            Some(k) => self.i + k,
            None => self.s.len(),
        };
    }

    fn ident(&mut self) -> Option<(usize, usize)> {
        let start = self.i;
        let b = self.peek();
        if !(b.is_ascii_alphabetic() || b == b'_' || b >= 0x80) {
            return None;
        }
        while ident_byte(self.peek()) {
            self.i += 1;
        }
        Some((start, self.i))
    }

    /// Consumes the word `k` when it is next and whole.
    fn keyword(&mut self, k: &str) -> bool {
        if self.src[self.i..].starts_with(k) && !ident_byte(self.at(k.len())) {
            self.i += k.len();
            return true;
        }
        false
    }

    fn expect(&mut self, b: u8, message: &str) -> R<()> {
        if self.peek() != b {
            return self.err(self.i, message);
        }
        self.i += 1;
        Ok(())
    }

    fn file(&mut self) -> R<HclFile> {
        let mut out = HclFile::default();
        let mut names = std::collections::HashSet::new();
        let src = self.src;
        loop {
            self.ws(true)?;
            if self.eof() {
                return Ok(out);
            }
            match self.item()? {
                Item::Attr(k, v) => {
                    if !names.insert(&src[k.start as usize..k.end as usize]) {
                        return self.err(k.start as usize, "attribute defined twice");
                    }
                    out.attributes
                        .push((k.as_str().unwrap_or_default().to_string(), v));
                }
                Item::Block(b) => out.blocks.push(b),
            }
            self.end_of_item(false)?;
        }
    }

    /// After an attribute or a block: a newline, the end of the file, or the `}` of a one-line block.
    fn end_of_item(&mut self, inside: bool) -> R<()> {
        self.ws(false)?;
        match self.peek() {
            b'\n' => {
                self.i += 1;
                Ok(())
            }
            b'}' if inside => Ok(()),
            _ if self.eof() => Ok(()),
            _ => self.err(self.i, "expected a newline after the attribute or block"),
        }
    }

    /// An attribute (`name = expr`) or a block (`type "label" label { … }`).
    fn item(&mut self) -> R<Item> {
        let start = self.i;
        let Some((a, b)) = self.ident() else {
            return self.err(start, "expected an attribute name or a block type");
        };
        self.ws(false)?;
        if self.peek() == b'=' && self.at(1) != b'=' {
            self.i += 1;
            self.ws(false)?;
            let value = self.expr(false)?;
            let key = Node::new(Value::Str(self.src[a..b].into()), a as u32, b as u32);
            return Ok(Item::Attr(key, value));
        }
        let mut labels = Vec::new();
        loop {
            match self.peek() {
                b'{' => break,
                b'"' => {
                    let at = self.i;
                    match self.quoted()?.value {
                        Value::Str(s) => labels.push(s.into_string()),
                        _ => return self.err(at, "a block label cannot interpolate"),
                    }
                }
                _ => match self.ident() {
                    Some((x, y)) => labels.push(self.src[x..y].to_string()),
                    None => return self.err(self.i, "expected `=`, a block label or `{`"),
                },
            }
            self.ws(false)?;
        }
        let header_end = self.i;
        let body = self.body()?;
        Ok(Item::Block(Block {
            kind: self.src[a..b].to_string(),
            labels,
            body,
            start: start as u32,
            header_end: header_end as u32,
        }))
    }

    /// A block body from its `{`: attributes by name, nested blocks as a sequence under their type.
    fn body(&mut self) -> R<Node> {
        let open = self.i;
        self.i += 1;
        self.enter()?;
        let mut entries: Vec<(Node, Node)> = Vec::new();
        // Which entries are nested blocks (their sequences grow), by name; the attributes' names.
        let mut blocks: Vec<(String, usize)> = Vec::new();
        let mut names = std::collections::HashSet::new();
        let src = self.src;
        loop {
            self.ws(true)?;
            if self.peek() == b'}' {
                self.i += 1;
                break;
            }
            if self.eof() {
                return self.err(open, "block not closed (`}` missing)");
            }
            match self.item()? {
                Item::Attr(k, v) => {
                    if !names.insert(&src[k.start as usize..k.end as usize]) {
                        return self.err(k.start as usize, "attribute defined twice");
                    }
                    entries.push((k, v));
                }
                Item::Block(b) => nest(&mut entries, &mut blocks, b),
            }
            self.end_of_item(true)?;
        }
        self.depth -= 1;
        Ok(Node::new(Value::Map(entries), open as u32, self.i as u32))
    }

    /// An expression; `nl` when newlines inside it are blanks (within brackets), not its end.
    fn expr(&mut self, nl: bool) -> R<Node> {
        self.enter()?;
        let start = self.i;
        let cond = self.binary(0, nl)?;
        let save = self.i;
        self.ws(nl)?;
        let out = if self.peek() == b'?' {
            self.i += 1;
            self.ws(nl)?;
            self.expr(nl)?;
            self.ws(nl)?;
            self.expect(b':', "expected `:` in the conditional")?;
            self.ws(nl)?;
            let otherwise = self.expr(nl)?;
            self.unknown(start, otherwise.end as usize)
        } else {
            self.i = save;
            cond
        };
        self.depth -= 1;
        Ok(out)
    }

    /// Binary operations by precedence climbing (left-associative, a loop per level).
    fn binary(&mut self, min: u8, nl: bool) -> R<Node> {
        let start = self.i;
        let mut left = self.unary(nl)?;
        loop {
            let save = self.i;
            self.ws(nl)?;
            let (len, prec) = match (self.peek(), self.at(1)) {
                (b'|', b'|') => (2, 1),
                (b'&', b'&') => (2, 2),
                (b'=', b'=') | (b'!', b'=') => (2, 3),
                (b'<' | b'>', b'=') => (2, 4),
                (b'<' | b'>', _) => (1, 4),
                (b'+' | b'-', _) => (1, 5),
                (b'*' | b'/' | b'%', _) => (1, 6),
                _ => (0, 0),
            };
            if len == 0 || prec < min {
                self.i = save;
                return Ok(left);
            }
            self.i += len;
            self.ws(nl)?;
            let right = self.binary(prec + 1, nl)?;
            left = self.unknown(start, right.end as usize);
        }
    }

    fn unary(&mut self, nl: bool) -> R<Node> {
        let start = self.i;
        let op = self.peek();
        if op != b'-' && op != b'!' {
            return self.postfix(nl);
        }
        self.i += 1;
        self.ws(nl)?;
        self.enter()?;
        let v = self.unary(nl)?;
        self.depth -= 1;
        let value = match (op, &v.value) {
            (b'-', Value::Int(n)) if v.tag.is_none() => n.checked_neg().map(Value::Int),
            (b'-', Value::Float(f)) => Some(Value::Float(-f)),
            _ => None,
        };
        Ok(match value {
            Some(value) => Node::new(value, start as u32, v.end),
            None => self.unknown(start, v.end as usize),
        })
    }

    /// A term with its attribute accesses, indexes and splats (`aws_instance.web[*].id`).
    fn postfix(&mut self, nl: bool) -> R<Node> {
        let start = self.i;
        let term = self.primary()?;
        let mut end = None;
        loop {
            let save = self.i;
            self.ws(nl)?;
            match self.peek() {
                // (`...` expands a call's last argument)
                b'.' if self.at(1) != b'.' => {
                    self.i += 1;
                    if self.peek() == b'*' {
                        self.i += 1;
                    } else if self.peek().is_ascii_digit() {
                        while self.peek().is_ascii_digit() {
                            self.i += 1;
                        }
                    } else if self.ident().is_none() {
                        return self.err(self.i, "expected an attribute name after `.`");
                    }
                }
                b'[' => {
                    self.i += 1;
                    self.ws(true)?;
                    if self.peek() == b'*' {
                        self.i += 1;
                    } else {
                        self.expr(true)?;
                    }
                    self.ws(true)?;
                    self.expect(b']', "expected `]` after the index")?;
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
            end = Some(self.i);
        }
        Ok(match end {
            Some(end) => self.unknown(start, end),
            None => term,
        })
    }

    fn primary(&mut self) -> R<Node> {
        let start = self.i;
        match self.peek() {
            b'"' => self.quoted(),
            b'<' if self.at(1) == b'<' => self.heredoc(),
            b'0'..=b'9' => Ok(self.number()),
            b'[' => self.tuple(),
            b'{' => self.object(),
            b'(' => {
                self.i += 1;
                self.ws(true)?;
                self.expr(true)?;
                self.ws(true)?;
                self.expect(b')', "expected `)`")?;
                Ok(self.unknown(start, self.i))
            }
            _ => {
                let Some((a, b)) = self.ident() else {
                    return self.err(start, "expected an expression");
                };
                // A function call, maybe namespaced (`provider::aws::arn_parse(…)`).
                let mut called = false;
                while self.peek() == b':' && self.at(1) == b':' {
                    self.i += 2;
                    if self.ident().is_none() {
                        return self.err(self.i, "expected a function name after `::`");
                    }
                    called = true;
                }
                let name_end = self.i;
                self.ws(false)?;
                if self.peek() == b'(' {
                    let args = self.arguments()?;
                    // `jsonencode({…})` of a literal is the JSON text Terraform makes of it (a policy).
                    if let ("jsonencode", [arg]) = (&self.src[a..name_end], args.as_slice()) {
                        if let Some(json) = to_json(arg) {
                            return Ok(Node::new(
                                Value::Str(json.into()),
                                start as u32,
                                self.i as u32,
                            ));
                        }
                    }
                    return Ok(self.unknown(start, self.i));
                }
                if called {
                    return self.err(self.i, "expected `(` after the function name");
                }
                self.i = name_end;
                let value = match &self.src[a..b] {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ => return Ok(self.unknown(a, b)),
                };
                Ok(Node::new(value, a as u32, b as u32))
            }
        }
    }

    /// `( … )` of a call: expressions, commas, a trailing comma or `...`.
    fn arguments(&mut self) -> R<Vec<Node>> {
        let open = self.i;
        self.i += 1;
        let mut args = Vec::new();
        while !self.closes(b')', open, "call")? {
            args.push(self.expr(true)?);
            self.ws(true)?;
            if self.src[self.i..].starts_with("...") {
                self.i += 3;
                self.ws(true)?;
            }
            match self.peek() {
                b',' => self.i += 1,
                b')' => {}
                _ if self.eof() => return self.err(open, "call not closed (`)` missing)"),
                _ => return self.err(self.i, "expected `,` or `)` in the call"),
            }
        }
        Ok(args)
    }

    fn number(&mut self) -> Node {
        let start = self.i;
        let digits = |p: &mut Self| {
            while p.peek().is_ascii_digit() {
                p.i += 1;
            }
        };
        digits(self);
        if self.peek() == b'.' && self.at(1).is_ascii_digit() {
            self.i += 1;
            digits(self);
        }
        if matches!(self.peek(), b'e' | b'E')
            && (self.at(1).is_ascii_digit()
                || (matches!(self.at(1), b'+' | b'-') && self.at(2).is_ascii_digit()))
        {
            self.i += 2;
            digits(self);
        }
        Node::new(
            plain_scalar(&self.src[start..self.i]),
            start as u32,
            self.i as u32,
        )
    }

    /// From a `[` or `{`: past it, and the whole `for` expression when one starts there.
    fn open_collection(&mut self, close: u8) -> R<Option<Node>> {
        let start = self.i;
        self.i += 1;
        self.ws(true)?;
        if !self.keyword("for") {
            return Ok(None);
        }
        self.for_rest(close)?;
        Ok(Some(self.unknown(start, self.i)))
    }

    /// Before the next item of a collection opened at `start`: whether its closing bracket is next (consumed).
    fn closes(&mut self, close: u8, start: usize, what: &str) -> R<bool> {
        self.ws(true)?;
        if self.peek() == close {
            self.i += 1;
            return Ok(true);
        }
        if self.eof() {
            let message = format!("{what} not closed (`{}` missing)", close as char);
            return self.err(start, &message);
        }
        Ok(false)
    }

    fn tuple(&mut self) -> R<Node> {
        let start = self.i;
        if let Some(f) = self.open_collection(b']')? {
            return Ok(f);
        }
        let mut items = Vec::new();
        while !self.closes(b']', start, "tuple")? {
            items.push(self.expr(true)?);
            self.ws(true)?;
            match self.peek() {
                b',' => self.i += 1,
                b']' => {}
                _ if self.eof() => return self.err(start, "tuple not closed (`]` missing)"),
                _ => return self.err(self.i, "expected `,` or `]` in the tuple"),
            }
        }
        Ok(Node::new(Value::Seq(items), start as u32, self.i as u32))
    }

    fn object(&mut self) -> R<Node> {
        let start = self.i;
        if let Some(f) = self.open_collection(b'}')? {
            return Ok(f);
        }
        let mut entries = Vec::new();
        let mut literal_keys = true;
        while !self.closes(b'}', start, "object")? {
            let key = self.object_key()?;
            literal_keys &= key.as_str().is_some();
            self.ws(false)?;
            match (self.peek(), self.at(1)) {
                (b'=', b) if b != b'=' && b != b'>' => self.i += 1,
                (b':', _) => self.i += 1,
                _ => return self.err(self.i, "expected `=` or `:` after the object key"),
            }
            self.ws(false)?;
            let value = self.expr(false)?;
            entries.push((key, value));
            self.ws(false)?;
            match self.peek() {
                b',' | b'\n' => self.i += 1,
                b'}' => {}
                _ if self.eof() => return self.err(start, "object not closed (`}` missing)"),
                _ => return self.err(self.i, "expected `,`, a newline or `}` in the object"),
            }
        }
        Ok(if literal_keys {
            Node::new(Value::Map(entries), start as u32, self.i as u32)
        } else {
            self.unknown(start, self.i)
        })
    }

    /// A bare name or a literal string is the key itself; any other expression is a key we cannot know.
    fn object_key(&mut self) -> R<Node> {
        let save = self.i;
        if let Some((a, b)) = self.ident() {
            self.ws(false)?;
            let next = (self.peek(), self.at(1));
            if matches!(next, (b':', _)) || (next.0 == b'=' && !matches!(next.1, b'=' | b'>')) {
                self.i = b;
                return Ok(Node::new(
                    Value::Str(self.src[a..b].into()),
                    a as u32,
                    b as u32,
                ));
            }
            self.i = save;
        }
        let key = self.expr(false)?;
        Ok(match key.value {
            Value::Str(_) if self.s[key.start as usize] == b'"' => key,
            _ => self.unknown(key.start as usize, key.end as usize),
        })
    }

    /// The rest of a `for` expression after `for`, through its closing bracket.
    fn for_rest(&mut self, close: u8) -> R<()> {
        self.enter()?;
        self.for_head()?;
        self.expect(b':', "expected `:` in the `for` expression")?;
        self.ws(true)?;
        self.expr(true)?;
        self.ws(true)?;
        if close == b'}' {
            if !self.src[self.i..].starts_with("=>") {
                return self.err(self.i, "expected `=>` in the `for` expression");
            }
            self.i += 2;
            self.ws(true)?;
            self.expr(true)?;
            self.ws(true)?;
            if self.src[self.i..].starts_with("...") {
                self.i += 3;
                self.ws(true)?;
            }
        }
        if self.keyword("if") {
            self.ws(true)?;
            self.expr(true)?;
            self.ws(true)?;
        }
        self.expect(close, "`for` expression not closed")?;
        self.depth -= 1;
        Ok(())
    }

    /// `k, v in collection` of a `for` (expression or template directive).
    fn for_head(&mut self) -> R<()> {
        self.ws(true)?;
        if self.ident().is_none() {
            return self.err(self.i, "expected a name after `for`");
        }
        self.ws(true)?;
        if self.peek() == b',' {
            self.i += 1;
            self.ws(true)?;
            if self.ident().is_none() {
                return self.err(self.i, "expected a second name after `,`");
            }
            self.ws(true)?;
        }
        if !self.keyword("in") {
            return self.err(self.i, "expected `in` in the `for`");
        }
        self.ws(true)?;
        self.expr(true)?;
        self.ws(true)
    }

    /// A quoted template: a literal string when nothing in it interpolates, else its text as an expression.
    fn quoted(&mut self) -> R<Node> {
        let start = self.i;
        self.i += 1;
        let mut literal = String::new();
        let mut interpolates = false;
        loop {
            let run = self.s[self.i..]
                .iter()
                .position(|&b| matches!(b, b'"' | b'\\' | b'\n' | b'$' | b'%'))
                .map_or(self.s.len(), |k| self.i + k);
            literal.push_str(&self.src[self.i..run]);
            self.i = run;
            match self.peek() {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => self.escape(&mut literal),
                b'$' | b'%' => self.template_mark(&mut literal, &mut interpolates)?,
                _ => return self.err(start, "string not closed (`\"` missing on its line)"),
            }
        }
        Ok(if interpolates {
            self.unknown(start, self.i)
        } else {
            Node::new(Value::Str(literal.into()), start as u32, self.i as u32)
        })
    }

    /// A backslash escape of a quoted template.
    fn escape(&mut self, literal: &mut String) {
        let hex = |p: &Self, n: usize| {
            p.src
                .get(p.i + 2..p.i + 2 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
        };
        let (c, len) = match self.at(1) {
            b'n' => (Some('\n'), 2),
            b't' => (Some('\t'), 2),
            b'r' => (Some('\r'), 2),
            b'u' => (hex(self, 4), 6),
            b'U' => (hex(self, 8), 10),
            _ => (None, 2),
        };
        match c {
            Some(c) => {
                literal.push(c);
                self.i += len;
            }
            None => {
                // `\"`, `\\` and anything else: the character itself.
                self.i += 1;
                if let Some(c) = self.src[self.i..].chars().next() {
                    literal.push(c);
                    self.i += c.len_utf8();
                }
            }
        }
    }

    /// At a `$` or `%` of a template: `${…}` / `%{…}`, the escapes `$${` / `%%{`, or the character itself.
    fn template_mark(&mut self, literal: &mut String, interpolates: &mut bool) -> R<()> {
        let mark = self.peek();
        if self.at(1) == mark && self.at(2) == b'{' {
            literal.push(mark as char);
            literal.push('{');
            self.i += 3;
        } else if self.at(1) == b'{' {
            *interpolates = true;
            self.interpolation()?;
        } else {
            literal.push(mark as char);
            self.i += 1;
        }
        Ok(())
    }

    /// `${ expr }` or `%{ directive }` from its mark, with the `~` strip markers.
    fn interpolation(&mut self) -> R<()> {
        let open = self.i;
        let directive = self.peek() == b'%';
        self.i += 2;
        self.enter()?;
        self.ws(true)?;
        if self.peek() == b'~' {
            self.i += 1;
            self.ws(true)?;
        }
        if directive {
            if self.keyword("if") {
                self.ws(true)?;
                self.expr(true)?;
            } else if self.keyword("for") {
                self.for_head()?;
            } else if !(self.keyword("else") || self.keyword("endif") || self.keyword("endfor")) {
                return self.err(self.i, "expected `if`, `for`, `else`, `endif` or `endfor`");
            }
        } else {
            self.expr(true)?;
        }
        self.ws(true)?;
        if self.peek() == b'~' {
            self.i += 1;
        }
        if self.peek() != b'}' {
            return self.err(open, "template interpolation not closed (`}` missing)");
        }
        self.i += 1;
        self.depth -= 1;
        Ok(())
    }

    /// `<<EOT` or `<<-EOT` through the line that holds only `EOT`.
    fn heredoc(&mut self) -> R<Node> {
        let start = self.i;
        self.i += 2;
        let indented = self.peek() == b'-';
        if indented {
            self.i += 1;
        }
        let Some((a, b)) = self.ident() else {
            return self.err(self.i, "expected the heredoc's marker after `<<`");
        };
        let src = self.src;
        let marker = &src[a..b];
        while self.peek() == b'\r' {
            self.i += 1;
        }
        self.expect(b'\n', "expected a newline after the heredoc's marker")?;
        let body_start = self.i;
        let mut interpolates = false;
        let mut scratch = String::new();
        let mut line_start = true;
        let body_end = loop {
            if self.eof() {
                return self.err(start, &format!("heredoc not closed (no line `{marker}`)"));
            }
            if line_start {
                let end = self.s[self.i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.s.len(), |k| self.i + k);
                if self.src[self.i..end].trim_matches([' ', '\t', '\r']) == marker {
                    let body_end = self.i;
                    self.i = end;
                    break body_end;
                }
            }
            let next = self.s[self.i..]
                .iter()
                .position(|&b| matches!(b, b'\n' | b'$' | b'%'))
                .map_or(self.s.len(), |k| self.i + k);
            self.i = next;
            match self.peek() {
                b'\n' => {
                    self.i += 1;
                    line_start = true;
                }
                b'$' | b'%' => {
                    line_start = false;
                    self.template_mark(&mut scratch, &mut interpolates)?;
                }
                _ => {}
            }
        };
        if interpolates {
            return Ok(self.unknown(start, self.i));
        }
        let body = &self.src[body_start..body_end];
        let body = body.strip_suffix('\n').unwrap_or(body);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let text = if indented {
            dedent(body)
        } else {
            body.to_string()
        };
        let text = text.replace("$${", "${").replace("%%{", "%{");
        Ok(Node::new(
            Value::Str(text.into()),
            start as u32,
            self.i as u32,
        ))
    }
}

/// A literal value as Terraform's `jsonencode` writes it: compact, object keys in lexical order; `None` when
/// any part of it is an expression.
fn to_json(n: &Node) -> Option<String> {
    let quote = |s: &str| serde_json::to_string(s).ok();
    Some(match &n.value {
        Value::Str(s) => quote(s)?,
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        Value::Seq(items) => {
            let items: Option<Vec<String>> = items.iter().map(to_json).collect();
            format!("[{}]", items?.join(","))
        }
        Value::Map(entries) => {
            let mut pairs: Vec<(&str, &Node)> = entries
                .iter()
                .map(|(k, v)| Some((k.as_str()?, v)))
                .collect::<Option<_>>()?;
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            let pairs: Option<Vec<String>> = pairs
                .into_iter()
                .map(|(k, v)| Some(format!("{}:{}", quote(k)?, to_json(v)?)))
                .collect();
            format!("{{{}}}", pairs?.join(","))
        }
        _ => return None,
    })
}

/// `<<-` heredoc lines without the indentation they all share.
fn dedent(body: &str) -> String {
    let indent = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    body.split('\n')
        .map(|l| {
            l.get(indent..)
                .unwrap_or_else(|| l.trim_start_matches([' ', '\t']))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A nested block into its body: under its type, in a sequence; a `dynamic "x"` block's `content` is an `x`
/// block whose number is unknown.
fn nest(entries: &mut Vec<(Node, Node)>, blocks: &mut Vec<(String, usize)>, b: Block) {
    let (start, end) = (b.start, b.body.end);
    let mut value = b.body;
    let mut name = b.kind;
    let mut tag = None;
    if let ("dynamic", Some(label)) = (name.as_str(), b.labels.first()) {
        if let Some(c) = value
            .get("content")
            .and_then(Node::as_seq)
            .and_then(|s| s.first())
        {
            value = c.clone();
        }
        name = label.clone();
        tag = Some("dynamic");
    }
    value.start = start;
    value.tag = tag.map(Into::into);
    if let Some(&(_, at)) = blocks.iter().find(|(n, _)| *n == name) {
        if let Value::Seq(items) = &mut entries[at].1.value {
            items.push(value);
            return;
        }
    }
    blocks.push((name.clone(), entries.len()));
    let key = Node::new(Value::Str(name.into()), start, start);
    entries.push((key, Node::new(Value::Seq(vec![value]), start, end)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> HclFile {
        parse(src).unwrap_or_else(|e| panic!("{src:?}: {e:?}"))
    }

    fn attr(src: &str) -> Node {
        let f = ok(&format!("a = {src}\n"));
        f.attributes
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no attribute"))
    }

    #[test]
    fn every_expression_form_parses_and_keeps_its_text() {
        for e in [
            "var.a",
            "aws_instance.web[*].id",
            "var.list.*.id",
            "a.0.b",
            "x[\"k\"][0]",
            "f(1, [2, 3], g(x)...)",
            "provider::aws::arn_parse(var.arn)",
            "var.a ? \"x\" : \"y\"",
            "!var.enabled",
            "1 + 2 * 3 - -4",
            "var.a == \"b\" && var.c != 1 || var.d >= 2",
            "[for s in var.list : upper(s) if s != \"\"]",
            "{for k, v in var.map : k => v... if v != null}",
            "(var.a)",
            "\"${var.a}-${f(\"}\")}\"",
            "\"%{if var.a}x%{else}y%{endif}\"",
            "\"%{for x in var.xs}${x},%{endfor}\"",
            "{ (var.key) = 1 }",
            "[\n  for s in var.list :\n  s\n]",
            "f(\n  1,\n  2,\n)",
        ] {
            let n = attr(e);
            assert_eq!(n.value, Value::Expr(e.to_string()), "{e}");
            assert_eq!((n.start, n.end), (4, 4 + e.len() as u32), "{e}");
        }
    }

    #[test]
    fn literals_become_values() {
        assert_eq!(
            attr("\"a\\n\\\"b\\u00e9\"").value,
            Value::Str("a\n\"bé".into())
        );
        assert_eq!(
            attr("\"$${x} %%{y} 100%\"").value,
            Value::Str("${x} %{y} 100%".into())
        );
        assert_eq!(attr("-22").value, Value::Int(-22));
        assert_eq!(attr("1.5e3").value, Value::Float(1500.0));
        assert_eq!(attr("true").value, Value::Bool(true));
        assert_eq!(attr("null").value, Value::Null);
        let t = attr("[1, \"x\",\n  false,\n]");
        assert_eq!(
            t.as_seq()
                .map(|s| s.iter().map(|n| n.value.clone()).collect::<Vec<_>>()),
            Some(vec![
                Value::Int(1),
                Value::Str("x".into()),
                Value::Bool(false)
            ])
        );
        let o = attr("{\n  Name = \"web\"\n  \"b\" : 2, c = var.x\n}");
        assert_eq!(o.get("Name").and_then(Node::as_str), Some("web"));
        assert_eq!(o.get("b").map(|n| &n.value), Some(&Value::Int(2)));
        assert!(o.get("c").is_some_and(Node::is_unknown));
        assert_eq!(
            attr("<<EOT\n{\"a\": 1}\nEOT").value,
            Value::Str("{\"a\": 1}".into())
        );
        assert_eq!(
            attr("<<-EOT\n    x\n      y\n    EOT").value,
            Value::Str("x\n  y".into())
        );
        assert_eq!(
            attr("jsonencode({\n  Version = \"2012-10-17\"\n  Statement = [{ Effect = \"Allow\", Action = \"*\" }]\n})").value,
            Value::Str(
                r#"{"Statement":[{"Action":"*","Effect":"Allow"}],"Version":"2012-10-17"}"#.into()
            )
        );
        assert!(attr("jsonencode({ Resource = aws_s3_bucket.b.arn })").is_unknown());
        let h = attr("<<EOT\nhost=${var.h}\nEOT");
        assert_eq!(h.value, Value::Expr("<<EOT\nhost=${var.h}\nEOT".into()));
    }

    #[test]
    fn blocks_one_line_blocks_comments_and_dynamic() {
        let src = "# top\nresource \"aws_security_group\" \"sg\" { # open\n  name = \"x\" // name\n  /* many\n lines */\n  ingress { from_port = 22 }\n  ingress {\n    from_port = 443\n  }\n  dynamic \"egress\" {\n    for_each = var.rules\n    content {\n      from_port = egress.value\n    }\n  }\n}\nlocals {}\nterraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n  }\n}";
        let f = ok(src);
        assert_eq!(f.blocks.len(), 3);
        let sg = &f.blocks[0];
        assert_eq!(
            sg.labels,
            vec!["aws_security_group".to_string(), "sg".into()]
        );
        assert_eq!(
            &src[sg.start as usize..sg.header_end as usize],
            "resource \"aws_security_group\" \"sg\" "
        );
        let ingress = sg
            .body
            .get("ingress")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        assert_eq!(ingress.len(), 2);
        assert_eq!(
            ingress[0].get("from_port").map(|n| &n.value),
            Some(&Value::Int(22))
        );
        assert_eq!(&src[ingress[1].start as usize..][..9], "ingress {");
        let egress = sg
            .body
            .get("egress")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        assert_eq!(egress[0].tag.as_deref(), Some("dynamic"));
        assert!(egress[0].get("from_port").is_some_and(Node::is_unknown));
        assert_eq!(f.blocks[1].kind, "locals");
    }

    #[test]
    fn malformed_files_are_refused_where_they_go_wrong() {
        for (src, at) in [
            ("resource \"a\" \"b\" {\n  acl = \n}\n", 27),
            ("resource \"a\" \"b\" {\n  x = 1\n", 17),
            ("a = \"open\n", 4),
            ("a = [1, 2\n", 4),
            ("a = 1 b = 2\n", 6),
            ("a = 1\na = 2\n", 6),
            ("a = <<EOT\nnever closed\n", 4),
            ("a = \"${var.x\"\n", 5),
            ("resource \"a\" \"${x}\" {}\n", 13),
            ("a = f(1 2)\n", 8),
            ("/* open\n", 0),
            ("a = { b = 1 c = 2 }\n", 12),
        ] {
            match parse(src) {
                Ok(f) => panic!("{src:?} parsed: {f:?}"),
                Err(e) => assert_eq!(e.offset, at, "{src:?}: {e:?}"),
            }
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_recursing_past_the_cap() {
        for open in ["[", "(", "{a=", "\"${", "-", "!"] {
            let src = format!("a = {}1\n", open.repeat(100_000));
            let e = parse(&src)
                .err()
                .unwrap_or_else(|| panic!("{open}: parsed"));
            assert!(e.message.contains("nesting deeper"), "{open}: {e:?}");
        }
        let blocks = format!("{}{}", "a {\n".repeat(100_000), "}\n".repeat(100_000));
        assert!(parse(&blocks).is_err());
    }
}
