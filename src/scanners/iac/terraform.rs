//! Terraform modules. A module is the `.tf` and `.tf.json` files of one folder: a reference (`var.x`,
//! `local.x`) resolves against the variables and locals of any file of the folder. A root module takes its
//! variables' values from `terraform.tfvars` and `*.auto.tfvars` (as `terraform plan` does), and a `module`
//! block whose `source` is a local path is followed: the called module is evaluated again with the call's
//! inputs, its resources named by their address (`module.net.aws_security_group.this`). Registry and Git
//! sources are not followed (their code is not in the tree).

use crate::diagnostic::{Diagnostic, Level};
use crate::document::hcl::{module_inputs, Block, HclFile, Scope};
use crate::document::{DocError, Node};
use crate::finding::SourceText;
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// How deep module calls are followed.
const MAX_DEPTH: usize = 8;
/// How many module calls one scan follows at most (each folder is also evaluated on its own, always).
const MAX_EVALUATIONS: usize = 5000;

/// One Terraform file of the scan, parsed.
#[derive(Clone, Debug)]
pub struct TfFile {
    /// Its path.
    pub path: String,
    /// Its text.
    pub text: Arc<str>,
    /// Its parse, shared with the file's (read only when it succeeded).
    pub parsed: Arc<Result<HclFile, DocError>>,
}

/// What a failed parse reads as (such files are never made [`TfFile`]s).
static NO_BLOCKS: HclFile = HclFile {
    blocks: Vec::new(),
    attributes: Vec::new(),
};

impl TfFile {
    /// Its blocks, references unresolved.
    pub fn hcl(&self) -> &HclFile {
        self.parsed.as_ref().as_ref().unwrap_or(&NO_BLOCKS)
    }
}

/// A file of a module evaluated in one scope: the address prefix of its resources (`module.net.`, empty for
/// the folder on its own), and its blocks with references resolved.
pub struct Evaluation<'a> {
    /// The file.
    pub file: &'a TfFile,
    /// The address prefix of its resources.
    pub prefix: String,
    /// Its blocks, resolved (a block the scope changes nothing in is the file's own).
    pub resolved: Vec<Cow<'a, Block>>,
    /// The `module` block this evaluation comes from (`envs/prod/main.tf:3`), for a module call.
    pub called_at: Option<String>,
}

/// The folder of a path (`""` at the root).
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn name_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_tfvars(path: &str) -> bool {
    let n = name_of(path);
    n.ends_with(".tfvars") || n.ends_with(".tfvars.json")
}

/// Whether Terraform loads this variables file by itself, and in which order (later ones win).
fn autoload_rank(path: &str) -> Option<u8> {
    match name_of(path) {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    }
}

/// `source` joined to the caller's folder, when it is a local path that stays inside the scanned tree.
fn local_source(dir: &str, source: &str) -> Option<Result<String, ()>> {
    if !(source.starts_with("./") || source.starts_with("../") || source == "." || source == "..") {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in source.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(()));
                }
            }
            p => parts.push(p),
        }
    }
    Some(Ok(parts.join("/")))
}

struct Pending {
    dir: String,
    prefix: String,
    inputs: Vec<(String, Node)>,
    chain: Vec<String>,
    called_at: Option<String>,
}

/// Every file of every module in every scope it is evaluated in: each folder on its own first (with its
/// auto-loaded `.tfvars`), then each local module call with its inputs, breadth first; and notes for calls
/// that could not be followed.
pub fn evaluations<'a>(files: &[&'a TfFile]) -> (Vec<Evaluation<'a>>, Vec<Diagnostic>) {
    let mut modules: BTreeMap<&str, Vec<&TfFile>> = BTreeMap::new();
    let mut tfvars: BTreeMap<&str, Vec<&TfFile>> = BTreeMap::new();
    for &f in files {
        let dir = dir_of(&f.path);
        if is_tfvars(&f.path) {
            if autoload_rank(&f.path).is_some() {
                tfvars.entry(dir).or_default().push(f);
            }
        } else {
            modules.entry(dir).or_default().push(f);
        }
    }
    for v in modules.values_mut() {
        v.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let mut queue: VecDeque<Pending> = VecDeque::new();
    for &dir in modules.keys() {
        let mut vars = tfvars.get(dir).cloned().unwrap_or_default();
        vars.sort_by(|a, b| {
            (autoload_rank(&a.path), &a.path).cmp(&(autoload_rank(&b.path), &b.path))
        });
        queue.push_back(Pending {
            dir: dir.to_string(),
            prefix: String::new(),
            inputs: vars
                .iter()
                .flat_map(|f| f.hcl().attributes.iter().cloned())
                .collect(),
            chain: vec![dir.to_string()],
            called_at: None,
        });
    }
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let mut evaluated = 0;
    while let Some(p) = queue.pop_front() {
        let Some(members) = modules.get(p.dir.as_str()) else {
            continue;
        };
        // Every folder is evaluated on its own; module calls up to a budget.
        if !p.prefix.is_empty() {
            evaluated += 1;
        }
        if evaluated > MAX_EVALUATIONS {
            notes.push(Diagnostic::general(
                Level::Note,
                "iac-terraform-modules",
                format!("more than {MAX_EVALUATIONS} Terraform module calls: the remaining ones were not followed"),
            ));
            break;
        }
        let scope = Scope::new(members.iter().map(|f| f.hcl()), &p.inputs);
        for &f in members {
            let blocks = scope.resolve_blocks(&f.hcl().blocks);
            for b in blocks.iter().filter(|b| b.kind == "module") {
                let (Some(name), Some(source)) = (
                    b.labels.first(),
                    b.body.get("source").and_then(Node::as_str),
                ) else {
                    continue;
                };
                const UNCHECKED: &str = "its resources were not checked with this call's inputs";
                let target = match local_source(&p.dir, source) {
                    None => continue,
                    Some(Err(())) => Err(format!("outside the scanned tree; {UNCHECKED}")),
                    Some(Ok(t)) if !modules.contains_key(t.as_str()) => Err(format!(
                        "no Terraform files there among the scanned files; {UNCHECKED}"
                    )),
                    Some(Ok(t)) if p.chain.contains(&t) => {
                        Err("calls itself (a cycle); not followed".to_string())
                    }
                    Some(Ok(t)) => Ok(t),
                };
                let line = SourceText::new(f.text.as_bytes()).line_number(b.start as usize);
                match target {
                    // Said once, for the folder on its own.
                    Err(why) if p.prefix.is_empty() => notes.push(Diagnostic::at(
                        Level::Note,
                        "iac-terraform-module",
                        f.path.clone(),
                        line,
                        format!("module.{name} (source `{source}`): {why}"),
                    )),
                    Ok(target) if p.chain.len() <= MAX_DEPTH => {
                        let mut chain = p.chain.clone();
                        chain.push(target.clone());
                        queue.push_back(Pending {
                            dir: target,
                            prefix: format!("{}module.{name}.", p.prefix),
                            inputs: module_inputs(&b.body),
                            chain,
                            called_at: Some(format!("{}:{line}", f.path)),
                        });
                    }
                    _ => {}
                }
            }
            out.push(Evaluation {
                file: f,
                prefix: p.prefix.clone(),
                resolved: blocks,
                called_at: p.called_at.clone(),
            });
        }
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_sources_join_the_callers_folder() {
        assert_eq!(
            local_source("envs/prod", "../../modules/net"),
            Some(Ok("modules/net".into()))
        );
        assert_eq!(local_source("", "./net"), Some(Ok("net".into())));
        assert_eq!(local_source("a", "../../x"), Some(Err(())));
        assert_eq!(local_source("a", "terraform-aws-modules/vpc/aws"), None);
        assert_eq!(local_source("a", "git::https://example.com/x.git"), None);
    }

    fn tf(path: &str, src: &str) -> TfFile {
        TfFile {
            path: path.into(),
            text: Arc::from(src),
            parsed: Arc::new(crate::document::hclsyntax::parse(src)),
        }
    }

    #[test]
    fn calls_are_followed_with_their_inputs_and_the_rest_is_noted() {
        let files = [
            tf(
                "live/main.tf",
                "module \"a\" {\n  source = \"../mods/a\"\n  x = var.x\n}\nmodule \"gone\" {\n  source = \"./nowhere\"\n}\nmodule \"up\" {\n  source = \"../../above\"\n}\nmodule \"reg\" {\n  source = \"hashicorp/consul/aws\"\n}\n",
            ),
            tf("live/vars.tf", "variable \"x\" {\n  default = 1\n}\n"),
            tf("live/terraform.tfvars", "x = 2\n"),
            tf("live/other.tfvars", "x = 3\n"),
            tf(
                "mods/a/main.tf",
                "variable \"x\" {}\nresource \"r\" \"s\" {\n  v = var.x\n}\nmodule \"again\" {\n  source = \"../a\"\n}\n",
            ),
        ];
        let (evals, notes) = evaluations(&files.iter().collect::<Vec<_>>());
        let got: Vec<(String, String, Option<String>)> = evals
            .iter()
            .filter(|e| e.file.path == "mods/a/main.tf")
            .map(|e| {
                let v = e.resolved[1]
                    .body
                    .get("v")
                    .map(|v| format!("{:?}", v.value));
                (e.prefix.clone(), v.unwrap_or_default(), e.called_at.clone())
            })
            .collect();
        assert_eq!(
            got,
            [
                ("".to_string(), "Expr(\"var.x\")".to_string(), None),
                (
                    "module.a.".to_string(),
                    "Int(2)".to_string(),
                    Some("live/main.tf:1".to_string())
                ),
            ]
        );
        let notes: Vec<String> = notes.iter().map(|d| d.message.clone()).collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(
            notes[0].contains("module.gone") && notes[0].contains("no Terraform files"),
            "{notes:?}"
        );
        assert!(
            notes[1].contains("module.up") && notes[1].contains("outside the scanned tree"),
            "{notes:?}"
        );
        assert!(
            notes[2].contains("module.again") && notes[2].contains("cycle"),
            "{notes:?}"
        );
    }
}
