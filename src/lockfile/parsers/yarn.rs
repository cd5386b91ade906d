//! `yarn.lock`: classic (yarn 1, "yarn lockfile v1") and berry (yarn 2+, YAML with `__metadata`).
//!
//! Classic files are a custom indented text format: an unindented header lists the requested descriptors
//! (`"a@^1", a@~1.2:`), and the indented body holds `version "1.2.3"`, `resolved "<url>#<sha1>"` and nested
//! `dependencies:` blocks. Berry files are YAML: each key is a comma-separated descriptor list, and `resolution:
//! "name@<protocol>:<ref>"` names the locked package (`npm:`, `workspace:`, `patch:`, `git`/`https` URLs,
//! `file:`/`link:`/`portal:`; `virtual:<hash>#<inner>` instances are peer-dependency copies of `<inner>`).
//!
//! Aliases (`alias@npm:real@^1`) report the real package. Berry's root workspace (`workspace:.`) is the project
//! and is skipped; other workspace members are reported with [`Source::Path`]. `patch:` and `virtual:` entries
//! whose underlying package is listed too are not reported twice. A yarn.lock alone does not say which packages
//! are direct or dev, so `direct` is `None` and `dev` is `false`.

use super::keyed::{split_name_at, Ordered};
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;

/// Parses a `yarn.lock` (classic or berry, told apart by the `__metadata` key).
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let berry = text
        .lines()
        .any(|l| l.starts_with("__metadata:") || l.starts_with("\"__metadata\":"));
    if berry {
        parse_berry(text)
    } else {
        parse_classic(text)
    }
}

fn is_git(s: &str) -> bool {
    let plain_http = s.starts_with("http://") || s.starts_with("https://");
    s.starts_with("git+")
        || s.starts_with("git:")
        || s.starts_with("git@")
        || s.starts_with("github:")
        || s.starts_with("gitlab:")
        || s.starts_with("bitbucket:")
        || s.starts_with("ssh:")
        || s.starts_with("https://codeload.github.com/")
        || (plain_http && (s.contains(".git#") || s.ends_with(".git")))
}

/// A git source from a URL or shorthand with an optional `#ref` (berry writes `#commit=<sha>`).
fn git_source(s: &str) -> Source {
    if let Some(rest) = s.strip_prefix("https://codeload.github.com/") {
        // https://codeload.github.com/<owner>/<repo>/tar.gz/<commit>
        let parts: Vec<&str> = rest.split('/').collect();
        if let [owner, repo, _, commit, ..] = parts.as_slice() {
            return Source::Git {
                url: format!("https://github.com/{owner}/{repo}"),
                rev: Some((*commit).to_string()),
            };
        }
    }
    let (url, rev) = match s.split_once('#') {
        Some((u, r)) => {
            let rev = r
                .split('&')
                .find_map(|kv| kv.strip_prefix("commit="))
                .unwrap_or(r);
            (u, Some(rev.to_string()))
        }
        None => (s, None),
    };
    Source::Git {
        url: url.strip_prefix("git+").unwrap_or(url).to_string(),
        rev,
    }
}

/// A GitHub shorthand (`owner/repo` or `owner/repo#ref`), which classic yarn accepts as a range.
fn is_github_shorthand(range: &str) -> bool {
    let path = range.split('#').next().unwrap_or(range);
    !range.contains(':')
        && !range.starts_with('@')
        && path.matches('/').count() == 1
        && !path.starts_with('.')
        && !path.starts_with('/')
}

// ---------------------------------------------------------------------------------------------------------
// Classic (v1)
// ---------------------------------------------------------------------------------------------------------

struct ClassicEntry {
    line: u32,
    descriptor: String,
    version: Option<String>,
    resolved: Option<String>,
}

/// Removes the quotes of a quoted classic-format string (with `\"` and `\\` escapes).
fn unquote(s: &str) -> String {
    let s = s.trim();
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => s.to_string(),
    }
}

/// The descriptors of a header (without its final `:`), split at commas outside quotes.
fn split_descriptors(header: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in header.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => {
                cur.push(c);
                escaped = true;
            }
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => {
                out.push(unquote(&cur));
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    out.push(unquote(&cur));
    out.retain(|d| !d.is_empty());
    out
}

fn parse_classic(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let mut entries: Vec<ClassicEntry> = Vec::new();
    for (i, raw_line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw_line.trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            let Some(header) = trimmed.strip_suffix(':') else {
                return Err(LockfileError::at(
                    n,
                    format!("invalid yarn.lock: expected an entry header ending in `:`, found `{trimmed}`"),
                ));
            };
            let descriptor = split_descriptors(header)
                .into_iter()
                .next()
                .ok_or_else(|| {
                    LockfileError::at(n, "invalid yarn.lock: entry header lists no descriptor")
                })?;
            entries.push(ClassicEntry {
                line: n,
                descriptor,
                version: None,
                resolved: None,
            });
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(LockfileError::at(
                n,
                "invalid yarn.lock: indented line before the first entry",
            ));
        };
        if indent != 2 || trimmed.ends_with(':') {
            continue; // nested `dependencies:` blocks and their lines
        }
        let (key, value) = match trimmed.split_once([' ', ':']) {
            Some((k, v)) => (unquote(k), unquote(v.trim_start_matches(':'))),
            None => continue,
        };
        match key.as_str() {
            "version" => entry.version = Some(value),
            "resolved" => entry.resolved = Some(value),
            _ => {}
        }
    }

    let mut out = ParsedLockfile::default();
    for e in entries {
        let version = e
            .version
            .filter(|v| !v.is_empty())
            .ok_or_else(|| LockfileError::at(e.line, "invalid yarn.lock: entry has no version"))?;
        let Some((requested, range)) = split_name_at(&e.descriptor) else {
            return Err(LockfileError::at(
                e.line,
                format!(
                    "invalid yarn.lock: descriptor `{}` has no `@range`",
                    e.descriptor
                ),
            ));
        };
        let (name, range) = match range.strip_prefix("npm:") {
            Some(alias) => split_name_at(alias).unwrap_or((alias, "")),
            None => (requested, range),
        };
        let resolved = e.resolved.as_deref();
        let source = if is_git(range) || is_github_shorthand(range) || resolved.is_some_and(is_git)
        {
            match resolved {
                Some(r) if is_git(r) => git_source(r),
                _ => git_source(range),
            }
        } else if let Some(path) = range
            .strip_prefix("file:")
            .or_else(|| range.strip_prefix("link:"))
        {
            Source::Path {
                path: path.to_string(),
            }
        } else if range.starts_with("http://") || range.starts_with("https://") {
            Source::Url {
                url: range.to_string(),
            }
        } else {
            Source::Registry
        };
        out.packages.push(Package {
            ecosystem: Ecosystem::Npm,
            name: Ecosystem::Npm.normalize(name),
            version,
            direct: None,
            dev: false,
            optional: false,
            line: e.line,
            source,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------------
// Berry (v2+)
// ---------------------------------------------------------------------------------------------------------

/// A scalar read as its text, whatever YAML type it resolves to (`version: 10` in `__metadata`).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            S(String),
            I(i64),
            U(u64),
            F(f64),
            B(bool),
        }
        Ok(Text(match Any::deserialize(d)? {
            Any::S(s) => s,
            Any::I(i) => i.to_string(),
            Any::U(u) => u.to_string(),
            Any::F(f) => f.to_string(),
            Any::B(b) => b.to_string(),
        }))
    }
}

#[derive(Deserialize)]
struct BerryEntry {
    version: Option<Text>,
    resolution: Option<String>,
}

/// Decodes the `%XX` escapes berry uses inside `patch:` references.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            if let Some(v) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Source of a berry reference (the part of a resolution after `name@`); `None` for the root workspace.
fn berry_source(reference: &str) -> Option<Source> {
    if reference.starts_with("npm:") {
        return Some(Source::Registry);
    }
    if let Some(path) = reference.strip_prefix("workspace:") {
        return (path != ".").then(|| Source::Path {
            path: path.to_string(),
        });
    }
    if is_git(reference) || reference.contains("#commit=") {
        return Some(git_source(reference));
    }
    for proto in ["file:", "link:", "portal:", "exec:"] {
        if let Some(path) = reference.strip_prefix(proto) {
            let path = path.split("::").next().unwrap_or(path);
            return Some(Source::Path {
                path: path.split('#').next().unwrap_or(path).to_string(),
            });
        }
    }
    Some(Source::Url {
        url: reference.to_string(),
    })
}

fn parse_berry(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let doc: Ordered<serde_saphyr::Spanned<String>, BerryEntry> =
        super::yaml::parse(text, "yarn.lock")?;

    // (package, derived from another entry: patch or virtual)
    let mut found: Vec<(Package, bool)> = Vec::new();
    for (key, entry) in doc.0 {
        if key.value == "__metadata" {
            continue;
        }
        let line = u32::try_from(key.referenced.line())
            .unwrap_or(u32::MAX)
            .max(1);
        let resolution = entry.resolution.ok_or_else(|| {
            LockfileError::at(
                line,
                format!("invalid yarn.lock: `{}` has no resolution", key.value),
            )
        })?;
        let (mut name, mut reference) = split_name_at(&resolution).ok_or_else(|| {
            LockfileError::at(
                line,
                format!("invalid yarn.lock: resolution `{resolution}` has no `@`"),
            )
        })?;
        let mut derived = false;
        if let Some(rest) = reference.strip_prefix("virtual:") {
            reference = rest.split_once('#').map_or(rest, |(_, inner)| inner);
            derived = true;
        }
        let patched;
        if let Some(rest) = reference.strip_prefix("patch:") {
            // patch:<inner descriptor, %-encoded>#<patch path>[::version=...&hash=...]
            patched = percent_decode(rest.split('#').next().unwrap_or(rest));
            if let Some((n, r)) = split_name_at(&patched) {
                name = n;
                reference = r;
            }
            derived = true;
        }
        let Some(source) = berry_source(reference) else {
            continue; // the root workspace: the project itself
        };
        let version = entry
            .version
            .map(|t| t.0)
            .filter(|v| !v.is_empty())
            .or_else(|| reference.strip_prefix("npm:").map(str::to_string))
            .ok_or_else(|| {
                LockfileError::at(
                    line,
                    format!("invalid yarn.lock: `{}` has no version", key.value),
                )
            })?;
        let package = Package {
            ecosystem: Ecosystem::Npm,
            name: Ecosystem::Npm.normalize(name),
            version,
            direct: None,
            dev: false,
            optional: false,
            line,
            source,
        };
        found.push((package, derived));
    }

    let plain: std::collections::HashSet<(String, String)> = found
        .iter()
        .filter(|(_, derived)| !derived)
        .map(|(p, _)| (p.name.clone(), p.version.clone()))
        .collect();
    let mut seen_derived = std::collections::HashSet::new();
    let packages = found
        .into_iter()
        .filter(|(p, derived)| {
            !derived
                || (!plain.contains(&(p.name.clone(), p.version.clone()))
                    && seen_derived.insert((p.name.clone(), p.version.clone())))
        })
        .map(|(p, _)| p)
        .collect();
    Ok(ParsedLockfile {
        packages,
        ..ParsedLockfile::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_line as summary;

    fn rows(v: &[(&str, &str, u32)]) -> Vec<(String, String, u32)> {
        v.iter()
            .map(|(n, v, l)| ((*n).into(), (*v).into(), *l))
            .collect()
    }

    const CLASSIC: &str = "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n\
\"@babel/core@^7.0.0\", \"@babel/core@^7.1.0\":\n  version \"7.2.0\"\n  resolved \"https://registry.yarnpkg.com/@babel/core/-/core-7.2.0.tgz#abc\"\n  dependencies:\n    debug \"^4.1.0\"\n\n\
debug@^3.1.0:\n  version \"3.2.7\"\n  resolved \"https://registry.yarnpkg.com/debug/-/debug-3.2.7.tgz#def\"\n\n\
debug@^4.1.0:\n  version \"4.3.4\"\n\n\
\"old-react@npm:react@^16\":\n  version \"16.14.0\"\n  resolved \"https://registry.yarnpkg.com/react/-/react-16.14.0.tgz#123\"\n\n\
tool@owner/tool#v1.0:\n  version \"1.0.0\"\n  resolved \"https://codeload.github.com/owner/tool/tar.gz/0123456789abcdef\"\n\n\
\"g@git+https://example.com/g.git#deadbeef\":\n  version \"0.3.0\"\n  resolved \"git+https://example.com/g.git#deadbeef\"\n\n\
\"local@file:./vendor/local\":\n  version \"0.0.1\"\n\n\
\"t@https://example.com/t-1.0.0.tgz\":\n  version \"1.0.0\"\n  resolved \"https://example.com/t-1.0.0.tgz\"\n";

    #[test]
    fn classic_entries_aliases_git_path_url() {
        let p = parse(CLASSIC).unwrap_or_default();
        assert_eq!(
            summary(&p),
            rows(&[
                ("@babel/core", "7.2.0", 5),
                ("debug", "3.2.7", 11),
                ("debug", "4.3.4", 15),
                ("react", "16.14.0", 18),
                ("tool", "1.0.0", 22),
                ("g", "0.3.0", 26),
                ("local", "0.0.1", 30),
                ("t", "1.0.0", 33),
            ])
        );
        assert!(p.packages.iter().all(|p| p.direct.is_none() && !p.dev));
        let sources: Vec<Source> = p.packages.iter().map(|p| p.source.clone()).collect();
        assert_eq!(sources[0], Source::Registry);
        assert_eq!(sources[3], Source::Registry);
        assert_eq!(
            sources[4],
            Source::Git {
                url: "https://github.com/owner/tool".into(),
                rev: Some("0123456789abcdef".into())
            }
        );
        assert_eq!(
            sources[5],
            Source::Git {
                url: "https://example.com/g.git".into(),
                rev: Some("deadbeef".into())
            }
        );
        assert_eq!(
            sources[6],
            Source::Path {
                path: "./vendor/local".into()
            }
        );
        assert_eq!(
            sources[7],
            Source::Url {
                url: "https://example.com/t-1.0.0.tgz".into()
            }
        );
    }

    #[test]
    fn classic_crlf_matches_lf() {
        let crlf = CLASSIC.replace('\n', "\r\n");
        assert_eq!(parse(&crlf), parse(CLASSIC));
    }

    const BERRY: &str = "# This file is generated by running \"yarn install\" inside your project.\n\
# Manual changes might be lost - proceed with caution!\n\n\
__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\
\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n  dependencies:\n    lib: \"workspace:^\"\n    lodash: \"npm:^4.17.0\"\n  languageName: unknown\n  linkType: soft\n\n\
\"lib@workspace:^, lib@workspace:packages/lib\":\n  version: 0.0.0-use.local\n  resolution: \"lib@workspace:packages/lib\"\n  languageName: unknown\n  linkType: soft\n\n\
\"lodash@npm:^4.17.0\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n  checksum: 10c0/abc\n  languageName: node\n  linkType: hard\n\n\
\"lodash3@npm:lodash@^3\":\n  version: 3.10.1\n  resolution: \"lodash@npm:3.10.1\"\n  languageName: node\n  linkType: hard\n\n\
\"resolve@npm:^1.20.0\":\n  version: 1.22.8\n  resolution: \"resolve@npm:1.22.8\"\n  languageName: node\n  linkType: hard\n\n\
\"resolve@patch:resolve@npm%3A^1.20.0#optional!builtin<compat/resolve>\":\n  version: 1.22.8\n  resolution: \"resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d\"\n  languageName: node\n  linkType: hard\n\n\
\"only-patched@patch:only-patched@npm%3A1.0.0#./.yarn/patches/p.patch::locator=app%40workspace%3A.\":\n  version: 1.0.0\n  resolution: \"only-patched@patch:only-patched@npm%3A1.0.0#./.yarn/patches/p.patch::version=1.0.0&hash=1&locator=app%40workspace%3A.\"\n  languageName: node\n  linkType: hard\n\n\
\"gitdep@https://github.com/o/gitdep.git#commit=0badc0de\":\n  version: 2.0.0\n  resolution: \"gitdep@https://github.com/o/gitdep.git#commit=0badc0de\"\n  languageName: node\n  linkType: hard\n";

    #[test]
    fn berry_workspaces_aliases_patches_git() {
        let p = parse(BERRY).unwrap_or_default();
        assert_eq!(
            summary(&p),
            rows(&[
                ("lib", "0.0.0-use.local", 17),
                ("lodash", "4.17.21", 23),
                ("lodash", "3.10.1", 30),
                ("resolve", "1.22.8", 36),
                ("only-patched", "1.0.0", 48),
                ("gitdep", "2.0.0", 54),
            ])
        );
        assert_eq!(
            p.packages[0].source,
            Source::Path {
                path: "packages/lib".into()
            }
        );
        assert_eq!(p.packages[4].source, Source::Registry);
        assert_eq!(
            p.packages[5].source,
            Source::Git {
                url: "https://github.com/o/gitdep.git".into(),
                rev: Some("0badc0de".into())
            }
        );
        let crlf = BERRY.replace('\n', "\r\n");
        assert_eq!(parse(&crlf), parse(BERRY));
    }

    #[test]
    fn malformed_files_name_the_line() {
        let e =
            parse("# yarn lockfile v1\n\na@^1:\n  version \"1.0.0\"\nb@^2\n  version \"2.0.0\"\n")
                .err()
                .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(5), "{e}");
        let e = parse("a@^1:\n  resolved \"https://x/a.tgz\"\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(1), "{e}");
        assert!(e.message.contains("no version"), "{e}");
        let e = parse("__metadata:\n  version: 8\n\n\"a@npm:^1\":\n  version: 1.0.0\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("no resolution"), "{e}");
        let e = parse("__metadata:\n  version: 8\n\"a@npm:^1\": [unclosed\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.line.is_some(), "{e}");
    }
}
