//! What checks are evaluated on, per platform: Kubernetes objects, pod specs and containers; Dockerfile
//! instructions, stages and the file; Terraform resources, data sources, providers and modules;
//! CloudFormation resources; Compose services; GitHub Actions workflows, jobs, steps and actions.

use super::eval::{Span, Subject};
use crate::document::dockerfile::{self, Dockerfile};
use crate::document::hcl::Block;
use crate::document::{Node, Value};

static EMPTY: Node = Node {
    value: Value::Map(Vec::new()),
    start: 0,
    end: 0,
    tag: None,
};

/// The first line of a node: where a finding about the whole of it points.
pub fn first_line(text: &str, start: u32, end: u32) -> Span {
    let s = (start as usize).min(text.len());
    let e = (end as usize).clamp(s, text.len());
    let stop = text[s..e].find('\n').map_or(e, |i| s + i);
    (start, stop as u32)
}

/// Kubernetes workloads and where their pod spec is.
pub const POD_SPEC_PATHS: &[(&str, &[&str])] = &[
    ("Pod", &["spec"]),
    ("PodTemplate", &["template", "spec"]),
    ("Deployment", &["spec", "template", "spec"]),
    ("StatefulSet", &["spec", "template", "spec"]),
    ("DaemonSet", &["spec", "template", "spec"]),
    ("ReplicaSet", &["spec", "template", "spec"]),
    ("ReplicationController", &["spec", "template", "spec"]),
    ("Job", &["spec", "template", "spec"]),
    (
        "CronJob",
        &["spec", "jobTemplate", "spec", "template", "spec"],
    ),
];

fn at<'a>(n: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(n, |n, k| n.get(k))
}

/// The Kubernetes objects of a YAML stream (`List` items included).
pub fn k8s_objects(docs: &[Node]) -> Vec<&Node> {
    let mut out = Vec::new();
    for d in docs {
        if d.get("kind").and_then(Node::as_str) == Some("List") {
            out.extend(d.get("items").and_then(Node::as_seq).unwrap_or_default());
        } else if d.get("apiVersion").is_some() && d.get("kind").is_some() {
            out.push(d);
        }
    }
    out
}

/// A Kubernetes object's display name: `Deployment/web`.
pub fn k8s_name(o: &Node) -> String {
    let kind = o.get("kind").and_then(Node::as_str).unwrap_or("?");
    let name = at(o, &["metadata", "name"])
        .and_then(|n| n.scalar_text().map(|s| s.into_owned()))
        .unwrap_or_else(|| "(unnamed)".into());
    format!("{kind}/{name}")
}

/// The pod spec of a workload, and the metadata of its pod template.
pub fn pod_spec(o: &Node) -> Option<(&Node, Option<&Node>)> {
    let kind = o.get("kind").and_then(Node::as_str)?;
    let (_, path) = POD_SPEC_PATHS.iter().find(|(k, _)| *k == kind)?;
    let spec = at(o, path)?;
    let meta = if path.len() == 1 {
        o.get("metadata")
    } else {
        at(o, &path[..path.len() - 1]).and_then(|t| t.get("metadata"))
    };
    Some((spec, meta))
}

/// Whether a workload document is a kustomize patch (`$patch: delete`, or containers named without an image
/// to run), which is no workload: what it leaves out comes from the manifest it patches.
pub fn is_patch(o: &Node, spec: &Node) -> bool {
    o.get("$patch").is_some()
        || !spec
            .get("containers")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .any(|c| c.get("image").is_some())
}

/// Subjects of a Kubernetes stream.
pub fn kubernetes<'a>(text: &str, docs: &'a [Node]) -> Vec<Subject<'a>> {
    let mut out = Vec::new();
    for o in k8s_objects(docs) {
        let kind = o.get("kind").and_then(Node::as_str).unwrap_or("");
        let name = k8s_name(o);
        let header = first_line(text, o.start, o.end);
        out.push(Subject {
            on: "object",
            kind: kind.into(),
            name: name.clone().into(),
            within: None,
            node: o,
            header,
            context: vec![("object", o)],
        });
        let Some((spec, meta)) = pod_spec(o) else {
            continue;
        };
        if is_patch(o, spec) {
            continue;
        }
        let mut context = vec![("object", o), ("pod", spec)];
        if let Some(m) = meta {
            context.push(("podmeta", m));
        }
        out.push(Subject {
            on: "pod",
            kind: kind.into(),
            name: name.clone().into(),
            within: None,
            node: spec,
            header,
            context: context.clone(),
        });
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            for c in spec.get(list).and_then(Node::as_seq).unwrap_or_default() {
                let cname = c
                    .get("name")
                    .and_then(|n| n.scalar_text().map(|s| s.into_owned()))
                    .unwrap_or_else(|| "(unnamed)".into());
                out.push(Subject {
                    on: "container",
                    kind: kind.into(),
                    name: format!("container `{cname}` of {name}").into(),
                    within: None,
                    node: c,
                    header: first_line(text, c.start, c.end),
                    context: context.clone(),
                });
            }
        }
    }
    out
}

/// A Dockerfile's instructions, stages and the file, as nodes that checks read.
pub struct DockerNodes {
    /// `{instructions: [...], stages: [...]}`.
    pub file: Node,
}

fn s(v: &str, span: Span) -> Node {
    Node::new(Value::Str(v.into()), span.0, span.1)
}

fn entry(k: &str, v: Node) -> (Node, Node) {
    (s(k, (v.start, v.start)), v)
}

/// Builds the nodes of a Dockerfile (see `rules/iac/README.md` for the keys); the file's own list of
/// instructions, a copy of its stages', is empty unless `file_instructions`.
pub fn docker_nodes(text: &str, d: &Dockerfile, file_instructions: bool) -> DockerNodes {
    let mut instructions = Vec::new();
    let mut stage_items: Vec<Vec<Node>> = vec![Vec::new(); d.stages.max(1)];
    let mut aliases: Vec<String> = Vec::new();
    for ins in &d.instructions {
        let span = (ins.args_start.min(ins.end), ins.end);
        let head = first_line(text, ins.start, ins.end);
        let mut m = vec![
            entry("keyword", s(&ins.keyword, head)),
            entry("args", s(&ins.args, span)),
        ];
        let flags: Vec<(Node, Node)> = ins
            .flags
            .iter()
            .map(|(k, v)| entry(k, s(v, head)))
            .collect();
        m.push(entry("flags", Node::new(Value::Map(flags), head.0, head.1)));
        if let Some(words) = &ins.exec {
            let w = words.iter().map(|x| s(x, span)).collect();
            m.push(entry("exec", Node::new(Value::Seq(w), span.0, span.1)));
        }
        if let Some(shell) = &ins.shell {
            let cmds = dockerfile::commands(shell, ins.start)
                .iter()
                .map(dockerfile::Command::to_node)
                .collect();
            m.push(entry(
                "commands",
                Node::new(Value::Seq(cmds), span.0, span.1),
            ));
        }
        match ins.keyword.as_str() {
            "FROM" => {
                let args = dockerfile::substitute(&ins.args, &d.global_args);
                let words = dockerfile::shell_words(&args);
                let image = words.first().cloned().unwrap_or_default();
                let alias = match words.as_slice() {
                    [_, a, name, ..] if a.eq_ignore_ascii_case("as") => Some(name.clone()),
                    _ => None,
                };
                let (rest, digest) = match image.split_once('@') {
                    Some((r, dg)) => (r.to_string(), Some(dg.to_string())),
                    None => (image.clone(), None),
                };
                // A tag follows the last `:` after the last `/` (a registry port is no tag).
                let slash = rest.rfind('/').map_or(0, |i| i + 1);
                let (name, tag) = match rest[slash..].rfind(':') {
                    Some(i) => (
                        rest[..slash + i].to_string(),
                        Some(rest[slash + i + 1..].to_string()),
                    ),
                    None => (rest.clone(), None),
                };
                m.push(entry("image", s(&image, span)));
                m.push(entry("name", s(&name, span)));
                if let Some(t) = tag {
                    m.push(entry("tag", s(&t, span)));
                }
                if let Some(dg) = digest {
                    m.push(entry("digest", s(&dg, span)));
                }
                // `FROM build` (an earlier stage) and `FROM scratch` are no base image.
                let stage_ref =
                    aliases.iter().any(|a| a.eq_ignore_ascii_case(&name)) || name == "scratch";
                m.push(entry(
                    "stage-ref",
                    Node::new(Value::Bool(stage_ref), span.0, span.1),
                ));
                if let Some(a) = alias {
                    aliases.push(a.clone());
                    m.push(entry("alias", s(&a, span)));
                }
            }
            "USER" => {
                let user = dockerfile::substitute(&ins.args, &d.global_args);
                let user = user.split_whitespace().next().unwrap_or("").to_string();
                let (u, g) = user.split_once(':').unwrap_or((&user, ""));
                m.push(entry("user", s(u, span)));
                if !g.is_empty() {
                    m.push(entry("group", s(g, span)));
                }
            }
            "EXPOSE" => {
                let ports = ins
                    .args
                    .split_whitespace()
                    .map(|p| s(p.split('/').next().unwrap_or(p), span))
                    .collect();
                m.push(entry("ports", Node::new(Value::Seq(ports), span.0, span.1)));
            }
            "ENV" | "ARG" | "LABEL" => {
                let vars = dockerfile::pairs(&ins.args)
                    .into_iter()
                    .map(|(k, v)| entry(&k, s(&v, span)))
                    .collect();
                m.push(entry("vars", Node::new(Value::Map(vars), span.0, span.1)));
            }
            _ => {}
        }
        let node = Node::new(Value::Map(m), ins.start, ins.end);
        if file_instructions {
            instructions.push(node.clone());
        }
        if let Some(items) = stage_items.get_mut(ins.stage) {
            items.push(node);
        }
    }
    let n = stage_items.len();
    let stages: Vec<Node> = stage_items
        .into_iter()
        .enumerate()
        .map(|(i, items)| {
            let start = items.first().map_or(0, |n| n.start);
            let end = items.last().map_or(0, |n| n.end);
            let from = items
                .iter()
                .find(|n| n.get("keyword").and_then(Node::as_str) == Some("FROM"))
                .cloned();
            let user = items
                .iter()
                .rev()
                .find(|n| n.get("keyword").and_then(Node::as_str) == Some("USER"))
                .and_then(|n| n.get("user").cloned());
            let mut m = vec![
                entry("index", Node::new(Value::Int(i as i64), start, start)),
                entry("final", Node::new(Value::Bool(i + 1 == n), start, start)),
            ];
            if let Some(f) = from {
                m.push(entry("from", f));
            }
            if let Some(u) = user {
                m.push(entry("user", u));
            }
            m.push(entry(
                "instructions",
                Node::new(Value::Seq(items), start, end),
            ));
            Node::new(Value::Map(m), start, end)
        })
        .collect();
    let end = text.len() as u32;
    let file = Node::new(
        Value::Map(vec![
            entry("instructions", Node::new(Value::Seq(instructions), 0, end)),
            entry("stages", Node::new(Value::Seq(stages), 0, end)),
        ]),
        0,
        end,
    );
    DockerNodes { file }
}

/// Subjects of a Dockerfile.
pub fn docker<'a>(text: &str, nodes: &'a DockerNodes) -> Vec<Subject<'a>> {
    let mut out = Vec::new();
    let file = &nodes.file;
    let stages = file
        .get("stages")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    // The first instruction: every instruction is in a stage, in order (the file's own list may not be built).
    let first = stages
        .iter()
        .find_map(|st| st.get("instructions").and_then(Node::as_seq)?.first())
        .map_or((0, 0), |i| first_line(text, i.start, i.end));
    out.push(Subject {
        on: "file",
        kind: "Dockerfile".into(),
        name: "the Dockerfile".into(),
        within: None,
        node: file,
        header: first,
        context: vec![("file", file)],
    });
    for (i, st) in stages.iter().enumerate() {
        let header = st
            .get("from")
            .map_or(first, |f| first_line(text, f.start, f.end));
        let stage_name = st
            .get("from")
            .and_then(|f| f.get("alias"))
            .and_then(Node::as_str)
            .map_or_else(|| format!("stage {}", i + 1), |a| format!("stage `{a}`"));
        let within: std::rc::Rc<str> = stage_name.as_str().into();
        let last = i + 1 == stages.len();
        for on in if last {
            &["stage", "final-stage"][..]
        } else {
            &["stage"][..]
        } {
            out.push(Subject {
                on,
                kind: "Dockerfile".into(),
                name: stage_name.clone().into(),
                within: None,
                node: st,
                header,
                context: vec![("file", file), ("stage", st)],
            });
        }
        for n in st
            .get("instructions")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let kw = n.get("keyword").and_then(Node::as_str).unwrap_or("");
            out.push(Subject {
                on: "instruction",
                kind: kw.into(),
                name: kw.into(),
                within: Some(std::rc::Rc::clone(&within)),
                node: n,
                header: first_line(text, n.start, n.end),
                context: vec![("file", file), ("stage", st)],
            });
        }
    }
    out
}

/// Subjects of a Terraform file, named by their address under `prefix` (`module.net.` inside a module call).
pub fn terraform<'a>(
    blocks: impl IntoIterator<Item = &'a Block>,
    prefix: &str,
) -> Vec<Subject<'a>> {
    let mut out = Vec::new();
    for b in blocks {
        let on = match b.kind.as_str() {
            "resource" => "resource",
            "data" => "data",
            "provider" => "provider",
            "module" => "module",
            _ => continue,
        };
        let kind = b.labels.first().map_or("", String::as_str);
        let name = match on {
            "resource" => format!("{prefix}{}", b.labels.join(".")),
            "data" => format!("{prefix}data.{}", b.labels.join(".")),
            "provider" => format!("provider \"{kind}\"{}", in_module(prefix)),
            _ => format!("{prefix}module.{kind}"),
        };
        out.push(Subject {
            on,
            kind: kind.into(),
            name: name.into(),
            within: None,
            node: &b.body,
            header: (b.start, b.header_end.max(b.start)),
            context: vec![],
        });
    }
    out
}

/// ` in module.net` for a prefix `module.net.`.
fn in_module(prefix: &str) -> String {
    match prefix.strip_suffix('.') {
        Some(p) => format!(" in {p}"),
        None => String::new(),
    }
}

/// Whether a JSON document is Terraform's plan or state (`terraform show -json`).
pub fn is_terraform_plan(doc: &Node) -> bool {
    doc.get("format_version").is_some()
        && (doc.get("planned_values").is_some()
            || doc
                .get("values")
                .and_then(|v| v.get("root_module"))
                .is_some())
}

/// Subjects of `terraform show -json` output: every resource of the planned values (or of the state), child
/// modules included, with its `values` as the body (nested blocks are lists there too) and its address as name.
pub fn terraform_plan<'a>(text: &str, doc: &'a Node) -> Vec<Subject<'a>> {
    let mut out = Vec::new();
    let root = doc
        .get("planned_values")
        .or_else(|| doc.get("values"))
        .and_then(|v| v.get("root_module"));
    let mut stack: Vec<&Node> = root.into_iter().collect();
    while let Some(m) = stack.pop() {
        for r in m
            .get("resources")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let on = match r.get("mode").and_then(Node::as_str) {
                Some("data") => "data",
                _ => "resource",
            };
            let Some(values) = r.get("values") else {
                continue;
            };
            let str_of = |k: &str| r.get(k).and_then(Node::as_str).unwrap_or("").to_string();
            out.push(Subject {
                on,
                kind: str_of("type").into(),
                name: str_of("address").into(),
                within: None,
                node: values,
                header: first_line(text, r.start, r.end),
                context: vec![],
            });
        }
        stack.extend(
            m.get("child_modules")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .rev(),
        );
    }
    out
}

/// Subjects of a CloudFormation template.
pub fn cloudformation<'a>(text: &str, doc: &'a Node) -> Vec<Subject<'a>> {
    let mut out = vec![Subject {
        on: "template",
        kind: "Template".into(),
        name: "the template".into(),
        within: None,
        node: doc,
        header: first_line(text, doc.start, doc.end),
        context: vec![("template", doc)],
    }];
    for (k, r) in doc
        .get("Resources")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let Some(ty) = r.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let id = k.scalar_text().map(|s| s.into_owned()).unwrap_or_default();
        out.push(Subject {
            on: "resource",
            kind: ty.into(),
            name: format!("{id} ({ty})").into(),
            within: None,
            node: r.get("Properties").unwrap_or(&EMPTY),
            header: first_line(text, k.start, k.end),
            context: vec![("resource", r), ("template", doc)],
        });
    }
    out
}

/// Subjects of a Compose file.
pub fn compose<'a>(text: &str, doc: &'a Node) -> Vec<Subject<'a>> {
    let mut out = vec![Subject {
        on: "file",
        kind: "Compose".into(),
        name: "the compose file".into(),
        within: None,
        node: doc,
        header: first_line(text, doc.start, doc.end),
        context: vec![("file", doc)],
    }];
    for (k, svc) in doc
        .get("services")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let name = k.scalar_text().map(|s| s.into_owned()).unwrap_or_default();
        out.push(Subject {
            on: "service",
            kind: "service".into(),
            name: format!("service `{name}`").into(),
            within: None,
            node: svc,
            header: first_line(text, k.start, k.end),
            context: vec![("file", doc)],
        });
    }
    out
}

/// Subjects of a GitHub Actions workflow (`action` false) or action metadata file.
pub fn github<'a>(text: &str, doc: &'a Node, action: bool) -> Vec<Subject<'a>> {
    let mut out = Vec::new();
    let head = first_line(text, doc.start, doc.end);
    let step_name = |st: &Node, i: usize| {
        st.get("name")
            .or_else(|| st.get("uses"))
            .or_else(|| st.get("id"))
            .and_then(|n| n.scalar_text().map(|s| s.into_owned()))
            .unwrap_or_else(|| format!("step {}", i + 1))
    };
    if action {
        out.push(Subject {
            on: "action",
            kind: "action".into(),
            name: "the action".into(),
            within: None,
            node: doc,
            header: head,
            context: vec![("action", doc)],
        });
        let steps = doc
            .get("runs")
            .and_then(|r| r.get("steps"))
            .and_then(Node::as_seq)
            .unwrap_or_default();
        for (i, st) in steps.iter().enumerate() {
            out.push(Subject {
                on: "step",
                kind: "step".into(),
                name: format!("step `{}` of the action", step_name(st, i)).into(),
                within: None,
                node: st,
                header: first_line(text, st.start, st.end),
                context: vec![("action", doc), ("job", &EMPTY), ("workflow", &EMPTY)],
            });
        }
        return out;
    }
    out.push(Subject {
        on: "workflow",
        kind: "workflow".into(),
        name: "the workflow".into(),
        within: None,
        node: doc,
        header: head,
        context: vec![("workflow", doc)],
    });
    for (k, job) in doc.get("jobs").and_then(Node::as_map).unwrap_or_default() {
        let id = k.scalar_text().map(|s| s.into_owned()).unwrap_or_default();
        out.push(Subject {
            on: "job",
            kind: "job".into(),
            name: format!("job `{id}`").into(),
            within: None,
            node: job,
            header: first_line(text, k.start, k.end),
            context: vec![("workflow", doc), ("job", job)],
        });
        for (i, st) in job
            .get("steps")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            out.push(Subject {
                on: "step",
                kind: "step".into(),
                name: format!("step `{}` of job `{id}`", step_name(st, i)).into(),
                within: None,
                node: st,
                header: first_line(text, st.start, st.end),
                context: vec![("workflow", doc), ("job", job)],
            });
        }
    }
    out
}
