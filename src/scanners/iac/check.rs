//! The IaC check model and its loader: one YAML file per check (`rules/iac/<platform>/<id>.yaml`, or a user's
//! file given with `--rules`), read into a validated [`Check`] whose condition is compiled once. The format is
//! documented in `rules/iac/README.md`.

use crate::document::{yaml, Node, Value};
use crate::finding::{Confidence, Severity};
use regex::Regex;
use std::collections::BTreeMap;
use thiserror::Error;

/// What a check applies to: the platform and the kind of subject its condition is evaluated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    /// Dockerfiles.
    Dockerfile,
    /// Kubernetes manifests.
    Kubernetes,
    /// Terraform (HCL, JSON, plans).
    Terraform,
    /// CloudFormation and SAM templates.
    CloudFormation,
    /// Docker Compose files.
    Compose,
    /// GitHub Actions workflows and action metadata.
    GithubActions,
}

impl Platform {
    /// Its name in check files.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Dockerfile => "dockerfile",
            Platform::Kubernetes => "kubernetes",
            Platform::Terraform => "terraform",
            Platform::CloudFormation => "cloudformation",
            Platform::Compose => "compose",
            Platform::GithubActions => "github-actions",
        }
    }

    const ALL: [Platform; 6] = [
        Platform::Dockerfile,
        Platform::Kubernetes,
        Platform::Terraform,
        Platform::CloudFormation,
        Platform::Compose,
        Platform::GithubActions,
    ];

    /// The subject kinds a check of this platform may name in `on:`.
    pub fn subjects(self) -> &'static [&'static str] {
        match self {
            Platform::Dockerfile => &["instruction", "stage", "final-stage", "file"],
            Platform::Kubernetes => &["object", "pod", "container"],
            Platform::Terraform => &["resource", "data", "provider", "module"],
            Platform::CloudFormation => &["resource", "template"],
            Platform::Compose => &["service", "file"],
            Platform::GithubActions => &["workflow", "job", "step", "action"],
        }
    }
}

/// One step of a path into a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// Every value of a mapping or item of a sequence (`*`).
    Any,
    /// Every item of a sequence (`[*]`); a nested block of Terraform's JSON syntax written as one object is a
    /// list of one, any other mapping gives its values.
    Items,
    /// Every key of a mapping (`~`), to test names (`env.~` matches `(?i)password`).
    Keys,
    /// One item of a sequence (`[0]`; `[-1]` is the last).
    Index(i64),
}

/// A path: where it starts (the subject, or a named context such as `$pod`) and its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// `None`: the subject itself; `Some("pod")`: the context `$pod`.
    pub context: Option<String>,
    /// The steps.
    pub segs: Vec<Seg>,
}

/// A scalar a condition compares with.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A string (compared exactly).
    Str(String),
    /// A boolean (compared with `true`/`false` in any case, as YAML and CloudFormation spell them).
    Bool(bool),
    /// A number (compared numerically).
    Num(f64),
}

/// Whether a path leads anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// The path leads to a value (not null; an unknown value is one).
    Exists,
    /// The path leads to no value.
    Missing,
    /// The path's last key is there, even with a null value (`pull_request_target:` alone).
    Present,
}

/// How a value is tested.
#[derive(Clone, Debug)]
pub enum Test {
    /// A value equals this scalar.
    Equals(Scalar),
    /// A value is one of these.
    In(Vec<Scalar>),
    /// A value matches this regex.
    Matches(Regex),
    /// A sequence holds this scalar, or a string contains it.
    Contains(Scalar),
    /// A number compares so: `gt`, `gte`, `lt`, `lte`.
    Compare(&'static str, f64),
}

/// A condition, compiled.
#[derive(Clone, Debug)]
pub enum Cond {
    /// Whether the path leads to a value.
    Presence(Path, Presence),
    /// A test of the values at a path.
    Test(Path, Test),
    /// Every condition holds.
    All(Vec<Cond>),
    /// At least one holds.
    Any(Vec<Cond>),
    /// It does not hold.
    Not(Box<Cond>),
    /// Some value at the path satisfies the condition, evaluated on that value.
    Some(Path, Box<Cond>),
}

impl Cond {
    /// A key the subject's own mapping must have for the condition to hold, when there is one: the first
    /// step of a relative path the condition needs a value at. Checks whose key a subject lacks are not
    /// evaluated on it (they could only be false or unknown, and only what holds is reported).
    pub fn required_key(&self) -> Option<&str> {
        match self {
            Cond::Presence(p, Presence::Exists | Presence::Present)
            | Cond::Test(p, _)
            | Cond::Some(p, _)
                if p.context.is_none() =>
            {
                match p.segs.first() {
                    Some(Seg::Key(k)) => Some(k),
                    _ => None,
                }
            }
            Cond::All(cs) => cs.iter().find_map(Cond::required_key),
            Cond::Any(cs) => {
                let first = cs.first()?.required_key()?;
                cs.iter()
                    .all(|c| c.required_key() == Some(first))
                    .then_some(first)
            }
            _ => None,
        }
    }

    /// Every path the condition reads, nested ones included.
    pub fn paths(&self) -> Vec<&Path> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Cond::Presence(p, _) | Cond::Test(p, _) => out.push(p),
                Cond::Some(p, inner) => {
                    out.push(p);
                    stack.push(inner);
                }
                Cond::Not(inner) => stack.push(inner),
                Cond::All(cs) | Cond::Any(cs) => stack.extend(cs.iter()),
            }
        }
        out
    }
}

/// A validated check.
#[derive(Clone, Debug)]
pub struct Check {
    /// Its id (kebab-case, platform first).
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
    /// Platform.
    pub platform: Platform,
    /// Subject kind (`container`, `resource`…).
    pub on: String,
    /// Document kinds or resource types it applies to (empty: all).
    pub kinds: Vec<String>,
    /// The condition under which it reports; `None` for a check implemented in Rust (`logic:`).
    pub report: Option<Cond>,
    /// The Rust implementation's name, for checks that need real logic.
    pub logic: Option<String>,
    /// Message template (`{subject}`, `{value}`).
    pub message: Option<String>,
    /// Findings point at the subject's header rather than at the value that proved the condition.
    pub at_header: bool,
    /// Ids of the same check in other tools (`checkov` → `CKV_K8S_16`); empty when it has none.
    pub equivalents: BTreeMap<String, Vec<String>>,
    /// CWE ids.
    pub cwe: Vec<String>,
    /// What it finds.
    pub description: String,
    /// Why it matters.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    /// Links.
    pub references: Vec<String>,
}

/// A check file that does not load.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{line}:{column}: {message}")]
pub struct CheckError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

struct Loader<'a> {
    text: &'a str,
}

impl Loader<'_> {
    fn err(&self, at: u32, message: impl Into<String>) -> CheckError {
        let before = &self.text[..(at as usize).min(self.text.len())];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        CheckError {
            line,
            column,
            message: message.into(),
        }
    }

    fn str_of(&self, n: &Node, what: &str) -> Result<String, CheckError> {
        n.scalar_text()
            .map(|s| s.into_owned())
            .ok_or_else(|| self.err(n.start, format!("`{what}` must be a string")))
    }

    fn list_of(&self, n: Option<&Node>, what: &str) -> Result<Vec<String>, CheckError> {
        match n {
            None => Ok(Vec::new()),
            Some(n) => match &n.value {
                Value::Seq(items) => items.iter().map(|i| self.str_of(i, what)).collect(),
                Value::Null => Ok(Vec::new()),
                _ => Ok(vec![self.str_of(n, what)?]),
            },
        }
    }

    fn scalar(&self, n: &Node) -> Result<Scalar, CheckError> {
        Ok(match &n.value {
            Value::Str(s) => Scalar::Str(s.to_string()),
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Int(i) => Scalar::Num(*i as f64),
            Value::Float(f) => Scalar::Num(*f),
            _ => return Err(self.err(n.start, "expected a string, number or boolean")),
        })
    }

    fn path(&self, n: &Node) -> Result<Path, CheckError> {
        let text = self.str_of(n, "path")?;
        parse_path(&text).map_err(|m| self.err(n.start, m))
    }

    fn cond(&self, n: &Node, depth: usize) -> Result<Cond, CheckError> {
        if depth > 32 {
            return Err(self.err(n.start, "conditions nest deeper than 32 levels"));
        }
        let Some(map) = n.as_map() else {
            return Err(self.err(n.start, "a condition is a mapping"));
        };
        let list = |key: &str, v: &Node| -> Result<Vec<Cond>, CheckError> {
            let items = v
                .as_seq()
                .ok_or_else(|| self.err(v.start, format!("`{key}` takes a list of conditions")))?;
            items.iter().map(|c| self.cond(c, depth + 1)).collect()
        };
        if let [(k, v)] = map {
            match k.as_str() {
                Some("all") => return Ok(Cond::All(list("all", v)?)),
                Some("any") => return Ok(Cond::Any(list("any", v)?)),
                Some("not") => return Ok(Cond::Not(Box::new(self.cond(v, depth + 1)?))),
                _ => {}
            }
        }
        if let Some(p) = n.get("some") {
            let path = self.path(p)?;
            let inner = n
                .get("where")
                .ok_or_else(|| self.err(n.start, "`some` needs a `where` condition"))?;
            if map.len() != 2 {
                return Err(self.err(n.start, "`some` takes only `where`"));
            }
            return Ok(Cond::Some(path, Box::new(self.cond(inner, depth + 1)?)));
        }
        let p = n.get("path").ok_or_else(|| {
            self.err(
                n.start,
                "a condition needs `path` (or is `all`, `any`, `not`, `some`)",
            )
        })?;
        let path = self.path(p)?;
        let mut tests = Vec::new();
        for (k, v) in map {
            let key = k.as_str().unwrap_or("");
            let presence = match key {
                "path" => continue,
                "present" => {
                    if !matches!(v.value, Value::Bool(true)) {
                        return Err(self.err(
                            v.start,
                            "`present` takes true (use `missing: true` for absence)",
                        ));
                    }
                    Some(Presence::Present)
                }
                "exists" | "missing" => {
                    let yes = matches!(v.value, Value::Bool(true));
                    if !matches!(v.value, Value::Bool(_)) {
                        return Err(self.err(v.start, format!("`{key}` takes true or false")));
                    }
                    match (key == "exists") == yes {
                        true => Some(Presence::Exists),
                        false => Some(Presence::Missing),
                    }
                }
                _ => None,
            };
            if let Some(p) = presence {
                tests.push(Cond::Presence(path.clone(), p));
                continue;
            }
            let test = match key {
                "equals" => Test::Equals(self.scalar(v)?),
                "contains" => Test::Contains(self.scalar(v)?),
                "in" => {
                    let items = v
                        .as_seq()
                        .ok_or_else(|| self.err(v.start, "`in` takes a list"))?;
                    Test::In(
                        items
                            .iter()
                            .map(|i| self.scalar(i))
                            .collect::<Result<_, _>>()?,
                    )
                }
                "matches" => {
                    let re = self.str_of(v, "matches")?;
                    let re = regex::RegexBuilder::new(&re)
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| self.err(v.start, format!("bad regex: {e}")))?;
                    Test::Matches(re)
                }
                "gt" | "gte" | "lt" | "lte" => {
                    let Scalar::Num(x) = self.scalar(v)? else {
                        return Err(self.err(v.start, format!("`{key}` takes a number")));
                    };
                    let op = match key {
                        "gt" => "gt",
                        "gte" => "gte",
                        "lt" => "lt",
                        _ => "lte",
                    };
                    Test::Compare(op, x)
                }
                _ => return Err(self.err(k.start, format!("unknown condition key `{key}`"))),
            };
            tests.push(Cond::Test(path.clone(), test));
        }
        match tests.len() {
            0 => Err(self.err(n.start, "a condition with `path` needs a test (exists, missing, equals, in, matches, contains, gt, gte, lt, lte)")),
            1 => Ok(tests.remove(0)),
            _ => Ok(Cond::All(tests)),
        }
    }
}

/// Parses `spec.containers[*].securityContext."a.b"` or `$pod.securityContext`.
pub fn parse_path(text: &str) -> Result<Path, String> {
    let mut rest = text.trim();
    let mut context = None;
    if let Some(r) = rest.strip_prefix('$') {
        let n = r.find(['.', '[']).unwrap_or(r.len());
        context = Some(r[..n].to_string());
        rest = r[n..].strip_prefix('.').unwrap_or(&r[n..]);
    }
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = rest.chars().peekable();
    let mut quoted = false;
    let push = |cur: &mut String, segs: &mut Vec<Seg>, quoted: bool| {
        if quoted || !cur.is_empty() {
            let s = std::mem::take(cur);
            segs.push(match (s.as_str(), quoted) {
                ("*", false) => Seg::Any,
                ("~", false) => Seg::Keys,
                _ => Seg::Key(s),
            });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    cur.push(c);
                }
                quoted = true;
            }
            '.' => {
                push(&mut cur, &mut segs, quoted);
                quoted = false;
            }
            '[' => {
                push(&mut cur, &mut segs, quoted);
                quoted = false;
                let inner: String = chars.by_ref().take_while(|&c| c != ']').collect();
                match inner.trim() {
                    "*" => segs.push(Seg::Items),
                    i => segs.push(Seg::Index(
                        i.parse()
                            .map_err(|_| format!("bad index `[{i}]` in path `{text}`"))?,
                    )),
                }
            }
            _ => cur.push(c),
        }
    }
    push(&mut cur, &mut segs, quoted);
    if segs.is_empty() && context.is_none() && !text.trim().is_empty() && text.trim() != "." {
        return Err(format!("empty path `{text}`"));
    }
    Ok(Path { context, segs })
}

const KEYS: &[&str] = &[
    "id",
    "title",
    "severity",
    "confidence",
    "platform",
    "on",
    "kinds",
    "report",
    "logic",
    "message",
    "at",
    "equivalents",
    "cwe",
    "description",
    "why",
    "fix",
    "references",
];

/// Reads one check file.
pub fn load(text: &str) -> Result<Check, CheckError> {
    let l = Loader { text };
    let docs = yaml::parse_stream(text).map_err(|e| l.err(e.offset, e.message))?;
    let [doc] = docs.as_slice() else {
        return Err(l.err(0, "a check file holds one document"));
    };
    let Some(map) = doc.as_map() else {
        return Err(l.err(doc.start, "a check is a mapping"));
    };
    for (k, _) in map {
        let key = k.as_str().unwrap_or("");
        if !KEYS.contains(&key) {
            return Err(l.err(k.start, format!("unknown key `{key}`")));
        }
    }
    let need = |key: &str| {
        doc.get(key)
            .ok_or_else(|| l.err(doc.start, format!("the check needs `{key}`")))
    };
    let id = l.str_of(need("id")?, "id")?;
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(l.err(need("id")?.start, format!("`{id}` is not a kebab-case id")));
    }
    let pnode = need("platform")?;
    let pname = l.str_of(pnode, "platform")?;
    let platform = Platform::ALL
        .into_iter()
        .find(|p| p.as_str() == pname)
        .ok_or_else(|| {
            l.err(
                pnode.start,
                format!(
                    "unknown platform `{pname}`; one of {}",
                    Platform::ALL.map(|p| p.as_str()).join(", ")
                ),
            )
        })?;
    let onode = need("on")?;
    let on = l.str_of(onode, "on")?;
    if !platform.subjects().contains(&on.as_str()) {
        return Err(l.err(
            onode.start,
            format!(
                "`on: {on}` is no subject of {pname}; one of {}",
                platform.subjects().join(", ")
            ),
        ));
    }
    let snode = need("severity")?;
    let severity = match l.str_of(snode, "severity")?.to_ascii_lowercase().as_str() {
        "critical" => Severity::Critical,
        "high" => Severity::High,
        "medium" => Severity::Medium,
        "low" => Severity::Low,
        "info" => Severity::Info,
        s => return Err(l.err(snode.start, format!("unknown severity `{s}`"))),
    };
    let confidence = match doc.get("confidence") {
        None => Confidence::High,
        Some(c) => match l.str_of(c, "confidence")?.as_str() {
            "high" => Confidence::High,
            "medium" => Confidence::Medium,
            "low" => Confidence::Low,
            s => return Err(l.err(c.start, format!("unknown confidence `{s}`"))),
        },
    };
    let report = doc.get("report").map(|c| l.cond(c, 0)).transpose()?;
    let logic = doc.get("logic").map(|n| l.str_of(n, "logic")).transpose()?;
    if report.is_some() == logic.is_some() {
        return Err(l.err(
            doc.start,
            "a check has either `report` (a condition) or `logic`",
        ));
    }
    let mut equivalents = BTreeMap::new();
    match doc.get("equivalents") {
        Some(Node {
            value: Value::Map(m),
            ..
        }) => {
            for (k, v) in m {
                equivalents.insert(
                    l.str_of(k, "equivalents")?,
                    l.list_of(Some(v), "equivalents")?,
                );
            }
        }
        Some(Node {
            value: Value::Str(s),
            ..
        }) if s == "none" => {}
        Some(n) => return Err(l.err(n.start, "`equivalents` maps tools to ids, or is `none`")),
        None => {
            return Err(l.err(
                doc.start,
                "the check needs `equivalents` (or `equivalents: none`)",
            ))
        }
    }
    let text_of = |key: &str| -> Result<String, CheckError> {
        doc.get(key)
            .map(|n| l.str_of(n, key))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let check = Check {
        title: l.str_of(need("title")?, "title")?,
        severity,
        confidence,
        platform,
        on,
        kinds: l.list_of(doc.get("kinds"), "kinds")?,
        report,
        logic,
        message: doc
            .get("message")
            .map(|n| l.str_of(n, "message"))
            .transpose()?,
        at_header: match doc.get("at") {
            None => false,
            Some(n) => match l.str_of(n, "at")?.as_str() {
                "header" => true,
                "value" => false,
                other => {
                    return Err(l.err(
                        n.start,
                        format!("`at` is `value` or `header`, not `{other}`"),
                    ))
                }
            },
        },
        equivalents,
        cwe: l.list_of(doc.get("cwe"), "cwe")?,
        description: text_of("description")?,
        why: l.str_of(need("why")?, "why")?,
        fix: l.str_of(need("fix")?, "fix")?,
        references: l.list_of(doc.get("references"), "references")?,
        id,
    };
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_a_condition_needs_on_its_subject() {
        let key = |report: &str| {
            let text = format!("id: x\ntitle: t\nseverity: high\nplatform: dockerfile\non: instruction\nequivalents: none\nwhy: w\nfix: f\nreport: {report}\n");
            let c = load(&text).unwrap_or_else(|e| panic!("{e}"));
            c.report
                .as_ref()
                .and_then(Cond::required_key)
                .map(str::to_string)
        };
        assert_eq!(
            key("{some: 'commands[*]', where: {path: name, equals: curl}}").as_deref(),
            Some("commands")
        );
        assert_eq!(
            key("{all: [{path: user, equals: root}, {path: group, exists: true}]}").as_deref(),
            Some("user")
        );
        assert_eq!(
            key("{any: [{path: a.b, equals: 1}, {path: a.c, equals: 2}]}").as_deref(),
            Some("a")
        );
        // Nothing is needed where a missing value can make it hold, or the branches differ.
        assert_eq!(key("{path: user, missing: true}"), None);
        assert_eq!(key("{not: {path: user, equals: root}}"), None);
        assert_eq!(
            key("{any: [{path: a, equals: 1}, {path: b, equals: 2}]}"),
            None
        );
        assert_eq!(key("{path: $stage.user, equals: root}"), None);
        assert_eq!(key("{some: '~', where: {path: '', matches: x}}"), None);
    }

    #[test]
    fn paths() {
        let p = parse_path("spec.containers[*].securityContext.\"a.b\"[0]")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            p.segs,
            [
                Seg::Key("spec".into()),
                Seg::Key("containers".into()),
                Seg::Items,
                Seg::Key("securityContext".into()),
                Seg::Key("a.b".into()),
                Seg::Index(0)
            ]
        );
        let p = parse_path("$pod.hostNetwork").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.context.as_deref(), Some("pod"));
        assert_eq!(p.segs, [Seg::Key("hostNetwork".into())]);
    }

    #[test]
    fn bad_checks_say_where() {
        let base = "id: x\ntitle: t\nseverity: high\nplatform: kubernetes\non: container\nequivalents: none\nwhy: w\nfix: f\n";
        assert!(load(&format!("{base}report: {{path: a, exists: true}}\n")).is_ok());
        let e = load(&format!("{base}report: {{path: a, bogus: 1}}\n")).err();
        assert_eq!(
            e.map(|e| (e.line, e.message)),
            Some((9, "unknown condition key `bogus`".into()))
        );
        let e = load(&base.replace("on: container", "on: step")).err();
        assert_eq!(e.map(|e| e.line), Some(5));
        let e = load(&format!("{base}report: {{path: a, matches: '('}}\n")).err();
        assert!(e.is_some_and(|e| e.message.starts_with("bad regex")));
    }
}
