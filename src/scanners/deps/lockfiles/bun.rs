//! `bun.lock`, Bun's text lock file: JSON with trailing commas and comments allowed.
//!
//! `workspaces` maps a folder to its manifest (`""` is the project); `packages` maps a key to an array whose
//! first element is `name@resolution`. A key is the package name for the copy at the top of `node_modules`, or
//! `parent/name` for a copy nested under `parent` (another version). Resolutions are a version (the registry),
//! `workspace:path` (a workspace member: the project's own code, not reported), `github:owner/repo#commit` and
//! `git+url#commit` (git; the commit is reported as the version), `file:`/`link:` paths and tarball URLs. A
//! top-level copy is direct when a workspace lists it, and dev when only `devDependencies` do.

use super::keyed::{split_name_at, JsonKey, LineIndex, Ordered};
use crate::scanners::deps::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct RawLock<'a> {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<u32>,
    #[serde(default)]
    workspaces: BTreeMap<String, RawWorkspace>,
    #[serde(borrow, default)]
    packages: Ordered<JsonKey<'a>, Vec<serde_json::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawWorkspace {
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, String>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, String>,
    #[serde(default)]
    peer_dependencies: BTreeMap<String, String>,
}

/// Blanks out comments and trailing commas, keeping every byte offset (and so every line) unchanged.
fn strip_jsonc(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                let end = (i + 2).min(b.len());
                for (j, o) in out.iter_mut().enumerate().take(end).skip(start) {
                    if b[j] != b'\n' {
                        *o = b' ';
                    }
                }
                i = end;
                continue;
            }
            b',' => {
                let next = b[i + 1..].iter().find(|x| !x.is_ascii_whitespace());
                if matches!(next, Some(b'}') | Some(b']')) {
                    out[i] = b' ';
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by spaces, and only outside strings: still valid UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Parses a `bun.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let clean = strip_jsonc(text);
    let raw: RawLock =
        serde_json::from_str(&clean).map_err(|e| super::pos::json_error("bun.lock", &e))?;
    if let Some(v) = raw.lockfile_version {
        if v > 1 {
            return Err(LockfileError::new(format!(
                "unsupported bun.lock lockfileVersion {v} (0 and 1 are known)"
            )));
        }
    }
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    let mut non_dev: BTreeSet<&str> = BTreeSet::new();
    let mut optional: BTreeSet<&str> = BTreeSet::new();
    for ws in raw.workspaces.values() {
        for name in ws
            .dependencies
            .keys()
            .chain(ws.optional_dependencies.keys())
            .chain(ws.peer_dependencies.keys())
        {
            listed.insert(name);
            non_dev.insert(name);
        }
        optional.extend(ws.optional_dependencies.keys().map(String::as_str));
        listed.extend(ws.dev_dependencies.keys().map(String::as_str));
    }
    let lines = LineIndex::new(&clean);
    let mut out = ParsedLockfile::default();
    for (key, entry) in &raw.packages.0 {
        let line = key.offset_in(&clean).map_or(1, |o| lines.line(o));
        let Some(ident) = entry.first().and_then(|v| v.as_str()) else {
            return Err(LockfileError::at(
                line,
                format!("package `{}`: expected [\"name@version\", …]", key.as_str()),
            ));
        };
        let Some((name, resolution)) = split_name_at(ident) else {
            return Err(LockfileError::at(
                line,
                format!(
                    "package `{}`: `{ident}` is not name@resolution",
                    key.as_str()
                ),
            ));
        };
        // A nested copy's key is `parent/name`; only the top-level copy is the one the project asked for.
        let top_level = key.as_str() == name;
        let (name, version, source) = if resolution.starts_with("workspace:") {
            continue;
        } else if let Some(rest) = resolution.strip_prefix("npm:") {
            match split_name_at(rest) {
                Some((real, v)) => (real, v.to_string(), Source::Registry),
                None => (name, rest.to_string(), Source::Registry),
            }
        } else if let Some(repo) = resolution.strip_prefix("github:") {
            let (repo, rev) = repo
                .split_once('#')
                .map_or((repo, None), |(r, c)| (r, Some(c.to_string())));
            let url = format!("https://github.com/{repo}");
            (
                name,
                rev.clone().unwrap_or_else(|| repo.to_string()),
                Source::Git { url, rev },
            )
        } else if let Some(url) = resolution.strip_prefix("git+") {
            let (url, rev) = url
                .split_once('#')
                .map_or((url, None), |(u, c)| (u, Some(c.to_string())));
            (
                name,
                rev.clone().unwrap_or_else(|| url.to_string()),
                Source::Git {
                    url: url.to_string(),
                    rev,
                },
            )
        } else if let Some(path) = resolution
            .strip_prefix("file:")
            .or_else(|| resolution.strip_prefix("link:"))
        {
            (
                name,
                resolution.to_string(),
                Source::Path {
                    path: path.to_string(),
                },
            )
        } else if resolution.starts_with("http://") || resolution.starts_with("https://") {
            (
                name,
                resolution.to_string(),
                Source::Url {
                    url: resolution.to_string(),
                },
            )
        } else if resolution.is_empty() {
            return Err(LockfileError::at(
                line,
                format!("package `{}` has no version", key.as_str()),
            ));
        } else {
            (name, resolution.to_string(), Source::Registry)
        };
        let direct = top_level && listed.contains(key.as_str());
        out.packages.push(Package {
            ecosystem: Ecosystem::Npm,
            name: Ecosystem::Npm.normalize(name),
            version,
            direct: Some(direct),
            dev: direct && !non_dev.contains(key.as_str()),
            optional: direct && optional.contains(key.as_str()),
            line,
            source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"{
  "lockfileVersion": 1,
  // the project and one member
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": { "lodash": "^4.17.20", "left": "npm:left-pad@1.3.0", },
      "devDependencies": { "typescript": "^5.0.0" },
    },
    "packages/util": { "name": "util", "dependencies": { "ms": "^2.1.3" } },
  },
  "packages": {
    "lodash": ["lodash@4.17.21", "", {}, "sha512-abc"],
    "left": ["left@npm:left-pad@1.3.0", "", {}, "sha512-def"],
    "typescript": ["typescript@5.4.5", "", { "bin": { "tsc": "bin/tsc" } }, "sha512-ghi"],
    "ms": ["ms@2.1.3", "", {}, "sha512-jkl"],
    "debug/ms": ["ms@2.0.0", "", {}, "sha512-mno"],
    "util": ["util@workspace:packages/util"],
    "tool": ["tool@github:acme/tool#0123abc", {}],
    /* a tarball */
    "tar": ["tar@https://example.org/tar-1.0.0.tgz", {}],
  },
}
"#;

    #[test]
    fn packages_with_lines_sources_and_direct() {
        let p = parse(LOCK).unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(String, String, Option<bool>, bool, u32)> = p
            .packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.direct, p.dev, p.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("lodash".into(), "4.17.21".into(), Some(true), false, 13),
                ("left-pad".into(), "1.3.0".into(), Some(true), false, 14),
                ("typescript".into(), "5.4.5".into(), Some(true), true, 15),
                ("ms".into(), "2.1.3".into(), Some(true), false, 16),
                ("ms".into(), "2.0.0".into(), Some(false), false, 17),
                ("tool".into(), "0123abc".into(), Some(false), false, 19),
                (
                    "tar".into(),
                    "https://example.org/tar-1.0.0.tgz".into(),
                    Some(false),
                    false,
                    21
                ),
            ]
        );
        assert_eq!(
            p.packages[5].source,
            Source::Git {
                url: "https://github.com/acme/tool".into(),
                rev: Some("0123abc".into())
            }
        );
    }

    #[test]
    fn crlf_and_errors() {
        let crlf = LOCK.replace('\n', "\r\n");
        assert_eq!(parse(&crlf).map(|p| p.packages.len()).unwrap_or(0), 7);
        let e = parse("{\"packages\": {\"a\": [1]}}")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("expected [\"name@version\""), "{e}");
        let e = parse("{\"packages\": {\"a\": [\"a@1\"]")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("invalid bun.lock"), "{e}");
        let e = parse("{\"lockfileVersion\": 7}")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("unsupported"), "{e}");
    }
}
