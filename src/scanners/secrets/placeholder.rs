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
    is_placeholder_shape(value)
}

/// Characters at either end of a token's random part within which a placeholder word marks the whole token
/// as one (`AKIAIOSFODNN7EXAMPLE`, `…EXAMPLEKEY`): inside, it is chance (a random 36-character body holds
/// `xxxx` or `dummy` somewhere about once in 5,000 tokens).
const EDGE: usize = 4;

/// [`is_placeholder`] for a value of a distinctive format (a provider token): the fixed `prefix` bytes are
/// ignored, and a placeholder word counts only where it makes up the value, at either end of the random part;
/// template syntax and repetition count as usual.
pub fn is_placeholder_token(value: &str, prefix: usize) -> bool {
    let body = value.get(prefix..).unwrap_or(value);
    let lower = body.to_lowercase();
    let n = lower.len();
    let at_edge = PLACEHOLDER_WORDS.iter().any(|w| {
        lower
            .match_indices(w)
            .any(|(i, _)| i <= EDGE || i + w.len() + EDGE >= n)
    });
    if at_edge || n == 0 {
        return true;
    }
    // Template syntax and repetition, as for any value (the words are handled above).
    is_placeholder_shape(body)
}

/// Template references and values too repetitive to be a credential.
fn is_placeholder_shape(value: &str) -> bool {
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
    fn words_inside_a_random_token_are_chance() {
        // Regression (issue 9, case 14): a real-format token with `xxxx`/`DuMmY`/`SaMpLe` inside is kept.
        for body in [
            "R8mQ2vLw9ZkTxxxxn7bYc1HsJ6dFgA3uE5oN",
            "R8mQ2vLw9ZkTDuMmYbYc1HsJ6dFgA3uE5oNi",
            "R8mQ2vLw9ZSaMpLe7bYc1HsJ6dFgA3uE5oNi",
            "R8mQ2vLw9ZkT4predactedHsJ6dFgA3uE5oN",
        ] {
            let token = format!("ghp_{body}");
            assert!(!is_placeholder_token(&token, 4), "{token}");
            assert!(
                is_placeholder(&token),
                "the generic check still drops {token}"
            );
        }
        // Words that make up the value still mark it.
        for (t, p) in [
            ("AKIAIOSFODNN7EXAMPLE", 4),
            ("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 4),
            ("ghp_EXAMPLE9ZkT4pXn7bYc1HsJ6dFgA3uE5oNi", 4),
            ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 0),
            ("ghp_${GITHUB_TOKEN}", 4),
        ] {
            assert!(is_placeholder_token(t, p), "{t}");
        }
    }

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
