//! Posting a JSON message to a webhook (Slack, Teams, any JSON receiver): retries on 429 and
//! 5xx with backoff, honouring `Retry-After`, a time limit per attempt. Errors name the URL's
//! host only, never its path or query, which carry the webhook's secret token; a receiver's
//! answer is quoted redacted, without what the URL holds.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// Attempts after the first, on 429, 5xx or a failed connection.
const RETRIES: u32 = 3;
/// The longest `Retry-After` honoured.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("webhook URL `{0}` is not an http or https URL")]
    BadUrl(String),
    #[error("webhook delivery to {host} failed after {attempts} attempts: {detail}")]
    Failed {
        host: String,
        attempts: u32,
        detail: String,
    },
}

/// The host of a URL, for messages (`hooks.slack.com`).
pub fn host_of(url: &str) -> String {
    url.parse::<http::Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_string))
        .unwrap_or_else(|| "(unparsable URL)".to_string())
}

/// Posts `body` (JSON) to `url`; returns the number of attempts it took.
pub async fn post(url: &str, body: Bytes, timeout: Duration) -> Result<u32, WebhookError> {
    send(http::Method::POST, url, "application/json", body, timeout).await
}

/// Sends `body` of `content_type` to `url` with `method` (a webhook's POST, a Pushgateway's
/// PUT), with the same retries, time limit and redaction; returns the attempts it took.
pub async fn send(
    method: http::Method,
    url: &str,
    content_type: &'static str,
    body: Bytes,
    timeout: Duration,
) -> Result<u32, WebhookError> {
    let uri: http::Uri = url
        .parse()
        .ok()
        .filter(|u: &http::Uri| matches!(u.scheme_str(), Some("http" | "https")))
        .ok_or_else(|| WebhookError::BadUrl(host_of(url)))?;
    let host = uri.host().unwrap_or_default().to_string();
    let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .and_then(|b| {
        use rustls_platform_verifier::BuilderVerifierExt as _;
        b.with_platform_verifier()
    })
    .map(|b| b.with_no_client_auth())
    .map_err(|e| WebhookError::Failed {
        host: host.clone(),
        attempts: 0,
        detail: format!("TLS setup: {e}"),
    })?;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let request = http::Request::builder()
            .method(method.clone())
            .uri(uri.clone())
            .header(http::header::CONTENT_TYPE, content_type)
            .header(
                http::header::USER_AGENT,
                concat!("kubedoctor/", env!("CARGO_PKG_VERSION")),
            )
            .body(Full::new(body.clone()))
            .map_err(|e| WebhookError::Failed {
                host: host.clone(),
                attempts: attempt,
                detail: e.to_string(),
            })?;
        let (detail, wait) = match tokio::time::timeout(timeout, client.request(request)).await {
            Err(_) => ("no answer within the time limit".to_string(), None),
            Ok(Err(e)) => (format!("cannot connect: {}", root_cause(&e)), None),
            Ok(Ok(response)) => {
                let status = response.status();
                if status.is_success() {
                    return Ok(attempt);
                }
                let retry_after = response
                    .headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| Duration::from_secs(s).min(MAX_WAIT));
                // The receiver's explanation, briefly (Slack answers `invalid_payload`).
                let text = response
                    .into_body()
                    .collect()
                    .await
                    .map(|b| String::from_utf8_lossy(&b.to_bytes()).into_owned())
                    .unwrap_or_default();
                let detail = format!(
                    "HTTP {status}{}",
                    if text.trim().is_empty() {
                        String::new()
                    } else {
                        format!(
                            ": {}",
                            crate::words::excerpt(&answer(text.trim(), &uri), 120)
                        )
                    }
                );
                if !(status.as_u16() == 429 || status.is_server_error()) {
                    return Err(WebhookError::Failed {
                        host,
                        attempts: attempt,
                        detail,
                    });
                }
                (detail, retry_after)
            }
        };
        if attempt > RETRIES {
            return Err(WebhookError::Failed {
                host,
                attempts: attempt,
                detail,
            });
        }
        let backoff = Duration::from_millis(500 << (attempt - 1));
        tokio::time::sleep(wait.unwrap_or(backoff)).await;
    }
}

/// A receiver's answer as an error quotes it: what the URL holds (its path and query carry
/// the webhook's token; a receiver may echo them) and anything shaped like a secret becomes
/// `[REDACTED]`.
fn answer(text: &str, uri: &http::Uri) -> String {
    let path_parts = uri.path().split('/');
    let query_parts = uri
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .flat_map(|pair| pair.split('='));
    let mut secrets: Vec<&str> = path_parts
        .chain(query_parts)
        .chain(uri.path_and_query().map(|p| p.as_str()))
        .chain(uri.query())
        // Words of the path (`services`, `hooks`) are not secrets and stay readable.
        .filter(|p| {
            p.len() >= 4 && (p.starts_with('/') || !p.chars().all(|c| c.is_ascii_lowercase()))
        })
        .collect();
    // The longest first, so a whole path goes before its segments.
    secrets.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut out = text.to_string();
    for s in secrets {
        out = out.replace(s, crate::redact::REDACTED);
    }
    crate::redact::text(&out).into_owned()
}

/// The innermost cause of an error (`connection refused`), without the URL the outer
/// layers repeat.
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut last = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    last
}

#[cfg(test)]
mod tests {
    use super::{answer, host_of};

    #[test]
    fn an_answer_never_quotes_the_url_or_a_secret() {
        let uri: http::Uri =
            "https://hooks.example.test/services/T0001/B0002/XyZsecretPart9?key=k3yv4lue"
                .parse()
                .unwrap();
        let said = answer(
            "no such hook: /services/T0001/B0002/XyZsecretPart9 (key k3yv4lue); Authorization: Bearer 0a1b2c3d4e5f6a7b",
            &uri,
        );
        for s in ["XyZsecretPart9", "k3yv4lue", "0a1b2c3d4e5f6a7b", "T0001"] {
            assert!(!said.contains(s), "{said}");
        }
        assert!(said.starts_with("no such hook: "), "{said}");
        assert!(
            answer("unknown services path", &uri).contains("services"),
            "words of the path stay"
        );
    }

    #[test]
    fn only_the_host_is_named() {
        assert_eq!(
            host_of("https://hooks.slack.com/services/T000/B000/XXXXSECRET"),
            "hooks.slack.com"
        );
        assert_eq!(
            host_of("http://user:pw@127.0.0.1:8080/x?token=y"),
            "127.0.0.1"
        );
    }
}
