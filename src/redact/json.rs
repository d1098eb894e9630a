//! Redaction of a JSON value string by string, and by structure: a credential field's value
//! (`"password": "..."`, `"client-key-data": "..."`), the value of a `{name, value}` pair
//! named like a secret (an env var `DB_PASSWORD`), and strings that hold JSON or YAML
//! themselves (the `kubectl.kubernetes.io/last-applied-configuration` annotation, which
//! repeats a pod's env) redacted inside, keeping their structure.

use super::{REDACTED, SECRET_NAME, placeholder, shape, text};
use serde_json::Value;
use std::borrow::Cow;

/// How deep JSON inside JSON strings is followed.
const MAX_NESTING: usize = 4;

/// Redacts every string of a JSON value; true when something changed.
pub fn json_in_place(v: &mut Value) -> bool {
    value(v, 0)
}

fn value(v: &mut Value, depth: usize) -> bool {
    match v {
        Value::String(s) => string(s, depth),
        Value::Array(items) => items.iter_mut().fold(false, |c, i| value(i, depth) | c),
        Value::Object(map) => {
            let secret_pair = map
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| SECRET_NAME.is_match(n))
                && map.get("value").is_some_and(Value::is_string);
            let mut changed = false;
            if secret_pair {
                changed |= replace(map.get_mut("value"));
            }
            for (k, item) in map.iter_mut() {
                if item.is_string() && shape::credential_field(k) {
                    changed |= replace(Some(item));
                }
            }
            map.values_mut().fold(changed, |c, i| value(i, depth) | c)
        }
        _ => false,
    }
}

/// Replaces a string value by [`REDACTED`] unless it is empty or a placeholder.
fn replace(v: Option<&mut Value>) -> bool {
    match v {
        Some(Value::String(s)) if !s.is_empty() && !placeholder(s) => {
            *s = REDACTED.to_string();
            true
        }
        _ => false,
    }
}

/// A string: JSON or YAML inside it redacted as structure, else as text.
fn string(s: &mut String, depth: usize) -> bool {
    if depth < MAX_NESTING
        && let Some(inner) = nested(s, depth)
    {
        return match inner {
            Some(redacted) => {
                *s = redacted;
                true
            }
            None => false,
        };
    }
    match text(s) {
        Cow::Owned(o) => {
            *s = o;
            true
        }
        Cow::Borrowed(_) => false,
    }
}

/// `Some(Some(text))` when `s` holds a JSON or YAML mapping or sequence that was redacted,
/// `Some(None)` when it holds one with nothing to redact, `None` when it holds none.
fn nested(s: &str, depth: usize) -> Option<Option<String>> {
    let t = s.trim_start();
    if t.starts_with(['{', '['])
        && let Ok(mut v @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str::<Value>(s)
    {
        if !value(&mut v, depth + 1) {
            return Some(None);
        }
        let out = serde_json::to_string(&v).ok()?;
        return Some(Some(if s.ends_with('\n') { out + "\n" } else { out }));
    }
    // YAML: only a text of several lines (a one-line `reason: text` message is prose).
    if !s.trim_end().contains('\n') {
        return None;
    }
    let Ok(mut v @ (Value::Object(_) | Value::Array(_))) = serde_saphyr::from_str::<Value>(s)
    else {
        return None;
    };
    if !value(&mut v, depth + 1) {
        return Some(None);
    }
    serde_saphyr::to_string(&v).ok().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_last_applied_configuration_is_redacted_inside_and_stays_json() {
        let applied = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"containers": [{"name": "app", "image": "shop/web:1.2",
                "env": [{"name": "DB_PASSWORD", "value": "hunter22"},
                        {"name": "MODE", "value": "production"}],
                "volumeMounts": [{"name": "creds", "mountPath": "/etc/creds"}]}],
                "volumes": [{"name": "creds", "secret": {"secretName": "db-creds"}}]}});
        let mut pod = json!({"metadata": {"annotations": {
            "kubectl.kubernetes.io/last-applied-configuration": format!("{applied}\n")}}});
        assert!(json_in_place(&mut pod));
        let kept =
            pod["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
                .as_str()
                .unwrap();
        assert!(!kept.contains("hunter22"), "{kept}");
        let inner: Value = serde_json::from_str(kept).expect("still JSON");
        let env = &inner["spec"]["containers"][0]["env"];
        assert_eq!(env[0]["value"], REDACTED);
        assert_eq!(env[1]["value"], "production");
        assert_eq!(
            inner["spec"]["volumes"][0]["secret"]["secretName"],
            "db-creds"
        );
    }

    #[test]
    fn yaml_in_an_annotation_is_redacted_inside_and_stays_yaml() {
        let mut v = json!({"config": "auth:\n  token: t0k3nValue99\n  user: app\n"});
        assert!(json_in_place(&mut v));
        let kept = v["config"].as_str().unwrap();
        assert!(!kept.contains("t0k3nValue99"), "{kept}");
        let inner: Value = serde_saphyr::from_str(kept).expect("still YAML");
        assert_eq!(inner["auth"]["token"], REDACTED);
        assert_eq!(inner["auth"]["user"], "app");
        let mut untouched = json!({"note": "{\"a\": 1}", "msg": "reason: fine"});
        assert!(!json_in_place(&mut untouched));
        assert_eq!(untouched["note"], "{\"a\": 1}");
    }
}
