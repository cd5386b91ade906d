//! A string-keyed map that keeps its entries in file order when deserialized (serde_json's `Map` sorts its
//! keys), so that packages keyed by name can be given increasing lines with [`super::lines::LineFinder`].

/// Entries of a JSON or YAML object with string keys, in document order (duplicates kept).
pub type Ordered<T> = super::keyed::Ordered<String, T>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_file_order() {
        let m: Ordered<u32> =
            serde_json::from_str(r#"{"b": 1, "a": 2, "c": 3}"#).unwrap_or_default();
        let keys: Vec<&str> = m.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert!(serde_json::from_str::<Ordered<u32>>("[1]").is_err());
    }
}
