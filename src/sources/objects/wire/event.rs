//! The lean wire type of an Event: what a diagnosis reads, borrowing from the list's text.

use jiff::Timestamp;
use serde::Deserialize;
use std::borrow::Cow;

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
    #[serde(rename = "type", borrow)]
    pub type_: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub message: Option<Cow<'a, str>>,
    pub count: Option<i32>,
    pub first_timestamp: Option<Timestamp>,
    pub last_timestamp: Option<Timestamp>,
    pub event_time: Option<Timestamp>,
    pub series: Option<EventSeries>,
    #[serde(borrow)]
    pub source: Option<EventSource<'a>>,
    #[serde(borrow)]
    pub reporting_component: Option<Cow<'a, str>>,
}

/// What an event's own metadata is read for: its namespace (the involved object's, when
/// that lacks one).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventMeta<'a> {
    #[serde(borrow)]
    pub namespace: Option<Cow<'a, str>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InvolvedObject<'a> {
    #[serde(borrow)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub namespace: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub uid: Option<Cow<'a, str>>,
    #[serde(borrow)]
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
    #[serde(borrow)]
    pub component: Option<Cow<'a, str>>,
}
