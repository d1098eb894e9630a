//! The watches of `watch`: pods, Warning events and nodes in scope, each a
//! `kube::runtime::watcher` (one LIST at start and after a 410 Gone, then WATCH from the
//! last resourceVersion, resumed when a stream ends, retried with kube's default backoff
//! when the API server does not answer). Each object is read to what the tracker needs (a
//! pod's health and STATUS, an event's pod, a node's Ready) and sent as an [`Update`].

use crate::sources::objects::{convert, wire};
use crate::status::pod_status_at;
use futures::StreamExt;
use kube::api::{Api, ApiResource, DynamicObject};
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event};
use serde_json::Value;
use std::collections::HashSet;
use tokio::sync::mpsc::UnboundedSender;

/// The kinds watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pods,
    Events,
    Nodes,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pods => "pods",
            Kind::Events => "events",
            Kind::Nodes => "nodes",
        }
    }
}

/// What a pod looks like to the tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodHealth {
    pub unhealthy: bool,
    /// The STATUS column.
    pub status: String,
    /// The node it is bound to.
    pub node: Option<String>,
}

/// What the watches saw.
#[derive(Debug)]
pub enum Update {
    /// A pod changed; `None`: deleted.
    Pod {
        key: String,
        health: Option<PodHealth>,
    },
    /// A (re)list of pods finished: these are every pod in scope now (others are gone).
    PodsListed { keys: HashSet<String>, first: bool },
    /// A Warning event about a pod, and its reason.
    PodWarning { key: String, reason: String },
    /// A node's Ready condition changed (after the first list).
    NodeReady { name: String, ready: String },
    /// A watch could not reach the API server (said once until it answers again).
    Lost { kind: Kind, detail: String },
    /// A watch got an answer again after being lost.
    Back,
    /// The API server refused to list or watch a kind (403): that kind is not followed.
    Forbidden { kind: Kind, detail: String },
    /// A 410 Gone: the kind is listed again.
    Relisting { kind: Kind },
    /// An object that could not be read.
    Note(String),
}

/// Where and what to watch.
#[derive(Debug, Clone)]
pub struct Scope {
    /// `None`: every namespace.
    pub namespace: Option<String>,
    pub selector: Option<String>,
}

fn api(
    client: &kube::Client,
    resource: ApiResource,
    namespace: Option<&str>,
) -> Api<DynamicObject> {
    match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &resource),
        None => Api::all_with(client.clone(), &resource),
    }
}

/// Starts the three watches as tasks sending to `tx`; each ends when `tx` is closed or its
/// kind is forbidden.
pub fn spawn(client: kube::Client, scope: Scope, tx: UnboundedSender<Update>) {
    use k8s_openapi::api::core::v1::{Event as KEvent, Node, Pod};
    let ns = scope.namespace.as_deref();
    let mut pods = watcher::Config::default().any_semantic();
    if let Some(sel) = &scope.selector {
        pods = pods.labels(sel);
    }
    tokio::spawn(run(
        Kind::Pods,
        api(&client, ApiResource::erase::<Pod>(&()), ns),
        pods,
        tx.clone(),
    ));
    tokio::spawn(run(
        Kind::Events,
        api(&client, ApiResource::erase::<KEvent>(&()), ns),
        watcher::Config::default()
            .any_semantic()
            .fields("type=Warning"),
        tx.clone(),
    ));
    tokio::spawn(run(
        Kind::Nodes,
        api(&client, ApiResource::erase::<Node>(&()), None),
        watcher::Config::default().any_semantic(),
        tx,
    ));
}

/// One kind's watch until its receiver is gone.
async fn run(
    kind: Kind,
    api: Api<DynamicObject>,
    config: watcher::Config,
    tx: UnboundedSender<Update>,
) {
    let mut stream = watcher::watcher(api, config).default_backoff().boxed();
    let mut reader = Reader::new(kind);
    let mut lost = false;
    while let Some(item) = stream.next().await {
        let updates = match item {
            Ok(event) => {
                let mut u = Vec::new();
                if lost {
                    lost = false;
                    u.push(Update::Back);
                }
                u.extend(reader.event(event));
                u
            }
            Err(e) => match classify(&e) {
                Failure::Forbidden => {
                    let _ = tx.send(Update::Forbidden {
                        kind,
                        detail: crate::error::one_line(&e),
                    });
                    return;
                }
                Failure::Gone => vec![Update::Relisting { kind }],
                Failure::Unreachable if !lost => {
                    lost = true;
                    vec![Update::Lost {
                        kind,
                        detail: crate::error::one_line(&e),
                    }]
                }
                Failure::Unreachable => Vec::new(),
                Failure::Other => vec![Update::Note(format!(
                    "the {} watch: {}",
                    kind.name(),
                    crate::error::one_line(&e)
                ))],
            },
        };
        for u in updates {
            if tx.send(u).is_err() {
                return;
            }
        }
    }
}

enum Failure {
    Forbidden,
    Gone,
    Unreachable,
    Other,
}

fn classify(e: &watcher::Error) -> Failure {
    use kube::Error as K;
    let client = match e {
        watcher::Error::WatchError(status) if status.code == 410 => return Failure::Gone,
        watcher::Error::WatchError(status) if status.code == 403 => return Failure::Forbidden,
        watcher::Error::WatchError(_) => return Failure::Other,
        watcher::Error::NoResourceVersion => return Failure::Other,
        watcher::Error::InitialListFailed(c)
        | watcher::Error::WatchStartFailed(c)
        | watcher::Error::WatchFailed(c) => c,
    };
    match client {
        K::Api(status) if status.code == 403 => Failure::Forbidden,
        K::Api(status) if status.code == 410 => Failure::Gone,
        K::Api(status) if status.code >= 500 || status.code == 429 => Failure::Unreachable,
        K::Api(_) => Failure::Other,
        K::SerdeError(_) => Failure::Other,
        _ => Failure::Unreachable,
    }
}

/// Reads one kind's watcher events into updates.
struct Reader {
    kind: Kind,
    /// Keys seen since the last `Init` (pods), or whether the first list is done (others).
    listing: Option<HashSet<String>>,
    lists: usize,
    /// Node -> its Ready status, to say only changes.
    ready: std::collections::HashMap<String, String>,
}

impl Reader {
    fn new(kind: Kind) -> Reader {
        Reader {
            kind,
            listing: None,
            lists: 0,
            ready: Default::default(),
        }
    }

    fn event(&mut self, event: Event<DynamicObject>) -> Vec<Update> {
        match event {
            Event::Init => {
                self.listing = Some(HashSet::new());
                Vec::new()
            }
            Event::InitApply(o) => {
                let out = self.object(o, true, false);
                if let (Some(seen), Some(Update::Pod { key, .. })) =
                    (&mut self.listing, out.first())
                {
                    seen.insert(key.clone());
                }
                out
            }
            Event::InitDone => {
                self.lists += 1;
                let keys = self.listing.take().unwrap_or_default();
                match self.kind {
                    Kind::Pods => vec![Update::PodsListed {
                        keys,
                        first: self.lists == 1,
                    }],
                    _ => Vec::new(),
                }
            }
            Event::Apply(o) => self.object(o, false, false),
            Event::Delete(o) => self.object(o, false, true),
        }
    }

    fn object(&mut self, o: DynamicObject, listing: bool, deleted: bool) -> Vec<Update> {
        let name = o.metadata.name.clone().unwrap_or_default();
        let namespace = o.metadata.namespace.clone().unwrap_or_default();
        match self.kind {
            Kind::Pods => {
                let key = crate::words::qualified(&namespace, &name);
                if deleted {
                    return vec![Update::Pod { key, health: None }];
                }
                match pod_health(o) {
                    Ok(health) => vec![Update::Pod {
                        key,
                        health: Some(health),
                    }],
                    Err(e) => vec![Update::Note(format!(
                        "pod {key} could not be read ({e}); it is not followed until it can"
                    ))],
                }
            }
            Kind::Events if listing || deleted => Vec::new(),
            Kind::Events => {
                let involved = &o.data["involvedObject"];
                if involved["kind"] != "Pod" {
                    return Vec::new();
                }
                let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                vec![Update::PodWarning {
                    key: crate::words::qualified(&s(&involved["namespace"]), &s(&involved["name"])),
                    reason: s(&o.data["reason"]),
                }]
            }
            Kind::Nodes => {
                let ready = if deleted {
                    "Gone".to_string()
                } else {
                    node_ready(&o.data)
                };
                let before = self.ready.insert(name.clone(), ready.clone());
                if deleted {
                    self.ready.remove(&name);
                }
                match before {
                    Some(b) if b != ready && !listing => vec![Update::NodeReady { name, ready }],
                    _ => Vec::new(),
                }
            }
        }
    }
}

/// A node's Ready condition status (`True`, `False`, `Unknown`; empty without one).
fn node_ready(data: &Value) -> String {
    data["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "Ready")
        .and_then(|c| c["status"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// A pod's health and STATUS, computed as `diagnose` does.
pub fn pod_health(o: DynamicObject) -> Result<PodHealth, serde_json::Error> {
    let value = serde_json::to_value(o)?;
    pod_health_of(value)
}

/// A pod's health from its JSON.
pub fn pod_health_of(value: Value) -> Result<PodHealth, serde_json::Error> {
    let wire: wire::Pod = serde_json::from_value(value)?;
    let pod = convert::pod(wire);
    let status = pod_status_at(&pod, Some(jiff::Timestamp::now()));
    Ok(PodHealth {
        unhealthy: !status.healthy,
        status: status.display,
        node: pod.node_name,
    })
}
