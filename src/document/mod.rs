//! Structured documents as every reader of infrastructure-as-code sees them: YAML (every document of a
//! stream, with tags), JSON, HCL and Dockerfiles read into one tree of [`Node`]s that carry their byte range, so
//! that one evaluator serves every format and every finding points at the offending value.
//!
//! - [`yaml`]: YAML streams, read directly ([`yaml_block`]) where the text is the plain block YAML of IaC
//!   files, else from `saphyr-parser` events, with the limits of [`crate::yaml`] (aliases, depth,
//!   duplicate keys), merge keys, and tags kept (`!Ref`, `!Sub` of CloudFormation);
//! - [`json`]: JSON with positions, iterative (no native recursion), duplicate keys refused;
//! - [`hcl`]: Terraform's HCL from the shared tree-sitter parse, literals resolved, the rest kept as expressions;
//! - [`dockerfile`]: instructions, stages and the shell of `RUN` as commands.
//!
//! Each is a [`crate::source::Parse`], built once per file and shared.

pub mod dockerfile;
pub mod hcl;
pub mod hclsyntax;
pub mod json;
pub mod yaml;
pub mod yaml_block;

use thiserror::Error;

/// Deepest nesting accepted in any document (far above what honest files need).
pub const MAX_DEPTH: usize = 64;

/// One value of a document and the bytes it spans in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte offset where it starts.
    pub start: u32,
    /// Byte offset where it ends.
    pub end: u32,
    /// Its YAML tag (`!Ref`), when it has one other than the core schema's.
    pub tag: Option<Box<str>>,
}

/// A document string: short ones (most keys and values) are stored inline, without an allocation.
pub type Str = compact_str::CompactString;

/// The value of a [`Node`].
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string (kept inline up to 24 bytes, as most keys and values are).
    Str(Str),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<(Node, Node)>),
    /// An expression whose value the file does not tell (a Terraform reference or function call), as written.
    Expr(String),
}

impl Node {
    /// A node of `value` spanning `start..end`.
    pub fn new(value: Value, start: u32, end: u32) -> Node {
        Node {
            value,
            start,
            end,
            tag: None,
        }
    }

    /// The string, when the node is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, when the node is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items, when the node is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value under key `key`, when the node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node of entry `key`, when the node is a mapping that has it.
    pub fn key(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(k, _)| k)
    }

    fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.as_map()?.iter().find(|(k, _)| match &k.value {
            Value::Str(s) => s == key,
            _ => k.scalar_text().as_deref() == Some(key),
        })
    }

    /// A scalar as text (`true`, `8080`, the string itself); `None` for null, collections and expressions.
    pub fn scalar_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(f) => Some(Cow::Owned(f.to_string())),
            Value::Null | Value::Seq(_) | Value::Map(_) | Value::Expr(_) => None,
        }
    }

    /// Whether the file does not tell this value: an unresolved expression, a CloudFormation intrinsic
    /// function (`!Ref x`, `{"Fn::GetAtt": …}`), or a string that interpolates one (`"${var.x}"`).
    pub fn is_unknown(&self) -> bool {
        if matches!(self.value, Value::Expr(_)) {
            return true;
        }
        if self.tag.as_deref().is_some_and(|t| t.starts_with('!')) {
            return true;
        }
        match &self.value {
            Value::Map(m) if m.len() == 1 => m[0]
                .0
                .as_str()
                .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::")),
            _ => false,
        }
    }
}

/// A document that could not be read, with the byte offset of the problem.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{message}")]
pub struct DocError {
    /// Byte offset of the problem.
    pub offset: u32,
    /// What is wrong.
    pub message: String,
}

impl DocError {
    /// A problem at byte `offset`.
    pub fn new(offset: usize, message: impl Into<String>) -> DocError {
        DocError {
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
            message: message.into(),
        }
    }
}

/// Resolves a YAML 1.2 core-schema plain scalar: null, booleans, integers (decimal, `0x`, `0o`) and floats;
/// anything else (`0755`, `1_000`, `yes`) stays a string.
pub fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | "+.inf" | ".Inf" | "+.Inf" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if digits.len() > 1 && digits.starts_with('0') {
            return Value::Str(text.into());
        }
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
    }
    if let Some(h) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(h, 16) {
            return Value::Int(i);
        }
    }
    if let Some(o) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(o, 8) {
            return Value::Int(i);
        }
    }
    let float_like = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && !digits.starts_with(['e', 'E']);
    if float_like && (digits.contains('.') || digits.contains(['e', 'E'])) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.into())
}

/// A file's YAML documents, one of the shared parses ([`crate::source::Parse`]).
pub struct YamlDocs;

impl crate::source::Parse for YamlDocs {
    type Output = Result<Vec<Node>, DocError>;

    fn parse(file: &crate::source::SourceFile) -> Self::Output {
        yaml::parse_stream(&String::from_utf8_lossy(file.bytes()))
    }
}

/// A file's JSON value, one of the shared parses.
pub struct JsonDoc;

impl crate::source::Parse for JsonDoc {
    type Output = Result<Node, DocError>;

    fn parse(file: &crate::source::SourceFile) -> Self::Output {
        json::parse(&String::from_utf8_lossy(file.bytes()))
    }
}

/// A file's Dockerfile instructions, one of the shared parses.
pub struct DockerDoc;

impl crate::source::Parse for DockerDoc {
    type Output = dockerfile::Dockerfile;

    fn parse(file: &crate::source::SourceFile) -> Self::Output {
        dockerfile::parse(&String::from_utf8_lossy(file.bytes()))
    }
}

/// A Terraform file's blocks (HCL's native syntax, or Terraform's JSON syntax).
pub struct HclDoc;

impl crate::source::Parse for HclDoc {
    type Output = Result<hcl::HclFile, DocError>;

    fn parse(file: &crate::source::SourceFile) -> Self::Output {
        if file.path().ends_with(".json") {
            return match &*file.parse::<JsonDoc>() {
                Ok(doc) => Ok(hcl::from_json(doc)),
                Err(e) => Err(e.clone()),
            };
        }
        hclsyntax::parse(&String::from_utf8_lossy(file.bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        assert_eq!(plain_scalar("8080"), Value::Int(8080));
        assert_eq!(plain_scalar("-3"), Value::Int(-3));
        assert_eq!(plain_scalar("0x1f"), Value::Int(31));
        assert_eq!(plain_scalar("1.5"), Value::Float(1.5));
        assert_eq!(plain_scalar("true"), Value::Bool(true));
        assert_eq!(plain_scalar("~"), Value::Null);
        for s in ["0755", "1_000", "yes", "on", "1.2.3", "e5", "v1"] {
            assert_eq!(plain_scalar(s), Value::Str(s.into()), "{s}");
        }
    }
}
