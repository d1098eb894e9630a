//! Reading a `v1 List` (or a single object) from JSON or YAML into typed items.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why a list document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("not valid YAML: {0}")]
    Yaml(String),
    #[error("not a Kubernetes List or object (no `items` or `kind`)")]
    NotAList,
}

/// Parses a JSON or YAML document holding a List (`kind: List`, `PodList`, ...) or a single
/// object, and returns its items as raw values.
pub fn parse_list_document(text: &str) -> Result<Vec<Value>, ListError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let value: Value = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::from_str(trimmed).map_err(|e| ListError::Json(e.to_string()))?
    } else {
        // Several `---` documents (pasted objects) become one list.
        let docs: Vec<Value> = serde_saphyr::from_multiple(trimmed)
            .map_err(|e| ListError::Yaml(crate::redact::yaml_error(&e)))?;
        let mut docs: Vec<Value> = docs.into_iter().filter(|d| !d.is_null()).collect();
        match docs.len() {
            0 => Value::Null,
            1 => docs.remove(0),
            _ => Value::Array(
                docs.into_iter()
                    .flat_map(|d| match d {
                        Value::Object(mut m) if m.contains_key("items") => {
                            match m.remove("items") {
                                Some(Value::Array(items)) => items,
                                _ => Vec::new(),
                            }
                        }
                        other => vec![other],
                    })
                    .collect(),
            ),
        }
    };
    match value {
        Value::Object(mut map) => {
            if let Some(Value::Array(items)) = map.remove("items") {
                Ok(items)
            } else if map.contains_key("kind") || map.contains_key("metadata") {
                Ok(vec![Value::Object(map)])
            } else if map.is_empty() {
                Ok(Vec::new())
            } else {
                Err(ListError::NotAList)
            }
        }
        Value::Array(items) => Ok(items),
        Value::Null => Ok(Vec::new()),
        _ => Err(ListError::NotAList),
    }
}

/// A JSON List as slices of the input: no value tree is built.
#[derive(serde::Deserialize)]
struct RawList<'a> {
    #[serde(borrow, default)]
    items: Option<Vec<&'a serde_json::value::RawValue>>,
    #[serde(default)]
    kind: Option<String>,
}

/// Items per thread below which a list is converted on one thread.
const ITEMS_PER_THREAD: usize = 1000;

/// Parses a List (or one object), turning each item into a `U` with `decode` (an item's
/// JSON text to a value: see [`json`]) as soon as it is found: no tree of values and no list
/// of decoded objects, so a large JSON list costs little more than its converted items. A
/// large list is split over the machine's cores (the items are found in one quick pass, then
/// decoded and converted in parallel, in order). One bad item is only a message. YAML goes
/// through [`parse_list_document`].
pub fn parse_list_with<U: Send>(
    text: &str,
    api_version: &str,
    kind: &str,
    decode: impl Fn(&str) -> serde_json::Result<U> + Sync,
) -> Result<(Vec<U>, Vec<String>), ListError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('{') {
        let items = parse_list_document(text)?;
        return Ok(parse_values_with(items, api_version, kind, decode));
    }
    let list: RawList =
        serde_json::from_str(trimmed).map_err(|e| ListError::Json(e.to_string()))?;
    let Some(items) = list.items else {
        if list.kind.is_none() {
            return Err(ListError::NotAList);
        }
        let items = parse_list_document(text)?;
        return Ok(parse_values_with(items, api_version, kind, decode));
    };
    let texts: Vec<&str> = items.iter().map(|r| r.get()).collect();
    Ok(decode_batch(&texts, 0, &decode))
}

/// A decoder for [`parse_list_with`]: the item decoded as `T`, then converted.
pub fn json<T: DeserializeOwned, U>(
    convert: impl Fn(T) -> U + Sync,
) -> impl Fn(&str) -> serde_json::Result<U> + Sync {
    move |text| serde_json::from_str(text).map(&convert)
}

/// Items already parsed as values, decoded like list items (from their JSON text).
fn parse_values_with<U>(
    items: Vec<Value>,
    api_version: &str,
    kind: &str,
    decode: impl Fn(&str) -> serde_json::Result<U>,
) -> (Vec<U>, Vec<String>) {
    parse_items_with(items, api_version, kind, |v| {
        decode(&serde_json::to_string(v).map_err(serde::de::Error::custom)?)
    })
}

/// Decodes and converts items (JSON texts), split over the machine's cores when there are
/// many, in order; `first` is the index of the first item (for messages).
pub fn decode_batch<U: Send>(
    items: &[&str],
    first: usize,
    decode: &(impl Fn(&str) -> serde_json::Result<U> + Sync),
) -> (Vec<U>, Vec<String>) {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len() / ITEMS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return decode_items(items, first, decode);
    }
    let chunk = items.len().div_ceil(threads).max(1);
    let parts: Vec<(Vec<U>, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| s.spawn(move || decode_items(part, first + n * chunk, decode)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a decoding thread panicked"))
            .collect()
    });
    let mut parts = parts.into_iter();
    let (mut out, mut bad) = parts.next().unwrap_or_default();
    for (ok, b) in parts {
        out.extend(ok);
        bad.extend(b);
    }
    (out, bad)
}

/// Decodes and converts a run of list items on this thread; `first` is the index of the
/// first (for messages).
pub fn decode_items<U>(
    items: &[&str],
    first: usize,
    decode: &impl Fn(&str) -> serde_json::Result<U>,
) -> (Vec<U>, Vec<String>) {
    let mut ok = Vec::with_capacity(items.len());
    let mut bad = Vec::new();
    for (i, raw) in items.iter().enumerate() {
        match decode(raw) {
            Ok(obj) => ok.push(obj),
            Err(e) => {
                // Name the item when its name can be read.
                let value = serde_json::from_str::<Value>(raw).ok();
                bad.push(bad_item(first + i, value.as_ref(), &e));
            }
        }
    }
    (ok, bad)
}

/// The message for an item (`index` from 0) that did not decode, naming it when it has a
/// name: `item 3 (`web-1`): missing field ...`.
fn bad_item(index: usize, item: Option<&Value>, e: &serde_json::Error) -> String {
    let name = item
        .and_then(|v| v.pointer("/metadata/name"))
        .and_then(Value::as_str);
    format!(
        "item {} ({}): {e}",
        index + 1,
        name.map_or_else(|| "no name".to_string(), |n| format!("`{n}`"))
    )
}

/// Parses a List (or one object) of `T` into typed objects (see [`parse_list_with`]).
pub fn parse_typed_list<T: DeserializeOwned + Send>(
    text: &str,
    api_version: &str,
    kind: &str,
) -> Result<(Vec<T>, Vec<String>), ListError> {
    parse_list_with(text, api_version, kind, json(|t: T| t))
}

/// Deserializes each item as `T` (adding `apiVersion`/`kind` when an item lacks them),
/// returning the objects that parsed and one message per item that did not.
pub fn parse_items<T: DeserializeOwned>(
    items: Vec<Value>,
    api_version: &str,
    kind: &str,
) -> (Vec<T>, Vec<String>) {
    parse_items_with(items, api_version, kind, |v| T::deserialize(v))
}

/// Decodes each item with `decode` (adding `apiVersion`/`kind` when an item lacks them),
/// returning what decoded and one message per item that did not. The decoder may borrow
/// from the value (`wire::Event::deserialize`).
pub fn parse_items_with<U>(
    items: Vec<Value>,
    api_version: &str,
    kind: &str,
    decode: impl Fn(&Value) -> serde_json::Result<U>,
) -> (Vec<U>, Vec<String>) {
    let mut ok = Vec::with_capacity(items.len());
    let mut bad = Vec::new();
    for (i, mut item) in items.into_iter().enumerate() {
        if let Value::Object(map) = &mut item {
            map.entry("apiVersion")
                .or_insert_with(|| Value::String(api_version.to_string()));
            map.entry("kind")
                .or_insert_with(|| Value::String(kind.to_string()));
        }
        match decode(&item) {
            Ok(obj) => ok.push(obj),
            Err(e) => bad.push(bad_item(i, Some(&item), &e)),
        }
    }
    (ok, bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;

    #[test]
    fn reads_json_list_yaml_list_and_single_object() {
        let json = r#"{"apiVersion":"v1","kind":"List","items":[{"metadata":{"name":"a"}}]}"#;
        assert_eq!(parse_list_document(json).unwrap().len(), 1);
        let yaml = "apiVersion: v1\nkind: List\nitems:\n- metadata:\n    name: a\n- metadata:\n    name: b\n";
        assert_eq!(parse_list_document(yaml).unwrap().len(), 2);
        let single = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n";
        assert_eq!(parse_list_document(single).unwrap().len(), 1);
        assert!(matches!(
            parse_list_document("{\"foo\": 1}"),
            Err(ListError::NotAList)
        ));
        assert!(matches!(
            parse_list_document("{\"items\": ["),
            Err(ListError::Json(_))
        ));
    }

    #[test]
    fn bad_items_are_reported_and_good_ones_kept() {
        let items = parse_list_document(
            r#"{"items":[{"metadata":{"name":"good"}},{"metadata":{"name":"bad"},"spec":{"containers":"nope"}}]}"#,
        )
        .unwrap();
        let (pods, bad) = parse_items::<Pod>(items, "v1", "Pod");
        assert_eq!(pods.len(), 1);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].contains("`bad`"), "{}", bad[0]);
    }
}
