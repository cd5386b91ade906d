//! The one HTTP layer: how agents are built (timeouts, user agent, no transparent decompression where the
//! bytes are checked), and how transport errors, statuses and bodies are described. `db update` and the OSV
//! API client (`--online`) both go through it; nothing else in the crate speaks HTTP.

use std::time::Duration;

/// How long an agent waits.
#[derive(Clone, Copy, Debug)]
pub enum Timeouts {
    /// One budget for the whole request (small API calls).
    Whole(Duration),
    /// A connect timeout and the longest stall while waiting for the response or more body (large downloads,
    /// which may take long as long as they keep flowing).
    Stall(Duration),
}

/// An agent that reports HTTP statuses as responses (callers decide), with our user agent. With
/// `identity`, bodies are requested unencoded: the bytes stored are the bytes sent, so their length and hash
/// can be checked.
pub fn agent(timeouts: Timeouts, identity: bool) -> ureq::Agent {
    let b = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .user_agent(user_agent());
    let b = match timeouts {
        Timeouts::Whole(t) => b.timeout_connect(Some(t)).timeout_global(Some(t)),
        Timeouts::Stall(t) => b
            .timeout_connect(Some(t))
            .timeout_recv_response(Some(t))
            .timeout_per_read(Some(t)),
    };
    let b = if identity {
        b.accept_encoding("identity")
    } else {
        b
    };
    b.build().new_agent()
}

/// `30s`, or `200ms` when the duration is not whole seconds.
pub fn format_duration(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// Whether a ureq error (possibly wrapped in an I/O error by a body reader) is a timeout.
pub fn is_timeout(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => io_is_timeout(io),
        _ => false,
    }
}

/// Whether an I/O error from reading a response body is a timeout.
pub fn io_is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    ) || e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(is_timeout)
}

/// `200 OK`-style status text.
pub fn status_text(status: ureq::http::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// The first 200 characters of a body, on one line.
pub fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(200).collect();
    if one_line.chars().count() > 200 {
        out.push('…');
    }
    out
}

/// `portcullis/<version>`.
pub fn user_agent() -> String {
    format!("portcullis/{}", env!("CARGO_PKG_VERSION"))
}
