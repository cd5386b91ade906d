//! The OSV API client (`--online`): which advisories affect these packages, asked of `api.osv.dev` instead of a
//! local database. `POST /v1/querybatch` finds the ids per (ecosystem, name, version), following each result's
//! `next_page_token`; `GET /v1/vulns/{id}` then fetches every distinct record once.

use crate::advisory::http::{self, body_excerpt, format_duration, is_timeout, status_text};
use crate::advisory::osv::Advisory;
use crate::lockfile::package::{Package, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use thiserror::Error;

/// How to reach the OSV API.
#[derive(Clone, Debug)]
pub struct OnlineOptions {
    /// API root, without a trailing slash (`https://api.osv.dev`).
    pub base_url: String,
    /// Connect timeout and the overall budget of each request.
    pub timeout: Duration,
    /// Retries after HTTP 429 or 503 before giving up.
    pub max_retries: u32,
    /// Delay before the first retry when the server sends no `Retry-After`; doubles on each retry.
    pub backoff: Duration,
    /// Queries per `querybatch` request (the API accepts at most 1000).
    pub batch_size: usize,
}

impl Default for OnlineOptions {
    fn default() -> Self {
        OnlineOptions {
            base_url: "https://api.osv.dev".to_string(),
            timeout: Duration::from_secs(30),
            max_retries: 4,
            backoff: Duration::from_secs(1),
            batch_size: 1000,
        }
    }
}

/// The API's largest batch.
const MAX_BATCH: usize = 1000;
/// Longest `Retry-After` honoured, so a server cannot stall the gate for hours.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);
/// Largest response body read (a `querybatch` answer or one record).
const MAX_BODY: u64 = 64 * 1024 * 1024;
/// Records fetched at the same time.
const PARALLEL_FETCHES: usize = 8;
/// Most pages followed for one query before the answer is taken as broken.
const MAX_PAGES: usize = 1000;

/// The OSV API could not answer; the online audit fails rather than report nothing.
#[derive(Debug, Error)]
pub enum OnlineError {
    /// A status other than 2xx (and not a retried 429/503).
    #[error("OSV API {url}: HTTP {status}: {body}")]
    Status {
        /// The request URL.
        url: String,
        /// Code and reason, `500 Internal Server Error`.
        status: String,
        /// The start of the response body.
        body: String,
    },
    /// Still 429 or 503 after every retry.
    #[error("OSV API {url}: {} (HTTP {status}) after {retries} retries", if *status == 429 { "rate limited" } else { "unavailable" })]
    RateLimited {
        /// The request URL.
        url: String,
        /// 429 or 503.
        status: u16,
        /// Retries made.
        retries: u32,
    },
    /// No complete answer within the timeout.
    #[error("OSV API {url}: did not answer within {}", format_duration(*timeout))]
    Timeout {
        /// The request URL.
        url: String,
        /// The timeout that ran out.
        timeout: Duration,
    },
    /// The connection failed (DNS, refused, TLS, reset).
    #[error("OSV API {url}: {message}")]
    Transport {
        /// The request URL.
        url: String,
        /// What failed.
        message: String,
    },
    /// The body is not the expected JSON.
    #[error("OSV API {url}: malformed response: {message}")]
    Malformed {
        /// The request URL.
        url: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Serialize)]
struct BatchRequest<'a> {
    queries: Vec<Query<'a>>,
}

#[derive(Serialize)]
struct Query<'a> {
    package: QueryPackage<'a>,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_token: Option<&'a str>,
}

#[derive(Serialize)]
struct QueryPackage<'a> {
    ecosystem: &'a str,
    name: &'a str,
}

#[derive(Deserialize)]
struct BatchResponse {
    results: Vec<BatchResult>,
}

#[derive(Deserialize)]
struct BatchResult {
    #[serde(default)]
    vulns: Vec<VulnRef>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct VulnRef {
    id: String,
}

/// Every advisory the OSV API reports for the registry packages (git, path and URL sources are not asked
/// about), each distinct record once, sorted by id.
pub fn fetch(packages: &[Package], opts: &OnlineOptions) -> Result<Vec<Advisory>, OnlineError> {
    let keys: BTreeSet<(&str, &str, &str)> = packages
        .iter()
        .filter(|p| p.source == Source::Registry)
        .map(|p| (p.ecosystem.osv_name(), p.name.as_str(), p.version.as_str()))
        .collect();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let client = Client::new(opts);
    let keys: Vec<_> = keys.into_iter().collect();
    let mut ids = BTreeSet::new();
    for chunk in keys.chunks(opts.batch_size.clamp(1, MAX_BATCH)) {
        client.query_chunk(chunk, &mut ids)?;
    }
    let ids: Vec<String> = ids.into_iter().collect();
    let mut out = Vec::with_capacity(ids.len());
    // In id order, so the error reported (the first failing id) does not depend on thread timing.
    for result in client.vulns(&ids) {
        out.push(result?);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

struct Client<'a> {
    agent: ureq::Agent,
    opts: &'a OnlineOptions,
    base: &'a str,
}

impl<'a> Client<'a> {
    fn new(opts: &'a OnlineOptions) -> Client<'a> {
        let agent = http::agent(http::Timeouts::Whole(opts.timeout), false);
        Client {
            agent,
            opts,
            base: opts.base_url.trim_end_matches('/'),
        }
    }

    /// Runs the queries of one batch, then re-asks the ones with a `next_page_token` until none is left.
    fn query_chunk(
        &self,
        chunk: &[(&str, &str, &str)],
        ids: &mut BTreeSet<String>,
    ) -> Result<(), OnlineError> {
        let url = format!("{}/v1/querybatch", self.base);
        // (index into chunk, page token) of the queries still to send.
        let mut pending: Vec<(usize, Option<String>)> =
            (0..chunk.len()).map(|i| (i, None)).collect();
        let mut pages: BTreeMap<usize, usize> = BTreeMap::new();
        while !pending.is_empty() {
            let request = BatchRequest {
                queries: pending
                    .iter()
                    .map(|(i, token)| {
                        let (ecosystem, name, version) = chunk[*i];
                        Query {
                            package: QueryPackage { ecosystem, name },
                            version,
                            page_token: token.as_deref(),
                        }
                    })
                    .collect(),
            };
            let body = serde_json::to_vec(&request).map_err(|e| OnlineError::Transport {
                url: url.clone(),
                message: format!("cannot encode the query: {e}"),
            })?;
            let answer = self.send(&url, Some(&body))?;
            let response: BatchResponse =
                serde_json::from_slice(&answer).map_err(|e| OnlineError::Malformed {
                    url: url.clone(),
                    message: e.to_string(),
                })?;
            if response.results.len() != pending.len() {
                return Err(OnlineError::Malformed {
                    url,
                    message: format!(
                        "{} results for {} queries",
                        response.results.len(),
                        pending.len()
                    ),
                });
            }
            let mut next = Vec::new();
            for ((i, sent), result) in pending.iter().zip(response.results) {
                ids.extend(result.vulns.into_iter().map(|v| v.id));
                let Some(token) = result.next_page_token.filter(|t| !t.is_empty()) else {
                    continue;
                };
                let count = pages.entry(*i).or_insert(0);
                *count += 1;
                if sent.as_deref() == Some(token.as_str()) || *count > MAX_PAGES {
                    return Err(OnlineError::Malformed {
                        url,
                        message: format!("paging of query {} does not end", i + 1),
                    });
                }
                next.push((*i, Some(token)));
            }
            pending = next;
        }
        Ok(())
    }

    /// The full records of `ids`, in the same order, fetched a few at a time.
    fn vulns(&self, ids: &[String]) -> Vec<Result<Advisory, OnlineError>> {
        let next = AtomicUsize::new(0);
        let slots: Vec<Mutex<Option<Result<Advisory, OnlineError>>>> =
            ids.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|scope| {
            for _ in 0..PARALLEL_FETCHES.min(ids.len()) {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let (Some(id), Some(slot)) = (ids.get(i), slots.get(i)) else {
                        break;
                    };
                    let result = self.vuln(id);
                    if let Ok(mut s) = slot.lock() {
                        *s = Some(result);
                    }
                });
            }
        });
        slots
            .into_iter()
            .zip(ids)
            .map(|(slot, id)| {
                slot.into_inner().ok().flatten().unwrap_or_else(|| {
                    Err(OnlineError::Transport {
                        url: format!("{}/v1/vulns/{}", self.base, percent_encode(id)),
                        message: "the request was not completed".to_string(),
                    })
                })
            })
            .collect()
    }

    /// One full record.
    fn vuln(&self, id: &str) -> Result<Advisory, OnlineError> {
        let url = format!("{}/v1/vulns/{}", self.base, percent_encode(id));
        let body = self.send(&url, None)?;
        serde_json::from_slice(&body).map_err(|e| OnlineError::Malformed {
            url,
            message: e.to_string(),
        })
    }

    /// A GET (no body) or a JSON POST, retrying 429 and 503; returns the body of a 2xx answer.
    fn send(&self, url: &str, json: Option<&[u8]>) -> Result<Vec<u8>, OnlineError> {
        let mut retries = 0;
        loop {
            let result = match json {
                Some(body) => self
                    .agent
                    .post(url)
                    .header("Content-Type", "application/json")
                    .send(body),
                None => self.agent.get(url).call(),
            };
            let mut response = result.map_err(|e| self.transport(url, &e))?;
            let status = response.status();
            let code = status.as_u16();
            if code == 429 || code == 503 {
                if retries >= self.opts.max_retries {
                    return Err(OnlineError::RateLimited {
                        url: url.to_string(),
                        status: code,
                        retries,
                    });
                }
                let wait = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER))
                    .unwrap_or_else(|| {
                        self.opts
                            .backoff
                            .saturating_mul(1u32 << retries.min(16))
                            .min(MAX_RETRY_AFTER)
                    });
                std::thread::sleep(wait);
                retries += 1;
                continue;
            }
            let body = response
                .body_mut()
                .with_config()
                .limit(MAX_BODY)
                .read_to_vec()
                .map_err(|e| self.transport(url, &e))?;
            if !status.is_success() {
                return Err(OnlineError::Status {
                    url: url.to_string(),
                    status: status_text(status),
                    body: body_excerpt(&body),
                });
            }
            return Ok(body);
        }
    }

    fn transport(&self, url: &str, e: &ureq::Error) -> OnlineError {
        if is_timeout(e) {
            OnlineError::Timeout {
                url: url.to_string(),
                timeout: self.opts.timeout,
            }
        } else {
            OnlineError::Transport {
                url: url.to_string(),
                message: e.to_string(),
            }
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (ids are `GHSA-…`, `PYSEC-…`, but come from
/// the server).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::testserver::{Reply, Request, TestServer};
    use crate::lockfile::package::Ecosystem;
    use std::sync::Arc;

    fn pkg(ecosystem: Ecosystem, name: &str, version: &str, line: u32) -> Package {
        Package {
            line,
            ..Package::registry(ecosystem, name, version)
        }
    }

    fn opts(server: &TestServer) -> OnlineOptions {
        OnlineOptions {
            base_url: server.url(),
            timeout: Duration::from_secs(5),
            max_retries: 4,
            backoff: Duration::from_millis(1),
            batch_size: 1000,
        }
    }

    fn record(id: &str, package: &str) -> String {
        format!(
            r#"{{"id":"{id}","modified":"2024-01-01T00:00:00Z","affected":[{{"package":{{"ecosystem":"PyPI","name":"{package}"}},"ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"0"}},{{"fixed":"9.0"}}]}}]}}]}}"#
        )
    }

    /// Answers `GET /v1/vulns/<id>` with a record for any id.
    fn vulns(req: &Request) -> Option<Reply> {
        let id = req.path.strip_prefix("/v1/vulns/")?;
        Some(Reply::ok(record(id, "jinja2")))
    }

    fn ids(advisories: &[Advisory]) -> Vec<&str> {
        advisories.iter().map(|a| a.id.as_str()).collect()
    }

    fn err_text(r: Result<Vec<Advisory>, OnlineError>) -> String {
        match r {
            Ok(a) => panic!("expected an error, got {:?}", ids(&a)),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn pages_are_followed_and_ids_fetched_once() {
        let server = TestServer::start(|req| {
            if let Some(r) = vulns(req) {
                return r;
            }
            let queries = req.json()["queries"].clone();
            let first = &queries[0];
            if first.get("page_token").is_none() {
                // Sorted by (ecosystem, name, version), byte order: PyPI before npm.
                assert_eq!(queries.as_array().map(Vec::len), Some(2), "{queries}");
                Reply::ok(
                    r#"{"results":[
                        {"vulns":[{"id":"PYSEC-aaaa","modified":"x"},{"id":"GHSA-bbbb","modified":"x"}],
                         "next_page_token":"page-2"},
                        {"vulns":[{"id":"GHSA-bbbb","modified":"2024-01-01T00:00:00Z"}]}]}"#,
                )
            } else {
                Reply::ok(r#"{"results":[{"vulns":[{"id":"GHSA-cccc","modified":"x"}]}]}"#)
            }
        });
        let packages = vec![
            pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1),
            pkg(Ecosystem::Npm, "left-pad", "1.0.0", 2),
            pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 7),
            Package {
                source: Source::Git {
                    url: "https://example.org/x.git".into(),
                    rev: None,
                },
                ..pkg(Ecosystem::PyPI, "from-git", "1.0", 3)
            },
        ];
        let found = fetch(&packages, &opts(&server)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ids(&found), ["GHSA-bbbb", "GHSA-cccc", "PYSEC-aaaa"]);
        assert_eq!(
            found[0].affected[0]
                .package
                .as_ref()
                .map(|p| p.name.as_str()),
            Some("jinja2")
        );

        let requests = server.requests();
        let batches: Vec<&Request> = requests
            .iter()
            .filter(|r| r.method == "POST" && r.path == "/v1/querybatch")
            .collect();
        assert_eq!(batches.len(), 2);
        assert_eq!(
            batches[0].json(),
            serde_json::json!({"queries":[
                {"package":{"ecosystem":"PyPI","name":"jinja2"},"version":"2.4.1"},
                {"package":{"ecosystem":"npm","name":"left-pad"},"version":"1.0.0"}]})
        );
        assert_eq!(
            batches[1].json(),
            serde_json::json!({"queries":[
                {"package":{"ecosystem":"PyPI","name":"jinja2"},"version":"2.4.1","page_token":"page-2"}]})
        );
        assert_eq!(batches[0].header("content-type"), Some("application/json"));
        let mut gets: Vec<&str> = requests
            .iter()
            .filter(|r| r.method == "GET")
            .map(|r| r.path.as_str())
            .collect();
        gets.sort();
        assert_eq!(
            gets,
            [
                "/v1/vulns/GHSA-bbbb",
                "/v1/vulns/GHSA-cccc",
                "/v1/vulns/PYSEC-aaaa"
            ]
        );
        let agent = format!("portcullis/{}", env!("CARGO_PKG_VERSION"));
        assert!(requests
            .iter()
            .all(|r| r.header("user-agent") == Some(agent.as_str())));
    }

    #[test]
    fn batches_are_split_and_nothing_is_asked_without_registry_packages() {
        let server = TestServer::start(|req| {
            if let Some(r) = vulns(req) {
                return r;
            }
            Reply::ok(r#"{"results":[{}]}"#)
        });
        let packages = vec![
            pkg(Ecosystem::PyPI, "a", "1", 1),
            pkg(Ecosystem::PyPI, "b", "1", 2),
            pkg(Ecosystem::PyPI, "c", "1", 3),
        ];
        let o = OnlineOptions {
            batch_size: 1,
            ..opts(&server)
        };
        let found = fetch(&packages, &o).unwrap_or_else(|e| panic!("{e}"));
        assert!(found.is_empty());
        assert_eq!(server.requests().len(), 3);

        let git_only = vec![Package {
            source: Source::Path { path: "..".into() },
            ..pkg(Ecosystem::PyPI, "local", "1", 1)
        }];
        let found = fetch(&git_only, &o).unwrap_or_else(|e| panic!("{e}"));
        assert!(found.is_empty());
        assert_eq!(server.requests().len(), 3, "no request for path sources");
    }

    /// A server reporting `GHSA-00` … `GHSA-19` for the one query, failing the records in `broken`.
    fn twenty(broken: &'static [&'static str]) -> TestServer {
        TestServer::start(move |req| {
            if let Some(id) = req.path.strip_prefix("/v1/vulns/") {
                if broken.contains(&id) {
                    return Reply::status(404).body(format!("{id} not found"));
                }
                return Reply::ok(record(id, "jinja2"));
            }
            let vulns: Vec<String> = (0..20)
                .rev()
                .map(|i| format!(r#"{{"id":"GHSA-{i:02}","modified":"x"}}"#))
                .collect();
            Reply::ok(format!(
                r#"{{"results":[{{"vulns":[{}]}}]}}"#,
                vulns.join(",")
            ))
        })
    }

    #[test]
    fn records_are_fetched_in_parallel_with_a_deterministic_result() {
        let one = [pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1)];
        let server = twenty(&[]);
        let found = fetch(&one, &opts(&server)).unwrap_or_else(|e| panic!("{e}"));
        let want: Vec<String> = (0..20).map(|i| format!("GHSA-{i:02}")).collect();
        assert_eq!(ids(&found), want);
        assert_eq!(server.requests().len(), 21);

        let server = twenty(&["GHSA-15", "GHSA-07"]);
        let e = err_text(fetch(&one, &opts(&server)));
        assert_eq!(
            e,
            format!(
                "OSV API {}/v1/vulns/GHSA-07: HTTP 404 Not Found: GHSA-07 not found",
                server.url()
            )
        );
    }

    /// A server answering the first `failures` querybatch requests with `failure`, then one result.
    fn flaky(failures: usize, failure: Reply) -> TestServer {
        let count = Arc::new(AtomicUsize::new(0));
        TestServer::start(move |req| {
            if let Some(r) = vulns(req) {
                return r;
            }
            if count.fetch_add(1, Ordering::SeqCst) < failures {
                return failure.clone();
            }
            Reply::ok(r#"{"results":[{"vulns":[{"id":"PYSEC-1","modified":"x"}]}]}"#)
        })
    }

    #[test]
    fn rate_limits_are_retried() {
        let one = [pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1)];
        // Retry-After: 0.
        let server = flaky(2, Reply::status(429).header("Retry-After", "0"));
        let found = fetch(&one, &opts(&server)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ids(&found), ["PYSEC-1"]);
        assert_eq!(server.requests().len(), 3 + 1);
        // No Retry-After: exponential backoff from `backoff`.
        let server = flaky(3, Reply::status(503));
        let found = fetch(&one, &opts(&server)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ids(&found), ["PYSEC-1"]);
        assert_eq!(server.requests().len(), 4 + 1);
    }

    #[test]
    fn rate_limited_forever_is_an_error() {
        let server = TestServer::start(|_| Reply::status(429).header("Retry-After", "0"));
        let o = OnlineOptions {
            max_retries: 2,
            ..opts(&server)
        };
        let e = err_text(fetch(&[pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1)], &o));
        assert_eq!(
            e,
            format!(
                "OSV API {}/v1/querybatch: rate limited (HTTP 429) after 2 retries",
                server.url()
            )
        );
        assert_eq!(server.requests().len(), 3);
    }

    #[test]
    fn server_errors_name_status_and_body() {
        let server = TestServer::start(|_| {
            Reply::status(500).body(format!("database\nexploded {}", "x".repeat(300)))
        });
        let e = err_text(fetch(
            &[pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1)],
            &opts(&server),
        ));
        assert_eq!(
            e,
            format!(
                "OSV API {}/v1/querybatch: HTTP 500 Internal Server Error: database exploded {}…",
                server.url(),
                "x".repeat(200 - "database exploded ".len())
            )
        );
        assert_eq!(server.requests().len(), 1, "500 is not retried");
    }

    #[test]
    fn slow_answers_time_out() {
        let server = TestServer::start(|_| {
            Reply::ok(r#"{"results":[{}]}"#).delay(Duration::from_millis(1500))
        });
        let o = OnlineOptions {
            timeout: Duration::from_millis(200),
            ..opts(&server)
        };
        let started = std::time::Instant::now();
        let e = err_text(fetch(&[pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1)], &o));
        assert_eq!(
            e,
            format!(
                "OSV API {}/v1/querybatch: did not answer within 200ms",
                server.url()
            )
        );
        assert!(started.elapsed() < Duration::from_millis(1400));
        assert_eq!(
            OnlineError::Timeout {
                url: "u".into(),
                timeout: Duration::from_secs(30)
            }
            .to_string(),
            "OSV API u: did not answer within 30s"
        );
    }

    #[test]
    fn malformed_answers_are_errors_not_empty_results() {
        let one = [pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1)];
        let server = TestServer::start(|_| Reply::ok("<html>maintenance</html>"));
        let e = err_text(fetch(&one, &opts(&server)));
        assert!(
            e.starts_with(&format!(
                "OSV API {}/v1/querybatch: malformed response: ",
                server.url()
            )),
            "{e}"
        );

        let server = TestServer::start(|_| Reply::ok(r#"{"results":[]}"#));
        let e = err_text(fetch(&one, &opts(&server)));
        assert_eq!(
            e,
            format!(
                "OSV API {}/v1/querybatch: malformed response: 0 results for 1 queries",
                server.url()
            )
        );

        let server = TestServer::start(|req| {
            if req.method == "GET" {
                Reply::ok(r#"{"summary":"no id"}"#)
            } else {
                Reply::ok(r#"{"results":[{"vulns":[{"id":"GHSA-x/y","modified":"x"}]}]}"#)
            }
        });
        let e = err_text(fetch(&one, &opts(&server)));
        assert!(
            e.starts_with(&format!(
                "OSV API {}/v1/vulns/GHSA-x%2Fy: malformed response: missing field `id`",
                server.url()
            )),
            "{e}"
        );

        let server = TestServer::start(|_| {
            Reply::ok(r#"{"results":[{"vulns":[],"next_page_token":"same"}]}"#)
        });
        let e = err_text(fetch(&one, &opts(&server)));
        assert!(e.ends_with("paging of query 1 does not end"), "{e}");
    }

    #[test]
    fn refused_connections_are_errors() {
        // A port that was free a moment ago and has no listener now.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let o = OnlineOptions {
            base_url: format!("http://127.0.0.1:{port}"),
            ..OnlineOptions::default()
        };
        let e = err_text(fetch(&[pkg(Ecosystem::PyPI, "jinja2", "2.4.1", 1)], &o));
        assert!(
            e.starts_with(&format!("OSV API http://127.0.0.1:{port}/v1/querybatch: ")),
            "{e}"
        );
    }
}
