//! Every real lock file in `../shared/lockfiles` that has a parser parses without error and yields the number
//! of packages it declares (counted independently of the parser, from the file's own structure).

mod common;

use portcullis::scanners::deps::lockfiles::{parse, Format};

/// (path under ../shared/lockfiles, format, expected package count).
const REAL: &[(&str, Format, usize)] = &[
    ("cargo/cargo.Cargo.lock", Format::CargoLock, 550),
    ("cargo/pydantic-core.Cargo.lock", Format::CargoLock, 101),
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
