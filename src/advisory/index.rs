//! The compiled advisory index: one OSV `all.zip` (or one RustSec advisory-db tree) turned into a file that opens in milliseconds and yields the
//! records of one package without reading the others.
//!
//! Layout (all integers little-endian):
//! ```text
//! magic "PCXOSV2\n"
//! u32 header length, header (JSON: source identity, record count, ecosystems, newest `modified`, skipped records)
//! u32 key count, then per key: u32 offset into the key blob, u32 length, u32 first posting, u32 posting count
//! u32 key blob length, key blob (`<OSV ecosystem>\0<normalised name>`, keys sorted bytewise)
//! u32 posting count, postings (u32 record numbers)
//! u32 record count, then per record: u64 offset into the record blob, u32 length
//! record blob to the end of the file (each record's original JSON, deflate-compressed)
//! ```
//! Records are parsed only when a package asks for them, and each at most once.

use crate::advisory::db::affected_key;
use crate::advisory::osv::Advisory;
use crate::lockfile::package::Ecosystem;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use thiserror::Error;

const MAGIC: &[u8; 8] = b"PCXOSV3\n";

/// An index that cannot be built or read.
#[derive(Debug, Error)]
#[error("{path}: {message}")]
pub struct IndexError {
    /// The zip or index file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// A record of an opened index that cannot be read.
#[derive(Clone, Debug, Error)]
#[error("{message}")]
pub struct RecordError {
    /// What failed (names the record).
    pub message: String,
}

impl From<String> for RecordError {
    fn from(message: String) -> Self {
        RecordError { message }
    }
}

/// What an index knows about its source without reading any record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexHeader {
    /// The zip it was compiled from.
    pub source: String,
    /// Size of the zip in bytes when compiled.
    pub size: u64,
    /// Newest modification time of the source (nanoseconds since the epoch) when compiled.
    pub mtime_ns: u64,
    /// Files in the source (1 for a zip).
    #[serde(default)]
    pub files: u64,
    /// Number of advisories.
    pub records: usize,
    /// OSV ecosystem names the records name.
    pub ecosystems: Vec<String>,
    /// The newest `modified` timestamp of any record: the date of the snapshot.
    pub newest_modified: Option<String>,
    /// Entries that are not OSV records: (entry, reason).
    pub skipped: Vec<(String, String)>,
}

enum Blob {
    File {
        file: Mutex<std::fs::File>,
        start: u64,
    },
    Memory(Vec<u8>),
}

/// An opened index.
pub struct OsvIndex {
    /// What the index holds.
    pub header: IndexHeader,
    keys: Vec<(u32, u32, u32, u32)>,
    key_blob: Vec<u8>,
    postings: Vec<u32>,
    records: Vec<(u64, u32)>,
    blob: Blob,
    parsed: Mutex<HashMap<u32, Arc<Advisory>>>,
}

impl std::fmt::Debug for OsvIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OsvIndex")
            .field("header", &self.header)
            .finish()
    }
}

/// What an index is checked against: the size, newest modification time and number of files of its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Bytes (summed over a directory's files).
    pub size: u64,
    /// Newest modification time, nanoseconds since the epoch.
    pub mtime_ns: u64,
    /// Number of files.
    pub files: u64,
}

fn mtime_ns(m: &std::fs::Metadata) -> std::io::Result<u64> {
    Ok(m.modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64))
}

/// The identity of one file.
pub fn identity(path: &Path) -> std::io::Result<Identity> {
    let m = std::fs::metadata(path)?;
    Ok(Identity {
        size: m.len(),
        mtime_ns: mtime_ns(&m)?,
        files: 1,
    })
}

/// The identity of a directory tree (every file below it; symlinks not followed).
pub fn dir_identity(dir: &Path) -> std::io::Result<Identity> {
    let mut id = Identity {
        size: 0,
        mtime_ns: 0,
        files: 0,
    };
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let m = entry.metadata()?;
            if m.is_dir() {
                stack.push(entry.path());
            } else if m.is_file() {
                id.size += m.len();
                id.mtime_ns = id.mtime_ns.max(mtime_ns(&m)?);
                id.files += 1;
            }
        }
    }
    Ok(id)
}

/// Collects records into index bytes.
struct Builder {
    header: IndexHeader,
    keys: BTreeMap<Vec<u8>, Vec<u32>>,
    ids: BTreeSet<String>,
    ecosystems: BTreeSet<&'static str>,
    blob: Vec<u8>,
    records: Vec<(u64, u32)>,
}

impl Builder {
    fn new(source: &Path, id: Identity) -> Builder {
        Builder {
            header: IndexHeader {
                source: source.display().to_string(),
                size: id.size,
                mtime_ns: id.mtime_ns,
                files: id.files,
                ..IndexHeader::default()
            },
            keys: BTreeMap::new(),
            ids: BTreeSet::new(),
            ecosystems: BTreeSet::new(),
            blob: Vec::new(),
            records: Vec::new(),
        }
    }

    /// Adds one record's JSON (`name` says where it came from, for the skipped list).
    fn add(&mut self, name: &str, json: &[u8]) -> std::io::Result<()> {
        let adv: Advisory = match serde_json::from_slice(json) {
            Ok(a) => a,
            Err(e) => {
                self.header
                    .skipped
                    .push((name.to_string(), format!("not an OSV record: {e}")));
                return Ok(());
            }
        };
        if !self.ids.insert(adv.id.clone()) {
            return Ok(());
        }
        let n = self.records.len() as u32;
        let mut own = BTreeSet::new();
        for a in &adv.affected {
            let Some((eco, name)) = a.package.as_ref().and_then(affected_key) else {
                continue;
            };
            self.ecosystems.insert(eco.osv_name());
            own.insert(key(eco, &name));
        }
        own.insert(id_key(&adv.id));
        own.extend(adv.aliases.iter().map(|a| id_key(a)));
        for k in own {
            self.keys.entry(k).or_default().push(n);
        }
        if let Some(m) = adv.last_change() {
            if self
                .header
                .newest_modified
                .as_deref()
                .is_none_or(|cur| m > cur)
            {
                self.header.newest_modified = Some(m.to_string());
            }
        }
        let packed = deflate(json)?;
        self.records
            .push((self.blob.len() as u64, packed.len() as u32));
        self.blob.extend_from_slice(&packed);
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<u8>, serde_json::Error> {
        self.header.records = self.records.len();
        self.header.ecosystems = self.ecosystems.iter().map(|e| e.to_string()).collect();
        let header_json = serde_json::to_vec(&self.header)?;
        let mut out = Vec::with_capacity(self.blob.len() + 64 * self.records.len() + 1024);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, header_json.len());
        out.extend_from_slice(&header_json);
        let mut key_blob = Vec::new();
        let mut postings = Vec::new();
        put_u32(&mut out, self.keys.len());
        for (k, list) in &self.keys {
            put_u32(&mut out, key_blob.len());
            put_u32(&mut out, k.len());
            put_u32(&mut out, postings.len());
            put_u32(&mut out, list.len());
            key_blob.extend_from_slice(k);
            postings.extend_from_slice(list);
        }
        put_u32(&mut out, key_blob.len());
        out.extend_from_slice(&key_blob);
        put_u32(&mut out, postings.len());
        for p in &postings {
            out.extend_from_slice(&p.to_le_bytes());
        }
        put_u32(&mut out, self.records.len());
        for (off, len) in &self.records {
            out.extend_from_slice(&off.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
        }
        out.extend_from_slice(&self.blob);
        Ok(out)
    }
}

/// Compiles the OSV records of a zip into index bytes.
pub fn compile_zip(zip_path: &Path) -> Result<Vec<u8>, IndexError> {
    let err = |message: String| IndexError {
        path: zip_path.to_path_buf(),
        message,
    };
    let id = identity(zip_path).map_err(|e| err(format!("cannot read: {e}")))?;
    let file = std::fs::File::open(zip_path).map_err(|e| err(format!("cannot open: {e}")))?;
    compile_archive(zip_path, id, std::io::BufReader::new(file))
}

/// Compiles the OSV records of a zip held in memory (the fuzz targets' way in); `name` stands for its path.
pub fn compile_zip_bytes(name: &Path, bytes: &[u8]) -> Result<Vec<u8>, IndexError> {
    let id = Identity {
        size: bytes.len() as u64,
        mtime_ns: 0,
        files: 1,
    };
    compile_archive(name, id, std::io::Cursor::new(bytes))
}

fn compile_archive<R: Read + std::io::Seek>(
    zip_path: &Path,
    id: Identity,
    input: R,
) -> Result<Vec<u8>, IndexError> {
    let err = |message: String| IndexError {
        path: zip_path.to_path_buf(),
        message,
    };
    let mut archive =
        zip::ZipArchive::new(input).map_err(|e| err(format!("not a readable zip archive: {e}")))?;
    let mut b = Builder::new(zip_path, id);
    let mut names: Vec<String> = (0..archive.len())
        .filter_map(|i| archive.name_for_index(i).map(str::to_string))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut buf = Vec::new();
    let mut budget = crate::advisory::bounded::Budget::default();
    for name in names {
        let mut entry = archive
            .by_name(&name)
            .map_err(|e| err(format!("entry {name}: {e}")))?;
        if let Err(why) = crate::advisory::bounded::read_entry(&mut entry, &mut budget, &mut buf) {
            // Refused entries are skipped records: the audit reports them, and fails closed.
            b.header.skipped.push((name.clone(), why));
            continue;
        }
        b.add(&name, &buf)
            .map_err(|e| err(format!("entry {name}: {e}")))?;
    }
    b.finish().map_err(|e| err(e.to_string()))
}

/// Compiles a RustSec advisory-db tree (read through the `rustsec` crate) into index bytes; files it cannot
/// read are kept in the header's skipped list.
pub fn compile_rustsec(dir: &Path) -> Result<Vec<u8>, IndexError> {
    let err = |message: String| IndexError {
        path: dir.to_path_buf(),
        message,
    };
    let id = dir_identity(dir).map_err(|e| err(format!("cannot read: {e}")))?;
    let loaded = crate::advisory::rustsec::load(dir).map_err(|e| err(e.message))?;
    let mut b = Builder::new(dir, id);
    b.header.skipped = loaded.skipped;
    for adv in &loaded.advisories {
        let json = serde_json::to_vec(adv).map_err(|e| err(format!("{}: {e}", adv.id)))?;
        b.add(&adv.id, &json)
            .map_err(|e| err(format!("{}: {e}", adv.id)))?;
    }
    b.finish().map_err(|e| err(e.to_string()))
}

fn deflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes)?;
    e.finish()
}

/// Inflates one record, refusing output beyond 64 MiB (no OSV record is near that; a corrupt index might be).
fn inflate(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(bytes)
        .take(64 << 20)
        .read_to_end(&mut out)?;
    Ok(out)
}

fn key(eco: Ecosystem, normalized: &str) -> Vec<u8> {
    let mut k = eco.osv_name().as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(normalized.as_bytes());
    k
}

/// The key of an advisory id or alias (ids are compared case-insensitively, as OSV's are).
fn id_key(id: &str) -> Vec<u8> {
    let mut k = vec![1u8];
    k.extend_from_slice(id.trim().to_ascii_uppercase().as_bytes());
    k
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

/// Reads the fixed part of an index from a reader.
struct Cursor<R> {
    r: R,
    pos: u64,
}

impl<R: Read> Cursor<R> {
    fn bytes(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        let mut v = vec![0; n];
        self.r.read_exact(&mut v)?;
        self.pos += n as u64;
        Ok(v)
    }

    fn u32(&mut self) -> std::io::Result<u32> {
        let mut b = [0; 4];
        self.r.read_exact(&mut b)?;
        self.pos += 4;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> std::io::Result<u64> {
        let mut b = [0; 8];
        self.r.read_exact(&mut b)?;
        self.pos += 8;
        Ok(u64::from_le_bytes(b))
    }

    /// A length field, refused when it is larger than the file could hold (a corrupt index).
    fn len(&mut self, limit: u64) -> std::io::Result<usize> {
        let n = self.u32()?;
        if u64::from(n) > limit {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "length field beyond the end of the file",
            ));
        }
        Ok(n as usize)
    }
}

impl OsvIndex {
    /// Opens index bytes held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> std::io::Result<OsvIndex> {
        let total = bytes.len() as u64;
        let (mut idx, start) = {
            let mut c = Cursor {
                r: std::io::Cursor::new(&bytes),
                pos: 0,
            };
            let idx = OsvIndex::read_tables(&mut c, total)?;
            (idx, c.pos as usize)
        };
        let mut bytes = bytes;
        bytes.drain(..start);
        idx.blob = Blob::Memory(bytes);
        Ok(idx)
    }

    /// Opens an index file; only the tables are read, records stay on disk until asked for.
    pub fn open(path: &Path) -> std::io::Result<OsvIndex> {
        let file = std::fs::File::open(path)?;
        let total = file.metadata()?.len();
        let mut c = Cursor {
            r: std::io::BufReader::with_capacity(1 << 16, file),
            pos: 0,
        };
        let mut idx = OsvIndex::read_tables(&mut c, total)?;
        let start = c.pos;
        let mut file = c.r.into_inner();
        file.seek(SeekFrom::Start(start))?;
        idx.blob = Blob::File {
            file: Mutex::new(file),
            start,
        };
        Ok(idx)
    }

    fn read_tables<R: Read>(c: &mut Cursor<R>, total: u64) -> std::io::Result<OsvIndex> {
        let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
        if c.bytes(MAGIC.len())? != MAGIC {
            return Err(bad("not a portcullis advisory index (bad magic)"));
        }
        let n = c.len(total)?;
        let header: IndexHeader = serde_json::from_slice(&c.bytes(n)?)
            .map_err(|e| bad(&format!("bad index header: {e}")))?;
        let n_keys = c.len(total / 16)?;
        let mut keys = Vec::with_capacity(n_keys);
        for _ in 0..n_keys {
            keys.push((c.u32()?, c.u32()?, c.u32()?, c.u32()?));
        }
        let n = c.len(total)?;
        let key_blob = c.bytes(n)?;
        let n_post = c.len(total / 4)?;
        let mut postings = Vec::with_capacity(n_post);
        for _ in 0..n_post {
            postings.push(c.u32()?);
        }
        let n_rec = c.len(total / 12)?;
        let mut records = Vec::with_capacity(n_rec);
        for _ in 0..n_rec {
            records.push((c.u64()?, c.u32()?));
        }
        let blob_len = total.saturating_sub(c.pos);
        for &(ko, kl, first, count) in &keys {
            if ko as usize + kl as usize > key_blob.len()
                || first as usize + count as usize > postings.len()
            {
                return Err(bad("key table points outside the index"));
            }
        }
        if postings.iter().any(|p| *p as usize >= records.len())
            || records
                .iter()
                .any(|(o, l)| o.saturating_add(u64::from(*l)) > blob_len)
        {
            return Err(bad("record table points outside the index"));
        }
        Ok(OsvIndex {
            header,
            keys,
            key_blob,
            postings,
            records,
            blob: Blob::Memory(Vec::new()),
            parsed: Mutex::new(HashMap::new()),
        })
    }

    /// The advisories naming a package (name normalised per ecosystem), in record order. Records that fail
    /// to read are returned as errors.
    pub fn query(&self, eco: Ecosystem, name: &str) -> Result<Vec<Arc<Advisory>>, RecordError> {
        self.lookup(&key(eco, &eco.normalize(name)))
    }

    /// The advisories whose id or one of whose aliases is `id`, in record order.
    pub fn by_id(&self, id: &str) -> Result<Vec<Arc<Advisory>>, RecordError> {
        self.lookup(&id_key(id))
    }

    fn lookup(&self, want: &[u8]) -> Result<Vec<Arc<Advisory>>, RecordError> {
        let found = self.keys.binary_search_by(|&(ko, kl, _, _)| {
            self.key_blob[ko as usize..(ko + kl) as usize].cmp(want)
        });
        let Ok(i) = found else {
            return Ok(Vec::new());
        };
        let (_, _, first, count) = self.keys[i];
        let mut out = Vec::with_capacity(count as usize);
        for &n in &self.postings[first as usize..(first + count) as usize] {
            out.push(self.record(n)?);
        }
        Ok(out)
    }

    fn record(&self, n: u32) -> Result<Arc<Advisory>, RecordError> {
        if let Some(a) = self.parsed.lock().ok().and_then(|m| m.get(&n).cloned()) {
            return Ok(a);
        }
        let (off, len) = self.records[n as usize];
        let bytes = match &self.blob {
            Blob::Memory(b) => b[off as usize..off as usize + len as usize].to_vec(),
            Blob::File { file, start } => {
                let mut f = file
                    .lock()
                    .map_err(|_| "index file lock poisoned".to_string())?;
                let mut v = vec![0; len as usize];
                f.seek(SeekFrom::Start(start + off))
                    .and_then(|_| f.read_exact(&mut v))
                    .map_err(|e| format!("cannot read record {n}: {e}"))?;
                v
            }
        };
        let bytes = inflate(&bytes).map_err(|e| format!("record {n} does not decompress: {e}"))?;
        let adv: Advisory = serde_json::from_slice(&bytes)
            .map_err(|e| format!("record {n} does not parse: {e}"))?;
        let adv = Arc::new(adv);
        if let Ok(mut m) = self.parsed.lock() {
            m.insert(n, Arc::clone(&adv));
        }
        Ok(adv)
    }
}

/// Opens the index of `zip` from `cache` (compiling and storing it when missing or stale). Without a usable
/// cache directory the index is compiled in memory for this run; the second value says why, for a note.
pub fn open_cached(
    zip: &Path,
    cache: Option<&Path>,
) -> Result<(OsvIndex, Option<String>), IndexError> {
    let id = identity(zip).map_err(|e| IndexError {
        path: zip.to_path_buf(),
        message: format!("cannot read: {e}"),
    })?;
    open_or_compile(zip, id, cache, || compile_zip(zip))
}

/// [`open_cached`] for a RustSec advisory-db tree.
pub fn open_cached_rustsec(
    dir: &Path,
    cache: Option<&Path>,
) -> Result<(OsvIndex, Option<String>), IndexError> {
    let id = dir_identity(dir).map_err(|e| IndexError {
        path: dir.to_path_buf(),
        message: format!("cannot read: {e}"),
    })?;
    open_or_compile(dir, id, cache, || compile_rustsec(dir))
}

fn open_or_compile(
    source: &Path,
    id: Identity,
    cache: Option<&Path>,
    compile: impl FnOnce() -> Result<Vec<u8>, IndexError>,
) -> Result<(OsvIndex, Option<String>), IndexError> {
    let err = |path: &Path, message: String| IndexError {
        path: path.to_path_buf(),
        message,
    };
    let Some(cache) = cache else {
        let idx = OsvIndex::from_bytes(compile()?).map_err(|e| err(source, e.to_string()))?;
        return Ok((idx, None));
    };
    let canonical = std::fs::canonicalize(source).unwrap_or_else(|_| source.to_path_buf());
    let hash = {
        use sha2::{Digest, Sha256};
        let d = Sha256::digest(canonical.display().to_string().as_bytes());
        d.iter()
            .take(10)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let stem = source
        .file_stem()
        .map(|s| {
            s.to_string_lossy()
                .replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_")
        })
        .unwrap_or_default();
    let dir = cache.join("index");
    let path = dir.join(format!("{stem}-{hash}.idx"));
    if let Ok(idx) = OsvIndex::open(&path) {
        let h = &idx.header;
        if h.size == id.size && h.mtime_ns == id.mtime_ns && h.files.max(1) == id.files.max(1) {
            return Ok((idx, None));
        }
    }
    let bytes = compile()?;
    let stored =
        std::fs::create_dir_all(&dir).and_then(|_| crate::atomic::write_atomic(&path, &bytes));
    match stored {
        Ok(()) => match OsvIndex::open(&path) {
            Ok(idx) => Ok((idx, None)),
            Err(e) => Err(err(&path, format!("index just written does not open: {e}"))),
        },
        Err(e) => {
            let idx = OsvIndex::from_bytes(bytes).map_err(|e| err(source, e.to_string()))?;
            Ok((
                idx,
                Some(format!(
                    "cannot store the compiled index in {}: {e}; compiled in memory for this run",
                    dir.display()
                )),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(records: &[(&str, &str)]) -> tempfile::NamedTempFile {
        let file = tempfile::Builder::new()
            .suffix(".zip")
            .tempfile()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut w = zip::ZipWriter::new(file.reopen().unwrap_or_else(|e| panic!("{e}")));
        for (name, body) in records {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap_or_else(|e| panic!("{e}"));
            w.write_all(body.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        w.finish().unwrap_or_else(|e| panic!("{e}"));
        file
    }

    const A: &str = r#"{"id":"PYSEC-1","modified":"2024-01-02T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"Django_Rest"}},{"package":{"ecosystem":"PyPI","name":"flask"}}]}"#;
    const B: &str = r#"{"id":"PYSEC-2","modified":"2024-03-01T00:00:00Z","aliases":["CVE-2024-9","GHSA-abcd-efgh-ijkl"],"affected":[{"package":{"ecosystem":"PyPI","name":"flask"}}]}"#;

    #[test]
    fn compiled_index_answers_like_the_records() {
        let z = zip_of(&[
            ("a.json", A),
            ("b.json", B),
            ("bad.json", "{"),
            ("README", "x"),
        ]);
        let bytes = compile_zip(z.path()).unwrap_or_else(|e| panic!("{e}"));
        let idx = OsvIndex::from_bytes(bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(idx.header.records, 2);
        assert_eq!(idx.header.ecosystems, vec!["PyPI".to_string()]);
        assert_eq!(
            idx.header.newest_modified.as_deref(),
            Some("2024-03-01T00:00:00Z")
        );
        assert_eq!(idx.header.skipped.len(), 1);
        let ids = |name: &str| -> Vec<String> {
            idx.query(Ecosystem::PyPI, name)
                .unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(|a| a.id.clone())
                .collect()
        };
        assert_eq!(ids("flask"), vec!["PYSEC-1", "PYSEC-2"]);
        assert_eq!(ids("django-rest"), vec!["PYSEC-1"]);
        assert!(ids("requests").is_empty());
        // Ids and aliases, in any case.
        for id in ["PYSEC-2", "cve-2024-9", "GHSA-abcd-efgh-ijkl"] {
            let found = idx.by_id(id).unwrap_or_default();
            assert_eq!(found.len(), 1, "{id}");
            assert_eq!(found[0].id, "PYSEC-2");
        }
        assert!(idx.by_id("CVE-2024-8").unwrap_or_default().is_empty());
        assert!(idx
            .query(Ecosystem::Npm, "flask")
            .unwrap_or_default()
            .is_empty());
    }

    #[test]
    fn cached_index_is_reused_and_rebuilt_when_the_zip_changes() {
        let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let z = zip_of(&[("a.json", A)]);
        let (idx, note) =
            open_cached(z.path(), Some(cache.path())).unwrap_or_else(|e| panic!("{e}"));
        assert!(note.is_none());
        assert_eq!(idx.header.records, 1);
        let files: Vec<_> = std::fs::read_dir(cache.path().join("index"))
            .map(|d| d.filter_map(Result::ok).collect())
            .unwrap_or_default();
        assert_eq!(files.len(), 1);
        // Rewrite the zip with two records: the stale index is replaced.
        let z2 = zip_of(&[("a.json", A), ("b.json", B)]);
        std::fs::copy(z2.path(), z.path()).unwrap_or_else(|e| panic!("{e}"));
        let (idx, _) = open_cached(z.path(), Some(cache.path())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(idx.header.records, 2);
        assert_eq!(
            idx.query(Ecosystem::PyPI, "flask").map(|v| v.len()).ok(),
            Some(2)
        );
    }

    #[test]
    fn corrupt_index_files_are_refused_not_trusted() {
        let z = zip_of(&[("a.json", A), ("b.json", B)]);
        let bytes = compile_zip(z.path()).unwrap_or_else(|e| panic!("{e}"));
        for cut in [0, 5, 12, 40, bytes.len() / 2] {
            assert!(
                OsvIndex::from_bytes(bytes[..cut].to_vec()).is_err(),
                "cut {cut}"
            );
        }
        let mut garbage = bytes.clone();
        garbage[8] = 0xff;
        garbage[9] = 0xff;
        assert!(OsvIndex::from_bytes(garbage).is_err());
    }
}
