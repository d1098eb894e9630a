//! Now versus history in a paste. An inventory (a namespace's whole pod list) says which
//! pods exist; a pod named only in events in a namespace with an inventory is an earlier pod,
//! never a current problem. A pod's events that last happened before the pod started (its
//! AGE) belong to an earlier pod of the same name. What happened to earlier pods is told in a
//! note, by the name they share with their siblings.

use super::index::ByName;
use super::naming::owner_prefix;
use crate::evidence::{Event, Listed, Pod};
use crate::sources::objects::convert::InvolvedObject;
use std::collections::BTreeMap;

/// Events of pods that no longer exist, by namespace and the pods' owner prefix
/// (`api-5b8c7d6e5`): the pods (in order, each once) and the warnings they had.
#[derive(Default)]
pub(super) struct History {
    earlier: BTreeMap<(String, String), Earlier>,
}

#[derive(Default)]
struct Earlier {
    pods: Vec<String>,
    seen: std::collections::HashSet<String>,
    reasons: Vec<String>,
}

/// How many earlier pods a note names before it counts the rest.
const NAMED_IN_NOTE: usize = 3;

/// Whether the text lists every pod of `namespace` (an empty namespace: an event table
/// printed without one, taken as covered by any inventory).
pub(super) fn covered(listed: &Listed, namespace: &str) -> bool {
    !listed.is_empty() && (namespace.is_empty() || listed.covers(namespace))
}

/// How much older than a pod's AGE an event must be to belong to an earlier pod: ages in
/// text are rounded (`5m`, `2d`) and printed moments apart.
fn older_than_pod(event_age: i64, pod_age: i64) -> bool {
    event_age - pod_age > (pod_age / 10).max(60)
}

/// Splits the events that name pods into those about current pods and history.
pub(super) fn split(
    named: Vec<(Event, InvolvedObject)>,
    pods: &[Pod],
    by_name: &ByName,
    listed: &Listed,
) -> (Vec<(Event, InvolvedObject)>, History) {
    let mut current = Vec::new();
    let mut history = History::default();
    for (event, io) in named {
        if io.kind != "Pod" {
            current.push((event, io));
            continue;
        }
        let past = match by_name.find(pods, &io.namespace, &io.name) {
            Some(i) => matches!(
                (pods[i].age_hint, event.seconds_ago(None)),
                (Some(pod), Some(ev)) if older_than_pod(ev, pod)
            ),
            None => covered(listed, &io.namespace),
        };
        if past {
            history.add(&io, &event);
        } else {
            current.push((event, io));
        }
    }
    (current, history)
}

impl History {
    fn add(&mut self, io: &InvolvedObject, event: &Event) {
        let key = (io.namespace.clone(), owner_prefix(&io.name).to_string());
        let earlier = self.earlier.entry(key).or_default();
        if earlier.seen.insert(io.name.clone()) {
            earlier.pods.push(io.name.clone());
        }
        let said = format!("{} {}", event.type_, event.reason);
        if event.type_ == "Warning" && !earlier.reasons.contains(&said) {
            earlier.reasons.push(said);
        }
    }

    /// One note per owner: how many earlier pods, and the warnings they had.
    pub(super) fn notes(&self) -> Vec<String> {
        self.earlier
            .iter()
            .map(|((namespace, owner), e)| {
                let what = if e.reasons.is_empty() {
                    "only Normal events".to_string()
                } else {
                    e.reasons.join(", ")
                };
                let mut names = e.pods[..e.pods.len().min(NAMED_IN_NOTE)].join(", ");
                if e.pods.len() > NAMED_IN_NOTE {
                    names.push_str(&format!(" and {} more", e.pods.len() - NAMED_IN_NOTE));
                }
                let owner = match namespace.as_str() {
                    "" => owner.clone(),
                    ns => format!("{ns}/{owner}"),
                };
                format!(
                    "history: {} of `{owner}` ({names}) had {what}; not diagnosed as current",
                    crate::words::count(e.pods.len() as u64, "earlier pod", "earlier pods"),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(age: &str) -> Event {
        Event {
            type_: "Warning".into(),
            reason: "FailedMount".into(),
            age: Some(age.into()),
            ..Default::default()
        }
    }

    fn pod_event(name: &str, age: &str) -> (Event, InvolvedObject) {
        let io = InvolvedObject {
            kind: "Pod".into(),
            namespace: "shop".into(),
            name: name.into(),
            uid: None,
        };
        (event(age), io)
    }

    fn pod(name: &str) -> Pod {
        Pod {
            name: name.into(),
            namespace: "shop".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_pod_only_in_events_is_history_where_an_inventory_lists_the_namespace() {
        let mut inventory = Listed::default();
        inventory.add("shop");
        let pods = [pod("api-6f7b9c8d4-m3n4p")];
        let (current, history) = split(
            vec![pod_event("api-5b8c7d6e5-zz9kq", "17m")],
            &pods,
            &ByName::new(&pods),
            &inventory,
        );
        assert!(current.is_empty());
        assert_eq!(history.notes().len(), 1);
        assert!(history.notes()[0].contains("1 earlier pod of `shop/api-5b8c7d6e5`"));
        // Without an inventory the pod is current.
        let none = ByName::default();
        let (current, _) = split(vec![pod_event("x-1", "1m")], &[], &none, &Listed::default());
        assert_eq!(current.len(), 1);
        // An inventory of another namespace does not cover it.
        let mut other = Listed::default();
        other.add("payments");
        let (current, _) = split(vec![pod_event("x-1", "1m")], &[], &none, &other);
        assert_eq!(current.len(), 1);
    }

    #[test]
    fn events_older_than_the_pod_belong_to_an_earlier_pod_of_that_name() {
        let pods = [Pod {
            age_hint: Some(300),
            ..pod("db-0")
        }];
        let (current, history) = split(
            vec![pod_event("db-0", "20m"), pod_event("db-0", "4m")],
            &pods,
            &ByName::new(&pods),
            &Listed::default(),
        );
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].0.age.as_deref(), Some("4m"));
        assert!(history.notes()[0].contains("`shop/db`"));
    }
}
