//! A `kubectl describe pod` flattened onto a few lines by a chat client or a web page
//! (`Name: web-1 Namespace: shop Priority: 0 Node: worker-1/10.0.0.11 ... Containers: web:
//! Image: ... State: Waiting Reason: CrashLoopBackOff ...`): cut back into the lines and
//! indentation the describer prints, at the keys it prints, so the describe parser reads it.

use super::describe_pod::keys::{CONTAINER_KEYS, STATE_KEYS, TOP_KEYS};
use regex::Regex;
use std::sync::LazyLock;

/// Any describe key followed by `:` and a space (or the end), longest keys first.
static KEY: LazyLock<Regex> = LazyLock::new(|| {
    let mut keys: Vec<&str> = TOP_KEYS
        .iter()
        .chain(CONTAINER_KEYS)
        .chain(STATE_KEYS)
        .copied()
        .collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    keys.dedup();
    let alternatives: Vec<String> = keys.iter().map(|k| regex::escape(k)).collect();
    Regex::new(&format!(r"(?:^|\s)({}):", alternatives.join("|"))).expect("valid")
});

/// An event row inside a flattened Events section starts at its type.
static EVENT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:Normal|Warning)\s+[A-Z]").expect("valid"));

/// How many keys make a line a flattened describe (a real describe line has one).
const FLATTENED: usize = 4;

/// Expands flattened describe lines; other lines pass unchanged.
pub fn expand(lines: Vec<String>) -> Vec<String> {
    if !lines.iter().any(|l| is_flattened(l)) {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut state = Block::Top;
    for line in lines {
        if !is_flattened(&line) && !line.trim_start().starts_with("Events:") {
            out.push(line);
            continue;
        }
        expand_line(&line, &mut state, &mut out);
    }
    out
}

/// Cheap first: a line with fewer keys than [`FLATTENED`] (nearly every line) is ruled out
/// without captures; [`expand_line`] checks each key's colon.
fn is_flattened(line: &str) -> bool {
    line.len() < 100_000 && KEY.find_iter(line).take(FLATTENED).count() == FLATTENED
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Top,
    Container,
    InContainerState,
}

fn expand_line(line: &str, state: &mut Block, out: &mut Vec<String>) {
    let keys: Vec<(usize, usize, &str)> = KEY
        .captures_iter(line)
        .filter_map(|c| c.get(1))
        // A key is followed by white space or the end (`Image: nginx:1.27` has one key); the
        // white space is left for the next key's match, the value is trimmed.
        .filter(|m| {
            line[m.end() + 1..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        })
        .map(|m| (m.start(), m.end() + 1, m.as_str()))
        .collect();
    if keys
        .first()
        .is_some_and(|(start, _, _)| !line[..*start].trim().is_empty())
    {
        out.push(line[..keys[0].0].trim().to_string());
    }
    for (i, (_, end, key)) in keys.iter().enumerate() {
        let value_end = keys.get(i + 1).map_or(line.len(), |(s, _, _)| *s);
        let value = line[(*end).min(value_end)..value_end].trim();
        emit(key, value, state, out);
    }
}

fn emit(key: &str, value: &str, state: &mut Block, out: &mut Vec<String>) {
    let in_container = matches!(state, Block::Container | Block::InContainerState);
    if *state == Block::InContainerState && STATE_KEYS.contains(&key) {
        out.push(format!("      {key}:  {value}"));
        return;
    }
    if in_container && CONTAINER_KEYS.contains(&key) {
        *state = if matches!(key, "State" | "Last State") {
            Block::InContainerState
        } else {
            Block::Container
        };
        match key {
            "Limits" | "Requests" => {
                out.push(format!("    {key}:"));
                let words: Vec<&str> = value.split_whitespace().collect();
                for pair in words.chunks(2) {
                    out.push(format!("      {}", pair.join("  ")));
                }
            }
            _ => out.push(format!("    {key}:  {value}")),
        }
        return;
    }
    *state = Block::Top;
    match key {
        "Containers" | "Init Containers" | "Ephemeral Containers" => {
            out.push(format!("{key}:"));
            if let Some(name) = value.strip_suffix(':') {
                out.push(format!("  {name}:"));
                *state = Block::Container;
            }
        }
        "Conditions" => {
            out.push("Conditions:".into());
            let words: Vec<&str> = value
                .split_whitespace()
                .skip_while(|w| matches!(*w, "Type" | "Status"))
                .collect();
            for pair in words.chunks(2) {
                out.push(format!("  {}", pair.join("  ")));
            }
        }
        "Events" => {
            let starts: Vec<usize> = EVENT_START.find_iter(value).map(|m| m.start()).collect();
            if starts.is_empty() {
                // `Events:  <none>`, or a message pasted after it.
                out.push(format!("Events:  {value}").trim_end().to_string());
                return;
            }
            out.push("Events:".into());
            for (i, start) in starts.iter().enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(value.len());
                out.push(format!("  {}", value[*start..end].trim()));
            }
        }
        _ => out.push(format!("{key}:  {value}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_describe_gets_its_lines_and_indentation_back() {
        let flat = "Name: web-1 Namespace: shop Node: worker-1/10.0.0.11 Status: Running \
                    Containers: web: Image: registry.example.com/shop/web:3.0 State: Waiting \
                    Reason: CrashLoopBackOff Last State: Terminated Reason: OOMKilled \
                    Exit Code: 137 Ready: False Restart Count: 6 Limits: memory: 128Mi \
                    Events: Type Reason Age From Message ---- ------ ---- ---- ------- \
                    Warning BackOff 2m kubelet Back-off restarting failed container web";
        let lines = expand(vec![flat.to_string()]);
        let has = |l: &str| lines.iter().any(|x| x == l);
        assert!(has("Name:  web-1"), "{lines:#?}");
        assert!(has("  web:"));
        assert!(has("    State:  Waiting"));
        assert!(has("      Reason:  CrashLoopBackOff"));
        assert!(has("      Exit Code:  137"));
        assert!(has("      memory:  128Mi"));
        assert!(has(
            "  Warning BackOff 2m kubelet Back-off restarting failed container web"
        ));
    }

    #[test]
    fn wide_white_space_after_a_key_is_not_cut_inside() {
        let line =
            "Name:\u{2003}web-1 Namespace:\u{2003}shop Node:\u{2003}w Status:\u{2003}Running";
        let lines = expand(vec![line.to_string()]);
        assert!(lines.iter().any(|l| l == "Name:  web-1"), "{lines:?}");
    }

    #[test]
    fn a_key_with_an_empty_value_does_not_hide_the_next() {
        let line = "Name: web-1 Namespace: shop Containers: web: Container ID: Image: nginx:1.27 State: Running";
        let lines = expand(vec![line.to_string()]);
        assert!(
            lines.iter().any(|l| l == "    Image:  nginx:1.27"),
            "{lines:?}"
        );
    }

    #[test]
    fn ordinary_lines_pass_unchanged() {
        let lines = vec![
            "Name:         web-1".to_string(),
            "Status:  Running".to_string(),
        ];
        assert_eq!(expand(lines.clone()), lines);
    }
}
