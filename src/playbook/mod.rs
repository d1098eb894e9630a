//! Playbooks: the knowledge of kubedoctor, one YAML file per pod status.
//!
//! [`format`] is the file format as written; [`compile`] checks it and compiles every regex
//! once into [`Cause`]s with [`Matcher`]s; [`load`] reads the embedded playbooks and user
//! directories. A broken playbook is a [`PlaybookError`] naming file, cause id and field.

mod compile;
mod compiled_once;
mod fields;
mod format;
pub mod lint;
mod load;
mod loading;
pub mod log_patterns;
mod pattern;
pub mod reference;
mod template;
mod variables;

pub use compile::detail::{Detail, DetailRule, UNKNOWN};
pub use compile::node_reasons::NodeReasons;
pub use compile::{
    Cause, Clients, EventMatcher, EventScope, Fix, InferRule, Matcher, Playbook, TriedOn,
};
pub use fields::{Field, FieldKind};
pub use format::{About, Severity, SubjectKind};
pub use load::{Playbooks, embedded_files};
pub use loading::{Loading, Warm};
pub use log_patterns::{LogHits, LogPatterns};
pub use pattern::Pattern;
pub use template::Template;
pub use variables::{BUILTIN_VARS, Var};

/// A playbook that cannot be used, with where the problem is.
#[derive(Debug, thiserror::Error)]
#[error("playbook `{file}`{}: {message}", location(.cause, .field))]
pub struct PlaybookError {
    pub file: String,
    pub cause: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

fn location(cause: &Option<String>, field: &Option<String>) -> String {
    let mut s = String::new();
    if let Some(c) = cause {
        s.push_str(&format!(", cause `{c}`"));
    }
    if let Some(f) = field {
        s.push_str(&format!(", field `{f}`"));
    }
    s
}
