//! kubedoctor: tells a Kubernetes user why a pod is broken and what to type to fix it.
//!
//! The pipeline (docs/ARCHITECTURE.md): [`sources`] -> [`evidence`] -> [`status`] -> [`engine`]
//! (with [`playbook`]s) -> [`report`] -> renderers ([`report::render`]) -> sinks. [`commands`]
//! wires it to the command line ([`cli`]).
//!
//! # The library
//!
//! This library is the binary's, and what its tests, benchmarks and developer tools (`xtask`)
//! drive directly. It is not a stable Rust API: what kubedoctor promises is its command line,
//! its exit codes and the JSON report (`kubedoctor.report/v1`, docs/REPORT.md). The public
//! modules are those the binary and those callers use:
//!
//! - the binary: [`cli`], [`commands`], [`error`];
//! - tests, benchmarks and tools: [`sources`] (bundles, text, objects), [`evidence`],
//!   [`status`], [`playbook`], [`engine`], [`report`], [`config`], [`samples`], [`selector`]
//!   (the replay server's label selectors) and [`invocation`] (the plugin's name).
//!
//! The rest (`glob`, `redact`, `silence`, `sinks`, `watch`, `words`) is internal to the crate.

pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod error;
pub mod evidence;
mod glob;
pub mod invocation;
pub mod playbook;
mod redact;
pub mod report;
pub mod samples;
pub mod selector;
mod silence;
mod sinks;
pub mod sources;
pub mod status;
mod watch;
mod words;
