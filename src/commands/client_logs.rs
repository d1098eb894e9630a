//! What a live run fetches after its lists for the addresses pods use (issue 21 §5): one GET
//! for each Service of a namespace out of scope that a pod's address names, then the current
//! logs of the healthy clients whose env names a Service with a finding, or a Service or
//! port that does not exist. Their logs say whether they fail because of it; without them a
//! live run would miss what the same cluster's bundle shows. Decided here, from the lists,
//! by the engine's Service causes: the source fetches, the command layer decides.

use crate::engine;
use crate::evidence::{ContainerState, Evidence, Service};
use crate::playbook::Playbooks;
use crate::sources::cluster::CurrentLog;
use crate::sources::objects::services::attach_endpoints;
use crate::sources::raw::{Gathered, LogText};
use std::collections::HashSet;

/// The lists as evidence, when some pod's env names an address (else nothing to decide,
/// nothing copied).
pub struct Lists(Option<Evidence>);

impl Lists {
    pub fn new(raw: &Gathered) -> Lists {
        if !raw.pods.iter().any(engine::chain::names_an_address) {
            return Lists(None);
        }
        let mut services = raw.services.clone();
        attach_endpoints(&mut services, raw.endpoints.clone(), &raw.endpoints_listed);
        Lists(Some(Evidence {
            pods: raw.pods.clone(),
            services,
            pods_listed: raw.pods_listed.clone(),
            services_listed: raw.services_listed.clone(),
            observed_at: raw.captured_at,
            ..Evidence::default()
        }))
    }

    /// The Services of other namespaces the pods' addresses name, to look up by name.
    pub fn to_look_up(&self) -> Vec<(String, String)> {
        self.0
            .as_ref()
            .map(engine::chain::services_to_look_up)
            .unwrap_or_default()
    }

    /// Adds what the lookups found.
    pub fn looked_up(&mut self, found: &[Service], absent: &[(String, String)]) {
        if let Some(e) = &mut self.0 {
            e.services_elsewhere.extend_from_slice(found);
            e.services_absent.extend_from_slice(absent);
        }
    }

    /// The running containers of the clients to read whose current log is not in `logs`.
    pub fn clients(&self, playbooks: &Playbooks, logs: &[LogText]) -> Vec<CurrentLog> {
        let Some(lists) = &self.0 else {
            return Vec::new();
        };
        let diagnosed = engine::services::diagnose(lists, playbooks, &[]);
        let fetched: HashSet<(&str, &str, &str)> = logs
            .iter()
            .filter(|l| !l.previous)
            .map(|l| (l.namespace.as_str(), l.pod.as_str(), l.container.as_str()))
            .collect();
        let running = |c: &&crate::evidence::Container| {
            c.status
                .as_ref()
                .is_some_and(|s| matches!(s.state, ContainerState::Running { .. }))
        };
        let mut out = Vec::new();
        for i in engine::chain::clients_to_read(lists, &diagnosed) {
            let pod = &lists.pods[i];
            for c in pod.containers.iter().filter(running) {
                let key = (pod.namespace.as_str(), pod.name.as_str(), c.name.as_str());
                if !fetched.contains(&key) {
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
}
