//! `bun.lock`, Bun's text lock file: JSON with trailing commas and comments allowed.
//!
//! `workspaces` maps a folder to its manifest (`""` is the project); `packages` maps a key to an array whose
//! first element is `name@resolution`. A key is the name the dependency is installed under (the alias for
//! `npm:` aliases, whose entry names the real package: `"left": ["left-pad@1.3.0", …]`) for the copy at the
//! top of `node_modules`, or `parent/name` for a copy nested under `parent` (another version; `parent` may be
//! a workspace member's package name). Resolutions are a version (the registry), `workspace:path` (a workspace
//! member) and `root:` (the project itself), both the project's own code and not reported,
//! `github:owner/repo#commit` and `git+url#commit` (git; the commit is reported as the version), `file:` and
//! `link:` paths, tarball URLs and local tarball paths (`vendor/pkg-1.0.0.tgz`, reported as the version with
//! a `Source::Path`). A copy is direct when a workspace lists its key and node's lookup from that workspace
//! finds it (the workspace's own nested copy first, then the top-level one); dev when only
//! `devDependencies` list it, optional when an `optionalDependencies` does. Lock file versions 0 to 2 are
//! read (version 2 has the same content as 1).

use super::keyed::{split_name_at, JsonKey, LineIndex, Ordered};
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
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
    name: Option<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, String>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, String>,
    #[serde(default)]
    peer_dependencies: BTreeMap<String, String>,
}

/// How the workspaces list a package: in `dependencies`/`peerDependencies`, `devDependencies`,
/// `optionalDependencies` (which also counts as a non-dev listing).
#[derive(Clone, Copy, Default)]
struct Listing {
    prod: bool,
    dev: bool,
    optional: bool,
}

impl Listing {
    const PROD: Listing = Listing {
        prod: true,
        dev: false,
        optional: false,
    };
    const DEV: Listing = Listing {
        prod: false,
        dev: true,
        optional: false,
    };
    const OPTIONAL: Listing = Listing {
        prod: true,
        dev: false,
        optional: true,
    };

    fn add(&mut self, other: Listing) {
        self.prod |= other.prod;
        self.dev |= other.dev;
        self.optional |= other.optional;
    }
}

/// A resolution that is a tarball path relative to the project (`vendor/pkg-1.0.0.tgz`): Bun writes local
/// tarballs without their `file:` prefix. Registry versions contain no `/`.
fn is_local_tarball(resolution: &str) -> bool {
    !resolution.contains("://")
        && (resolution.contains('/')
            || resolution.ends_with(".tgz")
            || resolution.ends_with(".tar.gz"))
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
        if v > 2 {
            return Err(LockfileError::new(format!(
                "unsupported bun.lock lockfileVersion {v} (0 to 2 are known)"
            )));
        }
    }
    let keys: BTreeSet<&str> = raw.packages.0.iter().map(|(k, _)| k.as_str()).collect();
    // Per package key that a workspace's dependency resolves to: how it is listed.
    let mut listed: BTreeMap<String, Listing> = BTreeMap::new();
    for ws in raw.workspaces.values() {
        let lists = [
            (&ws.dependencies, Listing::PROD),
            (&ws.optional_dependencies, Listing::OPTIONAL),
            (&ws.peer_dependencies, Listing::PROD),
            (&ws.dev_dependencies, Listing::DEV),
        ];
        for (deps, how) in lists {
            for dep in deps.keys() {
                // Node's lookup from the workspace folder: its own nested copy first, then the top level.
                let nested = ws.name.as_ref().map(|n| format!("{n}/{dep}"));
                let key = match nested {
                    Some(k) if keys.contains(k.as_str()) => k,
                    _ => dep.clone(),
                };
                listed.entry(key).or_default().add(how);
            }
        }
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
        let (name, version, source) =
            if resolution.starts_with("workspace:") || resolution.starts_with("root:") {
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
            } else if is_local_tarball(resolution) {
                (
                    name,
                    resolution.to_string(),
                    Source::Path {
                        path: resolution.to_string(),
                    },
                )
            } else {
                (name, resolution.to_string(), Source::Registry)
            };
        let how = listed.get(key.as_str());
        out.packages.push(Package {
            ecosystem: Ecosystem::Npm,
            name: Ecosystem::Npm.normalize(name),
            version,
            direct: Some(how.is_some()),
            dev: how.is_some_and(|h| h.dev && !h.prod),
            optional: how.is_some_and(|h| h.optional),
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
    fn aliases_root_local_tarballs_nested_members_and_v2() {
        let text = r#"{
  "lockfileVersion": 2,
  "workspaces": {
    "": { "name": "app", "dependencies": { "left": "npm:left-pad@1.3.0", "t": "file:vendor/t-1.0.0.tgz" } },
    "packages/core": { "name": "@app/core", "dependencies": { "lodash": "^3" }, "devDependencies": { "ms": "2" } },
  },
  "packages": {
    "app": ["app@root:", { "bin": { "app": "cli.js" } }],
    "left": ["left-pad@1.3.0", "", {}, "sha512-x"],
    "lodash": ["lodash@4.17.21", "", {}, "sha512-y"],
    "ms": ["ms@2.1.3", "", {}, "sha512-z"],
    "t": ["t@vendor/t-1.0.0.tgz", {}],
    "@app/core/lodash": ["lodash@3.10.1", "", {}, "sha512-w"],
  }
}"#;
        let p = parse(text).unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, &str, Option<bool>, bool, u32)> = p
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.direct, p.dev, p.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("left-pad", "1.3.0", Some(true), false, 9),
                ("lodash", "4.17.21", Some(false), false, 10),
                ("ms", "2.1.3", Some(true), true, 11),
                ("t", "vendor/t-1.0.0.tgz", Some(true), false, 12),
                ("lodash", "3.10.1", Some(true), false, 13),
            ]
        );
        assert_eq!(
            p.packages[3].source,
            Source::Path {
                path: "vendor/t-1.0.0.tgz".into()
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
