//! Compiling one matcher of a `when` or `boost` list: a combinator (`all`, `any`, `not`,
//! `known`), an event matcher, or a field with its regex, flag or minimum.

use super::{EventMatcher, EventScope, Matcher};
use crate::playbook::fields::{Field, FieldKind};
use crate::playbook::pattern::Pattern;
use serde_json::Value;
use std::collections::BTreeSet;

impl Matcher {
    /// Visits every leaf matcher.
    pub fn leaves<'a>(&'a self, out: &mut Vec<&'a Matcher>) {
        match self {
            Matcher::All(v) | Matcher::Any(v) => v.iter().for_each(|m| m.leaves(out)),
            Matcher::Not(m) | Matcher::Known(m) => m.leaves(out),
            leaf => out.push(leaf),
        }
    }

    /// Capture names this matcher may produce when it holds (none from inside `not`).
    pub fn possible_captures(&self) -> BTreeSet<String> {
        match self {
            Matcher::All(v) | Matcher::Any(v) => {
                v.iter().flat_map(Matcher::possible_captures).collect()
            }
            Matcher::Not(_) => BTreeSet::new(),
            Matcher::Known(m) => m.possible_captures(),
            leaf => leaf
                .regexes()
                .into_iter()
                .flat_map(|re| re.capture_names().flatten().map(str::to_string))
                .collect(),
        }
    }

    /// Capture names this matcher always produces when it holds: every branch of an `any`
    /// must capture a name for it to count.
    pub fn certain_captures(&self) -> BTreeSet<String> {
        match self {
            Matcher::All(v) => v.iter().flat_map(Matcher::certain_captures).collect(),
            Matcher::Any(v) => {
                let mut sets = v.iter().map(Matcher::certain_captures);
                let first = sets.next().unwrap_or_default();
                sets.fold(first, |acc, s| acc.intersection(&s).cloned().collect())
            }
            Matcher::Not(_) => BTreeSet::new(),
            Matcher::Known(m) => m.certain_captures(),
            leaf => leaf.possible_captures(),
        }
    }

    /// Every regex in the matcher.
    pub fn regexes(&self) -> Vec<&Pattern> {
        let mut leaves = Vec::new();
        self.leaves(&mut leaves);
        leaves
            .into_iter()
            .flat_map(|l| match l {
                Matcher::Text { re, .. } => vec![re],
                Matcher::Event(e) => e.reason.iter().chain(e.message.iter()).collect(),
                _ => vec![],
            })
            .collect()
    }

    pub(super) fn per_container(&self) -> bool {
        let mut leaves = Vec::new();
        self.leaves(&mut leaves);
        leaves.iter().any(|l| match l {
            Matcher::Text { field, .. }
            | Matcher::Flag { field, .. }
            | Matcher::AtLeast { field, .. } => field.per_container(),
            _ => false,
        })
    }
}

/// Compiles one matcher: a map with exactly one key.
pub(super) fn matcher(v: &Value) -> Result<Matcher, String> {
    let Value::Object(map) = v else {
        return Err(format!("a matcher is a map with one key, not `{v}`"));
    };
    if map.len() != 1 {
        let keys: Vec<_> = map.keys().map(String::as_str).collect();
        return Err(format!(
            "a matcher has exactly one key, found {}: {}",
            keys.len(),
            keys.join(", ")
        ));
    }
    let (key, val) = map.iter().next().expect("one entry");
    match key.as_str() {
        "all" | "any" => {
            let Value::Array(items) = val else {
                return Err(format!("`{key}` takes a list of matchers"));
            };
            let ms = items
                .iter()
                .enumerate()
                .map(|(i, m)| matcher(m).map_err(|e| format!("{key}[{i}]: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            if ms.is_empty() {
                return Err(format!("`{key}` needs at least one matcher"));
            }
            Ok(if key == "all" {
                Matcher::All(ms)
            } else {
                Matcher::Any(ms)
            })
        }
        "not" => Ok(Matcher::Not(Box::new(
            matcher(val).map_err(|e| format!("not: {e}"))?,
        ))),
        "known" => Ok(Matcher::Known(Box::new(
            matcher(val).map_err(|e| format!("known: {e}"))?,
        ))),
        "event" => event_matcher(val).map(Matcher::Event),
        name => {
            let Some(field) = Field::by_name(name) else {
                let known: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
                return Err(format!(
                    "unknown field `{name}`; known: all, any, not, known, event, {}",
                    known.join(", ")
                ));
            };
            field_matcher(field, val)
        }
    }
}

pub(super) fn field_matcher(field: Field, val: &Value) -> Result<Matcher, String> {
    match field.kind() {
        FieldKind::Flag => match val {
            Value::Bool(b) => Ok(Matcher::Flag { field, value: *b }),
            _ => Err(format!("`{}` takes true or false", field.name())),
        },
        FieldKind::AtLeast => match val.as_i64() {
            Some(min) => Ok(Matcher::AtLeast { field, min }),
            None => Err(format!("`{}` takes a whole number", field.name())),
        },
        FieldKind::Whole | FieldKind::Search => {
            let pattern = match val {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return Err(format!("`{}` takes a regex", field.name())),
            };
            let full = if field.kind() == FieldKind::Whole {
                format!("^(?:{pattern})$")
            } else {
                pattern
            };
            let re = Pattern::new(&full).map_err(|e| format!("bad regex: {e}"))?;
            Ok(Matcher::Text { field, re })
        }
    }
}

pub(super) fn event_matcher(val: &Value) -> Result<EventMatcher, String> {
    let Value::Object(map) = val else {
        return Err("`event` takes a map: reason, message, type, min_count, on".into());
    };
    let mut m = EventMatcher {
        reason: None,
        message: None,
        type_: None,
        min_count: 1,
        on: EventScope::Pod,
    };
    for (k, v) in map {
        let s = || {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("event `{k}` takes a string"))
        };
        match k.as_str() {
            "reason" => {
                m.reason = Some(
                    Pattern::new(&format!("^(?:{})$", s()?))
                        .map_err(|e| format!("event reason: bad regex: {e}"))?,
                )
            }
            "message" => {
                m.message = Some(
                    Pattern::new(&s()?).map_err(|e| format!("event message: bad regex: {e}"))?,
                )
            }
            "type" => m.type_ = Some(s()?),
            "min_count" => {
                m.min_count = v
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or("event min_count takes a whole number")?
            }
            "on" => {
                m.on = match s()?.as_str() {
                    "pod" => EventScope::Pod,
                    "owner" => EventScope::Owner,
                    "node" => EventScope::Node,
                    o => return Err(format!("event on: `{o}` is not pod, owner or node")),
                }
            }
            other => {
                return Err(format!(
                    "unknown event key `{other}`; known: reason, message, type, min_count, on"
                ));
            }
        }
    }
    Ok(m)
}
