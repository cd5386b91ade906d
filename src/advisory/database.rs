//! The advisory database a scan reads: every source found under the `--advisories` directories (or the cache
//! that `portcullis db update` fills), opened lazily per ecosystem.
//!
//! Sources, in the order they answer (the first record of an id wins):
//! 1. RustSec advisory-db trees (a directory with a `crates/` folder), read with the `rustsec` crate;
//! 2. osv.dev zips (`<Ecosystem>.zip` or `<Ecosystem>/all.zip`), compiled once into an index in the cache;
//! 3. loose OSV JSON records.

use crate::advisory::db::{ecosystem_from_osv, AdvisoryDb, DbError};
use crate::advisory::index::{open_cached, open_cached_rustsec, IndexError, OsvIndex};
use crate::advisory::osv::Advisory;
use crate::config::Date;
use crate::lockfile::package::Ecosystem;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// What kind of source a path is.
#[derive(Debug)]
enum Kind {
    RustSec,
    OsvZip,
    Json(AdvisoryDb),
}

/// One advisory source.
pub struct Source {
    /// The file or directory.
    pub path: PathBuf,
    kind: Kind,
    /// Ecosystems this source holds data for (known from its name or, for loose records, their content).
    pub ecosystems: BTreeSet<Ecosystem>,
    /// The compiled index (zips and RustSec trees), opened on first use, with a note on how it was opened.
    loaded: OnceLock<Result<(OsvIndex, Option<String>), IndexError>>,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("ecosystems", &self.ecosystems)
            .finish()
    }
}

/// The date a source's data is from, and how it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceDate {
    /// The date.
    pub date: Date,
    /// `downloaded` (from `portcullis db update`'s metadata) or `newest record`.
    pub basis: &'static str,
}

/// All advisory sources of a run.
#[derive(Debug, Default)]
pub struct Database {
    /// Sources in answering order.
    pub sources: Vec<Source>,
    cache: Option<PathBuf>,
}

/// Whether `dir` is the root of a RustSec advisory-db tree.
fn is_rustsec_root(dir: &Path) -> bool {
    dir.join("crates").is_dir()
}

/// The ecosystem a zip is named after: `PyPI.zip`, or `all.zip` inside a `PyPI/` folder.
fn zip_ecosystem(path: &Path) -> Option<Ecosystem> {
    let stem = path.file_stem()?.to_str()?;
    if stem == "all" {
        return ecosystem_from_osv(path.parent()?.file_name()?.to_str()?);
    }
    ecosystem_from_osv(stem)
}

impl Database {
    /// Finds the sources under each path (a directory, an OSV zip or an OSV JSON file). A path that does not
    /// exist or cannot be listed is an error: the audit fails closed. `cache` is where compiled indexes go.
    pub fn open(paths: &[PathBuf], cache: Option<&Path>) -> Result<Database, DbError> {
        let mut rustsec = Vec::new();
        let mut zips = Vec::new();
        let mut json = Vec::new();
        for root in paths {
            let meta = std::fs::metadata(root).map_err(|e| DbError {
                path: root.clone(),
                message: if e.kind() == std::io::ErrorKind::NotFound {
                    "advisory database not found".to_string()
                } else {
                    format!("cannot read the advisory database: {e}")
                },
            })?;
            if meta.is_file() {
                match root.extension().and_then(|e| e.to_str()) {
                    Some("zip") => zips.push(root.clone()),
                    Some("json") => json.push(root.clone()),
                    _ => return Err(DbError {
                        path: root.clone(),
                        message:
                            "not an advisory source (expected a directory, an OSV .zip or .json)"
                                .into(),
                    }),
                }
                continue;
            }
            let mut stack = vec![root.clone()];
            while let Some(dir) = stack.pop() {
                if is_rustsec_root(&dir) {
                    rustsec.push(dir);
                    continue;
                }
                let entries = std::fs::read_dir(&dir).map_err(|e| DbError {
                    path: dir.clone(),
                    message: format!("cannot list the advisory directory: {e}"),
                })?;
                for entry in entries {
                    let path = entry
                        .map_err(|e| DbError {
                            path: dir.clone(),
                            message: format!("cannot list the advisory directory: {e}"),
                        })?
                        .path();
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if name.starts_with('.') || name == "index" {
                        continue;
                    }
                    // Follows a link to what it names, which must be a directory or a regular file: a FIFO
                    // would hang the scan and a device would never end.
                    let meta = std::fs::metadata(&path).map_err(|e| DbError {
                        path: path.clone(),
                        message: format!("cannot read the advisory source: {e}"),
                    })?;
                    if meta.is_dir() {
                        stack.push(path);
                    } else if !meta.is_file() {
                        if name.ends_with(".zip") || name.ends_with(".json") {
                            return Err(DbError {
                                path: path.clone(),
                                message: "not a regular file (a FIFO, device or socket); advisory sources are regular files".into(),
                            });
                        }
                    } else if name.ends_with(".meta.json") {
                        continue;
                    } else if name.ends_with(".zip") {
                        zips.push(path);
                    } else if name.ends_with(".json") {
                        json.push(path);
                    }
                }
            }
        }
        rustsec.sort();
        zips.sort();
        json.sort();
        let mut db = Database {
            sources: Vec::new(),
            cache: cache.map(Path::to_path_buf),
        };
        for path in rustsec {
            db.sources.push(Source {
                path,
                kind: Kind::RustSec,
                ecosystems: BTreeSet::from([Ecosystem::CratesIo]),
                loaded: OnceLock::new(),
            });
        }
        for path in zips {
            let named = zip_ecosystem(&path);
            let source = Source {
                ecosystems: named.into_iter().collect(),
                path,
                kind: Kind::OsvZip,
                loaded: OnceLock::new(),
            };
            if named.is_none() {
                // Not named after an ecosystem: open it now to learn what it holds.
                if let Ok(idx) = source.index(cache) {
                    let ecos: BTreeSet<Ecosystem> = idx
                        .header
                        .ecosystems
                        .iter()
                        .filter_map(|e| ecosystem_from_osv(e))
                        .collect();
                    let mut source = source;
                    source.ecosystems = ecos;
                    db.sources.push(source);
                    continue;
                }
            }
            db.sources.push(source);
        }
        if !json.is_empty() {
            let mut mem = AdvisoryDb::default();
            for path in &json {
                let bytes = crate::advisory::bounded::read_file(path).map_err(|e| DbError {
                    path: path.clone(),
                    message: format!("cannot read: {e}"),
                })?;
                mem.add_record(&path.display().to_string(), &bytes);
            }
            let common = common_dir(&json);
            db.sources.push(Source {
                path: common,
                ecosystems: mem.ecosystems.clone(),
                kind: Kind::Json(mem),
                loaded: OnceLock::new(),
            });
        }
        Ok(db)
    }

    /// Whether some source holds data for the ecosystem.
    /// A source named after the ecosystem but holding no record of it (an empty `PyPI.zip`) does not count:
    /// the ecosystem's data is missing, not complete.
    pub fn covers(&self, eco: Ecosystem) -> bool {
        self.sources.iter().any(|s| {
            s.ecosystems.contains(&eco)
                && match &s.kind {
                    Kind::Json(_) => true,
                    // An index that does not open is reported by the queries, which fail closed.
                    _ => s.index(self.cache.as_deref()).map_or(true, |idx| {
                        idx.header
                            .ecosystems
                            .iter()
                            .any(|e| ecosystem_from_osv(e) == Some(eco))
                    }),
                }
        })
    }

    /// The advisories naming a package, from every source that covers its ecosystem; the first record of an
    /// id wins. A source that cannot be read is an error (the audit of this package is not complete).
    pub fn query(&self, eco: Ecosystem, name: &str) -> Result<Vec<Arc<Advisory>>, DbError> {
        let mut out: Vec<Arc<Advisory>> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for s in self.sources.iter().filter(|s| s.ecosystems.contains(&eco)) {
            let found: Vec<Arc<Advisory>> = match &s.kind {
                Kind::Json(mem) => mem.query(eco, name).to_vec(),
                _ => s.ask(self.cache.as_deref(), |idx| idx.query(eco, name))?,
            };
            for a in found {
                if seen.insert(a.id.clone()) {
                    out.push(a);
                }
            }
        }
        Ok(out)
    }

    /// The advisories known by `id`: the record with that id from the first source that has it, else every
    /// record listing it among its aliases (a CVE id often names a GHSA and a PYSEC record), in source order.
    pub fn find(&self, id: &str) -> Result<Vec<Arc<Advisory>>, DbError> {
        let mut all: Vec<Arc<Advisory>> = Vec::new();
        for s in &self.sources {
            let found = match &s.kind {
                Kind::Json(mem) => mem.by_id(id),
                _ => s.ask(self.cache.as_deref(), |idx| idx.by_id(id))?,
            };
            if let Some(exact) = found.iter().find(|a| a.id.eq_ignore_ascii_case(id)) {
                return Ok(vec![Arc::clone(exact)]);
            }
            for a in found {
                if !all.iter().any(|x| x.id == a.id) {
                    all.push(a);
                }
            }
        }
        Ok(all)
    }

    /// Notes about how sources were loaded (an index that could not be stored in the cache): (source, note).
    pub fn load_notes(&self) -> Vec<(String, String)> {
        self.sources
            .iter()
            .filter_map(|s| match s.loaded.get() {
                Some(Ok((_, Some(n)))) => Some((s.path.display().to_string(), n.clone())),
                _ => None,
            })
            .collect()
    }

    /// Records the loaded sources skipped as unreadable: (source, entry and reason).
    pub fn skipped_records(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for s in &self.sources {
            let name = s.path.display().to_string();
            let skipped: &[(String, String)] = match (&s.kind, s.loaded.get()) {
                (Kind::Json(mem), _) => &mem.skipped,
                (_, Some(Ok((i, _)))) => &i.header.skipped,
                _ => &[],
            };
            for (entry, why) in skipped {
                out.push((name.clone(), format!("{entry}: {why}")));
            }
        }
        out
    }

    /// The date of a source's data: the download time `portcullis db update` recorded beside it, else the
    /// newest `modified` of its records (loading it if needed).
    pub fn date(&self, source: &Source) -> Option<SourceDate> {
        let fetched = crate::advisory::update::read_meta(&source.path)
            .and_then(|m| Date::parse_iso(&m.fetched_at));
        if let Some(date) = fetched {
            return Some(SourceDate {
                date,
                basis: "downloaded",
            });
        }
        let newest = match &source.kind {
            Kind::Json(mem) => mem.newest_modified.clone(),
            _ => source
                .index(self.cache.as_deref())
                .ok()
                .and_then(|i| i.header.newest_modified.clone()),
        };
        newest
            .as_deref()
            .and_then(Date::parse_iso)
            .map(|date| SourceDate {
                date,
                basis: "newest record",
            })
    }
}

impl Source {
    /// The source's compiled index (loose JSON records have none: they are held in memory).
    fn index(&self, cache: Option<&Path>) -> Result<&OsvIndex, DbError> {
        self.loaded
            .get_or_init(|| match &self.kind {
                Kind::OsvZip => open_cached(&self.path, cache),
                Kind::RustSec => open_cached_rustsec(&self.path, cache),
                Kind::Json(_) => Err(IndexError {
                    path: self.path.clone(),
                    message: "loose records are not indexed".to_string(),
                }),
            })
            .as_ref()
            .map(|(idx, _)| idx)
            .map_err(|e| DbError {
                path: e.path.clone(),
                message: e.message.clone(),
            })
    }

    /// Looks `f` up in the source's index, naming the source in an error.
    fn ask(
        &self,
        cache: Option<&Path>,
        f: impl FnOnce(&OsvIndex) -> Result<Vec<Arc<Advisory>>, crate::advisory::index::RecordError>,
    ) -> Result<Vec<Arc<Advisory>>, DbError> {
        f(self.index(cache)?).map_err(|e| DbError {
            path: self.path.clone(),
            message: e.message,
        })
    }
}

/// The deepest directory holding every path (for naming a set of loose records).
fn common_dir(paths: &[PathBuf]) -> PathBuf {
    let mut common: Option<PathBuf> = None;
    for p in paths {
        let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
        common = Some(match common {
            None => dir,
            Some(c) => {
                let mut acc = PathBuf::new();
                for (a, b) in c.components().zip(dir.components()) {
                    if a != b {
                        break;
                    }
                    acc.push(a);
                }
                acc
            }
        });
    }
    common.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, body: &str) {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(p, body).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn loose_records_declare_their_ecosystems_and_answer_queries() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(
            dir.path(),
            "npm/GHSA-1.json",
            r#"{"id":"GHSA-1","modified":"2025-02-03T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"lodash"}}]}"#,
        );
        write(dir.path(), "npm/GHSA-1.meta.json", "{}");
        write(dir.path(), "README.md", "not a record");
        let db =
            Database::open(&[dir.path().to_path_buf()], None).unwrap_or_else(|e| panic!("{e}"));
        assert!(db.covers(Ecosystem::Npm));
        assert!(!db.covers(Ecosystem::PyPI));
        let ids: Vec<String> = db
            .query(Ecosystem::Npm, "lodash")
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|a| a.id.clone())
            .collect();
        assert_eq!(ids, vec!["GHSA-1"]);
        let date = db.sources.first().and_then(|s| db.date(s));
        assert_eq!(
            date,
            Some(SourceDate {
                date: Date {
                    year: 2025,
                    month: 2,
                    day: 3
                },
                basis: "newest record"
            })
        );
    }

    #[test]
    fn real_osv_zips_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/advisories/osv");
        if !dir.is_dir() {
            println!("skipped: ../shared/advisories/osv is not beside the checkout");
            return;
        }
        let mut records = 0;
        for eco in ["crates.io", "PyPI", "Go"] {
            let bytes = crate::advisory::index::compile_zip(&dir.join(format!("{eco}.zip")))
                .unwrap_or_else(|e| panic!("{e}"));
            let idx = OsvIndex::from_bytes(bytes).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                idx.header.skipped.is_empty(),
                "{:?}",
                idx.header.skipped.first()
            );
            records += idx.header.records;
        }
        // Record counts from ../shared/advisories/README.md.
        assert_eq!(records, 1206 + 2661 + 4291);
        let db = Database::open(&[dir], None).unwrap_or_else(|e| panic!("{e}"));
        assert!(db
            .query(Ecosystem::CratesIo, "smallvec")
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .any(|a| a.id == "RUSTSEC-2021-0003"));
    }

    #[test]
    fn a_missing_database_is_an_error() {
        let e = Database::open(&[PathBuf::from("/nonexistent/advisories")], None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(e, "/nonexistent/advisories: advisory database not found");
    }

    #[test]
    fn zips_are_named_by_ecosystem_and_dated_by_download_metadata() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let zip_path = dir.path().join("osv/PyPI.zip");
        std::fs::create_dir_all(dir.path().join("osv")).unwrap_or_else(|e| panic!("{e}"));
        {
            use std::io::Write;
            let f = std::fs::File::create(&zip_path).unwrap_or_else(|e| panic!("{e}"));
            let mut w = zip::ZipWriter::new(f);
            w.start_file("PYSEC-9.json", zip::write::SimpleFileOptions::default())
                .unwrap_or_else(|e| panic!("{e}"));
            w.write_all(br#"{"id":"PYSEC-9","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"jinja2"}}]}"#)
                .unwrap_or_else(|e| panic!("{e}"));
            w.finish().unwrap_or_else(|e| panic!("{e}"));
        }
        write(
            dir.path(),
            "osv/PyPI.meta.json",
            r#"{"url":"https://example.org/PyPI/all.zip","fetched_at":"2026-11-20T08:00:00Z","sha256":"00","records":1}"#,
        );
        let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = Database::open(&[dir.path().to_path_buf()], Some(cache.path()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(db.covers(Ecosystem::PyPI));
        assert_eq!(
            db.query(Ecosystem::PyPI, "Jinja2").map(|v| v.len()).ok(),
            Some(1)
        );
        let date = db.sources.first().and_then(|s| db.date(s));
        assert_eq!(
            date.map(|d| (d.date.to_string(), d.basis)),
            Some(("2026-11-20".to_string(), "downloaded"))
        );
    }
}
