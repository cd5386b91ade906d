//! Reporters: pure functions from a [`Report`](crate::scan::Report) to bytes. One module per format.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::finding::{Finding, ScannerKind, Severity};
use std::collections::BTreeMap;

/// The tool's name in every output.
pub const TOOL_NAME: &str = "portcullis";
/// The tool's version.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Where users learn about the tool.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_HOMEPAGE");

/// Counts of active findings by scanner and severity.
pub fn counts_by_scanner<'a>(
    findings: impl Iterator<Item = &'a Finding>,
) -> BTreeMap<ScannerKind, BTreeMap<Severity, usize>> {
    let mut m: BTreeMap<ScannerKind, BTreeMap<Severity, usize>> = BTreeMap::new();
    for f in findings {
        *m.entry(f.scanner)
            .or_default()
            .entry(f.severity)
            .or_insert(0) += 1;
    }
    m
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then a rename.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
