//! IaC checks that need code rather than a condition: those that look across files (a namespace's workloads
//! and its NetworkPolicies, a kustomization's `namespace:`). Each is named by a check file's `logic:` key,
//! which carries its metadata.

use super::subjects::{first_line, is_patch, k8s_name, k8s_objects, pod_spec};
use crate::document::Node;
use crate::finding::{Finding, FindingBuilder, SourceText};
use crate::rules::RuleMeta;
use std::sync::Arc;

/// A check implemented in code: its metadata and every file's facts give its findings.
pub type Logic = fn(&RuleMeta, &RunFacts<'_>) -> Vec<Finding>;

/// What every file of the run told the code-backed checks, in path order.
#[derive(Default)]
pub struct RunFacts<'a> {
    /// Kubernetes files.
    pub k8s: Vec<&'a K8sFacts>,
    /// Base images of Dockerfiles.
    pub bases: Vec<&'a DockerBase>,
}

/// A Dockerfile's `FROM` of a base image (not an earlier stage) with a tag.
#[derive(Clone, Debug)]
pub struct DockerBase {
    /// The Dockerfile.
    pub path: String,
    /// Its text.
    pub text: Arc<str>,
    /// The image name (`python`, `gcr.io/distroless/static`).
    pub name: String,
    /// Its tag (`3.12-slim`).
    pub tag: String,
    /// The `FROM` line.
    pub span: (u32, u32),
}

/// The check logic called `name`.
pub fn by_name(name: &str) -> Option<Logic> {
    match name {
        "k8s-network-policy-coverage" => Some(network_policy_coverage),
        "k8s-default-namespace" => Some(default_namespace),
        "docker-base-image-drift" => Some(base_image_drift),
        _ => None,
    }
}

/// A workload of a manifest.
#[derive(Clone, Debug)]
pub struct Workload {
    /// `Deployment/web`.
    pub name: String,
    /// `metadata.namespace`, when set.
    pub namespace: Option<String>,
    /// Its pod template's labels.
    pub labels: Vec<(String, String)>,
    /// Its header line.
    pub span: (u32, u32),
}

/// A NetworkPolicy's namespace and the pods it selects.
#[derive(Clone, Debug)]
pub struct Policy {
    /// `metadata.namespace`, when set.
    pub namespace: Option<String>,
    /// `podSelector.matchLabels` (empty with no expressions: every pod).
    pub match_labels: Vec<(String, String)>,
    /// Whether the selector has `matchExpressions` (taken to select the workload: never a false alarm).
    pub expressions: bool,
}

/// What one Kubernetes file tells the cross-file checks.
#[derive(Clone, Debug)]
pub struct K8sFacts {
    /// The file.
    pub path: String,
    /// Its text (for the findings' places).
    pub text: Arc<str>,
    /// Its workloads (patches and `$patch: delete` documents are none).
    pub workloads: Vec<Workload>,
    /// Its NetworkPolicies.
    pub policies: Vec<Policy>,
    /// The `namespace:` of a kustomization in this file.
    pub kustomize_namespace: Option<String>,
}

fn str_map(n: Option<&Node>) -> Vec<(String, String)> {
    n.and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| Some((k.scalar_text()?.into_owned(), v.scalar_text()?.into_owned())))
        .collect()
}

impl K8sFacts {
    /// The facts of one file's documents.
    pub fn of(path: &str, text: &str, docs: &[Node]) -> K8sFacts {
        let mut f = K8sFacts {
            path: path.to_string(),
            text: Arc::from(text),
            workloads: Vec::new(),
            policies: Vec::new(),
            kustomize_namespace: None,
        };
        for o in k8s_objects(docs) {
            let kind = o.get("kind").and_then(Node::as_str).unwrap_or("");
            let namespace = o
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .and_then(|n| n.scalar_text().map(|s| s.into_owned()));
            if kind == "Kustomization" {
                f.kustomize_namespace = o
                    .get("namespace")
                    .and_then(|n| n.scalar_text().map(|s| s.into_owned()));
                continue;
            }
            if kind == "NetworkPolicy" {
                let sel = o.get("spec").and_then(|s| s.get("podSelector"));
                f.policies.push(Policy {
                    namespace,
                    match_labels: str_map(sel.and_then(|s| s.get("matchLabels"))),
                    expressions: sel.and_then(|s| s.get("matchExpressions")).is_some(),
                });
                continue;
            }
            if let Some((spec, meta)) = pod_spec(o) {
                if is_patch(o, spec) {
                    continue;
                }
                f.workloads.push(Workload {
                    name: k8s_name(o),
                    namespace,
                    labels: str_map(meta.and_then(|m| m.get("labels"))),
                    span: first_line(text, o.start, o.end),
                });
            }
        }
        f
    }
}

/// The directory of a path (`a/b/c.yaml` → `a/b`).
fn dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// The namespace `kubectl apply` (or `kustomize build`) would put an object of `file` declaring `namespace`
/// in.
fn effective_namespace(namespace: Option<&String>, file: &K8sFacts, all: &[&K8sFacts]) -> String {
    if let Some(n) = namespace {
        return n.clone();
    }
    let d = dir(&file.path);
    all.iter()
        .filter_map(|k| Some((dir(&k.path), k.kustomize_namespace.as_ref()?)))
        .filter(|(kd, _)| kd.is_empty() || d == *kd || d.starts_with(&format!("{kd}/")))
        .max_by_key(|(kd, _)| kd.len())
        .map_or_else(|| "default".to_string(), |(_, n)| n.clone())
}

/// A finding at `span` of the file at `path` with text `text`.
fn finding(meta: &RuleMeta, path: &str, text: &str, span: (u32, u32), message: String) -> Finding {
    let source = SourceText::new(text.as_bytes());
    FindingBuilder::new(meta, path, &source, span.0 as usize..span.1 as usize)
        .message(message)
        .build()
}

/// A workload that no NetworkPolicy of its namespace selects: every pod may reach it and it may reach all.
fn network_policy_coverage(meta: &RuleMeta, facts: &RunFacts<'_>) -> Vec<Finding> {
    let all = facts.k8s.as_slice();
    let mut out = Vec::new();
    let policies: Vec<(String, &Policy)> = all
        .iter()
        .flat_map(|f| {
            f.policies
                .iter()
                .map(move |p| (effective_namespace(p.namespace.as_ref(), f, all), p))
        })
        .collect();
    for f in all {
        for w in &f.workloads {
            let ns = effective_namespace(w.namespace.as_ref(), f, all);
            let selected = policies.iter().any(|(pns, p)| {
                *pns == ns
                    && (p.expressions
                        || p.match_labels
                            .iter()
                            .all(|kv| w.labels.iter().any(|l| l == kv)))
            });
            if !selected {
                out.push(finding(
                    meta,
                    &f.path,
                    &f.text,
                    w.span,
                    format!("{} in namespace `{ns}` is selected by no NetworkPolicy: all traffic to and from it is allowed", w.name),
                ));
            }
        }
    }
    out
}

/// A workload that lands in the `default` namespace.
fn default_namespace(meta: &RuleMeta, facts: &RunFacts<'_>) -> Vec<Finding> {
    let all = facts.k8s.as_slice();
    let mut out = Vec::new();
    for f in all {
        for w in &f.workloads {
            if effective_namespace(w.namespace.as_ref(), f, all) == "default" {
                let how = if w.namespace.is_some() {
                    "is declared in"
                } else {
                    "has no namespace and no enclosing kustomization sets one, so it lands in"
                };
                out.push(finding(
                    meta,
                    &f.path,
                    &f.text,
                    w.span,
                    format!("{} {how} the `default` namespace", w.name),
                ));
            }
        }
    }
    out
}

/// The same base image at an older version than other Dockerfiles of the scan use for their final stage:
/// services drift apart, and the one left behind keeps the vulnerabilities the others were upgraded away from.
/// Only versions that compare (`3.11` against `3.13`, not `bookworm` against `12`, nor `3` against `3.13`)
/// are judged; the newest of them is named.
fn base_image_drift(meta: &RuleMeta, facts: &RunFacts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for b in &facts.bases {
        let Some(mine) = tag_version(&b.tag) else {
            continue;
        };
        // The newest version of the same image elsewhere, first by path among equals.
        let mut newest: Option<(Vec<u64>, &DockerBase)> = None;
        for o in facts
            .bases
            .iter()
            .filter(|o| o.name == b.name && o.path != b.path)
        {
            let Some(v) = tag_version(&o.tag) else {
                continue;
            };
            if older(&mine, &v) && newest.as_ref().is_none_or(|(n, _)| older(n, &v)) {
                newest = Some((v, o));
            }
        }
        let Some((_, o)) = newest else {
            continue;
        };
        out.push(finding(
            meta,
            &b.path,
            &b.text,
            b.span,
            format!(
                "`{}:{}` here, while {} runs on `{}:{}`",
                b.name, b.tag, o.path, o.name, o.tag
            ),
        ));
    }
    out
}

/// The numeric version a tag starts with (`3.11` of `3.11-slim`, `24` of `v24-alpine`).
fn tag_version(tag: &str) -> Option<Vec<u64>> {
    let head = tag.split(['-', '_']).next()?;
    let head = head.strip_prefix('v').unwrap_or(head);
    head.split('.').map(|p| p.parse::<u64>().ok()).collect()
}

/// Whether version `a` is older than `b` on the parts both name (`3` is not older than `3.13`).
fn older(a: &[u64], b: &[u64]) -> bool {
    a.iter()
        .zip(b)
        .find(|(x, y)| x != y)
        .is_some_and(|(x, y)| x < y)
}
