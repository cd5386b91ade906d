//! Dockerfiles as instructions: parser directives (`# escape=`), line continuations (with comment lines inside
//! them), heredocs, exec (JSON) and shell forms, flags (`--platform=`, `--chown=`), stages with `ARG`s
//! substituted into `FROM`, and the shell of every `RUN` (and shell-form `CMD`/`ENTRYPOINT`) read by the bash
//! grammar into commands, so that checks see `curl -k` in a real command, never in a comment or a string.

use super::{Node, Value};
use crate::lang::tree::{NodeId, Tree};
use std::collections::HashMap;

/// One instruction.
#[derive(Clone, Debug, PartialEq)]
pub struct Instruction {
    /// The keyword, upper-case (`RUN`).
    pub keyword: String,
    /// Its flags (`--platform=linux/amd64` → `("platform", "linux/amd64")`), in order.
    pub flags: Vec<(String, String)>,
    /// The arguments after the flags, continuations joined, comment lines dropped.
    pub args: String,
    /// The exec form's words (`["npm", "start"]`), when it is written so.
    pub exec: Option<Vec<String>>,
    /// Byte offset where the instruction starts.
    pub start: u32,
    /// Byte offset where it ends (its last line, heredoc bodies included).
    pub end: u32,
    /// Byte offset where the arguments start.
    pub args_start: u32,
    /// The shell the instruction runs, as long as the instruction with everything else blanked out, so that
    /// its offsets plus `start` are the file's: `None` for instructions that run none.
    pub shell: Option<String>,
    /// The stage it belongs to (0-based; instructions before the first `FROM` are in stage 0 too).
    pub stage: usize,
}

/// One command of a shell: `curl -fsSL https://x | sh`.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// The command's name (`curl`), its path left off (`/usr/bin/curl` is `curl`).
    pub name: String,
    /// Its arguments, unquoted.
    pub args: Vec<String>,
    /// The command it pipes its output into, when it does (`sh`).
    pub piped_to: Option<String>,
    /// Byte range in the file.
    pub start: u32,
    /// End of the byte range.
    pub end: u32,
}

/// A parsed Dockerfile.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dockerfile {
    /// Instructions in file order.
    pub instructions: Vec<Instruction>,
    /// How many stages (`FROM`s) it has.
    pub stages: usize,
    /// `ARG`s declared before the first `FROM`, with their defaults, for substitution in `FROM`.
    pub global_args: HashMap<String, String>,
}

/// Reads a Dockerfile.
pub fn parse(src: &str) -> Dockerfile {
    let mut out = Dockerfile::default();
    let mut escape = '\\';
    let bytes = src.as_bytes();
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for l in src.split_inclusive('\n') {
        lines.push((at, l));
        at += l.len();
    }
    let mut i = 0;
    let mut directives = true;
    while i < lines.len() {
        let (off, line) = lines[i];
        let t = line.trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        if let Some(c) = t.strip_prefix('#') {
            if directives {
                if let Some((k, v)) = c.split_once('=') {
                    if k.trim().eq_ignore_ascii_case("escape") && v.trim() == "`" {
                        escape = '`';
                    }
                } else {
                    directives = false;
                }
            }
            i += 1;
            continue;
        }
        directives = false;
        // The logical line: continued while a line ends with the escape character.
        let start = off + (line.len() - line.trim_start().len());
        let mut shell: Vec<u8> = Vec::new();
        let mut joined = String::new();
        let mut j = i;
        let mut end;
        loop {
            let (o, l) = lines[j];
            let body = l.trim_end_matches(['\n', '\r']);
            let is_comment = j > i && body.trim_start().starts_with('#');
            let (content, continued) = match body.trim_end().strip_suffix(escape) {
                Some(c) if !is_comment => (c, true),
                _ => (if is_comment { "" } else { body }, is_comment),
            };
            end = o + body.len();
            let from = if j == i { start - o } else { 0 };
            let seg = &content[from.min(content.len())..];
            if !seg.trim().is_empty() {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(seg.trim());
            }
            // Shell bytes: the content kept, the rest blank (newlines kept).
            let mut b: Vec<u8> = l.as_bytes().to_vec();
            for (k, byte) in b.iter_mut().enumerate() {
                let keep = k >= from && k < from + seg.len();
                if !keep && *byte != b'\n' {
                    *byte = b' ';
                }
            }
            if j == i {
                b.drain(..from.min(b.len()));
            }
            shell.extend(b);
            j += 1;
            if !continued || j >= lines.len() {
                break;
            }
        }
        let (keyword, rest) = match joined.split_once(char::is_whitespace) {
            Some((k, r)) => (k.to_ascii_uppercase(), r.trim_start()),
            None => (joined.to_ascii_uppercase(), ""),
        };
        let mut rest = rest;
        let mut flags = Vec::new();
        while let Some(f) = rest.strip_prefix("--") {
            let (flag, after) = f.split_once(char::is_whitespace).unwrap_or((f, ""));
            let (k, v) = flag.split_once('=').unwrap_or((flag, ""));
            flags.push((k.to_string(), v.to_string()));
            rest = after.trim_start();
        }
        let args = rest.to_string();
        let after_keyword = (start + keyword.len()).min(end);
        let args_start = src[after_keyword..end]
            .find(rest.split_whitespace().next().unwrap_or("\u{0}"))
            .map_or(end, |k| after_keyword + k);
        // Heredocs: `RUN <<EOF` runs the body; bodies of other instructions are data.
        let mut heredoc_body: Option<(usize, usize)> = None;
        if let Some(h) = args.find("<<") {
            let marker = args[h + 2..].trim_start_matches('-');
            let name: String = marker
                .trim_matches(|c| c == '"' || c == '\'')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                let body_start = lines.get(j).map_or(src.len(), |(o, _)| *o);
                let mut k = j;
                while k < lines.len() && lines[k].1.trim() != name {
                    k += 1;
                }
                let body_end = lines.get(k).map_or(src.len(), |(o, _)| *o);
                end = lines
                    .get(k)
                    .map_or(src.len(), |(o, l)| o + l.trim_end().len());
                heredoc_body = Some((body_start, body_end));
                j = (k + 1).min(lines.len());
            }
        }
        let exec = if rest.starts_with('[') {
            super::json::parse(rest).ok().and_then(|n| {
                n.as_seq().map(|s| {
                    s.iter()
                        .filter_map(|w| w.as_str().map(str::to_string))
                        .collect::<Vec<_>>()
                })
            })
        } else {
            None
        };
        let runs_shell = matches!(keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT") && exec.is_none();
        let shell = runs_shell.then(|| {
            let mut s = shell;
            // Blank the keyword and the flags.
            let skip = args_start.saturating_sub(start).min(s.len());
            for b in s.iter_mut().take(skip) {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            if let Some((bs, be)) = heredoc_body {
                // The marker line is not shell; the body is.
                for b in s.iter_mut() {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                s.resize(bs - start, b' ');
                s.extend_from_slice(&bytes[bs..be]);
            }
            s.truncate(end - start);
            String::from_utf8_lossy(&s).into_owned()
        });
        if keyword == "FROM" {
            out.stages += 1;
        }
        if keyword == "ARG" && out.stages == 0 {
            for (k, v) in pairs(&args) {
                out.global_args.insert(k, v);
            }
        }
        out.instructions.push(Instruction {
            keyword,
            flags,
            args,
            exec,
            start: start as u32,
            end: end as u32,
            args_start: args_start as u32,
            shell,
            stage: out.stages.saturating_sub(1),
        });
        i = j;
    }
    out
}

/// `KEY=value` pairs (or the legacy `KEY value` form of `ENV`), quotes removed.
pub fn pairs(args: &str) -> Vec<(String, String)> {
    let words = shell_words(args);
    if words.len() >= 2 && !words[0].contains('=') {
        return vec![(words[0].clone(), words[1..].join(" "))];
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (w, String::new()),
        })
        .collect()
}

/// Splits on whitespace outside quotes, removing the quotes.
pub fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, '\\') | (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (_, c) => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Substitutes `$NAME`, `${NAME}` and `${NAME:-default}` from `args`; unknown names become empty.
pub fn substitute(text: &str, args: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let (name, default, used) = if let Some(b) = tail.strip_prefix('{') {
            match b.find('}') {
                Some(e) => {
                    let inner = &b[..e];
                    let (n, d) = match inner.split_once(":-").or_else(|| inner.split_once('-')) {
                        Some((n, d)) => (n, Some(d)),
                        None => (inner, None),
                    };
                    (n, d, e + 2)
                }
                None => ("", None, 0),
            }
        } else {
            let n = tail
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(tail.len());
            (&tail[..n], None, n)
        };
        if used == 0 || name.is_empty() {
            out.push('$');
            rest = tail;
            continue;
        }
        match args.get(name).filter(|v| !v.is_empty()) {
            Some(v) => out.push_str(v),
            None => out.push_str(default.unwrap_or("")),
        }
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

/// The commands of a shell script, read with the bash grammar; `base` is added to every offset.
pub fn commands(shell: &str, base: u32) -> Vec<Command> {
    let Some(bash) = crate::lang::by_name("bash") else {
        return Vec::new();
    };
    let tree = Tree::parse(bash, shell);
    let mut out = Vec::new();
    for id in tree.ids() {
        let n = tree.node(id);
        if n.kind != "command" {
            continue;
        }
        let mut name = None;
        let mut args = Vec::new();
        for &k in tree.kids(id) {
            match tree.node(k).field {
                Some("name") => {
                    let t = unquote(tree.text(k, shell));
                    name = Some(t.rsplit('/').next().unwrap_or(&t).to_string());
                }
                Some("argument") => args.push(unquote(tree.text(k, shell))),
                _ => {}
            }
        }
        let Some(name) = name else { continue };
        let piped_to = next_in_pipeline(&tree, shell, id);
        out.push(Command {
            name,
            args,
            piped_to,
            start: base + n.start,
            end: base + n.end,
        });
    }
    out
}

/// Commands that run the command named in their arguments.
const WRAPPERS: &[&str] = &["sudo", "env", "exec", "nice", "nohup", "time", "doas"];

fn next_in_pipeline(tree: &Tree, shell: &str, id: NodeId) -> Option<String> {
    let parent = tree.node(id).parent;
    if id == 0 || tree.node(parent).kind != "pipeline" {
        return None;
    }
    let kids = tree.kids(parent);
    let at = kids.iter().position(|&k| k == id)?;
    let next = kids[at + 1..]
        .iter()
        .copied()
        .find(|&k| tree.node(k).named && !tree.node(k).extra)?;
    let mut cur = next;
    // `curl … | sudo sh`, `| tee x` …: the first command of what follows.
    loop {
        let n = tree.node(cur);
        if n.kind == "command" {
            let name = tree
                .field(cur, "name")
                .map(|k| unquote(tree.text(k, shell)))?;
            let name = name.rsplit('/').next().unwrap_or(&name).to_string();
            // `| sudo sh`, `| env X=1 bash`: the program the wrapper runs.
            if WRAPPERS.contains(&name.as_str()) {
                let inner = tree
                    .kids(cur)
                    .iter()
                    .filter(|&&k| tree.node(k).field == Some("argument"))
                    .map(|&k| unquote(tree.text(k, shell)))
                    .find(|a| !a.starts_with('-') && !a.contains('='));
                if let Some(i) = inner {
                    return Some(i.rsplit('/').next().unwrap_or(&i).to_string());
                }
            }
            return Some(name);
        }
        cur = *tree.kids(cur).iter().find(|&&k| tree.node(k).named)?;
    }
}

fn unquote(s: &str) -> String {
    shell_words(s).join(" ")
}

impl Command {
    /// The command as a [`Node`]: `{name, args: […], piped-to}` spanning the command.
    pub fn to_node(&self) -> Node {
        let n = |v: Value| Node::new(v, self.start, self.end);
        let mut m = vec![
            (
                n(Value::Str("name".into())),
                n(Value::Str(self.name.clone())),
            ),
            (
                n(Value::Str("args".into())),
                n(Value::Seq(
                    self.args.iter().map(|a| n(Value::Str(a.clone()))).collect(),
                )),
            ),
        ];
        if let Some(p) = &self.piped_to {
            m.push((n(Value::Str("piped-to".into())), n(Value::Str(p.clone()))));
        }
        n(Value::Map(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_continuations_and_heredocs() {
        let src = "# syntax=docker/dockerfile:1\nARG BASE=debian\nFROM --platform=linux/amd64 ${BASE}:12 AS build\nRUN apt-get update \\\n  # a comment\n  && curl -k https://x | sudo sh\nRUN <<EOF\nwget --no-check-certificate https://y\nEOF\nUSER app\nCMD [\"npm\", \"start\"]\n";
        let d = parse(src);
        let kw: Vec<&str> = d.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kw, ["ARG", "FROM", "RUN", "RUN", "USER", "CMD"]);
        let from = &d.instructions[1];
        assert_eq!(
            from.flags,
            [("platform".to_string(), "linux/amd64".to_string())]
        );
        assert_eq!(substitute(&from.args, &d.global_args), "debian:12 AS build");
        let run = &d.instructions[2];
        assert_eq!(run.args, "apt-get update && curl -k https://x | sudo sh");
        let shell = run.shell.as_deref().unwrap_or("");
        assert_eq!(shell.len(), (run.end - run.start) as usize);
        let cmds = commands(shell, run.start);
        let names: Vec<&str> = cmds.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["apt-get", "curl", "sudo"]);
        assert_eq!(cmds[1].args, ["-k", "https://x"]);
        assert_eq!(cmds[1].piped_to.as_deref(), Some("sh"));
        assert_eq!(
            &src[cmds[1].start as usize..cmds[1].end as usize],
            "curl -k https://x"
        );
        let here = &d.instructions[3];
        let cmds = commands(here.shell.as_deref().unwrap_or(""), here.start);
        assert_eq!(cmds.len(), 1);
        assert_eq!(
            &src[cmds[0].start as usize..cmds[0].end as usize],
            "wget --no-check-certificate https://y"
        );
        assert_eq!(
            d.instructions[5].exec,
            Some(vec!["npm".to_string(), "start".into()])
        );
        assert_eq!(d.instructions[5].shell, None);
        assert_eq!(d.instructions[4].stage, 0);
    }

    #[test]
    fn words_and_pairs() {
        assert_eq!(shell_words("a 'b c' \"d\\\"e\""), ["a", "b c", "d\"e"]);
        assert_eq!(
            pairs("A=1 B=\"two words\""),
            [
                ("A".to_string(), "1".to_string()),
                ("B".into(), "two words".into())
            ]
        );
        assert_eq!(
            pairs("KEY some value"),
            [("KEY".to_string(), "some value".to_string())]
        );
        let args = HashMap::from([("V".to_string(), "3.12".to_string())]);
        assert_eq!(substitute("python:${V}-slim", &args), "python:3.12-slim");
        assert_eq!(substitute("x:${W:-1}", &args), "x:1");
    }
}
