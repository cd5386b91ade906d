//! False-positive control shared by every secret rule: placeholders, template syntax and low-randomness values.

/// Substrings (lower-case) that mark a value as a placeholder or an example.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "redacted",
    "dummy",
    "sample",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "insert_",
    "insert-",
    "replace_me",
    "replaceme",
    "xxxx",
    "****",
    "....",
    "1234567890",
    "abcdefghij",
    "0123456789",
];

/// Template syntax that means the value is filled in elsewhere.
const TEMPLATE_MARKERS: &[&str] = &["<", ">", "${", "{{", "%(", "$("];

/// Whether `value` is a placeholder, an example, a template reference or too repetitive to be a credential.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    if TEMPLATE_MARKERS.iter().any(|t| value.contains(t)) {
        return true;
    }
    let mut chars = value.chars();
    if let (Some('$'), Some(second)) = (chars.next(), chars.next()) {
        if second.is_alphabetic() || matches!(second, '_' | '{' | '(') {
            return true;
        }
    }
    let len = value.chars().count();
    if len == 0 {
        return false;
    }
    let most = most_common_count(value);
    (len >= 8 && most * 10 > len * 6) || most == len
}

fn most_common_count(value: &str) -> usize {
    let mut counts: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut best = 0;
    for c in value.chars() {
        let n = counts.entry(c).or_insert(0);
        *n += 1;
        best = best.max(*n);
    }
    best
}

/// Shannon entropy of `value` in bits per character.
pub fn shannon_entropy(value: &str) -> f64 {
    let mut counts: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut len = 0usize;
    for c in value.chars() {
        *counts.entry(c).or_insert(0) += 1;
        len += 1;
    }
    if len == 0 {
        return 0.0;
    }
    let n = len as f64;
    counts
        .values()
        .map(|&c| c as f64 / n)
        .map(|p| -p * p.log2())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "<your-token>",
            "${GITHUB_TOKEN}",
            "{{ secrets.TOKEN }}",
            "$API_KEY",
            "changeme",
            "aaaaaaaaaaaa",
            "ghp_000000000000000000000000000000000000",
            "sk_live_1234567890abcdefghij",
            "%(password)s",
        ] {
            assert!(is_placeholder(p), "{p} should be a placeholder");
        }
        for real in [
            "ghp_R8mQ2vLw9ZkT4pXn7bYc1HsJ6dFgA3uE5oNi", // portcullis:ignore[github-classic-pat] fake token
            "Tq7#vLp2!xRz9m",
            "$2y$10$abc",
            "q8Vn3Kd0Lw7Zp2",
        ] {
            assert!(!is_placeholder(real), "{real} is not a placeholder");
        }
    }

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy("q8Vn3Kd0Lw7Zp2Rt6Yx1Bm9Ch4Js5Fg") > 4.5);
    }
}
