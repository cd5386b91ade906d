//! `Package.resolved` (Swift Package Manager), version 1 (`object.pins[]` with `package`, `repositoryURL`,
//! `state`) and versions 2 and 3 (`pins[]` with `identity`, `kind`, `location`, `state`).
//!
//! Names follow OSV's `SwiftURL` ecosystem, which keys advisories by the repository URL without its scheme and
//! without `.git` (`https://github.com/apple/swift-nio.git` → `github.com/apple/swift-nio`, as in the GitHub
//! Advisory Database's Swift entries); scp-like `git@host:owner/repo.git` becomes `host/owner/repo`. A pin at
//! a released `state.version` is a registry package; a pin on a branch or bare revision records no version
//! and is reported with the revision as its version and a `Source::Git` source; `localSourceControl` pins are
//! `Source::Path`; `registry` pins (Swift package registry) keep their `scope.name` identity. The file does
//! not say which pins are direct.

use super::lines::LineFinder;
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;

#[derive(Deserialize)]
struct RawResolved {
    object: Option<RawObject>,
    #[serde(default)]
    pins: Vec<RawPin>,
}

#[derive(Deserialize)]
struct RawObject {
    #[serde(default)]
    pins: Vec<RawPin>,
}

#[derive(Deserialize)]
struct RawPin {
    /// v1 name.
    package: Option<String>,
    /// v2/v3 name.
    identity: Option<String>,
    kind: Option<String>,
    /// v1 URL.
    #[serde(rename = "repositoryURL")]
    repository_url: Option<String>,
    /// v2/v3 URL.
    location: Option<String>,
    #[serde(default)]
    state: RawState,
}

#[derive(Deserialize, Default)]
struct RawState {
    version: Option<String>,
    revision: Option<String>,
    branch: Option<String>,
}

/// The OSV `SwiftURL` name of a repository URL: no scheme, no user, no `.git`, no trailing `/`.
pub fn swift_url_name(url: &str) -> String {
    let url = url.trim();
    let (rest, had_scheme) = match url.split_once("://") {
        Some((_, rest)) => (rest, true),
        None => (url, false),
    };
    let rest = match rest.split_once('@') {
        Some((user, host)) if !user.contains('/') => host,
        _ => rest,
    };
    let mut name = if had_scheme {
        rest.to_string()
    } else {
        // scp-like `host:owner/repo`.
        rest.replacen(':', "/", 1)
    };
    while name.ends_with('/') {
        name.pop();
    }
    if let Some(stripped) = name.strip_suffix(".git") {
        name = stripped.to_string();
    }
    name
}

/// Parses a `Package.resolved`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawResolved = serde_json::from_str(text).map_err(|e| LockfileError {
        line: u32::try_from(e.line()).ok().filter(|&l| l > 0),
        message: format!("invalid Package.resolved: {e}"),
    })?;
    let pins = match raw.object {
        Some(o) if raw.pins.is_empty() => o.pins,
        _ => raw.pins,
    };
    let mut out = ParsedLockfile::default();
    let mut lines = LineFinder::new(text);
    for pin in pins {
        let id = pin.identity.or(pin.package).unwrap_or_default();
        let url = pin.location.or(pin.repository_url).unwrap_or_default();
        let line = if id.is_empty() {
            lines.find_after(&url)
        } else {
            lines.find_after(&format!("\"{id}\""))
        };
        let kind = pin.kind.unwrap_or_default();
        let version = pin.state.version.filter(|v| !v.trim().is_empty());
        let revision = pin.state.revision.filter(|v| !v.trim().is_empty());
        let (name, source) = match kind.as_str() {
            "registry" => (id.clone(), Source::Registry),
            "localSourceControl" | "fileSystem" => (
                if url.is_empty() {
                    id.clone()
                } else {
                    swift_url_name(&url)
                },
                Source::Path { path: url.clone() },
            ),
            _ if version.is_some() => (swift_url_name(&url), Source::Registry),
            _ => (
                swift_url_name(&url),
                Source::Git {
                    url: url.clone(),
                    rev: revision.clone().or(pin.state.branch),
                },
            ),
        };
        if name.is_empty() {
            return Err(LockfileError::at(
                line,
                "invalid Package.resolved: a pin without location or identity",
            ));
        }
        let Some(version) = version.or(revision) else {
            return Err(LockfileError::at(
                line,
                format!(
                    "invalid Package.resolved: pin `{id}` has neither a version nor a revision"
                ),
            ));
        };
        out.packages.push(Package {
            ecosystem: Ecosystem::SwiftURL,
            name: Ecosystem::SwiftURL.normalize(&name),
            version,
            direct: None,
            dev: false,
            optional: false,
            line,
            source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_line as summary;

    #[test]
    fn urls_become_swifturl_names() {
        assert_eq!(
            swift_url_name("https://github.com/apple/swift-nio.git"),
            "github.com/apple/swift-nio"
        );
        assert_eq!(
            swift_url_name("git@github.com:vapor/vapor.git"),
            "github.com/vapor/vapor"
        );
        assert_eq!(
            swift_url_name("ssh://git@gitlab.com/group/pkg/"),
            "gitlab.com/group/pkg"
        );
        assert_eq!(
            swift_url_name("https://github.com/pointfreeco/swift-case-paths"),
            "github.com/pointfreeco/swift-case-paths"
        );
    }

    #[test]
    fn version_1_with_escaped_slashes_and_branch_pin() {
        let text = r#"{
  "object": {
    "pins": [
      {
        "package": "swift-nio",
        "repositoryURL": "https:\/\/github.com\/apple\/swift-nio.git",
        "state": {
          "branch": null,
          "revision": "6d3ca7e54e06a69d0f2612c2ce8bb8b7319085a4",
          "version": "2.29.0"
        }
      },
      {
        "package": "Kitura",
        "repositoryURL": "https://github.com/Kitura/Kitura.git",
        "state": {
          "branch": "master",
          "revision": "e6f4f5c2d1a0b9c8e7f6d5c4b3a2918070605040",
          "version": null
        }
      }
    ]
  },
  "version": 1
}"#;
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("github.com/apple/swift-nio".into(), "2.29.0".into(), 5),
                (
                    "github.com/Kitura/Kitura".into(),
                    "e6f4f5c2d1a0b9c8e7f6d5c4b3a2918070605040".into(),
                    14
                ),
            ]
        );
        assert_eq!(p.packages[0].source, Source::Registry);
        assert_eq!(
            p.packages[1].source,
            Source::Git {
                url: "https://github.com/Kitura/Kitura.git".into(),
                rev: Some("e6f4f5c2d1a0b9c8e7f6d5c4b3a2918070605040".into())
            }
        );
    }

    #[test]
    fn version_3_kinds() {
        let text = "{\r\n  \"originHash\" : \"5a1b\",\r\n  \"pins\" : [\r\n    {\r\n      \"identity\" : \"swift-argument-parser\",\r\n      \"kind\" : \"remoteSourceControl\",\r\n      \"location\" : \"https://github.com/apple/swift-argument-parser\",\r\n      \"state\" : {\r\n        \"revision\" : \"46989693916f56d1186bd59ac15124caef896560\",\r\n        \"version\" : \"1.3.1\"\r\n      }\r\n    },\r\n    {\r\n      \"identity\" : \"localpkg\",\r\n      \"kind\" : \"localSourceControl\",\r\n      \"location\" : \"/Users/dev/localpkg\",\r\n      \"state\" : {\r\n        \"revision\" : \"0123456789abcdef0123456789abcdef01234567\",\r\n        \"version\" : \"0.1.0\"\r\n      }\r\n    },\r\n    {\r\n      \"identity\" : \"mona.linkedlist\",\r\n      \"kind\" : \"registry\",\r\n      \"location\" : \"\",\r\n      \"state\" : {\r\n        \"version\" : \"1.1.0\"\r\n      }\r\n    }\r\n  ],\r\n  \"version\" : 3\r\n}\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                (
                    "github.com/apple/swift-argument-parser".into(),
                    "1.3.1".into(),
                    5
                ),
                ("/Users/dev/localpkg".into(), "0.1.0".into(), 14),
                ("mona.linkedlist".into(), "1.1.0".into(), 23),
            ]
        );
        assert_eq!(
            p.packages[1].source,
            Source::Path {
                path: "/Users/dev/localpkg".into()
            }
        );
        assert!(parse("{\"pins\": [], \"version\": 2}")
            .map(|p| p.packages.is_empty())
            .unwrap_or(false));
    }

    #[test]
    fn malformed_files_are_errors() {
        let e = parse("{\n  \"pins\": [\n    {\"identity\": \"a\", \"location\": \"https://x/a\", \"state\": {}}\n  ]\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(
            e.message.contains("neither a version nor a revision"),
            "{e}"
        );
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse("{\n\"pins\": {}\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
        assert!(parse("{\"pins\": [").is_err());
    }
}
