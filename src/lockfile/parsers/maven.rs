//! `pom.xml` (Maven POM, read alone: no parent POM, imported BOM or repository is fetched).
//!
//! Packages come from `project/dependencies/dependency` and `project/dependencyManagement/dependencies/
//! dependency` (plugins and profiles are not read); imported BOMs (`<scope>import</scope>` entries of
//! `dependencyManagement`) only bring version management and are not reported. `${name}` in group, artifact, version and scope is
//! interpolated from the POM's `<properties>` (recursively) and from `project.version`, `project.groupId`,
//! `project.artifactId` (falling back to the parent's), `project.parent.*`, and the old `pom.*`/`version` forms.
//! A dependency without `<version>` takes the one its `dependencyManagement` entry (same group, artifact, type
//! and classifier) gives in this POM; the managed entry is then not reported a second time. A dependency whose
//! version is still unknown (managed by a parent or an imported BOM, an unresolved property, a version range,
//! `LATEST`/`RELEASE`) goes to `unpinned`. Every entry is a direct dependency; `<scope>test</scope>` is dev,
//! `<optional>true</optional>` is optional. The line is that of `<artifactId>`.

use super::xml::{self, Element};
use crate::lockfile::package::{
    Ecosystem, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};
use std::collections::{BTreeMap, BTreeSet};

/// How many nested `${...}` substitutions are followed before giving up (also stops reference cycles).
const MAX_INTERPOLATION_DEPTH: usize = 16;

struct Props(BTreeMap<String, String>);

impl Props {
    fn from_project(project: &Element) -> Props {
        let mut map = BTreeMap::new();
        if let Some(props) = project.child("properties") {
            for p in &props.children {
                map.insert(p.name.clone(), p.text.clone());
            }
        }
        let parent = project.child("parent");
        for field in ["groupId", "artifactId", "version"] {
            let own = project.child_text(field).filter(|v| !v.is_empty());
            let from_parent = parent
                .and_then(|p| p.child_text(field))
                .filter(|v| !v.is_empty());
            if let Some(v) = from_parent {
                map.insert(format!("project.parent.{field}"), v.to_string());
                map.insert(format!("parent.{field}"), v.to_string());
            }
            // The artifact id is never inherited.
            let value = if field == "artifactId" {
                own
            } else {
                own.or(from_parent)
            };
            if let Some(v) = value {
                map.insert(format!("project.{field}"), v.to_string());
                map.insert(format!("pom.{field}"), v.to_string());
                if field == "version" {
                    map.insert("version".into(), v.to_string());
                }
            }
        }
        Props(map)
    }

    /// `raw` with every `${name}` replaced, or `None` when a name is unknown or the nesting is too deep.
    fn interpolate(&self, raw: &str) -> Option<String> {
        self.interpolate_depth(raw, 0)
    }

    fn interpolate_depth(&self, raw: &str, depth: usize) -> Option<String> {
        if !raw.contains("${") {
            return Some(raw.to_string());
        }
        if depth >= MAX_INTERPOLATION_DEPTH {
            return None;
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find('}')?;
            let name = after[..end].trim();
            let value = self.0.get(name)?;
            out.push_str(&self.interpolate_depth(value, depth + 1)?);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }
}

/// One `<dependency>` with its fields as written.
struct Dep<'a> {
    el: &'a Element,
    managed: bool,
}

impl Dep<'_> {
    fn field(&self, name: &str, props: &Props) -> Option<String> {
        let raw = self.el.child_text(name)?;
        Some(props.interpolate(raw).unwrap_or_else(|| raw.to_string()))
    }

    /// group, artifact, type, classifier: what `dependencyManagement` matches on.
    fn key(&self, props: &Props) -> (String, String, String, String) {
        (
            self.field("groupId", props).unwrap_or_default(),
            self.field("artifactId", props).unwrap_or_default(),
            self.field("type", props)
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "jar".into()),
            self.field("classifier", props).unwrap_or_default(),
        )
    }

    fn line(&self) -> u32 {
        self.el.child("artifactId").map_or(self.el.line, |a| a.line)
    }
}

fn is_exact(version: &str) -> bool {
    !version.is_empty()
        && !version.contains(['[', ']', '(', ')', ',', '$', '{', '}'])
        && !version.chars().any(char::is_whitespace)
        && version != "LATEST"
        && version != "RELEASE"
}

/// Parses a `pom.xml`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let project = xml::parse(text, "pom.xml")?;
    if project.name != "project" {
        return Err(LockfileError::at(
            project.line,
            format!(
                "invalid pom.xml: the root element is <{}>, not <project>",
                project.name
            ),
        ));
    }
    let props = Props::from_project(&project);

    let mut deps: Vec<Dep<'_>> = Vec::new();
    if let Some(list) = project
        .child("dependencyManagement")
        .and_then(|m| m.child("dependencies"))
    {
        // `<scope>import</scope>` entries import another POM's dependencyManagement (a BOM): they are
        // not dependencies.
        deps.extend(
            list.children_named("dependency")
                .map(|el| Dep { el, managed: true })
                .filter(|d| d.field("scope", &props).as_deref() != Some("import")),
        );
    }
    if let Some(list) = project.child("dependencies") {
        deps.extend(
            list.children_named("dependency")
                .map(|el| Dep { el, managed: false }),
        );
    }

    // Managed entries by key (the first one wins, as in Maven).
    let mut managed: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    for (i, d) in deps.iter().enumerate().filter(|(_, d)| d.managed) {
        managed.entry(d.key(&props)).or_insert(i);
    }
    let mut used: BTreeSet<usize> = BTreeSet::new();
    // (index, version as written or inherited, scope)
    let mut resolved: Vec<(usize, Option<String>, Option<String>)> = Vec::new();
    for (i, d) in deps.iter().enumerate() {
        let mut version = d.el.child_text("version").map(str::to_string);
        let mut scope = d.field("scope", &props);
        if !d.managed {
            if let Some(&m) = managed.get(&d.key(&props)) {
                if let Some(md) = deps.get(m) {
                    if version.as_deref().is_none_or(str::is_empty) {
                        version = md.el.child_text("version").map(str::to_string);
                        used.insert(m);
                    }
                    if scope.is_none() {
                        scope = md.field("scope", &props);
                    }
                }
            }
        }
        resolved.push((i, version, scope));
    }

    let mut out = ParsedLockfile::default();
    for (i, version, scope) in resolved {
        if used.contains(&i) {
            continue;
        }
        let Some(d) = deps.get(i) else { continue };
        let group = d.field("groupId", &props).unwrap_or_default();
        let artifact = d.field("artifactId", &props).unwrap_or_default();
        if group.is_empty() || artifact.is_empty() {
            return Err(LockfileError::at(
                d.el.line,
                "invalid pom.xml: a <dependency> without <groupId> or <artifactId>",
            ));
        }
        let name = Ecosystem::Maven.normalize(&format!("{group}:{artifact}"));
        let line = d.line();
        let raw_version = version.unwrap_or_default();
        let exact = props.interpolate(&raw_version).filter(|v| is_exact(v));
        let Some(version) = exact else {
            out.unpinned.push(Unpinned {
                ecosystem: Ecosystem::Maven,
                name,
                spec: props
                    .interpolate(&raw_version)
                    .unwrap_or_else(|| raw_version.clone()),
                line,
            });
            continue;
        };
        out.packages.push(Package {
            ecosystem: Ecosystem::Maven,
            name,
            version,
            direct: Some(true),
            dev: scope.as_deref() == Some("test"),
            optional: d.field("optional", &props).as_deref() == Some("true"),
            line,
            source: Source::Registry,
        });
    }
    out.packages.sort_by_key(|p| p.line);
    out.unpinned.sort_by_key(|u| u.line);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::parsers::testutil::summary;

    const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.example</groupId>
    <artifactId>parent</artifactId>
    <version>2.1.0</version>
  </parent>
  <artifactId>app</artifactId>
  <properties>
    <jackson.version>2.15.2</jackson.version>
    <jackson.full>${jackson.version}</jackson.full>
    <junit.version>5.10.0</junit.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>com.google.guava</groupId>
        <artifactId>guava</artifactId>
        <version>32.1.2-jre</version>
      </dependency>
      <dependency>
        <groupId>org.yaml</groupId>
        <artifactId>snakeyaml</artifactId>
        <version>2.2</version>
        <scope>test</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.full}</version>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>core</artifactId>
      <version>${project.version}</version>
      <optional>true</optional>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>${junit.version}</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.yaml</groupId>
      <artifactId>snakeyaml</artifactId>
    </dependency>
    <dependency>
      <groupId>org.springframework</groupId>
      <artifactId>spring-core</artifactId>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>${slf4j.version}</version>
    </dependency>
    <dependency>
      <groupId>commons-io</groupId>
      <artifactId>commons-io</artifactId>
      <version>[2.0,3.0)</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.0.0</version>
        <dependencies>
          <dependency>
            <groupId>x</groupId>
            <artifactId>not-a-project-dependency</artifactId>
            <version>1.0</version>
          </dependency>
        </dependencies>
      </plugin>
    </plugins>
  </build>
</project>
"#;

    #[test]
    fn properties_management_scopes_and_unpinned() {
        let p = parse(POM).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                (
                    "com.google.guava:guava".into(),
                    "32.1.2-jre".into(),
                    Some(true),
                    false,
                    false,
                    19
                ),
                (
                    "com.fasterxml.jackson.core:jackson-databind".into(),
                    "2.15.2".into(),
                    Some(true),
                    false,
                    false,
                    33
                ),
                (
                    "org.example:core".into(),
                    "2.1.0".into(),
                    Some(true),
                    false,
                    true,
                    38
                ),
                (
                    "org.junit.jupiter:junit-jupiter".into(),
                    "5.10.0".into(),
                    Some(true),
                    true,
                    false,
                    44
                ),
                // Version and test scope from dependencyManagement, reported once, at the dependency.
                (
                    "org.yaml:snakeyaml".into(),
                    "2.2".into(),
                    Some(true),
                    true,
                    false,
                    50
                ),
            ]
        );
        assert_eq!(
            crate::lockfile::parsers::testutil::unpinned_rows(&p),
            vec![
                ("org.springframework:spring-core".into(), String::new(), 54),
                ("org.slf4j:slf4j-api".into(), "${slf4j.version}".into(), 58),
                ("commons-io:commons-io".into(), "[2.0,3.0)".into(), 63),
            ]
        );
    }

    #[test]
    fn imported_boms_are_not_dependencies() {
        let text = "<project>\n<properties><bom.version>2.16.1</bom.version></properties>\n\
<dependencyManagement><dependencies>\n\
<dependency><groupId>com.fasterxml.jackson</groupId><artifactId>jackson-bom</artifactId>\n\
<version>${bom.version}</version><type>pom</type><scope>${bom.scope}</scope></dependency>\n\
<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-dependencies</artifactId>\n\
<version>3.2.2</version><type>pom</type><scope>import</scope></dependency>\n\
</dependencies></dependencyManagement>\n</project>\n";
        let p = parse(text).unwrap_or_default();
        // The first entry's scope is an unknown property, so it is not known to be an import.
        assert_eq!(
            summary(&p),
            vec![(
                "com.fasterxml.jackson:jackson-bom".into(),
                "2.16.1".into(),
                Some(true),
                false,
                false,
                4
            )]
        );
        assert!(p.unpinned.is_empty());
    }

    #[test]
    fn crlf_and_property_cycles() {
        let text = "<project>\r\n<properties>\r\n<a>${b}</a>\r\n<b>${a}</b>\r\n</properties>\r\n<dependencies>\r\n\
<dependency><groupId>g</groupId>\r\n<artifactId>x</artifactId><version>${a}</version></dependency>\r\n\
<dependency><groupId>g</groupId>\r\n<artifactId>y</artifactId><version>1.0</version><type>pom</type></dependency>\r\n\
</dependencies>\r\n</project>\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![("g:y".into(), "1.0".into(), Some(true), false, false, 10)]
        );
        assert_eq!(p.unpinned.len(), 1);
        assert_eq!(p.unpinned[0].spec, "${a}");
        assert_eq!(p.unpinned[0].line, 8);
    }

    #[test]
    fn malformed_poms_are_errors() {
        let e = parse("<project>\n<dependencies>\n<dependency>\n</project>\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.starts_with("invalid pom.xml"), "{e}");
        let e = parse("<settings/>")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("not <project>"), "{e}");
        let e = parse("<project><dependencies>\n<dependency><version>1</version></dependency></dependencies></project>")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
    }
}
