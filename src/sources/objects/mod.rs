//! Kubernetes API objects (as `kubectl get -o json` prints them) into the evidence model.
//!
//! Lists are read item by item, so one malformed object becomes a note and the rest are
//! still used. Objects are parsed with k8s-openapi types, then converted ([`convert`]) and
//! joined ([`join`]): events to pods, owners through ownerReferences, logs to containers.

pub mod convert;
pub mod join;
mod list;
pub mod rollout;

pub use list::{ListError, parse_items, parse_list_document, parse_typed_list};
