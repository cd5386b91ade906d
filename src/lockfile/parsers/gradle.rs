//! `gradle.lockfile` and `buildscript-gradle.lockfile` (Gradle dependency locking).
//!
//! One module per line, `group:artifact:version=configuration1,configuration2`; `#` comments; a final
//! `empty=...` line lists the configurations that resolved to nothing. Files from Gradle before 6 (one file per
//! configuration) have the same coordinates without `=...`. The file does not say which modules are direct, so
//! `direct` is unknown. A module is `dev` when every configuration that holds it is a test configuration: the
//! name starts with `test` (`testRuntimeClasspath`, `testFixturesApi`) or contains `Test` (`androidTestImplementation`,
//! `integrationTestRuntimeClasspath`, `debugUnitTestCompileClasspath`).

use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};

fn is_test_configuration(name: &str) -> bool {
    name.starts_with("test") || name.contains("Test")
}

/// Parses a `gradle.lockfile` or `buildscript-gradle.lockfile`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let mut out = ParsedLockfile::default();
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (coords, confs) = match l.split_once('=') {
            Some((c, confs)) => (c.trim(), Some(confs)),
            None => (l, None),
        };
        if coords == "empty" && confs.is_some() {
            continue;
        }
        let parts: Vec<&str> = coords.split(':').map(str::trim).collect();
        let [group, artifact, version] = parts.as_slice() else {
            return Err(LockfileError::at(
                line,
                format!("invalid gradle.lockfile: `{coords}` is not `group:artifact:version`"),
            ));
        };
        if group.is_empty() || artifact.is_empty() || version.is_empty() {
            return Err(LockfileError::at(
                line,
                format!(
                    "invalid gradle.lockfile: `{coords}` has an empty group, artifact or version"
                ),
            ));
        }
        let confs: Vec<&str> = confs
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let dev = !confs.is_empty() && confs.iter().all(|c| is_test_configuration(c));
        out.packages.push(Package {
            ecosystem: Ecosystem::Maven,
            name: Ecosystem::Maven.normalize(&format!("{group}:{artifact}")),
            version: (*version).to_string(),
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

    fn summary(p: &ParsedLockfile) -> Vec<(String, String, Option<bool>, bool, u32)> {
        p.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.direct, p.dev, p.line))
            .collect()
    }

    #[test]
    fn configurations_decide_dev() {
        let text = "# This is a Gradle generated file for dependency locking.\n\
# Manual edits can break the build and are not advised.\n\
com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath,testRuntimeClasspath\n\
junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath\n\
androidx.test:core:1.5.0=debugAndroidTestRuntimeClasspath,integrationTestImplementation\n\
org.slf4j:slf4j-api:1.7.36=runtimeClasspath\n\
org.slf4j:slf4j-api:2.0.9=testRuntimeClasspath\n\
empty=annotationProcessor,testAnnotationProcessor\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                (
                    "com.google.guava:guava".into(),
                    "32.1.2-jre".into(),
                    None,
                    false,
                    3
                ),
                ("junit:junit".into(), "4.13.2".into(), None, true, 4),
                ("androidx.test:core".into(), "1.5.0".into(), None, true, 5),
                (
                    "org.slf4j:slf4j-api".into(),
                    "1.7.36".into(),
                    None,
                    false,
                    6
                ),
                ("org.slf4j:slf4j-api".into(), "2.0.9".into(), None, true, 7),
            ]
        );
        assert!(p
            .packages
            .iter()
            .all(|p| p.ecosystem == Ecosystem::Maven && p.source == Source::Registry));
    }

    #[test]
    fn crlf_and_pre_gradle_6_lines_without_configurations() {
        let text = "# comment\r\norg.apache.commons:commons-lang3:3.12.0\r\n\r\nempty=\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![(
                "org.apache.commons:commons-lang3".into(),
                "3.12.0".into(),
                None,
                false,
                2
            )]
        );
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let e = parse("a:b:1.0=compileClasspath\nnot-a-coordinate=runtimeClasspath\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("group:artifact:version"), "{e}");
        let e = parse("a::1.0=compileClasspath\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(1), "{e}");
    }
}
