//! What the generators share: object builders shaped like `kubectl get -o json`, the sample
//! bundle under construction, the scenario format, Services and their EndpointSlices, common
//! pod histories and the generated cluster.

pub mod builders;
pub mod cluster;
pub mod sample;
pub mod scenario;
pub mod services;
pub mod shapes;
