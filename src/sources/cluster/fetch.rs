//! Fetching logs and kubelet journals, one request each: a container's log (current or
//! previous instance, bounded by lines and bytes) through `pods/log`, a node's kubelet journal
//! through the node log query API (`nodes/NODE/proxy/logs`), errors and warnings plus lines
//! about the unhealthy pods on it.

use super::call::call;
use super::connect::Connection;
use crate::sources::raw::LogText;
use kube::Api;
use kube::api::LogParams;

/// Log bounds per container.
const TAIL_LINES: i64 = 500;
const LIMIT_BYTES: i64 = 1024 * 1024;
/// Journal bounds per node.
const JOURNAL_TAIL_LINES: u32 = 2000;
const JOURNAL_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(2);

/// One request for logs or a journal.
pub enum Fetch {
    Log(LogFetch),
    Journal(JournalFetch),
}

/// The log of one container instance.
pub struct LogFetch {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// The previous instance's (`--previous`).
    pub previous: bool,
}

/// The kubelet journal of a node, about the unhealthy pods on it.
pub struct JournalFetch {
    pub node: String,
    /// Names of the unhealthy pods on the node (their lines are kept besides errors).
    pub pods: Vec<String>,
    /// The API server's time: the journal window ends there (`None`: this machine's).
    pub now: Option<jiff::Timestamp>,
}

/// What a fetch brought.
pub enum FetchResult {
    Log(LogText),
    Journal(String, String),
    LogForbidden(String, String),
    /// A node's journal could not be had, and why (said once for all nodes with one why).
    NoJournal(String, String),
    Note(String),
    Nothing,
}

pub async fn fetch(conn: &Connection, f: Fetch) -> FetchResult {
    match f {
        Fetch::Log(LogFetch {
            namespace: ns,
            pod,
            container,
            previous,
        }) => {
            let api: Api<k8s_openapi::api::core::v1::Pod> =
                Api::namespaced(conn.client.clone(), &ns);
            let lp = LogParams {
                container: Some(container.clone()),
                previous,
                tail_lines: Some(TAIL_LINES),
                limit_bytes: Some(LIMIT_BYTES),
                ..Default::default()
            };
            match call(conn.timeout, || api.logs(&pod, &lp)).await {
                Ok(text) => FetchResult::Log(LogText {
                    namespace: ns,
                    pod,
                    container,
                    previous,
                    text,
                    skipped_bytes: 0,
                }),
                Err(e) if e.status() == Some(403) => {
                    FetchResult::LogForbidden(ns.clone(), format!("{ns}/{pod}/{container}"))
                }
                // 400: no log (yet) for this instance; not worth a note.
                Err(e) if e.status() == Some(400) => FetchResult::Nothing,
                Err(e) => FetchResult::Note(format!(
                    "{}logs of {ns}/{pod}/{container} unavailable: {e}",
                    if previous { "previous " } else { "" }
                )),
            }
        }
        Fetch::Journal(JournalFetch { node, pods, now }) => {
            // The node's journal carries the cluster's times: a window on this machine's
            // clock would miss it on a skewed cluster.
            let since = now
                .unwrap_or_else(jiff::Timestamp::now)
                .checked_sub(JOURNAL_WINDOW)
                .map(|t| t.to_string())
                .unwrap_or_default();
            // Error and warning lines, and lines about the unhealthy pods on this node.
            let mut pattern = r"^[EW]\d{4} |\blevel=(error|warning)\b".to_string();
            for p in &pods {
                pattern.push('|');
                pattern.push_str(&regex::escape(p));
            }
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("query", "kubelet")
                .append_pair("tailLines", &JOURNAL_TAIL_LINES.to_string())
                .append_pair("sinceTime", &since)
                .append_pair("pattern", &pattern)
                .finish();
            let url = format!("/api/v1/nodes/{node}/proxy/logs/?{query}");
            let client = conn.client.clone();
            let result = call(conn.timeout, || {
                let req = http::Request::get(url.clone())
                    .body(Vec::new())
                    .expect("valid request");
                let client = client.clone();
                async move { client.request_text(req).await }
            })
            .await;
            match result {
                Ok(text) if text.contains("<a href=") || text.trim_start().starts_with("<pre>") => {
                    FetchResult::NoJournal(
                        node,
                        "the node log query is not enabled (kubelet feature gate NodeLogQuery and enableSystemLogQuery); attach one with --journal".into(),
                    )
                }
                Ok(text) => FetchResult::Journal(node, text),
                Err(e) if e.status() == Some(403) => FetchResult::NoJournal(
                    node,
                    "403 forbidden (needs get on nodes/proxy, which also allows exec through the kubelet: grant it with care, or attach a journal with --journal)".into(),
                ),
                Err(e) => FetchResult::NoJournal(node, e.to_string()),
            }
        }
    }
}

/// How a journal that could not be had is said, for one node and for several.
pub const AVAILABLE: (&str, &str) = ("is not available", "are not available");
/// How a journal that was not asked for is said, for one node and for several.
pub const NOT_ASKED: (&str, &str) = ("was not asked for", "were not asked for");

/// Nodes whose journal was not had, one note per reason however many nodes it holds for:
/// `the kubelet journal of node `a` {one}: {why}`, or `the kubelet journals of N nodes
/// (`a`, `b`, `c` and 2 more) {many}: {why}`.
pub fn journal_notes(nodes: Vec<(String, String)>, (one, many): (&str, &str)) -> Vec<String> {
    let mut by_why: Vec<(String, Vec<String>)> = Vec::new();
    for (node, why) in nodes {
        match by_why.iter_mut().find(|(w, _)| *w == why) {
            Some((_, list)) => list.push(node),
            None => by_why.push((why, vec![node])),
        }
    }
    by_why
        .into_iter()
        .map(|(why, nodes)| match nodes.as_slice() {
            [node] => format!("the kubelet journal of node `{node}` {one}: {why}"),
            listed => {
                let shown: Vec<String> = listed.iter().take(3).map(|n| format!("`{n}`")).collect();
                let more = match listed.len() - shown.len() {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                format!(
                    "the kubelet journals of {} nodes ({}{more}) {many}: {why}",
                    nodes.len(),
                    shown.join(", "),
                )
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{AVAILABLE, journal_notes};

    #[test]
    fn a_reason_is_said_once_for_all_its_nodes() {
        let why = |n: &str, w: &str| (n.to_string(), w.to_string());
        let notes = journal_notes(
            vec![
                why("a", "not enabled"),
                why("b", "403 forbidden"),
                why("c", "not enabled"),
                why("d", "not enabled"),
                why("e", "not enabled"),
            ],
            AVAILABLE,
        );
        assert_eq!(
            notes,
            [
                "the kubelet journals of 4 nodes (`a`, `c`, `d` and 1 more) are not available: not enabled",
                "the kubelet journal of node `b` is not available: 403 forbidden",
            ]
        );
    }
}
