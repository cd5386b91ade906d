//! `*.sbt.lock` (the sbt-dependency-lock plugin, JSON): `dependencies[]` with `org`, `name`, `version` and the
//! `configurations` that use the module. Names are Maven's `org:name`. A module is dev when every
//! configuration that holds it is a test one (the name contains `test`, any case); the file does not say
//! which modules are direct.

use super::lines::LineFinder;
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    dependencies: Vec<RawDep>,
}

#[derive(Deserialize)]
struct RawDep {
    org: String,
    name: String,
    version: String,
    #[serde(default)]
    configurations: Vec<String>,
}

/// Parses a `*.sbt.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = serde_json::from_str(text).map_err(|e| LockfileError {
        line: u32::try_from(e.line()).ok().filter(|&l| l > 0),
        message: format!("invalid sbt.lock: {e}"),
    })?;
    let mut lines = LineFinder::new(text);
    lines.skip_to("\"dependencies\"");
    let mut out = ParsedLockfile::default();
    for d in raw.dependencies {
        let org_json = serde_json::to_string(&d.org).unwrap_or_default();
        let line = lines.find_after(&org_json);
        if d.org.trim().is_empty() || d.name.trim().is_empty() || d.version.trim().is_empty() {
            return Err(LockfileError::at(
                line,
                "invalid sbt.lock: a dependency with an empty org, name or version",
            ));
        }
        let dev = !d.configurations.is_empty()
            && d.configurations
                .iter()
                .all(|c| c.to_ascii_lowercase().contains("test"));
        out.packages.push(Package {
            ecosystem: Ecosystem::Maven,
            name: Ecosystem::Maven.normalize(&format!("{}:{}", d.org.trim(), d.name.trim())),
            version: d.version.trim().to_string(),
            direct: None,
            dev,
            optional: false,
            line,
            source: Source::Registry,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_and_test_configurations() {
        let text = r#"{
  "lockVersion" : 1,
  "timestamp" : "2023-05-01T10:00:00.000Z",
  "configurations" : [ "compile", "runtime", "test" ],
  "dependencies" : [ {
    "org" : "org.scala-lang",
    "name" : "scala-library",
    "version" : "2.13.10",
    "artifacts" : [ {
      "name" : "scala-library.jar",
      "hash" : "sha1:ab12"
    } ],
    "configurations" : [ "compile", "runtime", "test" ]
  }, {
    "org" : "org.scalatest",
    "name" : "scalatest_2.13",
    "version" : "3.2.15",
    "artifacts" : [ ],
    "configurations" : [ "test" ]
  } ]
}"#;
        let p = parse(text).unwrap_or_default();
        let rows: Vec<(String, String, bool, u32)> = p
            .packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.dev, p.line))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "org.scala-lang:scala-library".into(),
                    "2.13.10".into(),
                    false,
                    6
                ),
                (
                    "org.scalatest:scalatest_2.13".into(),
                    "3.2.15".into(),
                    true,
                    15
                ),
            ]
        );
    }

    #[test]
    fn malformed_lock() {
        let e = parse("{\n\"dependencies\": [{\"org\": \"a\", \"name\": \"b\"}]\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("version"), "{e}");
        let e = parse("{\"dependencies\": [{\"org\": \"a\", \"name\": \"b\", \"version\": \"\"}]}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("empty"), "{e}");
    }
}
