//! Property tests: odd input never panics the engine, and locations stay inside the file.

use portcullis::config::Config;
use portcullis::finding::SourceText;
use portcullis::policy::inline;
use portcullis::rules::Registry;
use portcullis::scanners::secrets::{is_placeholder, shannon_entropy, SecretsScanner};
use portcullis::scanners::{DynScanner, ScannerOptions};
use portcullis::source::{NoFiles, SourceFile};
use proptest::prelude::*;
use std::path::Path;
use std::sync::Arc;
use std::sync::OnceLock;

fn scanner() -> &'static SecretsScanner {
    static S: OnceLock<SecretsScanner> = OnceLock::new();
    S.get_or_init(|| {
        SecretsScanner::new(&ScannerOptions::default()).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Text made of fragments that steer the engine into its interesting paths.
fn fragments() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"ghp_".to_vec()),
        Just(b"xoxb-".to_vec()),
        Just(b"AKIA".to_vec()),
        Just(b"password = \"".to_vec()),
        Just(b"-----BEGIN RSA PRIVATE KEY-----\n".to_vec()),
        Just(b"-----END RSA PRIVATE KEY-----".to_vec()),
        Just(b"postgres://u:".to_vec()),
        Just(b"@db/x".to_vec()),
        Just(b"portcullis:ignore[".to_vec()),
        Just(b"nosemgrep: ".to_vec()),
        Just(b"gitleaks:allow".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just("é€😀".as_bytes().to_vec()),
        "[A-Za-z0-9+/=_-]{1,48}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 1..8),
    ];
    proptest::collection::vec(piece, 0..64).prop_map(|v| v.concat())
}

fn check(bytes: &[u8]) {
    let source = SourceText::new(bytes);
    let file = Arc::new(SourceFile::new("f.txt", bytes.to_vec()));
    let mut out = match scanner().scan_file(&file, &NoFiles) {
        Ok(o) => o.findings,
        Err(e) => panic!("{e}"),
    };
    let lines = source.line_count().max(1);
    for f in &out {
        let l = &f.location;
        assert!(
            l.start_line >= 1 && l.start_line <= lines,
            "{l:?} in {lines} lines"
        );
        assert!(l.end_line >= l.start_line && l.end_line <= lines.max(1) + 1);
        assert!(l.start_column >= 1 && l.end_column >= 1);
        assert!(f.snippet.mark_start >= 1 && f.snippet.mark_end > f.snippet.mark_start);
        assert!(f.snippet.text.contains("[redacted, "));
    }
    let mut diags = Vec::new();
    inline::apply(
        &source,
        "f.txt",
        &mut out,
        &mut diags,
        &|_| inline::RuleStatus::Checked,
        &|_, _| true,
        &|_| Vec::new(),
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn secrets_scanner_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes);
    }

    #[test]
    fn secrets_scanner_never_panics_on_fragments(bytes in fragments()) {
        check(&bytes);
    }

    #[test]
    fn line_index_is_consistent(bytes in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), Just(b'a'), Just(0xc3u8), Just(0xa9u8)], 0..200), at in 0usize..220) {
        let s = SourceText::new(&bytes);
        let at = at.min(bytes.len());
        let line = s.line_number(at);
        let r = s.line_range(line);
        prop_assert!(r.start <= at || at == bytes.len());
        prop_assert!(r.end <= bytes.len());
        prop_assert!(s.column(at) >= 1);
    }

    #[test]
    fn config_parser_never_panics(text in "[a-z\\[\\]=\"\\-. \n0-9]{0,200}") {
        let registry = Registry::default();
        let _ = Config::parse(Path::new("portcullis.toml"), &text, &registry);
    }

    #[test]
    fn placeholder_and_entropy_never_panic(s in "\\PC{0,64}") {
        let _ = is_placeholder(&s);
        let e = shannon_entropy(&s);
        prop_assert!((0.0..=6.1).contains(&e));
    }
}

/// Text that looks a little like every lock-file syntax at once.
fn lockfile_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[[package]]\n".to_string()),
        Just("name = \"a\"\n".to_string()),
        Just("version = \"1.0\"\n".to_string()),
        Just("{\"packages\": {\"\": {}, \"node_modules/a\": {\"version\": \"1\"".to_string()),
        Just("}}".to_string()),
        Just("a@^1:\n  version \"1.0.0\"\n".to_string()),
        Just("lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n".to_string()),
        Just("requests==2.0 ; python_version < \"3\" \\\n".to_string()),
        Just("-r other.txt\n".to_string()),
        Just("require (\n\tgithub.com/a/b v1.2.3 // indirect\n)\n".to_string()),
        Just("GEM\n  specs:\n    rake (13.0.6)\n".to_string()),
        Just("&a [*a, *a]\n".to_string()),
        Just("\"".to_string()),
        Just("\n".to_string()),
        "[ -~]{0,20}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn lockfile_parsers_never_panic(text in lockfile_like()) {
        for format in portcullis::lockfile::parsers::Format::ALL {
            let _ = portcullis::lockfile::parsers::parse(*format, &text);
        }
    }
}
