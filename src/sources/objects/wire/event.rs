//! The lean wire type of an Event: what a diagnosis reads, borrowing from the list's text.

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::{Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// An Event (core/v1; the events.k8s.io fields it shares). Its strings borrow from the
/// list's text where they can (a text with escapes is decoded into its own string): most of
/// an event is read only to find the object it is about.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Event<'a> {
    #[serde(borrow)]
    pub metadata: EventMeta<'a>,
    #[serde(borrow)]
    pub involved_object: InvolvedObject<'a>,
    #[serde(rename = "type", borrow, deserialize_with = "text")]
    pub type_: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text")]
    pub reason: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text")]
    pub message: Option<Cow<'a, str>>,
    pub count: Option<i32>,
    pub first_timestamp: Option<Timestamp>,
    pub last_timestamp: Option<Timestamp>,
    pub event_time: Option<Timestamp>,
    pub series: Option<EventSeries>,
    #[serde(borrow)]
    pub source: Option<EventSource<'a>>,
    #[serde(borrow, deserialize_with = "text")]
    pub reporting_component: Option<Cow<'a, str>>,
}

/// What an event's own metadata is read for: its namespace (the involved object's, when
/// that lacks one).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventMeta<'a> {
    #[serde(borrow, deserialize_with = "text")]
    pub namespace: Option<Cow<'a, str>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InvolvedObject<'a> {
    #[serde(borrow, deserialize_with = "text")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text")]
    pub namespace: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text")]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text")]
    pub uid: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "text")]
    pub field_path: Option<Cow<'a, str>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventSeries {
    pub count: Option<i32>,
    pub last_observed_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventSource<'a> {
    #[serde(borrow, deserialize_with = "text")]
    pub component: Option<Cow<'a, str>>,
}

/// A string that borrows from the input unless it holds escapes. serde borrows a `Cow` only
/// when it is a field's whole type: inside an `Option` it would always copy.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
    struct Text;
    impl<'de> Visitor<'de> for Text {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or null")
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_owned())))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v)))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
    }
    d.deserialize_option(Text)
}

#[cfg(test)]
mod tests {
    use super::Event;
    use std::borrow::Cow;

    #[test]
    fn strings_borrow_from_the_text_unless_escaped() {
        let text = r#"{"metadata": {"namespace": "shop"}, "type": "Warning",
            "involvedObject": {"kind": "Pod", "name": "web-1", "uid": null},
            "reason": "BackOff", "message": "pulling \"web:1\"", "source": {"component": "kubelet"}}"#;
        let e: Event = serde_json::from_str(text).unwrap();
        let borrowed = |c: &Option<Cow<str>>| matches!(c, Some(Cow::Borrowed(_)));
        assert!(borrowed(&e.reason) && borrowed(&e.type_) && borrowed(&e.metadata.namespace));
        assert!(borrowed(&e.involved_object.kind) && borrowed(&e.involved_object.name));
        assert!(borrowed(&e.source.as_ref().unwrap().component));
        assert_eq!(e.involved_object.uid, None);
        // A text with escapes is decoded into its own string.
        assert!(matches!(&e.message, Some(Cow::Owned(m)) if m == r#"pulling "web:1""#));
    }

    #[test]
    fn a_field_of_the_wrong_type_is_an_error() {
        assert!(serde_json::from_str::<Event>(r#"{"reason": 3}"#).is_err());
    }
}
