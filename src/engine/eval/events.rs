//! Event matchers: the events of the pod, its owners and claims, or its node that match a
//! matcher's reason, message, type and count, quoted newest first; and whether a newer event
//! of the same reason contradicts them (the present reason has moved on).

use super::{MAX_QUOTES, Outcome};
use crate::engine::finding::{EvidenceKind, EvidenceLine};
use crate::engine::subject::Subject;
use crate::evidence::Event;
use crate::playbook::{EventMatcher, EventScope, Pattern};

/// True when an event of the same reason as every hit, newer than all of them, says
/// something the matcher does not (the scheduler's latest message is the present reason).
pub(super) fn superseded(
    hits: &[&Event],
    events: &[&Event],
    message: &Pattern,
    now: Option<jiff::Timestamp>,
) -> bool {
    let Some(newest_hit) = hits.iter().filter_map(|e| e.seconds_ago(now)).min() else {
        return false;
    };
    hits.iter().all(|h| {
        events.iter().any(|e| {
            e.reason == h.reason
                && !e.reason.is_empty()
                && !restates_reason(&e.message)
                && !message.is_match(&e.message)
                && e.seconds_ago(now).is_some_and(|age| age < newest_hit)
        })
    })
}

/// The kubelet follows a detailed `Failed` event with `Error: ErrImagePull` (its `Error: %v`
/// of the container's waiting reason): that restates, it does not contradict.
pub(super) fn restates_reason(message: &str) -> bool {
    message
        .strip_prefix("Error: ")
        .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether an event passes a matcher's filters (type, count, reason, message).
pub(super) fn event_matches(m: &EventMatcher, e: &Event) -> bool {
    m.type_.as_deref().is_none_or(|t| t == e.type_)
        && e.count >= m.min_count
        // A pasted message without its reason matches on the message alone.
        && m.reason.as_ref().is_none_or(|r| {
            r.is_match(&e.reason) || (e.reason.is_empty() && m.message.is_some())
        })
        && m.message.as_ref().is_none_or(|r| r.is_match(&e.message))
}

/// The owner-scoped hits of a matcher: the events of every object related to the pod (its
/// owners and claims), each object's matched once per run through the memo.
pub(super) fn owner_hits<'e>(
    m: &EventMatcher,
    ctx: &Subject<'e>,
    superseded_all: &mut bool,
) -> Vec<&'e Event> {
    let mut hits = Vec::new();
    let pod = ctx.pod;
    for object in pod.related_objects() {
        let events = ctx.evidence.object_events.of(&pod.namespace, &object);
        if events.is_empty() {
            continue;
        }
        let found = ctx.memo.object_hits(m, &pod.namespace, &object, || {
            let indices: Vec<usize> = events
                .iter()
                .enumerate()
                .filter(|(_, e)| event_matches(m, e))
                .map(|(i, _)| i)
                .collect();
            let refs: Vec<&Event> = indices.iter().map(|&i| &events[i]).collect();
            let all: Vec<&Event> = events.iter().collect();
            let superseded = m.message.as_ref().is_some_and(|re| {
                superseded(
                    &refs[..refs.len().min(MAX_QUOTES)],
                    &all,
                    re,
                    ctx.evidence.observed_at,
                )
            });
            (indices, superseded)
        });
        if !found.0.is_empty() {
            *superseded_all &= found.1;
        }
        hits.extend(found.0.iter().map(|&i| &events[i]));
    }
    hits.sort_by_key(|e| std::cmp::Reverse(e.last_seen));
    hits
}

pub(super) fn event(m: &EventMatcher, ctx: &Subject, out: &mut Outcome) -> bool {
    let subject = ctx.container.map(|c| c.name.as_str());
    // Pasted text often shows an event without the object it is about: it may be the
    // controller's as well as the pod's.
    let loose_owner = m.on == EventScope::Owner
        && ctx.pod.partial
        && ctx.pod.events.iter().any(|e| e.object.is_empty());
    let mut is_superseded = false;
    let hits: Vec<&Event> = match m.on {
        EventScope::Owner if !loose_owner => {
            let mut all = true;
            let hits = owner_hits(m, ctx, &mut all);
            is_superseded = !hits.is_empty() && all;
            hits
        }
        _ => {
            let events: Vec<&Event> = match m.on {
                EventScope::Pod => ctx.pod.events.iter().collect(),
                EventScope::Owner => ctx
                    .pod
                    .related_objects()
                    .flat_map(|o| ctx.evidence.object_events.of(&ctx.pod.namespace, &o))
                    .chain(ctx.pod.events.iter().filter(|e| e.object.is_empty()))
                    .collect(),
                EventScope::Node => ctx.node.map_or(Vec::new(), |n| n.events.iter().collect()),
            };
            let hits: Vec<&Event> = events
                .iter()
                .copied()
                .filter(|e| match (m.on, subject, e.container.as_deref()) {
                    (EventScope::Pod, Some(s), Some(ec)) => s == ec,
                    _ => true,
                })
                .filter(|e| event_matches(m, e))
                .take(MAX_QUOTES)
                .collect();
            if let Some(re) = &m.message
                && !hits.is_empty()
            {
                is_superseded = superseded(&hits, &events, re, ctx.evidence.observed_at);
            }
            hits
        }
    };
    let hits: Vec<&Event> = hits.into_iter().take(MAX_QUOTES).collect();
    if is_superseded {
        out.superseded += 1;
    }
    let Some(newest) = hits.first() else {
        return false;
    };
    if let Some(re) = &m.message {
        out.capture(re, &newest.message);
    }
    if let Some(re) = &m.reason {
        out.capture(re, &newest.reason);
    }
    for e in hits {
        let mut text = e.describe();
        if m.on != EventScope::Pod {
            text = format!("{}: {text}", e.object);
        }
        out.push(EvidenceLine {
            source: EvidenceKind::Event,
            text,
            at: e
                .last_seen
                .map(|t| t.to_string())
                .or_else(|| e.age.as_ref().map(|a| format!("{a} ago"))),
        });
    }
    true
}
