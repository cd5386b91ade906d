//! One file as every scanner sees it: read once through the pipeline's [`Reader`], classified once, with
//! parses built lazily, at most once each, and shared by every scanner that asks ([`SourceFile::parse`]).
//!
//! The SAST and IaC scanners hang their parses here (a tree-sitter tree, a YAML document with positions) by
//! implementing [`Parse`]; the `deps` scanner hangs the lock-file parse.

pub mod classify;
pub mod read;
pub mod stream;

pub use classify::{classify_path, sniff, Classification, DocumentKind};
pub use read::{DiskReader, NoFiles, ReadError, Reader};

use crate::finding::SourceText;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Bytes looked at to refine the classification (shebang, `apiVersion`, template actions).
pub const SNIFF_BYTES: usize = 4096;

/// A parse of a file that scanners share: built the first time one asks, then handed to every other.
pub trait Parse: 'static {
    /// What the parse produces (a tree, a document, or an error to report).
    type Output: Send + Sync + 'static;
    /// Builds the parse from the file.
    fn parse(file: &SourceFile) -> Self::Output;
}

type Slot = Arc<OnceLock<Arc<dyn Any + Send + Sync>>>;

/// One read file: repository-relative path, bytes, line index, classification and shared parses.
pub struct SourceFile {
    path: String,
    bytes: Vec<u8>,
    lines: OnceLock<Vec<usize>>,
    class: Classification,
    parses: Mutex<HashMap<TypeId, Slot>>,
}

impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("path", &self.path)
            .field("len", &self.bytes.len())
            .field("class", &self.class)
            .finish()
    }
}

impl SourceFile {
    /// A file at repository-relative `path`, classified by its path and first bytes.
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> SourceFile {
        let path = path.into();
        let class = classify_path(&path);
        SourceFile::with_class(path, bytes, class)
    }

    /// A file whose path classification is already known (it is refined by the first bytes).
    pub fn with_class(
        path: impl Into<String>,
        bytes: Vec<u8>,
        class: Classification,
    ) -> SourceFile {
        let class = sniff(class, &bytes[..bytes.len().min(SNIFF_BYTES)]);
        SourceFile::classified(path, bytes, class)
    }

    /// A file (or one window of a long file) whose classification is final.
    pub fn classified(
        path: impl Into<String>,
        bytes: Vec<u8>,
        class: Classification,
    ) -> SourceFile {
        SourceFile {
            path: path.into(),
            bytes,
            lines: OnceLock::new(),
            class,
            parses: Mutex::new(HashMap::new()),
        }
    }

    /// Repository-relative path, `/`-separated.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes with the file's one line index.
    pub fn text(&self) -> SourceText<'_> {
        SourceText::shared(&self.bytes, &self.lines)
    }

    /// Language and document kind.
    pub fn class(&self) -> Classification {
        self.class
    }

    /// The document kind, when the file is one a scanner reads as structured data.
    pub fn document(&self) -> Option<DocumentKind> {
        self.class.document
    }

    /// The parse `P` of this file, built on first use and shared afterwards.
    pub fn parse<P: Parse>(&self) -> Arc<P::Output> {
        let slot = {
            let mut map = self.parses.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(TypeId::of::<P>()).or_default().clone()
        };
        // The map lock is released: a parse may itself ask for another parse of the same file.
        let any = slot
            .get_or_init(|| Arc::new(Arc::new(P::parse(self))) as Arc<dyn Any + Send + Sync>)
            .clone();
        match any.downcast::<Arc<P::Output>>() {
            Ok(v) => Arc::clone(&v),
            // The slot is keyed by P's TypeId, so this cannot happen; parse again rather than panic.
            Err(_) => Arc::new(P::parse(self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static BUILT: AtomicUsize = AtomicUsize::new(0);

    struct LineCount;
    impl Parse for LineCount {
        type Output = usize;
        fn parse(file: &SourceFile) -> usize {
            BUILT.fetch_add(1, Ordering::SeqCst);
            file.bytes().iter().filter(|b| **b == b'\n').count()
        }
    }

    struct Doubled;
    impl Parse for Doubled {
        type Output = usize;
        fn parse(file: &SourceFile) -> usize {
            *file.parse::<LineCount>() * 2
        }
    }

    #[test]
    fn parses_are_built_once_and_shared() {
        let f = SourceFile::new("a/b.txt", b"x\ny\n".to_vec());
        assert_eq!(*f.parse::<Doubled>(), 4);
        assert_eq!(*f.parse::<LineCount>(), 2);
        assert_eq!(*f.parse::<LineCount>(), 2);
        assert_eq!(BUILT.load(Ordering::SeqCst), 1);
        assert_eq!(f.text().line_count(), 2);
    }
}
