//! `db update` / `db status`: downloads advisory databases into a cache directory, each one checked before it
//! replaces the last good copy.
//!
//! Layout under the cache directory:
//! - `advisories/osv/<OSV ecosystem>.zip`: osv.dev's `<ecosystem>/all.zip`, with `<ecosystem>.meta.json` beside it;
//! - `advisories/rustsec/`: the RustSec advisory-db tree (`crates/`, `rust/`, …), with `rustsec.meta.json` beside it.
//!
//! Requests are conditional (`If-None-Match`, `If-Modified-Since`); a download is accepted only when it is
//! complete (`Content-Length`), opens as a zip whose every entry reads (CRCs), and its records parse (OSV JSON,
//! or the RustSec tree through the `rustsec` crate). Replacement is a rename in the same directory, so a failed
//! or invalid download never damages the previous copy.
//!
//! The module is split by concern: [`cache`] (where things live, sidecars, `db status`), `download` (one
//! source fetched over HTTP into a temporary file), `verify` (a download checked and unpacked before it is
//! trusted) and `files` (temporary paths, atomic replacement, fsync).

pub mod cache;
mod download;
mod files;
mod verify;

pub use cache::{
    default_cache_dir, ecosystem_data, meta_path, osv_zip_path, parse_rfc3339, read_meta,
    rustsec_dir, status, SourceMeta, SourceStatus, ALL_ECOSYSTEMS,
};

use crate::advisory::http::format_duration;
use crate::lockfile::package::Ecosystem;
use download::Job;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;
use thiserror::Error;

/// What to download, from where, into which cache.
#[derive(Clone, Debug)]
pub struct UpdateOptions {
    /// The cache directory (see [`default_cache_dir`]).
    pub cache_dir: PathBuf,
    /// Root of osv.dev's bucket; each ecosystem is `{osv_base_url}/{ecosystem}/all.zip`.
    pub osv_base_url: String,
    /// The RustSec advisory-db archive (a GitHub branch zip with one top folder).
    pub rustsec_url: String,
    /// OSV ecosystems to download (duplicates are fetched once).
    pub ecosystems: Vec<Ecosystem>,
    /// Also download the RustSec advisory-db.
    pub rustsec: bool,
    /// Connect timeout, and the longest wait for the response or for more data of the body (a stall); a large
    /// download that keeps flowing is never cut.
    pub timeout: Duration,
}

impl UpdateOptions {
    /// The public sources, every ecosystem, RustSec included, a 60 s timeout.
    pub fn new(cache_dir: PathBuf) -> UpdateOptions {
        UpdateOptions {
            cache_dir,
            osv_base_url: "https://osv-vulnerabilities.storage.googleapis.com".to_string(),
            rustsec_url: "https://github.com/rustsec/advisory-db/archive/refs/heads/main.zip"
                .to_string(),
            ecosystems: ALL_ECOSYSTEMS.to_vec(),
            rustsec: true,
            timeout: Duration::from_secs(60),
        }
    }
}

/// The result for one source.
#[derive(Debug)]
pub struct SourceOutcome {
    /// `osv/PyPI`, `rustsec`.
    pub source: String,
    /// What happened; an error left the previous copy as it was.
    pub result: Result<Fetched, UpdateError>,
}

/// A source updated successfully.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// New data was downloaded, checked and installed.
    Updated {
        /// Size of the download.
        bytes: u64,
        /// Advisories it holds.
        records: usize,
    },
    /// The server confirmed the cached copy is current (HTTP 304).
    NotModified,
}

/// A source that could not be updated; its previous copy, if any, is unchanged.
#[derive(Debug, Error)]
pub enum UpdateError {
    /// The server answered with an unexpected status.
    #[error("{source_name}: {url}: HTTP {status}: {body}")]
    Http {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// Code and reason, `500 Internal Server Error`.
        status: String,
        /// The start of the response body.
        body: String,
    },
    /// The server stopped answering for longer than the timeout.
    #[error("{source_name}: {url}: did not answer within {}", format_duration(*timeout))]
    Timeout {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// The timeout.
        timeout: Duration,
    },
    /// The connection failed.
    #[error("{source_name}: {url}: {message}")]
    Transport {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// What failed.
        message: String,
    },
    /// The download is incomplete, not a readable zip, or holds unreadable records.
    #[error("{source_name}: invalid download from {url}: {reason} (nothing was replaced)")]
    Invalid {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A file of the cache could not be written.
    #[error("{source_name}: {}: {message}", path.display())]
    Io {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The file or directory.
        path: PathBuf,
        /// What failed.
        message: String,
    },
}

/// Downloads every requested source: the OSV ecosystems in the order given, then RustSec.
pub fn update(opts: &UpdateOptions) -> Vec<SourceOutcome> {
    let agent =
        crate::advisory::http::agent(crate::advisory::http::Timeouts::Stall(opts.timeout), true);
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for &eco in &opts.ecosystems {
        if !seen.insert(eco) {
            continue;
        }
        let job = Job {
            agent: &agent,
            name: format!("osv/{}", eco.osv_name()),
            url: format!(
                "{}/{}/all.zip",
                opts.osv_base_url.trim_end_matches('/'),
                eco.osv_name()
            ),
            timeout: opts.timeout,
        };
        let result = job.update_osv(&osv_zip_path(&opts.cache_dir, eco));
        out.push(SourceOutcome {
            source: job.name,
            result,
        });
    }
    if opts.rustsec {
        let job = Job {
            agent: &agent,
            name: "rustsec".to_string(),
            url: opts.rustsec_url.clone(),
            timeout: opts.timeout,
        };
        let result = job.update_rustsec(&rustsec_dir(&opts.cache_dir));
        out.push(SourceOutcome {
            source: job.name,
            result,
        });
    }
    out
}

/// One source being updated.
#[cfg(test)]
mod tests {
    use super::cache::{cache_dir_from, now_secs, status_at};
    use super::files::parent;
    use super::*;
    use crate::advisory::testserver::{Reply, TestServer};
    use crate::config::utc_timestamp;
    use sha2::{Digest, Sha256};
    use std::collections::BTreeMap;
    use std::ffi::OsString;
    use std::fs;
    use std::io::{self, Write};
    use std::path::Path;
    use std::sync::{Arc, Mutex};

    /// A server answering each path with the reply currently set for it (404 otherwise).
    struct Site {
        server: TestServer,
        replies: Arc<Mutex<BTreeMap<String, Reply>>>,
    }

    impl Site {
        fn start() -> Site {
            let replies: Arc<Mutex<BTreeMap<String, Reply>>> = Arc::default();
            let shared = Arc::clone(&replies);
            let server = TestServer::start(move |req| {
                shared
                    .lock()
                    .ok()
                    .and_then(|r| r.get(&req.path).cloned())
                    .unwrap_or_else(|| Reply::status(404))
            });
            Site { server, replies }
        }

        fn set(&self, path: &str, reply: Reply) {
            if let Ok(mut r) = self.replies.lock() {
                r.insert(path.to_string(), reply);
            }
        }

        fn opts(&self, cache: &Path) -> UpdateOptions {
            UpdateOptions {
                cache_dir: cache.to_path_buf(),
                osv_base_url: self.server.url(),
                rustsec_url: format!("{}/rustsec/main.zip", self.server.url()),
                ecosystems: vec![Ecosystem::PyPI],
                rustsec: false,
                timeout: Duration::from_secs(5),
            }
        }
    }

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, data) in entries {
            if name.ends_with('/') {
                w.add_directory(*name, options)
                    .unwrap_or_else(|e| panic!("{e}"));
            } else {
                w.start_file(*name, options)
                    .unwrap_or_else(|e| panic!("{e}"));
                w.write_all(data.as_bytes())
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        w.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
    }

    fn osv_record(id: &str) -> String {
        format!(
            r#"{{"id":"{id}","modified":"2024-05-01T00:00:00Z","affected":[{{"package":{{"ecosystem":"PyPI","name":"jinja2"}},"ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"0"}},{{"fixed":"2.10"}}]}}]}}]}}"#
        )
    }

    fn pypi_zip() -> Vec<u8> {
        zip_of(&[
            ("PYSEC-2019-217.json", &osv_record("PYSEC-2019-217")),
            (
                "GHSA-462w-v97r-4m45.json",
                &osv_record("GHSA-462w-v97r-4m45"),
            ),
            ("README.txt", "not a record"),
        ])
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        format!("{:x}", Sha256::digest(bytes))
    }

    fn read(path: &Path) -> Vec<u8> {
        fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn one(outcomes: Vec<SourceOutcome>) -> (String, Result<Fetched, String>) {
        assert_eq!(outcomes.len(), 1, "{outcomes:?}");
        let o = outcomes
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!());
        (o.source, o.result.map_err(|e| e.to_string()))
    }

    fn tempdir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    const LAST_MODIFIED: &str = "Mon, 23 Nov 2026 10:00:00 GMT";

    #[test]
    fn osv_download_then_not_modified() {
        let site = Site::start();
        let cache = tempdir();
        let body = pypi_zip();
        site.set(
            "/PyPI/all.zip",
            Reply::ok(body.clone())
                .header("ETag", "\"v1\"")
                .header("Last-Modified", LAST_MODIFIED),
        );
        let opts = site.opts(cache.path());
        let (source, result) = one(update(&opts));
        assert_eq!(source, "osv/PyPI");
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: body.len() as u64,
                records: 2
            })
        );
        let zip = osv_zip_path(cache.path(), Ecosystem::PyPI);
        assert_eq!(zip, cache.path().join("advisories/osv/PyPI.zip"));
        assert_eq!(read(&zip), body);
        assert_eq!(
            listing(parent(&zip)),
            ["PyPI.meta.json", "PyPI.zip"],
            "no temporary file is left"
        );
        let meta = read_meta(&zip).unwrap_or_else(|| panic!("no meta"));
        let fetched = parse_rfc3339(&meta.fetched_at).unwrap_or_else(|| panic!("{meta:?}"));
        assert!((now_secs() - fetched).abs() < 60, "{meta:?}");
        assert_eq!(
            meta,
            SourceMeta {
                url: format!("{}/PyPI/all.zip", site.server.url()),
                etag: Some("\"v1\"".into()),
                last_modified: Some(LAST_MODIFIED.into()),
                fetched_at: meta.fetched_at.clone(),
                sha256: sha256_hex(&body),
                records: 2,
            }
        );
        // The scan loads the cache; the sidecar is not taken for a record.
        let db = crate::advisory::database::Database::open(&[ecosystem_data(cache.path())], None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(db.sources.len(), 1);
        let idx = crate::advisory::index::OsvIndex::from_bytes(
            crate::advisory::index::compile_zip(&osv_zip_path(cache.path(), Ecosystem::PyPI))
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(idx.header.records, 2);
        assert!(idx.header.skipped.is_empty(), "{:?}", idx.header.skipped);
        assert_eq!(
            db.query(Ecosystem::PyPI, "Jinja2").map(|v| v.len()).ok(),
            Some(2)
        );
        assert!(db.skipped_records().is_empty());
        let first = site.server.requests();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].header("if-none-match"), None);
        assert_eq!(first[0].header("accept-encoding"), Some("identity"));
        assert_eq!(
            first[0].header("user-agent"),
            Some(format!("portcullis/{}", env!("CARGO_PKG_VERSION")).as_str())
        );

        // Back-date the confirmation, then the server says nothing changed.
        let old_meta = SourceMeta {
            fetched_at: "2020-01-01T00:00:00Z".into(),
            ..meta.clone()
        };
        let meta_file = parent(&zip).join("PyPI.meta.json");
        fs::write(
            &meta_file,
            serde_json::to_vec(&old_meta).unwrap_or_default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        site.set("/PyPI/all.zip", Reply::status(304).header("ETag", "\"v1\""));
        let (source, result) = one(update(&opts));
        assert_eq!(
            (source.as_str(), result),
            ("osv/PyPI", Ok(Fetched::NotModified))
        );
        let second = site.server.requests();
        assert_eq!(second.len(), 2);
        assert_eq!(second[1].header("if-none-match"), Some("\"v1\""));
        assert_eq!(second[1].header("if-modified-since"), Some(LAST_MODIFIED));
        assert_eq!(read(&zip), body, "the data is untouched");
        let refreshed = read_meta(&zip).unwrap_or_else(|| panic!("no meta"));
        assert_ne!(refreshed.fetched_at, old_meta.fetched_at);
        assert_eq!(
            refreshed,
            SourceMeta {
                fetched_at: refreshed.fetched_at.clone(),
                ..old_meta
            }
        );
        assert_eq!(listing(parent(&zip)), ["PyPI.meta.json", "PyPI.zip"]);

        let st = status(cache.path());
        assert_eq!(
            st,
            [SourceStatus {
                name: "osv/PyPI".into(),
                path: zip.clone(),
                records: Some(2),
                fetched_at: Some(refreshed.fetched_at.clone()),
                last_modified: Some(LAST_MODIFIED.into()),
                age_days: Some(0),
            }]
        );
    }

    #[test]
    fn failed_downloads_keep_the_last_good_copy() {
        let site = Site::start();
        let cache = tempdir();
        let body = pypi_zip();
        site.set(
            "/PyPI/all.zip",
            Reply::ok(body.clone()).header("ETag", "\"v1\""),
        );
        let opts = site.opts(cache.path());
        let (_, result) = one(update(&opts));
        assert!(result.is_ok(), "{result:?}");
        let zip = osv_zip_path(cache.path(), Ecosystem::PyPI);
        let meta_file = parent(&zip).join("PyPI.meta.json");
        let good_meta = read(&meta_file);
        let url = format!("{}/PyPI/all.zip", site.server.url());
        let invalid = |reason: &str| {
            format!("osv/PyPI: invalid download from {url}: {reason} (nothing was replaced)")
        };

        let bad_record = zip_of(&[("PYSEC-1.json", r#"{"summary":"no id"}"#)]);
        let cases: Vec<(&str, Reply, String)> = vec![
            (
                "truncated zip",
                Reply::ok(body[..body.len() / 2].to_vec()),
                invalid("not a readable zip archive: "),
            ),
            (
                "connection cut",
                Reply::ok(body.clone()).cut_after(100),
                invalid(&format!("incomplete: 100 of {} bytes", body.len())),
            ),
            (
                "garbage",
                Reply::ok("<html>Service temporarily unavailable</html>"),
                invalid("not a readable zip archive: "),
            ),
            (
                "server error",
                Reply::status(500).body("backend\n down"),
                format!("osv/PyPI: {url}: HTTP 500 Internal Server Error: backend down"),
            ),
            (
                "not OSV records",
                Reply::ok(bad_record),
                invalid("PYSEC-1.json: not an OSV record: missing field `id`"),
            ),
            (
                "unconditional 304",
                Reply::status(304),
                invalid("HTTP 304 Not Modified to an unconditional request"),
            ),
        ];
        for (what, reply, want) in cases {
            site.set("/PyPI/all.zip", reply);
            if what == "unconditional 304" {
                // A sidecar without validators: the request is unconditional.
                let mut m: SourceMeta =
                    serde_json::from_slice(&good_meta).unwrap_or_else(|e| panic!("{e}"));
                m.etag = None;
                fs::write(&meta_file, serde_json::to_vec(&m).unwrap_or_default())
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let (source, result) = one(update(&opts));
            assert_eq!(source, "osv/PyPI");
            let e = result.err().unwrap_or_else(|| panic!("{what}: no error"));
            assert!(
                e.starts_with(want.trim_end_matches(" (nothing was replaced)")),
                "{what}: {e}"
            );
            if want.ends_with("(nothing was replaced)") {
                assert!(e.ends_with("(nothing was replaced)"), "{what}: {e}");
            }
            assert_eq!(read(&zip), body, "{what}: the zip is unchanged");
            if what != "unconditional 304" {
                assert_eq!(read(&meta_file), good_meta, "{what}: the meta is unchanged");
            }
            assert_eq!(
                listing(parent(&zip)),
                ["PyPI.meta.json", "PyPI.zip"],
                "{what}: no temporary file is left"
            );
        }
        // Exact texts of two of them.
        site.set("/PyPI/all.zip", Reply::status(500).body("backend down"));
        let (_, result) = one(update(&opts));
        assert_eq!(
            result,
            Err(format!(
                "osv/PyPI: {url}: HTTP 500 Internal Server Error: backend down"
            ))
        );
        site.set(
            "/PyPI/all.zip",
            Reply::ok(body.clone()).delay(Duration::from_millis(1500)),
        );
        let slow = UpdateOptions {
            timeout: Duration::from_millis(200),
            ..opts.clone()
        };
        let (_, result) = one(update(&slow));
        assert_eq!(
            result,
            Err(format!("osv/PyPI: {url}: did not answer within 200ms"))
        );
        assert_eq!(read(&zip), body);
    }

    fn rustsec_advisory(id: &str, package: &str) -> String {
        format!(
            "```toml\n[advisory]\nid = \"{id}\"\npackage = \"{package}\"\ndate = \"2025-01-02\"\n\
             url = \"https://example.org/{package}\"\ncategories = [\"memory-corruption\"]\n\n\
             [versions]\npatched = [\">= 1.2.3\"]\n```\n\n# {package} reads out of bounds\n\n\
             A made-up advisory for tests.\n"
        )
    }

    fn rustsec_ids(dir: &Path) -> Vec<String> {
        let db = rustsec::Database::open(dir).unwrap_or_else(|e| panic!("{e}"));
        let mut ids: Vec<String> = db.iter().map(|a| a.id().to_string()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn rustsec_archive_is_extracted_and_replaced() {
        let site = Site::start();
        let cache = tempdir();
        let first = zip_of(&[
            ("advisory-db-main/", ""),
            (
                "advisory-db-main/README.md",
                "# RustSec Advisory Database\n",
            ),
            ("advisory-db-main/crates/", ""),
            (
                "advisory-db-main/crates/foo-bar/RUSTSEC-2025-9001.md",
                &rustsec_advisory("RUSTSEC-2025-9001", "foo-bar"),
            ),
            (
                "advisory-db-main/crates/baz/RUSTSEC-2025-9002.md",
                &rustsec_advisory("RUSTSEC-2025-9002", "baz"),
            ),
        ]);
        site.set(
            "/rustsec/main.zip",
            Reply::ok(first.clone()).header("ETag", "W/\"r1\""),
        );
        let opts = UpdateOptions {
            ecosystems: Vec::new(),
            rustsec: true,
            ..site.opts(cache.path())
        };
        let (source, result) = one(update(&opts));
        assert_eq!(source, "rustsec");
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: first.len() as u64,
                records: 2
            })
        );
        let dir = rustsec_dir(cache.path());
        assert_eq!(listing(&dir), ["README.md", "crates"]);
        assert_eq!(listing(&dir.join("crates")), ["baz", "foo-bar"]);
        assert_eq!(
            rustsec_ids(&dir),
            ["RUSTSEC-2025-9001", "RUSTSEC-2025-9002"]
        );
        assert_eq!(
            listing(&ecosystem_data(cache.path())),
            ["rustsec", "rustsec.meta.json"]
        );
        let meta = read_meta(&dir).unwrap_or_else(|| panic!("no meta"));
        assert_eq!(
            (meta.records, meta.etag.as_deref(), meta.sha256.as_str()),
            (2, Some("W/\"r1\""), sha256_hex(&first).as_str())
        );

        // A newer archive replaces the whole tree.
        let second = zip_of(&[(
            "advisory-db-main/crates/baz/RUSTSEC-2025-9002.md",
            &rustsec_advisory("RUSTSEC-2025-9002", "baz"),
        )]);
        site.set("/rustsec/main.zip", Reply::ok(second.clone()));
        let (_, result) = one(update(&opts));
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: second.len() as u64,
                records: 1
            })
        );
        assert_eq!(listing(&dir), ["crates"]);
        assert_eq!(rustsec_ids(&dir), ["RUSTSEC-2025-9002"]);
        assert_eq!(
            read_meta(&dir).map(|m| (m.records, m.etag)),
            Some((1, None))
        );

        // An archive whose advisory does not parse leaves the tree as it was.
        let good_meta = read(&ecosystem_data(cache.path()).join("rustsec.meta.json"));
        let broken = zip_of(&[(
            "advisory-db-main/crates/baz/RUSTSEC-2025-9003.md",
            "```toml\n[advisory]\npackage = \"baz\"\n```\n\n# no id\n\ntext\n",
        )]);
        site.set("/rustsec/main.zip", Reply::ok(broken));
        let (_, result) = one(update(&opts));
        let e = result.err().unwrap_or_default();
        assert!(
            e.starts_with(&format!(
                "rustsec: invalid download from {}/rustsec/main.zip: not a RustSec database: ",
                site.server.url()
            )),
            "{e}"
        );
        assert_eq!(rustsec_ids(&dir), ["RUSTSEC-2025-9002"]);
        assert_eq!(
            read(&ecosystem_data(cache.path()).join("rustsec.meta.json")),
            good_meta
        );
        assert_eq!(
            listing(&ecosystem_data(cache.path())),
            ["rustsec", "rustsec.meta.json"],
            "no temporary file or directory is left"
        );

        let st = status(cache.path());
        assert_eq!(st.len(), 1);
        assert_eq!(
            (st[0].name.as_str(), st[0].path.as_path(), st[0].records),
            ("rustsec", dir.as_path(), Some(1))
        );
    }

    /// Zips a directory tree the way GitHub archives a branch: everything under one top folder.
    fn archive_of(root: &Path, top: &str) -> Vec<u8> {
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{e}")) {
                let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        files.sort();
        let contents: Vec<(String, String)> = files
            .iter()
            .map(|f| {
                let rel = f.strip_prefix(root).unwrap_or(f).to_string_lossy();
                let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{e}"));
                (format!("{top}/{rel}"), text)
            })
            .collect();
        let refs: Vec<(&str, &str)> = contents
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        zip_of(&refs)
    }

    #[test]
    fn real_advisory_db_archive_installs() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/advisories/rustsec");
        if !shared.is_dir() {
            println!("skipped: ../shared/advisories/rustsec is not beside the checkout");
            return;
        }
        let site = Site::start();
        let cache = tempdir();
        let archive = archive_of(&shared, "advisory-db-main");
        site.set("/rustsec/main.zip", Reply::ok(archive.clone()));
        let opts = UpdateOptions {
            ecosystems: Vec::new(),
            rustsec: true,
            ..site.opts(cache.path())
        };
        let (_, result) = one(update(&opts));
        // Record count from ../shared/advisories/README.md.
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: archive.len() as u64,
                records: 1225
            })
        );
        let dir = rustsec_dir(cache.path());
        assert_eq!(
            listing(&dir),
            ["LICENSE.txt", "README.md", "crates", "rust"]
        );
        assert!(dir.join("crates/badge/RUSTSEC-2022-0057.md").is_file());
    }

    #[test]
    fn unsafe_archive_paths_are_rejected() {
        let site = Site::start();
        let work = tempdir();
        let cache = work.path().join("cache");
        let good = rustsec_advisory("RUSTSEC-2025-9001", "foo");
        let opts = UpdateOptions {
            ecosystems: Vec::new(),
            rustsec: true,
            ..site.opts(&cache)
        };
        for (evil, reason) in [
            (
                "advisory-db-main/../../../evil.md",
                "unsafe path in archive: \"advisory-db-main/../../../evil.md\"",
            ),
            ("/tmp/evil.md", "unsafe path in archive: \"/tmp/evil.md\""),
            (
                "advisory-db-main\\..\\evil.md",
                "unsafe path in archive: \"advisory-db-main\\\\..\\\\evil.md\"",
            ),
            (
                "other-top/evil.md",
                "expected one top folder, found \"advisory-db-main\" and \"other-top\"",
            ),
        ] {
            site.set(
                "/rustsec/main.zip",
                Reply::ok(zip_of(&[
                    ("advisory-db-main/crates/foo/RUSTSEC-2025-9001.md", &good),
                    (evil, "pwned"),
                ])),
            );
            let (_, result) = one(update(&opts));
            assert_eq!(
                result,
                Err(format!(
                    "rustsec: invalid download from {}/rustsec/main.zip: {reason} (nothing was replaced)",
                    site.server.url()
                ))
            );
            assert!(!work.path().join("evil.md").exists());
            assert!(!cache.join("evil.md").exists());
            assert_eq!(listing(&ecosystem_data(&cache)), Vec::<String>::new());
        }
    }

    #[test]
    fn status_reports_records_and_age() {
        let cache = tempdir();
        let osv = ecosystem_data(cache.path()).join("osv");
        fs::create_dir_all(&osv).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir_all(rustsec_dir(cache.path())).unwrap_or_else(|e| panic!("{e}"));
        let now = parse_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default();
        let meta = |fetched_at: &str, records| SourceMeta {
            url: "https://example.org/x.zip".into(),
            etag: None,
            last_modified: Some(LAST_MODIFIED.into()),
            fetched_at: fetched_at.into(),
            sha256: "00".into(),
            records,
        };
        let write = |path: &Path, m: &SourceMeta| {
            fs::write(path, serde_json::to_vec(m).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{e}"))
        };
        fs::write(osv.join("crates.io.zip"), b"zip").unwrap_or_else(|e| panic!("{e}"));
        write(
            &osv.join("crates.io.meta.json"),
            &meta("2026-11-20T09:59:59Z", 1206),
        );
        fs::write(osv.join("Go.zip"), b"zip").unwrap_or_else(|e| panic!("{e}"));
        write(
            &ecosystem_data(cache.path()).join("rustsec.meta.json"),
            &meta("2026-11-23T09:00:00Z", 1225),
        );
        let st = status_at(cache.path(), now);
        assert_eq!(
            st,
            [
                SourceStatus {
                    name: "osv/Go".into(),
                    path: osv.join("Go.zip"),
                    records: None,
                    fetched_at: None,
                    last_modified: None,
                    age_days: None,
                },
                SourceStatus {
                    name: "osv/crates.io".into(),
                    path: osv.join("crates.io.zip"),
                    records: Some(1206),
                    fetched_at: Some("2026-11-20T09:59:59Z".into()),
                    last_modified: Some(LAST_MODIFIED.into()),
                    age_days: Some(3),
                },
                SourceStatus {
                    name: "rustsec".into(),
                    path: rustsec_dir(cache.path()),
                    records: Some(1225),
                    fetched_at: Some("2026-11-23T09:00:00Z".into()),
                    last_modified: Some(LAST_MODIFIED.into()),
                    age_days: Some(0),
                },
            ]
        );
        assert!(status(&cache.path().join("missing")).is_empty());
    }

    #[test]
    fn cache_directory_choice() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(
            cache_dir_from(os("/c"), os("/x"), os("/h")),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            cache_dir_from(os(""), os("/x"), os("/h")),
            Some(PathBuf::from("/x/portcullis"))
        );
        assert_eq!(
            cache_dir_from(None, os("relative"), os("/h")),
            Some(PathBuf::from("/h/.cache/portcullis"))
        );
        assert_eq!(cache_dir_from(None, None, None), None);
        assert_eq!(
            ecosystem_data(Path::new("/c")),
            PathBuf::from("/c/advisories")
        );
    }

    #[test]
    fn sidecar_paths() {
        assert_eq!(
            meta_path(Path::new("/c/advisories/osv/crates.io.zip")),
            Some(PathBuf::from("/c/advisories/osv/crates.io.meta.json"))
        );
        assert_eq!(
            meta_path(Path::new("/c/advisories/rustsec")),
            Some(PathBuf::from("/c/advisories/rustsec.meta.json"))
        );
    }

    #[test]
    fn rfc3339_timestamps() {
        for (text, secs) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-11-23T10:00:00Z", 20_780 * 86_400 + 36_000),
            ("2026-11-23T12:00:00+02:00", 20_780 * 86_400 + 36_000),
            ("2023-03-14T05:47:39.989396Z", 1_678_772_859),
            ("2000-02-29t00:00:00-00:30", 951_784_200),
        ] {
            assert_eq!(parse_rfc3339(text), Some(secs), "{text}");
        }
        for bad in [
            "2026-11-23",
            "2026-13-01T00:00:00Z",
            "2026-11-23T10:00:00",
            "2026-11-23T10:00:00.Z",
            "2026-11-23T1a:00:00Z",
            "+026-11-23T10:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        let t = 1_790_000_000;
        assert_eq!(parse_rfc3339(&utc_timestamp(t)), Some(t));
    }
}
