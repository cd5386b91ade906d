//! NuGet: `packages.lock.json`, `packages.config`, `*.deps.json` and `Directory.Packages.props`.
//!
//! - `packages.lock.json`: `dependencies` → target framework (`net8.0`, `net8.0/win-x64`) → package →
//!   `{type, resolved}`. `Direct` is direct, `Transitive` and `CentralTransitive` are not, `Project` entries
//!   (other projects of the solution) are skipped. A package locked for several frameworks is reported once
//!   (at its first occurrence), direct when any framework has it as `Direct`.
//! - `packages.config`: `<package id= version=>`; the file lists every installed package without saying which
//!   are direct (`direct` unknown); `developmentDependency="true"` is dev.
//! - `*.deps.json`: `libraries` keyed `Name/Version`; only `"type": "package"` entries are packages (projects
//!   and reference assemblies are not); direct unknown.
//! - `Directory.Packages.props` (central package management): `<PackageVersion Include= Version=>` and
//!   `<GlobalPackageReference>`; `$(Property)` is interpolated from the file's `PropertyGroup`s; `[1.2.3]` is
//!   exact, other ranges and floating versions (`1.*`) go to `unpinned`. Entries are direct;
//!   `GlobalPackageReference`s are dev (NuGet adds them to every project as development dependencies).
//!
//! Names are lower-cased (NuGet ids are case-insensitive); versions are kept as written.

use super::lines::LineFinder;
use super::ordered::Ordered;
use super::xml;
use crate::lockfile::package::{
    Ecosystem, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};
use serde::Deserialize;
use std::collections::BTreeMap;

fn json_error(what: &str, e: &serde_json::Error) -> LockfileError {
    LockfileError {
        line: u32::try_from(e.line()).ok().filter(|&l| l > 0),
        message: format!("invalid {what}: {e}"),
    }
}

fn package(name: &str, version: &str, direct: Option<bool>, dev: bool, line: u32) -> Package {
    Package {
        ecosystem: Ecosystem::NuGet,
        name: Ecosystem::NuGet.normalize(name),
        version: version.trim().to_string(),
        direct,
        dev,
        optional: false,
        line,
        source: Source::Registry,
    }
}

/// Line of the object-valued key `"name"` (falling back to any `"name"`).
fn key_line(lines: &mut LineFinder<'_>, key: &str) -> u32 {
    let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
    lines.find_object_key_after(&quoted)
}

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    dependencies: Ordered<Ordered<RawLocked>>,
}

#[derive(Deserialize)]
struct RawLocked {
    #[serde(rename = "type", default)]
    kind: String,
    resolved: Option<String>,
}

/// Parses a `packages.lock.json`.
pub fn parse_lock(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock =
        serde_json::from_str(text).map_err(|e| json_error("packages.lock.json", &e))?;
    let mut out = ParsedLockfile::default();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut lines = LineFinder::new(text);
    for (framework, packages) in raw.dependencies.0 {
        lines.skip_to(&format!("\"{framework}\""));
        for (name, p) in packages.0 {
            let line = key_line(&mut lines, &name);
            if p.kind.eq_ignore_ascii_case("project") {
                continue;
            }
            let Some(version) = p.resolved.filter(|v| !v.trim().is_empty()) else {
                return Err(LockfileError::at(
                    line,
                    format!("invalid packages.lock.json: `{name}` ({framework}) has no `resolved` version"),
                ));
            };
            let direct = p.kind.eq_ignore_ascii_case("direct");
            let pkg = package(&name, &version, Some(direct), false, line);
            let key = (pkg.name.clone(), pkg.version.clone());
            if let Some(&i) = seen.get(&key) {
                if let Some(prev) = out.packages.get_mut(i) {
                    prev.direct = Some(prev.direct == Some(true) || direct);
                }
                continue;
            }
            seen.insert(key, out.packages.len());
            out.packages.push(pkg);
        }
    }
    Ok(out)
}

/// Parses a `packages.config`.
pub fn parse_packages_config(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let root = xml::parse(text, "packages.config")?;
    if root.name != "packages" {
        return Err(LockfileError::at(
            root.line,
            format!(
                "invalid packages.config: the root element is <{}>, not <packages>",
                root.name
            ),
        ));
    }
    let mut out = ParsedLockfile::default();
    for p in root.children_named("package") {
        let (Some(id), Some(version)) = (p.attr("id"), p.attr("version")) else {
            return Err(LockfileError::at(
                p.line,
                "invalid packages.config: <package> without `id` or `version`",
            ));
        };
        if id.trim().is_empty() || version.trim().is_empty() {
            return Err(LockfileError::at(
                p.line,
                "invalid packages.config: <package> with an empty `id` or `version`",
            ));
        }
        let dev = p
            .attr("developmentDependency")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        out.packages
            .push(package(id.trim(), version, None, dev, p.line));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct RawDeps {
    #[serde(default)]
    libraries: Ordered<RawLibrary>,
}

#[derive(Deserialize)]
struct RawLibrary {
    #[serde(rename = "type", default)]
    kind: String,
}

/// Parses a `*.deps.json` (.NET dependency manifest).
pub fn parse_deps_json(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawDeps = serde_json::from_str(text).map_err(|e| json_error("deps.json", &e))?;
    let mut out = ParsedLockfile::default();
    let mut lines = LineFinder::new(text);
    lines.skip_to("\"libraries\"");
    for (key, lib) in raw.libraries.0 {
        let line = key_line(&mut lines, &key);
        if lib.kind != "package" {
            continue;
        }
        let Some((name, version)) = key
            .split_once('/')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty())
        else {
            return Err(LockfileError::at(
                line,
                format!("invalid deps.json: library `{key}` is not `Name/Version`"),
            ));
        };
        out.packages.push(package(name, version, None, false, line));
    }
    Ok(out)
}

/// `$(Name)` replaced from `props` (unknown names make the value unresolved).
fn msbuild_interpolate(
    raw: &str,
    props: &BTreeMap<String, String>,
    depth: usize,
) -> Option<String> {
    if !raw.contains("$(") {
        return Some(raw.to_string());
    }
    if depth > 16 {
        return None;
    }
    let mut out = String::new();
    let mut rest = raw;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find(')')?;
        let name = after[..end].trim().to_ascii_lowercase();
        out.push_str(&msbuild_interpolate(props.get(&name)?, props, depth + 1)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// An exact NuGet version from a `Version` attribute: `1.2.3` or `[1.2.3]`; ranges and floats are not.
fn exact_nuget_version(v: &str) -> Option<&str> {
    let v = v.trim();
    let v = match v.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        Some(inner) if !inner.contains(',') => inner.trim(),
        Some(_) => return None,
        None => v,
    };
    let ok = !v.is_empty()
        && !v.contains(['*', '(', ')', '[', ']', ',', '$'])
        && !v.chars().any(char::is_whitespace);
    ok.then_some(v)
}

/// Parses a `Directory.Packages.props`.
pub fn parse_directory_packages_props(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let root = xml::parse(text, "Directory.Packages.props")?;
    if root.name != "Project" {
        return Err(LockfileError::at(
            root.line,
            format!(
                "invalid Directory.Packages.props: the root element is <{}>, not <Project>",
                root.name
            ),
        ));
    }
    let mut props: BTreeMap<String, String> = BTreeMap::new();
    for group in root.children_named("PropertyGroup") {
        for p in &group.children {
            props.insert(p.name.to_ascii_lowercase(), p.text.clone());
        }
    }
    let mut out = ParsedLockfile::default();
    for group in root.children_named("ItemGroup") {
        for item in group
            .children
            .iter()
            .filter(|c| c.name == "PackageVersion" || c.name == "GlobalPackageReference")
        {
            let Some(id) = item
                .attr_ignore_case("Include")
                .or_else(|| item.attr_ignore_case("Update"))
                .map(str::trim)
                .filter(|s| !s.is_empty())
            else {
                return Err(LockfileError::at(
                    item.line,
                    format!(
                        "invalid Directory.Packages.props: <{}> without `Include`",
                        item.name
                    ),
                ));
            };
            let raw_version = item
                .attr_ignore_case("Version")
                .map(str::to_string)
                .or_else(|| item.child_text("Version").map(str::to_string))
                .unwrap_or_default();
            let resolved = msbuild_interpolate(&raw_version, &props, 0);
            // Global package references are build-time tools (analyzers, versioning) that NuGet adds
            // to every project as development dependencies (no compile-time reference, private assets).
            let dev = item.name == "GlobalPackageReference";
            match resolved.as_deref().and_then(exact_nuget_version) {
                Some(v) => out
                    .packages
                    .push(package(id, v, Some(true), dev, item.line)),
                None => out.unpinned.push(Unpinned {
                    ecosystem: Ecosystem::NuGet,
                    name: Ecosystem::NuGet.normalize(id),
                    spec: resolved.unwrap_or(raw_version),
                    line: item.line,
                }),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (String, String, Option<bool>, bool, u32);

    fn summary(p: &ParsedLockfile) -> Vec<Row> {
        p.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.direct, p.dev, p.line))
            .collect()
    }

    #[test]
    fn lock_json_frameworks_types_and_projects() {
        let text = r#"{
  "version": 1,
  "dependencies": {
    "net8.0": {
      "Serilog": {
        "type": "Direct",
        "requested": "[3.1.1, )",
        "resolved": "3.1.1",
        "contentHash": "abc",
        "dependencies": {
          "System.Text.Json": "8.0.0"
        }
      },
      "System.Text.Json": {
        "type": "Transitive",
        "resolved": "8.0.0"
      },
      "Newtonsoft.Json": {
        "type": "CentralTransitive",
        "requested": "[13.0.1, )",
        "resolved": "13.0.3"
      },
      "my.library": {
        "type": "Project",
        "dependencies": {
          "Serilog": "[3.1.1, )"
        }
      }
    },
    "net6.0": {
      "Serilog": {
        "type": "Direct",
        "requested": "[2.12.0, )",
        "resolved": "2.12.0"
      },
      "System.Text.Json": {
        "type": "Direct",
        "requested": "[8.0.0, )",
        "resolved": "8.0.0"
      }
    }
  }
}"#;
        let p = parse_lock(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("serilog".into(), "3.1.1".into(), Some(true), false, 5),
                (
                    "system.text.json".into(),
                    "8.0.0".into(),
                    Some(true),
                    false,
                    14
                ),
                (
                    "newtonsoft.json".into(),
                    "13.0.3".into(),
                    Some(false),
                    false,
                    18
                ),
                ("serilog".into(), "2.12.0".into(), Some(true), false, 31),
            ]
        );
    }

    #[test]
    fn packages_config_with_bom_crlf_and_dev() {
        let text = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<packages>\r\n  <package id=\"Newtonsoft.Json\" version=\"12.0.3\" targetFramework=\"net472\" />\r\n  <package id=\"StyleCop.Analyzers\" version=\"1.1.118\" developmentDependency=\"true\" />\r\n</packages>\r\n";
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let p = parse_packages_config(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("newtonsoft.json".into(), "12.0.3".into(), None, false, 3),
                ("stylecop.analyzers".into(), "1.1.118".into(), None, true, 4),
            ]
        );
    }

    #[test]
    fn deps_json_only_packages() {
        let text = r#"{
  "runtimeTarget": { "name": ".NETCoreApp,Version=v8.0" },
  "targets": {
    ".NETCoreApp,Version=v8.0": {
      "App/1.0.0": { "dependencies": { "Dapper": "2.1.24" } },
      "Dapper/2.1.24": { "runtime": { "lib/net7.0/Dapper.dll": {} } }
    }
  },
  "libraries": {
    "App/1.0.0": {
      "type": "project",
      "serviceable": false,
      "sha512": ""
    },
    "Dapper/2.1.24": {
      "type": "package",
      "serviceable": true,
      "sha512": "sha512-xyz",
      "path": "dapper/2.1.24"
    },
    "Microsoft.NETCore.App.Ref/8.0.0": {
      "type": "referenceassembly"
    }
  }
}"#;
        let p = parse_deps_json(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![("dapper".into(), "2.1.24".into(), None, false, 15)]
        );
    }

    #[test]
    fn directory_packages_props_properties_and_ranges() {
        let text = r#"<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
    <XunitVersion>2.6.2</XunitVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="xunit" Version="$(XunitVersion)" />
    <PackageVersion Include="Polly" Version="[8.2.0]" />
    <PackageVersion Include="Moq" Version="[4.18,5.0)" />
    <PackageVersion Include="Humanizer" Version="2.*" />
    <PackageVersion Include="Dapper">
      <Version>2.1.24</Version>
    </PackageVersion>
    <GlobalPackageReference Include="Nerdbank.GitVersioning" Version="3.6.133" />
  </ItemGroup>
</Project>
"#;
        let p = parse_directory_packages_props(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("xunit".into(), "2.6.2".into(), Some(true), false, 7),
                ("polly".into(), "8.2.0".into(), Some(true), false, 8),
                ("dapper".into(), "2.1.24".into(), Some(true), false, 11),
                // A global package reference is a development dependency.
                (
                    "nerdbank.gitversioning".into(),
                    "3.6.133".into(),
                    Some(true),
                    true,
                    14
                ),
            ]
        );
        assert_eq!(
            crate::lockfile::parsers::testutil::unpinned_rows(&p),
            vec![
                ("moq".into(), "[4.18,5.0)".into(), 9),
                ("humanizer".into(), "2.*".into(), 10),
            ]
        );
    }

    #[test]
    fn malformed_nuget_files() {
        let e = parse_lock("{\"dependencies\": {\"net8.0\": {\"A\": {\"type\": \"Direct\"}}}}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("no `resolved`"), "{e}");
        let e = parse_lock("{\n\"dependencies\": [1]\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse_packages_config("<packages>\n<package id=\"A\" />\n</packages>")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse_deps_json("{\"libraries\": {\"NoVersion\": {\"type\": \"package\"}}}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("Name/Version"), "{e}");
        assert!(parse_directory_packages_props("<Project><ItemGroup>").is_err());
    }
}
