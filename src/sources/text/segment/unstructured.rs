//! The rest of a paste, line by line: loose event rows, bare messages, status words and log
//! lines that no block parser claimed.

use super::{Collected, Context, LogPiece, component, push_event, push_row_event};
use crate::evidence::{Container, ContainerState, ContainerStatus, Event, Node, Pod};
use crate::sources::text::clean::{Line, indent};
use crate::sources::text::loose::Loose;
use crate::sources::text::{Input, Role, events, logs, loose};
use crate::status::vocabulary;
use crate::status::vocabulary::ReasonLevel;

/// A run of lines no block parser took, read line by line. What their shapes say is kept;
/// the rest is a bare event message (a few lines, or anything given with `--events`), a log
/// if it is structured like one, or unplaced.
pub(super) fn unstructured(lines: &[Line], input: &Input, ctx: &Context, out: &mut Collected) {
    let mut free: Vec<&str> = Vec::new();
    let mut placed = 0;
    for l in lines {
        let Some(found) = loose::read(&l.text) else {
            if !l.text.trim().is_empty() {
                free.push(l.text.as_str());
            }
            continue;
        };
        placed += 1;
        match found {
            Loose::Event(e) => {
                out.had_events = true;
                push_row_event(out, e, ctx, &l.text);
            }
            Loose::PodRow(p) => {
                let mut p = *p;
                if p.namespace.is_empty()
                    && let Some(ns) = ctx.command.as_ref().and_then(|c| c.namespace.clone())
                {
                    p.namespace = ns;
                }
                out.pods.push(p);
            }
            Loose::NodeCondition(c) => {
                let node = match out.nodes.iter_mut().find(|n| n.name.is_empty()) {
                    Some(n) => n,
                    None => {
                        out.nodes.push(Node::default());
                        out.nodes.last_mut().expect("just pushed")
                    }
                };
                node.conditions.retain(|x| x.type_ != c.type_);
                node.conditions.push(c);
            }
            Loose::Status {
                reason,
                message,
                level,
            } => status(out, ctx, reason, message, level),
            Loose::Deleted(name) => out.deleted.push(name),
            Loose::Component {
                entry,
                about,
                states,
            } => {
                out.journal.push(entry);
                component(out, about, states);
            }
        }
    }
    if placed > 0 {
        out.recognised += 1;
        out.lines_placed += placed;
    }
    if free.is_empty() {
        return;
    }
    let texts: Vec<String> = free.iter().map(|t| t.trim().to_string()).collect();
    let log_like = logs::looks_like(&texts);
    // A few messages without timestamps that speak of Kubernetes or of an error: messages
    // someone copied out of an event or a status (what they mean is for the playbooks). A
    // message may run over several lines (a mount's output): indented lines continue it.
    let messages = bare_messages(&free);
    let bare = input.role == Role::Events
        || (messages.len() <= 6
            && !texts.iter().any(|t| logs::is_timestamped(t))
            && (log_like || logs::sounds_like_kubernetes(&texts)));
    if bare {
        for m in &messages {
            push_event(out, events::bare_message(m), ctx);
        }
        // Bare messages are what is left when no format fits: they do not make a text
        // command output (a changelog or a design note mentions messages too).
        out.had_events = true;
        out.recognised += 1;
        return;
    }
    if input.role == Role::Auto && log_like {
        out.logs.push(LogPiece {
            pod: ctx.pod(),
            lines: texts,
            ..Default::default()
        });
        out.recognised += 1;
        return;
    }
    out.unplaced_count += texts.len();
    if !out.unplaced.iter().any(|(n, _)| *n == input.name) {
        // Quoted in errors and notes: one short line, never a dump of the input, redacted
        // (a line of configuration by its key only).
        let line = crate::redact::quote_line(&texts[0]);
        out.unplaced
            .push((input.name.clone(), crate::words::excerpt(&line, 120)));
    }
}

/// Lines grouped into messages: a line at the margin starts one, an indented line continues it.
pub(super) fn bare_messages(lines: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some(last) if indent(l) > 0 => {
                last.push(' ');
                last.push_str(l.trim());
            }
            _ => out.push(l.trim().to_string()),
        }
    }
    out
}

/// A status with its message: a container's state, the pod's reason, or an event.
pub(super) fn status(
    out: &mut Collected,
    ctx: &Context,
    reason: String,
    message: String,
    level: ReasonLevel,
) {
    let message = (!message.is_empty()).then_some(message);
    match level {
        ReasonLevel::Event => {
            out.had_events = true;
            let event = Event {
                type_: "Warning".into(),
                reason,
                message: message.unwrap_or_default(),
                count: 1,
                ..Default::default()
            };
            push_event(out, event, ctx);
        }
        ReasonLevel::Container => {
            let state = if vocabulary::is_terminated(&reason) {
                ContainerState::Terminated {
                    reason: Some(reason.clone()),
                    message,
                    exit_code: 0,
                    signal: None,
                    started_at: None,
                    finished_at: None,
                }
            } else {
                ContainerState::Waiting {
                    reason: Some(reason.clone()),
                    message,
                }
            };
            let mut pod = Pod {
                partial: true,
                status_hint: Some(reason),
                containers: vec![Container {
                    status: Some(ContainerStatus {
                        state,
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            };
            ctx.name(&mut pod);
            out.pods.push(pod);
        }
        ReasonLevel::Pod => {
            // The kubelet also records the rejection as an event with the same reason.
            out.had_events = true;
            push_event(
                out,
                Event {
                    type_: "Warning".into(),
                    reason: reason.clone(),
                    message: message.clone().unwrap_or_default(),
                    count: 1,
                    ..Default::default()
                },
                ctx,
            );
            let mut pod = Pod {
                partial: true,
                status_hint: Some(reason.clone()),
                reason: Some(reason),
                message,
                ..Default::default()
            };
            ctx.name(&mut pod);
            out.pods.push(pod);
        }
    }
}
