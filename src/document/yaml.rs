//! Every document of a YAML stream as [`Node`] trees, from `saphyr-parser` events with an explicit stack:
//! nesting capped at [`MAX_DEPTH`], aliases expanded within a node budget that grows with the input (an alias
//! bomb fails fast), duplicate keys refused, merge keys (`<<: *base`) applied, application tags kept on the
//! node (`!Ref`, `!Sub`, `!GetAtt` of CloudFormation are read, not rejected).

use super::{plain_scalar, DocError, Node, Value, MAX_DEPTH};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::{HashMap, HashSet};

/// Most alias uses accepted in one file.
pub const MAX_ALIASES: usize = crate::yaml::MAX_ALIASES;

enum Frame {
    Seq {
        start: u32,
        anchor: usize,
        tag: Option<Box<str>>,
        items: Vec<Node>,
        size: usize,
    },
    Map {
        start: u32,
        anchor: usize,
        tag: Option<Box<str>>,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        size: usize,
    },
}

/// Char index → byte offset, for inputs that are not all ASCII.
struct Offsets(Option<Vec<u32>>);

impl Offsets {
    fn new(text: &str) -> Offsets {
        if text.is_ascii() {
            return Offsets(None);
        }
        let mut v: Vec<u32> = text
            .char_indices()
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        v.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        Offsets(Some(v))
    }

    fn at(&self, char_index: usize) -> u32 {
        match &self.0 {
            None => u32::try_from(char_index).unwrap_or(u32::MAX),
            Some(v) => v.get(char_index).or(v.last()).copied().unwrap_or(u32::MAX),
        }
    }
}

fn tag_text(tag: &Option<std::borrow::Cow<'_, Tag>>) -> Option<String> {
    tag.as_ref().map(|t| format!("{}{}", t.handle, t.suffix))
}

/// Reads every document of `text` (a stream of `---`-separated documents; an empty document is `Null`): with
/// the direct reader of [`super::yaml_block`] where it reads the text exactly, else from parser events.
pub fn parse_stream(text: &str) -> Result<Vec<Node>, DocError> {
    match super::yaml_block::parse_stream(text) {
        Some(docs) => Ok(docs),
        None => parse_events(text),
    }
}

/// [`parse_stream`] from `saphyr-parser` events: every YAML the parser reads, with the alias, depth and
/// duplicate-key limits, and its messages for what it does not read.
pub fn parse_events(text: &str) -> Result<Vec<Node>, DocError> {
    let offsets = Offsets::new(text);
    let budget = text.len().saturating_mul(4).max(100_000);
    let mut nodes = 0usize;
    let mut aliases = 0usize;
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut root: Option<(Node, usize)> = None;
    let pos = |span: &Span| offsets.at(span.start.index());
    let end = |span: &Span| offsets.at(span.end.index());
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            DocError::new(
                offsets.at(e.marker().index()) as usize,
                format!("invalid YAML: {}", e.info()),
            )
        })?;
        let (done, size, anchor) = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                root = None;
                anchors.clear();
                continue;
            }
            Event::DocumentEnd => {
                docs.push(
                    root.take()
                        .map(|(n, _)| n)
                        .unwrap_or_else(|| Node::new(Value::Null, pos(&span), pos(&span))),
                );
                continue;
            }
            Event::Alias(id) => {
                aliases += 1;
                let Some((n, size)) = anchors.get(&id) else {
                    return Err(DocError::new(
                        pos(&span) as usize,
                        "alias of an unknown anchor",
                    ));
                };
                if aliases > MAX_ALIASES || nodes.saturating_add(*size) > budget {
                    return Err(DocError::new(
                        pos(&span) as usize,
                        "aliases expand beyond the limit (an alias bomb?)",
                    ));
                }
                nodes += size;
                (n.clone(), *size, 0)
            }
            Event::Scalar(value, style, anchor, tag) => {
                nodes += 1;
                let tag = tag_text(&tag);
                let v = match (style, tag.as_deref()) {
                    (_, Some("tag:yaml.org,2002:str" | "!!str")) => {
                        Value::Str(value.as_ref().into())
                    }
                    (ScalarStyle::Plain, None) => plain_scalar(&value),
                    (ScalarStyle::Plain, Some(t)) if t.starts_with("tag:yaml.org,2002:") => {
                        plain_scalar(&value)
                    }
                    _ => Value::Str(value.as_ref().into()),
                };
                let mut n = Node::new(v, pos(&span), end(&span));
                n.tag = app_tag(tag);
                (n, 1, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                push_frame(
                    &mut stack,
                    Frame::Seq {
                        start: pos(&span),
                        anchor,
                        tag: app_tag(tag_text(&tag)),
                        items: Vec::new(),
                        size: 1,
                    },
                    pos(&span),
                )?;
                nodes += 1;
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                push_frame(
                    &mut stack,
                    Frame::Map {
                        start: pos(&span),
                        anchor,
                        tag: app_tag(tag_text(&tag)),
                        entries: Vec::new(),
                        key: None,
                        size: 1,
                    },
                    pos(&span),
                )?;
                nodes += 1;
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    tag,
                    items,
                    size,
                }) => {
                    let stop = items.last().map_or(end(&span), |n| n.end);
                    let mut n = Node::new(Value::Seq(items), start, stop.max(start));
                    n.tag = tag;
                    (n, size, anchor)
                }
                _ => return Err(DocError::new(pos(&span) as usize, "unbalanced sequence")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    start,
                    anchor,
                    tag,
                    entries,
                    size,
                    ..
                }) => {
                    let stop = entries.last().map_or(end(&span), |(_, v)| v.end);
                    let entries = merge(entries)?;
                    let mut n = Node::new(Value::Map(entries), start, stop.max(start));
                    n.tag = tag;
                    (n, size, anchor)
                }
                _ => return Err(DocError::new(pos(&span) as usize, "unbalanced mapping")),
            },
        };
        if nodes > budget {
            return Err(DocError::new(
                done.start as usize,
                "the document has more nodes than the limit",
            ));
        }
        if anchor != 0 {
            anchors.insert(anchor, (done.clone(), size));
        }
        match stack.last_mut() {
            None => root = Some((done, size)),
            Some(Frame::Seq { items, size: s, .. }) => {
                *s += size;
                items.push(done);
            }
            Some(Frame::Map {
                entries,
                key,
                size: s,
                ..
            }) => {
                *s += size;
                match key.take() {
                    None => *key = Some(done),
                    Some(k) => entries.push((k, done)),
                }
            }
        }
    }
    if let Some((n, _)) = root {
        docs.push(n);
    }
    Ok(docs)
}

fn push_frame(stack: &mut Vec<Frame>, frame: Frame, at: u32) -> Result<(), DocError> {
    if stack.len() >= MAX_DEPTH {
        return Err(DocError::new(
            at as usize,
            format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    stack.push(frame);
    Ok(())
}

/// A tag other than the core schema's (`!Ref`), kept on the node.
fn app_tag(tag: Option<String>) -> Option<Box<str>> {
    tag.filter(|t| !t.starts_with("tag:yaml.org,2002:") && !t.starts_with("!!"))
        .map(String::into_boxed_str)
}

/// Refuses duplicate keys and applies merge keys: `<<: *base` (or a list of them) adds the entries of the
/// merged mappings whose keys the mapping does not set itself, earlier sources first.
fn merge(entries: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>, DocError> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    let mut sources = Vec::new();
    for (k, v) in entries {
        let text = k.scalar_text().map(|t| t.into_owned());
        if text.as_deref() == Some("<<") && k.tag.is_none() && matches!(k.value, Value::Str(_)) {
            match v.value {
                Value::Map(_) => sources.push(v),
                Value::Seq(items) => sources.extend(items),
                _ => {
                    return Err(DocError::new(
                        v.start as usize,
                        "a merge key takes a mapping",
                    ))
                }
            }
            continue;
        }
        if let Some(t) = text {
            if !seen.insert(t.clone()) {
                return Err(DocError::new(
                    k.start as usize,
                    format!("duplicate key `{t}`"),
                ));
            }
        }
        out.push((k, v));
    }
    for source in sources {
        let Value::Map(m) = source.value else {
            return Err(DocError::new(
                source.start as usize,
                "a merge key takes a mapping",
            ));
        };
        for (k, v) in m {
            if let Some(t) = k.scalar_text().map(|t| t.into_owned()) {
                if seen.insert(t) {
                    out.push((k, v));
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut docs = parse_stream(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn streams_keep_every_document_with_positions() {
        let text = "a: 1\n---\nkind: Pod\nspec:\n  x: [1, two]\n---\n";
        let docs = parse_stream(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].get("a").map(|n| &n.value), Some(&Value::Int(1)));
        let x = docs[1].get("spec").and_then(|s| s.get("x"));
        let two = &x.and_then(Node::as_seq).unwrap_or_default()[1];
        assert_eq!(&text[two.start as usize..two.end as usize], "two");
        assert_eq!(docs[2].value, Value::Null);
    }

    #[test]
    fn tags_merge_keys_and_quotes() {
        let doc = one("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nr: !Ref Bucket\nq: '8080'\n");
        let m = doc.get("m").unwrap_or_else(|| panic!("no m"));
        assert_eq!(m.get("x").map(|n| &n.value), Some(&Value::Int(1)));
        assert_eq!(m.get("y").map(|n| &n.value), Some(&Value::Int(3)));
        let r = doc.get("r").unwrap_or_else(|| panic!("no r"));
        assert_eq!(
            (r.tag.as_deref(), r.as_str()),
            (Some("!Ref"), Some("Bucket"))
        );
        assert!(r.is_unknown());
        assert_eq!(doc.get("q").and_then(Node::as_str), Some("8080"));
    }

    #[test]
    fn hostile_input_fails_with_an_offset() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse_stream(&deep).is_err());
        let bomb = crate::yaml::alias_bomb();
        assert!(parse_stream(&bomb).is_err());
        let e = parse_stream("a: 1\na: 2\n").err();
        assert_eq!(e.map(|e| e.offset), Some(5));
        assert!(parse_stream("a:\n\tb: 1\n").is_err());
    }
}
