//! Bounded reads of advisory data: every decompression is limited per entry (declared and actual size), per
//! archive (total) and by ratio, so a small hostile zip cannot exhaust memory; loose files are read only when
//! they are regular files, up to a limit.

use std::io::Read;
use std::path::Path;

/// Largest OSV record (the largest real ones are well under 1 MiB).
pub const MAX_RECORD: u64 = 16 << 20;
/// Largest total a zip of records may decompress to (osv.dev's largest `all.zip` is well below it).
pub const MAX_ARCHIVE_TOTAL: u64 = 8 << 30;
/// Largest expansion of one entry over its compressed size (JSON compresses about 10:1; bombs 1000:1 and
/// more); only checked above 1 MiB, where small entries compress freely.
pub const MAX_RATIO: u64 = 200;

/// What an archive has decompressed so far.
#[derive(Debug, Default)]
pub struct Budget {
    total: u64,
}

/// Reads one zip entry into `buf` within the limits; `Err` says why the entry (or the rest of the archive,
/// for the total) is refused.
pub fn read_entry<R: Read>(
    entry: &mut zip::read::ZipFile<'_, R>,
    budget: &mut Budget,
    buf: &mut Vec<u8>,
) -> Result<(), String> {
    let declared = entry.size();
    let packed = entry.compressed_size().max(1);
    if declared > MAX_RECORD {
        return Err(format!(
            "declares {declared} bytes, over the {MAX_RECORD}-byte limit for one record"
        ));
    }
    if declared > (1 << 20) && declared / packed > MAX_RATIO {
        return Err(format!(
            "expands {}:1 (a decompression bomb?)",
            declared / packed
        ));
    }
    buf.clear();
    // The declared size may lie: read one byte past the limit to tell.
    let n = entry
        .by_ref()
        .take(MAX_RECORD + 1)
        .read_to_end(buf)
        .map_err(|e| e.to_string())? as u64;
    if n > MAX_RECORD {
        return Err(format!(
            "is over the {MAX_RECORD}-byte limit for one record"
        ));
    }
    budget.total += n;
    if budget.total > MAX_ARCHIVE_TOTAL {
        return Err(format!(
            "the archive decompresses to more than {MAX_ARCHIVE_TOTAL} bytes"
        ));
    }
    Ok(())
}

/// Reads a loose advisory file: a regular file (a FIFO or device is refused, never opened) of at most
/// [`MAX_RECORD`] bytes.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_RECORD {
        return Err(std::io::Error::other(format!(
            "{} bytes, over the {MAX_RECORD}-byte limit for one record",
            meta.len()
        )));
    }
    let mut out = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_RECORD + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > MAX_RECORD {
        return Err(std::io::Error::other("grew over the size limit while read"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn oversized_and_bomb_entries_are_refused() {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("ok.json", opts)
            .unwrap_or_else(|e| panic!("{e}"));
        w.write_all(b"{\"id\":\"A\"}")
            .unwrap_or_else(|e| panic!("{e}"));
        w.start_file("bomb.json", opts)
            .unwrap_or_else(|e| panic!("{e}"));
        let zeros = vec![0u8; 4 << 20];
        w.write_all(&zeros).unwrap_or_else(|e| panic!("{e}"));
        let bytes = w.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
        let mut a =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
        let mut budget = Budget::default();
        let mut buf = Vec::new();
        let mut e = a.by_name("ok.json").unwrap_or_else(|e| panic!("{e}"));
        assert!(read_entry(&mut e, &mut budget, &mut buf).is_ok());
        drop(e);
        let mut e = a.by_name("bomb.json").unwrap_or_else(|e| panic!("{e}"));
        let why = read_entry(&mut e, &mut budget, &mut buf)
            .err()
            .unwrap_or_default();
        assert!(why.contains("decompression bomb"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn loose_files_must_be_regular() {
        assert!(read_file(Path::new("/dev/zero")).is_err());
    }
}
