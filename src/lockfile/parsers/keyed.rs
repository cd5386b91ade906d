//! Helpers shared by the JavaScript lock-file parsers: maps deserialised in file order whose keys remember
//! where they are in the input, and a line index for turning byte offsets into 1-based lines.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A map key as written in a JSON input: borrowed from the input when it has no escapes (so its byte offset
/// is known), owned otherwise.
pub struct JsonKey<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for JsonKey<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
            type Value = JsonKey<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsonKey(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsonKey(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(JsonKey(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor(PhantomData))
    }
}

impl JsonKey<'_> {
    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Byte offset of the key in `text`, when the key was borrowed from it.
    pub fn offset_in(&self, text: &str) -> Option<usize> {
        match &self.0 {
            Cow::Borrowed(s) => {
                let start = text.as_ptr() as usize;
                let at = (s.as_ptr() as usize).checked_sub(start)?;
                (at <= text.len()).then_some(at)
            }
            Cow::Owned(_) => None,
        }
    }
}

/// A map deserialised as a list of entries in file order (duplicate keys are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordered<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Ordered<K, V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(MapVisitor(PhantomData))
    }
}

pub use super::lines::LineIndex;

/// Splits `name@rest` at the `@` that ends the package name (a leading `@` belongs to a scope).
pub fn split_name_at(spec: &str) -> Option<(&str, &str)> {
    let from = usize::from(spec.starts_with('@'));
    let i = spec.get(from..)?.find('@')? + from;
    Some((spec.get(..i)?, spec.get(i + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_know_their_lines() {
        let text = "{\n \"a\": 1,\n \"b\\u0041\": 2,\n \"c\": 3\n}";
        let m: Ordered<JsonKey, u32> = serde_json::from_str(text).unwrap_or_default();
        let idx = LineIndex::new(text);
        let got: Vec<(String, Option<u32>)> =
            m.0.iter()
                .map(|(k, _)| {
                    (
                        k.as_str().to_string(),
                        k.offset_in(text).map(|o| idx.line(o)),
                    )
                })
                .collect();
        assert_eq!(
            got,
            vec![
                ("a".into(), Some(2)),
                ("bA".into(), None),
                ("c".into(), Some(4))
            ]
        );
    }

    #[test]
    fn names_split_after_scope() {
        assert_eq!(split_name_at("@a/b@1.0.0"), Some(("@a/b", "1.0.0")));
        assert_eq!(split_name_at("b@npm:c@2"), Some(("b", "npm:c@2")));
        assert_eq!(split_name_at("@a/b"), None);
        assert_eq!(split_name_at("@"), None);
    }
}
