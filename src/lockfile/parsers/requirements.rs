//! pip requirements files (`requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, …).
//!
//! Pip's rules: a line ending in `\` continues on the next one, unless it is a comment line (a line whose first
//! non-blank character is `#` ends the logical line, as in `pip-compile --generate-hashes` output); `#` at the
//! start or after whitespace starts a comment. A requirement is `name[extras] specifiers ; markers` followed by
//! per-requirement options (`--hash=…`), or `name @ url`, or a bare archive URL, path or VCS URL (optionally
//! after `-e`). Only `==`/`===` without a wildcard pins a version; anything else goes to `unpinned`. A URL or
//! path requirement is a package when its wheel or sdist file name carries the version, else `unpinned` with
//! the location as its spec. `-r`/`--requirement` and `-c`/`--constraint` go to `includes`; other options
//! (`--index-url`, `--hash`, …) are skipped. Markers are not evaluated: every pinned line is reported.
//! The file does not say which requirements are direct (`pip freeze` output lists everything), so `direct`
//! is `None`.

use crate::lockfile::package::{
    Ecosystem, Include, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};

const ECO: Ecosystem = Ecosystem::PyPI;

/// Whether a file name is a requirements file: `requirements.txt`, `requirements-*.txt`, `requirements_*.txt`,
/// `requirements.*.txt`, `*-requirements.txt`, `*_requirements.txt`, `*.requirements.txt` (any case).
pub fn is_requirements_file(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    let Some(stem) = lower.strip_suffix(".txt") else {
        return false;
    };
    stem == "requirements"
        || ["requirements-", "requirements_", "requirements."]
            .iter()
            .any(|p| stem.starts_with(p))
        || ["-requirements", "_requirements", ".requirements"]
            .iter()
            .any(|s| stem.ends_with(s))
}

/// Parses a pip requirements file.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let mut out = ParsedLockfile::default();
    for (line_no, line) in logical_lines(text) {
        let line = strip_comment(&line);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        parse_line(line, line_no, &mut out)?;
    }
    Ok(out)
}

/// Joins continuation lines the way pip does; yields (first physical line, joined text).
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let is_comment = line.trim_start().starts_with('#');
        if is_comment || !line.ends_with('\\') {
            match pending.take() {
                Some((first, mut joined)) => {
                    if !is_comment {
                        joined.push_str(line);
                    }
                    out.push((first, joined));
                }
                None => out.push((n, line.to_string())),
            }
        } else {
            let body = line.strip_suffix('\\').unwrap_or(line);
            match pending.as_mut() {
                Some((_, joined)) => joined.push_str(body),
                None => pending = Some((n, body.to_string())),
            }
        }
    }
    if let Some(p) = pending {
        out.push(p);
    }
    out
}

/// Removes a comment: `#` at the start or after whitespace, to the end of the line.
fn strip_comment(line: &str) -> &str {
    let mut prev_blank = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_blank {
            return line.get(..i).unwrap_or("");
        }
        prev_blank = c.is_whitespace();
    }
    line
}

/// The value of an option `line` starts with, in any of its spellings (`-r f`, `-rf`, `--requirement f`,
/// `--requirement=f`); `None` when the line is not that option.
fn option_value<'a>(line: &'a str, short: &str, long: &str) -> Option<&'a str> {
    if let Some(rest) = line.strip_prefix(long) {
        if let Some(v) = rest.strip_prefix('=') {
            return Some(v.trim());
        }
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            return Some(rest.trim());
        }
        return None;
    }
    line.strip_prefix(short)
        .filter(|_| !line.starts_with("--"))
        .map(str::trim)
}

fn parse_line(line: &str, n: u32, out: &mut ParsedLockfile) -> Result<(), LockfileError> {
    for (short, long, constraints) in [("-r", "--requirement", false), ("-c", "--constraint", true)]
    {
        if let Some(path) = option_value(line, short, long) {
            if path.is_empty() {
                return Err(LockfileError::at(n, format!("{long} needs a file name")));
            }
            out.includes.push(Include {
                path: path.to_string(),
                constraints,
                line: n,
            });
            return Ok(());
        }
    }
    if let Some(target) = option_value(line, "-e", "--editable") {
        let target = first_token(target);
        if target.is_empty() {
            return Err(LockfileError::at(n, "--editable needs a path or URL"));
        }
        return located(None, target, n, out);
    }
    if line.starts_with('-') {
        // Global options (--index-url, --find-links, --pre, --require-hashes, …): nothing to report.
        return Ok(());
    }
    // Per-requirement options start at the first token beginning with `-` (pip splits on spaces).
    let req = match line.find(" -").or_else(|| line.find("\t-")) {
        Some(i) => line.get(..i).unwrap_or(line).trim(),
        None => line,
    };
    if looks_like_location(req) {
        let (loc, _marker) = split_url_marker(req);
        return located(None, loc, n, out);
    }
    requirement(req, n, out)
}

fn first_token(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// A bare URL, VCS URL or path rather than a `name …` specifier.
fn looks_like_location(s: &str) -> bool {
    let first = first_token(s);
    first.contains("://")
        || first.starts_with("file:")
        || first.starts_with('.')
        || first.starts_with('/')
        || first.starts_with('~')
        || first.contains('/')
        || first.contains('\\')
        || [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz"]
            .iter()
            .any(|ext| first.ends_with(ext))
}

/// For URLs a marker must be separated by whitespace before `;` (URLs may contain `;`).
fn split_url_marker(s: &str) -> (&str, &str) {
    for sep in [" ;", "\t;"] {
        if let Some(i) = s.find(sep) {
            return (
                s.get(..i).unwrap_or(s).trim(),
                s.get(i + 2..).unwrap_or("").trim(),
            );
        }
    }
    (s.trim(), "")
}

fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    matches!((b.first(), b.last()), (Some(f), Some(l)) if f.is_ascii_alphanumeric() && l.is_ascii_alphanumeric())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `name [extras] specifiers ; markers` or `name [extras] @ url ; markers`.
fn requirement(req: &str, n: u32, out: &mut ParsedLockfile) -> Result<(), LockfileError> {
    let name_end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    let name = req.get(..name_end).unwrap_or("");
    if !valid_name(name) {
        return Err(LockfileError::at(
            n,
            format!("invalid requirement `{req}`: it does not start with a package name"),
        ));
    }
    let mut rest = req.get(name_end..).unwrap_or("").trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        let Some(close) = after.find(']') else {
            return Err(LockfileError::at(
                n,
                format!("invalid requirement `{req}`: unclosed `[` in extras"),
            ));
        };
        rest = after.get(close + 1..).unwrap_or("").trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        let (loc, _marker) = split_url_marker(url);
        if loc.is_empty() {
            return Err(LockfileError::at(
                n,
                format!("invalid requirement `{req}`: `@` without a URL"),
            ));
        }
        return located(Some(name), loc, n, out);
    }
    let spec = rest.split(';').next().unwrap_or("").trim();
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(spec)
        .trim();
    let mut pinned = None;
    for clause in spec.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let op_end = clause
            .find(|c: char| !matches!(c, '=' | '<' | '>' | '!' | '~'))
            .unwrap_or(clause.len());
        let op = clause.get(..op_end).unwrap_or("");
        let version = clause.get(op_end..).unwrap_or("").trim();
        if !matches!(op, "==" | "===" | "!=" | "<=" | ">=" | "<" | ">" | "~=") {
            return Err(LockfileError::at(
                n,
                format!("invalid requirement `{req}`: unknown version operator in `{clause}`"),
            ));
        }
        if version.is_empty() {
            return Err(LockfileError::at(
                n,
                format!("invalid requirement `{req}`: `{op}` without a version"),
            ));
        }
        let exact = op == "===" || (op == "==" && !version.contains('*'));
        if exact && !version.contains('$') && pinned.is_none() {
            pinned = Some(version);
        }
    }
    match pinned {
        Some(version) => out
            .packages
            .push(package(name, version, n, Source::Registry)),
        None => out.unpinned.push(Unpinned {
            ecosystem: ECO,
            name: ECO.normalize(name),
            spec: spec.to_string(),
            line: n,
        }),
    }
    Ok(())
}

fn package(name: &str, version: &str, line: u32, source: Source) -> Package {
    Package {
        ecosystem: ECO,
        name: ECO.normalize(name),
        version: version.to_string(),
        direct: None,
        dev: false,
        optional: false,
        line,
        source,
    }
}

/// A requirement given by location (URL, VCS URL or path), with its name when written (`name @ url`).
fn located(
    name: Option<&str>,
    loc: &str,
    n: u32,
    out: &mut ParsedLockfile,
) -> Result<(), LockfileError> {
    let (without_fragment, fragment) = match loc.split_once('#') {
        Some((a, f)) => (a, f),
        None => (loc, ""),
    };
    let egg = fragment
        .split('&')
        .find_map(|kv| kv.strip_prefix("egg="))
        .filter(|e| !e.is_empty());
    let source = source_of(without_fragment);
    let file = match &source {
        Source::Git { .. } => None,
        _ => without_fragment
            .split('?')
            .next()
            .and_then(|p| p.trim_end_matches('/').rsplit(['/', '\\']).next()),
    };
    let from_file = file.and_then(name_version_of_file);
    let name = name.or(egg);
    match from_file {
        Some((file_name, version))
            if name.is_none_or(|n| ECO.normalize(n) == ECO.normalize(file_name)) =>
        {
            out.packages.push(package(file_name, version, n, source));
        }
        _ => out.unpinned.push(Unpinned {
            ecosystem: ECO,
            name: name.map_or_else(|| loc.to_string(), |n| ECO.normalize(n)),
            spec: loc.to_string(),
            line: n,
        }),
    }
    Ok(())
}

fn source_of(loc: &str) -> Source {
    let lower = loc.to_ascii_lowercase();
    for vcs in ["git+", "hg+", "svn+", "bzr+"] {
        if lower.starts_with(vcs) {
            let url = loc.get(vcs.len()..).unwrap_or(loc);
            // `@rev` after the path (an `@` in the authority is a user name).
            let path_start = url
                .find("://")
                .and_then(|i| {
                    url.get(i + 3..)
                        .and_then(|r| r.find('/'))
                        .map(|j| i + 3 + j)
                })
                .unwrap_or(0);
            let (u, rev) = match url.get(path_start..).and_then(|p| p.rfind('@')) {
                Some(at) => (
                    url.get(..path_start + at).unwrap_or(url),
                    url.get(path_start + at + 1..).map(str::to_string),
                ),
                None => (url, None),
            };
            return Source::Git {
                url: u.to_string(),
                rev,
            };
        }
    }
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("ftp://")
    {
        Source::Url {
            url: loc.to_string(),
        }
    } else {
        Source::Path {
            path: loc.to_string(),
        }
    }
}

/// Name and version from a wheel (`name-1.0-py3-none-any.whl`) or sdist (`name-1.0.tar.gz`) file name.
fn name_version_of_file(file: &str) -> Option<(&str, &str)> {
    if let Some(stem) = file.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        let name = parts.next()?;
        let version = parts.next()?;
        return (parts.count() >= 3 && !name.is_empty() && !version.is_empty())
            .then_some((name, version));
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar.xz"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))?;
    let (name, version) = stem.rsplit_once('-')?;
    (valid_name(name) && version.starts_with(|c: char| c.is_ascii_digit()))
        .then_some((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_line as summary;

    use crate::lockfile::parsers::testutil::unpinned_rows as unpinned;

    #[test]
    fn pins_ranges_extras_markers_and_duplicates() {
        let text = "# top comment\n\
Django==4.2  # the web framework\n\
requests[security,socks] == 2.31.0 ; python_version >= \"3.8\"\n\
numpy==1.24.4; python_version < \"3.9\"\n\
numpy==1.26.4; python_version >= \"3.9\"\n\
flask>=2.0,<3\n\
attrs\n\
zope.interface===5.5.2\n\
pytest==7.*\n\
Jinja2 (==3.1.2)\n\
black~=23.1\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("django".into(), "4.2".into(), 2),
                ("requests".into(), "2.31.0".into(), 3),
                ("numpy".into(), "1.24.4".into(), 4),
                ("numpy".into(), "1.26.4".into(), 5),
                ("zope-interface".into(), "5.5.2".into(), 8),
                ("jinja2".into(), "3.1.2".into(), 10),
            ]
        );
        assert!(p
            .packages
            .iter()
            .all(|p| p.direct.is_none() && !p.dev && p.source == Source::Registry));
        assert_eq!(
            unpinned(&p),
            vec![
                ("flask".into(), ">=2.0,<3".into(), 6),
                ("attrs".into(), "".into(), 7),
                ("pytest".into(), "==7.*".into(), 9),
                ("black".into(), "~=23.1".into(), 11),
            ]
        );
    }

    #[test]
    fn hashes_continuations_and_pip_compile_comments() {
        let text = "#\n# pip-compile --generate-hashes\n#\ncertifi==2024.2.2 \\\n    --hash=sha256:0569 \\\n    --hash=sha256:dc01\n    # via requests\n\
idna==3.6 \\\n    --hash=sha256:9ecd \\\n    # via\n    #   requests\nurllib3==2.2.1 --hash=sha256:450b\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("certifi".into(), "2024.2.2".into(), 4),
                ("idna".into(), "3.6".into(), 8),
                ("urllib3".into(), "2.2.1".into(), 12),
            ]
        );
        assert!(p.unpinned.is_empty());
    }

    #[test]
    fn includes_and_global_options() {
        let text = "-r base.txt\n--requirement=dev.txt\n-rlocal.txt\n-c constraints.txt\n--constraint more.txt\n\
--index-url https://example.org/simple\n--extra-index-url https://x.example/simple\n--pre\n-i https://y\nsix==1.16.0\n";
        let p = parse(text).unwrap_or_default();
        let inc: Vec<(&str, bool, u32)> = p
            .includes
            .iter()
            .map(|i| (i.path.as_str(), i.constraints, i.line))
            .collect();
        assert_eq!(
            inc,
            vec![
                ("base.txt", false, 1),
                ("dev.txt", false, 2),
                ("local.txt", false, 3),
                ("constraints.txt", true, 4),
                ("more.txt", true, 5),
            ]
        );
        assert_eq!(summary(&p), vec![("six".into(), "1.16.0".into(), 10)]);
    }

    #[test]
    fn urls_paths_and_vcs() {
        let text = "urllib3 @ https://files.example/urllib3-1.26.8-py2.py3-none-any.whl\n\
./downloads/numpy-1.9.2-cp34-none-win32.whl\n\
https://example.org/pkgs/django-allauth-0.52.0.tar.gz ; python_version > \"3\"\n\
-e git+https://github.com/org/proj.git@v1.2#egg=proj\n\
-e .\n\
git+ssh://git@github.com/org/other@abc123#egg=Other_Pkg\n\
mylib @ file:///srv/wheels/mylib-2.0-py3-none-any.whl\n\
foo @ https://example.org/bar-1.0.tar.gz\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("urllib3".into(), "1.26.8".into(), 1),
                ("numpy".into(), "1.9.2".into(), 2),
                ("django-allauth".into(), "0.52.0".into(), 3),
                ("mylib".into(), "2.0".into(), 7),
            ]
        );
        assert_eq!(
            p.packages[0].source,
            Source::Url {
                url: "https://files.example/urllib3-1.26.8-py2.py3-none-any.whl".into()
            }
        );
        assert_eq!(
            p.packages[1].source,
            Source::Path {
                path: "./downloads/numpy-1.9.2-cp34-none-win32.whl".into()
            }
        );
        assert_eq!(
            unpinned(&p),
            vec![
                (
                    "proj".into(),
                    "git+https://github.com/org/proj.git@v1.2#egg=proj".into(),
                    4
                ),
                (".".into(), ".".into(), 5),
                (
                    "other-pkg".into(),
                    "git+ssh://git@github.com/org/other@abc123#egg=Other_Pkg".into(),
                    6
                ),
                ("foo".into(), "https://example.org/bar-1.0.tar.gz".into(), 8),
            ]
        );
        assert_eq!(
            source_of("git+ssh://git@github.com/org/other@abc123"),
            Source::Git {
                url: "ssh://git@github.com/org/other".into(),
                rev: Some("abc123".into())
            }
        );
    }

    #[test]
    fn detects_file_names() {
        for yes in [
            "requirements.txt",
            "requirements-dev.txt",
            "requirements_test.txt",
            "requirements.prod.txt",
            "dev-requirements.txt",
            "test_requirements.txt",
            "benchmarkpython.requirements.txt",
            "Requirements.TXT",
        ] {
            assert!(is_requirements_file(yes), "{yes}");
            assert_eq!(
                super::super::Format::detect(yes),
                Some(super::super::Format::Requirements)
            );
        }
        for no in [
            "requirements.in",
            "myrequirements.txt",
            "readme.txt",
            "requirements",
        ] {
            assert!(!is_requirements_file(no), "{no}");
        }
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}a==1.0\r\nb==2.0 \\\r\n  --hash=sha256:00\r\nc\r\n";
        let p = super::super::parse(super::super::Format::Requirements, text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![("a".into(), "1.0".into(), 1), ("b".into(), "2.0".into(), 2)]
        );
        assert_eq!(unpinned(&p), vec![("c".into(), "".into(), 4)]);
    }

    #[test]
    fn malformed_lines_name_the_problem() {
        for (text, line, needle) in [
            ("ok==1\n==1.0\n", 2, "package name"),
            ("a[b==1\n", 1, "unclosed"),
            ("a==\n", 1, "without a version"),
            ("x\n-r\n", 2, "needs a file name"),
            ("a => 1\n", 1, "operator"),
            ("a @ \n", 1, "without a URL"),
        ] {
            let e = parse(text).err().unwrap_or_else(|| LockfileError::new(""));
            assert_eq!(e.line, Some(line), "{text:?}: {e}");
            assert!(e.message.contains(needle), "{text:?}: {e}");
        }
    }
}
