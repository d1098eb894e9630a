//! Pasted text: `kubectl describe pod` / `describe node` output, `kubectl get pods` and
//! `get events` tables, objects as `-o yaml|json`, journal lines and container logs, in
//! any mix, into the same evidence model as a bundle.
//!
//! Text is cleaned ([`clean`]), then read segment by segment: at each point the format is
//! detected and its parser consumes what it recognises. What no parser takes is noted, and
//! text in which nothing is recognised is an error naming the formats expected. The pieces
//! are then joined ([`assemble`]): events to pods by name, logs to the pod's failing
//! container, journal lines to its node.

mod applog;
mod assemble;
pub mod clean;
mod custom_columns;
pub mod describe_node;
pub mod describe_pod;
pub mod events;
pub mod fragment;
pub mod journal;
pub mod kinds;
pub mod logs;
pub mod loose;
pub mod names;
mod nodes_table;
pub mod pods_table;
pub mod prompt;
mod segment;
pub mod services;
mod undecorate;
mod unflatten;

use crate::evidence::Evidence;

/// What a piece of text is, when the user said so (`--logs FILE`), or `Auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Auto,
    Logs,
    PreviousLogs,
    Events,
    Node,
    Journal,
}

/// One piece of text: a file's name (or `-`) and its contents.
#[derive(Debug, Clone)]
pub struct Input {
    pub name: String,
    pub text: String,
    pub role: Role,
}

/// Text that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error(
        "`{name}` is not a format kubedoctor reads: expected `kubectl describe pod` or `describe node` output, \
         a `kubectl get pods` or `get events` table, a pod, event or List as YAML or JSON, \
         `journalctl -u kubelet` lines, or container logs; the first line it could not place is: {first_line:?}"
    )]
    Unrecognised { name: String, first_line: String },
    #[error("`{name}` is empty")]
    Empty { name: String },
}

/// Reads pieces of text into evidence.
pub fn read(inputs: &[Input]) -> Result<Evidence, TextError> {
    let mut collected = segment::Collected::default();
    for input in inputs {
        let lines = clean::clean(&input.text);
        if lines.iter().all(|l| l.text.trim().is_empty()) {
            return Err(TextError::Empty {
                name: input.name.clone(),
            });
        }
        let before = collected.recognised;
        segment::read_input(&lines, input, &mut collected);
        if collected.recognised == before {
            let first_line = collected
                .unplaced
                .iter()
                .find(|(n, _)| *n == input.name)
                .map(|(_, l)| l.clone())
                .unwrap_or_default();
            return Err(TextError::Unrecognised {
                name: input.name.clone(),
                first_line,
            });
        }
    }
    let name = inputs
        .iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(assemble::assemble(collected, name))
}

#[cfg(test)]
mod tests;
