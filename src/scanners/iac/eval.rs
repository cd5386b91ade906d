//! Conditions against one subject, in three values: a condition holds (with the place that proves it), does
//! not hold, or cannot be decided because a value it needs is unknown (a Terraform expression, a
//! CloudFormation `!Ref`). A check reports only what holds: an unknown value is never taken as safe or unsafe.

use super::check::{Cond, Path, Presence, Scalar, Seg, Test};
use crate::document::{Node, Value};
use std::ops::ControlFlow;

/// A byte range of the file.
pub type Span = (u32, u32);

/// What a check is evaluated on: a container, a resource, a step…
pub struct Subject<'a> {
    /// Its subject kind (`container`).
    pub on: &'static str,
    /// The document kind or resource type the check's `kinds` select on (`Deployment`, `aws_s3_bucket`).
    pub kind: std::borrow::Cow<'a, str>,
    /// How findings name it (`container "app" of Deployment/web`), before [`Subject::within`].
    pub name: std::borrow::Cow<'a, str>,
    /// What it is in, shared by its siblings (`stage `build``): the name is `{name} in {within}`.
    pub within: Option<std::rc::Rc<str>>,
    /// Its value.
    pub node: &'a Node,
    /// Where a finding about a missing attribute points: the subject's header.
    pub header: Span,
    /// Named contexts that paths may start from (`$pod`, `$object`, `$job`).
    pub context: Vec<(&'static str, &'a Node)>,
}

impl Subject<'_> {
    /// Its whole name, as findings show it.
    pub fn display_name(&self) -> std::borrow::Cow<'_, str> {
        match &self.within {
            Some(w) => format!("{} in {w}", self.name).into(),
            None => std::borrow::Cow::Borrowed(&self.name),
        }
    }
}

/// The three values of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    /// It holds; at this place, when one value proves it.
    True(Option<Span>),
    /// It does not hold.
    False,
    /// A value it needs is unknown.
    Unknown,
}

/// Where a path starts: the subject's value, a named context, or `$value` (inside `some: 'm.~'`, the value
/// of the key being looked at).
fn start<'a>(
    path: &Path,
    root: &'a Node,
    s: &Subject<'a>,
    value: Option<&'a Node>,
) -> Option<&'a Node> {
    match path.context.as_deref() {
        None => Some(root),
        Some("value") => value,
        Some(c) => s.context.iter().find(|(n, _)| *n == c).map(|(_, n)| *n),
    }
}

/// Calls `f` on each node the steps `segs` lead to from `n`, in document order, until it breaks; `unknown`
/// is set when the way passed a value the file does not tell.
fn visit<'a>(
    segs: &[Seg],
    n: &'a Node,
    unknown: &mut bool,
    f: &mut dyn FnMut(&'a Node) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let Some((seg, rest)) = segs.split_first() else {
        return f(n);
    };
    if n.is_unknown() {
        *unknown = true;
        return ControlFlow::Continue(());
    }
    // A `dynamic` block may add items the file does not show.
    if n.tag.as_deref() == Some("dynamic") && matches!(seg, Seg::Key(_)) {
        *unknown = true;
    }
    match (seg, &n.value) {
        (Seg::Key(k), Value::Map(_)) => {
            if let Some(v) = n.get(k) {
                visit(rest, v, unknown, f)?;
            }
        }
        (Seg::Any | Seg::Items, Value::Seq(items)) => {
            for i in items {
                visit(rest, i, unknown, f)?;
            }
        }
        (Seg::Items | Seg::Index(0 | -1), Value::Map(_)) if is_json_block(n) => {
            visit(rest, n, unknown, f)?;
        }
        (Seg::Any | Seg::Items, Value::Map(m)) => {
            for (_, v) in m {
                visit(rest, v, unknown, f)?;
            }
        }
        (Seg::Keys, Value::Map(m)) => {
            for (k, _) in m {
                visit(rest, k, unknown, f)?;
            }
        }
        (Seg::Index(i), Value::Seq(items)) => {
            let at = if *i < 0 {
                items.len().checked_sub(i.unsigned_abs() as usize)
            } else {
                usize::try_from(*i).ok()
            };
            if let Some(v) = at.and_then(|a| items.get(a)) {
                visit(rest, v, unknown, f)?;
            }
        }
        _ => {}
    }
    ControlFlow::Continue(())
}

/// [`visit`] from where `path` starts; whether it passed an unknown value.
fn walk<'a>(
    path: &Path,
    segs: &[Seg],
    root: &'a Node,
    s: &Subject<'a>,
    value: Option<&'a Node>,
    f: &mut dyn FnMut(&'a Node) -> ControlFlow<()>,
) -> bool {
    let mut unknown = false;
    let Some(n) = start(path, root, s, value) else {
        return false;
    };
    let _ = visit(segs, n, &mut unknown, f);
    unknown
}

/// An object of Terraform's JSON syntax that may be one nested block (see `document::hcl`).
fn is_json_block(n: &Node) -> bool {
    matches!(n.tag.as_deref(), Some("block" | "dynamic"))
}

fn span(n: &Node) -> Option<Span> {
    Some((n.start, n.end))
}

fn equals(n: &Node, want: &Scalar) -> bool {
    // As the scalar's text compares, without writing numbers out where the value tells.
    match (want, &n.value) {
        (Scalar::Num(x), _) => number(n) == Some(*x),
        (Scalar::Bool(b), Value::Bool(v)) => v == b,
        (Scalar::Bool(b), Value::Str(s)) => {
            s.eq_ignore_ascii_case(if *b { "true" } else { "false" })
        }
        (Scalar::Str(w), Value::Str(s)) => s == w,
        (Scalar::Str(w), Value::Int(i)) => {
            use compact_str::ToCompactString;
            i.to_compact_string() == **w
        }
        (Scalar::Str(w), _) => n.scalar_text().is_some_and(|t| *t == **w),
        (Scalar::Bool(_), _) => false,
    }
}

/// A scalar as a number: its value, or its text read as one.
fn number(n: &Node) -> Option<f64> {
    match &n.value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn test_one(n: &Node, t: &Test) -> Tri {
    if n.is_unknown() {
        return Tri::Unknown;
    }
    let yes = match t {
        Test::Equals(v) => equals(n, v),
        Test::In(vs) => vs.iter().any(|v| equals(n, v)),
        Test::Matches(re) => n.scalar_text().is_some_and(|t| re.is_match(&t)),
        Test::Contains(v) => match &n.value {
            Value::Seq(items) => {
                if let Some(hit) = items.iter().find(|i| equals(i, v)) {
                    return Tri::True(span(hit));
                }
                if items.iter().any(Node::is_unknown) {
                    return Tri::Unknown;
                }
                false
            }
            Value::Str(s) => match v {
                Scalar::Str(w) => s.contains(w.as_str()),
                _ => equals(n, v),
            },
            _ => false,
        },
        Test::Compare(op, x) => match number(n) {
            Some(v) => match *op {
                "gt" => v > *x,
                "gte" => v >= *x,
                "lt" => v < *x,
                _ => v <= *x,
            },
            None => false,
        },
    };
    if yes {
        Tri::True(span(n))
    } else {
        Tri::False
    }
}

/// What a condition is when nothing made it hold: unknown if a value it needed was, else false.
fn undecided_or_false(undecided: bool) -> Tri {
    if undecided {
        Tri::Unknown
    } else {
        Tri::False
    }
}

/// Evaluates `c` with relative paths starting at `root`.
pub fn eval<'a>(c: &Cond, root: &'a Node, s: &Subject<'a>) -> Tri {
    eval_at(c, root, s, None)
}

/// [`eval`], with `$value` the value of the mapping key `root` is (inside `some: 'm.~'`).
fn eval_at<'a>(c: &Cond, root: &'a Node, s: &Subject<'a>, value: Option<&'a Node>) -> Tri {
    match c {
        Cond::Presence(path, p) => {
            // `present` counts a null value; the others do not. An expression is a value that is there.
            let mut first = None;
            let unknown = walk(path, &path.segs, root, s, value, &mut |n| {
                if matches!(p, Presence::Present) || !matches!(n.value, Value::Null) {
                    first = Some(n);
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            });
            match (p, first, unknown) {
                (Presence::Missing, Some(_), _) => Tri::False,
                (Presence::Missing, None, false) => Tri::True(None),
                (_, Some(n), _) => Tri::True(span(n)),
                (_, None, true) => Tri::Unknown,
                (_, None, false) => Tri::False,
            }
        }
        Cond::Test(path, t) => first_true(path, &path.segs, root, s, value, &mut |n| {
            if matches!(n.value, Value::Null) {
                Tri::False
            } else {
                test_one(n, t)
            }
        }),
        Cond::Not(inner) => match eval_at(inner, root, s, value) {
            Tri::True(_) => Tri::False,
            Tri::False => Tri::True(None),
            Tri::Unknown => Tri::Unknown,
        },
        Cond::All(cs) => {
            let mut at = None;
            let mut undecided = false;
            for c in cs {
                match eval_at(c, root, s, value) {
                    Tri::False => return Tri::False,
                    Tri::Unknown => undecided = true,
                    Tri::True(a) => at = a.or(at),
                }
            }
            if undecided {
                Tri::Unknown
            } else {
                Tri::True(at)
            }
        }
        Cond::Any(cs) => {
            let mut undecided = false;
            for c in cs {
                match eval_at(c, root, s, value) {
                    Tri::True(a) => return Tri::True(a),
                    Tri::Unknown => undecided = true,
                    Tri::False => {}
                }
            }
            undecided_or_false(undecided)
        }
        // Over the keys of mappings, each key is looked at with its value as `$value`.
        Cond::Some(path, inner) => match path.segs.split_last() {
            Some((Seg::Keys, parent)) => first_true(path, parent, root, s, value, &mut |m| {
                let mut undecided = false;
                for (k, v) in m.as_map().unwrap_or_default() {
                    match eval_at(inner, k, s, Some(v)) {
                        Tri::True(a) => return Tri::True(a.or(span(k))),
                        Tri::Unknown => undecided = true,
                        Tri::False => {}
                    }
                }
                undecided_or_false(undecided)
            }),
            _ => first_true(path, &path.segs, root, s, value, &mut |n| match eval_at(
                inner, n, s, value,
            ) {
                Tri::True(a) => Tri::True(a.or(span(n))),
                other => other,
            }),
        },
    }
}

/// The first of the nodes `segs` lead to from where `path` starts for which `test` holds, with the place
/// it gives; else unknown when the test or the way was undecided, else false.
fn first_true<'a>(
    path: &Path,
    segs: &[Seg],
    root: &'a Node,
    s: &Subject<'a>,
    value: Option<&'a Node>,
    test: &mut dyn FnMut(&'a Node) -> Tri,
) -> Tri {
    let mut found = None;
    let mut undecided = false;
    let unknown = walk(path, segs, root, s, value, &mut |n| match test(n) {
        Tri::True(at) => {
            found = Some(at);
            ControlFlow::Break(())
        }
        Tri::Unknown => {
            undecided = true;
            ControlFlow::Continue(())
        }
        Tri::False => ControlFlow::Continue(()),
    });
    match found {
        Some(at) => Tri::True(at),
        None => undecided_or_false(undecided || unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::yaml::parse_stream;
    use crate::scanners::iac::check::load;

    fn run(report: &str, doc: &str) -> Tri {
        let text = format!("id: x\ntitle: t\nseverity: high\nplatform: kubernetes\non: container\nequivalents: none\nwhy: w\nfix: f\nreport: {report}\n");
        let check = load(&text).unwrap_or_else(|e| panic!("{e}"));
        let docs = parse_stream(doc).unwrap_or_else(|e| panic!("{e}"));
        let s = Subject {
            on: "container",
            kind: "Pod".into(),
            name: "c".into(),
            within: None,
            node: &docs[0],
            header: (0, 1),
            context: vec![("pod", &docs[0])],
        };
        let Some(c) = &check.report else {
            panic!("no condition")
        };
        eval(c, s.node, &s)
    }

    #[test]
    fn three_valued_conditions() {
        let doc = "a: {b: true, n: 3}\nl: [x, y]\nr: !Ref P\n";
        assert_eq!(
            run("{path: a.b, equals: true}", doc),
            Tri::True(Some((7, 11)))
        );
        assert_eq!(run("{path: a.c, missing: true}", doc), Tri::True(None));
        assert_eq!(run("{path: a.n, gt: 2}", doc), Tri::True(Some((16, 17))));
        assert_eq!(
            run("{path: l, contains: y}", doc),
            Tri::True(Some((26, 27)))
        );
        assert_eq!(run("{not: {path: 'l[*]', in: [x, z]}}", doc), Tri::False);
        assert_eq!(run("{path: r, equals: P}", doc), Tri::Unknown);
        assert_eq!(run("{not: {path: r, equals: P}}", doc), Tri::Unknown);
        assert_eq!(run("{path: r.x, missing: true}", doc), Tri::Unknown);
        assert_eq!(
            run(
                "{any: [{path: r, equals: P}, {path: a.b, equals: true}]}",
                doc
            ),
            Tri::True(Some((7, 11)))
        );
        assert_eq!(
            run("{some: 'l[*]', where: {path: '', equals: y}}", doc),
            Tri::True(Some((26, 27)))
        );
        assert_eq!(
            run("{path: $pod.a.n, equals: 3}", doc),
            Tri::True(Some((16, 17)))
        );
        // A key and its value together.
        assert_eq!(
            run(
                "{some: 'a.~', where: {all: [{path: '', equals: n}, {path: $value, gt: 2}]}}",
                doc
            ),
            Tri::True(Some((16, 17)))
        );
        assert_eq!(
            run(
                "{some: 'a.~', where: {all: [{path: '', equals: b}, {path: $value, gt: 2}]}}",
                doc
            ),
            Tri::False
        );
    }
}
