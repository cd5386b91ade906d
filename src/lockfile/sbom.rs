//! Package URLs and the CycloneDX 1.5 JSON bill of materials (`portcullis sbom`).

use crate::lockfile::package::{Ecosystem, Package, Source};
use serde_json::{json, Value};

/// Percent-encodes a purl component (keeps unreserved characters; `/` only where `keep_slash`).
fn enc(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The package URL (purl) of a package, per the purl type of its ecosystem.
pub fn purl(p: &Package) -> String {
    let v = enc(&p.version, false);
    let (ty, path) = match p.ecosystem {
        Ecosystem::CratesIo => ("cargo", enc(&p.name, false)),
        Ecosystem::Npm => ("npm", enc(&p.name, true)),
        Ecosystem::PyPI => ("pypi", enc(&p.name, false)),
        Ecosystem::Go => ("golang", enc(&p.name, true)),
        Ecosystem::Maven => ("maven", enc(&p.name, false).replacen("%3A", "/", 1)),
        Ecosystem::RubyGems => ("gem", enc(&p.name, false)),
        Ecosystem::Packagist => ("composer", enc(&p.name, true)),
        Ecosystem::NuGet => ("nuget", enc(&p.name, false)),
        Ecosystem::Pub => ("pub", enc(&p.name, false)),
        Ecosystem::Hex => ("hex", enc(&p.name, false)),
        Ecosystem::SwiftURL => (
            "swift",
            enc(
                p.name
                    .trim_start_matches("https://")
                    .trim_start_matches("http://"),
                true,
            ),
        ),
        Ecosystem::CocoaPods => ("cocoapods", enc(&p.name, false)),
        Ecosystem::ConanCenter => ("conan", enc(&p.name, false)),
        Ecosystem::CRAN => ("cran", enc(&p.name, false)),
        Ecosystem::Julia => ("julia", enc(&p.name, false)),
        Ecosystem::Hackage => ("hackage", enc(&p.name, false)),
    };
    format!("pkg:{ty}/{path}@{v}")
}

/// A CycloneDX 1.5 JSON document listing `packages` (duplicates by purl listed once), in a stable order.
/// `files` are the lock files the packages came from (recorded as a property of each component).
pub fn cyclonedx(packages: &[(String, Package)]) -> Value {
    let mut seen = std::collections::BTreeMap::new();
    for (file, p) in packages {
        seen.entry(purl(p))
            .or_insert_with(Vec::new)
            .push((file.clone(), p));
    }
    let components: Vec<Value> = seen
        .iter()
        .map(|(purl, uses)| {
            let p = uses[0].1;
            let mut c = json!({
                "type": "library",
                "bom-ref": purl,
                "name": p.name,
                "version": p.version,
                "purl": purl,
                "scope": if p.optional { "optional" } else { "required" },
                "properties": uses.iter().map(|(f, q)| json!({"name": "portcullis:location", "value": format!("{f}:{}", q.line)})).collect::<Vec<_>>(),
            });
            if let Source::Git { url, rev } = &p.source {
                c["externalReferences"] = json!([{ "type": "vcs", "url": match rev { Some(r) => format!("{url}#{r}"), None => url.clone() } }]);
            }
            c
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": { "tools": { "components": [{ "type": "application", "name": "portcullis", "version": env!("CARGO_PKG_VERSION") }] } },
        "components": components,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(eco: Ecosystem, name: &str, version: &str) -> Package {
        Package {
            ecosystem: eco,
            name: name.into(),
            version: version.into(),
            direct: None,
            dev: false,
            optional: false,
            line: 3,
            source: Source::Registry,
        }
    }

    #[test]
    fn purls() {
        assert_eq!(
            purl(&p(Ecosystem::Npm, "@babel/core", "7.0.0")),
            "pkg:npm/%40babel/core@7.0.0"
        );
        assert_eq!(
            purl(&p(
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core",
                "2.14.1"
            )),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        );
        assert_eq!(
            purl(&p(Ecosystem::PyPI, "django-rest-framework", "3.0")),
            "pkg:pypi/django-rest-framework@3.0"
        );
        assert_eq!(
            purl(&p(Ecosystem::Go, "github.com/gin-gonic/gin", "v1.9.1")),
            "pkg:golang/github.com/gin-gonic/gin@v1.9.1"
        );
        assert_eq!(
            purl(&p(Ecosystem::CratesIo, "serde", "1.0.0+build")),
            "pkg:cargo/serde@1.0.0%2Bbuild"
        );
    }

    #[test]
    fn cyclonedx_lists_each_purl_once_with_its_locations() {
        let doc = cyclonedx(&[
            (
                "Cargo.lock".into(),
                p(Ecosystem::CratesIo, "serde", "1.0.0"),
            ),
            (
                "sub/Cargo.lock".into(),
                p(Ecosystem::CratesIo, "serde", "1.0.0"),
            ),
            (
                "package-lock.json".into(),
                p(Ecosystem::Npm, "left-pad", "1.3.0"),
            ),
        ]);
        assert_eq!(doc["specVersion"], "1.5");
        let comps = doc["components"].as_array().cloned().unwrap_or_default();
        assert_eq!(comps.len(), 2);
        assert_eq!(comps[0]["purl"], "pkg:cargo/serde@1.0.0");
        assert_eq!(comps[0]["properties"].as_array().map(Vec::len), Some(2));
    }
}
