//! YAML as every reader of it sees it: one set of resource limits (aliases, nesting, budgets that grow with the
//! input) and a generic tree with the line and column of every node, for readers that report problems at a
//! place in the file (rule files now; IaC documents next). Lock-file parsers deserialise straight into their
//! own types with the same limits.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::options::AliasLimits;
use serde_saphyr::{Budget, Options, Spanned};
use std::fmt;
use thiserror::Error;

/// Deepest nesting of block or flow collections accepted.
pub const MAX_DEPTH: usize = 64;
/// Most alias (`*name`) uses accepted in one file.
pub const MAX_ALIASES: usize = 1_000;
/// Most events that alias expansion may replay in one file.
pub const MAX_REPLAYED_EVENTS: usize = 100_000;

/// The options every YAML reader uses for an input of `len` bytes: aliases tightly limited (a "billion laughs"
/// file fails fast), nesting capped far above what honest files need (a deep file fails before it can exhaust
/// the stack), node and event budgets proportional to the input (a large honest file is never refused).
pub fn options(len: usize) -> Options {
    let mut options = Options::default();
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ALIASES;
    budget.max_recorded_anchor_events = MAX_REPLAYED_EVENTS;
    budget.max_nodes = budget.max_nodes.max(len);
    budget.max_events = budget.max_events.max(len.saturating_mul(4));
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(len);
    options.budget = Some(budget);
    let mut aliases = AliasLimits::default();
    aliases.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    aliases.max_replay_stack_depth = 16;
    aliases.max_alias_expansions_per_anchor = MAX_ALIASES;
    options.alias_limits = aliases;
    // One-line messages: the caller reports the place; no rendered source snippet.
    options.with_snippet = false;
    options
}

/// A YAML document that could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{message}")]
pub struct YamlError {
    /// 1-based line, when the parser knows it.
    pub line: Option<u32>,
    /// 1-based column, when the parser knows it.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
}

/// One node of a document, with the 1-based line and column where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

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
    /// A string (plain, quoted or block scalar).
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order (duplicate keys are refused by the parser).
    Map(Vec<(Node, Node)>),
}

impl Node {
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

    /// The value under string key `key`, when the node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// What kind of value this is, for messages (`a string`, `a mapping`).
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        let s = Spanned::<Value>::deserialize(d)?;
        Ok(Node {
            value: s.value,
            line: u32::try_from(s.referenced.line()).unwrap_or(u32::MAX),
            column: u32::try_from(s.referenced.column()).unwrap_or(u32::MAX),
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<Node, Node>()? {
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}

/// [`options`], with YAML 1.2's core schema for untyped scalars: only `true`/`false` are booleans (`on`, `yes`,
/// `n` stay strings, as a GitHub workflow's `on:` key must), and numbers spelt with leading zeros or
/// underscores stay strings (`0755`, `1_000`).
fn tree_options(len: usize) -> Options {
    let mut o = options(len);
    o.strict_booleans = true;
    o.leading_zero_numbers_as_strings = true;
    o.underscored_numbers_as_strings = true;
    o
}

/// Reads one YAML document into a [`Node`] tree, under [`tree_options`].
pub fn parse(text: &str) -> Result<Node, YamlError> {
    serde_saphyr::from_str_with_options::<Node>(text, tree_options(text.len())).map_err(|e| {
        let loc = e.location();
        YamlError {
            line: loc
                .and_then(|l| u32::try_from(l.line()).ok())
                .filter(|&l| l > 0),
            column: loc
                .and_then(|l| u32::try_from(l.column()).ok())
                .filter(|&c| c > 0),
            message: e.to_string(),
        }
    })
}

/// A "billion laughs" document: eight levels of ten aliases each (10^8 nodes if expanded), for tests of
/// every YAML reader's alias limits.
#[cfg(test)]
pub(crate) fn alias_bomb() -> String {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    bomb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_carry_their_places() {
        let doc = parse("rules:\n  - id: a\n    languages: [python, go]\n    count: 3\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let rule = &doc.get("rules").and_then(Node::as_seq).unwrap_or_default()[0];
        assert_eq!((rule.line, rule.column), (2, 5));
        let id = rule.get("id").unwrap_or_else(|| panic!("no id"));
        assert_eq!((id.as_str(), id.line, id.column), (Some("a"), 2, 9));
        let langs = rule
            .get("languages")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        assert_eq!(
            (langs[1].as_str(), langs[1].line, langs[1].column),
            (Some("go"), 3, 25)
        );
        assert_eq!(rule.get("count").map(|n| &n.value), Some(&Value::Int(3)));
        let keys: Vec<(Option<&str>, u32)> = rule
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|(k, _)| (k.as_str(), k.line))
            .collect();
        assert_eq!(
            keys,
            [(Some("id"), 2), (Some("languages"), 3), (Some("count"), 4)]
        );
    }

    #[test]
    fn scalars_follow_the_yaml_1_2_core_schema() {
        let doc = parse("on: push\nn: yes\nmode: 0755\nbig: 1_000\nok: true\nport: 8080\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let entries: Vec<(Option<&str>, &Value)> = doc
            .as_map()
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.as_str(), &v.value))
            .collect();
        assert_eq!(
            entries,
            [
                (Some("on"), &Value::Str("push".into())),
                (Some("n"), &Value::Str("yes".into())),
                (Some("mode"), &Value::Str("0755".into())),
                (Some("big"), &Value::Str("1_000".into())),
                (Some("ok"), &Value::Bool(true)),
                (Some("port"), &Value::Int(8080)),
            ]
        );
    }

    #[test]
    fn hostile_documents_fail_with_a_place() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&deep).is_err());
        let bomb = crate::yaml::alias_bomb();
        assert!(parse(&bomb).is_err());
        let e = parse("a: 1\na: 2\n")
            .err()
            .unwrap_or_else(|| panic!("duplicate keys accepted"));
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse("a: [1, 2\n")
            .err()
            .unwrap_or_else(|| panic!("unclosed flow accepted"));
        assert!(e.line.is_some(), "{e}");
    }
}
