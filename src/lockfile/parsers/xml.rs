//! A small element tree over `quick-xml` for the XML formats (`pom.xml`, `packages.config`,
//! `Directory.Packages.props`, `verification-metadata.xml`): local names, attributes, text and the line of each
//! start tag. Entities other than the five predefined ones and character references are kept as written (no
//! DTD expansion), and nesting deeper than [`MAX_DEPTH`] is an error.

use crate::lockfile::package::LockfileError;
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 256;

/// One XML element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    /// Local name (namespace prefix removed).
    pub name: String,
    /// Attributes by local name, unescaped, in document order.
    pub attrs: Vec<(String, String)>,
    /// The element's own text (CDATA included), trimmed.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// 1-based line of the start tag.
    pub line: u32,
}

impl Element {
    /// The value of attribute `name` (local name, case-sensitive).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of attribute `name`, compared without regard to ASCII case (MSBuild attributes).
    pub fn attr_ignore_case(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

/// Counts lines incrementally as the reader moves forward.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl Lines<'_> {
    fn at(&mut self, pos: usize) -> u32 {
        let pos = pos.min(self.bytes.len());
        if pos < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        let n = self
            .bytes
            .get(self.pos..pos)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        self.line = self
            .line
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        self.pos = pos;
        self.line
    }
}

fn entity(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name: &str = r;
    match name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "apos" => "'".into(),
        "quot" => "\"".into(),
        other => format!("&{other};"),
    }
}

fn start(
    e: &quick_xml::events::BytesStart<'_>,
    line: u32,
    what: &str,
) -> Result<Element, LockfileError> {
    let name = e.local_name().into_inner().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| LockfileError::at(line, format!("invalid {what}: {err}")))?;
        let key = a.key.local_name().into_inner().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| LockfileError::at(line, format!("invalid {what}: {err}")))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        line,
        ..Element::default()
    })
}

/// Parses `text` into its root element; `what` names the format in error messages (`pom.xml`).
pub fn parse(text: &str, what: &str) -> Result<Element, LockfileError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|err| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            LockfileError::at(lines.at(at), format!("invalid {what}: {err}"))
        })?;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(LockfileError::at(
                        lines.at(before),
                        format!("invalid {what}: elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let line = lines.at(before);
                stack.push(start(&e, line, what)?);
            }
            Event::Empty(e) => {
                let line = lines.at(before);
                let el = start(&e, line, what)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => {}
                }
            }
            Event::End(_) => {
                let Some(mut el) = stack.pop() else {
                    return Err(LockfileError::at(
                        lines.at(before),
                        format!("invalid {what}: unexpected end tag"),
                    ));
                };
                el.text = el.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => {}
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&entity(&r));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(LockfileError::at(
            open.line,
            format!("invalid {what}: <{}> is never closed", open.name),
        ));
    }
    root.ok_or_else(|| LockfileError::new(format!("invalid {what}: no root element")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_with_lines_entities_and_namespaces() {
        let text = "<?xml version=\"1.0\"?>\n<p:root xmlns:p=\"urn:x\" a=\"1&amp;2\">\n  <child>a &lt; b&#33;</child>\n  <empty k='v'/>\n  <c><![CDATA[x<y]]></c>\n</p:root>\n";
        let root = parse(text, "test").unwrap_or_default();
        assert_eq!(root.name, "root");
        assert_eq!(root.line, 2);
        assert_eq!(root.attr("a"), Some("1&2"));
        assert_eq!(root.child_text("child"), Some("a < b!"));
        assert_eq!(root.child("child").map(|c| c.line), Some(3));
        assert_eq!(root.child("empty").and_then(|c| c.attr("k")), Some("v"));
        assert_eq!(root.child("empty").map(|c| c.line), Some(4));
        assert_eq!(root.child_text("c"), Some("x<y"));
    }

    #[test]
    fn malformed_and_deep_documents_are_errors() {
        let e = parse("<a>\n<b>\n</a>\n", "test")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.starts_with("invalid test"), "{e}");
        let e = parse("<a>\n<b></b>\n", "test")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(1), "{e}");
        assert!(parse("", "test").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        let e = parse(&deep, "test")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("nested deeper"), "{e}");
    }
}
