//! `--webhook` for `watch`: one message when a problem appears (new, changed, a flapping
//! pod) and one when it resolves; never one per pod change. The messages go out in order
//! from one task through the shared outbound client (`sinks::http`: retries, time limit,
//! host-only errors); a failed delivery is a warning on stderr, and the watch goes on.
//! `json` posts the change's JSON line; `slack` and `teams` a one-line message.

use super::output::Line;
use crate::cli::WatchArgs;
use crate::error::RunError;
use crate::report::render::chat_escape;
use crate::report::render::notify::WebhookFormat;
use crate::sinks::http::Client;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// The time limit of one delivery attempt.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The webhooks and the queue to the task that posts.
pub struct Webhooks {
    urls: Vec<String>,
    format: WebhookFormat,
    client: Option<Client>,
    queue: Option<UnboundedSender<Vec<u8>>>,
    /// The posting task (awaited at the end, so queued messages go out).
    poster: Option<tokio::task::JoinHandle<()>>,
}

impl Webhooks {
    /// Checks the URLs (exit 2 naming a bad one by its position only: a webhook URL is a
    /// credential) and makes the client.
    pub fn prepare(args: &WatchArgs, config_ca: Option<PathBuf>) -> Result<Webhooks, RunError> {
        let urls: Vec<String> = args
            .webhook
            .iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect();
        let count = urls.len();
        for (i, url) in urls.iter().enumerate() {
            if !crate::commands::notify::is_http_url(url) {
                return Err(RunError::Usage(format!(
                    "webhook {} of {count} is not an http(s) URL with a host (not printed: a \
                     webhook URL carries its token); check --webhook or KUBEDOCTOR_WEBHOOK",
                    i + 1
                )));
            }
        }
        let client = if urls.is_empty() {
            None
        } else {
            let ca = args.webhook_ca.clone().or(config_ca);
            Some(Client::new(ca.as_deref(), TIMEOUT)?)
        };
        Ok(Webhooks {
            urls,
            format: args.webhook_format.unwrap_or(WebhookFormat::Json),
            client,
            queue: None,
            poster: None,
        })
    }

    /// Posts the change (queued: delivered in order by one task).
    pub fn post(&mut self, line: &Line<'_>) {
        let Some(client) = &self.client else {
            return;
        };
        let body = serde_json::to_vec(&payload(line, self.format)).unwrap_or_default();
        if self.queue.is_none() {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
            let (client, urls) = (client.clone(), self.urls.clone());
            self.poster = Some(tokio::spawn(async move {
                while let Some(body) = rx.recv().await {
                    for url in &urls {
                        let sent = client
                            .send(
                                http::Method::POST,
                                url,
                                "application/json",
                                body.clone().into(),
                            )
                            .await;
                        if let Err(e) = sent {
                            eprintln!("warning: {e}");
                        }
                    }
                }
            }));
            self.queue = Some(tx);
        }
        if let Some(q) = &self.queue {
            let _ = q.send(body);
        }
    }
}

impl Webhooks {
    /// Lets the queued messages go out, until `deadline`.
    pub async fn flush(&mut self, deadline: tokio::time::Instant) {
        self.queue = None;
        if let Some(p) = self.poster.take() {
            let _ = tokio::time::timeout_at(deadline, p).await;
        }
    }
}

/// The message for a change.
pub fn payload(line: &Line<'_>, format: WebhookFormat) -> serde_json::Value {
    let text = summary(line);
    match format {
        WebhookFormat::Json => {
            let mut v: serde_json::Value = serde_json::from_str(&super::output::change(
                crate::cli::WatchFormat::Json,
                line,
                crate::report::render::paint::Paint::PLAIN,
            ))
            .unwrap_or_default();
            v["text"] = serde_json::json!(text);
            v
        }
        WebhookFormat::Slack => serde_json::json!({"text": chat_escape::slack(&text)}),
        WebhookFormat::Teams => serde_json::json!({"type": "message", "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard", "version": "1.4",
                        "body": [{"type": "TextBlock", "wrap": true,
                                  "text": chat_escape::teams(&text)}]}}]}),
    }
}

/// `kubedoctor: new problem crash.oom shop/web: title (pod shop/web-1)`.
fn summary(line: &Line<'_>) -> String {
    match line.problem {
        Some(g) => format!(
            "kubedoctor: {} problem {} {}: {} (pod {})",
            line.change, g.id, g.key, g.title, line.pod
        ),
        None => format!(
            "kubedoctor: pod {} is {} (turned unhealthy {} times without holding)",
            line.pod, line.change, line.onsets
        ),
    }
}
