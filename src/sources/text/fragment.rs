//! Fragments of a pod object as YAML or JSON: what people paste from `kubectl get pod -o
//! yaml|json` when they cut it down to the part that looked relevant — `status:` alone, the
//! `containerStatuses` list or one item of it, a `conditions` entry, an unterminated JSON
//! block. The fragment is put back where it belongs in a pod (`{status: {containerStatuses:
//! [...]}}`) and read as a partial pod: what it does not show stays unknown.

use super::clean::{Line, indent};
use serde_json::{Map, Value, json};

/// Keys that open a pod fragment (YAML `key:` or JSON `"key":`).
const OPENERS: &[&str] = &[
    "status",
    "spec",
    "metadata",
    "containerStatuses",
    "initContainerStatuses",
    "conditions",
    "state",
    "lastState",
    "lastTerminationState",
];

/// True when a line may open a pod fragment.
pub fn starts(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    if t == "{" || t == "[" || t.starts_with("{\"") {
        return true;
    }
    let key = t.trim_start_matches('"');
    OPENERS.iter().any(|k| {
        key.strip_prefix(k).is_some_and(|rest| {
            let rest = rest.trim_start_matches('"');
            rest.starts_with(':')
        })
    })
}

/// Reads a fragment at the start of `lines`: the partial pod as an API value, and the lines
/// used. `None` when the block does not parse as a pod fragment.
pub fn parse(lines: &[Line]) -> Option<(Value, usize)> {
    let used = block_len(lines);
    if used == 0 {
        return None;
    }
    let base = lines[..used]
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| indent(&l.text))
        .min()
        .unwrap_or(0);
    let text: String = lines[..used]
        .iter()
        .map(|l| l.text.get(base..).unwrap_or(l.text.trim_start()))
        .collect::<Vec<_>>()
        .join("\n");
    let value = decode(&text)?;
    let pod = place(value)?;
    Some((pod, used))
}

/// The lines of the block: up to a blank line, a prompt, or a line that cannot belong to
/// YAML or JSON.
fn block_len(lines: &[Line]) -> usize {
    let mut n = 0;
    for l in lines {
        let t = l.text.trim();
        if l.prompt || t.is_empty() {
            break;
        }
        let yamlish = t.contains(": ")
            || t.ends_with(':')
            || t.starts_with("- ")
            || t.starts_with('"')
            || t.starts_with(['{', '}', '[', ']'])
            || (n > 0 && indent(&l.text) > indent(&lines[0].text));
        if !yamlish {
            break;
        }
        n += 1;
    }
    n
}

/// YAML, JSON, or JSON cut off (closing brackets added, trailing commas dropped).
fn decode(text: &str) -> Option<Value> {
    let t = text.trim();
    if t.starts_with(['{', '[']) || t.starts_with('"') {
        let wrapped = if t.starts_with('"') {
            format!("{{{t}}}")
        } else {
            t.to_string()
        };
        if let Ok(v) = serde_json::from_str(&wrapped) {
            return Some(v);
        }
        return serde_json::from_str(&repair_json(&wrapped)).ok();
    }
    let v: Value = serde_saphyr::from_str(t).ok()?;
    matches!(v, Value::Object(_) | Value::Array(_)).then_some(v)
}

/// Closes what a cut-off JSON text left open and drops a trailing comma or a half key.
fn repair_json(text: &str) -> String {
    let mut stack = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => stack.push('}'),
            '[' => stack.push(']'),
            '}' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    let mut out = text.trim_end().to_string();
    if in_string {
        out.push('"');
    }
    let trimmed = out.trim_end_matches([',', ' ', '\n']).len();
    out.truncate(trimmed);
    while let Some(c) = stack.pop() {
        out.push(c);
    }
    out
}

/// Puts a fragment where it belongs in a pod object.
fn place(value: Value) -> Option<Value> {
    match value {
        Value::Array(items) => {
            let first = items.first()?.as_object()?;
            if is_container_status(first) {
                Some(pod(json!({"containerStatuses": items})))
            } else if is_condition(first) {
                Some(pod(json!({"conditions": items})))
            } else {
                None
            }
        }
        Value::Object(map) => place_object(map),
        _ => None,
    }
}

fn place_object(map: Map<String, Value>) -> Option<Value> {
    let has = |k: &str| map.contains_key(k);
    if ["status", "spec", "metadata"]
        .iter()
        .any(|k| map.get(*k).is_some_and(Value::is_object))
    {
        return Some(complete(Value::Object(map)));
    }
    if has("containerStatuses") || has("initContainerStatuses") || has("phase") || has("conditions")
    {
        return Some(pod(Value::Object(map)));
    }
    if is_container_status(&map) {
        return Some(pod(json!({"containerStatuses": [Value::Object(map)]})));
    }
    if has("state") || has("lastState") || has("lastTerminationState") {
        // A bare `state:`/`lastState:` block: one container's.
        let mut status = Map::new();
        for k in ["state", "lastState"] {
            if let Some(v) = map.get(k) {
                status.insert(k.into(), v.clone());
            }
        }
        if let Some(v) = map.get("lastTerminationState") {
            status.insert("lastState".into(), v.clone());
        }
        return Some(pod(json!({"containerStatuses": [Value::Object(status)]})));
    }
    if is_condition(&map) {
        return Some(pod(json!({"conditions": [Value::Object(map)]})));
    }
    // `jq .metadata` / `.spec`: one part of the object on its own.
    if has("name")
        && [
            "namespace",
            "uid",
            "creationTimestamp",
            "ownerReferences",
            "finalizers",
            "deletionTimestamp",
        ]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        return Some(complete(json!({"metadata": Value::Object(map)})));
    }
    if has("containers") {
        return Some(complete(json!({"spec": Value::Object(map)})));
    }
    None
}

fn is_container_status(m: &Map<String, Value>) -> bool {
    m.contains_key("state") || m.contains_key("lastState") || m.contains_key("restartCount")
}

fn is_condition(m: &Map<String, Value>) -> bool {
    m.contains_key("type") && m.contains_key("status")
}

/// A pod around a `status` value.
fn pod(status: Value) -> Value {
    complete(json!({"status": status}))
}

/// Fills the fields the API types require (a fragment lacks names, images, counts), and
/// gives container statuses a container in the spec so they are read.
fn complete(mut pod: Value) -> Value {
    let Some(obj) = pod.as_object_mut() else {
        return pod;
    };
    obj.entry("apiVersion").or_insert_with(|| json!("v1"));
    obj.entry("kind").or_insert_with(|| json!("Pod"));
    let mut names = Vec::new();
    if let Some(status) = obj.get_mut("status").and_then(Value::as_object_mut) {
        for key in ["containerStatuses", "initContainerStatuses"] {
            let Some(list) = status.get_mut(key).and_then(Value::as_array_mut) else {
                continue;
            };
            for (i, cs) in list.iter_mut().enumerate() {
                let Some(cs) = cs.as_object_mut() else {
                    continue;
                };
                let name = cs
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        if i == 0 {
                            String::new()
                        } else {
                            format!("container-{i}")
                        }
                    });
                cs.insert("name".into(), json!(name));
                cs.entry("image").or_insert_with(|| json!(""));
                cs.entry("imageID").or_insert_with(|| json!(""));
                cs.entry("ready").or_insert_with(|| json!(false));
                cs.entry("restartCount").or_insert_with(|| json!(0));
                names.push((
                    key == "initContainerStatuses",
                    name,
                    cs.get("image").cloned(),
                ));
            }
        }
        if let Some(list) = status.get_mut("conditions").and_then(Value::as_array_mut) {
            list.retain(|c| c.get("type").is_some() && c.get("status").is_some());
        }
    }
    if let Some(spec) = obj
        .entry("spec")
        .or_insert_with(|| json!({}))
        .as_object_mut()
    {
        for (init, name, image) in &names {
            let key = if *init {
                "initContainers"
            } else {
                "containers"
            };
            let list = spec.entry(key).or_insert_with(|| json!([]));
            if let Some(list) = list.as_array_mut()
                && !list
                    .iter()
                    .any(|c| c.get("name").and_then(Value::as_str) == Some(name))
            {
                list.push(json!({"name": name, "image": image.clone().unwrap_or(json!(""))}));
            }
        }
        spec.entry("containers").or_insert_with(|| json!([]));
    }
    pod
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::text::clean::clean;

    fn read(text: &str) -> Value {
        let lines = clean(text);
        assert!(starts(&lines[0].text), "{}", lines[0].text);
        parse(&lines).expect("a fragment").0
    }

    #[test]
    fn cut_off_json_condition() {
        let v = read(
            " {\n    \"type\": \"PodScheduled\",\n    \"status\": \"False\",\n    \"reason\": \"Unschedulable\",\n    \"message\": \"0/5 nodes are available: 5 Insufficient memory.\"",
        );
        assert_eq!(v["status"]["conditions"][0]["reason"], "Unschedulable");
    }

    #[test]
    fn yaml_status_and_list_items() {
        let v = read(
            "  status:\n    conditions:\n    - type: PodScheduled\n      status: \"False\"\n      message: 'No nodes are available that match all of the following predicates::\n        Insufficient cpu (3).'\n    phase: Pending\n",
        );
        assert_eq!(v["status"]["phase"], "Pending");
        let v = read(
            "- lastState:\n    terminated:\n      exitCode: 137\n      reason: OOMKilled\n  name: api\n  restartCount: 4\n",
        );
        assert_eq!(v["status"]["containerStatuses"][0]["name"], "api");
        assert_eq!(v["spec"]["containers"][0]["name"], "api");
        let v = read("lastState:\n  terminated:\n    exitCode: 1\n");
        assert_eq!(
            v["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"],
            1
        );
    }

    #[test]
    fn not_fragments() {
        let lines = clean("status: ok, all good and more words here\n");
        assert!(parse(&lines).is_none());
    }
}
