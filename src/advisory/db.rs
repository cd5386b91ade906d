//! An in-memory set of OSV advisories indexed by (ecosystem, normalised package name): loose JSON records,
//! RustSec advisories, answers of the OSV API, and the per-file working set of the audit. Finding the sources
//! on disk is [`crate::advisory::database`]'s job; the names OSV uses for ecosystems and packages are read here.

use crate::advisory::osv::{Advisory, AffectedPackage};
use crate::lockfile::package::Ecosystem;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;

/// An advisory source that cannot be read: the audit fails closed.
#[derive(Debug, Error)]
#[error("{path}: {message}")]
pub struct DbError {
    /// The file or directory.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// The ecosystem of an OSV `affected[].package.ecosystem` value (`Debian:11` style suffixes are dropped).
pub fn ecosystem_from_osv(name: &str) -> Option<Ecosystem> {
    let base = name.split(':').next().unwrap_or(name);
    Some(match base {
        "crates.io" => Ecosystem::CratesIo,
        "npm" => Ecosystem::Npm,
        "PyPI" => Ecosystem::PyPI,
        "Go" => Ecosystem::Go,
        "Maven" => Ecosystem::Maven,
        "RubyGems" => Ecosystem::RubyGems,
        "Packagist" => Ecosystem::Packagist,
        "NuGet" => Ecosystem::NuGet,
        "Pub" => Ecosystem::Pub,
        "Hex" => Ecosystem::Hex,
        "SwiftURL" => Ecosystem::SwiftURL,
        "CocoaPods" => Ecosystem::CocoaPods,
        "ConanCenter" => Ecosystem::ConanCenter,
        "CRAN" => Ecosystem::CRAN,
        "Julia" => Ecosystem::Julia,
        "Hackage" => Ecosystem::Hackage,
        _ => return None,
    })
}

/// The (ecosystem, normalised name) an `affected[].package` names: from `ecosystem` and `name`, else from its
/// package URL (`pkg:npm/%40scope/name`, `pkg:maven/group/artifact`, …).
pub fn affected_key(p: &AffectedPackage) -> Option<(Ecosystem, String)> {
    if !p.name.is_empty() {
        if let Some(eco) = ecosystem_from_osv(&p.ecosystem) {
            return Some((eco, eco.normalize(&p.name)));
        }
    }
    let purl = p.purl.as_deref()?.strip_prefix("pkg:")?;
    let purl = purl.split(['?', '#']).next()?;
    let purl = purl.rsplit_once('@').map_or(purl, |(path, _)| path);
    let (ty, path) = purl.split_once('/')?;
    let path = percent_decode(path.trim_matches('/'));
    let eco = match ty.to_ascii_lowercase().as_str() {
        "cargo" => Ecosystem::CratesIo,
        "npm" => Ecosystem::Npm,
        "pypi" => Ecosystem::PyPI,
        "golang" => Ecosystem::Go,
        "maven" => Ecosystem::Maven,
        "gem" => Ecosystem::RubyGems,
        "composer" => Ecosystem::Packagist,
        "nuget" => Ecosystem::NuGet,
        "pub" => Ecosystem::Pub,
        "hex" => Ecosystem::Hex,
        "cocoapods" => Ecosystem::CocoaPods,
        "conan" => Ecosystem::ConanCenter,
        "cran" => Ecosystem::CRAN,
        "julia" => Ecosystem::Julia,
        "hackage" => Ecosystem::Hackage,
        "swift" => Ecosystem::SwiftURL,
        _ => return None,
    };
    let name = match eco {
        // Maven names are `group:artifact`; purls write `group/artifact`.
        Ecosystem::Maven => path.replacen('/', ":", 1),
        _ => path,
    };
    (!name.is_empty()).then(|| (eco, eco.normalize(&name)))
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Advisories by package.
#[derive(Debug, Default)]
pub struct AdvisoryDb {
    index: BTreeMap<(Ecosystem, String), Vec<Arc<Advisory>>>,
    ids: BTreeSet<String>,
    /// Ecosystems for which the database holds records.
    pub ecosystems: BTreeSet<Ecosystem>,
    /// The newest `modified` timestamp of any record added.
    pub newest_modified: Option<String>,
    /// Records that could not be read (file and reason); each is a diagnostic for the caller.
    pub skipped: Vec<(String, String)>,
}

impl AdvisoryDb {
    /// Adds one OSV JSON record; unreadable records are remembered in `skipped`.
    pub fn add_record(&mut self, name: &str, bytes: &[u8]) {
        match serde_json::from_slice::<Advisory>(bytes) {
            Ok(adv) => {
                self.add_advisory(adv);
            }
            Err(e) => self
                .skipped
                .push((name.to_string(), format!("not an OSV record: {e}"))),
        }
    }

    /// Adds one advisory unless one with the same id is already present (the same record from a second
    /// source; the first one added wins); returns whether it was added. Records that only alias each other are
    /// all kept here (they may name different packages) and merged per package when matching.
    pub fn add_advisory(&mut self, adv: Advisory) -> bool {
        self.add_shared(Arc::new(adv))
    }

    /// [`AdvisoryDb::add_advisory`] for a record already shared with another database.
    pub fn add_shared(&mut self, adv: Arc<Advisory>) -> bool {
        if !self.ids.insert(adv.id.clone()) {
            return false;
        }
        if let Some(m) = adv.last_change() {
            if self.newest_modified.as_deref().is_none_or(|cur| m > cur) {
                self.newest_modified = Some(m.to_string());
            }
        }
        let mut keys = BTreeSet::new();
        for a in &adv.affected {
            let Some((eco, name)) = a.package.as_ref().and_then(affected_key) else {
                continue;
            };
            self.ecosystems.insert(eco);
            keys.insert((eco, name));
        }
        for key in keys {
            self.index.entry(key).or_default().push(Arc::clone(&adv));
        }
        true
    }

    /// Advisories naming this package.
    pub fn query(&self, ecosystem: Ecosystem, name: &str) -> &[Arc<Advisory>] {
        self.index
            .get(&(ecosystem, ecosystem.normalize(name)))
            .map_or(&[], Vec::as_slice)
    }

    /// The advisory with this id, if some package entry holds it.
    pub fn get(&self, id: &str) -> Option<Arc<Advisory>> {
        if !self.ids.contains(id) {
            return None;
        }
        self.index.values().flatten().find(|a| a.id == id).cloned()
    }

    /// The advisories whose id or one of whose aliases is `id` (case-insensitive), the exact id first.
    pub fn by_id(&self, id: &str) -> Vec<Arc<Advisory>> {
        let mut out: Vec<Arc<Advisory>> = Vec::new();
        for a in self.index.values().flatten() {
            let hit = a.id.eq_ignore_ascii_case(id)
                || a.aliases.iter().any(|x| x.eq_ignore_ascii_case(id));
            if hit && !out.iter().any(|o| o.id == a.id) {
                out.push(Arc::clone(a));
            }
        }
        out.sort_by_key(|a| !a.id.eq_ignore_ascii_case(id));
        out
    }

    /// Number of distinct advisories.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the database is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether an advisory with this id is already present.
    pub fn contains_id(&self, id: &str) -> bool {
        self.ids.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_indexed_by_normalised_name_and_deduplicated() {
        let mut db = AdvisoryDb::default();
        let rec = br#"{"id":"PYSEC-1","affected":[{"package":{"ecosystem":"PyPI","name":"Django_Rest"}}]}"#;
        db.add_record("a.json", rec);
        db.add_record("b.json", rec);
        db.add_record("c.json", b"{not json");
        assert_eq!(db.len(), 1);
        assert_eq!(db.query(Ecosystem::PyPI, "django-rest").len(), 1);
        assert_eq!(db.query(Ecosystem::PyPI, "flask").len(), 0);
        assert_eq!(db.skipped.len(), 1);
        assert!(db.ecosystems.contains(&Ecosystem::PyPI));
        assert_eq!(ecosystem_from_osv("Debian:11"), None);
        let purl_only = |purl: &str| AffectedPackage {
            purl: Some(purl.to_string()),
            ..AffectedPackage::default()
        };
        assert_eq!(
            affected_key(&purl_only("pkg:npm/%40acme/widgets@1.0.0")),
            Some((Ecosystem::Npm, "@acme/widgets".to_string()))
        );
        assert_eq!(
            affected_key(&purl_only("pkg:maven/org.apache.logging.log4j/log4j-core")),
            Some((
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core".to_string()
            ))
        );
        assert_eq!(
            affected_key(&purl_only("pkg:pypi/Django_Rest?x=1")),
            Some((Ecosystem::PyPI, "django-rest".to_string()))
        );
        assert_eq!(affected_key(&purl_only("pkg:deb/debian/openssl")), None);
        assert_eq!(ecosystem_from_osv("Maven"), Some(Ecosystem::Maven));
    }
}
