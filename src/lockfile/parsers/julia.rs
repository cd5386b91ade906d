//! `Manifest.toml` (Julia Pkg). Format 2 (`manifest_format = "2.0"`) lists packages as `[[deps.Name]]`;
//! format 1 as top-level `[[Name]]`. Each entry has `uuid` and, for registered packages, `version`; standard
//! libraries carry no version and are skipped. `repo-url` (with `repo-rev`/`git-tree-sha1`) makes a
//! `Source::Git`, `path` a `Source::Path`. Direct dependencies are listed in `Project.toml`, not here.

use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use std::collections::BTreeMap;
use toml::Value;

/// Parses a Julia `Manifest.toml`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| LockfileError {
        line: e.span().map(|s| super::lines::line_of(text, s.start)),
        message: format!("invalid Manifest.toml: {}", e.message()),
    })?;
    let v2 = table.contains_key("manifest_format");
    let deps = if v2 {
        match table.get("deps") {
            Some(Value::Table(t)) => t.clone(),
            Some(_) => {
                return Err(LockfileError::new(
                    "invalid Manifest.toml: `deps` is not a table",
                ))
            }
            None => toml::Table::new(),
        }
    } else {
        table
    };
    // Header lines, in order, per package name.
    let prefix = if v2 { "[[deps." } else { "[[" };
    let mut headers: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if let Some(name) = l.strip_prefix(prefix).and_then(|r| r.strip_suffix("]]")) {
            let name = name.trim().trim_matches('"').to_string();
            headers
                .entry(name)
                .or_default()
                .push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    let mut out = ParsedLockfile::default();
    for (name, entries) in deps {
        let Value::Array(entries) = entries else {
            if v2 {
                return Err(LockfileError::new(format!(
                    "invalid Manifest.toml: `deps.{name}` is not an array of tables"
                )));
            }
            continue; // format 1: other top-level keys are not packages
        };
        for (i, entry) in entries.iter().enumerate() {
            let line = headers
                .get(&name)
                .and_then(|l| l.get(i))
                .copied()
                .unwrap_or(1);
            let Value::Table(entry) = entry else {
                return Err(LockfileError::at(
                    line,
                    format!("invalid Manifest.toml: an entry of `{name}` is not a table"),
                ));
            };
            let Some(version) = entry.get("version") else {
                continue; // standard library
            };
            let Some(version) = version.as_str().filter(|v| !v.trim().is_empty()) else {
                return Err(LockfileError::at(
                    line,
                    format!("invalid Manifest.toml: `{name}` has a version that is not a string"),
                ));
            };
            let get = |k: &str| entry.get(k).and_then(Value::as_str).map(str::to_string);
            let source = if let Some(url) = get("repo-url") {
                Source::Git {
                    url,
                    rev: get("repo-rev").or_else(|| get("git-tree-sha1")),
                }
            } else if let Some(path) = get("path") {
                Source::Path { path }
            } else {
                Source::Registry
            };
            out.packages.push(Package {
                ecosystem: Ecosystem::Julia,
                name: Ecosystem::Julia.normalize(&name),
                version: version.trim().to_string(),
                direct: None,
                dev: false,
                optional: false,
                line,
                source,
            });
        }
    }
    out.packages.sort_by_key(|p| p.line);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_line as rows;

    #[test]
    fn format_2_skips_stdlibs() {
        let text = r#"# This file is machine-generated - editing it directly is not advised

julia_version = "1.9.3"
manifest_format = "2.0"
project_hash = "abc"

[[deps.Dates]]
deps = ["Printf"]
uuid = "ade2ca70-3891-5945-98fb-dc099432e06a"

[[deps.JSON]]
deps = ["Dates", "Mmap", "Parsers", "Unicode"]
git-tree-sha1 = "31e996f0a15c7b280ba9f76636b3ff9e2ae58c9a"
uuid = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
version = "0.21.4"

[[deps.Example]]
git-tree-sha1 = "46e44e869b4d90b96bd8ed1fdcf32244fddfb6cc"
repo-rev = "master"
repo-url = "https://github.com/JuliaLang/Example.jl.git"
uuid = "7876af07-990d-54b4-ab0e-23690620f79a"
version = "0.5.4"

[[deps.Parsers]]
deps = ["Dates", "PrecompileTools", "UUIDs"]
git-tree-sha1 = "716e24b21538abc91f6205fd1d8363f39b442851"
uuid = "69de0a69-1ddd-5017-9359-2bf0b02dc9f0"
version = "2.7.2"
"#;
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            rows(&p),
            vec![
                ("JSON".into(), "0.21.4".into(), 11),
                ("Example".into(), "0.5.4".into(), 17),
                ("Parsers".into(), "2.7.2".into(), 24),
            ]
        );
        assert_eq!(
            p.packages[1].source,
            Source::Git {
                url: "https://github.com/JuliaLang/Example.jl.git".into(),
                rev: Some("master".into())
            }
        );
    }

    #[test]
    fn format_1_and_crlf() {
        let text = "[[Base64]]\r\nuuid = \"2a0f44e3-6c83-55bd-87e4-b1978d98bd5f\"\r\n\r\n[[Compat]]\r\ndeps = [\"Base64\"]\r\nuuid = \"34da2185-b29b-5c13-b0c7-acf172513d20\"\r\nversion = \"3.46.0\"\r\n\r\n[[Compat]]\r\nuuid = \"34da2185-b29b-5c13-b0c7-acf172513d21\"\r\nversion = \"4.0.0\"\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            rows(&p),
            vec![
                ("Compat".into(), "3.46.0".into(), 4),
                ("Compat".into(), "4.0.0".into(), 9),
            ]
        );
    }

    #[test]
    fn malformed_manifests() {
        let e = parse("manifest_format = \"2.0\"\n[[deps.A]]\nversion = 1\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse("manifest_format = \"2.0\"\n[[deps.A]\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
    }
}
