//! Classifies a file once, by its path, for every scanner: language, lock file, IaC kind, test path.

use serde::Serialize;

/// What a file is, as far as the scanners care.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileKind {
    /// Programming or data language, by extension or well-known name.
    pub language: Option<&'static str>,
    /// A dependency lock file or manifest (`Cargo.lock`, `package-lock.json`, …).
    pub lockfile: bool,
    /// Infrastructure-as-code kind (`dockerfile`, `terraform`, `github-actions`, `compose`).
    pub iac: Option<&'static str>,
    /// Under a test, fixture or example directory, or named like a test file.
    pub test_path: bool,
}

const LOCKFILES: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "pylock.toml",
    "go.sum",
    "Gemfile.lock",
    "gems.locked",
    "composer.lock",
    "gradle.lockfile",
    "packages.lock.json",
    "pubspec.lock",
    "mix.lock",
    "Package.resolved",
    "Podfile.lock",
    "conan.lock",
    "renv.lock",
    "Manifest.toml",
    "cabal.project.freeze",
    "stack.yaml.lock",
    "flake.lock",
    "deno.lock",
];

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "fixture",
    "fixtures",
    "testdata",
    "test-data",
    "test_data",
    "__mocks__",
    "mocks",
    "example",
    "examples",
    "sample",
    "samples",
    "__snapshots__",
];

const LANGUAGES: &[(&str, &str)] = &[
    ("py", "python"),
    ("pyi", "python"),
    ("js", "javascript"),
    ("mjs", "javascript"),
    ("cjs", "javascript"),
    ("jsx", "javascript"),
    ("ts", "typescript"),
    ("tsx", "typescript"),
    ("mts", "typescript"),
    ("go", "go"),
    ("java", "java"),
    ("kt", "kotlin"),
    ("kts", "kotlin"),
    ("scala", "scala"),
    ("rb", "ruby"),
    ("rs", "rust"),
    ("c", "c"),
    ("h", "c"),
    ("cc", "cpp"),
    ("cpp", "cpp"),
    ("cxx", "cpp"),
    ("hpp", "cpp"),
    ("cs", "csharp"),
    ("php", "php"),
    ("swift", "swift"),
    ("sh", "bash"),
    ("bash", "bash"),
    ("zsh", "bash"),
    ("lua", "lua"),
    ("ex", "elixir"),
    ("exs", "elixir"),
    ("yaml", "yaml"),
    ("yml", "yaml"),
    ("json", "json"),
    ("toml", "toml"),
    ("tf", "hcl"),
    ("tfvars", "hcl"),
    ("hcl", "hcl"),
    ("xml", "xml"),
    ("html", "html"),
    ("sql", "sql"),
    ("properties", "properties"),
    ("env", "dotenv"),
];

/// Classifies the file at relative path `rel` (`/`-separated).
pub fn classify(rel: &str) -> FileKind {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let dirs: Vec<&str> = rel.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    let lockfile = LOCKFILES.contains(&name)
        || lower.ends_with(".deps.json")
        || lower.ends_with(".sbt.lock")
        || lower.ends_with("-gradle.lockfile");
    let mut language = LANGUAGES.iter().find(|(e, _)| *e == ext).map(|(_, l)| *l);
    if lower.starts_with(".env") {
        language = Some("dotenv");
    }
    let iac = if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
    {
        language = Some("dockerfile");
        Some("dockerfile")
    } else if matches!(ext, "tf" | "tfvars") {
        Some("terraform")
    } else if matches!(ext, "yml" | "yaml") && rel.starts_with(".github/workflows/") {
        Some("github-actions")
    } else if matches!(ext, "yml" | "yaml")
        && (lower.starts_with("docker-compose") || lower.starts_with("compose."))
    {
        Some("compose")
    } else {
        None
    };
    let test_path = dirs
        .iter()
        .any(|d| TEST_DIRS.contains(&d.to_ascii_lowercase().as_str()))
        || lower.starts_with("test_")
        || lower.contains("_test.")
        || lower.contains(".test.")
        || lower.contains(".spec.")
        || lower.contains("_spec.")
        || lower.ends_with(".example")
        || lower.ends_with(".sample");
    FileKind {
        language,
        lockfile,
        iac,
        test_path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_path() {
        let k = classify("web/package-lock.json");
        assert!(k.lockfile && !k.test_path);
        assert_eq!(k.language, Some("json"));
        let k = classify("src/tests/helpers.py");
        assert!(k.test_path);
        assert_eq!(k.language, Some("python"));
        assert_eq!(classify("deploy/Dockerfile").iac, Some("dockerfile"));
        assert_eq!(
            classify(".github/workflows/ci.yml").iac,
            Some("github-actions")
        );
        assert_eq!(classify("infra/main.tf").iac, Some("terraform"));
        assert!(classify("pkg/handler_test.go").test_path);
        assert!(classify(".env.example").test_path);
        assert_eq!(classify(".env.production").language, Some("dotenv"));
        assert!(!classify("src/latest/main.rs").test_path);
    }
}
