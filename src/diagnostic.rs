//! Diagnostics: problems with the input or the run (not findings). Each prints as one line naming the file,
//! and lands in the SARIF run's `toolExecutionNotifications`.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is. `Error` means a check could not run: the exit code becomes 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something the user may want to know (a skipped symlink).
    Note,
    /// The scan went on, but something was skipped or is suspicious.
    Warning,
    /// A check could not run; the gate fails closed.
    Error,
}

impl Level {
    /// Lower-case name, also the SARIF notification level.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Severity of the problem.
    pub level: Level,
    /// Stable kebab-case code (`unreadable-file`, `file-too-large`).
    pub code: &'static str,
    /// Path relative to the scan root (or the config path), when the problem is about a file.
    pub path: Option<String>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What went wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about a file.
    pub fn file(
        level: Level,
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            code,
            path: Some(path.into()),
            line: None,
            message: message.into(),
        }
    }

    /// A diagnostic about a line of a file.
    pub fn at(
        level: Level,
        code: &'static str,
        path: impl Into<String>,
        line: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            code,
            path: Some(path.into()),
            line: Some(line),
            message: message.into(),
        }
    }

    /// A diagnostic about the run as a whole.
    pub fn general(level: Level, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            level,
            code,
            path: None,
            line: None,
            message: message.into(),
        }
    }

    /// Sort key: path, line, then the rest, so output is deterministic.
    pub fn sort_key(&self) -> (Option<&str>, Option<u32>, &str, Level, &str) {
        (
            self.path.as_deref(),
            self.line,
            self.code,
            self.level,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.level.as_str())?;
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{p}:{l}: ")?,
            (Some(p), None) => write!(f, "{p}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}
