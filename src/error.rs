//! Error kinds. Every error type of the library says which [`ErrorKind`] it is, and the kind decides the exit
//! code, in one place ([`ErrorKind::exit_code`]), so that the binary never guesses from a message.

/// What kind of problem stopped a run or a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line or the configuration is wrong (unknown key or value, invalid glob or selector).
    Usage,
    /// Input could not be read or parsed (a scan path, a baseline, a file in the tree).
    Input,
    /// Advisory data is missing, unreadable or invalid.
    Data,
    /// A rule does not load.
    Rule,
    /// A download or an API call failed.
    Network,
    /// The run itself failed (threads, writing an output).
    Internal,
}

impl ErrorKind {
    /// The exit code of a run stopped by this kind of error. Every kind is 2 today ("a check could not run,
    /// or the run was misconfigured"): 0 and 1 belong to the gate's verdict only.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Usage
            | ErrorKind::Input
            | ErrorKind::Data
            | ErrorKind::Rule
            | ErrorKind::Network
            | ErrorKind::Internal => 2,
        }
    }

    /// The kind's name, as shown in JSON diagnostics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Usage => "usage",
            ErrorKind::Input => "input",
            ErrorKind::Data => "data",
            ErrorKind::Rule => "rule",
            ErrorKind::Network => "network",
            ErrorKind::Internal => "internal",
        }
    }
}

/// An error that knows its kind.
pub trait Kind {
    /// The kind of this error.
    fn kind(&self) -> ErrorKind;
}

/// Implements [`Kind`] for the types with one kind, and [`kind_of`] over those and the types whose kind
/// depends on the variant (their impls are below): one list of every error type.
macro_rules! error_kinds {
    (fixed { $($t:ty => $k:ident),* $(,)? } by_variant { $($v:ty),* $(,)? }) => {
        $(impl Kind for $t {
            fn kind(&self) -> ErrorKind {
                ErrorKind::$k
            }
        })*

        /// The kind of the first error in a chain that knows one (`None`: none does).
        pub fn kind_of(err: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
            let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
            while let Some(e) = cur {
                $(if let Some(x) = e.downcast_ref::<$t>() {
                    return Some(x.kind());
                })*
                $(if let Some(x) = e.downcast_ref::<$v>() {
                    return Some(x.kind());
                })*
                cur = e.source();
            }
            None
        }
    };
}

error_kinds! {
    fixed {
        crate::config::ConfigError => Usage,
        crate::config::SizeError => Usage,
        crate::discover::GlobError => Usage,
        crate::policy::select::SelectorError => Usage,
        crate::scanners::UnknownScanner => Usage,
        crate::rules::DuplicateRule => Rule,
        crate::scanners::RuleError => Rule,
        crate::scanners::ScanError => Input,
        crate::source::ReadError => Input,
        crate::lockfile::package::LockfileError => Input,
        crate::policy::baseline::BaselineError => Input,
        crate::advisory::db::DbError => Data,
        crate::advisory::index::IndexError => Data,
        crate::advisory::index::RecordError => Data,
        crate::scanners::deps::NoSources => Data,
        crate::scanners::deps::DbUnavailable => Data,
        crate::advisory::online::OnlineError => Network,
    }
    by_variant {
        crate::scan::SetupError,
        crate::advisory::update::UpdateError,
    }
}

impl Kind for crate::scan::SetupError {
    fn kind(&self) -> ErrorKind {
        match self {
            crate::scan::SetupError::Rule(e) => e.kind(),
            crate::scan::SetupError::Glob(e) => e.kind(),
            crate::scan::SetupError::Threads { .. } => ErrorKind::Internal,
        }
    }
}

impl Kind for crate::advisory::update::UpdateError {
    fn kind(&self) -> ErrorKind {
        use crate::advisory::update::UpdateError as E;
        match self {
            E::Io { .. } => ErrorKind::Internal,
            E::Invalid { .. } => ErrorKind::Data,
            E::Http { .. } | E::Timeout { .. } | E::Transport { .. } => ErrorKind::Network,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error wrapping another, as the binary's context does.
    #[derive(Debug, thiserror::Error)]
    #[error("while loading")]
    struct Wrapper(#[source] crate::config::ConfigError);

    #[test]
    fn kinds_are_found_through_a_chain() {
        let inner = crate::config::ConfigError {
            path: "portcullis.toml".into(),
            position: None,
            message: "bad".into(),
        };
        assert_eq!(kind_of(&Wrapper(inner)), Some(ErrorKind::Usage));
        let io = std::io::Error::other("disk on fire");
        assert_eq!(kind_of(&io), None);
        let db = crate::advisory::db::DbError {
            path: "x".into(),
            message: "gone".into(),
        };
        assert_eq!(kind_of(&db), Some(ErrorKind::Data));
        assert!([ErrorKind::Usage, ErrorKind::Data, ErrorKind::Internal]
            .iter()
            .all(|k| k.exit_code() == 2));
    }
}
