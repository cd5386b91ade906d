//! `go.mod`: `require` directives (single lines or `require ( … )` blocks) list each module with its minimum
//! selected version; since Go 1.17 the file lists every module the build needs, the transitive ones marked
//! `// indirect`. `replace old [v] => new [v]` changes the module or version actually built (a replacement
//! by a local path becomes `Source::Path`, keeping the required version, reported at the `replace` line).
//! `exclude`, `retract`, `tool`, `godebug`, `ignore` and `module` are not packages.
//!
//! The Go standard library is reported as the package `stdlib` (the name OSV uses for its advisories) at the
//! version of the `toolchain` line, else of the `go` line (`1.21` becomes `1.21.0`, `1.22rc1` becomes
//! `1.22.0-rc.1`), direct, at that line: it is the minimum toolchain, so findings on it mean "the module
//! allows a vulnerable Go release".
//!
//! `go.sum` is only read for modules before Go 1.17, whose `go.mod` leaves out indirect dependencies
//! ([`go_sum`]): it also lists versions that minimal version selection did not pick, so only the highest
//! version with a module checksum (a downloaded module, not just its `go.mod`) is taken per module.

use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};

const ECO: Ecosystem = Ecosystem::Go;

/// One directive line: its verb (the block's verb inside a block), its arguments and comment.
struct Line {
    n: u32,
    verb: String,
    args: Vec<String>,
    comment: String,
}

/// Splits a line into tokens (quoted strings unquoted) and the trailing `//` comment.
fn tokens(line: &str, n: u32) -> Result<(Vec<String>, String), LockfileError> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if line.get(i..).is_some_and(|r| r.starts_with("//")) {
            return Ok((out, line.get(i + 2..).unwrap_or("").trim().to_string()));
        } else if c == '"' || c == '`' {
            chars.next();
            let mut tok = String::new();
            let mut closed = false;
            while let Some((_, d)) = chars.next() {
                if d == c {
                    closed = true;
                    break;
                }
                if d == '\\' && c == '"' {
                    if let Some((_, e)) = chars.next() {
                        tok.push(e);
                    }
                    continue;
                }
                tok.push(d);
            }
            if !closed {
                return Err(LockfileError::at(
                    n,
                    "invalid go.mod: unterminated quoted string",
                ));
            }
            out.push(tok);
        } else {
            let mut tok = String::new();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_whitespace() || line.get(j..).is_some_and(|r| r.starts_with("//")) {
                    break;
                }
                tok.push(d);
                chars.next();
            }
            out.push(tok);
        }
    }
    Ok((out, String::new()))
}

fn directives(text: &str) -> Result<Vec<Line>, LockfileError> {
    let mut out = Vec::new();
    let mut block: Option<(String, u32)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (toks, comment) = tokens(raw, n)?;
        let Some(first) = toks.first() else {
            continue;
        };
        if let Some((verb, _)) = &block {
            if first == ")" && toks.len() == 1 {
                block = None;
                continue;
            }
            out.push(Line {
                n,
                verb: verb.clone(),
                args: toks,
                comment,
            });
            continue;
        }
        if toks.len() == 2 && toks.get(1).is_some_and(|t| t == "(") {
            block = Some((first.clone(), n));
            continue;
        }
        out.push(Line {
            n,
            verb: first.clone(),
            args: toks.get(1..).unwrap_or_default().to_vec(),
            comment,
        });
    }
    if let Some((verb, n)) = block {
        return Err(LockfileError::at(
            n,
            format!("invalid go.mod: `{verb} (` block is not closed"),
        ));
    }
    Ok(out)
}

fn is_local_path(p: &str) -> bool {
    p.starts_with("./")
        || p.starts_with("../")
        || p.starts_with('/')
        || p == "."
        || p == ".."
        || p.starts_with(".\\")
        || p.starts_with("..\\")
        || p.get(1..3) == Some(":\\")
}

/// `1.21` → `1.21.0`, `1.22rc1` → `1.22.0-rc.1`, `1.21.3` unchanged.
fn go_release_version(v: &str) -> String {
    let v = v.strip_prefix("go").unwrap_or(v);
    let (base, pre) = match v.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (v.get(..i).unwrap_or(v), v.get(i..).unwrap_or("")),
        None => (v, ""),
    };
    let mut base = base.to_string();
    if base.split('.').count() == 2 {
        base.push_str(".0");
    }
    if pre.is_empty() {
        return base;
    }
    let digits = pre.find(|c: char| c.is_ascii_digit()).unwrap_or(pre.len());
    let (word, num) = (
        pre.get(..digits).unwrap_or(pre),
        pre.get(digits..).unwrap_or(""),
    );
    if num.is_empty() {
        format!("{base}-{word}")
    } else {
        format!("{base}-{word}.{num}")
    }
}

struct Replace {
    old: String,
    old_version: Option<String>,
    new: String,
    new_version: Option<String>,
    line: u32,
}

/// Parses a `go.mod`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let lines = directives(text)?;
    let mut replaces = Vec::new();
    let mut go_line: Option<(String, u32)> = None;
    let mut toolchain: Option<(String, u32)> = None;
    for l in &lines {
        match l.verb.as_str() {
            "replace" => {
                let arrow = l.args.iter().position(|a| a == "=>").ok_or_else(|| {
                    LockfileError::at(l.n, "invalid go.mod: `replace` without `=>`")
                })?;
                let (left, right) = l.args.split_at(arrow);
                let right = right.get(1..).unwrap_or_default();
                let (Some(old), Some(new)) = (left.first(), right.first()) else {
                    return Err(LockfileError::at(
                        l.n,
                        "invalid go.mod: `replace` needs a module on each side of `=>`",
                    ));
                };
                replaces.push(Replace {
                    old: old.clone(),
                    old_version: left.get(1).cloned(),
                    new: new.clone(),
                    new_version: right.get(1).cloned(),
                    line: l.n,
                });
            }
            "go" => go_line = l.args.first().map(|v| (v.clone(), l.n)),
            "toolchain" => toolchain = l.args.first().map(|v| (v.clone(), l.n)),
            _ => {}
        }
    }

    let mut out = ParsedLockfile::default();
    if let Some((v, line)) = toolchain.filter(|(v, _)| v != "default").or(go_line) {
        out.packages.push(Package {
            ecosystem: ECO,
            name: "stdlib".into(),
            version: go_release_version(&v),
            direct: Some(true),
            dev: false,
            optional: false,
            line,
            source: Source::Registry,
        });
    }
    for l in lines.iter().filter(|l| l.verb == "require") {
        let (Some(module), Some(version)) = (l.args.first(), l.args.get(1)) else {
            return Err(LockfileError::at(
                l.n,
                "invalid go.mod: `require` needs a module path and a version",
            ));
        };
        let indirect = l
            .comment
            .split(|c: char| c == ';' || c.is_whitespace())
            .next()
            .is_some_and(|w| w == "indirect");
        // A replacement for this exact version wins over one for all versions.
        let rep = replaces
            .iter()
            .rev()
            .find(|r| r.old == *module && r.old_version.as_ref() == Some(version))
            .or_else(|| {
                replaces
                    .iter()
                    .rev()
                    .find(|r| r.old == *module && r.old_version.is_none())
            });
        let (name, version, source, line) = match rep {
            Some(r) if is_local_path(&r.new) => (
                module.clone(),
                version.clone(),
                Source::Path {
                    path: r.new.clone(),
                },
                r.line,
            ),
            Some(r) => (
                r.new.clone(),
                r.new_version.clone().unwrap_or_else(|| version.clone()),
                Source::Registry,
                r.line,
            ),
            None => (module.clone(), version.clone(), Source::Registry, l.n),
        };
        out.packages.push(Package {
            ecosystem: ECO,
            name: ECO.normalize(&name),
            version,
            direct: Some(!indirect),
            dev: false,
            optional: false,
            line,
            source,
        });
    }
    Ok(out)
}

/// The modules of a `go.sum` that `go.mod` does not list (`known`, by module path): for each, the highest
/// version whose module contents were downloaded (an `h1:` line without `/go.mod`), as a transitive package at
/// that line. Malformed lines are skipped (go.sum is a supplement, never the only source).
pub fn go_sum(text: &str, known: &std::collections::BTreeSet<String>) -> ParsedLockfile {
    use crate::lockfile::versions::compare;
    let mut best: std::collections::BTreeMap<&str, (&str, u32)> = std::collections::BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let mut f = line.trim_start_matches('\u{feff}').split_whitespace();
        let (Some(module), Some(version), Some(_hash)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        if version.ends_with("/go.mod") || known.contains(module) {
            continue;
        }
        let n = i as u32 + 1;
        match best.get(module) {
            Some((v, _)) if compare(ECO, version, v) != Some(std::cmp::Ordering::Greater) => {}
            _ => {
                best.insert(module, (version, n));
            }
        }
    }
    let mut packages: Vec<Package> = best
        .into_iter()
        .map(|(module, (version, line))| Package {
            ecosystem: ECO,
            name: module.to_string(),
            version: version.to_string(),
            direct: Some(false),
            dev: false,
            optional: false,
            line,
            source: Source::Registry,
        })
        .collect();
    packages.sort_by_key(|p| p.line);
    ParsedLockfile {
        packages,
        ..ParsedLockfile::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_direct_line as summary;

    #[test]
    fn blocks_indirect_replace_and_stdlib() {
        let text = "module example.com/app // the app\n\
\n\
go 1.22\n\
\n\
toolchain go1.22.3\n\
\n\
require github.com/pkg/errors v0.9.1\n\
\n\
require (\n\
\tgolang.org/x/text v0.14.0 // indirect\n\
\t\"github.com/quoted/mod\" v1.0.0\n\
\texample.com/local v0.0.0-00010101000000-000000000000\n\
\tgithub.com/old/lib v1.2.0\n\
\tgithub.com/pinned/lib v1.0.0 // indirect; via x\n\
)\n\
\n\
exclude golang.org/x/text v0.13.0\n\
\n\
replace example.com/local => ./local\n\
\n\
replace (\n\
\tgithub.com/old/lib => github.com/fork/lib v1.2.1\n\
\tgithub.com/pinned/lib v1.0.0 => github.com/pinned/lib v1.0.2\n\
\tgithub.com/pinned/lib v0.9.0 => github.com/pinned/lib v0.9.9\n\
)\n\
\n\
retract v1.0.0\n\
tool golang.org/x/tools/cmd/stringer\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("stdlib".into(), "1.22.3".into(), Some(true), 5),
                (
                    "github.com/pkg/errors".into(),
                    "v0.9.1".into(),
                    Some(true),
                    7
                ),
                (
                    "golang.org/x/text".into(),
                    "v0.14.0".into(),
                    Some(false),
                    10
                ),
                (
                    "github.com/quoted/mod".into(),
                    "v1.0.0".into(),
                    Some(true),
                    11
                ),
                (
                    "example.com/local".into(),
                    "v0.0.0-00010101000000-000000000000".into(),
                    Some(true),
                    19
                ),
                (
                    "github.com/fork/lib".into(),
                    "v1.2.1".into(),
                    Some(true),
                    22
                ),
                (
                    "github.com/pinned/lib".into(),
                    "v1.0.2".into(),
                    Some(false),
                    23
                ),
            ]
        );
        assert_eq!(
            p.packages[4].source,
            Source::Path {
                path: "./local".into()
            }
        );
    }

    #[test]
    fn go_versions_crlf_and_bom() {
        assert_eq!(go_release_version("1.21"), "1.21.0");
        assert_eq!(go_release_version("go1.22rc1"), "1.22.0-rc.1");
        assert_eq!(go_release_version("1.20.14"), "1.20.14");
        let text = "\u{feff}module m\r\n\r\ngo 1.16\r\n\r\nrequire (\r\n\ta.com/b v1.0.0\r\n)\r\n";
        let p = super::super::parse(super::super::Format::GoMod, text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("stdlib".into(), "1.16.0".into(), Some(true), 3),
                ("a.com/b".into(), "v1.0.0".into(), Some(true), 6),
            ]
        );
    }

    #[test]
    fn go_sum_adds_the_highest_downloaded_version_of_unlisted_modules() {
        let sum = "github.com/a/b v1.0.0 h1:aaa=\n\
github.com/a/b v1.0.0/go.mod h1:bbb=\n\
github.com/a/b v1.2.0/go.mod h1:ccc=\n\
golang.org/x/text v0.3.6 h1:ddd=\n\
golang.org/x/text v0.3.5 h1:eee=\n\
github.com/listed/m v2.0.0 h1:fff=\n\
garbage\n";
        let known = std::collections::BTreeSet::from(["github.com/listed/m".to_string()]);
        let rows: Vec<(String, String, Option<bool>, u32)> = go_sum(sum, &known)
            .packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.direct, p.line))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("github.com/a/b".into(), "v1.0.0".into(), Some(false), 1),
                ("golang.org/x/text".into(), "v0.3.6".into(), Some(false), 4),
            ]
        );
    }

    #[test]
    fn malformed_files_name_the_problem() {
        for (text, line, needle) in [
            ("module m\nrequire (\n\ta.com/b v1\n", 2, "not closed"),
            (
                "module m\nrequire a.com/b\n",
                2,
                "module path and a version",
            ),
            ("module m\nreplace a.com/b ./b\n", 2, "without `=>`"),
            ("module m\nrequire \"a.com/b v1\n", 2, "unterminated"),
        ] {
            let e = parse(text).err().unwrap_or_else(|| LockfileError::new(""));
            assert_eq!(e.line, Some(line), "{text:?}: {e}");
            assert!(e.message.contains(needle), "{text:?}: {e}");
        }
    }
}
