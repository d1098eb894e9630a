//! Kubernetes API objects (as `kubectl get -o json` prints them) into the evidence model.
//!
//! Lists are read item by item, so one malformed object becomes a note and the rest are
//! still used. Objects are decoded into lean types ([`wire`]: only what a diagnosis reads),
//! converted ([`convert`], moving their strings) and joined ([`join`]): events to pods,
//! owners through ownerReferences, logs to containers; endpoints to their Services
//! ([`services`]). ReplicaSets, few and read for their pod templates, stay k8s-openapi types;
//! Jobs are decoded as such too ([`jobs`]).

pub mod convert;
pub mod jobs;
pub mod join;
mod list;
pub mod rollout;
pub mod services;
pub mod stream;
pub mod wire;

pub use list::{
    ListError, decode_items, json, parse_items, parse_items_with, parse_list_document,
    parse_list_with, parse_typed_list,
};
