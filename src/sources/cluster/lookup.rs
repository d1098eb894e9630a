//! Services of namespaces out of scope that a pod's address names, looked up one GET each
//! (issue 21 §5): a namespace-scoped run lists only its own namespace's Services, so an
//! address `api.payments.svc` is checked against that one Service, not a list. Which names
//! to look up is the command layer's decision (from the pods' addresses).

use super::call::{CallError, call};
use super::connect::Connection;
use crate::evidence::Service;
use crate::sources::objects::services::service;
use crate::sources::objects::wire::service as wire;
use futures::StreamExt;

/// What the lookups found: the Services, those that do not exist, notes for the others.
#[derive(Debug, Default)]
pub struct LookedUp {
    pub found: Vec<Service>,
    pub absent: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// GETs each `(namespace, name)`, `concurrency` at a time.
pub async fn look_up_services(
    conn: &Connection,
    names: Vec<(String, String)>,
    concurrency: usize,
) -> LookedUp {
    let answers: Vec<_> = futures::stream::iter(names.into_iter().map(|(ns, name)| async move {
        let answer = get(conn, &ns, &name).await;
        (ns, name, answer)
    }))
    .buffer_unordered(concurrency.max(1))
    .collect()
    .await;
    let mut out = LookedUp::default();
    let mut noted = std::collections::HashSet::new();
    for (ns, name, answer) in answers {
        match answer {
            Ok(s) => out.found.push(s),
            Err(e) if e.status() == Some(404) => out.absent.push((ns, name)),
            // One note per namespace, however many of its Services were asked for.
            Err(e) if noted.insert(ns.clone()) => out.notes.push(format!(
                "Service `{ns}/{name}`, which a pod's address names, could not be looked up ({e}); \
                 kubedoctor needs get on services in namespace `{ns}`"
            )),
            Err(_) => {}
        }
    }
    out.found
        .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    out.absent.sort();
    out
}

async fn get(conn: &Connection, ns: &str, name: &str) -> Result<Service, CallError> {
    let request = kube::core::Request::new(format!("/api/v1/namespaces/{ns}/services"));
    let text = call(conn.timeout, || {
        let req = request.get(name, &kube::api::GetParams::default());
        let client = conn.client.clone();
        async move {
            let req = req.map_err(kube::Error::BuildRequest)?;
            client.request_text(req).await
        }
    })
    .await?;
    let s: wire::Service = serde_json::from_str(&text)
        .map_err(|e| CallError::Invalid(format!("Service `{ns}/{name}` is not valid JSON: {e}")))?;
    Ok(service(s))
}
