//! `package-lock.json` (lockfile versions 1, 2 and 3) and `npm-shrinkwrap.json` (the same format).
//!
//! Versions 2 and 3 describe the installed tree in `packages`, keyed by folder: `""` is the project itself
//! (skipped), `node_modules/a` is installed at the top, `node_modules/a/node_modules/b` is a copy nested under
//! `a` (usually another version), and keys without `node_modules/` are workspace members or `file:` folders
//! (reported with [`Source::Path`]). `link: true` entries are symlinks to those folders and are skipped (the
//! target is listed under its own key). An installed folder whose `name` differs from its key is an alias
//! (`"x": "npm:real@1"`): the package is `name`. A package is direct when the project or a workspace member
//! lists it in `dependencies`, `devDependencies` or `optionalDependencies` and node's lookup from that folder
//! finds this copy. `dev` and `optional` are the entry's flags; `devOptional` (needed unless both dev and
//! optional dependencies are omitted) counts as optional, not dev.
//!
//! Version 1 (npm 5 and 6) only has the nested `dependencies` tree and no record of the project's own
//! dependencies, so `direct` is unknown there. Its `version` holds the source for non-registry packages:
//! `npm:real@1.2.3` (alias), a git URL with `#commit` (the commit is reported as the version), a tarball URL or
//! a `file:` path (reported as written).
//!
//! Version 2 carries both sections; `packages` is used whenever it is present.

use super::keyed::{split_name_at, JsonKey, LineIndex, Ordered};
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize)]
struct RawLock<'a> {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: u32,
    #[serde(borrow)]
    packages: Option<Ordered<JsonKey<'a>, RawPackage>>,
    #[serde(borrow)]
    dependencies: Option<Ordered<JsonKey<'a>, RawDep<'a>>>,
}

type DepNames = Option<BTreeMap<String, IgnoredAny>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPackage {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dev_optional: bool,
    dependencies: DepNames,
    dev_dependencies: DepNames,
    optional_dependencies: DepNames,
}

#[derive(Deserialize)]
struct RawDep<'a> {
    version: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(borrow)]
    dependencies: Option<Ordered<JsonKey<'a>, RawDep<'a>>>,
}

/// Parses a `package-lock.json` or `npm-shrinkwrap.json`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = serde_json::from_str(text).map_err(|e| {
        let line = u32::try_from(e.line()).ok().filter(|&l| l > 0);
        LockfileError {
            line,
            message: format!("invalid package-lock.json: {e}"),
        }
    })?;
    if raw.lockfile_version == 0 || raw.lockfile_version > 3 {
        return Err(LockfileError::new(format!(
            "unsupported package-lock.json lockfileVersion {}",
            raw.lockfile_version
        )));
    }
    let index = LineIndex::new(text);
    let mut out = ParsedLockfile::default();
    if let Some(packages) = raw.packages {
        parse_packages(text, &index, packages.0, &mut out);
    } else if let Some(deps) = raw.dependencies {
        let mut last_line = 1;
        parse_v1(text, &index, deps.0, &mut last_line, &mut out);
    }
    Ok(out)
}

/// Line of a key, or the previous key's line when the key had escapes (its position is then unknown).
fn key_line(text: &str, index: &LineIndex, key: &JsonKey, last: &mut u32) -> u32 {
    if let Some(at) = key.offset_in(text) {
        *last = index.line(at);
    }
    *last
}

/// Source of a package from its `resolved` field (or a v1 `version` holding a URL).
fn source_of(resolved: Option<&str>) -> Source {
    let Some(r) = resolved else {
        return Source::Registry;
    };
    if r.starts_with("git+")
        || r.starts_with("git:")
        || r.starts_with("git@")
        || r.starts_with("github:")
        || r.starts_with("gitlab:")
        || r.starts_with("bitbucket:")
    {
        let (url, rev) = match r.split_once('#') {
            Some((u, rev)) => (u, Some(rev.to_string())),
            None => (r, None),
        };
        return Source::Git {
            url: url.strip_prefix("git+").unwrap_or(url).to_string(),
            rev,
        };
    }
    if r.starts_with("http://") || r.starts_with("https://") {
        // Registry tarballs are `<registry>/<name>/-/<basename>-<version>.tgz`.
        if r.contains("/-/") && r.ends_with(".tgz") {
            return Source::Registry;
        }
        return Source::Url { url: r.to_string() };
    }
    Source::Path {
        path: r.strip_prefix("file:").unwrap_or(r).to_string(),
    }
}

/// The folder a `packages` key installs into, minus the last `node_modules/<name>`: `""` for the top.
fn parent_folder(key: &str) -> Option<&str> {
    let i = key.rfind("node_modules/")?;
    Some(key.get(..i)?.trim_end_matches('/'))
}

fn parse_packages(
    text: &str,
    index: &LineIndex,
    packages: Vec<(JsonKey, RawPackage)>,
    out: &mut ParsedLockfile,
) {
    let by_key: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();

    // Node's lookup from each local folder (the project and its workspace members) for each declared name.
    let mut direct = vec![false; packages.len()];
    for (key, pkg) in &packages {
        let folder = key.as_str();
        if folder.contains("node_modules/") || pkg.link {
            continue;
        }
        let names = [
            &pkg.dependencies,
            &pkg.dev_dependencies,
            &pkg.optional_dependencies,
        ];
        for name in names.into_iter().flatten().flat_map(|m| m.keys()) {
            let mut dir = folder;
            loop {
                let candidate = if dir.is_empty() {
                    format!("node_modules/{name}")
                } else {
                    format!("{dir}/node_modules/{name}")
                };
                if let Some(&i) = by_key.get(candidate.as_str()) {
                    if let Some(d) = direct.get_mut(i) {
                        *d = true;
                    }
                    break;
                }
                if dir.is_empty() {
                    break;
                }
                dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
            }
        }
    }

    let mut last = 1;
    for (i, (key, pkg)) in packages.iter().enumerate() {
        let line = key_line(text, index, key, &mut last);
        let folder = key.as_str();
        if folder.is_empty() || pkg.link {
            continue;
        }
        let Some(version) = pkg.version.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let (name, source, is_direct) = match parent_folder(folder) {
            Some(_) => {
                let installed_as = folder
                    .rfind("node_modules/")
                    .and_then(|j| folder.get(j + "node_modules/".len()..))
                    .unwrap_or(folder);
                let name = pkg.name.as_deref().unwrap_or(installed_as);
                let is_direct = direct.get(i).copied().unwrap_or(false);
                (name, source_of(pkg.resolved.as_deref()), Some(is_direct))
            }
            None => {
                // A workspace member or a `file:` folder: the project's own code.
                let name = pkg
                    .name
                    .as_deref()
                    .unwrap_or_else(|| folder.rsplit('/').next().unwrap_or(folder));
                let source = Source::Path {
                    path: folder.to_string(),
                };
                (name, source, None)
            }
        };
        out.packages.push(Package {
            ecosystem: Ecosystem::Npm,
            name: Ecosystem::Npm.normalize(name),
            version: version.to_string(),
            direct: is_direct,
            dev: pkg.dev,
            optional: pkg.optional || pkg.dev_optional,
            line,
            source,
        });
    }
}

fn parse_v1(
    text: &str,
    index: &LineIndex,
    deps: Vec<(JsonKey, RawDep)>,
    last: &mut u32,
    out: &mut ParsedLockfile,
) {
    for (key, dep) in deps {
        let line = key_line(text, index, &key, last);
        if let Some(spec) = dep.version.as_deref().filter(|v| !v.is_empty()) {
            let (name, version, source) = v1_version(key.as_str(), spec);
            out.packages.push(Package {
                ecosystem: Ecosystem::Npm,
                name: Ecosystem::Npm.normalize(name),
                version,
                direct: None,
                dev: dep.dev,
                optional: dep.optional,
                line,
                source,
            });
        }
        if let Some(nested) = dep.dependencies {
            parse_v1(text, index, nested.0, last, out);
        }
    }
}

/// Name, version and source of a v1 entry from its key and `version`.
fn v1_version<'a>(key: &'a str, spec: &'a str) -> (&'a str, String, Source) {
    if let Some(alias) = spec.strip_prefix("npm:") {
        if let Some((name, version)) = split_name_at(alias) {
            return (name, version.to_string(), Source::Registry);
        }
    }
    if spec.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return (key, spec.to_string(), Source::Registry);
    }
    let source = source_of(Some(spec));
    let version = match &source {
        Source::Git { rev: Some(rev), .. } => rev.clone(),
        _ => spec.to_string(),
    };
    (key, version, source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::parsers::testutil::{summary, Row};

    fn row(
        name: &str,
        version: &str,
        direct: Option<bool>,
        dev: bool,
        opt: bool,
        line: u32,
    ) -> Row {
        (name.into(), version.into(), direct, dev, opt, line)
    }

    const V3: &str = r#"{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "app",
      "version": "1.0.0",
      "workspaces": ["packages/*"],
      "dependencies": { "a": "^1.0.0", "lodash4": "npm:lodash@^4" },
      "devDependencies": { "b": "^2.0.0" },
      "optionalDependencies": { "fsevents": "^2" }
    },
    "node_modules/a": {
      "version": "1.2.0",
      "resolved": "https://registry.npmjs.org/a/-/a-1.2.0.tgz",
      "dependencies": { "c": "^1.0.0" }
    },
    "node_modules/a/node_modules/c": {
      "version": "1.0.1",
      "resolved": "https://registry.npmjs.org/c/-/c-1.0.1.tgz"
    },
    "node_modules/b": {
      "version": "2.0.0",
      "resolved": "git+ssh://git@github.com/o/b.git#0123abc",
      "dev": true
    },
    "node_modules/c": {
      "version": "3.0.0",
      "resolved": "https://example.com/c.tgz",
      "devOptional": true
    },
    "node_modules/fsevents": {
      "version": "2.3.3",
      "optional": true
    },
    "node_modules/lodash4": {
      "name": "lodash",
      "version": "4.17.21"
    },
    "node_modules/@me/util": {
      "resolved": "packages/util",
      "link": true
    },
    "packages/util": {
      "name": "@me/util",
      "version": "0.1.0",
      "dependencies": { "c": "^3", "@types/Node": "20" }
    },
    "packages/util/node_modules/@types/Node": {
      "version": "20.1.0",
      "dev": true
    }
  }
}
"#;

    #[test]
    fn v3_tree_with_workspace_alias_git_url_and_nesting() {
        let p = parse(V3).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                row("a", "1.2.0", Some(true), false, false, 15),
                row("c", "1.0.1", Some(false), false, false, 20),
                row("b", "2.0.0", Some(true), true, false, 24),
                row("c", "3.0.0", Some(true), false, true, 29),
                row("fsevents", "2.3.3", Some(true), false, true, 34),
                row("lodash", "4.17.21", Some(true), false, false, 38),
                row("@me/util", "0.1.0", None, false, false, 46),
                row("@types/Node", "20.1.0", Some(true), true, false, 51),
            ]
        );
        assert_eq!(
            p.packages[2].source,
            Source::Git {
                url: "ssh://git@github.com/o/b.git".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(
            p.packages[3].source,
            Source::Url {
                url: "https://example.com/c.tgz".into()
            }
        );
        assert_eq!(p.packages[4].source, Source::Registry);
        assert_eq!(
            p.packages[6].source,
            Source::Path {
                path: "packages/util".into()
            }
        );
    }

    #[test]
    fn crlf_and_v2_prefers_packages() {
        let text = "{\r\n  \"lockfileVersion\": 2,\r\n  \"packages\": {\r\n    \"\": { \"dependencies\": { \"x\": \"1\" } },\r\n    \"node_modules/x\": { \"version\": \"1.0.0\" }\r\n  },\r\n  \"dependencies\": {\r\n    \"x\": { \"version\": \"1.0.0\" }\r\n  }\r\n}\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![row("x", "1.0.0", Some(true), false, false, 5)]
        );
    }

    #[test]
    fn v1_nested_aliases_git_tarball_and_file() {
        let text = r#"{
  "name": "old",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "a": {
      "version": "1.0.0",
      "dev": true,
      "dependencies": {
        "b": { "version": "2.0.0", "dev": true, "optional": true }
      }
    },
    "b": { "version": "1.0.0" },
    "old-lodash": { "version": "npm:lodash@3.10.1" },
    "@scope/g": { "version": "github:o/g#abc123", "from": "github:o/g" },
    "t": { "version": "https://example.com/t/tarball/master" },
    "local": { "version": "file:../local" }
  }
}"#;
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                row("a", "1.0.0", None, true, false, 6),
                row("b", "2.0.0", None, true, true, 10),
                row("b", "1.0.0", None, false, false, 13),
                row("lodash", "3.10.1", None, false, false, 14),
                row("@scope/g", "abc123", None, false, false, 15),
                row(
                    "t",
                    "https://example.com/t/tarball/master",
                    None,
                    false,
                    false,
                    16
                ),
                row("local", "file:../local", None, false, false, 17),
            ]
        );
        assert_eq!(
            p.packages[4].source,
            Source::Git {
                url: "github:o/g".into(),
                rev: Some("abc123".into())
            }
        );
        assert_eq!(
            p.packages[6].source,
            Source::Path {
                path: "../local".into()
            }
        );
    }

    #[test]
    fn malformed_files_name_the_problem() {
        let e = parse("{\n \"lockfileVersion\": 2,\n \"packages\": {\n \"node_modules/a\": {\"version\": 1}\n }\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("invalid type"), "{e}");
        let e = parse("{\n \"lockfileVersion\": 3,\n \"packages\": {\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("EOF"), "{e}");
        let e = parse("{\"packages\": {}}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("lockfileVersion"), "{e}");
        let e = parse("{\"lockfileVersion\": 9}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("unsupported"), "{e}");
    }
}
