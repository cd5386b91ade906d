//! Lock-file parsing at scale: every format at 50,000 packages, parsed as a scan does (`parse_file`: UTF-8
//! check, parse, structure check). Each generated file is checked first to yield all its packages, so a
//! generator that drifts from its format fails the benchmark instead of timing an error path.
//!
//! Target (issue 9, case 6): linear in the input; every format under one second at 50k packages.
//! `cargo bench --bench lockfiles` (add `-- <format id>` for one format).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use portcullis::lockfile::inventory::parse_file;
use portcullis::lockfile::parsers::Format;
use std::fmt::Write;

const N: usize = 50_000;

/// `n` packages of `format`, and how many packages the parser must report.
fn generate(format: Format, n: usize) -> (String, usize) {
    let mut s = String::new();
    let mut each = |f: &mut dyn FnMut(&mut String, usize)| {
        for i in 0..n {
            f(&mut s, i);
        }
    };
    let mut expected = n;
    let (head, tail): (&str, &str);
    match format {
        Format::CargoLock => {
            head = "version = 3\n";
            tail = "";
            each(&mut |s, i| {
                let _ = write!(s, "\n[[package]]\nname = \"p{i}\"\nversion = \"1.0.{i}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n");
            });
        }
        Format::NpmLock => {
            head = "{\"name\": \"app\", \"lockfileVersion\": 3, \"packages\": {\"\": {\"name\": \"app\"}";
            tail = "}}\n";
            each(&mut |s, i| {
                let _ = write!(s, ",\n\"node_modules/p{i}\": {{\"version\": \"1.0.{i}\", \"resolved\": \"https://registry.npmjs.org/p{i}/-/p{i}-1.0.{i}.tgz\"}}");
            });
        }
        Format::YarnLock => {
            head = "# yarn lockfile v1\n";
            tail = "";
            each(&mut |s, i| {
                let _ = write!(s, "\np{i}@^1.0.0:\n  version \"1.0.{i}\"\n  resolved \"https://registry.yarnpkg.com/p{i}/-/p{i}-1.0.{i}.tgz\"\n");
            });
        }
        Format::PnpmLock => {
            head = "lockfileVersion: '9.0'\n\npackages:\n";
            tail = "";
            each(&mut |s, i| {
                let _ = write!(
                    s,
                    "\n  p{i}@1.0.{i}:\n    resolution: {{integrity: sha512-x}}\n"
                );
            });
        }
        Format::BunLock => {
            head = "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\"\": {\"name\": \"app\"}},\n  \"packages\": {\n";
            tail = "  }\n}\n";
            each(&mut |s, i| {
                let _ = writeln!(
                    s,
                    "    \"p{i}\": [\"p{i}@1.0.{i}\", \"\", {{}}, \"sha512-x\"],"
                );
            });
        }
        Format::Requirements => {
            head = "";
            tail = "";
            each(&mut |s, i| {
                let _ = writeln!(s, "p{i}==1.0.{i}");
            });
        }
        Format::PipfileLock => {
            head = "{\"_meta\": {\"hash\": {\"sha256\": \"x\"}}, \"default\": {\n";
            tail = "\n}, \"develop\": {}}\n";
            each(&mut |s, i| {
                let _ = write!(
                    s,
                    "{}\"p{i}\": {{\"version\": \"==1.0.{i}\"}}",
                    if i == 0 { "" } else { ",\n" }
                );
            });
        }
        Format::PoetryLock | Format::UvLock | Format::PdmLock => {
            head = match format {
                Format::UvLock => "version = 1\n",
                Format::PdmLock => "[metadata]\nlock_version = \"4.5.0\"\n",
                _ => "",
            };
            tail = "";
            each(&mut |s, i| {
                let _ = write!(s, "\n[[package]]\nname = \"p{i}\"\nversion = \"1.0.{i}\"\n");
                if format == Format::UvLock {
                    s.push_str("source = { registry = \"https://pypi.org/simple\" }\n");
                }
            });
        }
        Format::PyLock => {
            head = "lock-version = \"1.0\"\ncreated-by = \"bench\"\n";
            tail = "";
            each(&mut |s, i| {
                let _ = write!(s, "\n[[packages]]\nname = \"p{i}\"\nversion = \"1.0.{i}\"\nindex = \"https://pypi.org/simple\"\n");
            });
        }
        Format::GoMod => {
            head = "module example.com/app\n\ngo 1.22\n\nrequire (\n";
            tail = ")\n";
            // The Go standard library counts as one more package.
            expected = n + 1;
            each(&mut |s, i| {
                let _ = writeln!(s, "\texample.com/p{i} v1.0.{i}");
            });
        }
        Format::GemfileLock => {
            head = "GEM\n  remote: https://rubygems.org/\n  specs:\n";
            tail = "\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  p0\n";
            each(&mut |s, i| {
                let _ = writeln!(s, "    p{i} (1.0.{i})");
            });
        }
        Format::ComposerLock => {
            head = "{\"packages\": [\n";
            tail = "\n], \"packages-dev\": []}\n";
            each(&mut |s, i| {
                let _ = write!(
                    s,
                    "{}{{\"name\": \"v/p{i}\", \"version\": \"1.0.{i}\"}}",
                    if i == 0 { "" } else { ",\n" }
                );
            });
        }
        Format::GradleLockfile => {
            head = "# Gradle lockfile\n";
            tail = "empty=\n";
            each(&mut |s, i| {
                let _ = writeln!(
                    s,
                    "org.bench:p{i}:1.0.{i}=compileClasspath,runtimeClasspath"
                );
            });
        }
        Format::PomXml => {
            head = "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version><dependencies>\n";
            tail = "</dependencies></project>\n";
            each(&mut |s, i| {
                let _ = writeln!(s, "<dependency><groupId>org.bench</groupId><artifactId>p{i}</artifactId><version>1.0.{i}</version></dependency>");
            });
        }
        Format::NugetLock => {
            head = "{\"version\": 1, \"dependencies\": {\"net8.0\": {\n";
            tail = "}}}\n";
            each(&mut |s, i| {
                let _ = writeln!(
                    s,
                    "{}\"Pkg{i}\": {{\"type\": \"Transitive\", \"resolved\": \"1.0.{i}\"}}",
                    if i == 0 { "" } else { "," }
                );
            });
        }
        Format::PackagesConfig => {
            head = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<packages>\n";
            tail = "</packages>\n";
            each(&mut |s, i| {
                let _ = writeln!(
                    s,
                    "  <package id=\"Pkg{i}\" version=\"1.0.{i}\" targetFramework=\"net48\" />"
                );
            });
        }
        Format::DepsJson => {
            head = "{\"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v8.0\"}, \"targets\": {\".NETCoreApp,Version=v8.0\": {}}, \"libraries\": {\n";
            tail = "\n}}\n";
            each(&mut |s, i| {
                let _ = write!(
                    s,
                    "{}\"Pkg{i}/1.0.{i}\": {{\"type\": \"package\", \"serviceable\": true}}",
                    if i == 0 { "" } else { ",\n" }
                );
            });
        }
        Format::DirectoryPackagesProps => {
            head = "<Project>\n<ItemGroup>\n";
            tail = "</ItemGroup>\n</Project>\n";
            each(&mut |s, i| {
                let _ = writeln!(
                    s,
                    "  <PackageVersion Include=\"Pkg{i}\" Version=\"1.0.{i}\" />"
                );
            });
        }
        Format::PubspecLock => {
            head = "packages:\n";
            tail = "sdks:\n  dart: \">=3.0.0 <4.0.0\"\n";
            each(&mut |s, i| {
                let _ = write!(s, "  p{i}:\n    dependency: transitive\n    description:\n      name: p{i}\n      url: \"https://pub.dev\"\n    source: hosted\n    version: \"1.0.{i}\"\n");
            });
        }
        Format::MixLock => {
            head = "%{\n";
            tail = "}\n";
            each(&mut |s, i| {
                let _ = writeln!(s, "  \"p{i}\": {{:hex, :p{i}, \"1.0.{i}\", \"00\", [:mix], [], \"hexpm\", \"00\"}},");
            });
        }
        Format::PackageResolved => {
            head = "{\n  \"pins\": [\n";
            tail = "\n  ],\n  \"version\": 2\n}\n";
            each(&mut |s, i| {
                let _ = write!(s, "{}    {{\"identity\": \"p{i}\", \"kind\": \"remoteSourceControl\", \"location\": \"https://github.com/bench/p{i}.git\", \"state\": {{\"revision\": \"0a1b2c3d\", \"version\": \"1.0.{i}\"}}}}", if i == 0 { "" } else { ",\n" });
            });
        }
        Format::PodfileLock => {
            head = "PODS:\n";
            tail = "\nCOCOAPODS: 1.15.2\n";
            each(&mut |s, i| {
                let _ = writeln!(s, "  - P{i} (1.0.{i})");
            });
        }
        Format::GradleVerificationMetadata => {
            head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<verification-metadata>\n<components>\n";
            tail = "</components>\n</verification-metadata>\n";
            each(&mut |s, i| {
                let _ = writeln!(s, "<component group=\"org.bench\" name=\"p{i}\" version=\"1.0.{i}\"><artifact name=\"p{i}-1.0.{i}.jar\"><sha256 value=\"00\"/></artifact></component>");
            });
        }
        Format::SbtLock => {
            head = "{\n  \"lockVersion\": 1,\n  \"dependencies\": [\n";
            tail = "\n  ]\n}\n";
            each(&mut |s, i| {
                let _ = write!(s, "{}    {{\"org\": \"org.bench\", \"name\": \"p{i}\", \"version\": \"1.0.{i}\", \"artifacts\": [], \"configurations\": [\"compile\"]}}", if i == 0 { "" } else { ",\n" });
            });
        }
        Format::RenvLock => {
            head =
                "{\n  \"R\": {\"Version\": \"4.3.2\", \"Repositories\": []},\n  \"Packages\": {\n";
            tail = "\n  }\n}\n";
            each(&mut |s, i| {
                let _ = write!(s, "{}    \"p{i}\": {{\"Package\": \"p{i}\", \"Version\": \"1.0.{i}\", \"Source\": \"Repository\", \"Repository\": \"CRAN\"}}", if i == 0 { "" } else { ",\n" });
            });
        }
        Format::JuliaManifest => {
            head = "julia_version = \"1.10.0\"\nmanifest_format = \"2.0\"\n\n[deps]\n";
            tail = "";
            each(&mut |s, i| {
                let _ = write!(s, "\n[[deps.P{i}]]\nuuid = \"00000000-0000-0000-0000-{i:012}\"\nversion = \"1.0.{i}\"\n");
            });
        }
        Format::CabalFreeze => {
            head = "active-repositories: hackage.haskell.org:merge\nconstraints: ";
            tail = "\nindex-state: hackage.haskell.org 2024-01-15T10:00:00Z\n";
            each(&mut |s, i| {
                let _ = write!(
                    s,
                    "{}any.p{i} ==1.0.{i}",
                    if i == 0 { "" } else { ",\n             " }
                );
            });
        }
        Format::StackLock => {
            head = "packages:\n";
            tail = "snapshots: []\n";
            each(&mut |s, i| {
                let _ = write!(s, "- completed:\n    hackage: p{i}-1.0.{i}@sha256:00,100\n  original:\n    hackage: p{i}-1.0.{i}\n");
            });
        }
        Format::ConanLock => {
            head = "{\n  \"version\": \"0.5\",\n  \"requires\": [\n";
            tail = "\n  ],\n  \"build_requires\": [],\n  \"python_requires\": []\n}\n";
            each(&mut |s, i| {
                let _ = write!(
                    s,
                    "{}    \"p{i}/1.0.{i}#0123456789abcdef\"",
                    if i == 0 { "" } else { ",\n" }
                );
            });
        }
    }
    (format!("{head}{s}{tail}"), expected)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("lockfile-50k");
    group.sample_size(10);
    for &format in Format::ALL {
        let (text, expected) = generate(format, N);
        let name = format!("{format:?}");
        match parse_file(&name, format, text.as_bytes()) {
            Ok(p) if p.packages.len() == expected => {}
            Ok(p) => panic!(
                "{name}: the generated file gives {} packages, not {expected}",
                p.packages.len()
            ),
            Err(d) => panic!("{name}: the generated file does not parse: {}", d.message),
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format.id()), &text, |b, t| {
            b.iter(|| parse_file(&name, format, t.as_bytes()).map(|p| p.packages.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
