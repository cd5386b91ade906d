//! Every real lock file in `../shared/lockfiles` that has a parser parses without error and yields the number
//! of packages it declares (counted independently of the parser, from the file's own structure).

mod common;

use portcullis::lockfile::parsers::{parse, Format};

/// (path under ../shared/lockfiles, format, expected package count).
const REAL: &[(&str, Format, usize)] = &[
    ("cargo/cargo.Cargo.lock", Format::CargoLock, 550),
    ("cargo/pydantic-core.Cargo.lock", Format::CargoLock, 101),
    // npm: every entry of the nested v1 `dependencies` tree; for v2/v3 every `packages` key except the `""`
    // root (no `link` entries and no workspace folders in these files).
    ("npm/terragoat.v1.package-lock.json", Format::NpmLock, 117),
    ("npm/nodegoat.v2.package-lock.json", Format::NpmLock, 1479),
    (
        "npm/rust-analyzer-code.v3.package-lock.json",
        Format::NpmLock,
        568,
    ),
    // yarn classic: one package per unindented entry header. Berry: 1052 entries besides `__metadata`, minus
    // the root `prettier@workspace:.` and the two `patch:` entries (fsevents 2.3.3, typescript 6.0.3) whose
    // unpatched package is listed too.
    ("yarn/webpack.v1.yarn.lock", Format::YarnLock, 1397),
    ("yarn/prettier.berry.yarn.lock", Format::YarnLock, 1049),
    // pnpm v9: one package per key of the `packages` section (lines 221 to 6355; peer variants are only in
    // `snapshots`).
    ("pnpm/prometheus.v9.pnpm-lock.yaml", Format::PnpmLock, 1408),
    // Python, Go, Ruby and PHP formats.
    // requirements.txt: every line is `name==version` (`grep -c ==` = line count).
    ("python/pygoat.requirements.txt", Format::Requirements, 34),
    (
        "python/benchmarkpython.requirements.txt",
        Format::Requirements,
        102,
    ),
    // Pipfile.lock: 16 `default` + 26 `develop` entries, all with `"version": "==…"` (jq).
    ("python/semgrep-rules.Pipfile.lock", Format::PipfileLock, 42),
    // poetry.lock: 78 `[[package]]` tables (`grep -c '^\[\[package\]\]'`).
    ("python/poetry.poetry.lock", Format::PoetryLock, 78),
    // uv.lock: 176 `[[package]]` tables less the two workspace members (`pydantic`, `pydantic-core`, editable).
    ("python/pydantic.uv.lock", Format::UvLock, 174),
    // pylock.toml: 19 `[[packages]]` tables, each with a `version`.
    ("python/pydantic-people.pylock.toml", Format::PyLock, 19),
    // go.mod: 307 `require` entries (block lines and single lines, counted with Python) + `stdlib` (`go 1.26.4`).
    ("go/terraform.go.mod", Format::GoMod, 308),
    // Gemfile.lock: 197 four-space `specs:` lines, 167 distinct (name, version) once platform suffixes such as
    // `-x86_64-linux-gnu` are dropped (ffi, nokogiri, … are locked for several platforms).
    ("ruby/railsgoat.Gemfile.lock", Format::GemfileLock, 167),
    // composer.lock: 156 `packages` + 46 `packages-dev` (jq `.packages, ."packages-dev" | length`).
    ("php/koel.composer.lock", Format::ComposerLock, 202),
    // 72 lines: 3 comments and the `empty=` line.
    (
        "java/vulnerable-java-application.gradle.lockfile",
        Format::GradleLockfile,
        68,
    ),
    // 22 dependencyManagement entries + 46 dependencies: 4 dependencies with their own version, 19 that take
    // it from this POM's dependencyManagement (reported once, at the dependency), the 3 managed entries no
    // dependency uses; the other 23 dependencies are managed by the Spring Boot parent (unpinned).
    ("java/webgoat.pom.xml", Format::PomXml, 26),
];

#[test]
fn real_lockfiles_parse_with_their_package_counts() {
    let Some(shared) = common::shared() else {
        println!("skipped: ../shared/lockfiles is not beside the checkout");
        return;
    };
    for (path, format, expected) in REAL {
        let text = std::fs::read_to_string(shared.join("lockfiles").join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let parsed = parse(*format, &text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(parsed.packages.len(), *expected, "{path}");
        assert!(
            parsed
                .packages
                .iter()
                .all(|p| !p.name.is_empty() && !p.version.is_empty() && p.line >= 1),
            "{path}"
        );
    }
}

/// Regression (issue 9, case 6): parsers stay linear on large and deeply nested input. (Time is measured by
/// benchmarks; here a quadratic parser shows as a test that does not finish.)
#[test]
fn large_and_deep_lock_files_parse_with_exact_lines() {
    use portcullis::lockfile::parsers::{parse, Format};
    let n = 20_000;
    let mut cargo = String::from("version = 3\n");
    let mut nuget = String::from("{\"version\": 1, \"dependencies\": {\"net8.0\": {\n");
    for i in 0..n {
        cargo.push_str(&format!(
            "\n[[package]]\nname = \"p{i}\"\nversion = \"1.0.{i}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        ));
        nuget.push_str(&format!(
            "{}\"Pkg{i}\": {{\"type\": \"Transitive\", \"resolved\": \"1.0.{i}\"}}\n",
            if i == 0 { "" } else { "," }
        ));
    }
    nuget.push_str("}}}\n");
    // renv.lock searched the whole text once per package.
    let renv = format!(
        "{{\"R\": {{\"Version\": \"4.3.2\"}}, \"Packages\": {{\n{}\n}}}}\n",
        (0..n)
            .map(|i| format!("\"p{i}\": {{\"Package\": \"p{i}\", \"Version\": \"1.0.{i}\", \"Source\": \"Repository\"}}"))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let r = parse(Format::RenvLock, &renv).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.packages.len(), n);
    assert_eq!(r.packages[n - 1].line, 1 + n as u32);
    let c = parse(Format::CargoLock, &cargo).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.packages.len(), n);
    assert_eq!(c.packages[n - 1].line, 4 + 5 * (n as u32 - 1));
    let g = parse(Format::NugetLock, &nuget).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(g.packages.len(), n);
    assert_eq!(g.packages[n - 1].line, 1 + n as u32);
    let deep = format!(
        "{{\"default\": {}1{}}}",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    assert!(parse(Format::PipfileLock, &deep).is_ok());
}
