//! kubedoctor: tells a Kubernetes user why a pod is broken and what to type to fix it.
//!
//! The pipeline (docs/ARCHITECTURE.md): [`sources`] -> [`evidence`] -> [`status`] -> [`engine`]
//! (with [`playbook`]s) -> [`report`] -> renderers. [`commands`] wires it to the CLI.

pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod glob;
pub mod invocation;
pub mod playbook;
pub mod redact;
pub mod report;
pub mod samples;
pub mod selector;
pub mod silence;
pub mod sinks;
pub mod sources;
pub mod status;
pub mod watch;
pub mod words;
