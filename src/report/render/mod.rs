//! Renderers: one file per output format, each a pure function of the [`Report`](super::Report).
//! `text` lists pods, then Services (for `diagnose`), `groups` lists problems (the text of
//! `report`); `markdown`, `html` and `prometheus` are organised by problem for every command;
//! `junit` has a test case per pod and per Service scanned; `yaml` is `json` in YAML.

pub mod chat_escape;
pub mod groups;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod notify;
pub mod paint;
pub mod prometheus;
pub mod text;
pub mod yaml;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Json,
    /// The JSON contract as YAML, field for field.
    Yaml,
    Markdown,
    Html,
    Prometheus,
    /// JUnit XML for CI test reporters: a test case per pod scanned.
    Junit,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 7] = [
        Format::Text,
        Format::Json,
        Format::Yaml,
        Format::Markdown,
        Format::Html,
        Format::Prometheus,
        Format::Junit,
    ];

    /// A format a person reads (text, Markdown, HTML), not one a program parses.
    pub fn for_people(self) -> bool {
        matches!(self, Format::Text | Format::Markdown | Format::Html)
    }

    /// The name on the command line and in the configuration file.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Prometheus => "prometheus",
            Format::Junit => "junit",
        }
    }
}

/// How the text format is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLayout {
    /// Pod by pod (`diagnose`).
    Pods,
    /// Problem by problem (`report`).
    Groups,
}

/// Renders a report in a format; `paint` styles the text format only (machine formats are
/// never styled).
pub fn render(
    report: &super::Report,
    format: Format,
    layout: TextLayout,
    paint: paint::Paint,
) -> String {
    match (format, layout) {
        (Format::Text, TextLayout::Pods) => text::render(report, paint),
        (Format::Text, TextLayout::Groups) => groups::render(report, paint),
        (Format::Json, _) => json::render(report),
        (Format::Yaml, _) => yaml::render(report),
        (Format::Markdown, _) => markdown::render(report),
        (Format::Html, _) => html::render(report),
        (Format::Prometheus, _) => prometheus::render(report),
        (Format::Junit, _) => junit::render(report),
    }
}

/// `2 pods`, `1 pod`.
pub fn pods(n: usize) -> String {
    crate::words::count(n as u64, "pod", "pods")
}

/// `2 Services`, `1 Service`.
pub fn services(n: usize) -> String {
    crate::words::count(n as u64, "Service", "Services")
}

/// `5 pods`, `5 pods of 3 workloads` when a group spans workloads (a node problem), `1
/// Service`, `3 pods and 1 Service`.
pub fn group_size(g: &super::GroupReport) -> String {
    let of_pods = if g.workloads > 1 {
        format!("{} of {} workloads", pods(g.pods.len()), g.workloads)
    } else {
        pods(g.pods.len())
    };
    match (g.pods.len(), g.services.len()) {
        (_, 0) => of_pods,
        (0, n) => services(n),
        (_, n) => format!("{of_pods} and {}", services(n)),
    }
}

/// A problem's members for a list: its pods (`namespace/name`), then its Services (`Service
/// namespace/name`).
pub fn members(g: &super::GroupReport) -> Vec<String> {
    let pods = g.pods.iter().cloned();
    pods.chain(g.services.iter().map(|s| format!("Service {s}")))
        .collect()
}

/// `ongoing, 3 -> 5 pods` (or Services) for an ongoing group that changed, `new`,
/// `ongoing`.
pub fn change_label(g: &super::GroupReport) -> Option<String> {
    use crate::engine::Change;
    match g.change? {
        Change::New => Some("new".into()),
        Change::Ongoing => {
            let mut label = "ongoing".to_string();
            if let Some(p) = g.previous_pods.filter(|p| *p != g.pods.len()) {
                label.push_str(&format!(", {p} -> {} pods", g.pods.len()));
            }
            if let Some(s) = g.previous_services.filter(|s| *s != g.services.len()) {
                label.push_str(&format!(", {s} -> {} Services", g.services.len()));
            }
            Some(label)
        }
        Change::Resolved => Some("resolved".into()),
    }
}
