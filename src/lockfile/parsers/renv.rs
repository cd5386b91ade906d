//! `renv.lock` (R, JSON): `Packages` → name → `{Package, Version, Source, ...}`.
//!
//! `Source` `Repository` (CRAN, RSPM, another CRAN-like repository) and `Bioconductor` are registry packages
//! (ecosystem CRAN; Bioconductor names do not collide with CRAN's); `GitHub`, `GitLab`, `Bitbucket` and `git`
//! are `Source::Git` (URL from `RemoteUrl`, or built from `RemoteHost`/`RemoteUsername`/`RemoteRepo`; revision
//! `RemoteSha`); `Local` is `Source::Path`; `URL` is `Source::Url`. The file does not say which packages are
//! direct.

use super::lines::LineFinder;
use super::ordered::Ordered;
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;

#[derive(Deserialize)]
struct RawLock {
    #[serde(rename = "Packages", default)]
    packages: Ordered<RawPackage>,
}

#[derive(Deserialize)]
struct RawPackage {
    #[serde(rename = "Package")]
    package: Option<String>,
    #[serde(rename = "Version")]
    version: Option<String>,
    #[serde(rename = "Source", default)]
    source: String,
    #[serde(rename = "RemoteUrl")]
    remote_url: Option<String>,
    #[serde(rename = "RemoteHost")]
    remote_host: Option<String>,
    #[serde(rename = "RemoteUsername")]
    remote_username: Option<String>,
    #[serde(rename = "RemoteRepo")]
    remote_repo: Option<String>,
    #[serde(rename = "RemoteSha")]
    remote_sha: Option<String>,
}

fn git_url(p: &RawPackage) -> String {
    if let Some(u) = &p.remote_url {
        return u.clone();
    }
    let host = match p.remote_host.as_deref() {
        None | Some("api.github.com") => "github.com",
        Some(h) => h,
    };
    format!(
        "https://{host}/{}/{}",
        p.remote_username.as_deref().unwrap_or_default(),
        p.remote_repo.as_deref().unwrap_or_default()
    )
}

/// Parses a `renv.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = serde_json::from_str(text).map_err(|e| LockfileError {
        line: u32::try_from(e.line()).ok().filter(|&l| l > 0),
        message: format!("invalid renv.lock: {e}"),
    })?;
    let mut lines = LineFinder::new(text);
    lines.skip_to("\"Packages\"");
    let mut out = ParsedLockfile::default();
    for (key, p) in raw.packages.0 {
        let quoted = serde_json::to_string(&key).unwrap_or_default();
        let with_colon = format!("{quoted}:");
        // The key with its colon (a package name also appears as a value), else the bare key. Searched from the
        // current position only: a search of the whole text per package made 50,000 packages take minutes.
        let line = lines
            .try_find_after(&with_colon)
            .unwrap_or_else(|| lines.find_after(&quoted));
        let name = p.package.clone().unwrap_or_else(|| key.clone());
        let Some(version) = p.version.clone().filter(|v| !v.trim().is_empty()) else {
            return Err(LockfileError::at(
                line,
                format!("invalid renv.lock: package `{key}` has no Version"),
            ));
        };
        let source = match p.source.to_ascii_lowercase().as_str() {
            "github" | "gitlab" | "bitbucket" | "git" => Source::Git {
                url: git_url(&p),
                rev: p.remote_sha.clone(),
            },
            "local" => Source::Path {
                path: p.remote_url.clone().unwrap_or_default(),
            },
            "url" => Source::Url {
                url: p.remote_url.clone().unwrap_or_default(),
            },
            _ => Source::Registry,
        };
        out.packages.push(Package {
            ecosystem: Ecosystem::CRAN,
            name: Ecosystem::CRAN.normalize(&name),
            version: version.trim().to_string(),
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

    #[test]
    fn repository_and_github_packages() {
        let text = r#"{
  "R": {
    "Version": "4.3.1",
    "Repositories": [{"Name": "CRAN", "URL": "https://cloud.r-project.org"}]
  },
  "Packages": {
    "R6": {
      "Package": "R6",
      "Version": "2.5.1",
      "Source": "Repository",
      "Repository": "CRAN",
      "Hash": "470851b6d5d0ac559e9d01bb352b4021"
    },
    "mypkg": {
      "Package": "mypkg",
      "Version": "0.2.0",
      "Source": "GitHub",
      "RemoteType": "github",
      "RemoteHost": "api.github.com",
      "RemoteUsername": "someone",
      "RemoteRepo": "mypkg",
      "RemoteSha": "0a1b2c3d"
    }
  }
}"#;
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            crate::lockfile::parsers::testutil::name_version_line(&p),
            vec![
                ("R6".into(), "2.5.1".into(), 7),
                ("mypkg".into(), "0.2.0".into(), 14),
            ]
        );
        assert_eq!(
            p.packages[1].source,
            Source::Git {
                url: "https://github.com/someone/mypkg".into(),
                rev: Some("0a1b2c3d".into())
            }
        );
    }

    #[test]
    fn malformed_lock() {
        let e = parse("{\n\"Packages\": {\n\"a\": {\"Package\": \"a\"}\n}\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(3), "{e}");
        assert!(parse("{\"Packages\": [1]}").is_err());
    }
}
