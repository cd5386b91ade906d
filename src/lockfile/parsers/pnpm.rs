//! `pnpm-lock.yaml`, lockfile versions 5.x, 6.x and 9.x.
//!
//! Packages are the keys of `packages`: `/name/1.2.3` in v5, `/name@1.2.3` in v6 and `name@1.2.3` in v9
//! (scoped names keep their `@scope/`). Peer-dependency variants add a suffix that is not part of the version:
//! `_react@18.2.0` (v5) or `(react@18.2.0)` (v6, v9); v5 and v6 list each variant as its own key, reported
//! once (first line; dev or optional only if every variant is). v9 lists each package once in `packages` and
//! the variants in `snapshots`. Non-registry packages carry `name`/`version` fields and a `resolution` with a
//! `tarball`, a git `repo`/`commit` or a `directory`.
//!
//! Direct dependencies are those of the importers (`importers`, or the top-level `dependencies`,
//! `devDependencies` and `optionalDependencies` of single-project v5/v6 files); `link:` values are local
//! folders and not packages. `dev` and `optional` are the package's own flags in v5/v6; v9 drops `dev`, so a
//! package is dev there when the `snapshots` graph reaches it from importers' `devDependencies` only, and
//! optional when all its snapshots say `optional: true`.

use super::keyed::{split_name_at, Ordered};
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;
use std::collections::HashMap;

/// A scalar read as its text whatever YAML type it resolves to (`lockfileVersion: 5.4` is a number).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            S(String),
            I(i64),
            F(f64),
        }
        Ok(Text(match Any::deserialize(d)? {
            Any::S(s) => s,
            Any::I(i) => i.to_string(),
            Any::F(f) => f.to_string(),
        }))
    }
}

/// An importer's dependency: a plain version (v5) or `{specifier, version}` (v6, v9).
#[derive(Deserialize)]
#[serde(untagged)]
enum DirectDep {
    Plain(Text),
    Full { version: Text },
}

impl DirectDep {
    fn version(&self) -> &str {
        match self {
            DirectDep::Plain(t) | DirectDep::Full { version: t } => &t.0,
        }
    }
}

type Deps = Option<Ordered<String, DirectDep>>;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawImporter {
    dependencies: Deps,
    dev_dependencies: Deps,
    optional_dependencies: Deps,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLock {
    lockfile_version: Text,
    importers: Option<Ordered<String, RawImporter>>,
    dependencies: Deps,
    dev_dependencies: Deps,
    optional_dependencies: Deps,
    packages: Option<Ordered<serde_saphyr::Spanned<String>, RawPackage>>,
    snapshots: Option<Ordered<String, RawSnapshot>>,
}

#[derive(Deserialize, Default)]
struct RawResolution {
    integrity: Option<String>,
    tarball: Option<String>,
    repo: Option<String>,
    commit: Option<String>,
    directory: Option<String>,
}

#[derive(Deserialize)]
struct RawPackage {
    #[serde(default)]
    resolution: RawResolution,
    name: Option<String>,
    version: Option<Text>,
    dev: Option<bool>,
    #[serde(default)]
    optional: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSnapshot {
    dependencies: Option<Ordered<String, Text>>,
    optional_dependencies: Option<Ordered<String, Text>>,
    #[serde(default)]
    optional: bool,
}

/// Removes the peer-dependency suffix of a key or version: `(…)` in v6/v9, `_…` after the version in v5.
fn strip_peers(major: u32, s: &str) -> &str {
    if major >= 6 {
        return s.split('(').next().unwrap_or(s);
    }
    // v5: the suffix starts at the first `_` of the last path segment.
    let seg_start = s.rfind('/').map_or(0, |i| i + 1);
    match s.get(seg_start..).and_then(|seg| seg.find('_')) {
        Some(i) => s.get(..seg_start + i).unwrap_or(s),
        None => s,
    }
}

/// Name and version from a (peer-stripped) package key.
fn name_version(major: u32, key: &str) -> Option<(String, String)> {
    if major >= 9 {
        let (n, v) = split_name_at(key)?;
        return Some((n.to_string(), v.to_string()));
    }
    let path = key.strip_prefix('/')?;
    if major >= 6 {
        let (n, v) = split_name_at(path)?;
        return Some((n.to_string(), v.to_string()));
    }
    // v5: /name/version or /@scope/name/version
    let (n, v) = path.rsplit_once('/')?;
    if n.is_empty() || v.is_empty() {
        return None;
    }
    Some((n.to_string(), v.to_string()))
}

/// The package keys (peer-stripped) a dependency `name: value` may refer to, most likely first.
fn target_keys(major: u32, name: &str, value: &str) -> Vec<String> {
    if value.starts_with("link:") {
        return Vec::new();
    }
    let v = strip_peers(major, value);
    match major {
        9.. => vec![format!("{name}@{v}"), v.to_string()],
        6..=8 => vec![format!("/{name}@{v}"), v.to_string()],
        _ => vec![format!("/{name}/{v}"), v.to_string()],
    }
}

fn source_of(res: &RawResolution) -> Source {
    if let Some(repo) = &res.repo {
        return Source::Git {
            url: repo.strip_prefix("git+").unwrap_or(repo).to_string(),
            rev: res.commit.clone(),
        };
    }
    if let Some(dir) = &res.directory {
        return Source::Path { path: dir.clone() };
    }
    if let Some(t) = &res.tarball {
        if let Some(rest) = t.strip_prefix("https://codeload.github.com/") {
            let parts: Vec<&str> = rest.split('/').collect();
            if let [owner, repo, _, commit, ..] = parts.as_slice() {
                return Source::Git {
                    url: format!("https://github.com/{owner}/{repo}"),
                    rev: Some((*commit).to_string()),
                };
            }
        }
        if let Some(path) = t.strip_prefix("file:") {
            return Source::Path {
                path: path.to_string(),
            };
        }
        if res.integrity.is_some() && t.contains("/-/") && t.ends_with(".tgz") {
            return Source::Registry;
        }
        return Source::Url { url: t.clone() };
    }
    Source::Registry
}

/// Parses a `pnpm-lock.yaml`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = super::yaml::parse(text, "pnpm-lock.yaml")?;
    let version = raw
        .lockfile_version
        .0
        .trim_matches(|c| c == '\'' || c == '"');
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| {
            LockfileError::new(format!(
                "invalid pnpm-lock.yaml: lockfileVersion `{version}`"
            ))
        })?;
    if !(5..=9).contains(&major) {
        return Err(LockfileError::new(format!(
            "unsupported pnpm-lock.yaml lockfileVersion {version}"
        )));
    }

    let mut importers: Vec<RawImporter> = raw
        .importers
        .map(|m| m.0.into_iter().map(|(_, i)| i).collect())
        .unwrap_or_default();
    if raw.dependencies.is_some()
        || raw.dev_dependencies.is_some()
        || raw.optional_dependencies.is_some()
    {
        importers.push(RawImporter {
            dependencies: raw.dependencies,
            dev_dependencies: raw.dev_dependencies,
            optional_dependencies: raw.optional_dependencies,
        });
    }

    // Packages, one per peer-stripped key.
    let mut packages: Vec<Package> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (key, pkg) in raw.packages.map(|m| m.0).unwrap_or_default() {
        let line = u32::try_from(key.referenced.line())
            .unwrap_or(u32::MAX)
            .max(1);
        let stripped = strip_peers(major, &key.value).to_string();
        if let Some(&i) = by_key.get(&stripped) {
            if let Some(p) = packages.get_mut(i) {
                p.dev &= pkg.dev.unwrap_or(false);
                p.optional &= pkg.optional;
            }
            continue;
        }
        let parsed = name_version(major, &stripped);
        let name = pkg
            .name
            .clone()
            .or_else(|| parsed.as_ref().map(|(n, _)| n.clone()));
        let version = pkg
            .version
            .as_ref()
            .map(|t| t.0.clone())
            .or_else(|| parsed.map(|(_, v)| v));
        let (Some(name), Some(version)) = (name, version) else {
            return Err(LockfileError::at(
                line,
                format!(
                    "invalid pnpm-lock.yaml: cannot tell the name and version of `{}`",
                    key.value
                ),
            ));
        };
        by_key.insert(stripped, packages.len());
        packages.push(Package {
            ecosystem: Ecosystem::Npm,
            name: Ecosystem::Npm.normalize(&name),
            version,
            direct: Some(false),
            dev: pkg.dev.unwrap_or(false),
            optional: pkg.optional,
            line,
            source: source_of(&pkg.resolution),
        });
    }

    // Direct dependencies.
    let find = |keys: Vec<String>| keys.into_iter().find_map(|k| by_key.get(&k).copied());
    for imp in &importers {
        let lists = [
            &imp.dependencies,
            &imp.dev_dependencies,
            &imp.optional_dependencies,
        ];
        for (name, dep) in lists.into_iter().flatten().flat_map(|m| m.0.iter()) {
            if let Some(p) =
                find(target_keys(major, name, dep.version())).and_then(|i| packages.get_mut(i))
            {
                p.direct = Some(true);
            }
        }
    }

    if let Some(snapshots) = raw.snapshots {
        v9_dev_and_optional(major, &importers, &snapshots.0, &by_key, &mut packages);
    }
    Ok(ParsedLockfile {
        packages,
        ..ParsedLockfile::default()
    })
}

/// v9: `dev` from reachability in the snapshot graph, `optional` from the snapshots' flags.
fn v9_dev_and_optional(
    major: u32,
    importers: &[RawImporter],
    snapshots: &[(String, RawSnapshot)],
    by_key: &HashMap<String, usize>,
    packages: &mut [Package],
) {
    let index: HashMap<&str, usize> = snapshots
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    let resolve = |name: &str, value: &str| -> Option<usize> {
        if value.starts_with("link:") {
            return None;
        }
        index
            .get(format!("{name}@{value}").as_str())
            .or_else(|| index.get(value))
            .copied()
    };
    let reach = |roots: Vec<usize>| -> Vec<bool> {
        let mut seen = vec![false; snapshots.len()];
        let mut stack = roots;
        while let Some(i) = stack.pop() {
            match seen.get_mut(i) {
                Some(s) if !*s => *s = true,
                _ => continue,
            }
            let Some((_, snap)) = snapshots.get(i) else {
                continue;
            };
            let deps = [&snap.dependencies, &snap.optional_dependencies];
            for (n, v) in deps.into_iter().flatten().flat_map(|m| m.0.iter()) {
                stack.extend(resolve(n, &v.0));
            }
        }
        seen
    };
    let roots = |lists: &dyn Fn(&RawImporter) -> [&Deps; 2]| -> Vec<usize> {
        importers
            .iter()
            .flat_map(|imp| lists(imp).into_iter().flatten().flat_map(|m| m.0.iter()))
            .filter_map(|(n, d)| resolve(n, d.version()))
            .collect()
    };
    let prod = reach(roots(&|i| [&i.dependencies, &i.optional_dependencies]));
    let dev = reach(roots(&|i| [&i.dev_dependencies, &None]));

    // Per package: (reached from prod, reached from dev, every snapshot optional).
    let mut flags: HashMap<usize, (bool, bool, bool)> = HashMap::new();
    for (i, (key, snap)) in snapshots.iter().enumerate() {
        let Some(&p) = by_key.get(strip_peers(major, key)) else {
            continue;
        };
        let f = flags.entry(p).or_insert((false, false, true));
        f.0 |= prod.get(i).copied().unwrap_or(false);
        f.1 |= dev.get(i).copied().unwrap_or(false);
        f.2 &= snap.optional;
    }
    for (p, (in_prod, in_dev, optional)) in flags {
        if let Some(pkg) = packages.get_mut(p) {
            pkg.dev = in_dev && !in_prod;
            pkg.optional = optional;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::parsers::testutil::{summary, Row};

    fn row(name: &str, version: &str, direct: bool, dev: bool, opt: bool, line: u32) -> Row {
        (name.into(), version.into(), Some(direct), dev, opt, line)
    }

    #[test]
    fn v5_keys_peer_suffixes_and_flags() {
        let text = "lockfileVersion: 5.4

specifiers:
  react-dom: ^18.2.0
  local: link:../local
  old: npm:lodash@^3

dependencies:
  react-dom: 18.2.0_react@18.2.0
  local: link:../local
  old: /lodash/3.10.1

devDependencies:
  '@types/node': 18.0.0

packages:

  /@types/node/18.0.0:
    resolution: {integrity: sha512-a}
    dev: true

  /lodash/3.10.1:
    resolution: {integrity: sha512-b}
    dev: false

  /loose-envify/1.4.0:
    resolution: {integrity: sha512-c}
    dev: false

  /react-dom/18.2.0_react@18.2.0:
    resolution: {integrity: sha512-d}
    peerDependencies:
      react: ^18.2.0
    dev: false

  /react-dom/18.2.0_react@18.3.0:
    resolution: {integrity: sha512-d}
    dev: false

  /fsevents/2.3.2:
    resolution: {integrity: sha512-e}
    dev: true
    optional: true

  github.com/o/tool/0123abc:
    resolution: {tarball: https://codeload.github.com/o/tool/tar.gz/0123abc}
    name: tool
    version: 1.0.0
    dev: false
";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                row("@types/node", "18.0.0", true, true, false, 18),
                row("lodash", "3.10.1", true, false, false, 22),
                row("loose-envify", "1.4.0", false, false, false, 26),
                row("react-dom", "18.2.0", true, false, false, 30),
                row("fsevents", "2.3.2", false, true, true, 40),
                row("tool", "1.0.0", false, false, false, 45),
            ]
        );
        assert_eq!(
            p.packages[5].source,
            Source::Git {
                url: "https://github.com/o/tool".into(),
                rev: Some("0123abc".into())
            }
        );
    }

    #[test]
    fn v6_importers_and_parenthesised_peers() {
        let text = "lockfileVersion: '6.0'\r\n\r\nimporters:\r\n\r\n  .:\r\n    dependencies:\r\n      react-dom:\r\n        specifier: ^18.2.0\r\n        version: 18.2.0(react@18.2.0)\r\n\r\n  packages/a:\r\n    devDependencies:\r\n      '@scope/x':\r\n        specifier: ^2\r\n        version: 2.0.0\r\n      app:\r\n        specifier: workspace:*\r\n        version: link:../..\r\n\r\n\
packages:\r\n\r\n  /@scope/x@2.0.0:\r\n    resolution: {integrity: sha512-a}\r\n    dev: true\r\n\r\n  /react-dom@18.2.0(react@18.2.0):\r\n    resolution: {integrity: sha512-b}\r\n    dev: false\r\n\r\n  /react@18.2.0:\r\n    resolution: {integrity: sha512-c}\r\n    dev: false\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                row("@scope/x", "2.0.0", true, true, false, 22),
                row("react-dom", "18.2.0", true, false, false, 26),
                row("react", "18.2.0", false, false, false, 30),
            ]
        );
    }

    const V9: &str = "lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      react-dom:
        specifier: ^18.2.0
        version: 18.2.0(react@18.2.0)
      str:
        specifier: npm:string-width@^4
        version: string-width@4.2.3
      lib:
        specifier: file:../lib
        version: file:../lib
    devDependencies:
      jest:
        specifier: ^29
        version: 29.7.0
      react:
        specifier: ^18.2.0
        version: 18.2.0
    optionalDependencies:
      fsevents:
        specifier: ^2
        version: 2.3.3

packages:

  fsevents@2.3.3:
    resolution: {integrity: sha512-a}
    os: [darwin]

  jest@29.7.0:
    resolution: {integrity: sha512-b}

  lib@file:../lib:
    resolution: {directory: ../lib, type: directory}
    version: 0.1.0

  react-dom@18.2.0:
    resolution: {integrity: sha512-c}
    peerDependencies:
      react: ^18.2.0

  react@18.2.0:
    resolution: {integrity: sha512-d}

  string-width@4.2.3:
    resolution: {integrity: sha512-e}

  loose-envify@1.4.0:
    resolution: {integrity: sha512-f}

snapshots:

  fsevents@2.3.3:
    optional: true

  jest@29.7.0:
    dependencies:
      string-width: 4.2.3

  lib@file:../lib: {}

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      loose-envify: 1.4.0
      react: 18.2.0

  react@18.2.0:
    dependencies:
      loose-envify: 1.4.0

  string-width@4.2.3: {}

  loose-envify@1.4.0: {}
";

    #[test]
    fn v9_packages_snapshots_aliases_and_dev_reachability() {
        let p = parse(V9).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                row("fsevents", "2.3.3", true, false, true, 33),
                row("jest", "29.7.0", true, true, false, 37),
                row("lib", "0.1.0", true, false, false, 40),
                row("react-dom", "18.2.0", true, false, false, 44),
                row("react", "18.2.0", true, false, false, 49),
                row("string-width", "4.2.3", true, false, false, 52),
                row("loose-envify", "1.4.0", false, false, false, 55),
            ]
        );
        assert_eq!(
            p.packages[2].source,
            Source::Path {
                path: "../lib".into()
            }
        );
    }

    #[test]
    fn malformed_files_name_the_problem() {
        let e = parse("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: [1\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.line.is_some(), "{e}");
        let e = parse(
            "lockfileVersion: '9.0'\npackages:\n  nameonly:\n    resolution: {integrity: x}\n",
        )
        .err()
        .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse("lockfileVersion: '3.1'\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("unsupported"), "{e}");
        let e = parse("packages: {}\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("lockfileVersion"), "{e}");
        let bomb = "lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        assert!(parse(bomb).is_err());
        let deep = format!(
            "lockfileVersion: '9.0'\nx: {}{}\n",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        assert!(parse(&deep).is_err());
    }
}
