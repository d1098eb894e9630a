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
            map.insert(k.trim().to_string(), v.trim().to_string());
        }
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
