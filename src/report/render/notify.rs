//! Webhook messages summarising a report's problems: Slack Block Kit, a Microsoft Teams
//! Adaptive Card, or the JSON report itself. New problems come first (with a baseline);
//! a message names each problem, how many pods and Services, where, and the first fix
//! command. Text from the report is escaped for the format ([`super::chat_escape`]): a log
//! line's `<!channel>` does not ping, `<container>` is not a link.

use super::chat_escape;
use super::{change_label, group_size};
use crate::engine::Change;
use crate::playbook::Severity;
use crate::report::{GroupReport, Report};
use serde_json::{Value, json};

/// Which webhook format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    Slack,
    Teams,
    Json,
}

impl WebhookFormat {
    /// Every webhook format.
    pub const ALL: [WebhookFormat; 3] = [
        WebhookFormat::Slack,
        WebhookFormat::Teams,
        WebhookFormat::Json,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            WebhookFormat::Slack => "slack",
            WebhookFormat::Teams => "teams",
            WebhookFormat::Json => "json",
        }
    }
}

/// Problems listed in a message at most (the rest are counted).
const LISTED: usize = 10;

/// The problems worth a message: all, or only new ones; new first.
pub fn problems(report: &Report, only_new: bool) -> Vec<&GroupReport> {
    let mut groups: Vec<&GroupReport> = report
        .groups
        .iter()
        .filter(|g| !only_new || g.change == Some(Change::New))
        .collect();
    groups.sort_by_key(|g| g.change != Some(Change::New));
    groups
}

/// The message body for `format`.
pub fn payload(report: &Report, format: WebhookFormat, only_new: bool) -> Value {
    match format {
        WebhookFormat::Json => serde_json::to_value(report).unwrap_or(Value::Null),
        WebhookFormat::Slack => slack(report, &problems(report, only_new)),
        WebhookFormat::Teams => teams(report, &problems(report, only_new)),
    }
}

fn headline(report: &Report, shown: usize) -> String {
    let s = &report.summary;
    let mut line = format!(
        "kubedoctor: {} on {} — {} of {} pods unhealthy ({} critical, {} warning)",
        crate::words::count(shown as u64, "problem", "problems"),
        report.source.location,
        s.pods_unhealthy,
        s.pods_scanned,
        s.critical,
        s.warning
    );
    if s.services_scanned > 0 {
        line.push_str(&format!(
            ", {} of {} unhealthy",
            s.services_unhealthy,
            super::services(s.services_scanned)
        ));
    }
    line
}

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Critical => ":red_circle:",
        Severity::Warning => ":large_orange_circle:",
        Severity::Info => ":large_blue_circle:",
    }
}

/// One problem as lines of text, escaped for the format: title, size and key, explanation,
/// first command (in a code span).
fn problem_lines(report: &Report, g: &GroupReport, format: WebhookFormat) -> (String, String) {
    let slack_format = format == WebhookFormat::Slack;
    let esc = |s: &str| match format {
        WebhookFormat::Teams => chat_escape::teams(s),
        _ => chat_escape::slack(s),
    };
    let change = change_label(g)
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let title = esc(&format!(
        "{} — {} ({}){change}",
        g.title,
        group_size(g),
        g.key
    ));
    let mut body = String::new();
    if let Some(f) = report.group_finding(g) {
        body.push_str(&esc(&f.explanation()));
        if let Some(c) = f.fixes.iter().find_map(|x| x.command.as_deref()) {
            body.push_str(&format!("\n`{}`", chat_escape::code(c, slack_format)));
        }
    }
    (title, body)
}

fn slack(report: &Report, groups: &[&GroupReport]) -> Value {
    let mut blocks = vec![json!({"type": "header", "text": {"type": "plain_text",
        "text": headline(report, groups.len()).chars().take(150).collect::<String>()}})];
    if let Some(why) = &report.rebaselined {
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn",
            "text": chat_escape::slack(why)}]}));
    }
    for g in groups.iter().take(LISTED) {
        let (title, body) = problem_lines(report, g, WebhookFormat::Slack);
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn",
            "text": format!("{} *{}*\n{}", icon(g.severity), title, body).chars().take(3000).collect::<String>()}}));
    }
    if groups.len() > LISTED {
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn",
            "text": format!("and {} more", groups.len() - LISTED)}]}));
    }
    json!({"text": chat_escape::slack(&headline(report, groups.len())), "blocks": blocks})
}

fn teams(report: &Report, groups: &[&GroupReport]) -> Value {
    let mut body = vec![
        json!({"type": "TextBlock", "size": "Medium", "weight": "Bolder",
        "wrap": true, "text": chat_escape::teams(&headline(report, groups.len()))}),
    ];
    if let Some(why) = &report.rebaselined {
        body.push(json!({"type": "TextBlock", "wrap": true, "isSubtle": true,
            "text": chat_escape::teams(why)}));
    }
    for g in groups.iter().take(LISTED) {
        let (title, text) = problem_lines(report, g, WebhookFormat::Teams);
        let color = match g.severity {
            Severity::Critical => "Attention",
            Severity::Warning => "Warning",
            Severity::Info => "Accent",
        };
        body.push(
            json!({"type": "TextBlock", "wrap": true, "weight": "Bolder", "color": color,
            "text": format!("{}: {title}", g.severity.as_str())}),
        );
        body.push(json!({"type": "TextBlock", "wrap": true, "text": text}));
    }
    if groups.len() > LISTED {
        body.push(json!({"type": "TextBlock", "wrap": true, "isSubtle": true,
            "text": format!("and {} more", groups.len() - LISTED)}));
    }
    json!({"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard", "version": "1.4", "body": body}}]})
}
