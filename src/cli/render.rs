//! `portcullis render helm|kustomize PATH --output DIR`: Helm charts and kustomizations are not manifests
//! until they are rendered, so the IaC scanner notes them and skips them. This runs the tool the user has
//! (`helm template`, `kustomize build`, or `kubectl kustomize`) on every chart or kustomization under PATH,
//! with fixed argument lists (no shell), a size bound on what it prints and a deadline, and writes the
//! manifests under DIR for the scan to read: Helm's output split by its `# Source:` comments into files at
//! their templates' paths (`DIR/charts/shop/templates/deployment.yaml`), kustomize's as one file per directory.

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Renderer {
    /// Every chart (a directory with `Chart.yaml`), with `helm template`.
    Helm,
    /// Every kustomization (`kustomization.yaml`), with `kustomize build` or `kubectl kustomize`.
    Kustomize,
}

/// Most bytes one rendering may print.
const MAX_OUTPUT: u64 = 64 << 20;
/// How long one rendering may take.
const DEADLINE: Duration = Duration::from_secs(300);

/// The directories under `root` that hold a chart or a kustomization, relative, sorted; `.git` and the output
/// directory are left out, as are charts vendored inside another chart's `charts/` (the parent renders them).
fn targets(root: &Path, what: Renderer, output: &Path) -> Vec<PathBuf> {
    let marker: &[&str] = match what {
        Renderer::Helm => &["Chart.yaml"],
        Renderer::Kustomize => &["kustomization.yaml", "kustomization.yml", "Kustomization"],
    };
    let output = std::fs::canonicalize(output).ok();
    let mut out = Vec::new();
    let walk = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(move |e| {
            e.file_name() != ".git"
                && output
                    .as_ref()
                    .is_none_or(|o| std::fs::canonicalize(e.path()).ok().as_ref() != Some(o))
        })
        .build();
    for e in walk.flatten() {
        let p = e.path();
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !marker.contains(&name) || !e.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Some(dir) = p.parent() else { continue };
        let rel = dir.strip_prefix(root).unwrap_or(dir).to_path_buf();
        // `parent/charts/sub/Chart.yaml`: a subchart, rendered with its parent.
        let in_charts_of_a_chart = |a: &Path| {
            a.file_name().is_some_and(|n| n == "charts")
                && root
                    .join(a)
                    .parent()
                    .is_some_and(|p| p.join("Chart.yaml").is_file())
        };
        let vendored = what == Renderer::Helm && rel.ancestors().skip(1).any(in_charts_of_a_chart);
        if !vendored {
            out.push(rel);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `program` can be run (it answers `version`).
fn available(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `program args` in `cwd`: its stdout, bounded in size and time; a failure names the program and
/// quotes the first line of its stderr.
fn run(program: &str, args: &[&str], cwd: &Path) -> Result<Vec<u8>> {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {program}"))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout {
            let _ = s.take(MAX_OUTPUT + 1).read_to_end(&mut buf);
        }
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr {
            let _ = s.take(64 << 10).read_to_end(&mut buf);
        }
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "{program} {} took longer than {} s",
                args.join(" "),
                DEADLINE.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    if out.len() as u64 > MAX_OUTPUT {
        bail!(
            "{program} {} printed more than {} MiB",
            args.join(" "),
            MAX_OUTPUT >> 20
        );
    }
    if !status.success() {
        let first = String::from_utf8_lossy(&err);
        let first = first.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        bail!(
            "{program} {} failed ({status}): {}",
            args.join(" "),
            super::report::escape_controls(first)
        );
    }
    Ok(out)
}

/// A path from rendered output (untrusted) as a relative path of plain components, or `None`.
fn plain(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// Helm's output split by its `# Source: <chart>/templates/<file>` comments: (path below the chart, text).
/// Documents of one template are kept together; text without a usable source goes to `rendered.yaml`.
fn split_helm(text: &str) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut current = PathBuf::from("rendered.yaml");
    for line in text.split_inclusive('\n') {
        if let Some(src) = line.trim_end().strip_prefix("# Source: ") {
            // `shop/templates/x.yaml`: the chart's own name first, then the path inside it.
            current = plain(src)
                .map(|p| p.components().skip(1).collect::<PathBuf>())
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or_else(|| PathBuf::from("rendered.yaml"));
        }
        match files.iter_mut().find(|(p, _)| *p == current) {
            Some((_, t)) => t.push_str(line),
            None => files.push((current.clone(), line.to_string())),
        }
    }
    files
}

/// `portcullis render`: renders every target under `root` into `output`; exit code 0.
pub fn render(what: Renderer, root: &Path, output: &Path) -> Result<u8> {
    // The program and the arguments before the directory it renders.
    let (program, before): (&str, &[&str]) = match what {
        Renderer::Helm => {
            if !available("helm", &["version"]) {
                bail!("helm is not installed (or does not run): cannot render Helm charts");
            }
            ("helm", &["template", "portcullis"])
        }
        Renderer::Kustomize if available("kustomize", &["version"]) => ("kustomize", &["build"]),
        Renderer::Kustomize if available("kubectl", &["version", "--client"]) => {
            ("kubectl", &["kustomize"])
        }
        Renderer::Kustomize => {
            bail!("neither kustomize nor kubectl is installed: cannot render kustomizations")
        }
    };
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let mut written = 0usize;
    let list = targets(root, what, output);
    for rel in &list {
        let dir = if rel.as_os_str().is_empty() {
            ".".to_string()
        } else {
            rel.to_string_lossy().into_owned()
        };
        let args = [before, &[dir.as_str()]].concat();
        let bytes = run(program, &args, root)?;
        let text = String::from_utf8_lossy(&bytes);
        let files = match what {
            Renderer::Helm => split_helm(&text),
            Renderer::Kustomize => vec![(PathBuf::from("kustomize-build.yaml"), text.into_owned())],
        };
        for (path, text) in files {
            let dest = output.join(rel).join(path);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            super::write_output(&dest, text.as_bytes())?;
            written += 1;
        }
        println!("rendered {dir} with {program}");
    }
    println!(
        "{} {} rendered into {} ({written} file{})",
        list.len(),
        match (what, list.len()) {
            (Renderer::Helm, 1) => "chart",
            (Renderer::Helm, _) => "charts",
            (Renderer::Kustomize, 1) => "kustomization",
            (Renderer::Kustomize, _) => "kustomizations",
        },
        output.display(),
        if written == 1 { "" } else { "s" }
    );
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_output_splits_by_source_and_no_path_escapes() {
        let text = "---\n# Source: shop/templates/svc.yaml\nkind: Service\n---\n# Source: shop/templates/dep.yaml\nkind: Deployment\n---\n# Source: shop/templates/svc.yaml\nkind: Service\n---\n# Source: shop/../../etc/passwd\nx: 1\n# Source: /abs/path.yaml\ny: 2\n";
        let files = split_helm(text);
        let names: Vec<String> = files
            .iter()
            .map(|(p, _)| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["rendered.yaml", "templates/svc.yaml", "templates/dep.yaml"]
        );
        assert_eq!(
            files[1].1,
            "# Source: shop/templates/svc.yaml\nkind: Service\n---\n# Source: shop/templates/svc.yaml\nkind: Service\n---\n"
        );
        assert!(files[0].1.contains("x: 1") && files[0].1.contains("y: 2"));
        assert_eq!(plain("a/./b"), Some(PathBuf::from("a/b")));
        assert_eq!(plain("../a"), None);
    }
}
