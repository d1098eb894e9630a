//! Events into the evidence model, with the object each is about (for joining).

use super::super::wire;
use crate::evidence::Event;
use jiff::Timestamp;
use std::borrow::Cow;

/// Who an event is about, for joining.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvolvedObject {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub uid: Option<String>,
}

/// Who an event is about, as decoded: borrowing the list's text until the event is placed
/// (only an event about nothing in the evidence needs its own copy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Involved<'a> {
    pub kind: Cow<'a, str>,
    pub namespace: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub uid: Option<Cow<'a, str>>,
}

impl Involved<'_> {
    pub fn into_owned(self) -> InvolvedObject {
        InvolvedObject {
            kind: self.kind.into_owned(),
            namespace: self.namespace.into_owned(),
            name: self.name.into_owned(),
            uid: self.uid.map(Cow::into_owned),
        }
    }
}

impl InvolvedObject {
    pub fn borrowed(&self) -> Involved<'_> {
        Involved {
            kind: Cow::Borrowed(&self.kind),
            namespace: Cow::Borrowed(&self.namespace),
            name: Cow::Borrowed(&self.name),
            uid: self.uid.as_deref().map(Cow::Borrowed),
        }
    }
}

/// An event and the object it is about.
pub fn event(e: wire::Event) -> (Event, InvolvedObject) {
    let (event, involved) = event_of(e);
    (event, involved.into_owned())
}

/// Decodes one event of a JSON list (see [`event`]).
pub fn decode_event(text: &str) -> serde_json::Result<(Event, InvolvedObject)> {
    serde_json::from_str(text).map(event)
}

/// An event and the object it is about, borrowing from the decoded text.
pub fn event_of(e: wire::Event<'_>) -> (Event, Involved<'_>) {
    let owned = |s: Option<Cow<str>>| s.map(Cow::into_owned).unwrap_or_default();
    let io = e.involved_object;
    let involved = Involved {
        kind: io.kind.unwrap_or_default(),
        namespace: io.namespace.or(e.metadata.namespace).unwrap_or_default(),
        name: io.name.unwrap_or_default(),
        uid: io.uid.filter(|u| !u.is_empty()),
    };
    let container = io.field_path.as_deref().and_then(container_of_field_path);
    let (series_count, series_last) = e
        .series
        .map_or((None, None), |s| (s.count, s.last_observed_time));
    let last_seen: Option<Timestamp> = series_last.or(e.last_timestamp).or(e.event_time);
    let count = series_count.or(e.count).unwrap_or(1);
    let source = owned(e.source.and_then(|s| s.component).or(e.reporting_component));
    let object = crate::evidence::object_ref(&involved.kind, &involved.name);
    (
        Event {
            type_: e.type_.map_or_else(|| "Normal".into(), Cow::into_owned),
            reason: owned(e.reason),
            message: owned(e.message),
            count,
            first_seen: e.first_timestamp.or(e.event_time),
            last_seen,
            container,
            object,
            source,
            source_host: None,
            age: None,
        },
        involved,
    )
}

/// `spec.containers{app}` or `spec.initContainers{init}` -> `app`.
pub fn container_of_field_path(path: &str) -> Option<String> {
    let start = path.find('{')?;
    let end = path[start..].find('}')? + start;
    Some(path[start + 1..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_path_names_the_container() {
        assert_eq!(
            container_of_field_path("spec.containers{app}").as_deref(),
            Some("app")
        );
        assert_eq!(
            container_of_field_path("spec.initContainers{wait-db}").as_deref(),
            Some("wait-db")
        );
        assert_eq!(container_of_field_path("spec"), None);
    }
}
