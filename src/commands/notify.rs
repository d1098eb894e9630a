//! `--webhook`: posting the report's problems after the report is written (see
//! [`crate::sinks::http`] for delivery and [`crate::report::render::notify`] for the
//! messages).

use crate::cli::DiagnoseArgs;
use crate::error::RunError;
use crate::report::Report;
use crate::report::render::notify;
use crate::sinks::http::{Client, WebhookError};
use std::time::Duration;

/// The time limit of one delivery attempt.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Checks the webhooks before the scan, so a typo does not cost one: each is trimmed and
/// empty entries are dropped (a trailing newline or a space after a comma in
/// `KUBEDOCTOR_WEBHOOK`); each must be an http(s) URL with a host, else exit 2 naming it by
/// its position only (a webhook URL is a credential). `--webhook-always` or
/// `--webhook-format` without any webhook is a warning. The run's HTTP client is made here
/// too, so a `--webhook-ca` that cannot be used is exit 2 before the scan.
pub fn prepare(args: &mut DiagnoseArgs) -> Result<Outbound, RunError> {
    args.webhook = args
        .webhook
        .iter()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .collect();
    if let Some(url) = args.pushgateway.as_mut() {
        *url = url.trim().to_string();
        if !is_http_url(url) {
            return Err(RunError::Usage(
                "--pushgateway (or KUBEDOCTOR_PUSHGATEWAY) is not an http(s) URL with a host"
                    .into(),
            ));
        }
    }
    let count = args.webhook.len();
    for (i, url) in args.webhook.iter().enumerate() {
        if !is_http_url(url) {
            return Err(RunError::Usage(format!(
                "webhook {} of {count} is not an http(s) URL with a host (not printed: a webhook \
                 URL carries its token); check --webhook or KUBEDOCTOR_WEBHOOK",
                i + 1
            )));
        }
    }
    if count == 0 {
        let unused = [
            (args.webhook_always, "--webhook-always"),
            (args.webhook_format.is_some(), "--webhook-format"),
        ];
        for (_, flag) in unused.into_iter().filter(|(given, _)| *given) {
            eprintln!(
                "warning: {flag} has no effect without a webhook (--webhook URL or KUBEDOCTOR_WEBHOOK)"
            );
        }
    }
    if count == 0 && args.pushgateway.is_none() {
        return Ok(Outbound(None));
    }
    let client = Client::new(args.webhook_ca.as_deref(), TIMEOUT)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    Ok(Outbound(Some((runtime, client))))
}

/// The run's HTTP client and the runtime it runs on: one connection pool for every webhook
/// and the Pushgateway; `None` when the run sends nothing.
pub struct Outbound(Option<(tokio::runtime::Runtime, Client)>);

impl Outbound {
    fn send(
        &self,
        method: http::Method,
        url: &str,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Result<u32, WebhookError> {
        let Some((runtime, client)) = &self.0 else {
            return Err(WebhookError::BadUrl(crate::sinks::http::host_of(url)));
        };
        runtime.block_on(client.send(method, url, content_type, body.into()))
    }
}

/// An http(s) URL with a host.
pub(crate) fn is_http_url(url: &str) -> bool {
    url.parse::<http::Uri>().is_ok_and(|u| {
        matches!(u.scheme_str(), Some("http" | "https")) && u.host().is_some_and(|h| !h.is_empty())
    })
}

/// Posts to every `--webhook`: nothing when there is nothing to say, unless
/// `--webhook-always`.
pub fn post_all(report: &Report, args: &DiagnoseArgs, out: &Outbound) -> Result<(), RunError> {
    if args.webhook.is_empty() {
        return Ok(());
    }
    // A run that re-baselines says so, even with nothing new to post.
    if notify::problems(report, args.only_new).is_empty()
        && !args.webhook_always
        && report.rebaselined.is_none()
    {
        return Ok(());
    }
    let format = args.webhook_format.unwrap_or(notify::WebhookFormat::Json);
    let body =
        serde_json::to_vec(&notify::payload(report, format, args.only_new)).unwrap_or_default();
    let mut first_error = None;
    for url in &args.webhook {
        let result = out.send(http::Method::POST, url, "application/json", body.clone());
        if let Err(e) = result {
            // Every webhook is tried; the first failure is the error, the others warnings.
            match first_error {
                None => first_error = Some(e),
                Some(_) => eprintln!("warning: {e}"),
            }
        }
    }
    match first_error {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Where metrics are pushed: `--pushgateway` and the run's namespace (its group).
#[derive(Debug, Clone, Default)]
pub struct Pushgateway {
    pub url: Option<String>,
    pub namespace: Option<String>,
}

impl Pushgateway {
    pub fn of(args: &DiagnoseArgs) -> Pushgateway {
        Pushgateway {
            url: args.pushgateway.clone(),
            namespace: args.scope.namespace.clone(),
        }
    }
}

/// `--pushgateway URL`: the metrics to the group `job/kubedoctor/scope/SCOPE` (a namespace,
/// or `all-namespaces`): `PUT` replaces the group (a report's metrics), `POST` only the
/// metrics sent (a failed run's, which keeps the last success). Through the webhook client:
/// the same retries, time limit and host-only errors (exit 4).
pub fn push_metrics(
    metrics: &str,
    to: &Pushgateway,
    method: http::Method,
    out: &Outbound,
) -> Result<(), RunError> {
    let Some(base) = to.url.as_deref() else {
        return Ok(());
    };
    let url = pushgateway_url(base, to.namespace.as_deref());
    out.send(
        method,
        &url,
        "text/plain; version=0.0.4",
        metrics.as_bytes().to_vec(),
    )
    .map(|_| ())
    .map_err(RunError::from)
}

/// The Pushgateway URL of a run's group: `BASE/metrics/job/kubedoctor/scope/SCOPE`.
fn pushgateway_url(base: &str, namespace: Option<&str>) -> String {
    format!(
        "{}/metrics/job/kubedoctor/scope/{}",
        base.trim_end_matches('/'),
        namespace.unwrap_or("all-namespaces")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_run_pushes_to_its_scope_s_group() {
        assert_eq!(
            super::pushgateway_url("http://pgw:9091/", Some("shop")),
            "http://pgw:9091/metrics/job/kubedoctor/scope/shop"
        );
        assert_eq!(
            super::pushgateway_url("http://pgw:9091", None),
            "http://pgw:9091/metrics/job/kubedoctor/scope/all-namespaces"
        );
    }
}
