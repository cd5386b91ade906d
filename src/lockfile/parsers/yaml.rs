//! YAML deserialisation for the YAML formats (`pnpm-lock.yaml`, berry `yarn.lock`, `pubspec.lock`,
//! `Podfile.lock`, `stack.yaml.lock`), with the parser's resource limits set explicitly rather than left to
//! the library's defaults.
//!
//! Lock files never use anchors or aliases, so aliases are tightly limited (a "billion laughs" file fails
//! fast) and nesting is capped far above what any lock file needs (a deeply nested file fails before it can
//! exhaust the stack). The node and event budgets grow with the input instead: without aliases every node
//! takes at least one byte of input, so a large but honest lock file (a monorepo's multi-megabyte
//! `pnpm-lock.yaml`) is never rejected for its size.

use crate::lockfile::package::LockfileError;
use crate::yaml::options;
use serde::Deserialize;

/// Deserialises `text` (a file of the format `what`, used in messages) with [`options`]; errors become a
/// [`LockfileError`] with the line when the parser knows it.
pub fn parse<'de, T: Deserialize<'de>>(text: &'de str, what: &str) -> Result<T, LockfileError> {
    serde_saphyr::from_str_with_options(text, options(text.len())).map_err(|e| LockfileError {
        line: e
            .location()
            .and_then(|l| u32::try_from(l.line()).ok())
            .filter(|&l| l > 0),
        message: format!("invalid {what}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{MAX_ALIASES, MAX_DEPTH};
    use std::collections::BTreeMap;

    type Doc = BTreeMap<String, serde::de::IgnoredAny>;

    #[test]
    fn aliases_of_aliases_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h"])
        {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let e = parse::<Doc>(&text, "test.yaml")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.starts_with("invalid test.yaml: "), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_and_honest_nesting_is_not() {
        let deep = format!(
            "x: {}{}\n",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(parse::<Doc>(&deep, "test.yaml").is_err());
        let block = format!("x: {}y\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(parse::<Doc>(&block, "test.yaml").is_err());
        let fine = format!("x: {}{}\n", "[".repeat(8), "]".repeat(8));
        assert!(parse::<Doc>(&fine, "test.yaml").is_ok());
    }

    #[test]
    fn budgets_grow_with_the_input() {
        let o = options(10_000_000);
        let b = o.budget.unwrap_or_default();
        assert!(b.max_nodes >= 10_000_000 && b.max_events >= 10_000_000);
        assert_eq!(b.max_aliases, MAX_ALIASES);
        assert_eq!(b.max_depth, MAX_DEPTH);
    }
}
