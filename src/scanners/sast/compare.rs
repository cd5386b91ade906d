//! `metavariable-comparison` expressions (Semgrep's small Python-like language: integers, floats, strings,
//! `$X`, arithmetic, comparisons, `and`/`or`/`not`, `int()`, `str()`, `re.match()`), and the `redos`
//! analysis.

use thiserror::Error;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal.
    Lit(Value),
    /// A metavariable.
    Var(String),
    /// A unary operator (`not`, `-`).
    Unary(&'static str, Box<Expr>),
    /// A binary operator.
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// A call of `int`, `str`, `float` or `re.match`.
    Call(String, Vec<Expr>),
}

/// A value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
}

impl Value {
    /// The value of a metavariable's text: a number when it reads as one (in `base`), else a string
    /// (a quoted literal without its quotes).
    pub fn of(text: &str, base: u32) -> Value {
        let t = text.trim().replace('_', "");
        let digits = match base {
            16 => t.trim_start_matches("0x").trim_start_matches("0X"),
            8 => t.trim_start_matches("0o").trim_start_matches("0O"),
            2 => t.trim_start_matches("0b").trim_start_matches("0B"),
            _ => t.as_str(),
        };
        if let Ok(i) = i128::from_str_radix(digits, base) {
            return Value::Int(i);
        }
        if base == 10 {
            if let Ok(f) = t.parse::<f64>() {
                return Value::Float(f);
            }
        }
        Value::Str(crate::lang::unquote(text.trim()).to_string())
    }

    fn truthy(&self) -> bool {
        match self {
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
        }
    }

    fn num(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bool(b) => Some(*b as u8 as f64),
            Value::Str(_) => None,
        }
    }
}

/// An expression that does not parse.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{0}")]
pub struct ExprError(String);

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(String),
    Str(String),
    Name(String),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "==", "!=", "<=", ">=", "**", "//", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",",
];

fn lex(s: &str) -> Result<Vec<Tok>, ExprError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            out.push(Tok::Num(chars[start..i].iter().collect()));
        } else if c == '"' || c == '\'' {
            let mut v = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                v.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err(ExprError("unterminated string".into()));
            }
            i += 1;
            out.push(Tok::Str(v));
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
            {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else if let Some(op) = OPS.iter().find(|op| {
            let n = op.len();
            i + n <= chars.len() && chars[i..i + n].iter().collect::<String>() == **op
        }) {
            i += op.len();
            out.push(Tok::Op(op));
        } else {
            return Err(ExprError(format!("unexpected character `{c}`")));
        }
        if out.len() > 10_000 {
            return Err(ExprError("expression too long".into()));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn eat_name(&mut self, n: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Name(x)) if x == n) {
            self.at += 1;
            return true;
        }
        false
    }

    fn eat_op(&mut self, ops: &[&'static str]) -> Option<&'static str> {
        if let Some(Tok::Op(o)) = self.peek() {
            if let Some(found) = ops.iter().find(|x| *x == o) {
                self.at += 1;
                return Some(found);
            }
        }
        None
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        self.depth += 1;
        if self.depth > 100 {
            return Err(ExprError("expression nests too deeply".into()));
        }
        let mut l = self.and()?;
        while self.eat_name("or") {
            l = Expr::Binary("or", Box::new(l), Box::new(self.and()?));
        }
        self.depth -= 1;
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.not()?;
        while self.eat_name("and") {
            l = Expr::Binary("and", Box::new(l), Box::new(self.not()?));
        }
        Ok(l)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.eat_name("not") {
            return Ok(Expr::Unary("not", Box::new(self.not()?)));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.sum()?;
        while let Some(op) = self.eat_op(&["==", "!=", "<=", ">=", "<", ">"]) {
            l = Expr::Binary(op, Box::new(l), Box::new(self.sum()?));
        }
        if self.eat_name("in") {
            l = Expr::Binary("in", Box::new(l), Box::new(self.sum()?));
        }
        Ok(l)
    }

    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.term()?;
        while let Some(op) = self.eat_op(&["+", "-"]) {
            l = Expr::Binary(op, Box::new(l), Box::new(self.term()?));
        }
        Ok(l)
    }

    fn term(&mut self) -> Result<Expr, ExprError> {
        let mut l = self.unary()?;
        while let Some(op) = self.eat_op(&["*", "//", "/", "%", "**"]) {
            l = Expr::Binary(op, Box::new(l), Box::new(self.unary()?));
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.eat_op(&["-"]).is_some() {
            return Ok(Expr::Unary("-", Box::new(self.unary()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ExprError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(ExprError("unexpected end of expression".into()));
        };
        self.at += 1;
        match tok {
            Tok::Num(n) => {
                let v = Value::of(&n, 10);
                match v {
                    Value::Str(_) => {
                        match n.strip_prefix("0x").map(|h| i128::from_str_radix(h, 16)) {
                            Some(Ok(i)) => Ok(Expr::Lit(Value::Int(i))),
                            _ => Err(ExprError(format!("bad number `{n}`"))),
                        }
                    }
                    v => Ok(Expr::Lit(v)),
                }
            }
            Tok::Str(s) => Ok(Expr::Lit(Value::Str(s))),
            Tok::Name(n) if n == "True" || n == "true" => Ok(Expr::Lit(Value::Bool(true))),
            Tok::Name(n) if n == "False" || n == "false" => Ok(Expr::Lit(Value::Bool(false))),
            Tok::Name(n) if n.starts_with('$') => Ok(Expr::Var(n)),
            Tok::Name(n) => {
                if self.eat_op(&["("]).is_none() {
                    return Err(ExprError(format!("unknown name `{n}`")));
                }
                if !matches!(n.as_str(), "int" | "str" | "float" | "re.match" | "len") {
                    return Err(ExprError(format!("unsupported function `{n}`")));
                }
                let mut args = Vec::new();
                if self.eat_op(&[")"]).is_none() {
                    loop {
                        args.push(self.or()?);
                        if self.eat_op(&[")"]).is_some() {
                            break;
                        }
                        if self.eat_op(&[","]).is_none() {
                            return Err(ExprError("expected `,` or `)`".into()));
                        }
                    }
                }
                Ok(Expr::Call(n, args))
            }
            Tok::Op("(") => {
                let e = self.or()?;
                self.eat_op(&[")"])
                    .ok_or_else(|| ExprError("missing `)`".into()))?;
                Ok(e)
            }
            Tok::Op(o) => Err(ExprError(format!("unexpected `{o}`"))),
        }
    }
}

/// Parses a comparison expression.
pub fn parse(s: &str) -> Result<Expr, ExprError> {
    let mut p = Parser {
        toks: lex(s)?,
        at: 0,
        depth: 0,
    };
    let e = p.or()?;
    if p.at != p.toks.len() {
        return Err(ExprError(format!(
            "unexpected text after the expression in `{s}`"
        )));
    }
    Ok(e)
}

fn eval(e: &Expr, var: &dyn Fn(&str) -> Option<Value>) -> Option<Value> {
    Some(match e {
        Expr::Lit(v) => v.clone(),
        Expr::Var(n) => var(n)?,
        Expr::Unary("not", x) => Value::Bool(!eval(x, var)?.truthy()),
        Expr::Unary(_, x) => match eval(x, var)? {
            Value::Int(i) => Value::Int(-i),
            v => Value::Float(-v.num()?),
        },
        Expr::Binary("and", a, b) => Value::Bool(eval(a, var)?.truthy() && eval(b, var)?.truthy()),
        Expr::Binary("or", a, b) => Value::Bool(eval(a, var)?.truthy() || eval(b, var)?.truthy()),
        Expr::Binary(op, a, b) => {
            let (x, y) = (eval(a, var)?, eval(b, var)?);
            binary(op, &x, &y)?
        }
        Expr::Call(f, args) => {
            let a: Vec<Value> = args.iter().map(|x| eval(x, var)).collect::<Option<_>>()?;
            match (f.as_str(), a.as_slice()) {
                ("int", [Value::Str(s)]) => {
                    Value::of(s, 10).num().map(|n| Value::Int(n as i128))?
                }
                ("int", [v]) => Value::Int(v.num()? as i128),
                ("float", [v]) => match v {
                    Value::Str(s) => Value::Float(s.trim().parse().ok()?),
                    v => Value::Float(v.num()?),
                },
                ("str", [v]) => Value::Str(match v {
                    Value::Str(s) => s.clone(),
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Bool(b) => {
                        if *b {
                            "True".into()
                        } else {
                            "False".into()
                        }
                    }
                }),
                ("len", [Value::Str(s)]) => Value::Int(s.chars().count() as i128),
                ("re.match", [Value::Str(re), Value::Str(s)]) => {
                    let re = super::re::Re::new(&format!("\\A(?:{re})"), 1 << 20).ok()?;
                    Value::Bool(re.is_match(s))
                }
                _ => return None,
            }
        }
    })
}

fn binary(op: &str, x: &Value, y: &Value) -> Option<Value> {
    use std::cmp::Ordering;
    let ord = match (x, y) {
        (Value::Str(a), Value::Str(b)) => Some(a.cmp(b)),
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        _ => x.num().zip(y.num()).and_then(|(a, b)| a.partial_cmp(&b)),
    };
    Some(match op {
        "==" => Value::Bool(ord == Some(Ordering::Equal)),
        "!=" => Value::Bool(ord != Some(Ordering::Equal)),
        "<" => Value::Bool(ord? == Ordering::Less),
        "<=" => Value::Bool(ord? != Ordering::Greater),
        ">" => Value::Bool(ord? == Ordering::Greater),
        ">=" => Value::Bool(ord? != Ordering::Less),
        "in" => match (x, y) {
            (Value::Str(a), Value::Str(b)) => Value::Bool(b.contains(a.as_str())),
            _ => return None,
        },
        "+" => match (x, y) {
            (Value::Str(a), Value::Str(b)) => Value::Str(format!("{a}{b}")),
            (Value::Int(a), Value::Int(b)) => Value::Int(a.checked_add(*b)?),
            _ => Value::Float(x.num()? + y.num()?),
        },
        "-" | "*" | "%" | "//" => match (x, y) {
            (Value::Int(a), Value::Int(b)) => Value::Int(match op {
                "-" => a.checked_sub(*b)?,
                "*" => a.checked_mul(*b)?,
                "%" => a.checked_rem_euclid(*b)?,
                _ => a.checked_div_euclid(*b)?,
            }),
            _ => {
                let (a, b) = (x.num()?, y.num()?);
                Value::Float(match op {
                    "-" => a - b,
                    "*" => a * b,
                    "%" => a % b,
                    _ => (a / b).floor(),
                })
            }
        },
        "/" => Value::Float(x.num()? / y.num()?),
        "**" => Value::Float(x.num()?.powf(y.num()?)),
        _ => return None,
    })
}

/// Whether the expression holds with these metavariable values (an unbound or ill-typed operand: no).
pub fn truthy(e: &Expr, var: &dyn Fn(&str) -> Option<Value>) -> bool {
    eval(e, var).is_some_and(|v| v.truthy())
}

/// `metavariable-analysis: redos`: a regex with a quantified group that itself holds a quantifier or
/// alternation (`(a+)+`, `(a|aa)*`), the shape behind catastrophic backtracking.
pub fn redos_prone(re: &str) -> bool {
    let chars: Vec<char> = re.chars().collect();
    let mut stack: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '(' => stack.push(false),
            ')' => {
                let inner = stack.pop().unwrap_or(false);
                let quantified = matches!(chars.get(i + 1), Some('*' | '+' | '{'));
                if inner && quantified {
                    return true;
                }
                if let Some(top) = stack.last_mut() {
                    *top |= inner || quantified;
                }
            }
            '*' | '+' | '|' => {
                if let Some(top) = stack.last_mut() {
                    *top = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(expr: &str, vars: &[(&str, &str)]) -> bool {
        let e = parse(expr).unwrap();
        truthy(&e, &|n| {
            vars.iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| Value::of(v, 10))
        })
    }

    #[test]
    fn comparisons_arithmetic_and_logic() {
        assert!(holds("$X > 1024", &[("$X", "2048")]));
        assert!(!holds("$X > 1024", &[("$X", "80")]));
        assert!(holds(
            "$X < 2048 and not $Y == 'a'",
            &[("$X", "1"), ("$Y", "'b'")]
        ));
        assert!(holds("int($P) % 2 == 0 or $P == 3", &[("$P", "3")]));
        assert!(holds("re.match('^md', $A)", &[("$A", "\"md5\"")]));
        assert!(holds("str($N) == '7'", &[("$N", "7")]));
        assert!(!holds("$MISSING > 1", &[]));
        assert!(parse("$X >").is_err());
        assert!(parse("os.system('x')").is_err());
    }

    #[test]
    fn redos_shapes() {
        assert!(redos_prone("(a+)+$"));
        assert!(redos_prone("^(a|aa)*b"));
        assert!(!redos_prone("^[a-z]+$"));
        assert!(!redos_prone("(ab)+"));
    }
}
