//! Semgrep's `generic` language: patterns matched on tokens rather than a tree, for files no grammar reads
//! (configuration, templates, logs). Words (`[A-Za-z0-9_]+`) and single punctuation characters are tokens;
//! whitespace separates them and is otherwise ignored; `$X` matches one word (the same word wherever it
//! recurs); `...` matches any run of tokens that spans at most `generic_ellipsis_max_span` line breaks (10
//! unless the rule's options say otherwise), as Semgrep's generic engine bounds it; comments of the rule's
//! `generic_comment_style` are not tokens. Of matches that overlap, one holding another gives way to it, as in
//! Semgrep's generic engine.

use super::matcher::{Bound, Env, Match};
use super::pattern::is_metavariable;
use super::rule::{CommentStyle, GenericOptions};

/// Most matches reported per pattern and file.
const MAX_MATCHES: usize = 10_000;

/// One token of a generic pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GTok {
    /// `...`.
    Ellipsis,
    /// `$X`.
    Meta(String),
    /// A word or a punctuation character.
    Text(String),
}

/// A compiled generic pattern, with the options of its rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generic {
    toks: Vec<GTok>,
    opts: GenericOptions,
}

struct Tok {
    start: u32,
    end: u32,
    line: u32,
    /// The index of the bracket that closes this opening one (or opens this closing one), if balanced.
    partner: Option<usize>,
}

/// Metavariable names and the token each binds.
type Bindings = Vec<(String, usize)>;

/// Where a match stands: the bindings, and the target indices of the opening brackets the pattern has
/// matched and not yet closed.
#[derive(Default)]
struct State {
    env: Bindings,
    open: Vec<usize>,
}

/// The length of the comment that starts at `i` in the given style, if one does (to the end of its line, or
/// through `*/`; an unclosed block comment runs to the end of the text).
fn comment_len(bytes: &[u8], i: usize, style: CommentStyle) -> Option<usize> {
    let rest = &bytes[i..];
    let line = || rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    match style {
        CommentStyle::Shell if rest.first() == Some(&b'#') => Some(line()),
        CommentStyle::Cpp if rest.starts_with(b"//") => Some(line()),
        CommentStyle::C | CommentStyle::Cpp if rest.starts_with(b"/*") => Some(
            rest[2..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(rest.len(), |p| p + 4),
        ),
        _ => None,
    }
}

fn tokens(text: &str, comments: CommentStyle) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(n) = comment_len(bytes, i, comments) {
            line += bytes[i..i + n].iter().filter(|&&b| b == b'\n').count() as u32;
            i += n;
        } else if b == b'\n' {
            line += 1;
            i += 1;
        } else if b.is_ascii_whitespace() {
            i += 1;
        } else if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            let s = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
            {
                i += 1;
            }
            out.push(Tok {
                start: s as u32,
                end: i as u32,
                line,
                partner: None,
            });
        } else {
            out.push(Tok {
                start: i as u32,
                end: i as u32 + 1,
                line,
                partner: None,
            });
            i += 1;
        }
    }
    // Brackets paired with a stack; a closer that does not fit its opener pairs with nothing.
    let mut stack: Vec<usize> = Vec::new();
    for k in 0..out.len() {
        let c = bytes[out[k].start as usize];
        match c {
            b'(' | b'[' | b'{' => stack.push(k),
            b')' | b']' | b'}' => {
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                if let Some(&o) = stack.last() {
                    if bytes[out[o].start as usize] == want {
                        stack.pop();
                        out[o].partner = Some(k);
                        out[k].partner = Some(o);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Compiles a generic pattern under its rule's options; an empty one is an error.
pub fn compile(text: &str, opts: GenericOptions) -> Result<Generic, String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("...") {
            out.push(GTok::Ellipsis);
            rest = r;
            continue;
        }
        if rest.starts_with('$') {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let mv = format!("${name}");
            if is_metavariable(&mv) {
                out.push(GTok::Meta(mv));
                rest = &rest[1 + name.len()..];
                continue;
            }
        }
        let Some(c) = rest.chars().next() else { break };
        if c.is_alphanumeric() || c == '_' {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            rest = &rest[word.len()..];
            out.push(GTok::Text(word));
        } else {
            out.push(GTok::Text(c.to_string()));
            rest = &rest[c.len_utf8()..];
        }
    }
    if out.iter().all(|t| *t == GTok::Ellipsis) {
        return Err("the generic pattern has nothing to match".into());
    }
    Ok(Generic { toks: out, opts })
}

/// Every match of `p` in `text`, left to right, not overlapping; `steps` counts work against `budget`.
pub fn find(p: &Generic, text: &str, steps: &mut u64, budget: u64) -> Vec<Match> {
    let toks = tokens(text, p.opts.comments);
    let word = |t: &Tok| &text[t.start as usize..t.end as usize];
    // Leading and trailing ellipses add nothing to where a match starts and ends.
    let mut pat: &[GTok] = &p.toks;
    while pat.first() == Some(&GTok::Ellipsis) {
        pat = &pat[1..];
    }
    while pat.last() == Some(&GTok::Ellipsis) {
        pat = &pat[..pat.len() - 1];
    }
    // The shortest match from every start; one that holds another is dropped for it (Semgrep's generic
    // engine reports `x /j/ y`, not the run from an earlier `x` that reaches it); then left to right,
    // without overlaps.
    let mut found: Vec<(usize, usize, Bindings)> = Vec::new();
    let mut run = Run {
        toks: &toks,
        word: &word,
        span: p.opts.ellipsis_max_span,
        steps,
        budget,
    };
    for at in 0..toks.len() {
        if found.len() >= MAX_MATCHES || *run.steps >= budget {
            break;
        }
        let mut st = State::default();
        if let Some(end) = run.go(pat, at, &mut st) {
            if end > at {
                found.push((at, end, st.env));
            }
        }
    }
    let mut out = Vec::new();
    let mut next = 0;
    for (k, (at, end, env)) in found.iter().enumerate() {
        let holds_another = found[k + 1..]
            .iter()
            .take_while(|(a, _, _)| a < end)
            .any(|(_, e, _)| e <= end);
        if *at < next || holds_another {
            continue;
        }
        next = *end;
        out.push(Match {
            start: toks[*at].start,
            end: toks[end - 1].end,
            env: env
                .iter()
                .map(|(n, i)| {
                    (
                        n.as_str().into(),
                        Bound {
                            first: 1,
                            last: 0,
                            start: toks[*i].start,
                            end: toks[*i].end,
                        },
                    )
                })
                .collect::<Env>(),
        });
    }
    out
}

/// One search over a file's tokens: what every step of it reads, and the work it has done.
struct Run<'r, 't> {
    toks: &'r [Tok],
    word: &'r dyn Fn(&Tok) -> &'t str,
    /// How many line breaks one `...` may span.
    span: usize,
    steps: &'r mut u64,
    budget: u64,
}

impl Run<'_, '_> {
    /// Matches `pat` from token `i`; the end token index on success. A closing bracket of the pattern
    /// matches only the partner of the opening one it closes (`server { ... }` ends at the server's `}`).
    fn go(&mut self, pat: &[GTok], i: usize, st: &mut State) -> Option<usize> {
        *self.steps += 1;
        if *self.steps >= self.budget {
            return None;
        }
        let Some((first, rest)) = pat.split_first() else {
            return Some(i);
        };
        let toks = self.toks;
        match first {
            GTok::Ellipsis => {
                let from_line = toks.get(i.saturating_sub(1)).map_or(0, |t| t.line);
                let mut j = i;
                loop {
                    // The line breaks the `...` spans run from the token before it to the one after it.
                    if toks
                        .get(j)
                        .is_some_and(|t| (t.line - from_line) as usize > self.span)
                    {
                        return None;
                    }
                    let save = (st.env.len(), st.open.clone());
                    if let Some(end) = self.go(rest, j, st) {
                        return Some(end);
                    }
                    st.env.truncate(save.0);
                    st.open = save.1;
                    if j >= toks.len() {
                        return None;
                    }
                    j += 1;
                }
            }
            GTok::Meta(name) => {
                let t = toks.get(i)?;
                let w = (self.word)(t);
                if !w.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    return None;
                }
                let save = st.env.len();
                if let Some((_, prev)) = st.env.iter().find(|(n, _)| n == name) {
                    if (self.word)(&toks[*prev]) != w {
                        return None;
                    }
                } else if name != "$_" {
                    st.env.push((name.clone(), i));
                }
                let r = self.go(rest, i + 1, st);
                if r.is_none() {
                    st.env.truncate(save);
                }
                r
            }
            GTok::Text(s) => {
                let t = toks.get(i)?;
                ((self.word)(t) == s).then_some(())?;
                match s.as_str() {
                    "(" | "[" | "{" => {
                        st.open.push(i);
                        let r = self.go(rest, i + 1, st);
                        if r.is_none() {
                            st.open.pop();
                        }
                        r
                    }
                    ")" | "]" | "}" => {
                        let opened = st.open.last().copied();
                        if opened.is_some_and(|o| toks[o].partner != Some(i)) {
                            return None;
                        }
                        st.open.pop();
                        let r = self.go(rest, i + 1, st);
                        if r.is_none() {
                            if let Some(o) = opened {
                                st.open.push(o);
                            }
                        }
                        r
                    }
                    _ => self.go(rest, i + 1, st),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(pattern: &str, text: &str) -> Vec<u32> {
        lines_with(GenericOptions::default(), pattern, text)
    }

    fn lines_with(opts: GenericOptions, pattern: &str, text: &str) -> Vec<u32> {
        let p = compile(pattern, opts).unwrap();
        let mut steps = 0;
        find(&p, text, &mut steps, 1_000_000)
            .iter()
            .map(|m| text[..m.start as usize].matches('\n').count() as u32 + 1)
            .collect()
    }

    #[test]
    fn tokens_metavariables_and_ellipsis() {
        let conf = "server {\n  listen 80;\n  ssl_verify off;\n}\nproxy_ssl_verify   off ;\n";
        assert_eq!(lines("ssl_verify off", conf), [3]);
        assert_eq!(lines("$K off;", conf), [3, 5]);
        assert_eq!(lines("server { ... ssl_verify off; ... }", conf), [1]);
        let far = format!("a = 1\n{}b = 2\n", "x\n".repeat(20));
        assert_eq!(lines("a ... b", &far), Vec::<u32>::new());
        assert_eq!(lines("$X = 1 ... $X", "v = 1\nv\nw = 1\nq\n"), [1]);
        assert!(compile("...", GenericOptions::default()).is_err());
    }

    #[test]
    fn options_bound_the_ellipsis_and_drop_comments() {
        let one_line = GenericOptions {
            ellipsis_max_span: 0,
            ..GenericOptions::default()
        };
        let text = "TODO fix this\nlater\nTODO see jira\n";
        assert_eq!(lines("TODO ... later", text), [1]);
        assert_eq!(
            lines_with(one_line, "TODO ... later", text),
            Vec::<u32>::new()
        );
        assert_eq!(lines_with(one_line, "TODO ... jira", text), [3]);
        let conf =
            "# ssl_verify off\nx = 1 // ssl_verify off\n/* ssl_verify\noff */ ssl_verify on\n";
        assert_eq!(lines("ssl_verify off", conf), [1, 2, 3]);
        let with = |comments| GenericOptions {
            comments,
            ..GenericOptions::default()
        };
        assert_eq!(
            lines_with(with(CommentStyle::Shell), "ssl_verify off", conf),
            [2, 3]
        );
        assert_eq!(
            lines_with(with(CommentStyle::C), "ssl_verify off", conf),
            [1, 2]
        );
        assert_eq!(
            lines_with(with(CommentStyle::Cpp), "ssl_verify off", conf),
            [1]
        );
        // Lines still count across a block comment: `a` and `b` stay 11 lines apart.
        let far = format!("a /*{}*/ b\n", "\n".repeat(11));
        assert_eq!(
            lines_with(with(CommentStyle::C), "a ... b", &far),
            Vec::<u32>::new()
        );
    }
}
