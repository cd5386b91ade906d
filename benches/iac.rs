//! IaC scanner speed: a generated tree of 5,000 IaC files of every kind (Kubernetes streams, Dockerfiles,
//! Terraform, CloudFormation, Compose, GitHub workflows; about 50 MB), each read once, parsed once and run
//! through every built-in check, on one thread, three times (the fastest counts). Prints MB/s beside the
//! parse-only time and the time per kind. Target: >= 50 MB/s.

use portcullis::document::{dockerfile, hclsyntax, yaml};
use portcullis::scanners::{self, ScannerOptions};
use portcullis::source::{NoFiles, SourceFile};
use std::sync::Arc;
use std::time::Instant;

fn deployment(i: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-{i}\n  namespace: shop\n  labels:\n    app: svc-{i}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: svc-{i}\n  template:\n    metadata:\n      labels:\n        app: svc-{i}\n    spec:\n      serviceAccountName: svc-{i}\n      containers:\n        - name: app\n          image: registry.example.com/svc-{i}:1.{i}.0\n          ports:\n            - containerPort: 8080\n          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {{name: db, key: password}}\n          securityContext:\n            allowPrivilegeEscalation: {}\n            runAsNonRoot: true\n            readOnlyRootFilesystem: true\n            capabilities:\n              drop: [ALL]\n          resources:\n            limits: {{cpu: 500m, memory: 256Mi}}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: shop\nspec:\n  selector:\n    app: svc-{i}\n  ports:\n    - port: 80\n      targetPort: 8080\n---\n",
        i.is_multiple_of(7)
    )
}

fn dockerfile(i: usize) -> String {
    format!(
        "# syntax=docker/dockerfile:1\nFROM golang:1.23-bookworm AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/svc-{i} ./cmd/svc \\\n    && strip /out/svc-{i}\nFROM debian:12-slim\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends ca-certificates curl \\\n  && rm -rf /var/lib/apt/lists/*\n{}COPY --from=build /out/svc-{i} /usr/local/bin/svc\nEXPOSE 8080\nUSER 10001\nENTRYPOINT [\"/usr/local/bin/svc\"]\n",
        if i.is_multiple_of(5) { "RUN curl -fsSL https://example.com/install.sh | sh\n" } else { "" }
    )
}

fn terraform(i: usize) -> String {
    format!(
        "variable \"cidr_{i}\" {{\n  default = \"10.{}.0.0/16\"\n}}\nresource \"aws_security_group\" \"sg_{i}\" {{\n  name = \"sg-{i}\"\n  ingress {{\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [var.cidr_{i}]\n  }}\n  ingress {{\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"{}\"]\n  }}\n}}\nresource \"aws_s3_bucket\" \"b_{i}\" {{\n  bucket = \"bucket-{i}\"\n  tags = {{ Team = \"shop\", Index = \"{i}\" }}\n}}\nresource \"aws_db_instance\" \"db_{i}\" {{\n  engine = \"postgres\"\n  instance_class = \"db.t3.micro\"\n  storage_encrypted = true\n  publicly_accessible = false\n}}\n",
        i % 250,
        if i.is_multiple_of(3) { "0.0.0.0/0" } else { "10.0.0.0/8" }
    )
}

const CFN_HEAD: &str =
    "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env:\n    Type: String\nResources:\n";

fn cloudformation(i: usize) -> String {
    format!(
        "  Bucket{i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'bucket-${{Env}}-{i}'\n      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true\n  Sg{i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: web\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 443\n          ToPort: 443\n          CidrIp: 0.0.0.0/0\n"
    )
}

const COMPOSE_HEAD: &str = "services:\n";
const COMPOSE_TAIL: &str = "volumes:\n  data: {}\n";

fn compose(i: usize) -> String {
    format!(
        "  web-{i}:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n    environment:\n      - LOG_LEVEL=info\n  db-{i}:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${{DB_PASSWORD}}\n    volumes:\n      - data:/var/lib/postgresql/data\n"
    )
}

const WORKFLOW_HEAD: &str = "name: ci\non:\n  pull_request:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n";

fn workflow(i: usize) -> String {
    format!(
        "  test-{i}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n        with:\n          persist-credentials: false\n      - run: make test-{i}\n      - run: echo \"${{{{ github.event.pull_request.title }}}}\"\n"
    )
}

fn main() {
    // Each generated file repeats its kind's unit until it is about 10 KB, so that 5,000 files make ~50 MB:
    // streams (Kubernetes, Dockerfile stages, Terraform) repeat whole documents; a template, a compose file and a
    // workflow keep one header and repeat their resources, services and jobs.
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..5_000 {
        let (path, head, unit, tail): (String, &str, fn(usize) -> String, &str) = match i % 6 {
            0 => (format!("k8s/app-{i}.yaml"), "", deployment, ""),
            1 => (format!("svc-{i}/Dockerfile"), "", dockerfile, ""),
            2 => (format!("tf/main-{i}.tf"), "", terraform, ""),
            3 => (format!("cfn/stack-{i}.yaml"), CFN_HEAD, cloudformation, ""),
            4 => (
                format!("svc-{i}/docker-compose.yml"),
                COMPOSE_HEAD,
                compose,
                COMPOSE_TAIL,
            ),
            _ => (
                format!(".github/workflows/ci-{i}.yml"),
                WORKFLOW_HEAD,
                workflow,
                "",
            ),
        };
        let mut text = String::from(head);
        let mut k = 0;
        while text.len() < 10_000 {
            text.push_str(&unit(i * 100 + k));
            k += 1;
        }
        text.push_str(tail);
        files.push((path, text));
    }
    // `IAC_BENCH_ONLY=Dockerfile` (a part of the path) keeps one kind, to profile it alone.
    if let Ok(only) = std::env::var("IAC_BENCH_ONLY") {
        files.retain(|(p, _)| p.contains(&only));
    }
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("iac bench: {} files, {mb:.1} MB", files.len());

    let t = Instant::now();
    let mut nodes = 0usize;
    let mut by_kind: std::collections::BTreeMap<&str, (f64, usize)> = Default::default();
    let hcl_lang = portcullis::lang::by_name("hcl").unwrap_or_else(|| panic!("hcl grammar"));
    for (path, text) in &files {
        let k = Instant::now();
        let kind = if path.ends_with(".tf") {
            nodes += hclsyntax::parse(text).map_or(0, |f| f.blocks.len());
            "terraform"
        } else if path.ends_with("Dockerfile") {
            let d = dockerfile::parse(text);
            for i in &d.instructions {
                if let Some(sh) = &i.shell {
                    nodes += dockerfile::commands(sh, i.start).len();
                }
            }
            "dockerfile"
        } else {
            nodes += yaml::parse_stream(text).map(|d| d.len()).unwrap_or(0);
            "yaml"
        };
        let e = by_kind.entry(kind).or_default();
        e.0 += k.elapsed().as_secs_f64();
        e.1 += text.len();
    }
    let parse = t.elapsed().as_secs_f64();
    println!(
        "  parse only: {parse:.2} s ({nodes} items), {:.1} MB/s",
        mb / parse
    );
    for (kind, (secs, len)) in &by_kind {
        println!(
            "    {kind}: {:.1} MB in {secs:.2} s, {:.1} MB/s",
            *len as f64 / 1e6,
            *len as f64 / 1e6 / secs
        );
    }

    if std::env::var_os("IAC_BENCH_RAW").is_some() {
        use ast_grep_core::tree_sitter::LanguageExt;
        let mut parser = tree_sitter::Parser::new();
        let _ = parser.set_language(&ast_grep_language::Hcl.get_ts_language());
        let t = Instant::now();
        let mut len = 0usize;
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".tf")) {
            let _ = path;
            len += parser
                .parse(text, None)
                .map_or(0, |t| t.root_node().child_count() as usize);
        }
        println!(
            "    raw tree-sitter hcl: {:.2} s ({len})",
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        for (_, text) in files.iter().filter(|(p, _)| p.ends_with(".tf")) {
            len += portcullis::lang::Tree::parse(hcl_lang, text).len() as usize;
        }
        println!(
            "    our Tree::parse hcl: {:.2} s ({len})",
            t.elapsed().as_secs_f64()
        );
        let shells: Vec<String> = files
            .iter()
            .filter(|(p, _)| p.ends_with("Dockerfile"))
            .flat_map(|(_, t)| {
                dockerfile::parse(t)
                    .instructions
                    .into_iter()
                    .filter_map(|i| i.shell)
            })
            .collect();
        let bash = portcullis::lang::by_name("bash").unwrap_or_else(|| panic!("bash"));
        let t = Instant::now();
        let mut parser = tree_sitter::Parser::new();
        let _ = parser.set_language(&(bash.grammar)());
        for sh in &shells {
            len += parser
                .parse(sh, None)
                .map_or(0, |t| t.root_node().child_count() as usize);
        }
        println!(
            "    raw tree-sitter bash, one parser: {:.2} s ({} scripts)",
            t.elapsed().as_secs_f64(),
            shells.len()
        );
        let t = Instant::now();
        for sh in &shells {
            len += portcullis::lang::Tree::parse(bash, sh).len() as usize;
        }
        println!(
            "    our Tree::parse bash: {:.2} s ({len} nodes in all)",
            t.elapsed().as_secs_f64()
        );
    }
    let built = match scanners::build(&[scanners::iac::KIND], &ScannerOptions::default()) {
        Ok(b) => b,
        Err(e) => panic!("checks do not load: {e}"),
    };
    let Some(iac) = built.first() else {
        panic!("no iac scanner")
    };
    // The scan runs three times and the fastest counts (the VM's speed varies from run to run).
    let mut best: Option<(f64, usize, std::collections::BTreeMap<&str, f64>)> = None;
    for _ in 0..3 {
        let t = Instant::now();
        let mut findings = 0usize;
        let mut facts = Vec::new();
        let mut by_kind: std::collections::BTreeMap<&str, f64> = Default::default();
        for (path, text) in &files {
            let k = Instant::now();
            let file = Arc::new(SourceFile::new(path.as_str(), text.clone().into_bytes()));
            if !iac.wants(path, &file.class()) {
                continue;
            }
            if let Ok(out) = iac.scan_file(&file, &NoFiles) {
                findings += out.findings.len();
                facts.push(out.facts);
            }
            let kind = match path.rsplit('/').next().unwrap_or("") {
                "Dockerfile" => "Dockerfile",
                "docker-compose.yml" => "compose",
                _ if path.starts_with(".github") => "workflows",
                _ => path.split(['/', '-']).next().unwrap_or(""),
            };
            *by_kind.entry(kind).or_default() += k.elapsed().as_secs_f64();
        }
        let k = Instant::now();
        let finish = iac.finish_run(facts);
        findings += finish.findings.len();
        by_kind.insert(
            "(cross-file pass and Terraform modules)",
            k.elapsed().as_secs_f64(),
        );
        let full = t.elapsed().as_secs_f64();
        if best.as_ref().is_none_or(|(b, _, _)| full < *b) {
            best = Some((full, findings, by_kind));
        }
    }
    let Some((full, findings, by_kind)) = best else {
        return;
    };
    for (kind, secs) in &by_kind {
        println!("    {kind}: {secs:.2} s");
    }
    println!(
        "  scan (read, parse, every check, cross-file checks): {full:.2} s, {:.1} MB/s, {findings} findings (target >= 50 MB/s)",
        mb / full
    );
}
