//! Version ordering per ecosystem, as OSV ranges need it. `None` means a version does not parse: the caller
//! reports "cannot determine", never "not affected".
//!
//! - SemVer 2 precedence (build metadata ignored): crates.io, npm, Hex, Pub, SwiftURL; Go the same after the
//!   `v` prefix (pseudo-versions are pre-releases, `+incompatible` is build metadata).
//! - PEP 440 (epochs, pre/post/dev releases, local versions): PyPI, via `pep440_rs`.
//! - Maven's ComparableVersion: Maven (also Gradle, sbt).
//! - RubyGems' `Gem::Version`, NuGet's SemVer 2 with four numeric parts, Composer's normalised versions.
//! - Everything else: dotted segments, numeric where both sides are numbers.

use crate::lockfile::package::Ecosystem;
use std::cmp::Ordering;
use std::str::FromStr;

/// Orders two versions of `ecosystem`.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Option<Ordering> {
    match ecosystem {
        Ecosystem::CratesIo
        | Ecosystem::Npm
        | Ecosystem::Hex
        | Ecosystem::Pub
        | Ecosystem::SwiftURL => Some(semver(a)?.cmp_precedence(&semver(b)?)),
        Ecosystem::Go => Some(
            semver(a.strip_prefix('v').unwrap_or(a))?
                .cmp_precedence(&semver(b.strip_prefix('v').unwrap_or(b))?),
        ),
        Ecosystem::PyPI => Some(pep440(a)?.cmp(&pep440(b)?)),
        Ecosystem::Maven => Some(maven::compare(a, b)),
        Ecosystem::RubyGems => Some(rubygems(a)?.cmp_gem(&rubygems(b)?)),
        Ecosystem::NuGet => Some(nuget(a)?.cmp(&nuget(b)?)),
        Ecosystem::Packagist => Some(composer(a)?.cmp(&composer(b)?)),
        Ecosystem::CocoaPods
        | Ecosystem::ConanCenter
        | Ecosystem::CRAN
        | Ecosystem::Julia
        | Ecosystem::Hackage => Some(generic(a)?.cmp(&generic(b)?)),
    }
}

fn semver(s: &str) -> Option<semver::Version> {
    semver::Version::parse(s.trim()).ok()
}

fn pep440(s: &str) -> Option<pep440_rs::Version> {
    pep440_rs::Version::from_str(s.trim()).ok()
}

/// A dotted version whose segments are numbers or words; numbers compare numerically and sort after words.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Word(String),
    Number(u64),
}

fn generic(s: &str) -> Option<Vec<Segment>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut v: Vec<Segment> = s
        .split(['.', '-', '_', '+'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<u64>()
                .map(Segment::Number)
                .unwrap_or_else(|_| Segment::Word(p.to_ascii_lowercase()))
        })
        .collect();
    while v.len() > 1 && v.last() == Some(&Segment::Number(0)) {
        v.pop();
    }
    Some(v)
}

/// `Gem::Version`: segments split at dots and at digit/letter boundaries; a letter segment marks a
/// pre-release and sorts before any number.
struct GemVersion(Vec<Segment>);

fn rubygems(s: &str) -> Option<GemVersion> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return None;
    }
    // Gem::Version turns "-" into ".pre." (1.0-rc1 == 1.0.pre.rc1).
    let s = s.replace('-', ".pre.");
    let mut segs = Vec::new();
    for part in s.split('.').filter(|p| !p.is_empty()) {
        let mut cur = String::new();
        let mut digits = None;
        for c in part.chars() {
            let d = c.is_ascii_digit();
            if digits.is_some_and(|was| was != d) {
                segs.push(gem_segment(&cur));
                cur.clear();
            }
            digits = Some(d);
            cur.push(c);
        }
        if !cur.is_empty() {
            segs.push(gem_segment(&cur));
        }
    }
    // Canonical form: trailing zeros of the release part are dropped.
    let first_word = segs
        .iter()
        .position(|s| matches!(s, Segment::Word(_)))
        .unwrap_or(segs.len());
    let mut release: Vec<Segment> = segs.drain(..first_word).collect();
    while release.len() > 1 && release.last() == Some(&Segment::Number(0)) {
        release.pop();
    }
    release.extend(segs);
    Some(GemVersion(release))
}

fn gem_segment(s: &str) -> Segment {
    s.parse::<u64>()
        .map(Segment::Number)
        .unwrap_or_else(|_| Segment::Word(s.to_string()))
}

impl GemVersion {
    fn cmp_gem(&self, other: &GemVersion) -> Ordering {
        let n = self.0.len().max(other.0.len());
        for i in 0..n {
            let a = self.0.get(i).unwrap_or(&Segment::Number(0));
            let b = other.0.get(i).unwrap_or(&Segment::Number(0));
            match a.cmp(b) {
                Ordering::Equal => continue,
                o => return o,
            }
        }
        Ordering::Equal
    }
}

/// NuGet: up to four numeric parts (missing ones are 0), then the pre-release label (absent sorts last;
/// labels compare like SemVer, case-insensitively); metadata after `+` is ignored.
#[derive(Debug, PartialEq, Eq)]
struct NuGetVersion {
    numbers: [u64; 4],
    pre: Option<Vec<PreId>>,
}

/// A pre-release identifier: numeric ones sort before alphanumeric ones (SemVer rule 11).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreId {
    Num(u64),
    Alpha(String),
}

fn nuget(s: &str) -> Option<NuGetVersion> {
    let s = s.trim();
    let s = s.split('+').next().unwrap_or(s);
    let (core, pre) = match s.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (s, None),
    };
    let mut numbers = [0u64; 4];
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        numbers[i] = p.parse().ok()?;
    }
    let pre = pre.map(|p| {
        p.split('.')
            .map(|x| {
                x.parse::<u64>()
                    .map(PreId::Num)
                    .unwrap_or_else(|_| PreId::Alpha(x.to_ascii_lowercase()))
            })
            .collect()
    });
    Some(NuGetVersion { numbers, pre })
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers
            .cmp(&other.numbers)
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
    }
}

/// Composer: `v` prefix dropped, four numeric parts, then stability `dev < alpha < beta < RC < stable < patch`
/// with its number.
fn composer(s: &str) -> Option<([u64; 4], u8, u64)> {
    let s = s.trim().trim_start_matches(['v', 'V']);
    let lower = s.to_ascii_lowercase();
    let split = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(lower.len());
    let (core, rest) = lower.split_at(split);
    let core = core.trim_end_matches('.');
    let mut numbers = [0u64; 4];
    let parts: Vec<&str> = core.split('.').collect();
    if core.is_empty() || parts.len() > 4 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        numbers[i] = p.parse().ok()?;
    }
    let rest = rest.trim_start_matches(['-', '_', '.', '+']);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let num: u64 = rest[word.len()..]
        .trim_start_matches(['-', '_', '.'])
        .parse()
        .unwrap_or(0);
    let rank = match word.as_str() {
        "" | "stable" => 4,
        "dev" => 0,
        "a" | "alpha" => 1,
        "b" | "beta" => 2,
        "rc" => 3,
        "p" | "pl" | "patch" => 5,
        _ => return None,
    };
    Some((numbers, rank, num))
}

mod maven {
    //! Maven's `ComparableVersion`, following the documented algorithm: the version splits into items at `.`
    //! and `-` and at digit/letter transitions (a transition counts as `-`); `-` opens a sub-list; null items
    //! (`0`, ``, `final`, `ga`, `release`) at the end of a list are trimmed; qualifiers order
    //! `alpha < beta < milestone < rc = cr < snapshot < "" = final = ga = release < sp`, unknown qualifiers after
    //! `sp`, lexically; numbers sort after qualifiers.

    use std::cmp::Ordering;

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Item {
        Int(u128),
        Str(String),
        List(Vec<Item>),
    }

    fn qualifier_rank(q: &str) -> (u8, String) {
        let q = match q {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            "cr" => "rc",
            "final" | "ga" | "release" => "",
            other => other,
        };
        let rank = match q {
            "alpha" => 0,
            "beta" => 1,
            "milestone" => 2,
            "rc" => 3,
            "snapshot" => 4,
            "" => 5,
            "sp" => 6,
            _ => 7,
        };
        (
            rank,
            if rank == 7 {
                q.to_string()
            } else {
                String::new()
            },
        )
    }

    fn is_null(i: &Item) -> bool {
        match i {
            Item::Int(0) => true,
            Item::Str(s) => qualifier_rank(s).0 == 5,
            Item::List(l) => l.is_empty(),
            _ => false,
        }
    }

    fn normalize(list: &mut Vec<Item>) {
        while list.last().is_some_and(is_null) {
            list.pop();
        }
    }

    fn parse(v: &str) -> Vec<Item> {
        let v = v.trim().to_ascii_lowercase();
        // Stack of lists; the innermost is being filled.
        let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
        let mut cur = String::new();
        let mut cur_digit = false;
        let flush = |cur: &mut String, digit: bool, list: &mut Vec<Item>| {
            let item = if cur.is_empty() {
                Item::Int(0)
            } else if digit {
                cur.parse::<u128>()
                    .map(Item::Int)
                    .unwrap_or_else(|_| Item::Str(cur.clone()))
            } else {
                // A qualifier directly followed by a number (`alpha1`) is handled by the transition rule.
                Item::Str(cur.clone())
            };
            list.push(item);
            cur.clear();
        };
        let chars: Vec<char> = v.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c == '.' {
                if let Some(l) = stack.last_mut() {
                    flush(&mut cur, cur_digit, l);
                }
            } else if c == '-' {
                if let Some(l) = stack.last_mut() {
                    flush(&mut cur, cur_digit, l);
                }
                stack.push(Vec::new());
            } else {
                let d = c.is_ascii_digit();
                if !cur.is_empty() && d != cur_digit {
                    // Transition between digits and letters: like '-', except that a letter run followed by
                    // digits (`rc1`) stays in the same list.
                    if let Some(l) = stack.last_mut() {
                        flush(&mut cur, cur_digit, l);
                    }
                    let next_is_digit = chars.get(i).is_some_and(|c| c.is_ascii_digit());
                    if !next_is_digit || cur_digit {
                        stack.push(Vec::new());
                    }
                }
                cur_digit = d;
                cur.push(c);
            }
        }
        if let Some(l) = stack.last_mut() {
            if !cur.is_empty() {
                flush(&mut cur, cur_digit, l);
            }
        }
        // Close sub-lists from the innermost out, trimming null items.
        while stack.len() > 1 {
            let mut inner = stack.pop().unwrap_or_default();
            normalize(&mut inner);
            if let Some(outer) = stack.last_mut() {
                normalize(outer);
                outer.push(Item::List(inner));
            }
        }
        let mut top = stack.pop().unwrap_or_default();
        normalize(&mut top);
        top
    }

    fn cmp_item(a: Option<&Item>, b: Option<&Item>) -> Ordering {
        use Item::*;
        match (a, b) {
            (None, None) => Ordering::Equal,
            (Some(x), None) => cmp_item(None, Some(x)).reverse(),
            (None, Some(Int(n))) => {
                if *n == 0 {
                    Ordering::Equal
                } else {
                    Ordering::Less
                }
            }
            (None, Some(Str(s))) => qualifier_rank("").cmp(&qualifier_rank(s)),
            (None, Some(List(l))) => {
                // An absent item compares like an empty list: equal if the list is all nulls, else by its
                // first item.
                cmp_item(None, l.first())
            }
            (Some(Int(x)), Some(Int(y))) => x.cmp(y),
            (Some(Int(_)), Some(_)) => Ordering::Greater,
            (Some(Str(_)), Some(Int(_))) => Ordering::Less,
            (Some(Str(x)), Some(Str(y))) => qualifier_rank(x).cmp(&qualifier_rank(y)),
            (Some(Str(_)), Some(List(_))) => Ordering::Less,
            (Some(List(_)), Some(Int(_))) => Ordering::Less,
            (Some(List(_)), Some(Str(_))) => Ordering::Greater,
            (Some(List(x)), Some(List(y))) => cmp_lists(x, y),
        }
    }

    fn cmp_lists(a: &[Item], b: &[Item]) -> Ordering {
        for i in 0..a.len().max(b.len()) {
            match cmp_item(a.get(i), b.get(i)) {
                Ordering::Equal => continue,
                o => return o,
            }
        }
        Ordering::Equal
    }

    /// Orders two Maven versions.
    pub fn compare(a: &str, b: &str) -> Ordering {
        cmp_lists(&parse(a), &parse(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    fn check(eco: Ecosystem, ascending: &[&str]) {
        for w in ascending.windows(2) {
            assert_eq!(
                compare(eco, w[0], w[1]),
                Some(Less),
                "{eco}: {} < {}",
                w[0],
                w[1]
            );
            assert_eq!(
                compare(eco, w[1], w[0]),
                Some(Greater),
                "{eco}: {} > {}",
                w[1],
                w[0]
            );
        }
    }

    #[test]
    fn semver_precedence() {
        check(
            Ecosystem::CratesIo,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "1.10.0",
            ],
        );
        assert_eq!(
            compare(Ecosystem::Npm, "1.0.0+build.1", "1.0.0"),
            Some(Equal)
        );
        assert_eq!(compare(Ecosystem::Npm, "1.0", "1.0.0"), None);
    }

    #[test]
    fn go_versions() {
        check(
            Ecosystem::Go,
            &[
                "v0.0.0-20190101000000-abcdefabcdef",
                "v0.1.0",
                "v1.2.3-pre",
                "v1.2.3",
                "v2.0.0+incompatible",
                "v2.0.1",
            ],
        );
        assert_eq!(
            compare(Ecosystem::Go, "v2.0.0+incompatible", "2.0.0"),
            Some(Equal)
        );
    }

    #[test]
    fn pep440() {
        check(
            Ecosystem::PyPI,
            &[
                "1.0.dev1",
                "1.0a1",
                "1.0a2.dev1",
                "1.0b1",
                "1.0rc1",
                "1.0",
                "1.0+local.1",
                "1.0.post1",
                "1.1",
                "1!0.5",
            ],
        );
        assert_eq!(compare(Ecosystem::PyPI, "1.0", "1.0.0"), Some(Equal));
        assert_eq!(compare(Ecosystem::PyPI, "not a version", "1.0"), None);
    }

    #[test]
    fn maven_comparable_version() {
        check(
            Ecosystem::Maven,
            &[
                "1-alpha",
                "1-alpha2",
                "1-beta",
                "1-milestone",
                "1-rc",
                "1-snapshot",
                "1",
                "1-sp",
                "1-abc",
                "1-1",
                "1.1",
                "1.2",
                "1.10",
            ],
        );
        for (a, b) in [
            ("1", "1.0"),
            ("1.0.0", "1"),
            ("1-ga", "1"),
            ("1-final", "1"),
            ("1-cr", "1-rc"),
            ("1.0-RELEASE", "1"),
        ] {
            assert_eq!(compare(Ecosystem::Maven, a, b), Some(Equal), "{a} == {b}");
        }
        // Unknown qualifiers sort after the release, so Jackson's `2.10.0.pr1` is above `2.10.0` in Maven's order.
        check(
            Ecosystem::Maven,
            &["2.9.10", "2.9.10.1", "2.10.0", "2.10.0.pr1", "2.10.1"],
        );
    }

    #[test]
    fn rubygems() {
        check(
            Ecosystem::RubyGems,
            &[
                "1.0.a",
                "1.0.a1",
                "1.0.b",
                "1.0.rc1",
                "1.0",
                "1.0.1",
                "1.1",
                "5.2.4.3",
                "6.0.0.beta1",
                "6.0.0",
            ],
        );
        assert_eq!(compare(Ecosystem::RubyGems, "1.0", "1.0.0"), Some(Equal));
        assert_eq!(
            compare(Ecosystem::RubyGems, "1.0-rc1", "1.0.pre.rc1"),
            Some(Equal)
        );
    }

    #[test]
    fn nuget() {
        check(
            Ecosystem::NuGet,
            &[
                "1.0.0-alpha",
                "1.0.0-Alpha.1",
                "1.0.0-beta",
                "1.0.0",
                "1.0.0.1",
                "1.0.1",
                "10.0.0",
            ],
        );
        assert_eq!(compare(Ecosystem::NuGet, "1.0", "1.0.0.0"), Some(Equal));
        assert_eq!(
            compare(Ecosystem::NuGet, "1.0.0+meta", "1.0.0"),
            Some(Equal)
        );
    }

    #[test]
    fn composer() {
        check(
            Ecosystem::Packagist,
            &[
                "1.0.0-dev",
                "1.0.0-alpha1",
                "1.0.0-beta2",
                "1.0.0-RC1",
                "1.0.0",
                "1.0.0-patch1",
                "v1.0.1",
                "1.10",
            ],
        );
        assert_eq!(
            compare(Ecosystem::Packagist, "v2.1", "2.1.0.0"),
            Some(Equal)
        );
    }

    #[test]
    fn generic_dotted() {
        check(Ecosystem::CRAN, &["0.9-1", "1.0-1", "1.0-10", "1.2"]);
        check(Ecosystem::Hackage, &["0.1.2.3", "0.1.10", "1.0"]);
    }
}
