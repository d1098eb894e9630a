//! The simple blocks of a `kubectl describe pod`: labels and annotations, conditions,
//! volumes.

use super::{Parser, Section};
use crate::evidence::PodCondition;
use crate::sources::text::clean::indent;

impl Parser {
    pub(super) fn label_line(&mut self, text: &str) {
        let t = text.trim();
        if t.is_empty() || t == "<none>" {
            return;
        }
        let annotations = self.section() == Section::Annotations;
        if annotations && self.annotation_continues(t) {
            return;
        }
        let pair = if annotations {
            t.split_once(": ").or_else(|| t.split_once(':'))
        } else {
            t.split_once('=')
        };
        if let Some((k, v)) = pair {
            let map = if annotations {
                &mut self.pod.annotations
            } else {
                &mut self.pod.labels
            };
            if annotations && v.trim().is_empty() {
                self.annotation_open = Some(k.trim().to_string());
            }
            map.insert(k.trim().to_string(), v.trim().to_string());
        }
    }

    /// A line below an annotation printed as `key:` alone (kubectl does so for a value of
    /// more than 140 characters or of several lines): a line that is not itself `key: value`
    /// continues the value, one line of it per line.
    fn annotation_continues(&mut self, line: &str) -> bool {
        let Some(key) = self.annotation_open.clone() else {
            return false;
        };
        let is_key = |k: &str| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'))
        };
        let new_key = line
            .split_once(": ")
            .map(|(k, _)| k)
            .or_else(|| line.strip_suffix(':'))
            .is_some_and(is_key);
        if new_key {
            self.annotation_open = None;
            return false;
        }
        if let Some(v) = self.pod.annotations.get_mut(&key) {
            if !v.is_empty() {
                v.push('\n');
            }
            v.push_str(line);
        }
        true
    }

    pub(super) fn condition_line(&mut self, text: &str) {
        let cols: Vec<&str> = text.split_whitespace().collect();
        if cols.len() < 2 || cols[0] == "Type" {
            return;
        }
        if matches!(cols[1], "True" | "False" | "Unknown") {
            self.pod.conditions.push(PodCondition {
                type_: cols[0].to_string(),
                status: cols[1].to_string(),
                reason: None,
                message: None,
            });
        }
    }

    pub(super) fn volume_line(&mut self, text: &str, kv: Option<(String, String)>) {
        let Some((k, v)) = kv else {
            return;
        };
        if v.is_empty() && indent(text) <= 2 {
            self.volume = Some((k, String::new()));
            return;
        }
        let Some((name, _)) = self.volume.clone() else {
            return;
        };
        let source = match k.as_str() {
            "SecretName" => format!("secret/{v}"),
            "ClaimName" => format!("pvc/{v}"),
            "Name" => format!("configMap/{v}"),
            "Type" if v.starts_with("EmptyDir") => "emptyDir".into(),
            "Type" if v.starts_with("HostPath") => "hostPath".into(),
            "Server" => format!("nfs/{v}"),
            _ => return,
        };
        self.pod.volumes.retain(|(n, _)| *n != name);
        self.pod.volumes.push((name, source));
    }
}
