//! Services, their endpoints and ServiceAccounts as a paste shows them: `kubectl get svc`
//! (`-o wide` adds the selector), `describe svc`, `get endpoints`, `describe endpoints`,
//! `get endpointslices`, `describe endpointslice`, `get sa`, `describe sa`, and the same
//! objects as YAML or JSON. Each output is read into pieces ([`Pieces`]); the pieces of one
//! Service are joined when the text is assembled (`assemble/services.rs`).
//!
//! The readers here only read shapes; which command printed an output (and so whether it
//! lists a whole namespace) is decided by the segmenter.

pub mod describe;
pub mod describe_endpoints;
pub mod objects;
pub mod table;
pub mod values;

use crate::evidence::{Endpoints, Listed, Service, ServiceAccount};

/// How much an output says about endpoints, least first: when several outputs show one
/// Service's endpoints, those of the most telling kind are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fidelity {
    /// A `get endpointslices` row: addresses without their readiness (only `<unset>`, no
    /// endpoints at all, is used).
    SliceRow,
    /// A `get endpoints` row: ready addresses with their port numbers (at most three).
    EndpointsRow,
    /// The `Endpoints:` lines of `describe svc`: ready addresses and their ports by the
    /// Service port's name (at most three).
    ServiceLine,
    /// `describe endpoints` or an Endpoints object: ready and not-ready addresses, ports.
    EndpointsObject,
    /// `describe endpointslice` or an EndpointSlice object: every endpoint with its
    /// readiness, pod and node, ports.
    Slice,
}

/// What one output shows of one Service's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointPiece {
    pub namespace: String,
    /// The Service they are of, when the output names it (an Endpoints object's name, a
    /// slice's `kubernetes.io/service-name` label, the described Service).
    pub service: Option<String>,
    /// The EndpointSlice's own name: pieces of one slice replace each other, pieces of
    /// different slices add up; a slice without a Service name is matched by it.
    pub slice: Option<String>,
    pub fidelity: Fidelity,
    /// `None`: the output shows addresses but not whether they are ready.
    pub endpoints: Option<Endpoints>,
    /// The output it came from (an index into [`Pieces::outputs`]).
    pub output: usize,
}

/// Everything the text shows of Services, endpoints and ServiceAccounts, before joining.
#[derive(Debug, Default)]
pub struct Pieces {
    /// Services, one piece per output that shows one (merged by namespace and name).
    pub services: Vec<Service>,
    pub endpoints: Vec<EndpointPiece>,
    pub accounts: Vec<ServiceAccount>,
    pub services_listed: Listed,
    pub accounts_listed: Listed,
    /// Namespaces whose Endpoints or EndpointSlices were listed completely: a Service with
    /// none there has no endpoints.
    pub endpoints_listed: Listed,
    /// The kind of each output that showed endpoints, by number (outputs whose endpoints
    /// belong to no Service the text shows are counted as not used).
    pub outputs: Vec<&'static str>,
}

impl Pieces {
    /// Numbers a new output of endpoints of `kind`.
    pub fn output(&mut self, kind: &'static str) -> usize {
        self.outputs.push(kind);
        self.outputs.len() - 1
    }

    /// Marks a namespace (`None`: every namespace) as listed completely for `kind`.
    pub fn listed(&mut self, kind: &str, namespace: Option<String>) {
        let listed = match kind {
            "Service" => &mut self.services_listed,
            "ServiceAccount" => &mut self.accounts_listed,
            "Endpoints" | "EndpointSlice" => &mut self.endpoints_listed,
            _ => return,
        };
        match namespace {
            Some(ns) => listed.add(ns),
            None => listed.all = true,
        }
    }

    /// Adds the pieces a later part of the same text produced, renumbering its outputs.
    /// Every field is named: a field added to [`Pieces`] does not compile until it is here.
    pub fn append(&mut self, later: Pieces) {
        let Pieces {
            services,
            endpoints,
            accounts,
            services_listed,
            accounts_listed,
            endpoints_listed,
            outputs,
        } = later;
        let offset = self.outputs.len();
        self.services.extend(services);
        self.endpoints.extend(endpoints.into_iter().map(|mut e| {
            e.output += offset;
            e
        }));
        self.accounts.extend(accounts);
        self.services_listed.union(services_listed);
        self.accounts_listed.union(accounts_listed);
        self.endpoints_listed.union(endpoints_listed);
        self.outputs.extend(outputs);
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_bad_input;
