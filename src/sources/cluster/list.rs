//! LIST requests decoded page by page: each item is decoded into kubedoctor's lean types and
//! converted as its page arrives, so a run keeps what it converted, not what it listed.
//! `capture` also keeps each item's JSON exactly as the API returned it.

use super::call::{CallError, call};
use super::connect::Connection;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Items per page.
pub const PAGE: u32 = 500;

/// Times a list starts again when its continue token expired (410 Gone).
const RELISTS: u32 = 2;

/// One page of a List: its items as slices of the response.
#[derive(Deserialize)]
struct Page<'a> {
    #[serde(default)]
    metadata: PageMeta,
    #[serde(borrow, default)]
    items: Vec<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(rename = "continue", default)]
    continue_: Option<String>,
}

/// What one LIST produced.
pub struct Listed<U> {
    pub items: Vec<U>,
    /// Items that did not decode, one message each.
    pub bad: Vec<String>,
    /// The JSON of each item of `items` as returned, when asked for: `raw[i]` is `items[i]`'s.
    pub raw: Vec<Box<RawValue>>,
    /// The JSON of the items that did not decode, when asked for (a bundle keeps what the API
    /// returned; its reader skips them again).
    pub raw_bad: Vec<Box<RawValue>>,
}

impl<U> Default for Listed<U> {
    fn default() -> Listed<U> {
        Listed {
            items: Vec::new(),
            bad: Vec::new(),
            raw: Vec::new(),
            raw_bad: Vec::new(),
        }
    }
}

/// The REST path of a namespaced resource's list (`/api/v1/namespaces/ns/pods`), all
/// namespaces when `ns` is `None`.
pub fn path(group_version: &str, resource: &str, ns: Option<&str>) -> String {
    let prefix = if group_version == "v1" {
        "/api/v1".to_string()
    } else {
        format!("/apis/{group_version}")
    };
    match ns {
        Some(n) => format!("{prefix}/namespaces/{n}/{resource}"),
        None => format!("{prefix}/{resource}"),
    }
}

/// Every page of a LIST at `path`, each item's JSON text decoded by `decode` (see
/// [`json`](crate::sources::objects::json)).
pub async fn list_all<U>(
    conn: &Connection,
    path: &str,
    label: Option<&str>,
    field: Option<&str>,
    keep_raw: bool,
    decode: impl Fn(&str) -> serde_json::Result<U>,
) -> Result<Listed<U>, CallError> {
    let mut out = Listed {
        items: Vec::new(),
        bad: Vec::new(),
        raw: Vec::new(),
        raw_bad: Vec::new(),
    };
    let mut token: Option<String> = None;
    let mut relists = 0;
    let request = kube::core::Request::new(path);
    loop {
        let lp = kube::api::ListParams {
            label_selector: label.map(str::to_string),
            field_selector: field.map(str::to_string),
            limit: Some(PAGE),
            continue_token: token.clone(),
            ..Default::default()
        };
        let answer = call(conn.timeout, || {
            let req = request.list(&lp);
            let client = conn.client.clone();
            async move {
                let req = req.map_err(kube::Error::BuildRequest)?;
                client.request_text(req).await
            }
        })
        .await;
        let text = match answer {
            // The continue token expired (the list took longer than the server keeps its
            // snapshot): the list starts again from its first page, whole.
            Err(e) if e.status() == Some(410) && token.is_some() && relists < RELISTS => {
                relists += 1;
                token = None;
                out = Listed {
                    items: Vec::new(),
                    bad: Vec::new(),
                    raw: Vec::new(),
                    raw_bad: Vec::new(),
                };
                continue;
            }
            answer => answer?,
        };
        let page: Page = serde_json::from_str(&text).map_err(|e| {
            CallError::Invalid(format!("the list of {path} is not valid JSON: {e}"))
        })?;
        for item in page.items {
            add(&mut out, item, &decode, keep_raw, path);
        }
        token = page.metadata.continue_.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// Adds one item, decoded, keeping its JSON beside it: an item that does not decode is a
/// message and its JSON goes apart, so every later item stays paired with its own.
fn add<U>(
    out: &mut Listed<U>,
    item: &RawValue,
    decode: &impl Fn(&str) -> serde_json::Result<U>,
    keep_raw: bool,
    path: &str,
) {
    match decode(item.get()) {
        Ok(obj) => {
            out.items.push(obj);
            if keep_raw {
                out.raw.push(item.to_owned());
            }
        }
        Err(e) => {
            out.bad.push(format!("an item of {path}: {e}"));
            if keep_raw {
                out.raw_bad.push(item.to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Listed, add, path};

    #[test]
    fn items_stay_paired_with_their_json_after_one_fails_to_decode() {
        let mut out = Listed {
            items: Vec::new(),
            bad: Vec::new(),
            raw: Vec::new(),
            raw_bad: Vec::new(),
        };
        let decode = |s: &str| {
            serde_json::from_str::<serde_json::Value>(s).and_then(|v| {
                v["n"]
                    .as_u64()
                    .ok_or_else(|| serde::de::Error::custom("no n"))
            })
        };
        for text in [r#"{"n":1}"#, r#"{"n":"bad"}"#, r#"{"n":3}"#] {
            let item = serde_json::value::RawValue::from_string(text.into()).unwrap();
            add(&mut out, &item, &decode, true, "/x");
        }
        assert_eq!(out.items, [1, 3]);
        let raw: Vec<&str> = out.raw.iter().map(|r| r.get()).collect();
        assert_eq!(raw, [r#"{"n":1}"#, r#"{"n":3}"#]);
        assert_eq!(out.raw_bad.len(), 1);
        assert_eq!(out.bad.len(), 1);
    }

    #[test]
    fn list_paths_follow_the_api_groups() {
        assert_eq!(
            path("v1", "pods", Some("shop")),
            "/api/v1/namespaces/shop/pods"
        );
        assert_eq!(path("v1", "events", None), "/api/v1/events");
        assert_eq!(
            path("apps/v1", "replicasets", Some("x")),
            "/apis/apps/v1/namespaces/x/replicasets"
        );
    }
}
