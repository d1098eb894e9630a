//! Which healthy pods' current logs a live run fetches after its lists (issue 21 §5): the
//! clients whose env names a Service with a finding, or a Service that does not exist or a
//! port it does not expose. Their logs say whether they fail because of it; without them a
//! live run would miss what the same cluster's bundle shows. Decided here, from the lists,
//! by the engine's Service causes: the source fetches, the command layer decides.

use crate::engine;
use crate::evidence::{ContainerState, Evidence};
use crate::playbook::Playbooks;
use crate::sources::cluster::CurrentLog;
use crate::sources::objects::services::attach_endpoints;
use crate::sources::raw::Gathered;
use std::collections::HashSet;

/// The running containers of the clients to read whose current log was not fetched yet.
pub fn wanted(raw: &Gathered, playbooks: &Playbooks) -> Vec<CurrentLog> {
    // Most pods name no address: nothing to decide, nothing copied.
    if raw.services.is_empty() && raw.services_listed.is_empty()
        || !raw.pods.iter().any(engine::chain::names_an_address)
    {
        return Vec::new();
    }
    let mut services = raw.services.clone();
    attach_endpoints(&mut services, raw.endpoints.clone(), &raw.endpoints_listed);
    let lists = Evidence {
        pods: raw.pods.clone(),
        services,
        pods_listed: raw.pods_listed.clone(),
        services_listed: raw.services_listed.clone(),
        observed_at: raw.captured_at,
        ..Evidence::default()
    };
    let diagnosed = engine::services::diagnose(&lists, playbooks, &[]);
    let fetched: HashSet<(&str, &str, &str)> = raw
        .logs
        .iter()
        .filter(|l| !l.previous)
        .map(|l| (l.namespace.as_str(), l.pod.as_str(), l.container.as_str()))
        .collect();
    let mut out = Vec::new();
    for i in engine::chain::clients_to_read(&lists, &diagnosed) {
        let pod = &raw.pods[i];
        let running = |c: &&crate::evidence::Container| {
            c.status
                .as_ref()
                .is_some_and(|s| matches!(s.state, ContainerState::Running { .. }))
        };
        for c in pod.containers.iter().filter(running) {
            if !fetched.contains(&(pod.namespace.as_str(), pod.name.as_str(), c.name.as_str())) {
                out.push(CurrentLog {
                    namespace: pod.namespace.clone(),
                    pod: pod.name.clone(),
                    container: c.name.clone(),
                });
            }
        }
    }
    out
}
