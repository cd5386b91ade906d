//! Classifies a file once for every scanner: its language (extension, file name, shebang) and its document
//! kind (lock-file format, Dockerfile, Kubernetes, compose, GitHub workflow, Terraform, CloudFormation, Helm
//! template). [`classify_path`] works from the path alone, before the file is read, so scanners can decline
//! a file without it being opened; [`sniff`] refines the kind from the first few KiB once it is read.
//!
//! Lock files are recognised by the one table the parsers use ([`crate::lockfile::inventory::format_of`]),
//! so classification and parsing never disagree.

use crate::lockfile::parsers::Format;
use serde::Serialize;

/// What a file is, as far as the scanners care.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// Programming or data language (`python`, `yaml`, `dockerfile`, …).
    pub language: Option<&'static str>,
    /// The kind of document, when it is one a scanner reads as such.
    pub document: Option<DocumentKind>,
}

/// The kinds of document scanners read as structured data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// A dependency lock file or manifest in this format.
    #[serde(serialize_with = "format_id")]
    Lockfile(Format),
    /// A Dockerfile or Containerfile.
    Dockerfile,
    /// A Kubernetes manifest (YAML with `apiVersion` and `kind`).
    Kubernetes,
    /// A Docker Compose file.
    Compose,
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    GithubWorkflow,
    /// Terraform (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`).
    Terraform,
    /// An AWS CloudFormation template.
    CloudFormation,
    /// A Helm chart template (Go templates, not plain YAML).
    HelmTemplate,
}

fn format_id<S: serde::Serializer>(f: &Format, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(f.id())
}

impl DocumentKind {
    /// The lock-file format, when the document is a lock file.
    pub fn lockfile(self) -> Option<Format> {
        match self {
            DocumentKind::Lockfile(f) => Some(f),
            _ => None,
        }
    }
}

const LANGUAGES: &[(&str, &str)] = &[
    ("py", "python"),
    ("pyi", "python"),
    ("js", "javascript"),
    ("mjs", "javascript"),
    ("cjs", "javascript"),
    ("jsx", "javascript"),
    ("ts", "typescript"),
    ("tsx", "tsx"),
    ("mts", "typescript"),
    ("cts", "typescript"),
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

/// Interpreters named on a `#!` line, and the language they run.
const SHEBANGS: &[(&str, &str)] = &[
    ("python", "python"),
    ("node", "javascript"),
    ("deno", "typescript"),
    ("bash", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("dash", "bash"),
    ("ruby", "ruby"),
    ("php", "php"),
    ("lua", "lua"),
];

/// Classifies the file at repository-relative path `rel` (`/`-separated) by its path alone.
pub fn classify_path(rel: &str) -> Classification {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let mut language = LANGUAGES.iter().find(|(e, _)| *e == ext).map(|(_, l)| *l);
    if lower.starts_with(".env") {
        language = Some("dotenv");
    }
    let yaml = matches!(ext, "yml" | "yaml");
    // A Helm chart keeps its templates in `templates/`; [`sniff`] confirms by the Go template actions.
    let in_templates = rel.rsplit('/').nth(1) == Some("templates");
    let document = if let Some(f) = crate::lockfile::inventory::format_of(rel) {
        Some(DocumentKind::Lockfile(f))
    } else if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
        || lower.starts_with("containerfile.")
    {
        language = Some("dockerfile");
        Some(DocumentKind::Dockerfile)
    } else if ext == "tf"
        || ext == "tfvars"
        || lower.ends_with(".tf.json")
        || lower.ends_with(".tfvars.json")
    {
        Some(DocumentKind::Terraform)
    } else if yaml && (rel.starts_with(".github/workflows/") || rel.contains("/.github/workflows/"))
    {
        Some(DocumentKind::GithubWorkflow)
    } else if yaml
        && (lower.starts_with("docker-compose")
            || lower.starts_with("compose.")
            || lower == "compose.yml")
    {
        Some(DocumentKind::Compose)
    } else if (yaml || ext == "tpl") && in_templates {
        Some(DocumentKind::HelmTemplate)
    } else {
        None
    };
    Classification { language, document }
}

/// Refines a path classification from the first bytes of the file: a shebang names the language of a file
/// without an extension; YAML with `apiVersion` and `kind` is Kubernetes; a template with Go template actions
/// is a Helm template; JSON or YAML with `AWSTemplateFormatVersion` or `AWS::` resource types is
/// CloudFormation.
pub fn sniff(mut class: Classification, head: &[u8]) -> Classification {
    let text = String::from_utf8_lossy(head);
    if class.language.is_none() {
        if let Some(first) = text.lines().next().and_then(|l| l.strip_prefix("#!")) {
            let mut words = first.split_whitespace();
            let mut prog = words.next().unwrap_or("").rsplit('/').next().unwrap_or("");
            if prog == "env" {
                prog = words.find(|w| !w.starts_with('-')).unwrap_or("");
            }
            let prog = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
            class.language = SHEBANGS.iter().find(|(p, _)| *p == prog).map(|(_, l)| *l);
        }
    }
    match (class.document, class.language) {
        // A plain manifest in a templates folder is read as what it is.
        (Some(DocumentKind::HelmTemplate), _) if !text.contains("{{") => {
            class.document = yaml_kind(&text)
        }
        (None, Some("yaml")) => class.document = yaml_kind(&text),
        (None, Some("json")) if is_cloudformation(&text) => {
            class.document = Some(DocumentKind::CloudFormation)
        }
        _ => {}
    }
    class
}

fn is_cloudformation(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources") && text.contains("AWS::"))
}

/// Kubernetes or CloudFormation, by the keys near the top of a YAML document.
fn yaml_kind(text: &str) -> Option<DocumentKind> {
    if is_cloudformation(text) {
        return Some(DocumentKind::CloudFormation);
    }
    let top_key = |key: &str| {
        text.lines().any(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
    };
    (top_key("apiVersion") && top_key("kind")).then_some(DocumentKind::Kubernetes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(rel: &str) -> Option<DocumentKind> {
        classify_path(rel).document
    }

    #[test]
    fn classifies_by_path() {
        let k = classify_path("web/package-lock.json");
        assert_eq!(k.document, Some(DocumentKind::Lockfile(Format::NpmLock)));
        assert_eq!(k.language, Some("json"));
        assert_eq!(
            classify_path("src/tests/helpers.py").language,
            Some("python")
        );
        assert_eq!(doc("deploy/Dockerfile"), Some(DocumentKind::Dockerfile));
        assert_eq!(
            doc(".github/workflows/ci.yml"),
            Some(DocumentKind::GithubWorkflow)
        );
        assert_eq!(doc("infra/main.tf"), Some(DocumentKind::Terraform));
        assert_eq!(doc("infra/main.tf.json"), Some(DocumentKind::Terraform));
        assert_eq!(doc("docker-compose.yml"), Some(DocumentKind::Compose));
        assert_eq!(classify_path(".env.production").language, Some("dotenv"));
    }

    #[test]
    fn lock_files_are_the_parsers_table() {
        // Every name the parsers read is a lock file here, and nothing they cannot read is.
        assert_eq!(doc("pom.xml"), Some(DocumentKind::Lockfile(Format::PomXml)));
        assert_eq!(
            doc("svc/go.mod"),
            Some(DocumentKind::Lockfile(Format::GoMod))
        );
        assert_eq!(
            doc("requirements-dev.txt"),
            Some(DocumentKind::Lockfile(Format::Requirements))
        );
        assert_eq!(
            doc("api.Cargo.lock"),
            Some(DocumentKind::Lockfile(Format::CargoLock))
        );
        assert_eq!(doc("flake.lock"), None);
        assert_eq!(doc("deno.lock"), None);
        assert_eq!(doc("go.sum"), None);
    }

    #[test]
    fn content_refines_the_kind() {
        let yaml = classify_path("k8s/deploy.yaml");
        assert_eq!(
            sniff(yaml, b"apiVersion: apps/v1\nkind: Deployment\n").document,
            Some(DocumentKind::Kubernetes)
        );
        assert_eq!(sniff(yaml, b"name: x\n").document, None);
        let tpl = classify_path("charts/web/templates/deploy.yaml");
        assert_eq!(tpl.document, Some(DocumentKind::HelmTemplate));
        assert_eq!(
            sniff(tpl, b"apiVersion: v1\nkind: {{ .Values.kind }}\n").document,
            Some(DocumentKind::HelmTemplate)
        );
        assert_eq!(
            sniff(
                classify_path("cfn/stack.json"),
                br#"{"AWSTemplateFormatVersion":"2010-09-09"}"#
            )
            .document,
            Some(DocumentKind::CloudFormation)
        );
        assert_eq!(
            sniff(classify_path("bin/tool"), b"#!/usr/bin/env python3\n").language,
            Some("python")
        );
        assert_eq!(
            sniff(classify_path("bin/run"), b"#!/bin/sh -e\n").language,
            Some("bash")
        );
    }
}
