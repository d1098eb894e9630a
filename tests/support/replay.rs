//! A replay Kubernetes API server on 127.0.0.1 that serves an evidence bundle over the real
//! REST paths: paginated lists (`limit`, `continue`) with label and field selectors, pod
//! logs (`container`, `previous`, `tailLines`), the node log query, single workloads, the
//! Deployments and CronJobs of every namespace (by name), the namespaces and `/version`. It
//! records every request (and its headers), answers only GET, and can inject faults (a status
//! for requests whose path contains a string, a number of times) and latency.
//!
//! Services, EndpointSlices, Endpoints and ServiceAccounts are served from the bundle's
//! `services.json`, `endpointslices.json`, `endpoints.json` and `serviceaccounts.json`; a
//! resource whose file the bundle lacks answers 404 (so a bundle with only `endpoints.json`
//! is a cluster without EndpointSlices, and one without Service files stays without
//! Services, as its bundle reading does). `system-pods.json` joins the pods.
//!
//! Watches (`?watch=true` on the pod, event and node lists) stream JSON lines (`ADDED`,
//! `MODIFIED`, `DELETED`, `BOOKMARK` with `allowWatchBookmarks=true`, `ERROR`) from a
//! timeline the test drives ([`Replay::set_pod`], [`Replay::delete_pod`],
//! [`Replay::push_event`], [`Replay::set_node`]): every change gets the next
//! resourceVersion, and the lists serve the objects as changed with that resourceVersion.
//! [`Replay::end_watches`] ends the open streams (a client resumes), [`Replay::expire`]
//! makes every earlier resourceVersion too old (a watch from one gets an `ERROR` Status 410,
//! as the API server answers), [`Replay::stop`] and [`Replay::restart`] take the server
//! away and bring it back on the same port. Without a change it serves the bundle as before.
//!
//! A time shift ([`Replay::set_time_shift`], off by default) moves every timestamp it serves
//! (and the `Date` header) by a number of seconds: a client that computes ages from its own
//! clock (kubectl's AGE columns) then sees the bundle as if captured at that moment.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use kubedoctor::selector::Selector;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A fault: answer `status` (or wait `delay`) for requests whose path and query contain
/// `contains`, at most `times` times.
#[derive(Debug, Clone)]
pub struct Fault {
    pub contains: String,
    pub status: Option<u16>,
    pub delay: Option<Duration>,
    pub times: usize,
}

#[derive(Default)]
struct Inner {
    requests: Vec<(String, String)>,
    /// The headers of each request, in the order of `requests`.
    headers: Vec<axum::http::HeaderMap>,
    faults: Vec<Fault>,
}

struct Data {
    pods: Vec<Value>,
    events: Vec<Value>,
    nodes: Vec<Value>,
    replicasets: Vec<Value>,
    jobs: Vec<Value>,
    pvcs: Vec<Value>,
    /// `None`: the bundle has no such file, and the resource answers 404.
    services: Option<Vec<Value>>,
    endpointslices: Option<Vec<Value>>,
    endpoints: Option<Vec<Value>>,
    serviceaccounts: Option<Vec<Value>>,
    dir: PathBuf,
    latency: Duration,
    /// The `Date` header of every answer: the bundle's capture time, so a live run sees
    /// the cluster at the moment it was captured.
    date: Option<String>,
    /// The capture time itself, for a shifted `Date` header.
    captured: Option<jiff::Timestamp>,
}

#[derive(Clone)]
struct AppState {
    data: Arc<Data>,
    inner: Arc<Mutex<Inner>>,
    shift: Arc<AtomicI64>,
    watch: Arc<Watch>,
}

/// The resourceVersion of the bundle as served before any change.
const FIRST_RV: u64 = 4242;

/// The watch timeline: the changes a test made, each with its resourceVersion.
struct Timeline {
    rv: u64,
    /// `(resourceVersion, resource, type, object)`.
    changes: Vec<(u64, &'static str, &'static str, Value)>,
    /// The pods, events and nodes as served once asked for (`None`: not yet taken from
    /// the bundle); shared, so a request does not copy them.
    pods: Option<Arc<Vec<Value>>>,
    events: Option<Arc<Vec<Value>>>,
    nodes: Option<Arc<Vec<Value>>>,
    /// A watch from a resourceVersion below this one is answered with a 410.
    expired_before: u64,
    /// Bumped to end every open watch.
    epoch: u64,
    /// The watch streams opened so far, by resource: each took its epoch under this lock,
    /// so one counted before [`Replay::end_watches`] is one that it ends.
    opened: HashMap<&'static str, usize>,
}

struct Watch {
    timeline: Mutex<Timeline>,
    /// Told each time the timeline changes.
    changed: tokio::sync::watch::Sender<u64>,
}

impl Watch {
    fn new() -> Watch {
        Watch {
            timeline: Mutex::new(Timeline {
                rv: FIRST_RV,
                changes: Vec::new(),
                pods: None,
                events: None,
                nodes: None,
                expired_before: 0,
                epoch: 0,
                opened: HashMap::new(),
            }),
            changed: tokio::sync::watch::channel(0).0,
        }
    }

    /// The objects of `resource` now.
    fn current(&self, data: &Data, resource: &str) -> Arc<Vec<Value>> {
        let mut t = self.timeline.lock().unwrap();
        let (slot, bundle) = match resource {
            "pods" => (&mut t.pods, &data.pods),
            "events" => (&mut t.events, &data.events),
            _ => (&mut t.nodes, &data.nodes),
        };
        slot.get_or_insert_with(|| Arc::new(bundle.clone())).clone()
    }

    fn rv(&self) -> u64 {
        self.timeline.lock().unwrap().rv
    }
}

/// A running replay server.
pub struct Replay {
    pub port: u16,
    inner: Arc<Mutex<Inner>>,
    shift: Arc<AtomicI64>,
    watch: Arc<Watch>,
    data: Arc<Data>,
    app: Router,
    runtime: Mutex<Option<tokio::runtime::Runtime>>,
}

fn items(dir: &Path, name: &str) -> Vec<Value> {
    optional_items(dir, name).unwrap_or_default()
}

/// The items of `NAME.json`; `None` when the bundle has no such file (or it is no List).
fn optional_items(dir: &Path, name: &str) -> Option<Vec<Value>> {
    std::fs::read_to_string(dir.join(format!("{name}.json")))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v["items"].as_array().cloned())
}

/// The bundle's pods and, after them, its `system-pods.json` pods not already among them.
fn pods_with_system_pods(dir: &Path) -> Vec<Value> {
    let mut pods = items(dir, "pods");
    let key = |p: &Value| {
        (
            p["metadata"]["namespace"].clone(),
            p["metadata"]["name"].clone(),
        )
    };
    for p in items(dir, "system-pods") {
        if !pods.iter().any(|q| key(q) == key(&p)) {
            pods.push(p);
        }
    }
    pods
}

impl Replay {
    /// Serves `dir` with `latency` added to every answer.
    pub fn start(dir: &Path, latency: Duration, faults: Vec<Fault>) -> Replay {
        let data = Arc::new(Data {
            pods: pods_with_system_pods(dir),
            events: items(dir, "events"),
            nodes: items(dir, "nodes"),
            replicasets: items(dir, "replicasets"),
            jobs: items(dir, "jobs"),
            pvcs: items(dir, "pvcs"),
            services: optional_items(dir, "services"),
            endpointslices: optional_items(dir, "endpointslices"),
            endpoints: optional_items(dir, "endpoints"),
            serviceaccounts: optional_items(dir, "serviceaccounts"),
            dir: dir.to_path_buf(),
            latency,
            date: captured_at(dir),
            captured: captured_time(dir),
        });
        let inner = Arc::new(Mutex::new(Inner {
            requests: Vec::new(),
            headers: Vec::new(),
            faults,
        }));
        let shift = Arc::new(AtomicI64::new(0));
        let watch = Arc::new(Watch::new());
        let state = AppState {
            data: data.clone(),
            inner: inner.clone(),
            shift: shift.clone(),
            watch: watch.clone(),
        };
        let app = Router::new().fallback(handle).with_state(state);
        let (runtime, port) = serve_loopback(app.clone(), 2);
        Replay {
            port,
            inner,
            shift,
            watch,
            data,
            app,
            runtime: Mutex::new(Some(runtime)),
        }
    }

    /// Adds or replaces a pod (by namespace and name): `ADDED` or `MODIFIED` to watches.
    pub fn set_pod(&self, pod: Value) {
        self.change("pods", pod, false);
    }

    /// Deletes a pod: `DELETED` to watches.
    pub fn delete_pod(&self, namespace: &str, name: &str) {
        let pod = self
            .pod(namespace, name)
            .unwrap_or_else(|| json!({"metadata": {"namespace": namespace, "name": name}}));
        self.change("pods", pod, true);
    }

    /// Adds an event: `ADDED` to watches.
    pub fn push_event(&self, event: Value) {
        self.change("events", event, false);
    }

    /// Adds or replaces a node.
    pub fn set_node(&self, node: Value) {
        self.change("nodes", node, false);
    }

    /// A pod as served now.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<Value> {
        self.watch
            .current(&self.data, "pods")
            .iter()
            .find(|p| same(p, namespace, name))
            .cloned()
    }

    fn change(&self, resource: &'static str, mut object: Value, delete: bool) {
        let ns = object["metadata"]["namespace"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let name = object["metadata"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let mut t = self.watch.timeline.lock().unwrap();
        let (slot, bundle) = match resource {
            "pods" => (&mut t.pods, &self.data.pods),
            "events" => (&mut t.events, &self.data.events),
            _ => (&mut t.nodes, &self.data.nodes),
        };
        // Taken out of its slot: copied only when a request still holds it.
        let mut current = match slot.take() {
            Some(shared) => Arc::unwrap_or_clone(shared),
            None => bundle.clone(),
        };
        t.rv += 1;
        let rv = t.rv;
        object["metadata"]["resourceVersion"] = json!(rv.to_string());
        let (api_version, kind) = match resource {
            "pods" => ("v1", "Pod"),
            "events" => ("v1", "Event"),
            _ => ("v1", "Node"),
        };
        object["apiVersion"] = json!(api_version);
        object["kind"] = json!(kind);
        let at = current.iter().position(|o| same(o, &ns, &name));
        let kind = match (at, delete) {
            (Some(i), true) => {
                current.remove(i);
                "DELETED"
            }
            (None, true) => "DELETED",
            (Some(i), false) => {
                current[i] = object.clone();
                "MODIFIED"
            }
            (None, false) => {
                current.push(object.clone());
                "ADDED"
            }
        };
        let current = Some(Arc::new(current));
        match resource {
            "pods" => t.pods = current,
            "events" => t.events = current,
            _ => t.nodes = current,
        }
        t.changes.push((rv, resource, kind, object));
        drop(t);
        self.watch.changed.send_replace(rv);
    }

    /// Ends every open watch stream (a client resumes from its resourceVersion).
    pub fn end_watches(&self) {
        let mut t = self.watch.timeline.lock().unwrap();
        t.epoch += 1;
        let rv = t.rv;
        drop(t);
        self.watch.changed.send_replace(rv);
    }

    /// Makes every resourceVersion so far too old: open watches end, and a watch from an
    /// earlier one gets an `ERROR` event with a 410 Status (a client lists again).
    pub fn expire(&self) {
        let mut t = self.watch.timeline.lock().unwrap();
        t.rv += 1;
        t.expired_before = t.rv;
        t.epoch += 1;
        let rv = t.rv;
        drop(t);
        self.watch.changed.send_replace(rv);
    }

    /// Takes the server away: its port refuses connections and open streams break.
    pub fn stop(&self) {
        if let Some(r) = self.runtime.lock().unwrap().take() {
            // Waits until its tasks (the listener, every connection) are dropped.
            r.shutdown_timeout(Duration::from_secs(5));
        }
    }

    /// Serves again on the same port (after [`Replay::stop`]).
    pub fn restart(&self) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mut tries = 0;
        let listener = loop {
            match runtime.block_on(tokio::net::TcpListener::bind(("127.0.0.1", self.port))) {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("cannot serve again on port {}: {e}", self.port),
            }
        };
        let app = self.app.clone();
        runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
        *self.runtime.lock().unwrap() = Some(runtime);
    }

    /// How many watch streams of `resource` (`pods`, `events`, `nodes`) were opened so far.
    pub fn watches_opened(&self, resource: &str) -> usize {
        let t = self.watch.timeline.lock().unwrap();
        t.opened.get(resource).copied().unwrap_or(0)
    }

    /// The watch requests so far (`path?query`; recorded as they arrive, before their stream
    /// takes its place in the timeline).
    pub fn watch_requests(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .map(|(_, u)| u)
            .filter(|u| is_watch(u))
            .collect()
    }

    /// The list (not watch) requests so far whose path ends with `/RESOURCE`.
    pub fn list_requests(&self, resource: &str) -> Vec<String> {
        self.requests()
            .into_iter()
            .map(|(_, u)| u)
            .filter(|u| !is_watch(u))
            .filter(|u| {
                u.split('?')
                    .next()
                    .is_some_and(|p| p.ends_with(&format!("/{resource}")))
            })
            .collect()
    }

    /// Serves every timestamp (`2026-11-20T10:00:00Z` strings in JSON answers, and the
    /// `Date` header) `secs` seconds later from now on; 0 serves the bundle as it is.
    pub fn set_time_shift(&self, secs: i64) {
        self.shift.store(secs, Ordering::SeqCst);
    }

    /// `(method, path?query)` of every request so far.
    pub fn requests(&self) -> Vec<(String, String)> {
        self.inner.lock().unwrap().requests.clone()
    }

    /// `(path?query, headers)` of every request so far.
    pub fn requests_with_headers(&self) -> Vec<(String, axum::http::HeaderMap)> {
        let inner = self.inner.lock().unwrap();
        inner
            .requests
            .iter()
            .map(|(_, u)| u.clone())
            .zip(inner.headers.iter().cloned())
            .collect()
    }

    /// A kubeconfig file pointing at this server.
    pub fn kubeconfig(&self, dir: &Path, namespace: &str) -> PathBuf {
        let path = dir.join(format!("kubeconfig-{}", self.port));
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: replay\n  cluster:\n    server: http://127.0.0.1:{}\ncontexts:\n- name: replay\n  context:\n    cluster: replay\n    user: replay\n    namespace: {namespace}\ncurrent-context: replay\nusers:\n- name: replay\n  user:\n    token: replay-token\n",
                self.port
            ),
        )
        .unwrap();
        path
    }
}

/// Whether an object is `namespace/name` (a node: `name`).
fn same(o: &Value, namespace: &str, name: &str) -> bool {
    o["metadata"]["name"].as_str() == Some(name)
        && o["metadata"]["namespace"].as_str().unwrap_or("") == namespace
}

fn is_watch(uri: &str) -> bool {
    uri.split_once('?')
        .is_some_and(|(_, q)| q.split('&').any(|kv| kv == "watch=true" || kv == "watch=1"))
}

/// A watch: the changes after `resourceVersion` that match the namespace and selectors,
/// then each new one as it is made, as JSON lines; a bookmark after each batch when asked
/// for; an `ERROR` 410 for an expired resourceVersion; the stream ends at
/// [`Replay::end_watches`].
fn watch_stream(
    watch: Arc<Watch>,
    resource: &'static str,
    ns: Option<String>,
    q: &HashMap<String, String>,
) -> Response {
    let from: u64 = q
        .get("resourceVersion")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let bookmarks = q.get("allowWatchBookmarks").is_some_and(|b| b == "true");
    let label = q
        .get("labelSelector")
        .map(|s| Selector::parse(s).expect("valid selector"));
    let field = q.get("fieldSelector").cloned();
    let (tx, rx) = futures::channel::mpsc::unbounded::<Result<String, std::convert::Infallible>>();
    let line = |v: Value| Ok(format!("{v}\n"));
    let mut changed = watch.changed.subscribe();
    // Taken before the answer starts, with the count of opened streams, under one lock.
    let (epoch, expired, now) = {
        let mut t = watch.timeline.lock().unwrap();
        *t.opened.entry(resource).or_default() += 1;
        (t.epoch, t.expired_before, t.rv)
    };
    tokio::spawn(async move {
        if from != 0 && from < expired {
            let _ = tx.unbounded_send(line(json!({"type": "ERROR", "object": {
                "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": format!("too old resource version: {from} ({expired})"),
                "reason": "Expired", "code": 410}})));
            return;
        }
        // `0`: from now.
        let mut sent = if from == 0 { now } else { from };
        let mut first = true;
        loop {
            let (batch, over, rv) = {
                let t = watch.timeline.lock().unwrap();
                let batch: Vec<Value> = t
                    .changes
                    .iter()
                    .filter(|(rv, r, _, _)| *rv > sent && *r == resource)
                    .filter(|(_, _, _, o)| {
                        ns.as_deref()
                            .is_none_or(|n| o["metadata"]["namespace"] == n)
                            && label.as_ref().is_none_or(|sel| sel.matches(&labels_of(o)))
                            && field.as_deref().is_none_or(|f| field_matches(o, f))
                    })
                    .map(|(_, _, kind, o)| json!({"type": kind, "object": o}))
                    .collect();
                (batch, t.epoch != epoch, t.rv)
            };
            // An ended stream sends nothing more: what changed since goes to the next one.
            if over {
                return;
            }
            let any = !batch.is_empty();
            for b in batch {
                if tx.unbounded_send(line(b)).is_err() {
                    return;
                }
            }
            sent = sent.max(rv);
            if bookmarks && (any || first) {
                let kind = match resource {
                    "pods" => "Pod",
                    "events" => "Event",
                    _ => "Node",
                };
                let _ = tx.unbounded_send(line(json!({"type": "BOOKMARK", "object": {
                    "kind": kind, "apiVersion": "v1",
                    "metadata": {"resourceVersion": rv.to_string()}}})));
            }
            first = false;
            if changed.changed().await.is_err() {
                return;
            }
        }
    });
    Response::builder()
        .header("content-type", "application/json")
        .header("transfer-encoding", "chunked")
        .body(Body::from_stream(rx))
        .unwrap()
}

fn status(code: u16, reason: &str, message: &str) -> Response {
    let body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                      "message": message, "reason": reason, "code": code});
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap())
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn json_response(v: Value) -> Response {
    Response::builder()
        .header("content-type", "application/json")
        .body(Body::from(v.to_string()))
        .unwrap()
}

fn text_response(t: String) -> Response {
    Response::builder()
        .header("content-type", "text/plain")
        .body(Body::from(t))
        .unwrap()
}

fn query(req: &Request) -> HashMap<String, String> {
    req.uri().query().map(url_decode_pairs).unwrap_or_default()
}

fn url_decode_pairs(q: &str) -> HashMap<String, String> {
    q.split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let h = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(h, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `captured_at` of the bundle's `bundle.json` as an HTTP date.
fn captured_at(dir: &Path) -> Option<String> {
    http_date(captured_time(dir)?)
}

fn captured_time(dir: &Path) -> Option<jiff::Timestamp> {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("bundle.json")).ok()?).ok()?;
    meta["captured_at"].as_str()?.parse().ok()
}

fn http_date(t: jiff::Timestamp) -> Option<String> {
    Some(
        jiff::fmt::rfc2822::to_string(&t.to_zoned(jiff::tz::TimeZone::UTC))
            .ok()?
            .replace("+0000", "GMT"),
    )
}

/// Moves every whole-second RFC 3339 UTC timestamp string in `v` by `secs`.
fn shift_value(v: &mut Value, secs: i64) {
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            let shaped = b.len() == 20
                && b[4] == b'-'
                && b[10] == b'T'
                && b[19] == b'Z'
                && b[..4].iter().all(u8::is_ascii_digit);
            if let Some(t) = shaped
                .then(|| s.parse::<jiff::Timestamp>().ok())
                .flatten()
                .and_then(|t| t.checked_add(jiff::SignedDuration::from_secs(secs)).ok())
            {
                *s = t.to_string();
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| shift_value(x, secs)),
        Value::Object(m) => m.values_mut().for_each(|x| shift_value(x, secs)),
        _ => {}
    }
}

/// A JSON answer with its timestamps moved by `secs`.
async fn shifted(response: Response, secs: i64) -> Response {
    let json = response
        .headers()
        .get("content-type")
        .is_some_and(|c| c.as_bytes().starts_with(b"application/json"));
    if !json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut v) => {
            shift_value(&mut v, secs);
            Response::from_parts(parts, Body::from(v.to_string()))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}

async fn handle(State(state): State<AppState>, req: Request) -> Response {
    let secs = state.shift.load(Ordering::SeqCst);
    let date = if secs == 0 {
        state.data.date.clone()
    } else {
        state
            .data
            .captured
            .and_then(|t| t.checked_add(jiff::SignedDuration::from_secs(secs)).ok())
            .and_then(http_date)
    };
    let mut response = answer(state, req).await;
    if secs != 0 {
        response = shifted(response, secs).await;
    }
    if let Some(d) = date.and_then(|d| http::HeaderValue::from_str(&d).ok()) {
        response.headers_mut().insert(http::header::DATE, d);
    }
    response
}

async fn answer(state: AppState, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let full = req.uri().to_string();
    let fault = {
        let mut inner = state.inner.lock().unwrap();
        inner
            .requests
            .push((req.method().to_string(), full.clone()));
        inner.headers.push(req.headers().clone());
        let hit = inner
            .faults
            .iter_mut()
            .find(|f| f.times > 0 && full.contains(&f.contains));
        hit.map(|f| {
            f.times -= 1;
            f.clone()
        })
    };
    if !state.data.latency.is_zero() {
        tokio::time::sleep(state.data.latency).await;
    }
    if let Some(f) = fault {
        if let Some(d) = f.delay {
            tokio::time::sleep(d).await;
        }
        if let Some(code) = f.status {
            let reason = match code {
                403 => "Forbidden",
                401 => "Unauthorized",
                429 => "TooManyRequests",
                _ => "InternalError",
            };
            return status(code, reason, &format!("injected {code} for {full}"));
        }
    }
    if req.method() != Method::GET {
        return status(
            405,
            "MethodNotAllowed",
            "the replay server answers GET only",
        );
    }
    let q = query(&req);
    let data = &state.data;
    let watching = q.get("watch").is_some_and(|w| w == "true" || w == "1");
    let rv = state.watch.rv();
    let table = req
        .headers()
        .get("accept")
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("as=Table"));
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segs.as_slice() {
        ["version"] => json_response(
            json!({"major": "1", "minor": "33", "gitVersion": "v1.33.4-replay",
            "platform": "linux/amd64", "goVersion": "go1.24", "compiler": "gc", "buildDate": "2026-01-01T00:00:00Z", "gitCommit": "0", "gitTreeState": "clean"}),
        ),
        // Discovery, as kubectl asks for it (legacy form: kubectl falls back to it).
        ["api"] => json_response(json!({"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})),
        ["apis"] => {
            let mut groups = vec![json!({"name": "apps",
                "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}})];
            if data.endpointslices.is_some() {
                groups.push(json!({"name": "discovery.k8s.io",
                    "versions": [{"groupVersion": "discovery.k8s.io/v1", "version": "v1"}],
                    "preferredVersion": {"groupVersion": "discovery.k8s.io/v1", "version": "v1"}}));
            }
            if !data.jobs.is_empty() {
                groups.push(json!({"name": "batch",
                    "versions": [{"groupVersion": "batch/v1", "version": "v1"}],
                    "preferredVersion": {"groupVersion": "batch/v1", "version": "v1"}}));
            }
            json_response(json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}))
        }
        ["apis", "batch", "v1"] if !data.jobs.is_empty() => json_response(
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "batch/v1",
            "resources": [resource("jobs", "Job", true, &[])]}),
        ),
        ["api", "v1"] => {
            let mut resources = vec![
                resource("pods", "Pod", true, &["po"]),
                resource("pods/log", "Pod", true, &[]),
                resource("events", "Event", true, &["ev"]),
                resource("nodes", "Node", false, &["no"]),
                resource(
                    "persistentvolumeclaims",
                    "PersistentVolumeClaim",
                    true,
                    &["pvc"],
                ),
                resource("namespaces", "Namespace", false, &["ns"]),
            ];
            for (present, name, kind, short) in [
                (data.services.is_some(), "services", "Service", "svc"),
                (data.endpoints.is_some(), "endpoints", "Endpoints", "ep"),
                (
                    data.serviceaccounts.is_some(),
                    "serviceaccounts",
                    "ServiceAccount",
                    "sa",
                ),
            ] {
                if present {
                    resources.push(resource(name, kind, true, &[short]));
                }
            }
            json_response(json!({"kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": "v1", "resources": resources}))
        }
        ["apis", "discovery.k8s.io", "v1"] if data.endpointslices.is_some() => json_response(
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "discovery.k8s.io/v1",
            "resources": [resource("endpointslices", "EndpointSlice", true, &[])]}),
        ),
        ["apis", "apps", "v1"] => json_response(
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apps/v1",
            "resources": [
                resource("replicasets", "ReplicaSet", true, &["rs"]),
                resource("deployments", "Deployment", true, &["deploy"]),
            ]}),
        ),
        ["api", "v1", "namespaces", ns, "pods", name] => {
            one(&state.watch.current(data, "pods"), Some(ns), name, "pods")
        }
        ["api", "v1", "nodes", name] => {
            one(&state.watch.current(data, "nodes"), None, name, "nodes")
        }
        // `kubectl describe svc` and `describe endpointslices` get each object by name.
        ["api", "v1", "namespaces", ns, "services", name] => one(
            data.services.as_deref().unwrap_or(&[]),
            Some(ns),
            name,
            "services",
        ),
        [
            "apis",
            "discovery.k8s.io",
            "v1",
            "namespaces",
            ns,
            "endpointslices",
            name,
        ] => one(
            data.endpointslices.as_deref().unwrap_or(&[]),
            Some(ns),
            name,
            "endpointslices",
        ),
        [
            "apis",
            "coordination.k8s.io",
            "v1",
            "namespaces",
            "kube-node-lease",
            "leases",
            name,
        ] => lease(&data.nodes, name),
        ["api", "v1", "pods"] if watching => watch_stream(state.watch.clone(), "pods", None, &q),
        ["api", "v1", "namespaces", ns, "pods"] if watching => {
            watch_stream(state.watch.clone(), "pods", Some(ns.to_string()), &q)
        }
        ["api", "v1", "events"] if watching => {
            watch_stream(state.watch.clone(), "events", None, &q)
        }
        ["api", "v1", "namespaces", ns, "events"] if watching => {
            watch_stream(state.watch.clone(), "events", Some(ns.to_string()), &q)
        }
        ["api", "v1", "nodes"] if watching => watch_stream(state.watch.clone(), "nodes", None, &q),
        ["api", "v1", "pods"] => {
            list_at("PodList", &state.watch.current(data, "pods"), None, &q, rv)
        }
        ["api", "v1", "namespaces", ns, "pods"] => list_at(
            "PodList",
            &state.watch.current(data, "pods"),
            Some(ns),
            &q,
            rv,
        ),
        ["api", "v1", "events"] => list_at(
            "EventList",
            &state.watch.current(data, "events"),
            None,
            &q,
            rv,
        ),
        ["api", "v1", "namespaces", ns, "events"] => list_at(
            "EventList",
            &state.watch.current(data, "events"),
            Some(ns),
            &q,
            rv,
        ),
        ["api", "v1", "nodes"] if table => nodes_table(&state.watch.current(data, "nodes")),
        ["api", "v1", "nodes"] => list_at(
            "NodeList",
            &state.watch.current(data, "nodes"),
            None,
            &q,
            rv,
        ),
        ["api", "v1", "persistentvolumeclaims"] => {
            list("PersistentVolumeClaimList", "v1", &data.pvcs, None, &q)
        }
        ["api", "v1", "namespaces", ns, "persistentvolumeclaims"] => {
            list("PersistentVolumeClaimList", "v1", &data.pvcs, Some(ns), &q)
        }
        ["apis", "apps", "v1", "replicasets"] => {
            list("ReplicaSetList", "apps/v1", &data.replicasets, None, &q)
        }
        ["apis", "apps", "v1", "namespaces", ns, "replicasets"] => {
            list("ReplicaSetList", "apps/v1", &data.replicasets, Some(ns), &q)
        }
        ["api", "v1", "services"] => optional_list("ServiceList", "v1", &data.services, None, &q),
        ["api", "v1", "namespaces", ns, "services"] if table => services_table(
            data.services
                .iter()
                .flatten()
                .filter(|s| s["metadata"]["namespace"] == *ns),
        ),
        ["api", "v1", "namespaces", ns, "services"] => {
            optional_list("ServiceList", "v1", &data.services, Some(ns), &q)
        }
        ["api", "v1", "endpoints"] => {
            optional_list("EndpointsList", "v1", &data.endpoints, None, &q)
        }
        ["api", "v1", "namespaces", ns, "endpoints"] => {
            optional_list("EndpointsList", "v1", &data.endpoints, Some(ns), &q)
        }
        ["api", "v1", "serviceaccounts"] => {
            optional_list("ServiceAccountList", "v1", &data.serviceaccounts, None, &q)
        }
        ["api", "v1", "namespaces", ns, "serviceaccounts"] => optional_list(
            "ServiceAccountList",
            "v1",
            &data.serviceaccounts,
            Some(ns),
            &q,
        ),
        ["apis", "discovery.k8s.io", "v1", "endpointslices"] => optional_list(
            "EndpointSliceList",
            "discovery.k8s.io/v1",
            &data.endpointslices,
            None,
            &q,
        ),
        [
            "apis",
            "discovery.k8s.io",
            "v1",
            "namespaces",
            ns,
            "endpointslices",
        ] => optional_list(
            "EndpointSliceList",
            "discovery.k8s.io/v1",
            &data.endpointslices,
            Some(ns),
            &q,
        ),
        // `kubectl cluster-info dump`: the namespaces the bundle's objects name, and empty
        // lists of the workloads a bundle does not keep.
        ["api", "v1", "namespaces", _, "replicationcontrollers"] => {
            list("ReplicationControllerList", "v1", &[], None, &q)
        }
        ["apis", "apps", "v1", "namespaces", _, "daemonsets"] => {
            list("DaemonSetList", "apps/v1", &[], None, &q)
        }
        ["apis", "apps", "v1", "namespaces", _, "deployments"] => {
            list("DeploymentList", "apps/v1", &[], None, &q)
        }
        ["apis", "apps", "v1", "namespaces", ns, "deployments", name] => deployment(data, ns, name),
        // Workloads by name in every namespace (`-A` with a workload target).
        ["apis", "apps", "v1", "deployments"] => {
            list("DeploymentList", "apps/v1", &deployments(data), None, &q)
        }
        ["apis", "batch", "v1", "cronjobs"] => {
            list("CronJobList", "batch/v1", &cronjobs(data), None, &q)
        }
        ["api", "v1", "namespaces"] => list("NamespaceList", "v1", &namespaces(data), None, &q),
        ["apis", "batch", "v1", "namespaces", ns, "cronjobs", name] => cronjob(data, ns, name),
        ["apis", "batch", "v1", "jobs"] => list("JobList", "batch/v1", &data.jobs, None, &q),
        ["apis", "batch", "v1", "namespaces", ns, "jobs"] => {
            list("JobList", "batch/v1", &data.jobs, Some(ns), &q)
        }
        ["apis", "batch", "v1", "namespaces", ns, "jobs", name] => {
            one(&data.jobs, Some(ns), name, "jobs")
        }
        ["api", "v1", "namespaces", ns, "pods", name, "log"] => pod_log(data, ns, name, &q),
        ["api", "v1", "nodes", node, "proxy", "logs"]
        | ["api", "v1", "nodes", node, "proxy", "logs", ""] => node_log(data, node, &q),
        _ => status(404, "NotFound", &format!("the replay server has no {path}")),
    }
}

/// `kubectl get nodes` asks the server to print: a `meta.k8s.io/v1` Table with the
/// apiserver's node columns (NAME STATUS ROLES AGE VERSION).
fn nodes_table(nodes: &[Value]) -> Response {
    let col = |name: &str| json!({"name": name, "type": "string", "format": "", "description": "", "priority": 0});
    let rows: Vec<Value> = nodes
        .iter()
        .map(|n| {
            let ready = n["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["type"] == "Ready")
                .map(|c| c["status"] == "True")
                .unwrap_or(false);
            let mut status = if ready { "Ready" } else { "NotReady" }.to_string();
            if n["spec"]["unschedulable"].as_bool().unwrap_or(false) {
                status.push_str(",SchedulingDisabled");
            }
            json!({"cells": [n["metadata"]["name"], status, "<none>", "21d",
                             n["status"]["nodeInfo"]["kubeletVersion"].as_str().unwrap_or("v1.33.4")],
                   "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                              "metadata": {"name": n["metadata"]["name"]}}})
        })
        .collect();
    json_response(
        json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
        "columnDefinitions": [col("Name"), col("Status"), col("Roles"), col("Age"), col("Version")],
        "rows": rows}),
    )
}

/// `kubectl get svc` asks the server to print: the apiserver's Service columns (NAME TYPE
/// CLUSTER-IP EXTERNAL-IP PORT(S) AGE, and SELECTOR at priority 1 for `-o wide`), as
/// `printService` fills them.
fn services_table<'a>(services: impl Iterator<Item = &'a Value>) -> Response {
    let col = |name: &str, priority: i32| json!({"name": name, "type": "string", "format": "", "description": "", "priority": priority});
    let rows: Vec<Value> = services
        .map(|s| {
            let spec = &s["spec"];
            let type_ = spec["type"].as_str().unwrap_or("ClusterIP");
            let external = match type_ {
                "ExternalName" => spec["externalName"].as_str().unwrap_or("<none>").to_string(),
                "LoadBalancer" => "<pending>".to_string(),
                _ => "<none>".to_string(),
            };
            let ports: Vec<String> = spec["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let proto = p["protocol"].as_str().unwrap_or("TCP");
                    match p["nodePort"].as_i64() {
                        Some(np) => format!("{}:{np}/{proto}", p["port"]),
                        None => format!("{}/{proto}", p["port"]),
                    }
                })
                .collect();
            let selector: Vec<String> = spec["selector"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect();
            let or_none = |v: Vec<String>| if v.is_empty() { "<none>".to_string() } else { v.join(",") };
            json!({"cells": [s["metadata"]["name"], type_,
                             spec["clusterIP"].as_str().unwrap_or("<none>"), external,
                             or_none(ports), "18d", or_none(selector)],
                   "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                              "metadata": {"name": s["metadata"]["name"], "namespace": s["metadata"]["namespace"]}}})
        })
        .collect();
    json_response(
        json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"},
        "columnDefinitions": [col("Name", 0), col("Type", 0), col("Cluster-IP", 0), col("External-IP", 0),
                              col("Port(s)", 0), col("Age", 0), col("Selector", 1)],
        "rows": rows}),
    )
}

/// The node's lease in `kube-node-lease`, renewed at its Ready condition's last heartbeat.
fn lease(nodes: &[Value], name: &str) -> Response {
    let Some(node) = nodes
        .iter()
        .find(|n| n.pointer("/metadata/name").and_then(Value::as_str) == Some(name))
    else {
        return status(
            404,
            "NotFound",
            &format!("leases.coordination.k8s.io \"{name}\" not found"),
        );
    };
    let renewed = node["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "Ready")
        .map(|c| c["lastHeartbeatTime"].clone())
        .unwrap_or(Value::Null);
    json_response(
        json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": name, "namespace": "kube-node-lease",
                     "creationTimestamp": node["metadata"]["creationTimestamp"]},
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": renewed}}),
    )
}

/// One discovery entry.
fn resource(name: &str, kind: &str, namespaced: bool, short: &[&str]) -> Value {
    json!({"name": name, "singularName": "", "namespaced": namespaced, "kind": kind,
           "verbs": ["get", "list", "watch"], "shortNames": short})
}

/// One object by name, or 404 as the API says it.
fn one(all: &[Value], ns: Option<&str>, name: &str, resource: &str) -> Response {
    all.iter()
        .find(|i| {
            i.pointer("/metadata/name").and_then(Value::as_str) == Some(name)
                && ns.is_none_or(|n| {
                    i.pointer("/metadata/namespace").and_then(Value::as_str) == Some(n)
                })
        })
        .map(|i| {
            let mut v = i.clone();
            let (api_version, kind) = match resource {
                "pods" => ("v1", "Pod"),
                "services" => ("v1", "Service"),
                "endpointslices" => ("discovery.k8s.io/v1", "EndpointSlice"),
                "jobs" => ("batch/v1", "Job"),
                _ => ("v1", "Node"),
            };
            v["apiVersion"] = json!(api_version);
            v["kind"] = json!(kind);
            json_response(v)
        })
        .unwrap_or_else(|| status(404, "NotFound", &format!("{resource} \"{name}\" not found")))
}

fn field_matches(item: &Value, selector: &str) -> bool {
    selector.split(',').filter(|s| !s.is_empty()).all(|req| {
        let Some((k, v)) = req.split_once('=') else {
            return true;
        };
        let path = match k {
            "metadata.name" => "/metadata/name",
            "metadata.namespace" => "/metadata/namespace",
            "spec.nodeName" => "/spec/nodeName",
            "involvedObject.name" => "/involvedObject/name",
            "involvedObject.namespace" => "/involvedObject/namespace",
            "involvedObject.kind" => "/involvedObject/kind",
            "involvedObject.uid" => "/involvedObject/uid",
            _ => return true,
        };
        item.pointer(path).and_then(Value::as_str) == Some(v.trim_start_matches('='))
    })
}

fn list(
    kind: &str,
    api_version: &str,
    all: &[Value],
    ns: Option<&str>,
    q: &HashMap<String, String>,
) -> Response {
    list_rv(kind, api_version, all, ns, q, FIRST_RV)
}

fn list_rv(
    kind: &str,
    api_version: &str,
    all: &[Value],
    ns: Option<&str>,
    q: &HashMap<String, String>,
    rv: u64,
) -> Response {
    let label = q
        .get("labelSelector")
        .map(|s| Selector::parse(s).expect("valid selector"));
    let mut matching: Vec<&Value> = all
        .iter()
        .filter(|i| {
            ns.is_none_or(|n| i.pointer("/metadata/namespace").and_then(Value::as_str) == Some(n))
        })
        .filter(|i| label.as_ref().is_none_or(|sel| sel.matches(&labels_of(i))))
        .filter(|i| q.get("fieldSelector").is_none_or(|f| field_matches(i, f)))
        .collect();
    let start: usize = q.get("continue").and_then(|c| c.parse().ok()).unwrap_or(0);
    let limit: usize = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(usize::MAX);
    let rest = matching.split_off(start.min(matching.len()));
    let page: Vec<&Value> = rest.iter().take(limit).copied().collect();
    let next = (start + page.len() < start + rest.len()).then(|| (start + page.len()).to_string());
    let mut meta = json!({"resourceVersion": rv.to_string()});
    if let Some(n) = next {
        meta["continue"] = json!(n);
    }
    json_response(json!({"apiVersion": api_version, "kind": kind, "metadata": meta, "items": page}))
}

/// A core/v1 list at resourceVersion `rv`.
fn list_at(
    kind: &str,
    all: &[Value],
    ns: Option<&str>,
    q: &HashMap<String, String>,
    rv: u64,
) -> Response {
    list_rv(kind, "v1", all, ns, q, rv)
}

/// A list of a resource the bundle may lack: 404, as a server without the resource
/// answers, when it has no file for it.
fn optional_list(
    kind: &str,
    api_version: &str,
    all: &Option<Vec<Value>>,
    ns: Option<&str>,
    q: &HashMap<String, String>,
) -> Response {
    match all {
        Some(all) => list(kind, api_version, all, ns, q),
        None => status(
            404,
            "NotFound",
            &format!("the server could not find the requested resource ({kind})"),
        ),
    }
}

/// A Namespace object for each namespace the bundle's objects are in, and `default`.
fn namespaces(data: &Data) -> Vec<Value> {
    let mut names: std::collections::BTreeSet<&str> = ["default"].into();
    for o in [&data.pods, &data.events, &data.replicasets, &data.pvcs]
        .into_iter()
        .chain(data.services.as_ref())
        .flatten()
    {
        names.extend(o.pointer("/metadata/namespace").and_then(Value::as_str));
    }
    names
        .into_iter()
        .map(|n| {
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n},
                "status": {"phase": "Active"}})
        })
        .collect()
}

/// The Deployment of each `app.kubernetes.io/name` label of the bundle's pods, per namespace.
fn deployments(data: &Data) -> Vec<Value> {
    let mut seen = std::collections::BTreeSet::new();
    for p in &data.pods {
        if let (Some(ns), Some(name)) = (
            p.pointer("/metadata/namespace").and_then(Value::as_str),
            p.pointer("/metadata/labels/app.kubernetes.io~1name")
                .and_then(Value::as_str),
        ) {
            seen.insert((ns, name));
        }
    }
    seen.into_iter()
        .map(|(ns, name)| deployment_object(ns, name))
        .collect()
}

/// The CronJob of each Job named `<cronjob>-<scheduled minutes>` that owns a pod.
fn cronjobs(data: &Data) -> Vec<Value> {
    let mut seen = std::collections::BTreeSet::new();
    for p in &data.pods {
        let ns = p.pointer("/metadata/namespace").and_then(Value::as_str);
        for r in p["metadata"]["ownerReferences"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let (Some(ns), Some((cj, t))) =
                (ns, r["name"].as_str().and_then(|j| j.rsplit_once('-')))
                && r["kind"] == "Job"
                && t.bytes().all(|b| b.is_ascii_digit())
            {
                seen.insert((ns, cj));
            }
        }
    }
    seen.into_iter()
        .map(|(ns, name)| cronjob_object(ns, name))
        .collect()
}

fn deployment_object(ns: &str, name: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                 "template": {"metadata": {"labels": {"app.kubernetes.io/name": name}}, "spec": {"containers": []}}}})
}

fn cronjob_object(ns: &str, name: &str) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"schedule": "0 1 * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}})
}

fn deployment(data: &Data, ns: &str, name: &str) -> Response {
    let exists = data.pods.iter().any(|p| {
        p.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns)
            && p.pointer("/metadata/labels/app.kubernetes.io~1name")
                .and_then(Value::as_str)
                == Some(name)
    });
    if !exists {
        return status(
            404,
            "NotFound",
            &format!("deployments.apps \"{name}\" not found"),
        );
    }
    json_response(deployment_object(ns, name))
}

/// A CronJob exists when a pod of the namespace belongs to a Job named after it
/// (`<cronjob>-<scheduled minutes>`).
fn cronjob(data: &Data, ns: &str, name: &str) -> Response {
    let exists = data.pods.iter().any(|p| {
        p.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns)
            && p["metadata"]["ownerReferences"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| {
                    r["kind"] == "Job"
                        && r["name"]
                            .as_str()
                            .and_then(|j| j.rsplit_once('-'))
                            .is_some_and(|(cj, t)| {
                                cj == name && t.bytes().all(|b| b.is_ascii_digit())
                            })
                })
    });
    if !exists {
        return status(
            404,
            "NotFound",
            &format!("cronjobs.batch \"{name}\" not found"),
        );
    }
    json_response(cronjob_object(ns, name))
}

fn pod_log(data: &Data, ns: &str, pod: &str, q: &HashMap<String, String>) -> Response {
    let container = q.get("container").cloned().unwrap_or_default();
    let previous = q.get("previous").is_some_and(|p| p == "true");
    let file = data.dir.join("logs").join(ns).join(pod).join(if previous {
        format!("{container}.previous.log")
    } else {
        format!("{container}.log")
    });
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            let tail: usize = q
                .get("tailLines")
                .and_then(|t| t.parse().ok())
                .unwrap_or(usize::MAX);
            let lines: Vec<&str> = text.lines().collect();
            let keep = &lines[lines.len().saturating_sub(tail)..];
            let mut out = keep.join("\n");
            if !keep.is_empty() {
                out.push('\n');
            }
            text_response(out)
        }
        Err(_) => status(
            400,
            "BadRequest",
            &format!("previous terminated container \"{container}\" in pod \"{pod}\" not found"),
        ),
    }
}

fn node_log(data: &Data, node: &str, q: &HashMap<String, String>) -> Response {
    if q.get("query").map(String::as_str) != Some("kubelet") {
        return status(400, "BadRequest", "query must be kubelet");
    }
    if !data
        .nodes
        .iter()
        .any(|n| n.pointer("/metadata/name").and_then(Value::as_str) == Some(node))
    {
        return status(404, "NotFound", &format!("nodes \"{node}\" not found"));
    }
    let text = std::fs::read_to_string(data.dir.join("journal").join(format!("{node}.log")))
        .unwrap_or_default();
    let pattern = q
        .get("pattern")
        .map(|p| regex::Regex::new(p).expect("valid pattern"));
    let mut out = String::new();
    for line in text.lines() {
        // The kubelet filters on the message after the journald prefix.
        let message = line.split_once("]: ").map_or(line, |(_, m)| m);
        if pattern
            .as_ref()
            .is_none_or(|p| p.is_match(message) || p.is_match(line))
        {
            out.push_str(line);
            out.push('\n');
        }
    }
    text_response(out)
}

/// Serves `app` on 127.0.0.1 (a free port) from a runtime of its own; the server lives as long
/// as the returned runtime.
#[allow(dead_code)]
pub fn serve_loopback(app: axum::Router, threads: usize) -> (tokio::runtime::Runtime, u16) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (runtime, port)
}

/// An object's `metadata.labels` as a map (none: empty).
pub fn labels_of(object: &Value) -> std::collections::BTreeMap<String, String> {
    object["metadata"]["labels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}
