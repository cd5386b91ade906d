//! Bad input never stops the scan: each case gives one clear diagnostic naming the file, and the rest of the
//! tree is still scanned.

mod common;

use common::{findings, json, portcullis, run, run_in, Tree};
use std::collections::BTreeSet;

fn token(tail: &str) -> String {
    // Assembled at run time so this source file holds no complete token.
    let body: String = format!("{tail}R8mQ2vLw9ZkT4pXn7bYc1HsJ6dFgA3uE5oNi")
        .chars()
        .take(36)
        .collect();
    ["ghp_", &body].concat()
}

/// A tree with one good file holding a secret, plus whatever the case adds.
fn tree() -> Tree {
    let t = Tree::new();
    t.write("good/app.py", format!("TOKEN = \"{}\"\n", token("Ab")));
    t
}

fn good_finding() -> (String, String, u64) {
    ("github-classic-pat".into(), "good/app.py".into(), 1)
}

#[test]
fn unreadable_file_is_an_error_and_the_rest_is_scanned() {
    use std::os::unix::fs::PermissionsExt;
    let t = tree();
    let locked = t.write("locked/secret.py", format!("T = \"{}\"\n", token("Cd")));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap_or_default();
    let root = t.path().to_str().unwrap_or_default().to_string();
    // Root reads everything; drop to `nobody` so the permission bits apply, as they do for a CI user.
    let is_root = std::fs::read(&locked).is_ok();
    let mut cmd = if is_root {
        if !std::path::Path::new("/usr/bin/setpriv").exists() {
            println!("skipped: running as root without setpriv, cannot make a file unreadable");
            return;
        }
        for dir in [
            t.path().to_path_buf(),
            t.path().join("good"),
            t.path().join("locked"),
        ] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
                .unwrap_or_default();
        }
        let mut c = assert_cmd::Command::new("/usr/bin/setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(assert_cmd::cargo::cargo_bin("portcullis"));
        c.env("CI", "true").env_remove("GITHUB_ACTIONS");
        c
    } else {
        portcullis()
    };
    cmd.current_dir("/");
    let (code, out, err) = run_in(cmd, &["scan", &root, "--format", "json"]);
    assert_eq!(code, 2, "an unreadable file fails closed; stderr: {err}");
    assert!(
        err.contains("error: locked/secret.py: cannot read: Permission denied"),
        "{err}"
    );
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("locked/secret.py"))
            .count(),
        1,
        "{err}"
    );
    let report = json(&out);
    assert_eq!(findings(&report), BTreeSet::from([good_finding()]));
    assert_eq!(report["gate"]["verdict"], "error");
}

#[test]
fn invalid_utf8_is_scanned_as_bytes_with_a_warning() {
    let t = tree();
    let mut bytes = b"caf\xe9 = 1\n".to_vec();
    bytes.extend_from_slice(format!("TOKEN = \"{}\"\n", token("Ef")).as_bytes());
    t.write("latin1/config.py", bytes);
    let (code, out, err) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    // One summary line, not a warning per file; the file is named with --verbose.
    assert!(
        err.contains("warning: 1 file is not valid UTF-8 and was scanned as raw bytes (--verbose lists them)"),
        "{err}"
    );
    assert!(!err.contains("latin1/config.py"), "{err}");
    let (_, _, verbose) = run(&["scan", t.path().to_str().unwrap_or_default(), "--verbose"]);
    assert!(
        verbose.contains("note: latin1/config.py:1: not valid UTF-8; scanned as raw bytes"),
        "{verbose}"
    );
    let got = findings(&json(&out));
    assert_eq!(
        got,
        BTreeSet::from([
            good_finding(),
            ("github-classic-pat".into(), "latin1/config.py".into(), 2)
        ])
    );
}

#[test]
fn fifty_megabyte_single_line_file() {
    // Regression (issue 9, case 17): a file over the size limit is still read for secrets, window by window.
    let t = tree();
    let chunk = "{\"token\":\"abc\",\"key\":1,\"name\":\"x\"},";
    let mut line = chunk.repeat(50 * 1024 * 1024 / chunk.len());
    line.push_str(&format!("\"{}\"", token("Gh")));
    t.write("dist/bundle.min.js", &line);
    let root = t.path().to_str().unwrap_or_default();
    // Over the default limit: the secret at its very end is found, with no diagnostic (no scanner skipped it).
    let (code, out, err) = run(&["scan", root, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("bundle.min.js"), "{err}");
    let streamed = json(&out);
    assert_eq!(
        findings(&streamed),
        BTreeSet::from([
            good_finding(),
            ("github-classic-pat".into(), "dist/bundle.min.js".into(), 1)
        ])
    );
    // Read whole under a higher limit, the findings are the same, to the column and the snippet.
    let (code, out, err) = run(&["scan", root, "--format", "json", "--max-file-size", "64MB"]);
    assert_eq!(code, 1, "{err}");
    let whole = json(&out);
    assert_eq!(streamed["findings"], whole["findings"]);
    let snippet = whole["findings"][0]["snippet"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        snippet.chars().count() < 250,
        "long lines are cut around the span: {} chars",
        snippet.len()
    );
}

/// Regression (issue 9, case 17): files over the size limit are read by the secrets scanner in overlapping
/// windows (8 MiB each): a secret across a window boundary, at a boundary, on a line started in the previous
/// window, in the text runs of a large binary and in large UTF-16 text is found once, at the file's own line
/// and column, exactly as when the file is read whole; a lock file over the limit is still an error.
#[test]
fn oversized_files_are_streamed_for_secrets() {
    const MIB: usize = 1 << 20;
    let t = tree();
    let filler = |n: usize| -> String {
        let line = "let filler = compute(alpha, beta, gamma); // padding\n";
        let mut s = line.repeat(n / line.len() + 1);
        s.truncate(n);
        s
    };
    // Tokens at 8 MiB - 20 (crossing the first boundary), just after 16 MiB, and at the end.
    let mut text = filler(8 * MIB - 30);
    text.push_str(&format!("\nk = \"{}\"\n", token("Aa")));
    text.push_str(&filler(16 * MIB - text.len() + 3));
    text.push_str(&format!("\nk = \"{}\"\n", token("Bb")));
    text.push_str(&filler(3 * MIB));
    text.push_str(&format!("tail {}", token("Cc")));
    t.write("big/huge.rs", &text);
    // A binary file with a key in a text run past the first window.
    let mut bin: Vec<u8> = (0..9 * MIB).map(|i| (i % 7) as u8).collect();
    bin.extend_from_slice(format!("\n\0KEY={}\0", token("Dd")).as_bytes());
    t.write("big/blob.bin", bin);
    // UTF-16 text over the limit, the key near the end.
    let mut utf16 = vec![0xff, 0xfe];
    let wide = format!("{}\r\nk = \"{}\"\r\n", filler(2 * MIB), token("Ee"));
    for u in wide.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    t.write("big/wide.ps1", utf16);
    let root = t.path().to_str().unwrap_or_default();
    // The SAST scanner skips files over the limit with a note of its own (shown further down); this part is
    // about the scanner that streams them.
    let only_secrets = ["--scanners", "secrets,deps"];
    let (code, out, err) = run(&[
        &["scan", root, "--format", "json", "--max-file-size", "1MB"][..],
        &only_secrets,
    ]
    .concat());
    assert_eq!(code, 1, "{err}");
    let streamed = json(&out);
    let lines_to = |needle: &str| -> u64 {
        let at = text.find(needle).unwrap_or(0);
        1 + text[..at].matches('\n').count() as u64
    };
    let wide_line = 1 + wide[..wide.find("ghp_").unwrap_or(0)].matches('\n').count() as u64;
    assert_eq!(
        findings(&streamed),
        BTreeSet::from([
            good_finding(),
            (
                "github-classic-pat".into(),
                "big/huge.rs".into(),
                lines_to(&token("Aa"))
            ),
            (
                "github-classic-pat".into(),
                "big/huge.rs".into(),
                lines_to(&token("Bb"))
            ),
            (
                "github-classic-pat".into(),
                "big/huge.rs".into(),
                lines_to(&token("Cc"))
            ),
            ("github-classic-pat".into(), "big/blob.bin".into(), 2),
            (
                "github-classic-pat".into(),
                "big/wide.ps1".into(),
                wide_line
            ),
        ])
    );
    assert_eq!(
        streamed["findings"].as_array().map(Vec::len),
        Some(6),
        "each found once"
    );
    let notes: Vec<(String, String)> = streamed["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().into(),
                d["path"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [("utf16-decoded".to_string(), "big/wide.ps1".to_string())],
        "no scanner skipped a file; the UTF-16 one is said once"
    );
    let (code, out, err) = run(&[
        &["scan", root, "--format", "json", "--max-file-size", "64MB"][..],
        &only_secrets,
    ]
    .concat());
    assert_eq!(code, 1, "{err}");
    assert_eq!(streamed["findings"], json(&out)["findings"]);
    // With every scanner, the files SAST did not parse are named, with why.
    let (_, out, _) = run(&["scan", root, "--format", "json", "--max-file-size", "1MB"]);
    let sast_notes: Vec<String> = json(&out)["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "file-too-large")
        .map(|d| d["path"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(sast_notes.contains(&"big/huge.rs".to_string()), "{out}");

    // A lock file over the limit: its dependencies were not audited (exit 2), its secrets still are.
    let lock = format!(
        "# {}\n{}",
        token("Ff"),
        "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n".repeat(40_000)
    );
    t.write("rust/Cargo.lock", lock);
    let (code, out, err) = run(&["scan", root, "--format", "json", "--max-file-size", "1MB"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: rust/Cargo.lock: not scanned: ")
            && err.contains("its dependencies were not audited"),
        "{err}"
    );
    assert!(findings(&json(&out)).contains(&(
        "github-classic-pat".into(),
        "rust/Cargo.lock".into(),
        1
    )));
}

#[test]
fn symlink_loops_are_reported_and_not_followed() {
    let t = tree();
    let p = t.path();
    std::os::unix::fs::symlink(p.join("self"), p.join("self")).unwrap_or_default();
    std::os::unix::fs::symlink(p.join("b"), p.join("a")).unwrap_or_default();
    std::os::unix::fs::symlink(p.join("a"), p.join("b")).unwrap_or_default();
    std::os::unix::fs::symlink("..", p.join("good/up")).unwrap_or_default();
    std::os::unix::fs::symlink("/etc", p.join("etc-link")).unwrap_or_default();
    std::os::unix::fs::symlink("app.py", p.join("good/alias.py")).unwrap_or_default();
    let (code, out, err) = run(&[
        "scan",
        p.to_str().unwrap_or_default(),
        "--format",
        "json",
        "--verbose",
    ]);
    assert_eq!(code, 1, "{err}");
    for expected in [
        "warning: self: symlink loop",
        "warning: a: symlink loop",
        "warning: b: symlink loop",
        "warning: good/up: symlink loop (the link points to a directory that contains it)",
        "note: etc-link: symlink points outside the scan root; not followed",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(
        !err.contains("alias.py"),
        "a link inside the root is skipped silently: {err}"
    );
    assert_eq!(
        findings(&json(&out)),
        BTreeSet::from([good_finding()]),
        "the target is scanned once, at its own path"
    );
}

#[test]
fn binary_files_are_searched_for_text_runs() {
    // Regression (issue 9, case 17): a key in a binary file is found in its text runs, as `strings` would.
    let t = tree();
    let mut bytes = vec![0u8, 1, 2, 3];
    bytes.extend_from_slice(format!("TOKEN = \"{}\"\n", token("Ij")).as_bytes());
    bytes.extend_from_slice(&[0, 0xff, b'\n', 0, 7]);
    bytes.extend_from_slice(format!("{}\n", token("Kk")).as_bytes());
    t.write("assets/blob.bin", bytes);
    // A file of short runs only has nothing to find.
    t.write(
        "assets/noise.bin",
        [0u8, b'a', b'b', 0, b'c', 0xfe].repeat(1000),
    );
    let (code, out, _) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let want: BTreeSet<_> = [
        (
            "github-classic-pat".to_string(),
            "assets/blob.bin".to_string(),
            1,
        ),
        (
            "github-classic-pat".to_string(),
            "assets/blob.bin".to_string(),
            3,
        ),
        good_finding(),
    ]
    .into_iter()
    .collect();
    assert_eq!(findings(&json(&out)), want);
}

#[test]
fn ignore_files_are_honoured() {
    let t = tree();
    t.write(".gitignore", "generated/\n");
    t.write(".portcullisignore", "vendor/**\n");
    t.write("generated/out.py", format!("T = \"{}\"\n", token("Kl")));
    t.write("vendor/lib.py", format!("T = \"{}\"\n", token("Mn")));
    t.write(".env", format!("GH_TOKEN={}\n", token("Op")));
    let (_, out, _) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(
        findings(&json(&out)),
        BTreeSet::from([
            good_finding(),
            ("github-classic-pat".into(), ".env".into(), 1)
        ]),
        "hidden files are scanned; ignored ones are not"
    );
}

/// Regression (issue 9, case 1): credentials planted wherever a scanner or parser can echo input (a
/// requirement's URL, a lock file's `resolved` URL, a line a parser quotes in its error, a config value an
/// error quotes) appear in no output of any format, on stdout, in files or on stderr, even with the secrets
/// scanner off.
#[test]
fn planted_credentials_never_leave_the_process() {
    let gh = token("Lk");
    let slack = [
        "xoxb-",
        "86471093127-6805468592709-3F5fJG1ibBvLN0kq4YyKYCHB",
    ]
    .concat();
    let aws = ["AKIA", "Z7Q2M4X9L3K8W5R1"].concat();
    let npm = ["npm_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    let planted = [gh.as_str(), slack.as_str(), aws.as_str(), npm.as_str()];
    let t = Tree::new();
    t.write(
        "py/requirements.txt",
        format!("requests==2.31.0\ninternal @ git+https://{gh}@github.com/o/p.git\n"),
    );
    t.write("bad/requirements.txt", format!("@@x={slack}\n"));
    t.write(
        "web/package-lock.json",
        format!(
            "{{\"name\":\"w\",\"lockfileVersion\":3,\"packages\":{{\"\":{{\"name\":\"w\"}},\"node_modules/l\":{{\"version\":\"1.0.0\",\"resolved\":\"https://u:{npm}@registry.example.org/l.tgz\"}}}}}}\n"
        ),
    );
    t.write(
        "rs/Cargo.lock",
        format!("version = 3\n[[package]]\nname = \"{aws}\n"),
    );
    let root = t.path().to_str().unwrap_or_default().to_string();
    let out_dir = Tree::new();
    let file = |n: &str| {
        out_dir
            .path()
            .join(n)
            .to_str()
            .unwrap_or_default()
            .to_string()
    };
    let mut outputs: Vec<String> = Vec::new();
    for scanners in ["deps", "secrets,deps"] {
        for format in ["text", "json", "sarif", "github"] {
            let (_, out, err) = run(&[
                "scan",
                &root,
                "--scanners",
                scanners,
                "--format",
                format,
                "--allow-missing-db",
                "--cache-dir",
                &file("cache"),
                "--verbose",
                "--sarif",
                &file("o.sarif"),
                "--json",
                &file("o.json"),
                "--write-baseline",
                &file("b.json"),
            ]);
            outputs.extend([out, err]);
            for f in ["o.sarif", "o.json", "b.json"] {
                outputs.push(std::fs::read_to_string(file(f)).unwrap_or_default());
            }
        }
    }
    let (_, out, err) = run(&["sbom", &root, "-o", &file("bom.json")]);
    outputs.extend([
        out,
        err,
        std::fs::read_to_string(file("bom.json")).unwrap_or_default(),
    ]);
    let (_, out, err) = run(&["sbom", &root]);
    outputs.extend([out, err]);
    // An error quoting a config value.
    t.write("portcullis.toml", format!("fail-on = \"{gh}\"\n"));
    let (code, out, err) = run(&["scan", &root]);
    assert_eq!(code, 2);
    outputs.extend([out, err]);
    let all = outputs.join("\n");
    assert!(
        all.contains("…[redacted"),
        "the planted values were echoed somewhere: {all}"
    );
    for secret in planted {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
}

/// Regression (issue 9, case 4): control characters in a file name reach neither the terminal nor the
/// annotations raw: a name cannot clear the screen or print a fake verdict line.
#[test]
fn control_characters_in_names_are_escaped() {
    let t = Tree::new();
    t.write(
        "a\u{1b}[2J\ngate: PASSED\n.py",
        format!("T = \"{}\"\n", token("Cc")),
    );
    let root = t.path().to_str().unwrap_or_default();
    for (format, shown) in [
        ("text", "a\\u{1b}[2J\\u{a}gate: PASSED\\u{a}.py"),
        ("github", "file=a\\u{1b}[2J%0Agate%3A PASSED%0A.py,"),
    ] {
        let (code, out, err) = run(&["scan", root, "--format", format, "--color", "never"]);
        assert_eq!(code, 1, "{err}");
        assert!(!out.contains('\u{1b}') && !err.contains('\u{1b}'), "{out}");
        assert!(
            !out.lines().any(|l| l.starts_with("gate: PASSED")),
            "a fake verdict line: {out}"
        );
        assert!(out.contains(shown), "{out}");
    }
}

/// Regression (issue 9, case 3): outputs onto a device or through a symlink keep what they are; one path
/// given as two outputs is a usage error.
#[cfg(unix)]
#[test]
fn outputs_onto_devices_links_and_twice() {
    let t = tree();
    let root = t.path().to_str().unwrap_or_default();
    let out = Tree::new();
    let real = out.write("real.sarif", "");
    let link = out.path().join("link.sarif");
    std::os::unix::fs::symlink(&real, &link).unwrap_or_default();
    let l = link.to_str().unwrap_or_default();
    let (code, _, err) = run(&["scan", root, "--sarif", l, "--json", "/dev/null"]);
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
    assert!(std::fs::read_to_string(&real).is_ok_and(|s| s.contains("\"version\": \"2.1.0\"")));
    assert!(std::fs::metadata("/dev/null").is_ok_and(|m| !m.is_file()));
    let same = out.path().join("x.json");
    let s = same.to_str().unwrap_or_default();
    let (code, _, err) = run(&["scan", root, "--sarif", s, "--json", s]);
    assert_eq!(code, 2);
    assert!(err.contains("is given as more than one output"), "{err}");
    let (code, _, err) = run(&[
        "scan",
        root,
        "--sarif",
        l,
        "--json",
        real.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 2, "a link and its target are one file: {err}");
}

/// Regression (issue 9, case 16): a scan path that is a FIFO, a device or a symlink is refused with its
/// reason, and when nothing asked for can be scanned the gate fails closed.
#[cfg(unix)]
#[test]
fn refused_scan_paths_say_why_and_fail_closed() {
    let t = tree();
    let fifo = t.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let link = t.path().join("link.py");
    std::os::unix::fs::symlink(t.path().join("good/app.py"), &link).unwrap_or_default();
    for p in [
        fifo.to_str().unwrap_or_default(),
        link.to_str().unwrap_or_default(),
        "/dev/null",
    ] {
        let (code, _, err) = run(&["scan", p]);
        assert_eq!(code, 2, "{p}: {err}");
        assert!(
            err.contains("error: ") && err.contains("given as a scan path but not scanned"),
            "{err}"
        );
    }
    // Beside a path that can be scanned, a refused one is a warning and the rest decides.
    let good = t.path().join("good/app.py");
    let (code, _, err) = run(&[
        "scan",
        link.to_str().unwrap_or_default(),
        good.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("warning: ") && err.contains("a symbolic link (never followed)"),
        "{err}"
    );
}

/// Regression (issue 9, cases 9 and 18): a lock file with a NUL byte is parsed (and fails) rather than
/// skipped as binary; a `portcullis.toml` that is a directory is an error, not ignored; `sbom` over a lock
/// file above the size limit exits 2 as `scan` does.
#[test]
fn documents_are_never_skipped_and_odd_configs_fail() {
    let t = Tree::new();
    t.write("py/requirements.txt", "requests==2.0.0\n\0\n");
    let root = t.path().to_str().unwrap_or_default();
    let (code, _, err) = run(&["scan", root, "--scanners", "deps", "--allow-missing-db"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("py/requirements.txt:2: cannot parse as requirements.txt"),
        "{err}"
    );

    let c = Tree::new();
    std::fs::create_dir_all(c.path().join("portcullis.toml")).unwrap_or_default();
    c.write("a.py", "x = 1\n");
    let (code, _, err) = run(&["scan", c.path().to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(err.contains("portcullis.toml: not a regular file"), "{err}");

    let s = Tree::new();
    s.write("requirements.txt", "requests==2.0.0\n".repeat(700_000));
    let (code, _, err) = run(&["sbom", s.path().to_str().unwrap_or_default()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("requirements.txt: not scanned") && err.contains("size limit"),
        "{err}"
    );
}

/// Regression (issue 9, case 10): a secret in a UTF-16 file (with a BOM, either byte order) is found at its
/// line, not skipped as binary.
#[test]
fn utf16_files_are_decoded_and_scanned() {
    let t = Tree::new();
    let text = format!("# settings\r\nTOKEN = \"{}\"\r\n", token("Ut"));
    let le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    t.write("le.ps1", le);
    t.write("be.txt", be);
    let (code, out, err) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let want: BTreeSet<_> = [
        ("github-classic-pat".to_string(), "be.txt".to_string(), 2),
        ("github-classic-pat".to_string(), "le.ps1".to_string(), 2),
    ]
    .into_iter()
    .collect();
    assert_eq!(findings(&json(&out)), want);
}

/// Regression (issue 9, case 15): in a git work tree, a `.gitignore` of `*` does not hide tracked files from
/// the gate; `exclude` and `.portcullisignore` still apply to them, and untracked ignored files stay out.
#[test]
fn gitignore_does_not_hide_tracked_files() {
    let t = Tree::new();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(t.path())
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !git(&["init", "-q"]) {
        println!("skipped: git is not available");
        return;
    }
    t.write(".gitignore", "*\n");
    t.write("app/settings.py", format!("T = \"{}\"\n", token("Gi")));
    t.write("vendor/lib.py", format!("T = \"{}\"\n", token("Gv")));
    t.write("notes/untracked.py", format!("T = \"{}\"\n", token("Gu")));
    assert!(git(&["add", "-f", "app/settings.py", "vendor/lib.py"]));
    t.write(".portcullisignore", "vendor/\n");
    let root = t.path().to_str().unwrap_or_default();
    let (code, out, err) = run(&["scan", root, "--format", "json", "--verbose"]);
    assert_eq!(code, 1, "{err}");
    let want: BTreeSet<_> = [(
        "github-classic-pat".to_string(),
        "app/settings.py".to_string(),
        1,
    )]
    .into_iter()
    .collect();
    assert_eq!(findings(&json(&out)), want);
    assert!(
        err.contains("1 file git tracks is ignored by .gitignore and scanned anyway"),
        "{err}"
    );
}

/// The class, not the instances (issue 9): the whole binary on a tree of hostile files, under a 2 GiB address
/// space limit and a 120 s deadline, exits 2 (checks could not run) without crashing, hanging or leaking a
/// planted credential.
#[cfg(unix)]
#[test]
fn hostile_tree_under_limits() {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    let gh = token("Hx");
    let t = Tree::new();
    t.write(
        "py/requirements.txt",
        format!("requests==2.0.0\nx @ git+https://{gh}@github.com/o/p.git\n"),
    );
    t.write("ruby/Gemfile.lock", "not a lock file\n");
    t.write(
        "web/package-lock.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    t.write("a\u{1b}[2Jb.py", format!("T = \"{gh}\"\n"));
    let far = token("Hy");
    t.write(
        "long.txt",
        format!("{}\nT = \"{far}\"\n", "A".repeat(11 << 20)),
    );
    let made = std::process::Command::new("mkfifo")
        .arg(t.path().join("pipe.py"))
        .status();
    assert!(made.is_ok_and(|s| s.success()));
    std::os::unix::fs::symlink("/dev/zero", t.path().join("zero.txt")).unwrap_or_default();
    std::os::unix::fs::symlink("loop", t.path().join("loop")).unwrap_or_default();
    let data = Tree::new();
    let made = std::process::Command::new("mkfifo")
        .arg(data.path().join("fifo.json"))
        .status();
    assert!(made.is_ok_and(|s| s.success()));
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("portcullis"));
    cmd.current_dir(common::repo())
        .env("CI", "true")
        .env_remove("GITHUB_ACTIONS")
        .args([
            "scan",
            t.path().to_str().unwrap_or_default(),
            "--format",
            "sarif",
            "--advisories",
        ])
        .arg(data.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 2 << 30,
                rlim_max: 2 << 30,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{e}"));
    // The pipes are drained while the child runs, so that a large report cannot block it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_string(&mut s);
            }
            s
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = std::time::Instant::now();
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break s;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the scan did not finish within 120 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(!out.contains(&gh) && !err.contains(&gh), "leaked");
    assert!(!out.contains(&far) && !err.contains(&far), "leaked");
    // The secret past the size limit is found (and redacted).
    assert!(
        out.contains("\"uri\": \"long.txt\"") || out.contains("\"uri\":\"long.txt\""),
        "the oversized file's secret is reported"
    );
    assert!(!out.contains('\u{1b}') && !err.contains('\u{1b}'));
    assert!(err.contains("fifo.json: not a regular file"), "{err}");
}

#[test]
fn sast_reads_huge_single_lines_to_the_end() {
    // Issue 10: a 1 MB single-line JSON and a minified JavaScript bundle are parsed and matched whole, within
    // the step budget: the one finding in each is at its exact column, far along the line. (A 50 MB bundle
    // with `--max-file-size 100MB` is measured by hand: README, SAST, "Bounded".)
    let t = Tree::new();
    let mut doc = String::from("{\"items\":[");
    let item = "{\"name\":\"svc\",\"port\":8080,\"tls\":{\"enabled\":true}},";
    doc.push_str(&item.repeat((1 << 20) / item.len()));
    doc.push_str("{\"last\":1}],");
    let json_col = doc.len() + 1;
    doc.push_str("\"debug\":true}");
    t.write("config/settings.json", &doc);
    let chunk = "function a(b){var c=b.x+1;if(c>2){return b.y}else{return fetch(\"/api/\"+c,{method:\"GET\"})}};";
    let mut js = chunk.repeat((4 << 20) / chunk.len());
    let js_col = js.len() + 1;
    js.push_str("eval(window.name);");
    t.write("web/app.js", &js);
    t.write(
        "rules/r.yaml",
        "rules:\n  - id: debug-on\n    languages: [json]\n    severity: WARNING\n    message: debug is on\n    pattern: '\"debug\": true'\n  - id: eval-call\n    languages: [javascript]\n    severity: WARNING\n    message: eval\n    pattern: eval(...)\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let rules = t.path().join("rules/r.yaml");
    let (code, out, err) = run(&[
        "scan",
        root,
        "--scanners",
        "sast",
        "--no-builtin-rules",
        "--rules",
        rules.to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let report = json(&out);
    let got: Vec<(String, String, u64, u64)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let l = &f["location"];
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                l["path"].as_str().unwrap_or_default().to_string(),
                l["start_line"].as_u64().unwrap_or_default(),
                l["start_column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "debug-on".to_string(),
                "config/settings.json".to_string(),
                1,
                json_col as u64
            ),
            (
                "eval-call".to_string(),
                "web/app.js".to_string(),
                1,
                js_col as u64
            ),
        ]
    );
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{err}");
}

/// Hostile IaC documents: an alias bomb, duplicate keys, tab indentation, binary junk with a YAML name, invalid
/// HCL, deep nesting and a file over the size limit each get one diagnostic naming the file (and the line, where
/// there is one) that lands in SARIF's notifications; the manifest beside them is still checked.
#[test]
fn hostile_iac_documents_are_diagnosed_and_the_rest_is_checked() {
    let t = Tree::new();
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\n      securityContext:\n        privileged: true\n";
    t.write("k8s/good.yaml", manifest);
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    t.write("k8s/bomb.yaml", bomb);
    t.write(
        "k8s/dup.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec: {}\n",
    );
    t.write(
        "k8s/tabs.yaml",
        "apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n",
    );
    let mut junk = b"apiVersion: v1\nkind: Pod\n".to_vec();
    junk.extend((0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    std::fs::write(t.path().join("k8s/junk.yaml"), junk).unwrap_or_default();
    t.write(
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  acl = \n}\n",
    );
    t.write(
        "deep.json",
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    t.write(
        "k8s/deep.yaml",
        format!(
            "apiVersion: v1\nkind: Pod\nspec: {}{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    );
    let big = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"pad\": \"{}\"}}",
        "x".repeat(100 << 20)
    );
    t.write("cfn/big.json", big);
    let root = t.path().to_str().unwrap_or_default();
    let (code, out, err) = run(&["scan", root, "--scanners", "iac", "--format", "sarif"]);
    assert_eq!(
        code, 2,
        "a document that could not be checked fails closed: {err}"
    );
    let sarif = json(&out);
    let results: BTreeSet<(String, String, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                loc["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                loc["region"]["startLine"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert!(
        results.contains(&(
            "k8s-privileged-container".into(),
            "k8s/good.yaml".into(),
            11
        )),
        "{results:?}"
    );
    let notes: Vec<String> = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|n| {
            let loc = &n["locations"][0]["physicalLocation"];
            format!(
                "{}:{} {}",
                loc["artifactLocation"]["uri"].as_str().unwrap_or_default(),
                loc["region"]["startLine"].as_u64().unwrap_or_default(),
                n["message"]["text"].as_str().unwrap_or_default()
            )
        })
        .collect();
    for (file, line) in [
        // Where the expansion budget runs out.
        ("k8s/bomb.yaml", Some(8)),
        ("k8s/dup.yaml", Some(5)),
        ("k8s/tabs.yaml", Some(4)),
        ("k8s/junk.yaml", None), // binary: no line
        ("infra/main.tf", Some(3)),
        ("deep.json", Some(1)),
        ("k8s/deep.yaml", Some(3)),
        ("cfn/big.json", None),
    ] {
        let hits: Vec<&String> = notes
            .iter()
            .filter(|n| n.starts_with(&format!("{file}:")))
            .collect();
        assert_eq!(hits.len(), 1, "{file}: {notes:#?}");
        if let Some(line) = line {
            assert!(
                hits[0].starts_with(&format!("{file}:{line} ")),
                "{file}: {hits:?}"
            );
        }
    }
}
